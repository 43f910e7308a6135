"""C502: a Service Connect name that breaks the API's pattern or length.

What: a port mapping ``name`` of the service's task definition, a ``discoveryName`` or a
client alias ``dnsName`` that is too long or holds other characters than ECS allows:
names and discovery names at most 64 characters of lowercase letters, digits, ``_`` and
``-``; DNS names at most 127, and ``.`` too; none may start with ``-``. The lengths come
from the ``ecs`` service model's documentation.

Why: the ``ecs`` model cannot express these rules (they are only in its documentation),
so ``aws ecs`` and CloudFormation accept the file and the API rejects it at deploy time.

Fails:
    discoveryName: Products_API

Passes:
    discoveryName: products-api

Fix: use lowercase names within the limits.
"""

from meshify.injector.engine import ServiceContext, rule
from meshify.injector.model.task_definition import container_pointer


@rule("C502", "error", "Service Connect name breaks the API's pattern or length", scope="service")
def check(context: ServiceContext):
    # Imported when an ECS service is checked: a lint of task definitions never needs it (start-up).
    from meshify.injector.model.ecs_service import port_names
    from meshify.injector.model.service_connect import name_problem

    service = context.service
    if context.taskdef is not None and context.locate_taskdef is not None:
        for name, (index, position, _) in port_names(context.taskdef).items():
            if problem := name_problem(name, "PortMapping", "name"):
                yield check.rule.finding(
                    f"port mapping name {name!r} of task definition `{service.family}` {problem}",
                    context.locate_taskdef(container_pointer(index, "portMappings", position, "name")))
    for index, entry in service.connect_services():
        if problem := name_problem(entry.get("discoveryName"), "ServiceConnectService", "discoveryName"):
            yield check.rule.finding(
                f"service `{service.name}`: discoveryName {entry['discoveryName']!r} {problem}",
                context.locate(f"/serviceConnectConfiguration/services/{index}/discoveryName"))
    for pointer, alias in service.client_aliases():
        if problem := name_problem(alias.get("dnsName"), "ServiceConnectClientAlias", "dnsName", dns=True):
            yield check.rule.finding(f"service `{service.name}`: dnsName {alias['dnsName']!r} {problem}",
                                     context.locate(f"{pointer}/dnsName"))

"""C501: a Service Connect or VPC Lattice ``portName`` that no port mapping names.

What: ``serviceConnectConfiguration.services[].portName`` or
``vpcLatticeConfigurations[].portName`` of an ECS service names no
``portMappings[].name`` of any container of the service's task definition (given in the
same run; the rule is silent when it is not).

Why: ECS rejects the service (or the deployment) when the port name is unknown; AWS's own
App Mesh to VPC Lattice sample shipped a task definition without the name.

Fails:
    portMappings: [{containerPort: 8080}]
    serviceConnectConfiguration: {services: [{portName: products-http}]}

Passes:
    portMappings: [{containerPort: 8080, name: products-http, appProtocol: http}]

Fix: name the port mapping (``name``) as the service's ``portName`` says, or correct the
``portName``.
"""

from meshify.injector.engine import ServiceContext, rule


@rule("C501", "error", "portName that no port mapping names", scope="service")
def check(context: ServiceContext):
    # Imported when an ECS service is checked: a lint of task definitions never needs it (start-up).
    from meshify.injector.model.ecs_service import port_names

    if context.taskdef is None:
        return
    names = port_names(context.taskdef)
    known = ", ".join(sorted(names)) or "none"
    places = [(f"/serviceConnectConfiguration/services/{index}/portName", entry.get("portName"))
              for index, entry in context.service.connect_services()]
    lattice = context.service.data.get("vpcLatticeConfigurations")
    places += [(f"/vpcLatticeConfigurations/{index}/portName", item.get("portName"))
               for index, item in enumerate(lattice if isinstance(lattice, list) else []) if isinstance(item, dict)]
    for pointer, name in places:
        if isinstance(name, str) and name not in names:
            yield check.rule.finding(
                f"service `{context.service.name}`: portName {name!r} is named by no port mapping of task "
                f"definition `{context.service.family}` (named ports: {known})", context.locate(pointer))

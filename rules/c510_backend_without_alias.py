"""C510: a backend that no Service Connect alias provides.

What: a node of the manifest whose task definition family an ECS service with Service
Connect runs calls a backend (a virtual service name) that no client alias ``dnsName``
of the Service Connect services linted with it provides, in the same namespace. Checked
only when some service of that namespace has client aliases in the run, and none has an
alias or a list of services only known at deploy time (a Terraform variable, a dynamic block).

Why: with App Mesh gone, a name resolves through Service Connect only when some service
publishes it as a client alias; otherwise the application's calls fail (or leave the
namespace through DNS). Keeping the virtual service names as aliases is what spares the
applications any change.

Fails:
    nodes: {products-v1: {family: products-api, backends: [prices.shop.local]}}
    and no service with clientAliases: [{dnsName: prices.shop.local, ...}]

Passes:
    the prices service has clientAliases: [{port: 9090, dnsName: prices.shop.local}]

Fix: add the alias to the service that serves the backend (``meshify migrate`` writes it).
"""

from meshify.injector.engine import ServiceContext, rule
from meshify.injector.model.mesh import Node
from meshify.injector.model.unknowns import is_unknown


@rule("C510", "warning", "Backend no Service Connect alias provides", scope="service")
def check(context: ServiceContext):
    service = context.service
    if not service.service_connect_enabled or service.family is None:
        return
    peers = [other for other in context.services
             if other.service_connect_enabled and other.namespace_key == service.namespace_key]
    provided = {alias["dnsName"] for other in peers for _, alias in other.client_aliases()
                if isinstance(alias.get("dnsName"), str)}
    if not any(other.client_aliases() for other in peers):
        return
    if any(is_unknown(other.service_connect.get("services")) or any(is_unknown(entry.get("clientAliases"))
           for _, entry in other.connect_services()) or any(is_unknown(alias.get("dnsName"))
           for _, alias in other.client_aliases()) for other in peers) or any(
           other.service_connect_enabled and is_unknown(other.service_connect.get("namespace"))
           for other in context.services):
        return  # a name or namespace only the deployment knows may be the backend's
    for node in context.mesh.claims_of(service.family):
        if not isinstance(node, Node):
            continue
        for backend in dict.fromkeys(backend.name for backend in node.backends):
            if backend not in provided:
                yield check.rule.finding(
                    f"service `{service.name}` runs node `{node.name}`, which calls {backend}: no Service Connect "
                    f"service in namespace {service.namespace} has it as a client alias",
                    context.locate("/serviceConnectConfiguration"))

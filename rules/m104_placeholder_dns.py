"""M104: a virtual service used as a backend has a name nothing resolves.

What: a virtual service that some node has as a backend, whose name is not in
``cloudMap.placeholders`` and is not the name its provider node answers to in DNS (the
node's ``dns.hostname``, or ``service.namespace`` of its Cloud Map discovery) nor, for a
router provider, the name one of its routes' target nodes answers to. Names compare
case-insensitively, as DNS does.

Why: the application resolves the virtual service's name before it connects; only then
does Envoy intercept the connection. If the name does not resolve, the call fails in the
application with a DNS error and never reaches the mesh.

Fails:
    services: {products.shop.local: {router: products-router}}   # no placeholder

Passes:
    cloudMap: {namespace: shop.local, placeholders: [products.shop.local]}

Fix: add the name to ``cloudMap.placeholders`` (``meshify placeholders --apply`` creates
the records), or give the provider node that DNS name.
"""

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import Mesh, Service


@rule("M104", "error", "Missing placeholder DNS", scope="mesh")
def check(context: MeshContext):
    mesh = context.mesh
    placeholders = {placeholder.name.lower() for placeholder in mesh.cloud_map.placeholders}
    used = {backend.name.lower() for node in mesh.nodes.values() for backend in node.backends}
    for service in mesh.services.values():
        name = service.name.lower()  # DNS names are case-insensitive (RFC 4343)
        if name not in used or name in placeholders or service.name in mesh.unknown_names \
                or name in _answered_names(mesh, service):  # a name only the stack knows: no finding on it
            continue
        reason = f"its provider node `{service.node}` answers to no such name" if service.node else \
            f"its provider is router `{service.router}`, which has no DNS name"
        yield check.rule.finding(
            f"virtual service `{service.name}` is a backend but nothing resolves its name ({reason}): "
            "add it to cloudMap.placeholders", service.loc)


def _answered_names(mesh: Mesh, service: Service) -> set[str]:
    """The DNS names of the nodes behind the service: its provider node, or the targets of
    its provider router's routes (a target answering to the service's name resolves it)."""
    if service.node:
        nodes = [mesh.nodes.get(service.node)]
    else:
        router = mesh.routers.get(service.router or "")
        nodes = [mesh.nodes.get(target.node) for route in router.routes for target in route.targets] if router else []
    discoveries = [node.discovery for node in nodes if node is not None and node.discovery is not None]
    if any(discovery.name_unknown for discovery in discoveries):  # it may answer to the name: no finding
        return {service.name.lower()}
    return {discovery.dns_name.lower() for discovery in discoveries if discovery.dns_name}

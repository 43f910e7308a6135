"""M105: a reference to a node, router or service that does not exist.

What: a route target naming no node; a virtual service whose provider (router or node)
does not exist; a gateway route whose service does not exist.

Why: App Mesh rejects the resource, so the change that introduced the reference never
deploys (or, when the referenced resource was deleted later, traffic is lost).

Fails:
    routes: [{name: default, targets: [{node: products-v3, weight: 100}]}]  # no products-v3

Passes:
    routes: [{name: default, targets: [{node: products-v1, weight: 100}]}]

Fix: name an existing resource, or add it to the manifest.
"""

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import gateway_route_label, route_label


@rule("M105", "error", "Dangling reference", scope="mesh")
def check(context: MeshContext):
    mesh = context.mesh
    unknown = mesh.unknown_names
    for router, route, target in mesh.route_targets():
        if target.node not in mesh.nodes and target.node not in unknown:
            yield check.rule.finding(
                f"{route_label(router, route)} targets node `{target.node}`, which does not exist", target.loc)
    for service in mesh.services.values():
        if service.router and service.router not in mesh.routers and service.router not in unknown:
            yield check.rule.finding(
                f"virtual service `{service.name}` is provided by router `{service.router}`, which does not exist",
                service.loc.child("router"))
        if service.node and service.node not in mesh.nodes and service.node not in unknown:
            yield check.rule.finding(
                f"virtual service `{service.name}` is provided by node `{service.node}`, which does not exist",
                service.loc.child("node"))
    for gateway in mesh.gateways.values():
        for route in gateway.routes:
            if route.service not in mesh.services and route.service not in unknown:
                yield check.rule.finding(
                    f"{gateway_route_label(gateway, route)} sends to virtual service `{route.service}`, which does "
                    "not exist", route.loc.child("service"))

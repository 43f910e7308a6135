"""M107: a node that receives traffic has no listener (on the targeted port).

What: a node used as a route target or as a virtual service's provider that has no
listener; or a route target whose ``port`` is no listener port of its node; or, when the
node has several listeners, a route target without ``port``.

Why: App Mesh sends the traffic to the node's listener; a node without one (a client)
cannot receive it, and the requests fail with 503.

Fails:
    nodes: {products-v2: {family: products-api-canary}}              # no listeners
    routes: [{name: canary, targets: [{node: products-v2, weight: 100}]}]

Passes:
    nodes: {products-v2: {listeners: [{port: 8080, protocol: http}]}}

Fix: give the node a listener, or point the route at a node that has one.
"""

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import route_label


@rule("M107", "error", "Route target or provider without a listener", scope="mesh")
def check(context: MeshContext):
    mesh = context.mesh
    for router, route, target in mesh.route_targets():
        node = mesh.nodes.get(target.node)
        if node is None:
            continue  # M105
        ports = [listener.port for listener in node.listeners]
        if not ports:
            yield check.rule.finding(
                f"{route_label(router, route)} targets node `{node.name}`, which has no listener", target.loc)
        elif target.port is not None and target.port not in ports:
            yield check.rule.finding(
                f"{route_label(router, route)} targets port {target.port} of node `{node.name}`, whose "
                f"listeners are {', '.join(map(str, ports))}", target.loc.child("port"))
        elif target.port is None and len(ports) > 1:
            yield check.rule.finding(
                f"{route_label(router, route)} targets node `{node.name}`, which has several listeners "
                f"({', '.join(map(str, ports))}): give the target a port", target.loc)
    for service in mesh.services.values():
        node = mesh.nodes.get(service.node) if service.node else None
        if node is not None and not node.listeners:
            yield check.rule.finding(
                f"virtual service `{service.name}` is provided by node `{node.name}`, which has no listener",
                service.loc.child("node"))

"""M113: a node that no service or route reaches.

What: a node with listeners that is neither a virtual service's provider nor the target
of a route.

Why: nothing in the mesh can send it traffic: a leftover after a migration, or a missing
service or route.

Fails:
    nodes: {products-v3: {listeners: [{port: 8080, protocol: http}]}}   # nothing points at it

Passes:
    services: {products.shop.local: {node: products-v3}}

Fix: route to it, give it a service, or remove it.
"""

from meshify.injector.engine import MeshContext, rule


@rule("M113", "info", "Node that nothing reaches", scope="mesh")
def check(context: MeshContext):
    mesh = context.mesh
    reached = {service.node for service in mesh.services.values() if service.node}
    reached |= {target.node for _, _, target in mesh.route_targets()}
    for node in mesh.nodes.values():
        if node.listeners and node.name not in reached:
            yield check.rule.finding(
                f"node `{node.name}` has listeners but no virtual service or route reaches it", node.loc)

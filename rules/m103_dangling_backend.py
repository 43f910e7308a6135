"""M103: a node's backend names no virtual service of the mesh.

What: an entry of a node's ``backends`` that is not a virtual service of the mesh.

Why: with the mesh's default ``DROP_ALL`` egress filter a node can reach only its
backends, and a backend must be a virtual service; App Mesh rejects the node, or (with a
typo) the application's calls to the real service are dropped.

Fails:
    nodes: {products-v1: {backends: [prices.shop.lcoal]}}

Passes:
    nodes: {products-v1: {backends: [prices.shop.local]}}
    services: {prices.shop.local: {node: prices-v1}}

Fix: name an existing virtual service, or add the service to ``services:``.
"""

from meshify.injector.engine import MeshContext, rule


@rule("M103", "error", "Dangling backend", scope="mesh")
def check(context: MeshContext):
    services = context.mesh.services
    for node in context.mesh.nodes.values():
        for backend in node.backends:
            if backend.name not in services and backend.name not in context.mesh.unknown_names:
                known = ", ".join(sorted(services)) or "none"
                yield check.rule.finding(
                    f"backend `{backend.name}` of node `{node.name}` is no virtual service of the mesh "
                    f"(services: {known})", backend.loc)

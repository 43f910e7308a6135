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

# A message names at most this many services: a mesh of thousands must not print them all
# for each dangling backend (that made the output grow with nodes times services).
_LISTED = 5


def _services_hint(name: str, services: dict) -> str:
    if len(services) <= _LISTED:
        return f"services: {', '.join(sorted(services)) or 'none'}"
    from difflib import get_close_matches

    closest = get_close_matches(name, services, n=3, cutoff=0.6)
    if closest:
        return f"{len(services)} services; closest: {', '.join(closest)}"
    return f"{len(services)} services, none close to this name"


@rule("M103", "error", "Dangling backend", scope="mesh")
def check(context: MeshContext):
    services = context.mesh.services
    for node in context.mesh.nodes.values():
        for backend in node.backends:
            if backend.name not in services and backend.name not in context.mesh.unknown_names:
                yield check.rule.finding(
                    f"backend `{backend.name}` of node `{node.name}` is no virtual service of the mesh "
                    f"({_services_hint(backend.name, services)})", backend.loc)

"""M104: a virtual service used as a backend has a name nothing resolves.

What: a virtual service that some node has as a backend, whose name is not in
``cloudMap.placeholders`` and is not the name its provider node answers to in DNS (the
node's ``dns.hostname``, or ``service.namespace`` of its Cloud Map discovery).

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


@rule("M104", "error", "Missing placeholder DNS", scope="mesh")
def check(context: MeshContext):
    mesh = context.mesh
    placeholders = {placeholder.name for placeholder in mesh.cloud_map.placeholders}
    used = {backend.name for node in mesh.nodes.values() for backend in node.backends}
    for service in mesh.services.values():
        if service.name not in used or service.name in placeholders or service.name in mesh.unknown_names:
            continue
        provider = mesh.nodes.get(service.node) if service.node else None
        if provider is not None and provider.discovery is not None and provider.discovery.dns_name == service.name:
            continue
        reason = f"its provider node `{service.node}` answers to no such name" if service.node else \
            f"its provider is router `{service.router}`, which has no DNS name"
        yield check.rule.finding(
            f"virtual service `{service.name}` is a backend but nothing resolves its name ({reason}): "
            "add it to cloudMap.placeholders", service.loc)

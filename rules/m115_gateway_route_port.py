"""M115: a gateway route without the port App Mesh requires.

What: a gateway route of a gateway with several listeners that names no ``match.port``;
or a gateway route whose target service's provider (a router, or a node) has several
listeners and that names no target ``port``.

Why: App Mesh rejects such a gateway route (``BadRequestException``: the port is
required when there are multiple listeners), usually in a deploy pipeline, after the
task definitions already changed.

Fails (router ``products-router`` with listeners 8080 and 8443):
    routes: [{name: products, protocol: http, match: {prefix: /}, service: products.shop.local}]

Passes:
    routes: [{name: products, protocol: http, match: {prefix: /}, service: products.shop.local, port: 8080}]

Fix: add ``port`` (the target port) or ``match.port`` as the message says.
"""

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import gateway_route_label


@rule("M115", "error", "Gateway route without the port App Mesh requires", scope="mesh")
def check(context: MeshContext):
    mesh = context.mesh
    for gateway in mesh.gateways.values():
        for route in gateway.routes:
            label = gateway_route_label(gateway, route)
            if len(gateway.listeners) > 1 and route.match.get("port") is None:
                ports = ", ".join(str(listener.port) for listener in gateway.listeners)
                yield check.rule.finding(
                    f"{label} names no match.port, but the gateway has several listeners ({ports}): App Mesh requires it",
                    route.loc.child("match") if route.match else route.loc)
            service = mesh.services.get(route.service)
            if service is None or route.port is not None:
                continue
            provider = mesh.routers.get(service.router) if service.router else mesh.nodes.get(service.node or "")
            if provider is not None and len(provider.listeners) > 1:
                ports = ", ".join(str(listener.port) for listener in provider.listeners)
                kind = "router" if service.router else "node"
                yield check.rule.finding(
                    f"{label} names no target port, but {kind} `{provider.name}` that provides `{service.name}` has "
                    f"several listeners ({ports}): App Mesh requires it", route.loc)

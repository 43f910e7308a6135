"""M101: a route's protocol is not the protocol of the router listener it binds to.

What: each route of a virtual router binds to one router listener: the only one, or, when
the router has several, the one its ``match.port`` names. The route's kind (``http``,
``http2``, ``grpc``, ``tcp``) must be that listener's protocol. With several listeners a
route without ``match.port`` binds to none.

Why: App Mesh rejects the route, or (with a mix of listeners) the traffic of one protocol
is handed to routes of another and never matches: requests fail with 404 or reset.

Fails:
    routers: {r: {listeners: [{port: 8080, protocol: http}],
                  routes: [{name: t, protocol: tcp, targets: [...]}]}}

Passes:
    routers: {r: {listeners: [{port: 8080, protocol: http}],
                  routes: [{name: t, protocol: http, match: {prefix: /}, targets: [...]}]}}

Fix: give the route the listener's protocol, or bind it to the right listener with
``match.port`` (and give its targets a ``port`` when their node has several listeners).
"""

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import listener_for, route_label


@rule("M101", "error", "Route protocol differs from its router listener", scope="mesh")
def check(context: MeshContext):
    for router in context.mesh.routers.values():
        if router.detached or not router.listeners:
            continue
        for route in router.routes:
            listener = listener_for(router, route)
            if listener is None and "port" not in route.match:
                ports = ", ".join(f"{item.port}/{item.protocol}" for item in router.listeners)
                yield check.rule.finding(
                    f"{route_label(router, route)} names no match.port, but the router has several listeners "
                    f"({ports}): say which one it serves", route.loc.child("match"))
            elif listener is None:
                yield check.rule.finding(
                    f"{route_label(router, route)} matches port {route.match['port']}, which is no listener of "
                    f"the router", route.loc.child("match", "port"))
            elif listener.protocol != route.protocol:
                yield check.rule.finding(
                    f"{route_label(router, route)} is a {route.protocol} route on the {listener.protocol} "
                    f"listener {listener.port}: make it a {listener.protocol} route", route.loc.child("protocol"))

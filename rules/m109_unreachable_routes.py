"""M109: a router with no routes, or routes that can never match.

What: a virtual router without routes; two routes of a router with the same priority and
the same match; a route that comes after a catch-all route of the same listener (a match
of ``prefix: /`` and nothing else, a gRPC match of nothing, any TCP route), in App Mesh's
order: by ``priority`` (lower first), then routes without priority as written.

Why: a router without routes drops every request; a shadowed route is dead configuration
that someone believes is live (a canary that gets no traffic).

Fails:
    routes: [{name: default, priority: 10, match: {prefix: /}, ...},
             {name: beta-users, priority: 20, match: {prefix: /, headers: [...]}, ...}]

Passes:
    routes: [{name: beta-users, priority: 10, match: {prefix: /, headers: [...]}, ...},
             {name: default, priority: 20, match: {prefix: /}, ...}]

Fix: give the specific route a lower priority than the catch-all, or remove one of the
duplicates.
"""

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import Route, listener_for, route_label


def _catch_all(route) -> bool:
    if route.protocol == "tcp":
        return True
    significant = {key: value for key, value in route.match.items() if key != "port"}
    if route.protocol == "grpc":
        return not significant
    return significant == {"prefix": "/"}


def _order(routes):
    prioritised = sorted((r for r in routes if r.priority is not None), key=lambda r: r.priority)
    return prioritised + [r for r in routes if r.priority is None]


@rule("M109", "warning", "Router without routes, or routes that never match", scope="mesh")
def check(context: MeshContext):
    for router in context.mesh.routers.values():
        if not router.routes and not router.detached:
            yield check.rule.finding(f"router `{router.name}` has no routes: it drops every request", router.loc)
            continue
        by_listener: dict[object, list] = {}
        for route in router.routes:
            by_listener.setdefault(id(listener_for(router, route)), []).append(route)
        for routes in by_listener.values():
            seen: dict[tuple[object, ...], Route] = {}
            catch_all = None
            for route in _order(routes):
                key = (route.priority, route.protocol, repr(sorted(route.match.items())))
                if route.priority is not None and key in seen:
                    yield check.rule.finding(
                        f"{route_label(router, route)} has the priority and match of route `{seen[key].name}`: "
                        "one of them never matches", route.loc)
                    continue
                seen[key] = route
                if catch_all is not None and catch_all.protocol == route.protocol:
                    yield check.rule.finding(
                        f"{route_label(router, route)} never matches: route `{catch_all.name}` before it "
                        "matches every request; give this one a lower priority number", route.loc)
                elif _catch_all(route):
                    catch_all = catch_all or route

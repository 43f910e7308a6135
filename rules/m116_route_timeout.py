"""M116: a route's per-request timeout is longer than its target listener's.

What: a route's ``timeout.perRequest`` is above the per-request timeout of the node
listener it sends to (15 s, Envoy's default, when the listener sets none).

Why: the request passes through both: the target node's listener ends it first, so the
longer route timeout never takes effect (AWS's timeout walkthrough raises both).

Fails:
    route timeout: {perRequest: 20s}; target node listener without timeout

Passes:
    route timeout: {perRequest: 20s}; target node listener timeout: {http: {perRequest: {unit: s, value: 20}}}

Fix: raise the target listener's ``timeout.<protocol>.perRequest`` too, or lower the route's.
"""

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import DEFAULT_REQUEST_TIMEOUT_MS, duration_ms, route_label, seconds, target_listener


@rule("M116", "warning", "Route timeout above its listener's", scope="mesh")
def check(context: MeshContext):
    mesh = context.mesh
    for router in mesh.routers.values():
        for route in router.routes:
            wanted = duration_ms((route.timeout or {}).get("perRequest"))
            if wanted is None:
                continue
            for target in route.targets:
                node = mesh.nodes.get(target.node)
                listener = target_listener(node, route, target) if node is not None else None
                if listener is None:
                    continue
                own = duration_ms(((listener.timeout or {}).get(listener.protocol) or {}).get("perRequest"))
                limit = own if own is not None else DEFAULT_REQUEST_TIMEOUT_MS
                if wanted > limit:
                    whose = "its timeout" if own is not None else "the default, as it sets none"
                    yield check.rule.finding(
                        f"{route_label(router, route)} waits {seconds(wanted)} per request, but listener {listener.port} "
                        f"of node `{node.name}` ends requests after {seconds(limit)} ({whose}): raise the listener's "
                        f"timeout.{listener.protocol}.perRequest too", route.member_loc("timeout", "perRequest"))
                    break

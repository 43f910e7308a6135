"""R603: a route matches on content (path, header, method, query, gRPC method).

What: a route whose ``match`` has ``path``, a ``prefix`` other than ``/``, ``headers``,
``method``, ``queryParameters``, ``scheme``, or for gRPC ``serviceName``, ``methodName`` or
``metadata``.

Why: Service Connect routes by name and port only; every request to an alias goes to the
one ECS service behind it. Content-based routing is lost (the only match Service Connect
has is the test-traffic header of a blue/green deployment). VPC Lattice listener rules
match on path, method and headers; an ALB listener rule on path, host, header, method
and query string.

Fails (an error: requests with ``x-beta-user: true`` no longer reach ``products-v2``):
    match: {prefix: /, headers: [{name: x-beta-user, exact: "true"}]}

Passes:
    match: {prefix: /}

A warning instead of an error when every route of the router reaches the same node:
nothing is routed elsewhere, but requests that matched no route (404 in App Mesh) now reach
it.

Fix: move the rule to a VPC Lattice service (a listener rule with the same match forwarding
to the target's target group) or to an ALB listener rule, or drop it.
"""

from meshify.injector.engine import MigrationContext, rule
from meshify.injector.model.mesh import route_label


def _single_destination(router) -> str | None:
    """The one node every route of the router sends all its traffic to, if there is one."""
    nodes = {target.node for route in router.routes for target in route.targets}
    return next(iter(nodes)) if len(nodes) == 1 else None


@rule("R603", "error", "Content-based routing is lost", scope="migration")
def check(context: MigrationContext):
    from meshify.injector.model.migration import content_matches, route_member
    for router in context.mesh.routers.values():
        only = _single_destination(router)
        for route in router.routes:
            keys = content_matches(route)
            if not keys:
                continue
            label, where = route_label(router, route), route_member(route, "match").child(keys[0])
            if only is not None:  # nothing to choose between: only the filtering is lost
                yield check.rule.finding(
                    f"{label} matches on {', '.join(keys)}, but every route of the router reaches `{only}`: requests "
                    "that did not match (App Mesh answered 404) reach it too", where, severity="warning")
                continue
            targets = list(dict.fromkeys(t.node for t in route.targets))
            services = {getattr(context.plan.service_of(t.node), "name", None)
                        for other in router.routes for t in other.targets}
            versions = ""
            if len(services) == 1 and None not in services and "headers" in keys:
                versions = ("; between versions of one service, ECS can send requests with one exact header to the new "
                            "version only while it deploys (clientAliases[].testTrafficRules)")
            yield check.rule.finding(
                f"{label} matches on {', '.join(keys)}: Service Connect routes by name and port "
                f"only, so the requests it sends to {', '.join(targets)} are no longer told apart; keep the match in a "
                f"VPC Lattice listener rule (path, method, header matches) or an ALB listener rule{versions}", where)

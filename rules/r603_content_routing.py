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

Fix: move the rule to a VPC Lattice service (a listener rule with the same match forwarding
to the target's target group) or to an ALB listener rule, or drop it.
"""

from meshify.injector.engine import MigrationContext, rule
from meshify.injector.model.mesh import route_label
from meshify.injector.model.migration import content_matches


@rule("R603", "error", "Content-based routing is lost", scope="migration")
def check(context: MigrationContext):
    for router in context.mesh.routers.values():
        for route in router.routes:
            keys = content_matches(route)
            if not keys:
                continue
            targets = ", ".join(dict.fromkeys(t.node for t in route.targets))
            yield check.rule.finding(
                f"{route_label(router, route)} matches on {', '.join(keys)}: Service Connect routes by name and port "
                f"only, so the requests it sends to {targets} are no longer told apart; keep the match in a VPC Lattice "
                "listener rule (path, method, header matches) or an ALB listener rule", route.loc.child("match", keys[0]))

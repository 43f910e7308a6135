"""R604: a route's retry policy becomes Service Connect's fixed retries.

What: a route with a ``retryPolicy``.

Why: Service Connect retries every request twice, each time on another task, on connection
failures and 503s; the number of retries, the per-retry timeout and the retry events cannot
be set (``aws/containers-roadmap#1963``). A route that retried more, or that never retried a
non-idempotent call, changes behaviour.

Fails (a warning):
    retryPolicy: {maxRetries: 3, perRetryTimeout: 5s, httpRetryEvents: [server-error]}

Passes: a route without ``retryPolicy``.

Fix: accept the fixed retries, or retry in the application where the route needed more
(and make non-idempotent calls safe to repeat).
"""

from meshify.injector.engine import MigrationContext, rule
from meshify.injector.model.mesh import route_label


@rule("R604", "warning", "Retry policy becomes fixed retries", scope="migration")
def check(context: MigrationContext):
    from meshify.injector.model.migration import FIXED_RETRIES, route_member
    for router in context.mesh.routers.values():
        for route in router.routes:
            if not route.retry_policy:
                continue
            policy = route.retry_policy
            events = [*policy.get("httpRetryEvents", []), *policy.get("grpcRetryEvents", []),
                      *policy.get("tcpRetryEvents", [])]
            said = f"maxRetries {policy.get('maxRetries')}" + (f" on {', '.join(events)}" if events else "")
            yield check.rule.finding(
                f"{route_label(router, route)} retries ({said}); Service Connect's retries are fixed ({FIXED_RETRIES}) "
                "and cannot be tuned per route", route_member(route, "retryPolicy"))

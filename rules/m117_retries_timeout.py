"""M117: a route's retries cannot fit in its per-request timeout.

What: ``retryPolicy.maxRetries`` times ``perRetryTimeout`` is longer than the route's
``timeout.perRequest`` (15 s, Envoy's default, when the route sets none).

Why: the per-request timeout covers every attempt: the request is abandoned before the
last retries can run, so the policy promises more than it does.

Fails:
    retryPolicy: {maxRetries: 5, perRetryTimeout: 5s}        # 25 s of retries, 15 s allowed

Passes:
    retryPolicy: {maxRetries: 3, perRetryTimeout: 5s}

Fix: lower ``maxRetries`` or ``perRetryTimeout``, or raise ``timeout.perRequest``.
"""

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import DEFAULT_REQUEST_TIMEOUT_MS, duration_ms, route_label, seconds


@rule("M117", "warning", "Retries that cannot fit in the timeout", scope="mesh")
def check(context: MeshContext):
    for router in context.mesh.routers.values():
        for route in router.routes:
            policy = route.retry_policy or {}
            retries, each = policy.get("maxRetries"), duration_ms(policy.get("perRetryTimeout"))
            if not isinstance(retries, int) or isinstance(retries, bool) or each is None:
                continue
            own = duration_ms((route.timeout or {}).get("perRequest"))
            limit = own if own is not None else DEFAULT_REQUEST_TIMEOUT_MS
            if retries * each > limit:
                whose = "its timeout.perRequest" if own is not None else "the default, as the route sets no timeout"
                yield check.rule.finding(
                    f"{route_label(router, route)} allows {retries} retries of {seconds(each)} "
                    f"({seconds(retries * each)}), but each request ends after {seconds(limit)} ({whose}): the last "
                    "retries never run", route.member_loc("retryPolicy"))

"""R607: route timeouts become the target service's server-side timeout.

What: a route with a ``timeout``.

Why: a Service Connect timeout is set on the service that serves
(``services[].timeout``, in whole seconds) and applies to every caller. Route timeouts
are merged per target port: the longest wins, rounded up to a second. An info finding
when every route to the service agrees; a warning when they differ, because callers
whose route had the shorter timeout now wait longer.

Fails (a warning: ``orders`` waits 30 s instead of 5 s):
    routes: [{name: fast, timeout: {perRequest: 5s}, ...}, {name: slow, timeout: {perRequest: 30s}, ...}]

Passes: a route without ``timeout`` (Service Connect's default per-request timeout is 15 s,
as Envoy's was).

Fix: check that the merged value suits every caller (``meshify migrate`` writes it into
the serving service's ``timeout``).
"""

from meshify.injector.engine import MigrationContext, rule
from meshify.injector.model.mesh import route_label


def _said(milliseconds: int | None) -> str:
    return "none" if milliseconds is None else f"{milliseconds} ms"


@rule("R607", "info", "Route timeouts become a server-side timeout", scope="migration")
def check(context: MigrationContext):
    from meshify.injector.model.migration import route_member, served_ports
    for service, port in served_ports(context.plan):
        if not port.route_timeouts:
            continue
        merged = ", ".join(f"{key} {value}" for key, value in port.timeouts.api(port.listener.protocol).items())
        values = {(t.per_request_ms, t.idle_ms) for _, _, t in port.route_timeouts}
        callers = sorted({caller.name for router, _, _ in port.route_timeouts
                          for virtual in context.mesh.services.values() if virtual.router == router.name
                          for caller in context.plan.callers_of(virtual.name)})
        differ = len(values) > 1
        for router, route, timeouts in port.route_timeouts:
            who = f" for every caller ({', '.join(callers)})" if callers else " for every caller"
            yield check.rule.finding(
                f"{route_label(router, route)} times out (perRequest {_said(timeouts.per_request_ms)}, idle "
                f"{_said(timeouts.idle_ms)}); it becomes the timeout of ECS service `{service.name}` port "
                f"`{port.port_name}`: {merged}{who}" + ("; the routes to it disagree, so some callers wait longer"
                                                        if differ else ""),
                route_member(route, "timeout"), severity="warning" if differ else None)

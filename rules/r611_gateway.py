"""R611: a virtual gateway and its gateway routes become an ALB in front.

What: a virtual gateway, and each of its gateway routes.

Why: Service Connect has no ingress gateway. Traffic from outside comes through a load
balancer: an Application Load Balancer whose listener rules are derived from the gateway
routes (a ``prefix`` match becomes a ``path-pattern`` condition, ``hostname`` a
``host-header`` condition, a header match an ``http-header`` condition), each forwarding
to a target group of the ECS service behind the route's virtual service. ALB traffic
passes through that service's Service Connect proxy. The gateway's Envoy task is no
longer needed; rewrites have no checked mapping.

Fails (a warning):
    gateways: {shop-gateway: {routes: [{name: products, match: {prefix: /v1/products}, service: products.shop.local}]}}

Passes: a mesh without gateways.

Fix: create the ALB listener rules the report lists, shift the edge traffic to it, then
delete the gateway's ECS service.
"""

from meshify.injector.engine import MigrationContext, rule
from meshify.injector.model.mesh import gateway_route_label


def _conditions(match: dict) -> list[str]:
    conditions = []
    if isinstance(match.get("prefix"), str):  # an App Mesh prefix matches any path that starts with it
        conditions.append(f"path-pattern {match['prefix']}*")
    if isinstance(match.get("path"), dict):
        path = match["path"]
        conditions.append(f"path-pattern {path.get('exact') or path.get('regex')}")
    hostname = match.get("hostname")
    if isinstance(hostname, dict):
        conditions.append(f"host-header {hostname.get('exact') or '*' + str(hostname.get('suffix', ''))}")
    for header in match.get("headers") or []:
        if isinstance(header, dict):
            value = header.get("exact", header.get("prefix", header.get("suffix", header.get("regex", "*"))))
            conditions.append(f"http-header {header.get('name')}={value}")
    if isinstance(match.get("method"), str):
        conditions.append(f"http-request-method {match['method']}")
    return conditions or ["path-pattern /*"]


@rule("R611", "warning", "Virtual gateway becomes an ALB", scope="migration")
def check(context: MigrationContext):
    for gateway in context.mesh.gateways.values():
        ports = ", ".join(str(listener.port) for listener in gateway.listeners)
        yield check.rule.finding(
            f"gateway `{gateway.name}` (port {ports}) has no Service Connect equivalent: put an Application Load "
            f"Balancer in front, with one listener rule per gateway route ({len(gateway.routes)}), and delete the "
            "gateway's Envoy service after the cut-over", gateway.loc)
        for priority, route in enumerate(sorted(gateway.routes, key=lambda r: r.priority or 0), start=1):
            owner = context.plan.alias_owner(route.service)
            target = f"a target group of ECS service `{owner[0].name}` port {owner[1].listener.port}" if owner \
                else f"the service behind `{route.service}`"
            yield check.rule.finding(
                f"{gateway_route_label(gateway, route)} becomes ALB listener rule {priority}: "
                f"{' and '.join(_conditions(route.match))} -> forward to {target}", route.loc)

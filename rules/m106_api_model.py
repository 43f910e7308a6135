"""M106: a value outside the App Mesh API model.

What: everything the ``appmesh`` service model that botocore ships says about a value:
name lengths, ranges, enums, required members, unknown keys, exactly one member of a
union (one route kind per route), and that an HTTP ``match.prefix`` starts with ``/``.
Checked in the manifest (its nested App Mesh objects, names, ports, priorities, retry
policies and timeouts) and in App Mesh spec files (the whole spec).

Why: App Mesh rejects these when the resource is created or updated, usually late, in a
deploy pipeline, after the task definitions already changed.

Fails:
    healthCheck: {protocol: http, healthyThreshold: 1, unhealthyThreshold: 3,
                  timeoutMillis: 2000, intervalMillis: 5000}    # healthyThreshold is 2-10

Passes:
    healthCheck: {protocol: http, healthyThreshold: 2, unhealthyThreshold: 3,
                  timeoutMillis: 2000, intervalMillis: 5000}

Fix: use a value the message names as allowed.
"""

import re

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import gateway_route_label, route_label
from meshify.injector.model.service_models import shapes, validate

_DURATION = re.compile(r"^(\d+)(ms|s)$")
_ROUTE_KINDS = ("httpRoute", "http2Route", "grpcRoute", "tcpRoute")


def _api_durations(value):
    """The manifest's "5s" / "300ms" as the API's {unit, value}."""
    if isinstance(value, dict):
        return {key: _api_durations(item) for key, item in value.items()}
    if isinstance(value, str) and (match := _DURATION.match(value)):
        return {"unit": match.group(2), "value": int(match.group(1))}
    return value


def _member_shape(structure: str, member: str) -> str:
    return shapes("appmesh")[structure]["members"][member]["shape"]


def _problems(check, label, shape, value, loc):
    for pointer, message in validate("appmesh", shape, value):
        yield check.rule.finding(f"{label}: {message}", loc.child(*pointer.split("/")[1:]) if pointer else loc)


def _prefix(check, label, match, loc):
    prefix = match.get("prefix")
    if isinstance(prefix, str) and not prefix.startswith("/"):
        yield check.rule.finding(f"{label}: match.prefix {prefix!r} must start with /", loc.child("prefix"))


# The route kind's structure in the API; its members say which retry policy and timeout it takes.
_ROUTE_SHAPES = {"http": "HttpRoute", "http2": "HttpRoute", "grpc": "GrpcRoute", "tcp": "TcpRoute"}


def _route_member(check, label, route, key, value):
    members = shapes("appmesh")[_ROUTE_SHAPES[route.protocol]]["members"]
    if key not in members:
        yield check.rule.finding(f"{label}: a {route.protocol} route takes no {key}", route.loc.child(key))
        return
    yield from _problems(check, f"{key} of {label}", members[key]["shape"], _api_durations(value), route.loc.child(key))
_LISTENER_OBJECTS = (("health_check", "healthCheck", "HealthCheckPolicy"),
                     ("outlier_detection", "outlierDetection", "OutlierDetection"),
                     ("tls", "tls", "ListenerTls"), ("timeout", "timeout", "ListenerTimeout"),
                     ("connection_pool", "connectionPool", "VirtualNodeConnectionPool"))


def _manifest(check, mesh):
    name_shape = _member_shape("CreateMeshInput", "meshName")
    yield from _problems(check, f"mesh name `{mesh.name}`", name_shape, mesh.name, mesh.loc.child("name"))
    for node in mesh.nodes.values():
        if node.loc.document is not mesh.loc.document:
            continue  # from a spec file: checked whole below
        yield from _problems(check, f"node name `{node.name}`", name_shape, node.name, node.loc)
        for listener in node.listeners:
            label = f"listener {listener.port} of node `{node.name}`"
            yield from _problems(check, label, "PortNumber", listener.port, listener.loc.child("port"))
            for attribute, key, shape in _LISTENER_OBJECTS:
                value = getattr(listener, attribute)
                if value is not None:
                    yield from _problems(check, f"{key} of {label}", shape, _api_durations(value), listener.loc.child(key))
    for router in mesh.routers.values():
        if router.loc.document is mesh.loc.document:
            yield from _problems(check, f"router name `{router.name}`", name_shape, router.name, router.loc)
        for route in router.routes:
            if route.loc.document is not mesh.loc.document:
                continue
            label = route_label(router, route)
            yield from _problems(check, f"{label} name", name_shape, route.name, route.loc.child("name"))
            if route.priority is not None:
                yield from _problems(check, label, "RoutePriority", route.priority, route.loc.child("priority"))
            if route.retry_policy is not None:
                yield from _route_member(check, label, route, "retryPolicy", route.retry_policy)
            if route.timeout is not None:
                yield from _route_member(check, label, route, "timeout", route.timeout)
            yield from _prefix(check, label, route.match, route.loc.child("match"))
            if isinstance(route.match.get("method"), str):
                yield from _problems(check, label, "HttpMethod", route.match["method"], route.loc.child("match", "method"))
    for gateway in mesh.gateways.values():
        if gateway.loc.document is not mesh.loc.document:
            continue
        yield from _problems(check, f"gateway name `{gateway.name}`", name_shape, gateway.name, gateway.loc)
        for listener in gateway.listeners:
            label = f"listener {listener.port} of gateway `{gateway.name}`"
            yield from _problems(check, label, "VirtualGatewayPortProtocol", listener.protocol, listener.loc.child("protocol"))
            if listener.health_check is not None:
                yield from _problems(check, f"healthCheck of {label}", "VirtualGatewayHealthCheckPolicy",
                                     listener.health_check, listener.loc.child("healthCheck"))
        for route in gateway.routes:
            label = gateway_route_label(gateway, route)
            if route.priority is not None:
                yield from _problems(check, label, "GatewayRoutePriority", route.priority, route.loc.child("priority"))
            yield from _prefix(check, label, route.match, route.loc.child("match"))


def _spec_file(check, spec_file):
    label = f"{spec_file.kind} `{spec_file.name}`"
    yield from _problems(check, label, spec_file.shape, spec_file.spec, spec_file.loc)
    if spec_file.kind in ("route", "gatewayRoute"):
        kinds = [kind for kind in _ROUTE_KINDS if kind in spec_file.spec]
        if len(kinds) > 1:
            yield check.rule.finding(f"{label} has {len(kinds)} route kinds ({', '.join(kinds)}): give exactly one",
                                     spec_file.loc.child(kinds[1]))
        for kind in kinds:
            body = spec_file.spec[kind]
            if isinstance(body, dict) and isinstance(body.get("match"), dict):
                yield from _prefix(check, label, body["match"], spec_file.loc.child(kind, "match"))


@rule("M106", "error", "Value outside the App Mesh API model", scope="mesh")
def check(context: MeshContext):
    yield from _manifest(check, context.mesh)
    for spec_file in context.spec_files:
        yield from _spec_file(check, spec_file)

"""App Mesh API documents (``aws appmesh describe-*`` output, ``--cli-input-json`` and
``--spec`` files) read into the mesh model, so that the same rules check them.

A file may carry its resource's names (``virtualNodeName``, ``routeName`` ...) or only its
``spec``, the names being given on the command line; then the kind is told from the spec
(and the file name), and the name is the file's stem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .model import Discovery, Gateway, GatewayRoute, Listener, Loc, Mesh, Named, Node, Route, Router, Service, Target
from .source import Document

# kind: (name key, spec shape in the appmesh model)
KINDS: dict[str, tuple[str, str]] = {
    "virtualNode": ("virtualNodeName", "VirtualNodeSpec"),
    "virtualRouter": ("virtualRouterName", "VirtualRouterSpec"),
    "route": ("routeName", "RouteSpec"),
    "virtualService": ("virtualServiceName", "VirtualServiceSpec"),
    "virtualGateway": ("virtualGatewayName", "VirtualGatewaySpec"),
    "gatewayRoute": ("gatewayRouteName", "GatewayRouteSpec"),
}
ROUTE_KINDS = {"httpRoute": "http", "http2Route": "http2", "grpcRoute": "grpc", "tcpRoute": "tcp"}


@dataclass(slots=True)
class SpecFile:
    document: Document
    kind: str
    name: str
    parent: str | None  # the router of a route, the gateway of a gateway route
    spec: dict[str, Any]
    base: str  # the pointer of ``spec`` in the document

    @property
    def loc(self) -> Loc:
        return Loc(self.document, self.base)

    @property
    def shape(self) -> str:
        return KINDS[self.kind][1]


def _kind_from_spec(spec: dict[str, Any], stem: str) -> str | None:
    if "provider" in spec:
        return "virtualService"
    for route_kind in ROUTE_KINDS:
        if isinstance(spec.get(route_kind), dict):
            action = spec[route_kind].get("action") or {}
            return "gatewayRoute" if "target" in action else "route"
    if "listeners" in spec or "backends" in spec or "serviceDiscovery" in spec:
        if {"serviceDiscovery", "backends", "backendDefaults"} & set(spec):
            return "virtualNode"
        lowered = stem.lower()
        if "gateway" in lowered or lowered.endswith("-vg"):
            return "virtualGateway"
        if "router" in lowered or lowered.endswith("-vr"):
            return "virtualRouter"
        return "virtualNode"
    return None


def load_spec(document: Document) -> SpecFile | None:
    """The App Mesh resource a document describes, or None if it is not one."""
    data = document.data
    if not isinstance(data, dict):
        return None
    base = ""
    for kind in KINDS:  # describe-* output wraps the resource
        if isinstance(data.get(kind), dict) and "spec" in data[kind]:
            data, base = data[kind], f"/{kind}"
            break
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return None
    stem = Path(document.path).stem
    named = {kind for kind, (key, _) in KINDS.items() if isinstance(data.get(key), str)}
    # A route file names its router too, a gateway route its gateway: the most specific wins.
    kind = next((k for k in ("route", "gatewayRoute", "virtualNode", "virtualService", "virtualRouter",
                             "virtualGateway") if k in named), None)
    from_spec = _kind_from_spec(spec, stem)
    if kind is None or (kind in ("virtualRouter", "virtualGateway") and from_spec in ("route", "gatewayRoute")):
        kind = from_spec
    if kind is None:
        return None
    name = data.get(KINDS[kind][0]) or stem
    parent = data.get("virtualRouterName") if kind == "route" else data.get("virtualGatewayName") \
        if kind == "gatewayRoute" else None
    return SpecFile(document, kind, name, parent, spec, f"{base}/spec")


def _listeners(items: Any, loc: Loc) -> list[Listener]:
    listeners = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        mapping = item.get("portMapping") if isinstance(item, dict) else None
        if isinstance(mapping, dict) and isinstance(mapping.get("port"), int):
            listeners.append(Listener(
                port=mapping["port"], protocol=str(mapping.get("protocol")), loc=loc.child(index, "portMapping"),
                health_check=item.get("healthCheck"), outlier_detection=item.get("outlierDetection"),
                tls=item.get("tls"), timeout=item.get("timeout"), connection_pool=item.get("connectionPool")))
    return listeners


def _flat_headers(headers: Any) -> list[dict[str, Any]]:
    """API header matches ``{name, match: {exact}}`` in the manifest's flat form."""
    flat = []
    for header in headers if isinstance(headers, list) else []:
        if isinstance(header, dict):
            entry = {key: value for key, value in header.items() if key != "match"}
            entry.update(header.get("match") or {})
            flat.append(entry)
    return flat


def merge(mesh: Mesh, spec_file: SpecFile) -> None:
    """Add (or replace) the resource a spec file describes in the model."""
    mesh.changed()
    spec, loc, name = spec_file.spec, spec_file.loc, spec_file.name
    if spec_file.kind == "virtualNode":
        discovery = None
        found = spec.get("serviceDiscovery") or {}
        if isinstance(found.get("dns"), dict):
            discovery = Discovery("dns", loc.child("serviceDiscovery", "dns"), hostname=found["dns"].get("hostname"))
        elif isinstance(found.get("awsCloudMap"), dict):
            cloud_map = found["awsCloudMap"]
            discovery = Discovery("cloudMap", loc.child("serviceDiscovery", "awsCloudMap"),
                                  namespace=cloud_map.get("namespaceName"), service=cloud_map.get("serviceName"),
                                  attributes={a.get("key"): a.get("value") for a in cloud_map.get("attributes") or []
                                              if isinstance(a, dict)})
        backends = []
        for index, backend in enumerate(spec.get("backends") or []):
            service = (backend.get("virtualService") or {}) if isinstance(backend, dict) else {}
            if isinstance(service.get("virtualServiceName"), str):
                backends.append(Named(service["virtualServiceName"],
                                      loc.child("backends", index, "virtualService", "virtualServiceName")))
        previous = mesh.nodes.get(name)
        mesh.nodes[name] = Node(name=name, loc=loc, listeners=_listeners(spec.get("listeners"), loc.child("listeners")),
                                backends=backends, discovery=discovery, families=previous.families if previous else [],
                                arn=previous.arn if previous else mesh.arn_of("virtualNode", name))
    elif spec_file.kind == "virtualRouter":
        previous = mesh.routers.get(name)
        mesh.routers[name] = Router(name=name, loc=loc, listeners=_listeners(spec.get("listeners"), loc.child("listeners")),
                                    routes=previous.routes if previous else [])
    elif spec_file.kind == "route":
        route_kind = next((k for k in ROUTE_KINDS if isinstance(spec.get(k), dict)), None)
        if route_kind is None:
            return
        body = spec[route_kind]
        action = body.get("action") or {}
        targets_loc = loc.child(route_kind, "action", "weightedTargets")
        targets = [Target(node=str(t.get("virtualNode")), weight=t.get("weight"), port=t.get("port"),
                          loc=targets_loc.child(index))
                   for index, t in enumerate(action.get("weightedTargets") or []) if isinstance(t, dict)]
        match = dict(body.get("match") or {})
        if "headers" in match:
            match["headers"] = _flat_headers(match["headers"])
        route = Route(name=name, protocol=ROUTE_KINDS[route_kind], loc=loc, targets=targets,
                      priority=spec.get("priority"), match=match, retry_policy=body.get("retryPolicy"),
                      timeout=body.get("timeout"))
        router_name = spec_file.parent or f"(the router of {spec_file.document.path})"
        router = mesh.routers.setdefault(router_name, Router(name=router_name, loc=loc, detached=spec_file.parent is None))
        router.routes = [r for r in router.routes if r.name != name] + [route]
    elif spec_file.kind == "virtualService":
        provider = spec.get("provider") or {}
        router = (provider.get("virtualRouter") or {}).get("virtualRouterName")
        node = (provider.get("virtualNode") or {}).get("virtualNodeName")
        mesh.services[name] = Service(name=name, loc=loc, router=router, node=node)
    elif spec_file.kind == "virtualGateway":
        previous = mesh.gateways.get(name)
        mesh.gateways[name] = Gateway(name=name, loc=loc, listeners=_listeners(spec.get("listeners"), loc.child("listeners")),
                                      routes=previous.routes if previous else [], families=previous.families if previous else [],
                                      arn=previous.arn if previous else mesh.arn_of("virtualGateway", name))
    elif spec_file.kind == "gatewayRoute":
        route_kind = next((k for k in ROUTE_KINDS if isinstance(spec.get(k), dict)), None)
        if route_kind is None:
            return
        body = spec[route_kind]
        target = ((body.get("action") or {}).get("target") or {}).get("virtualService") or {}
        route = GatewayRoute(name=name, protocol=ROUTE_KINDS[route_kind], loc=loc,
                             service=str(target.get("virtualServiceName")), priority=spec.get("priority"),
                             match=dict(body.get("match") or {}))
        gateway_name = spec_file.parent or f"(the gateway of {spec_file.document.path})"
        gateway = mesh.gateways.setdefault(gateway_name, Gateway(name=gateway_name, loc=loc,
                                                                 arn=mesh.arn_of("virtualGateway", gateway_name)))
        gateway.routes = [r for r in gateway.routes if r.name != name] + [route]


# ---------------------------------------------------------------------------------------
# The model as App Mesh API specs: what the manifest stands for, resource by resource.

_DURATION_TEXT = re.compile(r"^(\d+)(ms|s)$")
KIND_OF_PROTOCOL = {protocol: kind for kind, protocol in ROUTE_KINDS.items()}


def api_value(value: Any) -> Any:
    """Manifest values in API form: durations written "5s" become {unit, value}."""
    if isinstance(value, dict):
        return {key: api_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [api_value(item) for item in value]
    if isinstance(value, str) and (match := _DURATION_TEXT.match(value)):
        return {"unit": match.group(2), "value": int(match.group(1))}
    return value


def _listener(listener: Listener, gateway: bool = False) -> dict[str, Any]:
    spec: dict[str, Any] = {"portMapping": {"port": listener.port, "protocol": listener.protocol}}
    extras = [("healthCheck", listener.health_check)] if gateway else [
        ("healthCheck", listener.health_check), ("outlierDetection", listener.outlier_detection), ("tls", listener.tls),
        ("timeout", listener.timeout), ("connectionPool", listener.connection_pool)]
    spec.update({key: api_value(value) for key, value in extras if value is not None})
    return spec


def _match(match: dict[str, Any]) -> dict[str, Any]:
    api: dict[str, Any] = {}
    for key, value in match.items():
        if key in ("headers", "metadata"):
            api[key] = [{"name": item["name"], **({"invert": item["invert"]} if "invert" in item else {}),
                         "match": {k: v for k, v in item.items() if k not in ("name", "invert")}} for item in value]
        else:
            api[key] = value
    return api


def _route_body(protocol: str, match: dict[str, Any], action: dict[str, Any], extras: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"action": action}
    if match and protocol != "tcp":
        body["match"] = _match(match)
    elif match.get("port") is not None:
        body["match"] = {"port": match["port"]}
    body.update({key: api_value(value) for key, value in extras.items() if value is not None})
    return body


def api_specs(mesh: Mesh) -> dict[tuple[str, ...], tuple[dict[str, Any], Loc]]:
    """(kind, name[, route name]) -> (the API spec the manifest stands for, where it is written)."""
    specs: dict[tuple[str, ...], tuple[dict[str, Any], Loc]] = {
        ("mesh", mesh.name): ({"egressFilter": {"type": mesh.egress_filter}}, mesh.loc)}
    for node in mesh.nodes.values():
        spec: dict[str, Any] = {}
        if node.listeners:
            spec["listeners"] = [_listener(listener) for listener in node.listeners]
        if node.backends:
            spec["backends"] = [{"virtualService": {"virtualServiceName": b.name}} for b in node.backends]
        if node.discovery is not None and node.discovery.kind == "dns":
            spec["serviceDiscovery"] = {"dns": {"hostname": node.discovery.hostname}}
        elif node.discovery is not None:
            cloud_map: dict[str, Any] = {"namespaceName": node.discovery.namespace, "serviceName": node.discovery.service}
            if node.discovery.attributes:
                cloud_map["attributes"] = [{"key": k, "value": v} for k, v in node.discovery.attributes.items()]
            spec["serviceDiscovery"] = {"awsCloudMap": cloud_map}
        specs[("virtualNode", node.name)] = (spec, node.loc)
    for router in mesh.routers.values():
        if router.detached:
            continue
        specs[("virtualRouter", router.name)] = ({"listeners": [_listener(item) for item in router.listeners]}, router.loc)
        for route in router.routes:
            targets = [{"virtualNode": t.node, "weight": t.weight, **({"port": t.port} if t.port is not None else {})}
                       for t in route.targets]
            body = _route_body(route.protocol, route.match, {"weightedTargets": targets},
                               {"retryPolicy": route.retry_policy, "timeout": route.timeout})
            spec = {KIND_OF_PROTOCOL[route.protocol]: body}
            if route.priority is not None:
                spec["priority"] = route.priority
            specs[("route", router.name, route.name)] = (spec, route.loc)
    for service in mesh.services.values():
        provider = {"virtualRouter": {"virtualRouterName": service.router}} if service.router else \
            {"virtualNode": {"virtualNodeName": service.node}}
        specs[("virtualService", service.name)] = ({"provider": provider}, service.loc)
    for gateway in mesh.gateways.values():
        specs[("virtualGateway", gateway.name)] = (
            {"listeners": [_listener(item, gateway=True) for item in gateway.listeners]}, gateway.loc)
        for route in gateway.routes:
            action = {"target": {"virtualService": {"virtualServiceName": route.service}}}
            spec = {KIND_OF_PROTOCOL[route.protocol]: _route_body(route.protocol, route.match, action, {})}
            if route.priority is not None:
                spec["priority"] = route.priority
            specs[("gatewayRoute", gateway.name, route.name)] = (spec, route.loc)
    return specs


def _pruned(value: Any) -> Any:
    """Drop empty members: the API returns some defaults ({} or []) nobody wrote."""
    if isinstance(value, dict):
        pruned = {key: _pruned(item) for key, item in value.items()}
        return {key: item for key, item in pruned.items() if item not in (None, {}, [])}
    if isinstance(value, list):
        return [_pruned(item) for item in value]
    return value


def first_difference(expected: Any, actual: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """(path, expected, actual) of the first place two API specs differ, or None."""
    expected, actual = _pruned(expected), _pruned(actual)
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key in sorted(set(expected) | set(actual)):
            found = first_difference(expected.get(key), actual.get(key), f"{path}/{key}")
            if found:
                return found
        return None
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        for index, (left, right) in enumerate(zip(expected, actual, strict=True)):
            found = first_difference(left, right, f"{path}/{index}")
            if found:
                return found
        return None
    return None if expected == actual else (path or "/", expected, actual)

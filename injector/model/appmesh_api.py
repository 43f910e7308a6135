"""The mesh model as App Mesh's API spells it: one spec per resource, as ``create-*``
would take it, for comparing with what an account holds (``lint --live``) and for M106."""

from __future__ import annotations

import re
from typing import Any

from meshify.injector.model.mesh import ROUTE_KINDS, Listener, Loc, Mesh

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
            action: dict[str, Any] = {"target": {"virtualService": {"virtualServiceName": route.service}}}
            if route.port is not None:
                action["target"]["port"] = route.port
            if route.rewrite is not None:
                action["rewrite"] = route.rewrite
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

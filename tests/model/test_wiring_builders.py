"""The values inject's fixes build (model/wiring.py: the Envoy container, the proxy
properties, AppPorts, APPMESH_RESOURCE_ARN) held to their first spelling, kept here, over
the shop's nodes and gateway with every Envoy setting, listener list and ARN form varied."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest
from golden_cases import SHOP
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.model import wiring
from meshify.injector.model.mesh import Gateway, Listener, Mesh, Node


def _app_ports(node: Node) -> str:
    return ",".join(str(port) for port in dict.fromkeys(listener.port for listener in node.listeners))


def _proxy_properties(mesh: Mesh, node: Node) -> list[dict[str, str]]:
    properties = [{"name": "IgnoredUID", "value": mesh.envoy.user}]
    if node.listeners:
        properties.append({"name": "ProxyIngressPort", "value": wiring.PROXY_INGRESS_PORT})
    properties.append({"name": "ProxyEgressPort", "value": wiring.PROXY_EGRESS_PORT})
    if node.listeners:
        properties.append({"name": "AppPorts", "value": _app_ports(node)})
    properties.append({"name": "EgressIgnoredIPs", "value": ",".join(wiring.egress_ignored_ips(mesh, ""))})
    if ports := wiring.egress_ignored_ports(mesh, ""):
        properties.append({"name": "EgressIgnoredPorts", "value": ",".join(ports)})
    return properties


def _resource_arn_value(mesh: Mesh, claimant: Node | Gateway) -> str:
    derived = claimant.arn == mesh.arn_of(claimant.kind, claimant.name)
    if derived and mesh.owner != mesh.account:
        return f"mesh/{mesh.name}@{mesh.owner}/{claimant.kind}/{claimant.name}"
    if wiring.arn_unknown(mesh, claimant) and mesh.name:
        return f"mesh/{mesh.name}/{claimant.kind}/{claimant.name}"
    return claimant.arn


def _container(mesh: Mesh, claimant: Node | Gateway, taskdef: dict[str, Any]) -> dict[str, Any]:
    definition: dict[str, Any] = {"name": mesh.envoy.container_name, "image": mesh.envoy.image, "essential": True}
    if not wiring.is_gateway(claimant):
        definition["user"] = mesh.envoy.user
    if mappings := wiring.port_mappings(claimant):
        definition["portMappings"] = mappings
    environment = [{"name": "APPMESH_RESOURCE_ARN", "value": _resource_arn_value(mesh, claimant)}]
    if mesh.envoy.log_level:
        environment.append({"name": "ENVOY_LOG_LEVEL", "value": mesh.envoy.log_level})
    if mesh.envoy.xray:
        environment.append({"name": "ENABLE_ENVOY_XRAY_TRACING", "value": "1"})
    definition["environment"] = environment
    if limits := wiring.ulimits(mesh):
        definition["ulimits"] = limits
    reservation = mesh.envoy.memory_reservation
    if "memory" not in taskdef:
        reservation = reservation or wiring.MINIMUM_MEMORY_RESERVATION
        if "FARGATE" not in (taskdef.get("requiresCompatibilities") or []):
            definition["memory"] = max(wiring.MINIMUM_HARD_MEMORY, 2 * reservation)
    if reservation is not None:
        definition["memoryReservation"] = reservation
    definition["healthCheck"] = dict(wiring.HEALTH_CHECK)
    return definition


def _meshes() -> list[Mesh]:
    shop = load_manifest(str(SHOP / "meshify.yaml"))
    found = []
    for ips, ports, (region, account, owner), extras in itertools.product(
            [["169.254.170.2", "169.254.169.254"], [], ["10.0.0.1", "169.254.170.2", "10.0.0.1"]],
            [[], [22], [22, 443, 22]],
            [("eu-west-1", "111122223333", "111122223333"), ("eu-west-1", "111122223333", "444455556666"),
             ("", "", ""), ("us-gov-west-1", "111122223333", "111122223333"), ("", "111122223333", "")],
            [{}, {"log_level": "debug", "xray": True, "nofile": 15000, "memory_reservation": 128}]):
        mesh = copy.copy(shop)  # what the builders read is replaced, not edited: the shop's stays as loaded
        mesh.envoy = copy.copy(shop.envoy)
        mesh.envoy.egress_ignored_ips, mesh.envoy.egress_ignored_ports = ips, ports
        mesh.region, mesh.account, mesh.owner = region, account, owner
        for name, value in extras.items():
            setattr(mesh.envoy, name, value)
        found.append(mesh)
    return found


MESHES = _meshes()
TASKDEFS = [{"memory": "512"}, {}, {"requiresCompatibilities": ["FARGATE"]}, {"requiresCompatibilities": ["EC2"]}]


def _claimants(mesh: Mesh) -> list[Node | Gateway]:
    found: list[Node | Gateway] = [*mesh.nodes.values(), *mesh.gateways.values()]
    listener = next(node.listeners[0] for node in mesh.nodes.values() if node.listeners)
    for ports in ([], [8080], [8080, 9090], [9090, 8080, 9090]):
        node = copy.copy(next(iter(mesh.nodes.values())))
        node.listeners = [Listener(port, "http", listener.loc) for port in ports]
        found.append(node)
    for claimant in found[:2]:
        other = copy.copy(claimant)
        other.arn = "arn:aws:appmesh:eu-west-1:999988887777:mesh/other/virtualNode/given"  # given, not derived
        found.append(other)
    return found


def test_the_shop_has_nodes_and_a_gateway():
    assert MESHES[0].nodes and MESHES[0].gateways


@pytest.mark.parametrize("index", range(len(MESHES)))
def test_the_builders_give_what_they_gave(index):
    mesh = MESHES[index]
    for claimant in _claimants(mesh):
        assert wiring.resource_arn_value(mesh, claimant) == _resource_arn_value(mesh, claimant)
        assert wiring.app_ports(claimant) == _app_ports(claimant)
        assert wiring.proxy_properties(mesh, claimant) == _proxy_properties(mesh, claimant)
        for taskdef in TASKDEFS:
            assert wiring.container(mesh, claimant, taskdef) == _container(mesh, claimant, taskdef)

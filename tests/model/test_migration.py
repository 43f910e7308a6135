"""The Service Connect plan's conversions: durations, names, health checks, canaries."""

from __future__ import annotations

import pytest
from meshify.injector.model.migration import health_check_command, millis, port_name, seconds_up


@pytest.mark.parametrize(("duration", "expected"), [
    ("5s", 5000), ("300ms", 300), ({"unit": "s", "value": 2}, 2000), ({"unit": "ms", "value": 1500}, 1500),
    ("5m", None), (None, None)])
def test_durations_in_milliseconds(duration, expected):
    assert millis(duration) == expected


@pytest.mark.parametrize(("milliseconds", "seconds"), [(1, 1), (1000, 1), (1001, 2), (2500, 3), (0, 0)])
def test_seconds_round_up(milliseconds, seconds):
    assert seconds_up(milliseconds) == seconds


@pytest.mark.parametrize(("text", "name"), [
    ("http-8080", "http-8080"), ("Products.Shop.Local", "products-shop-local"), ("-x-", "x"), ("***", "service"),
    ("a" * 70, "a" * 64)])
def test_port_names_are_valid_service_connect_names(text, name):
    assert port_name(text) == name


def test_a_tcp_health_check_probes_the_port_and_limits_are_ecs_ranges():
    assert health_check_command({"protocol": "tcp", "intervalMillis": 300000, "timeoutMillis": 60000,
                                 "unhealthyThreshold": 10}, 9000) == {
        "command": ["CMD-SHELL", "bash -c '</dev/tcp/localhost/9000' || exit 1"],
        "interval": 300, "timeout": 60, "retries": 10}
    assert health_check_command({"protocol": "http", "port": 8081}, 8080) == {
        "command": ["CMD-SHELL", "curl -fs http://localhost:8081/ || exit 1"]}


def _canary(weights: dict[str, int]):
    from meshify.injector.documents.document import Document
    from meshify.injector.inputs.manifest import build
    from meshify.injector.model.migration import plan

    nodes = "".join(f"  {name}:\n    listeners: [{{port: 80, protocol: http}}]\n    discovery: {{cloudMap: {{service: api}}}}\n"
                    for name in weights)
    targets = "".join(f"          - {{node: {name}, weight: {weight}}}\n" for name, weight in weights.items())
    text = ("version: 1\nmesh: {name: m, region: eu-west-1, account: '111122223333'}\ncloudMap: {namespace: m.local}\n"
            f"nodes:\n{nodes}routers:\n  r:\n    listeners: [{{port: 80, protocol: http}}]\n    routes:\n"
            f"      - name: split\n        protocol: http\n        targets:\n{targets}"
            "services:\n  api.m.local: {router: r}\n")
    current = plan(build(Document.load("meshify.yaml", text)))
    assert len(current.services) == 1
    return current.services[0].canaries[0], current.service_configuration(current.services[0])


def test_canary_shares_come_from_relative_weights_and_the_largest_is_the_primary():
    canary, configuration = _canary({"v1": 1, "v2": 3})
    assert canary.shares == [("v2", 75.0), ("v1", 25.0)]
    assert configuration["deploymentConfiguration"] == {
        "strategy": "CANARY", "canaryConfiguration": {"canaryPercent": 25.0, "canaryBakeTimeInMinutes": 10}}
    assert canary.describe() == "deploymentConfiguration.strategy CANARY (canaryPercent 25) or LINEAR (stepPercent 25)"


def test_a_version_without_traffic_suggests_no_strategy():
    canary, configuration = _canary({"v1": 100, "v2": 0})
    assert "deploymentConfiguration" not in configuration
    assert canary.describe() == "no traffic split (the route gives the other versions no traffic)"


def test_a_small_canary_offers_no_linear_step():
    canary, _ = _canary({"v1": 99, "v2": 1})
    assert canary.describe() == "deploymentConfiguration.strategy CANARY (canaryPercent 1)"


def test_a_listener_without_a_protocol_gets_a_port_name_of_its_number_alone():
    """An App Mesh spec may leave a listener's protocol out (M106 says so; ComposeX's
    negative-testing files do): its Service Connect port is named ``port-80``, not after
    Python's None, and has no appProtocol."""
    from meshify.injector.documents.document import Document
    from meshify.injector.inputs.manifest import build
    from meshify.injector.model.migration import plan

    text = ("version: 1\nmesh: {name: m, region: eu-west-1, account: '111122223333'}\ncloudMap: {namespace: m.local}\n"
            "nodes:\n  a:\n    listeners: [{port: 80, protocol: http}, {port: 81, protocol: tcp}]\n"
            "    discovery: {cloudMap: {service: a}}\n")
    mesh = build(Document.load("meshify.yaml", text))
    mesh.nodes["a"].listeners[0].protocol = None  # as the spec reader builds a listener without one
    ports = plan(mesh).services[0].ports
    assert [(port.port_name, port.app_protocol) for port in ports] == [("port-80", None), ("tcp-81", None)]

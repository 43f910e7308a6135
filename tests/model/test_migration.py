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

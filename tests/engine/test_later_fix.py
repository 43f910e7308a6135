"""A fix's value given as ``engine.Later`` (T201's Envoy container, T204's proxy
configuration) is built only when the fix is applied: ``meshify lint`` reports the finding
without building it, ``meshify inject`` writes the same value as before."""

from __future__ import annotations

import json

from conftest import run_meshify
from meshify.injector.model import wiring

MANIFEST = """version: 1
mesh: {name: shop, region: eu-west-1, account: "111122223333"}
nodes:
  orders:
    family: orders
    listeners: [{port: 8080, protocol: http}]
"""
TASKDEF = {"family": "orders", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
           "cpu": "256", "memory": "512",
           "containerDefinitions": [{"name": "app", "image": "my/app:1.0", "essential": True,
                                     "portMappings": [{"containerPort": 8080}]}]}


def _files(tmp_path):
    (tmp_path / "meshify.yaml").write_text(MANIFEST)
    (tmp_path / "orders.json").write_text(json.dumps(TASKDEF, indent=2) + "\n")


def test_lint_reports_t201_and_t204_without_building_their_values(tmp_path, monkeypatch):
    _files(tmp_path)

    def refused(*arguments):
        raise AssertionError("lint built a fix's value")

    monkeypatch.setattr(wiring, "container", refused)
    monkeypatch.setattr(wiring, "proxy_properties", refused)
    result = run_meshify("lint", "--format", "json", "orders.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    found = sorted((item["rule"], item["line"], item["column"]) for item in json.loads(result.stdout))
    assert found == [("T201", 9, 3), ("T204", 2, 3)]


def test_inject_writes_the_values_built_later(tmp_path):
    _files(tmp_path)
    result = run_meshify("inject", "--patch", "orders.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    patch = json.loads(result.stdout)
    operations = patch if isinstance(patch, list) else next(iter(patch.values()))
    envoy = next(op["value"] for op in operations if op["path"] == "/containerDefinitions/-")
    proxy = next(op["value"] for op in operations if op["path"] == "/proxyConfiguration")
    assert envoy["name"] == "envoy" and "aws-appmesh-envoy" in envoy["image"]
    assert proxy["type"] == "APPMESH" and proxy["containerName"] == "envoy"
    assert {"name": "ProxyIngressPort", "value": "15000"} in proxy["properties"]

"""What each node becomes on ECS Service Connect: versions of one service are one ECS
service, a virtual service is the client alias of the service that provides it."""

from __future__ import annotations

from pathlib import Path

from golden_cases import SHOP
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.model.service_connect_plan import Alias, plan

AB_SPLIT = """\
version: 1
mesh: {name: ab, region: eu-west-1, account: "111122223333"}
cloudMap: {namespace: ab.local}
nodes:
  blue: {listeners: [{port: 80, protocol: http}], discovery: {cloudMap: {service: blue}}}
  green: {listeners: [{port: 80, protocol: http}], discovery: {cloudMap: {service: green}}}
  caller: {backends: [colour.ab.local, ghost.ab.local]}
routers:
  colour-router:
    listeners: [{port: 80, protocol: http}]
    routes:
      - name: split
        protocol: http
        match: {prefix: /}
        targets: [{node: blue, weight: 50}, {node: green, weight: 50}]
services:
  colour.ab.local: {router: colour-router}
  ghost.ab.local: {node: nobody}
"""


def test_versions_of_one_service_become_one_ecs_service() -> None:
    connect = plan(load_manifest(str(SHOP / "meshify.yaml")))
    assert connect.namespace == "shop.local"
    assert [(s.name, [n.name for n in s.nodes]) for s in connect.services] == [
        ("prices", ["prices-v1"]), ("products", ["products-v1", "products-v2"])]
    products = connect.services[1]
    assert products.aliases == [Alias("products.shop.local", 8080)]
    assert products.weights == {"products-v1": 90.0, "products-v2": 10.0}
    assert products.families == ["products-api", "products-api-canary"]
    assert products.calls == ["prices.shop.local"]
    assert connect.services[0].aliases == [Alias("prices.shop.local", 9090)]
    assert connect.unserved == {}


def test_a_split_between_different_services_serves_no_alias(tmp_path: Path) -> None:
    (tmp_path / "meshify.yaml").write_text(AB_SPLIT)
    connect = plan(load_manifest(str(tmp_path / "meshify.yaml")), namespace="parallel.local")
    assert connect.namespace == "parallel.local"
    assert [s.name for s in connect.services] == ["blue", "caller", "green"]
    assert all(not s.aliases for s in connect.services)
    assert connect.unserved == {
        "colour.ab.local": "its router splits traffic between different services (no Service Connect equivalent)",
        "ghost.ab.local": "its node nobody is not in the mesh"}
    assert connect.serving("colour.ab.local") is None

"""ComposeX compose files (``x-appmesh``): read as the mesh, checked by the mesh rules with
positions in the compose file, never injected."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import run_meshify
from golden_cases import CORPUS, FIXTURES
from meshify.injector.inputs.reader import read_input

APPMESH = CORPUS / "ecs_composex" / "use-cases" / "appmesh"
BOOKSHOP = FIXTURES / "composex" / "bookshop.yml"
NEEDS_CORPUS = pytest.mark.skipif(not APPMESH.is_dir(), reason=f"the ComposeX corpus is not at {APPMESH}")

# file -> (nodes, routers, routes, services) that its x-appmesh declares
CORPUS_FILES = {
    "new_mesh.yml": (3, 2, 2, 2),
    "allow_all.yml": (3, 2, 2, 2),
    "shared_mesh.yml": (3, 1, 2, 2),
    "negative-testing/missing_node_settings.yml": (3, 1, 2, 2),
    "negative-testing/router_route.yml": (3, 1, 3, 2),
    "negative-testing/router_route_02.yml": (3, 1, 3, 2),
    "negative-testing/router_service.yml": (3, 1, 3, 2),
}

M104_DATETELLER = ("M104 error: virtual service `dateteller` is a backend but nothing resolves its name (its provider "
                   "is router `{}`, which has no DNS name): add it to cloudMap.placeholders")
MIXED = "M101 error: route `tcp-0` of router `dateteller` is a tcp route on the http listener 5000: make it a http route"
# What lint says of each corpus file with no manifest: the x-appmesh is the mesh.
EXPECTED = {
    # The positive BDD fixture: clean. (Its nodes `youtoo` and `bignicefamily` are families of
    # the blog overlay it extends, which is not copied: they have no compose service here.)
    "new_mesh.yml": [],
    # Nodes without Port and no compose services to take ports from: no listener, so the
    # routes and the service that point at them go nowhere. `Scheme: Http` is not the API's `http`.
    "allow_all.yml": [
        "allow_all.yml:28:17: M106 error: route `http-0`: 'Http' is not one of http, https",
        "allow_all.yml:30:19: M107 error: route `http-0` of router `dateteller` targets node `youtoo`, which has no listener",
        "allow_all.yml:39:19: M107 error: route `tcp-0` of router `datetellertcp` targets node `app03`, which has no "
        "listener",
        "allow_all.yml:43:9: M107 error: virtual service `api` is provided by node `bignicefamily`, which has no listener",
        "allow_all.yml:44:9: " + M104_DATETELLER.format("dateteller"),
    ],
    # No x-cloudmap on the router's service: no Cloud Map name for clients to resolve.
    "shared_mesh.yml": ["shared_mesh.yml:117:9: " + M104_DATETELLER.format("dateteller")],
    "negative-testing/missing_node_settings.yml": [
        "negative-testing/missing_node_settings.yml:91:9: M106 error: virtualNode `app01`: missing required key 'protocol'",
        "negative-testing/missing_node_settings.yml:114:9: " + M104_DATETELLER.format("dateteller"),
    ],
    "negative-testing/router_route.yml": [
        f"negative-testing/router_route.yml:112:11: {MIXED}",
        "negative-testing/router_route.yml:119:9: " + M104_DATETELLER.format("dateteller"),
    ],
    # Its `method: WRONGONE` sits under a route target, where ComposeX read nothing: ignored.
    "negative-testing/router_route_02.yml": [
        f"negative-testing/router_route_02.yml:113:11: {MIXED}",
        "negative-testing/router_route_02.yml:120:9: " + M104_DATETELLER.format("dateteller"),
    ],
    "negative-testing/router_service.yml": [
        f"negative-testing/router_service.yml:112:11: {MIXED}",
        "negative-testing/router_service.yml:119:9: " + M104_DATETELLER.format("missingrouter"),
        "negative-testing/router_service.yml:120:9: M105 error: virtual service `dateteller` is provided by router "
        "`missingrouter`, which does not exist",
    ],
}


@NEEDS_CORPUS
@pytest.mark.parametrize("name", sorted(CORPUS_FILES))
def test_every_corpus_compose_file_is_read_as_a_mesh(name: str) -> None:
    found = read_input(str(APPMESH / name))
    kinds = [spec.kind for spec in found.spec_files]
    assert found.compose is not None and not found.task_definitions
    assert tuple(kinds.count(k) for k in ("virtualNode", "virtualRouter", "route", "virtualService")) == CORPUS_FILES[name]


@NEEDS_CORPUS
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_findings_without_a_manifest(name: str) -> None:
    result = run_meshify("lint", name, cwd=APPMESH)
    assert (result.stdout.splitlines(), result.stderr) == (EXPECTED[name], "")
    assert result.returncode == (1 if any(" error: " in line for line in EXPECTED[name]) else 0)


@NEEDS_CORPUS
def test_a_batch_of_compose_files_is_one_mesh_each() -> None:
    """A pre-commit hook passes them together; each file's names are its own mesh's."""
    result = run_meshify("lint", *sorted(EXPECTED), cwd=APPMESH)
    assert sorted(result.stdout.splitlines()) == sorted(line for lines in EXPECTED.values() for line in lines)


@NEEDS_CORPUS
def test_new_mesh_model() -> None:
    from meshify.injector.inputs.composex import mesh_from_compose

    found = read_input(str(APPMESH / "new_mesh.yml"))
    assert found.compose is not None
    mesh = mesh_from_compose([found.compose], found.spec_files)
    assert mesh.name == "new_mesh"  # no Properties.MeshName: the file's stem
    app03 = mesh.nodes["app03"]
    assert [(listener.port, listener.protocol) for listener in app03.listeners] == [(5000, "tcp")]
    assert app03.discovery is not None and app03.discovery.dns_name == "app03.test.lan"
    assert [family.name for family in app03.families] == ["app03"]
    assert mesh.nodes["youtoo"].families == [] and mesh.nodes["youtoo"].discovery is None
    assert [backend.name for backend in mesh.nodes["bignicefamily"].backends] == ["dateteller"]
    routes = {router.name: [(route.protocol, route.match, [(t.node, t.weight) for t in route.targets])
                            for route in router.routes] for router in mesh.routers.values()}
    assert routes == {"dateteller": [("http", {"prefix": "/date", "method": "GET", "scheme": "http"}, [("youtoo", 1)])],
                      "datetellertcp": [("tcp", {}, [("app03", 1)])]}
    assert [(s.name, s.router, s.node) for s in mesh.services.values()] == [("api", None, "bignicefamily"),
                                                                           ("dateteller", "dateteller", None)]
    assert [p.name for p in mesh.cloud_map.placeholders] == ["api", "dateteller"]
    assert mesh.cloud_map.namespace == "test.lan"


@NEEDS_CORPUS
def test_shared_mesh_names_the_mesh_and_takes_ports_from_the_compose_services() -> None:
    from meshify.injector.inputs.composex import mesh_from_compose

    found = read_input(str(APPMESH / "shared_mesh.yml"))
    assert found.compose is not None
    mesh = mesh_from_compose([found.compose], found.spec_files)
    assert mesh.name == "test-shared-mesh"
    # app01's family is two compose services (rproxy is labelled ecs.task.family: app01); with
    # no Port, ComposeX listened on the first port the family publishes: rproxy's 80.
    assert [service.name for service in found.compose.claims["app01"]] == ["rproxy", "app01"]
    assert [(listener.port, listener.protocol) for listener in mesh.nodes["app01"].listeners] == [(80, "http")]


def test_bookshop_lints_clean_but_the_entry_node(tmp_path: Path) -> None:
    result = run_meshify("lint", str(BOOKSHOP))
    assert result.stdout.splitlines() == [
        f"{BOOKSHOP}:48:9: M113 info: node `storefront` has listeners but no virtual service or route reaches it"]
    assert result.returncode == 0


def test_bookshop_claims_and_listeners() -> None:
    from meshify.injector.inputs.composex import mesh_from_compose

    found = read_input(str(BOOKSHOP))
    assert found.compose is not None
    mesh = mesh_from_compose([found.compose], found.spec_files)
    assert {node: [s.name for s in services] for node, services in found.compose.claims.items()} == {
        "storefront": ["storefront"], "catalog": ["catalog"], "catalog-next": ["catalog-canary", "catalog-cache"]}
    next_node = mesh.nodes["catalog-next"]
    assert [(listener.port, listener.protocol) for listener in next_node.listeners] == [(9000, "http")]
    assert next_node.discovery is not None and next_node.discovery.dns_name == "catalog-next.bookshop.internal"
    assert mesh.claims_of("catalog-next") == [next_node]


def test_a_route_weight_finding_points_at_its_weight_line(tmp_path: Path) -> None:
    compose = tmp_path / "bookshop.yml"
    compose.write_text(BOOKSHOP.read_text().replace("Weight: 10", "Weight: 300"))
    result = run_meshify("lint", "bookshop.yml", "--select", "M102", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "bookshop.yml:71:19: M102 error: route `http-0` of router `catalog`: weight 300 of `catalog-next` is outside "
        "0-100"]
    assert result.returncode == 1


def test_lower_case_keys_and_a_dangling_target(tmp_path: Path) -> None:
    compose = tmp_path / "compose.yml"
    compose.write_text(
        "x-appmesh:\n"
        "  settings:\n"
        "    nodes:\n"
        "      - name: a\n"
        "        protocol: http\n"
        "        port: 80\n"
        "    routers:\n"
        "      - name: r\n"
        "        listener: {port: 80, protocol: http}\n"
        "        routes:\n"
        "          http:\n"
        "            - match: {prefix: /}\n"
        "              nodes:\n"
        "                - name: a\n"
        "                  weight: 1\n"
        "                - name: gone\n"
        "                  weight: 1\n"
        "    services:\n"
        "      - name: s\n"
        "        router: r\n")
    result = run_meshify("lint", "compose.yml", "--select", "M105,M102", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "compose.yml:15:19: M102 warning: route `http-0` of router `r`: the weights add up to 2, not 100; they are "
        "relative, so the traffic splits a 50%, gone 50%",
        "compose.yml:16:19: M105 error: route `http-0` of router `r` targets node `gone`, which does not exist"]


def test_a_suppression_comment_in_the_compose_file(tmp_path: Path) -> None:
    compose = tmp_path / "bookshop.yml"
    compose.write_text(BOOKSHOP.read_text().replace(
        "      - Name: storefront\n",
        "      - Name: storefront  # meshify: ignore[M113] reached by the load balancer, not the mesh\n"))
    result = run_meshify("lint", "bookshop.yml", cwd=tmp_path)
    assert (result.stdout, result.returncode) == ("", 0)


@pytest.mark.parametrize("mode", [[], ["--in-place"], ["--patch"]])
def test_inject_refuses_a_compose_file_and_leaves_it(tmp_path: Path, mode: list[str]) -> None:
    compose = tmp_path / "bookshop.yml"
    shutil.copy(BOOKSHOP, compose)
    result = run_meshify("inject", "bookshop.yml", *mode, cwd=tmp_path)  # no manifest either
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "bookshop.yml:43:1: a ComposeX compose file: ComposeX adds the Envoy sidecar to these services "
        "itself when it deploys; nothing to inject (meshify lint checks its x-appmesh)"]
    assert compose.read_bytes() == BOOKSHOP.read_bytes()


def test_no_manifest_and_no_compose_file_is_still_the_manifest_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    shutil.copy(FIXTURES / "shop" / "taskdefs" / "products-api.json", tmp_path / "td.json")
    result = run_meshify("lint", "td.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "no meshify.yaml here or in a parent directory" in result.stderr


def test_http2_routes_and_a_published_port(tmp_path: Path) -> None:
    """ComposeX's ``Http2`` routes; a node without Port listens on the port its service
    publishes (``"8080:5000"``: 8080), with the node's Protocol."""
    compose = tmp_path / "compose.yml"
    compose.write_text(
        "services:\n"
        "  api:\n"
        "    ports: ['8080:5000']\n"
        "x-appmesh:\n"
        "  Settings:\n"
        "    Nodes:\n"
        "      - Name: api\n"
        "        Protocol: Http2\n"
        "    Routers:\n"
        "      - Name: api\n"
        "        Listener: {Port: 8080, Protocol: Http2}\n"
        "        Routes:\n"
        "          Http2:\n"
        "            - Match: {Prefix: /}\n"
        "              Nodes: [{Name: api, Weight: '1'}]\n"
        "    Services:\n"
        "      - Name: api\n"
        "        Router: api\n")
    from meshify.injector.inputs.composex import mesh_from_compose

    found = read_input(str(compose))
    assert found.compose is not None
    mesh = mesh_from_compose([found.compose], found.spec_files)
    assert [(listener.port, listener.protocol) for listener in mesh.nodes["api"].listeners] == [(8080, "http2")]
    assert [(route.protocol, [(t.node, t.weight) for t in route.targets]) for route in mesh.routers["api"].routes] == [
        ("http2", [("api", 1)])]
    assert run_meshify("lint", "compose.yml", cwd=tmp_path).stdout == ""


@pytest.mark.parametrize(("text", "error"), [
    ("x-appmesh: [Nodes]\n", "compose.yml:1:1: x-appmesh must be a mapping (Properties, Settings)"),
    ("x-appmesh:\n  Settings:\n    Nodes:\n      - Protocol: Http\n        Port: 80\n",
     "compose.yml:4:9: x-appmesh node without a Name (a string)"),
    ("x-appmesh:\n  Settings:\n    Routers:\n      - Name: r\n        Listener: {Port: 80, Protocol: Http}\n"
     "        Routes:\n          Http:\n            - Match: {Prefix: /}\n              Nodes:\n"
     "                - Weight: 1\n", "compose.yml:10:19: x-appmesh route target without a Name (a string)"),
])
def test_a_compose_file_meshify_cannot_read_is_one_line_and_exit_2(tmp_path: Path, text: str, error: str) -> None:
    (tmp_path / "compose.yml").write_text(text)
    result = run_meshify("lint", "compose.yml", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr.splitlines()) == (2, "", [error])


def test_a_target_without_weight_weighs_1_as_in_composex(tmp_path: Path) -> None:
    compose = tmp_path / "bookshop.yml"
    compose.write_text(BOOKSHOP.read_text().replace("                  Weight: 90\n", ""))
    result = run_meshify("lint", "bookshop.yml", "--select", "M102,M106", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "bookshop.yml:68:19: M102 warning: route `http-0` of router `catalog`: the weights add up to 11, not 100; they "
        "are relative, so the traffic splits catalog 9.1%, catalog-next 90.9%"]


def test_positions_of_node_router_and_backend_findings(tmp_path: Path) -> None:
    """Each finding at the compose key it is about, the value as the user wrote it."""
    (tmp_path / "compose.yml").write_text(
        "x-appmesh:\n"
        "  Settings:\n"
        "    Nodes:\n"
        "      - Name: a\n"
        "        Protocol: Https\n"
        "        Port: 80\n"
        "        Backends:\n"
        "          - nowhere\n"
        "    Routers:\n"
        "      - Name: r\n"
        "        Listener:\n"
        "          Port: 80\n"
        "          Protocol: Udp\n"
        "    Services:\n"
        "      - Name: s\n"
        "        Node: a\n")
    result = run_meshify("lint", "compose.yml", cwd=tmp_path)
    assert result.stdout.splitlines() == [
        "compose.yml:5:9: M106 error: virtualNode `a`: 'Https' is not one of http, tcp, http2, grpc",
        "compose.yml:8:13: M103 error: backend `nowhere` of node `a` is no virtual service of the mesh (services: s)",
        "compose.yml:10:9: M109 warning: router `r` has no routes: it drops every request",
        "compose.yml:13:11: M106 error: virtualRouter `r`: 'Udp' is not one of http, tcp, http2, grpc"]

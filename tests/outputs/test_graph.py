"""``meshify graph``: golden pictures of the shop example and the corpus meshes in both
formats, the lint overlay, the Service Connect picture, stable output, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_meshify
from golden_cases import CORPUS, SHOP
from graph_cases import CASES, EXTENSIONS, golden_graph
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.outputs.graph import after_graph, before_graph, match_text


@pytest.mark.parametrize("fmt", list(EXTENSIONS))
@pytest.mark.parametrize("name", list(CASES))
def test_golden_graph(name: str, fmt: str) -> None:
    cwd, args = CASES[name]
    if not cwd.exists():
        pytest.skip(f"the shared corpus is absent ({cwd}); it lives beside the checkout in ../shared")
    result = run_meshify(*args, "--format", fmt, cwd=cwd)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == golden_graph(name, fmt).read_text()


def test_mermaid_is_the_default_format() -> None:
    assert run_meshify("graph", cwd=SHOP).stdout == golden_graph("shop", "mermaid").read_text()


def test_shop_picture_shows_routes_weights_backends_and_tasks() -> None:
    picture = run_meshify("graph", cwd=SHOP).stdout
    assert '  vr_products_router -->|"default [prefix /]: 90%"| vn_products_v1\n' in picture
    assert '  vr_products_router -->|"default [prefix /]: 10%"| vn_products_v2\n' in picture
    assert '  vr_products_router -->|"beta-users [prefix /, header x-beta-user = true]: 100%"| vn_products_v2\n' in picture
    assert '  gw_shop_gateway -->|"products [prefix /v1/products]"| vs_products_shop_local\n' in picture
    assert '  vn_products_v1 -.->|"backend"| vs_prices_shop_local\n' in picture
    assert '  vn_products_v2["virtual node products-v2<br/>listener 8080 http<br/>task definition products-api-canary"]\n' \
        in picture


def test_the_order_of_inputs_does_not_change_the_picture() -> None:
    if not CORPUS.exists():
        pytest.skip("the shared corpus is absent")
    _, args = CASES["corpus-ingress-gateway"]
    forwards = run_meshify(*args, "--format", "dot", cwd=CORPUS).stdout
    backwards = run_meshify(args[0], *reversed(args[1:]), "--format", "dot", cwd=CORPUS).stdout
    assert forwards == backwards


def _break_shop(shop: Path) -> None:
    manifest = shop / "meshify.yaml"
    text = manifest.read_text().replace("weight: 90\n", "weight: 110\n")
    manifest.write_text(text.replace("    backends:\n      - prices.shop.local\n    discovery:\n      cloudMap:\n"
                                     "        service: products\n        attributes:\n          version: v1",
                                     "    backends:\n      - pricez.shop.local\n    discovery:\n      cloudMap:\n"
                                     "        service: products\n        attributes:\n          version: v1"))


def test_lint_overlay_marks_the_elements_with_findings(shop: Path) -> None:
    _break_shop(shop)
    lint = run_meshify("lint", "meshify.yaml", "taskdefs/prices-api.json", cwd=shop).stdout
    assert "meshify.yaml:86:13: M102 error" in lint and "meshify.yaml:33:9: M103 error" in lint
    assert "taskdefs/prices-api.json:9:3: T201 error" in lint
    result = run_meshify("graph", "--lint", "taskdefs/prices-api.json", cwd=shop)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    # the weight out of range (the weights add up to 120): its edge, red
    assert '  vr_products_router -->|"default [prefix /]: 91.7% (110/120) ✖ M102"| vn_products_v1' in lines
    assert '  vr_products_router -->|"default [prefix /]: 8.3% (10/120)"| vn_products_v2' in lines
    # the dangling backend: a dashed box for the name no service has, a red edge to it
    assert '  vs_pricez_shop_local(["virtual service pricez.shop.local<br/>(not in the inputs)"])' in lines
    assert '  vn_products_v1 -.->|"backend ✖ M103"| vs_pricez_shop_local' in lines
    assert '  vn_products_v2 -.->|"backend"| vs_prices_shop_local' in lines  # unmarked: nothing wrong
    # findings in a task definition mark the node that claims its family
    assert '  vn_prices_v1["virtual node prices-v1<br/>listener 9090 http<br/>task definition prices-api<br/>✖ T201 ✖ T204"]' \
        in lines
    assert "  class vn_prices_v1 error" in lines
    marked = [line for line in lines if line.startswith("  linkStyle ")]
    edges = [line for line in lines if " -->" in line or " -.->" in line]
    assert [edges[int(line.split()[1])] for line in marked] == [e for e in edges if "✖" in e]
    assert all(line.endswith(" stroke:#d32f2f,stroke-width:3px") for line in marked)


def test_lint_overlay_in_dot(shop: Path) -> None:
    _break_shop(shop)
    picture = run_meshify("graph", "--lint", "--format", "dot", cwd=shop).stdout
    assert ('  vr_products_router -> vn_products_v1 [label="default [prefix /]: 91.7% (110/120) ✖ M102", '
            'color="#d32f2f", fontcolor="#d32f2f", penwidth=3];\n') in picture
    assert '  vn_products_v2 -> vs_prices_shop_local [label="backend", style=dashed];\n' in picture


def test_without_lint_nothing_is_marked(shop: Path) -> None:
    _break_shop(shop)
    picture = run_meshify("graph", cwd=shop).stdout
    assert "✖" not in picture and "linkStyle" not in picture and "classDef error" not in picture


def test_spec_files_without_a_manifest_are_a_mesh_of_their_own(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # the manifest search stops at the repository root
    (tmp_path / "route.json").write_text(
        '{"routeName": "r", "virtualRouterName": "vr", "spec": {"httpRoute": {"match": {"prefix": "/"},'
        ' "action": {"weightedTargets": [{"virtualNode": "a", "weight": 3}, {"virtualNode": "b", "weight": 1}]}}}}\n')
    result = run_meshify("graph", "route.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '  vr_vr -->|"r [prefix /]: 75% (3/4)"| vn_a\n' in result.stdout
    assert run_meshify("graph", cwd=tmp_path).returncode == 2  # nothing to draw: the manifest is missing


def test_a_mesh_the_files_do_not_name_is_titled_without_a_name(tmp_path: Path) -> None:
    """A spec without meshName, a template whose mesh is named by a parameter without a
    default: the title said ``mesh (the mesh of the files)``, meshify's placeholder."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "node.json").write_text('{"virtualNodeName": "a", "spec": {"listeners": [{"portMapping": '
                                        '{"port": 80, "protocol": "http"}}]}}\n')
    (tmp_path / "stack.yaml").write_text(
        "Parameters:\n  MeshName: {Type: String}\nResources:\n  Mesh:\n    Type: AWS::AppMesh::Mesh\n"
        "    Properties:\n      MeshName: !Ref MeshName\n")
    for files in (["node.json"], ["stack.yaml"]):
        result = run_meshify("graph", *files, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith('---\ntitle: "mesh"\n---\n'), result.stdout
        result = run_meshify("graph", "--to", "service-connect", "--format", "dot", *files, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith('digraph "ECS Service Connect" {'), result.stdout



def test_a_listener_without_a_protocol_is_drawn_with_its_port_alone(tmp_path: Path) -> None:
    """M106 reports the missing protocol; the picture shows what the spec says (it printed
    ``listener 80 None``, seen on the corpus's ComposeX missing_node_settings.yml)."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "node.json").write_text(
        '{"meshName": "m", "virtualNodeName": "a", "spec": {"listeners": [{"portMapping": {"port": 80}}]}}\n')
    result = run_meshify("graph", "node.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '  vn_a["virtual node a<br/>listener 80"]\n' in result.stdout
    result = run_meshify("graph", "--to", "service-connect", "node.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "<br/>port 80<br/>" in result.stdout and "None" not in result.stdout


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "svg"], "meshify: --format: 'svg' is not one of mermaid, dot\n"),
    (["--to", "lattice"], "meshify: --to: 'lattice' is not one of app-mesh, service-connect\n"),
])
def test_bad_options_are_one_line(args: list[str], message: str) -> None:
    result = run_meshify("graph", *args, cwd=SHOP)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", message)


def test_unusable_file_is_one_line_exit_2(shop: Path) -> None:
    (shop / "broken.json").write_text('{"spec": {\n  "listeners": [,]\n}}\n')
    result = run_meshify("graph", "broken.json", cwd=shop)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("broken.json:2:17: invalid JSON")


def test_match_text_reads_every_kind_of_match() -> None:
    assert match_text({"prefix": "/v1", "method": "GET", "headers": [{"name": "x", "prefix": "a", "invert": True}],
                       "queryParameters": [{"name": "q", "match": {"exact": "1"}}], "port": 8080}) == \
        "prefix /v1, method GET, not header x prefix a, query q = 1, port 8080"
    assert match_text({"path": {"regex": "^/a$"}, "hostname": {"suffix": ".example.com"}}) == \
        "path regex ^/a$, host suffix .example.com"
    assert match_text({"serviceName": "color.ColorService", "methodName": "GetColor"}) == "grpc color.ColorService/GetColor"
    assert match_text({"headers": [{"name": "n", "range": {"start": 1, "end": 5}}]}) == "header n in 1..5"


# ---------------------------------------------------------------------------------------
# The functions the migration report calls


def test_before_graph_is_what_graph_prints() -> None:
    mesh = load_manifest(str(SHOP / "meshify.yaml"))
    assert before_graph(mesh, "mermaid") == golden_graph("shop", "mermaid").read_text()
    assert before_graph(mesh, "dot") == golden_graph("shop", "dot").read_text()


def test_after_graph_shows_services_aliases_and_namespace() -> None:
    mesh = load_manifest(str(SHOP / "meshify.yaml"))
    picture = after_graph(mesh, "mermaid")
    assert picture == golden_graph("shop-service-connect", "mermaid").read_text()
    assert '  subgraph cluster["namespace shop.local"]\n' in picture
    assert ('    svc_products["ECS service products<br/>client alias products.shop.local:8080<br/>port 8080 http<br/>'
            'task definition products-api<br/>task definition products-api-canary<br/>'
            'was virtual nodes products-v1 90%, products-v2 10%"]\n') in picture
    assert '  svc_products -.->|"prices.shop.local:9090"| svc_prices\n' in picture
    assert '  lb_shop_gateway -->|"products [prefix /v1/products]"| svc_products\n' in picture
    assert after_graph(mesh, "dot") == golden_graph("shop-service-connect", "dot").read_text()


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
        targets: [{node: blue, weight: 60}, {node: green, weight: 40}]
services:
  colour.ab.local: {router: colour-router}
  ghost.ab.local: {node: nobody}
"""


def test_after_graph_draws_what_migrate_plans_for_an_ab_split_and_a_missing_provider(tmp_path: Path) -> None:
    """The picture is migrate's plan: the A/B split's alias goes to its main target (R602
    says the split is lost), and only a name no service can serve is a dashed box."""
    (tmp_path / "meshify.yaml").write_text(AB_SPLIT)
    picture = after_graph(load_manifest(str(tmp_path / "meshify.yaml")), "mermaid", namespace="parallel.local")
    assert picture == (
        '---\ntitle: "mesh ab on ECS Service Connect"\n---\nflowchart LR\n'
        '  subgraph cluster["namespace parallel.local"]\n'
        '    svc_blue["ECS service blue<br/>client alias colour.ab.local:80 (its A/B split is lost: R602)<br/>'
        'port 80 http<br/>was virtual node blue"]\n'
        '    svc_green["ECS service green<br/>port 80 http<br/>was virtual node green"]\n'
        '    svc_caller["ECS service caller<br/>was virtual node caller"]\n'
        '  end\n'
        '  alias_ghost_ab_local(["alias ghost.ab.local<br/>no service: its node nobody is not in the mesh"])\n'
        '  svc_caller -.->|"colour.ab.local:80"| svc_blue\n'
        '  svc_caller -.->|"ghost.ab.local"| alias_ghost_ab_local\n'
        '  classDef missing stroke-dasharray:5 5\n'
        '  class alias_ghost_ab_local missing\n')


def test_after_graph_names_services_as_migrate_does(tmp_path: Path) -> None:
    """Two nodes registering under one Cloud Map name with no route between them are two
    ECS services; the picture drew two boxes of one name (one of them outside the
    namespace), where migrate names them by their nodes."""
    (tmp_path / "meshify.yaml").write_text(
        'version: 1\nmesh: {name: c, region: eu-west-1, account: "111122223333"}\ncloudMap: {namespace: c.local}\n'
        "nodes:\n  red: {listeners: [{port: 80, protocol: http}], discovery: {cloudMap: {service: colour}}}\n"
        "  blue: {listeners: [{port: 80, protocol: http}], discovery: {cloudMap: {service: colour}}}\n")
    picture = after_graph(load_manifest(str(tmp_path / "meshify.yaml")), "mermaid")
    assert [line.split("[", 1)[0].strip() for line in picture.splitlines() if "ECS service" in line] == [
        "svc_red", "svc_blue"]
    assert '    svc_red["ECS service red<br/>port 80 http<br/>was virtual node red"]\n' in picture
    assert picture.index("subgraph") < picture.index("svc_blue[") < picture.index("  end\n")


def test_after_graph_takes_the_namespace_of_a_parallel_environment() -> None:
    mesh = load_manifest(str(SHOP / "meshify.yaml"))
    assert '  subgraph cluster["namespace shop-sc.local"]\n' in after_graph(mesh, "mermaid", namespace="shop-sc.local")
    assert '    label="namespace shop-sc.local";\n' in after_graph(mesh, "dot", namespace="shop-sc.local")


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown graph format 'svg'"):
        before_graph(load_manifest(str(SHOP / "meshify.yaml")), "svg")


def test_readme_shows_the_shop_graph() -> None:
    readme = (SHOP.parent.parent / "README.md").read_text()
    assert f"(`cd fixtures/shop && meshify graph`):\n\n```mermaid\n{golden_graph('shop', 'mermaid').read_text()}```\n" \
        in readme


def test_a_finding_outside_the_drawn_sections_marks_nothing(shop: Path) -> None:
    manifest = shop / "meshify.yaml"
    text = manifest.read_text().replace("  egressFilter: DROP_ALL\n", "  egressFilter: ALLOW_ALL\n")
    mesh_section = text[text.index("mesh:\n"):text.index("cloudMap:\n")]
    manifest.write_text(text.replace(mesh_section, "") + mesh_section)  # the mesh section last, after the gateways
    assert "meshify.yaml:115:3: M110 warning" in run_meshify("lint", cwd=shop).stdout
    picture = run_meshify("graph", "--lint", cwd=shop).stdout
    assert "M110" not in picture and "linkStyle" not in picture


WALKTHROUGH = CORPUS / "aws-app-mesh-examples/walkthroughs/howto-ecs-basics/deploy/2-meshify.yaml"
MIGRATE_TEMPLATES = Path(__file__).resolve().parents[2] / "fixtures" / "migrate-templates"


def _after_picture_of_migrate(work: Path, *files: str) -> str:
    """The Service Connect picture in the report migrate writes (report.md)."""
    report = run_meshify("migrate", *files, "--to", "service-connect", "--out-dir", "out", "--patch", cwd=work)
    assert report.returncode in (0, 1), report.stderr
    text = (work / "out" / "report.md").read_text()
    after = text[text.index("## After: ECS Service Connect"):]
    start = after.index("```mermaid\n") + len("```mermaid\n")
    return after[start:after.index("\n```", start)] + "\n"


@pytest.mark.parametrize("case", ["walkthrough", "templates with ECS services", "spec files, no manifest"])
def test_graph_to_service_connect_is_the_picture_of_migrates_report(tmp_path: Path, case: str) -> None:
    """``meshify graph --to service-connect`` draws the plan ``migrate`` makes of the same
    files: the template's ECS services by their names, the namespace and aliases as migrate
    writes them (a stand-in name as the template's expression), not a plan of the mesh alone."""
    if case == "walkthrough":
        if not WALKTHROUGH.exists():
            pytest.skip(f"the shared corpus is absent ({CORPUS})")
        (tmp_path / ".git").mkdir()
        (tmp_path / "cfn.yaml").write_text(WALKTHROUGH.read_text())
        assert run_meshify("init", "cfn.yaml", "--region", "us-west-2", "--account", "111122223333", "--mesh", "howto",
                           cwd=tmp_path).returncode == 0
        files = ["cfn.yaml"]
    elif case == "templates with ECS services":
        for path in (MIGRATE_TEMPLATES / "cfn").iterdir():
            (tmp_path / path.name).write_text(path.read_text())
        files = ["ledger.yaml", "web.template.json"]
    else:  # the task definition is claimed by its Envoy's wiring, its family the service's
        (tmp_path / ".git").mkdir()
        files = ["color-node.json", "color-service.json", "color-task.json"]
        for name in files:
            (tmp_path / name).write_text((MIGRATE_TEMPLATES.parent / "migrate-without-manifest" / name).read_text())
    picture = run_meshify("graph", *files, "--to", "service-connect", cwd=tmp_path)
    assert picture.returncode == 0, picture.stderr
    assert picture.stdout == _after_picture_of_migrate(tmp_path, *files)

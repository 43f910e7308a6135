"""inject into CloudFormation templates: byte-exact goldens, idempotence, nothing outside
the task definitions changed, cfn-lint still passes, and the AWS walkthrough's before/after."""

from __future__ import annotations

import difflib
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import cfn_lint_findings, run_meshify
from golden_cases import CORPUS, FIXTURES

CFN = FIXTURES / "cloudformation"
GOLDEN = CFN / "golden"
# (input, extra arguments, golden): the node in the same template is referenced with !Ref.
CASES = [
    ("ledger.yaml", [], "ledger.yaml"),
    ("ledger-bare.yaml", ["--node", "ledger-node"], "ledger-bare.yaml"),
    ("cdk.out/LedgerStack.template.json", ["--node", "ledger-node"], "LedgerStack.template.json"),
]


def _copy(tmp_path: Path, name: str) -> Path:
    (tmp_path / ".git").mkdir(exist_ok=True)
    target = tmp_path / Path(name).name
    shutil.copy(CFN / name, target)
    return target


@pytest.mark.parametrize(("name", "extra", "golden"), CASES, ids=[case[0] for case in CASES])
def test_inject_in_place_matches_the_golden_byte_for_byte(tmp_path, name, extra, golden):
    target = _copy(tmp_path, name)
    result = run_meshify("inject", target.name, *extra, "--in-place", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == (GOLDEN / golden).read_bytes()


@pytest.mark.parametrize(("name", "extra", "golden"), CASES, ids=[case[0] for case in CASES])
def test_inject_twice_changes_nothing_the_second_time(tmp_path, name, extra, golden):
    target = _copy(tmp_path, name)
    shutil.copy(GOLDEN / golden, target)
    result = run_meshify("inject", target.name, *extra, "--check", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


@pytest.mark.parametrize(("name", "extra", "golden"), CASES, ids=[case[0] for case in CASES])
def test_only_the_task_definition_changes(name, extra, golden):
    """Every line the diff touches lies inside the LedgerTaskDef resource."""
    before = (CFN / name).read_text().splitlines()
    after = (GOLDEN / golden).read_text().splitlines()
    def key_line(name: str) -> int:  # the resource's own key, in YAML or JSON
        return next(i for i, line in enumerate(before) if re.fullmatch(rf'\s*"?{name}"?: ?\{{?', line))

    start, end = key_line("LedgerTaskDef"), key_line("ExecutionRole")
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag != "equal":
            assert start < i1 <= end and i2 <= end, (tag, i1, i2)


def test_patch_pointers_are_relative_to_the_template():
    result = run_meshify("inject", "ledger.yaml", "--patch", cwd=CFN)
    patch = json.loads(result.stdout)
    assert sorted(op["path"] for op in patch) == [
        "/Resources/LedgerTaskDef/Properties/ContainerDefinitions/0/DependsOn",
        "/Resources/LedgerTaskDef/Properties/ContainerDefinitions/1/HealthCheck",
        "/Resources/LedgerTaskDef/Properties/ProxyConfiguration",
    ]


def test_the_envoy_added_without_a_region_is_the_public_image_and_refs_its_node():
    text = (GOLDEN / "ledger-bare.yaml").read_text()
    assert "          Image: public.ecr.aws/appmesh/aws-appmesh-envoy:v1.39.1.0-prod\n" in text
    assert "            - Name: APPMESH_RESOURCE_ARN\n              Value: !Ref LedgerNode\n" in text


def test_the_policy_hint_names_no_wildcard_and_no_made_up_arn(tmp_path):
    target = _copy(tmp_path, "ledger-bare.yaml")
    result = run_meshify("inject", target.name, "--node", "ledger-node", "--check", cwd=tmp_path)
    assert result.returncode == 1
    result = run_meshify("inject", target.name, "--node", "ledger-node", cwd=tmp_path)
    assert result.stderr == ("The task role needs appmesh:StreamAggregatedResources on the ARN of virtualNode "
                             "'ledger-node' (in a template: Resource: !Ref the node's logical id)\n")


@pytest.mark.slow
@pytest.mark.parametrize(("name", "extra", "golden"), CASES, ids=[case[0] for case in CASES])
def test_cfn_lint_finds_nothing_new_in_an_injected_template(name, extra, golden):
    pytest.importorskip("cfnlint")
    assert cfn_lint_findings(GOLDEN / golden) - cfn_lint_findings(CFN / name) == set()


WALKTHROUGH = CORPUS / "aws-app-mesh-examples/walkthroughs/howto-ecs-basics/deploy"
WALKTHROUGH_MANIFEST = """version: 1
mesh: {name: howto-ecs-basics, region: us-west-2, account: "111122223333"}
nodes:
  color-node:
    resource: ColorTaskDef
    listeners: [{port: 8080, protocol: http}]
    discovery: {cloudMap: {namespace: howto-ecs-basics.pvtdns, service: color}}
  front-node:
    resource: FrontTaskDef
    listeners: [{port: 8080, protocol: http}]
    backends: [color.howto-ecs-basics.mesh.local]
    discovery: {dns: {hostname: front.example.com}}
services:
  color.howto-ecs-basics.mesh.local: {node: color-node}
"""


@pytest.mark.skipif(not WALKTHROUGH.exists(), reason=f"the shared corpus is absent ({CORPUS})")
def test_the_walkthrough_prelude_injected_is_wired_like_its_meshify_step(tmp_path):
    """0-prelude injected against a manifest of 2-meshify's mesh gets what AWS added by hand
    in 2-meshify: an Envoy container and an APPMESH proxy configuration on both task
    definitions, with the same proxy properties; the rest of the template is unchanged."""
    from meshify.injector.documents.document import Document

    (tmp_path / ".git").mkdir()
    (tmp_path / "meshify.yaml").write_text(WALKTHROUGH_MANIFEST)
    shutil.copy(WALKTHROUGH / "0-prelude.yaml", tmp_path / "0-prelude.yaml")
    result = run_meshify("inject", "0-prelude.yaml", "--in-place", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    injected = Document.load(str(tmp_path / "0-prelude.yaml")).data["Resources"]
    before = Document.load(str(WALKTHROUGH / "0-prelude.yaml")).data["Resources"]
    after = Document.load(str(WALKTHROUGH / "2-meshify.yaml")).data["Resources"]
    for logical_id in ("ColorTaskDef", "FrontTaskDef"):
        ours, theirs = injected[logical_id]["Properties"], after[logical_id]["Properties"]
        proxy = {p["Name"]: p["Value"] for p in ours["ProxyConfiguration"]["ProxyConfigurationProperties"]}
        expected = {p["Name"]: str(p["Value"]) for p in theirs["ProxyConfiguration"]["ProxyConfigurationProperties"]}
        assert {k: proxy[k] for k in ("IgnoredUID", "ProxyIngressPort", "ProxyEgressPort")} == \
            {k: expected[k] for k in ("IgnoredUID", "ProxyIngressPort", "ProxyEgressPort")}
        assert ours["ProxyConfiguration"]["ContainerName"] == theirs["ProxyConfiguration"]["ContainerName"] == "envoy"
        names = [c["Name"] for c in before[logical_id]["Properties"]["ContainerDefinitions"]]
        assert [c["Name"] for c in ours["ContainerDefinitions"]] == [*names, "envoy"]
        assert "envoy" in [c["Name"] for c in theirs["ContainerDefinitions"]]
        envoy = next(c for c in ours["ContainerDefinitions"] if c["Name"] == "envoy")
        assert envoy["User"] == "1337" and envoy["Essential"] is True
    assert {k: v for k, v in injected.items() if k not in ("ColorTaskDef", "FrontTaskDef")} == \
        {k: v for k, v in before.items() if k not in ("ColorTaskDef", "FrontTaskDef")}
    lint = run_meshify("lint", "0-prelude.yaml", "--select", "T", cwd=tmp_path)
    assert (lint.returncode, lint.stdout) == (0, "")


@pytest.mark.parametrize(("name", "extra", "golden"), CASES[1:], ids=[case[0] for case in CASES[1:]])
def test_uninject_of_an_injected_template_gives_the_template_back_byte_for_byte(name, extra, golden):
    result = run_meshify("uninject", f"golden/{golden}", cwd=CFN)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (CFN / name).read_text()


def test_inject_walks_a_directory_like_the_cdk_out(tmp_path):
    (tmp_path / ".git").mkdir()
    out = tmp_path / "cdk.out"
    out.mkdir()
    shutil.copy(CFN / "cdk.out" / "LedgerStack.template.json", out)
    (out / "manifest.json").write_text('{"version": "36.0.0", "artifacts": {}}\n')
    (out / "tree.json").write_text('{"version": "tree-0.1", "tree": {"id": "App"}}\n')
    (out / "cdk.out").write_text('{"version": "36.0.0"}\n')
    result = run_meshify("inject", "cdk.out", "--node", "ledger-node", "--in-place", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[:2] == [
        "meshify: skipped 3 file(s) of the directories given that are none of meshify's formats",
        "injected: cdk.out/LedgerStack.template.json"]
    assert (out / "LedgerStack.template.json").read_bytes() == (GOLDEN / "LedgerStack.template.json").read_bytes()


def test_without_a_manifest_an_unclaimed_template_names_the_files_not_a_manifest(tmp_path):
    """No manifest: the mesh is the files' App Mesh resources, and the message says so
    (it named "the manifest", which the user does not have)."""
    target = _copy(tmp_path, "ledger-bare.yaml")
    result = run_meshify("inject", target.name, "--check", cwd=tmp_path)
    assert result.returncode == 0
    assert result.stderr == ("ledger-bare.yaml: LedgerTaskDef is claimed by no node or gateway of the files given; "
                             "left unchanged\n")
    assert target.read_bytes() == (CFN / "ledger-bare.yaml").read_bytes()

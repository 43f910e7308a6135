"""Without a manifest (formats.md, "Which node claims a task definition", 2) the mesh is the
App Mesh resources of the files given, each task definition claimed by what wires it.
``migrate`` then gives what it gives with the manifest ``meshify init`` writes from the same
files (the same patches and services; only the mesh's place in the report differs). Where the
files cannot name the mesh, or describe none or several, migrate refuses in one line, exit 2,
writing nothing; inject and graph refuse files of several meshes too, and lint checks them
mesh by mesh."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import run_meshify
from golden_cases import FIXTURES

SPEC_FILES = FIXTURES / "migrate-without-manifest"
CASES = [
    ("cloudformation", FIXTURES / "cloudformation", ["ledger.yaml"]),
    ("spec-files", SPEC_FILES, ["color-node.json", "color-service.json", "color-task.json"]),
    ("terraform", FIXTURES / "terraform" / "nomanifest", ["main.tf"]),
]


def _project(tmp_path: Path, name: str, source: Path, files: list[str]) -> Path:
    """The files alone in a repository of their own (no manifest above them)."""
    work = tmp_path / name
    (work / ".git").mkdir(parents=True)
    for file in files:
        shutil.copy(source / file, work / file)
    return work


@pytest.mark.parametrize(("name", "source", "files"), CASES, ids=[case[0] for case in CASES])
def test_migrate_without_a_manifest_is_migrate_with_the_manifest_init_writes(tmp_path, name, source, files):
    alone = _project(tmp_path, "alone", source, files)
    with_manifest = _project(tmp_path, "with-manifest", source, files)
    assert run_meshify("init", *files, "--region", "eu-west-1", "--account", "111122223333",
                       cwd=with_manifest).returncode == 0

    without = run_meshify("migrate", *files, "--to", "service-connect", "--patch", cwd=alone)
    given = run_meshify("migrate", *files, "--to", "service-connect", "--patch", cwd=with_manifest)

    assert without.returncode == given.returncode != 2, without.stderr
    assert json.loads(without.stdout) != []
    assert without.stdout == given.stdout
    reports = [json.loads(run_meshify("migrate", *files, "--to", "service-connect", "--check", "--format", "json",
                                      cwd=work).stdout) for work in (alone, with_manifest)]
    assert reports[0]["services"] == reports[1]["services"]
    assert [f["rule"] for f in reports[0]["findings"]] == [f["rule"] for f in reports[1]["findings"]]


def test_spec_files_and_a_wired_task_definition_give_exactly_this_patch_and_service(tmp_path):
    work = _project(tmp_path, "specs", SPEC_FILES, ["color-node.json", "color-service.json", "color-task.json"])
    result = run_meshify("migrate", ".", "--to", "service-connect", "--out-dir", "out", "--in-place", cwd=work)
    assert result.returncode == 0, result.stderr
    migrated = json.loads((work / "color-task.json").read_text())
    original = json.loads((SPEC_FILES / "color-task.json").read_text())
    assert [container["name"] for container in migrated["containerDefinitions"]] == ["app"]
    assert "proxyConfiguration" not in migrated
    assert migrated["containerDefinitions"][0] == {
        **{k: v for k, v in original["containerDefinitions"][0].items() if k != "dependsOn"},
        "portMappings": [{"containerPort": 8080, "protocol": "tcp", "name": "http-8080", "appProtocol": "http"}]}
    assert json.loads((work / "out" / "color.service-connect.json").read_text())["serviceConnectConfiguration"] == {
        "enabled": True, "namespace": "demo",
        "services": [{"portName": "http-8080", "discoveryName": "color",
                      "clientAliases": [{"port": 8080, "dnsName": "color.demo.local"}]}]}


def test_without_region_or_account_the_last_steps_name_the_node_not_a_broken_arn(tmp_path):
    work = _project(tmp_path, "cfn", FIXTURES / "cloudformation", ["ledger.yaml"])
    result = run_meshify("migrate", "ledger.yaml", "--to", "service-connect", "--check", cwd=work)
    assert "appmesh:StreamAggregatedResources on the ARN of virtual node `ledger-node` of mesh `shop`." in result.stdout
    assert "arn:aws:appmesh::" not in result.stdout


def test_a_mesh_only_the_stack_names_is_refused_where_the_name_is_decided(tmp_path):
    work = _project(tmp_path, "cfn", FIXTURES / "cloudformation", ["ledger.yaml"])
    text = (work / "ledger.yaml").read_text().replace("    Type: String\n    Default: shop\n", "    Type: String\n", 1)
    (work / "ledger.yaml").write_text(text)
    line = text.splitlines().index("      MeshName: !Ref MeshName") + 1

    result = run_meshify("migrate", "ledger.yaml", "--to", "service-connect", "--in-place", cwd=work)

    assert result.returncode == 2
    assert result.stderr == (f"ledger.yaml:{line}:7: cannot migrate without a manifest: only the stack knows the mesh's "
                             "name; give a manifest that names it (meshify init FILES --mesh NAME --region REGION "
                             "--account ACCOUNT writes one)\n")
    assert result.stdout == ""
    assert (work / "ledger.yaml").read_text() == text


def test_files_that_describe_no_mesh_are_refused_as_without_a_manifest(tmp_path):
    work = _project(tmp_path, "task", SPEC_FILES, ["color-task.json"])
    result = run_meshify("migrate", "color-task.json", "--to", "service-connect", "--in-place", cwd=work)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("no meshify.yaml here or in a parent directory up to the repository root, and no App Mesh "
                             "resources in the files given; give --manifest PATH\n")
    assert (work / "color-task.json").read_bytes() == (SPEC_FILES / "color-task.json").read_bytes()


def test_a_task_definition_only_the_stack_names_is_called_by_its_resource(tmp_path):
    work = _project(tmp_path, "cdk", FIXTURES / "cloudformation" / "cdk.out", ["LedgerStack.template.json"])
    result = run_meshify("migrate", "LedgerStack.template.json", "--to", "service-connect", "--check", cwd=work)
    assert ("LedgerStack.template.json: LedgerTaskDef is claimed by no node or gateway of the files given; "
            "left unchanged") in result.stderr.splitlines()
    assert "family None" not in result.stderr


def test_files_of_several_meshes_are_refused_not_planned_as_one(tmp_path):
    """A directory of several meshes' files (a repository of examples) would be planned as one
    mesh and each file rewritten for it: migrate asks for one mesh's files at a time."""
    work = _project(tmp_path, "specs", SPEC_FILES, ["color-node.json", "color-service.json", "color-task.json"])
    other = json.loads((SPEC_FILES / "color-node.json").read_text())
    (work / "other-node.json").write_text(json.dumps({**other, "meshName": "other"}))
    shutil.copy(FIXTURES / "cloudformation" / "ledger.yaml", work / "ledger.yaml")
    result = run_meshify("migrate", ".", "--to", "service-connect", "--in-place", cwd=work)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("cannot migrate without a manifest: the files given describe 3 meshes (`demo`, `shop`, "
                             "`other`); migrate the files of one mesh at a time, or give its manifest\n")
    assert (work / "color-task.json").read_bytes() == (SPEC_FILES / "color-task.json").read_bytes()


def test_inject_without_a_manifest_refuses_spec_files_of_several_meshes(tmp_path):
    """Two meshes' spec files and task definitions in one batch (a monorepo's pre-commit
    run): read as one mesh named after the first, inject rewrote the second mesh's Envoy
    ARN to the first mesh's. Now one line, exit 2, nothing written."""
    work = _two_meshes(tmp_path)
    before = {path: path.read_bytes() for path in work.rglob("*.json")}
    for directory in ("a", "b"):  # each mesh's files alone are wired as they should be
        assert run_meshify("inject", "--check", directory, cwd=work).returncode == 0

    result = run_meshify("inject", "--in-place", "a", "b", cwd=work)

    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("cannot inject without a manifest: the files given describe 2 meshes (`demo`, `other`); "
                             "inject the files of one mesh at a time, or give its manifest\n")
    assert {path: path.read_bytes() for path in work.rglob("*.json")} == before


def _two_meshes(tmp_path: Path) -> Path:
    """A repository with the spec files and wired task definition of mesh ``demo`` in ``a/``
    and of mesh ``other`` in ``b/``, and no manifest."""
    work = tmp_path / "repo"
    (work / ".git").mkdir(parents=True)
    for directory, mesh in (("a", "demo"), ("b", "other")):
        (work / directory).mkdir()
        for name in ("color-node.json", "color-service.json", "color-task.json"):
            text = (SPEC_FILES / name).read_text()
            (work / directory / name).write_text(text.replace('"demo"', f'"{mesh}"').replace(".demo.local", f".{mesh}.local")
                                                 .replace("mesh/demo/", f"mesh/{mesh}/"))
    return work


def test_lint_without_a_manifest_lints_each_meshs_spec_files_as_their_own_mesh(tmp_path):
    """A monorepo's pre-commit batch: read as one mesh named after the first, the second
    mesh's task definition was T207 ('set it to ...mesh/demo/...', the wrong mesh) and its
    spec files M118. Each mesh's files are now linted as a mesh of their own, as a batch of
    ComposeX files is: the findings are those of each mesh's files alone."""
    work = _two_meshes(tmp_path)
    (work / "b" / "color-task.json").write_text((work / "b" / "color-task.json").read_text()
                                                .replace('"user": "1337",', '"user": "1000",'))
    alone = [run_meshify("lint", directory, cwd=work) for directory in ("a", "b")]
    assert [result.stdout.count(" T206 ") for result in alone] == [0, 1]

    together = run_meshify("lint", "a", "b", cwd=work)

    assert together.returncode == 1
    assert together.stdout == alone[0].stdout + alone[1].stdout
    assert "T207" not in together.stdout and "M118" not in together.stdout


def test_a_task_definition_wired_to_neither_mesh_is_linted_once_beside_several_meshes(tmp_path):
    """Its Envoy names a node of a third mesh (a stale copy): it is not a mesh of its own
    (alone it would be 'no App Mesh resources', exit 2) but linted with each mesh's files,
    where no node claims it: one finding, as beside one mesh."""
    work = _two_meshes(tmp_path)
    (work / "stale.json").write_text((SPEC_FILES / "color-task.json").read_text()
                                     .replace("mesh/demo/virtualNode/color", "mesh/third/virtualNode/ghost"))
    alone = run_meshify("lint", "a", "stale.json", cwd=work)
    assert [line.split(" ")[1] for line in alone.stdout.splitlines() if line.startswith("stale.json")] == ["T212"]
    together = run_meshify("lint", "a", "b", "stale.json", cwd=work)
    assert together.returncode == alone.returncode
    assert [line for line in together.stdout.splitlines() if line.startswith("stale.json")] == \
        [line for line in alone.stdout.splitlines() if line.startswith("stale.json")]


def test_graph_without_a_manifest_refuses_files_of_several_meshes(tmp_path):
    """One picture of two meshes read as one would merge their nodes (both have `color`)."""
    work = _two_meshes(tmp_path)
    assert run_meshify("graph", "a", cwd=work).returncode == 0
    result = run_meshify("graph", "a", "b", cwd=work)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("cannot graph without a manifest: the files given describe 2 meshes (`demo`, `other`); "
                             "graph the files of one mesh at a time, or give its manifest\n")


# --- what the review of the above found (each failed before its fix) ---------------------


def test_lint_of_one_directory_holding_several_meshes_is_lint_mesh_by_mesh(tmp_path):
    work = _two_meshes(tmp_path)
    (work / "b" / "color-task.json").write_text((work / "b" / "color-task.json").read_text()
                                                .replace('"user": "1337",', '"user": "1000",'))
    by_mesh = run_meshify("lint", "a", "b", cwd=work)
    assert [line.split(" ")[1] for line in by_mesh.stdout.splitlines()] == ["T206"]
    for given in (["."], [str(work)]):
        whole = run_meshify("lint", *given, cwd=work)
        assert (whole.returncode, whole.stdout.replace(f"{work}/", "").replace("./", "")) == (1, by_mesh.stdout)


def test_an_unreadable_file_does_not_merge_the_other_meshes(tmp_path):
    work = _two_meshes(tmp_path)
    (work / "a" / "broken.json").write_text('{"meshName": "demo", "virtualNodeName": ')
    result = run_meshify("lint", "a", "b", cwd=work)
    assert result.returncode == 2
    assert result.stdout == ""  # no T207 or M118 for b's files, as each mesh alone
    assert [line for line in result.stderr.splitlines() if "broken.json" in line] == [
        "a/broken.json:1:41: invalid JSON: Expecting value"]


def test_a_placeholder_mesh_name_is_no_other_mesh(tmp_path):
    work = _project(tmp_path, "specs", SPEC_FILES, ["color-node.json", "color-service.json", "color-task.json"])
    (work / "color-service.json").write_text((work / "color-service.json").read_text()
                                             .replace('"meshName": "demo"', '"meshName": "${MESH_NAME}"'))
    lint = run_meshify("lint", ".", cwd=work)
    assert (lint.returncode, lint.stdout) == (0, "")
    assert run_meshify("graph", ".", cwd=work).returncode == 0
    migrate = run_meshify("migrate", ".", "--to", "service-connect", "--check", cwd=work)
    assert (migrate.returncode, migrate.stderr) == (1, "would change: ./color-task.json\n")


def test_inject_refuses_a_spec_mesh_beside_a_templates_mesh(tmp_path):
    """A template of mesh `shop` and spec files of mesh `other`: the spec mesh's Envoy ARN was
    rewritten to mesh `shop`."""
    work = _two_meshes(tmp_path)
    shutil.copy(FIXTURES / "cloudformation" / "ledger.yaml", work / "ledger.yaml")
    before = (work / "b" / "color-task.json").read_bytes()
    result = run_meshify("inject", "--in-place", "ledger.yaml", "b", cwd=work)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("cannot inject without a manifest: the files given describe 2 meshes (`shop`, `other`); "
                             "inject the files of one mesh at a time, or give its manifest\n")
    assert (work / "b" / "color-task.json").read_bytes() == before


def test_one_template_given_twice_is_one_mesh(tmp_path):
    work = _project(tmp_path, "cfn", FIXTURES / "cloudformation", ["ledger.yaml"])
    text = (work / "ledger.yaml").read_text().replace("    Type: String\n    Default: shop\n", "    Type: String\n", 1)
    (work / "ledger.yaml").write_text(text)
    (work / "link.yaml").symlink_to("ledger.yaml")
    graph = run_meshify("graph", "ledger.yaml", "link.yaml", "./ledger.yaml", cwd=work)
    assert graph.returncode == 0, graph.stderr
    migrate = run_meshify("migrate", "ledger.yaml", "link.yaml", "--to", "service-connect", "--check", cwd=work)
    assert migrate.returncode == 2
    assert "only the stack knows the mesh's name" in migrate.stderr


def test_migrate_in_place_of_a_cdk_template_says_cdk_synth_overwrites_it(tmp_path):
    source = FIXTURES / "migrate-templates" / "cfn"
    (tmp_path / "cdk.out").mkdir()
    shutil.copy(source / "meshify.yaml", tmp_path / "meshify.yaml")
    shutil.copy(source / "ledger.yaml", tmp_path / "cdk.out" / "ledger.yaml")
    result = run_meshify("migrate", "cdk.out/ledger.yaml", "--to", "service-connect", "--in-place", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    lines = result.stderr.splitlines()
    assert lines[lines.index("migrated: cdk.out/ledger.yaml") + 1] == (
        "cdk.out/ledger.yaml: the CDK synthesized this template, and the next `cdk synth` overwrites this edit: "
        "make the same change in the CDK app (`--diff` shows it)")


def test_init_takes_the_default_providers_region(tmp_path):
    (tmp_path / ".git").mkdir()
    text = (FIXTURES / "terraform" / "nomanifest" / "main.tf").read_text()
    (tmp_path / "main.tf").write_text('provider "aws" {\n  alias  = "use1"\n  region = "us-east-1"\n}\n\n' + text)
    result = run_meshify("init", "main.tf", "--account", "111122223333", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "  region: eu-west-1\n" in (tmp_path / "meshify.yaml").read_text()


def test_terraform_json_writes_its_provider_as_an_object():
    from types import SimpleNamespace

    from meshify.injector.inputs.files_mesh import terraform_facts

    assert terraform_facts([SimpleNamespace(data={"provider": {"aws": {"region": "eu-west-1"}}})]) == (None, "eu-west-1")
    assert terraform_facts([SimpleNamespace(data={"provider": {"aws": [{"alias": "x", "region": "us-east-1"},
                                                                        {"region": "eu-west-1"}]}})]) == (None, "eu-west-1")


def test_a_stale_envoy_arn_does_not_name_the_mesh_the_spec_files_define(tmp_path):
    """The spec files say mesh `demo`; the task definition's Envoy still names `old` (a copy
    from another environment). The mesh is `demo`: lint says T207 (not M118 on the right
    files), inject replaces the ARN, migrate plans mesh `demo`."""
    work = _project(tmp_path, "specs", SPEC_FILES, ["color-node.json", "color-service.json", "color-task.json"])
    (work / "color-task.json").write_text((work / "color-task.json").read_text().replace("mesh/demo/", "mesh/old/"))
    lint = run_meshify("lint", ".", cwd=work)
    assert [line.split(" ")[1] for line in lint.stdout.splitlines()] == ["T207"]
    assert "mesh/demo/virtualNode/color" in lint.stdout
    inject = run_meshify("inject", "--diff", ".", cwd=work)
    assert '+        {"name": "APPMESH_RESOURCE_ARN", "value": "arn:aws:appmesh:eu-west-1:111122223333:mesh/demo/' \
           'virtualNode/color"}' in inject.stdout
    migrate = run_meshify("migrate", ".", "--to", "service-connect", "--check", cwd=work)
    assert migrate.stdout.splitlines()[0] == "Migration of mesh demo to ECS Service Connect (namespace demo)"


@pytest.mark.parametrize("target", ["app-mesh", "service-connect"])
def test_graph_of_files_that_describe_no_mesh_says_so(tmp_path, target):
    """A template with ECS services and task definitions but no App Mesh resource, and no
    manifest: graph drew an empty picture (exit 0) where migrate says what is missing."""
    work = _project(tmp_path, "cfn", FIXTURES / "migrate-templates" / "cfn", ["ledger.yaml"])
    result = run_meshify("graph", "ledger.yaml", "--to", target, cwd=work)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == ("no meshify.yaml here or in a parent directory up to the repository root, and no App Mesh "
                             "resources in the files given; give --manifest PATH\n")

"""``--skip-unknown`` (the pre-commit hooks, given every JSON and YAML file): files of
none of meshify's input kinds are skipped silently, wherever they are and whatever they
are called; a task definition anywhere is checked, and a broken one is still reported."""

from __future__ import annotations

import shutil

from conftest import run_meshify
from golden_cases import GOLDEN

NOT_MINE = {
    "package.json": '{"name": "shop", "version": "1.0.0", "scripts": {"test": "jest"}}\n',
    "tsconfig.json": '{\n  // comments: not even JSON\n  "compilerOptions": {"strict": true}\n}\n',
    "chart/templates/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: {{ .Values.n }}\n",
    "k8s/service.yaml": "apiVersion: v1\nkind: Service\nspec:\n  ports:\n    - port: 80\n",
    ".github/workflows/ci.yml": "on: [push]\njobs: {}\n",
    "docs/big-list.yaml": "---\na: 1\n---\nb: 2\n",
}


def _project(shop):
    for name, text in NOT_MINE.items():
        (shop / name).parent.mkdir(parents=True, exist_ok=True)
        (shop / name).write_text(text)
    (shop / "ecs").mkdir()
    shutil.copy(shop / "taskdefs/prices-api.json", shop / "ecs/app.json")
    return [*NOT_MINE, "ecs/app.json", "meshify.yaml"]


def test_lint_skips_what_is_not_meshifys_and_lints_the_rest(shop):
    files = _project(shop)
    result = run_meshify("lint", "--skip-unknown", *files, cwd=shop)
    assert result.returncode == 1
    assert result.stderr == ""
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {"ecs/app.json"}


def test_without_the_option_unknown_files_are_errors(shop):
    files = _project(shop)
    result = run_meshify("lint", *files, cwd=shop)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == ("package.json:1:1: not a task definition or an App Mesh spec "
                                             "(no containerDefinitions, no spec)")


def test_a_broken_task_definition_is_still_reported(shop):
    (shop / "deploy").mkdir()
    (shop / "deploy/service.json").write_text('{"family": "prices-api",\n "containerDefinitions": [\n')
    result = run_meshify("lint", "--skip-unknown", "deploy/service.json", "taskdefs/products-api.json", cwd=shop)
    assert result.returncode == 2
    assert result.stderr == "deploy/service.json:3:1: invalid JSON: Expecting value\n"
    assert "taskdefs/products-api.json:9:3: T201" in result.stdout


def test_inject_rewrites_only_task_definitions(shop):
    files = _project(shop)
    (shop / "mesh").mkdir()
    spec = '{"meshName": "shop", "virtualNodeName": "x", "spec": {"listeners": []}}\n'
    (shop / "mesh/node.json").write_text(spec)
    before = {name: (shop / name).read_bytes() for name in [*files, "mesh/node.json"] if name != "ecs/app.json"}
    result = run_meshify("inject", "--in-place", "--skip-unknown", *files, "mesh/node.json", cwd=shop)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == "injected: ecs/app.json"
    assert (shop / "ecs/app.json").read_text() == (GOLDEN / "shop-prices-api.out.json").read_text()
    assert {name: (shop / name).read_bytes() for name in before} == before

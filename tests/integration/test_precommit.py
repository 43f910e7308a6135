"""The hooks, run by the real pre-commit (``try-repo``) in a temporary git repository
holding the shop example: a clean run, a failing lint, and a file inject rewrites."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from golden_cases import GOLDEN, ROOT, SHOP

pytestmark = pytest.mark.slow  # a real process, server or installation (ARCHITECTURE.md, Tests)

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(SHOP, repo)
    for name in ("products-api", "prices-api"):
        shutil.copy(GOLDEN / f"shop-{name}.out.json", repo / "taskdefs" / f"{name}.json")
    shutil.copy(GOLDEN / "shop-ingress.out.json", repo / "taskdefs" / "shop-ingress.json")
    shutil.copy(GOLDEN / "shop-products-api-canary.out.yaml", repo / "taskdefs" / "products-api-canary.yaml")
    (repo / "README.md").write_text("not linted\n")
    (repo / "package.json").write_text('{"not": "a task definition"}\n')
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "shop")
    return repo


def _try_repo(repo: Path, home: Path, hook: str) -> subprocess.CompletedProcess[str]:
    if not PRE_COMMIT.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[test]')")
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run([str(PRE_COMMIT), "try-repo", str(ROOT), hook, "--all-files", "--color", "never"],
                          cwd=repo, capture_output=True, text=True, env=env, timeout=900)


def test_lint_hook_passes_on_a_clean_repository(repo, pre_commit_home):
    result = _try_repo(repo, pre_commit_home, "meshify-lint")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "meshify lint" in result.stdout and "Passed" in result.stdout


def test_lint_hook_fails_on_a_finding(repo, pre_commit_home):
    manifest = repo / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("      - prices.shop.local\n    discovery:\n      cloudMap:\n"
                                                     "        service: products\n        attributes:\n          version: v1",
                                                     "      - prices.shop.lcoal\n    discovery:\n      cloudMap:\n"
                                                     "        service: products\n        attributes:\n          version: v1"))
    _git(repo, "add", ".")
    result = _try_repo(repo, pre_commit_home, "meshify-lint")
    assert result.returncode == 1
    assert "meshify.yaml:33:9: M103 error: backend `prices.shop.lcoal` of node `products-v1`" in result.stdout


def test_inject_hook_rewrites_a_task_definition_and_fails_like_a_formatter(repo, pre_commit_home):
    shutil.copy(SHOP / "taskdefs" / "prices-api.json", repo / "taskdefs" / "prices-api.json")
    _git(repo, "add", ".")
    result = _try_repo(repo, pre_commit_home, "meshify-inject")
    assert result.returncode == 1
    assert "files were modified by this hook" in result.stdout
    assert (repo / "taskdefs" / "prices-api.json").read_text() == (GOLDEN / "shop-prices-api.out.json").read_text()
    assert json.loads((repo / "package.json").read_text()) == {"not": "a task definition"}
    again = _try_repo(repo, pre_commit_home, "meshify-inject")
    assert again.returncode == 0, again.stdout


def test_hooks_select_task_definitions_by_content_not_by_name(repo, pre_commit_home):
    (repo / "ecs").mkdir()
    shutil.copy(SHOP / "taskdefs" / "prices-api.json", repo / "ecs" / "app.json")
    (repo / "tsconfig.json").write_text('{\n  // not JSON\n  "compilerOptions": {}\n}\n')
    (repo / "deploy").mkdir()
    (repo / "deploy" / "values.yaml").write_text("replicas: {{ .Values.n }}\n")
    _git(repo, "add", ".")
    result = _try_repo(repo, pre_commit_home, "meshify-inject")
    assert result.returncode == 1, result.stdout
    assert (repo / "ecs" / "app.json").read_text() == (GOLDEN / "shop-prices-api.out.json").read_text()
    assert (repo / "tsconfig.json").read_text() == '{\n  // not JSON\n  "compilerOptions": {}\n}\n'
    _git(repo, "add", ".")
    lint = _try_repo(repo, pre_commit_home, "meshify-lint")
    assert lint.returncode == 0, lint.stdout

"""``meshify migrate`` on the real files of ``../shared/corpus``: the lint corpus groups
(task definitions with their manifest, App Mesh spec files) and every JSON and YAML file
alone. Nothing crashes: each run reports (exit 0 or 1) or refuses a file in one line
naming it (exit 2)."""

from __future__ import annotations

import re

import pytest
from conftest import run_meshify
from corpus_snapshot import EMPTY_MESH, GROUPS
from golden_cases import CORPUS

_REFUSAL = re.compile(r"^\S+(:\d+:\d+)?: .+\n$")


def _corpus():
    if not CORPUS.exists():
        pytest.skip(f"the shared corpus is absent ({CORPUS}); it lives beside the checkout in ../shared")
    return CORPUS


def _assert_clean(result, paths):
    assert "internal error" not in result.stderr, (paths, result.stderr)
    if result.returncode == 2:
        assert _REFUSAL.match(result.stderr), (paths, result.stderr)
    else:
        assert result.returncode in (0, 1), (paths, result.stderr)
        assert result.stdout.startswith("# Migration of mesh"), paths


@pytest.mark.parametrize(("manifest", "paths"), GROUPS, ids=[paths[0].rsplit("/", 1)[-1] for _, paths in GROUPS])
def test_migrate_runs_on_each_corpus_group(manifest, paths):
    corpus = _corpus()
    result = run_meshify("migrate", *paths, "--to", "service-connect", "--manifest", str(manifest), "--check",
                         "--format", "markdown", cwd=corpus)
    _assert_clean(result, paths)


def test_migrate_runs_on_every_corpus_file_alone():
    corpus = _corpus()
    files = sorted(str(path.relative_to(corpus)) for path in corpus.rglob("*")
                   if path.suffix in (".json", ".yaml", ".yml") and path.is_file())
    assert len(files) > 40
    statuses = set()
    for path in files:
        result = run_meshify("migrate", path, "--to", "service-connect", "--manifest", str(EMPTY_MESH), "--check",
                             "--format", "markdown", cwd=corpus)
        _assert_clean(result, [path])
        statuses.add(result.returncode)
    assert statuses == {0, 1, 2}  # some files migrate cleanly, some have findings, some are not ECS or App Mesh

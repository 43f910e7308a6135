"""The mesh rules' findings remembered with the manifest (issue 13, start-up): a lint of an
unchanged manifest replays them, placed and printed exactly as a fresh run places them, and
anything they depend on that changes makes the rules run again."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_meshify

MARK = b"meshify-mesh-findings-1\n"
ARGV = ("lint", "meshify.yaml", "taskdefs/products-api.json", "taskdefs/prices-api.json")
M103 = ("meshify.yaml:33:9: M103 error: backend `prices.shop.lcoal` of node `products-v1` is no virtual service "
        "of the mesh (services: prices.shop.local, products.shop.local)")


@pytest.fixture
def misspelt(shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shop with a backend misspelt (two M103 findings in the manifest), its own cache."""
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MESHIFY_NO_CACHE", raising=False)
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("      - prices.shop.local\n", "      - prices.shop.lcoal\n"))
    return shop


def _entries(tmp_path: Path) -> list[Path]:
    return [path for path in (tmp_path / "cache").rglob("*") if path.is_file() and path.read_bytes().startswith(MARK)]


def _forge(tmp_path: Path) -> None:
    """Every remembered finding's message replaced: what a replay would print."""
    import marshal

    (entry,) = _entries(tmp_path)
    kept = marshal.loads(entry.read_bytes()[len(MARK):])
    entry.write_bytes(MARK + marshal.dumps([(rule, severity, "forged", *rest) for rule, severity, _, *rest in kept]))


@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_a_second_lint_prints_the_bytes_of_a_fresh_one(misspelt, monkeypatch, output_format):
    first = run_meshify(*ARGV, "--format", output_format, cwd=misspelt)
    second = run_meshify(*ARGV, "--format", output_format, cwd=misspelt)
    monkeypatch.setenv("MESHIFY_NO_CACHE", "1")
    fresh = run_meshify(*ARGV, "--format", output_format, cwd=misspelt)
    assert first.returncode == second.returncode == fresh.returncode == 1
    assert first.stdout == second.stdout == fresh.stdout
    assert first.stderr == second.stderr == fresh.stderr
    if output_format == "text":
        assert M103 in second.stdout.splitlines()


def test_the_remembered_findings_are_what_a_second_lint_prints(misspelt, tmp_path):
    run_meshify(*ARGV, cwd=misspelt)
    _forge(tmp_path)
    second = run_meshify(*ARGV, cwd=misspelt)
    assert "meshify.yaml:33:9: M103 error: forged" in second.stdout.splitlines()
    assert "meshify.yaml:46:9: M103 error: forged" in second.stdout.splitlines()


def test_a_manifest_changed_by_one_byte_is_checked_again(misspelt, tmp_path):
    run_meshify(*ARGV, cwd=misspelt)
    _forge(tmp_path)
    manifest = misspelt / "meshify.yaml"
    manifest.write_bytes(manifest.read_bytes().replace(b"# meshify manifest", b"# Meshify manifest", 1))
    result = run_meshify(*ARGV, cwd=misspelt)
    assert M103 in result.stdout.splitlines()
    assert "forged" not in result.stdout


@pytest.mark.parametrize("configuration", ['ignore = ["M102"]\n', 'envoy-image = "example.com/envoy:v1.29"\n'])
def test_a_changed_configuration_checks_the_mesh_again(misspelt, tmp_path, configuration):
    run_meshify(*ARGV, cwd=misspelt)
    _forge(tmp_path)
    (misspelt / "meshify.toml").write_text(configuration)
    result = run_meshify(*ARGV, cwd=misspelt)
    assert M103 in result.stdout.splitlines()
    assert "forged" not in result.stdout


def test_an_ignored_mesh_rule_is_not_replayed(misspelt):
    run_meshify(*ARGV, cwd=misspelt)
    (misspelt / "meshify.toml").write_text('ignore = ["M103"]\n')
    result = run_meshify(*ARGV, cwd=misspelt)
    assert "M103" not in result.stdout
    assert result.returncode == 1  # the task definitions' findings are still there


def test_no_cache_checks_the_mesh_again(misspelt, tmp_path, monkeypatch):
    run_meshify(*ARGV, cwd=misspelt)
    _forge(tmp_path)
    monkeypatch.setenv("MESHIFY_NO_CACHE", "1")
    result = run_meshify(*ARGV, cwd=misspelt)
    assert M103 in result.stdout.splitlines()
    assert "forged" not in result.stdout


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"not marshal at all"])
def test_a_damaged_entry_checks_the_mesh_again(misspelt, tmp_path, damage):
    first = run_meshify(*ARGV, cwd=misspelt)
    (entry,) = _entries(tmp_path)
    entry.write_bytes(MARK + damage)
    result = run_meshify(*ARGV, cwd=misspelt)
    assert (result.returncode, result.stdout, result.stderr) == (first.returncode, first.stdout, first.stderr)
    assert M103 in result.stdout.splitlines()


def test_a_spec_file_given_alongside_is_not_answered_from_the_cache(misspelt, tmp_path):
    """With an App Mesh spec file merged in, the mesh is not the manifest's alone."""
    run_meshify(*ARGV, cwd=misspelt)
    _forge(tmp_path)
    spec = misspelt / "prices-lcoal.json"
    spec.write_text('{"meshName": "shop", "virtualServiceName": "prices.shop.lcoal",'
                    ' "spec": {"provider": {"virtualNode": {"virtualNodeName": "prices-v1"}}}}\n')
    result = run_meshify(*ARGV, "prices-lcoal.json", cwd=misspelt)
    assert "forged" not in result.stdout

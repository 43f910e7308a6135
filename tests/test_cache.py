"""The validation cache: a manifest that validated, byte for byte, is not validated
again; anything else always is."""

from __future__ import annotations

import os

from conftest import run_meshify


def _entries(directory) -> list[str]:
    return sorted(name for _, _, names in os.walk(directory) for name in names)


def test_valid_manifest_is_remembered_and_changes_are_validated_again(shop, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(cache))
    assert run_meshify("lint", cwd=shop).returncode == 0
    first = _entries(cache)
    assert len(first) == 1
    assert run_meshify("lint", cwd=shop).returncode == 0
    assert _entries(cache) == first

    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("        protocol: http\n        healthCheck:",
                                                     "        protocol: htp\n        healthCheck:"))
    broken = run_meshify("lint", cwd=shop)
    assert broken.returncode == 2 and "'htp' is not one of http, tcp, http2, grpc" in broken.stderr
    assert _entries(cache) == first  # an invalid manifest is never remembered


def test_no_cache_switch(shop, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(cache))
    monkeypatch.setenv("MESHIFY_NO_CACHE", "1")
    assert run_meshify("lint", cwd=shop).returncode == 0
    assert not cache.exists()


def test_unwritable_cache_changes_nothing(shop, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(blocker / "cache"))
    result = run_meshify("lint", cwd=shop)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")

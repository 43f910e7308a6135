"""The validation cache: a manifest that validated, byte for byte, is not validated
again; anything else always is."""

from __future__ import annotations

import marshal
import os
from pathlib import Path

import pytest
from conftest import run_meshify


def _entries(directory) -> list[str]:
    """The manifests' entries (botocore's models read at start-up are kept too: file-...; and
    the mesh rules' findings: mesh-findings-...; last-sweep says when old entries were removed)."""
    return sorted(name for _, _, names in os.walk(directory) for name in names
                  if not name.startswith(("file-", "mesh-findings-")) and name != "last-sweep")


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


def _with_typo(shop):
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("      - prices.shop.local\n", "      - prices.shop.lcoal\n", 1))
    return manifest


M103_LINE = ("meshify.yaml:33:9: M103 error: backend `prices.shop.lcoal` of node `products-v1` is no virtual service "
             "of the mesh (services: prices.shop.local, products.shop.local)\n")


def test_a_finding_in_a_remembered_manifest_is_placed_as_a_fresh_parse_places_it(shop, tmp_path, monkeypatch):
    _with_typo(shop)
    monkeypatch.setenv("MESHIFY_NO_CACHE", "1")
    fresh = run_meshify("lint", "meshify.yaml", "taskdefs/products-api.json", cwd=shop)
    monkeypatch.delenv("MESHIFY_NO_CACHE")
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(tmp_path / "cache"))
    first = run_meshify("lint", "meshify.yaml", "taskdefs/products-api.json", cwd=shop)
    remembered = run_meshify("lint", "meshify.yaml", "taskdefs/products-api.json", cwd=shop)
    assert fresh.stdout.startswith(M103_LINE)
    assert (remembered.returncode, remembered.stdout) == (first.returncode, first.stdout) == (1, fresh.stdout)
    json_output = run_meshify("lint", "meshify.yaml", "--format", "sarif", cwd=shop).stdout
    monkeypatch.setenv("MESHIFY_NO_CACHE", "1")
    assert run_meshify("lint", "meshify.yaml", "--format", "sarif", cwd=shop).stdout == json_output


def test_a_manifest_changed_by_one_byte_is_read_and_validated_again(shop, tmp_path, monkeypatch):
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(tmp_path / "cache"))
    manifest = _with_typo(shop)
    assert run_meshify("lint", cwd=shop).stdout.startswith(M103_LINE)
    manifest.write_text(manifest.read_text().replace("prices.shop.lcoal", "prices.shop.lcoap", 1))
    assert run_meshify("lint", cwd=shop).stdout.startswith(M103_LINE.replace("lcoal", "lcoap"))
    manifest.write_text(manifest.read_text().replace("        protocol: http\n", "        protocol: hxtp\n", 1))
    broken = run_meshify("lint", cwd=shop)
    assert broken.returncode == 2
    assert broken.stderr == ("meshify.yaml:24:9: manifest does not match the schema at /nodes/products-v1/listeners/0/"
                             "protocol: 'hxtp' is not one of http, tcp, http2, grpc\n")


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_a_damaged_cache_entry_is_ignored(shop, tmp_path, monkeypatch, damage):
    cache = tmp_path / "cache"
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(cache))
    _with_typo(shop)
    first = run_meshify("lint", cwd=shop)
    [entry] = [Path(root) / name for root, _, names in os.walk(cache) for name in names if name in _entries(cache)]
    content = entry.read_bytes()
    entry.write_bytes({"truncated": content[:len(content) // 2], "garbage": b"\x00garbage" * 10, "empty": b""}[damage])
    again = run_meshify("lint", cwd=shop)
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    mark = b"meshify-manifest-3\n"
    assert content.startswith(mark) and entry.read_bytes().startswith(mark)  # written whole again
    assert marshal.loads(entry.read_bytes()[len(mark):]) == marshal.loads(content[len(mark):])
    assert _entries(cache) == [entry.name]


def test_a_damaged_entry_does_not_let_an_invalid_manifest_through(shop, tmp_path, monkeypatch):
    """A readable entry is a valid manifest's; a damaged one proves nothing."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(cache))
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("        protocol: http\n", "        protocol: hxtp\n", 1))
    from meshify.injector import cache as cache_module

    key = cache_module.key("manifest-valid", manifest.read_text())
    cache_module.store(key, b"meshify-manifest-3\n\x00truncated")
    assert run_meshify("lint", cwd=shop).returncode == 2


def test_a_parsed_file_is_kept_until_it_changes_and_a_damaged_entry_is_read_again(tmp_path, monkeypatch):
    """How botocore's service models are read at start-up (model/service_models.py)."""
    import json

    from meshify.injector import cache as cache_module

    cache = tmp_path / "cache"
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(cache))
    source = tmp_path / "service-2.json"
    source.write_text('{"shapes": {"A": [1, 2.5, "x", true, null]}}')
    reads: list[str] = []

    def read(path):
        reads.append(str(path))
        return json.loads(Path(path).read_text())

    expected = {"shapes": {"A": [1, 2.5, "x", True, None]}}
    assert cache_module.parsed_file(source, read) == expected
    assert cache_module.parsed_file(source, read) == expected
    assert len(reads) == 1
    [entry] = [Path(root) / name for root, _, names in os.walk(cache) for name in names if name.startswith("file-")]
    entry.write_bytes(entry.read_bytes()[:7])
    assert cache_module.parsed_file(source, read) == expected
    assert len(reads) == 2
    source.write_text('{"shapes": {}}')
    assert cache_module.parsed_file(source, read) == {"shapes": {}}
    assert len(reads) == 3


def test_the_cache_is_readable_by_its_owner_only(shop, tmp_path, monkeypatch):
    """A remembered YAML task definition holds its environment values: the cache's
    directories and entries are the user's alone, whatever the umask."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(cache))
    previous = os.umask(0o022)
    try:
        assert run_meshify("lint", cwd=shop).returncode == 0
    finally:
        os.umask(previous)
    remembered = [Path(root, name) for root, _, names in os.walk(cache) for name in names]
    assert any(b"products-api" in path.read_bytes() for path in remembered)  # the YAML task definition's data
    assert {oct(Path(root).stat().st_mode & 0o777) for root, _, _ in os.walk(cache)} == {"0o700"}
    assert {oct(path.stat().st_mode & 0o777) for path in remembered} == {"0o600"}


def _aged(path: Path, days: float) -> None:
    import time

    when = time.time() - days * 86400
    os.utime(path, (when, when))


def _put(cache: Path, entry: str, size: int, days: float) -> Path:
    path = cache / entry[:2] / entry
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    _aged(path, days)
    return path


def test_entries_unused_for_a_month_are_removed_once_a_day_when_the_cache_is_written(tmp_path, monkeypatch):
    from meshify.injector import cache as on_disk

    cache = tmp_path / "cache"
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(cache))
    old = _put(cache, "aa" + "0" * 62, 10, days=31)
    recent = _put(cache, "ab" + "0" * 62, 10, days=29)
    leftover = _put(cache, "ac" + "0" * 62, 10, days=0.1)
    leftover = leftover.rename(leftover.with_name(f".{leftover.name}.4242"))  # a temporary a killed run left
    on_disk.store("ad" + "1" * 62, b"new")
    assert not old.exists() and not leftover.exists()
    assert recent.exists() and (cache / "ad" / ("ad" + "1" * 62)).read_bytes() == b"new"

    # The next sweep is a day away: an entry that ages meanwhile stays until then.
    _aged(recent, days=31)
    on_disk.remember("ae" + "2" * 62)
    assert recent.exists()
    _aged(cache / "last-sweep", days=1.1)
    on_disk.remember("ae" + "3" * 62)
    assert not recent.exists() and (cache / "ae" / ("ae" + "3" * 62)).exists()


def test_a_hit_keeps_an_entry_young(tmp_path, monkeypatch):
    from meshify.injector import cache as on_disk

    cache = tmp_path / "cache"
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(cache))
    used = _put(cache, "aa" + "0" * 62, 3, days=40)
    assert on_disk.load("aa" + "0" * 62) == b"xxx"
    assert on_disk.has("aa" + "0" * 62)
    on_disk.store("ab" + "1" * 62, b"new")
    assert used.exists()


def test_a_cache_over_its_size_bound_loses_its_oldest_entries_first(tmp_path, monkeypatch):
    from meshify.injector import cache as on_disk

    cache = tmp_path / "cache"
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(cache))
    monkeypatch.setattr(on_disk, "MAX_BYTES", 100)
    oldest = _put(cache, "aa" + "0" * 62, 40, days=3)
    older = _put(cache, "ab" + "0" * 62, 40, days=2)
    newer = _put(cache, "ac" + "0" * 62, 40, days=1)
    on_disk.store("ad" + "1" * 62, b"y" * 10)
    assert not oldest.exists()
    assert older.exists() and newer.exists() and (cache / "ad" / ("ad" + "1" * 62)).exists()


def test_a_sweep_that_cannot_remove_changes_nothing(tmp_path, monkeypatch):
    from meshify.injector import cache as on_disk

    cache = tmp_path / "cache"
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(cache))
    old = _put(cache, "aa" + "0" * 62, 10, days=31)
    monkeypatch.setattr(os, "unlink", lambda *args, **kwargs: (_ for _ in ()).throw(PermissionError("no")))
    on_disk.store("ad" + "1" * 62, b"new")
    assert old.exists() and (cache / "ad" / ("ad" + "1" * 62)).read_bytes() == b"new"

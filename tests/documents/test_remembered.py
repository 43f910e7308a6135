"""A remembered YAML document (data and positions kept in the cache) places every pointer
exactly where a fresh parse does."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from golden_cases import CORPUS, CORPUS_MANIFEST, SHOP
from meshify.injector.documents import yaml_text
from meshify.injector.documents.document import Document, TextYamlDocument
from meshify.injector.documents.remembered import RememberedDocument, position_table


def _pointers(value, pointer=""):
    yield pointer
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _pointers(item, f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _pointers(item, f"{pointer}/{index}")


def _assert_same_positions(path: str, text: str) -> int:
    fresh = TextYamlDocument(path, text)
    table = position_table(fresh)
    assert table is not None
    remembered = RememberedDocument(path, text, fresh.data, table)
    pointers = list(_pointers(fresh.data))[:3000]
    # elements that are not there: the nearest existing ancestor, as a fresh parse says
    pointers += [f"{p}/missing" for p in pointers[:50]] + [f"{p}/0/x" for p in pointers[:50]] + ["/nope/1"]
    for pointer in pointers:
        assert remembered.position(pointer) == fresh.position(pointer), pointer
    assert remembered.data == fresh.data and remembered.text == fresh.text
    return len(pointers)


@pytest.mark.parametrize("manifest", [SHOP / "meshify.yaml", CORPUS_MANIFEST], ids=["shop", "corpus"])
def test_every_element_of_a_manifest(manifest: Path):
    assert _assert_same_positions(str(manifest), manifest.read_text()) > 100


def test_flow_style_quotes_crlf_and_a_byte_order_mark():
    text = ('\ufeffversion: 1\r\nmesh: {name: "a/b", region: eu-west-1}\r\n'
            "nodes:\r\n  'x~y':\r\n    family: [a, b]\r\n    backends:\r\n    -  s.local\r\n"
            "    listeners:\r\n      - {port: 8080, protocol: http}  # comment\r\n")
    _assert_same_positions("m.yaml", text)


def test_anchors_and_aliases_are_not_tabled():
    text = "a: &x {b: 1}\nc: *x\n"
    assert position_table(TextYamlDocument("m.yaml", text)) is None


def test_the_corpus_yaml_files():
    files = sorted(CORPUS.rglob("*.y*ml")) if CORPUS.exists() else []
    if not files:
        pytest.skip(f"the shared corpus is absent ({CORPUS})")
    tabled = 0
    for path in files:
        try:
            fresh = TextYamlDocument(str(path), path.read_text())
        except Exception:
            continue  # not one YAML document meshify reads
        if position_table(fresh) is not None:
            tabled += 1
            _assert_same_positions(str(path), path.read_text())
    assert tabled >= 5


def test_an_edit_parses_the_file_then():
    manifest = SHOP / "meshify.yaml"
    text = manifest.read_text()
    fresh = TextYamlDocument(str(manifest), text)
    table = position_table(fresh)
    assert table is not None
    remembered = RememberedDocument(str(manifest), text, fresh.data, table)
    patch = [{"op": "replace", "path": "/mesh/name", "value": "market"}]
    assert remembered.render(patch) == fresh.render(patch)


# -- every YAML file (Document.load): a file read before, byte for byte, needs no parser -----------------------------


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("MESHIFY_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("MESHIFY_NO_CACHE", raising=False)
    return tmp_path / "cache"


def _no_parser(monkeypatch):
    def parsed(*arguments, **options):
        raise AssertionError("the YAML file was parsed")

    monkeypatch.setattr(yaml_text, "quick_load", parsed)
    monkeypatch.setattr(yaml_text, "load", parsed)


def test_a_yaml_task_definition_read_before_is_remembered_with_every_position(cache, monkeypatch):
    path = str(SHOP / "taskdefs" / "products-api-canary.yaml")
    first = Document.load(path)
    assert isinstance(first, TextYamlDocument)
    _no_parser(monkeypatch)
    second = Document.load(path)
    assert isinstance(second, RememberedDocument)
    assert (second.data, second.text, second.source, second.format) == (first.data, first.text, first.source, "yaml")
    pointers = list(_pointers(first.data))
    pointers += [f"{p}/missing" for p in pointers[:20]] + ["/nope/1"]
    assert [second.position(p) for p in pointers] == [first.position(p) for p in pointers]


def test_a_yaml_file_changed_by_one_byte_is_parsed_again(cache, tmp_path):
    path = tmp_path / "task.yaml"
    path.write_text("family: web\ncontainerDefinitions:\n  - name: app\n    image: nginx\n")
    assert isinstance(Document.load(str(path)), TextYamlDocument)
    path.write_text("family: web\ncontainerDefinitions:\n  - name: app\n    image: nginy\n")
    changed = Document.load(str(path))
    assert isinstance(changed, TextYamlDocument)
    assert changed.data["containerDefinitions"][0]["image"] == "nginy"


@pytest.mark.parametrize("text", ["a: &x {b: 1}\nc: *x\n", "Resources:\n  A: !Ref B\n"], ids=["alias", "short-form"])
def test_a_yaml_file_the_table_cannot_place_is_parsed_every_time(cache, tmp_path, text):
    path = tmp_path / "t.yaml"
    path.write_text(text)
    first = Document.load(str(path))
    second = Document.load(str(path))
    assert isinstance(second, TextYamlDocument) and second.data == first.data


def test_no_cache_means_a_parse_every_time(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("MESHIFY_NO_CACHE", "1")
    path = str(SHOP / "taskdefs" / "products-api-canary.yaml")
    Document.load(path)
    assert isinstance(Document.load(path), TextYamlDocument)
    assert not cache.exists()


def test_a_damaged_entry_is_read_afresh(cache):
    path = str(SHOP / "taskdefs" / "products-api-canary.yaml")
    first = Document.load(path)
    [entry] = [Path(root) / name for root, _, names in os.walk(cache) for name in names
               if not name.startswith("file-")]
    entry.write_bytes(entry.read_bytes()[:40])
    again = Document.load(path)
    assert isinstance(again, TextYamlDocument) and again.data == first.data

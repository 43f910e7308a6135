"""A remembered YAML document (data and positions kept in the cache) places every pointer
exactly where a fresh parse does."""

from __future__ import annotations

from pathlib import Path

import pytest
from golden_cases import CORPUS, CORPUS_MANIFEST, SHOP
from meshify.injector.documents.document import TextYamlDocument
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

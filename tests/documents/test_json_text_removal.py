"""Removing what an add put in gives back the text as it was, byte for byte, in every
layout the editor adds to (uninject relies on it)."""

from __future__ import annotations

import pytest
from meshify.injector.documents.json_text import JsonText

ITEM = {"containerName": "envoy", "condition": "HEALTHY"}

LAYOUTS = [
    # (text, the add, the remove that undoes it)
    ('{\n  "a": 1,\n  "list": [\n    {"x": 1}\n  ]\n}\n', "/list/-", "/list/1"),
    ('{\n  "a": 1,\n  "list": [{"x": 1}, {"y": 2}]\n}\n', "/list/-", "/list/2"),
    ('{"a": 1, "list": [{"x": 1}]}', "/list/-", "/list/1"),
    ('{\n\t"a": 1,\n\t"list": [\n\t\t{"x": 1}\n\t]\n}', "/list/0", "/list/0"),
    ('{\n    "a": 1,\n    "list": []\n}\n', "/list/-", "/list/0"),
    ('{\n  "a": 1\n}\n', "/dependsOn", "/dependsOn"),
    ('{\n  "a": {\n    "b": 1\n  }\n}\n', "/a/dependsOn", "/a/dependsOn"),
    ('{"a": {"b": 1}}', "/a/dependsOn", "/a/dependsOn"),
    ('{\n  "a": {}\n}\n', "/a/dependsOn", "/a/dependsOn"),
]


@pytest.mark.parametrize(("text", "added", "removed"), LAYOUTS)
def test_remove_undoes_add(text, added, removed):
    into_list = added.rsplit("/", 1)[1] == "-" or added.rsplit("/", 1)[1].isdigit()
    edited = JsonText(text)
    edited.apply({"op": "add", "path": added, "value": ITEM if into_list else [ITEM]})
    assert edited.text != text
    edited.apply({"op": "remove", "path": removed})
    assert edited.text == text

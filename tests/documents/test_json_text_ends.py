"""JsonText writes a patch that only adds at the ends of containers (inject's: a new Envoy
container, its log configuration inside it, dependsOn, proxyConfiguration) without
indexing the text, the adds inside a value added before folded into it: the text must be
byte for byte what the operations applied one at a time write, on every layout, and a
patch it cannot write so is left to the index-keeping editor, with nothing changed."""

from __future__ import annotations

import json

import jsonpatch
import pytest
from golden_cases import CASES, golden_paths
from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.documents import json_text as jsontext
from meshify.injector.documents.document import Document

ENVOY = {"name": "envoy", "image": "envoy:v1", "essential": True, "environment": [{"name": "A", "value": "1"}],
         "healthCheck": {"command": ["CMD-SHELL", "curl"], "interval": 5}}
INJECT = [
    {"op": "add", "path": "/containerDefinitions/-", "value": ENVOY},
    {"op": "add", "path": "/containerDefinitions/0/dependsOn", "value": [{"containerName": "envoy", "condition": "HEALTHY"}]},
    {"op": "add", "path": "/proxyConfiguration", "value": {"type": "APPMESH", "properties": [{"name": "X", "value": "1"}]}},
    {"op": "add", "path": "/containerDefinitions/1/logConfiguration",
     "value": {"logDriver": "awslogs", "options": {"region": "x"}}},
    {"op": "add", "path": "/containerDefinitions/1/logConfiguration/options/group", "value": "/ecs/envoy"},
    {"op": "add", "path": "/containerDefinitions/1/environment/-", "value": {"name": "B", "value": "2"}},
]
TASK = {"family": "web", "cpu": "256", "containerDefinitions": [{"name": "app", "image": "app:1", "portMappings": []}]}
LAYOUTS = {
    "two": json.dumps(TASK, indent=2) + "\n",
    "four": json.dumps(TASK, indent=4),
    "tabs": json.dumps(TASK, indent="\t") + "\n",
    "compact": json.dumps(TASK) + "\n",
    "tight": json.dumps(TASK, separators=(",", ":")),
    "inline-items": ('{\n  "family": "web", "cpu": "256",\n'
                     '  "containerDefinitions": [{"name": "app", "image": "app:1", "portMappings": []}]\n}\n'),
    "spaced-colons": ('{\n    "family" : "web",\n    "containerDefinitions" : [\n'
                      '        {\n            "name" : "app"\n        }\n    ]\n}\n'),
    "empty-lines": '{\n\n  "containerDefinitions": [\n\n    {\n      "name": "app"\n    }\n\n  ]\n\n}\n',
    "indented-below-top": '{"containerDefinitions": [\n    {\n        "name": "app"\n    }\n]}',
}


def _one_at_a_time(text: str, operations: list[dict]) -> str:
    edited = jsontext.JsonText(text)
    for operation in operations:
        edited.apply(operation)
    return edited.text


@pytest.mark.parametrize("name", LAYOUTS)
def test_injects_patch_is_written_without_an_index_as_one_at_a_time_writes_it(name):
    text = LAYOUTS[name]
    edited = jsontext.JsonText(text)
    edited.apply_all(INJECT)
    assert edited._spans is None  # nothing of the text was indexed
    assert edited.text == _one_at_a_time(text, INJECT)
    assert json.loads(edited.text) == jsonpatch.apply_patch(json.loads(text), INJECT)
    assert edited.spans == jsontext.index(edited.text)  # what a later edit would use
    given_data = jsontext.JsonText(text, json.loads(text))  # a document's data, not parsed again
    given_data.apply_all(INJECT)
    assert given_data.text == edited.text


def test_the_generated_task_definition_gets_exactly_this_text():
    text = LAYOUTS["two"]
    edited = jsontext.JsonText(text)
    edited.apply_all(INJECT[:3])
    assert edited.text == (
        '{\n  "family": "web",\n  "cpu": "256",\n  "containerDefinitions": [\n    {\n      "name": "app",\n'
        '      "image": "app:1",\n      "portMappings": [],\n      "dependsOn": [\n        {\n'
        '          "containerName": "envoy",\n          "condition": "HEALTHY"\n        }\n      ]\n    },\n'
        '    {\n      "name": "envoy",\n      "image": "envoy:v1",\n      "essential": true,\n'
        '      "environment": [\n        {\n          "name": "A",\n          "value": "1"\n        }\n      ],\n'
        '      "healthCheck": {\n        "command": [\n          "CMD-SHELL",\n          "curl"\n        ],\n'
        '        "interval": 5\n      }\n    }\n  ],\n  "proxyConfiguration": {\n    "type": "APPMESH",\n'
        '    "properties": [\n      {\n        "name": "X",\n        "value": "1"\n      }\n    ]\n  }\n}\n')


@pytest.mark.parametrize("operations", [
    [{"op": "add", "path": "/family", "value": "other"}],  # a member there: replaced
    [{"op": "add", "path": "/containerDefinitions/0", "value": {}}],  # before an item
    [{"op": "remove", "path": "/cpu"}],
    [{"op": "add", "path": "/proxyConfiguration", "value": {}}, {"op": "add", "path": "/proxyConfiguration", "value": 1}],
    [{"op": "add", "path": "/nothing/here", "value": 1}],
    [{"op": "add", "path": "/containerDefinitions/-", "value": ENVOY},
     {"op": "add", "path": "/containerDefinitions/1/name", "value": "again"}],  # replaces inside an added value
])
def test_a_patch_that_does_not_only_add_at_ends_is_left_to_the_indexing_editor(operations):
    _left_to_the_indexing_editor(LAYOUTS["two"], operations)


def test_an_empty_container_of_a_value_written_compact_is_left_to_the_indexing_editor():
    # The editor writes the first member of an empty container indented even in a value it
    # wrote on one line (the file is indented): not what rendering the value whole writes.
    text = LAYOUTS["inline-items"]
    _left_to_the_indexing_editor(text, [{"op": "add", "path": "/containerDefinitions/-", "value": {"options": {}}},
                                        {"op": "add", "path": "/containerDefinitions/1/options/a", "value": 1}])


def _left_to_the_indexing_editor(text, operations):
    edited = jsontext.JsonText(text)
    assert edited._add_at_ends(operations) is False
    assert edited.text == text
    if operations[0]["path"] != "/nothing/here":
        edited.apply_all(operations)
        assert edited.text == _one_at_a_time(text, operations)


@pytest.mark.parametrize(("name", "source", "manifest"), [case for case in CASES if case[1].suffix == ".json"],
                         ids=[case[0] for case in CASES if case[1].suffix == ".json"])
def test_the_golden_patches_write_the_same_text(name, source, manifest):
    if not source.exists():
        pytest.skip(f"{source} is not here (../shared/corpus)")
    patch = json.loads(golden_paths(name, source)[0].read_text())
    document = Document.load(str(source))
    edited = jsontext.JsonText(document.text)
    edited.apply_all(patch)
    assert edited.text == _one_at_a_time(document.text, patch)
    assert document.on_disk(edited.text) == document.render(patch)  # the document's own data given


# Any JSON value and layout, and patches of adds at ends (of the text's containers, or
# inside values added before), some of them not at an end.
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.text("ab~/é\"", max_size=3))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text("ab~/", max_size=2), inner, max_size=3)), max_leaves=8)
_LAYOUT = st.sampled_from([(2, ": "), (4, ": "), ("\t", ": "), (None, ": "), (None, ":"), (2, " : "), ("compact", ", ")])


def _written(value, layout) -> str:
    indent, colon = layout
    if indent == "compact":
        return json.dumps(value, separators=(", ", ": "), ensure_ascii=False)
    return json.dumps(value, indent=indent, separators=(",", colon), ensure_ascii=False)


def _containers(value, pointer=""):
    if isinstance(value, dict | list):
        yield pointer, value
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _containers(item, f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text("ab", max_size=2), _VALUES, min_size=0, max_size=4), _LAYOUT,
       st.lists(st.tuples(st.integers(0, 50), st.text("abc~/", max_size=2), _VALUES, st.booleans()), max_size=5))
def test_any_patch_of_adds_writes_what_one_at_a_time_writes(data, layout, choices):
    text = _written(data, layout) + "\n"
    current = json.loads(text)
    operations = []
    for index, key, value, middle in choices:
        pointer, container = list(_containers(current))[index % len(list(_containers(current)))]
        if isinstance(container, dict):
            path = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"
        else:
            path = f"{pointer}/{0 if middle and container else '-'}"
        operation = {"op": "add", "path": path, "value": value}
        operations.append(operation)
        current = jsonpatch.apply_patch(current, [operation])
    expected = _one_at_a_time(text, operations)
    edited = jsontext.JsonText(text)
    edited.apply_all(operations)
    assert edited.text == expected
    assert json.loads(edited.text) == current
    given_data = jsontext.JsonText(text, json.loads(text))
    given_data.apply_all(operations)
    assert given_data.text == expected


def test_a_line_an_earlier_add_moved_is_read_as_the_editor_then_reads_it():
    # Adding "3" puts "e" on a line indented as the items: its member is indented below that.
    text = '{\n  "a": [\n      1,\n  2], "e": {}\n}\n'
    operations = [{"op": "add", "path": "/a/-", "value": 3}, {"op": "add", "path": "/e/k", "value": 4}]
    edited = jsontext.JsonText(text)
    edited.apply_all(operations)
    assert edited.text == _one_at_a_time(text, operations) == \
        '{\n  "a": [\n      1,\n  2,\n      3], "e": {\n        "k": 4\n      }\n}\n'


@pytest.mark.parametrize("items", [0, 1, 15, 16, 17, 40])
def test_an_array_read_item_by_item_or_scanned_whole_gives_the_same_text(items):
    # Up to _ITEMS_WALKED items an array's end is found by scanning each item (the first
    # item's end then known for an add inside it); beyond, by scanning the array.
    task = {"family": "web", "containerDefinitions": [{"name": f"c{n}", "ports": [n, [n]], "env": {"k": "]"}}
                                                      for n in range(items)], "cpu": "256"}
    text = json.dumps(task, indent=2) + "\n"
    operations = [{"op": "add", "path": "/containerDefinitions/-", "value": ENVOY}]
    if items:
        operations += [{"op": "add", "path": "/containerDefinitions/0/dependsOn", "value": [{"containerName": "envoy"}]},
                       {"op": "add", "path": f"/containerDefinitions/{items - 1}/env/x", "value": "y"},
                       {"op": "add", "path": "/containerDefinitions/0/ports/1/-", "value": 2}]
    edited = jsontext.JsonText(text, json.loads(text))
    assert edited._add_at_ends(operations) is True
    assert edited.text == _one_at_a_time(text, operations)
    assert json.loads(edited.text) == jsonpatch.apply_patch(json.loads(text), operations)

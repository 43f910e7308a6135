"""JsonText keeps its index as it edits (and splices a run of appends at once) instead of
indexing the whole text again after every operation: the text it writes must be byte for
byte what the operations applied one at a time, each on a freshly indexed text, write, and
its index must be the index of its text after every operation."""

from __future__ import annotations

import json

import jsonpatch
import pytest
from golden_cases import CASES, golden_paths
from meshify.injector.documents import json_text as jsontext
from meshify.injector.documents.document import Document


class _Reindexing(jsontext.JsonText):
    """Every operation on its own, the whole text indexed again after it (as before)."""

    def _splice_indexed(self, start, end, replacement, removed=None):
        self._splice(start, end, replacement)

    def _index_inserted(self, pointer, value_start, key_start, end=None):
        pass

    def apply_all(self, operations):
        for operation in operations:
            self.apply(operation)


def _edited_both_ways(text, operations):
    reference = _Reindexing(text)
    reference.apply_all(operations)
    edited = jsontext.JsonText(text)
    for operation in operations:  # one by one: the index is checked after each
        edited.apply(operation)
        assert edited.spans == jsontext.index(edited.text), operation
    unread = jsontext.JsonText(text)  # inserted values indexed only when an edit reaches inside one
    for operation in operations:
        unread.apply(operation)
    assert unread.text == edited.text
    assert unread.spans == jsontext.index(unread.text)
    together = jsontext.JsonText(text)
    together.apply_all(operations)
    assert together.spans == jsontext.index(together.text)
    return reference.text, edited.text, together.text


@pytest.mark.parametrize(("name", "source", "manifest"), [case for case in CASES if case[1].suffix == ".json"],
                         ids=[case[0] for case in CASES if case[1].suffix == ".json"])
def test_the_golden_patches_write_the_same_text(name, source, manifest):
    if not source.exists():
        pytest.skip(f"{source} is not here (../shared/corpus)")
    patch = json.loads(golden_paths(name, source)[0].read_text())
    document = Document.load(str(source))
    reference, one_by_one, together = _edited_both_ways(document.text, patch)
    assert one_by_one == together == reference
    assert json.loads(together) == jsonpatch.apply_patch(document.data, patch)


STATEMENT = {"Effect": "Allow", "Action": ["appmesh:StreamAggregatedResources"]}
TEXTS = {
    "empty": '{"Statement": []}\n',
    "empty-indented": '{\n  "Version": "2012-10-17",\n  "Statement": []\n}\n',
    "inline": '{"Statement": [{"Effect": "Allow"}], "Other": {"a": 1}}\n',
    "indented": '{\n  "Statement": [\n    {"Effect": "Allow"}\n  ],\n  "Other": {\n    "a": [1, 2]\n  }\n}\n',
    "tabs": '{\n\t"Statement": [\n\t\t{\n\t\t\t"Effect": "Deny"\n\t\t}\n\t],\n\t"Version": "2012-10-17"\n}',
    "spaced-colons": '{\n    "Other" : {"a" : [ ]},\n    "Statement" : [\n        1\n    ]\n}\n',
}
OPERATIONS = [
    *({"op": "add", "path": "/Statement/-", "value": {**STATEMENT, "Resource": f"arn:{n}"}} for n in range(3)),
    {"op": "add", "path": "/Version", "value": "2012-10-17"},  # a member that exists: replaced
    {"op": "add", "path": "/Statement/-", "value": ["nested", {"deep": [1, {"x": None}]}]},
    {"op": "add", "path": "/Statement/1/Condition", "value": {"StringEquals": {"k": "v"}}},
    {"op": "add", "path": "/Statement/1/Condition/StringEquals/k2", "value": ["deeper"]},  # inside an inserted value
    {"op": "replace", "path": "/Statement/0", "value": {"Sid": "replaced"}},
    {"op": "add", "path": "/Other", "value": {"b": []}},
    {"op": "add", "path": "/Other/b/-", "value": "first"},
    {"op": "add", "path": "/Other/b/-", "value": "second"},
    {"op": "add", "path": "/Other/c~1d", "value": {"e~f": 1}},
    {"op": "add", "path": "/Statement/0", "value": "inserted first"},  # not an append: indexed again
    {"op": "remove", "path": "/Statement/1"},
    *({"op": "add", "path": "/Statement/-", "value": n} for n in range(4)),
    {"op": "replace", "path": "/Other/c~1d/e~0f", "value": [True, False]},
]


@pytest.mark.parametrize("name", TEXTS)
def test_edits_and_runs_of_appends_write_what_one_at_a_time_writes(name):
    text = TEXTS[name]
    reference, one_by_one, together = _edited_both_ways(text, OPERATIONS)
    assert one_by_one == together == reference
    assert json.loads(together) == jsonpatch.apply_patch(json.loads(text), OPERATIONS)


def test_a_policy_given_two_thousand_statements_is_exactly_this_text():
    statements = [{"Effect": "Allow", "Action": "appmesh:StreamAggregatedResources",
                   "Resource": f"arn:aws:appmesh:eu-west-1:111122223333:mesh/bench/virtualNode/node-{n}"}
                  for n in range(2000)]
    document = Document.load("policy.json", '{\r\n  "Version": "2012-10-17",\r\n  "Statement": []\r\n}\r\n')
    text = document.render([{"op": "add", "path": "/Statement/-", "value": statement} for statement in statements])
    body = ",\r\n".join(
        '    {\r\n'
        '      "Effect": "Allow",\r\n'
        '      "Action": "appmesh:StreamAggregatedResources",\r\n'
        f'      "Resource": "arn:aws:appmesh:eu-west-1:111122223333:mesh/bench/virtualNode/node-{n}"\r\n'
        '    }' for n in range(2000))
    assert text == '{\r\n  "Version": "2012-10-17",\r\n  "Statement": [\r\n' + body + '\r\n  ]\r\n}\r\n'

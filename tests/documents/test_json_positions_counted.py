"""``JsonDocument.position`` counts the newlines for a file's first positions itself and
builds a LineIndex only after ``COUNTED`` of them: every answer, the first as the
hundredth, must be the line index's."""

from __future__ import annotations

import json
from bisect import bisect_right

from meshify.injector.documents import json_text
from meshify.injector.documents.document import JsonDocument
from meshify.injector.documents.pointer import escape, split

TASKDEF = {
    "family": "f", "a/b": {"c~d": [1, 2, {"x": "y"}]}, "networkMode": "awsvpc",
    "containerDefinitions": [{"name": f"c{i}", "image": "x", "portMappings": [{"containerPort": 80 + i}],
                              "environment": [{"name": "A", "value": "1\n2"}]} for i in range(6)],
}


def _pointers(value, prefix=""):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _pointers(item, f"{prefix}/{escape(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _pointers(item, f"{prefix}/{index}")


def _by_index(text: str, pointer: str, data) -> tuple[int, int]:
    offset = json_text.locate(text, split(pointer), data)
    starts = [0] + [index + 1 for index, character in enumerate(text) if character == "\n"]
    line = bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


def _texts():
    yield json.dumps(TASKDEF, indent=2) + "\n"
    yield json.dumps(TASKDEF)  # one line
    yield json.dumps(TASKDEF, indent="\t").replace("\n", "\r\n")  # CRLF: positions in the LF text
    yield "\n\n" + json.dumps(TASKDEF, indent=4, separators=(",", " : "))


def test_every_position_first_or_late_is_the_line_index_answer():
    pointers = [*_pointers(TASKDEF), "/missing", "/containerDefinitions/9/name", "/a~1b/c~0d/2/x/deeper"]
    assert len(pointers) > 3 * json_text.COUNTED
    for text in _texts():
        document = JsonDocument("td.json", text)
        for pointer in pointers:
            assert document.position(pointer) == _by_index(document.text, pointer, document.data), (pointer, text[:20])
        for pointer in reversed(pointers):  # asked again, from the index now
            assert document.position(pointer) == _by_index(document.text, pointer, document.data), pointer


def test_a_line_index_built_late_answers_from_its_starts_at_once():
    text = json.dumps(TASKDEF, indent=2)
    index = json_text.LineIndex(text, counted=False)
    assert index.position(text.index('"networkMode"')) == (text[:text.index('"networkMode"')].count("\n") + 1, 3)
    assert index._starts is not None  # built at the first position
    assert json_text.LineIndex(text)._starts is None

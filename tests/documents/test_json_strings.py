"""Positions inside a JSON string literal: each character of the value maps to where it is
written, an escape to its backslash."""

from __future__ import annotations

import json

import pytest
from meshify.injector.documents import json_strings


@pytest.mark.parametrize("value", [
    "plain", 'q"uo\\te/', "tab\tnew\nline\r\b\f", "h\u00e9llo", "emoji \U0001F600 after", "", "\u2028",
])
def test_the_value_is_what_json_reads_and_each_character_maps_to_its_writing(value):
    for ensure_ascii in (True, False):
        literal = json.dumps(value, ensure_ascii=ensure_ascii)
        text = "  " + literal + ", 1"
        string = json_strings.decode(text, 2)
        assert string.value == value
        assert string.offsets[-1] == 2 + len(literal) - 1  # the closing quote
        for index, char in enumerate(value):  # each character decodes from where it maps to
            at = string.offsets[index]
            written = text[at : string.offsets[index + 1]]
            assert json.loads('"' + written + '"') == char, (value, index, written)


def test_a_slash_escape_and_a_lone_surrogate_escape_are_one_character_each():
    text = r'"a\/b\ud800c"'
    string = json_strings.decode(text, 0)
    assert string.value == json.loads(text)
    assert [text[at] for at in string.offsets[:-1]] == ["a", "\\", "b", "\\", "c"]


def test_locate_maps_an_element_of_the_json_inside_to_the_file():
    inner = json.dumps([{"name": "app"}, {"name": "envoy", "user": "1000"}], indent=2)
    text = '{"container_definitions": ' + json.dumps(inner) + "}"
    start = json_strings.member_value_start(text, 1)
    assert text[start] == '"'
    string = json_strings.decode(text, start)
    assert text[string.locate(["1", "user"]):].startswith('\\"user\\": \\"1000\\"')
    assert text[string.locate(["1"]):].startswith("{\\n")
    assert text[string.locate(["1", "absent"]):].startswith("{\\n")  # the nearest ancestor


def test_not_a_string_is_refused():
    with pytest.raises(ValueError, match="no string at 0"):
        json_strings.decode("[1]", 0)

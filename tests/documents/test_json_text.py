"""The JSON layer: the fast position walker agrees with the full index everywhere."""

from __future__ import annotations

import json

import pytest
from golden_cases import CORPUS, GOLDEN
from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.documents import json_text as jsontext
from meshify.injector.documents.pointer import split


def _files():
    files = sorted(GOLDEN.glob("*.json")) + sorted(CORPUS.glob("**/*.json"))
    for path in files:
        text = path.read_text()
        try:
            json.loads(text)
            jsontext.index(text)
        except (ValueError, jsontext.DuplicateKeyError):
            continue  # jq templates and the duplicate-key file
        yield path


@pytest.mark.parametrize("path", list(_files()), ids=lambda p: p.name)
def test_locate_agrees_with_the_full_index(path):
    text = path.read_text()
    for pointer, span in jsontext.index(text).items():
        expected = span.key_start if span.key_start is not None else span.start
        assert jsontext.locate(text, split(pointer)) == expected, pointer


def test_locate_falls_back_to_the_nearest_ancestor():
    text = '{\n  "a": [\n    {"b": 1}\n  ]\n}'
    assert jsontext.locate(text, ["a", "0", "missing"]) == text.index('{"b"')
    assert jsontext.locate(text, ["a", "7"]) == text.index('"a"')
    assert jsontext.locate(text, ["a", "0", "b", "deeper"]) == text.index('"b"')


def test_a_position_counted_is_the_position_indexed():
    text = '{\n  "a": [1,\n\n    2],\r\n"b": "x\\ny"\n}\n'
    counted = jsontext.LineIndex(text)
    answers = [counted.position(offset) for offset in range(len(text) + 1)]  # the first few counted, the rest indexed
    indexed = jsontext.LineIndex(text)
    indexed.asked = jsontext.LineIndex._COUNTED
    assert answers == [indexed.position(offset) for offset in range(len(text) + 1)]
    assert answers[text.index('"b"')] == (5, 1) and answers[text.index("2]")] == (4, 5)


_KEYS = st.sampled_from(["a", "family", "", "with space", 'quote"d', "back\\slash", "slash/", "tilde~", "é", "\u2028",
                         "\\u0061", "a\nb"])
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                     st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=8), _KEYS)
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=5),
                     max_leaves=25)


@pytest.mark.slow  # thousands of cases: the fast tier stays under 30 s
@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(_KEYS, _JSON, max_size=6), indent=st.sampled_from([None, 0, 2, "\t"]),
       separators=st.sampled_from([(",", ":"), (", ", ": "), (" , ", " : ")]), ascii_only=st.booleans())
def test_locate_agrees_with_the_full_index_whatever_the_keys_values_and_spacing(data, indent, separators, ascii_only):
    """Members skipped by the scanner give the index's offset for every pointer: escaped
    keys, exponents, literals, any spacing."""
    text = json.dumps(data, indent=indent, separators=separators, ensure_ascii=ascii_only)
    for pointer, span in jsontext.index(text).items():
        expected = span.key_start if span.key_start is not None else span.start
        assert jsontext.locate(text, split(pointer)) == expected, pointer

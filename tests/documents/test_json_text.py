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
        assert jsontext.locate(text, split(pointer), json.loads(text)) == expected, pointer


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
        assert jsontext.locate(text, split(pointer), data) == expected, pointer


def _indexed(text: str, tokens: list[str]) -> int:
    """The full index's answer for ``tokens``: the element's (a member's key), or its
    nearest existing ancestor's."""
    spans = jsontext.index(text)
    pointer, found = "", spans[""]
    for token in tokens:
        child = f"{pointer}/{token.replace('~', '~0').replace('/', '~1')}"
        if child not in spans:
            break
        pointer, found = child, spans[child]
    return found.key_start if found.key_start is not None else found.start


# Texts where a member's key, searched for as written, is somewhere else first or is not
# written as searched: each pointer's place is the index's.
_SEARCH_TRAPS = [
    ('{"a": {"family": 1}, "family": 2}', ["family"]),  # the same key nested first
    ('{"name": "family", "family": 2}', ["family"]),  # the key's text as a value first
    ('{"note": "[{", "family": 2}', ["family"]),  # brackets inside a string before it
    ('{"note": "}]", "family": 2}', ["family"]),
    ('{"note": "say \\"family\\": 1", "family": 2}', ["family"]),  # the key inside a string
    ('{"n": "\\"}\\"", "a": {"family": 1}, "family": 2}', ["family"]),  # escaped quotes around a bracket
    ('{"\\u0066amily": 1}', ["family"]),  # the key written with an escape
    ('{"\\u0066amily": {"x": 1}, "b": {"family": 2}}', ["family"]),
    ('{"\\u0066amily": {"x": 1}, "b": {"family": 2}}', ["b", "family"]),
    ('{"a": {"proxyConfiguration": 1}}', ["proxyConfiguration"]),  # absent: the root
    ('{"a": {"b": [1], "c": 2}}', ["a", "c"]),  # a bracket closes before it, in a nested object
    ('{"list": [{"x": 1}, {"y": 2}]}', ["list", "0", "y"]),  # absent here, present in the next item
    ('{"list": [{"x": {}}, {"y": 2}]}', ["list", "0", "y"]),
    ('{"a": {"x": 1}, "b": {"x": 2}}', ["b", "x"]),
    ('{"a": "", "": 1}', [""]),  # the empty key, after an empty string
    ('{"a": "x", "b": "", "c": 3}', [", "]),  # a needle across a string's end and the next one's start
    ('{"quote\\"d": 1, "b": {"quote\\"d": 2}}', ["b", 'quote"d']),
    ('{"é": 1, "ü": {"é": 2}}', ["ü", "é"]),
    ('{"\\u00e9": 1, "ü": {"é": 2}}', ["é"]),
    ('{"a":{"b":1},"b":{"a":2}}', ["b", "a"]),  # compact
    ('{\n\t"a": [\n\t\t1\n\t],\n\t"b": 2\n}', ["b"]),  # tabs
    ('{"a": 1, "b": {"c": 2}}', ["b", "c", "d"]),  # below a scalar: the scalar's member
    ('[{"a": 1}, {"a": 2}]', ["1", "a"]),  # an array at the root
]


@pytest.mark.parametrize(("text", "tokens"), _SEARCH_TRAPS)
def test_locate_finds_the_member_whatever_comes_before_it(text, tokens):
    assert jsontext.locate(text, tokens) == _indexed(text, tokens)
    assert jsontext.locate(text, tokens, json.loads(text)) == _indexed(text, tokens)  # the text's data known


# With the text's data known, a key is searched for without reading the text before it:
# the texts where the first ``"key":`` is not this object's key, or is no key at all.
_KNOWN_DATA_TRAPS = [
    ('{"a": ":x", ": ": 1}', [": "]),  # the needle from a string's closing quote, then a colon
    ('{"a": "b", ", ": {"c": 1}, "x": ", "}', [", ", "c"]),
    ('{"a": [{"b": {"family": 0}}], "family": 2}', ["family"]),  # the key deep in an earlier member
    ('{"a": [[{"family": 0}]], "family": 2}', ["family"]),
    ('{"a": ["family", {"x": "family"}], "family": 2}', ["family"]),  # as values only: searched
    ('{"a": {"b": 1}, "c": {"a": {"b": 2}}}', ["c", "a", "b"]),
    ('{"a": "\\\\", "family": 2}', ["family"]),  # a backslash before it
    ('{"family": 1, "b": "\\\\", "c": {"family": 2}}', ["c", "family"]),
    ('{"list": [{"x": 1}, {"y": 2}]}', ["list", "1", "y"]),
    ('{"list": [{"x": 1}, {"y": 2}]}', ["list", "01", "y"]),  # no such item: the list
    ('{"list": [{"x": 1}]}', ["list", "-", "y"]),
    ('{"list": [{"x": 1}]}', ["list", "\u0661", "x"]),  # a digit that is not ASCII: no item
    (' {"a": {"b": 1}}', ["a", "b"]),  # space before the root
]


@pytest.mark.parametrize(("text", "tokens"), _KNOWN_DATA_TRAPS)
def test_locate_with_the_data_finds_the_member_whatever_comes_before_it(text, tokens):
    assert jsontext.locate(text, tokens, json.loads(text)) == _indexed(text, tokens)
    assert jsontext.locate(text, tokens) == _indexed(text, tokens)


def test_a_json_document_finds_its_members_through_its_data():
    """A JSON document's positions read its data (a key after a bracketed member, found
    without the text before it counted), and agree with the index."""
    from meshify.injector.documents.document import JsonDocument

    text = '{\n  "a": ["x", {"b": ": "}],\n  ": ": {"family": 1},\n  "family": 2\n}\n'
    document = JsonDocument("t.json", text)
    assert document.position("/family") == (4, 3)
    assert document.position("/: /family") == (3, 10)
    assert document.position("/a/1/b") == (2, 15)


def test_a_finding_in_a_crlf_file_is_placed_on_its_line():
    from meshify.injector.documents.document import JsonDocument

    text = '{\r\n  "a": {"family": 1},\r\n\t"family": "x",\r\n  "b": [{"c": 1}]\r\n}\r\n'
    document = JsonDocument("t.json", text)
    assert document.position("/family") == (3, 2)
    assert document.position("/b/0/c") == (4, 10)
    assert document.position("/proxyConfiguration") == (1, 1)


@pytest.mark.slow  # thousands of cases: the fast tier stays under 30 s
@settings(max_examples=300, deadline=None)
@given(data=st.dictionaries(_KEYS, _JSON, max_size=6), indent=st.sampled_from([None, 0, 2, "\t"]),
       separators=st.sampled_from([(",", ":"), (", ", ": "), (" , ", " : ")]), ascii_only=st.booleans(),
       escaped=st.booleans(), absent=st.sampled_from(["family", "a", "", "zz"]))
def test_locate_agrees_with_the_full_index_for_absent_members_and_escaped_keys(data, indent, separators, ascii_only,
                                                                                escaped, absent):
    """A member searched for by its key, present or not, written plainly or with an escape
    (``"\\u0066amily"``: the same string), is where the index puts it (or its nearest
    existing ancestor)."""
    text = json.dumps(data, indent=indent, separators=separators, ensure_ascii=ascii_only)
    if escaped:
        text = text.replace('"family"', '"\\u0066amily"')  # an f inside a string either way: the same data
    for pointer in jsontext.index(text):
        for tokens in (split(pointer), [*split(pointer), absent]):
            assert jsontext.locate(text, tokens) == _indexed(text, tokens), tokens
            assert jsontext.locate(text, tokens, json.loads(text)) == _indexed(text, tokens), tokens

"""JsonText lists a container's members only when an edit reaches inside it: what it
finds about the whole file (its indentation unit, the way it writes a member's colon)
must be what the index of every value gives, on every JSON file of the corpus and the
fixtures, and on texts written in unusual ways."""

from __future__ import annotations

import json
from json.decoder import scanstring  # type: ignore[attr-defined]
from pathlib import Path

import pytest
from golden_cases import CORPUS
from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.documents import json_text as jsontext

ROOT = Path(__file__).resolve().parents[2]


def _unit_from_the_whole_index(text: str) -> str | None:
    spans = jsontext.index(text)
    for pointer, span in spans.items():
        if span.children:
            child = spans[f"{pointer}/{jsontext.escape(span.children[0])}"]
            first = child.key_start if child.key_start is not None else child.start
            if "\n" in text[span.start : first]:
                outer, inner = jsontext._line_indent(text, span.start), jsontext._line_indent(text, first)
                if len(inner) > len(outer) and inner.startswith(outer):
                    return inner[len(outer) :]
    return None


def _colon_from_the_whole_index(text: str) -> str:
    counts: dict[str, int] = {}
    for span in jsontext.index(text).values():
        if span.key_start is not None:
            _, key_end = scanstring(text, span.key_start + 1)
            between = text[key_end : span.start]
            if "\n" not in between:
                counts[between] = counts.get(between, 0) + 1
    return max(counts, key=lambda colon: (counts[colon], colon == ": ")) if counts else ": "


TEXTS = [
    '{"a": {"b" :1, "c" :2}, "d": 3}',
    '{\n    "a" : 1,\n    "b":2,\n    "c":3\n}',
    '[\n  1,\n  [\n      2\n  ]\n]',
    '[1, [2, [3]], {\n\t"x": {\n\t\t"y": "\\"quoted\\": no key"\n\t}\n}]',
    '{"key \\"with\\" quotes": "value: not a key", "k2"\n:\n"v"}',
    '"a lone string"', "42", "[]", "{}", '{"empty": {}, "nested": [[], {}]}',
    # No backslash (the colons are read from the text split at its quotes): strings that
    # hold colons, quotes' neighbours that look like a key's, brackets and commas.
    '{"a": ": b", "c" :": d", "e":": f", "g": ":"}',
    '{"a" : "x", "b" : "t:", "c": ["k:", 1]}',
    '{\n  "a":  "{}"\n}',
    '[": ", {"x"\t:\t1, "y"\t:\t2, "z": 3}, "] , {", "::"]',
    '{"only": "keys", "written" : 1, "here"  :  "::"}',
]


def _json_files() -> list[Path]:
    found = sorted(ROOT.joinpath("fixtures").rglob("*.json"))
    return found + (sorted(CORPUS.rglob("*.json")) if CORPUS.exists() else [])


@pytest.mark.parametrize("text", TEXTS)
def test_unusual_texts(text):
    edited = jsontext.JsonText(text)
    assert (edited.unit, edited.colon) == (_unit_from_the_whole_index(text), _colon_from_the_whole_index(text))
    assert edited.spans == jsontext.index(text)


def test_every_json_file_of_the_corpus_and_fixtures():
    checked = 0
    for path in _json_files():
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
        try:
            jsontext.index(text)
        except (ValueError, IndexError, jsontext.DuplicateKeyError):
            continue  # not JSON (a template with placeholders, a broken fixture)
        edited = jsontext.JsonText(text)
        assert edited.unit == _unit_from_the_whole_index(text), path
        assert edited.colon == _colon_from_the_whole_index(text), path
        checked += 1
    assert checked >= 20


# Any JSON value written in any layout (a colon of spaces, tabs or none around it; strings
# holding colons, brackets and quotes): what is read between each key and its value is
# what the index of every value finds, in the order of the text.
_KEYS = st.text(': "{}[],a\\', max_size=3)
_VALUES = st.recursive(st.one_of(st.none(), st.integers(-3, 3), _KEYS), lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=3)), max_leaves=10)


@settings(max_examples=400, deadline=None)
@given(_VALUES, st.sampled_from([None, 2, "\t"]), st.sampled_from([": ", ":", " : ", "\t:\t", " :  "]))
def test_the_colons_read_between_keys_and_values_are_the_index_ones(value, indent, colon):
    text = json.dumps(value, indent=indent, separators=("," if indent is not None else ", ", colon), ensure_ascii=False)
    spans = jsontext.index(text)
    expected = []
    for span in sorted(spans.values(), key=lambda span: span.start):
        if span.key_start is not None:
            expected.append(text[scanstring(text, span.key_start + 1)[1] : span.start])
    assert jsontext._member_colons(text) == expected
    assert jsontext.JsonText(text).colon == _colon_from_the_whole_index(text)

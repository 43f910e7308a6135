"""``json_text.loads`` reads the common text with the strict decoder's scanner alone
(``_decode``) and hands anything else to ``decode``: held to ``decode``'s own answer, the
value or the error line, on the texts where the two ways part (what follows the value, what
precedes it, a BOM, line endings, errors inside the value)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.documents import json_text as jsontext
from meshify.injector.errors import InputError


def outcome(text: str) -> object:
    try:
        return ("value", jsontext.loads(text, "f.json"))
    except InputError as error:
        return ("error", str(error))


def decode_outcome(text: str, monkeypatch: pytest.MonkeyPatch) -> object:
    """What ``loads`` answered before the scanner was called directly: ``decode`` only."""
    with monkeypatch.context() as patch:
        patch.setattr(jsontext, "_decode", jsontext._STRICT_DECODER.decode)
        return outcome(text)


CASES: list[tuple[str, object]] = [
    ('{"a": 1}', ("value", {"a": 1})),
    ('{"a": 1}\n', ("value", {"a": 1})),
    ('{"a": 1}\r\n', ("value", {"a": 1})),
    ('{\r\n  "a": 1\r\n}\r\n', ("value", {"a": 1})),
    ('{"a": 1}\n\n \t\r\n', ("value", {"a": 1})),
    ('\n  {"a": 1}\n', ("value", {"a": 1})),  # leading whitespace: decode's way
    ('[1, 2]', ("value", [1, 2])),
    ('"text"\n', ("value", "text")),
    ("12", ("value", 12)),
    ("12 ", ("value", 12)),
    ("null\n", ("value", None)),
    # Trailing text other than JSON's whitespace: decode's "Extra data", at its place.
    ('{"a": 1} x', ("error", "f.json:1:10: invalid JSON: Extra data")),
    ('{"a": 1}\n}\n', ("error", "f.json:2:1: invalid JSON: Extra data")),
    ('{"a": 1}{"b": 2}', ("error", "f.json:1:9: invalid JSON: Extra data")),
    ('{"a": 1}\x0c', ("error", "f.json:1:9: invalid JSON: Extra data")),  # str.isspace, not JSON's
    ('{"a": 1}\u00a0', ("error", "f.json:1:9: invalid JSON: Extra data")),
    ('{"a": 1}\x0b\n', ("error", "f.json:1:9: invalid JSON: Extra data")),
    ('{"a": 1}\n\ufeff', ("error", "f.json:2:1: invalid JSON: Extra data")),
    ("12 3", ("error", "f.json:1:4: invalid JSON: Extra data")),
    # A BOM: json.loads's own error; a BOM after leading whitespace: decode's.
    ('\ufeff{"a": 1}', ("error", "f.json:1:1: invalid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig)")),
    (' \ufeff{"a": 1}', ("error", "f.json:1:2: invalid JSON: Expecting value")),
    # Errors inside the value, raised by decode again.
    ('{"a": 1,}', ("error", "f.json:1:9: invalid JSON: Expecting property name enclosed in double quotes")),
    ('{"a" 1}\r\n', ("error", "f.json:1:6: invalid JSON: Expecting ':' delimiter")),
    ("x", ("error", "f.json:1:1: invalid JSON: Expecting value")),
    ('{"a": NaN}', ("error", "f.json: invalid JSON: NaN is not JSON")),
    ('{"a": 1, "a": 2}\n', ("error", 'f.json:1:10: duplicate key "a" (JSON parsers disagree on which one wins)')),
    ('{"a": "\x01"}', ("error", "f.json:1:8: invalid JSON: Invalid control character at")),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[repr(text) for text, _ in CASES])
def test_loads(text, expected, monkeypatch):
    assert outcome(text) == expected
    assert decode_outcome(text, monkeypatch) == expected


def test_the_error_chains_no_scanner_error():
    with pytest.raises(json.JSONDecodeError) as caught:
        jsontext._decode('{"a": 1} x')
    assert caught.value.__context__ is None


VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                      lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
                      max_leaves=8)
AROUND = st.lists(st.sampled_from([" ", "\t", "\n", "\r", "\r\n", "\x0b", "\x0c", "\u00a0", "\ufeff", "x", "}", "0", ","]),
                  max_size=4).map("".join)


@settings(max_examples=1500, deadline=None)
@given(st.tuples(AROUND, VALUES, st.sampled_from([None, 2]), AROUND))
def test_same_outcome_as_decode(case):
    before, value, indent, after = case
    text = before + json.dumps(value, indent=indent) + after
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert outcome(text) == decode_outcome(text, monkeypatch)

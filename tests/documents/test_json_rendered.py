"""The values inject adds are rendered once per batch and remembered by their compact C
encoding (json_text.rendered_indented): what it gives must be what dumps_indented writes for
the value asked for, whichever value with the same encoding was rendered first, on every
layout; values the C encoder does not write fail as dumps_indented fails; a slot whose
values never repeat stops being looked up; the memory is bounded."""

from __future__ import annotations

import json
import math
from enum import IntEnum
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.documents import json_text as jsontext
from meshify.injector.documents.json_text import dumps_indented, rendered_indented


@pytest.fixture(autouse=True)
def _forgotten():
    jsontext._RENDERED.clear()
    jsontext._SLOTS.clear()
    yield
    jsontext._RENDERED.clear()
    jsontext._SLOTS.clear()


class Number(IntEnum):
    ONE = 1


class Text(str):
    pass


class Mapping(dict):
    pass


def _twin(value: Any) -> Any:
    """A value of other Python types that the C encoder writes the same."""
    if isinstance(value, list):
        return tuple(_twin(item) for item in value)
    if isinstance(value, dict):
        twin = Mapping()
        for key, item in value.items():
            twin[int(key) if key.isdigit() and str(int(key)) == key else {"true": True, "null": None}.get(key, key)] = \
                _twin(item)
        return twin
    if value == 1 and type(value) is int:
        return Number.ONE
    if type(value) is str:
        return Text(value)
    return value


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=True),
                     st.text("ab1é\"\\\n", max_size=3))
_VALUES = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "1", "true", "null", "é"]), inner, max_size=3)),
    max_leaves=10)


@settings(max_examples=300, deadline=None)
@given(_VALUES, st.sampled_from(["  ", "    ", "\t"]), st.sampled_from([": ", ":", " : "]), st.sampled_from(["", "  ", "\t"]),
       st.booleans())
def test_a_remembered_text_is_what_dumps_indented_writes_for_the_value_asked_for(value, unit, colon, indent, twin_first):
    twin = _twin(value)
    first, second = (twin, value) if twin_first else (value, twin)
    assert rendered_indented(first, unit, colon, indent, "/slot") == dumps_indented(first, unit, colon, indent)
    assert rendered_indented(second, unit, colon, indent, "/slot") == dumps_indented(second, unit, colon, indent)
    assert rendered_indented(value, unit, colon, indent, "/slot") == dumps_indented(value, unit, colon, indent)
    for other_unit, other_colon, other_indent in ((unit + " ", colon, indent), (unit, colon + " ", indent),
                                                  (unit, colon, indent + " ")):
        assert rendered_indented(value, other_unit, other_colon, other_indent, "/slot") == \
            dumps_indented(value, other_unit, other_colon, other_indent)


def test_the_same_encoding_of_other_types_is_written_as_dumps_indented_writes_it():
    plain = {"1": [1, "x"], "null": None, "2.5": "y"}
    rendered_indented(plain, "  ", ": ", "", "/slot")
    twin = Mapping({1: (Number.ONE, Text("x")), None: None, 2.5: Text("y")})
    assert rendered_indented(twin, "  ", ": ", "", "/slot") == dumps_indented(twin, "  ", ": ", "") == \
        '{\n  "1": [\n    1,\n    "x"\n  ],\n  "null": null,\n  "2.5": "y"\n}'
    assert len(jsontext._RENDERED) == 1  # the second was found


def test_values_the_c_encoder_does_not_write_fail_as_dumps_indented_fails():
    circular: list[Any] = [1]
    circular.append(circular)
    for value in ({"a": object()}, circular, {(1, 2): 3}):
        with pytest.raises((TypeError, ValueError)) as expected:
            dumps_indented(value, "  ", ": ", "")
        with pytest.raises(type(expected.value), match=str(expected.value).replace("(", r"\(").replace(")", r"\)")):
            rendered_indented(value, "  ", ": ", "", "/slot")
    assert not jsontext._RENDERED
    nan = {"a": math.nan, "b": [math.inf, -math.inf]}
    assert rendered_indented(nan, "  ", ": ", "", "/slot") == dumps_indented(nan, "  ", ": ", "") == \
        json.dumps(nan, indent="  ")


def test_a_slot_whose_values_never_repeat_stops_being_looked_up(monkeypatch):
    encoded = []
    encode = jsontext._ENCODE

    def counted(value, level):
        encoded.append(value)
        return encode(value, level)

    monkeypatch.setattr(jsontext, "_ENCODE", counted)
    for number in range(100):
        assert rendered_indented({"node": f"n{number}"}, "  ", ": ", "", "/each") == \
            f'{{\n  "node": "n{number}"\n}}'
        assert rendered_indented({"same": 1}, "  ", ": ", "", "/same") == '{\n  "same": 1\n}'
    assert len([value for value in encoded if "node" in value]) == jsontext._SLOT_TRIED
    assert len([value for value in encoded if "same" in value]) == 100  # found each time: still looked up
    assert jsontext._SLOTS == {"/each": [16, 0], "/same": [100, 99]}


def test_what_is_remembered_is_bounded():
    for number in range(1000):
        rendered_indented([number], "  ", ": ", "", f"/slot{number % 300}")
        assert len(jsontext._RENDERED) <= jsontext._RENDERED_AT_MOST
        assert len(jsontext._SLOTS) <= jsontext._RENDERED_AT_MOST
    big = ["x" * (jsontext._RENDERED_KEY_AT_MOST + 1)]
    jsontext._RENDERED.clear()
    rendered_indented(big, "  ", ": ", "", "/big")
    assert not jsontext._RENDERED

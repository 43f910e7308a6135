"""The indented rendering of inserted values (``json_text.dumps_indented``) writes exactly
what the standard library's indented ``json.dumps`` writes, with the base indentation after
every newline, for every kind of value an editor may be handed: the plain values it renders
itself and anything else, which it hands to ``json.dumps``."""

from __future__ import annotations

import enum
import json
import random

import pytest
from meshify.injector.documents.json_text import dumps_indented


class Level(enum.IntEnum):
    HIGH = 3


def _reference(value, unit, colon, base_indent):
    return json.dumps(value, indent=unit, separators=(",", colon), ensure_ascii=False).replace("\n", "\n" + base_indent)


def _random_value(rng: random.Random, depth: int = 0):
    kinds = ["str", "int", "float", "bool", "none"] + (["dict", "list", "empty"] * 2 if depth < 4 else [])
    kind = rng.choice(kinds)
    if kind == "str":
        characters = ["a", "é", '"', "\\", "\n", "\t", "\x00", "\u2028", "😀", "/", " "]
        return "".join(rng.choice(characters) for _ in range(rng.randrange(6)))
    if kind == "int":
        return rng.choice([0, -1, 7, 2**70, -(2**40)])
    if kind == "float":
        return rng.choice([0.0, -0.0, 1.5, 1e100, 3.141592653589793, -2.5e-8])
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "none":
        return None
    if kind == "empty":
        return rng.choice([{}, []])
    if kind == "dict":
        return {_random_value(rng, 4) if rng.random() < 0.1 and depth else f"k{index}{'é' * index}":
                _random_value(rng, depth + 1) for index in range(rng.randrange(1, 4))}
    return [_random_value(rng, depth + 1) for _ in range(rng.randrange(1, 4))]


@pytest.mark.parametrize(("unit", "colon", "base_indent"),
                         [("  ", ": ", ""), ("  ", ": ", "      "), ("\t", ":", "\t\t"), ("    ", " : ", "  ")])
def test_random_values_render_as_json_dumps_renders_them(unit, colon, base_indent):
    rng = random.Random(f"{unit}{colon}{base_indent}")
    for _ in range(400):
        value = _random_value(rng)
        assert dumps_indented(value, unit, colon, base_indent) == _reference(value, unit, colon, base_indent), value


@pytest.mark.parametrize("value", [
    {"envoy": {"name": "envoy", "essential": True, "user": "1337", "environment": [{"name": "A", "value": "b"}],
               "healthCheck": {"command": ["CMD-SHELL", "curl"], "interval": 5}, "links": [], "options": {}}},
    {1: "an integer key", False: "a boolean key", None: "null key", 2.5: "a float key"},  # keys json.dumps converts
    {"tuple": (1, 2), "nan": float("nan"), "infinite": [float("inf"), float("-inf")]},  # values it writes its own way
    {"enum": Level.HIGH, "bool subclass key": {Level.HIGH: 1}},
    "a lone string", 42, None, [], {},
])
def test_values_it_does_not_render_itself_are_json_dumps_output(value):
    assert dumps_indented(value, "  ", ": ", "    ") == _reference(value, "  ", ": ", "    ")


def test_what_json_dumps_refuses_is_refused_alike():
    with pytest.raises(TypeError, match="not JSON serializable"):
        dumps_indented({"a": {1, 2}}, "  ", ": ")
    circular: list = []
    circular.append(circular)
    with pytest.raises(ValueError, match="Circular reference"):
        dumps_indented({"a": circular}, "  ", ": ")

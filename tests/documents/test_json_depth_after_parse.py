"""``json_text.loads`` checks the depth after the parse (the objects the decoder built stand
for the text's count of ``{``) and, when the parse fails, before its error is raised: every
outcome must be the one of checking first (``check_depth``, then the parse), the error's
message, place and chaining included."""

from __future__ import annotations

import json
import random

import pytest
from meshify.injector.documents import json_text, limits
from meshify.injector.errors import InputError

DEPTH = limits.MAX_DEPTH


def _checked_first(text: str, path: str):
    """loads as it was: check_depth before the parse."""
    if not text or text.isspace():
        raise InputError("the file is empty", path, 1, 1)
    json_text.check_depth(text, path)
    return json_text._parse(text, path)


def _outcome(load, text):
    try:
        return ("value", load(text, "f.json"))
    except Exception as error:  # the outcome is what is compared
        return ("error", type(error), str(error), getattr(error, "line", None), getattr(error, "column", None),
                error.__cause__ is None and (error.__context__ is None or error.__suppress_context__))


def _nested(levels: int, kinds: str, inner: str = "1") -> str:
    text = inner
    for index in range(levels):
        text = "[" + text + "]" if kinds[index % len(kinds)] == "[" else '{"k": ' + text + "}"
    return text


TEXTS = [
    *(_nested(levels, kinds) for levels in (DEPTH - 1, DEPTH, DEPTH + 1, DEPTH + 2, 3 * DEPTH, 5000)
      for kinds in ("[", "{", "[{", "{[", "{{[")),
    *(_nested(DEPTH + 1, "[{", inner) for inner in ("NaN", '"x"', "1" * 5000, "tru", '{"a": 1, "a": 2}', "")),
    _nested(DEPTH + 1, "[") + "x", "\ufeff" + _nested(DEPTH + 1, "{"), "\ufeff" + _nested(3, "{"),
    '{"a": 1, "a": 2, "b": ' + _nested(DEPTH + 1, "[") + "}",
    '{"a": 1, "a": 2, "b": ' + _nested(DEPTH - 5, "[") + "}",
    # Braces and brackets inside strings: counted by check_depth's bound, not nesting.
    json.dumps({"s": "{" * 300, "t": ["[" * 300]}), json.dumps({"s": "{" * 300}) + "x",
    json.dumps([{"a": [1]}] * 120), json.dumps({f"k{i}": {"v": [i]} for i in range(200)}, indent=2),
    json.dumps([[1]] * 60 + [{"a": {}}] * 60), "[" * 60 + "{" * 60, "{" * 101, "[" * 101 + "]" * 100,
    "", "   ", "\n", "{}", "[]", "1", '"x"', "{} {}", '{"a": 1,}', " " + _nested(DEPTH + 1, "["),
]


@pytest.mark.parametrize("index", range(len(TEXTS)))
def test_every_outcome_is_the_one_of_checking_the_depth_first(index):
    text = TEXTS[index]
    assert _outcome(json_text.loads, text) == _outcome(_checked_first, text)


def test_generated_nestings_of_objects_arrays_and_strings():
    chooser = random.Random(2026)
    for _ in range(400):
        levels = chooser.choice([1, 5, DEPTH - 2, DEPTH - 1, DEPTH, DEPTH + 1, DEPTH + 3, 2 * DEPTH])
        kinds = "".join(chooser.choice("[{") for _ in range(chooser.randint(1, 4)))
        text = _nested(levels, kinds, chooser.choice(['"{[{["', "1", "[]", "{}", '"x"', "NaN", ""]))
        siblings = chooser.randint(0, 3)
        text = "[" + ", ".join([text] + [_nested(chooser.randint(0, 60), "{[")] * siblings) + "]"
        if chooser.random() < 0.2:
            text = text[:chooser.randint(0, len(text))]  # cut short: malformed
        assert _outcome(json_text.loads, text) == _outcome(_checked_first, text), text[:80]

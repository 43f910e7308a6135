"""A botocore service model's JSON, its ``operations`` and ``shapes`` parsed member by member
as they are asked for: a run without the cache (``MESHIFY_NO_CACHE``) reads the ``ecs`` and
``appmesh`` models afresh, and a lint of a manifest and task definitions asks for about a
sixth of their shapes (96 of ecs's 743; json.loads of the whole ecs model is most of its
cost). With the cache, the whole model is parsed once and kept (``cache.parsed_file``).

botocore writes its models as ``{\\n  "key":value,\\n  ...}``, each member of ``operations``
and ``shapes`` on a line of its own indented by four spaces (a JSON string holds no newline,
so such a line is always a member). :func:`load` relies on that layout and checks it: a text
laid out otherwise is parsed whole with ``json.loads``, and a member whose value does not end
where the next begins makes its mapping parse the whole text again. Either way the values are
``json.loads``'s: each is parsed by the same decoder, from the same characters. (A name not
on such a line is answered as absent without a parse: botocore's models, the only texts read
here, have none; tests/model/test_model_text.py checks every member of the installed ones. A text that is not
JSON raises json.loads's error, when a member is asked for rather than at once.)"""

from __future__ import annotations

import json
from json.decoder import scanstring  # type: ignore[attr-defined]  # public since 2.6, untyped
from typing import Any

_DECODER = json.JSONDecoder()
_BY_MEMBER = ("operations", "shapes")


def load(text: str) -> dict[str, Any]:
    """``json.loads(text)``, with ``operations`` and ``shapes`` parsed member by member when asked."""
    try:
        model = _by_member(text)
    except ValueError:  # not as botocore lays it out (or not JSON: json.loads says why)
        model = None
    return json.loads(text) if model is None else model


def _by_member(text: str) -> dict[str, Any] | None:
    if not text.startswith('{\n  "'):
        return None
    model: dict[str, Any] = {}
    position = 1  # each top-level member: a newline, two spaces, its name
    while True:
        if not text.startswith('\n  "', position):
            return None
        key, after = scanstring(text, position + 4)
        if not text.startswith(":", after):
            return None
        start = after + 1
        if key in _BY_MEMBER and text.startswith("{", start):
            close = text.find("\n  }", start)  # the first line closing at this depth closes it
            members = _members(text, key, start, close) if close >= 0 else None
            if members is None:
                return None
            model[key], end = members, close + 4
        else:
            model[key], end = _DECODER.raw_decode(text, start)
        if text.startswith(",", end):
            position = end + 1
            continue
        return model if text[end:].rstrip(" \t\n\r") == "\n}" else None


def _members(text: str, key: str, start: int, close: int) -> _Members | None:
    """The object at ``start`` (``{``, closed by the line at ``close``) as a :class:`_Members`,
    or None if its members are not laid out one a line."""
    lines: list[int] = []  # where each member's line begins (str.find: the text is mostly not ASCII-only)
    line = text.find('\n    "', start, close)
    while line >= 0:
        lines.append(line)
        line = text.find('\n    "', line + 6, close)
    if not lines:
        return _Members(text, key, {}) if text[start + 1:close].strip(" \t\n\r") == "" else None
    if lines[0] != start + 1:
        return None
    # Where each member's value starts, and where it must end: at the comma before the next
    # member's line, or at the closing line for the last one.
    spans: dict[str, tuple[int, int]] = {}
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        name, after = scanstring(text, line + 6)
        end = close if following is None else following - 1
        if not text.startswith(":", after) or (following is not None and text[end] != ","):
            return None
        spans[name] = (after + 1, end)
    return _Members(text, key, spans)


class _Members(dict[str, Any]):
    """A JSON object's members, each parsed from the text the first time it is asked for;
    anything that needs them all (iteration, length, equality, ``items``, a copy) parses the
    rest first, in the file's order."""

    def __init__(self, text: str, key: str, spans: dict[str, tuple[int, int]]) -> None:
        super().__init__()
        self._text, self._key, self._spans = text, key, spans

    def __missing__(self, name: str) -> Any:
        span = self._spans.get(name)
        if span is None:
            raise KeyError(name)
        value, end = _DECODER.raw_decode(self._text, span[0])
        if end != span[1]:
            return self._whole()[name]
        dict.__setitem__(self, name, value)
        return value

    def _whole(self) -> _Members:
        """Every member, parsed (by ``json.loads`` of the whole text if a member was not where
        the layout put it), in the file's order."""
        if self._spans:
            spans, self._spans = self._spans, {}
            try:
                ordered = {name: dict.__getitem__(self, name) if dict.__contains__(self, name) else
                           self._parsed(name, span) for name, span in spans.items()}
            except _NotLaidOut:
                ordered = json.loads(self._text)[self._key]
            extra = {name: value for name, value in dict.items(self) if name not in ordered}
            dict.clear(self)
            dict.update(self, ordered)
            dict.update(self, extra)
        return self

    def _parsed(self, name: str, span: tuple[int, int]) -> Any:
        value, end = _DECODER.raw_decode(self._text, span[0])
        if end != span[1]:
            raise _NotLaidOut(name)
        return value

    def get(self, name: str, default: Any = None) -> Any:
        try:
            return self[name]
        except KeyError:
            return default

    def __contains__(self, name: object) -> bool:
        if isinstance(name, str) and name in self._spans and not dict.__contains__(self, name):
            self.get(name)  # parsed and checked: gone if it was not a member after all
        return dict.__contains__(self, name)

    def __reduce__(self) -> tuple[Any, ...]:
        return dict, (dict(self._whole().items()),)


class _NotLaidOut(Exception):
    """A member's value did not end where the next member begins."""


def _whole_first(name: str) -> Any:
    method = getattr(dict, name)

    def whole_first(self: _Members, *arguments: Any, **keywords: Any) -> Any:
        return method(self._whole(), *arguments, **keywords)

    whole_first.__name__ = name
    return whole_first


for _name in ("__iter__", "__len__", "__reversed__", "__repr__", "__eq__", "__ne__", "__or__", "__ror__", "__ior__",
              "keys", "values", "items", "copy", "pop", "popitem", "setdefault", "update", "__delitem__", "clear"):
    setattr(_Members, _name, _whole_first(_name))

"""JSON as the user wrote it: source positions, and edits that touch only what changes.

``json.loads`` gives the data at C speed but forgets where anything was. :func:`locate`
finds the offset of one JSON Pointer (a finding's line and column) by walking its path;
:func:`index` records every value's span, which duplicate keys and :class:`JsonText`
need: it applies RFC 6902 operations to the *text*, so that a rewritten file keeps its
indentation, key order, inline arrays and trailing newline: only the injected parts
change. Strings are decoded, and skipped values scanned, by the standard library.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]  # public since 2.6, untyped
from json.encoder import encode_basestring  # the C function where there is one
from reprlib import recursive_repr
from typing import Any

from meshify.injector.documents import limits
from meshify.injector.documents.pointer import escape, parent_and_token, split
from meshify.injector.errors import InputError

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = ("true", "false", "null")


def _skip(text: str, index: int) -> int:
    """The index of the first character at or after ``index`` that is not whitespace."""
    return _WHITESPACE.match(text, index).end()  # type: ignore[union-attr]


# Span, _Container and _Added write the __init__, __repr__ and __eq__ dataclasses would
# (init=False, repr=False, eq=False): read from the bytecode cache, where dataclasses compiles
# them at every start, about 4% of a warm lint for the three (tests/documents/test_json_text_classes.py).
@dataclass(slots=True, init=False, repr=False, eq=False)
class Span:
    """Where one value sits in the text; containers also know their children."""

    start: int
    end: int
    key_start: int | None = None
    children: list[str] | None = None
    close: int | None = None

    def __init__(self, start: int, end: int, key_start: int | None = None, children: list[str] | None = None,
                 close: int | None = None) -> None:
        self.start = start
        self.end = end
        self.key_start = key_start
        self.children = children
        self.close = close

    @recursive_repr()
    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(start={self.start!r}, end={self.end!r}, key_start={self.key_start!r}, "
                f"children={self.children!r}, close={self.close!r})")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return (self.start, self.end, self.key_start, self.children, self.close) == (
                other.start, other.end, other.key_start, other.children, other.close)
        return NotImplemented


class DuplicateKeyError(Exception):
    def __init__(self, key: str, offset: int) -> None:
        super().__init__(key)
        self.key = key
        self.offset = offset


class _Indexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.spans: dict[str, Span] = {}

    def value(self, index: int, pointer: str, key_start: int | None) -> int:
        text = self.text
        char = text[index : index + 1]
        if char == "{":
            return self.container(index, pointer, key_start, "}")
        if char == "[":
            return self.container(index, pointer, key_start, "]")
        if char == '"':
            _, end = scanstring(text, index + 1)
        elif (match := _NUMBER.match(text, index)) is not None:
            end = match.end()
        else:
            for literal in _LITERALS:
                if text.startswith(literal, index):
                    end = index + len(literal)
                    break
            else:
                raise ValueError(f"unexpected character at {index}")
        self.spans[pointer] = Span(index, end, key_start)
        return end

    def container(self, index: int, pointer: str, key_start: int | None, closer: str) -> int:
        text = self.text
        span = Span(index, index, key_start, [])
        self.spans[pointer] = span
        position = _skip(self.text, index + 1)
        count = 0
        seen: set[str] = set()
        while text[position] != closer:
            if count:
                position = _skip(self.text, position + 1)  # past the comma
            if closer == "}":
                member_start = position
                key, position = scanstring(text, position + 1)
                if key in seen:
                    raise DuplicateKeyError(key, member_start)
                seen.add(key)
                position = _skip(self.text, _skip(self.text, position) + 1)  # past the colon
                token = key
            else:
                member_start = None
                token = str(count)
            span.children.append(token)  # type: ignore[union-attr]
            position = _skip(self.text, self.value(position, f"{pointer}/{escape(token)}", member_start))
            count += 1
        span.close = position
        span.end = position + 1
        return span.end


def index(text: str) -> dict[str, Span]:
    """Spans of every value of a JSON text known to be valid, by JSON Pointer."""
    indexer = _Indexer(text)
    indexer.value(_skip(text, 0), "", None)
    return indexer.spans


_DECODER = json.JSONDecoder()


# What follows a member's key up to its value, and a value up to the next key or item
# (one regular expression each, so that walking past a member costs few calls).
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_COMMA = re.compile(r"[ \t\n\r]*(?:,[ \t\n\r]*)?")


NO_DATA = object()  # locate's data when the caller has none


def locate(text: str, tokens: list[str], data: Any = NO_DATA) -> int:
    """Offset of the element at the JSON Pointer ``tokens`` (a member's key for members;
    the nearest existing ancestor when it is absent). Walks only the path: a member is
    found by searching for its key (:func:`_find_member`; with ``data``, the text parsed,
    :func:`_find_known_member`), or else by skipping every value before it with the
    standard library's C scanner, so a finding's position costs a fraction of indexing
    the whole text."""
    position = root = 0 if text[:1] in ("{", "[") else _skip(text, 0)
    found = position
    colon, comma, scan = _COLON.match, _COMMA.match, _DECODER.scan_once  # type: ignore[attr-defined]  # set in __init__
    node = data  # the value at ``position`` (NO_DATA: not known)
    for token in tokens:
        opener = text[position : position + 1]
        if opener not in ("{", "["):
            return found
        if opener == "{":
            if node.__class__ is dict:
                if token not in node:
                    return found
                member = _find_known_member(text, position, token, node)
                node = node[token]
            else:
                member = _find_member(text, position, token, position == root)
                node = NO_DATA
            if member is _ABSENT:
                return found
            if member is not None:
                found, position = member
                continue
            items = None  # ``node`` is already the member's value
        else:
            items, node = node, NO_DATA
        position = _skip(text, position + 1)
        count = 0
        while text[position] not in "}]":
            key_start = position
            if opener == "{":
                key, position = scanstring(text, position + 1)
                position = colon(text, position).end()  # type: ignore[union-attr]  # valid JSON: always there
                matched = key == token
            else:
                matched = str(count) == token
            if matched:
                found = key_start
                if items.__class__ is list and count < len(items):
                    node = items[count]
                break
            _, position = scan(text, position)
            position = comma(text, position).end()  # type: ignore[union-attr]  # matches the empty string too
            count += 1
        else:
            return found
    return found


_ABSENT = (-1, -1)
# Between two places outside strings: no backslash, strings in pairs of quotes, no bracket
# inside a string. One match says the three (possessive: linear, no backtracking).
_PLAIN_STRINGS = re.compile(r'(?:[^"\\]*+"[^"\\\[\]{}]*+")*+[^"\\]*+')
_NEEDLES: dict[str, str] = {}  # a key as JSON writes it, for the few keys findings are placed at


def _find_member(text: str, start: int, key: str, root: bool) -> tuple[int, int] | None:
    """The member ``key`` of the object opening at ``start``, found by searching for the key
    as JSON writes it (``"key"``) rather than by reading every member before it: (the
    key's offset, its value's), or :data:`_ABSENT`. None when the text does not let a
    search decide (an escape before the key: a key written ``"\\u0066amily"``, a quote
    inside a string; a bracket inside a string; a closing bracket before it in a nested
    object), and the object is read member by member.

    With no backslash between the object's brace and a place, every quote there is a string's
    first or last (so an even count of them puts the place outside any string), and the
    brackets outside strings tell how deep the place is. The root object closes only at the
    end of the text, so its members are the keys at depth 0; in a nested object a bracket
    that closes could be its own, so a key there is known to be a member only when no
    bracket closes before it. Duplicate keys never get here (:func:`loads` refuses them)."""
    needle = _NEEDLES.get(key)
    if needle is None:
        needle = encode_basestring(key)
        if len(_NEEDLES) < 1024:
            _NEEDLES[key] = needle
    depth = 0
    after = start + 1  # outside any string, at ``depth``
    candidate = text.find(needle, after)
    while candidate != -1:
        # Only spaces before it: the object's first key (a task definition's family, a container's name).
        if candidate != after and not text[after:candidate].isspace():
            if _PLAIN_STRINGS.match(text, after, candidate).end() != candidate:  # type: ignore[union-attr]  # matches ""
                return None  # an escape, or a bracket inside a string; (an odd count of quotes cannot happen)
            opened = text.count("{", after, candidate) + text.count("[", after, candidate)
            closed = text.count("}", after, candidate) + text.count("]", after, candidate)
            if closed and not root:
                return None
            depth += opened - closed
        after = candidate + len(needle)
        if depth == 0 and (separator := _COLON.match(text, after)) is not None:
            return candidate, separator.end()
        candidate = text.find(needle, after)
    # The key is nowhere after the brace as JSON writes it; with no escape there, it is nowhere.
    return _ABSENT if text.find("\\", start) == -1 else None


def _find_known_member(text: str, start: int, key: str, members: dict[str, Any]) -> tuple[int, int] | None:
    """:func:`_find_member` knowing the object's ``members`` as parsed (``key`` among them):
    (the key's offset, its value's), or None when the text does not let a search decide.

    With no backslash between the object's brace and a place, every quote there opens or
    closes a string, so the first ``"key"`` followed by a colon is a member's key. It is this
    object's own unless a member before it holds an object with that key (its text lies
    between the brace and this object's ``key``): the members before ``key`` say so, at the
    cost of a look at each (nothing below a scalar), where counting the brackets before the
    key costs a pass over its text."""
    for name, value in members.items():
        if name == key:
            break
        if (value.__class__ is dict or value.__class__ is list) and _holds_key(value, key):
            return None
    needle = _NEEDLES.get(key)
    if needle is None:
        needle = encode_basestring(key)
        if len(_NEEDLES) < 1024:
            _NEEDLES[key] = needle
    # Most texts hold no backslash: ``in`` says so without str.find's parsing of its arguments
    # (about 1,500 instructions on Python 3.11).
    backslash = text.find("\\", start) if "\\" in text else -1
    candidate = text.find(needle, start + 1)
    # A needle found at a string's closing quote may go on past it (``", "``) when the key
    # starts with what may follow a string: then only a quote that opens a string (an even
    # count of quotes before it) starts the key. No other key's needle can start there.
    across = key[:1] in _AFTER_STRING
    while candidate != -1 and (backslash == -1 or candidate < backslash):
        if across and text.count('"', start, candidate) % 2:
            candidate = text.find(needle, candidate + 1)
            continue
        after = candidate + len(needle)
        if (separator := _COLON.match(text, after)) is not None:
            return candidate, separator.end()
        candidate = text.find(needle, after)  # the same text as a string value
    return None


_AFTER_STRING = frozenset(' \t\n\r,:]}')  # what may follow a string's closing quote in JSON


def _holds_key(value: Any, key: str) -> bool:
    """Whether an object in ``value`` (itself or below it) has a member ``key``."""
    items: Iterable[Any]
    if value.__class__ is dict:
        if key in value:
            return True
        items = value.values()
    elif value.__class__ is list:
        items = value
    else:
        return False
    # A loop, not any() over a generator: most values hold a few scalars.
    for item in items:  # noqa: SIM110
        if (item.__class__ is dict or item.__class__ is list) and _holds_key(item, key):
            return True
    return False


class _Duplicate(Exception):
    pass


# The objects the decoder has built since loads() set it to 0 (each through the hook below):
# with the arrays, a bound on the depth of a text just parsed (loads, check_depth's bound).
_objects = 0


def _reject_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    global _objects
    _objects += 1
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Duplicate
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# What ``json.loads(text, object_pairs_hook=..., parse_constant=...)`` builds for every call
# (a decoder and its scanner: half the cost of parsing a task definition), built once.
_STRICT_DECODER = json.JSONDecoder(object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant)
# Its C scanner (set by JSONDecoder.__init__, not in the stubs): (text, index) -> (value, end).
_SCAN_ONCE: Callable[[str, int], tuple[Any, int]] = _STRICT_DECODER.scan_once  # type: ignore[attr-defined]


def _decode(text: str) -> Any:
    """``_STRICT_DECODER.decode(text)``, the same value or the same error. The common text
    (a value from its first character, then nothing or JSON's whitespace: a final newline)
    is read by the decoder's scanner alone, without ``decode``'s and ``raw_decode``'s Python
    frames and their two whitespace matches; any other text, an error included, is handed
    to ``decode`` again, so that every error is raised by ``decode`` itself."""
    try:
        data, end = _SCAN_ONCE(text, 0)
    except Exception:  # leading whitespace (StopIteration), or any error: decode raises it
        pass
    else:
        if end == len(text) or not text[end:].strip(" \t\n\r"):  # json.decoder.WHITESPACE's characters
            return data
    return _STRICT_DECODER.decode(text)  # outside the handler: no exception chained to its error


COUNTED = 8  # positions answered by counting newlines before a file's index of line starts is built


class LineIndex:
    """Offsets to 1-based (line, column). A file asked for a few positions (a task
    definition's one or two findings) has its newlines counted for each, at C speed;
    the index of every line start is built only for a file asked for many."""

    _COUNTED = COUNTED

    def __init__(self, text: str, counted: bool = True) -> None:
        """``counted=False``: the index is built at the first position (its owner counted
        the first ones itself)."""
        self.text = text
        self.asked = 0 if counted else self._COUNTED
        self._starts: list[int] | None = None

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = [0] + [match.end() for match in re.finditer("\n", self.text)]
        return self._starts

    def position(self, offset: int) -> tuple[int, int]:
        self.asked += 1
        if self._starts is None and self.asked <= self._COUNTED:
            return self.text.count("\n", 0, offset) + 1, offset - self.text.rfind("\n", 0, offset)
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_LONG_INTEGER = re.compile(rf"\d{{{limits.MAX_INTEGER_DIGITS + 1},}}")


def check_depth(text: str, path: str) -> None:
    """Refuse JSON nested deeper than :data:`limits.MAX_DEPTH` before any recursive parser
    or indexer sees it. Linear, and only run when there are that many brackets at all."""
    if text.count("[") + text.count("{") <= limits.MAX_DEPTH:
        return
    _check_nesting(text, path)


def _check_nesting(text: str, path: str) -> None:
    """:func:`check_depth` once the brackets are known to be more than the bound."""
    depth = 0
    for match in _BRACKET_OR_STRING.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limits.MAX_DEPTH:
                line, column = LineIndex(text).position(match.start())
                raise InputError(f"nested more than {limits.MAX_DEPTH} levels deep", path, line, column)
        elif token in "]}":
            depth -= 1


def too_long_integer(text: str, path: str, error: ValueError) -> InputError:
    """The error for an integer literal of more digits than Python converts, at its place."""
    found = _LONG_INTEGER.search(text)
    if found is None:
        return InputError(f"cannot read a value: {error}", path)
    line, column = LineIndex(text).position(found.start())
    return InputError(f"an integer of {len(found.group()):,} digits, more than meshify reads "
                      f"({limits.MAX_INTEGER_DIGITS:,})", path, line, column)


def loads(text: str, path: str) -> Any:
    """Parse JSON; malformed text and duplicate keys are an :class:`InputError`. A text
    nested deeper than :data:`limits.MAX_DEPTH` is refused as :func:`check_depth` refuses
    it, whatever else is wrong with it: checked after the parse (the C scanner guards its
    own recursion), where the objects the decoder built stand for the text's count of
    ``{``, one pass over the text fewer; and before any error of the parse is raised."""
    global _objects
    if not text or text.isspace():  # not text.strip(), without copying the text
        raise InputError("the file is empty", path, 1, 1)
    _objects = 0
    failure: Exception | None = None
    try:
        data = _parse(text, path)
    except Exception as error:
        failure = error
    if failure is not None:
        check_depth(text, path)  # its error, as when it ran first (outside the handler: nothing chained)
        raise failure
    # No more objects and arrays than the bound: no deeper (the objects are real ones, not
    # a brace inside a string, which check_depth's own count takes too).
    if _objects + text.count("[") > limits.MAX_DEPTH:
        _check_nesting(text, path)
    return data


def _parse(text: str, path: str) -> Any:
    try:
        if text[:1] == "\ufeff":  # json.loads's own error for it
            return json.loads(text, object_pairs_hook=_reject_duplicates, parse_constant=_reject_constant)
        return _decode(text)
    except json.JSONDecodeError as error:
        raise InputError(f"invalid JSON: {error.msg}", path, error.lineno, error.colno) from None
    except RecursionError:  # a lower recursion limit than usual
        raise InputError("nested too deeply", path) from None
    except ValueError as error:  # NaN and Infinity; integers too long to convert
        if _LONG_INTEGER.search(text):
            raise too_long_integer(text, path, error) from None
        raise InputError(f"invalid JSON: {error}", path) from None
    except _Duplicate:
        try:
            index(text)
        except DuplicateKeyError as duplicate:
            line, column = LineIndex(text).position(duplicate.offset)
            raise InputError(
                f'duplicate key "{duplicate.key}" (JSON parsers disagree on which one wins)',
                path, line, column) from None
        raise


# ---------------------------------------------------------------------------------------
# Edits


class _NotPlain(Exception):
    pass


def dumps_indented(value: Any, unit: str, colon: str, base_indent: str = "") -> str:
    """``json.dumps(value, indent=unit, separators=(",", colon), ensure_ascii=False)`` with
    ``base_indent`` after every newline, byte for byte. The standard library renders an
    indented text with its pure-Python encoder (its C encoder serves only ``indent=None``),
    a generator per container: this writes the plain values an editor inserts (dicts with
    string keys, lists, strings, integers, finite floats, booleans, None) in one recursive
    pass, about four times faster, and hands anything else to ``json.dumps``."""
    parts: list[str] = []
    append, string = parts.append, encode_basestring

    def write(value: Any, newline: str) -> None:
        kind = type(value)
        if kind is str:
            append(string(value))
        elif kind is dict:
            if not value:
                append("{}")
                return
            inner = newline + unit
            separator = "{" + inner
            for key, item in value.items():
                if type(key) is not str:
                    raise _NotPlain
                if type(item) is str:  # most members: written here, not by a call
                    append(separator + string(key) + colon + string(item))
                else:
                    append(separator + string(key) + colon)
                    write(item, inner)
                separator = "," + inner
            append(newline + "}")
        elif kind is list:
            if not value:
                append("[]")
                return
            inner = newline + unit
            separator = "[" + inner
            for item in value:
                if type(item) is str:
                    append(separator + string(item))
                else:
                    append(separator)
                    write(item, inner)
                separator = "," + inner
            append(newline + "]")
        elif value is None:
            append("null")
        elif value is True:
            append("true")
        elif value is False:
            append("false")
        elif kind is int:
            append(int.__repr__(value))
        elif kind is float and math.isfinite(value):
            append(float.__repr__(value))
        else:
            raise _NotPlain

    try:
        write(value, "\n" + base_indent)
    except (_NotPlain, RecursionError):
        return json.dumps(value, indent=unit, separators=(",", colon), ensure_ascii=False).replace("\n", "\n" + base_indent)
    return "".join(parts)


def _unencodable(value: Any) -> Any:
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


# The standard library's C encoder, compact and with nothing but the JSON types (markers
# None: a value holding itself recurses until RecursionError), for the key of a rendered value.
try:
    from json.encoder import c_make_encoder  # type: ignore[attr-defined]

    _ENCODE = c_make_encoder(None, _unencodable, encode_basestring, None, ":", ",", False, False, True)
except (ImportError, TypeError):  # no C encoder here, or one called otherwise
    _ENCODE = None
_RENDERED: dict[tuple[str, str, str, str], str] = {}
_RENDERED_AT_MOST = 256  # values remembered (then forgotten all at once), and slots followed
_RENDERED_KEY_AT_MOST = 4096  # characters of the C encoding of a value remembered
# Per slot (the path of the operation that adds the value): [values looked up, found]. A
# slot whose values seldom repeat (an Envoy container per node, one task definition each)
# stops being looked up: its key would cost about 40% of rendering it.
_SLOTS: dict[str, list[int]] = {}
_SLOT_TRIED = 16  # values looked up before a slot may stop
_SLOT_PAYS = 0.4  # the share of them found below which it stops


def rendered_indented(value: Any, unit: str, colon: str, base_indent: str, slot: str) -> str:
    """:func:`dumps_indented`, remembered by the value's compact C encoding: a batch adds
    the same values to many files (inject's dependsOn and proxyConfiguration, an Envoy
    container for each task definition of a node), and the C encoder writes the key in a
    third of the time the indented text takes in Python. The indented text is a function
    of the compact one (the same encoder writes every string, number and key of both; a
    tuple and a list, a dict and its subclasses, an int and its subclasses write the
    same in both), of the unit, the colon and the indentation. A value the C encoder
    does not write (an unknown type, a value holding itself) is rendered as before."""
    counts = _SLOTS.get(slot)
    if counts is None:
        if len(_SLOTS) >= _RENDERED_AT_MOST:
            _SLOTS.clear()
        counts = _SLOTS[slot] = [0, 0]
    if _ENCODE is None or (counts[0] >= _SLOT_TRIED and counts[1] < counts[0] * _SLOT_PAYS):
        return dumps_indented(value, unit, colon, base_indent)
    try:
        encoded = "".join(_ENCODE(value, 0))
    except (TypeError, ValueError, RecursionError):
        return dumps_indented(value, unit, colon, base_indent)
    counts[0] += 1
    key = (encoded, unit, colon, base_indent)
    text = _RENDERED.get(key)
    if text is not None:
        counts[1] += 1
        return text
    text = dumps_indented(value, unit, colon, base_indent)
    if len(encoded) <= _RENDERED_KEY_AT_MOST:
        if len(_RENDERED) >= _RENDERED_AT_MOST:
            _RENDERED.clear()
        _RENDERED[key] = text
    return text


# Every string of a JSON text, with what follows it up to a value when it is a member's key.
_MEMBER_COLON = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"([ \t\n\r]*:[ \t\n\r]*)?', re.DOTALL)


# A string replaced by one quote, and what follows it up to a value when it is a member's key.
_KEY_COLON = re.compile(r'"([ \t\n\r]*:[ \t\n\r]*)')


def _member_colons(text: str) -> list[str]:
    """What the JSON ``text`` writes between each member's key and its value, in the order
    of the text. With no backslash in the text, every quote opens or closes a string: the
    text split at its quotes has the strings at the odd places, and with each string
    replaced by one quote, what follows a quote up to a colon is a key's (a colon outside
    strings separates a member's key from its value): two C passes and a search, where
    reading every string with a regular expression costs half again as much."""
    if "\\" in text:
        return [between for between in _MEMBER_COLON.findall(text) if between]  # "" after a string not a key
    return _KEY_COLON.findall('"'.join(text.split('"')[::2]))


_INDENT = re.compile(r"[ \t]*")


def _line_indent(text: str, offset: int) -> str:
    line_start = text.rfind("\n", 0, offset) + 1
    return _INDENT.match(text, line_start, offset).group()  # type: ignore[union-attr]  # matches the empty string too


_UNREAD: Any = object()  # JsonText: no data given, the text is parsed when asked


class JsonText:
    """A JSON text that RFC 6902 operations edit in place, leaving the rest byte-for-byte.

    Its index is built lazily, one container at a time: a container's members are listed
    (each value skipped by the standard library's C scanner) only when an edit reaches
    inside it. A task definition's few edits touch three or four containers of the file;
    indexing every value in Python cost more than the rest of the edit."""

    def __init__(self, text: str, data: Any = _UNREAD) -> None:
        self.text = text
        # What the text parses to, when the caller has it (a document's data, parsed as it
        # was read): what the patch-at-ends writer asks of the text's containers.
        self._data = data
        self._spans: dict[str, Span] | None = None
        # Containers whose span is known but whose own members are not listed yet: the
        # original text's containers until an edit reaches inside one, and the values
        # inserted whole (most never are: an Envoy container).
        self._shallow: set[str] = set()
        self._unit: str | bool | None = False
        self._colon: str | None = None

    @property
    def spans(self) -> dict[str, Span]:
        """Every value's span (inserted values indexed too)."""
        spans = self._index()
        while self._shallow:
            for pointer in sorted(self._shallow, key=len):
                self._expand(pointer)
        return spans

    def _index(self) -> dict[str, Span]:
        if self._spans is None:
            self._spans = {}
            self._shallow.clear()
            self._add_span("", _skip(self.text, 0), None)
        return self._spans

    def _span(self, pointer: str, members: bool = False) -> Span:
        """The span at ``pointer``, its own members' spans too when ``members``."""
        self._reach(pointer, members)
        return self._index()[pointer]

    def _reach(self, pointer: str, members: bool = False) -> None:
        """List the members of the containers that ``pointer`` lies inside (or is, with ``members``)."""
        self._index()
        shallow = self._shallow
        if not shallow:
            return
        if "" in shallow and (pointer or members):
            self._expand("")
        slash = pointer.find("/", 1)
        while slash != -1:  # the outer first
            if pointer[:slash] in shallow:
                self._expand(pointer[:slash])
            slash = pointer.find("/", slash + 1)
        if members and pointer in shallow:
            self._expand(pointer)

    def _expand(self, pointer: str) -> None:
        """List the members of the container at ``pointer`` (theirs stay unlisted)."""
        if pointer not in self._shallow:
            return
        self._shallow.discard(pointer)
        spans = self._index()
        span = spans[pointer]
        text = self.text
        is_object = text[span.start] == "{"
        closer = "}" if is_object else "]"
        children: list[str] = []
        span.children = children
        colon, comma, scan, prefix = _COLON.match, _COMMA.match, _DECODER.scan_once, pointer + "/"  # type: ignore[attr-defined]  # set in __init__
        position = _skip(text, span.start + 1)
        while text[position] != closer:
            if is_object:
                key_start: int | None = position
                token, position = scanstring(text, position + 1)
                position = colon(text, position).end()  # type: ignore[union-attr]  # valid JSON: always there
                child = prefix + (escape(token) if "~" in token or "/" in token else token)
            else:
                key_start, token = None, str(len(children))
                child = prefix + token
            _, end = scan(text, position)
            if text[position] in "{[":
                spans[child] = Span(position, end, key_start, None, end - 1)
                self._shallow.add(child)
            else:
                spans[child] = Span(position, end, key_start)
            children.append(token)
            position = comma(text, end).end()  # type: ignore[union-attr]  # past the comma: matches the empty string too

    @property
    def unit(self) -> str | None:
        if self._unit is False:
            self._unit = self._detect_unit()
        return self._unit  # type: ignore[return-value]

    def _detect_unit(self) -> str | None:
        # The first container (in the order of the text) whose first member starts a line
        # indented deeper than the container's own line: its members are listed only as
        # the walk reaches them, so a file indented at its top level lists one container.
        pending = [""]
        while pending:
            pointer = pending.pop()
            span = self._span(pointer, members=True)
            if span.children:
                first = self._child_start(pointer, span, 0)
                if "\n" in self.text[span.start : first]:
                    outer = _line_indent(self.text, span.start)
                    inner = _line_indent(self.text, first)
                    if len(inner) > len(outer) and inner.startswith(outer):
                        return inner[len(outer) :]
                prefix = pointer + "/"
                spans = self._index()
                pending.extend(child for token in reversed(span.children)
                               if spans[child := prefix + escape(token)].close is not None)
        return None

    @property
    def colon(self) -> str:
        """What the file writes between a member's key and its value (``": "``, ``" : "``,
        ``":"``): the most common among its members written on one line; ``": "`` when it
        has none."""
        if self._colon is None:
            found = _member_colons(self.text)
            if found and "\n" not in found[0] and found.count(found[0]) == len(found):  # one way (counted in C)
                self._colon = found[0]
                return found[0]
            counts: dict[str, int] = {}
            for between in found:
                if "\n" not in between:
                    counts[between] = counts.get(between, 0) + 1
            self._colon = max(counts, key=lambda colon: (counts[colon], colon == ": ")) if counts else ": "
        return self._colon

    def _child_start(self, pointer: str, span: Span, position: int) -> int:
        child = self._span(f"{pointer}/{escape(span.children[position])}")  # type: ignore[index]
        return child.key_start if child.key_start is not None else child.start

    def _render(self, value: Any, base_indent: str, compact: bool = False) -> str:
        if compact or self.unit is None:
            return json.dumps(value, separators=(", ", self.colon), ensure_ascii=False)
        return dumps_indented(value, self.unit, self.colon, base_indent)

    def _splice(self, start: int, end: int, replacement: str) -> None:
        """Replace ``text[start:end]``; the index is rebuilt when next asked for."""
        self.text = self.text[:start] + replacement + self.text[end:]
        self._spans = None

    def _splice_indexed(self, start: int, end: int, replacement: str, removed: str | None = None) -> None:
        """Replace ``text[start:end]`` and keep the index: the spans of the value at pointer
        ``removed`` (and below) are dropped, every offset after the splice moves by the
        length it gained. The caller indexes what it inserted (:meth:`_index_inserted`).
        Re-indexing the whole text after each edit made a file's few edits cost a few
        full indexes, and a run of K edits K indexes of a growing text."""
        spans = self._index()
        self.text = self.text[:start] + replacement + self.text[end:]
        if removed is not None:
            below = removed + "/"
            for pointer in [pointer for pointer in spans if pointer == removed or pointer.startswith(below)]:
                del spans[pointer]
            self._shallow = {pointer for pointer in self._shallow if pointer != removed and not pointer.startswith(below)}
        delta = len(replacement) - (end - start)
        if not delta:
            return
        for span in spans.values():
            # What starts at or after the end of the replaced text moves, as does every
            # container's closer there; a value that ends where text is inserted (the last
            # item, before an append) stays: no span ends inside what was replaced.
            if span.start >= end:
                span.start += delta
            if span.key_start is not None and span.key_start >= end:
                span.key_start += delta
            if span.end > end:
                span.end += delta
            if span.close is not None and span.close >= end:
                span.close += delta

    def _index_inserted(self, pointer: str, value_start: int, key_start: int | None, end: int | None = None) -> None:
        """Index the value just written from ``value_start`` (to ``end``, when the caller
        knows it: the length of what it rendered): a scalar at once; a container by its
        own span only, its members when an edit reaches inside it."""
        self._add_span(pointer, value_start, key_start, end)

    def _add_span(self, pointer: str, value_start: int, key_start: int | None, end: int | None = None) -> None:
        if end is None:
            _, end = _DECODER.scan_once(self.text, value_start)  # type: ignore[attr-defined]  # set in __init__
        if self.text[value_start] in "{[":
            self._spans[pointer] = Span(value_start, end, key_start, None, end - 1)  # type: ignore[index]
            self._shallow.add(pointer)
        else:
            self._spans[pointer] = Span(value_start, end, key_start)  # type: ignore[index]

    def apply_all(self, operations: list[dict[str, Any]]) -> None:
        """Apply ``operations`` in order, as :meth:`apply` one by one would. A run of
        appends to one array (a policy growing by a statement per node) is one splice.
        A patch that only adds at the ends of containers (inject's) is written without
        an index (:meth:`_add_at_ends`)."""
        if self._spans is None and self._add_at_ends(operations):
            return
        position = 0
        while position < len(operations):
            operation = operations[position]
            following = position + 1
            if operation["op"] == "add" and operation["path"].endswith("/-"):
                while following < len(operations) and operations[following]["op"] == "add" \
                        and operations[following]["path"] == operation["path"]:
                    following += 1
            if following - position > 1:
                self._append_all(operation["path"], [item["value"] for item in operations[position:following]])
            else:
                self.apply(operation)
            position = following

    def _append_all(self, pointer: str, values: list[Any]) -> None:
        """``add`` of each of ``values`` at ``pointer`` (``.../-``), in one splice."""
        parent_pointer, _ = parent_and_token(pointer)
        parent = self._span(parent_pointer, members=True)
        if self.text[parent.start] != "[":  # a member named "-": each add replaces the last
            for value in values:
                self._add(pointer, value)
            return
        if not parent.children:
            self._add(pointer, values[0])  # the first item of an empty array sets the layout
            values = values[1:]
        children = parent.children or []
        first = self._child_start(parent_pointer, parent, 0)
        if "\n" not in self.text[parent.start : first] or self.unit is None:
            separator, indent = ", ", ""
            rendered = [self._render(value, "", compact=True) for value in values]
        else:
            separator, indent = ",\n", _line_indent(self.text, first)
            rendered = [indent + self._render(value, indent) for value in values]
        last = self._span(f"{parent_pointer}/{escape(children[-1])}")
        at = last.end
        self._splice_indexed(at, at, "".join(separator + item for item in rendered))
        count = len(children)
        for item in rendered:
            at += len(separator)
            token = str(count)
            self._index_inserted(f"{parent_pointer}/{token}", at + len(indent), None, at + len(item))
            children.append(token)
            at += len(item)
            count += 1

    def _add_at_ends(self, operations: list[dict[str, Any]]) -> bool:
        """``apply_all`` of a patch whose every operation adds a new last member or item:
        to a container of the text (an object without that key; an array, at ``-`` or
        its length), or inside a value an earlier operation of the patch added (folded
        into that value, which is then rendered once: the same text as adding to it
        after it was written). False, with nothing changed, for any other patch, which
        the index-keeping editor applies. The text's containers on the patch's paths
        are walked with the C scanner, nothing else is listed: this is inject's patch
        (four adds) on every file of a batch, and it writes exactly what :meth:`apply`
        one operation at a time writes (tests/documents/test_json_text_ends.py)."""
        text = self.text
        if self._unit is False:
            self._unit = _top_level_unit(text)
        ends = _Ends(text, self._data)
        added: dict[str, _Added] = {}  # the pointer of each value added so far
        inserted: list[_Added] = []
        for operation in operations:
            pointer = operation.get("path") if operation.get("op") == "add" else None
            if not isinstance(pointer, str) or not pointer.startswith("/"):
                return False
            host = _host(pointer, added)
            if host is not None:  # inside a value added before: folded into it
                try:
                    host.value = _appended_to(host.value, split(pointer[len(host.pointer) :]),
                                              operation["value"], host.compact)
                except _NotAtEnd:
                    return False
                continue
            parent_pointer, token = parent_and_token(pointer)
            parent = ends.container(parent_pointer)
            if parent is None:
                return False
            if parent.is_object:
                if token in parent.keys:
                    return False  # RFC 6902 replaces an existing member
                parent.keys.add(token)
                child_pointer = pointer
            else:
                if token not in ("-", str(parent.count)):
                    return False
                child_pointer = f"{parent_pointer}/{parent.count}"
            item = _Added(child_pointer, parent, token, operation["value"], parent.count, pointer)
            parent.count += 1
            if not self._lay_out(ends, item):
                return False
            added[child_pointer] = item
            inserted.append(item)
        by_parent: dict[int, list[_Added]] = {}
        for item in inserted:
            by_parent.setdefault(id(item.parent), []).append(item)
        replacements: list[tuple[int, int, str]] = []
        for items in by_parent.values():
            parent = items[0].parent
            body = "".join(item.separator + self._rendered(item) for item in items)
            if parent.first == parent.close:  # it was empty: what it held (whitespace) is replaced
                tail = "" if items[0].compact else "\n" + _line_indent(text, parent.start)
                replacements.append((parent.start + 1, parent.close, body + tail))
            else:
                replacements.append((parent.last_end, parent.last_end, body))
        pieces: list[str] = []
        position = 0
        for start, end, body in sorted(replacements):
            pieces += [text[position:start], body]
            position = end
        pieces.append(text[position:])
        self.text = "".join(pieces)
        self._spans = None  # an index made for the unit (a file indented below its top level) is the old text's
        self._shallow.clear()
        return True

    def _lay_out(self, ends: _Ends, item: _Added) -> bool:
        """How ``item`` is written (as :meth:`_add` would, in the text as it is when its
        operation comes): compact or indented, its indentation and separator. False when
        an earlier insertion changed a line this reads."""
        parent = item.parent
        text = self.text
        unit = self.unit
        if item.number == 0:  # the first of an empty container
            item.compact = unit is None
            if not item.compact:
                if ends.moved(parent.start):
                    return False
                item.indent = _line_indent(text, parent.start) + unit  # type: ignore[operator]
                item.separator = "\n"
            parent.inline = item.compact
            parent.first_indent = item.indent
        else:
            if parent.inline is None:  # its first member is the text's
                parent.inline = "\n" not in text[parent.start : parent.first]
            item.compact = parent.inline or unit is None
            if not item.compact:
                if parent.first != parent.close:  # read again each time, as apply does
                    if ends.moved(parent.first):
                        return False
                    parent.first_indent = _line_indent(text, parent.first)
                item.indent = parent.first_indent
            item.separator = ", " if item.compact else ",\n"
        ends.insertions.append(parent.start + 1 if parent.first == parent.close else parent.last_end)
        return True

    def _rendered(self, item: _Added) -> str:
        prefix = encode_basestring(item.token) + self.colon if item.parent.is_object else ""  # json.dumps's, for a str
        if item.compact:
            return prefix + self._render(item.value, "", compact=True)
        unit = self.unit
        if unit is None:
            return item.indent + prefix + self._render(item.value, item.indent)
        return item.indent + prefix + rendered_indented(item.value, unit, self.colon, item.indent, item.slot)

    def apply(self, operation: dict[str, Any]) -> None:
        kind = operation["op"]
        if kind == "add":
            self._add(operation["path"], operation["value"])
        elif kind == "remove":
            self._remove(operation["path"])
        elif kind == "replace":
            self._replace(operation["path"], operation["value"])
        else:
            raise ValueError(f"unsupported operation {kind!r}")

    def _replace(self, pointer: str, value: Any) -> None:
        span = self._span(pointer)
        start, key_start = span.start, span.key_start
        rendered = self._render(value, _line_indent(self.text, start))
        self._splice_indexed(start, span.end, rendered, removed=pointer)
        self._index_inserted(pointer, start, key_start, start + len(rendered))

    def _add(self, pointer: str, value: Any) -> None:
        parent_pointer, token = parent_and_token(pointer)
        parent = self._span(parent_pointer, members=True)
        is_object = self.text[parent.start] == "{"
        if is_object and pointer in self._index():  # RFC 6902: adding an existing member replaces it
            self._replace(pointer, value)
            return
        children = parent.children or []
        member_prefix = json.dumps(token, ensure_ascii=False) + self.colon if is_object else ""
        inline = bool(children) and "\n" not in self.text[parent.start : self._child_start(parent_pointer, parent, 0)]
        # Where the new member or item starts in what is spliced in (its key, or its value).
        child_indent = ""
        if inline or self.unit is None:
            rendered = member_prefix + self._render(value, "", compact=True)
            if not children:
                self._appended(parent_pointer, parent, token, is_object, parent.start + 1, parent.close, rendered,  # type: ignore[arg-type]
                               0, len(member_prefix),
                           len(rendered) - len(child_indent) - len(member_prefix))
                return
            separator = ", "
        else:
            if children:
                child_indent = _line_indent(self.text, self._child_start(parent_pointer, parent, 0))
            else:
                child_indent = _line_indent(self.text, parent.start) + self.unit
            rendered = child_indent + member_prefix + self._render(value, child_indent)
            if not children:
                closing_indent = _line_indent(self.text, parent.start)
                self._appended(parent_pointer, parent, token, is_object, parent.start + 1, parent.close,  # type: ignore[arg-type]
                               f"\n{rendered}\n{closing_indent}", 1 + len(child_indent), len(member_prefix),
                           len(rendered) - len(child_indent) - len(member_prefix))
                return
            separator = ",\n"
        position = len(children) if is_object or token == "-" else int(token)
        if position >= len(children):
            last = self._span(f"{parent_pointer}/{escape(children[-1])}")
            self._appended(parent_pointer, parent, token, is_object, last.end, last.end, separator + rendered,
                           len(separator) + len(child_indent), len(member_prefix),
                           len(rendered) - len(child_indent) - len(member_prefix))
        else:
            before = self._child_start(parent_pointer, parent, position)
            if inline or self.unit is None:
                self._splice(before, before, rendered + separator)
            else:
                line_start = before - len(_line_indent(self.text, before))
                self._splice(line_start, line_start, rendered + separator)

    def _appended(self, parent_pointer: str, parent: Span, token: str, is_object: bool, start: int, end: int,
                  replacement: str, child_offset: int, prefix_length: int, value_length: int) -> None:
        """Splice in a new last member or item (``replacement`` replaces ``text[start:end]``,
        the child starting ``child_offset`` into it, its value ``value_length`` long) and index it."""
        children = parent.children if parent.children is not None else []
        self._splice_indexed(start, end, replacement)
        child_token = token if is_object else str(len(children))
        key_start = start + child_offset if is_object else None
        value_start = start + child_offset + prefix_length
        self._index_inserted(f"{parent_pointer}/{escape(child_token)}", value_start, key_start, value_start + value_length)
        children.append(child_token)
        parent.children = children

    def _remove(self, pointer: str) -> None:
        parent_pointer, token = parent_and_token(pointer)
        parent = self._span(parent_pointer, members=True)
        children = parent.children or []
        position = children.index(token)
        span = self._span(pointer)
        if len(children) == 1:
            self._splice(parent.start + 1, parent.close, "")  # type: ignore[arg-type]
        elif position > 0:
            previous = self._span(f"{parent_pointer}/{escape(children[position - 1])}")
            self._splice(previous.end, span.end, "")
        else:
            start = span.key_start if span.key_start is not None else span.start
            self._splice(start, self._child_start(parent_pointer, parent, 1), "")


# ---------------------------------------------------------------------------------------
# JsonText._add_at_ends: what it needs to know of the text and of each added value


class _NotAtEnd(Exception):
    pass


@dataclass(slots=True, init=False, repr=False, eq=False)  # its methods written as dataclasses would (Span)
class _Container:
    """A container of the text as read: where it opens and closes, where its first member
    starts and its last value ends, its members' keys (an object's, with those a patch
    adds) or its number of items (with those a patch adds)."""

    start: int
    is_object: bool
    keys: set[str]
    count: int
    first: int  # == close when it is empty
    last_end: int
    close: int
    inline: bool | None = None  # its members on the line it opens (None: not read yet)
    first_indent: str = ""

    def __init__(self, start: int, is_object: bool, keys: set[str], count: int, first: int, last_end: int, close: int,
                 inline: bool | None = None, first_indent: str = "") -> None:
        self.start = start
        self.is_object = is_object
        self.keys = keys
        self.count = count
        self.first = first
        self.last_end = last_end
        self.close = close
        self.inline = inline
        self.first_indent = first_indent

    @recursive_repr()
    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(start={self.start!r}, is_object={self.is_object!r}, keys={self.keys!r}, "
                f"count={self.count!r}, first={self.first!r}, last_end={self.last_end!r}, close={self.close!r}, "
                f"inline={self.inline!r}, first_indent={self.first_indent!r})")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return (self.start, self.is_object, self.keys, self.count, self.first, self.last_end, self.close,
                    self.inline, self.first_indent) == (
                other.start, other.is_object, other.keys, other.count, other.first,
                other.last_end, other.close, other.inline, other.first_indent)
        return NotImplemented


@dataclass(slots=True, init=False, repr=False, eq=False)  # its methods written as dataclasses would (Span)
class _Added:
    """A value a patch adds as a new last member or item of ``parent``."""

    pointer: str
    parent: _Container
    token: str
    value: Any
    number: int  # the members the parent had before it
    slot: str  # the path of the operation that adds it: values added there are remembered together
    compact: bool = False
    indent: str = ""
    separator: str = ""

    def __init__(self, pointer: str, parent: _Container, token: str, value: Any, number: int, slot: str,
                 compact: bool = False, indent: str = "", separator: str = "") -> None:
        self.pointer = pointer
        self.parent = parent
        self.token = token
        self.value = value
        self.number = number
        self.slot = slot
        self.compact = compact
        self.indent = indent
        self.separator = separator

    @recursive_repr()
    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(pointer={self.pointer!r}, parent={self.parent!r}, token={self.token!r}, "
                f"value={self.value!r}, number={self.number!r}, slot={self.slot!r}, compact={self.compact!r}, "
                f"indent={self.indent!r}, separator={self.separator!r})")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return (self.pointer, self.parent, self.token, self.value, self.number, self.slot, self.compact,
                    self.indent, self.separator) == (
                other.pointer, other.parent, other.token, other.value, other.number,
                other.slot, other.compact, other.indent, other.separator)
        return NotImplemented


class _Ends:
    """The containers of a text on a patch's paths, and where the patch inserts so far.
    What a container holds is asked of the text's data (parsed by the C decoder); where
    it is, of the text: the walk to it skips each member before it with the C scanner,
    and only its own end is scanned (a short array's end by scanning each item, whose end
    is then known: inject adds to an array and to its first item)."""

    def __init__(self, text: str, data: Any = _UNREAD) -> None:
        self.text = text
        self.data = _DECODER.decode(text) if data is _UNREAD else data
        self.starts: dict[str, int] = {"": _skip(text, 0)}
        self.ends: dict[str, int] = {}
        self.containers: dict[str, _Container | None] = {}
        self.insertions: list[int] = []

    def container(self, pointer: str) -> _Container | None:
        if pointer in self.containers:
            return self.containers[pointer]
        found: _Container | None = None
        value = self.data
        tokens = split(pointer)
        for token in tokens:
            if type(value) is dict and token in value:
                value = value[token]
            elif type(value) is list and token.isdigit() and str(int(token)) == token and int(token) < len(value):
                value = value[int(token)]
            else:
                value = None
                break
        if type(value) in (dict, list):
            text = self.text
            start = self._start(pointer, tokens)
            if not pointer:
                end = len(text.rstrip(" \t\n\r"))
            elif pointer in self.ends:
                end = self.ends[pointer]
            elif type(value) is list and len(value) <= _ITEMS_WALKED:
                end = self._items(pointer, start)
            else:
                _, end = _DECODER.scan_once(text, start)  # type: ignore[attr-defined]  # set in __init__
            close = end - 1
            first = _skip(text, start + 1)
            last_end = len(text[start:close].rstrip(" \t\n\r")) + start
            is_object = type(value) is dict
            found = _Container(start, is_object, set(value) if is_object else set(), len(value), first, last_end, close)
        self.containers[pointer] = found
        return found

    def _start(self, pointer: str, tokens: list[str]) -> int:
        """Where the value at ``pointer`` (known to be there) starts in the text."""
        known = self.starts.get(pointer)
        if known is not None:
            return known
        text, token = self.text, tokens[-1]
        parent_start = self._start(pointer[: pointer.rfind("/")], tokens[:-1])
        position = _skip(text, parent_start + 1)
        colon, comma, scan = _COLON.match, _COMMA.match, _DECODER.scan_once  # type: ignore[attr-defined]  # set in __init__
        if text[parent_start] == "{":
            while True:
                key, position = scanstring(text, position + 1)
                position = colon(text, position).end()  # type: ignore[union-attr]  # valid JSON: always there
                if key == token:
                    break
                position = comma(text, scan(text, position)[1]).end()  # type: ignore[union-attr]
        else:
            for _ in range(int(token)):
                position = comma(text, scan(text, position)[1]).end()  # type: ignore[union-attr]
        self.starts[pointer] = position
        return position

    def _items(self, pointer: str, start: int) -> int:
        """The end of the array at ``pointer`` (opening at ``start``), each item's start
        and end noted on the way."""
        text, prefix, index = self.text, pointer + "/", 0
        comma, scan = _COMMA.match, _DECODER.scan_once  # type: ignore[attr-defined]  # set in __init__
        position = _skip(text, start + 1)
        while text[position] != "]":
            item = prefix + str(index)
            self.starts[item] = position
            _, end = scan(text, position)
            self.ends[item] = end
            position = comma(text, end).end()  # type: ignore[union-attr]  # matches the empty string too
            index += 1
        return position + 1

    def moved(self, offset: int) -> bool:
        """Whether an insertion so far lies on the line of ``offset`` before it (its
        indentation, as the text then reads, may differ from the text's)."""
        line_start = self.text.rfind("\n", 0, offset) + 1
        return any(line_start <= insertion < offset for insertion in self.insertions)


_ITEMS_WALKED = 16  # an array of at most this many items on a patch's path is read item by item


def _host(pointer: str, added: dict[str, _Added]) -> _Added | None:
    """The value added before that ``pointer`` lies inside, if any."""
    slash = pointer.find("/", 1)
    while slash != -1:
        host = added.get(pointer[:slash])
        if host is not None:
            return host
        slash = pointer.find("/", slash + 1)
    return None


def _appended_to(value: Any, tokens: list[str], new: Any, compact: bool) -> Any:
    """``value`` (copied along the path, the rest shared) with ``new`` added at ``tokens``
    as a new last member or item; :class:`_NotAtEnd` for anything else. An empty
    container of a value written compact is not added to here: the editor would write
    its first member indented."""
    token = tokens[0]
    if type(value) is dict:
        if len(tokens) == 1:
            if token in value or (compact and not value):
                raise _NotAtEnd
            return {**value, token: new}
        if token not in value:
            raise _NotAtEnd
        return {**value, token: _appended_to(value[token], tokens[1:], new, compact)}
    if type(value) is list:
        if len(tokens) == 1:
            if token not in ("-", str(len(value))) or (compact and not value):
                raise _NotAtEnd
            return [*value, new]
        if not token.isdigit() or str(int(token)) != token or int(token) >= len(value):
            raise _NotAtEnd
        copied = list(value)
        copied[int(token)] = _appended_to(value[int(token)], tokens[1:], new, compact)
        return copied
    raise _NotAtEnd


def _top_level_unit(text: str) -> str | bool | None:
    """The indentation unit when the top-level container's first member says it (what
    ``JsonText.unit`` finds first, without listing members); False when it does not."""
    start = _skip(text, 0)
    if text[start : start + 1] not in ("{", "["):
        return False
    first = _skip(text, start + 1)
    if text[first : first + 1] in ("}", "]", "") or "\n" not in text[start:first]:
        return False
    outer, inner = _line_indent(text, start), _line_indent(text, first)
    if len(inner) > len(outer) and inner.startswith(outer):
        return inner[len(outer) :]
    return False

"""JSON inside a JSON string: where each character of a string literal's value sits in the file.

Terraform's JSON syntax writes a task definition's ``container_definitions`` as a string that
holds JSON (``"[{\\"name\\": \\"app\\", ...}]"``). A finding inside it belongs at the element's
own line and column, not at the string's start: :func:`decode` gives the string's value with
the file offset of each of its characters (an escape maps to its backslash), so that an
offset into the value (as :func:`json_text.locate` gives one) maps back to the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from meshify.injector.documents import json_text

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


@dataclass(frozen=True, slots=True)
class StringValue:
    """A string literal's value; ``offsets[i]`` is the file offset of ``value[i]``
    (``offsets[len(value)]`` is the closing quote's)."""

    value: str
    offsets: tuple[int, ...]

    def locate(self, tokens: list[str]) -> int:
        """The file offset of the element at ``tokens`` in the JSON the string holds (a
        member's key for members; the nearest existing ancestor when it is absent)."""
        return self.offsets[json_text.locate(self.value, tokens)]


def decode(text: str, start: int) -> StringValue:
    """The JSON string literal that starts at ``text[start]`` (its opening quote), which the
    caller knows to be valid (``json.loads`` read it)."""
    if text[start : start + 1] != '"':
        raise ValueError(f"no string at {start}")
    chars: list[str] = []
    offsets: list[int] = []
    index = start + 1
    while text[index] != '"':
        char = text[index]
        if char != "\\":
            chars.append(char)
            offsets.append(index)
            index += 1
            continue
        escape = text[index + 1]
        if escape != "u":
            chars.append(_ESCAPES[escape])
            offsets.append(index)
            index += 2
            continue
        code = int(text[index + 2 : index + 6], 16)
        width = 6
        if 0xD800 <= code < 0xDC00 and text[index + 6 : index + 8] == "\\u":  # a surrogate pair: one character
            low = int(text[index + 8 : index + 12], 16)
            if 0xDC00 <= low < 0xE000:
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                width = 12
        chars.append(chr(code))
        offsets.append(index)
        index += width
    offsets.append(index)
    return StringValue("".join(chars), tuple(offsets))


def member_value_start(text: str, key_start: int) -> int:
    """The offset of a member's value, given the offset of its key (as :func:`json_text.locate`
    gives a member's place)."""
    end = decode(text, key_start).offsets[-1] + 1  # past the key's closing quote
    colon = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
    return _WHITESPACE.match(text, colon + 1).end()  # type: ignore[union-attr]

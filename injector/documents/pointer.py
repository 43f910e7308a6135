"""JSON Pointer (RFC 6901) helpers shared by the loaders, the rules and the editors."""

from __future__ import annotations

from typing import Any


def escape(token: str | int) -> str:
    text = str(token)
    return text.replace("~", "~0").replace("/", "~1") if "~" in text or "/" in text else text


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(base: str, *tokens: str | int) -> str:
    return base + "".join("/" + escape(token) for token in tokens)


def split(pointer: str) -> list[str]:
    if "~" not in pointer:  # nothing escaped (nearly every pointer): no token to unescape
        return pointer.split("/")[1:]
    return [unescape(token) for token in pointer.split("/")[1:]]


def parent_and_token(pointer: str) -> tuple[str, str]:
    parent, _, last = pointer.rpartition("/")
    return parent, unescape(last)


def resolve(document: Any, pointer: str) -> Any:
    """The value at ``pointer``; KeyError/IndexError when there is none."""
    value = document
    for token in split(pointer):
        value = value[int(token)] if isinstance(value, list) else value[token]
    return value

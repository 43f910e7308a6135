"""Values that cannot be known from the files alone (``var.x``, ``${IMAGE}``, a function
call): the readers put an :class:`Unknown` where the file has one, the engine never reports
on one and the fixes never overwrite one (``formats.md``, "References and unknown values")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meshify.injector.documents.pointer import split


@dataclass(frozen=True)
class Unknown:
    """A value that cannot be known from the file alone; ``text`` is the expression's source text."""

    text: str

    def __str__(self) -> str:
        return self.text


def unknown_at(data: Any, pointer: str) -> bool:
    """Whether the value at ``pointer``, or one of its containers, is an :class:`Unknown`."""
    node = data
    for token in split(pointer):
        if isinstance(node, Unknown):
            return True
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return isinstance(node, Unknown)

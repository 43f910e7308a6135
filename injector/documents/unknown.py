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


class DefaultStr(str):
    """A Terraform variable's literal default standing for the variable: the rules see the
    value, a finding about it says it relies on the default, and no fix overwrites it."""

    variable: str


class ResolvedStr(DefaultStr):
    """A reference to a resource of the files given (``aws_appmesh_virtual_node.x.arn``)
    resolved to its value: the rules see the value, and no fix overwrites the reference."""


class DefaultInt(int):
    variable: str


class DefaultFloat(float):
    variable: str


Defaulted = DefaultStr | DefaultInt | DefaultFloat
# The same as tuples, for isinstance on hot paths: ``A | B`` in a function builds a new
# union at every call, and isinstance checks a tuple faster than a union.
DEFAULTED = (DefaultStr, DefaultInt, DefaultFloat)
MARKED = (Unknown, DefaultStr, DefaultInt, DefaultFloat)  # what unknown_at stops at


def defaulted(value: Any, variable: str) -> Any:
    """``value`` (a variable's default) marked as coming from ``variable``; a bool, a list or
    a map stays unknown (it cannot carry the mark)."""
    kind = {str: DefaultStr, int: DefaultInt, float: DefaultFloat}.get(type(value))
    if kind is None:
        return Unknown(variable)
    marked = kind(value)
    marked.variable = variable
    return marked


def value_at(data: Any, pointer: str) -> Any:
    """The value at ``pointer``, or None."""
    node = data
    for token in split(pointer):
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def unknown_at(data: Any, pointer: str) -> bool:
    """Whether the value at ``pointer``, or one of its containers, is an :class:`Unknown`."""
    return unknown_along(data, split(pointer))


def unknown_along(data: Any, tokens: list[str]) -> bool:
    """:func:`unknown_at` of a pointer already split into ``tokens``."""
    node = data
    for token in tokens:
        if isinstance(node, MARKED):
            return True
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return isinstance(node, MARKED)

"""``json_text``'s ``Span``, ``_Container`` and ``_Added`` write their ``__init__``, ``__repr__``
and ``__eq__`` (dataclasses compiled them at every start: start-up round 6): each must be what
dataclasses would write for the same fields, so that a field added to the class and not to its
methods fails here."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest
from meshify.injector.documents.json_text import Span, _Added, _Container


def _reference(cls: type) -> Any:
    """The dataclass dataclasses makes of ``cls``'s fields, with its methods compiled."""
    fields = dataclasses.fields(cls)
    namespace: dict[str, Any] = {"__annotations__": {f.name: f.type for f in fields}, "__qualname__": cls.__qualname__}
    for f in fields:
        if f.default is not dataclasses.MISSING:
            namespace[f.name] = f.default
    return dataclasses.dataclass(slots=True)(type(cls.__name__, (), namespace))


def _parameters(function: Any) -> list[tuple[str, object, str]]:
    return [(p.name, p.annotation, repr(p.default)) for p in inspect.signature(function).parameters.values()]


@pytest.mark.parametrize("cls", [Span, _Container, _Added])
def test_the_methods_written_by_hand_are_dataclasses(cls):
    reference = _reference(cls)
    assert _parameters(cls) == _parameters(reference)
    assert cls.__match_args__ == reference.__match_args__ and cls.__slots__ == reference.__slots__
    assert cls.__hash__ is None  # eq without frozen: unhashable, as dataclasses makes it
    names = [f.name for f in dataclasses.fields(cls)]
    values = {name: [f"v{index}", index] for index, name in enumerate(names)}  # distinct, and a list inside
    made, expected = cls(**values), reference(**values)
    assert all(getattr(made, name) is value for name, value in values.items())
    assert repr(made) == repr(expected)
    required = {f.name: values[f.name] for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    assert repr(cls(**required)) == repr(reference(**required))
    assert made == cls(**{name: list(value) for name, value in values.items()})  # equal values, other objects
    for name in names:
        assert made != cls(**{**values, name: ["other"]}), name
    assert made.__eq__(expected) is NotImplemented and (made == expected) is False


def test_an_object_shown_inside_itself_is_dots():
    span = Span(0, 1)
    span.children = [span]  # type: ignore[list-item]
    assert repr(span) == "Span(start=0, end=1, key_start=None, children=[...], close=None)"

"""The service models that botocore ships (``appmesh``, ``ecs``, ...): the authority on
every App Mesh and ECS shape, enum and limit, and on the region partitions.

They are read from botocore's data files directly: importing botocore's loader and
validator costs about 100 ms (they pull in urllib3 and the HTTP stack), a third of
meshify's start-up budget, for a lint run that never talks to AWS. :func:`validate`
therefore walks the model itself; ``tests/model/test_service_models.py`` holds it to botocore's
own ``ParamValidator`` on everything that validator checks.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from functools import cache
from importlib.util import find_spec
from typing import Any

from meshify.injector.documents.pointer import escape
from meshify.injector.model.unknowns import is_unknown


# Paths are strings (os.path): pathlib (with urllib.parse and ipaddress) is not imported by a lint.
@cache
def _data_root() -> str:
    spec = find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("botocore is not installed")
    return os.path.join(next(iter(spec.submodule_search_locations)), "data")


def _read(path: str) -> Any:
    return json.loads(_text(path))


def _text(path: str) -> str:
    """The file's text, decoded as json.loads decodes bytes."""
    if not path.endswith(".gz") and os.path.exists(path + ".gz"):
        path += ".gz"
    if path.endswith(".gz"):
        data = _gunzip(path)
        return data.decode(json.detect_encoding(data), "surrogatepass")
    with open(path, encoding="utf-8") as stream:
        return stream.read()


def _gunzip(path: str) -> bytes:
    import gzip  # only for a compressed model read afresh: a warm lint has the ECS model from the cache (start-up)

    with open(path, "rb") as stream:
        return gzip.decompress(stream.read())


@cache
def model_file(service: str) -> str:
    """The file of a service model (the newest API version botocore ships)."""
    directory = os.path.join(_data_root(), service)
    versions = sorted(entry for entry in os.listdir(directory) if os.path.isdir(os.path.join(directory, entry)))
    path = os.path.join(directory, versions[-1], "service-2.json")
    return path if os.path.exists(path) else path + ".gz"


@cache
def model(service: str) -> dict[str, Any]:
    """A service model (the newest API version botocore ships)."""
    from meshify.injector import cache as on_disk

    if on_disk.off():  # read afresh at every run: only the shapes asked for are parsed
        from meshify.injector.model.model_text import load

        return load(_text(model_file(service)))
    return on_disk.parsed_file(model_file(service), _read)


@cache
def partitions() -> list[dict[str, Any]]:
    return _read(os.path.join(_data_root(), "partitions.json"))["partitions"]


def shapes(service: str) -> dict[str, Any]:
    return model(service)["shapes"]


def enum(service: str, shape: str) -> list[str]:
    return list(shapes(service)[shape]["enum"])


def limits(service: str, shape: str) -> tuple[int | None, int | None]:
    definition = shapes(service)[shape]
    return definition.get("min"), definition.get("max")


# Python types per model type, as botocore's validator accepts them.
_TYPES: dict[str, tuple[type, ...]] = {
    "structure": (dict,), "map": (dict,), "list": (list, tuple), "string": (str,), "boolean": (bool,),
    "integer": (int,), "long": (int,), "float": (float, int), "double": (float, int),
}
_TYPE_NAMES = {"structure": "dict", "map": "dict", "list": "list", "string": "str", "boolean": "bool",
               "integer": "int", "long": "int", "float": "float", "double": "float"}


def validate(service: str, shape_name: str, value: Any) -> list[tuple[str, str]]:
    """(relative JSON Pointer, message) for everything in ``value`` that the service model
    rejects: unknown keys, missing required members, wrong types, values or lengths
    outside the model's minimum and maximum, enums, and unions with other than one member."""
    if _accepts(service, shape_name)(value):  # the common case: valid input, no problem to place
        return []
    problems: list[tuple[str, str]] = []
    _check(shapes(service), shape_name, value, "", problems)
    return problems


def is_structural_type_error(message: str) -> bool:
    """Whether a :func:`validate` message is a container where the model wants a scalar,
    or anything else where it wants a container (``environment: 5``, ``containerPort: {}``):
    what code reading the value as the model shapes it cannot survive, unlike a scalar of
    the wrong kind (``"value": 424242``)."""
    found = re.fullmatch(r"a (\w+) where the model wants (\w+)", message)
    # A null reads as absent (console exports write ``"firelensConfiguration": null``): T211's, not the reader's.
    return found is not None and found.group(1) != "NoneType" and bool({found.group(1), found.group(2)} & {"dict", "list"})


def _check(all_shapes: dict[str, Any], name: str, value: Any, pointer: str, problems: list[tuple[str, str]]) -> None:
    if is_unknown(value):  # known only when the deployment runs: it may be anything
        return
    shape = all_shapes[name]
    kind = shape["type"]
    expected = _TYPES.get(kind)
    if expected is not None and (not isinstance(value, expected) or (bool not in expected and isinstance(value, bool))):
        # The value is not repeated: it may be an environment value or a secret.
        problems.append((pointer, f"a {type(value).__name__} where the model wants {_TYPE_NAMES[kind]}"))
        return
    low, high = shape.get("min"), shape.get("max")
    if kind == "structure":
        members = shape["members"]
        for key in value:
            if key not in members:
                problems.append((f"{pointer}/{escape(key)}",
                                 f"unknown key {key!r} (expected one of: {', '.join(members)})"))
        problems.extend((pointer, f"missing required key {key!r}") for key in shape.get("required", []) if key not in value)
        if shape.get("union") and len(value) != 1:  # as botocore counts: unknown keys too
            problems.append((pointer, "set exactly one of its keys"))
        for key, item in value.items():
            if key in members:
                _check(all_shapes, members[key]["shape"], item, f"{pointer}/{escape(key)}", problems)
    elif kind in ("list", "map", "string"):
        size = len(value)
        if low is not None and size < low:
            problems.append((pointer, f"too short: at least {low} required"))
        if high is not None and size > high and kind == "string":
            problems.append((pointer, f"longer than the maximum of {high} characters"))
        elif high is not None and size > high:
            problems.append((pointer, f"{size} items, more than the maximum {high}"))
        if kind == "string" and "enum" in shape and value not in shape["enum"]:
            problems.append((pointer, f"{value!r} is not one of {', '.join(shape['enum'])}"))
        if kind == "list":
            for index, item in enumerate(value):
                _check(all_shapes, shape["member"]["shape"], item, f"{pointer}/{index}", problems)
        elif kind == "map":
            for key, item in value.items():
                _check(all_shapes, shape["value"]["shape"], item, f"{pointer}/{escape(key)}", problems)
    elif kind in ("integer", "long", "float", "double"):
        if low is not None and value < low:
            problems.append((pointer, f"{value!r} is below the minimum {low}"))
        if high is not None and value > high:
            problems.append((pointer, f"{value} is above the maximum {high}"))


# ``validate`` answers first with a checker compiled from the model for each shape: one
# closure per shape, its members' checkers looked up once, no pointer built, no message
# written. It is stricter than ``_check`` (it knows no unknowns: a ``${IMAGE}`` that breaks
# a constraint fails it), so it may only say "valid": anything else is ``_check``'s to
# explain. A task definition's 55 values cost 55 calls of ``_check`` building pointers and
# asking is_unknown of each: 0.8 ms per file, most of lint's time.
_Checker = Callable[[Any], bool]


@cache
def _accepts(service: str, shape_name: str) -> _Checker:
    compiled: dict[str, _Checker] = {}
    return _compile(shapes(service), shape_name, compiled)


def _plain_type(shape: dict[str, Any]) -> type | None:
    """The Python type of a shape with no other constraint (a string without length or
    enum, a boolean, an integer without bounds): checked inline by its container's checker.
    (bool is no str, nothing but bool is a bool, and a bool is an int that no integer shape
    takes.)"""
    if shape["type"] == "boolean":
        return bool
    if shape["type"] == "string" and not ({"min", "max", "enum"} & shape.keys()):
        return str
    if shape["type"] in ("integer", "long") and not ({"min", "max"} & shape.keys()):
        return int  # not a bool: the checkers that inline it refuse one
    return None


def _plain_enum(shape: dict[str, Any]) -> frozenset[str] | None:
    """The values of a string shape with an enum and no length bounds: checked inline by
    its container's checker (a string among them)."""
    if shape["type"] == "string" and "enum" in shape and not ({"min", "max"} & shape.keys()):
        return frozenset(shape["enum"])
    return None


def _compile(all_shapes: dict[str, Any], name: str, compiled: dict[str, _Checker]) -> _Checker:
    if name in compiled:
        return compiled[name]
    # A shape that contains itself reaches this placeholder, replaced once its checker is built.
    compiled[name] = lambda value: compiled[name](value)
    shape = all_shapes[name]
    kind = shape["type"]
    low, high = shape.get("min"), shape.get("max")
    checker: _Checker
    if kind == "structure":
        # Per member, one lookup: the Python type of a plain string or boolean (checked
        # here, without a call), else its checker. A value of exactly that type (nearly
        # every one) is known good by its class, without isinstance; a subclass (a default
        # or resolved value) by isinstance.
        members: dict[str, type | frozenset[str] | _Checker] = {}
        for key, member in shape["members"].items():
            plain = _plain_type(all_shapes[member["shape"]]) or _plain_enum(all_shapes[member["shape"]])
            members[key] = plain if plain is not None else _compile(all_shapes, member["shape"], compiled)
        required = tuple(shape.get("required", ()))
        union = bool(shape.get("union"))

        def checker(value: Any) -> bool:
            if (value.__class__ is not dict and not isinstance(value, dict)) or (union and len(value) != 1):
                return False
            for key in required:
                if key not in value:
                    return False
            for key, item in value.items():
                try:
                    check = members[key]
                except KeyError:
                    return False
                if item.__class__ is check:  # a plain string or boolean of exactly its type
                    continue
                inline = check.__class__
                if inline is type:
                    if not isinstance(item, check) or item.__class__ is bool:  # type: ignore[arg-type]
                        return False
                elif inline is frozenset:  # an enum's values
                    if (item.__class__ is not str and not isinstance(item, str)) or item not in check:  # type: ignore[operator]
                        return False
                elif not check(item):  # type: ignore[operator]
                    return False
            return True
    elif kind in ("list", "map"):
        item_shape = all_shapes[shape["member" if kind == "list" else "value"]["shape"]]
        item_type = _plain_type(item_shape)
        item_enum = _plain_enum(item_shape)
        item_checker = _compile(all_shapes, shape["member" if kind == "list" else "value"]["shape"], compiled)
        is_list = kind == "list"

        def checker(value: Any) -> bool:
            items: Iterable[Any]
            if is_list:
                if value.__class__ is not list and not isinstance(value, (list, tuple)):
                    return False
                items = value
            else:
                if value.__class__ is not dict and not isinstance(value, dict):
                    return False
                items = value.values()
            size = len(value)
            if (low is not None and size < low) or (high is not None and size > high):
                return False
            # Loops, not all() over a generator: most lists hold one or two items.
            if item_type is not None:
                for item in items:
                    if item.__class__ is not item_type and (not isinstance(item, item_type) or item.__class__ is bool):
                        return False
                return True
            if item_enum is not None:
                for item in items:  # noqa: SIM110
                    if (item.__class__ is not str and not isinstance(item, str)) or item not in item_enum:
                        return False
                return True
            for item in items:  # noqa: SIM110
                if not item_checker(item):
                    return False
            return True
    elif kind == "string":
        allowed = frozenset(shape["enum"]) if "enum" in shape else None

        def checker(value: Any) -> bool:
            if value.__class__ is not str and not isinstance(value, str):
                return False
            if (low is not None and len(value) < low) or (high is not None and len(value) > high):
                return False
            return allowed is None or value in allowed
    elif kind == "boolean":
        def checker(value: Any) -> bool:
            return isinstance(value, bool)
    elif kind in _TYPES:
        expected = _TYPES[kind]

        def checker(value: Any) -> bool:
            # An int of exactly that class is no bool (bool subclasses int) and is among the
            # expected types of every numeric shape.
            if value.__class__ is not int and (not isinstance(value, expected) or isinstance(value, bool)):
                return False
            return (low is None or value >= low) and (high is None or value <= high)
    else:  # a type _check does not check (timestamp, blob): anything goes
        def checker(value: Any) -> bool:
            return True
    compiled[name] = checker
    return checker

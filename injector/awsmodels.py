"""The botocore service models that ship with boto3: the authority on every App Mesh and
ECS shape, enum and limit. Loaded on demand (botocore is not imported at start-up)."""

from __future__ import annotations

import re
from functools import cache
from typing import Any


@cache
def shapes(service: str) -> dict[str, Any]:
    """The ``shapes`` of a service model (``appmesh``, ``ecs``, ``iam``, ...)."""
    from botocore.loaders import Loader

    return Loader().load_service_model(service, "service-2")["shapes"]


@cache
def service_model(service: str) -> Any:
    """A botocore ``ServiceModel`` for botocore's own validator."""
    from botocore.loaders import Loader
    from botocore.model import ServiceModel

    return ServiceModel(Loader().load_service_model(service, "service-2"), service_name=service)


def enum(service: str, shape: str) -> list[str]:
    return list(shapes(service)[shape]["enum"])


def limits(service: str, shape: str) -> tuple[int | None, int | None]:
    definition = shapes(service)[shape]
    return definition.get("min"), definition.get("max")


_PATH_TOKEN = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def _pointer(botocore_name: str) -> str:
    """``.spec.listeners[0].port`` (botocore's error names) as ``/spec/listeners/0/port``."""
    return "".join(f"/{name or index}" for name, index in _PATH_TOKEN.findall(botocore_name))


def _describe(kind: str, detail: dict[str, Any]) -> tuple[str, str]:
    """(pointer suffix, message) for one botocore validation error."""
    if kind == "unknown field":
        allowed = ", ".join(detail["valid_names"])
        return "/" + detail["unknown_param"], f"unknown key {detail['unknown_param']!r} (expected one of: {allowed})"
    if kind == "missing required field":
        return "", f"missing required key {detail['required_name']!r}"
    if kind == "invalid type":  # the value is not repeated: it may be an environment value or a secret
        types = ", ".join(t.split("'")[1] if "'" in t else t for t in detail["valid_types"])
        return "", f"a {type(detail['param']).__name__} where the model wants {types}"
    if kind == "invalid range":
        return "", f"{detail['param']!r} is below the minimum {detail['min_allowed']}"
    if kind == "invalid length":
        return "", f"too short: at least {detail['min_allowed']} required"
    if kind in ("more than one input", "empty input"):
        return "", "set exactly one of its keys"
    return "", kind


def validate(service: str, shape_name: str, value: Any) -> list[tuple[str, str]]:
    """(relative JSON Pointer, message) for everything in ``value`` that the service model
    rejects. botocore's own validator finds unknown keys, wrong types, missing required
    members, values under a minimum and unions with several members; maximums and enums
    it leaves unchecked, so they are checked here, from the same model."""
    from botocore.validate import ParamValidator

    shape = service_model(service).shape_for(shape_name)
    report = ParamValidator().validate(value, shape)
    problems: list[tuple[str, str]] = []
    for kind, name, detail in getattr(report, "_errors", []):  # botocore keeps the list private
        suffix, message = _describe(kind, detail)
        problems.append((_pointer(name) + suffix, message))
    problems += _upper_bounds(shape, value, "")
    return problems


def _upper_bounds(shape: Any, value: Any, pointer: str) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    kind = shape.type_name
    metadata = shape.metadata
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        for name in (name for name in value if name in members):
            problems += _upper_bounds(members[name], value[name], f"{pointer}/{name}")
    elif kind == "list" and isinstance(value, list):
        if "max" in metadata and len(value) > metadata["max"]:
            problems.append((pointer, f"{len(value)} items, more than the maximum {metadata['max']}"))
        for index, item in enumerate(value):
            problems += _upper_bounds(shape.member, item, f"{pointer}/{index}")
    elif kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            problems += _upper_bounds(shape.value, item, f"{pointer}/{key}")
    elif kind == "string" and isinstance(value, str):
        if shape.enum and value not in shape.enum:
            problems.append((pointer, f"{value!r} is not one of {', '.join(shape.enum)}"))
        if "max" in metadata and len(value) > metadata["max"]:
            problems.append((pointer, f"longer than the maximum of {metadata['max']} characters"))
    elif kind in ("integer", "long") and isinstance(value, int) and not isinstance(value, bool) \
            and "max" in metadata and value > metadata["max"]:
        problems.append((pointer, f"{value} is above the maximum {metadata['max']}"))
    return problems

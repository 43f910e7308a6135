"""The manifest's JSON Schema: our structure, with the App Mesh objects it embeds
(member names and types) and the API enums it uses expanded from botocore's ``appmesh``
model, so they are never retyped."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from typing import Any

from meshify.injector.model.mesh import DATA
from meshify.injector.model.service_models import shapes

_JSON_TYPES = {
    "string": "string", "integer": "integer", "long": "integer", "boolean": "boolean",
    "double": "number", "float": "number", "timestamp": "string",
}
# The manifest lets durations be written "5s" or "300ms" as well as the API's {unit, value}.
_DURATION_TEXT = {"type": "string", "pattern": "^[0-9]+(ms|s)$"}

# The characters of an App Mesh resource name. botocore's appmesh model gives ResourceName
# only a length (1 to 255) and ServiceName nothing, and the App Mesh API Reference
# (https://docs.aws.amazon.com/app-mesh/latest/APIReference/API_CreateVirtualNode.html)
# documents no pattern either. The names become part of ARNs in the task role's IAM
# policy, where `*` and `?` are wildcards, `/` and `:` separate an ARN's parts and `${`
# starts a policy variable: a name `*` would grant Envoy every node of every mesh. So
# meshify takes the characters every real name uses (letters, digits, `-`, `_`, `.`),
# starting with a letter, a digit or `_`.
NAME_PATTERN = "^[A-Za-z0-9_][A-Za-z0-9_.-]*$"
# A node's or gateway's own ARN (``arn:``), whole: never a wildcard in the task role policy.
_NAME = "[A-Za-z0-9_][A-Za-z0-9_.-]*"
ARN_PATTERN = rf"^arn:aws[a-z-]*:appmesh:[a-z]{{2}}(-[a-z]+)+-[0-9]+:[0-9]{{12}}:mesh/{_NAME}/(virtualNode|virtualGateway)/{_NAME}$"


def _name(shape_name: str) -> dict[str, Any]:
    """A resource name: the model's length limits, when it has them, and NAME_PATTERN."""
    shape = shapes("appmesh")[shape_name]
    limits = {key: shape[source] for key, source in (("minLength", "min"), ("maxLength", "max")) if source in shape}
    return {"type": "string", "minLength": 1, **limits, "pattern": NAME_PATTERN}


def _from_shape(name: str) -> dict[str, Any]:
    shape = shapes("appmesh")[name]
    kind = shape["type"]
    if kind == "structure":
        expanded = {
            "type": "object",
            "additionalProperties": False,
            "properties": {member: _from_shape(ref["shape"]) for member, ref in shape["members"].items()},
        }
        if name == "Duration":
            return {"oneOf": [_DURATION_TEXT, expanded]}
        return expanded
    if kind == "list":
        return {"type": "array", "items": _from_shape(shape["member"]["shape"])}
    if kind == "map":
        return {"type": "object", "additionalProperties": _from_shape(shape["value"]["shape"])}
    return {"type": _JSON_TYPES[kind]}


def _expand(node: Any) -> Any:
    if isinstance(node, dict):
        if "x-appmesh-shape" in node:
            return {**_from_shape(node["x-appmesh-shape"]), "description": f"App Mesh {node['x-appmesh-shape']}"}
        if "x-appmesh-name" in node:
            return _name(node["x-appmesh-name"])
        if "x-appmesh-arn" in node:
            return {"type": "string", "pattern": ARN_PATTERN}
        if "x-appmesh-enum" in node:
            return {"enum": list(shapes("appmesh")[node["x-appmesh-enum"]]["enum"])}
        return {key: _expand(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_expand(item) for item in node]
    return node


TEMPLATE = os.path.join(DATA, "manifest.schema.json")


@cache
def manifest_schema() -> dict[str, Any]:
    with open(TEMPLATE, encoding="utf-8") as handle:
        return _expand(json.load(handle))


@cache
def manifest_check() -> Callable[[Any], bool] | None:
    """Whether data is valid against :func:`manifest_schema`, without jsonschema
    (``inputs/manifest_check.py``); None if the schema uses a keyword it does not check."""
    from meshify.injector.inputs.manifest_check import compile_schema

    return compile_schema(manifest_schema())

"""The manifest's JSON Schema: our structure, with the App Mesh objects it embeds
(member names and types) and the API enums it uses expanded from botocore's ``appmesh``
model, so they are never retyped."""

from __future__ import annotations

import json
import os
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

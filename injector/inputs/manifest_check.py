"""Whether data is valid against the manifest's JSON Schema, without importing jsonschema
(start-up: jsonschema and its dependencies are some 45 ms to import, for a manifest that is
nearly always valid). The schema is compiled once into one check per schema node, for the
keywords the manifest's schema uses, each as JSON Schema 2020-12 and jsonschema define it
(``integer`` accepts 2.0, ``const`` and ``enum`` tell true from 1). A schema with any other
keyword is not compiled: ``None``, and jsonschema decides. Only a "valid" is trusted: for
anything else jsonschema validates the data again and gives the error, its message and its
place, exactly as before (``inputs/manifest.py``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Keywords that only annotate: they never make an instance invalid.
_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$comment", "examples", "default", "$defs"})
_TYPES: dict[str, Check] = {
    "object": lambda value: isinstance(value, dict),
    "array": lambda value: isinstance(value, list),
    "string": lambda value: isinstance(value, str),
    "boolean": lambda value: isinstance(value, bool),
    "null": lambda value: value is None,
    "number": lambda value: isinstance(value, (int, float)) and not isinstance(value, bool),
    "integer": lambda value: (isinstance(value, int) and not isinstance(value, bool))
    or (isinstance(value, float) and value.is_integer()),
}


class _NotCompiled(Exception):
    """The schema uses something this module does not check: jsonschema decides."""


def compile_schema(schema: dict[str, Any]) -> Check | None:
    """One check for the whole schema (``$ref`` to ``#/$defs/...`` resolved in it), or
    None when the schema uses anything else."""
    try:
        return _Compiler(schema).node(schema)
    except _NotCompiled:
        return None


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _same(constant: Any) -> Check:
    """jsonschema's ``equal`` for a constant of a plain type: a string only equals a string,
    a boolean only a boolean, a number any number of the same value."""
    if isinstance(constant, bool):
        return lambda value: isinstance(value, bool) and value == constant
    if isinstance(constant, str):
        return lambda value: isinstance(value, str) and value == constant
    if _is_number(constant):
        return lambda value: _is_number(value) and value == constant
    if constant is None:
        return lambda value: value is None
    raise _NotCompiled("const or enum of a container")


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.definitions = root.get("$defs", {})
        self.compiled: dict[str, Check] = {}

    def reference(self, target: str) -> Check:
        if not target.startswith("#/$defs/") or "/" in target[len("#/$defs/"):] or "~" in target:
            raise _NotCompiled(target)
        name = target[len("#/$defs/"):]
        if name not in self.definitions:
            raise _NotCompiled(target)
        if name not in self.compiled:
            self.compiled[name] = lambda value: True  # a recursive reference: replaced below, before any use
            checked = self.node(self.definitions[name])
            self.compiled[name] = checked
        return lambda value: self.compiled[name](value)

    def node(self, schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise _NotCompiled(repr(schema))
        checks = [self.keyword(key, argument, schema) for key, argument in schema.items() if key not in _ANNOTATIONS]
        if not checks:
            return lambda value: True
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    def keyword(self, key: str, argument: Any, schema: dict[str, Any]) -> Check:
        if key == "type":
            names = argument if isinstance(argument, list) else [argument]
            if not all(name in _TYPES for name in names):
                raise _NotCompiled(f"type {argument!r}")
            tests = [_TYPES[name] for name in names]
            return tests[0] if len(tests) == 1 else (lambda value: any(test(value) for test in tests))
        if key == "$ref":
            return self.reference(argument)
        if key == "properties":
            members = [(name, self.node(sub)) for name, sub in argument.items()]
            return lambda value: not isinstance(value, dict) or all(
                check(value[name]) for name, check in members if name in value)
        if key == "additionalProperties":
            if "patternProperties" in schema:
                raise _NotCompiled("patternProperties")
            known = frozenset(schema.get("properties", {}))
            if argument is False:
                return lambda value: not isinstance(value, dict) or all(name in known for name in value)
            extra = self.node(argument)
            return lambda value: not isinstance(value, dict) or all(
                extra(item) for name, item in value.items() if name not in known)
        if key == "required":
            names = list(argument)
            return lambda value: not isinstance(value, dict) or all(name in value for name in names)
        if key == "propertyNames":
            names_check = self.node(argument)
            return lambda value: not isinstance(value, dict) or all(names_check(name) for name in value)
        if key in ("minProperties", "maxProperties", "minItems", "maxItems", "minLength", "maxLength"):
            bound = argument
            kind: Any = dict if key.endswith("Properties") else list if key.endswith("Items") else str
            if key.startswith("min"):
                return lambda value: not isinstance(value, kind) or len(value) >= bound
            return lambda value: not isinstance(value, kind) or len(value) <= bound
        if key == "items":
            item_check = self.node(argument)
            if "prefixItems" in schema:
                raise _NotCompiled("prefixItems")
            return lambda value: not isinstance(value, list) or all(item_check(item) for item in value)
        if key == "pattern":
            search = re.compile(argument).search
            return lambda value: not isinstance(value, str) or search(value) is not None
        if key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            limit = argument
            compare: Callable[[Any], bool] = {
                "minimum": lambda value: value >= limit, "maximum": lambda value: value <= limit,
                "exclusiveMinimum": lambda value: value > limit, "exclusiveMaximum": lambda value: value < limit,
            }[key]
            return lambda value: not _is_number(value) or compare(value)
        if key == "const":
            return _same(argument)
        if key == "enum":
            choices = [_same(choice) for choice in argument]
            return lambda value: any(choice(value) for choice in choices)
        if key in ("oneOf", "anyOf", "allOf"):
            branches = [self.node(sub) for sub in argument]
            if key == "oneOf":
                return lambda value: sum(1 for branch in branches if branch(value)) == 1
            if key == "anyOf":
                return lambda value: any(branch(value) for branch in branches)
            return lambda value: all(branch(value) for branch in branches)
        raise _NotCompiled(key)

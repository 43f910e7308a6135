"""The manifest's schema checked without jsonschema (inputs/manifest_check.py) says "valid"
exactly when jsonschema does: on every manifest of the fixtures, and on the shop's manifest
broken every way a value can be (each value replaced by values of every JSON type, each key
removed, an unknown key added to each object)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from golden_cases import FIXTURES, SHOP
from jsonschema import Draft202012Validator
from meshify.injector.documents.document import TextYamlDocument
from meshify.injector.inputs.manifest_check import compile_schema
from meshify.injector.inputs.manifest_schema import manifest_check, manifest_schema

MANIFESTS = sorted(FIXTURES.rglob("meshify.yaml"))
# One of every JSON type, and the edge values the schema's keywords decide on.
REPLACEMENTS: list[Any] = [None, True, False, 0, 1, -1, 2.0, 2.5, 65536, "", "x", "5s", "300ms", "http", "DROP_ALL",
                           "a" * 300, "bad name!", [], ["x"], [1], {}, {"x": 1}]


def _data(path) -> Any:
    return TextYamlDocument(str(path), path.read_text()).data


def _places(value: Any, path: tuple = ()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


def _at(data: Any, path: tuple) -> Any:
    for step in path:
        data = data[step]
    return data


def _variants(data: Any):
    for path in _places(data):
        if path:
            for replacement in REPLACEMENTS:
                changed = copy.deepcopy(data)
                _at(changed, path[:-1])[path[-1]] = replacement
                yield changed
            parent = _at(data, path[:-1])
            if isinstance(parent, dict):
                changed = copy.deepcopy(data)
                del _at(changed, path[:-1])[path[-1]]
                yield changed
        if isinstance(_at(data, path), dict):
            changed = copy.deepcopy(data)
            _at(changed, path)["unknownKey"] = 1
            yield changed


def test_the_manifest_schema_compiles():
    assert manifest_check() is not None  # else every manifest goes to jsonschema: correct, but slow


@pytest.mark.parametrize("path", MANIFESTS, ids=[str(p.relative_to(FIXTURES)) for p in MANIFESTS])
def test_every_fixture_manifest_has_jsonschemas_verdict(path):
    data = _data(path)
    assert manifest_check()(data) == Draft202012Validator(manifest_schema()).is_valid(data)


@pytest.mark.slow  # thousands of cases: the fast tier stays under 30 s
def test_the_shop_manifest_broken_every_way_has_jsonschemas_verdict():
    validator = Draft202012Validator(manifest_schema())
    check = manifest_check()
    verdicts = {True: 0, False: 0}
    for variant in _variants(_data(SHOP / "meshify.yaml")):
        expected = validator.is_valid(variant)
        assert check(variant) == expected, variant
        verdicts[expected] += 1
    assert verdicts[True] > 100 and verdicts[False] > 1000  # both sides were tried


@pytest.mark.parametrize(("schema", "valid", "invalid"), [
    ({"type": "integer"}, [1, 2.0, -3], [True, 2.5, "1", None]),
    ({"type": "number", "minimum": 1, "maximum": 2}, [1, 1.5, 2.0], [0, 3, False]),
    ({"const": 1}, [1, 1.0], [True, "1"]),
    ({"enum": ["a", True]}, ["a", True], [1, "b"]),
    ({"oneOf": [{"type": "string"}, {"pattern": "^a"}]}, ["b", 1], ["abc"]),
    ({"type": "object", "propertyNames": {"pattern": "^[a-z]+$"}, "minProperties": 1}, [{"ab": 1}], [{}, {"A": 1}]),
    ({"$defs": {"n": {"type": "string", "maxLength": 2}}, "items": {"$ref": "#/$defs/n"}}, [["ab"], []], [["abc"], [1]]),
])
def test_each_keyword_as_jsonschema_reads_it(schema, valid, invalid):
    check = compile_schema(schema)
    validator = Draft202012Validator(schema)
    for value in valid:
        assert check(value) and validator.is_valid(value), value
    for value in invalid:
        assert not check(value) and not validator.is_valid(value), value


@pytest.mark.parametrize("schema", [{"format": "email"}, {"uniqueItems": True}, {"$ref": "other.json#/x"},
                                    {"patternProperties": {"^x": {}}, "additionalProperties": False}])
def test_a_keyword_it_does_not_check_leaves_the_schema_to_jsonschema(schema):
    assert compile_schema(schema) is None

"""The compiled checker of ``service_models`` (``_accepts``) knows a plain value by its exact
class and inlines plain strings, booleans, unbounded integers and enums in its container's
checker: it must still answer exactly as the full walk (``_check``) for values of other
classes in those places: subclasses (a Terraform default, a resolved reference), a bool
where an integer or a string goes, an int where a bool goes, a tuple for a list, a value
outside an enum, a container where a scalar goes. (``validate`` cannot show a checker that
is too strict: the full walk then answers; this holds the checker itself to it.)"""

from __future__ import annotations

import copy

import pytest
from conftest import value_paths
from meshify.injector.documents.unknown import DefaultFloat, DefaultInt, DefaultStr, ResolvedStr
from meshify.injector.model.service_models import _accepts, _check, shapes
from test_validate_fast_path import ROUTE_SPEC, TASKDEFS


class _Str(str):
    pass


class _Int(int):
    pass


class _Dict(dict):
    pass


class _List(list):
    pass


def _default_str(text: str) -> DefaultStr:
    value = DefaultStr(text)
    value.variable = "var.x"
    return value


def _variants(old):
    """Values of other classes standing where ``old`` is."""
    out = [True, False, 0, 1, -1, 2.5, "tcp", "bogus", "", None, {}, [], (), {"a": 1}]
    if isinstance(old, str):
        out += [_Str(old), _default_str(old), ResolvedStr(old), _Str("not-an-enum-value")]
    if isinstance(old, bool):
        out += [int(old), str(old)]
    elif isinstance(old, int):
        out += [_Int(old), DefaultInt(old), DefaultFloat(old), float(old), bool(old % 2)]
    if isinstance(old, dict):
        out += [_Dict(old), dict(old)]
    if isinstance(old, list):
        out += [_List(old), tuple(old), old + old]
    return out


def _replaced(value, path, new):
    value = copy.deepcopy(value)
    parent = value
    for token in path[:-1]:
        parent = parent[token]
    parent[path[-1]] = new
    return value


def _walk_finds_nothing(service, shape, value) -> bool:
    problems: list[tuple[str, str]] = []
    _check(shapes(service), shape, value, "", problems)
    return not problems


CASES = [("ecs", "RegisterTaskDefinitionRequest", taskdef) for taskdef in TASKDEFS] + \
    [("appmesh", "RouteSpec", ROUTE_SPEC)]


@pytest.mark.parametrize(("service", "shape", "value"), CASES)
def test_the_checker_answers_as_the_full_walk_for_values_of_every_class(service, shape, value):
    accepts = _accepts(service, shape)
    assert accepts(value)
    answers = set()
    for path in list(value_paths(value))[1:]:
        old = value
        for token in path:
            old = old[token]
        for new in _variants(old):
            replaced = _replaced(value, path, new)
            expected = _walk_finds_nothing(service, shape, replaced)
            assert accepts(replaced) is expected, (path, new, type(new))
            answers.add(expected)
    assert answers == {True, False}  # both answers were asked for


def test_a_bool_is_no_integer_and_an_int_is_no_bool_inline():
    taskdef = copy.deepcopy(TASKDEFS[2])
    accepts = _accepts("ecs", "RegisterTaskDefinitionRequest")
    container = taskdef["containerDefinitions"][0]
    container["portMappings"] = [{"containerPort": 8080, "protocol": "tcp"}]
    assert accepts(taskdef)
    container["portMappings"][0]["containerPort"] = True  # an unbounded integer, inline
    assert not accepts(taskdef)
    container["portMappings"][0]["containerPort"] = _Int(8080)
    assert accepts(taskdef)
    container["portMappings"][0]["protocol"] = "sctp"  # an enum, inline
    assert not accepts(taskdef)
    container["portMappings"][0]["protocol"] = _Str("udp")
    assert accepts(taskdef)
    container["portMappings"][0]["protocol"] = ["tcp"]  # unhashable where an enum goes
    assert not accepts(taskdef)
    container["portMappings"][0]["protocol"] = "tcp"
    container["essential"] = 1  # a bool, inline
    assert not accepts(taskdef)
    container["essential"] = True
    taskdef["requiresCompatibilities"] = ["FARGATE", "MARS"]  # a list of enum values
    assert not accepts(taskdef)
    taskdef["requiresCompatibilities"] = ("FARGATE", _Str("EC2"))
    assert accepts(taskdef)
    taskdef["requiresCompatibilities"] = [{"FARGATE": 1}]
    assert not accepts(taskdef)

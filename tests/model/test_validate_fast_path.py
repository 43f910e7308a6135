"""``service_models.validate`` answers valid input with a checker compiled from the model
and explains everything else with the full walk: the two must never disagree, or T211
would miss a problem (or the input reader a wrong type). Every value of real task
definitions and an App Mesh spec, broken one way at a time, gives exactly the full walk's
problems."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import value_paths
from golden_cases import GOLDEN, SHOP
from meshify.injector.documents.unknown import Unknown
from meshify.injector.model.service_models import _check, shapes, validate

# Injected (Envoy, proxy configuration, dependsOn, health checks) and as users wrote them.
TASKDEFS = [json.loads((GOLDEN / f"{name}.out.json").read_text()) for name in ("shop-products-api", "corpus-ecs-exec")] + \
    [json.loads((SHOP / "taskdefs" / "prices-api.json").read_text())]
ROUTE_SPEC = {"priority": 10, "httpRoute": {
    "match": {"prefix": "/", "headers": [{"name": "x", "match": {"exact": "y"}}]},
    "action": {"weightedTargets": [{"virtualNode": "a", "weight": 90}, {"virtualNode": "b", "weight": 10}]},
    "retryPolicy": {"maxRetries": 3, "perRetryTimeout": {"unit": "s", "value": 5}, "httpRetryEvents": ["server-error"]}}}
BREAKAGES = ["delete", "unknown key", "wrong type", "negative", "huge", "empty", "bool", "float", "placeholder",
             "intrinsic", "unknown", "tuple", "none"]


def _broken(value, path, breakage):
    value = copy.deepcopy(value)
    parent = value
    for token in path[:-1]:
        parent = parent[token]
    last = path[-1]
    old = parent[last]
    if breakage == "delete" and isinstance(parent, dict):
        del parent[last]
    elif breakage == "unknown key" and isinstance(old, dict):
        old["notAMember"] = 1
    else:
        parent[last] = {
            "wrong type": 3.5 if isinstance(old, str) else "text", "negative": -1, "huge": 10**12,
            "empty": [] if isinstance(old, list) else {} if isinstance(old, dict) else "", "bool": True,
            "float": 2.5, "placeholder": "${VALUE}", "intrinsic": {"Ref": "Param"}, "unknown": Unknown("var.x"),
            "tuple": tuple(old) if isinstance(old, list) else (old,), "none": None,
        }.get(breakage, old)
    return value


def _full_walk(service: str, shape: str, value) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    _check(shapes(service), shape, value, "", problems)
    return problems


@pytest.mark.parametrize("index", range(len(TASKDEFS)))
def test_every_broken_task_definition_value_gets_the_full_walks_problems(index):
    taskdef = TASKDEFS[index]
    assert validate("ecs", "RegisterTaskDefinitionRequest", taskdef) == []
    for path in list(value_paths(taskdef))[1:]:
        for breakage in BREAKAGES:
            broken = _broken(taskdef, path, breakage)
            assert validate("ecs", "RegisterTaskDefinitionRequest", broken) == \
                _full_walk("ecs", "RegisterTaskDefinitionRequest", broken), (path, breakage)


def test_every_broken_route_spec_value_gets_the_full_walks_problems():
    assert validate("appmesh", "RouteSpec", ROUTE_SPEC) == []
    for path in list(value_paths(ROUTE_SPEC))[1:]:
        for breakage in BREAKAGES:
            broken = _broken(ROUTE_SPEC, path, breakage)
            assert validate("appmesh", "RouteSpec", broken) == _full_walk("appmesh", "RouteSpec", broken), (path, breakage)


def test_a_value_the_files_cannot_know_is_valid_and_a_wrong_one_is_placed():
    taskdef = copy.deepcopy(TASKDEFS[0])
    taskdef["containerDefinitions"][0]["memory"] = "${MEMORY}"  # a placeholder: may be anything
    assert validate("ecs", "RegisterTaskDefinitionRequest", taskdef) == []
    taskdef["containerDefinitions"][0]["cpu"] = "256"
    taskdef["networkMode"] = "bridged"
    assert validate("ecs", "RegisterTaskDefinitionRequest", taskdef) == [
        ("/networkMode", "'bridged' is not one of bridge, host, awsvpc, none"),
        ("/containerDefinitions/0/cpu", "a str where the model wants int"),
    ]

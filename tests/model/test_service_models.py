"""meshify's model walker agrees with botocore's own ParamValidator on everything that
validator checks (unknown keys, missing required members, types, minimums, unions),
over real task definitions and App Mesh specs broken at random."""

from __future__ import annotations

import copy
import json
import re

import botocore.session
import pytest
from botocore.validate import ParamValidator
from conftest import value_paths
from golden_cases import GOLDEN
from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.model.service_models import validate

pytestmark = pytest.mark.slow  # a real process, server or installation (ARCHITECTURE.md, Tests)

# What botocore does not check (meshify adds these from the same model).
MESHIFY_ONLY = ("is above the maximum", "longer than the maximum", "more than the maximum", "is not one of")
_TOKEN = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


def _botocore_problems(service: str, operation: str, value) -> set[str]:
    shape = botocore.session.get_session().get_service_model(service).operation_model(operation).input_shape
    report = ParamValidator().validate(value, shape)
    pointers = set()
    for kind, name, detail in report._errors:
        pointer = "".join(f"/{key or index}" for key, index in _TOKEN.findall(name))
        pointers.add(pointer + (f"/{detail['unknown_param']}" if kind == "unknown field" else ""))
    return pointers


def _meshify_problems(service: str, shape: str, value) -> set[str]:
    return {pointer for pointer, message in validate(service, shape, value) if not message.endswith(MESHIFY_ONLY)
            and " is not one of " not in message}


def _mutate(value, path, mutation):
    value = copy.deepcopy(value)
    if not path:
        return value
    parent = value
    for token in path[:-1]:
        parent = parent[token]
    last = path[-1]
    if mutation == "delete" and isinstance(parent, dict):
        del parent[last]
    elif mutation == "unknown" and isinstance(parent[last], dict):
        parent[last]["notAMember"] = 1
    elif mutation == "wrong type":
        parent[last] = 3.5 if isinstance(parent[last], str) else "text"
    elif mutation == "negative":
        parent[last] = -1
    elif mutation == "empty":
        parent[last] = [] if isinstance(parent[last], list) else ""
    return value


TASKDEF = json.loads((GOLDEN / "shop-products-api.out.json").read_text())
ROUTE_SPEC = {"priority": 10, "httpRoute": {
    "match": {"prefix": "/", "headers": [{"name": "x", "match": {"exact": "y"}}]},
    "action": {"weightedTargets": [{"virtualNode": "a", "weight": 90}, {"virtualNode": "b", "weight": 10}]},
    "retryPolicy": {"maxRetries": 3, "perRetryTimeout": {"unit": "s", "value": 5}, "httpRetryEvents": ["server-error"]}}}
MUTATIONS = st.sampled_from(["delete", "unknown", "wrong type", "negative", "empty"])


@settings(max_examples=300, deadline=None)
@given(data=st.data(), mutation=MUTATIONS)
def test_task_definition_problems_match_botocore(data, mutation):
    path = data.draw(st.sampled_from(list(value_paths(TASKDEF))))
    broken = _mutate(TASKDEF, path, mutation)
    assert _meshify_problems("ecs", "RegisterTaskDefinitionRequest", broken) == \
        _botocore_problems("ecs", "RegisterTaskDefinition", broken)


@settings(max_examples=300, deadline=None)
@given(data=st.data(), mutation=MUTATIONS)
def test_route_spec_problems_match_botocore(data, mutation):
    path = data.draw(st.sampled_from(list(value_paths(ROUTE_SPEC))))
    broken = _mutate(ROUTE_SPEC, path, mutation)
    request = {"meshName": "m", "virtualRouterName": "r", "routeName": "n", "spec": broken}
    assert {f"/spec{p}" for p in _meshify_problems("appmesh", "RouteSpec", broken)} == \
        _botocore_problems("appmesh", "CreateRoute", request)


def test_meshify_adds_maximums_and_enums():
    spec = copy.deepcopy(ROUTE_SPEC)
    spec["httpRoute"]["action"]["weightedTargets"][0]["weight"] = 900
    spec["httpRoute"]["match"]["method"] = "FETCH"
    assert validate("appmesh", "RouteSpec", spec) == [
        ("/httpRoute/match/method", "'FETCH' is not one of GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH"),
        ("/httpRoute/action/weightedTargets/0/weight", "900 is above the maximum 100"),
    ]

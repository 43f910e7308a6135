"""``task_definition.proxy_properties`` (by name: index and value as a string) held to its
first spelling, a comprehension calling ``str`` on every value; and the context's copy of
it, computed once per task definition and forgotten after any edit (``changed``)."""

from __future__ import annotations

import random
from typing import Any

from golden_cases import SHOP
from meshify.injector.documents.unknown import Unknown, defaulted
from meshify.injector.engine import TaskContext
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.model.task_definition import proxy_properties


def _reference(taskdef: dict[str, Any]) -> dict[str, tuple[int, str]]:
    proxy = taskdef.get("proxyConfiguration")
    if not isinstance(proxy, dict):
        return {}
    return {item["name"]: (index, str(item.get("value", "")))
            for index, item in enumerate(proxy.get("properties") or []) if isinstance(item, dict) and "name" in item}


VALUES = ["1337", "", " 15000 ", 15000, 1.5, True, None, [1], {"Ref": "Port"}, Unknown("var.port"),
          defaulted("1337", "var.uid"), defaulted(8080, "var.port"), defaulted(1.5, "var.x")]


def _properties(rng: random.Random) -> Any:
    items: list[Any] = []
    for _ in range(rng.randrange(6)):
        kind = rng.randrange(8)
        if kind == 0:
            items.append(rng.choice(["x", 5, None, []]))  # not a mapping: skipped
        elif kind == 1:
            items.append({"value": rng.choice(VALUES)})  # no name: skipped
        elif kind == 2:
            items.append({"name": rng.choice(["IgnoredUID", "AppPorts"])})  # no value: ""
        else:
            items.append({"name": rng.choice(["IgnoredUID", "AppPorts", "ProxyEgressPort", 7]),
                          "value": rng.choice(VALUES)})
    return rng.choice([items, items, None, "x"])


def test_proxy_properties_gives_the_comprehensions_answer():
    rng = random.Random(13)
    cases: list[dict[str, Any]] = [{}, {"proxyConfiguration": None}, {"proxyConfiguration": []},
                                   {"proxyConfiguration": {}}, {"proxyConfiguration": {"properties": None}}]
    cases += [{"proxyConfiguration": {"properties": _properties(rng)}} for _ in range(2000)]
    for taskdef in cases:
        found, expected = proxy_properties(taskdef), _reference(taskdef)
        assert found == expected, taskdef
        assert [type(value) for _, value in found.values()] == [str] * len(found), taskdef  # never a subclass


def test_the_value_of_a_default_is_a_plain_string():
    found = proxy_properties({"proxyConfiguration": {"properties": [{"name": "IgnoredUID",
                                                                     "value": defaulted("1337", "var.uid")}]}})
    assert found == {"IgnoredUID": (0, "1337")}
    assert type(found["IgnoredUID"][1]) is str


def test_the_context_computes_them_once_until_an_edit():
    mesh = load_manifest(str(SHOP / "meshify.yaml"))
    taskdef: dict[str, Any] = {"containerDefinitions": [], "proxyConfiguration": {
        "type": "APPMESH", "properties": [{"name": "IgnoredUID", "value": "1337"}]}}
    context = TaskContext(mesh, next(iter(mesh.nodes.values())), taskdef, lambda pointer: None)  # type: ignore[arg-type,return-value]
    first = context.proxy_properties()
    assert first == {"IgnoredUID": (0, "1337")}
    assert context.proxy_properties() is first
    taskdef["proxyConfiguration"]["properties"].append({"name": "AppPorts", "value": "8080"})
    context.changed(())  # an edit that changes no fact still changes the properties
    assert context.proxy_properties() == {"IgnoredUID": (0, "1337"), "AppPorts": (1, "8080")}
    assert context.ignored_uid() == "1337"
    taskdef["proxyConfiguration"]["properties"][0]["value"] = "1000"
    context.changed()
    assert context.ignored_uid() == "1000"

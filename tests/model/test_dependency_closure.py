"""``find_cycle`` and ``dependencies_of`` (T203, T205) skip their walk when no container
can be on a cycle or the container waits for nothing: held to the full walk, as it was
written before, over many random ``dependsOn`` graphs (self loops, names given twice,
unknown targets, items that are no mapping, containers without dependsOn)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from meshify.injector.model.task_definition import dependencies_of, depends_on, find_cycle


def _full_dependencies(taskdef: dict[str, Any], index: int) -> set[str]:
    by_name = {c.get("name"): c for c in taskdef.get("containerDefinitions") or []}
    seen: set[str] = set()
    pending = [taskdef["containerDefinitions"][index]]
    while pending:
        for item in depends_on(pending.pop()):
            name = item.get("containerName")
            if isinstance(name, str) and name in by_name and name not in seen:
                seen.add(name)
                pending.append(by_name[name])
    return seen


def _full_cycle(taskdef: dict[str, Any]) -> list[str] | None:
    by_name = {c.get("name"): c for c in taskdef.get("containerDefinitions") or []}
    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = 1
        for item in depends_on(by_name[name]):
            target = item.get("containerName")
            if not isinstance(target, str) or target not in by_name:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target):], target] if target in path else [name, target]
            if target not in state and (cycle := visit(target, [*path, target])):
                return cycle
        state[name] = 2
        return None

    for name in by_name:
        if name not in state and (cycle := visit(name, [name])):
            return cycle
    return None


def _random_taskdef(rng: random.Random) -> dict[str, Any]:
    names = ["app", "envoy", "xray", "init", "log_router"][:rng.randint(1, 5)]
    containers = []
    for _ in range(rng.randint(1, 6)):
        container: dict[str, Any] = {"name": rng.choice(names)}  # a name may be given twice
        if rng.random() < 0.6:
            items: list[Any] = []
            for _ in range(rng.randint(0, 3)):
                roll = rng.random()
                if roll < 0.8:
                    items.append({"containerName": rng.choice([*names, "missing"]), "condition": "START"})
                elif roll < 0.9:
                    items.append({"condition": "START"})
                else:
                    items.append("not a mapping")
            container["dependsOn"] = items
        containers.append(container)
    return {"family": "f", "containerDefinitions": containers}


CASES = [_random_taskdef(random.Random(seed)) for seed in range(3000)]


def test_the_random_graphs_hold_cycles_and_none():
    cycles = sum(_full_cycle(taskdef) is not None for taskdef in CASES)
    assert 300 < cycles < len(CASES) - 300


@pytest.mark.parametrize("chunk", range(10))
def test_the_shortcuts_answer_as_the_full_walk(chunk):
    for taskdef in CASES[chunk::10]:
        assert find_cycle(taskdef) == _full_cycle(taskdef), taskdef
        for index in range(len(taskdef["containerDefinitions"])):
            assert dependencies_of(taskdef, index) == _full_dependencies(taskdef, index), (taskdef, index)


def test_a_self_loop_and_a_longer_cycle_are_found():
    assert find_cycle({"containerDefinitions": [
        {"name": "app", "dependsOn": [{"containerName": "app"}]}]}) == ["app", "app"]
    assert find_cycle({"containerDefinitions": [
        {"name": "a", "dependsOn": [{"containerName": "b"}]}, {"name": "envoy"},
        {"name": "b", "dependsOn": [{"containerName": "c"}, {"containerName": "envoy"}]},
        {"name": "c", "dependsOn": [{"containerName": "a"}]}]}) == ["a", "b", "c", "a"]

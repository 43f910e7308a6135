"""``find_cycle`` and ``dependencies_of`` (T203, T205) skip their walk when no container
can be on a cycle or the container waits for nothing: held to the walk without the
shortcut (``cycle_walk``, ``dependency_walk``) over many random ``dependsOn`` graphs (self
loops, names given twice, unknown targets, items that are no mapping, containers without
dependsOn)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from meshify.injector.model.task_definition import cycle_walk, dependencies_of, dependency_walk, find_cycle


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
    cycles = sum(cycle_walk(taskdef) is not None for taskdef in CASES)
    assert 300 < cycles < len(CASES) - 300


@pytest.mark.parametrize("chunk", range(10))
def test_the_shortcuts_answer_as_the_full_walk(chunk):
    for taskdef in CASES[chunk::10]:
        assert find_cycle(taskdef) == cycle_walk(taskdef), taskdef
        for index in range(len(taskdef["containerDefinitions"])):
            assert dependencies_of(taskdef, index) == dependency_walk(taskdef, index), (taskdef, index)


def test_a_self_loop_and_a_longer_cycle_are_found():
    assert find_cycle({"containerDefinitions": [
        {"name": "app", "dependsOn": [{"containerName": "app"}]}]}) == ["app", "app"]
    assert find_cycle({"containerDefinitions": [
        {"name": "a", "dependsOn": [{"containerName": "b"}]}, {"name": "envoy"},
        {"name": "b", "dependsOn": [{"containerName": "c"}, {"containerName": "envoy"}]},
        {"name": "c", "dependsOn": [{"containerName": "a"}]}]}) == ["a", "b", "c", "a"]

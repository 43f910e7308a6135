"""T215 skips a task none of whose containers asks cpu or memory only when both task sizes
are written as text (never below 0): every other task is checked as before."""

from __future__ import annotations

import pytest
from meshify.injector.engine import TaskContext
from meshify.injector.model.mesh import Loc
from meshify.rules.t215_task_size import check


def _found(taskdef: dict) -> list[tuple[str, str]]:
    context = TaskContext(None, None, taskdef, lambda pointer: Loc(None, pointer))  # type: ignore[arg-type]
    return [(found.loc.pointer, found.message) for found in check(context)]


@pytest.mark.parametrize(("taskdef", "expected"), [
    ({"cpu": "512", "memory": "1024", "containerDefinitions": [{"name": "app"}]}, []),
    ({"cpu": -5, "memory": "1024", "containerDefinitions": [{"name": "app"}]},
     [("/cpu", "the containers need 0 CPU units (), more than the task's cpu -5: ECS rejects it; raise the task's cpu")]),
    ({"cpu": "512", "memory": -1.5, "containerDefinitions": [{"name": "app"}]},
     [("/memory", "the containers need 0 MiB (), more than the task's memory -1.5: ECS rejects it; raise the task's memory")]),
    ({"cpu": "256", "memory": "1024", "containerDefinitions": [{"name": "a"}, {"name": "b", "cpu": 512}]},
     [("/cpu", "the containers need 512 CPU units (b 512), more than the task's cpu 256: ECS rejects it; "
               "raise the task's cpu")]),
    ({"cpu": "256", "memory": "1 GB", "containerDefinitions": [{"name": "a", "memoryReservation": 2048}]},
     [("/memory", "the containers need 2048 MiB (a 2048), more than the task's memory 1024: ECS rejects it; "
                  "raise the task's memory")]),
    ({"cpu": "256", "memory": "512", "containerDefinitions": [{"name": "a", "memory": 256}, {"name": "b"}]}, []),
])
def test_task_sizes(taskdef, expected):
    assert _found(taskdef) == expected

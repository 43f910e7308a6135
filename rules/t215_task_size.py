"""T215: the containers need more CPU or memory than the task's fixed size.

What: the containers' ``cpu`` add up to more than the task's ``cpu``, or their memory
(``memory``, else ``memoryReservation``, per container) to more than the task's
``memory``. Envoy counts like every container. Task sizes written with units (``"1 vCPU"``,
``"2 GB"``) are understood.

Why: ECS rejects the registration (or the task never places); adding Envoy to a task
sized exactly for its application is the usual way to get there.

Fails:
    cpu: "256"; app: {cpu: 256}; envoy: {cpu: 64}

Passes:
    cpu: "512"; app: {cpu: 256}; envoy: {cpu: 64}

Fix: raise the task's size (a valid Fargate combination), or lower the containers'.
"""

import re

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model.unknowns import is_unknown

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$")
_UNITS = {"cpu": {"": 1, "vcpu": 1024}, "memory": {"": 1, "mb": 1, "mib": 1, "gb": 1024, "gib": 1024}}


def _size(value: object, kind: str) -> float | None:
    if isinstance(value, bool) or is_unknown(value):
        return None
    if isinstance(value, int | float):
        return float(value)
    match = _SIZE.match(value) if isinstance(value, str) else None
    if match is None or match.group(2).lower() not in _UNITS[kind]:
        return None
    return float(match.group(1)) * _UNITS[kind][match.group(2).lower()]


def _number(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


@rule("T215", "error", "Containers larger than the task", scope="taskdef")
def check(context: TaskContext):
    taskdef = context.taskdef
    if isinstance(taskdef.get("cpu"), str) and isinstance(taskdef.get("memory"), str):
        for container in context.containers:
            if "cpu" in container or "memory" in container or "memoryReservation" in container:
                break
        else:
            return  # no container asks any (nearly every task), and a size written as text is never below 0
    demands = {
        "cpu": [_number(c.get("cpu")) for c in context.containers],
        "memory": [_number(c.get("memory")) or _number(c.get("memoryReservation")) for c in context.containers],
    }
    for kind, unit in (("cpu", "CPU units"), ("memory", "MiB")):
        total = sum(demands[kind])
        if not total and isinstance(context.taskdef.get(kind), str):
            continue  # no container asks any, and a size written as text is never below 0
        task_size = _size(context.taskdef.get(kind), kind)
        if task_size is None or total <= task_size:
            continue
        parts = ", ".join(f"{c.get('name')} {amount}" for c, amount in zip(context.containers, demands[kind], strict=True)
                          if amount)
        yield check.rule.finding(
            f"the containers need {total} {unit} ({parts}), more than the task's {kind} {task_size:g}: ECS rejects it; "
            f"raise the task's {kind}", context.locate(f"/{kind}"))

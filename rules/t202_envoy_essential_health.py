"""T202: Envoy is not essential, or has no health check.

What: the Envoy container has ``essential`` other than ``true``, or no ``healthCheck``.

Why: if Envoy stops and the task keeps running, its application loses all traffic while
ECS sees a healthy task. The application containers wait for Envoy to be ``HEALTHY``,
which ECS can only know from a health check.

Fails:
    {name: envoy, essential: false, image: ...}

Passes:
    {name: envoy, essential: true, healthCheck: {command: [CMD-SHELL, "curl -s
     http://localhost:9901/server_info | grep state | grep -q LIVE"], interval: 5,
     timeout: 2, retries: 3, startPeriod: 10}, ...}

Fix: ``meshify inject`` sets ``essential: true`` and adds the admin-endpoint health check.
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model import wiring
from meshify.injector.model.task_definition import container_pointer


@rule("T202", "error", "Envoy not essential or without a health check", scope="taskdef", fixable=True,
      reads=("envoy", "/containerDefinitions/*/name", "/containerDefinitions/*/essential",
             "/containerDefinitions/*/healthCheck"), settles=True, needs_envoy=True)
def check(context: TaskContext):
    index = context.envoy_index()
    if index is None:
        return
    container = context.containers[index]
    name = container["name"]
    if container.get("essential", True) is not True:  # absent means true to ECS
        yield check.rule.finding(
            f"Envoy container `{name}` is not essential: set `essential: true`",
            context.locate(container_pointer(index, "essential")),
            fix=[{"op": "replace", "path": container_pointer(index, "essential"), "value": True}],
        )
    if not isinstance(container.get("healthCheck"), dict):
        yield check.rule.finding(
            f"Envoy container `{name}` has no health check, so no container can wait for it "
            "to be HEALTHY: add the Envoy admin health check",
            context.locate(container_pointer(index)),
            fix=[{"op": "add", "path": container_pointer(index, "healthCheck"), "value": dict(wiring.HEALTH_CHECK)}],
        )

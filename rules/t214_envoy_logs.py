"""T214: Envoy has no log configuration while the application containers have one.

What: the Envoy container has no ``logConfiguration`` in a task whose other containers
(at least one) send their logs somewhere.

Why: Envoy's logs are where mesh failures show (``gRPC config stream closed``, TLS and
routing errors); without a log configuration they are lost when the task stops, exactly
when they are needed.

Fails:
    app: {logConfiguration: {logDriver: awslogs, ...}}; envoy: {}  # no logConfiguration

Passes:
    envoy: {logConfiguration: {logDriver: awslogs, options: {..., awslogs-stream-prefix: envoy}}}

Fix: ``meshify inject`` gives Envoy the log configuration of the first application
container that has one (for ``awslogs``, with Envoy's name as the stream prefix).
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.engine.runner import working_copy
from meshify.injector.model.task_definition import container_pointer


@rule("T214", "warning", "Envoy without logs", scope="taskdef", fixable=True,
      reads=("envoy", "/containerDefinitions/*/name", "/containerDefinitions/*/logConfiguration"), settles=True,
      needs_envoy=True)
def check(context: TaskContext):
    index = context.envoy_index()
    containers = context.containers
    if index is None or containers[index].get("logConfiguration") is not None:
        return
    logging = [c for position, c in enumerate(containers)
               if position != index and isinstance(c.get("logConfiguration"), dict)]
    if not logging:
        return
    envoy_name = containers[index]["name"]
    configuration = working_copy(logging[0]["logConfiguration"])
    options = configuration.get("options")
    if isinstance(options, dict) and "awslogs-stream-prefix" in options:
        options["awslogs-stream-prefix"] = envoy_name
    yield check.rule.finding_later(
        _described, (envoy_name, logging[0].get("name"), index, context.locate),
        [{"op": "add", "path": container_pointer(index, "logConfiguration"), "value": configuration}])


def _described(envoy_name, logging_name, index, locate):
    """The finding's message and place, built when it is reported (the fix loop applies the
    fix without them)."""
    return (f"Envoy container `{envoy_name}` has no logConfiguration, but `{logging_name}` has one: Envoy's logs "
            "are lost; give it the same log driver", locate(container_pointer(index, "name")))

"""T211: the task definition is not valid ``RegisterTaskDefinition`` input.

What: what the ECS service model that botocore ships rejects: unknown keys (such as
``networkMode`` misplaced inside a container definition), wrong types, missing required
members, values under a minimum, and, checked here from the same model, values over a
maximum and outside an enum (a ``dependsOn`` condition, a ``networkMode``).

Why: ECS rejects the registration, typically at the last step of a deploy pipeline.

Fails:
    containerDefinitions: [{name: app, image: app:1, networkMode: awsvpc}]

Passes:
    networkMode: awsvpc
    containerDefinitions: [{name: app, image: app:1}]

Fix: move or correct the value the message names.
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model.service_models import validate


@rule("T211", "error", "Not valid RegisterTaskDefinition input", scope="taskdef")
def check(context: TaskContext):
    for pointer, message in validate("ecs", "RegisterTaskDefinitionRequest", context.taskdef):
        yield check.rule.finding(f"ECS rejects this task definition: {message}", context.locate(pointer))

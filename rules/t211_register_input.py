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
from meshify.injector.model.task_definition import member_name, value_at
from meshify.injector.model.unknowns import is_unknown


@rule("T211", "error", "Not valid RegisterTaskDefinition input", scope="taskdef")
def check(context: TaskContext):
    if context.known_valid:  # the reader's check of the same data found nothing
        return
    for pointer, message in validate("ecs", "RegisterTaskDefinitionRequest", context.taskdef):
        if is_unknown(value_at(context.taskdef, pointer)):
            continue  # a template placeholder: its value is not known here
        if pointer and not message.startswith(("unknown key", "missing required key")):
            message = f"{member_name(pointer)}: {message}"  # the member, never its value (it may be a secret)
        yield check.rule.finding(f"ECS rejects this task definition: {message}", context.locate(pointer))

"""``meshify uninject``: the inverse of inject. Task definition files to patches that take
App Mesh out of them (``model/unwiring.py``), then to the output mode
(``outputs/patches.py``) once every input has loaded, exactly as inject does.

A manifest is not needed: what App Mesh put in a task definition is recognisable in it.
When one is given or found, its ``envoy.containerName`` names the Envoy container."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from meshify.injector.aws.ecs import is_ecs_reference
from meshify.injector.aws.session import AwsOptions
from meshify.injector.commands.batch import each_file
from meshify.injector.errors import InputError
from meshify.injector.inputs.iam_policy import PolicyFile, load_policy
from meshify.injector.inputs.task_definition import TaskDefinitionFile
from meshify.injector.model.unwiring import DEFAULT_ENVOY_NAME, policy_unwiring_patch, references_left, uninject_patch
from meshify.injector.outputs.patches import Edit, Mode, say, task_definition_edits, write
from meshify.injector.outputs.progress import progress


@dataclass(slots=True)
class Uninjection:
    """What uninject makes of one task definition."""

    source: TaskDefinitionFile
    patch: list[dict[str, Any]]


def uninject(source: TaskDefinitionFile, envoy_name: str = DEFAULT_ENVOY_NAME) -> Uninjection:
    return Uninjection(source, uninject_patch(source.data, envoy_name))


def _edits(uninjections: list[Uninjection]) -> list[Edit]:
    return task_definition_edits([(item.source, item.patch) for item in uninjections])


def _policy(path: str) -> tuple[PolicyFile, Edit]:
    policy = load_policy(path)
    if policy.document is None:
        raise InputError("no such file", path)
    policy.patch = policy_unwiring_patch(policy.policy)
    edit = Edit(policy.path, policy.document.text, policy.patch, policy.new_text, bool(policy.patch),
                printed=False, written_message=f"task role policy updated: {policy.path}")
    return policy, edit


def run(paths: list[str], mode: Mode, manifest_path: str | None = None, policy_path: str | None = None,
        output: str | None = None, aws: AwsOptions | None = None) -> int:
    """``meshify uninject``: every input loads and every patch is computed before the first
    write, so that bad input never leaves a file half-changed. Each file stands alone: one
    that cannot be used is one line, the others are uninjected, and the status is 2."""
    from meshify.injector.commands.inject import load_task_definitions

    envoy_name, region = DEFAULT_ENVOY_NAME, ""
    if manifest_path is not None:
        from meshify.injector.inputs.manifest import load_manifest

        mesh = load_manifest(manifest_path)
        envoy_name, region = mesh.envoy.container_name, mesh.region
    failed: list[str] = []  # each file stands alone (cli.md, commands/batch.py)
    sources: list[TaskDefinitionFile] = []
    seen: set[str] = set()  # a file given twice (a link and its target, two spellings) is uninjected once
    for path in progress(paths, "uninject"):
        if not is_ecs_reference(path):
            real = os.path.realpath(path)
            if real in seen:
                continue
            seen.add(real)
        with each_file(path, failed):
            sources += load_task_definitions(path, aws or AwsOptions(), region)
    if mode is Mode.IN_PLACE and (remote := [s for s in sources if s.remote]):
        raise InputError(f"{remote[0].path} is read from ECS and has no file to rewrite")
    uninjections = []
    for source in sources:
        if source.path in failed:
            continue  # a file refused as a whole: nothing of it is edited (a template holds several)
        with each_file(source.path, failed):
            uninjection = uninject(source, envoy_name)
            source.check_editable(uninjection.patch)
            uninjections.append(uninjection)
    uninjections = [uninjection for uninjection in uninjections if uninjection.source.path not in failed]
    sources = [uninjection.source for uninjection in uninjections]
    for source in sources:
        for container, member in references_left(source.data, envoy_name):
            say(f"{source.path}: warning: container `{container}` still names the Envoy container in {member}; "
                "uninject leaves that to you (ECS rejects a reference to a container that does not exist)")
    edits = _edits(uninjections)
    if policy_path is not None:
        edits.append(_policy(policy_path)[1])
    if not edits and failed:
        return 2
    status = write(edits, mode, output, verb="uninjected")
    return 2 if failed else status

"""What ``meshify inject`` prints and writes, once every input has loaded."""

from __future__ import annotations

import difflib
import json
import sys

from .aws import AwsOptions
from .aws_sources import is_ecs_reference
from .errors import InputError
from .inject import Injection, PolicyFile, inject, load_policy, policy_document, policy_patch
from .manifest import load_manifest
from .source import write_atomic
from .taskdef import TaskDefinitionFile, load_taskdef, taskdef_from_document


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _diff(path: str, old: str, new: str) -> str:
    """A unified diff that ``patch`` and ``git apply`` accept, missing final newlines included."""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}")
    return "".join(line if line.endswith("\n") else f"{line}\n\\ No newline at end of file\n" for line in lines)


def _load(path: str, aws: AwsOptions, region: str) -> TaskDefinitionFile:
    if not is_ecs_reference(path):
        return load_taskdef(path)
    from .aws_sources import read_ecs_document

    return taskdef_from_document(read_ecs_document(path, aws, region), remote=True)


def _register(injections: list[Injection], aws: AwsOptions, region: str) -> None:
    """Register each injected definition as a new revision; skip what is unchanged."""
    import jsonpatch

    from .aws_sources import register

    for injection in injections:
        if injection.claimant is None:
            continue
        if not injection.patch:
            _say(f"{injection.source.path}: already injected; nothing registered")
            continue
        print(register(jsonpatch.apply_patch(injection.source.data, injection.patch), injection.source.path, aws, region))


def run_inject(paths: list[str], manifest_path: str, node: str | None, mode: str | None,
               policy_path: str | None, output: str | None, envoy_image: str | None = None,
               aws: AwsOptions | None = None) -> int:
    mesh = load_manifest(manifest_path, envoy_image)
    aws = aws or AwsOptions()
    remote = [path for path in paths if is_ecs_reference(path)]
    if remote and mode == "--in-place":
        raise InputError(f"{remote[0]} is read from ECS and has no file to rewrite: use --register")
    injections: list[Injection] = [inject(mesh, _load(path, aws, mesh.region), node) for path in paths]
    claimants = list({id(i.claimant): i.claimant for i in injections if i.claimant is not None}.values())
    policy: PolicyFile | None = None
    if policy_path is not None:
        policy = load_policy(policy_path)
        policy_patch(mesh, policy, claimants)
    # Every input has loaded and every patch is known: from here on, output.
    texts = {i.source.path: i.new_text() for i in injections if i.changes and mode != "--check"}
    for injection in injections:
        if injection.claimant is None:
            _say(f"{injection.source.path}: family {injection.source.family!r} is claimed by no node or gateway "
                 "of the manifest; left unchanged")
    changed = [i for i in injections if i.changes]
    policy_changes = policy is not None and bool(policy.patch)

    if mode == "--check":
        for injection in changed:
            print(f"would change: {injection.source.path}")
        if policy_changes:
            print(f"would change: {policy.path}")  # type: ignore[union-attr]
        return 1 if changed or policy_changes else 0
    if mode == "--patch":
        for injection in injections:
            if len(injections) > 1:
                print(f"# {injection.source.path}")
            print(json.dumps(injection.patch, indent=2))
        if policy_changes:
            print(f"# {policy.path}")  # type: ignore[union-attr]
            print(json.dumps(policy.patch, indent=2))  # type: ignore[union-attr]
    elif mode == "--diff":
        for injection in changed:
            sys.stdout.write(_diff(injection.source.path, injection.old_text(), texts[injection.source.path]))
        if policy_changes:
            sys.stdout.write(_diff(policy.path, policy.document.text if policy.document else "", policy.new_text()))  # type: ignore[union-attr]
    elif mode == "--register":
        _register(injections, aws, mesh.region)
    elif mode == "--in-place":
        for injection in changed:
            write_atomic(injection.source.path, texts[injection.source.path])
            _say(f"injected: {injection.source.path}")
    elif output is not None:
        injection = injections[0]
        write_atomic(output, texts.get(injection.source.path, injection.source.document.text))
    else:
        for injection in injections:
            sys.stdout.write(texts.get(injection.source.path, injection.source.document.text))
    if policy is not None:
        if policy_changes and mode not in ("--patch", "--diff"):
            write_atomic(policy.path, policy.new_text())
            _say(f"task role policy updated: {policy.path}")
    elif claimants:
        _say("The task role needs this policy (give --policy FILE to add it to a policy document):")
        _say(json.dumps(policy_document(mesh, claimants), indent=2))
    return 0

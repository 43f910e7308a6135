"""``meshify inject``: from task definition files and the mesh model to patches, then to
the output mode (``outputs/patches.py``) once every input has loaded."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from meshify.injector import engine
from meshify.injector.aws.ecs import is_ecs_reference
from meshify.injector.aws.session import AwsOptions
from meshify.injector.documents.document import Document
from meshify.injector.errors import InputError
from meshify.injector.inputs.iam_policy import PolicyFile, load_policy
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.inputs.mesh_from_files import mesh_from_files
from meshify.injector.inputs.reader import InputFile, Walked, expand_paths, read_walked, recognise, say_skipped
from meshify.injector.inputs.task_definition import TaskDefinitionFile, taskdef_from_document
from meshify.injector.model.mesh import Gateway, Loc, Mesh, Node
from meshify.injector.outputs.patches import Edit, Mode, say, task_definition_edit, write


@dataclass(slots=True)
class Injection:
    """What inject makes of one task definition."""

    source: TaskDefinitionFile
    claimant: Node | Gateway | None
    patch: list[dict[str, Any]] = field(default_factory=list)

    def edit(self) -> Edit:
        """The edit of this task definition's file, when it holds only this one."""
        return task_definition_edit(self.source.document, [(self.source, self.patch)])


def claimant_for(mesh: Mesh, source: TaskDefinitionFile, node_name: str | None) -> Node | Gateway | None:
    if node_name is not None:
        resource = mesh.resource(node_name)
        if resource is None:
            raise InputError(f"--node: the manifest has no node or gateway named {node_name!r}")
        return resource
    claims = mesh.claims_for(source.family, source.resource)
    if source.family is not None and len(mesh.claims_of(source.family)) > 1:
        second = claims[1]
        raise next(f.loc for f in second.families if f.name == source.family).error(
            f"family {source.family!r} is claimed by both {claims[0].kind} {claims[0].name!r} and "
            f"{second.kind} {second.name!r}; give --node")
    return claims[0] if claims else None


def _rules(scope: str) -> list[engine.Rule]:
    return [rule for rule in engine.all_rules().values() if rule.scope == scope and rule.fixable]


def _unfixed_errors(context: engine.TaskContext) -> list[engine.Finding]:
    return [found for found in engine.run(_rules("taskdef"), context) if found.severity == "error" and not found.fix]


def inject(mesh: Mesh, source: TaskDefinitionFile, node_name: str | None = None) -> Injection:
    claimant = claimant_for(mesh, source, node_name)
    if claimant is None:
        return Injection(source, None)
    context = engine.TaskContext(mesh, claimant, copy.deepcopy(source.data), source.loc)
    patch = engine.fix(_rules("taskdef"), context, "taskdef")
    blocking = _unfixed_errors(context)
    if blocking:
        raise blocking[0].loc.error(f"cannot inject: {blocking[0].rule} {blocking[0].message}")
    return Injection(source, claimant, patch)


def policy_patch(mesh: Mesh, policy: PolicyFile, claimants: list[Node | Gateway]) -> None:
    """Add to ``policy.patch`` what the task role needs for every claimant."""
    import jsonpatch

    current = jsonpatch.apply_patch(policy.policy, policy.patch)  # a copy: the file's data stays as read
    for claimant in claimants:
        context = engine.PolicyContext(mesh, claimant, current, lambda pointer: Loc(policy.document, pointer))
        policy.patch += engine.fix(_rules("policy"), context, "policy")
        current = context.policy


def policy_document(mesh: Mesh, claimants: list[Node | Gateway]) -> dict[str, Any]:
    """The policy document printed when no ``--policy`` file is given."""
    from meshify.injector.model.wiring import policy_statements

    statements: list[dict[str, Any]] = []
    for claimant in claimants:
        statements += [s for s in policy_statements(mesh, claimant) if s not in statements]
    return {"Version": "2012-10-17", "Statement": statements}


# ---------------------------------------------------------------------------------------
# The command


def _load(walked: Walked | str, aws: AwsOptions, region: str) -> list[TaskDefinitionFile]:
    walked = Walked(walked) if isinstance(walked, str) else walked  # uninject passes the paths as given
    path = walked.path
    if not is_ecs_reference(path):
        if walked.walked:
            found = read_walked(walked)
            return found.task_definitions if found is not None else []
        document = Document.load(path)
        found = recognise(document)
        if found is None or (not found.task_definitions and found.template is None):
            return [taskdef_from_document(document)]  # raises what the file lacks, at its place
        return found.task_definitions
    from meshify.injector.aws.ecs import read_ecs_document

    return [taskdef_from_document(read_ecs_document(path, aws, region), remote=True)]


def _load_files(paths: list[str], aws: AwsOptions, region: str | None = None, meshes_given: bool = False) \
        -> tuple[list[TaskDefinitionFile], list[InputFile]]:
    """The task definitions of ``paths`` (a directory's files of no format skipped and
    counted) and every file read, whose App Mesh resources make the mesh without a manifest
    (``meshes_given``: then a file of App Mesh resources alone is welcome)."""
    sources: list[TaskDefinitionFile] = []
    files: list[InputFile] = []
    skipped = 0
    for walked in expand_paths(paths):
        if is_ecs_reference(walked.path):
            sources += _load(walked, aws, region or aws.region or "")
            continue
        if walked.walked:
            found = read_walked(walked)
            if found is None:
                skipped += 1
                continue
        else:
            document = Document.load(walked.path)
            found = recognise(document)
            if found is None or (not found.task_definitions and found.template is None
                                 and not (meshes_given and found.spec_files)):
                sources.append(taskdef_from_document(document))  # raises what the file lacks, at its place
                continue
        files.append(found)
        sources += found.task_definitions
    say_skipped(skipped)
    return sources, files


def _register(injections: list[Injection], aws: AwsOptions, region: str) -> None:
    """Register each injected definition as a new revision; skip what is unchanged."""
    import jsonpatch
    from meshify.injector.aws.ecs import register

    for injection in injections:
        if injection.claimant is None:
            continue
        if not injection.patch:
            say(f"{injection.source.path}: already injected; nothing registered")
            continue
        print(register(jsonpatch.apply_patch(injection.source.data, injection.patch), injection.source.path, aws, region))


def _edits(injections: list[Injection]) -> list[Edit]:
    """One edit per file, in the order the files were given."""
    by_document: dict[int, list[Injection]] = {}
    for injection in injections:
        by_document.setdefault(id(injection.source.document), []).append(injection)
    return [task_definition_edit(group[0].source.document, [(i.source, i.patch) for i in group])
            for group in by_document.values()]


def _policy_edit(policy: PolicyFile) -> Edit:
    return Edit(policy.path, policy.document.text if policy.document else "", policy.patch, policy.new_text,
                bool(policy.patch), exists=policy.document is not None, printed=False,
                written_message=f"task role policy updated: {policy.path}")


def run(paths: list[str], manifest_path: str | None, node: str | None, mode: Mode | None, policy_path: str | None,
        output: str | None, envoy_image: str | None = None, aws: AwsOptions | None = None) -> int:
    """``meshify inject``: every input loads and every patch is computed before the first
    write, so that bad input never leaves a file half-changed; ``mode`` None is --register."""
    aws = aws or AwsOptions()
    remote = [path for path in paths if is_ecs_reference(path)]
    if remote and mode is Mode.IN_PLACE:
        raise InputError(f"{remote[0]} is read from ECS and has no file to rewrite: use --register")
    if manifest_path is not None:
        mesh = load_manifest(manifest_path, envoy_image)
        sources, _ = _load_files(paths, aws, mesh.region)
    else:  # the mesh is the App Mesh resources of the files given
        sources, files = _load_files(paths, aws, meshes_given=True)
        mesh = mesh_from_files(files, envoy_image, aws.region)
    injections = [inject(mesh, source, node) for source in sources]
    claimants = list({id(i.claimant): i.claimant for i in injections if i.claimant is not None}.values())
    policy: PolicyFile | None = None
    if policy_path is not None:
        policy = load_policy(policy_path)
        policy_patch(mesh, policy, claimants)
    for injection in injections:
        if injection.claimant is None:
            say(f"{injection.source.path}: family {injection.source.family!r} is claimed by no node or gateway "
                "of the manifest; left unchanged")
    if mode is None:
        _register(injections, aws, mesh.region)
        status = write([_policy_edit(policy)], Mode.IN_PLACE) if policy is not None else 0
    else:
        status = write(_edits(injections) + ([_policy_edit(policy)] if policy is not None else []), mode, output)
    if policy is None and claimants and mode is not Mode.CHECK and not mesh.region:
        # No region known (the mesh of the files): an ARN cannot be written, and never a wildcard.
        say("The task role needs appmesh:StreamAggregatedResources on the ARN of " + ", ".join(
            f"{c.kind} {c.name!r}" for c in claimants) + " (in a template: Resource: !Ref the node's logical id)")
    elif policy is None and claimants and mode is not Mode.CHECK:
        say("The task role needs this policy (give --policy FILE to add it to a policy document):")
        say(json.dumps(policy_document(mesh, claimants), indent=2))
    return status

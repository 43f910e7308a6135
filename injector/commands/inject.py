"""``meshify inject``: from task definition files and the mesh model to patches, then to
the output mode (``outputs/patches.py``) once every input has loaded."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from meshify.injector import engine
from meshify.injector.aws.ecs import is_ecs_reference
from meshify.injector.aws.session import AwsOptions
from meshify.injector.commands.batch import each_file, report
from meshify.injector.documents.document import Document
from meshify.injector.engine.findings import selected
from meshify.injector.engine.registry import REGISTRY
from meshify.injector.engine.runner import apply_in_place, working_copy
from meshify.injector.errors import InputError
from meshify.injector.inputs.iam_policy import PolicyFile, load_policy
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.inputs.reader import (
    InputFile,
    Walked,
    distinct,
    expand_paths,
    read_if_known,
    read_walked,
    recognise,
    say_skipped,
)
from meshify.injector.inputs.task_definition import TaskDefinitionFile, taskdef_from_document
from meshify.injector.model.mesh import Gateway, Loc, Mesh, Node
from meshify.injector.outputs.patches import Edit, Mode, preflight, say, task_definition_edit, task_definition_edits, write
from meshify.injector.outputs.progress import progress


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
    if mesh.from_files:
        from meshify.injector.inputs.files_mesh import claim_by_wiring

        return claim_by_wiring(mesh, source)
    claims = mesh.claims_for(source.family, source.resource)
    if len(claims) > 1 and source.family is not None:
        second = claims[1]
        raise next(f.loc for f in second.families if f.name == source.family).error(
            f"family {source.family!r} is claimed by both {claims[0].kind} {claims[0].name!r} and "
            f"{second.kind} {second.name!r}; give --node")
    return claims[0] if claims else None


def _claim_name(source: TaskDefinitionFile) -> str:
    if source.resource is not None and (source.family is None or source.document.format == "hcl"):
        return source.resource
    return f"family {source.family!r}"


def _rules(scope: str) -> list[engine.Rule]:
    # Asked for every task definition: the registry is sorted once, not once per file.
    registered = len(REGISTRY)
    if _fixable.get(scope, (-1, []))[0] != registered:
        _fixable[scope] = (registered, [rule for rule in engine.all_rules().values()
                                        if rule.scope == scope and rule.fixable])
    return _fixable[scope][1]


_fixable: dict[str, tuple[int, list[engine.Rule]]] = {}


def _unfixed_errors(unfixed: list[engine.Finding], select: Iterable[str], ignore: Iterable[str]) -> list[engine.Finding]:
    """The errors no fix removes, of the rules the user selected: a rule the user ignored
    never stops injection."""
    return [found for found in unfixed
            if found.severity == "error" and not found.fix and not found.relies_on_default
            and selected(found.rule, select, ignore)]


def inject(mesh: Mesh, source: TaskDefinitionFile, node_name: str | None = None,
           select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Injection:
    source.resolve(mesh)
    claimant = claimant_for(mesh, source, node_name)
    if claimant is None:
        return Injection(source, None)
    context = engine.TaskContext(mesh, claimant, working_copy(source.data), source.loc)
    unfixed: list[engine.Finding] = []
    patch = engine.fix(_rules("taskdef"), context, "taskdef", unfixed)
    blocking = _unfixed_errors(unfixed, select, ignore)
    if blocking:
        raise blocking[0].loc.error(f"cannot inject: {blocking[0].rule} {blocking[0].message}")
    return Injection(source, claimant, patch)


def policy_patch(mesh: Mesh, policy: PolicyFile, claimants: list[Node | Gateway]) -> None:
    """Add to ``policy.patch`` what the task role needs for every claimant."""
    current = working_copy(policy.policy)  # the file's data stays as read
    apply_in_place(current, policy.patch)
    checks = [rule for rule in engine.all_rules().values() if rule.scope == "policy" and not rule.fixable]
    for claimant in claimants[:1]:  # what no fix can mend (I304, a trust policy) stops injection
        context = engine.PolicyContext(mesh, claimant, current, lambda pointer: Loc(policy.document, pointer))
        for found in engine.run(checks, context):
            if found.severity == "error":
                raise found.loc.error(f"cannot inject: {found.rule} {found.message}")
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


def _load(path: str, aws: AwsOptions, region: str, skip_unknown: bool = False) -> list[TaskDefinitionFile]:
    if skip_unknown and not is_ecs_reference(path):
        known = read_if_known(path)
        return known.task_definitions if known is not None else []
    if not is_ecs_reference(path):
        document = Document.load(path)
        refuse_compose_file(document)
        found = recognise(document)
        if found is None or (not found.task_definitions and found.template is None):
            return [taskdef_from_document(document)]  # raises what the file lacks, at its place
        return found.task_definitions
    from meshify.injector.aws.ecs import read_ecs_document

    return [taskdef_from_document(read_ecs_document(path, aws, region), remote=True)]


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
    return task_definition_edits([(injection.source, injection.patch) for injection in injections])


def _policy_edit(policy: PolicyFile) -> Edit:
    return Edit(policy.path, policy.document.source if policy.document else "", policy.patch, policy.new_text,
                bool(policy.patch), exists=policy.document is not None, printed=False,
                written_message=f"task role policy updated: {policy.path}")


def refuse_compose_file(document: Document) -> None:
    """A ComposeX compose file is refused, before anything is written: ComposeX adds the
    Envoy sidecar itself when it deploys, so a sidecar written here would be a second one."""
    from meshify.injector.inputs.composex import X_APPMESH, is_compose_mesh

    if is_compose_mesh(document.data):
        line, column = document.position("/" + X_APPMESH)
        raise InputError("a ComposeX compose file: ComposeX adds the Envoy sidecar to these services itself "
                         "when it deploys; nothing to inject (meshify lint checks its x-appmesh)",
                         document.path, line, column)


def _mesh_from_files(paths: list[Walked], envoy_image: str | None, failed: list[str],
                     aws: AwsOptions) -> tuple[Mesh | None, list[TaskDefinitionFile]]:
    from meshify.injector.inputs.mesh_of_files import mesh_of_files
    from meshify.injector.inputs.reader import read_document

    if any(is_ecs_reference(walked.path) for walked in paths):
        raise InputError("a task definition read from ECS needs a manifest: give --manifest PATH")
    found: list[InputFile] = []
    skipped = 0
    for walked in paths:
        with each_file(walked.path, failed):
            if walked.walked:
                item = read_walked(walked)
                if item is None:
                    skipped += 1
                    continue
                found.append(item)
                continue
            document = Document.load(walked.path)
            refuse_compose_file(document)
            found.append(read_document(document))
    say_skipped(skipped)
    sources = [source for item in found for source in item.task_definitions]
    if failed and not any(item.spec_files or item.template is not None for item in found):
        return None, sources  # nothing usable: each failure said so
    return mesh_of_files(found, envoy_image, aws.region), sources


def run(paths: list[str], manifest_path: str | None, node: str | None, mode: Mode | None, policy_path: str | None,
        output: str | None, envoy_image: str | None = None, aws: AwsOptions | None = None,
        skip_unknown: bool = False, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> int:
    """``meshify inject``: every input loads and every patch is computed before the first
    write, so that bad input never leaves a file half-changed; ``mode`` None is --register.

    Each file stands alone (cli.md): one that cannot be used, or cannot be written, is
    reported in one line and left as it was; the others are injected, the policy gets the
    statements of exactly those, and the exit status is 2 at the end. With
    ``skip_unknown``, a file that holds no task definition is skipped silently (the hook)."""
    aws = aws or AwsOptions()
    remote = [path for path in paths if is_ecs_reference(path)]
    if remote and mode is Mode.IN_PLACE:
        raise InputError(f"{remote[0]} is read from ECS and has no file to rewrite: use --register")
    failed: list[str] = []
    walked = expand_paths(paths)
    if manifest_path is None:  # the mesh is the App Mesh resources of the files
        found_mesh, sources = _mesh_from_files(walked, envoy_image, failed, aws)
        if found_mesh is None:
            return 2
        mesh = found_mesh
    else:
        mesh = load_manifest(manifest_path, envoy_image)
        sources = []
        skipped = 0
        for item in progress(walked, "inject", lambda w: w.path):
            with each_file(item.path, failed):
                if not item.walked:
                    sources += _load(item.path, aws, mesh.region, skip_unknown)
                elif (found := read_walked(item)) is not None:
                    sources += found.task_definitions
                else:
                    skipped += 1
        say_skipped(skipped)
    injections: list[Injection] = []
    for source in distinct(sources):
        with each_file(source.path, failed):
            injections.append(inject(mesh, source, node, select, ignore))
    if mode is Mode.IN_PLACE:  # a file that cannot be written is reported, and its policy statements left out
        for problem in preflight([edit.path for edit in _edits(injections) if edit.changes]):
            report(problem, failed)
            injections = [i for i in injections if i.source.path != problem.path]
    claimants = list({id(i.claimant): i.claimant for i in injections if i.claimant is not None}.values())
    policy: PolicyFile | None = None
    if policy_path is not None:
        policy = load_policy(policy_path)
        policy_patch(mesh, policy, claimants)
    for injection in injections:
        if injection.claimant is None:
            if mesh.from_files:
                say(f"{injection.source.path}: {_claim_name(injection.source)}: nothing wires it to a virtual node or "
                    "gateway of the files given (no manifest); give --node or a manifest; left unchanged")
            elif injection.source.family is None and injection.source.resource is None:
                say(f"{injection.source.path}: a container file names no family: give --node; left unchanged")
            else:
                say(f"{injection.source.path}: {_claim_name(injection.source)} is claimed by no node or gateway "
                    "of the manifest; left unchanged")
    if mode is None:
        if policy is not None:  # the permission before the task definitions that need it
            write([_policy_edit(policy)], Mode.IN_PLACE)
        _register(injections, aws, mesh.region)
        status = 0
    elif injections or not failed:
        status = write(_edits(injections) + ([_policy_edit(policy)] if policy is not None else []), mode, output)
    else:
        status = 0
    if policy is None and claimants and mode is not Mode.CHECK and (not mesh.region or (mesh.from_files and not mesh.account)):
        # No region or account known (the mesh of the files): an ARN cannot be written, and never a wildcard.
        where = "the account is not in the files given" if mesh.from_files else \
            "in a template: Resource: !Ref the node's logical id"
        say("The task role needs appmesh:StreamAggregatedResources on the ARN of " + ", ".join(
            f"{c.kind} {c.name!r}" for c in claimants) + f" ({where})")
    elif policy is None and claimants and mode is not Mode.CHECK:
        say("The task role needs this policy (give --policy FILE to add it to a policy document):")
        say(json.dumps(policy_document(mesh, claimants), indent=2))
    return 2 if failed else status

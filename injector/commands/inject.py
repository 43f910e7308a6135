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
from meshify.injector.commands.batch import Failure, caught, each_file, real_path, report, report_failure
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
from meshify.injector.model import wiring
from meshify.injector.model.mesh import UNKNOWN_MESH, Gateway, Loc, Mesh, Node
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
    context = engine.TaskContext(mesh, claimant, dict(source.data), source.loc)  # fix copies what it edits below
    unfixed: list[engine.Finding] = []
    patch = engine.fix(_rules("taskdef"), context, "taskdef", unfixed)
    blocking = _unfixed_errors(unfixed, select, ignore)
    if blocking:
        raise blocking[0].loc.error(f"cannot inject: {blocking[0].rule} {blocking[0].message}")
    if mesh.name == UNKNOWN_MESH and _names_unknown_mesh(source.document_patch(patch)):
        # Only a reference inside a template can name it: this file would get a made-up name.
        kind = "gateway" if claimant.kind == "virtualGateway" else "node"
        raise source.loc("").error(
            f"cannot inject {kind} `{claimant.name}`: the Envoy's APPMESH_RESOURCE_ARN names its mesh, whose name "
            f"{_unknown_name_said(mesh.unknown_name_loc)}; give a manifest that names the mesh (meshify init --mesh NAME "
            "--region REGION --account ACCOUNT)" + (", or wire the task definition in the template"
                                                   if mesh.unknown_name_loc else ""))
    return Injection(source, claimant, patch)


def _unknown_name_said(named_at: Loc | None) -> str:
    if named_at is None or named_at.document is None:
        return "the files do not give"
    line, column = named_at.document.position(named_at.pointer)
    return f"only the stack knows ({named_at.document.path}:{line}:{column})"


def _names_unknown_mesh(value: Any) -> bool:
    if isinstance(value, str):
        return UNKNOWN_MESH in value
    if isinstance(value, dict):
        return any(_names_unknown_mesh(item) for item in value.values())
    if isinstance(value, list):
        return any(_names_unknown_mesh(item) for item in value)
    return False


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
        if wiring.arn_unknown(mesh, claimant) and not wiring.may_stream(current, mesh, claimant):
            kind = "gateway" if claimant.kind == "virtualGateway" else "node"
            raise InputError(f"cannot add the statement that {kind} `{claimant.name}` needs: the files do not tell "
                             f"its ARN's region and account; grant {wiring.STREAM_ACTION} where the role is defined "
                             "(in a template: Resource: !Ref the node's logical id), or give a manifest that names them",
                             policy.document.path)
        context = engine.PolicyContext(mesh, claimant, current, lambda pointer: Loc(policy.document, pointer))
        policy.patch += engine.fix(_rules("policy"), context, "policy", owns_all=True)
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


def load_task_definitions(path: str, aws: AwsOptions, region: str, skip_unknown: bool = False) -> list[TaskDefinitionFile]:
    """The task definitions of one path given (a file, or an ``ecs:`` reference read from
    ECS), as inject and uninject take them; a file that holds none is an input error at its
    place, unless ``skip_unknown`` (the hook) skips it."""
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
    composex = _COMPOSEX or _composex()
    if composex.is_compose_mesh(document.data):
        line, column = document.position("/" + composex.X_APPMESH)
        raise InputError("a ComposeX compose file: ComposeX adds the Envoy sidecar to these services itself "
                         "when it deploys; nothing to inject (meshify lint checks its x-appmesh)",
                         document.path, line, column)


# inputs.composex, imported on its first use (start-up) and kept: asked of every file, and on
# Python 3.11 a ``from ... import`` in a function costs about 8,000 instructions a call.
_COMPOSEX: Any = None


def _composex() -> Any:
    global _COMPOSEX
    from meshify.injector.inputs import composex

    _COMPOSEX = composex
    return composex


def _mesh_from_files(paths: list[Walked], envoy_image: str | None, failed: list[str],
                     aws: AwsOptions) -> tuple[Mesh | None, list[TaskDefinitionFile]]:
    from meshify.injector.inputs.mesh_of_files import mesh_names, mesh_of_files, refuse_several_meshes
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
    if mesh_names([item for item in found if item.template is None]):
        # Spec files and .tf: the Envoy's APPMESH_RESOURCE_ARN is written with the mesh's name, which
        # would be the first mesh's for every file. (Templates alone are not refused: a template
        # writes a reference to its own node, so two stacks in one batch stay apart.)
        refuse_several_meshes(found, "inject")
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
        if mode is not None and not remote:  # a batch of lone task definitions: file by file, over the cores when big
            done = _inject_one_by_one(mesh, walked, node, mode, policy_path, output, skip_unknown, select, ignore, failed)
            if done is not None:
                return done
        sources = []
        skipped = 0
        for item in progress(walked, "inject", lambda w: w.path):
            with each_file(item.path, failed):
                if not item.walked:
                    sources += load_task_definitions(item.path, aws, mesh.region, skip_unknown)
                elif (found := read_walked(item)) is not None:
                    sources += found.task_definitions
                else:
                    skipped += 1
        say_skipped(skipped)
    injections: list[Injection] = []
    for source in distinct(sources):
        if source.path in failed:
            continue  # a file refused as a whole: nothing of it is edited (a template holds several)
        with each_file(source.path, failed):
            injection = inject(mesh, source, node, select, ignore)
            source.check_editable(injection.patch)
            injections.append(injection)
    injections = [injection for injection in injections if injection.source.path not in failed]
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
            say(_unclaimed_note(mesh, injection.source))
    if mode is None:
        if policy is not None:  # the permission before the task definitions that need it
            write([_policy_edit(policy)], Mode.IN_PLACE)
        _register(injections, aws, mesh.region)
        status = 0
    elif injections or not failed:
        status = write(_edits(injections) + ([_policy_edit(policy)] if policy is not None else []), mode, output)
    else:
        status = 0
    _say_policy_needed(mesh, claimants, policy, mode)
    return 2 if failed else status


def _unclaimed_note(mesh: Mesh, source: TaskDefinitionFile) -> str:
    if mesh.from_files:
        return (f"{source.path}: {source.claim_name}: nothing wires it to a virtual node or "
                "gateway of the files given (no manifest); give --node or a manifest; left unchanged")
    if source.family is None and source.resource is None:
        return f"{source.path}: a container file names no family: give --node; left unchanged"
    return (f"{source.path}: {source.claim_name} is claimed by no node or gateway of {mesh.described_in}; "
            "left unchanged")


def _say_policy_needed(mesh: Mesh, claimants: list[Node | Gateway], policy: PolicyFile | None, mode: Mode | None) -> None:
    if policy is None and claimants and mode is not Mode.CHECK and (not mesh.region or (mesh.from_files and not mesh.account)):
        # No region or account known (the mesh of the files): an ARN cannot be written, and never a wildcard.
        where = "the account is not in the files given" if mesh.from_files else \
            "in a template: Resource: !Ref the node's logical id"
        say("The task role needs appmesh:StreamAggregatedResources on the ARN of " + ", ".join(
            f"{c.kind} {c.name!r}" for c in claimants) + f" ({where})")
    elif policy is None and claimants and mode is not Mode.CHECK:
        say("The task role needs this policy (give --policy FILE to add it to a policy document):")
        say(json.dumps(policy_document(mesh, claimants), indent=2))


# ---------------------------------------------------------------------------------------
# A batch of lone task definitions (the common big batch): each file is read, injected and
# its edit prepared on its own, over the cores when the batch is big (engine/parallel.py);
# what needs every file (the policy, the writes, all or nothing) stays here. The output is
# what the batch injected as a whole gives, byte for byte.


@dataclass(slots=True)
class _InjectShared:
    """What every file needs: loaded once, in the parent (inherited by forked workers)."""

    mesh: Mesh
    node: str | None
    mode: Mode
    skip_unknown: bool
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    directories: dict[str, str] = field(default_factory=dict)  # real_path's, for this batch


@dataclass(slots=True)
class _Injected:
    """One task definition of a file, injected (or its error)."""

    failure: Failure | None = None
    stop: str | None = None  # an error that names no file (``--node``): it ends the run at its turn
    claimant: tuple[str, str] | None = None  # (kind, name)
    note: str | None = None  # what is said when nothing claims it


@dataclass(slots=True)
class _Prepared:
    """The edit of one file, with what the mode prints or writes already computed."""

    path: str
    changes: bool
    old_text: str = ""
    patch: list[dict[str, Any]] = field(default_factory=list)
    text: str | None = None
    render_error: BaseException | None = None  # a bug in an editor: raised when the text is asked for

    def edit(self) -> Edit:
        def render() -> str:
            if self.render_error is not None:
                raise self.render_error
            assert self.text is not None
            return self.text

        return Edit(self.path, self.old_text, self.patch, render, self.changes)


@dataclass(slots=True)
class _FileInjection:
    """What one file comes to: sent back by a worker, with nothing of its document."""

    lone: bool = True  # False: not lone task definitions (the batch is injected as a whole)
    load_failure: Failure | None = None
    skipped: bool = False
    keys: list[tuple[str, str]] = field(default_factory=list)  # each task definition's identity (reader.distinct)
    injected: list[_Injected] = field(default_factory=list)
    prepared: _Prepared | None = None


def _inject_file(shared: _InjectShared, walked: Walked) -> _FileInjection:
    """One file of the batch, injected on its own (a pure function of its arguments: it runs
    in a worker process for a big batch)."""

    result = _FileInjection()
    sources: list[TaskDefinitionFile] = []
    with caught(walked.path) as loading:
        if not walked.walked:
            sources = load_task_definitions(walked.path, AwsOptions(), shared.mesh.region, shared.skip_unknown)
        elif (found := read_walked(walked)) is not None:
            sources = found.task_definitions
        else:
            result.skipped = True
    result.load_failure = loading.failure
    if not sources:
        return result
    if any(type(source) is not TaskDefinitionFile or source.remote for source in sources):
        result.lone = False
        return result
    result.keys = [(real_path(source.path, shared.directories), source.base) for source in sources]
    injections: list[Injection] = []
    for source in sources:
        item = _Injected()
        with caught(source.path) as injecting:
            try:
                injection = inject(shared.mesh, source, shared.node, shared.select, shared.ignore)
            except InputError as error:
                if error.path is not None:
                    raise
                item.stop = error.message
            else:
                injections.append(injection)
                if injection.claimant is None:
                    item.note = _unclaimed_note(shared.mesh, source)
                else:
                    item.claimant = (injection.claimant.kind, injection.claimant.name)
        item.failure = injecting.failure
        result.injected.append(item)
    if injections:
        result.prepared = _prepare(_edits(injections)[0], shared.mode)
    return result


def _prepare(edit: Edit, mode: Mode) -> _Prepared:
    """What ``outputs.patches.write`` needs of ``edit`` in ``mode``, and nothing more."""
    prepared = _Prepared(edit.path, edit.changes)
    if mode is Mode.PATCH:
        prepared.patch = edit.patch
    if mode in (Mode.DIFF, Mode.PRINT, Mode.OUTPUT):
        prepared.old_text = edit.old_text
    if edit.changes and mode not in (Mode.CHECK, Mode.PATCH):
        try:
            prepared.text = edit.render()
        except Exception as error:
            prepared.render_error = error
    return prepared


def _inject_one_by_one(mesh: Mesh, walked: list[Walked], node: str | None, mode: Mode, policy_path: str | None,
                       output: str | None, skip_unknown: bool, select: Iterable[str], ignore: Iterable[str],
                       failed: list[str]) -> int | None:
    """``run`` for a batch of lone task definitions: its exit status; None when a file holds
    anything else (the batch is then injected as a whole)."""
    from meshify.injector.engine.parallel import map_in_order

    shared = _InjectShared(mesh, node, mode, skip_unknown, tuple(select), tuple(ignore))
    load_failures: list[Failure] = []
    files: list[_FileInjection] = []
    seen: set[tuple[str, str]] = set()
    skipped = 0
    results = map_in_order(_inject_file, shared, walked)
    try:
        for _item, result in zip(progress(walked, "inject", lambda w: w.path), results, strict=True):
            if not result.lone:
                return None
            if result.load_failure is not None:
                load_failures.append(result.load_failure)
            skipped += result.skipped
            if not result.keys or seen.intersection(result.keys):  # a file given twice is injected once
                continue
            seen.update(result.keys)
            files.append(result)
    finally:
        results.close()  # ends the workers if the batch is injected as a whole after all
    for failure in load_failures:
        report_failure(failure, failed)
    say_skipped(skipped)
    for result in files:
        for item in result.injected:
            if item.stop is not None:
                raise InputError(item.stop)
            if item.failure is not None:
                report_failure(item.failure, failed)
    if mode is Mode.IN_PLACE:  # a file that cannot be written is reported, and its policy statements left out
        changed = [result.prepared.path for result in files if result.prepared is not None and result.prepared.changes]
        for problem in preflight(changed):
            report(problem, failed)
            files = [result for result in files if result.prepared is None or result.prepared.path != problem.path]
    kinds: dict[str, dict[str, Node] | dict[str, Gateway]] = {"virtualNode": mesh.nodes, "virtualGateway": mesh.gateways}
    claimed = [kinds[item.claimant[0]][item.claimant[1]] for result in files for item in result.injected
               if item.claimant is not None]
    claimants = list({id(claimant): claimant for claimant in claimed}.values())
    policy: PolicyFile | None = None
    if policy_path is not None:
        policy = load_policy(policy_path)
        policy_patch(mesh, policy, claimants)
    for result in files:
        for item in result.injected:
            if item.note is not None:
                say(item.note)
    edits = [result.prepared.edit() for result in files if result.prepared is not None]
    if edits or not failed:
        status = write(edits + ([_policy_edit(policy)] if policy is not None else []), mode, output)
    else:
        status = 0
    _say_policy_needed(mesh, claimants, policy, mode)
    return 2 if failed else status

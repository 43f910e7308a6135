"""``meshify lint``: inputs to findings.

The manifest gives the model; App Mesh spec files given as paths are merged into it;
task definitions are checked against the node or gateway that claims them; an IAM
policy given with ``--policy`` is checked for every claimed task definition.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, cast

from meshify.injector import engine
from meshify.injector.commands.batch import Failure, each_file, failure_of, real_path, report_failure
from meshify.injector.config import Config
from meshify.injector.engine.findings import Located, apply_suppressions, locate, selected
from meshify.injector.errors import InputError
from meshify.injector.inputs.appmesh_spec import SpecFile, merge
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.inputs.reader import (
    InputFile,
    Walked,
    distinct,
    expand_paths,
    read_document,
    read_if_known,
    read_walked,
    say_skipped,
)
from meshify.injector.inputs.task_definition import TaskDefinitionFile
from meshify.injector.model.mesh import FACTORY, NOWHERE, EnvoySettings, Gateway, Loc, Mesh, Node, Plain
from meshify.injector.outputs.progress import progress

if TYPE_CHECKING:  # start-up: a lint of files imports neither AWS's modules nor the readers of other formats
    from meshify.injector.aws.session import AwsOptions
    from meshify.injector.engine.registry import Scope
    from meshify.injector.inputs.composex import ComposeFile
    from meshify.injector.inputs.ecs_service import EcsServiceFile


# Holders, never compared (eq=False: no __eq__ compiled at start-up).
@dataclass(slots=True, eq=False, repr=False, init=False)
class _Inputs(Plain):
    """Every file a lint read, by kind."""

    task_files: list[TaskDefinitionFile]
    spec_files: list[SpecFile]
    reported: set[str]  # the paths whose findings are printed
    files: list[InputFile] = field(default_factory=list)
    services: list[EcsServiceFile] = field(default_factory=list)
    compose: list[ComposeFile] = field(default_factory=list)
    # With a manifest: the mesh the templates' App Mesh resources describe, compared by M119.
    file_mesh: Mesh | None = None

    def __init__(self, task_files: list[TaskDefinitionFile], spec_files: list[SpecFile], reported: set[str],
                 files: list[InputFile] = FACTORY, services: list[EcsServiceFile] = FACTORY,
                 compose: list[ComposeFile] = FACTORY, file_mesh: Mesh | None = None) -> None:
        self.task_files = task_files
        self.spec_files = spec_files
        self.reported = reported
        self.files = [] if files is FACTORY else files
        self.services = [] if services is FACTORY else services
        self.compose = [] if compose is FACTORY else compose
        self.file_mesh = file_mesh


def _is_ecs_reference(path: str) -> bool:
    """``aws.ecs.is_ecs_reference``, whose module is imported only for a path that can be one
    (``ecs:`` or an ARN): a lint of files imports none of AWS's modules (start-up)."""
    if not path.startswith(("ecs:", "arn:")):
        return False
    from meshify.injector.aws.ecs import is_ecs_reference as is_reference

    return is_reference(path)


def _read_paths(paths: list[str], manifest_path: str | None, region: str, aws: AwsOptions | None,
                failed: list[str] | None, skip_unknown: bool) -> _Inputs:
    inputs = _Inputs([], [], set() if paths or manifest_path is None else {manifest_path})
    skipped = 0
    for walked in expand_paths(paths):
        path = walked.path
        if manifest_path and _same_file(path, manifest_path):
            inputs.reported.add(manifest_path)
            continue
        with each_file(path, failed):
            if _is_ecs_reference(path):
                from meshify.injector.aws.ecs import read_ecs_document
                from meshify.injector.aws.session import AwsOptions

                found: InputFile | None = read_document(read_ecs_document(path, aws or AwsOptions(), region))
            elif skip_unknown and not walked.walked:
                found = read_if_known(path)
            else:
                found = read_walked(walked)
                skipped += found is None
            if found is None:
                continue
            inputs.files.append(found)
            inputs.task_files += found.task_definitions
            inputs.spec_files += found.spec_files
            inputs.services += found.services
            inputs.reported.add(found.path)
            if found.compose is not None:
                inputs.compose.append(found.compose)
            inputs.reported.update(task_file.path for task_file in found.task_definitions)  # container files a .tf reads
    inputs.task_files = distinct(inputs.task_files)
    say_skipped(skipped)
    return inputs


def _policy_findings(mesh: Mesh, policy_path: str, claimants: list[Node | Gateway],
                     rules: list[engine.Rule]) -> list[engine.Finding]:
    """The policy checked for every claimant of the task definitions given (or, with none
    given, for every node and gateway of the mesh)."""
    from meshify.injector.inputs.iam_policy import load_policy

    policy = load_policy(policy_path)
    if policy.document is None:
        raise InputError("no such file", policy_path)
    findings: list[engine.Finding] = []
    for claimant in list({id(c): c for c in claimants}.values()) or mesh.claimants():
        context = engine.PolicyContext(mesh, claimant, policy.policy, lambda p: Loc(policy.document, p))
        findings += engine.run(rules, context)
    return findings


def load_mesh(manifest_path: str | None, paths: list[str], config: Config | None = None,
              aws: AwsOptions | None = None, failed: list[str] | None = None,
              skip_unknown: bool = False, mesh: Mesh | None = None) -> tuple[Mesh, _Inputs]:
    """The mesh and every file read (``lint`` and ``graph`` see one mesh): the manifest's
    with the App Mesh spec files among ``paths`` merged in, or with no manifest the App Mesh
    resources of the files themselves."""
    config = config or Config()
    if manifest_path is None:  # the mesh is the App Mesh resources of the files
        from meshify.injector.inputs.mesh_of_files import mesh_of_files

        inputs = _read_paths(paths, None, (aws.region if aws else None) or "", aws, failed, skip_unknown)
        if failed and not inputs.compose and not inputs.spec_files:  # nothing usable: each failure said so
            return Mesh(name="", region="us-east-1", account="", owner="", loc=NOWHERE, envoy=EnvoySettings(image="")), inputs
        return mesh_of_files(inputs.files, config.envoy_image, aws.region if aws else None), inputs
    if mesh is None:  # else the manifest's, already loaded
        mesh = load_manifest(manifest_path, envoy_image=config.envoy_image)
    inputs = _read_paths(paths, manifest_path, mesh.region, aws, failed, skip_unknown)
    # The manifest is the mesh: a template's App Mesh resources are compared with it (M119),
    # an App Mesh spec file given alone is merged in (it is what the user wants checked).
    templates = [found for found in inputs.files if found.template is not None and found.spec_files]
    from_templates = {id(spec) for found in templates for spec in found.spec_files}
    from meshify.injector.inputs.mesh_from_files import compared_mesh

    inputs.file_mesh = compared_mesh(inputs.files, mesh)  # M119: with the manifest as written, before the merge
    for spec in inputs.spec_files:
        if id(spec) not in from_templates:
            with each_file(spec.document.path, failed):
                merge(mesh, spec)
    for found in inputs.files:
        mesh.unknown_names |= found.template.unknown_names if found.template is not None else set()
    return mesh, inputs


def lint(manifest_path: str | None, paths: list[str], policy_path: str | None = None,
         select: Iterable[str] = (), ignore: Iterable[str] = (), config: Config | None = None,
         aws: AwsOptions | None = None, live: bool = False, failed: list[str] | None = None,
         skip_unknown: bool = False) -> list[Located]:
    """Findings for the manifest, the files in ``paths`` (``ecs:`` references are read
    from ECS) and the policy; with ``live``, also the drift of the account's mesh.

    Each file stands alone: one that cannot be used is reported on standard error, its
    path added to ``failed``, and the others are linted (the caller exits 2). Without a
    ``failed`` list, the first such file raises its :class:`InputError`. With
    ``skip_unknown``, files of none of meshify's formats are skipped silently (the hooks)."""
    config = config or Config()
    if manifest_path is None and len(paths) > 1:
        try:
            composes = _read_paths(paths, "", "", aws, None, skip_unknown).compose
        except InputError:  # a file that cannot be read: the batch is linted as a whole, which reports it
            composes = []
        if len(composes) == len(paths):  # each compose file is its own mesh (a pre-commit batch passes several)
            return sorted({found for compose in composes
                           for found in lint(None, [compose.document.path], policy_path, select, ignore, config, aws,
                                             live, failed, skip_unknown)}, key=lambda f: f.sort_key)
    ran = [rule_id for rule_id in engine.rule_ids() if selected(rule_id, select, ignore)]
    # Only the rule modules of the scopes this run can need are imported, when their rules first
    # run (start-up); the ECS services' rules when a file holds a service (below).
    by_scope = {scope: _Rules(scope, select, ignore)
                for scope in ("mesh", "taskdef", "unclaimed", *(("policy",) if policy_path is not None else ()),
                              *(("live",) if live else ()))}
    # A batch of lone task definitions: each file checked on its own (over the cores when big) and released.
    loaded = _lint_one_by_one(manifest_path, paths, policy_path, ran, by_scope, config, aws, live, failed, skip_unknown)
    if isinstance(loaded, list):
        return loaded
    mesh, inputs = load_mesh(manifest_path, paths, config, aws, failed, skip_unknown, mesh=loaded)
    if manifest_path is None:
        from meshify.injector.inputs.mesh_of_files import files_by_mesh

        # Spec files of several meshes (a monorepo's batch, a directory of them): each mesh's files are a
        # mesh of their own, as each lints alone; read as one, the second mesh's would be judged by the
        # first's name (T207, M118). The files were read (an unreadable one is reported, once, here).
        groups = files_by_mesh(inputs.files)
        if groups:
            return sorted({found for group in groups
                           for found in lint(None, [item.path for item in group], policy_path, select, ignore,
                                             config, aws, live, failed, skip_unknown)}, key=lambda f: f.sort_key)
    if manifest_path is not None and not inputs.spec_files and inputs.file_mesh is None and not mesh.unknown_names:
        findings = _mesh_findings(mesh, by_scope["mesh"], config)  # the manifest's alone
    else:
        findings = list(engine.run(by_scope["mesh"].rules(),
                                   engine.MeshContext(mesh, inputs.spec_files, inputs.file_mesh)))
    findings += _redefined_findings(manifest_path, config.envoy_image, inputs, by_scope["mesh"])
    if live:
        from meshify.injector.aws.live import note_unsupported, read_mesh, read_placeholders
        from meshify.injector.aws.session import AwsOptions

        live_mesh = read_mesh(mesh, aws or AwsOptions())
        note_unsupported(live_mesh)
        context = engine.LiveContext(mesh, live_mesh, read_placeholders(mesh, aws or AwsOptions()))
        findings += engine.run(by_scope["live"].rules(), context)
        if manifest_path is not None:
            inputs.reported.add(manifest_path)  # drift is reported at the manifest's elements
    if inputs.services:
        service_rules = [rule for rule in engine.rules_of("service") if selected(rule.id, select, ignore)]
        findings += _service_findings(mesh, inputs, service_rules)
    connected = _service_connect_tasks(inputs)
    claimants: list[Node | Gateway] = []
    for task_file in progress(inputs.task_files, "lint", lambda t: t.path):
        if id(task_file) in connected:
            continue  # no longer an App Mesh task: the T2xx rules do not apply (migrate.md)
        with each_file(task_file.path, failed):
            found, claimant = _check_task_file(mesh, task_file, by_scope)
            if claimant is not None:
                claimants.append(claimant)
            findings += found
    if policy_path is not None:
        with each_file(policy_path, failed):
            findings += _policy_findings(mesh, policy_path, claimants, by_scope["policy"].rules())
            inputs.reported.add(policy_path)

    findings = _noting_defaults(findings, inputs.files)
    located = {place for found in findings if (place := locate(found, inputs.reported))}
    located = {f for f in located if not any(f.rule.startswith(prefix) for prefix in config.ignored_for(f.path))}
    documents = [mesh.loc.document, *(t.document for t in inputs.task_files), *(s.document for s in inputs.spec_files),
                 *(s.document for s in inputs.services)]
    # A compose file's or template's resources are views of one document: its suppressions are read once.
    yaml_documents = list({d.path: d for d in documents if d is not None and d.format == "yaml"
                           and d.path in inputs.reported}.values())
    located = apply_suppressions(located, yaml_documents, ran)
    return sorted(located)  # by place, rule, severity, message (Located's fields): the same for every run


class _Rules:
    """The rules of one scope a lint runs: their ids known without importing a rule, their
    modules imported when they first run (start-up). The manifest's mesh findings are
    remembered with it (:func:`_mesh_findings`): a lint that finds them there imports none
    of the 19 mesh rules; a batch of task definitions all claimed imports no T212, one of
    files none claims no other task definition rule."""

    __slots__ = ("_rules", "ids", "scope")

    def __init__(self, scope: Scope, select: Iterable[str], ignore: Iterable[str]) -> None:
        self.scope = scope
        self.ids = [rule_id for rule_id in engine.rule_ids(scope) if selected(rule_id, select, ignore)]
        self._rules: list[engine.Rule] | None = None

    def rules(self) -> list[engine.Rule]:
        if self._rules is None:
            chosen = set(self.ids)
            self._rules = [rule for rule in engine.rules_of(self.scope) if rule.id in chosen] if chosen else []
        return self._rules


# What a cache entry of the mesh rules' findings holds after this mark: marshal's list of
# (rule, severity, message, in the manifest (else nowhere), pointer, fix, relies_on_default).
_MESH_FINDINGS = b"meshify-mesh-findings-1\n"


def _mesh_findings(mesh: Mesh, rules: _Rules, config: Config) -> list[engine.Finding]:
    """The mesh rules' findings on the manifest's mesh alone (no spec file, template or
    live account merged in), remembered with the manifest: they depend only on its text
    and path, the configuration's Envoy image (the model's default), the rules that run
    and what the cache key covers (meshify's version, the App Mesh model). M106 validating
    every spec against the App Mesh model was most of a warm lint's own time. A finding
    placed in another document than the manifest, or a damaged entry, is worked out afresh."""
    import marshal

    from meshify.injector import cache

    manifest = mesh.loc.document
    if manifest is None or not rules.ids:
        return list(engine.run(rules.rules(), engine.MeshContext(mesh, [], None)))
    key = "mesh-findings-" + cache.key("mesh-findings", "\0".join([manifest.path, config.envoy_image or "",
                                                ",".join(rules.ids), manifest.text]))
    entry = cache.load(key)
    if entry is not None and entry.startswith(_MESH_FINDINGS):
        try:
            return [engine.Finding(rule, severity, message, Loc(manifest if in_manifest else None, pointer), fix,
                                   relies_on_default)
                    for rule, severity, message, in_manifest, pointer, fix, relies_on_default
                    in marshal.loads(entry[len(_MESH_FINDINGS):])]
        except (ValueError, TypeError, EOFError):
            pass  # a truncated or foreign entry: the rules run again
    findings = list(engine.run(rules.rules(), engine.MeshContext(mesh, [], None)))
    if all(found.loc.document in (manifest, None) for found in findings):
        try:
            kept = marshal.dumps([(found.rule, found.severity, found.message, found.loc.document is manifest,
                                   found.loc.pointer, found.fix, found.relies_on_default) for found in findings])
        except ValueError:
            return findings  # not plain data: worked out each time
        cache.store(key, _MESH_FINDINGS + kept)
    return findings


def _check_task_file(mesh: Mesh, task_file: TaskDefinitionFile, by_scope: dict[str, _Rules]
                     ) -> tuple[list[engine.Finding], Node | Gateway | None]:
    """One task definition's findings, and the node or gateway that claims it."""
    task_file.resolve(mesh)
    claims = mesh.claims_for(task_file.family, task_file.resource)
    if mesh.from_files:
        from meshify.injector.inputs.files_mesh import claim_by_wiring

        wired = claim_by_wiring(mesh, task_file)
        claims = [wired] if wired is not None else []
    if claims:
        return list(engine.run(by_scope["taskdef"].rules(),
                               engine.TaskContext(mesh, claims[0], task_file.data, task_file.loc,
                                                  known_valid=task_file.valid))), claims[0]
    return list(engine.run(by_scope["unclaimed"].rules(),
                           engine.UnclaimedContext(mesh, task_file.data, task_file.loc))), None


def _task_file_of(service: EcsServiceFile, task_files: list[TaskDefinitionFile]) -> TaskDefinitionFile | None:
    """The task definition of the run that ``service`` runs: by family, or by the name the
    file gives it (a template's logical id or address)."""
    reference = service.task_definition
    return next((t for t in task_files if reference is not None and t.resource == reference), None) or \
        next((t for t in task_files if service.family is not None and t.family == service.family), None)


def _service_connect_tasks(inputs: _Inputs) -> set[int]:
    """ids of the task files that a service with Service Connect enabled runs."""
    return {id(task_file) for service in inputs.services if service.service.service_connect_enabled
            if (task_file := _task_file_of(service, inputs.task_files)) is not None}


def _service_findings(mesh: Mesh, inputs: _Inputs, rules: list[engine.Rule]) -> list[engine.Finding]:
    if not rules:
        return []
    everyone = [service.service for service in inputs.services]
    findings: list[engine.Finding] = []
    for service, model in zip(inputs.services, everyone, strict=True):
        task_file = _task_file_of(service, inputs.task_files)
        context = engine.ServiceContext(mesh, model, task_file.data if task_file else None,
                                        task_file.loc if task_file else None, everyone)
        findings += engine.run(rules, context)
    return findings


def _redefined_findings(manifest_path: str | None, envoy_image: str | None, inputs: _Inputs,
                        rules: _Rules) -> list[engine.Finding]:
    """The findings of each spec file whose resource a later file redefines (M114): the
    model keeps the last definition, so each earlier one is checked again as if it came
    last, and every file is linted whatever the order of the paths."""
    spec_files = inputs.spec_files
    last: dict[object, SpecFile] = {}
    for spec in spec_files:
        last[spec.identity] = spec
    findings: list[engine.Finding] = []
    for spec in spec_files:
        if last[spec.identity] is spec:
            continue
        order = [other for other in spec_files if other is not spec] + [spec]
        if manifest_path is None:
            from meshify.injector.inputs.files_mesh import mesh_from_files

            mesh = mesh_from_files(order, inputs.task_files, envoy_image)
        else:
            mesh = load_manifest(manifest_path, envoy_image=envoy_image)
            for other in order:
                try:
                    merge(mesh, other)
                except InputError:
                    continue  # reported once, by the first pass
        findings += [found for found in engine.run(rules.rules(), engine.MeshContext(mesh, spec_files))
                     if found.loc.document is spec.document]
    return findings


def _noting_defaults(findings: list[engine.Finding], files: list[InputFile]) -> list[engine.Finding]:
    """A finding that relies on a template parameter's default says so (formats.md)."""
    from dataclasses import replace

    from meshify.injector.inputs.cloudformation import default_behind

    defaults = {found.path: found.template.resolver.defaults_used for found in files
                if found.template is not None and found.template.resolver.defaults_used}
    if not defaults:
        return findings
    noted = []
    for finding in findings:
        document = finding.loc.document
        parameter = default_behind(document, finding.loc.pointer, defaults[document.path]) \
            if document is not None and document.path in defaults else None
        noted.append(replace(finding, message=f"{finding.message} (the default of parameter {parameter})")
                     if parameter else finding)
    return noted


def _same_file(first: str, second: str) -> bool:
    import os

    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


# ---------------------------------------------------------------------------------------
# A batch of lone task definitions (the common big batch): each file is read, checked,
# located and suppressed on its own, its document released once its findings are located,
# and a big batch is spread over the cores (engine/parallel.py). The output is what the
# batch linted as a whole gives, byte for byte.


@dataclass(slots=True, eq=False, repr=False, init=False)
class _LintShared(Plain):
    """What every file's check needs: loaded once, in the parent (inherited by forked workers)."""

    mesh: Mesh
    taskdef_rules: _Rules
    unclaimed_rules: _Rules
    ran: list[str]
    manifest_path: str  # a task rule's finding there is kept if the manifest is reported (lint's paths name it)
    config: Config
    skip_unknown: bool
    # Asked once, not per file: the manifest's identity (os.path.samefile's), and the real
    # path of each directory the files are in (os.path.realpath's, for the files' keys).
    manifest_stat: os.stat_result | None = None
    real_directories: dict[str, str] = field(default_factory=dict)

    def __init__(self, mesh: Mesh, taskdef_rules: _Rules, unclaimed_rules: _Rules, ran: list[str], manifest_path: str,
                 config: Config, skip_unknown: bool, manifest_stat: os.stat_result | None = None,
                 real_directories: dict[str, str] = FACTORY) -> None:
        self.mesh = mesh
        self.taskdef_rules = taskdef_rules
        self.unclaimed_rules = unclaimed_rules
        self.ran = ran
        self.manifest_path = manifest_path
        self.config = config
        self.skip_unknown = skip_unknown
        self.manifest_stat = manifest_stat
        self.real_directories = {} if real_directories is FACTORY else real_directories


@dataclass(slots=True, eq=False, repr=False, init=False)
class _FileLint(Plain):
    """What one file comes to, with nothing of its document: sent back by a worker."""

    lone: bool = True  # False: not a lone task definition (the batch is linted as a whole)
    manifest: bool = False  # the manifest itself, given among the paths: its findings are reported
    read_failure: Failure | None = None
    check_failure: Failure | None = None
    skipped: bool = False  # found by walking a directory and none of meshify's formats
    key: str | None = None  # the task definition's identity (inputs.reader.distinct: real path and base)
    own: list[Located] = field(default_factory=list)  # in the file itself, suppressions applied
    elsewhere: list[Located] = field(default_factory=list)  # in another reported file, not yet suppressed
    claimant: tuple[str, str] | None = None  # (kind, name) of the node or gateway that claims it

    def __init__(self, lone: bool = True, manifest: bool = False, read_failure: Failure | None = None,
                 check_failure: Failure | None = None, skipped: bool = False, key: str | None = None,
                 own: list[Located] = FACTORY, elsewhere: list[Located] = FACTORY,
                 claimant: tuple[str, str] | None = None) -> None:
        self.lone = lone
        self.manifest = manifest
        self.read_failure = read_failure
        self.check_failure = check_failure
        self.skipped = skipped
        self.key = key
        self.own = [] if own is FACTORY else own
        self.elsewhere = [] if elsewhere is FACTORY else elsewhere
        self.claimant = claimant

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Pickled by a forked worker for each file it sends back: the findings go as plain
        # tuples, which pickle in C, where each Located (a NamedTuple) costs a Python call
        # both ways; the slots go as arguments, not as a state dictionary set one by one.
        return _unpickled_file_lint, (self.lone, self.manifest, self.read_failure, self.check_failure, self.skipped,
                                      self.key, [tuple(found) for found in self.own],
                                      [tuple(found) for found in self.elsewhere], self.claimant)


def _unpickled_file_lint(lone: bool, manifest: bool, read_failure: Failure | None, check_failure: Failure | None,
                         skipped: bool, key: str | None, own: list[tuple[str, int, int, str, str, str]],
                         elsewhere: list[tuple[str, int, int, str, str, str]],
                         claimant: tuple[str, str] | None) -> _FileLint:
    return _FileLint(lone, manifest, read_failure, check_failure, skipped, key, list(map(_located, own)),
                     list(map(_located, elsewhere)), claimant)


_located = partial(tuple.__new__, Located)  # Located._make without a Python call per finding


def _is_lone_task_definition(found: InputFile) -> bool:
    """A file that holds one task definition and nothing else: its findings depend on the
    mesh alone, and no other file's on it."""
    return (len(found.task_definitions) == 1 and type(found.task_definitions[0]) is TaskDefinitionFile
            and not found.spec_files and not found.services and found.template is None and found.compose is None)


def _lint_file(shared: _LintShared, walked: Walked) -> _FileLint:
    """One file of the batch, linted on its own (a pure function of its arguments: it runs
    in a worker process for a big batch)."""
    result = _FileLint()
    manifest, link = _manifest_or_link(walked.path, shared.manifest_stat)
    if manifest:
        result.manifest = True
        return result
    found: InputFile | None = None
    try:  # what ``with caught(path)`` does, without its two calls a file
        if shared.skip_unknown and not walked.walked:
            found = read_if_known(walked.path)
        else:
            found = read_walked(walked)
            result.skipped = found is None
    except Exception as error:
        result.read_failure = failure_of(error, walked.path)
        if result.read_failure is None:
            raise
    if found is None:
        return result
    if not _is_lone_task_definition(found):
        result.lone = False
        return result
    task_file = found.task_definitions[0]
    result.key = f"{real_path(task_file.path, shared.real_directories, link)}\0{task_file.base}"
    findings: list[engine.Finding] = []
    try:
        by_scope = {"taskdef": shared.taskdef_rules, "unclaimed": shared.unclaimed_rules}
        findings, claimant = _check_task_file(shared.mesh, task_file, by_scope)
        result.claimant = None if claimant is None else (claimant.kind, claimant.name)
    except Exception as error:
        result.check_failure = failure_of(error, task_file.path)
        if result.check_failure is None:
            raise
    own: set[Located] = set()
    document = task_file.document
    path = document.path
    # What _placed does, each file's ignored rules asked once and each finding located once.
    ignored = {path: tuple(shared.config.ignored_for(path))}
    for found in findings:
        elsewhere = found.loc.document
        if elsewhere is not document and (elsewhere is None or elsewhere.path not in (path, shared.manifest_path)):
            continue
        where = elsewhere.path
        if where not in ignored:
            ignored[where] = tuple(shared.config.ignored_for(where))
        if ignored[where] and found.rule.startswith(ignored[where]):  # (nearly always none: no call)
            continue
        line, column = elsewhere.position(found.loc.pointer)
        if where == path:
            # Many files share a message (the same fix for the same node): kept once, not once per file.
            own.add(_located((where, line, column, found.rule, found.severity, sys.intern(found.message))))
        else:
            result.elsewhere.append(_located((where, line, column, found.rule, found.severity, found.message)))
    if document.format == "yaml":
        own = apply_suppressions(own, [document], shared.ran)
    result.own = sorted(own)
    return result


def _lint_path(shared: _LintShared, path: str) -> list[_FileLint]:
    """:func:`_lint_file` for each file a path given holds (itself, or a directory's files)."""
    return [_lint_file(shared, walked) for walked in expand_paths([path])]


def _path_of(candidate: Walked | str) -> str:
    return candidate if isinstance(candidate, str) else candidate.path


def _manifest_or_link(path: str, manifest: os.stat_result | None) -> tuple[bool, bool | None]:
    """(``_same_file(path, manifest_path)``, the manifest's status taken once; whether
    ``path`` is a symbolic link, None when not asked): one lstat tells both for a file
    that is no link (real_path need not ask again)."""
    if manifest is None:
        return False, None
    try:
        status = os.lstat(path)
        link = stat.S_ISLNK(status.st_mode)
        if link:
            status = os.stat(path)
    except OSError:
        return False, None
    return status.st_ino == manifest.st_ino and status.st_dev == manifest.st_dev, link  # os.path.samestat


def _placed(findings: list[engine.Finding], reported: set[str] | frozenset[str], config: Config) -> list[Located]:
    """The findings placed in the reported files, less those the configuration ignores there."""
    reported = set(reported)
    placed = [place for found in findings if (place := locate(found, reported))]
    return [f for f in placed if not any(f.rule.startswith(prefix) for prefix in config.ignored_for(f.path))]


def _lint_one_by_one(manifest_path: str | None, paths: list[str], policy_path: str | None, ran: list[str],
                     by_scope: dict[str, _Rules], config: Config, aws: AwsOptions | None, live: bool,
                     failed: list[str] | None, skip_unknown: bool) -> list[Located] | Mesh | None:
    """Lint a batch of lone task definitions file by file: the findings, sorted. Otherwise
    (no manifest, an ``ecs:`` reference, or a file that holds anything else: App Mesh specs,
    templates, services, Terraform) the batch is linted as a whole: None, or the manifest's
    mesh already loaded."""
    found = _lint_lone_files(manifest_path, paths, policy_path, ran, by_scope, config, aws, live, failed, skip_unknown)
    if isinstance(found, list) and len(found) >= 1000:
        # The manifest's YAML tree holds cycles (a node knows its parent): released now, before the
        # report is rendered, rather than whenever the collector next looks at old objects.
        import gc

        gc.collect()
    return found


def _lint_lone_files(manifest_path: str | None, paths: list[str], policy_path: str | None, ran: list[str],
                     by_scope: dict[str, _Rules], config: Config, aws: AwsOptions | None, live: bool,
                     failed: list[str] | None, skip_unknown: bool) -> list[Located] | Mesh | None:
    from meshify.injector.engine.parallel import map_in_order, parallel_for

    if manifest_path is None or failed is None or not paths or any(_is_ecs_reference(path) for path in paths):
        return None
    mesh = load_manifest(manifest_path, envoy_image=config.envoy_image)
    # Many paths over the cores: each process expands the paths of its chunks (a stat each,
    # and a directory's walk), so that the serial part before the workers start does not.
    # Few paths (a directory or two) are expanded here, and their files split.
    by_path = parallel_for(len(paths))
    candidates: Sequence[Walked | str] = paths if by_path else expand_paths(paths)
    manifest_reported = live
    try:
        manifest_stat: os.stat_result | None = os.stat(manifest_path)
    except OSError:
        manifest_stat = None
    shared = _LintShared(mesh, by_scope["taskdef"], by_scope["unclaimed"], ran,
                         manifest_path, config, skip_unknown, manifest_stat)
    read_failures: list[Failure] = []
    check_failures: list[Failure] = []
    own: list[Located] = []
    elsewhere: set[Located] = set()
    claimed: dict[tuple[str, str], None] = {}  # the claimants, in order, each once
    seen: set[str] = set()
    skipped = 0
    results: Generator[_FileLint | list[_FileLint], None, None]
    if by_path:
        results = map_in_order(_lint_path, shared, paths)
    else:
        results = map_in_order(_lint_file, shared, cast("list[Walked]", candidates))

    def linted() -> Iterator[_FileLint]:
        for _candidate, result in zip(progress(candidates, "lint", _path_of), results, strict=True):
            if isinstance(result, list):  # a path's files (_lint_path)
                yield from result
            else:  # one file: no tuple to delegate to
                yield result

    try:
        for result in linted():
            if not result.lone:
                return mesh  # read again, as a whole
            manifest_reported |= result.manifest
            if result.read_failure is not None:
                read_failures.append(result.read_failure)
            skipped += result.skipped
            if result.key is None or result.key in seen:  # unreadable, or given twice: checked once
                continue
            seen.add(result.key)
            if result.check_failure is not None:
                check_failures.append(result.check_failure)
            own += result.own
            if result.elsewhere:  # nearly always none: no call
                elsewhere.update(result.elsewhere)
            if result.claimant is not None:
                claimed.setdefault(result.claimant)
    finally:
        results.close()  # ends the workers if the batch is linted as a whole after all
    for failure in read_failures:
        report_failure(failure, failed)
    say_skipped(skipped)

    findings = _mesh_findings(mesh, by_scope["mesh"], config)
    reported = {manifest_path} if manifest_reported else set()
    elsewhere = {found for found in elsewhere if found.path in reported}
    if live:
        from meshify.injector.aws.live import note_unsupported, read_mesh, read_placeholders
        from meshify.injector.aws.session import AwsOptions

        live_mesh = read_mesh(mesh, aws or AwsOptions())
        note_unsupported(live_mesh)
        context = engine.LiveContext(mesh, live_mesh, read_placeholders(mesh, aws or AwsOptions()))
        findings += engine.run(by_scope["live"].rules(), context)
    for failure in check_failures:
        report_failure(failure, failed)
    if policy_path is not None:
        kinds: dict[str, dict[str, Node] | dict[str, Gateway]] = {"virtualNode": mesh.nodes, "virtualGateway": mesh.gateways}
        claimants: list[Node | Gateway] = [kinds[kind][name] for kind, name in claimed]
        with each_file(policy_path, failed):
            findings += _policy_findings(mesh, policy_path, claimants, by_scope["policy"].rules())
            reported.add(policy_path)
    located = set(_placed(findings, reported, config)) | elsewhere
    manifest = mesh.loc.document
    documents = [manifest] if manifest is not None and manifest.format == "yaml" and manifest.path in reported else []
    located = apply_suppressions(located, documents, shared.ran)
    return sorted([*located, *own])

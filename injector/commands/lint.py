"""``meshify lint``: inputs to findings.

The manifest gives the model; App Mesh spec files given as paths are merged into it;
task definitions are checked against the node or gateway that claims them; an IAM
policy given with ``--policy`` is checked for every claimed task definition.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from meshify.injector import engine
from meshify.injector.aws.ecs import is_ecs_reference, read_ecs_document
from meshify.injector.aws.session import AwsOptions
from meshify.injector.config import Config
from meshify.injector.engine.findings import Located, apply_suppressions, locate, selected
from meshify.injector.errors import InputError
from meshify.injector.inputs.appmesh_spec import SpecFile, merge
from meshify.injector.inputs.ecs_service import EcsServiceFile
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.inputs.mesh_from_files import mesh_from_files
from meshify.injector.inputs.reader import InputFile, expand_paths, read_document, read_walked, say_skipped
from meshify.injector.inputs.task_definition import TaskDefinitionFile
from meshify.injector.model.mesh import Gateway, Loc, Mesh, Node


@dataclass(slots=True)
class _Inputs:
    task_files: list[TaskDefinitionFile]
    spec_files: list[SpecFile]
    reported: set[str]  # the paths whose findings are printed
    files: list[InputFile] = field(default_factory=list)
    services: list[EcsServiceFile] = field(default_factory=list)


def _read_paths(paths: list[str], manifest_path: str | None, region: str, aws: AwsOptions | None) -> _Inputs:
    inputs = _Inputs([], [], set() if paths or manifest_path is None else {manifest_path})
    skipped = 0
    for walked in expand_paths(paths):
        path = walked.path
        if manifest_path is not None and _same_file(path, manifest_path):
            inputs.reported.add(manifest_path)
            continue
        if is_ecs_reference(path):
            found: InputFile | None = read_document(read_ecs_document(path, aws or AwsOptions(), region))
        else:
            found = read_walked(walked)
        if found is None:
            skipped += 1
            continue
        inputs.files.append(found)
        inputs.task_files += found.task_definitions
        inputs.spec_files += found.spec_files
        inputs.services += found.services
        inputs.reported.add(found.path)
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


def lint(manifest_path: str | None, paths: list[str], policy_path: str | None = None,
         select: Iterable[str] = (), ignore: Iterable[str] = (), config: Config | None = None,
         aws: AwsOptions | None = None, live: bool = False) -> list[Located]:
    """Findings for the manifest, the files in ``paths`` (``ecs:`` references are read
    from ECS) and the policy; with ``live``, also the drift of the account's mesh. With no
    manifest, the mesh is the App Mesh resources of the files (``mesh_from_files``)."""
    config = config or Config()
    file_mesh: Mesh | None = None
    if manifest_path is None:
        inputs = _read_paths(paths, None, (aws.region if aws else None) or "", aws)
        mesh = mesh_from_files(inputs.files, config.envoy_image, aws.region if aws else None)
    else:
        mesh = load_manifest(manifest_path, envoy_image=config.envoy_image)
        inputs = _read_paths(paths, manifest_path, mesh.region, aws)
        # The manifest is the mesh: a template's App Mesh resources are compared with it (M119),
        # an App Mesh spec file given alone is merged in (it is what the user wants checked).
        templates = [found for found in inputs.files if found.template is not None and found.spec_files]
        from_templates = {id(spec) for found in templates for spec in found.spec_files}
        for spec in inputs.spec_files:
            if id(spec) not in from_templates:
                merge(mesh, spec)
        if templates:
            file_mesh = mesh_from_files(templates, region=mesh.region, account=mesh.account)
        for found in inputs.files:
            mesh.unknown_names |= found.template.unknown_names if found.template is not None else set()

    rules = [rule for rule in engine.all_rules().values() if selected(rule.id, select, ignore)]
    by_scope: dict[str, list[engine.Rule]] = {}
    for rule in rules:
        by_scope.setdefault(rule.scope, []).append(rule)
    findings = list(engine.run(by_scope.get("mesh", []), engine.MeshContext(mesh, inputs.spec_files, file_mesh)))
    if live:
        from meshify.injector.aws.live import note_unsupported, read_mesh, read_placeholders

        live_mesh = read_mesh(mesh, aws or AwsOptions())
        note_unsupported(live_mesh)
        context = engine.LiveContext(mesh, live_mesh, read_placeholders(mesh, aws or AwsOptions()))
        findings += engine.run(by_scope.get("live", []), context)
        if manifest_path is not None:
            inputs.reported.add(manifest_path)  # drift is reported at the manifest's elements
    findings += _service_findings(mesh, inputs, by_scope.get("service", []))
    connected = _service_connect_tasks(inputs)
    claimants: list[Node | Gateway] = []
    for task_file in inputs.task_files:
        if id(task_file) in connected:
            continue  # no longer an App Mesh task: the T2xx rules do not apply (migrate.md)
        claims = mesh.claims_for(task_file.family, task_file.resource)
        if claims:
            claimants.append(claims[0])
            findings += engine.run(by_scope.get("taskdef", []),
                                   engine.TaskContext(mesh, claims[0], task_file.data, task_file.loc))
        else:
            findings += engine.run(by_scope.get("unclaimed", []),
                                   engine.UnclaimedContext(mesh, task_file.data, task_file.loc))
    if policy_path is not None:
        findings += _policy_findings(mesh, policy_path, claimants, by_scope.get("policy", []))
        inputs.reported.add(policy_path)

    findings = _noting_defaults(findings, inputs.files)
    located = {place for found in findings if (place := locate(found, inputs.reported))}
    located = {f for f in located if not any(f.rule.startswith(prefix) for prefix in config.ignored_for(f.path))}
    documents = [mesh.loc.document, *(t.document for t in inputs.task_files), *(s.document for s in inputs.spec_files),
                 *(s.document for s in inputs.services)]
    # A template's resources are views of one document: its suppressions are read once.
    yaml_documents = list({d.path: d for d in documents if d is not None and d.format == "yaml"
                           and d.path in inputs.reported}.values())
    located = apply_suppressions(located, yaml_documents, [rule.id for rule in rules])
    return sorted(located, key=lambda f: f.sort_key)


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

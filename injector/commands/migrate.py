"""``meshify migrate --to service-connect``: the mesh model and the files given become
task definition patches (uninject, named ports, health check, memory), one Service Connect
configuration per ECS service, and the migration report (``../shared/spec/migrate.md``).

Every input loads and every patch, configuration and finding is computed before the first
write, as for inject.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import os
from dataclasses import dataclass
from typing import Any

from meshify.injector import engine
from meshify.injector.commands.batch import each_file
from meshify.injector.documents.document import write_atomic
from meshify.injector.engine.findings import Located, locate
from meshify.injector.errors import InputError
from meshify.injector.inputs.appmesh_spec import SpecFile, merge
from meshify.injector.inputs.cloudformation import Template
from meshify.injector.inputs.ecs_service import EcsServiceFile
from meshify.injector.inputs.manifest import NO_MANIFEST_NOR_MESH, load_manifest, stand_ins_noted
from meshify.injector.inputs.reader import InputFile, expand_paths, read_walked, say_skipped
from meshify.injector.inputs.task_definition import TaskDefinitionFile
from meshify.injector.model.ecs_service import EcsService
from meshify.injector.model.mesh import UNKNOWN_MESH, Gateway, Loc, Mesh, Named, Node
from meshify.injector.model.migration import (
    TLS_ROLE_NAME,
    TLS_ROLE_POLICY,
    MigrationPlan,
    PlannedService,
    StandIn,
    connect_patch,
    listener_member,
    named_ports,
    service_connect_patch,
)
from meshify.injector.model.unknowns import is_unknown
from meshify.injector.outputs.migration_report import FORMATS, Feature, MigrationReport, ServiceEntry
from meshify.injector.outputs.patches import Edit, Mode, say, synthesized_note, task_definition_edits, write
from meshify.injector.outputs.progress import progress

TARGETS = ("service-connect",)
VIRTUAL_SERVICE = "AWS::AppMesh::VirtualService"


@dataclass(slots=True)
class Migration:
    """What migrate makes of one task definition."""

    source: TaskDefinitionFile
    claimant: Node | Gateway | None
    patch: list[dict[str, Any]]


def _uninject_patch(mesh: Mesh, taskdef: dict[str, Any]) -> list[dict[str, Any]]:
    """The App Mesh wiring removed: migrate-a's uninject (``model/unwiring.py``)."""
    from meshify.injector.model.unwiring import uninject_patch

    return uninject_patch(taskdef, mesh.envoy.container_name)


def migrate_task_definition(mesh: Mesh, current: MigrationPlan, source: TaskDefinitionFile,
                            claimant: Node | Gateway | None) -> Migration:
    """One patch: uninject, then what Service Connect needs. A gateway's task holds only
    Envoy and is replaced by a load balancer, so it is not rewritten."""
    if claimant is None or isinstance(claimant, Gateway):
        return Migration(source, claimant, [])
    import jsonpatch

    removal = _uninject_patch(mesh, source.data)
    uninjected = jsonpatch.apply_patch(copy.deepcopy(source.data), removal) if removal else source.data
    service = current.service_of(claimant.name)
    additions = service_connect_patch(claimant, service, uninjected) if service is not None else []
    return Migration(source, claimant, removal + additions)


def _claimant(mesh: Mesh, source: TaskDefinitionFile) -> Node | Gateway | None:
    claims = mesh.claims_for(source.family, source.resource)  # by family, or by what its file calls it
    return claims[0] if claims else None


def _task_file_of(service: EcsServiceFile, task_files: list[TaskDefinitionFile]) -> TaskDefinitionFile | None:
    """The task definition a service runs: by the name its file gives it (a logical id, a
    Terraform address), else by family."""
    reference = service.task_definition
    return next((t for t in task_files if reference is not None and t.resource == reference), None) or \
        next((t for t in task_files if service.family is not None and t.family == service.family), None)


def _tied(service: EcsServiceFile, task_files: list[TaskDefinitionFile], mesh: Mesh) -> EcsService:
    """The service as the plan sees it: a template names its task definition by logical id
    or address, the plan by family (the task definition's, or its claimant's)."""
    model = service.service
    if not isinstance(model.data.get("serviceName", model.data.get("service")), str) and service.resource:
        # a name the stack gives (CloudFormation's generated one, a variable): the report calls it by its resource
        model = dataclasses.replace(model, data={**model.data, "serviceName": service.resource})
    task_file = _task_file_of(service, task_files)
    if task_file is None:
        return model
    family = task_file.family if isinstance(task_file.family, str) else None
    if family is None:
        claimant = _claimant(mesh, task_file)
        if claimant is not None and claimant.families:
            family = claimant.families[0].name
        elif claimant is not None and task_file.resource in {claim.name for claim in claimant.resources}:
            family = task_file.resource  # claimed by logical id or address: the plan matches the node's claim
    if family is None or family == model.family:
        return model
    return dataclasses.replace(model, data={**model.data, "taskDefinition": family})


def _stand_ins(mesh: Mesh, templates: list[Template]) -> dict[str, StandIn]:
    """The virtual service names that stand for names only the stack knows: those the
    manifest's header lists (``meshify init``'s note, kept until the user replaces the name)
    and those that are the logical id of a template's virtual service whose name is an
    intrinsic; with that intrinsic, when a template given writes it. Every stand-in (nodes'
    too) joins ``mesh.unknown_names``, for the report to say so where it shows one."""
    manifest = mesh.loc.document
    noted = stand_ins_noted(manifest.text) if manifest is not None else set()
    mesh.unknown_names |= noted.union(*(template.unknown_names for template in templates))
    in_manifest = (manifest.data.get("services") or {}) if manifest is not None else {}
    found = {}
    for name, virtual in mesh.services.items():
        expression, template_path = None, None
        for template in templates:
            expression = template.name_expression(name, VIRTUAL_SERVICE)
            if expression is not None:
                template_path = template.document.path
                break
        if name in noted or expression is not None:
            loc = virtual.loc  # where the template writes it, when the manifest does not
            if manifest is not None and name in in_manifest:  # a template's spec merged in moved it: the
                loc = Loc(manifest, "").child("services", name)  # manifest's place is what the user edits
            found[name] = StandIn(name, loc, expression, template_path)
    return found


def _in_template(service: EcsServiceFile) -> bool:
    """A service a template declares (``AWS::ECS::Service``, ``aws_ecs_service``): migrate
    writes its configuration into the template rather than a JSON file beside it."""
    return service.resource is not None


ServicePatch = tuple[EcsServiceFile, str, list[dict[str, Any]]]  # the file, the ECS service's name, operations


def _service_patches(current: MigrationPlan, files: dict[int, EcsServiceFile]) -> list[ServicePatch]:
    """For each planned service that a template declares (and each version's own ECS
    service there): the operations (API pointers) that give it its Service Connect
    configuration. None where the configuration cannot hold the namespace (R616)."""
    found = []
    targets = [(service, service.ecs) for service in current.services]
    targets += [(service, ecs) for service in current.services for _, ecs in service.versions]
    for service, ecs in targets:
        source = files.get(id(ecs)) if ecs is not None else None
        if ecs is None or source is None or not _in_template(source) or current.namespace_for(ecs) is None:
            continue
        configuration = current.service_configuration(service) if ecs is service.ecs else \
            current.version_configuration(service, ecs)
        wanted = configuration["serviceConnectConfiguration"]
        if is_unknown(source.data.get("serviceConnectConfiguration")):
            say(f"{source.path}: {source.resource}: its Service Connect configuration is computed (a dynamic block, "
                f"an intrinsic); left unchanged. It should give: {json.dumps(wanted)}")
        found.append((source, ecs.name, connect_patch(source.data, wanted)))
    return found


def _adopt_port_names(current: MigrationPlan, task_files: list[TaskDefinitionFile], mesh: Mesh) -> None:
    """A port the primary version's task definition already names keeps its name (so that a
    second run changes nothing, and names the team chose stay)."""
    for service in current.services:
        for task_file in task_files:
            claimant = _claimant(mesh, task_file)
            if claimant is not service.primary:
                continue
            names = named_ports(task_file.data)
            for served in service.ports:
                if served.listener.port in names:
                    served.port_name = names[served.listener.port]


# ---------------------------------------------------------------------------------------
# The report


def _features(context: engine.MigrationContext, findings: list[engine.Finding], reported: set[str]) -> list[Feature]:
    current, mesh = context.plan, context.mesh

    def where(loc: Any) -> str:
        if loc.document is None:
            return "(not in a file)"
        line, column = loc.document.position(loc.pointer)
        return f"{loc.document.path}:{line}:{column}"

    rows = [Feature(f"mesh `{mesh.name}`", where(mesh.loc), f"Cloud Map namespace `{current.namespace_shown}`")]
    for service in current.services:
        for node in service.nodes:
            versions = f" (one of {len(service.nodes)} versions)" if len(service.nodes) > 1 else ""
            ports = ", ".join(f"`{p.port_name}`" for p in service.ports if any(
                listener.port == p.listener.port for listener in node.listeners))
            becomes = f"ECS service `{service.name}`{versions}" + (f", port {ports}" if ports else ", client only")
            rows.append(Feature(f"virtual node `{node.name}`", where(node.loc), becomes))
            for listener in node.listeners:
                if listener.health_check:
                    rows.append(Feature(f"active health check of `{node.name}` port {listener.port}",
                                        where(listener_member(listener, "healthCheck")),
                                        "the application container's `healthCheck`"))
                if listener.timeout:
                    served = next((p for p in service.ports if p.listener is listener), None)
                    if served is not None:
                        rows.append(Feature(f"listener timeout of `{node.name}` port {listener.port}",
                                            where(listener_member(listener, "timeout")),
                                            f"`timeout` {json.dumps(served.timeouts.api(listener.protocol))}"))
            if node.discovery is not None:
                rows.append(Feature(f"service discovery of `{node.name}`", where(node.discovery.loc),
                                    f"discoveryName `{service.ports[0].discovery_name}`" if service.ports
                                    else "not needed (client only)"))
    for service in current.services:
        for served in service.ports:
            if served.alias and served.alias_loc is not None:
                written = current.alias_dns_name(service, served)
                shown = written if isinstance(written, str) else json.dumps(written)
                rows.append(Feature(f"virtual service `{served.alias}`", where(served.alias_loc),
                                    f"client alias `{shown}:{served.alias_port}` of `{service.name}`"
                                    if written is not None else
                                    f"no client alias of `{service.name}` until its deployed name is given [R615]"))
    rules = engine.all_rules()
    places: dict[str, list[Located]] = {}
    for found in findings:
        place = locate(found, reported)
        places.setdefault(found.rule, [])
        if place is not None:
            places[found.rule].append(place)
    for rule_id, located in sorted(places.items()):
        located.sort(key=lambda f: f.sort_key)
        where_said = _place(located[0]) if located else "(not in a file)"
        if len(located) > 1:
            where_said += f" (+{len(located) - 1} more)"
        severities = {f.severity for f in located} or {rules[rule_id].severity}
        worst = max(severities, key=engine.severity_rank)
        effect = _WAITS_FOR_THE_USER if worst == "error" and rule_id in _ANSWERED_BY_THE_USER else _EFFECT[worst]
        rows.append(Feature(rules[rule_id].title, where_said, effect, rule_id))
    return rows


_EFFECT = {"error": "no equivalent: lost", "warning": "changes behaviour", "info": "carries over, differently"}
# Errors that are no lost feature: a stand-in name (R615) or a namespace only the stack knows
# (R616) carry over once the user says the deployed name; until then nothing wrong is written.
_ANSWERED_BY_THE_USER = frozenset({"R615", "R616"})
_WAITS_FOR_THE_USER = "needs your answer: not written until given"


def _place(located: Located) -> str:
    return f"{located.path}:{located.line}:{located.column}"


def _service_order(current: MigrationPlan) -> list[PlannedService]:
    """Servers before their callers (depth-first on backends), so each alias exists before
    a client that calls it starts."""
    order: list[PlannedService] = []
    seen: set[int] = set()

    def visit(service: PlannedService, depth: int = 0) -> None:
        if id(service) in seen or depth > len(current.services):
            return
        seen.add(id(service))
        for node in service.nodes:
            for backend in node.backends:
                server = current.alias_owner(backend.name)
                if server is not None:
                    visit(server[0], depth + 1)
        order.append(service)

    for service in current.services:
        visit(service)
    return order


def _steps(context: engine.MigrationContext, migrations: list[Migration], given_namespace: bool) -> list[str]:
    current, mesh = context.plan, context.mesh
    from meshify.injector.model.wiring import arn_unknown, policy_statements

    steps = [
        f"Build a parallel (green) environment; do not network it with the App Mesh one. "
        f"{'Use' if given_namespace else 'Prefer a new Cloud Map namespace for it (--namespace NAME); this plan uses'} "
        f"namespace `{current.namespace_shown}` (ECS creates an HTTP namespace when the name is new).",
        "Register the migrated task definitions (`meshify migrate ... --in-place`, then "
        "`aws ecs register-task-definition`): " + (", ".join(dict.fromkeys(
            # a family only the stack knows: the template's resource that registers it
            f"`{m.source.family or m.source.resource}`" for m in migrations
            if m.claimant is not None and not isinstance(m.claimant, Gateway)))
            or "none given") + ".",
    ]
    with_tls = [service for service in current.services if service.pca_arn and service.tls_role_arn]
    if with_tls:
        roles = ", ".join(dict.fromkeys(f"`{service.tls_role_arn}`" for service in with_tls))
        steps.append(f"Service Connect TLS needs an ECS infrastructure role, which meshify cannot know: create {roles} "
                     f"(trusted by ecs.amazonaws.com, with the managed policy {TLS_ROLE_POLICY}; AWS's guide names it "
                     f"{TLS_ROLE_NAME}), or put your own as `roleArn` in the `tls` of "
                     + ", ".join(f"`{service.name}`" for service in with_tls) + ".")
    if current.services:
        steps.append("Create the ECS services in this order, servers before their callers, each with its Service "
                     "Connect configuration: " + ", ".join(f"`{s.name}`" for s in _service_order(current)) + ".")
    for service in current.services:
        for canary in service.canaries:
            others = ", ".join(node for node, _ in canary.shares[1:])
            retired = ", ".join(f"`{ecs.name}`" for node, ecs in service.versions
                                if any(node == name for name, _ in canary.shares))
            steps.append(f"Run `{service.name}` with the task definition of `{canary.primary}`; roll out {others} as a "
                         f"new revision of it with {canary.describe()}" + (f", then delete {retired}." if retired else "."))
    if mesh.egress_filter == "DROP_ALL" and any(node.backends for node in mesh.nodes.values()):
        steps.append("Give each ECS service its own security group and allow ingress only from its callers "
                     "(R610 lists them).")
    for gateway in mesh.gateways.values():
        steps.append(f"Create an Application Load Balancer for gateway `{gateway.name}` with the listener rules R611 "
                     "lists, forwarding to target groups of the new services.")
    steps.append("Shift traffic at the edge from the App Mesh environment to the new one gradually (Route 53 weighted "
                 "records, ALB weighted target groups or CloudFront continuous deployment); watch the CloudWatch "
                 "Service Connect metrics; shift back if needed.")
    placeholders = [p.name for p in mesh.cloud_map.placeholders]
    if placeholders:
        steps.append(f"After the cut-over, delete the Cloud Map placeholder records of namespace "
                     f"`{mesh.cloud_map.namespace}`: " + ", ".join(f"`{name}`" for name in placeholders) + ".")
    by_role: dict[str, list[str]] = {}
    for migration in migrations:
        if migration.claimant is None:
            continue
        role = migration.source.data.get("taskRoleArn")
        said = by_role.setdefault(role if isinstance(role, str) else "the task role", [])
        for statement in policy_statements(mesh, migration.claimant):
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            resource = statement["Resource"]
            if arn_unknown(mesh, migration.claimant):  # no region or account in the files: no whole ARN to name
                kind = "virtual gateway" if migration.claimant.kind == "virtualGateway" else "virtual node"
                resource = f"the ARN of {kind} `{migration.claimant.name}` of mesh `{mesh.name}`"
            text = "the X-Ray statement (if only Envoy used it)" if any(a.startswith("xray:") for a in actions) \
                else f"{', '.join(actions)} on {resource}"
            if migration.claimant.name in mesh.unknown_names and not text.startswith("the X-Ray"):
                text += f" (`{migration.claimant.name}` stands for the deployed name, which only the stack knows)"
            if text not in said:
                said.append(text)
    if by_role:
        steps.append("Remove the App Mesh statements from the task roles (`meshify migrate --policy FILE` does it for a "
                     "policy document): " + "; ".join(f"from {role}: {', '.join(said)}" for role, said in by_role.items())
                     + ".")
    references = [reference for service in context.services for reference in service.appmesh_references]
    before = (f"First remove what still ties the templates' ECS services or task definitions to them ({len(references)} "
              "place(s): once this migration is written, `meshify lint` lists each as C511); then delete"
              if references else "Delete")
    steps.append(f"{before} the App Mesh resources of mesh `{mesh.name}` (routes, routers, virtual services, nodes, "
                 "gateway routes, gateways, then the mesh) and the old ECS services.")
    return steps


def build_report(context: engine.MigrationContext, findings: list[engine.Finding], reported: set[str],
                 migrations: list[Migration], files: dict[str, str], given_namespace: bool,
                 templates: frozenset[str] = frozenset()) -> MigrationReport:
    located = sorted({place for found in findings if (place := locate(found, reported))}, key=lambda f: f.sort_key)
    refused = set(context.plan.refused_namespace())
    services = []
    for s in context.plan.services:
        services.append(ServiceEntry(s.name, s.cluster, [n.name for n in s.nodes], s.families,
                                     context.plan.service_configuration(s), files.get(s.name), s.name in templates,
                                     s.name in refused))
        services += [ServiceEntry(ecs.name, None, [node], [], context.plan.version_configuration(s, ecs),
                                  files.get(ecs.name), ecs.name in templates, ecs.name in refused)
                     for node, ecs in s.versions]
    from meshify.injector.outputs.graph import after_graph, before_graph

    pictures = (before_graph(context.mesh), after_graph(context.mesh, current=context.plan))
    return MigrationReport(context.mesh.name, context.plan.namespace_shown, _features(context, findings, reported), services,
                           located, _steps(context, migrations, given_namespace), pictures)


# ---------------------------------------------------------------------------------------
# The command


def _edits(migrations: list[Migration], service_patches: list[ServicePatch]) -> list[Edit]:
    """One edit per file: the task definitions' patches, and in a template the services'."""
    edits = task_definition_edits([(migration.source, migration.patch) for migration in migrations])
    by_path = {edit.path: index for index, edit in enumerate(edits)}
    operations: dict[str, list[dict[str, Any]]] = {}
    documents = {}
    for source, _, patch in service_patches:
        operations.setdefault(source.path, []).extend(source.document_patch(patch))
        documents[source.path] = source.document
    for path, added in operations.items():
        earlier = edits[by_path[path]].patch if path in by_path else []
        edit = _document_edit(documents[path], earlier + added)
        if path in by_path:
            edits[by_path[path]] = edit
        else:
            edits.append(edit)
    return edits


def _document_edit(document: Any, operations: list[dict[str, Any]]) -> Edit:
    def render() -> str:
        import jsonpatch
        from meshify.injector.documents.document import Document

        text = document.render(operations)
        # the format-preserving editors must give exactly the patched data (as patches.py checks)
        if Document.load(document.path, text).data != jsonpatch.apply_patch(document.data, operations):
            raise RuntimeError(f"{document.path}: the rewritten text does not match the patch")
        return text

    return Edit(document.path, document.source, operations, render, bool(operations), note=synthesized_note(document))


def _policy_edit(policy_path: str) -> Edit:
    from meshify.injector.inputs.iam_policy import load_policy
    from meshify.injector.model.unwiring import policy_unwiring_patch

    policy = load_policy(policy_path)
    if policy.document is None:
        raise InputError("no such file", policy_path)
    policy.patch = policy_unwiring_patch(policy.policy)
    return Edit(policy.path, policy.document.text, policy.patch, policy.new_text, bool(policy.patch), printed=False,
                written_message=f"task role policy updated: {policy.path}")


def _service_file_name(name: str) -> str:
    return f"{name}.service-connect.json"


def _configurations(current: MigrationPlan) -> list[tuple[str, dict[str, Any]]]:
    """Each ECS service's configuration by its name: the planned services', then the ECS
    services the other versions of one service ran (clients only)."""
    found = []
    for service in current.services:
        found.append((service.name, current.service_configuration(service)))
        found += [(ecs.name, current.version_configuration(service, ecs)) for _, ecs in service.versions]
    return found


def run(paths: list[str], manifest_path: str | None, target: str, mode: Mode, out_dir: str | None, report_format: str,
        fail_on: str, namespace: str | None = None, policy_path: str | None = None, envoy_image: str | None = None) -> int:
    """``meshify migrate``. With no manifest (``manifest_path`` None), the mesh is the App Mesh
    resources of the files given (formats.md), each task definition claimed by what wires it."""
    if target not in TARGETS:
        raise InputError(f"--to: {target!r} is not one of {', '.join(TARGETS)}")
    manifest_mesh = load_manifest(manifest_path, envoy_image) if manifest_path is not None else None
    inputs: list[InputFile] = []
    task_files: list[TaskDefinitionFile] = []
    spec_files: list[SpecFile] = []
    service_files: list[EcsServiceFile] = []
    templates: list[Template] = []
    reported = {manifest_path} if manifest_path is not None else set()
    failed: list[str] = []  # each file stands alone (cli.md, commands/batch.py)
    skipped = 0
    seen: set[str] = set()  # a file given twice (a link and its target, two spellings) is migrated once
    for walked in progress(expand_paths(paths), "migrate", lambda w: w.path):
        if manifest_path is not None and _same_file(walked.path, manifest_path):
            continue
        real = os.path.realpath(walked.path)
        if real in seen:
            continue
        seen.add(real)
        with each_file(walked.path, failed):
            found = read_walked(walked)
            if found is None:  # a file of a directory given that is none of meshify's formats
                skipped += 1
                continue
            inputs.append(found)
            task_files += found.task_definitions
            spec_files += found.spec_files
            service_files += found.services
            templates += [found.template] if found.template is not None else []
            reported.add(found.path)
    say_skipped(skipped)
    if manifest_mesh is not None:
        mesh = manifest_mesh
        for spec in spec_files:
            merge(mesh, spec)
    else:
        if failed and not any(found.spec_files or found.template is not None for found in inputs):
            return 2  # nothing to build a mesh from: each failure said so
        mesh = _mesh_of_files(inputs, task_files, envoy_image)
        if not mesh.nodes and not mesh.gateways:  # ECS services alone (lint reads them after a migration)
            raise InputError(NO_MANIFEST_NOR_MESH)
        if mesh.name == UNKNOWN_MESH:
            # The report, the default namespace and the last step name the mesh: a made-up name would mislead.
            give = "give a manifest that names it (meshify init FILES --mesh NAME --region REGION --account ACCOUNT writes one)"
            named_at = mesh.unknown_name_loc
            if named_at is not None and named_at.document is not None:
                raise named_at.error(f"cannot migrate without a manifest: only the stack knows the mesh's name; {give}")
            raise InputError(f"cannot migrate without a manifest: the files do not give the mesh's name; {give}")
    context, models = migration_context(mesh, task_files, service_files, templates, namespace)
    by_model = {id(model): service_file for model, service_file in zip(models, service_files, strict=True)}
    rules = [rule for rule in engine.all_rules().values() if rule.scope == "migration"]
    findings = list(engine.run(rules, context))
    migrations = []
    for source in task_files:
        if source.path in failed:
            continue  # a file refused as a whole: nothing of it is edited (a template holds several)
        with each_file(source.path, failed):
            migration = migrate_task_definition(mesh, context.plan, source, _claimant(mesh, source))
            source.check_editable(migration.patch)
            migrations.append(migration)
    migrations = [migration for migration in migrations if migration.source.path not in failed]
    service_patches = _service_patches(context.plan, by_model)
    edits = _edits(migrations, service_patches)
    if policy_path is not None:
        edits.append(_policy_edit(policy_path))
    for migration in migrations:
        if migration.claimant is None:
            say(f"{migration.source.path}: {migration.source.claim_name} is claimed by no node or gateway "
                f"of {mesh.described_in}; left unchanged")
        elif isinstance(migration.claimant, Gateway):
            say(f"{migration.source.path}: runs gateway `{migration.claimant.name}`, which an ALB replaces (R611); "
                "left unchanged")

    files: dict[str, str] = {}
    in_templates = {name: source for source, name, _ in service_patches}
    refused = set(context.plan.refused_namespace())  # R616: no JSON file holds the template's namespace expression
    json_configurations = {name: configuration for name, configuration in _configurations(context.plan)
                           if name not in in_templates and name not in refused}
    if out_dir is not None:  # a template's service is not given a JSON file: update-service would drift from it
        files = {name: os.path.join(out_dir, _service_file_name(name)) for name in json_configurations}
    for name, source in in_templates.items():
        written = os.path.join(out_dir, "taskdefs", os.path.basename(source.path)) \
            if out_dir is not None and mode is Mode.PRINT else source.path
        files[name] = f"{written} ({source.resource})"
    report = build_report(context, findings, reported, migrations, files, namespace is not None, frozenset(in_templates))
    writes_files = out_dir is not None and mode is not Mode.CHECK
    taskdefs_to_stdout = mode in (Mode.PRINT, Mode.PATCH, Mode.DIFF) and not (mode is Mode.PRINT and writes_files)

    if mode is Mode.PRINT and writes_files:  # the task definitions go to the directory, with the rest
        assert out_dir is not None
        status = _write_task_definitions(edits, out_dir)
    elif mode is Mode.CHECK:  # standard output is the report's
        changed = [edit.path for edit in edits if edit.changes]
        for path in changed:
            say(f"would change: {path}")
        status = 1 if changed else 0
    else:
        status = write(edits, mode, verb="migrated")
    if writes_files:
        assert out_dir is not None
        os.makedirs(out_dir, exist_ok=True)
        for name, configuration in json_configurations.items():
            write_atomic(files[name], json.dumps(configuration, indent=2) + "\n")
        write_atomic(os.path.join(out_dir, "report.json"), FORMATS["json"](report))
        write_atomic(os.path.join(out_dir, "report.md"), FORMATS["markdown"](report))
        say(f"wrote {len(json_configurations)} service configuration(s) and report.json, report.md to {out_dir}")
    text = FORMATS[report_format](report)
    if taskdefs_to_stdout:
        say(text.rstrip("\n"))
    else:
        print(text, end="")
    threshold = engine.severity_rank(fail_on)
    failing = any(engine.severity_rank(f.severity) >= threshold for f in report.findings)
    return 2 if failed else max(status, 1 if failing else 0)


def migration_context(mesh: Mesh, task_files: list[TaskDefinitionFile], service_files: list[EcsServiceFile],
                      templates: list[Template], namespace: str | None) -> tuple[engine.MigrationContext, list[EcsService]]:
    """What migrate plans for the mesh and the files read (``meshify graph --to
    service-connect`` draws the same plan): each ECS service tied to its node, the names
    only a template's stack knows, the ports as the task definitions name them already.
    The context, and the services as the plan sees them (in the order of ``service_files``)."""
    models = [_tied(service_file, task_files, mesh) for service_file in service_files]
    context = engine.MigrationContext(mesh, task_files, models, namespace, _stand_ins(mesh, templates))
    _adopt_port_names(context.plan, task_files, mesh)
    return context, models


def _mesh_of_files(inputs: list[InputFile], task_files: list[TaskDefinitionFile], envoy_image: str | None) -> Mesh:
    """The mesh of the files given, as lint and inject build it without a manifest, with
    the claims of :func:`claim_wired`."""
    from meshify.injector.inputs.mesh_of_files import mesh_of_files, refuse_several_meshes

    refuse_several_meshes(inputs, "migrate")  # one migration per mesh: several would be planned as one
    mesh = mesh_of_files(inputs, envoy_image)
    if mesh.from_files:
        claim_wired(mesh, task_files)
    return mesh


def claim_wired(mesh: Mesh, task_files: list[TaskDefinitionFile]) -> None:
    """In a mesh whose task definitions are claimed by their Envoy's wiring (spec files,
    Terraform, no manifest), add each wired one's family (or its resource, when only the
    stack knows its family) to its node's claims, as a manifest would list it: the
    migration plan ties a node to its task definitions and ECS services by claims."""
    from meshify.injector.inputs.files_mesh import claim_by_wiring

    for task_file in task_files:
        wired = claim_by_wiring(mesh, task_file)
        if wired is None or mesh.claims_for(task_file.family, task_file.resource):
            continue
        if task_file.family is not None:
            wired.families.append(Named(task_file.family, task_file.loc("/family")))
        elif task_file.resource is not None:
            wired.resources.append(Named(task_file.resource, task_file.loc("")))
        mesh.changed()


def _same_file(first: str, second: str) -> bool:
    try:
        return os.path.samefile(first, second)
    except OSError:
        return False


def _write_task_definitions(edits: list[Edit], out_dir: str) -> int:
    """Each migrated task definition file under ``DIR/taskdefs/`` (unchanged ones too: the
    green environment needs them all); a companion file is rewritten in place. Every text
    is rendered before the first write."""
    directory = os.path.join(out_dir, "taskdefs")
    names = [os.path.basename(edit.path) for edit in edits if edit.printed]
    if len(set(names)) != len(names):
        twice = next(name for name in names if names.count(name) > 1)
        raise InputError(f"--out-dir: two task definition files are named {twice}; migrate them in separate runs")
    texts = [(edit, edit.render() if edit.changes else edit.old_text) for edit in edits]
    os.makedirs(directory, exist_ok=True)
    for edit, text in texts:
        if edit.printed:
            write_atomic(os.path.join(directory, os.path.basename(edit.path)), text)
        elif edit.changes:
            write_atomic(edit.path, text)
            say(edit.written_message)
    return 0

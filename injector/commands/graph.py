"""``meshify graph``: the mesh as a picture (``outputs/graph.py``), from the same inputs
``lint`` reads, optionally with lint's findings laid over it."""

from __future__ import annotations

import sys

from meshify.injector.aws.session import AwsOptions
from meshify.injector.commands.lint import lint, load_mesh
from meshify.injector.config import Config
from meshify.injector.outputs.graph import after_graph, before_graph

TARGETS = ("app-mesh", "service-connect")


def run(paths: list[str], manifest_path: str | None, fmt: str = "mermaid", overlay_lint: bool = False,
        target: str = "app-mesh", namespace: str | None = None, config: Config | None = None,
        aws: AwsOptions | None = None) -> int:
    """Print the picture of the mesh (``manifest_path``, or none, with the spec files among
    ``paths``) on standard output: the App Mesh as it is, or with ``target``
    ``service-connect`` the ECS Service Connect services it becomes."""
    mesh, inputs = load_mesh(manifest_path, paths, config, aws)
    if manifest_path is None:  # one picture is one mesh: several would be drawn as one, their nodes merged
        from meshify.injector.inputs.mesh_of_files import refuse_several_meshes

        refuse_several_meshes(inputs.files, "graph")
        if inputs.files and not any(found.holds_app_mesh or found.compose is not None for found in inputs.files):
            # ECS services alone (lint reads them after a migration): nothing to draw, and migrate says why
            from meshify.injector.errors import InputError
            from meshify.injector.inputs.manifest import NO_MANIFEST_NOR_MESH

            raise InputError(NO_MANIFEST_NOR_MESH)
    if target == "service-connect":  # the plan migrate makes of the same files
        from meshify.injector.commands.migrate import claim_wired, migration_context

        if mesh.from_files:
            claim_wired(mesh, inputs.task_files)
        templates = [found.template for found in inputs.files if found.template is not None]
        if manifest_path is not None:  # migrate merges a template's App Mesh resources too (lint compares them: M119)
            from meshify.injector.inputs.appmesh_spec import merge

            for found in inputs.files:
                for spec in found.spec_files if found.template is not None else []:
                    merge(mesh, spec)
        context, _ = migration_context(mesh, inputs.task_files, inputs.services, templates, namespace)
        sys.stdout.write(after_graph(mesh, fmt, namespace, current=context.plan))
        return 0
    findings = []
    if overlay_lint:  # the manifest's findings too, as lint reports them when it is given as a path
        findings = lint(manifest_path, [*paths, manifest_path] if paths and manifest_path else paths, config=config, aws=aws)
    families = {task_file.path: task_file.family for task_file in inputs.task_files if task_file.family}
    sys.stdout.write(before_graph(mesh, fmt, findings, families))
    return 0

"""The mesh without a manifest (formats.md, "Which node claims a task definition"): which of
the readers' meshes the files make. A ComposeX file's x-appmesh; a CloudFormation
template's App Mesh resources (with its wiring and names only the stack knows); otherwise the
App Mesh resources of Terraform files and spec files, task definitions claimed by their
Envoy's wiring."""

from __future__ import annotations

import os
from collections.abc import Sequence

from meshify.injector.errors import InputError
from meshify.injector.inputs.reader import InputFile
from meshify.injector.model.mesh import Mesh
from meshify.injector.model.unknowns import is_unknown


def mesh_of_files(files: Sequence[InputFile], envoy_image: str | None = None, region: str | None = None) -> Mesh:
    spec_files = [spec for found in files for spec in found.spec_files]
    composes = [found.compose for found in files if found.compose is not None]
    if composes:
        from meshify.injector.inputs.composex import mesh_from_compose

        return mesh_from_compose(composes, spec_files, envoy_image, region)
    # ECS services and no App Mesh resource (Terraform after a migration): the services' empty mesh
    if any(found.template is not None for found in files) or (
            not spec_files and any(found.services for found in files)):
        from meshify.injector.inputs.mesh_from_files import mesh_from_files

        return mesh_from_files(files, envoy_image, region)
    from meshify.injector.inputs.files_mesh import mesh_from_files as mesh_of_resources

    return mesh_of_resources(spec_files, [task for found in files for task in found.task_definitions], envoy_image)


def mesh_names(files: Sequence[InputFile]) -> list[str]:
    """The meshes the files describe, in order, each once: by name (a template's
    ``AWS::AppMesh::Mesh``, a spec file's ``meshName``, a .tf's ``aws_appmesh_mesh``, a
    ComposeX file's mesh), or, for a template's mesh whose name only the stack knows, as
    ``<logical id> of <file>``. More than one: the files are not one mesh's. (A task
    definition's Envoy naming another mesh is not one more: that is a stale ARN, which
    inject replaces and T207 reports.)"""
    names: dict[str, None] = {}
    for found in files:
        if found.template is not None:  # one template given twice (a link, another spelling) is one mesh
            names.update((mesh.name or f"{mesh.logical_id} of {os.path.relpath(os.path.realpath(found.path))}", None)
                         for mesh in found.template.meshes)
        names.update((spec.mesh_name, None) for spec in found.spec_files if isinstance(spec.mesh_name, str))
        if found.compose is not None:
            names[found.compose.mesh_name] = None
        resources = found.document.data.get("resource") if isinstance(found.document.data, dict) else None
        meshes = resources.get("aws_appmesh_mesh") if isinstance(resources, dict) else None
        for body in meshes.values() if isinstance(meshes, dict) else []:
            if isinstance(body, dict) and isinstance(body.get("name"), str):
                names[body["name"]] = None
    return [name for name in names if not is_unknown(name)]  # a placeholder (${MESH_NAME}) names no other mesh


def files_by_mesh(files: Sequence[InputFile]) -> list[list[InputFile]]:
    """Spec files and .tf of several meshes (no template, no ComposeX file), grouped by the
    mesh each names (its ``meshName``, its ``aws_appmesh_mesh``), in order. A file of task
    definitions goes with the mesh its Envoy names if that is one of them; otherwise (not
    wired, or a stale ARN of another mesh) with every mesh, as it would be linted with each
    alone. Fewer than two meshes: no groups."""
    if any(found.template is not None or found.compose is not None for found in files):
        return []
    named = [(found, next(iter(mesh_names([found])), None)) for found in files]
    meshes = list(dict.fromkeys(name for _, name in named if name is not None))
    if len(meshes) < 2:
        return []
    from meshify.injector.inputs.files_mesh import wiring_of

    for index, (found, name) in enumerate(named):
        if name is None:
            wired = next((wiring[2] for task_file in found.task_definitions
                          if (wiring := wiring_of(task_file)) is not None and wiring[2] in meshes), None)
            named[index] = (found, wired)
    return [[found for found, name in named if name in (mesh, None)] for mesh in meshes]


def refuse_several_meshes(files: Sequence[InputFile], verb: str) -> None:
    """Without a manifest, one mesh's files: those of several would be read as one mesh,
    named after the first, and what ``verb`` writes would name the wrong mesh (an Envoy's
    ``APPMESH_RESOURCE_ARN`` rewritten to it). One line naming a few of them."""
    names = mesh_names(files)
    if len(names) > 1:
        listed = ", ".join(f"`{name}`" for name in names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        raise InputError(f"cannot {verb} without a manifest: the files given describe {len(names)} meshes ({listed}); "
                         f"{verb} the files of one mesh at a time, or give its manifest")

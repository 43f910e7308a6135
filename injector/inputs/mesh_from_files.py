"""The mesh without a manifest: the App Mesh resources of the files given (``formats.md``,
"Which node claims a task definition", 2).

Every reader's App Mesh resources arrive as :class:`SpecFile` s and are merged as a
manifest's would be; a task definition is claimed by what already wires it (its Envoy's
``APPMESH_RESOURCE_ARN`` / ``APPMESH_VIRTUAL_NODE_NAME`` naming a node or gateway of these
files), or by ``--node``. The mesh's name comes from an ``AWS::AppMesh::Mesh`` (or a spec's
``meshName``) when it is literal; region and account from the options, or they stay unknown
(empty), and then new Envoy containers use the public ECR image.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from meshify.injector.errors import InputError
from meshify.injector.inputs.appmesh_spec import merge
from meshify.injector.model.mesh import NOWHERE, UNKNOWN_MESH, EnvoySettings, Loc, Mesh, Named, envoy_images

if TYPE_CHECKING:
    from meshify.injector.inputs.reader import InputFile
    from meshify.injector.inputs.task_definition import TaskDefinitionFile

_WIRED = re.compile(r"(?:^|/)virtual(?:Node|Gateway)/([^/$]+)$")


def public_envoy_image() -> str:
    """The image to write when the region is not known: ECR Public serves every region."""
    table = envoy_images()
    return f"{table['publicMirror']}:{table['defaultTag']}"


def mesh_name(files: Sequence[InputFile]) -> str | None:
    for found in files:
        if found.template is not None:
            for mesh in found.template.meshes:
                if mesh.name:
                    return mesh.name
        for spec_file in found.spec_files:
            name = spec_file.document.data.get("meshName") if isinstance(spec_file.document.data, dict) else None
            if isinstance(name, str):
                return name
    return None


def wired_node(task_file: TaskDefinitionFile) -> str | None:
    """The node or gateway a task definition's Envoy names in the API's spelling (a literal)."""
    for container in task_file.data.get("containerDefinitions") or []:
        for variable in (container.get("environment") or []) if isinstance(container, dict) else []:
            if isinstance(variable, dict) and variable.get("name") in ("APPMESH_RESOURCE_ARN", "APPMESH_VIRTUAL_NODE_NAME") \
                    and isinstance(variable.get("value"), str) and (found := _WIRED.search(variable["value"])):
                return found.group(1)
    return None


def mesh_from_files(files: Sequence[InputFile], envoy_image: str | None = None, region: str | None = None,
                    account: str | None = None) -> Mesh:
    """The mesh the files describe, its task definitions claimed by their wiring; an
    :class:`InputError` when they describe none (no manifest and no App Mesh resource:
    nothing to check a task definition against)."""
    # ECS services alone are enough: after a migration to Service Connect there is no mesh left to give.
    if not any(found.holds_app_mesh or found.services for found in files):
        from meshify.injector.inputs.manifest import NO_MANIFEST_NOR_MESH

        raise InputError(NO_MANIFEST_NOR_MESH)
    from meshify.injector.inputs.files_mesh import terraform_facts

    tf_name, tf_region = terraform_facts([found.document for found in files])  # a .tf's aws_appmesh_mesh and provider
    name = mesh_name(files) or tf_name or UNKNOWN_MESH
    region = region or tf_region
    egress: Any = next((m.egress_filter for f in files if f.template for m in f.template.meshes if m.egress_filter), None)
    mesh = Mesh(name=name, region=region or "", account=account or "", owner=account or "", loc=NOWHERE,
                envoy=EnvoySettings(image=envoy_image or public_envoy_image(), pinned=envoy_image is not None),
                egress_filter=egress or "DROP_ALL")
    mesh.without_manifest = True
    if name == UNKNOWN_MESH:
        mesh.unknown_name_loc = next((Loc(m.document, f"{m.pointer}/MeshName") for f in files if f.template
                                      for m in f.template.meshes), None)
    for found in files:
        for spec_file in found.spec_files:
            merge(mesh, spec_file)
        if found.template is not None:
            mesh.unknown_names |= found.template.unknown_names
    from meshify.injector.inputs.files_mesh import wiring_of

    for found in files:
        wiring = found.template.wiring if found.template is not None else {}
        for task_file in found.task_definitions:
            # a template's wiring, a literal, or a .tf's reference (aws_appmesh_virtual_node.x.arn)
            node = wiring.get(task_file.resource or "") or wired_node(task_file) or \
                ((wired := wiring_of(task_file)) and wired[1])
            claimant = mesh.resource(node) if node else None
            if claimant is None:
                continue
            # (once: a template's conditions may give one task definition several ways, each read)
            if task_file.family and task_file.family not in {f.name for f in claimant.families}:
                claimant.families.append(Named(task_file.family, task_file.loc("/family")))
            elif not task_file.family and task_file.resource and \
                    task_file.resource not in {r.name for r in claimant.resources}:
                claimant.resources.append(Named(task_file.resource, task_file.loc("")))
    mesh.changed()
    return mesh


def compared_mesh(files: Sequence[InputFile], manifest: Mesh) -> Mesh | None:
    """With a manifest, the mesh of the files' own App Mesh resources (templates, Terraform,
    App Mesh spec files), which M119 compares with the manifest as written: call it before
    the spec files given are merged into the manifest. A spec file that names another mesh
    is left out (M118 says so); None when no file has an App Mesh resource."""
    from meshify.injector.model.appmesh_api import api_specs

    kept = []
    for found in files:
        specs = [spec for spec in found.spec_files if spec.mesh_name in (None, manifest.name)]
        if specs:
            kept.append(found if len(specs) == len(found.spec_files) else dataclasses.replace(found, spec_files=specs))
    if not kept:
        return None
    mesh = mesh_from_files(kept, region=manifest.region, account=manifest.account)
    mesh.compared_with = api_specs(manifest)
    mesh.defined = {(spec.kind, spec.parent, spec.name) if spec.parent else (spec.kind, spec.name)
                    for found in kept for spec in found.spec_files}
    return mesh

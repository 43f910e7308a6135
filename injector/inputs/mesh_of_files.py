"""The mesh without a manifest (formats.md, "Which node claims a task definition"): which of
the readers' meshes the files make. A ComposeX file's x-appmesh; a CloudFormation
template's App Mesh resources (with its wiring and names only the stack knows); otherwise the
App Mesh resources of Terraform files and spec files, task definitions claimed by their
Envoy's wiring."""

from __future__ import annotations

from collections.abc import Sequence

from meshify.injector.inputs.reader import InputFile
from meshify.injector.model.mesh import Mesh


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

"""M118: an App Mesh spec file of another mesh.

What: an App Mesh spec file (``--cli-input-json`` input, ``describe-*`` output) whose
``meshName`` is not the manifest's mesh (without a manifest: not the mesh the other files
describe, named by their Envoy's wiring or the first name they give).

Why: meshify checks the file against the manifest's mesh: its backends, targets and
services are looked up there. A file of another mesh (a copy from another environment, a
walkthrough's ``appmesh-mesh``) gives findings about a mesh it does not belong to, and
applying it creates the resource in the wrong mesh.

Fails (manifest mesh ``shop``):
    {"meshName": "apps", "virtualNodeName": "products-v1", "spec": {...}}

Passes:
    {"meshName": "shop", "virtualNodeName": "products-v1", "spec": {...}}

Fix: lint the file with its own mesh's manifest, or correct its ``meshName``.
"""

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.unknowns import is_unknown


@rule("M118", "warning", "Spec file of another mesh", scope="mesh")
def check(context: MeshContext):
    for spec_file in context.spec_files:
        name = spec_file.mesh_name
        if name is None or name == context.mesh.name or is_unknown(name):
            continue
        ours = f"mesh `{context.mesh.name}` that the files given describe" if context.mesh.without_manifest \
            else f"the manifest's mesh `{context.mesh.name}`"
        yield check.rule.finding(
            f"this file is of mesh `{name}`, not of {ours}: it is checked against a mesh it does not belong to",
            spec_file.mesh_name_loc)

"""M119: an App Mesh resource of the files given differs from the manifest's.

What: with both a manifest and files holding App Mesh resources (CloudFormation templates,
Terraform's ``aws_appmesh_*``, App Mesh spec files such as ``--cli-input-json`` documents),
the manifest is the mesh; a resource of the files that the manifest lacks, or whose spec
differs from the one the manifest stands for (listeners, backends, discovery, route
weights...), is reported at the element that differs (the listener's port, the backend),
or at the resource's spec when the manifest lacks it. The message names the first
difference. Values only the stack knows (intrinsics, Terraform expressions), resources
whose name only the stack knows, and spec files of another mesh (M118) are not compared.

Why: two descriptions of one mesh drift apart: the files deploy one thing while meshify
checks the task definitions against another.

Fails:
    manifest: route weights 90/10; template: Weight: 50 and Weight: 50

Passes:
    the files' resources are the ones the manifest stands for

Fix: bring the manifest up to date with the files (``meshify init`` writes one from them),
or change the files to match the reviewed manifest.
"""

import json

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.appmesh_api import api_specs, first_difference
from meshify.injector.model.unknowns import is_unknown
from meshify.rules.l401_missing_resource import label


def _shown(value) -> str:
    text = json.dumps(value, sort_keys=True) if value is not None else "nothing"
    return text if len(text) <= 60 else text[:57] + "..."


@rule("M119", "warning", "File's App Mesh resource differs from the manifest", scope="mesh")
def check(context: MeshContext):
    if context.file_mesh is None:
        return
    manifest = context.file_mesh.compared_with
    if manifest is None:
        manifest = api_specs(context.mesh)
    unknown, defined = context.file_mesh.unknown_names, context.file_mesh.defined
    for key, (spec, loc) in api_specs(context.file_mesh).items():
        if key[0] == "mesh" or unknown & set(key[1:]) or (defined is not None and key not in defined):
            continue  # the mesh itself, names only the stack knows, what a file names but does not define
        if key not in manifest:
            yield check.rule.finding(f"{label(key)} of the files is not in the manifest", loc)
            continue
        difference = first_difference(manifest[key][0], spec)
        if difference and not is_unknown(difference[2]):
            path, expected, actual = difference
            # at the element that differs (its nearest written ancestor when the file lacks it)
            where = loc.child(*path.split("/")[1:]) if path != "/" else loc
            yield check.rule.finding(
                f"{label(key)} differs from the manifest at {path}: the manifest says {_shown(expected)}, "
                f"the file has {_shown(actual)}", where)

"""M119: an App Mesh resource of a template differs from the manifest's.

What: with both a manifest and templates holding App Mesh resources, the manifest is the
mesh; a resource of a template that the manifest lacks, or whose spec differs from the one
the manifest stands for (listeners, backends, discovery, route weights...), is reported at
the template's resource. The message names the first difference. Values only the stack
knows (intrinsics) and resources whose name only the stack knows are not compared.

Why: two descriptions of one mesh drift apart: the template deploys one thing while
meshify checks the task definitions against another.

Fails:
    manifest: route weights 90/10; template: Weight: 50 and Weight: 50

Passes:
    the template's resources are the ones the manifest stands for

Fix: bring the manifest up to date with the template (``meshify init`` writes one from
it), or change the template to match the reviewed manifest.
"""

import json

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.appmesh_api import api_specs, first_difference
from meshify.injector.model.unknowns import is_unknown
from meshify.rules.l401_missing_resource import label


def _shown(value) -> str:
    text = json.dumps(value, sort_keys=True) if value is not None else "nothing"
    return text if len(text) <= 60 else text[:57] + "..."


@rule("M119", "warning", "Template resource differs from the manifest", scope="mesh")
def check(context: MeshContext):
    if context.file_mesh is None:
        return
    manifest = api_specs(context.mesh)
    unknown = context.file_mesh.unknown_names
    for key, (spec, loc) in api_specs(context.file_mesh).items():
        if key[0] == "mesh" or unknown & set(key[1:]):
            continue
        if key not in manifest:
            yield check.rule.finding(f"{label(key)} of the template is not in the manifest", loc)
            continue
        difference = first_difference(manifest[key][0], spec)
        if difference and not is_unknown(difference[2]):
            path, expected, actual = difference
            yield check.rule.finding(
                f"{label(key)} differs from the manifest at {path}: the manifest says {_shown(expected)}, "
                f"the template has {_shown(actual)}", loc)

"""L403: a live resource differs from the manifest (``lint --live``).

What: a resource that exists both in the manifest and in the account's mesh, whose
App Mesh spec differs (listeners, backends, discovery, matches, weights, retry
policies...). The message names the first difference.

Why: the mesh then routes traffic differently from what was reviewed: a canary weight
changed by hand in the console, a health check that is not the one in the repository.

Fails:
    manifest weights 90/10, the live route 50/50

Passes:
    the live spec is the one the manifest stands for

Fix: apply the manifest to the mesh, or bring the manifest up to date with the change.
"""

import json

from meshify.injector.engine import LiveContext, rule
from meshify.injector.model.appmesh_api import api_specs, first_difference
from meshify.rules.l401_missing_resource import label


def _shown(value) -> str:
    text = json.dumps(value, sort_keys=True) if value is not None else "nothing"
    return text if len(text) <= 60 else text[:57] + "..."


@rule("L403", "error", "Live resource differs from the manifest", scope="live")
def check(context: LiveContext):
    for key, (spec, loc) in api_specs(context.mesh).items():
        if key in context.live.specs:
            difference = first_difference(spec, context.live.specs[key])
            if difference:
                path, expected, actual = difference
                yield check.rule.finding(
                    f"{label(key)} differs from the account's mesh at {path}: the manifest says {_shown(expected)}, "
                    f"the mesh has {_shown(actual)}", loc)

"""M114: one App Mesh resource defined twice, with different specs.

What: two of the files linted define the same App Mesh resource (same mesh, kind, name,
and router or gateway) with specs that differ, as a walkthrough's ``create-route.json``
and ``update-route.json`` do. Both places are named; each file is still checked on its
own, whatever the order of the files on the command line.

Why: which definition App Mesh ends up with depends on which command ran last; a review
of one file says nothing about the other.

Fails:
    create-route.json: {"routeName": "default", "virtualRouterName": "r", "spec": {... weight 1 ...}}
    update-route.json: {"routeName": "default", "virtualRouterName": "r", "spec": {... weight 2 ...}}

Passes:
    one definition per resource (or the same spec in both files)

Fix: keep one definition, or lint the files separately when they are meant as steps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from meshify.injector.engine import MeshContext, rule

if TYPE_CHECKING:  # typing only: rules see the model and the engine
    from meshify.injector.inputs.appmesh_spec import SpecFile

_LABELS = {"virtualNode": "node", "virtualRouter": "router", "virtualService": "virtual service",
           "virtualGateway": "gateway", "mesh": "mesh"}


def _label(spec_file: SpecFile) -> str:
    if spec_file.kind == "route":
        return f"route `{spec_file.name}` of router `{spec_file.parent}`"
    if spec_file.kind == "gatewayRoute":
        return f"gateway route `{spec_file.name}` of gateway `{spec_file.parent}`"
    return f"{_LABELS[spec_file.kind]} `{spec_file.name}`"


@rule("M114", "error", "Resource defined twice with different specs", scope="mesh")
def check(context: MeshContext):
    first: dict[object, SpecFile] = {}
    for spec_file in context.spec_files:
        earlier = first.setdefault(spec_file.identity, spec_file)
        if earlier is spec_file or earlier.spec == spec_file.spec:
            continue
        line, column = earlier.document.position(earlier.base)
        yield check.rule.finding(
            f"{_label(spec_file)} is also defined in {earlier.document.path}:{line}:{column} with a different spec: "
            "keep one definition", spec_file.loc)

"""L402: the live mesh has a resource the manifest does not describe (``lint --live``).

What: a virtual node, router, route, service, gateway or gateway route exists in the
account's mesh but not in the manifest.

Why: what is not in the manifest is reviewed by nobody; a leftover route or node can
still receive traffic, and the next person reading the manifest is misled.

Fails:
    the account has a virtual node products-v0 the manifest does not name

Passes:
    every live resource is in the manifest

Fix: add it to the manifest, or delete it from the mesh.
"""

from meshify.injector.engine import LiveContext, rule
from meshify.injector.model.appmesh_api import api_specs
from meshify.injector.model.mesh import Loc
from meshify.rules.l401_missing_resource import label

SECTIONS = {"virtualNode": "/nodes", "virtualRouter": "/routers", "route": "/routers", "virtualService": "/services",
            "virtualGateway": "/gateways", "gatewayRoute": "/gateways"}


@rule("L402", "warning", "Live resource missing from the manifest", scope="live")
def check(context: LiveContext):
    expected = api_specs(context.mesh)
    document = context.mesh.loc.document
    for key in context.live.specs:
        if key not in expected:
            yield check.rule.finding(f"{label(key)} exists in the account's mesh but not in the manifest",
                                     Loc(document, SECTIONS.get(key[0], "/mesh")))

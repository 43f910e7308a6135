"""L401: a resource of the manifest is missing from the live mesh (``lint --live``).

What: the mesh, a virtual node, router, route, service, gateway or gateway route that
the manifest describes does not exist in the App Mesh mesh of the account and region.

Why: task definitions injected for a node that does not exist start an Envoy that
never gets its configuration (it stays unhealthy), and routes to it lose traffic.

Fails:
    nodes: {products-v3: {...}}     # the account has no virtual node products-v3

Passes:
    the account has every resource the manifest names

Fix: create the resource (from the App Mesh spec ``meshify`` shows), or remove it from
the manifest.
"""

from meshify.injector.engine import LiveContext, rule
from meshify.injector.model.appmesh_api import api_specs

LABELS = {"mesh": "mesh", "virtualNode": "virtual node", "virtualRouter": "virtual router", "route": "route",
          "virtualService": "virtual service", "virtualGateway": "virtual gateway", "gatewayRoute": "gateway route"}


def label(key: tuple[str, ...]) -> str:
    if len(key) == 3:
        parent = "router" if key[0] == "route" else "gateway"
        return f"{LABELS[key[0]]} `{key[2]}` of {parent} `{key[1]}`"
    return f"{LABELS[key[0]]} `{key[1]}`"


@rule("L401", "error", "Manifest resource missing from the live mesh", scope="live")
def check(context: LiveContext):
    live = context.live
    for key, (_, loc) in api_specs(context.mesh).items():
        if key[0] == "mesh":
            missing = not live.exists
        else:  # without the mesh, its resources are not reported one by one
            missing = live.exists and key[0] not in live.unsupported and key not in live.specs
        if missing:
            yield check.rule.finding(f"{label(key)} is in the manifest but not in the account's mesh", loc)

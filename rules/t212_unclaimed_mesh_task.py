"""T212: a task definition wired for App Mesh that no node or gateway claims.

What: a task definition with an APPMESH ``proxyConfiguration`` or an App Mesh Envoy
container whose ``family`` no node or gateway of the manifest claims.

Why: it is in the mesh but outside the manifest: nobody checks it, ``meshify inject``
leaves it alone, and a renamed family silently drops out of the mesh's review.

Fails:
    family: billing-api   (no node has family billing-api), proxyConfiguration: {type: APPMESH}

Passes:
    nodes: {billing-v1: {family: billing-api, ...}}

Fix: claim the family with a node (``family:``) or a gateway, or remove the wiring.
"""

from meshify.injector.engine import UnclaimedContext, rule
from meshify.injector.model.task_definition import find_envoy


@rule("T212", "warning", "Mesh-wired task definition nobody claims", scope="unclaimed")
def check(context: UnclaimedContext):
    proxy = context.taskdef.get("proxyConfiguration")
    wired = isinstance(proxy, dict) and proxy.get("type") == "APPMESH"
    envoy = find_envoy(context.taskdef, context.mesh.envoy.container_name)
    if wired or envoy is not None:
        family = context.taskdef.get("family")
        named = f"task definition family {family!r}" if isinstance(family, str) else "task definition"
        yield check.rule.finding(
            f"{named} is wired for App Mesh but no node or gateway of {context.mesh.described_in} "
            "claims it", context.locate("/family" if family else ""))

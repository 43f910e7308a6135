"""M110: the mesh lets every node call anything (``egressFilter: ALLOW_ALL``).

What: ``mesh.egressFilter`` is ``ALLOW_ALL``, in the manifest or in a mesh spec file
(``{"meshName": ..., "spec": {"egressFilter": {"type": "ALLOW_ALL"}}}``) of the mesh.

Why: with ``DROP_ALL`` (the default) a node reaches only its declared backends, which is
what makes ``backends`` a reviewable list of dependencies. ``ALLOW_ALL`` hides missing
backends and lets a compromised task reach anything.

Fails:
    mesh: {name: shop, egressFilter: ALLOW_ALL, ...}

Passes:
    mesh: {name: shop, egressFilter: DROP_ALL, ...}

Fix: declare each node's backends and set ``DROP_ALL``.
"""

from meshify.injector.engine import MeshContext, rule


@rule("M110", "warning", "Egress filter ALLOW_ALL", scope="mesh")
def check(context: MeshContext):
    if context.mesh.egress_filter == "ALLOW_ALL":
        yield check.rule.finding(
            f"mesh `{context.mesh.name}` allows egress to any address: declare backends and use DROP_ALL",
            context.mesh.egress_filter_loc or context.mesh.loc.child("egressFilter"))

"""R610: ``DROP_ALL`` and the backends allow-list are not enforced by Service Connect.

What: a node with ``backends`` in a mesh whose egress filter is ``DROP_ALL``.

Why: with ``DROP_ALL`` a node reaches only its declared backends. Service Connect blocks
nothing: traffic to names outside the namespace bypasses the proxy, and any client in the
namespace can call any alias (``aws/containers-roadmap#1964``). Security groups are the
way to keep the allow-list: ingress on each service's port only from the security groups
of its callers (as ComposeX opens them).

Fails (a warning):
    mesh: {egressFilter: DROP_ALL}
    nodes: {products-v1: {backends: [prices.shop.local]}}

Passes: ``egressFilter: ALLOW_ALL`` (nothing to lose), or a node without backends.

Fix: give each ECS service its own security group, and allow ingress on the served
port from the security groups of the callers the report lists.
"""

from meshify.injector.engine import MigrationContext, rule


@rule("R610", "warning", "Egress allow-list is not enforced", scope="migration")
def check(context: MigrationContext):
    if context.mesh.egress_filter != "DROP_ALL":
        return
    for node in context.mesh.nodes.values():
        if not node.backends:
            continue
        caller = context.plan.service_of(node.name)
        rules = []
        for backend in dict.fromkeys(b.name for b in node.backends):
            server = context.plan.alias_owner(backend)
            if server is not None:
                rules.append(f"`{server[0].name}` port {server[1].listener.port}")
            else:
                rules.append(f"`{backend}`")
        yield check.rule.finding(
            f"node `{node.name}` may call only {', '.join(dict.fromkeys(b.name for b in node.backends))} (DROP_ALL); "
            "Service Connect does not enforce it: allow ingress from the security group of "
            f"`{caller.name if caller else node.name}` to " + ", ".join(rules), node.loc.child("backends"))

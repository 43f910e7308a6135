"""R602: a route splits traffic between different services (an A/B split).

What: a route's weighted targets are nodes that are not versions of one service (they
register under different Cloud Map services or DNS names, or the files do not describe them,
so that meshify cannot tell).

Why: a Service Connect client alias reaches exactly one ECS service, and there is no
weighted split between services: this traffic split is lost. VPC Lattice does it (a
listener rule forwarding to up to 10 weighted target groups, weights 0-999), as does an
Application Load Balancer (a forward action with weighted target groups).

Fails (an error: the split is lost):
    routes: [{name: ab, targets: [{node: checkout-a, weight: 50}, {node: checkout-b, weight: 50}]}]

Passes: targets that register under one Cloud Map service (versions: R601).

Fix: keep the split in VPC Lattice (``vpcLatticeConfigurations`` on both ECS services and a
listener rule with the same weights) or behind an ALB; or give the targets one Cloud Map
service if they really are versions of one service.
"""

from meshify.injector.engine import MigrationContext, rule
from meshify.injector.model.mesh import route_label


@rule("R602", "error", "A/B split between services is lost", scope="migration")
def check(context: MigrationContext):
    from meshify.injector.model.migration import discovery_key  # only migrate needs it: not at lint's start-up

    for router, route in context.plan.ab_routes:
        weights = ", ".join(f"{t.node} {t.weight}" for t in route.targets)
        alias = next((s for s in context.mesh.services.values() if s.router == router.name), None)
        lands = ""
        if alias is not None:
            owner = context.plan.alias_owner(alias.name)
            lands = f"; `{alias.name}` will reach only `{owner[0].name}`" if owner else ""
        unknown = [t.node for t in route.targets if t.node not in context.mesh.nodes]
        if unknown:
            lands += (f" (the files do not describe {', '.join(f'`{n}`' for n in dict.fromkeys(unknown))}: give their "
                      "node specs or manifest entries if they are versions of one service)")
        uncompared = [name for name in dict.fromkeys(t.node for t in route.targets)
                      if name in context.mesh.nodes and discovery_key(context.mesh.nodes[name]) is None]
        if uncompared:  # a name only the stack knows, or no discovery: meshify cannot tell they are versions
            lands += (f" ({', '.join(f'`{n}`' for n in uncompared)} give{'s' if len(uncompared) == 1 else ''} no "
                      "service discovery meshify can compare: if they are versions of one service, give them the same "
                      "`discovery` in the manifest, or give migrate the template that declares them)")
        yield check.rule.finding(
            f"{route_label(router, route)} splits traffic between different services ({weights}): Service Connect "
            f"has no weighted split between services, so it is lost{lands}; keep it with a VPC Lattice listener rule "
            "forwarding to weighted target groups (or an ALB forward action with the same weights)",
            route.targets[0].loc)

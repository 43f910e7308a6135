"""R601: a route splits traffic between versions of one service (a canary).

What: a route's weighted targets are nodes that register under the same Cloud Map service
(or DNS hostname): versions of one service, such as ``products-v1`` at 90 and
``products-v2`` at 10.

Why: Service Connect has no router. One alias reaches one ECS service, so the versions
become one ECS service, and the weights become how that service deploys a new version:
the ECS deployment strategy ``CANARY`` (``canaryPercent``) or ``LINEAR`` (``stepPercent``),
with the percentages taken from the weights. The split is no longer permanent: it lasts
for the deployment's bake time.

Fails (a warning: the canary becomes a deployment strategy):
    routes: [{name: default, targets: [{node: products-v1, weight: 90}, {node: products-v2, weight: 10}]}]
    # products-v1 and products-v2 both have discovery: {cloudMap: {service: products}}

Passes: a route with one target.

Where each version has its own ECS service (a template's ``AWS::ECS::Service`` per
version), the stable version's serves the alias; the others join the namespace as clients
only and the finding says to roll their task definitions out as revisions, then delete them.

Fix: run one ECS service with the stable version's task definition; deploy the new version
with ``deploymentConfiguration: {strategy: CANARY, canaryConfiguration: {canaryPercent: 10}}``
(``meshify migrate`` writes it into the service's configuration).
"""

from meshify.injector.engine import MigrationContext, rule
from meshify.injector.model.mesh import route_label


@rule("R601", "warning", "Canary weights become a deployment strategy", scope="migration")
def check(context: MigrationContext):
    for service in context.plan.services:
        for canary in service.canaries:
            shares = ", ".join(f"{node} {share:g}%" for node, share in canary.shares)
            versions = "".join(
                f"; `{ecs.name}`, which runs `{node}`, serves no client alias of its own (an alias is unique in a "
                f"namespace): roll its task definition out as a new revision of `{service.name}`, then delete it"
                for node, ecs in service.versions if any(node == name for name, _ in canary.shares))
            yield check.rule.finding(
                f"{route_label(canary.router, canary.route)} splits traffic between versions of one service ({shares}): "
                f"Service Connect has no router; they become one ECS service `{service.name}` deployed with "
                f"{canary.describe()}{versions}", canary.route.targets[0].loc)

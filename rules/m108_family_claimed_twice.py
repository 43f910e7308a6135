"""M108: one task definition family is claimed by two nodes or gateways.

What: the same ``family`` under two nodes, two gateways, or a node and a gateway.

Why: a task knows one ``APPMESH_RESOURCE_ARN``; with two claims it is undefined which
resource a task definition of that family belongs to, and ``meshify inject`` refuses it.

Fails:
    nodes: {products-v1: {family: products-api}, products-v2: {family: products-api}}

Passes:
    nodes: {products-v1: {family: products-api}, products-v2: {family: products-api-canary}}

Fix: give each version its own family (a canary is a separate task definition family).
"""

from meshify.injector.engine import MeshContext, rule


@rule("M108", "error", "Family claimed twice", scope="mesh")
def check(context: MeshContext):
    first_claim: dict[str, str] = {}
    for resource in context.mesh.claimants():
        for family in resource.families:
            label = f"{'gateway' if resource.kind == 'virtualGateway' else 'node'} `{resource.name}`"
            if family.name in first_claim:
                yield check.rule.finding(
                    f"family `{family.name}` of {label} is already claimed by {first_claim[family.name]}", family.loc)
            else:
                first_claim[family.name] = label

"""I301: the task role may not stream Envoy's configuration for this node or gateway.

What: the IAM policy document given with ``--policy`` does not allow
``appmesh:StreamAggregatedResources`` on the ARN of the node or gateway that claims the
task definition.

Why: Envoy fetches its configuration from App Mesh with the task role's credentials.
Without the permission Envoy logs ``gRPC config stream closed: 7`` and never becomes
healthy, so the whole task never starts serving.

Fails:
    {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}

Passes:
    {"Statement": [{"Effect": "Allow", "Action": "appmesh:StreamAggregatedResources",
      "Resource": "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1"}]}

Fix: ``meshify inject --policy FILE`` adds the statement, scoped to exactly that ARN.
"""

from meshify.injector.engine import PolicyContext, rule
from meshify.injector.model import iam, wiring


@rule("I301", "error", "Task role cannot stream the Envoy configuration", scope="policy", fixable=True)
def check(context: PolicyContext):
    if iam.trust_principal(context.policy) is not None:
        return  # I304: nothing to check or add in a trust policy
    arn = context.claimant.arn
    if not iam.allows(context.policy, wiring.STREAM_ACTION, arn):
        yield check.rule.finding(
            f"the policy does not allow {wiring.STREAM_ACTION} on {arn}: Envoy cannot get its configuration",
            context.locate("/Statement"),
            fix=iam.add_statements_patch(context.policy, wiring.policy_statements(context.mesh, context.claimant)[:1]))

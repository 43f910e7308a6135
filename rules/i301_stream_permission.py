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

Where the files do not tell the node's region and account (a template without a manifest: the
stack's), the node's ARN in any region and account the policy names is enough, and there is no
ARN for meshify to write.

Fix: ``meshify inject --policy FILE`` adds the statement, scoped to exactly that ARN; without a
region and account, grant it in the template (``Resource: !Ref`` the node's logical id).
"""

from meshify.injector.engine import PolicyContext, rule
from meshify.injector.model import iam, wiring


@rule("I301", "error", "Task role cannot stream the Envoy configuration", scope="policy", fixable=True)
def check(context: PolicyContext):
    if iam.trust_principal(context.policy) is not None:
        return  # I304: nothing to check or add in a trust policy
    mesh, claimant = context.mesh, context.claimant
    if wiring.may_stream(context.policy, mesh, claimant):
        return
    if wiring.arn_unknown(mesh, claimant):  # no ARN to write: the stack's region and account are not in the files
        kind = "gateway" if claimant.kind == "virtualGateway" else "node"
        yield check.rule.finding(
            f"the policy does not allow {wiring.STREAM_ACTION} on the ARN of {kind} `{claimant.name}` (in the "
            "region and account of the stack, which the files do not tell): Envoy cannot get its configuration",
            context.locate("/Statement"))
        return
    yield check.rule.finding(
        f"the policy does not allow {wiring.STREAM_ACTION} on {claimant.arn}: Envoy cannot get its configuration",
        context.locate("/Statement"),
        fix=iam.add_statements_patch(context.policy, wiring.policy_statements(mesh, claimant)[:1]))

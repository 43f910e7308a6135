"""I303: X-Ray tracing is on but the task role may not send traces.

What: the manifest sets ``envoy.xray: true`` and the policy given with ``--policy`` does
not allow all of ``xray:PutTraceSegments``, ``xray:PutTelemetryRecords``,
``xray:GetSamplingRules``, ``xray:GetSamplingTargets`` and
``xray:GetSamplingStatisticSummaries``.

Why: Envoy's X-Ray tracer and the daemon use the task role; without these actions traces
are silently dropped.

Fails (``envoy: {xray: true}``):
    {"Statement": [{"Effect": "Allow", "Action": "appmesh:StreamAggregatedResources", "Resource": "..."}]}

Passes:
    ... plus {"Effect": "Allow", "Action": ["xray:PutTraceSegments", ...], "Resource": "*"}

Fix: ``meshify inject --policy FILE`` adds the X-Ray statement.
"""

from meshify.injector.engine import PolicyContext, rule
from meshify.injector.model import iam, wiring


@rule("I303", "error", "X-Ray enabled without X-Ray permissions", scope="policy", fixable=True)
def check(context: PolicyContext):
    if iam.trust_principal(context.policy) is not None:
        return  # I304: nothing to check or add in a trust policy
    if not context.mesh.envoy.xray:
        return
    missing = [action for action in wiring.XRAY_ACTIONS if not iam.allows(context.policy, action, "*")]
    if missing:
        yield check.rule.finding(
            f"envoy.xray is on but the policy does not allow {', '.join(missing)}",
            context.locate("/Statement"),
            fix=iam.add_statements_patch(context.policy, wiring.policy_statements(context.mesh, context.claimant)[1:]))

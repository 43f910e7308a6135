"""I302: the stream permission is granted on ``*`` or on a whole mesh.

What: a statement allows ``appmesh:StreamAggregatedResources`` on ``*`` (as the managed
``AWSAppMeshEnvoyAccess`` policy does) or on a mesh ARN or a wildcard over a mesh.

Why: with ``*`` any task with this role can pose as any node of any mesh and receive its
configuration, certificates' paths and routes. A mesh ARN is not even the action's
resource type.

Fails:
    {"Effect": "Allow", "Action": "appmesh:StreamAggregatedResources", "Resource": "*"}

Passes:
    {"Effect": "Allow", "Action": "appmesh:StreamAggregatedResources",
     "Resource": "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1"}

Fix: scope the resource to the node's or gateway's ARN (what ``meshify inject --policy`` adds).
"""

from meshify.injector.engine import PolicyContext, rule
from meshify.injector.model import iam, wiring


def _too_broad(resource: str) -> bool:
    if resource == "*" or resource.endswith(":*"):
        return True
    _, _, path = resource.partition(":mesh/")
    return bool(path) and ("/" not in path or path.endswith("/*") or "*" in path.split("/")[0])


@rule("I302", "warning", "Stream permission on * or a whole mesh", scope="policy")
def check(context: PolicyContext):
    if iam.trust_principal(context.policy) is not None:
        return  # I304: nothing to check or add in a trust policy
    for index, statement in iam.statements(context.policy):
        if statement.get("Effect") != "Allow":
            continue
        resources = statement.get("Resource")
        resources = [resources] if isinstance(resources, str) else [r for r in resources or [] if isinstance(r, str)]
        broad = [r for r in resources if _too_broad(r) and iam.matches({**statement, "Resource": r},
                                                                       wiring.STREAM_ACTION, r)]
        if broad:
            pointer = "/Statement" if index is None else f"/Statement/{index}"
            yield check.rule.finding(
                f"{wiring.STREAM_ACTION} is allowed on {broad[0]!r}: scope it to {context.claimant.arn}",
                context.locate(f"{pointer}/Resource"))

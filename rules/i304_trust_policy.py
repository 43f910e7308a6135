"""I304: the ``--policy`` document is a trust policy, not a permissions policy.

What: a statement of the document given with ``--policy`` names a ``Principal`` (or
``NotPrincipal``): it is a role's trust (assume-role) policy, which says who may assume
the role, not what the role may do.

Why: the App Mesh and X-Ray permissions belong in the task role's permissions policy.
Statements appended to a trust policy grant nothing, and IAM rejects the document
(``Has prohibited field Resource``): the deploy fails, or Envoy never gets its
configuration.

Fails:
    {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                    "Action": "sts:AssumeRole"}]}

Passes:
    {"Statement": [{"Effect": "Allow", "Action": "appmesh:StreamAggregatedResources",
      "Resource": "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1"}]}

Fix: give ``--policy`` the task role's permissions policy (an inline policy document, or
a new file that meshify creates); ``meshify inject`` adds nothing to a trust policy and
leaves it byte for byte.
"""

from meshify.injector.engine import PolicyContext, rule
from meshify.injector.model import iam


@rule("I304", "error", "The --policy document is a trust policy", scope="policy")
def check(context: PolicyContext):
    pointer = iam.trust_principal(context.policy)
    if pointer is not None:
        loc = context.locate(pointer)
        name = loc.document.path if loc.document is not None else "the document"
        yield check.rule.finding(
            f"{name} is a trust (assume-role) policy, not a permissions policy: give the task role's permissions "
            "policy to --policy", loc)

"""iam.allows on a big policy (indexed by resource) answers as on a small one (every
statement matched in turn), also while the policy grows as inject --policy grows it."""

from __future__ import annotations

from fnmatch import fnmatchcase

from meshify.injector.model import iam

ACTION = "appmesh:StreamAggregatedResources"


def _naive(policy, action, resource):
    found = [s for s in policy["Statement"] if isinstance(s, dict)
             and any(fnmatchcase(action.lower(), a.lower()) for a in iam._as_list(s.get("Action")))
             and any(fnmatchcase(resource, r) for r in iam._as_list(s.get("Resource")))]
    return any(s.get("Effect") == "Allow" for s in found) and not any(s.get("Effect") == "Deny" for s in found)


def _arn(index: int) -> str:
    return f"arn:aws:appmesh:eu-west-1:111122223333:mesh/big/virtualNode/node-{index}"


def test_big_policies_answer_as_the_plain_evaluation_while_they_grow():
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ACTION, "Resource": _arn(index)} for index in range(40)]}
    policy["Statement"] += [
        {"Effect": "Deny", "Action": "appmesh:*", "Resource": _arn(7)},
        {"Effect": "Allow", "Action": ["appmesh:Stream*"], "Resource": "arn:aws:appmesh:*:*:mesh/big/virtualNode/node-5?"},
        {"Effect": "Allow", "Action": "xray:PutTraceSegments", "Resource": ["*", _arn(90)]},
        "not a statement",
    ]
    questions = [(action, _arn(index)) for index in range(100) for action in (ACTION, "xray:PutTraceSegments")]
    assert [iam.allows(policy, *q) for q in questions] == [_naive(policy, *q) for q in questions]
    for index in range(40, 60):  # as inject adds a statement per node
        policy["Statement"].append({"Effect": "Allow", "Action": ACTION, "Resource": _arn(index)})
        assert iam.allows(policy, ACTION, _arn(index)) and _naive(policy, ACTION, _arn(index))
    assert [iam.allows(policy, *q) for q in questions] == [_naive(policy, *q) for q in questions]
    assert iam.allows(policy, ACTION, _arn(55)) and not iam.allows(policy, ACTION, _arn(7))


def test_a_big_policy_is_a_trust_policy_as_soon_as_a_statement_names_a_principal():
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ACTION, "Resource": _arn(index)} for index in range(40)]}
    assert iam.trust_principal(policy) is None
    policy["Statement"].append("not a statement")
    policy["Statement"].append({"Effect": "Allow", "Action": "sts:AssumeRole",
                                "NotPrincipal": {"Service": "ecs-tasks.amazonaws.com"}})
    assert iam.trust_principal(policy) == "/Statement/41/NotPrincipal"  # as the plain walk counts
    policy["Statement"].append({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": "*"})
    assert iam.trust_principal(policy) == "/Statement/41/NotPrincipal"  # the first one
    small = {"Statement": policy["Statement"][-3:]}
    assert iam.trust_principal(small) == "/Statement/1/NotPrincipal"
    assert iam.trust_principal({"Statement": {"Principal": "*"}}) == "/Statement/Principal"

"""Just enough IAM policy evaluation to tell whether a statement allows an action on a
resource: Allow/Deny, Action/Resource with ``*`` and ``?`` wildcards (conditions are
assumed to hold, NotAction/NotResource statements are not counted as granting)."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [item for item in value or [] if isinstance(item, str)]


def statements(policy: dict[str, Any]) -> list[tuple[int | None, dict[str, Any]]]:
    """(index or None for a lone statement object, statement)."""
    found = policy.get("Statement")
    if isinstance(found, dict):
        return [(None, found)]
    return [(index, item) for index, item in enumerate(found or []) if isinstance(item, dict)]


def matches(statement: dict[str, Any], action: str, resource: str) -> bool:
    actions = _as_list(statement.get("Action"))
    resources = _as_list(statement.get("Resource"))
    return any(fnmatchcase(action.lower(), pattern.lower()) for pattern in actions) \
        and any(fnmatchcase(resource, pattern) for pattern in resources)


def allows(policy: dict[str, Any], action: str, resource: str) -> bool:
    found = [statement for _, statement in statements(policy) if matches(statement, action, resource)]
    return any(s.get("Effect") == "Allow" for s in found) and not any(s.get("Effect") == "Deny" for s in found)


def add_statements_patch(policy: dict[str, Any], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Operations appending ``new`` statements, whatever shape ``Statement`` has now."""
    patch: list[dict[str, Any]] = []
    if "Version" not in policy:
        patch.append({"op": "add", "path": "/Version", "value": "2012-10-17"})
    current = policy.get("Statement")
    if isinstance(current, list):
        patch += [{"op": "add", "path": "/Statement/-", "value": statement} for statement in new]
    elif isinstance(current, dict):
        patch.append({"op": "replace", "path": "/Statement", "value": [current, *new]})
    else:
        patch.append({"op": "add", "path": "/Statement", "value": list(new)})
    return patch


def trust_principal(policy: dict[str, Any]) -> str | None:
    """The pointer of the first ``Principal`` (or ``NotPrincipal``) of the policy, when it
    has one: then it is a trust (assume-role) policy, which a permissions policy never is
    (IAM rejects a principal in an identity-based policy)."""
    for index, statement in statements(policy):
        for key in ("Principal", "NotPrincipal"):
            if key in statement:
                return f"/Statement/{index}/{key}" if index is not None else f"/Statement/{key}"
    return None

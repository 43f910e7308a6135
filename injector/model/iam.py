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
    return any(_match(action.lower(), pattern.lower()) for pattern in actions) \
        and any(_match(resource, pattern) for pattern in resources)


def _match(name: str, pattern: str) -> bool:
    # A pattern without wildcards is the name itself: no regular expression to compile
    # (inject --policy writes one such ARN per node).
    if not any(character in pattern for character in _WILDCARDS):
        return name == pattern
    return fnmatchcase(name, pattern)


def resources(policy: dict[str, Any]) -> list[str]:
    """Every ``Resource`` the policy's statements name."""
    found: list[str] = []
    for _, statement in statements(policy):
        found += [item for item in _as_list(statement.get("Resource")) if isinstance(item, str)]
    return found


def allows(policy: dict[str, Any], action: str, resource: str) -> bool:
    listed = policy.get("Statement")
    candidates = (_index_of(listed).candidates(resource) if isinstance(listed, list) and len(listed) > _INDEXED_FROM
                  else [statement for _, statement in statements(policy)])
    found = [statement for statement in candidates if matches(statement, action, resource)]
    return any(s.get("Effect") == "Allow" for s in found) and not any(s.get("Effect") == "Deny" for s in found)


# A policy that inject grows by a statement per node is asked about each node in turn:
# without an index by resource, 2,000 nodes cost 4 million pattern matches.
_INDEXED_FROM = 32
_WILDCARDS = ("*", "?", "[")


class _StatementIndex:
    """The statements of one ``Statement`` list by exact resource, plus those with a
    pattern. Statements are only ever appended to the list while it is indexed (fixes
    add statements with ``/Statement/-``; replacing ``Statement`` makes a new list)."""

    def __init__(self, listed: list[Any]) -> None:
        self.listed = listed  # held, so that its id is not reused while indexed
        self.count = 0
        self.last: Any = None
        self.exact: dict[str, list[dict[str, Any]]] = {}
        self.patterns: list[dict[str, Any]] = []
        self.principal: str | None = None  # trust_principal's answer for the statements seen

    def current(self) -> bool:
        return len(self.listed) >= self.count and (self.count == 0 or self.listed[self.count - 1] is self.last)

    def catch_up(self) -> _StatementIndex:
        """Index the statements appended since the last question."""
        for position, statement in enumerate(self.listed[self.count :], start=self.count):
            if isinstance(statement, dict):
                resources = _as_list(statement.get("Resource"))
                if any(character in pattern for pattern in resources for character in _WILDCARDS):
                    self.patterns.append(statement)
                else:
                    for name in dict.fromkeys(resources):
                        self.exact.setdefault(name, []).append(statement)
                if self.principal is None:
                    self.principal = _principal_of(statement, position)
        self.count = len(self.listed)
        self.last = self.listed[-1] if self.listed else None
        return self

    def candidates(self, resource: str) -> list[dict[str, Any]]:
        self.catch_up()
        return self.exact.get(resource, []) + self.patterns


_indexes: dict[int, _StatementIndex] = {}


def _index_of(listed: list[Any]) -> _StatementIndex:
    index = _indexes.get(id(listed))
    if index is None or index.listed is not listed or not index.current():
        if len(_indexes) > 8:  # a run asks about one or two policies
            _indexes.clear()
        index = _indexes[id(listed)] = _StatementIndex(listed)
    return index


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
    listed = policy.get("Statement")
    if isinstance(listed, list) and len(listed) > _INDEXED_FROM:  # asked for every node of a growing policy
        return _index_of(listed).catch_up().principal
    for index, statement in statements(policy):
        if (found := _principal_of(statement, index)) is not None:
            return found
    return None


def _principal_of(statement: dict[str, Any], index: int | None) -> str | None:
    for key in ("Principal", "NotPrincipal"):
        if key in statement:
            return f"/Statement/{index}/{key}" if index is not None else f"/Statement/{key}"
    return None

"""The rule registry. A rule is a function registered with :func:`rule` in a module of its
own under ``meshify.rules``; the module's docstring is the rule's documentation.

A lint rule yields :class:`Finding` s. An injection rule is the same thing whose findings
carry ``fix``: the RFC 6902 operations that make the finding go away (``runner.fix``).

Registering a rule wrong fails at import, not silently: an id that is not a family letter
and three digits, an id used twice, an unknown scope or severity, a rule without a doc.
``tests/engine/test_registry.py`` also checks that every module under ``rules/`` is
imported by ``rules/__init__.py`` and that each module's name starts with its rule's id.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar, get_args

from meshify.injector.model.mesh import Loc

Severity = Literal["info", "warning", "error"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
# What a rule is handed (engine/contexts.py has one context class per scope).
Scope = Literal["mesh", "taskdef", "unclaimed", "policy", "live", "suppressions", "service", "migration"]
SCOPES: tuple[Scope, ...] = get_args(Scope)
_RULE_ID = re.compile(r"^[A-Z][0-9]{3}$")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)  # type: ignore[arg-type,unused-ignore]


@dataclass(slots=True)
class Finding:
    """What a rule found, where, and its fix as RFC 6902 operations (if it has one)."""

    rule: str
    severity: str
    message: str
    loc: Loc
    fix: list[dict[str, Any]] | None = None
    relies_on_default: bool = False  # about a Terraform variable's default: inject leaves it be


@dataclass(slots=True)
class Rule:
    """A registered rule: its id, severity, title, scope and check."""

    id: str
    severity: Severity
    title: str
    scope: Scope
    check: Callable[[Any], Iterable[Finding]]
    fixable: bool = False

    @property
    def doc(self) -> str:
        return (sys.modules[self.check.__module__].__doc__ or "").strip()

    def finding(self, message: str, loc: Loc, fix: list[dict[str, Any]] | None = None,
                severity: str | None = None) -> Finding:
        return Finding(self.id, severity or self.severity, message, loc, fix)


class RuleRegistrationError(Exception):
    """A rule registered wrong: a bug in meshify, reported at import."""


REGISTRY: dict[str, Rule] = {}
Check = TypeVar("Check", bound=Callable[..., Iterable[Finding]])


def rule(rule_id: str, severity: Severity, title: str, scope: Scope, fixable: bool = False) -> Callable[[Check], Check]:
    """Register the decorated ``check(context)`` as rule ``rule_id``."""
    def register(check: Check) -> Check:
        where = f"{check.__module__}.{check.__name__}"
        if not _RULE_ID.match(rule_id):
            raise RuleRegistrationError(f"{where}: rule id {rule_id!r} is not a letter and three digits")
        if rule_id in REGISTRY and REGISTRY[rule_id].check.__module__ != check.__module__:
            raise RuleRegistrationError(f"{where}: rule id {rule_id} is already {REGISTRY[rule_id].check.__module__}")
        if severity not in SEVERITIES:
            raise RuleRegistrationError(f"{where}: severity {severity!r} is not one of {', '.join(SEVERITIES)}")
        if scope not in SCOPES:
            raise RuleRegistrationError(f"{where}: scope {scope!r} is not one of {', '.join(SCOPES)}")
        if not (sys.modules[check.__module__].__doc__ or "").strip():
            raise RuleRegistrationError(f"{where}: the rule's module has no docstring (its documentation)")
        REGISTRY[rule_id] = Rule(rule_id, severity, title, scope, check, fixable)
        check.rule = REGISTRY[rule_id]  # type: ignore[attr-defined]  # lets the check build findings
        return check
    return register


def all_rules() -> dict[str, Rule]:
    import meshify.rules  # noqa: F401  (registers every rule)

    return dict(sorted(REGISTRY.items()))

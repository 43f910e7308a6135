"""The rule engine. A rule is a function registered with :func:`rule` in a module of its
own under ``meshify.rules``; the module's docstring is the rule's documentation.

A lint rule yields :class:`Finding` s. An injection rule is the same thing whose findings
carry ``fix``: the RFC 6902 operations that make the finding go away. ``meshify inject``
runs the fixable rules in catalogue order, each on the task definition as the earlier
fixes left it, and concatenates their fixes into one patch.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .model import Gateway, Loc, Mesh, Node

if TYPE_CHECKING:  # typing only: live.py belongs to the commands that talk to AWS
    from .appmesh import SpecFile
    from .live import LiveMesh, LivePlaceholders

SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(slots=True)
class Finding:
    rule: str
    severity: str
    message: str
    loc: Loc
    fix: list[dict[str, Any]] | None = None


@dataclass(slots=True)
class Rule:
    id: str
    severity: str
    title: str
    scope: str  # "mesh", "taskdef" or "policy"
    check: Callable[[Any], Iterable[Finding]]
    fixable: bool = False

    @property
    def doc(self) -> str:
        return (sys.modules[self.check.__module__].__doc__ or "").strip()

    def finding(self, message: str, loc: Loc, fix: list[dict[str, Any]] | None = None,
                severity: str | None = None) -> Finding:
        return Finding(self.id, severity or self.severity, message, loc, fix)


REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str, severity: str, title: str, scope: str, fixable: bool = False) -> Callable:
    """Register the decorated ``check(context)`` as rule ``rule_id``."""
    def register(check: Callable[[Any], Iterable[Finding]]) -> Callable[[Any], Iterable[Finding]]:
        REGISTRY[rule_id] = Rule(rule_id, severity, title, scope, check, fixable)
        check.rule = REGISTRY[rule_id]  # type: ignore[attr-defined]  # lets the check build findings
        return check
    return register


def all_rules() -> dict[str, Rule]:
    import meshify.rules  # noqa: F401  (registers every rule)

    return dict(sorted(REGISTRY.items()))


@dataclass(slots=True)
class TaskContext:
    """One task definition claimed by a node or gateway of the mesh."""

    mesh: Mesh
    claimant: Node | Gateway
    taskdef: dict[str, Any]
    locate: Callable[[str], Loc]

    @property
    def is_gateway(self) -> bool:
        return isinstance(self.claimant, Gateway)

    @property
    def resource_label(self) -> str:
        kind = "gateway" if self.is_gateway else "node"
        return f"{kind} `{self.claimant.name}`"

    @property
    def containers(self) -> list[dict[str, Any]]:
        return self.taskdef.get("containerDefinitions") or []

    def envoy_index(self) -> int | None:
        from .taskdef import find_envoy

        return find_envoy(self.taskdef, self.mesh.envoy.container_name, self.is_gateway)


@dataclass(slots=True)
class PolicyContext:
    """An IAM policy document meant for the task role of a claimed task definition."""

    mesh: Mesh
    claimant: Node | Gateway
    policy: dict[str, Any]
    locate: Callable[[str], Loc]


@dataclass(slots=True)
class UnclaimedContext:
    """A task definition that no node or gateway of the mesh claims."""

    mesh: Mesh
    taskdef: dict[str, Any]
    locate: Callable[[str], Loc]


@dataclass(slots=True)
class LiveContext:
    """The manifest's mesh next to what the AWS account holds (``lint --live``)."""

    mesh: Mesh
    live: LiveMesh
    placeholders: LivePlaceholders


@dataclass(slots=True)
class MeshContext:
    """The mesh: the manifest's model, with the App Mesh spec files given merged in."""

    mesh: Mesh
    spec_files: list[SpecFile] = field(default_factory=list)


def run(rules: Iterable[Rule], context: Any) -> Iterator[Finding]:
    for current in rules:
        yield from current.check(context)


# Fixes that do not converge are a bug; stop rather than loop.
_MAX_FIX_ROUNDS = 64


def fix(rules: Iterable[Rule], context: TaskContext | PolicyContext, attribute: str) -> list[dict[str, Any]]:
    """Apply the fixable rules' fixes to ``context.<attribute>``, one fix at a time and in
    catalogue order, in passes until a whole pass proposes nothing (a fix may enable
    another rule's); the patch."""
    import jsonpatch

    fixable = [current for current in rules if current.fixable]
    patch: list[dict[str, Any]] = []
    for _ in range(_MAX_FIX_ROUNDS):
        applied = False
        for current in fixable:
            for _ in range(_MAX_FIX_ROUNDS):
                pending = next((found.fix for found in current.check(context) if found.fix), None)
                if pending is None:
                    break
                setattr(context, attribute, jsonpatch.apply_patch(getattr(context, attribute), pending))
                patch.extend(pending)
                applied = True
        if not applied:
            return patch
    raise RuntimeError("the injection rules keep proposing fixes")

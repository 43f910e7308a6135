"""Running rules: findings of a context, and fixes applied to a fixpoint."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from meshify.injector.engine.contexts import PolicyContext, TaskContext
from meshify.injector.engine.registry import Finding, Rule


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

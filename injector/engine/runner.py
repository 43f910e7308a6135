"""Running rules: findings of a context, and fixes applied to a fixpoint."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from meshify.injector.documents.unknown import DefaultFloat, DefaultInt, DefaultStr, ResolvedStr, unknown_at, value_at
from meshify.injector.engine.contexts import PolicyContext, TaskContext
from meshify.injector.engine.registry import Finding, Rule


def run(rules: Iterable[Rule], context: Any) -> Iterator[Finding]:
    """Every finding of ``rules``, except those about a value the file leaves unknown
    (``var.x``, ``${IMAGE}``): a finding never claims a value it cannot know."""
    data = getattr(context, "taskdef", None) or getattr(context, "policy", None)
    for current in rules:
        for found in current.check(context):
            default = _default_relied_on(found, data)
            if default is not None:
                # The rule judged a variable's default (or a resolved reference): say so, and
                # leave what the user wrote alone.
                yield Finding(found.rule, found.severity, f"{found.message} ({default})", found.loc, None,
                              relies_on_default=True)
            elif not _about_unknown(found, data):
                yield found


def _default_relied_on(found: Finding, data: Any) -> str | None:
    values = [value_at(data, operation["path"]) for operation in found.fix or []] if data is not None else []
    document = found.loc.document
    if document is not None:
        values.append(value_at(getattr(document, "data", None), found.loc.pointer))
    for value in values:
        if isinstance(value, ResolvedStr):
            return f"through {value.variable}"
        if isinstance(value, DefaultStr | DefaultInt | DefaultFloat):
            return f"relies on the default of {value.variable}"
    return None


def _about_unknown(found: Finding, data: Any) -> bool:
    """A finding whose fix would overwrite an unknown, or one without a fix placed at one
    (a finding with a fix elsewhere is placed at an unknown only as an anchor)."""
    if found.fix:
        return data is not None and _overwrites_unknown(data, found.fix)
    document = found.loc.document
    return document is not None and unknown_at(getattr(document, "data", None), found.loc.pointer)


def _overwrites_unknown(data: Any, patch: list[dict[str, Any]]) -> bool:
    """Whether ``patch`` replaces or removes a value the user left unknown, or writes inside one."""
    return any(unknown_at(data, operation["path"]) for operation in patch)


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
                pending = next((found.fix for found in current.check(context)
                                if found.fix and not _overwrites_unknown(getattr(context, attribute), found.fix)), None)
                if pending is None:
                    break
                setattr(context, attribute, jsonpatch.apply_patch(getattr(context, attribute), pending))
                patch.extend(pending)
                applied = True
        if not applied:
            return patch
    raise RuntimeError("the injection rules keep proposing fixes")

"""Running rules: findings of a context, and fixes applied to a fixpoint."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from meshify.injector.documents.pointer import split
from meshify.injector.documents.unknown import DEFAULTED, ResolvedStr, unknown_at, value_at
from meshify.injector.engine.contexts import PolicyContext, TaskContext
from meshify.injector.engine.registry import Finding, Rule


def run(rules: Iterable[Rule], context: Any) -> Iterator[Finding]:
    """Every finding of ``rules``, except those about a value the file leaves unknown
    (``var.x``, ``${IMAGE}``): a finding never claims a value it cannot know."""
    data = getattr(context, "taskdef", None) or getattr(context, "policy", None)
    for current in rules:
        yield from _reported(current.check(context), data)


def _reported(findings: Iterable[Finding], data: Any) -> Iterator[Finding]:
    """``findings`` as :func:`run` reports them."""
    for found in findings:
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
        if isinstance(value, DEFAULTED):  # ResolvedStr is one too
            if isinstance(value, ResolvedStr):
                return f"through {value.variable}"
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


def fix(rules: Iterable[Rule], context: TaskContext | PolicyContext, attribute: str,
        unfixed: list[Finding] | None = None) -> list[dict[str, Any]]:
    """Apply the fixable rules' fixes to ``context.<attribute>``, one fix at a time and in
    catalogue order, in passes until a whole pass proposes nothing (a fix may enable
    another rule's); the patch.

    ``context.<attribute>`` is the working copy, edited in place (the caller gives a copy
    it owns): a fix costs its own size, not a copy of the document. A rule is checked
    again only when a fix was applied since it last proposed nothing (its answer depends
    on the working copy alone), so the last pass costs nothing more. What each rule found
    last, when no fix was left to apply, is added to ``unfixed`` as :func:`run` reports
    it: the caller need not run the rules once more to see what is left."""
    fixable = [current for current in rules if current.fixable]
    patch: list[dict[str, Any]] = []
    version = 0  # fixes applied so far
    # Per rule: the version it was last checked at without proposing a fix, and its findings then.
    settled: dict[int, tuple[int, list[Finding]]] = {}
    for _ in range(_MAX_FIX_ROUNDS):
        applied = False
        for position, current in enumerate(fixable):
            if position in settled and settled[position][0] == version:
                continue  # nothing changed since it proposed nothing
            for _ in range(_MAX_FIX_ROUNDS):
                seen: list[Finding] = []
                pending = None
                for found in current.check(context):
                    if found.fix and not _overwrites_unknown(getattr(context, attribute), found.fix):
                        pending = found.fix
                        break
                    seen.append(found)
                if pending is None:
                    settled[position] = (version, seen)
                    break
                apply_in_place(getattr(context, attribute), pending)
                context.changed()
                patch.extend(pending)
                version += 1
                applied = True
            else:
                raise RuntimeError("the injection rules keep proposing fixes")
        if not applied:
            if unfixed is not None:
                data = getattr(context, attribute)
                for position in range(len(fixable)):
                    unfixed += _reported(settled[position][1], data)
            return patch
    raise RuntimeError("the injection rules keep proposing fixes")


def apply_in_place(document: Any, operations: list[dict[str, Any]]) -> None:
    """RFC 6902 ``add``, ``remove`` and ``replace`` (what fixes are made of) applied to
    ``document`` itself, as ``jsonpatch.apply_patch`` would to a copy; the values are
    copied in, so that a later fix never edits the patch."""
    for operation in operations:
        kind = operation["op"]
        tokens = split(operation["path"])
        if not tokens:
            raise ValueError("a fix never replaces the whole document")
        parent = document
        for token in tokens[:-1]:
            parent = parent[_list_index(parent, token)] if isinstance(parent, list) else parent[token]
        last = tokens[-1]
        if kind == "add":
            value = working_copy(operation["value"])
            if not isinstance(parent, list):
                parent[last] = value
            elif last == "-":
                parent.append(value)
            else:
                at = _list_index(parent, last, end_allowed=True)
                parent.insert(at, value)
        elif kind == "replace":
            if isinstance(parent, list):
                parent[_list_index(parent, last)] = working_copy(operation["value"])
            elif last in parent:
                parent[last] = working_copy(operation["value"])
            else:
                raise KeyError(operation["path"])
        elif kind == "remove":
            del parent[_list_index(parent, last) if isinstance(parent, list) else last]
        else:
            raise ValueError(f"a fix may only add, remove or replace, not {kind!r}")


def _list_index(items: list[Any], token: str, end_allowed: bool = False) -> int:
    """An array index as RFC 6901 writes it (digits, no sign), within the array."""
    if not token.isdigit() or int(token) > len(items) - (0 if end_allowed else 1):
        raise IndexError(f"no item {token!r} in an array of {len(items)}")
    return int(token)


def working_copy(value: Any) -> Any:
    """A copy of JSON-shaped data to edit in place: its dicts and lists are new, its
    scalars (and the immutable unknowns a reader leaves) shared. Much cheaper than
    ``copy.deepcopy``, which keeps a memo of every object for cycles data never has."""
    if isinstance(value, dict):
        return {key: working_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [working_copy(item) for item in value]
    return value

"""Running rules: findings of a context, and fixes applied to a fixpoint."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from meshify.injector.documents.pointer import split
from meshify.injector.documents.unknown import DEFAULTED, MARKED, ResolvedStr, unknown_along, unknown_at
from meshify.injector.engine.contexts import FACTS, PolicyContext, TaskContext
from meshify.injector.engine.registry import Finding, Rule, built_fix


def run(rules: Iterable[Rule], context: Any) -> Iterator[Finding]:
    """Every finding of ``rules``, except those about a value the file leaves unknown
    (``var.x``, ``${IMAGE}``): a finding never claims a value it cannot know."""
    data = getattr(context, "taskdef", None) or getattr(context, "policy", None)
    envoy: bool | None = None  # whether the task has Envoy: asked once a rule needs it
    for current in rules:
        if current.needs_envoy:
            if envoy is None:
                envoy = context.envoy_index() is not None
            if not envoy:
                continue  # it would find nothing (registry.py)
        for found in current.check(context):  # no generator per rule: most find nothing
            if found.describe is not None:  # as _report describes it (lint reports such findings)
                found.message, found.loc = found.describe(*found.arguments)
                found.describe = None
                found.arguments = ()
            document = found.loc.document
            if document is not None and document.__class__ is (_JSON_DOCUMENT or _json_document()) \
                    and (data is None or data is document.data):
                yield found  # _report's first answer (a JSON file's finding), without its call
                continue
            reported = _report(found, data)
            if reported is not None:
                yield reported


def _reported(findings: Iterable[Finding], data: Any) -> Iterator[Finding]:
    """``findings`` as :func:`run` reports them (:func:`_report`)."""
    for found in findings:
        reported = _report(found, data)
        if reported is not None:
            yield reported


# documents.document.JsonDocument, looked up at the first report of a finding placed in a
# document (its module is imported by then) and kept: the engine's modules do not import it,
# and an import statement at every call would cost about 8k instructions.
_JSON_DOCUMENT: Any = None


def _json_document() -> Any:
    global _JSON_DOCUMENT
    from meshify.injector.documents.document import JsonDocument

    _JSON_DOCUMENT = JsonDocument
    return JsonDocument


def _report(found: Finding, data: Any) -> Finding | None:
    """``found`` as :func:`run` reports it. A finding that relies on a variable's
    default (or a resolved reference), at one of its fix's paths or at its place, says so;
    one whose fix would overwrite an unknown, or one without a fix placed at an unknown
    (a finding with a fix elsewhere is placed at an unknown only as an anchor), is left
    out (None). Each pointer is walked once for both questions. A finding not yet described
    (``Rule.finding_later``) is described first (``Finding.described``, inline: lint reports
    such findings, and a call more each would cost it what the fix loop saves)."""
    if found.describe is not None:
        found.message, found.loc = found.describe(*found.arguments)
        found.describe = None
        found.arguments = ()
    loc = found.loc
    document = loc.document
    # A JSON file's data as parsed (a subclass's is what it reads the text as) holds no unknown
    # and no default: nothing to walk. (A document's class is defined once its module is imported.)
    if document is not None and document.__class__ is (_JSON_DOCUMENT or _json_document()) \
            and (data is None or data is document.data):
        return found
    fix = found.fix  # its paths: a value built Later is built only when the fix is applied
    relied_on: Any = None
    overwrites_unknown = False
    if fix and data is not None:
        for operation in fix:
            value, marked = _walk(data, operation["path"])
            if relied_on is None and value.__class__ not in _PLAIN and isinstance(value, DEFAULTED):
                relied_on = value
            overwrites_unknown = overwrites_unknown or marked
    at_unknown = False
    if relied_on is None and document is not None:
        value, at_unknown = _walk(getattr(document, "data", None), loc.pointer)
        if value.__class__ not in _PLAIN and isinstance(value, DEFAULTED):
            relied_on = value
    if relied_on is not None:
        # The rule judged a variable's default (or a resolved reference): say so, and
        # leave what the user wrote alone.
        default = f"through {relied_on.variable}" if isinstance(relied_on, ResolvedStr) \
            else f"relies on the default of {relied_on.variable}"
        return Finding(found.rule, found.severity, f"{found.message} ({default})", found.loc, None,
                       relies_on_default=True)
    if not (overwrites_unknown if fix else at_unknown):
        return found
    return None


# The classes of nearly every value walked: none is a marked class (MARKED, DEFAULTED) or a
# subclass of one, so a value of these exact classes is known unmarked without isinstance
# over a tuple of classes (about 2,000 instructions each on Python 3.11, several a finding).
_PLAIN = frozenset({dict, list, str, int, float, bool, type(None)})


def _walk(data: Any, pointer: str) -> tuple[Any, bool]:
    """``(value_at(data, pointer), unknown_at(data, pointer))`` in one walk."""
    node = data
    for token in pointer.split("/")[1:] if "~" not in pointer else split(pointer):
        kind = node.__class__
        if kind is dict:  # not marked: what isinstance(node, MARKED) would say
            if token in node:
                node = node[token]
                continue
            return None, False
        if kind is not list and isinstance(node, MARKED):
            return None, True  # nothing is inside an unknown or a default
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None, False
    return node, node.__class__ not in _PLAIN and isinstance(node, MARKED)


def _overwrites_unknown(data: Any, patch: list[dict[str, Any]]) -> bool:
    """Whether ``patch`` replaces or removes a value the user left unknown, or writes inside one."""
    return any(unknown_at(data, operation["path"]) for operation in patch)


# Fixes that do not converge are a bug; stop rather than loop.
_MAX_FIX_ROUNDS = 64


def fix(rules: Iterable[Rule], context: TaskContext | PolicyContext, attribute: str,
        unfixed: list[Finding] | None = None, owns_all: bool = False) -> list[dict[str, Any]]:
    """Apply the fixable rules' fixes to ``context.<attribute>``, one fix at a time and in
    catalogue order, in passes until a whole pass proposes nothing (a fix may enable
    another rule's); the patch.

    ``context.<attribute>`` is the working copy: its root is edited in place (the caller
    gives a root it owns; what is below it may be the file's data), every other container
    on a fix's way is copied (one level, once) before it is edited, so that the file's data
    and the values of the patch never change: a fix costs its path, not a copy of the
    document or of its own value. With ``owns_all``, the caller owns every container
    below the root too (a deep copy it keeps editing, as inject's policy over many
    claimants, whose statement index holds on to its list): fixes edit it in place and
    their values are copied in. A rule that proposed
    nothing is checked again only after a fix that wrote where it reads (its ``reads``,
    registry.py; every fix for a rule that declares nothing) or changed a fact it asks: its
    answer depends on those alone, so the last pass costs nothing more. A rule is checked
    again after its own fix, unless it ``settles`` and that fix was all it found (nor are the
    rules it names in ``settles_too`` then, until a later fix concerns them). What each rule
    found last, when no fix was left to apply, is added to ``unfixed`` as :func:`run`
    reports it: the caller need not run the rules once more to see what is left."""
    plan = _plan(rules)
    fixable = plan.rules  # of the rules given, the fixable ones: chosen once per plan, not once per file
    patch: list[dict[str, Any]] = []
    root = getattr(context, attribute)  # the same object to the end: fixes copy below it, never it
    owned: dict[int, Any] | None = None if owns_all else {id(root): root}  # edited in place (held: ids stay theirs)
    # Per rule: its findings when it last proposed nothing; dropped when a fix may change them.
    settled: dict[int, list[Finding]] = {}
    for _ in range(_MAX_FIX_ROUNDS):
        applied = False
        for position, current in enumerate(fixable):
            if position in settled:
                continue  # nothing it reads changed since it proposed nothing
            fixes = 0  # of this rule, in a row: a rule that proposes nothing costs no loop of its own
            while True:
                seen: list[Finding] = []
                pending = None
                findings = iter(current.check(context))
                readers = None
                for found in findings:
                    proposed = built_fix(found)  # as the rule yields it (a Later value's arguments are current)
                    if proposed:
                        if len(proposed) == 1:  # nearly every fix: its pointer's readers asked once for both
                            readers = plan.readers(proposed[0]["path"])
                            if not unknown_along(root, readers[2]):
                                pending = proposed
                                break
                        elif not _writes_unknown(plan, root, proposed):
                            readers = None
                            pending = proposed
                            break
                    seen.append(found)
                if pending is None:
                    settled[position] = seen
                    break
                # Its only finding, from a rule its own fix settles (registry.py): not checked again.
                alone = current.settles and not seen and next(findings, None) is None
                _apply_fix(plan, context, root, pending, settled, owned, readers)
                patch.extend(pending)
                applied = True
                if alone:
                    settled[position] = []
                    for other in plan.settled_with[position]:  # what its fix builds, they find nothing in
                        settled[other] = []
                    break
                fixes += 1
                if fixes == _MAX_FIX_ROUNDS:
                    raise RuntimeError("the injection rules keep proposing fixes")
        # Every rule settled (a bare task definition's last fix settles the last rule): the
        # next pass would check none and apply nothing, so it is not run.
        if not applied or len(settled) == len(fixable):
            if unfixed is not None:
                for position in range(len(fixable)):
                    if settled[position]:
                        unfixed += _reported(settled[position], root)
            return patch
    raise RuntimeError("the injection rules keep proposing fixes")


def _writes_unknown(plan: _Plan, root: Any, operations: list[dict[str, Any]]) -> bool:
    """:func:`_overwrites_unknown` with each pointer's tokens split once per pointer (the plan's)."""
    return any(unknown_along(root, plan.readers(operation["path"])[2]) for operation in operations)


def _apply_fix(plan: _Plan, context: TaskContext | PolicyContext, root: Any, operations: list[dict[str, Any]],
               settled: dict[int, list[Finding]], owned: dict[int, Any] | None,
               readers: tuple[frozenset[int], tuple[str, ...], list[str]] | None = None) -> None:
    """Apply one fix to the working copy, and unsettle the rules whose answer it may change
    (``readers``: the plan's answer for the pointer of a fix of one operation, if asked)."""
    if readers is not None:
        affected, facts, tokens = readers
    elif len(operations) == 1:  # nearly every fix
        affected, facts, tokens = plan.readers(operations[0]["path"])
    else:
        affected, facts, tokens = frozenset(), (), []
        for operation in operations:
            rules_reading, facts_reading, _ = plan.readers(operation["path"])
            affected |= rules_reading
            facts += tuple(name for name in facts_reading if name not in facts)
    # A fact's new value matters only to a settled rule that asks it: with none settled (the
    # first fix of a pass, on a bare task definition), the fact is forgotten and not compared.
    before = tuple(map(context.fact, facts)) if facts and settled else None
    if tokens:
        _apply_operation(root, operations[0], tokens, owned)
    else:
        apply_in_place(root, operations, owned)
    context.changed(facts)  # a fact that reads nowhere the fix wrote stays as it is
    if before is not None:
        for name, value in zip(facts, before, strict=True):
            if context.fact(name) != value:
                affected = affected | plan.asking[name]
    if settled:  # none to unsettle while none is settled (the first fix of a pass)
        for position in affected:
            settled.pop(position, None)


class _Plan:
    """Which of a list of rules (by position) and which facts read where a pointer is
    written, and the pointer's tokens: the same for every file, so asked once per pointer."""

    def __init__(self, given: tuple[Rule, ...]) -> None:
        self.given = given  # held: the cache is keyed by their ids
        self.rules = fixable = [current for current in given if current.fixable]
        self.facts = FACTS.get(fixable[0].scope, {}) if fixable else {}
        # Per fact, the rules that ask it: unsettled when a fix changes its value.
        self.asking = {name: frozenset(position for position, current in enumerate(fixable) if name in current.read_facts)
                       for name in self.facts}
        self.known: dict[str, tuple[frozenset[int], tuple[str, ...], list[str]]] = {}
        # Per rule, the positions of the rules its lone fix also settles (registry.py's settles_too).
        positions = {current.id: position for position, current in enumerate(fixable)}
        self.settled_with = [tuple(positions[name] for name in current.settles_too if name in positions)
                             for current in fixable]

    def readers(self, pointer: str) -> tuple[frozenset[int], tuple[str, ...], list[str]]:
        found = self.known.get(pointer)
        if found is None:
            tokens = split(pointer)
            written = tuple(tokens)
            found = (frozenset(position for position, current in enumerate(self.rules)
                               if current.read_paths is None or any(_overlap(read, written) for read in current.read_paths)),
                     tuple(name for name, reads in self.facts.items()
                           if any(_overlap(tuple(read.split("/")[1:]), written) for read in reads)),
                     tokens)
            if len(self.known) < 4096:  # pointers are the rules' shapes, but indexes and member names the file's
                self.known[pointer] = found
        return found


_PLANS: dict[tuple[int, ...], _Plan] = {}


def _plan(rules: Iterable[Rule]) -> _Plan:
    """The plan of ``rules`` (all those given to :func:`fix`, by identity and order)."""
    given = rules if isinstance(rules, (list, tuple)) else list(rules)
    key = tuple(map(id, given))
    plan = _PLANS.get(key)
    if plan is None:
        if len(_PLANS) > 64:
            _PLANS.clear()
        plan = _PLANS[key] = _Plan(tuple(given))
    return plan


def _overlap(read: tuple[str, ...], written: tuple[str, ...]) -> bool:
    """Whether a write at ``written`` can change what reading ``read`` sees: one is a prefix
    of the other, ``*`` matching any token (a declaration holds no index, ``-`` or ``~``)."""
    return all(want == "*" or want == token for want, token in zip(read, written, strict=False))


def apply_in_place(document: Any, operations: list[dict[str, Any]], owned: dict[int, Any] | None = None) -> None:
    """RFC 6902 ``add``, ``remove`` and ``replace`` (what fixes are made of) applied to
    ``document`` itself, as ``jsonpatch.apply_patch`` would to a copy.

    Without ``owned`` every container is edited in place and the values are copied in, so
    that a later fix never edits the patch. With ``owned`` (:func:`fix`'s copy on write)
    only the containers in it are edited in place: any other on an operation's way (the
    file's data, a value of the patch) is replaced in its parent by a copy of one level
    first, which is then owned; the values are put in as they are, never edited in place
    afterwards."""
    for operation in operations:
        _apply_operation(document, operation, split(operation["path"]), owned)


def _apply_operation(document: Any, operation: dict[str, Any], tokens: list[str], owned: dict[int, Any] | None) -> None:
    """One operation of :func:`apply_in_place`, its pointer split into ``tokens``."""
    kind = operation["op"]
    if not tokens:
        raise ValueError("a fix never replaces the whole document")
    parent = document
    for token in tokens[:-1]:
        key: int | str = _list_index(parent, token) if isinstance(parent, list) else token
        child = parent[key]
        if owned is not None and id(child) not in owned and isinstance(child, (dict, list)):  # a tuple: no union built
            child = dict(child) if isinstance(child, dict) else list(child)
            owned[id(child)] = parent[key] = child
        parent = child
    last = tokens[-1]
    if kind == "remove":
        del parent[_list_index(parent, last) if isinstance(parent, list) else last]
        return
    if kind not in ("add", "replace"):
        raise ValueError(f"a fix may only add, remove or replace, not {kind!r}")
    value = operation["value"] if owned is not None else working_copy(operation["value"])
    if kind == "add":
        if not isinstance(parent, list):
            parent[last] = value
        elif last == "-":
            parent.append(value)
        else:
            parent.insert(_list_index(parent, last, end_allowed=True), value)
    elif isinstance(parent, list):
        parent[_list_index(parent, last)] = value
    elif last in parent:
        parent[last] = value
    else:
        raise KeyError(operation["path"])


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
        return {key: item if type(item) in _SCALARS else working_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [item if type(item) in _SCALARS else working_copy(item) for item in value]
    return value


# Most values of a document: returned as they are without a call (working_copy returns any
# value that is no dict or list as it is).
_SCALARS = frozenset({str, int, float, bool, type(None)})

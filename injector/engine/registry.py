"""The rule registry. A rule is a function registered with :func:`rule` in a module of its
own under ``meshify.rules``; the module's docstring is the rule's documentation.

A lint rule yields :class:`Finding` s. An injection rule is the same thing whose findings
carry ``fix``: the RFC 6902 operations that make the finding go away (``runner.fix``).

Registering a rule wrong fails at import, not silently: an id that is not a family letter
and three digits, an id used twice, an unknown scope or severity, a rule without a doc, a
declaration of what it reads (``reads``) that is not one.

A fixable rule may declare ``reads``: the members of the document its check (and the fixes
it builds) can look at, as JSON Pointers with ``*`` for any array item or member
(``/containerDefinitions/*/dependsOn``), and the facts of its context it asks
(``contexts.FACTS``: ``envoy`` is ``TaskContext.envoy_index()``). ``runner.fix`` then checks
the rule again only after a fix that wrote where it reads (or changed a fact it asks); a
rule that declares nothing is checked again after every fix. A pointer reaches everything
below it; an array index is always ``*`` (an insertion moves every later item).
``tests/engine/test_rule_reads.py`` holds each declaration to what its check really reads.

A fixable rule may also declare ``settles=True``: when a check of it finds one thing only,
and that has a fix, the check finds nothing once the fix is applied (its fix settles it).
``runner.fix`` then does not check it again after that fix, as it otherwise must (a rule
may propose several fixes, one at a time). A settling rule may also name other rules its
lone fix settles (``settles_too``): each of them finds nothing once that fix is applied
(T201's Envoy container is built as T202, T207 and T213 want it), and ``runner.fix`` does
not check them until a later fix concerns them. ``tests/engine/test_rule_settles.py`` holds
each such declaration true at every step of the fix loop.

A taskdef rule may declare ``needs_envoy=True``: its check finds nothing in a task
definition without an Envoy container (``context.envoy_index()`` is None; its check
begins by returning then). ``runner.run`` then does not call it for such a task (most
rules that find nothing in a task lint has yet to mesh cost only their call).
``tests/engine/test_rule_needs_envoy.py`` holds each declaration true.
``tests/engine/test_registry.py`` also checks that every module under ``rules/`` is
listed in ``rules/__init__.py`` with its rule's scope and that each module's name starts
with its rule's id (checked again whenever a module is imported through here).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, get_args

from meshify.injector.engine.contexts import FACTS
from meshify.injector.model.mesh import NOWHERE, Loc, Plain

Severity = Literal["info", "warning", "error"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
# What a rule is handed (engine/contexts.py has one context class per scope).
Scope = Literal["mesh", "taskdef", "unclaimed", "policy", "live", "suppressions", "service", "migration"]
SCOPES: tuple[Scope, ...] = get_args(Scope)
_RULE_ID = re.compile(r"^[A-Z][0-9]{3}$")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)  # type: ignore[arg-type,unused-ignore]


@dataclass(slots=True, repr=False, init=False)
class Finding(Plain):
    """What a rule found, where, and its fix as RFC 6902 operations (if it has one).

    A finding made by :meth:`Rule.finding_later` is not yet described: its ``message`` is
    ``""`` and its ``loc`` NOWHERE until :meth:`described` builds them with
    ``describe(*arguments)`` (``runner.run`` and the unfixed findings of ``runner.fix``
    describe each finding they report; the fix loop applies most fixes without ever
    describing their findings)."""

    rule: str
    severity: str
    message: str
    loc: Loc
    fix: list[dict[str, Any]] | None = None
    relies_on_default: bool = False  # about a Terraform variable's default: inject leaves it be
    describe: Callable[..., tuple[str, Loc]] | None = field(default=None, repr=False, compare=False)
    arguments: tuple[Any, ...] = field(default=(), repr=False, compare=False)

    def __init__(self, rule: str, severity: str, message: str, loc: Loc, fix: list[dict[str, Any]] | None = None,
                 relies_on_default: bool = False, describe: Callable[..., tuple[str, Loc]] | None = None,
                 arguments: tuple[Any, ...] = ()) -> None:
        self.rule = rule
        self.severity = severity
        self.message = message
        self.loc = loc
        self.fix = fix
        self.relies_on_default = relies_on_default
        self.describe = describe
        self.arguments = arguments

    def described(self) -> Finding:
        """This finding with its message and place (built now, once, if they were left to
        :attr:`describe`); ``runner._report`` does the same inline."""
        if self.describe is not None:
            self.message, self.loc = self.describe(*self.arguments)
            self.describe = None
            self.arguments = ()
        return self


class Later:
    """A fix's value built only when the fix is applied (:func:`built_fix`): lint reads
    only a fix's paths, so a value that costs (T201's Envoy container) is never built
    there. Built at most once, by ``build(*arguments)``: the arguments must not change
    before the fix is applied (``runner.fix`` builds it as the rule yields it)."""

    __slots__ = ("arguments", "build")

    def __init__(self, build: Callable[..., Any], *arguments: Any) -> None:
        self.build = build
        self.arguments = arguments


def built_fix(finding: Finding) -> list[dict[str, Any]] | None:
    """``finding.fix`` with its :class:`Later` values built, in place (a finding's
    operations are its own): plain RFC 6902 operations, what applying a fix needs.
    ``finding.fix`` itself is enough for its paths."""
    operations = finding.fix
    if operations:
        for operation in operations:
            value = operation.get("value")
            if isinstance(value, Later):
                operation["value"] = value.build(*value.arguments)
    return operations


@dataclass(slots=True, repr=False, init=False)
class Rule(Plain):
    """A registered rule: its id, severity, title, scope and check."""

    id: str
    severity: Severity
    title: str
    scope: Scope
    check: Callable[[Any], Iterable[Finding]]
    fixable: bool = False
    # What the check reads (see the module's doc); None: anything. Split once, for runner.fix.
    reads: tuple[str, ...] | None = None
    read_paths: tuple[tuple[str, ...], ...] | None = None
    read_facts: frozenset[str] = frozenset()
    settles: bool = False  # its one finding's fix leaves it nothing to find (see the module's doc)
    needs_envoy: bool = False  # finds nothing in a task without Envoy (see the module's doc)
    settles_too: tuple[str, ...] = ()  # other rules that fix leaves nothing to find (ids)

    def __init__(self, id: str, severity: Severity, title: str, scope: Scope, check: Callable[[Any], Iterable[Finding]],
                 fixable: bool = False, reads: tuple[str, ...] | None = None,
                 read_paths: tuple[tuple[str, ...], ...] | None = None,
                 read_facts: frozenset[str] = frozenset(), settles: bool = False, needs_envoy: bool = False,
                 settles_too: tuple[str, ...] = ()) -> None:
        self.id = id
        self.severity = severity
        self.title = title
        self.scope = scope
        self.check = check
        self.fixable = fixable
        self.reads = reads
        self.read_paths = read_paths
        self.read_facts = read_facts
        self.settles = settles
        self.needs_envoy = needs_envoy
        self.settles_too = settles_too

    @property
    def doc(self) -> str:
        return (sys.modules[self.check.__module__].__doc__ or "").strip()

    def finding(self, message: str, loc: Loc, fix: list[dict[str, Any]] | None = None,
                severity: str | None = None) -> Finding:
        # Built without Finding.__init__'s frame (about 800 instructions a finding, several
        # a file in lint and in the fix loop): the same fields, set here.
        found = _new(Finding)
        found.rule = self.id
        found.severity = severity or self.severity
        found.message = message
        found.loc = loc
        found.fix = fix
        found.relies_on_default = False
        found.describe = None
        found.arguments = ()
        return found

    def finding_later(self, describe: Callable[..., tuple[str, Loc]], arguments: tuple[Any, ...],
                      fix: list[dict[str, Any]], severity: str | None = None) -> Finding:
        """A finding with a fix whose message and place are built only when it is reported:
        ``describe(*arguments)`` returns them (``Finding.described``). The fix loop applies
        a bare task definition's fixes without reporting their findings, and building a
        message and its ``Loc`` costs more than the rest of the finding. ``arguments`` are
        the values the description needs, taken when the rule finds it (as a ``Later``
        value's): never the task definition, which later fixes edit."""
        found = _new(Finding)
        found.rule = self.id
        found.severity = severity or self.severity
        found.message = ""
        found.loc = NOWHERE
        found.fix = fix
        found.relies_on_default = False
        found.describe = describe
        found.arguments = arguments
        return found


_new = object.__new__


class RuleRegistrationError(Exception):
    """A rule registered wrong: a bug in meshify, reported at import."""


REGISTRY: dict[str, Rule] = {}
Check = TypeVar("Check", bound=Callable[..., Iterable[Finding]])


def rule(rule_id: str, severity: Severity, title: str, scope: Scope, fixable: bool = False,
         reads: tuple[str, ...] | None = None, settles: bool = False, needs_envoy: bool = False,
         settles_too: tuple[str, ...] = ()) -> Callable[[Check], Check]:
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
        read_paths, read_facts = _declared_reads(where, scope, fixable, reads)
        if settles is not False and (settles is not True or not fixable):
            raise RuleRegistrationError(f"{where}: settles is True or False, and True only on a fixable rule "
                                        "(the fix loop asks it)")
        if needs_envoy is not False and (needs_envoy is not True or scope != "taskdef"):
            raise RuleRegistrationError(f"{where}: needs_envoy is True or False, and True only on a taskdef rule "
                                        "(run asks its context's envoy_index)")
        if settles_too != () and (not isinstance(settles_too, tuple) or settles is not True
                                  or not all(isinstance(other, str) and _RULE_ID.match(other) for other in settles_too)
                                  or rule_id in settles_too or len(set(settles_too)) != len(settles_too)):
            raise RuleRegistrationError(f"{where}: settles_too is a tuple of other rules' ids, each once, "
                                        "on a rule that settles")
        REGISTRY[rule_id] = Rule(rule_id, severity, title, scope, check, fixable, reads, read_paths, read_facts,
                                 settles, needs_envoy, settles_too)
        check.rule = REGISTRY[rule_id]  # type: ignore[attr-defined]  # lets the check build findings
        return check
    return register


def _declared_reads(where: str, scope: str, fixable: bool, reads: tuple[str, ...] | None
                    ) -> tuple[tuple[tuple[str, ...], ...] | None, frozenset[str]]:
    """``reads`` split into pointers' tokens and fact names; a mistake in it refused."""
    if reads is None:
        return None, frozenset()
    if not fixable:
        raise RuleRegistrationError(f"{where}: only a fixable rule declares what it reads (the fix loop asks it)")
    if isinstance(reads, str) or not reads:
        raise RuleRegistrationError(f"{where}: reads must be a non-empty tuple of pointers and facts")
    if len(set(reads)) != len(reads):
        raise RuleRegistrationError(f"{where}: reads names something twice")
    paths: list[tuple[str, ...]] = []
    facts: set[str] = set()
    for read in reads:
        if not read.startswith("/"):
            if read not in FACTS.get(scope, {}):
                known = ", ".join(FACTS.get(scope, {})) or "none"
                raise RuleRegistrationError(f"{where}: reads {read!r}: not a pointer, nor a fact of scope {scope} ({known})")
            facts.add(read)
            continue
        tokens = tuple(read.split("/")[1:])
        for token in tokens:
            if not token or token.isdigit() or token == "-" or "~" in token:
                raise RuleRegistrationError(
                    f"{where}: reads {read!r}: each token is a member name or * (an array index is always *)")
        paths.append(tokens)
    return tuple(paths), frozenset(facts)


def all_rules() -> dict[str, Rule]:
    from meshify.rules import MODULES

    for name, scope in MODULES.items():
        _imported(name, scope)  # registers every rule
    return dict(sorted(REGISTRY.items()))


def rule_ids(scope: Scope | None = None) -> list[str]:
    """Every rule's id (or ``scope``'s rules'), in order, without importing a rule
    (``--select``, ``--ignore``; the key of lint's remembered mesh findings)."""
    from meshify.rules import MODULES

    return sorted(name[:4].upper() for name, listed in MODULES.items() if scope is None or listed == scope)


def rules_of(scope: Scope) -> list[Rule]:
    """The rules of ``scope`` in id order, importing only their modules: a lint imports the
    modules of the scopes its files can need (start-up: about 0.3 ms per module)."""
    from meshify.rules import MODULES

    return sorted((_imported(name, listed) for name, listed in MODULES.items() if listed == scope), key=lambda r: r.id)


def _imported(name: str, scope: str) -> Rule:
    """The rule of module ``meshify.rules.<name>``, imported if it is not yet, checked
    against what ``rules/__init__.py`` says of it (its id, its ``scope``)."""
    where = f"meshify.rules.{name}"
    module = sys.modules.get(where)
    if module is None:
        from importlib import import_module

        module = import_module(where)  # registers its rule
    registered = REGISTRY.get(name[:4].upper())
    if registered is None or registered.check.__module__ != module.__name__:
        raise RuleRegistrationError(f"{where}: registers no rule {name[:4].upper()} (a rule's id begins its module's name)")
    if registered.scope != scope:
        raise RuleRegistrationError(f"{where}: rule {registered.id}'s scope is {registered.scope!r}, "
                                    f"rules/__init__.py says {scope!r}")
    return registered

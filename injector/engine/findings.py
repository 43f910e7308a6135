"""Findings on their way out: a finding's place resolved to file, line and column
(:class:`Located`, what reporters print), rule selection, and suppressions."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from meshify.injector.documents.document import Document
from meshify.injector.engine.registry import Finding


class Located(NamedTuple):
    """A finding with its place resolved: what reporters print. Its fields are in the order
    findings are reported (place, rule, severity, message): a list of them sorts as
    reported. A tuple, not a dataclass: a big batch makes tens of thousands of them (and,
    over the cores, sends them back from the workers), and a frozen dataclass costs several
    times more to build and to pickle (its ``__setstate__`` is Python)."""

    path: str
    line: int
    column: int
    rule: str
    severity: str
    message: str

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)


def selected(rule_id: str, select: Iterable[str], ignore: Iterable[str]) -> bool:
    select, ignore = list(select), list(ignore)
    if select and not any(rule_id.startswith(prefix) for prefix in select):
        return False
    return not any(rule_id.startswith(prefix) for prefix in ignore)


def unknown_ids(ids: Iterable[str], rule_ids: Iterable[str]) -> list[str]:
    """The ids (or prefixes) of ``ids`` that select no rule: a typo (``T2O1``) would
    otherwise turn linting off without a word."""
    known = list(rule_ids)
    return [given for given in ids if not any(rule.startswith(given) for rule in known)]


def apply_suppressions(findings: set[Located], documents: list[Document], ran: list[str]) -> set[Located]:
    """Drop what a ``# meshify: ignore[...]`` comment covers; report the comments that
    cover nothing or give no reason (S001)."""
    # Every such comment holds ``ignore[``: a file without one has none (most files; start-up:
    # the module of suppressions is not imported, about 1.5 ms).
    documents = [document for document in documents if "ignore[" in document.text]
    if not documents:
        return set(findings)
    from meshify.injector.engine.suppressions import UNUSED, covering, suppressions

    kept = set(findings)
    ran_ids = tuple(ran)  # one str.startswith per rule, not a generator over every rule that ran
    by_path: dict[str, list[Located]] = {}  # one pass over the findings, not one per document
    for finding in findings:
        by_path.setdefault(finding.path, []).append(finding)
    for document in documents:
        entries = suppressions(document.text)
        if not entries:
            continue
        for finding in by_path.get(document.path, ()):
            if (entry := covering(entries, finding.line, finding.rule)) and entry.reason:
                entry.used.add(finding.rule)
                kept.discard(finding)
        if UNUSED not in ran:
            continue
        for entry in entries:
            unused = [rule for rule in entry.rules if rule not in entry.used and rule.startswith(ran_ids)]
            if not entry.reason:
                message = f"suppression of {', '.join(entry.rules)} gives no reason, so it suppresses nothing: say why"
            elif unused:
                message = f"suppression of {', '.join(unused)} suppresses nothing here: remove it"
            else:
                continue
            kept.add(Located(document.path, entry.line, entry.column, UNUSED, "info", message))
    return kept


def locate(found: Finding, reported: set[str]) -> Located | None:
    document = found.loc.document
    if document is None or document.path not in reported:
        return None
    line, column = document.position(found.loc.pointer)
    return Located(document.path, line, column, found.rule, found.severity, found.message)

"""``# meshify: ignore[M102] reason`` comments in YAML files.

A comment on the offending line, or alone on the line above it, suppresses the findings
of the rules it lists there. A suppression that suppresses nothing (of the rules that
ran) is itself reported, as S001.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

SUPPRESSION = re.compile(r"#\s*meshify:\s*ignore\[([A-Za-z0-9_, ]+)\]\s*(.*)$")
UNUSED = "S001"


@dataclass(slots=True)
class Suppression:
    """One ``# meshify: ignore[...]`` comment: where it is, the rules it names, why."""

    line: int
    column: int
    rules: list[str]
    reason: str
    alone: bool  # the comment is the whole line: it covers the line below
    used: set[str] = field(default_factory=set)


def suppressions(text: str) -> SuppressionIndex:
    if "meshify" not in text:  # most files have no comment at all: skip the line-by-line scan
        return SuppressionIndex(())
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = SUPPRESSION.search(line)
        if match is not None:
            rules = [rule.strip().upper() for rule in match.group(1).split(",") if rule.strip()]
            found.append(Suppression(number, match.start() + 1, rules, match.group(2).strip(),
                                     alone=not line[: match.start()].strip()))
    return SuppressionIndex(found)


def covering(entries: Iterable[Suppression], line: int, rule: str) -> Suppression | None:
    if not isinstance(entries, SuppressionIndex):
        entries = SuppressionIndex(entries)
    for entry in entries.near(line):
        if rule in entry.rules and (entry.line == line or (entry.alone and entry.line == line - 1)):
            return entry
    return None


class SuppressionIndex(list[Suppression]):
    """The comments of one file by line: a finding looks at two lines, not at every comment."""

    def __init__(self, entries: Iterable[Suppression]) -> None:
        super().__init__(entries)
        self._by_line: dict[int, list[Suppression]] = {}
        for entry in self:
            self._by_line.setdefault(entry.line, []).append(entry)

    def near(self, line: int) -> list[Suppression]:
        return self._by_line.get(line - 1, []) + self._by_line.get(line, [])  # in file order

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
    line: int
    column: int
    rules: list[str]
    reason: str
    alone: bool  # the comment is the whole line: it covers the line below
    used: set[str] = field(default_factory=set)


def suppressions(text: str) -> list[Suppression]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = SUPPRESSION.search(line)
        if match is not None:
            rules = [rule.strip().upper() for rule in match.group(1).split(",") if rule.strip()]
            found.append(Suppression(number, match.start() + 1, rules, match.group(2).strip(),
                                     alone=not line[: match.start()].strip()))
    return found


def covering(entries: Iterable[Suppression], line: int, rule: str) -> Suppression | None:
    for entry in entries:
        if rule in entry.rules and (entry.line == line or (entry.alone and entry.line == line - 1)):
            return entry
    return None

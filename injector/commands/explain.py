"""``meshify rules [ID]``: the rule catalogue, or one rule's documentation."""

from __future__ import annotations

import json

from meshify.injector.engine import all_rules
from meshify.injector.errors import UsageError


def run(rule_id: str | None, output_format: str) -> int:
    rules = all_rules()
    if rule_id is not None:
        rule = rules.get(rule_id.upper())
        if rule is None:
            raise UsageError(f"no rule {rule_id!r}; `meshify rules` lists them")
        if output_format == "json":
            print(json.dumps({"id": rule.id, "severity": rule.severity, "title": rule.title,
                              "fixable": rule.fixable, "doc": rule.doc}, indent=2))
        else:
            print(f"{rule.id} ({rule.severity}{', fixed by inject' if rule.fixable else ''}): {rule.title}\n")
            print(rule.doc.split("\n", 1)[1].strip() if "\n" in rule.doc else rule.doc)
        return 0
    if output_format == "json":
        print(json.dumps([{"id": r.id, "severity": r.severity, "title": r.title, "fixable": r.fixable}
                          for r in rules.values()], indent=2))
        return 0
    for rule in rules.values():
        print(f"{rule.id}  {rule.severity:<7}  {rule.title}")
    return 0

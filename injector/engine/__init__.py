"""The rule engine: the registry of rules, the contexts they check, running them and
fixing to a fixpoint, findings and suppressions. The rules import it; it imports no rule
but through :func:`all_rules` (every rule) and :func:`rules_of` (one scope's)."""

from meshify.injector.engine.contexts import (
    LiveContext,
    MeshContext,
    MigrationContext,
    PolicyContext,
    ServiceContext,
    TaskContext,
    UnclaimedContext,
)
from meshify.injector.engine.registry import (
    SCOPES,
    SEVERITIES,
    Finding,
    Later,
    Rule,
    all_rules,
    built_fix,
    rule,
    rule_ids,
    rules_of,
    severity_rank,
)
from meshify.injector.engine.runner import fix, run

__all__ = [
    "SCOPES", "SEVERITIES", "Finding", "Later", "LiveContext", "MeshContext", "MigrationContext", "PolicyContext", "Rule",
    "ServiceContext", "TaskContext", "UnclaimedContext", "all_rules", "built_fix", "fix", "rule", "rule_ids", "rules_of", "run",
    "severity_rank",
]

"""The rule engine: the registry of rules, the contexts they check, running them and
fixing to a fixpoint, findings and suppressions. The rules import it; it imports no rule
but through :func:`all_rules`."""

from meshify.injector.engine.contexts import (
    LiveContext,
    MeshContext,
    PolicyContext,
    ServiceContext,
    TaskContext,
    UnclaimedContext,
)
from meshify.injector.engine.registry import SCOPES, SEVERITIES, Finding, Rule, all_rules, rule, severity_rank
from meshify.injector.engine.runner import fix, run

__all__ = [
    "SCOPES", "SEVERITIES", "Finding", "LiveContext", "MeshContext", "PolicyContext", "Rule", "ServiceContext", "TaskContext",
    "UnclaimedContext", "all_rules", "fix", "rule", "run", "severity_rank",
]

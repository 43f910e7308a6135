"""Adding a rule wrong fails here or at import, never silently."""

from __future__ import annotations

import ast
import importlib
import sys
import types
from pathlib import Path

import pytest
from meshify.injector.engine import SCOPES, SEVERITIES, all_rules
from meshify.injector.engine.registry import REGISTRY, RuleRegistrationError, rule

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


def test_every_rule_module_is_imported_by_the_package():
    listed = {alias.name for node in ast.walk(ast.parse((RULES_DIR / "__init__.py").read_text()))
              if isinstance(node, ast.ImportFrom) for alias in node.names}
    on_disk = {path.stem for path in RULES_DIR.glob("*.py") if not path.stem.startswith("_")}
    assert on_disk - listed == set(), "rule modules missing from rules/__init__.py"
    assert listed - on_disk == set()


def test_each_module_registers_the_rule_its_name_says():
    by_module = {r.check.__module__.rsplit(".", 1)[1]: r for r in all_rules().values()}
    for path in RULES_DIR.glob("*.py"):
        if path.stem.startswith("_"):
            continue
        assert path.stem in by_module, f"{path.name} registers no rule"
        assert path.stem.upper().startswith(by_module[path.stem].id), path.name


def test_every_rule_is_documented_and_valid():
    for current in all_rules().values():
        assert current.severity in SEVERITIES and current.scope in SCOPES
        assert current.doc.startswith(current.id) or current.doc, current.id
        assert "Fix" in current.doc or "fix" in current.doc, f"{current.id}'s documentation says no fix"


def _module(name: str, doc: str | None) -> types.ModuleType:
    module = types.ModuleType(name, doc)
    sys.modules[name] = module
    return module


@pytest.mark.parametrize(("rule_id", "severity", "scope", "doc", "message"), [
    ("X1", "error", "mesh", "A doc.", "is not a letter and three digits"),
    ("T201", "error", "mesh", "A doc.", "rule id T201 is already meshify.rules.t201_envoy_container"),
    ("X901", "fatal", "mesh", "A doc.", "severity 'fatal' is not one of info, warning, error"),
    ("X901", "error", "task", "A doc.", "scope 'task' is not one of mesh, taskdef"),
    ("X901", "error", "mesh", None, "the rule's module has no docstring"),
])
def test_registration_mistakes_fail_at_import(rule_id, severity, scope, doc, message):
    all_rules()
    module = _module("meshify_test_bad_rule", doc)
    try:
        def check(context):
            return []
        check.__module__ = module.__name__
        with pytest.raises(RuleRegistrationError, match=message.replace("(", r"\(")):
            rule(rule_id, severity, "title", scope)(check)
        assert "X901" not in REGISTRY
    finally:
        del sys.modules[module.__name__]


def test_reimporting_a_rule_module_is_not_a_duplicate():
    module = importlib.import_module("meshify.rules.m102_route_weights")
    importlib.reload(module)
    assert all_rules()["M102"].check.__module__ == module.__name__

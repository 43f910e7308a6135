"""Adding a rule wrong fails here or at import, never silently."""

from __future__ import annotations

import ast
import importlib
import sys
import types
from pathlib import Path

import pytest
from meshify.injector.engine import SCOPES, SEVERITIES, all_rules, rule_ids, rules_of
from meshify.injector.engine.registry import REGISTRY, RuleRegistrationError, rule
from meshify.rules import MODULES

RULES_DIR = Path(__file__).resolve().parents[2] / "rules"


def test_every_rule_module_is_listed_by_the_package():
    listed = {key.value for node in ast.walk(ast.parse((RULES_DIR / "__init__.py").read_text()))
              if isinstance(node, ast.Dict) for key in node.keys if isinstance(key, ast.Constant)}
    on_disk = {path.stem for path in RULES_DIR.glob("*.py") if not path.stem.startswith("_")}
    assert on_disk - listed == set(), "rule modules missing from rules/__init__.py"
    assert listed - on_disk == set()
    assert set(MODULES) == on_disk


def test_the_package_says_each_rules_scope_and_id():
    """What rules/__init__.py says of each module without importing it is what the module registers."""
    by_module = {r.check.__module__.rsplit(".", 1)[1]: r for r in all_rules().values()}
    assert {name: by_module[name].scope for name in MODULES} == MODULES
    assert set(MODULES.values()) <= set(SCOPES)
    assert rule_ids() == sorted(all_rules()) == sorted(r.id for r in REGISTRY.values() if r.check.__module__
                                                       .startswith("meshify.rules."))
    assert len(set(rule_ids())) == len(MODULES)  # no two modules with one id


def test_the_rules_of_a_scope_are_its_rules_in_order():
    every = all_rules().values()
    for scope in SCOPES:
        assert rules_of(scope) == [r for r in every if r.scope == scope]
    assert [r.id for r in rules_of("policy")] == ["I301", "I302", "I303", "I304"]


@pytest.mark.parametrize(("name", "scope", "message"), [
    ("m102_route_weights", "taskdef", "rule M102's scope is 'mesh', rules/__init__.py says 'taskdef'"),
    ("m102_route_weights", "task", "rule M102's scope is 'mesh', rules/__init__.py says 'task'"),
])
def test_a_scope_the_package_misstates_fails_at_import(monkeypatch, name, scope, message):
    monkeypatch.setitem(MODULES, name, scope)
    with pytest.raises(RuleRegistrationError, match=message):
        rules_of(scope)  # type: ignore[arg-type]
    with pytest.raises(RuleRegistrationError, match=message):
        all_rules()


def test_a_module_that_registers_another_id_fails_at_import(monkeypatch):
    monkeypatch.delitem(MODULES, "m102_route_weights")
    monkeypatch.setitem(MODULES, "m199_route_weights", "mesh")
    sys.modules["meshify.rules.m199_route_weights"] = sys.modules["meshify.rules.m102_route_weights"]
    try:
        with pytest.raises(RuleRegistrationError, match=r"meshify\.rules\.m199_route_weights: registers no rule M199"):
            rules_of("mesh")
    finally:
        del sys.modules["meshify.rules.m199_route_weights"]


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


def assert_refused(match: str, rule_id: str, severity: str, scope: str, doc: str | None = "A doc.",
                   **options: object) -> None:
    """Registering ``rule_id`` from a module of its own (docstring ``doc``) fails with a
    message matching ``match``, and leaves the registry as it was."""
    all_rules()
    before = dict(REGISTRY)
    module = types.ModuleType("meshify_test_bad_rule", doc)
    sys.modules[module.__name__] = module
    try:
        def check(context):
            return []
        check.__module__ = module.__name__
        with pytest.raises(RuleRegistrationError, match=match):
            rule(rule_id, severity, "title", scope, **options)(check)
        assert before == REGISTRY
    finally:
        del sys.modules[module.__name__]


@pytest.mark.parametrize(("rule_id", "severity", "scope", "doc", "message"), [
    ("X1", "error", "mesh", "A doc.", "is not a letter and three digits"),
    ("T201", "error", "mesh", "A doc.", "rule id T201 is already meshify.rules.t201_envoy_container"),
    ("X901", "fatal", "mesh", "A doc.", "severity 'fatal' is not one of info, warning, error"),
    ("X901", "error", "task", "A doc.", "scope 'task' is not one of mesh, taskdef"),
    ("X901", "error", "mesh", None, "the rule's module has no docstring"),
])
def test_registration_mistakes_fail_at_import(rule_id, severity, scope, doc, message):
    assert_refused(message.replace("(", r"\("), rule_id, severity, scope, doc)


def test_reimporting_a_rule_module_is_not_a_duplicate():
    module = importlib.import_module("meshify.rules.m102_route_weights")
    importlib.reload(module)
    assert all_rules()["M102"].check.__module__ == module.__name__

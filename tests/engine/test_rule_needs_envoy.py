"""What a taskdef rule declares with ``needs_envoy=True`` (engine/registry.py): its check
finds nothing in a task definition without an Envoy container, so ``runner.run`` does not
call it there. Held true on the golden cases, their injected outputs broken on purpose in
many ways (the inputs of test_rule_reads.py, Envoy among them) and a bare task definition
with a dependsOn cycle: with the context's Envoy answer None, a declared rule finds nothing;
and ``run`` finds exactly what calling every rule finds, with Envoy and without."""

from __future__ import annotations

import copy

import pytest
from meshify.injector import engine
from test_registry import assert_refused
from test_rule_reads import BARE, INPUTS, SHOP, _context

# The rules that find nothing without Envoy; a rule added here must pass the tests below.
NEEDING_ENVOY = {"T202", "T207", "T209", "T213", "T214", "T216"}
CYCLE = copy.deepcopy(BARE)
CYCLE["containerDefinitions"] += [{"name": "a", "image": "a:1", "dependsOn": [{"containerName": "b", "condition": "START"}]},
                                  {"name": "b", "image": "b:1", "dependsOn": [{"containerName": "a", "condition": "START"}]}]
CASES = [*INPUTS, ("bare", BARE, str(SHOP / "taskdefs/products-api.json"), SHOP / "meshify.yaml"),
         ("bare-cycle", CYCLE, str(SHOP / "taskdefs/products-api.json"), SHOP / "meshify.yaml")]


def _taskdef_rules() -> list[engine.Rule]:
    return [current for current in engine.all_rules().values() if current.scope == "taskdef"]


def test_the_rules_needing_envoy_are_those_declared():
    assert {current.id for current in _taskdef_rules() if current.needs_envoy} == NEEDING_ENVOY


@pytest.mark.parametrize(("name", "data", "path", "manifest"), CASES, ids=[case[0] for case in CASES])
def test_a_rule_needing_envoy_finds_nothing_without_it(name, data, path, manifest):
    for current in _taskdef_rules():
        if current.needs_envoy:
            context = _context(copy.deepcopy(data), path, manifest)
            context._envoy = None  # envoy_index() answers: no Envoy container
            assert list(current.check(context)) == [], current.id


@pytest.mark.parametrize(("name", "data", "path", "manifest"), CASES, ids=[case[0] for case in CASES])
def test_run_finds_what_every_rule_finds(name, data, path, manifest):
    rules = _taskdef_rules()
    every = [engine.runner._report(found, data) for current in rules
             for found in current.check(_context(copy.deepcopy(data), path, manifest))]
    expected = [found for found in every if found is not None]
    assert _plain(engine.run(rules, _context(copy.deepcopy(data), path, manifest))) == _plain(expected)


def _plain(findings) -> list[tuple[object, ...]]:
    return [(found.rule, found.severity, found.message, found.loc.pointer, found.fix is not None) for found in findings]


def test_run_skips_a_rule_needing_envoy_only_without_envoy():
    called: list[str] = []
    rules = [engine.Rule(current.id, current.severity, current.title, current.scope,
                         lambda context, current=current: called.append(current.id) or current.check(context),
                         needs_envoy=current.needs_envoy) for current in _taskdef_rules()]
    list(engine.run(rules, _context(copy.deepcopy(BARE), str(SHOP / "taskdefs/products-api.json"), SHOP / "meshify.yaml")))
    assert called == [current.id for current in rules if not current.needs_envoy]
    injected = next(data for name, data, *_ in INPUTS if name.endswith("-injected"))
    called.clear()
    list(engine.run(rules, _context(copy.deepcopy(injected), str(SHOP / "taskdefs/products-api.json"),
                                    SHOP / "meshify.yaml")))
    assert called == [current.id for current in rules]


@pytest.mark.parametrize(("scope", "value", "message"), [
    ("mesh", True, "needs_envoy is True or False, and True only on a taskdef rule"),
    ("taskdef", 1, "needs_envoy is True or False"),
])
def test_needs_envoy_is_refused_but_on_a_taskdef_rule(scope, value, message):
    assert_refused(message, "X901", "error", scope, needs_envoy=value)

"""What a fixable rule declares with ``settles=True`` (engine/registry.py): when a check of
it finds one thing only, and that has a fix, the check finds nothing once the fix is
applied; ``runner.fix`` then does not check it again after that fix.

Held true at every step of the fix loop (every rule checked after every fix) on the golden
cases, their injected outputs and those broken on purpose in many ways (the inputs of
test_rule_reads.py): wherever a settling rule finds one thing with a fix, the fix is applied
to a copy and the rule checked there; anything it finds is a lie of the declaration."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from meshify.injector import engine
from meshify.injector.engine.runner import _overwrites_unknown, apply_in_place
from test_registry import assert_refused
from test_rule_reads import BARE, BARE_FIXES, FIRST_PASS, INPUTS, SHOP, _context, _counting, _fixable

# The rules whose fixes settle them; a rule added here must pass the test below.
SETTLING = {"T201", "T202", "T203", "T204", "T214"}


def _held_to_settling(current: engine.Rule, problems: list[str]) -> engine.Rule:
    """``current`` as the reference loop checks it (after every fix, never trusted to
    settle), each of its lone fixes tried on a copy: the rule checked there finds nothing."""
    original = current.check

    def check(context: engine.TaskContext):
        findings = list(original(context))
        if len(findings) == 1 and findings[0].fix:
            operations = engine.built_fix(findings[0])
            assert operations is not None
            if not _overwrites_unknown(context.taskdef, operations):  # runner.fix would not apply it
                after = copy.deepcopy(context.taskdef)
                apply_in_place(after, copy.deepcopy(operations))
                again = list(original(engine.TaskContext(context.mesh, context.claimant, after, context.locate)))
                problems.extend([f"{current.id}: after its fix {operations[0]['op']} {operations[0]['path']}, "
                             f"it finds {found.message!r}" for found in again])
        return findings

    return dataclasses.replace(current, check=check, reads=None, read_paths=None, read_facts=frozenset(),
                               settles=False)


def test_the_settling_rules_are_those_declared():
    assert {current.id for current in _fixable() if current.settles} == SETTLING


@pytest.mark.parametrize(("name", "data", "path", "manifest"), INPUTS, ids=[case[0] for case in INPUTS])
def test_a_settling_rule_finds_nothing_after_its_lone_fix(name, data, path, manifest):
    problems: list[str] = []
    rules = [_held_to_settling(current, problems) if current.settles else current for current in _fixable()]
    engine.fix([dataclasses.replace(current, reads=None, read_paths=None, read_facts=frozenset())
                for current in rules], _context(copy.deepcopy(data), path, manifest), "taskdef", [])
    assert sorted(set(problems)) == []


def _two_volumes(context: engine.TaskContext):
    """A rule that does not settle: one finding at a time, until the task has two volumes."""
    volumes = context.taskdef.get("volumes") or []
    if len(volumes) < 2:
        yield engine.Finding("X905", "error", f"{len(volumes)} volumes, not two", context.locate("/family"),
                             fix=[{"op": "add", "path": "/volumes", "value": [*volumes, {"name": f"v{len(volumes)}"}]}])


def test_the_test_finds_a_rule_whose_fix_does_not_settle_it():
    data, path, manifest = INPUTS[0][1:]
    liar = dataclasses.replace(_fixable()[0], id="X905", check=_two_volumes, reads=("/volumes",), read_paths=(("volumes",),),
                               read_facts=frozenset(), settles=True)
    # Believed, the lie loses the second volume...
    patch = engine.fix([liar], _context(copy.deepcopy(data), path, manifest), "taskdef", [])
    assert [operation["value"] for operation in patch] == [[{"name": "v0"}]]
    assert len(engine.fix([dataclasses.replace(liar, settles=False)], _context(copy.deepcopy(data), path, manifest),
                          "taskdef", [])) == 2
    # ... and the test above finds it out.
    problems: list[str] = []
    engine.fix([_held_to_settling(liar, problems)], _context(copy.deepcopy(data), path, manifest), "taskdef", [])
    assert problems == ["X905: after its fix add /volumes, it finds '1 volumes, not two'"]


def test_a_settling_rule_is_not_checked_again_after_its_lone_fix():
    # The bare task definition's four fixes (T201, T203, T204, T214) are each all their rule
    # finds: 11 checks, where test_rule_reads's loop without the declarations makes 15.
    counts: list[str] = []
    context = _context(BARE, str(SHOP / "taskdefs/products-api.json"), SHOP / "meshify.yaml")
    patch = engine.fix(_counting(_fixable(), counts), context, "taskdef", [])
    assert [operation["path"] for operation in patch] == BARE_FIXES
    assert counts == sorted(set(FIRST_PASS))


@pytest.mark.parametrize(("settles", "fixable"), [("yes", True), (1, True), (True, False)])
def test_a_wrong_declaration_of_settles_fails_at_registration(settles, fixable):
    assert_refused("settles is True or False, and True only on a fixable rule", "X904", "error", "taskdef",
                   fixable=fixable, settles=settles)

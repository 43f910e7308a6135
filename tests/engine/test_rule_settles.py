"""What a fixable rule declares with ``settles=True`` (engine/registry.py): when a check of
it finds one thing only, and that has a fix, the check finds nothing once the fix is
applied; ``runner.fix`` then does not check it again after that fix. With ``settles_too``,
the rules it names find nothing then either, and are not checked until a later fix concerns
them.

Held true at every step of the fix loop (every rule checked after every fix) on the golden
cases, their injected outputs and those broken on purpose in many ways (the inputs of
test_rule_reads.py): wherever a settling rule finds one thing with a fix, the fix is applied
to a copy and the rule (and each rule it names in ``settles_too``) checked there; anything
found is a lie of the declaration."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from meshify.injector import engine
from meshify.injector.engine.runner import _overwrites_unknown, apply_in_place
from test_registry import assert_refused
from test_rule_reads import BARE, BARE_FIXES, INPUTS, SHOP, _context, _counting, _fixable

# The rules whose fixes settle them; a rule added here must pass the test below.
SETTLING = {"T201", "T202", "T203", "T204", "T214"}
# The other rules a settling rule's lone fix settles: T201's Envoy container is built with
# the essential flag and health check (T202), the ARN (T207) and the manifest's settings
# (T213) those rules ask of Envoy.
SETTLING_TOO = {"T201": ("T202", "T207", "T213")}


def _held_to_settling(current: engine.Rule, problems: list[str],
                      others: dict[str, engine.Rule] | None = None) -> engine.Rule:
    """``current`` as the reference loop checks it (after every fix, never trusted to
    settle), each of its lone fixes tried on a copy: the rule checked there finds nothing,
    nor does any rule it names in ``settles_too`` (of ``others``, by id)."""
    original = current.check
    settled_too = [(others or {})[name] for name in current.settles_too]

    def check(context: engine.TaskContext):
        findings = list(original(context))
        if len(findings) == 1 and findings[0].fix:
            operations = engine.built_fix(findings[0])
            assert operations is not None
            if not _overwrites_unknown(context.taskdef, operations):  # runner.fix would not apply it
                after = copy.deepcopy(context.taskdef)
                apply_in_place(after, copy.deepcopy(operations))
                for checked in [current, *settled_too]:
                    again = list((original if checked is current else checked.check)(
                        engine.TaskContext(context.mesh, context.claimant, copy.deepcopy(after), context.locate)))
                    problems.extend([f"{current.id}: after its fix {operations[0]['op']} {operations[0]['path']}, "
                                     f"{checked.id} finds {found.described().message!r}" for found in again])
        return findings

    return dataclasses.replace(current, check=check, reads=None, read_paths=None, read_facts=frozenset(),
                               settles=False, settles_too=())


def test_the_settling_rules_are_those_declared():
    assert {current.id for current in _fixable() if current.settles} == SETTLING
    assert {current.id: current.settles_too for current in _fixable() if current.settles_too} == SETTLING_TOO


@pytest.mark.parametrize(("name", "data", "path", "manifest"), INPUTS, ids=[case[0] for case in INPUTS])
def test_a_settling_rule_finds_nothing_after_its_lone_fix(name, data, path, manifest):
    problems: list[str] = []
    others = {current.id: current for current in _fixable()}
    rules = [_held_to_settling(current, problems, others) if current.settles else current for current in _fixable()]
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
                               read_facts=frozenset(), settles=True, settles_too=())
    # Believed, the lie loses the second volume...
    patch = engine.fix([liar], _context(copy.deepcopy(data), path, manifest), "taskdef", [])
    assert [operation["value"] for operation in patch] == [[{"name": "v0"}]]
    assert len(engine.fix([dataclasses.replace(liar, settles=False)], _context(copy.deepcopy(data), path, manifest),
                          "taskdef", [])) == 2
    # ... and the test above finds it out.
    problems: list[str] = []
    engine.fix([_held_to_settling(liar, problems)], _context(copy.deepcopy(data), path, manifest), "taskdef", [])
    assert problems == ["X905: after its fix add /volumes, X905 finds '1 volumes, not two'"]


def _no_volumes(context: engine.TaskContext):
    """A rule that settles: one fix gives the task its volume."""
    if not context.taskdef.get("volumes"):
        yield engine.Finding("X905", "error", "no volume", context.locate("/family"),
                             fix=[{"op": "add", "path": "/volumes", "value": [{"name": "v0"}]}])


def _volumes_named(context: engine.TaskContext):
    """A rule that X905's fix does not settle: every volume's name starts with "data"."""
    for position, volume in enumerate(context.taskdef.get("volumes") or []):
        if not volume["name"].startswith("data"):
            yield engine.Finding("X906", "error", f"volume {volume['name']} is not data",
                                 context.locate(f"/volumes/{position}"))


def test_the_test_finds_a_rule_whose_fix_does_not_settle_another_it_names():
    data, path, manifest = INPUTS[0][1:]
    template = _fixable()[0]
    liar = dataclasses.replace(template, id="X905", check=_no_volumes, reads=("/volumes",), read_paths=(("volumes",),),
                               read_facts=frozenset(), settles=True, settles_too=("X906",))
    named = dataclasses.replace(template, id="X906", check=_volumes_named, reads=("/volumes",),
                                read_paths=(("volumes",),), read_facts=frozenset(), settles=False, settles_too=())
    # Believed, the lie loses X906's finding...
    unfixed: list[engine.Finding] = []
    engine.fix([liar, named], _context(copy.deepcopy(data), path, manifest), "taskdef", unfixed)
    assert unfixed == []
    engine.fix([dataclasses.replace(liar, settles_too=()), named], _context(copy.deepcopy(data), path, manifest),
               "taskdef", unfixed)
    assert [found.message for found in unfixed] == ["volume v0 is not data"]
    # ... and the test above finds it out.
    problems: list[str] = []
    engine.fix([_held_to_settling(liar, problems, {"X906": named}), named],
               _context(copy.deepcopy(data), path, manifest), "taskdef", [])
    assert problems == ["X905: after its fix add /volumes, X906 finds 'volume v0 is not data'"]


def test_a_settling_rule_is_not_checked_again_after_its_lone_fix():
    # The bare task definition's four fixes (T201, T203, T204, T214) are each all their rule
    # finds, and T201's settles T202, T207 and T213 too: 8 checks, where test_rule_reads's
    # loop without the declarations makes 15.
    counts: list[str] = []
    context = _context(BARE, str(SHOP / "taskdefs/products-api.json"), SHOP / "meshify.yaml")
    unfixed: list[engine.Finding] = []
    patch = engine.fix(_counting(_fixable(), counts), context, "taskdef", unfixed)
    assert [operation["path"] for operation in patch] == BARE_FIXES
    assert counts == ["T201", "T203", "T204", "T205", "T206", "T208", "T210", "T214"]
    assert unfixed == []


@pytest.mark.parametrize(("settles", "fixable"), [("yes", True), (1, True), (True, False)])
def test_a_wrong_declaration_of_settles_fails_at_registration(settles, fixable):
    assert_refused("settles is True or False, and True only on a fixable rule", "X904", "error", "taskdef",
                   fixable=fixable, settles=settles)


@pytest.mark.parametrize(("settles_too", "settles"), [
    (("T202",), False), ("T202", True), (["T202"], True), (("t202",), True), (("X904",), True),
    (("T202", "T202"), True), ((202,), True)])
def test_a_wrong_declaration_of_settles_too_fails_at_registration(settles_too, settles):
    assert_refused("settles_too is a tuple of other rules' ids, each once, on a rule that settles", "X904", "error",
                   "taskdef", fixable=True, reads=("/volumes",), settles=settles, settles_too=settles_too)


def test_the_test_finds_t201_out_if_it_named_t206():
    # T201's container runs as the Envoy user, but a proxy configuration written before it may
    # let another UID through: T206 is not among the rules T201's fix settles, and the test
    # would say so of a task definition like this one.
    data = {**BARE, "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy",
                                           "properties": [{"name": "IgnoredUID", "value": "1000"}]}}
    others = {current.id: current for current in _fixable()}
    problems: list[str] = []
    t201 = dataclasses.replace(others["T201"], settles_too=("T202", "T206", "T207", "T213"))
    engine.fix([_held_to_settling(t201, problems, others), *list(others.values())[1:]],
               _context(copy.deepcopy(data), str(SHOP / "taskdefs/products-api.json"), SHOP / "meshify.yaml"),
               "taskdef", [])
    assert problems == ["T201: after its fix add /containerDefinitions/-, T206 finds \"IgnoredUID is '1000', not the "
                        "Envoy user '1337'\""]
    problems.clear()
    engine.fix([_held_to_settling(others["T201"], problems, others), *list(others.values())[1:]],
               _context(copy.deepcopy(data), str(SHOP / "taskdefs/products-api.json"), SHOP / "meshify.yaml"),
               "taskdef", [])
    assert problems == []


def test_a_rule_that_never_stops_fixing_is_a_bug():
    # 64 fixes of one rule in a row, then the loop gives up (a rule whose fix never settles it).
    checks: list[int] = []

    def forever(context: engine.TaskContext):
        checks.append(len(checks))
        yield engine.Finding("X907", "error", "again", context.locate("/family"),
                             fix=[{"op": "add", "path": "/volumes", "value": []}])

    data, path, manifest = INPUTS[0][1:]
    endless = dataclasses.replace(_fixable()[0], id="X907", check=forever, reads=("/volumes",),
                                  read_paths=(("volumes",),), read_facts=frozenset(), settles=False, settles_too=())
    with pytest.raises(RuntimeError, match="the injection rules keep proposing fixes"):
        engine.fix([endless], _context(copy.deepcopy(data), path, manifest), "taskdef", [])
    assert len(checks) == 64

"""engine.runner.fix: the fixable rules' fixes applied to one working copy, to a fixpoint.
It must give exactly what applying each fix to a fresh copy (jsonpatch) and running the
rules once more afterwards gave: the same patch, the same data, the same findings left."""

from __future__ import annotations

import copy
import json

import jsonpatch
import pytest
from golden_cases import CASES
from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector import engine
from meshify.injector.commands.inject import claimant_for
from meshify.injector.documents.unknown import DefaultInt, DefaultStr, ResolvedStr, Unknown, unknown_at, value_at
from meshify.injector.engine.runner import _walk, apply_in_place
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.inputs.task_definition import load_taskdef


def _fix_with_copies(rules, context, attribute):
    """The fixpoint as it was computed before: every fix applied by jsonpatch to a new copy."""
    fixable = [current for current in rules if current.fixable]
    patch = []
    while True:
        applied = False
        for current in fixable:
            while True:
                pending = next((engine.built_fix(found) for found in current.check(context) if found.fix), None)
                if pending is None:
                    break
                setattr(context, attribute, jsonpatch.apply_patch(getattr(context, attribute), pending))
                context.changed()
                patch += pending
                applied = True
        if not applied:
            return patch


def _context(name, source, manifest):
    if not source.exists():
        pytest.skip(f"{source} is not here (../shared/corpus)")
    mesh = load_manifest(str(manifest))
    taskdef = load_taskdef(str(source))
    return engine.TaskContext(mesh, claimant_for(mesh, taskdef, None), copy.deepcopy(taskdef.data), taskdef.loc)


def _as_compared(findings):
    return [(found.rule, found.severity, found.message, found.loc.pointer, found.fix) for found in findings]


@pytest.mark.parametrize(("name", "source", "manifest"), CASES, ids=[case[0] for case in CASES])
def test_one_working_copy_gives_the_patch_data_and_findings_of_fresh_copies(name, source, manifest):
    rules = [rule for rule in engine.all_rules().values() if rule.scope == "taskdef" and rule.fixable]
    expected_context = _context(name, source, manifest)
    expected_patch = _fix_with_copies(rules, expected_context, "taskdef")
    expected_left = list(engine.run(rules, expected_context))

    context = _context(name, source, manifest)
    original = copy.deepcopy(context.taskdef)
    working_copy = context.taskdef
    unfixed: list[engine.Finding] = []
    patch = engine.fix(rules, context, "taskdef", unfixed)

    assert patch == expected_patch and patch
    assert context.taskdef is working_copy  # edited in place, never copied
    assert context.taskdef == expected_context.taskdef == jsonpatch.apply_patch(original, patch)
    assert _as_compared(unfixed) == _as_compared(expected_left)


def test_a_fixed_document_needs_no_fix_and_leaves_its_findings():
    name, source, manifest = CASES[0]
    rules = [rule for rule in engine.all_rules().values() if rule.scope == "taskdef" and rule.fixable]
    context = _context(name, source, manifest)
    engine.fix(rules, context, "taskdef")
    unfixed: list[engine.Finding] = []
    assert engine.fix(rules, context, "taskdef", unfixed) == []
    assert _as_compared(unfixed) == _as_compared(engine.run(rules, context))


def test_the_rules_given_may_be_any_iterable_and_the_fixable_among_them_are_applied():
    # runner.fix keeps the fixable rules with its plan of the rules given (not chosen again
    # per file): a generator, a tuple and a list with other rules mixed in give one answer.
    name, source, manifest = CASES[0]
    fixable = [rule for rule in engine.all_rules().values() if rule.scope == "taskdef" and rule.fixable]
    others = [rule for rule in engine.all_rules().values() if rule.scope == "taskdef" and not rule.fixable]
    expected_context = _context(name, source, manifest)
    expected_left: list[engine.Finding] = []
    expected = engine.fix(fixable, expected_context, "taskdef", expected_left)
    assert expected
    for rules in (iter(fixable), tuple(fixable), [*others[:2], *fixable, *others[2:]], (rule for rule in fixable)):
        context = _context(name, source, manifest)
        unfixed: list[engine.Finding] = []
        assert engine.fix(rules, context, "taskdef", unfixed) == expected
        assert context.taskdef == expected_context.taskdef
        assert _as_compared(unfixed) == _as_compared(expected_left)


DOCUMENT = {"a": [1, {"b": [2, 3]}], "c": {"d": "e"}, "list": []}
OPERATIONS = [
    {"op": "add", "path": "/a/-", "value": {"new": [1]}},
    {"op": "add", "path": "/a/0", "value": 0},
    {"op": "add", "path": "/a/2/b/2", "value": 4},
    {"op": "add", "path": "/c/f", "value": {"g": []}},
    {"op": "add", "path": "/c/d", "value": "replaced by add"},
    {"op": "replace", "path": "/a/1", "value": [9]},
    {"op": "replace", "path": "/c/f", "value": {"h": 1}},
    {"op": "remove", "path": "/a/0"},
    {"op": "remove", "path": "/c/d"},
    {"op": "add", "path": "/list/-", "value": {"x": 1}},
    {"op": "add", "path": "/list/0/y", "value": 2},
    {"op": "add", "path": "/with~1slash", "value": "~0"},
    {"op": "add", "path": "/with~0tilde", "value": 1},
]


def test_in_place_edits_are_jsonpatchs_and_never_share_the_patchs_values():
    patch = copy.deepcopy(OPERATIONS)
    document = copy.deepcopy(DOCUMENT)
    apply_in_place(document, patch)
    assert document == jsonpatch.apply_patch(DOCUMENT, OPERATIONS)
    assert patch == OPERATIONS  # "/list/0/y" edited the inserted copy, not the patch's value
    assert json.dumps(document)  # plain data, nothing shared that a later edit could reach


@pytest.mark.parametrize("operation", [
    {"op": "replace", "path": "/c/missing", "value": 1},
    {"op": "remove", "path": "/c/missing"},
    {"op": "remove", "path": "/a/7"},
    {"op": "add", "path": "/a/9", "value": 1},
    {"op": "add", "path": "/missing/x", "value": 1},
], ids=["replace-missing", "remove-missing", "remove-past-end", "add-past-end", "add-under-missing"])
def test_an_operation_jsonpatch_refuses_is_refused(operation):
    with pytest.raises((jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, KeyError)):
        jsonpatch.apply_patch(DOCUMENT, [operation])
    with pytest.raises((KeyError, IndexError)):
        apply_in_place(copy.deepcopy(DOCUMENT), [operation])


def test_only_the_operations_fixes_are_made_of_are_applied():
    with pytest.raises(ValueError, match="not 'move'"):
        apply_in_place(copy.deepcopy(DOCUMENT), [{"op": "move", "path": "/c", "from": "/a"}])


def test_t211_trusts_the_readers_check_until_a_fix_edits_the_task_definition():
    """A task definition the reader found valid is not validated again by T211 (lint);
    once a fix edits it, the context forgets it and T211 asks the model again."""
    from golden_cases import SHOP

    mesh = load_manifest(str(SHOP / "meshify.yaml"))
    taskdef = load_taskdef(str(SHOP / "taskdefs" / "products-api.json"))
    assert taskdef.valid
    context = engine.TaskContext(mesh, claimant_for(mesh, taskdef, None), copy.deepcopy(taskdef.data), taskdef.loc,
                                 known_valid=taskdef.valid)
    t211 = engine.all_rules()["T211"]
    context.taskdef["cpu"] = 512  # as a fix could edit it: the model wants a string
    assert list(t211.check(context)) == []
    context.changed()
    assert [found.message for found in t211.check(context)] == [
        "ECS rejects this task definition: cpu: a int where the model wants str"]


def test_the_reader_knows_a_task_definition_valid_only_when_the_model_finds_nothing(tmp_path):
    from golden_cases import SHOP

    data = json.loads((SHOP / "taskdefs" / "products-api.json").read_text())
    data["containerDefinitions"][0]["networkMode"] = "awsvpc"  # T211: unknown key
    (tmp_path / "invalid.json").write_text(json.dumps(data))
    assert not load_taskdef(str(tmp_path / "invalid.json")).valid
    del data["containerDefinitions"][0]["networkMode"]
    (tmp_path / "valid.json").write_text(json.dumps(data))
    assert load_taskdef(str(tmp_path / "valid.json")).valid
    (tmp_path / "described.json").write_text(json.dumps({"taskDefinition": {**data, "revision": 3}}))
    assert not load_taskdef(str(tmp_path / "described.json")).valid  # its data is not what was validated


def _marked(value: object, kind: type) -> object:
    marked = kind(value)
    marked.variable = "var.x"  # type: ignore[attr-defined]
    return marked


_LEAVES = st.one_of(st.none(), st.integers(0, 3), st.sampled_from(["a", "0", "${x}"]),
                    st.builds(Unknown, st.just("var.x")), st.builds(_marked, st.sampled_from(["a", "b"]), st.just(DefaultStr)),
                    st.builds(_marked, st.sampled_from(["c"]), st.just(ResolvedStr)),
                    st.builds(_marked, st.integers(0, 3), st.just(DefaultInt)))
_TREES = st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "0", "a/b"]),
                                                                                          inner, max_size=3), max_leaves=12)
_POINTERS = st.lists(st.sampled_from(["a", "b", "0", "1", "2", "-", "a~1b", "01"]), max_size=4).map(
    lambda tokens: "".join(f"/{token}" for token in tokens))


@pytest.mark.slow  # thousands of cases: the fast tier stays under 30 s
@settings(max_examples=500, deadline=None)
@given(data=_TREES, pointer=_POINTERS)
def test_one_walk_answers_what_value_at_and_unknown_at_answer(data, pointer):
    assert _walk(data, pointer) == (value_at(data, pointer), unknown_at(data, pointer))

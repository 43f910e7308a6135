"""engine.runner._report: how ``run`` reports a finding (left out at an unknown, noted when it
relies on a variable's default), held to its first spelling (a frozen copy below, the oracle)
on generated data holding every kind of marked value, with the finding's fix and place
anywhere in it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.documents.document import Document, JsonDocument, JsonTemplateDocument
from meshify.injector.documents.pointer import split
from meshify.injector.documents.unknown import (
    DEFAULTED,
    MARKED,
    DefaultFloat,
    DefaultInt,
    DefaultStr,
    ResolvedStr,
    Unknown,
)
from meshify.injector.engine.registry import Finding, Rule
from meshify.injector.engine.runner import _report, run
from meshify.injector.model.mesh import NOWHERE, Loc


def _old_walk(data: Any, pointer: str) -> tuple[Any, bool]:
    node = data
    for token in pointer.split("/")[1:] if "~" not in pointer else split(pointer):
        if isinstance(node, MARKED):
            return None, True
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None, False
    return node, isinstance(node, MARKED)


def _old_report(found: Finding, data: Any) -> Finding | None:
    fix = found.fix
    relied_on: Any = None
    overwrites_unknown = False
    if fix and data is not None:
        for operation in fix:
            value, marked = _old_walk(data, operation["path"])
            if relied_on is None and isinstance(value, DEFAULTED):
                relied_on = value
            overwrites_unknown = overwrites_unknown or marked
    at_unknown = False
    document = found.loc.document
    if relied_on is None and document is not None:
        value, at_unknown = _old_walk(getattr(document, "data", None), found.loc.pointer)
        if isinstance(value, DEFAULTED):
            relied_on = value
    if relied_on is not None:
        default = f"through {relied_on.variable}" if isinstance(relied_on, ResolvedStr) \
            else f"relies on the default of {relied_on.variable}"
        return Finding(found.rule, found.severity, f"{found.message} ({default})", found.loc, None,
                       relies_on_default=True)
    if not (overwrites_unknown if fix else at_unknown):
        return found
    return None


class _Held:
    """A document of any kind but the plain JSON one: its data as given."""

    path = "held.json"

    def __init__(self, data: Any) -> None:
        self.data = data


class _DictOfItsOwn(dict):  # type: ignore[type-arg]
    pass


class _ListOfItsOwn(list):  # type: ignore[type-arg]
    pass


class _StrOfItsOwn(str):
    pass


def _marked(value: object, kind: type) -> object:
    marked = kind(value)
    marked.variable = f"var.{kind.__name__}"  # type: ignore[attr-defined]
    return marked


_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(0, 3), st.floats(0, 2), st.sampled_from(["a", "0", "${x}"]),
    st.builds(Unknown, st.just("var.x")), st.builds(_StrOfItsOwn, st.sampled_from(["a", "b"])),
    st.builds(_marked, st.sampled_from(["a", "b"]), st.just(DefaultStr)),
    st.builds(_marked, st.sampled_from(["c"]), st.just(ResolvedStr)),
    st.builds(_marked, st.integers(0, 3), st.just(DefaultInt)),
    st.builds(_marked, st.floats(0, 2), st.just(DefaultFloat)))
_TREES = st.recursive(
    _LEAVES, lambda inner: st.lists(inner, max_size=3) | st.lists(inner, max_size=3).map(_ListOfItsOwn)
    | st.dictionaries(st.sampled_from(["a", "b", "0", "a/b", "~"]), inner, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=3).map(_DictOfItsOwn), max_leaves=12)
_POINTERS = st.lists(st.sampled_from(["a", "b", "0", "1", "2", "-", "a~1b", "~0", "01"]), max_size=4).map(
    lambda tokens: "".join(f"/{token}" for token in tokens))
_FIXES = st.none() | st.lists(_POINTERS.map(lambda pointer: {"op": "add", "path": pointer, "value": 1}), max_size=3)


def _same(found: Finding, data: Any) -> None:
    expected, got = _old_report(found, data), _report(found, data)
    if expected is None or expected is found:
        assert got is expected
    else:
        assert got is not None and got is not found
        assert (got.rule, got.severity, got.message, got.loc, got.fix, got.relies_on_default) == \
            (expected.rule, expected.severity, expected.message, expected.loc, expected.fix, True)


@pytest.mark.slow  # thousands of cases: the fast tier stays under 30 s
@settings(max_examples=1500, deadline=None)
@given(data=_TREES, place_data=_TREES, pointer=_POINTERS, fix=_FIXES, shared=st.booleans(), no_data=st.booleans())
def test_report_is_its_first_spelling_on_marked_data(data, place_data, pointer, fix, shared, no_data):
    document = _Held(data if shared else place_data)
    _same(Finding("T999", "error", "message", Loc(document, pointer), fix), None if no_data else data)
    _same(Finding("T999", "error", "message", Loc(None, pointer), fix), None if no_data else data)


_PLAIN_TREES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(-2, 2) | st.sampled_from(["a", "0", "${x}", ""]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "0", "a/b", "~"]), inner,
                                                                max_size=3), max_leaves=12)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(data=_PLAIN_TREES, pointer=_POINTERS, fix=_FIXES, marked=_TREES)
def test_report_is_its_first_spelling_on_a_json_file(data, pointer, fix, marked):
    document = JsonDocument("plain.json", json.dumps(data))
    _same(Finding("T999", "error", "message", Loc(document, pointer), fix), document.data)
    _same(Finding("T999", "error", "message", Loc(document, pointer), fix), None)
    _same(Finding("T999", "error", "message", Loc(document, pointer), fix), marked)  # a working copy's data


@pytest.mark.parametrize("kind", [DefaultStr, ResolvedStr, DefaultInt, DefaultFloat])
def test_a_finding_at_a_default_says_so_and_its_fix_is_dropped(kind):
    value = _marked({DefaultStr: "a", ResolvedStr: "a", DefaultInt: 2, DefaultFloat: 2.5}[kind], kind)
    data = {"a": [{"b": value}], "c": "plain"}
    at_place = Finding("T999", "error", "m", Loc(_Held(data), "/a/0/b"), None)
    through_fix = Finding("T999", "error", "m", Loc(_Held(data), "/c"), [{"op": "replace", "path": "/a/0/b", "value": 1}])
    said = "through var.ResolvedStr" if kind is ResolvedStr else f"relies on the default of var.{kind.__name__}"
    for found in (at_place, through_fix):
        reported = _report(found, data)
        assert reported is not None and reported.message == f"m ({said})" and reported.fix is None
        assert reported.relies_on_default


def test_a_finding_about_an_unknown_is_left_out_and_a_plain_one_kept():
    data = {"a": Unknown("var.a"), "b": {"c": 1}, "d": [1]}
    assert _report(Finding("T999", "error", "m", Loc(_Held(data), "/a"), None), data) is None
    assert _report(Finding("T999", "error", "m", Loc(_Held(data), "/a/x"), None), data) is None
    assert _report(Finding("T999", "error", "m", Loc(_Held(data), "/b"), [{"op": "add", "path": "/a/x"}]), data) is None
    for pointer in ("/b", "/b/c", "/d/0", "/d/-", "/zz", ""):
        found = Finding("T999", "error", "m", Loc(_Held(data), pointer), [{"op": "add", "path": pointer}])
        assert _report(found, data) is found
    document = JsonDocument("plain.json", '{"a": "${x}", "b": {"c": 1}}')
    found = Finding("T999", "error", "m", Loc(document, "/a"), [{"op": "add", "path": "/b/d"}])
    assert _report(found, document.data) is found


def test_a_json_template_is_walked_its_placeholders_are_unknowns():
    template = Document.load("task.json", '{"a": ${x}, "b": {"c": 1}}')
    assert isinstance(template, JsonTemplateDocument) and isinstance(template.data["a"], Unknown)
    assert _report(Finding("T999", "error", "m", Loc(template, "/a"), None), template.data) is None
    assert _report(Finding("T999", "error", "m", Loc(template, "/b"), [{"op": "replace", "path": "/a"}]),
                   template.data) is None
    kept = Finding("T999", "error", "m", Loc(template, "/b/c"), None)
    assert _report(kept, template.data) is kept


class _Context:
    """What run asks of a context here: the data a finding's fix is judged against."""

    def __init__(self, taskdef: Any) -> None:
        self.taskdef = taskdef


def _ran(found: Finding, data: Any) -> list[Finding]:
    rule = Rule("T999", "error", "a rule", "taskdef", lambda context: iter([found]))
    return list(run([rule], _Context(data)))


def _run_reports_as_report(found: Finding, data: Any) -> None:
    """run's answer for ``found`` (its JSON file's answer given inline) is _report's."""
    expected = _report(Finding(found.rule, found.severity, found.message, found.loc, found.fix), data or None)
    got = _ran(found, data)
    if expected is None:
        assert got == []
    elif expected.relies_on_default:
        assert len(got) == 1 and got[0] is not found
        assert (got[0].message, got[0].loc, got[0].fix, got[0].relies_on_default) == \
            (expected.message, expected.loc, None, True)
    else:
        assert got == [found] and got[0] is found


@settings(max_examples=150, deadline=None)
@given(data=_PLAIN_TREES, pointer=_POINTERS, fix=_FIXES, marked=_TREES, held=_TREES)
def test_run_reports_what_report_says(data, pointer, fix, marked, held):
    document = JsonDocument("plain.json", json.dumps(data))
    for place, judged in ((document, document.data), (document, None), (document, marked), (_Held(held), held),
                          (_Held(held), marked), (None, marked), (None, None)):
        _run_reports_as_report(Finding("T999", "error", "message", Loc(place, pointer), fix), judged)
    template = Document.load("task.json", '{"a": ${x}, "b": {"c": 1}}')
    for pointer_in in ("/a", "/b", "/b/c"):
        _run_reports_as_report(Finding("T999", "error", "m", Loc(template, pointer_in), fix), template.data)


def test_run_describes_a_finding_left_to_be_described_then_reports_it():
    document = JsonDocument("plain.json", '{"a": "${x}", "b": {"c": 1}}')
    rule = Rule("T999", "error", "a rule", "taskdef", lambda context: iter([]))
    later = rule.finding_later(lambda where: ("described", Loc(document, where)), ("/b",), [])
    assert _ran(later, document.data) == [later]
    assert (later.message, later.loc.pointer, later.describe) == ("described", "/b", None)
    unknown = Finding("T999", "error", "m", NOWHERE, [{"op": "add", "path": "/a"}])
    judged = {"a": Unknown("var.a")}
    assert _ran(rule.finding_later(lambda: ("m", Loc(_Held(judged), "/a")), (), unknown.fix), judged) == []

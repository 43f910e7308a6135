"""Findings described on demand (``Rule.finding_later``, engine/registry.py): T201, T203
(a container not waiting for Envoy), T204 (no proxy configuration) and T214 leave their
message and place to a function. The fix loop applies their fixes without building either
(a bare task definition's four fixes); whatever reports a finding (``runner.run``, the fix
loop's unfixed findings) describes it first, with the text and place it always had."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from meshify.injector import engine
from meshify.injector.engine import Finding
from meshify.injector.model.mesh import NOWHERE, Loc
from test_rule_reads import BARE, BARE_FIXES, INPUTS, SHOP, _context, _fixable

PATH = str(SHOP / "taskdefs/products-api.json")
MANIFEST = SHOP / "meshify.yaml"


def _counted(context: engine.TaskContext) -> list[str]:
    """The pointers ``context`` is asked to locate, from now on."""
    asked: list[str] = []
    locate = context.locate

    def counting(pointer: str) -> Loc:
        asked.append(pointer)
        return locate(pointer)

    context.locate = counting
    return asked


def test_the_fix_loop_describes_none_of_a_bare_task_definitions_four_findings():
    context = _context(copy.deepcopy(BARE), PATH, MANIFEST)
    asked = _counted(context)
    unfixed: list[Finding] = []
    patch = engine.fix(_fixable(), context, "taskdef", unfixed)
    assert [operation["path"] for operation in patch] == BARE_FIXES
    assert unfixed == []
    assert asked == []  # no finding's place built (nor its message, built with it)


ENVOY_ADDED = "envoy added"


def _reported(data: dict, rules: list[engine.Rule] | None = None) -> list[tuple[str, str, str, str]]:
    context = _context(copy.deepcopy(data), PATH, MANIFEST)
    return [(found.rule, found.severity, found.message, found.loc.pointer)
            for found in engine.run(rules or _fixable(), context)]


def _with_envoy() -> dict:
    """BARE after T201's fix: T203, T204 and T214 find what they fix there."""
    context = _context(copy.deepcopy(BARE), PATH, MANIFEST)
    found = next(iter(engine.all_rules()["T201"].check(context)))
    data = copy.deepcopy(BARE)
    data["containerDefinitions"].append(copy.deepcopy(engine.built_fix(found))[0]["value"])
    return data


def test_reported_findings_are_described_as_they_always_were():
    assert _reported(BARE) == [
        ("T201", "error", "no Envoy container for node `products-v1`: add one named `envoy` running the App Mesh "
                          "Envoy image", "/containerDefinitions"),
        ("T204", "error", "no proxyConfiguration: the task's traffic does not go through Envoy; add an APPMESH proxy "
                          "configuration for container `envoy`", "/family"),
    ]
    assert _reported(_with_envoy()) == [
        ("T203", "error", "container `app` does not wait for Envoy: add dependsOn {containerName: envoy, "
                          "condition: HEALTHY}", "/containerDefinitions/0/name"),
        ("T204", "error", "no proxyConfiguration: the task's traffic does not go through Envoy; add an APPMESH proxy "
                          "configuration for container `envoy`", "/family"),
        ("T214", "warning", "Envoy container `envoy` has no logConfiguration, but `app` has one: Envoy's logs are "
                            "lost; give it the same log driver", "/containerDefinitions/1/name"),
    ]


def test_a_non_essential_container_not_waiting_is_a_warning_described_the_same():
    data = _with_envoy()
    data["containerDefinitions"][0]["essential"] = False
    data["containerDefinitions"][0]["name"] = "side~car"
    assert _reported(data, [engine.all_rules()["T203"]]) == [
        ("T203", "warning", "container `side~car` does not wait for Envoy: add dependsOn {containerName: envoy, "
                            "condition: HEALTHY}", "/containerDefinitions/0/name")]


def test_described_builds_the_message_and_place_once():
    calls: list[tuple[object, ...]] = []
    place = Loc(None, "/containerDefinitions")

    def describe(*arguments: object) -> tuple[str, Loc]:
        calls.append(arguments)
        return "no Envoy", place

    fix = [{"op": "add", "path": "/x", "value": 1}]
    found = engine.all_rules()["T201"].finding_later(describe, ("a", 2), fix)
    assert (found.message, found.loc, found.fix, found.severity) == ("", NOWHERE, fix, "error")
    assert found.described() is found
    assert found.described() is found
    assert calls == [("a", 2)]
    assert (found.describe, found.arguments) == (None, ())
    eager = Finding("T201", "error", "no Envoy", place, fix)
    assert found == eager
    assert repr(found) == repr(eager)
    assert dataclasses.replace(found, message="other").message == "other"


def test_a_later_findings_severity_may_be_given():
    found = engine.all_rules()["T203"].finding_later(lambda: ("m", NOWHERE), (), [], "warning")
    assert found.severity == "warning"
    assert found.described().message == "m"


@pytest.mark.parametrize(("name", "data", "path", "manifest"), INPUTS, ids=[case[0] for case in INPUTS])
def test_every_finding_run_and_fix_report_is_described(name, data, path, manifest):
    rules = _fixable()
    reported = list(engine.run(rules, _context(copy.deepcopy(data), path, manifest)))
    unfixed: list[Finding] = []
    engine.fix(rules, _context(copy.deepcopy(data), path, manifest), "taskdef", unfixed)
    for found in [*reported, *unfixed]:
        assert found.describe is None and found.arguments == ()
        assert found.message and found.loc is not NOWHERE

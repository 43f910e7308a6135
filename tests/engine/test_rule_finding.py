"""A rule's findings: ``Rule.finding`` sets every field of :class:`Finding` as its
``__init__`` would (it builds the object without that call: a frame less a finding)."""

from __future__ import annotations

import dataclasses

import pytest
from meshify.injector import engine
from meshify.injector.engine import Finding
from meshify.injector.model.mesh import NOWHERE, Loc


def _fields(found: Finding) -> dict[str, object]:
    return {field.name: getattr(found, field.name) for field in dataclasses.fields(Finding)}  # an unset one raises


@pytest.mark.parametrize("severity", [None, "warning", "info"])
@pytest.mark.parametrize("fix", [None, [], [{"op": "add", "path": "/networkMode", "value": "awsvpc"}]])
def test_a_rules_finding_is_what_finding_builds(severity, fix):
    rule = engine.all_rules()["T208"]
    loc = Loc(None, "/networkMode")
    found = rule.finding("networkMode is bridge", loc, fix, severity)
    expected = Finding("T208", severity or "error", "networkMode is bridge", loc, fix)
    assert _fields(found) == _fields(expected)
    assert found == expected
    assert repr(found) == repr(expected)
    assert found.fix is fix and found.loc is loc
    assert type(found) is Finding


def test_a_rules_finding_is_copied_and_replaced_as_a_finding():
    found = engine.all_rules()["T201"].finding("no Envoy", NOWHERE)
    assert dataclasses.replace(found, message="other") == Finding("T201", "error", "other", NOWHERE)

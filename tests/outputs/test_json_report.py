"""lint's ``--format json`` is ``json.dumps`` of the findings as objects, ``indent=2``, byte
for byte, whatever the paths and messages hold (escapes, non-ASCII, lone surrogates)."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.engine.findings import Located
from meshify.injector.outputs.reporters import as_json

_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=20) | st.sampled_from(
    ["", '"', "\\", "\n", "\x00", "\x7f", "\u2028", "\ud800", "é", "😀", "a/b"])
_FINDING = st.builds(Located, _TEXT, st.integers(0, 10**9), st.integers(0, 10**6), _TEXT,
                     st.sampled_from(["error", "warning", "info"]), _TEXT)


def _dumped(findings: list[Located]) -> str:
    return json.dumps([{"path": f.path, "line": f.line, "column": f.column, "rule": f.rule,
                        "severity": f.severity, "message": f.message} for f in findings], indent=2) + "\n"


@settings(max_examples=200, deadline=None)
@given(st.lists(_FINDING, max_size=4))
def test_the_json_report_is_json_dumps_indented(findings):
    assert as_json(findings) == _dumped(findings)


def test_no_finding_is_an_empty_array():
    assert as_json([]) == "[]\n"

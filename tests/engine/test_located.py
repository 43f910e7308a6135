"""A located finding is what reporters print and what workers send back: a list of them
sorts in the order lint reports (file, line, column, rule, severity, message: two findings
at one place never come out in the order of a set), and it survives the trip from a worker
unchanged."""

from __future__ import annotations

import pickle
import random

from meshify.injector.engine.findings import Located


def test_findings_sort_by_place_then_rule_severity_and_message():
    expected = [
        Located("a.json", 2, 3, "T204", "error", "no proxyConfiguration"),
        Located("a.json", 10, 3, "I301", "error", "node `a`"),
        Located("a.json", 10, 3, "I301", "error", "node `b`"),
        Located("a.json", 10, 3, "I301", "warning", "node `a`"),
        Located("a.json", 10, 4, "T201", "error", "no Envoy"),
        Located("b.json", 1, 1, "T201", "error", "no Envoy"),
        Located("taskdefs/a.json", 1, 1, "T201", "error", "no Envoy"),
    ]
    for seed in range(20):
        shuffled = expected[:]
        random.Random(seed).shuffle(shuffled)
        assert sorted(shuffled) == expected
        assert sorted(shuffled, key=lambda found: (*found.sort_key, found.severity, found.message)) == expected


def test_a_finding_comes_back_from_a_worker_as_it_left():
    found = Located("taskdefs/td-00001.json", 2, 3, "T204", "error", "no proxyConfiguration: é")
    back = pickle.loads(pickle.dumps([found, found], pickle.DEFAULT_PROTOCOL))
    assert back == [found, found] and type(back[0]) is Located
    assert back[0].sort_key == ("taskdefs/td-00001.json", 2, 3, "T204")
    assert {found, back[0]} == {found}

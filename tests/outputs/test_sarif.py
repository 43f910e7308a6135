"""SARIF output, validated against the official SARIF 2.1.0 schema from ../shared."""

from __future__ import annotations

import json

import pytest
from conftest import run_meshify
from golden_cases import SHARED

SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


@pytest.fixture
def sarif_schema():
    if not SCHEMA.exists():
        pytest.skip(f"the SARIF schema is absent ({SCHEMA}); it lives beside the checkout in ../shared")
    return json.loads(SCHEMA.read_text())


def test_sarif_has_every_rule_family_and_validates(shop, sarif_schema):
    import jsonschema

    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("weight: 90\n", "weight: 9\n"))
    (shop / "role.json").write_text('{"Version": "2012-10-17", "Statement": []}\n')
    result = run_meshify("lint", "meshify.yaml", "taskdefs/products-api.json", "--policy", "role.json",
                         "--format", "sarif", cwd=shop)
    assert result.returncode == 1
    document = json.loads(result.stdout)
    jsonschema.validate(document, sarif_schema)

    run = document["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert {"M101", "T201", "I301", "S001"} <= set(rule_ids)
    assert all(rule["help"]["text"] and rule["fullDescription"]["text"] for rule in run["tool"]["driver"]["rules"])
    results = {(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                r["locations"][0]["physicalLocation"]["region"]["startLine"],
                r["locations"][0]["physicalLocation"]["region"]["startColumn"], r["level"]) for r in run["results"]}
    assert results == {
        ("M102", "meshify.yaml", 86, 13, "warning"),
        ("T201", "taskdefs/products-api.json", 9, 3, "error"),
        ("T204", "taskdefs/products-api.json", 2, 3, "error"),
        ("I301", "role.json", 1, 27, "error"),
    }
    for entry in run["results"]:
        assert rule_ids[entry["ruleIndex"]] == entry["ruleId"]
        assert entry["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"


def test_fingerprints_survive_lines_added_above(shop, sarif_schema):
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("weight: 90\n", "weight: 9\n"))
    before = json.loads(run_meshify("lint", "--format", "sarif", cwd=shop).stdout)["runs"][0]["results"]
    manifest.write_text("# a new comment line\n" + manifest.read_text())
    after = json.loads(run_meshify("lint", "--format", "sarif", cwd=shop).stdout)["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in (before[0], after[0])] == [86, 87]
    assert before[0]["partialFingerprints"] == after[0]["partialFingerprints"]


def test_clean_run_is_valid_sarif_with_no_results(shop, sarif_schema):
    import jsonschema

    result = run_meshify("lint", "--format", "sarif", cwd=shop)
    document = json.loads(result.stdout)
    jsonschema.validate(document, sarif_schema)
    assert (result.returncode, document["runs"][0]["results"]) == (0, [])


def test_a_file_that_cannot_be_read_is_a_failed_execution_with_its_place(shop, sarif_schema):
    """Code scanning shows a file meshify could not read: the run says its execution did not
    succeed, with the file's error and place (the other files' results are still there);
    a run without such a file carries no invocation, as before."""
    import jsonschema

    (shop / "taskdefs" / "broken.json").write_text('{"family": "x",\n  "containerDefinitions": [\n')
    result = run_meshify("lint", "meshify.yaml", "taskdefs/products-api.json", "taskdefs/broken.json",
                         "--format", "sarif", cwd=shop)
    assert result.returncode == 2
    assert result.stderr == "taskdefs/broken.json:3:1: invalid JSON: Expecting value\n"
    document = json.loads(result.stdout)
    jsonschema.validate(document, sarif_schema)
    run = document["runs"][0]
    assert {r["ruleId"] for r in run["results"]} == {"T201", "T204"}
    assert run["invocations"] == [{
        "executionSuccessful": False,
        "toolExecutionNotifications": [{
            "level": "error",
            "message": {"text": "invalid JSON: Expecting value"},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": "taskdefs/broken.json", "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": 3, "startColumn": 1}}}],
        }],
    }]
    clean = json.loads(run_meshify("lint", "meshify.yaml", "taskdefs/products-api.json", "--format", "sarif",
                                   cwd=shop).stdout)
    assert "invocations" not in clean["runs"][0]


def test_a_file_error_without_a_place_names_the_file_alone(shop, sarif_schema):
    import jsonschema

    (shop / "taskdefs" / "empty.json").write_text("")
    result = run_meshify("lint", "meshify.yaml", "taskdefs/empty.json", "--format", "sarif", cwd=shop)
    assert result.returncode == 2
    document = json.loads(result.stdout)
    jsonschema.validate(document, sarif_schema)
    [notification] = document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    [line] = result.stderr.splitlines()
    assert line.startswith("taskdefs/empty.json") and line.endswith(notification["message"]["text"])

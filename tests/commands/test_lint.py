"""``meshify lint`` and ``meshify rules`` as a user runs them: formats, exit status,
selection, and bad input."""

from __future__ import annotations

import json
import shutil

from conftest import run_meshify
from golden_cases import GOLDEN


def _broken_weights(shop):
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("weight: 90\n", "weight: 9\n").replace("weight: 10\n        retry",
                                                                                             "weight: 3\n        retry"))


def test_clean_example_exits_zero(shop):
    result = run_meshify("lint", cwd=shop)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_uninjected_task_definitions_fail_with_text_findings(shop):
    result = run_meshify("lint", "taskdefs/shop-ingress.json", cwd=shop)
    assert result.returncode == 1
    assert result.stdout == ("taskdefs/shop-ingress.json:9:3: T201 error: no Envoy container for gateway `shop-gateway`: "
                             "add one named `envoy` running the App Mesh Envoy image\n")


def test_json_format(shop):
    _broken_weights(shop)
    result = run_meshify("lint", "--format", "json", cwd=shop)
    assert result.returncode == 0  # a warning does not fail at the default --fail-on error
    assert json.loads(result.stdout) == [{
        "path": "meshify.yaml", "line": 86, "column": 13, "rule": "M102", "severity": "warning",
        "message": "route `default` of router `products-router`: the weights add up to 12, not 100; they are "
                   "relative, so the traffic splits products-v1 75%, products-v2 25%"}]


def test_fail_on_warning_and_ignore(shop):
    _broken_weights(shop)
    assert run_meshify("lint", "--fail-on", "warning", cwd=shop).returncode == 1
    ignored = run_meshify("lint", "--fail-on", "warning", "--ignore", "M102", cwd=shop)
    assert (ignored.returncode, ignored.stdout) == (0, "")
    selected = run_meshify("lint", "--fail-on", "warning", "--select", "T,I", cwd=shop)
    assert (selected.returncode, selected.stdout) == (0, "")


def test_github_annotations(shop):
    _broken_weights(shop)
    result = run_meshify("lint", "--format", "github", cwd=shop)
    # "%" is escaped as %25 in workflow commands.
    assert result.stdout == ("::warning file=meshify.yaml,line=86,col=13,title=M102::route `default` of router "
                             "`products-router`: the weights add up to 12, not 100; they are relative, so the traffic "
                             "splits products-v1 75%25, products-v2 25%25\n")


def test_github_annotations_show_a_file_that_cannot_be_read(shop):
    """The workflow's summary and the pull request show the file meshify could not read at
    its place, beside the findings of the others; standard error still has the line."""
    (shop / "taskdefs" / "broken.json").write_text('{"family": "x",\n  "containerDefinitions": [\n')
    result = run_meshify("lint", "meshify.yaml", "taskdefs/prices-api.json", "taskdefs/broken.json",
                         "--format", "github", cwd=shop)
    assert result.returncode == 2
    assert result.stderr == "taskdefs/broken.json:3:1: invalid JSON: Expecting value\n"
    assert result.stdout.splitlines()[-1] == (
        "::error file=taskdefs/broken.json,line=3,col=1,title=meshify::invalid JSON: Expecting value")
    assert sum(line.startswith("::error file=taskdefs/prices-api.json") for line in result.stdout.splitlines()) == 2


def test_lint_after_inject_reports_nothing(shop):
    files = ["taskdefs/products-api.json", "taskdefs/products-api-canary.yaml", "taskdefs/prices-api.json",
             "taskdefs/shop-ingress.json"]
    assert run_meshify("inject", *files, "--in-place", "--policy", "role.json", cwd=shop).returncode == 0
    result = run_meshify("lint", "meshify.yaml", *files, "--policy", "role.json", "--fail-on", "info", cwd=shop)
    assert (result.returncode, result.stdout) == (0, "")


def test_findings_never_print_environment_values(shop):
    injected = json.loads((GOLDEN / "shop-products-api.out.json").read_text())
    injected["containerDefinitions"][1]["environment"].append({"name": "DB_PASSWORD", "value": "hunter2-s3cret"})
    injected["containerDefinitions"][0]["environment"].append({"name": "PIN", "value": 424242})  # wrong type: T211
    injected["containerDefinitions"][1]["environment"][0]["value"] = "arn-hunter2-s3cret"
    (shop / "taskdefs/products-api.json").write_text(json.dumps(injected, indent=2))
    result = run_meshify("lint", "taskdefs/products-api.json", "--format", "json", cwd=shop)
    assert {finding["rule"] for finding in json.loads(result.stdout)} == {"T207", "T211"}
    assert "s3cret" not in result.stdout + result.stderr
    assert "424242" not in result.stdout + result.stderr


def test_bad_input_exits_2_with_one_line(shop):
    (shop / "bad.json").write_text('{"family": "x",\n "containerDefinitions": [}\n')
    result = run_meshify("lint", "bad.json", cwd=shop)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "bad.json:2:27: invalid JSON: Expecting value\n"
    other = run_meshify("lint", "--format", "xml", cwd=shop)
    assert other.returncode == 2 and other.stderr == "meshify: --format: 'xml' is not one of text, json, sarif, github\n"


def test_rules_lists_and_documents(shop):
    listing = run_meshify("rules").stdout.splitlines()
    assert "M102  error    Route weights" in listing
    doc = run_meshify("rules", "m104").stdout
    assert doc.startswith("M104 (error): Missing placeholder DNS\n\nWhat: a virtual service that some node has as a backend")
    assert json.loads(run_meshify("rules", "T201", "--format", "json").stdout)["fixable"] is True
    assert run_meshify("rules", "X999").returncode == 2


def test_no_manifest_anywhere(tmp_path):
    (tmp_path / ".git").mkdir()
    shutil.copy(GOLDEN / "shop-ingress.out.json", tmp_path / "td.json")
    result = run_meshify("lint", "td.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("no meshify.yaml here or in a parent directory up to the repository root, and no App Mesh "
                             "resources in the files given; give --manifest PATH\n")

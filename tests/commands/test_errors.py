"""Bad input: one line naming file, line and column; exit 2; no traceback; nothing written."""

from __future__ import annotations

import pytest
from conftest import corpus_file, run_meshify
from golden_cases import GOLDEN


def _assert_rejected(result, expected_line: str) -> None:
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == expected_line + "\n"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(("text", "expected"), [
    ('{\n  "family": "products-api",\n  "networkMode" "awsvpc"\n}\n',
     "bad.json:3:17: invalid JSON: Expecting ':' delimiter"),
    ("", "bad.json:1:1: the file is empty"),
    ('{"family": "products-api", "family": "x", "containerDefinitions": []}',
     'bad.json:1:28: duplicate key "family" (JSON parsers disagree on which one wins)'),
    ('{"Resources": {}}', "bad.json:1:1: not an ECS task definition: no containerDefinitions"),
    ('{"family": "products-api", "containerDefinitions": [{"image": "x"}]}',
     "bad.json:1:53: a container definition needs a name"),
    # What json.loads says, from the decoder kept for every file (json_text.loads).
    ("\ufeff\ufeff{}", "bad.json:1:1: invalid JSON: Unexpected UTF-8 BOM (decode using utf-8-sig)"),
    ('{"family": "products-api", "cpu": NaN, "containerDefinitions": []}', "bad.json: invalid JSON: NaN is not JSON"),
    ('{"family": "products-api", "cpu": -Infinity, "containerDefinitions": []}',
     "bad.json: invalid JSON: -Infinity is not JSON"),
])
def test_bad_json_task_definition(shop, text, expected):
    (shop / "bad.json").write_text(text)
    _assert_rejected(run_meshify("inject", "bad.json", "--in-place", cwd=shop), expected)
    assert (shop / "bad.json").read_text() == text


def test_malformed_yaml(shop):
    text = "family: products-api\ncontainerDefinitions:\n  - name: app\n   image: x\n"
    (shop / "bad.yaml").write_text(text)
    _assert_rejected(run_meshify("inject", "bad.yaml", cwd=shop),
                     "bad.yaml:4:4: invalid YAML: did not find expected '-' indicator")


def test_manifest_breaking_the_schema_names_the_key(shop):
    manifest = (shop / "meshify.yaml").read_text().replace("        protocol: http\n        healthCheck:",
                                                           "        protocol: htp\n        healthCheck:")
    (shop / "meshify.yaml").write_text(manifest)
    before = (shop / "taskdefs/products-api.json").read_bytes()
    _assert_rejected(run_meshify("inject", "taskdefs/products-api.json", "--in-place", cwd=shop),
                     "meshify.yaml:24:9: manifest does not match the schema at /nodes/products-v1/listeners/0/protocol: "
                     "'htp' is not one of http, tcp, http2, grpc")
    assert (shop / "taskdefs/products-api.json").read_bytes() == before


def test_unknown_manifest_key(shop):
    (shop / "meshify.yaml").write_text((shop / "meshify.yaml").read_text().replace("  egressFilter:", "  egresFilter:"))
    _assert_rejected(run_meshify("inject", "taskdefs/products-api.json", cwd=shop),
                     "meshify.yaml:9:3: manifest does not match the schema at /mesh/egresFilter: unknown key "
                     "'egresFilter' (expected one of: account, egressFilter, name, owner, region)")


def test_unknown_node_option(shop):
    _assert_rejected(run_meshify("inject", "taskdefs/products-api.json", "--node", "nope", cwd=shop),
                     "--node: the manifest has no node or gateway named 'nope'")


def test_missing_file(shop):
    _assert_rejected(run_meshify("inject", "missing.json", cwd=shop), "missing.json: no such file")


def test_one_bad_file_among_good_ones_is_reported_and_the_others_injected(shop):
    # cli.md: each file stands alone; the bad one is left byte for byte, exit 2 at the end.
    (shop / "bad.json").write_text("{")
    result = run_meshify("inject", "bad.json", "taskdefs/products-api.json", "--in-place", cwd=shop)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "bad.json:1:2: invalid JSON: Expecting property name enclosed in double quotes"
    assert "injected: taskdefs/products-api.json" in result.stderr
    assert (shop / "taskdefs/products-api.json").read_text() == (GOLDEN / "shop-products-api.out.json").read_text()
    assert (shop / "bad.json").read_text() == "{"


def test_real_duplicate_environment_key_from_the_corpus(shop):
    source = corpus_file("appmesh_servicediscovery/infrastructure/curl-task-def.json")
    (shop / "curl.json").write_text(source.read_text())
    _assert_rejected(run_meshify("inject", "curl.json", "--node", "products-v1", cwd=shop),
                     'curl.json:61:10: duplicate key "environment" (JSON parsers disagree on which one wins)')


def test_conflicting_output_modes(shop):
    _assert_rejected(run_meshify("inject", "taskdefs/products-api.json", "--check", "--in-place", cwd=shop),
                     "meshify: --check and --in-place cannot be combined: choose one output mode")

"""IAM wildcards never reach a policy: a name that is not a plain App Mesh name (`*`,
`tell?r`) or a node ARN that is not exactly one node's is a schema error, and whatever
the manifest says, the statement meshify writes for Envoy names one resource."""

from __future__ import annotations

import json

import pytest
from conftest import run_meshify
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from meshify.injector.documents.document import JsonDocument
from meshify.injector.errors import InputError
from meshify.injector.inputs.manifest import build, validate
from meshify.injector.model.wiring import STREAM_ACTION, policy_statements

NAME_ERROR = "is not an App Mesh name (names take letters, digits, '-', '_' and '.'; no wildcards)"


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("  name: shop\n", '  name: "*"\n', f"meshify.yaml:6:3: manifest does not match the schema at /mesh/name: '*' {NAME_ERROR}"),
    ("  products-v1:\n", '  "tell?r":\n',
     f"meshify.yaml:20:3: manifest does not match the schema at /nodes/tell?r: 'tell?r' {NAME_ERROR}"),
    ("  products-v1:\n", '  "*":\n', f"meshify.yaml:20:3: manifest does not match the schema at /nodes/*: '*' {NAME_ERROR}"),
    ("      - name: beta-users\n", "      - name: beta/*\n",
     "meshify.yaml:68:9: manifest does not match the schema at /routers/products-router/routes/0/name: "
     f"'beta/*' {NAME_ERROR}"),
])
def test_wildcard_names_are_schema_errors(shop, old, new, expected):
    manifest = shop / "meshify.yaml"
    assert old in manifest.read_text()
    manifest.write_text(manifest.read_text().replace(old, new, 1))
    result = run_meshify("inject", "taskdefs/products-api.json", "--policy", "role.json", cwd=shop)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", expected + "\n")
    assert not (shop / "role.json").exists()


def test_a_node_arn_ending_in_a_wildcard_is_a_schema_error(shop):
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace(
        "  products-v1:\n", "  products-v1:\n    arn: arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/*\n", 1))
    result = run_meshify("lint", cwd=shop)
    assert result.returncode == 2
    assert result.stderr == ("meshify.yaml:21:5: manifest does not match the schema at /nodes/products-v1/arn: "
                             "'arn:aws:appmesh:eu-west-1:1111222233... is not a virtual node or gateway ARN "
                             "(names take letters, digits, '-', '_' and '.'; no wildcards)\n")


def _manifest(mesh: str, node: str, arn: str | None) -> dict[str, object]:
    node_body: dict[str, object] = {"family": "app", "listeners": [{"port": 8080, "protocol": "http"}]}
    if arn is not None:
        node_body["arn"] = arn
    return {"version": 1, "mesh": {"name": mesh, "region": "eu-west-1", "account": "111122223333"},
            "nodes": {node: node_body}}


NAMES = st.one_of(st.text(min_size=1, max_size=12), st.sampled_from(["*", "tell?r", "a*", "${aws:username}", "x/y"]))
ARNS = st.one_of(st.none(), st.builds(lambda mesh, tail: f"arn:aws:appmesh:eu-west-1:111122223333:mesh/{mesh}/{tail}",
                                      NAMES, st.sampled_from(["virtualNode/*", "*", "virtualNode/n", "virtualGateway/g?"])))


@pytest.mark.slow  # a property over 300 generated manifests (ARCHITECTURE.md, Tests)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mesh=NAMES, node=NAMES, arn=ARNS)
def test_the_envoy_statement_never_holds_a_wildcard(mesh, node, arn):
    document = JsonDocument("m.json", json.dumps(_manifest(mesh, node, arn)))
    try:
        validate(document)
    except InputError as error:
        assert "manifest does not match the schema" in error.message
        return
    built = build(document)
    statement = next(s for s in policy_statements(built, built.nodes[node]) if s["Action"] == STREAM_ACTION)
    assert not any(wildcard in statement["Resource"] for wildcard in ("*", "?", "${"))
    assert statement["Resource"].endswith(f"/virtualNode/{node}") or statement["Resource"] == arn


def test_a_wildcard_arn_from_anywhere_is_refused_where_the_statement_is_written(shop):
    """Defence in depth: were a node to reach the policy writer with a wildcard in its ARN
    (not through the manifest, whose schema refuses it), it is an error at the node."""
    from meshify.injector.inputs.manifest import load_manifest

    mesh = load_manifest(str(shop / "meshify.yaml"))
    node = mesh.nodes["products-v1"]
    node.arn = node.arn.rsplit("/", 1)[0] + "/*"
    with pytest.raises(InputError) as raised:
        policy_statements(mesh, node)
    assert str(raised.value).endswith("virtualNode 'products-v1': its ARN "
                                      "'arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/*' holds an IAM "
                                      "wildcard; meshify never writes one into a policy")

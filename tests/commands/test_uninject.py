"""``meshify uninject``: the inverse of inject, byte for byte on what inject wrote, and
exactly the App Mesh parts of files people wired by hand."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import corpus_file, run_meshify
from golden_cases import CASES, golden_paths
from meshify.injector.commands.inject import inject
from meshify.injector.commands.uninject import uninject
from meshify.injector.documents.document import Document
from meshify.injector.inputs.manifest import load_manifest
from meshify.injector.inputs.task_definition import load_taskdef
from meshify.injector.model.task_definition import find_envoy
from meshify.injector.outputs.patches import task_definition_edit


def kept_by_uninject(patch: list[dict], original: dict, envoy_name: str) -> list[dict]:
    """The operations of inject's patch that uninject does not undo (model/unwiring.py says
    why): networkMode, and port mappings added to an application container (never to Envoy)."""
    envoy_index = find_envoy(original, envoy_name)
    appended = len(original["containerDefinitions"])
    kept = []
    for operation in patch:
        path = operation["path"]
        if path == "/networkMode":
            kept.append(operation)
        elif "/portMappings" in path:
            index = int(path.split("/")[2])
            if index != envoy_index and index < appended:
                kept.append(operation)
    return kept


def uninjected_text(path) -> str:
    source = load_taskdef(str(path))
    result = uninject(source)
    return task_definition_edit(source.document, [(source, result.patch)]).render()


WIRED_BEFORE = {"corpus-python-app"}  # already had Envoy: inject updated it


@pytest.mark.parametrize(("name", "source", "manifest"), [c for c in CASES if c[0] not in WIRED_BEFORE],
                         ids=[c[0] for c in CASES if c[0] not in WIRED_BEFORE])
def test_uninject_of_every_golden_output_gives_back_the_original(name, source, manifest, tmp_path):
    if not source.exists():
        pytest.skip(f"{source} is absent (the shared corpus lives beside the checkout)")
    patch_path, output_path = golden_paths(name, source)
    injected = tmp_path / output_path.name
    shutil.copy(output_path, injected)
    original = Document.load(str(source))
    mesh = load_manifest(str(manifest))
    expected = original.render(kept_by_uninject(json.loads(patch_path.read_text()), original.data,
                                                mesh.envoy.container_name))
    assert uninjected_text(injected) == expected
    if name != "corpus-nginx-ec2":  # inject set its networkMode to awsvpc
        assert expected == original.text


def test_uninject_then_inject_is_the_injected_file_again(tmp_path):
    """nginx_ec2 had no networkMode: uninject keeps awsvpc, and inject then adds back exactly
    what uninject took."""
    name, source, manifest = next(c for c in CASES if c[0] == "corpus-nginx-ec2")
    if not source.exists():
        pytest.skip("the shared corpus is absent")
    _, output_path = golden_paths(name, source)
    back = tmp_path / "back.json"
    back.write_text(uninjected_text(output_path))
    injection = inject(load_manifest(str(manifest)), load_taskdef(str(back)))
    source_file = injection.source
    assert task_definition_edit(source_file.document, [(source_file, injection.patch)]).render() == output_path.read_text()


def test_hand_wired_corpus_file_loses_exactly_its_app_mesh_parts():
    """python-task-def.json was wired by hand (AWS's guide): Envoy, proxyConfiguration, the
    app's and the X-Ray daemon's dependsOn on Envoy go; the X-Ray daemon and the rest stay."""
    path = corpus_file("appmesh_servicediscovery/infrastructure/python-task-def.json")
    source = load_taskdef(str(path))
    patch = uninject(source).patch
    names = [c["name"] for c in source.data["containerDefinitions"]]
    envoy = names.index("envoy")
    assert {"op": "remove", "path": f"/containerDefinitions/{envoy}"} in patch
    assert patch[-1] == {"op": "remove", "path": "/proxyConfiguration"}
    import jsonpatch

    result = jsonpatch.apply_patch(source.data, patch)
    assert [c["name"] for c in result["containerDefinitions"]] == [n for n in names if n != "envoy"]
    assert "envoy" not in json.dumps([c.get("dependsOn") for c in result["containerDefinitions"]])
    assert "APPMESH_" not in json.dumps(result)
    assert "proxyConfiguration" not in result
    untouched = {key: value for key, value in source.data.items() if key not in ("containerDefinitions", "proxyConfiguration")}
    assert {key: result[key] for key in untouched} == untouched


SHOP_INJECTED = "fixtures/golden/shop-products-api.out.json"


def test_cli_prints_the_original_and_check_exits_1(tmp_path):
    name, source, _ = next(c for c in CASES if c[0] == "shop-products-api")
    injected = tmp_path / "products-api.json"
    shutil.copy(golden_paths(name, source)[1], injected)
    result = run_meshify("uninject", str(injected), cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (0, source.read_text(), "")
    result = run_meshify("uninject", str(injected), "--check", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (1, f"would change: {injected}\n")
    assert run_meshify("uninject", str(injected), "--in-place", cwd=tmp_path).returncode == 0
    assert injected.read_text() == source.read_text()
    result = run_meshify("uninject", str(injected), "--check", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")


def test_cli_patch_is_the_exact_removals(tmp_path):
    name, source, _ = next(c for c in CASES if c[0] == "shop-products-api")
    injected = tmp_path / "products-api.json"
    shutil.copy(golden_paths(name, source)[1], injected)
    result = run_meshify("uninject", str(injected), "--patch", cwd=tmp_path)
    envoy = len(json.loads(source.read_text())["containerDefinitions"])
    assert result.returncode == 0
    assert json.loads(result.stdout) == [
        {"op": "remove", "path": "/containerDefinitions/0/dependsOn"},
        {"op": "remove", "path": f"/containerDefinitions/{envoy}"},
        {"op": "remove", "path": "/proxyConfiguration"},
    ]


def test_yaml_and_described_task_definitions(tmp_path):
    name, source, _ = next(c for c in CASES if c[0] == "shop-products-api-canary")
    injected = tmp_path / "canary.yaml"
    shutil.copy(golden_paths(name, source)[1], injected)
    result = run_meshify("uninject", str(injected), "--diff", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith(f"--- a/{injected}\n")
    assert run_meshify("uninject", str(injected), "--in-place", cwd=tmp_path).returncode == 0
    assert injected.read_text() == source.read_text()

    _, shop_source, _ = next(c for c in CASES if c[0] == "shop-products-api")
    described = tmp_path / "described.json"
    described.write_text(json.dumps({"taskDefinition": {
        **json.loads(golden_paths("shop-products-api", shop_source)[1].read_text()),
        "revision": 3, "status": "ACTIVE"}}, indent=2) + "\n")
    result = run_meshify("uninject", str(described), cwd=tmp_path)
    shop = json.loads(shop_source.read_text())
    assert result.returncode == 0 and json.loads(result.stdout) == shop


def test_app_variables_and_custom_envoy_name_from_the_manifest(tmp_path):
    (tmp_path / "meshify.yaml").write_text(
        "version: 1\nmesh: {name: m, region: eu-west-1, account: '111122223333'}\n"
        "envoy: {containerName: sidecar}\nnodes: {}\n")
    taskdef = tmp_path / "td.json"
    taskdef.write_text(json.dumps({"family": "f", "containerDefinitions": [
        {"name": "app", "image": "app:1", "environment": [
            {"name": "A", "value": "1"}, {"name": "APPMESH_VIRTUAL_NODE_NAME", "value": "mesh/m/virtualNode/a"}],
         "dependsOn": [{"containerName": "db", "condition": "START"}, {"containerName": "sidecar", "condition": "HEALTHY"}]},
        {"name": "db", "image": "db:1", "environment": [{"name": "APPMESH_RESOURCE_ARN", "value": "x"}]},
        {"name": "sidecar", "image": "registry.local/custom-proxy:1"}]}, indent=2))
    result = run_meshify("uninject", str(taskdef), "--patch", cwd=tmp_path)
    assert json.loads(result.stdout) == [
        {"op": "remove", "path": "/containerDefinitions/0/dependsOn/1"},
        {"op": "remove", "path": "/containerDefinitions/0/environment/1"},
        {"op": "remove", "path": "/containerDefinitions/1/environment"},
        {"op": "remove", "path": "/containerDefinitions/2"},
    ]
    (tmp_path / "meshify.yaml").unlink()  # without a manifest, `sidecar` is not known as Envoy
    result = run_meshify("uninject", str(taskdef), "--patch", cwd=tmp_path)
    assert json.loads(result.stdout) == [
        {"op": "remove", "path": "/containerDefinitions/0/environment/1"},
        {"op": "remove", "path": "/containerDefinitions/1/environment"},
    ]


def test_nothing_to_uninject_and_bad_input(tmp_path):
    plain = tmp_path / "plain.json"
    plain.write_text('{"family": "f", "containerDefinitions": [{"name": "app", "image": "a"}]}\n')
    result = run_meshify("uninject", str(plain), "--check", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "")
    broken = tmp_path / "broken.json"
    broken.write_text('{"family": "f",\n "containerDefinitions": [}\n')
    result = run_meshify("uninject", str(broken), str(plain), "--in-place", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"{broken}:2:")
    assert "Traceback" not in result.stderr
    result = run_meshify("uninject", str(plain), "--diff", "--check", cwd=tmp_path)
    assert result.returncode == 2


POLICY = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "ReadBucket",
      "Effect": "Allow",
      "Action": ["s3:GetObject"],
      "Resource": "arn:aws:s3:::shop-assets/*"
    },
    {
      "Effect": "Allow",
      "Action": "appmesh:StreamAggregatedResources",
      "Resource": ["arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/prices-v1"]
    },
    {
      "Sid": "Mixed",
      "Effect": "Allow",
      "Action": ["sqs:SendMessage", "appmesh:StreamAggregatedResources"],
      "Resource": "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/orders-v1"
    },
    {
      "Sid": "OwnXRay",
      "Effect": "Allow",
      "Action": ["xray:PutTraceSegments"],
      "Resource": "*"
    },
    {
      "Sid": "Wildcard",
      "Effect": "Allow",
      "Action": "appmesh:*",
      "Resource": "arn:aws:appmesh:eu-west-1:111122223333:mesh/other/*"
    }
  ]
}
"""


def test_policy_loses_exactly_the_stream_and_meshify_xray_statements(shop, tmp_path):
    """inject --policy adds meshify's statements to a policy with others; uninject --policy
    removes them, the AWS guide's stream statement, and the stream action of a mixed
    statement; every other statement stays byte for byte."""
    policy = tmp_path / "role.json"
    policy.write_text(POLICY)
    manifest = shop / "meshify.yaml"
    manifest.write_text(manifest.read_text().replace("envoy:\n", "envoy:\n  xray: true\n", 1)
                        if "envoy:\n" in manifest.read_text() else manifest.read_text() + "envoy:\n  xray: true\n")
    taskdef = shop / "taskdefs/products-api.json"
    result = run_meshify("inject", str(taskdef), "--in-place", "--policy", str(policy), cwd=shop)
    assert result.returncode == 0, result.stderr
    injected_policy = json.loads(policy.read_text())
    assert [s.get("Sid") for s in injected_policy["Statement"]][-2:] == ["MeshifyEnvoyProductsV1", "MeshifyXRay"]
    result = run_meshify("uninject", str(taskdef), "--in-place", "--policy", str(policy), cwd=shop)
    assert result.returncode == 0, result.stderr
    expected = POLICY.replace("""    {
      "Effect": "Allow",
      "Action": "appmesh:StreamAggregatedResources",
      "Resource": ["arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/prices-v1"]
    },
""", "").replace('["sqs:SendMessage", "appmesh:StreamAggregatedResources"]', '["sqs:SendMessage"]')
    assert policy.read_text() == expected
    assert taskdef.read_text() == (next(c for c in CASES if c[0] == "shop-products-api")[1]).read_text()


def test_policy_file_must_exist(tmp_path):
    taskdef = tmp_path / "td.json"
    taskdef.write_text('{"family": "f", "containerDefinitions": []}')
    result = run_meshify("uninject", str(taskdef), "--policy", str(tmp_path / "none.json"), cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, f"{tmp_path / 'none.json'}: no such file\n")


def test_references_uninject_does_not_own_are_reported_not_removed(tmp_path):
    taskdef = tmp_path / "td.json"
    taskdef.write_text(json.dumps({"family": "f", "containerDefinitions": [
        {"name": "app", "image": "app:1", "links": ["envoy:proxy"], "volumesFrom": [{"sourceContainer": "envoy"}]},
        {"name": "envoy", "image": "public.ecr.aws/appmesh/aws-appmesh-envoy:v1.29.6.0-prod"}]}, indent=2))
    result = run_meshify("uninject", str(taskdef), "--patch", cwd=tmp_path)
    assert json.loads(result.stdout) == [{"op": "remove", "path": "/containerDefinitions/1"}]
    assert result.stderr == (
        f"{taskdef}: warning: container `app` still names the Envoy container in links; uninject leaves that to you "
        "(ECS rejects a reference to a container that does not exist)\n"
        f"{taskdef}: warning: container `app` still names the Envoy container in volumesFrom; uninject leaves that to "
        "you (ECS rejects a reference to a container that does not exist)\n")


def test_each_file_of_a_batch_stands_alone(tmp_path):
    """A file that cannot be used is one line, left byte for byte; the others are uninjected;
    the status is 2 (cli.md)."""
    name, source, _ = next(c for c in CASES if c[0] == "shop-products-api")
    injected = tmp_path / "products-api.json"
    shutil.copy(golden_paths(name, source)[1], injected)
    broken = tmp_path / "broken.json"
    broken.write_text('{"family": "x", "containerDefinitions": [\n')
    result = run_meshify("uninject", "broken.json", "products-api.json", "--in-place", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0].startswith("broken.json:2:1: ")
    assert "Traceback" not in result.stderr
    assert broken.read_text() == '{"family": "x", "containerDefinitions": [\n'
    assert injected.read_text() == source.read_text()

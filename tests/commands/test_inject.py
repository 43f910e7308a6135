"""``meshify inject`` as a user runs it: output modes, exit codes, files written or not."""

from __future__ import annotations

import json

from conftest import run_meshify
from golden_cases import GOLDEN


def test_default_prints_the_injected_task_definition_and_the_policy(shop):
    result = run_meshify("inject", "taskdefs/products-api.json", cwd=shop)
    assert result.returncode == 0
    assert result.stdout == (GOLDEN / "shop-products-api.out.json").read_text()
    assert result.stderr == (
        "The task role needs this policy (give --policy FILE to add it to a policy document):\n"
        + json.dumps({"Version": "2012-10-17", "Statement": [{
            "Sid": "MeshifyEnvoyProductsV1", "Effect": "Allow", "Action": "appmesh:StreamAggregatedResources",
            "Resource": "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1"}]}, indent=2) + "\n")


def test_patch_mode_prints_the_json_patch(shop):
    result = run_meshify("inject", "taskdefs/products-api.json", "--patch", cwd=shop)
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads((GOLDEN / "shop-products-api.patch.json").read_text())


def test_check_lists_files_that_would_change_and_writes_nothing(shop):
    before = (shop / "taskdefs/products-api.json").read_bytes()
    result = run_meshify("inject", "taskdefs/products-api.json", "taskdefs/shop-ingress.json", "--check", cwd=shop)
    assert result.returncode == 1
    assert result.stdout == "would change: taskdefs/products-api.json\nwould change: taskdefs/shop-ingress.json\n"
    assert (shop / "taskdefs/products-api.json").read_bytes() == before


def test_in_place_rewrites_then_check_passes(shop):
    files = ["taskdefs/products-api.json", "taskdefs/products-api-canary.yaml", "taskdefs/prices-api.json",
             "taskdefs/shop-ingress.json"]
    assert run_meshify("inject", *files, "--in-place", cwd=shop).returncode == 0
    assert (shop / "taskdefs/products-api.json").read_text() == (GOLDEN / "shop-products-api.out.json").read_text()
    again = run_meshify("inject", *files, "--check", cwd=shop)
    assert (again.returncode, again.stdout) == (0, "")
    assert run_meshify("inject", "taskdefs/products-api.json", "--patch", cwd=shop).stdout.strip() == "[]"


def test_diff_applies_with_git(shop):
    import subprocess

    diff = run_meshify("inject", "taskdefs/products-api-canary.yaml", "--diff", cwd=shop).stdout
    assert diff.startswith("--- a/taskdefs/products-api-canary.yaml\n+++ b/taskdefs/products-api-canary.yaml\n")
    subprocess.run(["git", "apply", "-"], input=diff, text=True, cwd=shop, check=True)
    assert (shop / "taskdefs/products-api-canary.yaml").read_text() == \
        (GOLDEN / "shop-products-api-canary.out.yaml").read_text()


def test_policy_file_gets_the_scoped_statement_once(shop):
    policy = shop / "task-role.json"
    policy.write_text('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:GetObject", '
                      '"Resource": "*"}\n  ]\n}\n')
    assert run_meshify("inject", "taskdefs/products-api.json", "--policy", "task-role.json", cwd=shop).returncode == 0
    statements = json.loads(policy.read_text())["Statement"]
    assert statements[1] == {
        "Sid": "MeshifyEnvoyProductsV1", "Effect": "Allow", "Action": "appmesh:StreamAggregatedResources",
        "Resource": "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/products-v1"}
    assert policy.read_text().startswith('{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", '
                                         '"Action": "s3:GetObject", "Resource": "*"},\n    {\n      "Sid"')
    before = policy.read_bytes()
    run_meshify("inject", "taskdefs/products-api.json", "--policy", "task-role.json", cwd=shop)
    assert policy.read_bytes() == before


def test_unclaimed_task_definition_is_left_alone_and_said_so(shop):
    (shop / "other.json").write_text('{"family": "billing", "containerDefinitions": [{"name": "a"}]}')
    result = run_meshify("inject", "other.json", "--in-place", cwd=shop)
    assert result.returncode == 0
    assert "other.json: family 'billing' is claimed by no node or gateway of the manifest; left unchanged" in result.stderr
    assert (shop / "other.json").read_text() == '{"family": "billing", "containerDefinitions": [{"name": "a"}]}'


def test_node_option_claims_a_task_definition(shop):
    (shop / "other.json").write_text('{"family": "billing", "networkMode": "awsvpc", "containerDefinitions": '
                                     '[{"name": "a", "portMappings": [{"containerPort": 9090}]}]}')
    result = run_meshify("inject", "other.json", "--node", "prices-v1", "--patch", cwd=shop)
    assert result.returncode == 0
    patch = json.loads(result.stdout)
    assert [(op["op"], op["path"]) for op in patch] == [
        ("add", "/containerDefinitions/-"), ("add", "/containerDefinitions/0/dependsOn"), ("add", "/proxyConfiguration")]
    assert patch[0]["value"]["environment"] == [
        {"name": "APPMESH_RESOURCE_ARN", "value": "arn:aws:appmesh:eu-west-1:111122223333:mesh/shop/virtualNode/prices-v1"}]
    assert {"name": "AppPorts", "value": "9090"} in patch[2]["value"]["properties"]


def test_describe_task_definition_output_becomes_registrable(shop):
    described = {
        "taskDefinition": {
            "taskDefinitionArn": "arn:aws:ecs:eu-west-1:111122223333:task-definition/prices-api:7",
            "family": "prices-api", "revision": 7, "status": "ACTIVE", "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "prices", "image": "prices:2",
                                      "portMappings": [{"containerPort": 9090, "protocol": "tcp"}]}],
            "requiresAttributes": [{"name": "ecs.capability.task-eni"}], "compatibilities": ["EC2", "FARGATE"],
            "registeredAt": "2026-10-01T10:00:00+00:00", "registeredBy": "arn:aws:iam::111122223333:user/ci",
        },
        "tags": [{"key": "team", "value": "shop"}],
    }
    (shop / "described.json").write_text(json.dumps(described, indent=4) + "\n")
    result = run_meshify("inject", "described.json", "--in-place", cwd=shop)
    assert result.returncode == 0
    written = json.loads((shop / "described.json").read_text())
    assert set(written) == {"family", "networkMode", "containerDefinitions", "tags", "proxyConfiguration"}
    assert [c["name"] for c in written["containerDefinitions"]] == ["prices", "envoy"]
    assert run_meshify("inject", "described.json", "--check", cwd=shop).returncode == 0


def test_manifest_is_found_in_a_parent_directory(shop):
    result = run_meshify("inject", "products-api.json", "--patch", cwd=shop / "taskdefs")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads((GOLDEN / "shop-products-api.patch.json").read_text())


def test_version_and_schema():
    from meshify.injector import __version__

    assert run_meshify("--version").stdout == f"meshify {__version__}\n"
    schema = json.loads(run_meshify("schema").stdout)
    listener = schema["$defs"]["nodeListener"]["properties"]
    assert "healthyThreshold" in listener["healthCheck"]["properties"]  # expanded from botocore's model


def test_output_writes_the_injected_file_and_leaves_the_input(shop):
    before = (shop / "taskdefs/products-api.json").read_bytes()
    result = run_meshify("inject", "taskdefs/products-api.json", "--output", "out.json", cwd=shop)
    assert result.returncode == 0 and result.stdout == ""
    assert (shop / "out.json").read_text() == (GOLDEN / "shop-products-api.out.json").read_text()
    assert (shop / "taskdefs/products-api.json").read_bytes() == before
    assert run_meshify("inject", "taskdefs/products-api.json", "taskdefs/prices-api.json", "--output", "o.json",
                       cwd=shop).returncode == 2


def test_without_a_manifest_an_envoy_is_wired_by_the_short_form_of_its_node(tmp_path):
    """A spec file and a task definition, no manifest, no region or account in the files:
    the only ARN meshify could write lacks them (it wrote ``arn:aws:appmesh:us-east-1::mesh//virtualNode/a``,
    the spec's meshName lost too). The Envoy agent takes ``mesh/<mesh>/virtualNode/<node>``."""
    (tmp_path / ".git").mkdir()  # the repository root: no manifest above it
    (tmp_path / "node.json").write_text(
        '{"meshName": "m", "virtualNodeName": "a", "spec": {"listeners": [{"portMapping": {"port": 9090, '
        '"protocol": "http"}}]}}\n')
    (tmp_path / "api.json").write_text(json.dumps({"family": "api", "containerDefinitions": [
        {"name": "app", "image": "api:1", "essential": True, "portMappings": [{"containerPort": 9090}]}]}) + "\n")
    result = run_meshify("inject", "--node", "a", "--in-place", "node.json", "api.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    envoy = json.loads((tmp_path / "api.json").read_text())["containerDefinitions"][1]
    assert envoy["environment"][0] == {"name": "APPMESH_RESOURCE_ARN", "value": "mesh/m/virtualNode/a"}
    assert run_meshify("lint", "node.json", "api.json", "--select", "T207", cwd=tmp_path).stdout == ""


_STACK_OF_A_NAMELESS_MESH = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  MeshName:
    Type: String
Resources:
  Mesh:
    Type: AWS::AppMesh::Mesh
    Properties:
      MeshName: !Ref MeshName
  NodeA:
    Type: AWS::AppMesh::VirtualNode
    Properties:
      MeshName: !GetAtt Mesh.MeshName
      VirtualNodeName: a
      Spec:
        Listeners:
          - PortMapping: {Port: 80, Protocol: http}
        ServiceDiscovery:
          DNS: {Hostname: a.local}
  TaskA:
    Type: AWS::ECS::TaskDefinition
    Properties:
      Family: a
      ContainerDefinitions:
        - Name: app
          Image: nginx
          Essential: true
          PortMappings:
            - ContainerPort: 80
"""


def test_a_mesh_named_only_by_the_stack_is_referenced_in_its_template_and_refused_elsewhere(tmp_path):
    """The template's mesh is named by a parameter without a default: its task definition's
    Envoy gets ``!Ref NodeA``; a task definition file beside it cannot name the mesh, and was
    given ``mesh/(the mesh of the files)/virtualNode/a``. Now that file is refused in one line
    and left as it was; the template is still injected."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "stack.yaml").write_text(_STACK_OF_A_NAMELESS_MESH)
    lone = json.dumps({"family": "b", "containerDefinitions": [
        {"name": "app", "image": "nginx", "essential": True, "portMappings": [{"containerPort": 80}]}]}) + "\n"
    (tmp_path / "b.json").write_text(lone)
    result = run_meshify("inject", "--node", "a", "--in-place", "stack.yaml", "b.json", cwd=tmp_path)
    assert result.returncode == 2
    assert (tmp_path / "b.json").read_text() == lone
    [refusal] = [line for line in result.stderr.splitlines() if line.startswith("b.json")]
    assert refusal == ("b.json:1:1: cannot inject node `a`: the Envoy's APPMESH_RESOURCE_ARN names its mesh, "
                       "whose name only the stack knows (stack.yaml:9:7); give a manifest that names the mesh "
                       "(meshify init --mesh NAME --region REGION --account ACCOUNT), or wire the task definition "
                       "in the template")
    assert "the mesh of the files" not in result.stdout + result.stderr
    written = (tmp_path / "stack.yaml").read_text()
    assert "Value: !Ref NodeA" in written and "the mesh of the files" not in written

"""The migrated shop in an ECS account (moto's server): the uninjected task definition
registers, and the Service Connect service definitions the C5xx tests start from create
services. moto 5.2 accepts ``serviceConnectConfiguration`` but does not keep it, so what
is checked is the round trip through boto3's client-side validation and ECS's create and
describe, not Service Connect's own behaviour."""

from __future__ import annotations

import json

import pytest
from golden_cases import FIXTURES, GOLDEN
from test_live import REGION, _client, endpoint  # noqa: F401  (the fixture)

pytestmark = pytest.mark.slow  # a moto server


def test_uninjected_task_definition_and_service_connect_service_are_created(endpoint, tmp_path):  # noqa: F811
    from conftest import run_meshify

    injected = tmp_path / "products-api.json"
    injected.write_text((GOLDEN / "shop-products-api.out.json").read_text())
    assert run_meshify("uninject", str(injected), "--in-place", cwd=tmp_path).returncode == 0
    taskdef = json.loads(injected.read_text())
    taskdef["containerDefinitions"][0]["portMappings"][0].update(name="products-http", appProtocol="http")

    ecs = _client(endpoint, "ecs")
    ecs.create_cluster(clusterName="shop")
    registered = ecs.register_task_definition(**taskdef)["taskDefinition"]
    assert [c["name"] for c in registered["containerDefinitions"]] == ["app"]
    assert "proxyConfiguration" not in registered

    service = json.loads((FIXTURES / "services/products-service.json").read_text())
    service["taskDefinition"] = registered["taskDefinitionArn"]
    ec2 = _client(endpoint, "ec2")  # moto checks that the service's subnet and security group exist
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    group = ec2.create_security_group(GroupName="products", Description="products", VpcId=vpc)["GroupId"]
    service["networkConfiguration"]["awsvpcConfiguration"] = {"subnets": [subnet], "securityGroups": [group]}
    created = ecs.create_service(**service)["service"]
    assert (created["serviceName"], created["status"]) == ("products", "ACTIVE")
    described = ecs.describe_services(cluster="shop", services=["products"])["services"][0]
    assert described["taskDefinition"] == registered["taskDefinitionArn"]
    assert REGION in described["serviceArn"]


def test_uninject_reads_a_registered_task_definition_from_ecs(endpoint, tmp_path):  # noqa: F811
    from test_live import _env, meshify

    injected = json.loads((GOLDEN / "shop-products-api.out.json").read_text())
    _client(endpoint, "ecs").register_task_definition(**injected)
    result = meshify(endpoint, tmp_path, "uninject", "ecs:products-api:1", env=_env(endpoint) | {"AWS_REGION": REGION})
    assert result.returncode == 0, result.stderr
    uninjected, original = json.loads(result.stdout), json.loads((FIXTURES / "shop/taskdefs/products-api.json").read_text())
    assert "proxyConfiguration" not in uninjected
    assert [c["name"] for c in uninjected["containerDefinitions"]] == ["app"]
    app, original_app = uninjected["containerDefinitions"][0], original["containerDefinitions"][0]
    # ECS fills in defaults (cpu 0, empty volumes); all that was the user's is back, nothing of App Mesh.
    assert "dependsOn" not in app and {key: app[key] for key in original_app} == original_app
    assert {key: uninjected[key] for key in original if key != "containerDefinitions"} == \
        {key: value for key, value in original.items() if key != "containerDefinitions"}
    result = meshify(endpoint, tmp_path, "uninject", "ecs:products-api:1", "--in-place")
    assert (result.returncode, result.stderr) == (2, "ecs:products-api:1 is read from ECS and has no file to rewrite\n")

"""The name mapping, proved against cfn-lint's CloudFormation schemas and botocore's service models."""

from __future__ import annotations

import functools
import importlib.util
import json
import os
from typing import Any

import golden_cases
import pytest
from meshify.injector.inputs import cfn_names as cn

# Only cfn-lint's schema files are read: found where it is installed, not imported (a second of CPU).
_CFNLINT = importlib.util.find_spec("cfnlint")
if _CFNLINT is None or _CFNLINT.origin is None:
    pytest.skip("could not import 'cfnlint'", allow_module_level=True)
loaders = pytest.importorskip("botocore.loaders")

SCHEMAS = os.path.join(os.path.dirname(_CFNLINT.origin), "data", "schemas")
with open(os.path.join(SCHEMAS, "providers", "us-east-1.json")) as _f:
    _PROVIDERS = json.load(_f)  # type name -> schema file hash


def cfn_schema(resource_type: str) -> dict[str, Any]:
    with open(os.path.join(SCHEMAS, "resources", f"{_PROVIDERS[resource_type]}.json")) as f:
        return json.load(f)


@functools.cache  # read-only here; loaded once, not once per resource
def service_model(service: str) -> dict[str, Any]:
    return loaders.Loader().load_service_model(service, "service-2")


def api_root(resource_type: str) -> tuple[dict[str, Any], str]:
    if resource_type == "AWS::ECS::TaskDefinition":
        return service_model("ecs"), "RegisterTaskDefinitionRequest"
    if resource_type == "AWS::ECS::Service":
        return service_model("ecs"), "CreateServiceRequest"
    model = service_model("appmesh")
    return model, model["operations"]["Create" + resource_type.rsplit("::", 1)[1]]["input"]["shape"]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["definitions"][node["$ref"].rsplit("/", 1)[1]]
    return node


class Walk:
    """Walk a CloudFormation schema and an API shape in parallel, recording what matches and what does not."""

    def __init__(self, resource_type: str) -> None:
        self.type = resource_type
        self.schema = cfn_schema(resource_type)
        self.model, root = api_root(resource_type)
        self.pairs: list[tuple[list[str], str, str]] = []  # (cfn parents, cfn name, api name)
        self.no_api: list[str] = []  # CloudFormation paths without an API member
        self.no_cfn: list[str] = []  # API member paths without a CloudFormation property
        self.free_maps: list[str] = []  # CloudFormation paths of user-defined maps
        self._seen: set[tuple[int, str, str]] = set()
        self.walk({"properties": self.schema["properties"]}, root, [])

    def walk(self, cfn: dict[str, Any], shape_name: str, parents: list[str]) -> None:
        cfn = _resolve(self.schema, cfn)
        shape = self.model["shapes"][shape_name]
        # Recursive shapes: stop at the second visit of the same (schema node, shape, parent name).
        key = (id(cfn), shape_name, parents[-1] if parents else "")
        if key in self._seen:
            return
        self._seen.add(key)
        if shape["type"] == "list" and "items" in cfn:
            self.walk(cfn["items"], shape["member"]["shape"], [*parents, "*"])
            return
        if shape["type"] == "map" or shape.get("document") or (shape["type"] == "structure" and "properties" not in cfn):
            self.free_maps.append("/".join(parents))
            return
        if shape["type"] != "structure":
            return
        members = shape["members"]
        matched: set[str] = set()
        for prop, sub in cfn["properties"].items():
            candidates = [m for m in members if m.lower() == prop.lower()]
            expected = cn.api_name(self.type, parents, prop)
            if expected in members:
                api = expected
            elif candidates:
                api = candidates[0]
            else:
                self.no_api.append("/".join([*parents, prop]))
                continue
            matched.add(api)
            self.pairs.append((parents, prop, api))
            self.walk(sub, members[api]["shape"], [*parents, prop])
        self.no_cfn.extend("/".join([*parents, m]) for m in members if m not in matched)


TYPES = list(cn.SUPPORTED_TYPES)


@functools.cache  # a walk is read-only once made: one per type for every test that asks
def walked(resource_type: str) -> Walk:
    return Walk(resource_type)


@pytest.fixture(scope="module", params=TYPES)
def walk(request: pytest.FixtureRequest) -> Walk:
    return walked(request.param)


def test_every_counterpart_maps_both_ways(walk: Walk) -> None:
    assert walk.pairs, "nothing matched: schema or model layout changed"
    wrong = [
        ("/".join([*parents, prop]), cn.api_name(walk.type, parents, prop), api)
        for parents, prop, api in walk.pairs
        if cn.api_name(walk.type, parents, prop) != api or cn.cfn_name(walk.type, parents, api) != prop
    ]
    assert wrong == []


def test_user_defined_maps_are_exactly_opaque(walk: Walk) -> None:
    names = {path.rsplit("/", 1)[-1] for path in walk.free_maps}
    assert names <= cn.OPAQUE
    # No structured property anywhere shares a name with an opaque one.
    structured = {prop for parents, prop, _ in walk.pairs if "/".join([*parents, prop]) not in walk.free_maps}
    assert structured & cn.OPAQUE == set()


def test_all_opaque_names_occur() -> None:
    names = {path.rsplit("/", 1)[-1] for t in TYPES for path in walked(t).free_maps}
    assert names == cn.OPAQUE


# What has no counterpart (documented in NOTES.md). Read-only attributes and API-only request members.
NO_API = {
    "AWS::ECS::TaskDefinition": {"TaskDefinitionArn"},
    "AWS::ECS::Service": {"ForceNewDeployment", "Name", "ServiceArn"},
    "AWS::AppMesh::Mesh": {"Arn", "Id", "MeshOwner", "ResourceOwner", "Uid"},
}
NO_CFN = {
    "AWS::ECS::TaskDefinition": {"trustedExecutionConfiguration"},
    "AWS::ECS::Service": {"clientToken", "GatewayConnectors/*/deregistrationDelay"},
}


def test_no_counterpart_lists(walk: Walk) -> None:
    default_api = {"Arn", "Id", "ResourceOwner", "Uid"}
    assert set(walk.no_api) == NO_API.get(walk.type, default_api)
    assert set(walk.no_cfn) == NO_CFN.get(walk.type, {"clientToken"})


def test_renames_table_is_all_used() -> None:
    used = {prop for t in TYPES for _, prop, _ in walked(t).pairs}
    assert set(cn.APPMESH_RENAMES) <= used
    assert {path.rsplit("/", 1)[-1] for _, path in cn.PATH_RENAMES} <= used


# -- conversions -----------------------------------------------------------------------------------------------

TASK = {
    "Family": "app",
    "ProxyConfiguration": {
        "Type": "APPMESH",
        "ContainerName": "envoy",
        "ProxyConfigurationProperties": [{"Name": "IgnoredUID", "Value": "1337"}],
    },
    "ContainerDefinitions": [
        {"Name": "app", "DockerLabels": {"Team": "x", "com.example/Foo": "y"}, "Image": {"Fn::Sub": "${Repo}:1"}},
        {
            "Name": "envoy",
            "PortMappings": [{"ContainerPort": 9901}],
            "LogConfiguration": {"LogDriver": "awslogs", "Options": {"awslogs-group": {"Ref": "Logs"}}},
            "Environment": [{"Name": "A", "Value": {"Fn::GetAtt": ["Res", "Arn"]}}],
        },
    ],
    "Volumes": [{"Name": "v", "EFSVolumeConfiguration": {"FilesystemId": "fs-1", "AuthorizationConfig": {"IAM": "ENABLED"}}}],
    "Tags": [{"Key": "Owner", "Value": "me"}],
}


def test_to_api_task_definition() -> None:
    api, pointers = cn.to_api(TASK, "AWS::ECS::TaskDefinition")
    assert api["proxyConfiguration"]["properties"] == [{"name": "IgnoredUID", "value": "1337"}]
    assert api["containerDefinitions"][0]["dockerLabels"] == {"Team": "x", "com.example/Foo": "y"}
    assert api["containerDefinitions"][0]["image"] == {"Fn::Sub": "${Repo}:1"}
    assert api["containerDefinitions"][1]["logConfiguration"]["options"] == {"awslogs-group": {"Ref": "Logs"}}
    assert api["containerDefinitions"][1]["environment"][0]["value"] == {"Fn::GetAtt": ["Res", "Arn"]}
    assert api["volumes"][0]["efsVolumeConfiguration"] == {"fileSystemId": "fs-1", "authorizationConfig": {"iam": "ENABLED"}}
    assert api["tags"] == [{"key": "Owner", "value": "me"}]
    assert pointers["/containerDefinitions/1/portMappings/0"] == "/ContainerDefinitions/1/PortMappings/0"
    assert pointers["/proxyConfiguration/properties/0/value"] == "/ProxyConfiguration/ProxyConfigurationProperties/0/Value"
    assert (
        pointers["/containerDefinitions/0/dockerLabels/com.example~1Foo"] == "/ContainerDefinitions/0/DockerLabels/com.example~1Foo"
    )
    assert (
        pointers["/containerDefinitions/1/environment/0/value/Fn::GetAtt/1"]
        == "/ContainerDefinitions/1/Environment/0/Value/Fn::GetAtt/1"
    )
    assert TASK["ContainerDefinitions"][0]["Name"] == "app"  # input untouched


def test_api_pointer_to_cfn_for_new_members() -> None:
    _, pointers = cn.to_api(TASK, "AWS::ECS::TaskDefinition")
    t = "AWS::ECS::TaskDefinition"
    assert cn.api_pointer_to_cfn("/containerDefinitions/-", pointers, t) == "/ContainerDefinitions/-"
    assert cn.api_pointer_to_cfn("/containerDefinitions/0/dependsOn", pointers, t) == "/ContainerDefinitions/0/DependsOn"
    assert (
        cn.api_pointer_to_cfn("/proxyConfiguration/properties/-", pointers, t)
        == "/ProxyConfiguration/ProxyConfigurationProperties/-"
    )
    assert (
        cn.api_pointer_to_cfn("/containerDefinitions/0/dockerLabels/new", pointers, t) == "/ContainerDefinitions/0/DockerLabels/new"
    )
    _, empty = cn.to_api({}, t)
    assert (
        cn.api_pointer_to_cfn("/volumes/0/efsVolumeConfiguration/fileSystemId", empty, t)
        == "/Volumes/0/EFSVolumeConfiguration/FilesystemId"
    )


def test_to_cfn_value_round_trip() -> None:
    t = "AWS::ECS::TaskDefinition"
    api, _ = cn.to_api(TASK, t)
    assert cn.to_cfn_value(api, t) == TASK
    container = {
        "name": "envoy",
        "image": "envoy:1",
        "dockerLabels": {"keep": "As-Is"},
        "environment": [{"name": "APPMESH_RESOURCE_ARN", "value": {"Ref": "VirtualNode"}}],
        "dependsOn": [{"containerName": "app", "condition": "START"}],
    }
    assert cn.to_cfn_value(container, t, "/ContainerDefinitions/-") == {
        "Name": "envoy",
        "Image": "envoy:1",
        "DockerLabels": {"keep": "As-Is"},
        "Environment": [{"Name": "APPMESH_RESOURCE_ARN", "Value": {"Ref": "VirtualNode"}}],
        "DependsOn": [{"ContainerName": "app", "Condition": "START"}],
    }
    assert cn.to_cfn_value({"properties": [{"name": "AppPorts"}]}, t, "/ProxyConfiguration") == {
        "ProxyConfigurationProperties": [{"Name": "AppPorts"}]
    }
    assert cn.to_cfn_value({"awslogs-group": "g"}, t, "/ContainerDefinitions/0/LogConfiguration/Options") == {"awslogs-group": "g"}


def test_app_mesh_names() -> None:
    t = "AWS::AppMesh::VirtualNode"
    spec = {
        "Spec": {
            "Listeners": [{"PortMapping": {"Port": 80, "Protocol": "http"}, "TLS": {"Mode": "STRICT"}, "Timeout": {"HTTP2": {}}}],
            "ServiceDiscovery": {"AWSCloudMap": {"NamespaceName": "ns", "Attributes": [{"Key": "k", "Value": "v"}]}},
        }
    }
    api, pointers = cn.to_api(spec, t)
    assert api == {
        "spec": {
            "listeners": [{"portMapping": {"port": 80, "protocol": "http"}, "tls": {"mode": "STRICT"}, "timeout": {"http2": {}}}],
            "serviceDiscovery": {"awsCloudMap": {"namespaceName": "ns", "attributes": [{"key": "k", "value": "v"}]}},
        }
    }
    assert pointers["/spec/serviceDiscovery/awsCloudMap/namespaceName"] == "/Spec/ServiceDiscovery/AWSCloudMap/NamespaceName"
    assert cn.to_cfn_value(api, t) == spec


def test_service_placement_strategy() -> None:
    t = "AWS::ECS::Service"
    api, _ = cn.to_api({"PlacementStrategies": [{"Type": "spread", "Field": "host"}]}, t)
    assert api == {"placementStrategy": [{"type": "spread", "field": "host"}]}
    assert cn.to_cfn_value(api, t) == {"PlacementStrategies": [{"Type": "spread", "Field": "host"}]}


def test_unsupported_type() -> None:
    with pytest.raises(ValueError):
        cn.to_api({}, "AWS::S3::Bucket")


# -- the corpus: every ECS / App Mesh resource converts, only to API members, and back --------------------------

CORPUS = str(golden_cases.CORPUS)


def _corpus_resources() -> list[tuple[str, str, dict[str, Any]]]:
    import glob

    from meshify.injector.documents.yaml_text import load

    found = []
    for path in sorted(glob.glob(f"{CORPUS}/**/*.y*ml", recursive=True)):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if "AWS::ECS::" not in text and "AWS::AppMesh::" not in text:
            continue
        data = load(text, path, fast=True).data  # as meshify reads a template (the same data: test_yaml_text)
        for name, resource in (data.get("Resources") or {}).items() if isinstance(data, dict) else []:
            if isinstance(resource, dict) and resource.get("Type") in cn.SUPPORTED_TYPES:
                found.append((f"{os.path.relpath(path, CORPUS)}#{name}", resource["Type"], resource.get("Properties") or {}))
    return found


RESOURCES = _corpus_resources() if os.path.isdir(CORPUS) else []


def _unknown_members(value: Any, shape_name: str, model: dict[str, Any], where: str) -> list[str]:
    shape = model["shapes"][shape_name]
    if cn.is_intrinsic(value):
        return []
    if shape["type"] == "list" and isinstance(value, list):
        return [m for i, v in enumerate(value) for m in _unknown_members(v, shape["member"]["shape"], model, f"{where}/{i}")]
    if shape["type"] == "structure" and isinstance(value, dict) and not shape.get("document"):
        out = []
        for k, v in value.items():
            if k not in shape["members"]:
                out.append(f"{where}/{k}")
            else:
                out.extend(_unknown_members(v, shape["members"][k]["shape"], model, f"{where}/{k}"))
        return out
    return []


@pytest.mark.skipif(not RESOURCES, reason=f"{CORPUS} is absent")
@pytest.mark.parametrize("where,resource_type,properties", RESOURCES, ids=[r[0] for r in RESOURCES])
def test_corpus_resource(where: str, resource_type: str, properties: dict[str, Any]) -> None:
    api, pointers = cn.to_api(properties, resource_type)
    model, root = api_root(resource_type)
    # Read-only CloudFormation properties (NO_API) have no member; everything else must be an API member.
    allowed = {f"/{n}" for n in NO_API.get(resource_type, {"Arn", "Id", "ResourceOwner", "Uid"})}
    assert [m for m in _unknown_members(api, root, model, "") if pointers[m] not in allowed] == []
    assert cn.to_cfn_value(api, resource_type) == properties

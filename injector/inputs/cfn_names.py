"""CloudFormation <-> ECS / App Mesh API member names.

Rules are written against the API's camelCase shapes (`containerDefinitions/0/portMappings`); a CloudFormation
resource spells the same members in PascalCase (`ContainerDefinitions/0/PortMappings`). The mapping is mechanical
(lower-case the first letter) except for the small tables below. test_cfn_names.py proves the tables by walking the
CloudFormation resource schemas shipped with cfn-lint and botocore's service models side by side.

Values are never touched: user-defined maps (OPAQUE) keep their keys, and intrinsic functions (`{"Ref": ...}`,
`{"Fn::...": ...}`) are left as they are, including whatever is inside them.
"""

from __future__ import annotations

from typing import Any

from meshify.injector.model.unknowns import is_intrinsic

ECS_TYPES = ("AWS::ECS::TaskDefinition", "AWS::ECS::Service")
APPMESH_TYPES = tuple(
    f"AWS::AppMesh::{name}"
    for name in ("Mesh", "VirtualNode", "VirtualService", "VirtualRouter", "Route", "VirtualGateway", "GatewayRoute")
)
SUPPORTED_TYPES = ECS_TYPES + APPMESH_TYPES

# App Mesh's all-capital names, anywhere in an AWS::AppMesh::* resource: lower-casing only the first letter would
# give "tLS". (Not global: ECS Service Connect spells it `Tls`, which is mechanical.)
APPMESH_RENAMES: dict[str, str] = {
    "ACM": "acm",
    "AWSCloudMap": "awsCloudMap",
    "DNS": "dns",
    "GRPC": "grpc",
    "HTTP": "http",
    "HTTP2": "http2",
    "SDS": "sds",
    "TCP": "tcp",
    "TLS": "tls",
}

# (resource type, CloudFormation path with "*" for list items) -> API name: renames that hold in one place only.
_VOLUMES = "Volumes/*/"
PATH_RENAMES: dict[tuple[str, str], str] = {
    ("AWS::ECS::TaskDefinition", "ProxyConfiguration/ProxyConfigurationProperties"): "properties",
    ("AWS::ECS::TaskDefinition", f"{_VOLUMES}EFSVolumeConfiguration"): "efsVolumeConfiguration",
    ("AWS::ECS::TaskDefinition", f"{_VOLUMES}EFSVolumeConfiguration/FilesystemId"): "fileSystemId",
    ("AWS::ECS::TaskDefinition", f"{_VOLUMES}EFSVolumeConfiguration/AuthorizationConfig/IAM"): "iam",
    ("AWS::ECS::TaskDefinition", f"{_VOLUMES}FSxWindowsFileServerVolumeConfiguration"): "fsxWindowsFileServerVolumeConfiguration",
    ("AWS::ECS::TaskDefinition", f"{_VOLUMES}S3FilesVolumeConfiguration"): "s3filesVolumeConfiguration",
    ("AWS::ECS::Service", "PlacementStrategies"): "placementStrategy",
}

# Properties whose value is a user-defined map (keys are data, never converted). Same spelling rules apply to the
# property name itself. The schema walk checks this is exactly the set of free-form maps in the supported types.
OPAQUE: frozenset[str] = frozenset({"DockerLabels", "Options", "DriverOpts", "Labels", "HookDetails"})

_REVERSE_APPMESH = {api: cfn for cfn, api in APPMESH_RENAMES.items()}
_REVERSE_PATH_RENAMES = {
    (t, path.rsplit("/", 1)[0] if "/" in path else "", api): path.rsplit("/", 1)[-1] for (t, path), api in PATH_RENAMES.items()
}


def _check_type(resource_type: str) -> None:
    if resource_type not in SUPPORTED_TYPES:
        raise ValueError(f"unsupported resource type {resource_type}")


def api_name(resource_type: str, parents: list[str], name: str) -> str:
    """API member name for CloudFormation property `name` under the CloudFormation path `parents` ("*" = item)."""
    path = "/".join([*parents, name])
    renamed = PATH_RENAMES.get((resource_type, path))
    if renamed is not None:
        return renamed
    if resource_type in APPMESH_TYPES and name in APPMESH_RENAMES:
        return APPMESH_RENAMES[name]
    return name[:1].lower() + name[1:]


def cfn_name(resource_type: str, parents: list[str], name: str) -> str:
    """CloudFormation property name for API member `name`; `parents` is the CloudFormation path above it."""
    renamed = _REVERSE_PATH_RENAMES.get((resource_type, "/".join(parents), name))
    if renamed is not None:
        return renamed
    if resource_type in APPMESH_TYPES and name in _REVERSE_APPMESH:
        return _REVERSE_APPMESH[name]
    return name[:1].upper() + name[1:]


def _escape(segment: str) -> str:
    return segment.replace("~", "~0").replace("/", "~1")


def _unescape(segment: str) -> str:
    return segment.replace("~1", "/").replace("~0", "~")


def to_api(properties: Any, resource_type: str) -> tuple[Any, dict[str, str]]:
    """A resource's `Properties` in API spelling, and a map API pointer -> CloudFormation pointer for every value.

    Pointers are relative to `Properties`. The result shares no containers with the input.
    """
    _check_type(resource_type)
    pointers: dict[str, str] = {"": ""}

    def convert(value: Any, parents: list[str], api_ptr: str, cfn_ptr: str, opaque: bool) -> Any:
        pointers[api_ptr] = cfn_ptr
        if isinstance(value, list):
            return [convert(item, [*parents, "*"], f"{api_ptr}/{i}", f"{cfn_ptr}/{i}", opaque) for i, item in enumerate(value)]
        if not isinstance(value, dict):
            return value
        if opaque or is_intrinsic(value):
            # Keys here are data (or an intrinsic): pointers below map one to one.
            return {
                k: convert(v, [*parents, k], f"{api_ptr}/{_escape(k)}", f"{cfn_ptr}/{_escape(k)}", True) for k, v in value.items()
            }
        result: dict[str, Any] = {}
        for key, item in value.items():
            new = api_name(resource_type, parents, key)
            result[new] = convert(item, [*parents, key], f"{api_ptr}/{_escape(new)}", f"{cfn_ptr}/{_escape(key)}", key in OPAQUE)
        return result

    return convert(properties, [], "", "", False), pointers


def api_pointer_to_cfn(api_pointer: str, pointers: dict[str, str], resource_type: str) -> str:
    """CloudFormation pointer (relative to Properties) for an API pointer, also one that does not exist yet.

    `/containerDefinitions/1/portMappings/0` -> `/ContainerDefinitions/1/PortMappings/0`; a pointer to a new member
    (`/containerDefinitions/-`, `/proxyConfiguration`) is converted from its longest known prefix with the naming rules.
    """
    _check_type(resource_type)
    if api_pointer in pointers:
        return pointers[api_pointer]
    segments = [_unescape(s) for s in api_pointer.split("/")[1:]] if api_pointer else []
    known = 0
    for i in range(len(segments), -1, -1):
        prefix = "".join("/" + _escape(s) for s in segments[:i])
        if prefix in pointers:
            known = i
            break
    cfn_ptr = pointers["".join("/" + _escape(s) for s in segments[:known])]
    parents = _pattern(cfn_ptr)
    opaque = any(p in OPAQUE for p in parents)
    for seg in segments[known:]:
        if seg == "-" or seg.isdigit():
            parents.append("*")
            cfn_ptr += "/" + seg
            continue
        name = seg if opaque else cfn_name(resource_type, parents, seg)
        opaque = opaque or name in OPAQUE
        parents.append(name)
        cfn_ptr += "/" + _escape(name)
    return cfn_ptr


def _pattern(cfn_pointer: str) -> list[str]:
    return ["*" if s.isdigit() or s == "-" else _unescape(s) for s in cfn_pointer.split("/")[1:]] if cfn_pointer else []


def to_cfn_value(api_value: Any, resource_type: str, cfn_pointer: str = "") -> Any:
    """Convert a new API-shaped value to CloudFormation spelling.

    `cfn_pointer` is where it will go (relative to Properties, e.g. "/ContainerDefinitions/-"), so that
    place-dependent names and user-defined maps are handled. Intrinsics and opaque maps are copied as they are.
    """
    _check_type(resource_type)

    def convert(value: Any, parents: list[str], opaque: bool) -> Any:
        if isinstance(value, list):
            return [convert(item, [*parents, "*"], opaque) for item in value]
        if not isinstance(value, dict):
            return value
        if opaque or is_intrinsic(value):
            return {k: convert(v, [*parents, k], True) for k, v in value.items()}
        result: dict[str, Any] = {}
        for key, item in value.items():
            name = cfn_name(resource_type, parents, key)
            result[name] = convert(item, [*parents, name], name in OPAQUE)
        return result

    parents = _pattern(cfn_pointer)
    return convert(api_value, parents, any(p in OPAQUE for p in parents))


__all__ = [
    "APPMESH_RENAMES",
    "OPAQUE",
    "PATH_RENAMES",
    "SUPPORTED_TYPES",
    "api_name",
    "api_pointer_to_cfn",
    "cfn_name",
    "is_intrinsic",
    "to_api",
    "to_cfn_value",
]

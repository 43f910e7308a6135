"""The mesh as it is in an AWS account: App Mesh resources and Cloud Map placeholder
records, read through boto3 for ``lint --live`` and ``placeholders``."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from meshify.injector.aws.session import AwsOptions, UnsupportedOperation, aws_errors, call, client, paginate
from meshify.injector.errors import InputError
from meshify.injector.model.mesh import Mesh

PLACEHOLDER_INSTANCE = "meshify-placeholder"


@dataclass(slots=True)
class LiveMesh:
    exists: bool
    specs: dict[tuple[str, ...], dict[str, Any]] = field(default_factory=dict)
    unsupported: list[str] = field(default_factory=list)  # kinds this endpoint could not list


@dataclass(slots=True)
class Placeholder:
    name: str
    service: str  # the Cloud Map service name (the first label)
    service_id: str | None = None
    addresses: list[str] = field(default_factory=list)


@dataclass(slots=True)
class LivePlaceholders:
    namespace: str | None
    namespace_id: str | None
    placeholders: list[Placeholder] = field(default_factory=list)

    def missing(self, placeholder: Placeholder) -> str | None:
        """What keeps a placeholder from resolving: "namespace", "service", "instance", or None."""
        if self.namespace_id is None:
            return "namespace"
        if placeholder.service_id is None:
            return "service"
        return None if placeholder.addresses else "instance"


def _mesh_arguments(mesh: Mesh) -> dict[str, str]:
    arguments = {"meshName": mesh.name}
    if mesh.owner != mesh.account:
        arguments["meshOwner"] = mesh.owner
    return arguments


def _describe(appmesh: Any, kind: str, **arguments: str) -> dict[str, Any]:
    from botocore import xform_name

    return call(appmesh, f"describe_{xform_name(kind)}", **arguments)[kind]["spec"]


def read_mesh(mesh: Mesh, options: AwsOptions) -> LiveMesh:
    from botocore.exceptions import ClientError

    appmesh = client("appmesh", options, mesh.region)
    base = _mesh_arguments(mesh)
    try:
        with aws_errors():
            try:
                spec = appmesh.describe_mesh(**base)["mesh"]["spec"]
            except ClientError as error:
                # AWS documents NotFoundException; emulators say MeshNotFound and the like.
                if "NotFound" in error.response.get("Error", {}).get("Code", ""):
                    return LiveMesh(exists=False)
                raise
    except UnsupportedOperation:
        raise InputError("AWS: the endpoint does not support App Mesh (DescribeMesh)") from None
    live = LiveMesh(exists=True, specs={("mesh", mesh.name): spec})

    def each(kind: str, list_key: str, name_key: str, parent: dict[str, str] | None = None):
        from botocore import xform_name

        try:
            return [item[name_key] for item in paginate(appmesh, f"list_{xform_name(kind)}s", list_key, **base,
                                                        **(parent or {}))]
        except UnsupportedOperation:
            live.unsupported.append(kind)
            return []

    for name in each("virtualNode", "virtualNodes", "virtualNodeName"):
        live.specs[("virtualNode", name)] = _describe(appmesh, "virtualNode", **base, virtualNodeName=name)
    for router in each("virtualRouter", "virtualRouters", "virtualRouterName"):
        live.specs[("virtualRouter", router)] = _describe(appmesh, "virtualRouter", **base, virtualRouterName=router)
        for route in each("route", "routes", "routeName", {"virtualRouterName": router}):
            live.specs[("route", router, route)] = _describe(appmesh, "route", **base, virtualRouterName=router,
                                                             routeName=route)
    for name in each("virtualService", "virtualServices", "virtualServiceName"):
        live.specs[("virtualService", name)] = _describe(appmesh, "virtualService", **base, virtualServiceName=name)
    for gateway in each("virtualGateway", "virtualGateways", "virtualGatewayName"):
        live.specs[("virtualGateway", gateway)] = _describe(appmesh, "virtualGateway", **base, virtualGatewayName=gateway)
        for route in each("gatewayRoute", "gatewayRoutes", "gatewayRouteName", {"virtualGatewayName": gateway}):
            live.specs[("gatewayRoute", gateway, route)] = _describe(appmesh, "gatewayRoute", **base,
                                                                     virtualGatewayName=gateway, gatewayRouteName=route)
    return live


def service_name(mesh: Mesh, placeholder: str) -> str:
    """The Cloud Map service a placeholder name needs: ``products`` for
    ``products.shop.local`` in the namespace ``shop.local``."""
    namespace = mesh.cloud_map.namespace
    if not namespace:
        raise InputError("the manifest has placeholders but no cloudMap.namespace to create them in")
    if not placeholder.endswith("." + namespace) or "." in placeholder[: -len(namespace) - 1]:
        raise InputError(f"placeholder {placeholder!r} is not a name directly in the namespace {namespace!r}")
    return placeholder[: -len(namespace) - 1]


def read_placeholders(mesh: Mesh, options: AwsOptions) -> LivePlaceholders:
    discovery = client("servicediscovery", options, mesh.region)
    namespace = mesh.cloud_map.namespace
    found = LivePlaceholders(namespace, None, [Placeholder(p.name, service_name(mesh, p.name))
                                               for p in mesh.cloud_map.placeholders])
    if not found.placeholders:
        return found
    namespaces = [n for n in paginate(discovery, "list_namespaces", "Namespaces") if n["Name"] == namespace]
    if not namespaces:
        return found
    found.namespace_id = namespaces[0]["Id"]
    services = {s["Name"]: s["Id"] for s in paginate(
        discovery, "list_services", "Services",
        Filters=[{"Name": "NAMESPACE_ID", "Values": [found.namespace_id], "Condition": "EQ"}])}
    for placeholder in found.placeholders:
        placeholder.service_id = services.get(placeholder.service)
        if placeholder.service_id:
            instances = paginate(discovery, "list_instances", "Instances", ServiceId=placeholder.service_id)
            placeholder.addresses = [i.get("Attributes", {}).get("AWS_INSTANCE_IPV4", "") for i in instances]
    return found


def apply_placeholders(mesh: Mesh, options: AwsOptions, found: LivePlaceholders, address: str) -> list[str]:
    """Create what is missing: a service in the namespace and one instance at a
    link-local address. Returns what was created."""
    if found.namespace_id is None:
        raise InputError(f"AWS: the Cloud Map namespace {found.namespace!r} does not exist; create it first")
    discovery = client("servicediscovery", options, mesh.region)
    created = []
    for placeholder in found.placeholders:
        if placeholder.service_id is None:
            placeholder.service_id = call(
                discovery, "create_service", Name=placeholder.service, NamespaceId=found.namespace_id,
                Description="meshify placeholder: makes the virtual service name resolve",
                DnsConfig={"RoutingPolicy": "MULTIVALUE", "DnsRecords": [{"Type": "A", "TTL": 300}]},
            )["Service"]["Id"]
            created.append(f"service {placeholder.service}")
        if not placeholder.addresses:
            call(discovery, "register_instance", ServiceId=placeholder.service_id, InstanceId=PLACEHOLDER_INSTANCE,
                 Attributes={"AWS_INSTANCE_IPV4": address})
            placeholder.addresses = [address]
            created.append(f"instance {placeholder.name} -> {address}")
    return created


def note_unsupported(live: LiveMesh) -> None:
    for kind in live.unsupported:
        print(f"meshify: note: the endpoint cannot list {kind}s; they were not compared", file=sys.stderr)

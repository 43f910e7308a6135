"""What a meshed task needs, derived from the model: the Envoy container, the APPMESH
proxy configuration and the task role's IAM statements (appmesh-facts.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from meshify.injector.model import iam
from meshify.injector.model.mesh import Gateway, Mesh, Node

HEALTH_CHECK = {
    "command": ["CMD-SHELL", "curl -s http://localhost:9901/server_info | grep state | grep -q LIVE"],
    "interval": 5,
    "timeout": 2,
    "retries": 3,
    "startPeriod": 10,
}
ADMIN_PORT = 9901
# AWS recommends at least 64 MiB for Envoy. When the task sets no memory of its own, ECS
# requires a container reservation, and on EC2 (the ECS model's `memory` doc) a hard limit:
# Envoy then gets one well above the reservation, so that it is not killed under load.
MINIMUM_MEMORY_RESERVATION = 64
MINIMUM_HARD_MEMORY = 256
PROXY_INGRESS_PORT = "15000"
PROXY_EGRESS_PORT = "15001"
METADATA_ADDRESSES = ("169.254.170.2", "169.254.169.254")
XRAY_ACTIONS = [
    "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
    "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries",
]
STREAM_ACTION = "appmesh:StreamAggregatedResources"


def is_gateway(claimant: Node | Gateway) -> bool:
    return isinstance(claimant, Gateway)


def resource_arn_value(mesh: Mesh, claimant: Node | Gateway) -> str:
    """What Envoy's ``APPMESH_RESOURCE_ARN`` says: the ARN given in the manifest, else, in
    a mesh shared with the account that runs the task, the consumer's form
    ``mesh/<mesh>@<owner>/virtualNode/<node>`` (AWS's cross-account walkthrough, which the
    App Mesh user guide's "Working with shared meshes" points to), else the node's ARN."""
    derived = claimant.arn == mesh.arn_of(claimant.kind, claimant.name)
    if derived and mesh.owner != mesh.account:
        return f"mesh/{mesh.name}@{mesh.owner}/{claimant.kind}/{claimant.name}"
    if derived and not (mesh.region and mesh.owner) and mesh.name:  # arn_unknown(mesh, claimant), its ARN derived once
        # No region or account in the files: an ARN would lack them; the agent takes the short form
        # (a template's or .tf's spelling writes a reference to the node instead).
        return f"mesh/{mesh.name}/{claimant.kind}/{claimant.name}"
    return claimant.arn


def environment(mesh: Mesh, claimant: Node | Gateway) -> list[dict[str, str]]:
    """The Envoy environment meshify owns, in order."""
    variables = [{"name": "APPMESH_RESOURCE_ARN", "value": resource_arn_value(mesh, claimant)}]
    if mesh.envoy.log_level:
        variables.append({"name": "ENVOY_LOG_LEVEL", "value": mesh.envoy.log_level})
    if mesh.envoy.xray:
        variables.append({"name": "ENABLE_ENVOY_XRAY_TRACING", "value": "1"})
    return variables


def ulimits(mesh: Mesh) -> list[dict[str, Any]] | None:
    if mesh.envoy.nofile is None:
        return None
    return [{"name": "nofile", "softLimit": mesh.envoy.nofile, "hardLimit": mesh.envoy.nofile}]


def port_mappings(claimant: Node | Gateway) -> list[dict[str, Any]]:
    """A gateway's Envoy receives the traffic itself, so it exposes the listener ports."""
    if not is_gateway(claimant):
        return []
    return [{"containerPort": listener.port, "protocol": "tcp"} for listener in claimant.listeners]


def container(mesh: Mesh, claimant: Node | Gateway, taskdef: dict[str, Any]) -> dict[str, Any]:
    """The whole Envoy container definition for a task that has none."""
    definition: dict[str, Any] = {
        "name": mesh.envoy.container_name,
        "image": mesh.envoy.image,
        "essential": True,
    }
    if not isinstance(claimant, Gateway):
        definition["user"] = mesh.envoy.user
    elif mappings := port_mappings(claimant):
        definition["portMappings"] = mappings
    definition["environment"] = environment(mesh, claimant)
    if limits := ulimits(mesh):
        definition["ulimits"] = limits
    reservation = mesh.envoy.memory_reservation
    if "memory" not in taskdef:  # then ECS wants memory on every container
        reservation = reservation or MINIMUM_MEMORY_RESERVATION
        if "FARGATE" not in (taskdef.get("requiresCompatibilities") or []):
            definition["memory"] = max(MINIMUM_HARD_MEMORY, 2 * reservation)
    if reservation is not None:
        definition["memoryReservation"] = reservation
    definition["healthCheck"] = dict(HEALTH_CHECK)
    return definition


def app_ports(node: Node) -> str:
    listeners = node.listeners
    if len(listeners) == 1:  # nearly every node: nothing to join
        return str(listeners[0].port)
    return ",".join(str(port) for port in dict.fromkeys(listener.port for listener in listeners))


def proxy_properties(mesh: Mesh, node: Node) -> list[dict[str, str]]:
    """The APPMESH proxy properties for a node; an egress-only node gets no ingress."""
    properties = [{"name": "IgnoredUID", "value": mesh.envoy.user}]
    if node.listeners:
        properties.append({"name": "ProxyIngressPort", "value": PROXY_INGRESS_PORT})
    properties.append({"name": "ProxyEgressPort", "value": PROXY_EGRESS_PORT})
    if node.listeners:
        properties.append({"name": "AppPorts", "value": app_ports(node)})
    # egress_ignored_ips(mesh, "") and egress_ignored_ports(mesh, ""), joined: a new
    # configuration has nothing of its own to keep.
    properties.append({"name": "EgressIgnoredIPs",
                       "value": ",".join(dict.fromkeys((*METADATA_ADDRESSES, *mesh.envoy.egress_ignored_ips)))})
    if mesh.envoy.egress_ignored_ports:
        properties.append({"name": "EgressIgnoredPorts",
                           "value": ",".join(dict.fromkeys([str(port) for port in mesh.envoy.egress_ignored_ports]))})
    return properties


def _union(existing: str, wanted: list[str]) -> list[str]:
    if not existing:  # a new proxy configuration's (every T204 fix on a task without one)
        return list(dict.fromkeys(wanted))
    items = list(dict.fromkeys(item.strip() for item in existing.split(",") if item.strip()))
    return items + [item for item in dict.fromkeys(wanted) if item not in items]


def egress_ignored_ips(mesh: Mesh, existing: str) -> list[str]:
    """What the task already ignores, plus the metadata endpoints and the manifest's list."""
    return _union(existing, [*METADATA_ADDRESSES, *mesh.envoy.egress_ignored_ips])


def egress_ignored_ports(mesh: Mesh, existing: str) -> list[str]:
    return _union(existing, [str(port) for port in mesh.envoy.egress_ignored_ports])


def arn_unknown(mesh: Mesh, claimant: Node | Gateway) -> bool:
    """The claimant's ARN is meshify's to derive, and the mesh does not know its region or
    account (a template's mesh without a manifest: the stack's): there is no ARN to write."""
    return not (mesh.region and mesh.owner) and claimant.arn == mesh.arn_of(claimant.kind, claimant.name)


def claimant_arns(mesh: Mesh, claimant: Node | Gateway, seen: Iterable[str]) -> list[str]:
    """The claimant's ARN; where the mesh does not know its region or account, also the
    claimant's ARN in each region and account that the ARNs ``seen`` (a policy's resources,
    an Envoy's variable) name: the stack's may be any of them."""
    if not arn_unknown(mesh, claimant):
        return [claimant.arn]
    path = f"mesh/{mesh.name}/{claimant.kind}/{claimant.name}"
    arns = [claimant.arn]
    for arn in seen:
        parts = arn.split(":", 5)
        if len(parts) == 6 and parts[0] == "arn" and parts[2] == "appmesh":
            arns.append(f"arn:{parts[1]}:appmesh:{mesh.region or parts[3]}:{mesh.owner or parts[4]}:{path}")
    return list(dict.fromkeys(arns))


def may_stream(policy: dict[str, Any], mesh: Mesh, claimant: Node | Gateway) -> bool:
    """Whether ``policy`` lets Envoy stream the claimant's configuration: on its ARN, or,
    where the mesh does not know the ARN's region or account, on its ARN in any region and
    account the policy names (I301; inject --policy)."""
    seen = iam.resources(policy) if arn_unknown(mesh, claimant) else ()  # an index answers the known ARN
    return any(iam.allows(policy, STREAM_ACTION, arn) for arn in claimant_arns(mesh, claimant, seen))


# What IAM reads as a wildcard or a variable in a Resource ARN.
IAM_WILDCARDS = ("*", "?", "${")


def policy_statements(mesh: Mesh, claimant: Node | Gateway) -> list[dict[str, Any]]:
    """The task role statements Envoy needs, scoped to exactly this node or gateway."""
    if any(wildcard in claimant.arn for wildcard in IAM_WILDCARDS):
        # The manifest schema refuses such names; a resource from elsewhere must not slip one in.
        raise claimant.loc.error(f"{claimant.kind} {claimant.name!r}: its ARN {claimant.arn!r} holds an IAM "
                                 "wildcard; meshify never writes one into a policy")
    sid = "".join(part.capitalize() for part in re.split(r"[^A-Za-z0-9]+", claimant.name) if part)
    statements: list[dict[str, Any]] = [{
        "Sid": f"MeshifyEnvoy{sid}"[:100],
        "Effect": "Allow",
        "Action": STREAM_ACTION,
        "Resource": claimant.arn,
    }]
    if mesh.envoy.xray:
        statements.append({"Sid": "MeshifyXRay", "Effect": "Allow", "Action": list(XRAY_ACTIONS), "Resource": "*"})
    return statements

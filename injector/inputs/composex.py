"""ECS ComposeX compose files: ``x-appmesh`` (nodes, routers, services) read as the mesh.

ComposeX (compose-x/ecs_composex, App Mesh support removed in 2025) turned a compose
file's ``x-appmesh`` into App Mesh resources and added the Envoy sidecar to the task
definitions itself at deploy time. Its syntax (``x-appmesh.spec.json``)::

    x-appmesh:
      Properties: {MeshName: ...}            # optional: an existing mesh; else the file's stem
      Settings:
        Nodes:    [{Name, Protocol, Port, Backends: [service names]}]
        Routers:  [{Name, Listener: {Port, Protocol}, Routes: {Http | Http2: [{Match, Nodes: [{Name, Weight}]}], Tcp: [...]}}]
        Services: [{Name, Node | Router, x-cloudmap}]

Its own tests spell the keys in lower case too (``nodes:``, ``name:``); both are read.

Each element becomes an API-shaped :class:`SpecFile` (as ``describe-*`` would give it), so
the mesh is merged and checked like any other file's; its document is a :class:`ComposeView`
whose ``position`` maps each API pointer back to where the compose file wrote it. A node's
Name is the family of its compose services (the ``ecs.task.family`` label, else the
service's name): that claim is :attr:`ComposeFile.claims`, and the node's ``families``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meshify.injector.documents.document import Document
from meshify.injector.documents.pointer import join
from meshify.injector.errors import InputError
from meshify.injector.inputs.appmesh_spec import SpecFile
from meshify.injector.model.mesh import NOWHERE, EnvoySettings, Loc, Mesh, Named, envoy_images

X_APPMESH = "x-appmesh"
FAMILY_LABEL = "ecs.task.family"


def is_compose_mesh(data: Any) -> bool:
    return isinstance(data, dict) and X_APPMESH in data


class ComposeView(Document):
    """One App Mesh resource of a compose file in the API's spelling: the rules read API
    pointers, positions come from the compose file (the nearest mapped ancestor)."""

    def __init__(self, document: Document, data: dict[str, Any], pointers: dict[str, str]) -> None:
        super().__init__(document.path, document.text)
        self.document = document
        self.format = document.format
        self.data = data
        self.pointers = pointers

    def position(self, pointer: str) -> tuple[int, int]:
        probe = pointer
        while probe not in self.pointers and probe:
            probe = probe.rsplit("/", 1)[0]
        return self.document.position(self.pointers.get(probe, ""))


def _member(mapping: Any, key: str) -> tuple[Any, str]:
    """``mapping[key]`` in ComposeX's PascalCase or its tests' lower case, and the key found."""
    if isinstance(mapping, dict):
        for spelling in (key, key.lower()):
            if spelling in mapping:
                return mapping[spelling], spelling
    return None, key


def _items(mapping: Any, key: str, base: str) -> list[tuple[dict[str, Any], str]]:
    """The mappings of a list member, each with its compose pointer."""
    value, spelling = _member(mapping, key)
    if not isinstance(value, list):
        return []
    return [(item, join(base, spelling, index)) for index, item in enumerate(value) if isinstance(item, dict)]


def _protocol(value: Any) -> Any:
    """``Http`` / ``Tcp`` / ``Http2`` / ``Grpc`` as the API's ``http`` / ``tcp`` / ... (others as
    written, for M106 to judge)."""
    if isinstance(value, str) and value.lower() in ("http", "http2", "tcp", "grpc"):
        return value.lower()
    return value


def _number(value: Any) -> Any:
    """The schema allows ``Weight: "1"``; CloudFormation took the string as a number."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


@dataclass(slots=True)
class ComposeFile:
    """What a compose file with ``x-appmesh`` holds for meshify."""

    document: Document
    mesh_name: str
    spec_files: list[SpecFile] = field(default_factory=list)
    # node name -> the compose services that are its task definition (ComposeX adds their Envoy)
    claims: dict[str, list[Named]] = field(default_factory=dict)
    # x-appmesh services with ``x-cloudmap``: ComposeX registered their names in that namespace,
    # so clients' DNS lookups resolve (what a manifest's cloudMap.placeholders say)
    placeholders: list[Named] = field(default_factory=list)
    namespace: str | None = None  # the ZoneName of the first x-cloudmap namespace they name


def _families(document: Document, services: Any) -> dict[str, list[Named]]:
    """Compose services by task family: the ``ecs.task.family`` deploy label, else the name."""
    families: dict[str, list[Named]] = {}
    for name, service in (services.items() if isinstance(services, dict) else []):
        labels = ((service.get("deploy") or {}).get("labels") if isinstance(service, dict) else None) or {}
        if isinstance(labels, list):  # the list form: ["ecs.task.family=app01"]
            labels = dict(str(item).partition("=")[::2] for item in labels)
        family = labels.get(FAMILY_LABEL) if isinstance(labels, dict) else None
        families.setdefault(family if isinstance(family, str) else name, []).append(
            Named(name, Loc(document, join("/services", name))))
    return families


def _published_ports(service: Any) -> list[int]:
    """The ports a compose service publishes (``5000``, ``"80:5000"``, ``{published: 80, target: 5000}``)."""
    ports = []
    for item in (service.get("ports") or []) if isinstance(service, dict) else []:
        if isinstance(item, dict):
            port = str(item.get("published") or item.get("target"))
        else:
            parts = str(item).split("/")[0].split(":")
            port = parts[-2] if len(parts) > 1 else parts[-1]
        if port.isdigit():
            ports.append(int(port))
    return ports


def read_compose(document: Document) -> ComposeFile | None:
    """The mesh a compose file's ``x-appmesh`` describes, or None when it has none."""
    data = document.data
    if not is_compose_mesh(data):
        return None
    appmesh = data[X_APPMESH]
    if not isinstance(appmesh, dict):
        raise Loc(document, "/" + X_APPMESH).error("x-appmesh must be a mapping (Properties, Settings)")
    properties, _ = _member(appmesh, "Properties")
    mesh_name, _ = _member(properties, "MeshName")
    compose = ComposeFile(document, mesh_name if isinstance(mesh_name, str) else Path(document.path).stem)
    settings, settings_key = _member(appmesh, "Settings")
    base = join("", X_APPMESH, settings_key)
    services = data.get("services") if isinstance(data.get("services"), dict) else {}
    namespaces = data.get("x-cloudmap") if isinstance(data.get("x-cloudmap"), dict) else {}
    families = _families(document, services)

    def add(kind: str, name: str, names: dict[str, str], spec: dict[str, Any], pointers: dict[str, str],
            parent: str | None = None) -> None:
        resource = {"meshName": compose.mesh_name, **names, "spec": spec}
        view = ComposeView(document, resource, {"": pointers["/spec"], **pointers})
        compose.spec_files.append(SpecFile(view, kind, name, parent, spec, "/spec"))

    for node, at in _items(settings, "Nodes", base):
        name = _name(document, node, at, "node")
        name_at = join(at, _member(node, "Name")[1])
        claimed = families.get(name, [])
        compose.claims[name] = claimed
        spec: dict[str, Any] = {}
        pointers = {"/spec": at}
        port, port_key = _member(node, "Port")
        protocol, protocol_key = _member(node, "Protocol")
        # No Port: ComposeX's early releases listened on the first port the family's compose
        # services publish (the last release required Port).
        published = [p for service in claimed for p in _published_ports(services.get(service.name))]
        ports = [_number(port)] if port is not None else published[:1]
        listeners = []
        for index, listener_port in enumerate(ports):
            mapping: dict[str, Any] = {"port": listener_port}
            if protocol is not None:
                mapping["protocol"] = _protocol(protocol)
            listeners.append({"portMapping": mapping})
            here = f"/spec/listeners/{index}/portMapping"
            pointers[here] = join(at, port_key) if port is not None else join(at, protocol_key) \
                if protocol is not None else at
            pointers[here + "/protocol"] = join(at, protocol_key) if protocol is not None else at
        if listeners:
            spec["listeners"] = listeners
        backends, backends_key = _member(node, "Backends")
        if isinstance(backends, list):
            spec["backends"] = [{"virtualService": {"virtualServiceName": str(backend)}} for backend in backends]
            for index in range(len(backends)):
                pointers[f"/spec/backends/{index}"] = join(at, backends_key, index)
        zone = _zone(services, namespaces, claimed)
        if zone is not None and claimed:
            # One ECS service per family, registered in Cloud Map under the family's name.
            spec["serviceDiscovery"] = {"awsCloudMap": {"namespaceName": zone[0], "serviceName": name}}
            pointers["/spec/serviceDiscovery"] = zone[1]
        pointers["/virtualNodeName"] = name_at
        add("virtualNode", name, {"virtualNodeName": name}, spec, pointers)

    for router, at in _items(settings, "Routers", base):
        name = _name(document, router, at, "router")
        listener, listener_key = _member(router, "Listener")
        listener_at = join(at, listener_key)
        router_protocol = _protocol(_member(listener, "Protocol")[0])
        mapping = {"port": _number(_member(listener, "Port")[0]), "protocol": router_protocol}
        add("virtualRouter", name, {"virtualRouterName": name},
            {"listeners": [{"portMapping": mapping}]} if isinstance(listener, dict) else {},
            {"/spec": at, "/virtualRouterName": join(at, _member(router, "Name")[1]),
             "/spec/listeners/0/portMapping": listener_at,
             "/spec/listeners/0/portMapping/port": join(listener_at, _member(listener, "Port")[1]),
             "/spec/listeners/0/portMapping/protocol": join(listener_at, _member(listener, "Protocol")[1])})
        routes, routes_key = _member(router, "Routes")
        routes_at = join(at, routes_key)
        # ComposeX's own routes keys; it refused a route whose protocol is not the listener's (M101 here).
        for written, api_kind in (("Http", "httpRoute"), ("Http2", "http2Route"), ("Tcp", "tcpRoute")):
            for index, (route, route_at) in enumerate(_items(routes, written, routes_at)):
                route_name = f"{written.lower()}-{index}"
                pointers = {"/spec": route_at, f"/spec/{api_kind}": route_at,
                            "/spec/protocol": join(routes_at, _member(routes, written)[1]),
                            "/routeName": route_at}
                targets = []
                for target_index, (target, target_at) in enumerate(_items(route, "Nodes", route_at)):
                    weight, _ = _member(target, "Weight")
                    targets.append({"virtualNode": _name(document, target, target_at, "route target"),
                                    "weight": 1 if weight is None else _number(weight)})  # ComposeX's default
                    here = f"/spec/{api_kind}/action/weightedTargets/{target_index}"
                    pointers[here] = target_at
                    pointers[here + "/weight"] = join(target_at, _member(target, "Weight")[1])
                body: dict[str, Any] = {"action": {"weightedTargets": targets}}
                match, match_key = _member(route, "Match")
                if api_kind != "tcpRoute":
                    body["match"] = {}
                    pointers[f"/spec/{api_kind}/match"] = join(route_at, match_key)
                    for member in ("Prefix", "Method", "Scheme"):
                        value, key = _member(match, member)
                        if value is not None:
                            body["match"][member.lower()] = value
                            pointers[f"/spec/{api_kind}/match/{member.lower()}"] = join(route_at, match_key, key)
                add("route", route_name, {"virtualRouterName": name, "routeName": route_name},
                    {api_kind: body}, pointers, parent=name)

    for service, at in _items(settings, "Services", base):
        name = _name(document, service, at, "service")
        provider: dict[str, Any] = {}
        pointers = {"/spec": at, "/virtualServiceName": join(at, _member(service, "Name")[1])}
        for member, api_member, api_name in (("Router", "virtualRouter", "virtualRouterName"),
                                             ("Node", "virtualNode", "virtualNodeName")):
            value, key = _member(service, member)
            if value is not None:
                provider[api_member] = {api_name: str(value)}
                pointers[f"/spec/provider/{api_member}"] = join(at, key)
                pointers[f"/spec/{api_member[7:].lower()}"] = join(at, key)  # the model's service.loc/router|node
        add("virtualService", name, {"virtualServiceName": name}, {"provider": provider}, pointers)
        chosen, chosen_key = _member(service, "x-cloudmap")
        namespace = namespaces.get(chosen) if isinstance(chosen, str) else None
        if isinstance(namespace, dict):
            compose.placeholders.append(Named(name, Loc(document, join(at, chosen_key))))
            compose.namespace = compose.namespace or str(namespace.get("ZoneName") or namespace.get("Name") or chosen)
    return compose


def _name(document: Document, entry: dict[str, Any], at: str, what: str) -> str:
    name, _ = _member(entry, "Name")
    if isinstance(name, str) and name:
        return name
    raise Loc(document, at).error(f"x-appmesh {what} without a Name (a string)")


def _zone(services: dict[str, Any], namespaces: dict[str, Any], claimed: list[Named]) -> tuple[str, str] | None:
    """The Cloud Map namespace (its ZoneName, and where the service names it) that a node's
    compose services register in (``x-network: {x-cloudmap: <namespace>}``)."""
    for service in claimed:
        network = (services.get(service.name) or {}).get("x-network")
        chosen = network.get("x-cloudmap") if isinstance(network, dict) else None
        namespace = namespaces.get(chosen) if isinstance(chosen, str) else None
        if isinstance(namespace, dict):
            zone = namespace.get("ZoneName") or namespace.get("Name") or chosen
            return str(zone), join("/services", service.name, "x-network", "x-cloudmap")
    return None


def apply_compose(mesh: Mesh, compose: ComposeFile) -> None:
    """What a compose file says beyond its specs (call after merging them): the compose
    services of each node's family are that node's task definition, so the node claims the
    family (its Name), placed at the first such service; its services' Cloud Map names."""
    mesh.cloud_map.placeholders += compose.placeholders
    mesh.cloud_map.namespace = mesh.cloud_map.namespace or compose.namespace
    for node_name, services in compose.claims.items():
        node = mesh.nodes.get(node_name)
        if node is not None and services and not any(f.name == node_name for f in node.families):
            node.families.append(Named(node_name, services[0].loc))
    mesh.changed()


def mesh_from_compose(composes: Sequence[ComposeFile], spec_files: Sequence[SpecFile], envoy_image: str | None = None,
                      region: str | None = None) -> Mesh:
    """The mesh of compose files when there is no manifest: their x-appmesh (and any App
    Mesh spec files given with them), named by ``Properties.MeshName`` or the file's stem."""
    from meshify.injector.inputs.appmesh_spec import merge
    from meshify.injector.inputs.manifest import MANIFEST_NAME

    if not composes:
        raise InputError(f"no {MANIFEST_NAME} here or in a parent directory up to the repository root; "
                         "give --manifest PATH")
    table = envoy_images()
    mesh = Mesh(name=composes[0].mesh_name, region=region or "", account="", owner="", loc=NOWHERE,
                envoy=EnvoySettings(image=envoy_image or f"{table['publicMirror']}:{table['defaultTag']}",
                                    pinned=envoy_image is not None))  # no manifest: only a configured image is insisted on
    mesh.without_manifest = True
    for spec_file in spec_files:
        merge(mesh, spec_file)
    for compose in composes:
        apply_compose(mesh, compose)
    return mesh

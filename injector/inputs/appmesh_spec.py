"""App Mesh API documents (``aws appmesh describe-*`` output, ``--cli-input-json`` and
``--spec`` files) read into the mesh model, so that the same rules check them.

A file may carry its resource's names (``virtualNodeName``, ``routeName`` ...) or only its
``spec``, the names being given on the command line; then the kind is told from the spec
(and the file name), and the name is the file's stem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meshify.injector.documents.document import Document
from meshify.injector.model.mesh import (
    ROUTE_KINDS,
    ClientPolicy,
    Discovery,
    Gateway,
    GatewayRoute,
    Listener,
    Loc,
    Mesh,
    Named,
    Node,
    Plain,
    Route,
    Router,
    Service,
    Target,
)

# kind: (name key, spec shape in the appmesh model)
KINDS: dict[str, tuple[str, str]] = {
    "virtualNode": ("virtualNodeName", "VirtualNodeSpec"),
    "virtualRouter": ("virtualRouterName", "VirtualRouterSpec"),
    "route": ("routeName", "RouteSpec"),
    "virtualService": ("virtualServiceName", "VirtualServiceSpec"),
    "virtualGateway": ("virtualGatewayName", "VirtualGatewaySpec"),
    "gatewayRoute": ("gatewayRouteName", "GatewayRouteSpec"),
    "mesh": ("meshName", "MeshSpec"),  # every resource names its mesh: a mesh only when nothing else is named
}


@dataclass(slots=True, repr=False, init=False)
class SpecFile(Plain):
    """One App Mesh resource of a file, its spec in the API's spelling."""

    document: Document
    kind: str
    name: str
    parent: str | None  # the router of a route, the gateway of a gateway route
    spec: dict[str, Any]
    base: str  # the pointer of ``spec`` in the document
    mesh_name: str | None = None  # the ``meshName`` the file gives, if any

    def __init__(self, document: Document, kind: str, name: str, parent: str | None, spec: dict[str, Any], base: str,
                 mesh_name: str | None = None) -> None:
        self.document = document
        self.kind = kind
        self.name = name
        self.parent = parent
        self.spec = spec
        self.base = base
        self.mesh_name = mesh_name

    @property
    def identity(self) -> tuple[str | None, str, str | None, str]:
        """What names the resource in App Mesh: two files with the same identity define one resource."""
        return self.mesh_name, self.kind, self.parent, self.name

    @property
    def mesh_name_loc(self) -> Loc:
        return Loc(self.document, self.base.rsplit("/", 1)[0] + "/meshName")

    @property
    def loc(self) -> Loc:
        return Loc(self.document, self.base)

    @property
    def shape(self) -> str:
        return KINDS[self.kind][1]


def _kind_from_spec(spec: dict[str, Any], stem: str) -> str | None:
    if "provider" in spec:
        return "virtualService"
    for route_kind in ROUTE_KINDS:
        if isinstance(spec.get(route_kind), dict):
            action = spec[route_kind].get("action") or {}
            return "gatewayRoute" if "target" in action else "route"
    if "listeners" in spec or "backends" in spec or "serviceDiscovery" in spec:
        if {"serviceDiscovery", "backends", "backendDefaults"} & set(spec):
            return "virtualNode"
        lowered = stem.lower()
        if "gateway" in lowered or lowered.endswith("-vg"):
            return "virtualGateway"
        if "router" in lowered or lowered.endswith("-vr"):
            return "virtualRouter"
        return "virtualNode"
    return None


def load_spec(document: Document) -> SpecFile | None:
    """The App Mesh resource a document describes, or None if it is not one."""
    data = document.data
    if not isinstance(data, dict):
        return None
    base = ""
    for wrapper in KINDS:  # describe-* output wraps the resource
        if isinstance(data.get(wrapper), dict) and "spec" in data[wrapper]:
            data, base = data[wrapper], f"/{wrapper}"
            break
    spec = data.get("spec")
    if not isinstance(spec, dict):
        return None
    from pathlib import Path  # here: not imported by a lint of task definitions (start-up)

    stem = Path(document.path).stem
    named = {kind for kind, (key, _) in KINDS.items() if isinstance(data.get(key), str)}
    # A route file names its router too, a gateway route its gateway: the most specific wins.
    kind: str | None = next((k for k in ("route", "gatewayRoute", "virtualNode", "virtualService", "virtualRouter",
                             "virtualGateway") if k in named), None)
    from_spec = _kind_from_spec(spec, stem)
    if kind is None or (kind in ("virtualRouter", "virtualGateway") and from_spec in ("route", "gatewayRoute")):
        kind = from_spec
    if kind is None and "mesh" in named and set(spec) <= set(_mesh_spec_members()):
        kind = "mesh"
    if kind is None:
        return None
    name = data.get(KINDS[kind][0]) or stem
    parent = data.get("virtualRouterName") if kind == "route" else data.get("virtualGatewayName") \
        if kind == "gatewayRoute" else None
    mesh_name = data.get("meshName") if isinstance(data.get("meshName"), str) else None
    return SpecFile(document, kind, name, parent, spec, f"{base}/spec", mesh_name)


def _mesh_spec_members() -> list[str]:
    from meshify.injector.model.service_models import shapes

    return list(shapes("appmesh")["MeshSpec"]["members"])


def _listeners(items: Any, loc: Loc) -> list[Listener]:
    listeners = []
    for index, item in enumerate(items if isinstance(items, list) else []):
        mapping = item.get("portMapping") if isinstance(item, dict) else None
        if isinstance(mapping, dict) and isinstance(mapping.get("port"), int):
            listeners.append(Listener(
                port=mapping["port"], protocol=_protocol(mapping.get("protocol")), loc=loc.child(index, "portMapping"),
                health_check=item.get("healthCheck"), outlier_detection=item.get("outlierDetection"),
                tls=item.get("tls"), timeout=item.get("timeout"), connection_pool=item.get("connectionPool")))
    return listeners


def _protocol(value: Any) -> str | None:
    """A listener's protocol as written (a number or bool as its text); None when left out."""
    return None if value is None else str(value)


def _flat_headers(headers: Any) -> list[dict[str, Any]]:
    """API header matches ``{name, match: {exact}}`` in the manifest's flat form."""
    flat = []
    for header in headers if isinstance(headers, list) else []:
        if isinstance(header, dict):
            entry = {key: value for key, value in header.items() if key != "match"}
            entry.update(header.get("match") or {})
            flat.append(entry)
    return flat


def _client_policies(spec: dict[str, Any], loc: Loc) -> list[ClientPolicy]:
    """The TLS client policies of a node spec: its ``backendDefaults`` and each backend's."""
    found = []
    defaults = (spec.get("backendDefaults") or {}) if isinstance(spec.get("backendDefaults"), dict) else {}
    if isinstance(defaults.get("clientPolicy"), dict):
        found.append(ClientPolicy(defaults["clientPolicy"], loc.child("backendDefaults", "clientPolicy")))
    for index, backend in enumerate(spec.get("backends") or []):
        service = (backend.get("virtualService") or {}) if isinstance(backend, dict) else {}
        if isinstance(service, dict) and isinstance(service.get("clientPolicy"), dict):
            found.append(ClientPolicy(service["clientPolicy"], loc.child("backends", index, "virtualService", "clientPolicy"),
                                      str(service.get("virtualServiceName"))))
    return found


def merge(mesh: Mesh, spec_file: SpecFile) -> None:
    """Add (or replace) the resource a spec file describes in the model. A mesh spec of
    another mesh changes nothing (M118 reports it)."""
    mesh.changed()
    spec, loc, name = spec_file.spec, spec_file.loc, spec_file.name
    if spec_file.kind == "mesh":
        egress = spec.get("egressFilter")
        if name == mesh.name and isinstance(egress, dict) and isinstance(egress.get("type"), str):
            mesh.egress_filter = egress["type"]
            mesh.egress_filter_loc = loc.child("egressFilter", "type")
    elif spec_file.kind == "virtualNode":
        discovery = None
        found = spec.get("serviceDiscovery") or {}
        if isinstance(found.get("dns"), dict):
            discovery = Discovery("dns", loc.child("serviceDiscovery", "dns"), hostname=found["dns"].get("hostname"))
        elif isinstance(found.get("awsCloudMap"), dict):
            cloud_map = found["awsCloudMap"]
            discovery = Discovery("cloudMap", loc.child("serviceDiscovery", "awsCloudMap"),
                                  namespace=cloud_map.get("namespaceName"), service=cloud_map.get("serviceName"),
                                  attributes={a.get("key"): a.get("value") for a in cloud_map.get("attributes") or []
                                              if isinstance(a, dict)})
        backends = []
        for index, backend in enumerate(spec.get("backends") or []):
            service = (backend.get("virtualService") or {}) if isinstance(backend, dict) else {}
            if isinstance(service.get("virtualServiceName"), str):
                backends.append(Named(service["virtualServiceName"],
                                      loc.child("backends", index, "virtualService", "virtualServiceName")))
        previous = mesh.nodes.get(name)
        mesh.nodes[name] = Node(name=name, loc=loc, listeners=_listeners(spec.get("listeners"), loc.child("listeners")),
                                backends=backends, discovery=discovery, families=previous.families if previous else [],
                                resources=previous.resources if previous else [],
                                arn=previous.arn if previous else mesh.arn_of("virtualNode", name),
                                service=previous.service if previous else None,
                                client_policies=_client_policies(spec, loc))
    elif spec_file.kind == "virtualRouter":
        previous = mesh.routers.get(name)
        mesh.routers[name] = Router(name=name, loc=loc, listeners=_listeners(spec.get("listeners"), loc.child("listeners")),
                                    routes=previous.routes if previous else [])
    elif spec_file.kind == "route":
        route_kind = next((k for k in ROUTE_KINDS if isinstance(spec.get(k), dict)), None)
        if route_kind is None:
            return
        body = spec[route_kind]
        action = body.get("action") or {}
        targets_loc = loc.child(route_kind, "action", "weightedTargets")
        targets = [Target(node=str(t.get("virtualNode")), weight=t.get("weight"), port=t.get("port"),
                          loc=targets_loc.child(index))
                   for index, t in enumerate(action.get("weightedTargets") or []) if isinstance(t, dict)]
        match = dict(body.get("match") or {})
        if "headers" in match:
            match["headers"] = _flat_headers(match["headers"])
        route = Route(name=name, protocol=ROUTE_KINDS[route_kind], loc=loc, targets=targets,
                      priority=spec.get("priority"), match=match, retry_policy=body.get("retryPolicy"),
                      timeout=body.get("timeout"), body_loc=loc.child(route_kind))
        router_name = spec_file.parent or f"(the router of {spec_file.document.path})"
        router = mesh.routers.setdefault(router_name, Router(name=router_name, loc=loc, detached=spec_file.parent is None))
        router.routes = [r for r in router.routes if r.name != name] + [route]
    elif spec_file.kind == "virtualService":
        provider = spec.get("provider") or {}
        router = (provider.get("virtualRouter") or {}).get("virtualRouterName")
        node = (provider.get("virtualNode") or {}).get("virtualNodeName")
        mesh.services[name] = Service(name=name, loc=loc, router=router, node=node)
    elif spec_file.kind == "virtualGateway":
        previous = mesh.gateways.get(name)
        mesh.gateways[name] = Gateway(name=name, loc=loc, listeners=_listeners(spec.get("listeners"), loc.child("listeners")),
                                      routes=previous.routes if previous else [], families=previous.families if previous else [],
                                      resources=previous.resources if previous else [],
                                      arn=previous.arn if previous else mesh.arn_of("virtualGateway", name))
    elif spec_file.kind == "gatewayRoute":
        route_kind = next((k for k in ROUTE_KINDS if isinstance(spec.get(k), dict)), None)
        if route_kind is None:
            return
        body = spec[route_kind]
        action = body.get("action") or {}
        target_spec = action.get("target") or {}
        target = target_spec.get("virtualService") or {}
        route = GatewayRoute(name=name, protocol=ROUTE_KINDS[route_kind], loc=loc,
                             service=str(target.get("virtualServiceName")), priority=spec.get("priority"),
                             match=dict(body.get("match") or {}), port=target_spec.get("port"),
                             rewrite=action.get("rewrite"))
        gateway_name = spec_file.parent or f"(the gateway of {spec_file.document.path})"
        gateway = mesh.gateways.setdefault(gateway_name, Gateway(name=gateway_name, loc=loc,
                                                                 arn=mesh.arn_of("virtualGateway", gateway_name)))
        gateway.routes = [r for r in gateway.routes if r.name != name] + [route]

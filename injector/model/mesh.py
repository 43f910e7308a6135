"""The mesh model: one mesh, its nodes, routers, routes, services, gateways and Cloud Map
placeholders, and the task definition families that belong to them.

It says what the mesh *is*, not how App Mesh's API spells it (``appmesh.py`` maps it to
API specs and back), so another target such as ECS Service Connect can be added. Every
element keeps a :class:`Loc` (the file and JSON Pointer it was written at) for messages.
"""

from __future__ import annotations

import json
import os
import re
from _thread import get_ident
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING, Any

from meshify.injector.documents.pointer import escape
from meshify.injector.errors import InputError

if TYPE_CHECKING:
    from meshify.injector.documents.document import Document


class Plain:
    """The ``__repr__`` of a dataclass declared ``repr=False``: the text dataclasses writes (its
    class's name and its fields with ``repr=True``, ``...`` for an object already being shown),
    from one function for every class. dataclasses compiles a ``__repr__`` for each class at
    every start, about 0.25 ms each; the model, the contexts and the readers on lint's path
    inherit this one (start-up)."""

    __slots__ = ()

    def __repr__(self) -> str:
        key = id(self), get_ident()
        if key in _SHOWING:
            return "..."
        _SHOWING.add(key)
        try:
            shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)  # type: ignore[arg-type]
        finally:
            _SHOWING.discard(key)
        return f"{type(self).__qualname__}({shown})"


_SHOWING: set[tuple[int, int]] = set()


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"  # as dataclasses shows such a default in a signature


# The default of a parameter whose field has a default_factory: the model's classes write their
# own __init__ (init=False), which the interpreter reads from the bytecode cache, where
# dataclasses compiles one for each class at every start (about 0.45 ms a class). Each takes
# the parameters dataclasses' would, in order, with the same defaults (tests/model/test_plain.py).
FACTORY: Any = _Factory()


# The model's classes are never compared (eq=False): an object is itself, as the rules mean it, and
# dataclasses compiles no __eq__ for each of them at every start (about 0.2 ms a class).
@dataclass(slots=True, eq=False, repr=False, init=False)
class Loc(Plain):
    """Where an element was written: a document and a JSON Pointer into it."""

    document: Document | None
    pointer: str

    def __init__(self, document: Document | None, pointer: str) -> None:
        self.document = document
        self.pointer = pointer

    def child(self, *tokens: str | int) -> Loc:
        # A manifest of 2,000 nodes makes about 40,000 of these: escape only what needs it.
        pointer = self.pointer
        for token in tokens:
            if token.__class__ is int:
                pointer = f"{pointer}/{token}"
            else:
                text = str(token)
                pointer = f"{pointer}/{text if '~' not in text and '/' not in text else escape(text)}"
        return Loc(self.document, pointer)

    def error(self, message: str) -> InputError:
        """An input error placed here: ``path:line:col: message``."""
        if self.document is None:
            return InputError(message)
        line, column = self.document.position(self.pointer)
        return InputError(message, self.document.path, line, column)


NOWHERE = Loc(None, "")

# The API's route spec members and the protocol each speaks.
ROUTE_KINDS = {"httpRoute": "http", "http2Route": "http2", "grpcRoute": "grpc", "tcpRoute": "tcp"}


@dataclass(slots=True, eq=False, repr=False, init=False)
class Listener(Plain):
    """A listener of a node, router or gateway: its port and protocol."""

    port: int
    protocol: str | None  # None: the spec leaves it out (M106 says so)
    loc: Loc
    health_check: dict[str, Any] | None = None
    outlier_detection: dict[str, Any] | None = None
    tls: dict[str, Any] | None = None
    timeout: dict[str, Any] | None = None
    connection_pool: dict[str, Any] | None = None

    def __init__(self, port: int, protocol: str | None, loc: Loc, health_check: dict[str, Any] | None = None,
                 outlier_detection: dict[str, Any] | None = None, tls: dict[str, Any] | None = None,
                 timeout: dict[str, Any] | None = None, connection_pool: dict[str, Any] | None = None) -> None:
        self.port = port
        self.protocol = protocol
        self.loc = loc
        self.health_check = health_check
        self.outlier_detection = outlier_detection
        self.tls = tls
        self.timeout = timeout
        self.connection_pool = connection_pool


@dataclass(slots=True, eq=False, repr=False, init=False)
class Discovery(Plain):
    """How a node is found: its Cloud Map service or DNS hostname."""

    kind: str  # "cloudMap" or "dns"
    loc: Loc
    hostname: str | None = None
    namespace: str | None = None
    service: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)

    def __init__(self, kind: str, loc: Loc, hostname: str | None = None, namespace: str | None = None,
                 service: str | None = None, attributes: dict[str, str] = FACTORY) -> None:
        self.kind = kind
        self.loc = loc
        self.hostname = hostname
        self.namespace = namespace
        self.service = service
        self.attributes = {} if attributes is FACTORY else attributes

    @property
    def dns_name(self) -> str | None:
        """The name the node answers to in DNS, if discovery gives it one (None for a name
        only the stack knows: a template's intrinsic is no name to compare)."""
        if self.kind == "dns":
            return self.hostname if isinstance(self.hostname, str) else None
        if isinstance(self.service, str) and isinstance(self.namespace, str) and self.service and self.namespace:
            return f"{self.service}.{self.namespace}"
        return None

    @property
    def name_unknown(self) -> bool:
        """Whether the name it answers to is one only the stack knows (a template's intrinsic)."""
        from meshify.injector.model.unknowns import is_unknown

        parts = (self.hostname,) if self.kind == "dns" else (self.service, self.namespace)
        return any(is_unknown(part) for part in parts)


@dataclass(slots=True, eq=False, repr=False, init=False)
class Named(Plain):
    """A name written somewhere (a backend, a placeholder)."""

    name: str
    loc: Loc

    def __init__(self, name: str, loc: Loc) -> None:
        self.name = name
        self.loc = loc


@dataclass(slots=True, eq=False, repr=False, init=False)
class EcsServiceRef(Plain):
    """The ECS service that runs a node's or gateway's tasks (the manifest's ``service:``)."""

    name: str
    loc: Loc
    cluster: str | None = None

    def __init__(self, name: str, loc: Loc, cluster: str | None = None) -> None:
        self.name = name
        self.loc = loc
        self.cluster = cluster


@dataclass(slots=True, eq=False, repr=False, init=False)
class ClientPolicy(Plain):
    """A node's TLS client policy: for one backend, or its ``backendDefaults`` (``backend`` None)."""

    policy: dict[str, Any]
    loc: Loc
    backend: str | None = None

    def __init__(self, policy: dict[str, Any], loc: Loc, backend: str | None = None) -> None:
        self.policy = policy
        self.loc = loc
        self.backend = backend


@dataclass(slots=True, eq=False, repr=False, init=False)
class Node(Plain):
    """A virtual node, and the task definition families it claims."""

    name: str
    loc: Loc
    families: list[Named] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)
    backends: list[Named] = field(default_factory=list)
    # Task definitions claimed by what the file calls them: a Terraform address, a logical id.
    resources: list[Named] = field(default_factory=list)
    discovery: Discovery | None = None
    arn: str = ""
    kind: str = "virtualNode"
    service: EcsServiceRef | None = None
    client_policies: list[ClientPolicy] = field(default_factory=list)

    def __init__(self, name: str, loc: Loc, families: list[Named] = FACTORY, listeners: list[Listener] = FACTORY,
                 backends: list[Named] = FACTORY, resources: list[Named] = FACTORY, discovery: Discovery | None = None,
                 arn: str = "", kind: str = "virtualNode", service: EcsServiceRef | None = None,
                 client_policies: list[ClientPolicy] = FACTORY) -> None:
        self.name = name
        self.loc = loc
        self.families = [] if families is FACTORY else families
        self.listeners = [] if listeners is FACTORY else listeners
        self.backends = [] if backends is FACTORY else backends
        self.resources = [] if resources is FACTORY else resources
        self.discovery = discovery
        self.arn = arn
        self.kind = kind
        self.service = service
        self.client_policies = [] if client_policies is FACTORY else client_policies


@dataclass(slots=True, eq=False, repr=False, init=False)
class Target(Plain):
    """A weighted target of a route: a node, on a port or its only listener."""

    node: str
    weight: int
    loc: Loc
    port: int | None = None

    def __init__(self, node: str, weight: int, loc: Loc, port: int | None = None) -> None:
        self.node = node
        self.weight = weight
        self.loc = loc
        self.port = port


@dataclass(slots=True, eq=False, repr=False, init=False)
class Route(Plain):
    """A route of a virtual router, to weighted node targets."""

    name: str
    protocol: str
    loc: Loc
    targets: list[Target] = field(default_factory=list)
    priority: int | None = None
    match: dict[str, Any] = field(default_factory=dict)
    retry_policy: dict[str, Any] | None = None
    timeout: dict[str, Any] | None = None
    body_loc: Loc | None = None  # where retryPolicy and timeout are written, when not at ``loc``

    def __init__(self, name: str, protocol: str, loc: Loc, targets: list[Target] = FACTORY, priority: int | None = None,
                 match: dict[str, Any] = FACTORY, retry_policy: dict[str, Any] | None = None,
                 timeout: dict[str, Any] | None = None, body_loc: Loc | None = None) -> None:
        self.name = name
        self.protocol = protocol
        self.loc = loc
        self.targets = [] if targets is FACTORY else targets
        self.priority = priority
        self.match = {} if match is FACTORY else match
        self.retry_policy = retry_policy
        self.timeout = timeout
        self.body_loc = body_loc

    def member_loc(self, *tokens: str | int) -> Loc:
        return (self.body_loc or self.loc).child(*tokens)


@dataclass(slots=True, eq=False, repr=False, init=False)
class Router(Plain):
    """A virtual router: its listeners and routes."""

    name: str
    loc: Loc
    listeners: list[Listener] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    detached: bool = False  # routes from spec files that name no router: its listeners are unknown

    def __init__(self, name: str, loc: Loc, listeners: list[Listener] = FACTORY, routes: list[Route] = FACTORY,
                 detached: bool = False) -> None:
        self.name = name
        self.loc = loc
        self.listeners = [] if listeners is FACTORY else listeners
        self.routes = [] if routes is FACTORY else routes
        self.detached = detached


@dataclass(slots=True, eq=False, repr=False, init=False)
class Service(Plain):
    """A virtual service, provided by a router or a node (or neither)."""

    name: str
    loc: Loc
    router: str | None = None
    node: str | None = None

    def __init__(self, name: str, loc: Loc, router: str | None = None, node: str | None = None) -> None:
        self.name = name
        self.loc = loc
        self.router = router
        self.node = node

    @property
    def provider(self) -> str | None:
        return self.router or self.node


@dataclass(slots=True, eq=False, repr=False, init=False)
class GatewayRoute(Plain):
    """A route of a virtual gateway, to a virtual service."""

    name: str
    protocol: str
    service: str
    loc: Loc
    priority: int | None = None
    match: dict[str, Any] = field(default_factory=dict)
    port: int | None = None  # the target port (action.target.port)
    rewrite: dict[str, Any] | None = None

    def __init__(self, name: str, protocol: str, service: str, loc: Loc, priority: int | None = None,
                 match: dict[str, Any] = FACTORY, port: int | None = None,
                 rewrite: dict[str, Any] | None = None) -> None:
        self.name = name
        self.protocol = protocol
        self.service = service
        self.loc = loc
        self.priority = priority
        self.match = {} if match is FACTORY else match
        self.port = port
        self.rewrite = rewrite


@dataclass(slots=True, eq=False, repr=False, init=False)
class Gateway(Plain):
    """A virtual gateway, and the task definition families it claims."""

    name: str
    loc: Loc
    families: list[Named] = field(default_factory=list)
    listeners: list[Listener] = field(default_factory=list)
    routes: list[GatewayRoute] = field(default_factory=list)
    arn: str = ""
    kind: str = "virtualGateway"
    resources: list[Named] = field(default_factory=list)
    service: EcsServiceRef | None = None

    def __init__(self, name: str, loc: Loc, families: list[Named] = FACTORY, listeners: list[Listener] = FACTORY,
                 routes: list[GatewayRoute] = FACTORY, arn: str = "", kind: str = "virtualGateway",
                 resources: list[Named] = FACTORY, service: EcsServiceRef | None = None) -> None:
        self.name = name
        self.loc = loc
        self.families = [] if families is FACTORY else families
        self.listeners = [] if listeners is FACTORY else listeners
        self.routes = [] if routes is FACTORY else routes
        self.arn = arn
        self.kind = kind
        self.resources = [] if resources is FACTORY else resources
        self.service = service


@dataclass(slots=True, eq=False, repr=False, init=False)
class EnvoySettings(Plain):
    """The Envoy container meshify injects: image, name, user and limits."""

    image: str
    container_name: str = "envoy"
    user: str = "1337"
    memory_reservation: int | None = None
    nofile: int | None = None
    log_level: str | None = None
    xray: bool = False
    egress_ignored_ips: list[str] = field(default_factory=lambda: ["169.254.170.2", "169.254.169.254"])
    egress_ignored_ports: list[int] = field(default_factory=list)
    # False when no manifest or configuration chose the image (the mesh of the files): new
    # Envoy containers get ``image``, existing ones keep theirs (T213 does not compare).
    pinned: bool = True

    def __init__(self, image: str, container_name: str = "envoy", user: str = "1337",
                 memory_reservation: int | None = None, nofile: int | None = None, log_level: str | None = None,
                 xray: bool = False, egress_ignored_ips: list[str] = FACTORY, egress_ignored_ports: list[int] = FACTORY,
                 pinned: bool = True) -> None:
        self.image = image
        self.container_name = container_name
        self.user = user
        self.memory_reservation = memory_reservation
        self.nofile = nofile
        self.log_level = log_level
        self.xray = xray
        self.egress_ignored_ips = ["169.254.170.2", "169.254.169.254"] if egress_ignored_ips is FACTORY else egress_ignored_ips
        self.egress_ignored_ports = [] if egress_ignored_ports is FACTORY else egress_ignored_ports
        self.pinned = pinned


# The address meshify's placeholder records resolve to: link-local (RFC 3927), and not one
# of the metadata addresses the proxy ignores.
PLACEHOLDER_ADDRESS = "169.254.255.254"


@dataclass(slots=True, eq=False, repr=False, init=False)
class CloudMap(Plain):
    """The mesh's Cloud Map namespace and its placeholder names."""

    namespace: str | None = None
    placeholders: list[Named] = field(default_factory=list)

    def __init__(self, namespace: str | None = None, placeholders: list[Named] = FACTORY) -> None:
        self.namespace = namespace
        self.placeholders = [] if placeholders is FACTORY else placeholders


# The name of a mesh the files describe without naming it (a template's ``!Ref`` of a
# parameter without a default, a spec without meshName): never written into a file.
UNKNOWN_MESH = "(the mesh of the files)"


@dataclass(slots=True, eq=False, repr=False, init=False)
class Mesh(Plain):
    """The whole mesh: its nodes, routers, services and gateways, by name."""

    name: str
    region: str
    account: str
    owner: str
    loc: Loc
    envoy: EnvoySettings
    egress_filter: str = "DROP_ALL"
    cloud_map: CloudMap = field(default_factory=CloudMap)
    nodes: dict[str, Node] = field(default_factory=dict)
    routers: dict[str, Router] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    gateways: dict[str, Gateway] = field(default_factory=dict)
    from_files: bool = False  # no manifest: the mesh is the App Mesh resources of the files given
    # No manifest, whichever reader built the mesh (a template's mesh claims by family, so
    # from_files stays False there): what messages name as the mesh's source.
    without_manifest: bool = False
    egress_filter_loc: Loc | None = None  # where a mesh spec file set the egress filter, when one did
    # Names only the deployment knows (a template's ``!Sub '${Env}-node'``), kept under a
    # stand-in: the rules that check a name exists or resolves skip them.
    unknown_names: set[str] = field(default_factory=set)
    # Where the files name the mesh when only the deployment knows its name (a template's
    # ``MeshName: !Ref MeshName``): no value outside that template can name it.
    unknown_name_loc: Loc | None = None
    _claims: dict[str, list[Node | Gateway]] | None = field(default=None, repr=False, compare=False)
    # The mesh of the files' App Mesh resources, compared with a manifest (M119): the manifest's
    # resources as written, before the spec files given were merged into it (appmesh_api.api_specs).
    compared_with: dict[tuple[str, ...], Any] | None = field(default=None, repr=False, compare=False)
    # ... and the resources the files define (a route's file names its router without defining it)
    defined: set[tuple[str, ...]] | None = field(default=None, repr=False, compare=False)

    def __init__(self, name: str, region: str, account: str, owner: str, loc: Loc, envoy: EnvoySettings,
                 egress_filter: str = "DROP_ALL", cloud_map: CloudMap = FACTORY, nodes: dict[str, Node] = FACTORY,
                 routers: dict[str, Router] = FACTORY, services: dict[str, Service] = FACTORY,
                 gateways: dict[str, Gateway] = FACTORY, from_files: bool = False, without_manifest: bool = False,
                 egress_filter_loc: Loc | None = None, unknown_names: set[str] = FACTORY,
                 unknown_name_loc: Loc | None = None, _claims: dict[str, list[Node | Gateway]] | None = None,
                 compared_with: dict[tuple[str, ...], Any] | None = None,
                 defined: set[tuple[str, ...]] | None = None) -> None:
        self.name = name
        self.region = region
        self.account = account
        self.owner = owner
        self.loc = loc
        self.envoy = envoy
        self.egress_filter = egress_filter
        self.cloud_map = CloudMap() if cloud_map is FACTORY else cloud_map
        self.nodes = {} if nodes is FACTORY else nodes
        self.routers = {} if routers is FACTORY else routers
        self.services = {} if services is FACTORY else services
        self.gateways = {} if gateways is FACTORY else gateways
        self.from_files = from_files
        self.without_manifest = without_manifest
        self.egress_filter_loc = egress_filter_loc
        self.unknown_names = set() if unknown_names is FACTORY else unknown_names
        self.unknown_name_loc = unknown_name_loc
        self._claims = _claims
        self.compared_with = compared_with
        self.defined = defined

    @property
    def described_in(self) -> str:
        """Where the mesh's nodes are written, for messages: ``the manifest`` or ``the files given``."""
        return "the files given" if self.without_manifest else "the manifest"

    @property
    def partition(self) -> str:
        return _partition_of(self.region)["partition"]

    def arn_of(self, kind: str, name: str) -> str:
        return f"arn:{self.partition}:appmesh:{self.region}:{self.owner}:mesh/{self.name}/{kind}/{name}"

    def claimants(self) -> list[Node | Gateway]:
        return [*self.nodes.values(), *self.gateways.values()]

    def claims_of(self, family: str) -> list[Node | Gateway]:
        """Every node or gateway that claims ``family`` (more than one is M108)."""
        if self._claims is None:  # an index, so that claiming stays linear in the number of task definitions
            self._claims = {}
            for resource in self.claimants():
                for claimed in dict.fromkeys(f.name for f in resource.families):
                    self._claims.setdefault(claimed, []).append(resource)
        return self._claims.get(family, [])

    def claims_for(self, family: str | None, resource: str | None) -> list[Node | Gateway]:
        """Every node or gateway that claims a task definition by its family or by what
        its file calls it (``resource:``); more than one is ambiguous."""
        claims = list(self.claims_of(family)) if family else []
        if resource:
            claims += [c for c in self.claimants() if any(r.name == resource for r in c.resources) and c not in claims]
        return claims

    def changed(self) -> None:
        """Call after adding or replacing resources: the claim index is rebuilt."""
        self._claims = None

    def route_targets(self) -> Iterator[tuple[Router, Route, Target]]:
        """Every weighted target of every route, with its router and route."""
        for router in self.routers.values():
            for route in router.routes:
                for target in route.targets:
                    yield router, route, target

    def resource(self, name: str) -> Node | Gateway | None:
        return self.nodes.get(name) or self.gateways.get(name)


# ---------------------------------------------------------------------------------------
# Regions: partitions come from botocore's own table; Envoy registries from our data file.


# A virtual node's or gateway's ARN in any region and account, or the short form the Envoy agent
# takes (``mesh/<mesh>/virtualNode/<node>``): groups (kind, name). A value written into a file that
# is one names the resource, so a template or .tf that holds the resource writes a reference instead.
NODE_ARN = re.compile(r"^(?:arn:aws[a-z-]*:appmesh:[^:]*:[^:]*:)?mesh/[^/]+/(virtualNode|virtualGateway)/([^/]+)$")


def partition_of(region: str) -> dict[str, Any]:
    """``{"partition": "aws-cn", "dnsSuffix": "amazonaws.com.cn", ...}`` for a region."""
    return dict(_partition_of(region))


@cache
def _partition_of(region: str) -> dict[str, Any]:
    # Asked for every ARN written (a few per task definition): botocore's table is scanned once per region.
    from meshify.injector.model.service_models import partitions

    for partition in partitions():
        if region in partition.get("regions", {}) or re.match(partition["regionRegex"], region):
            return {"partition": partition["id"], **partition["outputs"]}
    return {"partition": "aws", "dnsSuffix": "amazonaws.com"}


DATA = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data")  # shipped as plain files in the wheel


@cache
def envoy_images() -> dict[str, Any]:
    with open(os.path.join(DATA, "envoy-images.json"), encoding="utf-8") as handle:
        return json.load(handle)


def default_envoy_image(region: str, tag: str | None = None) -> str:
    table = envoy_images()
    account = table["registryAccounts"].get(region, table["defaultRegistryAccount"])
    suffix = partition_of(region)["dnsSuffix"]
    return f"{account}.dkr.ecr.{region}.{suffix}/{table['repository']}:{tag or table['defaultTag']}"


def route_label(router: Router, route: Route) -> str:
    return f"route `{route.name}` of router `{router.name}`"


def gateway_route_label(gateway: Gateway, route: GatewayRoute) -> str:
    return f"gateway route `{route.name}` of gateway `{gateway.name}`"


def listener_for(router: Router, route: Route) -> Listener | None:
    """The router listener a route binds to: the only one, or the one ``match.port`` names."""
    if len(router.listeners) == 1 and "port" not in route.match:
        return router.listeners[0]
    port = route.match.get("port")
    return next((listener for listener in router.listeners if listener.port == port), None)


# Envoy's default request timeout, which App Mesh keeps when a listener or route sets none.
DEFAULT_REQUEST_TIMEOUT_MS = 15_000
_DURATION_TEXT = re.compile(r"^(\d+)(ms|s)$")
_UNIT_MS = {"ms": 1, "s": 1000}


def duration_ms(value: Any) -> int | None:
    """A duration as the manifest (``"5s"``, ``"300ms"``) or the API (``{unit, value}``)
    writes it, in milliseconds; None when it is neither."""
    if isinstance(value, str) and (match := _DURATION_TEXT.match(value)):
        return int(match.group(1)) * _UNIT_MS[match.group(2)]
    if isinstance(value, dict) and value.get("unit") in _UNIT_MS and isinstance(value.get("value"), int):
        return value["value"] * _UNIT_MS[value["unit"]]
    return None


def seconds(milliseconds: int) -> str:
    return f"{milliseconds / 1000:g} s"


def target_listener(node: Node, route: Route, target: Target) -> Listener | None:
    """The node listener a route target reaches: the one on ``target.port``, the only one,
    or the first of the route's protocol."""
    if target.port is not None:
        return next((listener for listener in node.listeners if listener.port == target.port), None)
    if len(node.listeners) == 1:
        return node.listeners[0]
    return next((listener for listener in node.listeners if listener.protocol == route.protocol), None)

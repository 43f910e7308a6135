"""What the mesh becomes in ECS Service Connect (``../shared/spec/migrate.md``): one
:class:`MigrationPlan` per mesh, computed once from the model, that the R6xx rules, the
migration report and ``meshify migrate`` all read.

Nodes are *versions of one service* when a route splits traffic between them and they
register under the same Cloud Map service (or DNS hostname): they become one ECS service,
and the route's weights a CANARY / LINEAR deployment suggestion. A virtual service keeps its
name as the client alias of the ECS service that provides it, so that callers need no change.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from meshify.injector.model.ecs_service import EcsService
from meshify.injector.model.mesh import ROUTE_KINDS, UNKNOWN_MESH, Listener, Loc, Mesh, Node, Route, Router, Target

# Service Connect's fixed behaviour (ECS Developer Guide, "Service Connect components").
FIXED_RETRIES = "2 retries, each on another task"
FIXED_OUTLIER_DETECTION = "a task is ejected after 5 failed connections within 30 s, for 30-300 s"
DEFAULT_PER_REQUEST_SECONDS = 15
# Proxy headroom the guide recommends when a task definition sets only container memory.
PROXY_MEMORY_HEADROOM_MIB = 64
# Service Connect TLS needs an ECS infrastructure role (trusted by ecs.amazonaws.com, with the managed
# policy below); meshify cannot know the team's, so it names the one AWS's guide creates, and the
# report asks for it (ECS Developer Guide, "Amazon ECS infrastructure IAM role").
TLS_ROLE_NAME = "ecsInfrastructureRole"
TLS_ROLE_POLICY = "AmazonECSInfrastructureRolePolicyForServiceConnectTransportLayerSecurity"

_DURATION_TEXT = re.compile(r"^(\d+)(ms|s)$")
_PORT_NAME_BAD = re.compile(r"[^a-z0-9_-]+")
# Match keys that only route on content: Service Connect cannot do any of them. A prefix of
# "/" matches everything and a port match only picks the listener: neither is lost.
CONTENT_MATCH_KEYS = ("path", "prefix", "headers", "method", "queryParameters", "scheme", "serviceName",
                      "methodName", "metadata", "hostname")


def millis(duration: Any) -> int | None:
    """A duration as the manifest writes it (``5s``, ``300ms``) or as the API does
    (``{unit, value}``), in milliseconds."""
    if isinstance(duration, str) and (match := _DURATION_TEXT.match(duration)):
        value, unit = int(match.group(1)), match.group(2)
    elif isinstance(duration, dict) and isinstance(duration.get("value"), int):
        value, unit = duration["value"], duration.get("unit", "ms")
    else:
        return None
    return value * 1000 if unit == "s" else value


def seconds_up(milliseconds: int) -> int:
    return math.ceil(milliseconds / 1000)


def port_name(text: str) -> str:
    """A valid Service Connect port or discovery name (``[a-z0-9_-]``, at most 64, no leading
    ``-``) made from ``text``."""
    name = _PORT_NAME_BAD.sub("-", text.lower()).strip("-")[:64]
    return name or "service"


def content_matches(route: Route) -> list[str]:
    """The match keys of a route that route on content (lost in Service Connect)."""
    found = []
    for key in CONTENT_MATCH_KEYS:
        value = route.match.get(key)
        if value in (None, [], {}) or (key == "prefix" and value == "/"):
            continue
        found.append(key)
    return found


@dataclass(slots=True)
class Timeouts:
    per_request_ms: int | None = None
    idle_ms: int | None = None

    def api(self, protocol: str) -> dict[str, int]:
        """``TimeoutConfiguration`` in seconds rounded up; no per-request timeout on TCP."""
        config: dict[str, int] = {}
        if self.idle_ms is not None:
            config["idleTimeoutSeconds"] = seconds_up(self.idle_ms)
        if self.per_request_ms is not None and protocol != "tcp":
            config["perRequestTimeoutSeconds"] = seconds_up(self.per_request_ms)
        return config


@dataclass(frozen=True, slots=True)
class StandIn:
    """A virtual service name that stands for one only the stack knows: ``meshify init``
    writes the logical id of a template's resource whose name is an intrinsic (and lists it
    in the manifest's header). Never a DNS name to deploy."""

    name: str
    loc: Loc  # where the manifest writes it (what the user must replace)
    expression: Any = None  # the template's own intrinsic for the deployed name, when the template is given
    template: str | None = None  # the template that writes it: the intrinsic means something only there


@dataclass(slots=True)
class ServedPort:
    """One ``serviceConnectConfiguration.services[]`` entry: a listener of the service."""

    listener: Listener
    port_name: str
    discovery_name: str
    alias: str | None = None  # the virtual service name callers already use
    alias_port: int | None = None
    alias_loc: Loc | None = None
    alias_stand_in: StandIn | None = None  # the alias is a stand-in (see MigrationPlan.alias_dns_name)
    timeouts: Timeouts = field(default_factory=Timeouts)
    route_timeouts: list[tuple[Router, Route, Timeouts]] = field(default_factory=list)

    @property
    def app_protocol(self) -> str | None:
        return None if self.listener.protocol == "tcp" else self.listener.protocol


@dataclass(slots=True)
class Canary:
    """A route whose weights split traffic between versions of one service."""

    router: Router
    route: Route
    shares: list[tuple[str, float]]  # (node, percent), the primary first

    @property
    def primary(self) -> str:
        return self.shares[0][0]

    @property
    def percent(self) -> float:
        """The share that is not the primary's: the canary step."""
        return round(100.0 - self.shares[0][1], 1)

    def suggestion(self) -> dict[str, Any] | None:
        """The ECS deployment configuration that replaces the route: CANARY with the canary's
        share (``describe`` also offers LINEAR when the step is LINEAR's 3 % or more); None
        when the other versions take no traffic (CANARY's smallest step is 0.1 %)."""
        if self.percent < 0.1:
            return None
        return {"strategy": "CANARY",
                "canaryConfiguration": {"canaryPercent": self.percent, "canaryBakeTimeInMinutes": 10}}

    def describe(self) -> str:
        if self.percent < 0.1:
            return "no traffic split (the route gives the other versions no traffic)"
        linear = f" or LINEAR (stepPercent {_number(self.percent)})" if self.percent >= 3 else ""
        return f"deploymentConfiguration.strategy CANARY (canaryPercent {_number(self.percent)}){linear}"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


@dataclass(slots=True)
class PlannedService:
    """One ECS service with Service Connect: one node, or the versions of one service."""

    name: str
    cluster: str | None
    nodes: list[Node]
    ports: list[ServedPort] = field(default_factory=list)
    canaries: list[Canary] = field(default_factory=list)
    pca_arn: str | None = None
    tls_role_arn: str | None = None  # the infrastructure role TLS needs (TLS_ROLE_NAME in the mesh's account)
    ecs: EcsService | None = None  # the ECS service definition given for it, if any
    # (node, its ECS service) for the other versions whose own ECS service definition is given:
    # one client alias reaches one ECS service, so these serve nothing and only call (R601)
    versions: list[tuple[str, EcsService]] = field(default_factory=list)

    @property
    def primary(self) -> Node:
        return self.nodes[0]

    @property
    def families(self) -> list[str]:
        return [family.name for node in self.nodes for family in node.families]

    @property
    def callers_only(self) -> bool:
        return not self.ports


@dataclass(slots=True)
class MigrationPlan:
    mesh: Mesh
    namespace: Any  # a name, or the template's expression for one only the stack knows (!Sub ...)
    services: list[PlannedService]
    by_node: dict[str, PlannedService]
    ab_routes: list[tuple[Router, Route]]  # weights between different services
    stand_ins: dict[str, StandIn] = field(default_factory=dict)  # by virtual service name
    # where the namespace comes from when the files give it (a node's Cloud Map namespace), and that node
    namespace_loc: Loc | None = None
    namespace_node: str | None = None
    _aliases: dict[str, tuple[PlannedService, ServedPort]] | None = field(default=None, repr=False)

    def service_of(self, node: str) -> PlannedService | None:
        return self.by_node.get(node)

    @property
    def namespace_shown(self) -> str:
        """The namespace as a report or picture shows it: its name, else the expression as JSON."""
        import json

        return self.namespace if isinstance(self.namespace, str) else json.dumps(self.namespace)

    def alias_owner(self, virtual_service: str) -> tuple[PlannedService, ServedPort] | None:
        """The ECS service and port whose client alias is ``virtual_service``."""
        if self._aliases is None:  # an index: lookups per backend and per route stay linear
            self._aliases = {}
            for service, port in served_ports(self):
                if port.alias is not None:
                    self._aliases.setdefault(port.alias, (service, port))
        return self._aliases.get(virtual_service)

    def callers_of(self, virtual_service: str) -> list[Node]:
        return [node for node in self.mesh.nodes.values() if any(b.name == virtual_service for b in node.backends)]

    def alias_dns_name(self, service: PlannedService, port: ServedPort) -> Any:
        """What the client alias's ``dnsName`` is written as: the virtual service name; for a
        stand-in, the template's own intrinsic for the name when the service's configuration
        goes into that template (the deployed name is then the one callers use), else None:
        a stand-in is never written as if it were the name (R615 says what to do)."""
        stand_in = port.alias_stand_in
        if stand_in is None:
            return port.alias
        if stand_in.expression is not None and stand_in.template is not None and service.ecs is not None:
            document = service.ecs.locate("").document
            if document is not None and document.path == stand_in.template:
                return stand_in.expression
        return None

    @property
    def namespace_expression(self) -> bool:
        """Whether the namespace is a template's expression (an intrinsic, a Terraform
        expression) rather than a name: only that template's stack can evaluate it. A
        placeholder string (``${NAMESPACE}``) is text a tool fills in a file: written as is."""
        from meshify.injector.documents.unknown import Unknown
        from meshify.injector.model.unknowns import is_intrinsic

        return isinstance(self.namespace, Unknown) or is_intrinsic(self.namespace)

    @property
    def namespace_template(self) -> str | None:
        """The template whose expression the namespace is (it means something only there)."""
        if not self.namespace_expression or self.namespace_loc is None or self.namespace_loc.document is None:
            return None
        return self.namespace_loc.document.path

    def namespace_for(self, ecs: EcsService | None) -> Any:
        """The namespace as an ECS service's configuration is written: a name as it is; the
        template's expression only in that template's own ECS services, else None (a JSON
        file for ``update-service`` cannot evaluate it: R616)."""
        if not self.namespace_expression:
            return self.namespace
        template = self.namespace_template
        if template is not None and ecs is not None:
            document = ecs.locate("").document
            if document is not None and document.path == template:
                return self.namespace
        return None

    def refused_namespace(self) -> list[str]:
        """The ECS services (planned, and versions' own) whose configuration cannot hold the
        namespace: not written until ``--namespace`` names it (R616)."""
        found = [service.name for service in self.services if self.namespace_for(service.ecs) is None]
        found += [ecs.name for service in self.services for _, ecs in service.versions
                  if self.namespace_for(ecs) is None]
        return found

    def _connect(self, ecs: EcsService | None) -> dict[str, Any]:
        connect: dict[str, Any] = {"enabled": True}
        namespace = self.namespace_for(ecs)
        if namespace is not None:
            connect["namespace"] = namespace
        return connect

    def version_configuration(self, service: PlannedService, ecs: EcsService) -> dict[str, Any]:
        """The configuration of a version's own ECS service: in the namespace as a client
        (its tasks still call their backends), serving nothing: the alias is the group's."""
        configuration: dict[str, Any] = {}
        if isinstance(ecs.data.get("cluster"), str):
            configuration["cluster"] = ecs.data["cluster"]
        configuration["service"] = ecs.name
        if ecs.family:
            configuration["taskDefinition"] = ecs.family
        configuration["serviceConnectConfiguration"] = self._connect(ecs)
        return configuration

    def service_configuration(self, service: PlannedService) -> dict[str, Any]:
        """The ``aws ecs update-service --cli-input-json`` input for one service."""
        connect = self._connect(service.ecs)
        entries = []
        for port in service.ports:
            entry: dict[str, Any] = {"portName": port.port_name, "discoveryName": port.discovery_name}
            dns_name = self.alias_dns_name(service, port) if port.alias is not None else None
            if dns_name is not None and port.alias_port is not None:
                entry["clientAliases"] = [{"port": port.alias_port, "dnsName": dns_name}]
            timeout = port.timeouts.api(port.listener.protocol)
            if timeout:
                entry["timeout"] = timeout
            if service.pca_arn:
                entry["tls"] = {"issuerCertificateAuthority": {"awsPcaAuthorityArn": service.pca_arn}}
                if service.tls_role_arn:
                    entry["tls"]["roleArn"] = service.tls_role_arn
            entries.append(entry)
        if entries:
            connect["services"] = entries
        configuration: dict[str, Any] = {}
        if service.cluster:
            configuration["cluster"] = service.cluster
        configuration["service"] = service.name
        if service.ecs is not None and service.ecs.family:
            configuration["taskDefinition"] = service.ecs.family  # its latest revision: the migrated one, once registered
        elif service.primary.families:
            configuration["taskDefinition"] = service.primary.families[0].name
        configuration["serviceConnectConfiguration"] = connect
        suggestion = service.canaries[0].suggestion() if service.canaries else None
        if suggestion is not None:
            configuration["deploymentConfiguration"] = suggestion
        return configuration


def discovery_key(node: Node) -> tuple[Any, ...] | None:
    """What a node registers as (Cloud Map namespace and service, or DNS hostname), in a
    form two nodes compare by: equal keys make versions of one service. A name only the
    stack knows (a template's intrinsic) is one name within its template
    (``model.unknowns.comparable``); None when discovery cannot show it."""
    from meshify.injector.model.unknowns import comparable

    discovery = node.discovery
    if discovery is None:
        return None
    template = discovery.loc.document.path if discovery.loc.document is not None else None
    if discovery.kind == "dns":
        hostname = comparable(discovery.hostname, template) if discovery.hostname else None
        return ("dns", hostname) if hostname is not None else None
    service = comparable(discovery.service, template) if discovery.service else None
    namespace = comparable(discovery.namespace, template) if discovery.namespace is not None else ""
    if service is None or namespace is None:
        return None
    return ("cloudMap", namespace, service)


def _registered_name(node: Node) -> str | None:
    """The name a node registers under, when the files give it (not an intrinsic)."""
    key = discovery_key(node)
    return key[-1] if key is not None and isinstance(key[-1], str) else None


def _weighted(route: Route) -> list[Target]:
    return [target for target in route.targets if isinstance(target.weight, int) and not isinstance(target.weight, bool)]


def _groups(mesh: Mesh) -> tuple[dict[str, str], list[tuple[Router, Route]]]:
    """Each node's group leader (versions of one service share one), and the routes that
    split traffic between different services."""
    leader = {name: name for name in mesh.nodes}

    def find(name: str) -> str:
        while leader[name] != name:
            leader[name] = leader[leader[name]]
            name = leader[name]
        return name

    ab_routes = []
    for router in mesh.routers.values():
        for route in router.routes:
            nodes = list(dict.fromkeys(t.node for t in route.targets))
            if len(nodes) < 2:
                continue
            # a node the files do not describe has no known discovery: not provably a version
            keys = {discovery_key(mesh.nodes[name]) if name in mesh.nodes else None for name in nodes}
            if len(keys) == 1 and None not in keys:
                for name in nodes[1:]:
                    leader[find(name)] = find(nodes[0])
            else:
                ab_routes.append((router, route))
    return {name: find(name) for name in mesh.nodes}, ab_routes


def _canary(router: Router, route: Route, mesh: Mesh) -> Canary | None:
    targets = [t for t in _weighted(route) if t.node in mesh.nodes]
    total = sum(t.weight for t in targets)
    if len({t.node for t in targets}) < 2 or total <= 0:
        return None
    shares: dict[str, float] = {}
    for target in targets:
        shares[target.node] = shares.get(target.node, 0.0) + 100.0 * target.weight / total
    ordered = sorted(shares.items(), key=lambda item: -item[1])
    return Canary(router, route, [(node, round(share, 1)) for node, share in ordered])


def _service_name(nodes: list[Node], ecs_services: dict[str, EcsService]) -> tuple[str, str | None, EcsService | None]:
    for node in nodes:  # an ECS service definition given for the node's family (or claimed resource) wins
        for claim in (*node.families, *node.resources):
            if claim.name in ecs_services:
                found = ecs_services[claim.name]
                return found.name, found.data.get("cluster") if isinstance(found.data.get("cluster"), str) else None, found
    for node in nodes:
        if node.service is not None:
            return node.service.name, node.service.cluster, None
    return default_service_name(nodes), None, None


def _version_services(nodes: list[Node], chosen: EcsService | None,
                      ecs_services: dict[str, EcsService]) -> list[tuple[str, EcsService]]:
    """The ECS service definitions given for the group's other versions (the chosen one serves)."""
    found: list[tuple[str, EcsService]] = []
    for node in nodes:
        for claim in (*node.families, *node.resources):
            other = ecs_services.get(claim.name)
            if other is not None and other is not chosen and all(other is not ecs for _, ecs in found):
                found.append((node.name, other))
    return found


def default_service_name(nodes: list[Node]) -> str:
    """The ECS service a node (or a group of versions of one service) becomes when nothing
    names it: what it registers as in Cloud Map or DNS, else the node's name."""
    registered = _registered_name(nodes[0])
    return port_name((registered if registered is not None else nodes[0].name).split(".")[0])


def _discovery_name(nodes: list[Node], fallback: str) -> str:
    registered = _registered_name(nodes[0])
    if registered is None:
        return port_name(fallback)
    return port_name(registered.split(".")[0])


def _alias_targets(mesh: Mesh, provider_router: Router) -> list[Target]:
    """The targets that take a router's traffic by default: those of its routes without
    content matches (the catch-all), else of every route."""
    plain = [t for route in provider_router.routes if not content_matches(route) for t in route.targets]
    return plain or [t for route in provider_router.routes for t in route.targets]


def _route_timeouts(route: Route) -> Timeouts | None:
    if not route.timeout:
        return None
    found = Timeouts(millis(route.timeout.get("perRequest")), millis(route.timeout.get("idle")))
    return found if found.per_request_ms is not None or found.idle_ms is not None else None


def _listener_timeouts(listener: Listener) -> Timeouts:
    timeout = (listener.timeout or {}).get(listener.protocol) or {}
    return Timeouts(millis(timeout.get("perRequest")), millis(timeout.get("idle")))


def _merge(first: int | None, second: int | None) -> int | None:
    values = [value for value in (first, second) if value is not None]
    return max(values) if values else None


def _pca_arn(mesh: Mesh, service_names: set[str]) -> str | None:
    """The AWS Private CA that callers of these virtual services validate against."""
    for node in mesh.nodes.values():
        for policy in node.client_policies:
            if policy.backend is not None and policy.backend not in service_names:
                continue
            trust = ((policy.policy.get("tls") or {}).get("validation") or {}).get("trust") or {}
            arns = (trust.get("acm") or {}).get("certificateAuthorityArns") or []
            if arns and isinstance(arns[0], str):
                return arns[0]
    return None


def plan(mesh: Mesh, namespace: str | None = None, ecs_services: list[EcsService] | None = None,
         stand_ins: dict[str, StandIn] | None = None) -> MigrationPlan:
    """The Service Connect plan for ``mesh``: ``namespace`` overrides the manifest's;
    ``ecs_services`` are ECS service definitions given with the files (by family);
    ``stand_ins`` the virtual service names that only stand for the deployed ones."""
    by_family = {service.family: service for service in ecs_services or [] if service.family}
    leaders, ab_routes = _groups(mesh)
    members: dict[str, list[Node]] = {}
    for name, node in mesh.nodes.items():
        members.setdefault(leaders[name], []).append(node)
    canaries: dict[str, list[Canary]] = {}
    for router in mesh.routers.values():
        for route in router.routes:
            if any(route is r for _, r in ab_routes):
                continue
            found = _canary(router, route, mesh)
            if found is not None:
                canaries.setdefault(leaders[found.primary], []).append(found)
                # the primary (largest share) leads the group: its family and service win
                group = members[leaders[found.primary]]
                group.sort(key=lambda node: node.name != found.primary)
    services: list[PlannedService] = []
    by_node: dict[str, PlannedService] = {}
    names = {leader: _service_name(nodes, by_family) for leader, nodes in members.items()}
    taken = [name for name, _, _ in names.values()]
    for leader, nodes in members.items():
        name, cluster, ecs = names[leader]
        if taken.count(name) > 1 and ecs is None and not any(node.service for node in nodes):
            name = port_name(nodes[0].name)  # two services would share a discovery-derived name
        service = PlannedService(name, cluster, nodes, canaries=canaries.get(leader, []), ecs=ecs,
                                 versions=_version_services(nodes, ecs, by_family))
        discovery = _discovery_name(nodes, name)
        seen_ports: set[int] = set()
        for node in nodes:
            for listener in node.listeners:
                if listener.port in seen_ports:
                    continue
                seen_ports.add(listener.port)
                suffix = "" if not service.ports else f"-{listener.port}"
                # A spec may leave the protocol out (M106): the port is named by its number alone.
                served_name = f"{listener.protocol or 'port'}-{listener.port}"
                service.ports.append(ServedPort(listener, port_name(served_name),
                                                port_name(discovery + suffix), timeouts=_listener_timeouts(listener)))
        services.append(service)
        for node in nodes:
            by_node[node.name] = service
    found_namespace, namespace_node = (namespace, None) if namespace else _namespace(mesh)
    source = mesh.nodes[namespace_node].discovery if namespace_node is not None else None
    current = MigrationPlan(mesh, found_namespace, services, by_node, ab_routes, dict(stand_ins or {}),
                            namespace_loc=source.loc.child("namespaceName") if source is not None else None,
                            namespace_node=namespace_node)
    _aliases(current)
    for service in services:
        aliases = {port.alias for port in service.ports if port.alias}
        service.pca_arn = _pca_arn(mesh, aliases) if aliases and _uses_tls(service) else None
        if service.pca_arn:
            service.tls_role_arn = tls_role_arn(mesh)
    return current


def tls_role_arn(mesh: Mesh) -> str:
    """The ECS infrastructure role Service Connect TLS uses, in the mesh's account."""
    return f"arn:{mesh.partition}:iam::{mesh.account or mesh.owner or '${ACCOUNT_ID}'}:role/{TLS_ROLE_NAME}"


def _uses_tls(service: PlannedService) -> bool:
    return any(port.listener.tls for port in service.ports)


def _namespace(mesh: Mesh) -> tuple[Any, str | None]:
    """The manifest's namespace, else the first node's Cloud Map namespace (and that node),
    else the mesh's name (None when the files do not name the mesh)."""
    if mesh.cloud_map.namespace:
        return mesh.cloud_map.namespace, None
    for node in mesh.nodes.values():
        if node.discovery and node.discovery.namespace:
            return node.discovery.namespace, node.name
    return (mesh.name if mesh.name and mesh.name != UNKNOWN_MESH else None), None


def _port_for(service: PlannedService, port: int | None) -> ServedPort | None:
    if port is not None:
        found = next((p for p in service.ports if p.listener.port == port), None)
        if found is not None:
            return found
    return service.ports[0] if service.ports else None


def _aliases(current: MigrationPlan) -> None:
    """Give each virtual service's name to the ECS service port that provides it, and
    merge the route timeouts into that port's server-side timeout."""
    mesh = current.mesh
    for virtual in mesh.services.values():
        if virtual.node is not None:
            service = current.service_of(virtual.node)
            node = mesh.nodes.get(virtual.node)
            if service is None or node is None or not node.listeners:
                continue
            served = _port_for(service, node.listeners[0].port)
            if served is not None and served.alias is None:
                served.alias, served.alias_port, served.alias_loc = virtual.name, served.listener.port, virtual.loc
                served.alias_stand_in = current.stand_ins.get(virtual.name)
        elif virtual.router is not None and (router := mesh.routers.get(virtual.router)) is not None:
            targets = [t for t in _alias_targets(mesh, router) if t.node in mesh.nodes]
            if not targets:
                continue
            main = max(targets, key=lambda t: t.weight if isinstance(t.weight, int) else 0)
            service = current.service_of(main.node)
            if service is None:
                continue
            served = _port_for(service, main.port)
            client_port = router.listeners[0].port if router.listeners else None
            if served is not None and served.alias is None:
                served.alias, served.alias_loc = virtual.name, virtual.loc
                served.alias_stand_in = current.stand_ins.get(virtual.name)
                served.alias_port = client_port if client_port is not None else served.listener.port
    for router, route, target in mesh.route_targets():
        timeouts = _route_timeouts(route)
        service = current.service_of(target.node)
        if timeouts is None or service is None:
            continue
        served = _port_for(service, target.port)
        if served is None or any(r is route for _, r, _ in served.route_timeouts):
            continue
        served.route_timeouts.append((router, route, timeouts))
        served.timeouts = Timeouts(_merge(served.timeouts.per_request_ms, timeouts.per_request_ms),
                                   _merge(served.timeouts.idle_ms, timeouts.idle_ms))


def route_member(route: Route, key: str) -> Loc:
    """Where a route's ``match``, ``retryPolicy`` or ``timeout`` is written: on the route in
    the manifest, under its route kind (``httpRoute`` ...) in an App Mesh spec file."""
    from meshify.injector.documents.pointer import resolve

    document = route.loc.document
    if document is not None:
        try:
            written = resolve(document.data, route.loc.pointer)
        except (KeyError, IndexError, TypeError, ValueError):
            written = None
        kind = next((k for k, protocol in ROUTE_KINDS.items() if protocol == route.protocol), None)
        if isinstance(written, dict) and key not in written and kind is not None and isinstance(written.get(kind), dict):
            return route.loc.child(kind, key)
    return route.loc.child(key)


def listener_member(listener: Listener, key: str) -> Loc:
    """Where a listener's member is written (spec files place a listener at its portMapping)."""
    loc = listener.loc
    if loc.pointer.endswith("/portMapping"):
        loc = Loc(loc.document, loc.pointer[: -len("/portMapping")])
    return loc.child(key)


# ---------------------------------------------------------------------------------------
# A Service Connect configuration the user already wrote (a template's ECS service)


# Members whose value is the team's to choose: migrate writes one only where there is none.
_TEAMS_CHOICE = frozenset({"roleArn"})


def _kept(value: Any) -> bool:
    """A value no fix overwrites: unknown, or a variable's default standing for it."""
    from meshify.injector.documents.unknown import DefaultFloat, DefaultInt, DefaultStr
    from meshify.injector.model.unknowns import is_unknown

    return is_unknown(value) or isinstance(value, DefaultStr | DefaultInt | DefaultFloat)


def _same(first: Any, second: Any) -> bool:
    return first == second and isinstance(first, bool) == isinstance(second, bool)


def _matching_entry(existing: list[Any], wanted: dict[str, Any], taken: set[int]) -> int | None:
    """The entry of ``services`` that is ``wanted``'s: by portName, else the only one."""
    for index, entry in enumerate(existing):
        if index not in taken and isinstance(entry, dict) and _same(entry.get("portName"), wanted.get("portName")):
            return index
    if len(existing) == 1 and not taken and isinstance(existing[0], dict) and not _kept(existing[0].get("portName")):
        return 0
    return None


def _merged(existing: Any, wanted: Any, pointer: str) -> list[dict[str, Any]]:
    if _kept(existing):
        return []
    operations: list[dict[str, Any]] = []
    if isinstance(existing, dict) and isinstance(wanted, dict):
        for key, value in wanted.items():
            child = f"{pointer}/{key}"
            if key in existing and key in _TEAMS_CHOICE:
                continue  # migrate only proposes one where there is none
            operations += _merged(existing[key], value, child) if key in existing else \
                [{"op": "add", "path": child, "value": value}]
        return operations  # what the user wrote besides (logConfiguration ...) stays
    if isinstance(existing, list) and isinstance(wanted, list) and pointer.endswith("/services"):
        taken: set[int] = set()
        for value in wanted:
            index = _matching_entry(existing, value, taken)
            if index is None:
                operations.append({"op": "add", "path": f"{pointer}/-", "value": value})
            else:
                taken.add(index)
                operations += _merged(existing[index], value, f"{pointer}/{index}")
        return operations
    if isinstance(existing, list) and isinstance(wanted, list) and len(existing) == len(wanted):
        return [operation for index, (old, new) in enumerate(zip(existing, wanted, strict=True))
                for operation in _merged(old, new, f"{pointer}/{index}")]
    if isinstance(existing, list) and any(_kept(item) for item in existing):
        return []
    return [] if _same(existing, wanted) else [{"op": "replace", "path": pointer, "value": wanted}]


def connect_patch(service: dict[str, Any], wanted: dict[str, Any]) -> list[dict[str, Any]]:
    """RFC 6902 operations (API pointers relative to the service) that give an ECS service
    definition the ``serviceConnectConfiguration`` ``wanted``: added whole when it has none;
    merged into the one the user wrote otherwise, never overwriting an unknown and keeping
    members migrate does not write. Empty when it already has it (a second run)."""
    existing = service.get("serviceConnectConfiguration")
    if existing is None:
        return [{"op": "add", "path": "/serviceConnectConfiguration", "value": wanted}]
    return _merged(existing, wanted, "/serviceConnectConfiguration")


def served_ports(current: MigrationPlan) -> Iterator[tuple[PlannedService, ServedPort]]:
    for service in current.services:
        for port in service.ports:
            yield service, port


# ---------------------------------------------------------------------------------------
# The task definition: what Service Connect needs once the App Mesh wiring is gone.

_VALID_PORT_NAME = re.compile(r"^[a-z0-9_][a-z0-9_-]{0,63}$")


def named_ports(taskdef: dict[str, Any]) -> dict[int, str]:
    """containerPort -> the valid name a port mapping already has."""
    found: dict[int, str] = {}
    for container in taskdef.get("containerDefinitions") or []:
        for mapping in container.get("portMappings") or []:
            name, port = mapping.get("name"), mapping.get("containerPort")
            if isinstance(name, str) and _VALID_PORT_NAME.match(name) and isinstance(port, int):
                found.setdefault(port, name)
    return found


def health_check_command(check: dict[str, Any], port: int) -> dict[str, Any]:
    """An App Mesh active health check as a container ``healthCheck``."""
    port = check.get("port") or port
    if check.get("protocol") in ("http", "http2"):
        command = f"curl -fs http://localhost:{port}{check.get('path') or '/'} || exit 1"
    else:  # tcp and grpc: is the port open?
        command = f"bash -c '</dev/tcp/localhost/{port}' || exit 1"
    health: dict[str, Any] = {"command": ["CMD-SHELL", command]}
    if isinstance(check.get("intervalMillis"), int):
        health["interval"] = min(max(seconds_up(check["intervalMillis"]), 5), 300)
    if isinstance(check.get("timeoutMillis"), int):
        health["timeout"] = min(max(seconds_up(check["timeoutMillis"]), 2), 60)
    if isinstance(check.get("unhealthyThreshold"), int):
        health["retries"] = min(max(check["unhealthyThreshold"], 1), 10)
    return health


def _port_owner(containers: list[dict[str, Any]], port: int) -> tuple[int, int] | None:
    for index, container in enumerate(containers):
        for position, mapping in enumerate(container.get("portMappings") or []):
            if mapping.get("containerPort") == port:
                return index, position
    return None


def _task_memory(taskdef: dict[str, Any]) -> int | None:
    """Task memory with the proxy's headroom, where only container memory was given."""
    if taskdef.get("memory") not in (None, ""):
        return None
    total = 0
    for container in taskdef.get("containerDefinitions") or []:
        value = container.get("memory") or container.get("memoryReservation")
        total += value if isinstance(value, int) else 0
    return total + PROXY_MEMORY_HEADROOM_MIB if total else None


def service_connect_patch(node: Node, service: PlannedService, taskdef: dict[str, Any]) -> list[dict[str, Any]]:
    """RFC 6902 operations on a task definition without App Mesh wiring: named ports with
    ``appProtocol``, the active health check on the application container, task memory."""
    patch: list[dict[str, Any]] = []
    containers = taskdef.get("containerDefinitions") or []
    group_checks = {listener.port: listener.health_check for member in service.nodes for listener in member.listeners
                    if listener.health_check}
    checked: set[int] = set()
    for served in service.ports:
        if not any(listener.port == served.listener.port for listener in node.listeners):
            continue
        owner = _port_owner(containers, served.listener.port)
        if owner is None:
            essential = next((i for i, c in enumerate(containers) if c.get("essential", True)), None)
            if essential is None:
                continue
            mapping = {"containerPort": served.listener.port, "protocol": "tcp", "name": served.port_name}
            if served.app_protocol:
                mapping["appProtocol"] = served.app_protocol
            key = "portMappings"
            if key in containers[essential]:
                patch.append({"op": "add", "path": f"/containerDefinitions/{essential}/{key}/-", "value": mapping})
            else:
                patch.append({"op": "add", "path": f"/containerDefinitions/{essential}/{key}", "value": [mapping]})
            owner = (essential, -1)
        else:
            index, position = owner
            mapping = containers[index]["portMappings"][position]
            pointer = f"/containerDefinitions/{index}/portMappings/{position}"
            if mapping.get("name") != served.port_name:
                patch.append({"op": "replace" if "name" in mapping else "add", "path": f"{pointer}/name",
                              "value": served.port_name})
            if served.app_protocol and mapping.get("appProtocol") != served.app_protocol:
                patch.append({"op": "replace" if "appProtocol" in mapping else "add", "path": f"{pointer}/appProtocol",
                              "value": served.app_protocol})
        index = owner[0]
        check = next((listener.health_check for listener in node.listeners
                      if listener.port == served.listener.port and listener.health_check), None) \
            or group_checks.get(served.listener.port)
        if check and index not in checked and "healthCheck" not in containers[index]:
            checked.add(index)
            patch.append({"op": "add", "path": f"/containerDefinitions/{index}/healthCheck",
                          "value": health_check_command(check, served.listener.port)})
    memory = _task_memory(taskdef)
    if memory is not None:
        patch.append({"op": "add", "path": "/memory", "value": str(memory)})
    return patch

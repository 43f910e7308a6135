"""The mesh as ECS Service Connect would run it: which ECS service each node becomes,
which client aliases (the virtual service names callers already use) each serves, and in
which namespace (``../shared/spec/migrate.md``).

Nodes are *versions of one service* when a route splits traffic between them and they
register under the same Cloud Map service (or answer to the same DNS hostname): they become
one ECS service. Every other node is an ECS service of its own. A virtual service becomes a
client alias of the ECS service that provides it: its node's, or the one service all its
router's targets are versions of. A router whose targets are different services (an A/B
split) has no Service Connect equivalent: its alias is left unserved, with the reason.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from meshify.injector.model.mesh import Listener, Mesh, Node, Router, listener_for


@dataclass(slots=True)
class Alias:
    """A client alias: the DNS name and port callers use."""

    dns_name: str
    port: int | None


@dataclass(slots=True)
class ConnectService:
    """One ECS service with Service Connect: the nodes it replaces (one, or the versions
    of one service) and what it serves and calls."""

    name: str
    nodes: list[Node]
    aliases: list[Alias] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)  # the virtual service names its tasks call
    weights: dict[str, float] = field(default_factory=dict)  # node -> percent, for versions split by a route

    @property
    def families(self) -> list[str]:
        return list(dict.fromkeys(family.name for node in self.nodes for family in node.families))

    @property
    def ports(self) -> list[Listener]:
        """The ports it serves: its nodes' listeners, one per port."""
        by_port: dict[int, Listener] = {}
        for node in self.nodes:
            for listener in node.listeners:
                by_port.setdefault(listener.port, listener)
        return [by_port[port] for port in sorted(by_port)]


@dataclass(slots=True)
class ConnectPlan:
    namespace: str | None
    services: list[ConnectService]
    unserved: dict[str, str] = field(default_factory=dict)  # virtual service name -> why no service serves it

    def serving(self, dns_name: str) -> ConnectService | None:
        return next((s for s in self.services if any(a.dns_name == dns_name for a in s.aliases)), None)


def _group_name(nodes: list[Node]) -> str:
    """The ECS service's name, as ``meshify migrate`` names it (so the picture and the
    report agree): the manifest's ``service:``, else what the nodes register as."""
    from meshify.injector.model.migration import default_service_name

    named = next((node.service.name for node in nodes if node.service is not None), None)
    return named if named is not None else default_service_name(nodes)


def _percentages(router: Router) -> dict[str, float]:
    """The traffic share of each target of the router's catch-all route (its last)."""
    if not router.routes:
        return {}
    route = sorted(router.routes, key=lambda r: (r.priority is None, r.priority or 0, r.name))[-1]
    total = sum(t.weight for t in route.targets if isinstance(t.weight, int))
    if len(route.targets) < 2 or total <= 0:
        return {}
    return {t.node: 100 * t.weight / total for t in route.targets if isinstance(t.weight, int)}


def plan(mesh: Mesh, namespace: str | None = None) -> ConnectPlan:
    """The Service Connect services for ``mesh``, in the namespace given or the mesh's
    Cloud Map namespace; in a stable order (by service name)."""
    # the key migrate groups versions by, so that the picture and the report agree
    from meshify.injector.model.migration import discovery_key

    group_of: dict[str, str] = {name: name for name in mesh.nodes}  # union-find over versions

    def root(name: str) -> str:
        while group_of[name] != name:
            group_of[name] = group_of[group_of[name]]
            name = group_of[name]
        return name

    for router in mesh.routers.values():
        for route in router.routes:
            known = [t.node for t in route.targets if t.node in mesh.nodes]
            for first, other in itertools.pairwise(known):
                key = discovery_key(mesh.nodes[first])
                if key is not None and key == discovery_key(mesh.nodes[other]):
                    group_of[root(other)] = root(first)

    groups: dict[str, list[Node]] = {}
    for name in sorted(mesh.nodes):
        groups.setdefault(root(name), []).append(mesh.nodes[name])
    services = {root_name: ConnectService(_group_name(nodes), nodes) for root_name, nodes in groups.items()}
    for service in services.values():
        service.calls = sorted({backend.name for node in service.nodes for backend in node.backends})

    unserved: dict[str, str] = {}
    for dns_name in sorted(mesh.services):
        virtual_service = mesh.services[dns_name]
        if virtual_service.node is not None:
            provider = mesh.nodes.get(virtual_service.node)
            if provider is None:
                unserved[dns_name] = f"its node {virtual_service.node} is not in the mesh"
                continue
            port = provider.listeners[0].port if len(provider.listeners) == 1 else None
            services[root(provider.name)].aliases.append(Alias(dns_name, port))
            continue
        router = mesh.routers.get(virtual_service.router or "")
        if router is None:
            unserved[dns_name] = f"its router {virtual_service.router} is not in the mesh"
            continue
        targets = {root(t.node) for route in router.routes for t in route.targets if t.node in mesh.nodes}
        if len(targets) != 1:
            unserved[dns_name] = ("its router splits traffic between different services (no Service Connect equivalent)"
                                  if targets else "its router sends traffic to no node of the mesh")
            continue
        served = services[targets.pop()]
        ports = {listener.port for route in router.routes if (listener := listener_for(router, route))}
        served.aliases.append(Alias(dns_name, ports.pop() if len(ports) == 1 else None))
        if len(served.nodes) > 1:
            served.weights = {name: share for name, share in _percentages(router).items()
                              if any(node.name == name for node in served.nodes)}
    ordered = sorted(services.values(), key=lambda s: s.name)
    return ConnectPlan(namespace if namespace is not None else mesh.cloud_map.namespace, ordered, unserved)

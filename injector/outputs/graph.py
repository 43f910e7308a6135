"""Pictures of a mesh, as Mermaid (renders in GitHub and GitLab markdown) or Graphviz DOT.

:func:`before_graph` draws the App Mesh as it is: gateways and their routes (the match
on the edge), virtual services, routers with each route's match and weights as
percentages, nodes with their listeners and the task definition families that run them,
and each node's backends as dashed edges. Lint findings can be laid over it: the element a
finding points at is coloured and carries the rule id. :func:`after_graph` draws the same
mesh as ECS Service Connect would run it, from the plan ``meshify migrate`` carries out
(``model/migration.py``): one ECS service per node or per group of versions, its client
aliases, its namespace.

Both are deterministic (elements sorted by name or in the plan's order, routes by priority), so a picture can
live in a repository and be diffed. Both first build a :class:`Picture` (boxes, arrows,
one optional cluster), which the two writers render.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from meshify.injector.engine.findings import Located
from meshify.injector.model.mesh import UNKNOWN_MESH, GatewayRoute, Listener, Loc, Mesh, Route, Router

if TYPE_CHECKING:
    from meshify.injector.model.migration import MigrationPlan, PlannedService, ServedPort

FORMATS = ("mermaid", "dot")
MISSING = "(not in the inputs)"
_SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}
_SYMBOLS = {"error": "✖", "warning": "⚠", "info": "ℹ"}
_COLOURS = {"error": "#d32f2f", "warning": "#ef8f00", "info": "#1f77b4"}


@dataclass(eq=False, slots=True)
class Box:
    id: str
    lines: list[str]
    shape: str  # gateway, service, router, node, ecs-service, load-balancer
    missing: bool = False
    marks: list[tuple[str, str]] = field(default_factory=list)  # (rule, severity)

    @property
    def label(self) -> list[str]:
        return [*self.lines, _mark_text(self.marks)] if self.marks else self.lines


@dataclass(eq=False, slots=True)
class Arrow:
    source: Box
    target: Box
    text: str = ""
    dashed: bool = False
    marks: list[tuple[str, str]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " ".join(part for part in (self.text, _mark_text(self.marks)) if part)


@dataclass(slots=True)
class Picture:
    title: str
    boxes: list[Box] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    cluster: tuple[str, list[Box]] | None = None  # (label, boxes inside)
    _ids: set[str] = field(default_factory=set)

    def box(self, prefix: str, name: str, lines: list[str], shape: str, missing: bool = False) -> Box:
        base = f"{prefix}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"
        ident, count = base, 1
        while ident in self._ids:
            count += 1
            ident = f"{base}_{count}"
        self._ids.add(ident)
        made = Box(ident, lines, shape, missing)
        self.boxes.append(made)
        return made

    def arrow(self, source: Box, target: Box, text: str = "", dashed: bool = False) -> Arrow:
        made = Arrow(source, target, text, dashed)
        self.arrows.append(made)
        return made


def _mark_text(marks: list[tuple[str, str]]) -> str:
    return " ".join(f"{_SYMBOLS[severity]} {rule}" for rule, severity in marks)


def _worst(marks: list[tuple[str, str]]) -> str | None:
    return max((severity for _, severity in marks), key=_SEVERITY_ORDER.__getitem__, default=None)


# ---------------------------------------------------------------------------------------
# Labels


def _listener(listener: Listener, word: str = "listener") -> str:
    # A spec may leave the protocol out (M106 says so): the picture shows what is written.
    return " ".join(str(part) for part in (word, listener.port, listener.protocol) if part is not None)


def _value_match(value: Any) -> str:
    """``{exact: x}`` -> ``= x``; ``{prefix: x}`` -> ``prefix x``; a range -> ``in a..b``."""
    if not isinstance(value, dict):
        return f"= {value}"
    parts = []
    for key, given in value.items():
        if key == "exact":
            parts.append(f"= {given}")
        elif key == "range" and isinstance(given, dict):
            parts.append(f"in {given.get('start')}..{given.get('end')}")
        else:
            parts.append(f"{key} {given}")
    return " ".join(parts)


def _named_matches(kind: str, items: Any) -> list[str]:
    described = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        flat = {key: value for key, value in item.items() if key not in ("name", "invert", "match")}
        flat.update(item.get("match") or {})
        condition = _value_match(flat) if flat else "present"
        described.append(f"{'not ' if item.get('invert') else ''}{kind} {item.get('name')} {condition}")
    return described


def match_text(match: Mapping[str, Any]) -> str:
    """A route's or gateway route's match, short: ``prefix /v1, header x-beta = true``."""
    parts: list[str] = []
    for key, value in match.items():
        if key == "prefix":
            parts.append(f"prefix {value}")
        elif key == "path":
            parts.append(f"path {_value_match(value)}")
        elif key == "hostname":
            parts.append(f"host {_value_match(value)}")
        elif key == "method":
            parts.append(f"method {value}")
        elif key == "headers":
            parts += _named_matches("header", value)
        elif key == "queryParameters":
            parts += _named_matches("query", value)
        elif key == "metadata":
            parts += _named_matches("metadata", value)
        elif key == "serviceName":
            parts.append(f"grpc {value}{'/' + str(match['methodName']) if 'methodName' in match else ''}")
        elif key == "methodName" and "serviceName" in match:
            continue
        else:
            parts.append(f"{key} {json.dumps(value, sort_keys=True) if isinstance(value, dict | list) else value}")
    return ", ".join(parts)


def _percent(weight: Any, total: int) -> str:
    if not isinstance(weight, int) or total <= 0:
        return f"weight {weight}"
    share = f"{100 * weight / total:.1f}".rstrip("0").rstrip(".") + "%"
    return share if total == 100 else f"{share} ({weight}/{total})"


def _ordered_routes(routes: Iterable[Route | GatewayRoute]) -> list[Any]:
    return sorted(routes, key=lambda r: (r.priority is None, r.priority or 0, r.name))


def _route_label(name: str, match: Mapping[str, Any], weight: str = "") -> str:
    described = match_text(match)
    label = f"{name} [{described}]" if described else name
    return f"{label}: {weight}" if weight else label


# ---------------------------------------------------------------------------------------
# The App Mesh picture


@dataclass(slots=True)
class _Anchors:
    """Where each drawn element was written, so that a finding can find its element:
    the element written last at or before the finding's place, in the same file."""

    by_path: dict[str, list[tuple[tuple[int, int], list[Box | Arrow]]]] = field(default_factory=dict)
    _places: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def add(self, loc: Loc, *elements: Box | Arrow) -> None:
        if loc.document is None:
            return
        try:
            place = loc.document.position(loc.pointer)
        except Exception:  # a place we cannot resolve only loses its overlay
            return
        self.by_path.setdefault(loc.document.path, []).append((place, list(elements)))
        self._places.clear()

    def find(self, finding: Located) -> list[Box | Arrow]:
        anchors = self.by_path.get(finding.path, [])
        if finding.path not in self._places:  # sorted once per file (stable: the later of equal places wins)
            anchors.sort(key=lambda anchor: anchor[0])
            self._places[finding.path] = [place for place, _ in anchors]
        index = bisect.bisect_right(self._places[finding.path], (finding.line, finding.column))
        return anchors[index - 1][1] if index else []


def _mesh_picture(mesh: Mesh) -> tuple[Picture, _Anchors, dict[str, Box]]:
    named = mesh.name and mesh.name != UNKNOWN_MESH
    picture = Picture(f"mesh {mesh.name}" if named else "mesh")
    anchors = _Anchors()
    services: dict[str, Box] = {}
    routers: dict[str, Box] = {}
    nodes: dict[str, Box] = {}
    claimants: dict[str, Box] = {}

    def families(resource: Any) -> list[str]:
        return [f"task definition {name}" for name in dict.fromkeys(f.name for f in resource.families)]

    manifest = mesh.loc.document
    if manifest is not None and isinstance(manifest.data, dict):  # findings in other sections mark nothing
        for section in manifest.data:
            if section not in ("nodes", "routers", "services", "gateways"):
                anchors.add(Loc(manifest, f"/{section}"))
    gateways: dict[str, Box] = {}
    for name in sorted(mesh.gateways):
        gateway = mesh.gateways[name]
        gateways[name] = claimants[name] = picture.box(
            "gw", name, [f"virtual gateway {name}", *map(_listener, gateway.listeners), *families(gateway)], "gateway")
        anchors.add(gateway.loc, gateways[name])
        for listener in gateway.listeners:
            anchors.add(listener.loc, gateways[name])
        for family in gateway.families:
            anchors.add(family.loc, gateways[name])
    for name in sorted(mesh.services):
        services[name] = picture.box("vs", name, [f"virtual service {name}"], "service")
        anchors.add(mesh.services[name].loc, services[name])
    for name in sorted(mesh.routers):
        router = mesh.routers[name]
        routers[name] = picture.box("vr", name, [f"virtual router {name}", *map(_listener, router.listeners)], "router")
        anchors.add(router.loc, routers[name])
        for listener in router.listeners:
            anchors.add(listener.loc, routers[name])
    for name in sorted(mesh.nodes):
        node = mesh.nodes[name]
        nodes[name] = claimants[name] = picture.box(
            "vn", name, [f"virtual node {name}", *map(_listener, node.listeners), *families(node)], "node")
        anchors.add(node.loc, nodes[name])
        for item in [*node.listeners, *node.families, *([node.discovery] if node.discovery else [])]:
            anchors.add(item.loc, nodes[name])

    def missing(kind: str, prefix: str, name: str, known: dict[str, Box]) -> Box:
        if name not in known:
            known[name] = picture.box(prefix, name, [f"{kind} {name}", MISSING], "service" if prefix == "vs" else "node",
                                      missing=True)
        return known[name]

    for name in sorted(mesh.gateways):
        gateway = mesh.gateways[name]
        for gateway_route in _ordered_routes(gateway.routes):
            target = missing("virtual service", "vs", gateway_route.service, services)
            anchors.add(gateway_route.loc, picture.arrow(gateways[name], target, _route_label(gateway_route.name,
                                                                                              gateway_route.match)))
    for name in sorted(mesh.services):
        service = mesh.services[name]
        if service.router is not None:
            provider = missing("virtual router", "vr", service.router, routers)
        elif service.node is not None:
            provider = missing("virtual node", "vn", service.node, nodes)
        else:
            continue
        picture.arrow(services[name], provider)
    for name in sorted(mesh.routers):
        router = mesh.routers[name]
        for route in _ordered_routes(router.routes):
            _route_arrows(picture, anchors, routers[name], router, route,
                          lambda node_name: missing("virtual node", "vn", node_name, nodes))
    for name in sorted(mesh.nodes):
        for backend in sorted({b.name: b for b in mesh.nodes[name].backends}.values(), key=lambda b: b.name):
            target = missing("virtual service", "vs", backend.name, services)
            anchors.add(backend.loc, picture.arrow(nodes[name], target, "backend", dashed=True))
    return picture, anchors, claimants


def _route_arrows(picture: Picture, anchors: _Anchors, source: Box, router: Router, route: Route,
                  node_box: Callable[[str], Box]) -> None:
    total = sum(t.weight for t in route.targets if isinstance(t.weight, int))
    arrows = [picture.arrow(source, node_box(target.node),
                            _route_label(route.name, route.match, _percent(target.weight, total)))
              for target in route.targets]
    anchors.add(route.loc, *arrows)  # what is said of the route marks all its edges, of a target its own
    for target, arrow in zip(route.targets, arrows, strict=True):
        anchors.add(target.loc, arrow)


def _overlay(anchors: _Anchors, claimants: dict[str, Box], mesh: Mesh, findings: Sequence[Located],
             families: Mapping[str, str]) -> None:
    """Mark each finding's element; a finding in a task definition file marks the node or
    gateway that claims its family."""
    for finding in findings:
        elements = anchors.find(finding)
        if not elements and finding.path in families:
            claims = mesh.claims_of(families[finding.path])
            elements = [claimants[claims[0].name]] if claims and claims[0].name in claimants else []
        for element in elements:
            if (finding.rule, finding.severity) not in element.marks:
                element.marks.append((finding.rule, finding.severity))
    for element in {id(e): e for entries in anchors.by_path.values() for _, group in entries for e in group}.values():
        element.marks.sort(key=lambda mark: (-_SEVERITY_ORDER[mark[1]], mark[0]))
    for box in claimants.values():
        box.marks.sort(key=lambda mark: (-_SEVERITY_ORDER[mark[1]], mark[0]))


def before_graph(mesh: Mesh, fmt: str = "mermaid", findings: Sequence[Located] = (),
                 families: Mapping[str, str] | None = None) -> str:
    """The App Mesh picture of ``mesh`` as ``fmt`` (``mermaid`` or ``dot``).

    ``findings`` (``commands.lint.lint``'s) are laid over it: each marks the element written
    at or just before its place (a route's findings mark all its edges); ``families`` maps
    a task definition file's path to its family, so that a finding in that file marks the
    node or gateway claiming the family."""
    picture, anchors, claimants = _mesh_picture(mesh)
    if findings:
        _overlay(anchors, claimants, mesh, findings, families or {})
    return render(picture, fmt)


# ---------------------------------------------------------------------------------------
# The Service Connect picture


def _connect_lines(current: MigrationPlan, service: PlannedService) -> list[str]:
    lines = [f"ECS service {service.name}"]
    split = {router.name for router, _ in current.ab_routes}
    for port in service.ports:
        if port.alias is None:
            continue
        written = current.alias_dns_name(service, port)  # a stand-in's: the template's expression, or none yet
        if written is None:
            lines.append(f"no client alias until the deployed name of {port.alias} is given (R615)")
            continue
        virtual = current.mesh.services.get(port.alias)
        lost = " (its A/B split is lost: R602)" if virtual is not None and virtual.router in split else ""
        shown = written if isinstance(written, str) else json.dumps(written)
        lines.append(f"client alias {shown if port.alias_port is None else f'{shown}:{port.alias_port}'}{lost}")
    lines += [_listener(port.listener, "port") for port in service.ports]
    lines += [f"task definition {family}" for family in dict.fromkeys(service.families)]
    if len(service.nodes) == 1:
        lines.append(f"was virtual node {service.nodes[0].name}")
    else:
        shares = dict(service.canaries[0].shares) if service.canaries else {}
        versions = [f"{n.name}{_share(shares.get(n.name))}" for n in service.nodes]
        lines.append(f"was virtual nodes {', '.join(versions)}")
    return lines


def _alias_text(port: ServedPort | None, dns_name: str | None = None) -> str:
    if port is None or port.alias is None:
        return dns_name or ""
    return port.alias if port.alias_port is None else f"{port.alias}:{port.alias_port}"


def _share(percent: float | None) -> str:
    return "" if percent is None else " " + f"{percent:.1f}".rstrip("0").rstrip(".") + "%"


def _unserved_reason(mesh: Mesh, dns_name: str) -> str:
    """Why no ECS service port gets ``dns_name`` as its client alias."""
    virtual = mesh.services.get(dns_name)
    if virtual is None:
        return "not a virtual service of the mesh"
    if virtual.node is not None:
        provider = mesh.nodes.get(virtual.node)
        if provider is None:
            return f"its node {virtual.node} is not in the mesh"
        return f"its node {virtual.node} has no listener"
    router = mesh.routers.get(virtual.router or "")
    if router is None:
        return f"its router {virtual.router} is not in the mesh"
    return "its router sends traffic to no node of the mesh"


def after_graph(mesh: Mesh, fmt: str = "mermaid", namespace: str | None = None,
                current: MigrationPlan | None = None) -> str:
    """The Service Connect picture of ``mesh`` as ``fmt`` (``mermaid`` or ``dot``): the ECS
    services ``meshify migrate`` plans (``model.migration.plan``: one per node or per group
    of versions of one service), with their client aliases (the virtual service names
    callers use), ports and task definition families, inside the namespace (``namespace``,
    else the one the mesh's Cloud Map discovery names); callers' dashed edges to the alias
    they call; each virtual gateway as the load balancer that replaces it, its gateway
    routes as edges; an alias no service can serve (a missing provider, a name outside the
    mesh) as a dashed box. ``current``: the plan ``migrate`` already made (with the ECS
    service definitions and stand-in names it was given), so that its report and its
    picture agree."""
    if current is None:
        from meshify.injector.model.migration import plan

        current = plan(mesh, namespace)
    named = mesh.name and mesh.name != UNKNOWN_MESH
    picture = Picture(f"mesh {mesh.name} on ECS Service Connect" if named else "ECS Service Connect")
    boxes = [picture.box("svc", service.name, _connect_lines(current, service), "ecs-service")
             for service in current.services]
    box_of = {id(service): box for service, box in zip(current.services, boxes, strict=True)}
    picture.cluster = (f"namespace {current.namespace_shown}" if current.namespace is not None
                       else "namespace (not set)", boxes)
    unserved: dict[str, Box] = {}

    def serving(dns_name: str) -> Box:
        owner = current.alias_owner(dns_name)
        if owner is not None:
            return box_of[id(owner[0])]
        if dns_name not in unserved:
            why = _unserved_reason(mesh, dns_name)
            unserved[dns_name] = picture.box("alias", dns_name, [f"alias {dns_name}", f"no service: {why}"],
                                             "service", missing=True)
        return unserved[dns_name]

    for dns_name in sorted(mesh.services):
        if current.alias_owner(dns_name) is None:
            serving(dns_name)
    for name in sorted(mesh.gateways):
        gateway = mesh.gateways[name]
        front = picture.box("lb", name, [f"load balancer (was virtual gateway {name})",
                                         *map(_listener, gateway.listeners)], "load-balancer")
        for gateway_route in _ordered_routes(gateway.routes):
            picture.arrow(front, serving(gateway_route.service), _route_label(gateway_route.name, gateway_route.match))
    for service in current.services:
        for dns_name in sorted({backend.name for node in service.nodes for backend in node.backends}):
            owner = current.alias_owner(dns_name)
            picture.arrow(box_of[id(service)], serving(dns_name),
                          _alias_text(owner[1] if owner else None, dns_name), dashed=True)
    return render(picture, fmt)


# ---------------------------------------------------------------------------------------
# Writers


def render(picture: Picture, fmt: str) -> str:
    if fmt == "mermaid":
        return mermaid(picture)
    if fmt == "dot":
        return dot(picture)
    raise ValueError(f"unknown graph format {fmt!r}: one of {', '.join(FORMATS)}")


_MERMAID_SHAPES = {"gateway": ("{{", "}}"), "service": ("([", "])"), "router": ("[[", "]]"), "node": ("[", "]"),
                   "ecs-service": ("[", "]"), "load-balancer": ("[/", "\\]")}


def _mermaid_text(text: str) -> str:
    """Text inside a quoted Mermaid label: entity codes for what the parser would read."""
    return (text.replace("#", "#35;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
            .replace("|", "#124;"))


def mermaid(picture: Picture) -> str:
    lines = ["---", f"title: {json.dumps(picture.title)}", "---", "flowchart LR"]

    def box_line(box: Box, indent: str) -> str:
        opening, closing = _MERMAID_SHAPES[box.shape]
        return f'{indent}{box.id}{opening}"{"<br/>".join(map(_mermaid_text, box.label))}"{closing}'

    inside = {id(box) for box in picture.cluster[1]} if picture.cluster else set()
    if picture.cluster:
        lines.append(f'  subgraph cluster["{_mermaid_text(picture.cluster[0])}"]')
        lines += [box_line(box, "    ") for box in picture.cluster[1]]
        lines.append("  end")
    lines += [box_line(box, "  ") for box in picture.boxes if id(box) not in inside]
    for arrow in picture.arrows:
        link = "-.->" if arrow.dashed else "-->"
        label = f'|"{_mermaid_text(arrow.label)}"|' if arrow.label else ""
        lines.append(f"  {arrow.source.id} {link}{label} {arrow.target.id}")
    for severity in ("error", "warning", "info"):
        marked = [box.id for box in picture.boxes if _worst(box.marks) == severity]
        if marked:
            lines.append(f"  classDef {severity} stroke:{_COLOURS[severity]},stroke-width:3px")
            lines.append(f"  class {','.join(marked)} {severity}")
    missing = [box.id for box in picture.boxes if box.missing]
    if missing:
        lines.append("  classDef missing stroke-dasharray:5 5")
        lines.append(f"  class {','.join(missing)} missing")
    for index, arrow in enumerate(picture.arrows):
        worst = _worst(arrow.marks)
        if worst is not None:
            lines.append(f"  linkStyle {index} stroke:{_COLOURS[worst]},stroke-width:3px")
    return "\n".join(lines) + "\n"


_DOT_SHAPES = {"gateway": "hexagon", "service": "ellipse", "router": "component", "node": "box",
               "ecs-service": "box", "load-balancer": "trapezium"}


def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _dot_attributes(attributes: dict[str, str]) -> str:
    return "[" + ", ".join(f"{key}={value}" for key, value in attributes.items()) + "]"


def dot(picture: Picture) -> str:
    lines = [f"digraph {_dot_string(picture.title)} {{", "  rankdir=LR;",
             '  node [fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=10];']

    def box_line(box: Box, indent: str) -> str:
        label = '"' + "\\n".join(_dot_string(line)[1:-1] for line in box.label) + '"'
        attributes = {"shape": _DOT_SHAPES[box.shape], "label": label}
        styles = ["rounded"] if box.shape == "ecs-service" else []
        if box.missing:
            styles.append("dashed")
        if styles:
            attributes["style"] = _dot_string(",".join(styles))
        worst = _worst(box.marks)
        if worst is not None:
            attributes |= {"color": _dot_string(_COLOURS[worst]), "penwidth": "3"}
        return f"{indent}{box.id} {_dot_attributes(attributes)};"

    inside = {id(box) for box in picture.cluster[1]} if picture.cluster else set()
    if picture.cluster:
        lines.append("  subgraph cluster_namespace {")
        lines.append(f"    label={_dot_string(picture.cluster[0])};")
        lines.append('    style="rounded,dashed";')
        lines += [box_line(box, "    ") for box in picture.cluster[1]]
        lines.append("  }")
    lines += [box_line(box, "  ") for box in picture.boxes if id(box) not in inside]
    for arrow in picture.arrows:
        attributes: dict[str, str] = {}
        if arrow.label:
            attributes["label"] = _dot_string(arrow.label)
        if arrow.dashed:
            attributes["style"] = "dashed"
        worst = _worst(arrow.marks)
        if worst is not None:
            attributes |= {"color": _dot_string(_COLOURS[worst]), "fontcolor": _dot_string(_COLOURS[worst]),
                           "penwidth": "3"}
        suffix = f" {_dot_attributes(attributes)}" if attributes else ""
        lines.append(f"  {arrow.source.id} -> {arrow.target.id}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"

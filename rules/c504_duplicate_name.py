"""C504: a DNS name or discovery name used twice in one namespace.

What: two client aliases with the same ``dnsName`` and ``port``, or two Service Connect
services with the same discovery name (``discoveryName``, else the ``portName``), in the
same Cloud Map namespace, among the services linted together.

Why: endpoints and discovery names must be unique in a namespace; the second service
fails to deploy, or clients reach the wrong one. It happens when two App Mesh nodes that
were versions of one service become two ECS services that both claim the old name.

Fails:
    two services in namespace shop.local, each with portName: http and no discoveryName

Passes:
    discoveryName: products and discoveryName: prices

Fix: give each service its own ``discoveryName`` and alias; versions of one service are
one ECS service (use a CANARY or LINEAR deployment for the traffic split).
"""

from meshify.injector.engine import ServiceContext, rule


def _names(service) -> list[tuple[str, str, str]]:
    """(kind, name, pointer) of what must be unique in the namespace."""
    found = []
    for index, entry in service.connect_services():
        discovery = entry.get("discoveryName", entry.get("portName"))
        member = "discoveryName" if "discoveryName" in entry else "portName"
        if isinstance(discovery, str):
            found.append(("discovery name", discovery, f"/serviceConnectConfiguration/services/{index}/{member}"))
    for pointer, alias in service.client_aliases():
        if isinstance(alias.get("dnsName"), str):
            found.append(("dnsName", f"{alias['dnsName']}:{alias.get('port')}", f"{pointer}/dnsName"))
    return found


@rule("C504", "error", "Name used twice in a Service Connect namespace", scope="service")
def check(context: ServiceContext):
    service = context.service
    if not service.service_connect_enabled or service.namespace_key is None:
        return  # a namespace nothing tells is the same as no other
    seen: dict[tuple[str, str], str] = {}
    for other in context.services:  # in the order given: every later use is the duplicate
        if other.service_connect_enabled and other.namespace_key == service.namespace_key:
            for kind, name, pointer in _names(other):
                if (kind, name) in seen and other is service:
                    yield check.rule.finding(
                        f"service `{service.name}`: {kind} {name!r} is already used in namespace "
                        f"{service.namespace} by service `{seen[kind, name]}`", context.locate(pointer))
                seen.setdefault((kind, name), other.name)
        if other is service:
            return

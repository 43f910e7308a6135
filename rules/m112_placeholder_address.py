"""M112: a placeholder address that is not link-local, or that Envoy does not intercept.

What: the address a Cloud Map placeholder record resolves to is outside 169.254.0.0/16
(RFC 3927 link-local), or lies in the proxy's ``EgressIgnoredIPs`` (the manifest's
``envoy.egressIgnoredIPs``, which may hold CIDR ranges). meshify's own placeholders use
169.254.255.254.

Why: the application connects to whatever the name resolves to, and Envoy intercepts the
connection. A public address (real examples use 1.2.3.4 or 2.2.2.2) sends the traffic to
someone else's host when interception fails; an ignored address is never intercepted.

Fails:
    envoy: {egressIgnoredIPs: [169.254.170.2, 169.254.169.254, 169.254.0.0/16]}

Passes:
    envoy: {egressIgnoredIPs: [169.254.170.2, 169.254.169.254]}

Fix: keep placeholders link-local and out of ``egressIgnoredIPs``.
"""

import ipaddress

from meshify.injector.engine import MeshContext, rule
from meshify.injector.model.mesh import PLACEHOLDER_ADDRESS, Loc

LINK_LOCAL = ipaddress.ip_network("169.254.0.0/16")


def problem(address: str, ignored: list[str]) -> str | None:
    """Why ``address`` is a bad placeholder address, or None."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return f"{address!r} is not an IP address"
    if parsed not in LINK_LOCAL:
        return f"{address} is not link-local (169.254.0.0/16)"
    for entry in ignored:
        try:
            if parsed in ipaddress.ip_network(entry, strict=False):
                return f"{address} is in EgressIgnoredIPs ({entry}), so Envoy never intercepts it"
        except ValueError:
            continue
    return None


@rule("M112", "warning", "Placeholder address not link-local or not intercepted", scope="mesh")
def check(context: MeshContext):
    mesh = context.mesh
    if not mesh.cloud_map.placeholders:
        return
    for index, entry in enumerate(mesh.envoy.egress_ignored_ips):
        reason = problem(PLACEHOLDER_ADDRESS, [entry])
        if reason:
            yield check.rule.finding(
                f"the placeholder address {reason}: the placeholder services "
                f"({', '.join(p.name for p in mesh.cloud_map.placeholders)}) are unreachable",
                Loc(mesh.loc.document, f"/envoy/egressIgnoredIPs/{index}"))

"""L405: a live placeholder record has an address that is not link-local, or that Envoy
ignores (``lint --live``).

What: an instance of a placeholder's Cloud Map service whose ``AWS_INSTANCE_IPV4`` is
outside 169.254.0.0/16, or inside the manifest's ``envoy.egressIgnoredIPs``.

Why: if interception ever fails, the traffic goes to that address: a public one (real
examples use 1.2.3.4 and 2.2.2.2) belongs to somebody else. An ignored address is never
intercepted at all.

Fails:
    AWS_INSTANCE_IPV4: 2.2.2.2

Passes:
    AWS_INSTANCE_IPV4: 169.254.255.254

Fix: re-register the instance at a link-local address (``meshify placeholders --apply``
uses 169.254.255.254).
"""

from meshify.injector.engine import LiveContext, rule
from meshify.rules.m112_placeholder_address import problem


@rule("L405", "warning", "Live placeholder address not link-local or ignored", scope="live")
def check(context: LiveContext):
    entries = {p.name: p.loc for p in context.mesh.cloud_map.placeholders}
    for placeholder in context.placeholders.placeholders:
        for address in placeholder.addresses:
            reason = problem(address, context.mesh.envoy.egress_ignored_ips)
            if reason:
                yield check.rule.finding(f"placeholder {placeholder.name}: {reason}", entries[placeholder.name])

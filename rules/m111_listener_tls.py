"""M111: a listener accepts connections without TLS.

What: a node listener whose ``tls.mode`` is ``PERMISSIVE`` or ``DISABLED``.

Why: ``PERMISSIVE`` accepts plaintext as well as TLS: fine during a migration, a gap if
it stays. ``DISABLED`` turns TLS off for everything that reaches the listener.

Fails:
    listeners: [{port: 8080, protocol: http, tls: {mode: PERMISSIVE, certificate: {...}}}]

Passes:
    listeners: [{port: 8080, protocol: http, tls: {mode: STRICT, certificate: {...}}}]

Fix: finish the migration and set ``mode: STRICT``.
"""

from meshify.injector.engine import MeshContext, rule


@rule("M111", "warning", "Listener TLS mode other than STRICT", scope="mesh")
def check(context: MeshContext):
    for node in context.mesh.nodes.values():
        for listener in node.listeners:
            tls = listener.tls
            if isinstance(tls, dict) and isinstance(tls.get("mode"), str) and tls["mode"] != "STRICT":
                yield check.rule.finding(
                    f"listener {listener.port} of node `{node.name}` has TLS mode {tls['mode']}: connections "
                    "without TLS are accepted; use STRICT", listener.loc.child("tls", "mode"))

"""R608: mutual TLS, or certificates from files or SDS, have no Service Connect equivalent.

What: a listener that validates client certificates (``tls.validation``), a client policy
that presents a certificate (``clientPolicy.tls.certificate``), or a listener certificate
read from a file or an SDS secret (``tls.certificate.file`` / ``.sds``).

Why: Service Connect TLS is server-side only, with certificates an AWS Private CA issues
and ECS rotates; there is no client certificate (``aws/containers-roadmap#2150``) and no
certificate of your own. Mutual authentication between services is lost.

Fails (an error):
    tls: {mode: STRICT, certificate: {file: {...}}, validation: {trust: {file: {...}}}}

Passes: no ``tls``, or ``tls.certificate.acm`` (R609).

Fix: use Service Connect TLS with an AWS Private CA for encryption, and authenticate
callers another way (VPC Lattice IAM auth policies, or in the application).
"""

from meshify.injector.engine import MigrationContext, rule


@rule("R608", "error", "Mutual TLS and file or SDS certificates are lost", scope="migration")
def check(context: MigrationContext):
    from meshify.injector.model.migration import listener_member
    for node in context.mesh.nodes.values():
        for listener in node.listeners:
            tls = listener.tls or {}
            certificate = tls.get("certificate") or {}
            kinds = [kind for kind in ("file", "sds") if kind in certificate]
            if kinds:
                yield check.rule.finding(
                    f"node `{node.name}` serves port {listener.port} with a certificate from {kinds[0]}; Service Connect "
                    "TLS only uses certificates an AWS Private CA issues", listener_member(listener, "tls").child("certificate"))
            if tls.get("validation"):
                yield check.rule.finding(
                    f"node `{node.name}` requires client certificates on port {listener.port} (mutual TLS); Service "
                    "Connect has no mutual TLS, so callers are no longer authenticated",
                    listener_member(listener, "tls").child("validation"))
        for policy in node.client_policies:
            if ((policy.policy.get("tls") or {}).get("certificate")):
                target = f"`{policy.backend}`" if policy.backend else "its backends"
                yield check.rule.finding(
                    f"node `{node.name}` presents a client certificate to {target} (mutual TLS); Service Connect has no "
                    "client certificates", policy.loc.child("tls", "certificate"))

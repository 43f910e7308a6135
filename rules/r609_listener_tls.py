"""R609: a listener's ACM certificate becomes Service Connect TLS from an AWS Private CA.

What: a node listener with ``tls.certificate.acm``.

Why: Service Connect encrypts with TLS 1.3, certificates issued by an AWS Private CA that
ECS rotates (``services[].tls.issuerCertificateAuthority.awsPcaAuthorityArn``), and needs
the ECS infrastructure role. meshify takes the CA from the callers' client policies
(``trust.acm.certificateAuthorityArns``): an info finding when it found one, a warning
when it did not (the configuration is then written without ``tls``). ``PERMISSIVE`` mode
has no equivalent: Service Connect TLS is all or nothing.

Fails (a warning: no CA known):
    tls: {mode: STRICT, certificate: {acm: {certificateArn: arn:aws:acm:...}}}

Passes: no ``tls``.

Fix: add ``tls: {issuerCertificateAuthority: {awsPcaAuthorityArn: ...}, roleArn: ...}`` to
the service's configuration, with the CA that issued the certificate.
"""

from meshify.injector.engine import MigrationContext, rule


@rule("R609", "info", "Listener TLS becomes Service Connect TLS", scope="migration")
def check(context: MigrationContext):
    from meshify.injector.model.migration import listener_member
    for node in context.mesh.nodes.values():
        service = context.plan.service_of(node.name)
        for listener in node.listeners:
            if "acm" not in ((listener.tls or {}).get("certificate") or {}):
                continue
            if service is not None and service.pca_arn:
                yield check.rule.finding(
                    f"node `{node.name}` port {listener.port} TLS becomes Service Connect TLS (TLS 1.3) issued by "
                    f"{service.pca_arn}; the CA needs the tag AmazonECSManaged=true and the service an ECS "
                    "infrastructure role (roleArn)", listener_member(listener, "tls"))
            else:
                yield check.rule.finding(
                    f"node `{node.name}` port {listener.port} uses an ACM certificate, but no caller names the AWS "
                    "Private CA that issued it: add services[].tls.issuerCertificateAuthority by hand, or traffic "
                    "is no longer encrypted", listener_member(listener, "tls"), severity="warning")

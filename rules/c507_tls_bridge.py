"""C507: Service Connect TLS in bridge networking.

What: a Service Connect service with ``tls`` whose task definition runs in ``bridge``
network mode (set, or ECS's default for a task without ``networkMode`` off Fargate).

Why: Service Connect TLS is not supported in bridge mode (Amazon ECS Developer Guide,
Service Connect considerations). App Mesh listeners with ACM Private CA certificates
map to this TLS.

Fails:
    networkMode: bridge
    services: [{portName: api, tls: {issuerCertificateAuthority: {awsPcaAuthorityArn: ...}}}]

Passes:
    networkMode: awsvpc

Fix: run the task in ``awsvpc`` network mode, or serve without TLS.
"""

from meshify.injector.engine import ServiceContext, rule


@rule("C507", "error", "Service Connect TLS with bridge networking", scope="service")
def check(context: ServiceContext):
    # Imported when an ECS service is checked: a lint of task definitions never needs it (start-up).
    from meshify.injector.model.service_connect import network_mode

    if context.taskdef is None or network_mode(context.taskdef, context.service.data) != "bridge":
        return
    for index, entry in context.service.connect_services():
        if "tls" in entry:
            yield check.rule.finding(
                f"service `{context.service.name}`: TLS on port {entry.get('portName')!r} is not supported in bridge "
                f"network mode (task definition `{context.service.family}`): use awsvpc",
                context.locate(f"/serviceConnectConfiguration/services/{index}/tls"))

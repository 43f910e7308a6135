"""C505: a per-request timeout on a TCP port.

What: ``timeout.perRequestTimeoutSeconds`` on a Service Connect service whose port mapping
has no ``appProtocol`` (TCP to Service Connect).

Why: only the idle timeout applies to TCP (the ``ecs`` model's documentation); ECS
rejects the per-request timeout. App Mesh route timeouts carried over to a TCP listener
end up here.

Fails:
    portMappings: [{name: db, containerPort: 5432}]
    services: [{portName: db, timeout: {perRequestTimeoutSeconds: 15}}]

Passes:
    services: [{portName: db, timeout: {idleTimeoutSeconds: 3600}}]

Fix: drop ``perRequestTimeoutSeconds``, or set the port's ``appProtocol`` (http, http2,
grpc) if it speaks one.
"""

from meshify.injector.engine import ServiceContext, rule


@rule("C505", "error", "Per-request timeout on a TCP port", scope="service")
def check(context: ServiceContext):
    # Imported when an ECS service is checked: a lint of task definitions never needs it (start-up).
    from meshify.injector.model.ecs_service import port_names

    if context.taskdef is None:
        return
    names = port_names(context.taskdef)
    for index, entry in context.service.connect_services():
        timeout = entry.get("timeout")
        port = names.get(str(entry.get("portName")))
        if isinstance(timeout, dict) and "perRequestTimeoutSeconds" in timeout and port is not None \
                and "appProtocol" not in port[2]:
            yield check.rule.finding(
                f"service `{context.service.name}`: port {entry['portName']!r} is TCP (its port mapping has no "
                "appProtocol): only idleTimeoutSeconds applies to it",
                context.locate(f"/serviceConnectConfiguration/services/{index}/timeout/perRequestTimeoutSeconds"))

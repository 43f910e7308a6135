"""C506: Service Connect access logs without a log configuration.

What: ``serviceConnectConfiguration.accessLogConfiguration`` without
``serviceConnectConfiguration.logConfiguration``.

Why: access logs are written through the proxy's log configuration; ECS requires both
(the ``ecs`` model's documentation). App Mesh's ``logging.accessLog`` becomes this pair.

Fails:
    serviceConnectConfiguration: {enabled: true, accessLogConfiguration: {format: JSON}}

Passes:
    serviceConnectConfiguration: {enabled: true, accessLogConfiguration: {format: JSON},
                                  logConfiguration: {logDriver: awslogs, options: {...}}}

Fix: add a ``logConfiguration`` for the Service Connect proxy.
"""

from meshify.injector.engine import ServiceContext, rule


@rule("C506", "error", "Access logs without logConfiguration", scope="service")
def check(context: ServiceContext):
    config = context.service.service_connect
    if "accessLogConfiguration" in config and not isinstance(config.get("logConfiguration"), dict):
        yield check.rule.finding(
            f"service `{context.service.name}`: accessLogConfiguration needs a logConfiguration in "
            "serviceConnectConfiguration", context.locate("/serviceConnectConfiguration/accessLogConfiguration"))

"""C503: more than one client alias for one Service Connect service.

What: a ``serviceConnectConfiguration.services[]`` entry with more than one
``clientAliases`` item.

Why: ECS allows at most one client alias per Service Connect service (the ``ecs`` model's
documentation); the model itself sets no maximum, so the file validates and the API
rejects it. An App Mesh virtual service reached under several names becomes one alias per
port name.

Fails:
    clientAliases: [{port: 80, dnsName: products}, {port: 80, dnsName: products.shop.local}]

Passes:
    clientAliases: [{port: 80, dnsName: products.shop.local}]

Fix: keep one alias (the name the clients call), or serve the port under a second port
name with its own alias.
"""

from meshify.injector.engine import ServiceContext, rule


@rule("C503", "error", "More than one client alias per Service Connect service", scope="service")
def check(context: ServiceContext):
    for index, entry in context.service.connect_services():
        aliases = entry.get("clientAliases")
        if isinstance(aliases, list) and len(aliases) > 1:
            yield check.rule.finding(
                f"service `{context.service.name}`: port {entry.get('portName')!r} has {len(aliases)} client aliases; "
                "ECS allows one", context.locate(f"/serviceConnectConfiguration/services/{index}/clientAliases/1"))

"""R606: a listener's connection pool has no Service Connect equivalent.

What: a node listener with ``connectionPool`` (``maxConnections``, ``maxRequests``,
``maxPendingRequests``).

Why: the Service Connect proxy cannot be configured: there is no limit on connections or
pending requests, so the back pressure the pool gave the node is lost.

Fails (a warning):
    listeners: [{port: 8080, protocol: http, connectionPool: {http: {maxConnections: 50}}}]

Passes: a listener without ``connectionPool``.

Fix: limit concurrency in the application, or scale the service on its load.
"""

from meshify.injector.engine import MigrationContext, rule


@rule("R606", "warning", "Connection pool is lost", scope="migration")
def check(context: MigrationContext):
    from meshify.injector.model.migration import listener_member
    for node in context.mesh.nodes.values():
        for listener in node.listeners:
            if not listener.connection_pool:
                continue
            limits = [f"{key} {value}" for pool in listener.connection_pool.values() if isinstance(pool, dict)
                      for key, value in pool.items()]
            yield check.rule.finding(
                f"node `{node.name}` limits port {listener.port} ({', '.join(limits)}); Service Connect has no "
                "connection pool, so these limits are lost", listener_member(listener, "connectionPool"))

"""R613: Cloud Map placeholder records are no longer needed.

What: a name under ``cloudMap.placeholders``: a Cloud Map service with a link-local
instance that only exists so that the name resolves and Envoy can intercept the call.

Why: Service Connect resolves its client aliases in the proxy itself and creates its own
Cloud Map services (named by ``discoveryName``). The placeholder records serve the App
Mesh environment only, and a placeholder named like a new discovery name would collide.

Fails (info):
    cloudMap: {placeholders: [products.shop.local]}

Passes: no ``cloudMap.placeholders``.

Fix: delete the placeholder service and its instance after the cut-over, when no App Mesh
task calls the name any more.
"""

from meshify.injector.engine import MigrationContext, rule


@rule("R613", "info", "Placeholder records to delete after the cut-over", scope="migration")
def check(context: MigrationContext):
    namespace = context.mesh.cloud_map.namespace
    for placeholder in context.mesh.cloud_map.placeholders:
        yield check.rule.finding(
            f"placeholder record `{placeholder.name}` (Cloud Map namespace {namespace}) is not needed by Service "
            "Connect: delete its instance and service after the cut-over", placeholder.loc)

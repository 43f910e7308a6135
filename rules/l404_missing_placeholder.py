"""L404: a placeholder record the manifest needs does not exist in Cloud Map (``lint --live``).

What: a name in ``cloudMap.placeholders`` whose Cloud Map service (in
``cloudMap.namespace``) or whose instance is missing, or whose namespace is missing.

Why: the application resolves the virtual service name before Envoy can intercept the
connection; without the record the name does not resolve and every call fails in DNS.

Fails:
    placeholders: [products.shop.local]; the namespace shop.local has no service products

Passes:
    the service products exists with one instance at a link-local address

Fix: ``meshify placeholders --apply``.
"""

from meshify.injector.engine import LiveContext, rule


@rule("L404", "error", "Placeholder record missing from Cloud Map", scope="live")
def check(context: LiveContext):
    found = context.placeholders
    entries = {p.name: p.loc for p in context.mesh.cloud_map.placeholders}
    for placeholder in found.placeholders:
        missing = found.missing(placeholder)
        if missing is None:
            continue
        reason = {"namespace": f"the namespace {found.namespace} does not exist",
                  "service": f"no service {placeholder.service} in the namespace {found.namespace}",
                  "instance": f"the service {placeholder.service} has no instance"}[missing]
        yield check.rule.finding(f"placeholder {placeholder.name} does not resolve: {reason}; "
                                 "run `meshify placeholders --apply`", entries[placeholder.name])

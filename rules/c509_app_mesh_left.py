"""C509: App Mesh wiring left in a Service Connect service's task definition.

What: a service with Service Connect enabled whose task definition still has an Envoy
container or a ``proxyConfiguration``.

Why: a service cannot be in an App Mesh mesh and a Service Connect namespace at once (AWS's
migration guide): the APPMESH proxy configuration redirects the task's traffic to an
Envoy that the mesh no longer configures, and ECS adds its own proxy besides.

Fails:
    serviceConnectConfiguration: {enabled: true}  (task definition with proxyConfiguration)

Passes:
    a task definition without Envoy and proxyConfiguration

Fix: ``meshify uninject TASKDEF --in-place`` (or ``meshify migrate``).
"""

from meshify.injector.engine import ServiceContext, rule
from meshify.injector.model.task_definition import container_pointer, find_envoy
from meshify.injector.model.unwiring import DEFAULT_ENVOY_NAME


@rule("C509", "error", "App Mesh wiring left in a Service Connect service", scope="service")
def check(context: ServiceContext):
    if context.taskdef is None or context.locate_taskdef is None or not context.service.service_connect_enabled:
        return
    wiring = []
    envoy = find_envoy(context.taskdef, context.mesh.envoy.container_name or DEFAULT_ENVOY_NAME)
    if envoy is not None:
        name = context.taskdef["containerDefinitions"][envoy]["name"]
        wiring.append((f"the Envoy container `{name}`", container_pointer(envoy)))
    if "proxyConfiguration" in context.taskdef:
        wiring.append(("a proxyConfiguration", "/proxyConfiguration"))
    for what, pointer in wiring:
        yield check.rule.finding(
            f"task definition `{context.service.family}` still has {what}, but service `{context.service.name}` "
            "uses Service Connect: run meshify uninject on it", context.locate_taskdef(pointer))

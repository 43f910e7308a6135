"""T210: a gateway's task has a proxy configuration or an Envoy user.

What: the task definition of a virtual gateway has a ``proxyConfiguration``, or its
Envoy container sets ``user``.

Why: a virtual gateway's Envoy receives traffic itself (on the gateway listener ports);
there is no application whose traffic it intercepts. A proxy configuration would
redirect the gateway's own traffic, and the ignored-UID user only makes sense with one.

Fails:
    family: shop-ingress (gateway shop-gateway), proxyConfiguration: {type: APPMESH, ...}

Passes:
    family: shop-ingress, containerDefinitions: [{name: envoy, image: ..., portMappings: [8080]}]

Fix: ``meshify inject`` removes both.
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model.task_definition import container_pointer


@rule("T210", "error", "Gateway task with proxy configuration or Envoy user", scope="taskdef", fixable=True,
      reads=("envoy", "/proxyConfiguration", "/containerDefinitions/*/user"))
def check(context: TaskContext):
    if not context.is_gateway:
        return
    if "proxyConfiguration" in context.taskdef:
        yield check.rule.finding(
            f"{context.resource_label} runs Envoy alone: remove the proxyConfiguration",
            context.locate("/proxyConfiguration"), fix=[{"op": "remove", "path": "/proxyConfiguration"}])
    index = context.envoy_index()
    if index is not None and "user" in context.containers[index]:
        pointer = container_pointer(index, "user")
        yield check.rule.finding(
            f"the Envoy container of {context.resource_label} sets user {context.containers[index]['user']!r}: "
            "a gateway's Envoy needs none", context.locate(pointer), fix=[{"op": "remove", "path": pointer}])

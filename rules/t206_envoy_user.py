"""T206: Envoy's user is not the proxy's IgnoredUID, or an application runs as that UID.

What: on a node's task, the Envoy container's ``user`` differs from the proxy
configuration's ``IgnoredUID`` (or from the manifest's ``envoy.user``); or an application
container (one that serves a listener port, or the only container beside Envoy) runs as
that UID. A sidecar with no listener port running as that UID is correct: AWS's App Mesh
user guide runs the X-Ray daemon so, so that its traffic bypasses Envoy.

Why: the proxy lets traffic from ``IgnoredUID`` leave untouched so that Envoy's own
upstream connections are not redirected back to Envoy. If Envoy runs as another user its
traffic loops; an application running as that UID bypasses the mesh entirely.

Fails:
    {name: envoy, user: "1000"} with IgnoredUID "1337"

Passes:
    {name: envoy, user: "1337"} with IgnoredUID "1337"

Fix: ``meshify inject`` sets both to the manifest's ``envoy.user`` (default 1337). An
application container running as the ignored UID must be changed by hand.
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model.task_definition import container_pointer, set_proxy_property
from meshify.injector.model.task_definition import uid_of as _uid
from meshify.injector.model.unknowns import is_unknown


@rule("T206", "error", "Envoy user differs from IgnoredUID", scope="taskdef", fixable=True,
      reads=("envoy", "bypassing", "/proxyConfiguration/properties", "/containerDefinitions/*/user",
             "/containerDefinitions/*/name"))
def check(context: TaskContext):
    if context.is_gateway:
        return
    wanted = context.mesh.envoy.user
    index = context.envoy_index()
    containers = context.containers
    proxy = context.taskdef.get("proxyConfiguration")
    ignored = context.proxy_properties().get("IgnoredUID", (None, None))[1] if isinstance(proxy, dict) else None
    if index is not None:
        current = containers[index].get("user")
        if _uid(current) != wanted and not is_unknown(current):
            pointer = container_pointer(index, "user")
            yield check.rule.finding(
                f"Envoy container `{containers[index]['name']}` runs as user {current!r}, not "
                f"{wanted!r} (envoy.user and the proxy's IgnoredUID): its own traffic would loop through the proxy",
                context.locate(pointer if current is not None else container_pointer(index)),
                fix=[{"op": "add", "path": pointer, "value": wanted}])
    if isinstance(proxy, dict) and ignored != wanted and not is_unknown(ignored):
        fix = set_proxy_property(context.taskdef, "IgnoredUID", wanted)
        # At the value it replaces, else at the properties (or the proxy configuration) it adds to.
        yield check.rule.finding(
            f"IgnoredUID is {ignored!r}, not the Envoy user {wanted!r}", context.locate(fix[0]["path"]), fix=fix)
    uid = ignored or wanted
    for position, container in enumerate(containers):
        # A container with no user runs as no UID the proxy ignores (asked of the sidecars only then).
        if position != index and _uid(container.get("user")) == uid and position not in context.bypassing_sidecars():
            yield check.rule.finding(
                f"container `{container['name']}` runs as UID {uid}, the UID the proxy ignores: its traffic "
                "bypasses Envoy; run it as another user", context.locate(container_pointer(position, "user")))

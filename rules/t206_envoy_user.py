"""T206: Envoy's user is not the proxy's IgnoredUID, or an application runs as that UID.

What: on a node's task, the Envoy container's ``user`` differs from the proxy
configuration's ``IgnoredUID`` (or from the manifest's ``envoy.user``); or an application
container (one serving a listener port, or the only other container) runs as that UID. A
sidecar with no listener port may: AWS runs the X-Ray daemon so, to bypass Envoy.

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
from meshify.injector.model.task_definition import container_pointer, proxy_properties, set_proxy_property


def _uid(user: object) -> str | None:
    return str(user).split(":", 1)[0] if user is not None else None


@rule("T206", "error", "Envoy user differs from IgnoredUID", scope="taskdef", fixable=True)
def check(context: TaskContext):
    if context.is_gateway:
        return
    wanted = context.mesh.envoy.user
    index = context.envoy_index()
    properties = proxy_properties(context.taskdef)
    ignored = properties.get("IgnoredUID", (None, None))[1]
    if index is not None:
        current = context.containers[index].get("user")
        if _uid(current) != wanted:
            pointer = container_pointer(index, "user")
            yield check.rule.finding(
                f"Envoy container `{context.containers[index]['name']}` runs as user {current!r}, not "
                f"{wanted!r} (envoy.user and the proxy's IgnoredUID): its own traffic would loop through the proxy",
                context.locate(pointer if current is not None else container_pointer(index)),
                fix=[{"op": "add", "path": pointer, "value": wanted}])
    if isinstance(context.taskdef.get("proxyConfiguration"), dict) and ignored != wanted:
        fix = set_proxy_property(context.taskdef, "IgnoredUID", wanted)
        # At the value it replaces, else at the properties (or the proxy configuration) it adds to.
        yield check.rule.finding(
            f"IgnoredUID is {ignored!r}, not the Envoy user {wanted!r}", context.locate(fix[0]["path"]), fix=fix)
    uid = ignored or wanted
    others = [position for position in range(len(context.containers)) if position != index]
    ports = {listener.port for listener in context.claimant.listeners}
    for position in others:
        container = context.containers[position]
        # Only an application container (it serves a listener port, or it is the only one): a
        # sidecar such as the X-Ray daemon runs as that UID on purpose, as AWS documents.
        serves = any(isinstance(m, dict) and m.get("containerPort") in ports for m in container.get("portMappings") or [])
        if (serves or len(others) == 1) and _uid(container.get("user")) == uid:
            yield check.rule.finding(
                f"container `{container['name']}` runs as UID {uid}, the UID the proxy ignores: its traffic "
                "bypasses Envoy; run it as another user", context.locate(container_pointer(position, "user")))

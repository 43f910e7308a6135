"""T216: Envoy sends X-Ray traces but the task runs no X-Ray daemon.

What: the manifest sets ``envoy.xray: true`` (Envoy's ``ENABLE_ENVOY_XRAY_TRACING``) on a
task definition with no X-Ray daemon container (the ``aws-xray-daemon`` image, or a
container named ``xray-daemon``).

Why: Envoy sends its trace segments over UDP to the daemon on localhost:2000; with no
daemon in the task they go nowhere, silently.

Fails:
    envoy.xray: true; containers: [app, envoy]

Passes:
    envoy.xray: true; containers: [app, envoy, {name: xray-daemon, image: public.ecr.aws/xray/aws-xray-daemon:3.3.7,
                                                user: "1337", portMappings: [{containerPort: 2000, protocol: udp}]}]

Fix: add the X-Ray daemon container as AWS's App Mesh user guide shows (as the ignored
UID, so that its own traffic bypasses Envoy), or set ``envoy.xray: false``.
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model.task_definition import container_pointer


def _is_xray_daemon(container: dict) -> bool:
    return "xray-daemon" in str(container.get("image", "")) or "xray" in str(container.get("name", "")).lower()


@rule("T216", "warning", "X-Ray on without an X-Ray daemon", scope="taskdef", needs_envoy=True)
def check(context: TaskContext):
    index = context.envoy_index()
    if not context.mesh.envoy.xray or index is None:
        return
    if not any(_is_xray_daemon(c) for position, c in enumerate(context.containers) if position != index):
        yield check.rule.finding(
            "envoy.xray is on but the task runs no X-Ray daemon: Envoy's traces go nowhere; add an "
            "aws-xray-daemon container", context.locate(container_pointer(index, "name")))

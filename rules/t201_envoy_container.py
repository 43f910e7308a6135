"""T201: the task has no Envoy container.

What: a task definition claimed by a node or gateway has no Envoy container. Envoy is
found by the name ``proxyConfiguration.containerName`` gives, by the manifest's
``envoy.containerName`` (default ``envoy``), or by the App Mesh Envoy image.

Why: without Envoy the task is not in the mesh. With a ``proxyConfiguration`` its traffic
is redirected to a proxy that does not exist and every connection fails.

Fails:
    containerDefinitions: [{name: app, image: my/app:1.0}]

Passes:
    containerDefinitions: [{name: app, ...}, {name: envoy, image: ...aws-appmesh-envoy:v1.39.1.0-prod, ...}]

Fix: ``meshify inject`` adds the Envoy container the manifest describes. When the task
sets no memory of its own, ECS requires memory on every container: Envoy then reserves
64 MiB (or ``envoy.memoryReservation``) and, unless the task is Fargate-only, gets a hard
limit of 256 MiB (or twice the reservation).
"""

from meshify.injector.engine import Later, TaskContext, rule
from meshify.injector.model import wiring


@rule("T201", "error", "No Envoy container", scope="taskdef", fixable=True,
      reads=("envoy", "/containerDefinitions/*/name", "/memory", "/requiresCompatibilities"), settles=True,
      settles_too=("T202", "T207", "T213"))  # the container is built as they want Envoy
def check(context: TaskContext):
    if context.envoy_index() is None:
        yield check.rule.finding_later(
            _described, (context,),  # its description reads the claimant, mesh and places: no fix changes them
            [{"op": "add", "path": "/containerDefinitions/-",
              "value": Later(wiring.container, context.mesh, context.claimant, context.taskdef)}],
        )


def _described(context: TaskContext):
    """The finding's message and place, built when it is reported (the fix loop applies the
    fix without them)."""
    return (f"no Envoy container for {context.resource_label}: add one named "
            f"`{context.mesh.envoy.container_name}` running the App Mesh Envoy image",
            context.locate("/containerDefinitions"))

"""T203: an application container does not wait for Envoy, or dependsOn has a cycle.

What: an application container (any container but Envoy, the containers Envoy itself
waits for, and FireLens log routers) has no ``dependsOn`` entry
``{containerName: envoy, condition: HEALTHY}``; or the ``dependsOn`` graph has a cycle.
Essential containers are errors; non-essential ones are warnings. Not on a gateway's task
(Envoy intercepts no traffic there), and not on a telemetry sidecar that runs as the
proxy's ignored UID with no listener port, as AWS's App Mesh user guide runs the X-Ray
daemon: its traffic bypasses Envoy, so it need not wait for it.

Why: the APPMESH proxy configuration redirects the task's traffic to Envoy as soon as the
task starts. An application that starts first makes connections that fail until Envoy is
ready. ECS rejects a task definition whose ``dependsOn`` has a cycle.

Fails:
    {name: app, essential: true}            # no dependsOn

Passes:
    {name: app, essential: true, dependsOn: [{containerName: envoy, condition: HEALTHY}]}

Fix: ``meshify inject`` adds the dependency (or sets its condition to HEALTHY); it never
adds one to a container Envoy waits for. A cycle must be broken by hand.
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model.task_definition import appended, application_containers, container_pointer, depends_on, find_cycle


@rule("T203", "error", "Application container does not wait for Envoy", scope="taskdef", fixable=True,
      reads=("envoy", "bypassing", "/containerDefinitions/*/name", "/containerDefinitions/*/essential",
             "/containerDefinitions/*/dependsOn", "/containerDefinitions/*/firelensConfiguration"), settles=True)
def check(context: TaskContext):
    index = context.envoy_index()
    if index is not None and not context.is_gateway:
        containers = context.containers
        envoy_name = containers[index]["name"]
        for app in application_containers(context.taskdef, index, context.bypassing_sidecars()):
            container = containers[app]
            essential = container.get("essential", True) is True
            severity = None if essential else "warning"
            entries = depends_on(container)
            waits = [position for position, item in enumerate(entries) if item.get("containerName") == envoy_name]
            if not waits:
                fix = appended(container, container_pointer(app), "dependsOn",
                               {"containerName": envoy_name, "condition": "HEALTHY"})
                yield check.rule.finding_later(
                    _not_waiting_described, (container["name"], envoy_name, app, context.locate), fix, severity)
            elif entries[waits[0]].get("condition") != "HEALTHY":
                pointer = container_pointer(app, "dependsOn", waits[0], "condition")
                yield check.rule.finding(
                    f"container `{container['name']}` waits for Envoy to "
                    f"{entries[waits[0]].get('condition')}, not to be HEALTHY",
                    context.locate(pointer), severity=severity,
                    fix=[{"op": "add", "path": pointer, "value": "HEALTHY"}])
    if cycle := find_cycle(context.taskdef):
        names = [c.get("name") for c in context.containers]
        yield check.rule.finding(
            f"dependsOn cycle {' -> '.join(cycle)}: ECS rejects it; remove one of these dependencies",
            context.locate(container_pointer(names.index(cycle[0]), "dependsOn")))


def _not_waiting_described(name, envoy_name, app, locate):
    """A container not waiting for Envoy: the message and place, built when the finding is
    reported (the fix loop applies the fix without them)."""
    return (f"container `{name}` does not wait for Envoy: add dependsOn "
            f"{{containerName: {envoy_name}, condition: HEALTHY}}", locate(container_pointer(app, "name")))

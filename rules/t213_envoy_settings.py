"""T213: the Envoy container differs from the manifest's ``envoy:`` settings.

What: an existing Envoy container runs another image than the manifest's (its
``envoy.image``, or the App Mesh image at the tag meshify currently pins), or lacks a
setting the manifest asks for: ``memoryReservation``, the ``nofile`` ulimit,
``ENVOY_LOG_LEVEL``, ``ENABLE_ENVOY_XRAY_TRACING``. Without a manifest, only an image
chosen in the configuration (``envoy-image``) is insisted on.

Why: the manifest is where the team decides how Envoy runs; a task definition that
drifted from it (an old image tag after an upgrade, a missing X-Ray flag) behaves
differently from the rest of the mesh.

Fails (manifest ``envoy: {logLevel: debug}``):
    {name: envoy, image: .../aws-appmesh-envoy:v1.27.0.0-prod, environment: [APPMESH_RESOURCE_ARN]}

Passes:
    {name: envoy, image: .../aws-appmesh-envoy:v1.39.1.0-prod,
     environment: [APPMESH_RESOURCE_ARN, {name: ENVOY_LOG_LEVEL, value: debug}]}

Fix: ``meshify inject`` brings the Envoy container up to date with the manifest; it
never removes settings the manifest does not mention, and never overwrites a template
placeholder (``${ENVOY_IMAGE}``): its value is unknown.
"""

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model import wiring
from meshify.injector.model.task_definition import append, container_pointer, environment_value
from meshify.injector.model.unknowns import is_unknown


@rule("T213", "warning", "Envoy container differs from the manifest's envoy settings", scope="taskdef",
      fixable=True,
      reads=("envoy", "/containerDefinitions/*/name", "/containerDefinitions/*/image",
             "/containerDefinitions/*/memoryReservation", "/containerDefinitions/*/ulimits",
             "/containerDefinitions/*/environment"), needs_envoy=True)
def check(context: TaskContext):
    index = context.envoy_index()
    if index is None:
        return
    settings = context.mesh.envoy
    container = context.containers[index]
    name = container["name"]
    if settings.pinned and container.get("image") != settings.image and not is_unknown(container.get("image")):
        pointer = container_pointer(index, "image")
        chosen_by = "the configured" if context.mesh.without_manifest else "the manifest's"
        yield check.rule.finding(
            f"Envoy container `{name}` runs {container.get('image')!r}, {chosen_by} Envoy image is "
            f"{settings.image!r}", context.locate(pointer), fix=[{"op": "add", "path": pointer, "value": settings.image}])
    if settings.memory_reservation is not None and container.get("memoryReservation") != settings.memory_reservation:
        pointer = container_pointer(index, "memoryReservation")
        yield check.rule.finding(
            f"Envoy container `{name}` reserves {container.get('memoryReservation')!r} MiB, the manifest "
            f"{settings.memory_reservation}", context.locate(pointer),
            fix=[{"op": "add", "path": pointer, "value": settings.memory_reservation}])
    if (limits := wiring.ulimits(context.mesh)) is not None:
        current = [u for u in container.get("ulimits") or [] if isinstance(u, dict) and u.get("name") == "nofile"]
        if current != limits:
            ulimits = container.get("ulimits") or []
            if current:
                position = ulimits.index(current[0])
                fix = [{"op": "replace", "path": container_pointer(index, "ulimits", position), "value": limits[0]}]
            else:
                fix = append(context.taskdef, container_pointer(index), "ulimits", limits[0])
            yield check.rule.finding(
                f"Envoy container `{name}` does not set the nofile ulimit to {settings.nofile} (envoy.nofile)",
                context.locate(container_pointer(index, "ulimits") if "ulimits" in container
                               else container_pointer(index, "name")), fix=fix)
    for variable in wiring.environment(context.mesh, context.claimant)[1:]:  # the ARN is T207's
        current_value = environment_value(container, variable["name"])
        if current_value is not None and current_value[1] == variable["value"]:
            continue
        if current_value is not None:
            pointer = container_pointer(index, "environment", current_value[0], "value")
            fix = [{"op": "replace", "path": pointer, "value": variable["value"]}]
        else:
            pointer = container_pointer(index, "environment" if "environment" in container else "name")
            fix = append(context.taskdef, container_pointer(index), "environment", variable)
        yield check.rule.finding(
            f"Envoy container `{name}` does not set {variable['name']} as the manifest's envoy: settings ask",
            context.locate(pointer), fix=fix)

"""T209: the Envoy image is not the App Mesh image for the region, floats, or is too old.

What: the Envoy container's image is not the App Mesh Envoy image of the mesh's region
(its registry account and region, or the public mirror), has no tag or the tag
``latest``, or is older than v1.17.2.0.

Why: only v1.17.2.0 and later still work with App Mesh; a floating tag changes Envoy
under a running service at the next deployment; an image from another region's registry
pulls across regions (slower, and it fails when that region is impaired).

Fails:
    image: 840364872350.dkr.ecr.us-east-1.amazonaws.com/aws-appmesh-envoy:v1.13.1.1-prod

Passes:
    image: 840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.39.1.0-prod

An image given as a template placeholder (``${ENVOY_IMAGE}``) is unknown: not checked.

Fix: ``meshify inject`` sets the manifest's image (T213).
"""

import re

from meshify.injector.engine import TaskContext, rule
from meshify.injector.model.mesh import default_envoy_image, envoy_images
from meshify.injector.model.task_definition import container_pointer
from meshify.injector.model.unknowns import is_unknown

_VERSION = re.compile(r"^v?(\d+(?:\.\d+)+)")


def _version(tag: str) -> tuple[int, ...] | None:
    match = _VERSION.match(tag)
    return tuple(int(part) for part in match.group(1).split(".")) if match else None


@rule("T209", "warning", "Envoy image not the region's, floating, or too old", scope="taskdef", needs_envoy=True)
def check(context: TaskContext):
    index = context.envoy_index()
    if index is None:
        return
    if is_unknown(context.containers[index].get("image")):
        return
    image = str(context.containers[index].get("image", ""))
    if is_unknown(image):  # a template placeholder: its value is not known here
        return
    pointer = context.locate(container_pointer(index, "image"))
    repository, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else (image, "", "")
    regional = default_envoy_image(context.mesh.region).rsplit(":", 1)[0]
    if context.mesh.region and repository not in (regional, envoy_images()["publicMirror"]) \
            and image != context.mesh.envoy.image:  # with no region known (no manifest), any region's will do
        yield check.rule.finding(f"Envoy image {image!r} is not the App Mesh image for {context.mesh.region} "
                                 f"({regional})", pointer)
    if tag in ("", "latest"):
        yield check.rule.finding(f"Envoy image {image!r} has a floating tag: pin a version such as "
                                 f"{envoy_images()['defaultTag']}", pointer)
        return
    version = _version(tag)
    minimum = tuple(int(part) for part in envoy_images()["minimumVersion"].split("."))
    if version is not None and version < minimum:
        yield check.rule.finding(f"Envoy {tag} is older than v{envoy_images()['minimumVersion']}, the oldest "
                                 "version App Mesh still serves", pointer)

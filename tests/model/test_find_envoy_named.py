"""``find_envoy`` (model/task_definition.py) skips the proxy configuration's image test when
it names the manifest's own Envoy name (what T204's fix writes): that name's first index is
the answer whatever its image says. Held to the first spelling (the oracle below) over
generated task definitions: duplicate and missing names, names that are not strings or are
marked (a template's default), Envoy images, other images and unknown ones, a proxy
configuration naming any of them, or nothing, or not a mapping, on a node's task and a
gateway's."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from meshify.injector.documents.unknown import DefaultStr, Unknown
from meshify.injector.model.task_definition import ANY_ENVOY_IMAGE, ENVOY_IMAGE, find_envoy
from meshify.injector.model.unknowns import is_unknown


def _first_spelling(taskdef: dict[str, Any], container_name: str, gateway: bool = False) -> int | None:
    containers = taskdef.get("containerDefinitions") or []
    names = [container.get("name") for container in containers]
    proxy = taskdef.get("proxyConfiguration")
    if not gateway and isinstance(proxy, dict) and proxy.get("containerName") in names:
        index = names.index(proxy["containerName"])
        image = containers[index].get("image", "")
        if ANY_ENVOY_IMAGE.search(str(image)) or is_unknown(image):
            return index
    if container_name in names:
        return names.index(container_name)
    for index, container in enumerate(containers):
        image = container.get("image")
        if isinstance(image, str) and "aws-appmesh-envoy" in image and ENVOY_IMAGE.search(image):
            return index
    return None


_UNKNOWN = Unknown("var.x")
_NAMES = st.sampled_from(["envoy", "app", None, 3, _UNKNOWN]) | st.builds(DefaultStr, st.sampled_from(["envoy", "app"]))
_IMAGES = st.sampled_from([
    "840364872350.dkr.ecr.eu-west-1.amazonaws.com/aws-appmesh-envoy:v1.29.6.0-prod", "envoyproxy/envoy:v1.29",
    "my/app:1.0", None, _UNKNOWN])


def _container(name: object, image: object, named: bool, imaged: bool) -> dict[str, Any]:
    container: dict[str, Any] = {}
    if named:
        container["name"] = name
    if imaged:
        container["image"] = image
    return container


_MOSTLY = st.sampled_from([True, True, True, False])
_CONTAINERS = st.lists(st.builds(_container, _NAMES, _IMAGES, _MOSTLY, _MOSTLY), min_size=1, max_size=3)
_NAMING = st.builds(lambda name, given: {"type": "APPMESH", **({"containerName": name} if given else {})}, _NAMES, _MOSTLY)
_PROXIES = st.one_of(_NAMING, _NAMING, _NAMING, st.none(), st.sampled_from(["APPMESH", [], 1]))


@settings(max_examples=400, deadline=None)
@given(containers=_CONTAINERS, proxy=_PROXIES, container_name=st.sampled_from(["envoy", "app"]),
       gateway=st.booleans())
def test_find_envoy_is_its_first_spelling(containers, proxy, container_name, gateway):
    taskdef: dict[str, Any] = {"containerDefinitions": containers}
    if proxy is not None:
        taskdef["proxyConfiguration"] = proxy

    def answer(find: Any) -> object:
        try:
            return find(taskdef, container_name, gateway)
        except Exception as error:  # the same error, if any
            return type(error), str(error)

    assert answer(find_envoy) == answer(_first_spelling)


def test_the_manifests_name_in_the_proxy_configuration_is_envoy_whatever_its_image():
    taskdef = {"containerDefinitions": [{"name": "app", "image": "my/app"}, {"name": "envoy", "image": "my/proxy"}],
               "proxyConfiguration": {"containerName": "envoy"}}
    assert find_envoy(taskdef, "envoy") == 1
    assert find_envoy(taskdef, "other") is None  # named by the proxy configuration, but not an Envoy image
    taskdef["proxyConfiguration"] = {"containerName": "app"}
    assert find_envoy(taskdef, "envoy") == 1  # the application is not Envoy: the manifest's name is
    taskdef["containerDefinitions"][0]["image"] = "envoyproxy/envoy:v1.29"
    assert find_envoy(taskdef, "envoy") == 0  # the proxy configuration's, running an Envoy image

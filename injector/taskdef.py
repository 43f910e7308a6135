"""ECS task definitions as users keep them.

A task definition lives at a JSON Pointer (``base``) inside the document the user wrote:
the root of a ``register-task-definition`` input, or ``/taskDefinition`` of a
``describe-task-definition`` output (whose read-only fields are dropped so the result can
be registered again). Rules and patches work on the task definition itself; positions are
translated back to the user's document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .errors import InputError
from .model import Loc
from .pointer import join, resolve
from .source import Document

# Fields that describe-task-definition returns and register-task-definition rejects.
READ_ONLY_FIELDS = (
    "taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
    "registeredAt", "registeredBy", "deregisteredAt",
)
ENVOY_IMAGE = re.compile(r"(^|/)aws-appmesh-envoy(:|@|$)")
# Any Envoy build (a mirror, a custom image): enough to trust proxyConfiguration's word.
ANY_ENVOY_IMAGE = re.compile(r"envoy[^/]*(:|@|$)")


@dataclass(slots=True)
class TaskDefinitionFile:
    document: Document
    base: str
    data: dict[str, Any]
    remote: bool = False  # read from the ECS API: there is no file to rewrite

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def described(self) -> bool:
        """Read from describe-task-definition output (then rewritten in register shape)."""
        return self.base != ""

    @property
    def family(self) -> str | None:
        family = self.data.get("family")
        return family if isinstance(family, str) else None

    def loc(self, pointer: str) -> Loc:
        return Loc(self.document, self.base + pointer)

    def render(self, patch: list[dict[str, Any]]) -> str:
        """The file's new text once ``patch`` (relative to the task definition) applies."""
        if not self.described:
            return self.document.render(patch)
        import jsonpatch

        return self.document.dump(jsonpatch.apply_patch(self.data, patch))


def _check_shape(document: Document, base: str, data: Any) -> None:
    """The minimum the rules need: a mapping with a list of named container mappings."""
    def fail(message: str, pointer: str) -> InputError:
        return Loc(document, base + pointer).error(message)

    if not isinstance(data, dict) or "containerDefinitions" not in data:
        raise fail("not an ECS task definition: no containerDefinitions", "")
    containers = data["containerDefinitions"]
    if not isinstance(containers, list):
        raise fail("containerDefinitions must be a list", "/containerDefinitions")
    for index, container in enumerate(containers):
        if not isinstance(container, dict):
            raise fail("a container definition must be a mapping", f"/containerDefinitions/{index}")
        if not isinstance(container.get("name"), str):
            raise fail("a container definition needs a name", f"/containerDefinitions/{index}")


def load_taskdef(path: str, text: str | None = None) -> TaskDefinitionFile:
    return taskdef_from_document(Document.load(path, text))


def is_taskdef(data: Any) -> bool:
    return isinstance(data, dict) and ("containerDefinitions" in data or (
        isinstance(data.get("taskDefinition"), dict) and "containerDefinitions" in data["taskDefinition"]))


def taskdef_from_document(document: Document, remote: bool = False) -> TaskDefinitionFile:
    """The task definition a document holds; ``remote`` when it was read from ECS."""
    data = document.data
    if isinstance(data, dict) and isinstance(data.get("taskDefinition"), dict) \
            and "containerDefinitions" not in data:
        _check_shape(document, "/taskDefinition", data["taskDefinition"])
        register = {key: value for key, value in data["taskDefinition"].items() if key not in READ_ONLY_FIELDS}
        if data.get("tags"):
            register["tags"] = data["tags"]
        return TaskDefinitionFile(document, "/taskDefinition", register, remote)
    _check_shape(document, "", data)
    return TaskDefinitionFile(document, "", data, remote)


def container_pointer(index: int, *tokens: str | int) -> str:
    return join(f"/containerDefinitions/{index}", *tokens)


def find_envoy(taskdef: dict[str, Any], container_name: str, gateway: bool = False) -> int | None:
    """Index of the Envoy container: named by ``proxyConfiguration`` (on a node's task, and
    only if it runs an Envoy image: a proxy configuration naming the application does not
    make it Envoy), by the manifest's ``envoy.containerName``, or running the App Mesh
    Envoy image."""
    containers = taskdef.get("containerDefinitions") or []
    names = [container.get("name") for container in containers]
    proxy = taskdef.get("proxyConfiguration")
    if not gateway and isinstance(proxy, dict) and proxy.get("containerName") in names:
        index = names.index(proxy["containerName"])
        if ANY_ENVOY_IMAGE.search(str(containers[index].get("image", ""))):
            return index
    if container_name in names:
        return names.index(container_name)
    for index, container in enumerate(containers):
        if isinstance(container.get("image"), str) and ENVOY_IMAGE.search(container["image"]):
            return index
    return None


def environment_value(container: dict[str, Any], name: str) -> tuple[int, str] | None:
    for index, variable in enumerate(container.get("environment") or []):
        if isinstance(variable, dict) and variable.get("name") == name:
            return index, str(variable.get("value", ""))
    return None


def append(document: dict[str, Any], pointer: str, key: str, item: Any, at: int | None = None) -> list[dict[str, Any]]:
    """The operation adding ``item`` to the list ``key`` of the object at ``pointer`` (at
    the end, or at index ``at``), creating the list when there is none."""
    if isinstance(resolve(document, pointer).get(key), list):
        return [{"op": "add", "path": join(pointer, key, "-" if at is None else at), "value": item}]
    return [{"op": "add", "path": join(pointer, key), "value": [item]}]


PROXY_PROPERTIES = "/proxyConfiguration/properties"


def set_proxy_property(taskdef: dict[str, Any], name: str, value: str) -> list[dict[str, Any]]:
    """The operation setting the proxy property ``name``: its value replaced, or added."""
    existing = proxy_properties(taskdef)
    if name in existing:
        return [{"op": "replace", "path": f"{PROXY_PROPERTIES}/{existing[name][0]}/value", "value": value}]
    return append(taskdef, "/proxyConfiguration", "properties", {"name": name, "value": value})


def proxy_properties(taskdef: dict[str, Any]) -> dict[str, tuple[int, str]]:
    """``proxyConfiguration.properties`` by name: (index, value)."""
    proxy = taskdef.get("proxyConfiguration")
    if not isinstance(proxy, dict):
        return {}
    return {
        item["name"]: (index, str(item.get("value", "")))
        for index, item in enumerate(proxy.get("properties") or [])
        if isinstance(item, dict) and "name" in item
    }


def depends_on(container: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in container.get("dependsOn") or [] if isinstance(item, dict)]


def dependencies_of(taskdef: dict[str, Any], index: int) -> set[str]:
    """Names of the containers that container ``index`` waits for, directly or not."""
    by_name = {c.get("name"): c for c in taskdef.get("containerDefinitions") or []}
    seen: set[str] = set()
    pending = [taskdef["containerDefinitions"][index]]
    while pending:
        for item in depends_on(pending.pop()):
            name = item.get("containerName")
            if name in by_name and name not in seen:
                seen.add(name)
                pending.append(by_name[name])
    return seen


def find_cycle(taskdef: dict[str, Any]) -> list[str] | None:
    """One ``dependsOn`` cycle as a list of container names, or None."""
    by_name = {c.get("name"): c for c in taskdef.get("containerDefinitions") or []}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = 1
        for item in depends_on(by_name[name]):
            target = item.get("containerName")
            if target not in by_name:
                continue
            if state.get(target) == 1:
                return [*path[path.index(target):], target] if target in path else [name, target]
            if target not in state and (cycle := visit(target, [*path, target])):
                return cycle
        state[name] = 2
        return None

    for name in by_name:
        if name not in state and (cycle := visit(name, [name])):
            return cycle
    return None


def application_containers(taskdef: dict[str, Any], envoy_index: int | None) -> list[int]:
    """Containers that must wait for Envoy: all but Envoy itself, the containers Envoy
    waits for (a dependency back would be a cycle ECS rejects) and FireLens log routers
    (ECS starts them before the containers that log through them, Envoy included)."""
    containers = taskdef.get("containerDefinitions") or []
    envoy_needs = dependencies_of(taskdef, envoy_index) if envoy_index is not None else set()
    return [
        index for index, container in enumerate(containers)
        if index != envoy_index and container.get("name") not in envoy_needs
        and "firelensConfiguration" not in container
    ]

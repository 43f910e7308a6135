"""Read-only questions about a task definition (API-shaped data, whatever file it came
from) and the RFC 6902 operations the rules' fixes are built from."""

from __future__ import annotations

import re
from collections.abc import Collection
from typing import Any

from meshify.injector.documents.pointer import join, resolve, split
from meshify.injector.documents.unknown import Unknown as Unknown  # what the rules test values against
from meshify.injector.model.unknowns import is_unknown

ENVOY_IMAGE = re.compile(r"(^|/)aws-appmesh-envoy(:|@|$)")
# Any Envoy build (a mirror, a custom image): enough to trust proxyConfiguration's word.
ANY_ENVOY_IMAGE = re.compile(r"envoy[^/]*(:|@|$)")


def container_pointer(index: int, *tokens: str | int) -> str:
    if not tokens:
        return f"/containerDefinitions/{index}"
    if len(tokens) == 1 and type(tokens[0]) is str and "~" not in tokens[0] and "/" not in tokens[0]:
        return f"/containerDefinitions/{index}/{tokens[0]}"  # nearly every call: one member name, nothing to escape
    return join(f"/containerDefinitions/{index}", *tokens)


def find_envoy(taskdef: dict[str, Any], container_name: str, gateway: bool = False) -> int | None:
    """Index of the Envoy container: named by ``proxyConfiguration`` (on a node's task, and
    only if it runs an Envoy image: a proxy configuration naming the application does not
    make it Envoy), by the manifest's ``envoy.containerName``, or running the App Mesh
    Envoy image."""
    containers = taskdef.get("containerDefinitions") or []
    names = [container.get("name") for container in containers]
    proxy = taskdef.get("proxyConfiguration")
    # A proxy configuration naming the manifest's own Envoy name (what T204 writes) needs no
    # image test: the answer is that name's first index whatever its image says (below).
    if not gateway and isinstance(proxy, dict) and (named := proxy.get("containerName")) != container_name \
            and named in names:
        index = names.index(proxy["containerName"])
        image = containers[index].get("image", "")
        if ANY_ENVOY_IMAGE.search(str(image)) or is_unknown(image):
            return index
    if container_name in names:
        return names.index(container_name)
    for index, container in enumerate(containers):
        image = container.get("image")
        # The literal first: every match holds it, and `in` costs a tenth of the search,
        # which has no literal prefix to look for and is tried at every character.
        if isinstance(image, str) and "aws-appmesh-envoy" in image and ENVOY_IMAGE.search(image):
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
    return appended(resolve(document, pointer), pointer, key, item, at)


def appended(parent: dict[str, Any], pointer: str, key: str, item: Any, at: int | None = None) -> list[dict[str, Any]]:
    """:func:`append`, given ``parent``, the object at ``pointer`` (a rule that holds the
    container: the pointer is not walked again)."""
    path = join(pointer, key) if "~" in key or "/" in key else f"{pointer}/{key}"  # a rule's own key: nothing to escape
    if isinstance(parent.get(key), list):
        return [{"op": "add", "path": f"{path}/{'-' if at is None else at}", "value": item}]
    return [{"op": "add", "path": path, "value": [item]}]


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
    found: dict[str, tuple[int, str]] = {}
    for index, item in enumerate(proxy.get("properties") or []):
        if isinstance(item, dict) and "name" in item:
            value = item.get("value", "")
            found[item["name"]] = (index, value if type(value) is str else str(value))  # str() only when not one
    return found


def depends_on(container: dict[str, Any]) -> list[dict[str, Any]]:
    return [item for item in container.get("dependsOn") or [] if isinstance(item, dict)]


def dependencies_of(taskdef: dict[str, Any], index: int) -> set[str]:
    """Names of the containers that container ``index`` waits for, directly or not."""
    pending = [taskdef["containerDefinitions"][index]]
    if not pending[0].get("dependsOn"):  # it waits for nothing (Envoy, nearly always): no names indexed
        return set()
    return dependency_walk(taskdef, index)


def dependency_walk(taskdef: dict[str, Any], index: int) -> set[str]:
    """:func:`dependencies_of` without its shortcut: the walk itself (its tests' reference)."""
    pending = [taskdef["containerDefinitions"][index]]
    by_name = {c.get("name"): c for c in taskdef.get("containerDefinitions") or []}
    seen: set[str] = set()
    while pending:
        for item in depends_on(pending.pop()):
            name = item.get("containerName")
            if isinstance(name, str) and name in by_name and name not in seen:
                seen.add(name)
                pending.append(by_name[name])
    return seen


def find_cycle(taskdef: dict[str, Any]) -> list[str] | None:
    """One ``dependsOn`` cycle as a list of container names, or None."""
    containers = taskdef.get("containerDefinitions") or []
    waiting = [container for container in containers if container.get("dependsOn")]
    if not waiting:
        return None  # no container waits: no cycle (and no set built, no generator run)
    names = {container.get("name") for container in waiting}
    if not any(isinstance(target := item.get("containerName"), str) and target in names
               for container in waiting for item in depends_on(container)):
        return None  # each container on a cycle waits for one that waits too: none does (nearly every task)
    return cycle_walk(taskdef)


def cycle_walk(taskdef: dict[str, Any]) -> list[str] | None:
    """:func:`find_cycle` without its shortcut: the walk itself (its tests' reference)."""
    by_name = {c.get("name"): c for c in taskdef.get("containerDefinitions") or []}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> list[str] | None:
        state[name] = 1
        for item in depends_on(by_name[name]):
            target = item.get("containerName")
            if not isinstance(target, str) or target not in by_name:
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


def uid_of(user: object) -> str | None:
    """The UID part of a container's ``user`` (``"1337:1337"`` is UID 1337)."""
    return str(user).split(":", 1)[0] if user is not None else None


def exposed_ports(container: dict[str, Any]) -> set[object]:
    return {mapping.get("containerPort") for mapping in container.get("portMappings") or [] if isinstance(mapping, dict)}


def bypassing_sidecars(taskdef: dict[str, Any], envoy_index: int | None, ignored_uid: str | None,
                       listener_ports: set[int]) -> set[int]:
    """Sidecars that run as the proxy's ignored UID on purpose, as AWS documents for the
    X-Ray daemon: their traffic bypasses Envoy. A container that serves a listener port,
    or the only container beside Envoy, is the application and is not one of them."""
    containers = taskdef.get("containerDefinitions") or []
    others = [index for index in range(len(containers)) if index != envoy_index]
    if ignored_uid is None or len(others) < 2:
        return set()
    return {index for index in others
            if uid_of(containers[index].get("user")) == ignored_uid
            and not exposed_ports(containers[index]) & listener_ports}


def is_log_router(container: dict[str, Any]) -> bool:
    """A FireLens log router (console exports write ``"firelensConfiguration": null`` on
    every container: that is no log router)."""
    return isinstance(container.get("firelensConfiguration"), dict)


def application_containers(taskdef: dict[str, Any], envoy_index: int | None,
                           bypassing: Collection[int] = ()) -> list[int]:
    """Containers that must wait for Envoy: all but Envoy itself, the containers Envoy
    waits for (a dependency back would be a cycle ECS rejects), FireLens log routers
    (ECS starts them before the containers that log through them, Envoy included) and the
    ``bypassing`` sidecars (their traffic does not go through Envoy)."""
    containers = taskdef.get("containerDefinitions") or []
    envoy_needs = dependencies_of(taskdef, envoy_index) if envoy_index is not None else set()
    return [
        index for index, container in enumerate(containers)
        if index != envoy_index and container.get("name") not in envoy_needs
        and not is_log_router(container) and index not in bypassing
    ]


def member_name(pointer: str) -> str:
    """``/containerDefinitions/0/cpu`` as a reader names it: ``containerDefinitions[0].cpu``."""
    name = ""
    for token in split(pointer):
        name += f"[{token}]" if token.isdigit() else f".{token}" if name else token
    return name


def value_at(taskdef: dict[str, Any], pointer: str) -> Any:
    """The value at ``pointer``, or None when there is none."""
    try:
        return resolve(taskdef, pointer)
    except (KeyError, IndexError, TypeError, ValueError):
        return None

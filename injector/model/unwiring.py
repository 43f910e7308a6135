"""The inverse of ``wiring.py``: what ``meshify uninject`` removes from a task definition
and from a task role policy, as RFC 6902 operations on API-shaped data.

It removes what inject (or a person following AWS's App Mesh guide) put in for App Mesh
and nothing else: the Envoy container (with everything inject put on it: environment,
ulimits, the gateway's port mappings, the health check), ``proxyConfiguration``, every
``dependsOn`` entry on Envoy, and the ``APPMESH_*`` variables of any container. It needs
no manifest: all of it is recognisable in the task definition itself.

Two edits of inject are not undone, because uninject cannot tell them from the user's own
text and undoing them wrongly breaks a running service: ``networkMode: awsvpc`` (T208)
and a listener port's mapping on the application container (T205), which load balancers
and Service Connect (``portName``) still need once Envoy is gone.
"""

from __future__ import annotations

from typing import Any

from meshify.injector.model.iam import statements
from meshify.injector.model.task_definition import container_pointer, find_envoy
from meshify.injector.model.wiring import STREAM_ACTION, XRAY_ACTIONS

APPMESH_PREFIX = "APPMESH_"
DEFAULT_ENVOY_NAME = "envoy"
XRAY_SID = "MeshifyXRay"  # wiring.policy_statements' X-Ray statement


def _removals(pointer: str, key: str, items: list[Any], doomed: list[int]) -> list[dict[str, Any]]:
    """Operations removing the items at ``doomed`` from the list ``key`` of ``pointer``,
    last first so that every index stays valid; the whole key when none would remain
    (inject creates the list when there is none)."""
    if not doomed:
        return []
    if len(doomed) == len(items):
        return [{"op": "remove", "path": f"{pointer}/{key}"}]
    return [{"op": "remove", "path": f"{pointer}/{key}/{position}"} for position in sorted(doomed, reverse=True)]


def uninject_patch(taskdef: dict[str, Any], envoy_name: str = DEFAULT_ENVOY_NAME) -> list[dict[str, Any]]:
    """The operations taking App Mesh out of ``taskdef`` (empty when there is none)."""
    containers = taskdef.get("containerDefinitions") or []
    envoy_index = find_envoy(taskdef, envoy_name)
    envoy = containers[envoy_index]["name"] if envoy_index is not None else None
    patch: list[dict[str, Any]] = []
    for index, container in enumerate(containers):
        if index == envoy_index or not isinstance(container, dict):
            continue
        entries = container.get("dependsOn")
        if envoy is not None and isinstance(entries, list):
            doomed = [position for position, item in enumerate(entries)
                      if isinstance(item, dict) and item.get("containerName") == envoy]
            patch += _removals(container_pointer(index), "dependsOn", entries, doomed)
        variables = container.get("environment")
        if isinstance(variables, list):
            doomed = [position for position, item in enumerate(variables)
                      if isinstance(item, dict) and str(item.get("name", "")).startswith(APPMESH_PREFIX)]
            patch += _removals(container_pointer(index), "environment", variables, doomed)
    if envoy_index is not None:
        patch.append({"op": "remove", "path": container_pointer(envoy_index)})
    if "proxyConfiguration" in taskdef:
        patch.append({"op": "remove", "path": "/proxyConfiguration"})
    return patch


# ---------------------------------------------------------------------------------------
# The task role policy


def _actions(statement: dict[str, Any]) -> list[str]:
    action = statement.get("Action")
    if isinstance(action, str):
        return [action]
    return [item for item in action or [] if isinstance(item, str)] if isinstance(action, list) else []


def _is_stream(action: str) -> bool:
    return action.lower() == STREAM_ACTION.lower()


def _is_meshify_xray(statement: dict[str, Any]) -> bool:
    actions = {action.lower() for action in _actions(statement)}
    return statement.get("Sid") == XRAY_SID and bool(actions) and actions <= {a.lower() for a in XRAY_ACTIONS}


def policy_unwiring_patch(policy: dict[str, Any]) -> list[dict[str, Any]]:
    """Operations removing the Envoy stream permission (a statement that allows only it is
    removed whole; in a statement that allows more, only that action) and meshify's X-Ray
    statement. Other statements, wildcards such as ``appmesh:*`` included, stay."""
    patch: list[dict[str, Any]] = []
    for index, statement in reversed(statements(policy)):
        pointer = "/Statement" if index is None else f"/Statement/{index}"
        actions = _actions(statement)
        whole = _is_meshify_xray(statement) or (bool(actions) and all(_is_stream(a) for a in actions))
        if whole:
            patch.append({"op": "replace", "path": pointer, "value": []} if index is None
                         else {"op": "remove", "path": pointer})
        elif isinstance(statement.get("Action"), list):
            raw = statement["Action"]
            patch += [{"op": "remove", "path": f"{pointer}/Action/{position}"}
                      for position in reversed(range(len(raw))) if isinstance(raw[position], str) and _is_stream(raw[position])]
    return patch

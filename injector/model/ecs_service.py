"""Read-only questions about an ECS service definition (API-shaped data: the members of
``CreateService`` / ``UpdateService``, whatever file it came from): its task definition
reference and its Service Connect configuration."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from meshify.injector.documents.unknown import Unknown
from meshify.injector.model.mesh import Loc
from meshify.injector.model.unknowns import comparable

# arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION
_TASK_DEFINITION_ARN = re.compile(r"^arn:[^:]+:ecs:[^:]*:[^:]*:task-definition/([^:/]+)(?::\d+)?$")


def family_of(reference: str) -> str:
    """The family a ``taskDefinition`` reference names: ``family``, ``family:revision``
    or a task definition ARN."""
    match = _TASK_DEFINITION_ARN.match(reference)
    if match:
        return match.group(1)
    return reference.rsplit(":", 1)[0] if re.search(r":\d+$", reference) else reference


class MeshReference(NamedTuple):
    """A place where an ECS service or its task definition still takes something from an
    App Mesh resource (a template's ``DependsOn``, ``!Ref``, ``!GetAtt``, ``${...}`` of it; a
    ``.tf``'s ``depends_on`` or reference): once the App Mesh resources are deleted, that
    service no longer deploys."""

    service: str  # the ECS service, as its file calls it
    holder: str  # "it", "its task definition `color`"
    target_kind: str  # "virtual node", "mesh", ...
    target: str  # what the file calls it (a logical id, a Terraform address)
    how: str  # "DependsOn", "!GetAtt ColorNode.VirtualNodeName", "depends_on", "aws_appmesh_virtual_node.color.name"
    loc: Loc

    @property
    def depends_on(self) -> bool:
        return self.how in ("DependsOn", "depends_on")


@dataclass(slots=True)
class EcsService:
    """One ECS service: ``data`` in the API's spelling and the way back to the file."""

    data: dict[str, Any]
    locate: Callable[[str], Loc]
    resource: str | None = None  # what its file calls it (a logical id): its name in messages when it has none
    # Where it or its task definition still takes something from an App Mesh resource (a template's).
    appmesh_references: tuple[MeshReference, ...] = ()

    @property
    def name(self) -> str:
        name = self.data.get("serviceName", self.data.get("service"))
        return name if isinstance(name, str) else (self.resource or "(unnamed service)")

    @property
    def task_definition(self) -> str | None:
        reference = self.data.get("taskDefinition")
        return reference if isinstance(reference, str) else None

    @property
    def family(self) -> str | None:
        return family_of(self.task_definition) if self.task_definition else None

    @property
    def service_connect(self) -> dict[str, Any]:
        config = self.data.get("serviceConnectConfiguration")
        return config if isinstance(config, dict) else {}

    @property
    def service_connect_enabled(self) -> bool:
        return self.service_connect.get("enabled") is True

    @property
    def namespace(self) -> str:
        """The namespace as a message shows it: its name; the expression of one the stack or
        the configuration decides; or the cluster's default."""
        namespace = self.service_connect.get("namespace")
        if namespace is None or namespace == "":
            return f"(the default namespace of cluster {_shown(self.data.get('cluster', 'default'))})"
        return _shown(namespace)

    @property
    def namespace_key(self) -> object | None:
        """What services share a namespace by (C504, C510): its name (an ARN by the name at
        its end); one the stack decides, its expression in its template (one expression in
        one template is one namespace); a Terraform expression, its text in its directory
        (one module); without a namespace, the cluster's default, the cluster compared the
        same way. None when nothing tells: it is then the same as no other."""
        namespace = self.service_connect.get("namespace")
        if namespace is None or namespace == "":
            cluster = self._compared(self.data.get("cluster", "default"))
            return None if cluster is None else ("the default namespace of cluster", cluster)
        return self._compared(namespace)

    def _compared(self, value: object) -> object | None:
        document = self.locate("").document
        path = getattr(document, "path", None)
        if isinstance(value, Unknown):
            return None if path is None else ("expression", os.path.dirname(os.path.abspath(path)), value.text)
        if isinstance(value, str):
            return value.rsplit("/", 1)[-1] if value.startswith("arn:") else value
        return comparable(value, path)

    def connect_services(self) -> list[tuple[int, dict[str, Any]]]:
        """(index, entry) of ``serviceConnectConfiguration.services``."""
        entries = self.service_connect.get("services")
        return [(index, entry) for index, entry in enumerate(entries or []) if isinstance(entry, dict)] \
            if isinstance(entries, list) else []

    def client_aliases(self) -> list[tuple[str, dict[str, Any]]]:
        """(pointer, alias) of every client alias of every Service Connect service."""
        found = []
        for index, entry in self.connect_services():
            aliases = entry.get("clientAliases")
            for position, alias in enumerate(aliases if isinstance(aliases, list) else []):
                if isinstance(alias, dict):
                    found.append((f"/serviceConnectConfiguration/services/{index}/clientAliases/{position}", alias))
        return found


def port_names(taskdef: dict[str, Any]) -> dict[str, tuple[int, int, dict[str, Any]]]:
    """Named port mappings of a task definition: name -> (container index, position, mapping)."""
    names: dict[str, tuple[int, int, dict[str, Any]]] = {}
    for index, container in enumerate(taskdef.get("containerDefinitions") or []):
        mappings = container.get("portMappings") if isinstance(container, dict) else None
        for position, mapping in enumerate(mappings if isinstance(mappings, list) else []):
            if isinstance(mapping, dict) and isinstance(mapping.get("name"), str):
                names.setdefault(mapping["name"], (index, position, mapping))
    return names


def _shown(value: object) -> str:
    """A namespace or cluster as a message shows it: a name (an ARN by the name at its end),
    an intrinsic as its JSON, a Terraform expression as its text."""
    if isinstance(value, str) and not isinstance(value, Unknown):
        return value.rsplit("/", 1)[-1] if value.startswith("arn:") else value
    if isinstance(value, Unknown):
        return value.text
    return json.dumps(value)

"""Read-only questions about an ECS service definition (API-shaped data: the members of
``CreateService`` / ``UpdateService``, whatever file it came from): its task definition
reference and its Service Connect configuration."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from meshify.injector.model.mesh import Loc

# arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION
_TASK_DEFINITION_ARN = re.compile(r"^arn:[^:]+:ecs:[^:]*:[^:]*:task-definition/([^:/]+)(?::\d+)?$")


def family_of(reference: str) -> str:
    """The family a ``taskDefinition`` reference names: ``family``, ``family:revision``
    or a task definition ARN."""
    match = _TASK_DEFINITION_ARN.match(reference)
    if match:
        return match.group(1)
    return reference.rsplit(":", 1)[0] if re.search(r":\d+$", reference) else reference


@dataclass(slots=True)
class EcsService:
    """One ECS service: ``data`` in the API's spelling and the way back to the file."""

    data: dict[str, Any]
    locate: Callable[[str], Loc]

    @property
    def name(self) -> str:
        name = self.data.get("serviceName", self.data.get("service"))
        return name if isinstance(name, str) else "(unnamed service)"

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
        """The namespace key services share: the configured one, or the cluster's default."""
        namespace = self.service_connect.get("namespace")
        if isinstance(namespace, str) and namespace:
            return namespace.rsplit("/", 1)[-1] if namespace.startswith("arn:") else namespace
        return f"(the default namespace of cluster {self.data.get('cluster', 'default')})"

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

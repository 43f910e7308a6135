"""ECS service definitions as users keep them: ``aws ecs create-service`` /
``update-service --cli-input-json`` input (JSON or YAML: ``serviceName`` or ``service``,
with ``taskDefinition``) and ``describe-services`` output (a ``services`` list, whose
current Service Connect configuration is in the PRIMARY deployment).

Like a task definition, a service lives at a JSON Pointer (``base``) inside the document
and is seen by the rules in the ECS API's spelling (``data``); templates
(``AWS::ECS::Service``, ``aws_ecs_service``) give the same :class:`EcsServiceFile` with
their own :class:`Spelling`. Nothing here knows a file format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from meshify.injector.documents.document import Document
from meshify.injector.inputs.task_definition import API_SPELLING, Spelling
from meshify.injector.model.ecs_service import EcsService, MeshReference, family_of
from meshify.injector.model.mesh import Loc

_MOVED_TO_DEPLOYMENT = ("/serviceConnectConfiguration", "/vpcLatticeConfigurations")


@dataclass(slots=True)
class EcsServiceFile:
    document: Document
    base: str
    data: dict[str, Any]
    spelling: Spelling = API_SPELLING
    # API pointer prefixes that the document keeps elsewhere (describe-services output keeps
    # the Service Connect configuration in its PRIMARY deployment): prefix -> document pointer.
    moved: dict[str, str] = field(default_factory=dict)
    # What the file calls this service besides its name (a logical id, a Terraform address).
    resource: str | None = None
    # Where it or its task definition still takes something from an App Mesh resource (templates).
    appmesh_references: list[MeshReference] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def task_definition(self) -> str | None:
        reference = self.data.get("taskDefinition")
        return reference if isinstance(reference, str) else None

    @property
    def family(self) -> str | None:
        return family_of(self.task_definition) if self.task_definition else None

    def loc(self, pointer: str) -> Loc:
        for prefix, target in self.moved.items():
            if pointer == prefix or pointer.startswith(prefix + "/"):
                return Loc(self.document, target + self.spelling.pointer(pointer)[len(prefix):])
        return Loc(self.document, self.base + self.spelling.pointer(pointer))

    @property
    def service(self) -> EcsService:
        return EcsService(self.data, self.loc, self.resource, tuple(self.appmesh_references))

    def document_patch(self, patch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``patch`` (API pointers relative to the service) as operations on the document
        the user wrote, in its spelling."""
        moved = []
        for operation in patch:
            path = self.base + self.spelling.pointer(operation["path"])
            moved.append({**operation, "path": path, **(
                {"value": self.spelling.value(operation["value"], path)} if "value" in operation else {})})
        return moved


def is_service_input(data: Any) -> bool:
    """create-service / update-service input: a service name and a task definition."""
    return isinstance(data, dict) and "containerDefinitions" not in data and isinstance(
        data.get("serviceName", data.get("service")), str) and isinstance(data.get("taskDefinition"), str)


def is_described_services(data: Any) -> bool:
    services = data.get("services") if isinstance(data, dict) else None
    return isinstance(services, list) and bool(services) and all(
        isinstance(item, dict) and isinstance(item.get("serviceName"), str) for item in services)


def _described(document: Document, index: int, service: dict[str, Any]) -> EcsServiceFile:
    base = f"/services/{index}"
    data = dict(service)
    moved: dict[str, str] = {}
    deployments = [(position, item) for position, item in enumerate(service.get("deployments") or [])
                   if isinstance(item, dict)]
    primary = next(((p, d) for p, d in deployments if d.get("status") == "PRIMARY"), deployments[0] if deployments else None)
    if primary is not None:
        position, deployment = primary
        for prefix in _MOVED_TO_DEPLOYMENT:
            key = prefix[1:]
            if key in deployment and key not in service:
                data[key] = deployment[key]
                moved[prefix] = f"{base}/deployments/{position}{prefix}"
    return EcsServiceFile(document, base, data, moved=moved)


def services_from_document(document: Document) -> list[EcsServiceFile]:
    """The ECS services a document holds (none when it holds no service definition)."""
    data = document.data
    if is_service_input(data):
        return [EcsServiceFile(document, "", data)]
    if is_described_services(data):
        return [_described(document, index, item) for index, item in enumerate(data["services"])]
    return []

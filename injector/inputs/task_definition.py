"""ECS task definitions as users keep them.

A task definition lives at a JSON Pointer (``base``) inside the document the user wrote:
the root of a ``register-task-definition`` input, or ``/taskDefinition`` of a
``describe-task-definition`` output (whose read-only fields are dropped so the result can
be registered again). Rules and patches work on the task definition itself; positions are
translated back to the user's document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meshify.injector.documents.document import Document
from meshify.injector.errors import InputError
from meshify.injector.model.mesh import Loc

# Fields that describe-task-definition returns and register-task-definition rejects.
READ_ONLY_FIELDS = (
    "taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
    "registeredAt", "registeredBy", "deregisteredAt",
)


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

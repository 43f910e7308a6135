"""ECS task definitions as users keep them.

A task definition lives at a JSON Pointer (``base``) inside the document the user wrote:
the root of a ``register-task-definition`` input, ``/taskDefinition`` of a
``describe-task-definition`` output (whose read-only fields are dropped so the result can
be registered again), or a resource's properties in a template. Rules and patches work on
the task definition itself, in the ECS API's spelling (``data``); its :class:`Spelling`
translates pointers and new values back to the document's (PascalCase in CloudFormation),
so positions and patches land in the file the user wrote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from meshify.injector.documents.document import Document
from meshify.injector.documents.unknown import Unknown
from meshify.injector.errors import InputError
from meshify.injector.model.mesh import Loc, Plain

# Fields that describe-task-definition returns and register-task-definition rejects.
READ_ONLY_FIELDS = (
    "taskDefinitionArn", "revision", "status", "requiresAttributes", "compatibilities",
    "registeredAt", "registeredBy", "deregisteredAt",
)


class Spelling:
    """How a document spells the ECS API's members. The API's own spelling: identity."""

    def pointer(self, pointer: str) -> str:
        """The document's pointer (relative to the task definition) for an API pointer."""
        return pointer

    def value(self, value: Any, pointer: str) -> Any:
        """A new API-shaped value at ``pointer`` as the document writes it."""
        return value


API_SPELLING = Spelling()


@dataclass(slots=True, repr=False, init=False)
class TaskDefinitionFile(Plain):
    """One task definition of a file, its data in the ECS API's spelling."""

    document: Document
    base: str
    data: dict[str, Any]
    remote: bool = False  # read from the ECS API: there is no file to rewrite
    # Read from describe-task-definition output: the file is rewritten in register shape.
    described: bool = False
    spelling: Spelling = API_SPELLING
    # What the file calls this task definition besides its family: a CloudFormation logical
    # id or a Terraform address, for manifests that claim by ``resource:``.
    resource: str | None = None
    # ``data`` as read is valid RegisterTaskDefinition input (the reader's check found no
    # problem): T211 need not ask the model again. False when not known.
    valid: bool = False

    def __init__(self, document: Document, base: str, data: dict[str, Any], remote: bool = False,
                 described: bool = False, spelling: Spelling = API_SPELLING, resource: str | None = None,
                 valid: bool = False) -> None:
        self.document = document
        self.base = base
        self.data = data
        self.remote = remote
        self.described = described
        self.spelling = spelling
        self.resource = resource
        self.valid = valid

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def family(self) -> str | None:
        family = self.data.get("family")
        return family if isinstance(family, str) else None

    @property
    def claim_name(self) -> str:
        """How messages call it: its family, or what its file calls it where only the stack
        knows the family (or where a .tf's address is what the user reads)."""
        if self.resource is not None and (self.family is None or self.document.format == "hcl"):
            return self.resource
        return f"family {self.family!r}"

    def loc(self, pointer: str) -> Loc:
        spelling = self.spelling  # the API's (nearly every file): its pointer is the document's, no call
        return Loc(self.document, self.base + (pointer if spelling is API_SPELLING else spelling.pointer(pointer)))

    def resolve(self, mesh: Any) -> None:
        """Resolve what the file refers to in the mesh (a Terraform resource's ARN); most formats have nothing."""

    def check_editable(self, patch: list[dict[str, Any]]) -> None:
        """Raise the input error that keeps ``patch`` out of this file, if there is one; the
        commands ask it per file, so that a refusal leaves the other files of a batch edited."""

    def document_patch(self, patch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """``patch`` (API pointers relative to the task definition) as operations on the
        document the user wrote."""
        if self.base == "" and self.spelling is API_SPELLING:
            return patch
        moved = []
        for operation in patch:
            operation = {**operation, "path": self.base + self.spelling.pointer(operation["path"])}
            if "value" in operation:
                operation["value"] = self.spelling.value(operation["value"], operation["path"])
            moved.append(operation)
        return moved


_NAME_TYPES = (str, Unknown)


def _check_shape(document: Document, base: str, data: Any) -> bool:
    """The minimum the rules need: a mapping with a list of named container mappings;
    whether ``data`` is also valid RegisterTaskDefinition input."""
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
        name = container.get("name")
        # A template's "${name}" is a name. (A union built here would cost every container a
        # new object: ``str | Unknown`` is evaluated at each iteration.)
        if name.__class__ is not str and not isinstance(name, _NAME_TYPES):
            raise fail("a container definition needs a name", f"/containerDefinitions/{index}")
    return _check_types(data, fail)


# The service models' module, imported at the first check and kept: an import statement in
# the function costs every file about 8k instructions (bench/NOTES.md, inject --check round 6).
_SERVICE_MODELS: Any = None


def _service_models() -> Any:
    global _SERVICE_MODELS
    from meshify.injector.model import service_models

    _SERVICE_MODELS = service_models
    return service_models


def _check_types(data: dict[str, Any], fail: Any) -> bool:
    """Members of the wrong type (``environment: 5``, ``dependsOn: true``) as the ECS API
    model says: the rules read them as the API's shapes, so a wrong type is refused here,
    at its place, rather than failing inside a rule. (Values out of range, unknown keys
    and enums are T211's findings.)"""
    service_models = _SERVICE_MODELS or _service_models()
    problems = service_models.validate("ecs", "RegisterTaskDefinitionRequest", data)
    for pointer, message in problems:
        if service_models.is_structural_type_error(message):
            member = pointer.rsplit("/", 1)[-1] or "the task definition"
            raise fail(f"{member}: {message}", pointer)
    return not problems


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
        return TaskDefinitionFile(document, "/taskDefinition", register, remote, described=True)
    valid = _check_shape(document, "", data)
    return TaskDefinitionFile(document, "", data, remote, valid=valid)

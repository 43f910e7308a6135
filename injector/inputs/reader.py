"""From a path to what it holds: the one place that knows every input format.

Each format is a reader: a function from a loaded :class:`Document` to an
:class:`InputFile` (or None when the document is not of its format). A new format is one
module under ``inputs/`` and one entry in :data:`READERS`; the commands and the rules do
not change. A file holds any number of task definitions and App Mesh resources (a
template holds many); each task definition knows how to put its patches back into the
document (``TaskDefinitionFile.document_patch``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from meshify.injector.documents.document import Document
from meshify.injector.errors import InputError
from meshify.injector.inputs.appmesh_spec import SpecFile, load_spec
from meshify.injector.inputs.cloudformation import Template, read_template
from meshify.injector.inputs.task_definition import TaskDefinitionFile, is_taskdef, taskdef_from_document


@dataclass(slots=True)
class InputFile:
    """One file the user gave, and what meshify found in it."""

    document: Document
    task_definitions: list[TaskDefinitionFile] = field(default_factory=list)
    spec_files: list[SpecFile] = field(default_factory=list)
    # A CloudFormation template's meshes, services and wiring (inputs/mesh_from_files.py reads them).
    template: Template | None = None

    @property
    def path(self) -> str:
        return self.document.path


def _ecs_task_definition(document: Document) -> InputFile | None:
    if not is_taskdef(document.data):
        return None
    return InputFile(document, task_definitions=[taskdef_from_document(document)])


def _appmesh_spec(document: Document) -> InputFile | None:
    spec = load_spec(document)
    return None if spec is None else InputFile(document, spec_files=[spec])


def _cloudformation(document: Document) -> InputFile | None:
    template = read_template(document)
    if template is None:
        return None
    return InputFile(document, template.task_definitions, template.spec_files, template)


Reader = Callable[[Document], "InputFile | None"]
# In order: the first reader that recognises a document owns it.
READERS: list[Reader] = [_ecs_task_definition, _appmesh_spec, _cloudformation]


def recognise(document: Document) -> InputFile | None:
    """What the document holds, or None when it is none of meshify's formats."""
    for reader in READERS:
        found = reader(document)
        if found is not None:
            return found
    return None


def read_document(document: Document) -> InputFile:
    found = recognise(document)
    if found is not None:
        return found
    raise InputError("not a task definition, an App Mesh spec or a CloudFormation template "
                     "(no containerDefinitions, no spec, no Resources with a Type)", document.path, 1, 1)


def read_input(path: str, text: str | None = None) -> InputFile:
    """The file at ``path`` (or ``text`` as that file): every task definition and App Mesh
    resource in it; an :class:`InputError` when it is none of meshify's formats."""
    return read_document(Document.load(path, text))

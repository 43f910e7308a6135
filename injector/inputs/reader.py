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
from meshify.injector.inputs.ecs_service import EcsServiceFile, services_from_document
from meshify.injector.inputs.task_definition import TaskDefinitionFile, is_taskdef, taskdef_from_document


@dataclass(slots=True)
class InputFile:
    """One file the user gave, and what meshify found in it."""

    document: Document
    task_definitions: list[TaskDefinitionFile] = field(default_factory=list)
    spec_files: list[SpecFile] = field(default_factory=list)
    # A CloudFormation template's meshes, services and wiring (inputs/mesh_from_files.py reads them).
    template: Template | None = None
    services: list[EcsServiceFile] = field(default_factory=list)

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
    return InputFile(document, template.task_definitions, template.spec_files, template, template.services)


def _ecs_service(document: Document) -> InputFile | None:
    services = services_from_document(document)
    return InputFile(document, services=services) if services else None


Reader = Callable[[Document], "InputFile | None"]
# In order: the first reader that recognises a document owns it.
READERS: list[Reader] = [_ecs_task_definition, _ecs_service, _appmesh_spec, _cloudformation]


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
    raise InputError("not a task definition or an App Mesh spec (no containerDefinitions, no spec)", document.path, 1, 1)


def read_input(path: str, text: str | None = None) -> InputFile:
    """The file at ``path`` (or ``text`` as that file): every task definition and App Mesh
    resource in it; an :class:`InputError` when it is none of meshify's formats."""
    return read_document(Document.load(path, text))



# Below a directory given as a path: the files of these suffixes are read, the others skipped.
WALKED_SUFFIXES = (".json", ".yaml", ".yml", ".template", ".tpl")
SKIPPED_DIRECTORIES = frozenset({".git", "node_modules", ".terraform", ".venv", "__pycache__"})


@dataclass(slots=True)
class Walked:
    """A path to read, and whether it was found by walking a directory (then a file of no
    format meshify reads is skipped and counted, not an error)."""

    path: str
    walked: bool = False


def expand_paths(paths: list[str]) -> list[Walked]:
    """The paths given, each directory replaced by the files under it, in sorted order."""
    import os

    expanded: list[Walked] = []
    for path in paths:
        if not os.path.isdir(path):
            expanded.append(Walked(path))
            continue
        for root, directories, names in os.walk(path):
            directories[:] = sorted(d for d in directories if d not in SKIPPED_DIRECTORIES)
            expanded += [Walked(os.path.join(root, name), True) for name in sorted(names)]
    return expanded


def read_walked(walked: Walked) -> InputFile | None:
    """``read_input``, except that a walked file of no format meshify reads gives None."""
    if not walked.walked:
        return read_input(walked.path)
    if not walked.path.endswith(WALKED_SUFFIXES):
        return None
    return recognise(Document.load(walked.path))


def say_skipped(count: int) -> None:
    if count:
        import sys

        print(f"meshify: skipped {count} file(s) of the directories given that are none of meshify's formats",
              file=sys.stderr)

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
from typing import TYPE_CHECKING

from meshify.injector.documents.document import Document, read_text
from meshify.injector.errors import InputError
from meshify.injector.inputs.appmesh_spec import SpecFile, load_spec
from meshify.injector.inputs.task_definition import TaskDefinitionFile, is_taskdef, taskdef_from_document
from meshify.injector.model.mesh import FACTORY, Loc, Plain

if TYPE_CHECKING:  # each reader imports its format's module when it runs (start-up: a lint of task definitions)
    from meshify.injector.inputs.cloudformation import Template
    from meshify.injector.inputs.composex import ComposeFile
    from meshify.injector.inputs.ecs_service import EcsServiceFile


# Never compared (eq=False: no __eq__ compiled at start-up), as Walked below.
@dataclass(slots=True, eq=False, repr=False, init=False)
class InputFile(Plain):
    """One file the user gave, and what meshify found in it."""

    document: Document
    task_definitions: list[TaskDefinitionFile] = field(default_factory=list)
    spec_files: list[SpecFile] = field(default_factory=list)
    # A CloudFormation template's meshes, services and wiring (inputs/mesh_from_files.py reads them).
    template: Template | None = None
    services: list[EcsServiceFile] = field(default_factory=list)
    # A ComposeX compose file's mesh name and node claims (its specs are in spec_files).
    compose: ComposeFile | None = None

    def __init__(self, document: Document, task_definitions: list[TaskDefinitionFile] = FACTORY,
                 spec_files: list[SpecFile] = FACTORY, template: Template | None = None,
                 services: list[EcsServiceFile] = FACTORY, compose: ComposeFile | None = None) -> None:
        self.document = document
        self.task_definitions = [] if task_definitions is FACTORY else task_definitions
        self.spec_files = [] if spec_files is FACTORY else spec_files
        self.template = template
        self.services = [] if services is FACTORY else services
        self.compose = compose

    @property
    def path(self) -> str:
        return self.document.path

    @property
    def holds_app_mesh(self) -> bool:
        """Whether the file holds App Mesh resources (spec files, a template's mesh): without
        a manifest, they are the mesh."""
        return bool(self.spec_files) or (self.template is not None and bool(self.template.meshes))


def _ecs_task_definition(document: Document) -> InputFile | None:
    if not is_taskdef(document.data):
        return None
    return InputFile(document, task_definitions=[taskdef_from_document(document)])


def _appmesh_spec(document: Document) -> InputFile | None:
    spec = load_spec(document)
    if spec is None:
        return None
    _check_spec_types(spec)
    return InputFile(document, spec_files=[spec])


def _check_spec_types(spec: SpecFile) -> None:
    """A spec member of the wrong type (``"provider": "teller"``) as the App Mesh model
    says, refused at its place: the model is built from the spec as the API shapes it.
    (Ranges, enums and unknown keys are M106's findings.)"""
    from meshify.injector.inputs.appmesh_spec import KINDS
    from meshify.injector.model.service_models import is_structural_type_error, validate

    for pointer, message in validate("appmesh", KINDS[spec.kind][1], spec.spec):
        if is_structural_type_error(message):
            member = pointer.rsplit("/", 1)[-1] or "spec"
            raise Loc(spec.document, spec.base + pointer).error(f"{member}: {message}")


def _cloudformation(document: Document) -> InputFile | None:
    from meshify.injector.inputs.cloudformation import read_template

    template = read_template(document)
    if template is None:
        return None
    return InputFile(document, template.task_definitions, template.spec_files, template, template.services)


def _ecs_service(document: Document) -> InputFile | None:
    from meshify.injector.inputs.ecs_service import services_from_document

    services = services_from_document(document)
    return InputFile(document, services=services) if services else None


def _terraform(document: Document) -> InputFile | None:
    from meshify.injector.inputs import terraform

    if not terraform.is_terraform(document.data):
        return None
    task_files, referenced = terraform.task_definitions(document)
    for reference in referenced:
        try:
            array = Document.load(reference.path)
        except InputError as error:
            if error.message != "no such file":
                raise
            raise Loc(document, reference.pointer).error(f"{reference.path}: no such file") from None
        if not terraform.is_container_array(array.data):
            raise InputError("not a container definitions array (a JSON array of objects with name and image)",
                             array.path, 1, 1)
        task_files.append(terraform.container_array(array, reference.owner))
    return InputFile(document, task_definitions=task_files, spec_files=terraform.spec_files(document),
                     services=terraform.services(document))


def _container_array(document: Document) -> InputFile | None:
    from meshify.injector.inputs import terraform

    if not terraform.is_container_array(document.data):
        return None
    return InputFile(document, task_definitions=[terraform.container_array(document)])


def _composex(document: Document) -> InputFile | None:
    from meshify.injector.inputs.composex import read_compose

    compose = read_compose(document)
    return None if compose is None else InputFile(document, spec_files=compose.spec_files, compose=compose)


Reader = Callable[[Document], "InputFile | None"]
# In order: the first reader that recognises a document owns it.
READERS: list[Reader] = [_ecs_task_definition, _ecs_service, _appmesh_spec, _cloudformation, _composex, _terraform,
                         _container_array]


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


# ``--skip-unknown`` (the pre-commit hooks, which are given every JSON and YAML file of a
# repository): a file is skipped, silently, unless it mentions one of these words, which
# no input of meshify's formats can do without (a reader for a new format adds its own).
# A file that mentions one is read; it is skipped if no reader recognises it, and its
# errors are reported only if it mentions one of the STRONG_MARKERS, so that a broken
# package.json or a Helm template never fails a commit but a broken task definition does.
STRONG_MARKERS: list[str] = ["containerDefinitions", "ContainerDefinitions", "container_definitions",
                             "meshName", "MeshName", "mesh_name", "x-appmesh", "aws_ecs_task_definition", "aws_appmesh_",
                             "AWS::ECS::TaskDefinition", "AWS::AppMesh::"]
MARKERS: list[str] = [*STRONG_MARKERS, "spec", "serviceName", "taskDefinition", "aws_ecs_service", "AWS::ECS::Service"]


def read_input(path: str, text: str | None = None) -> InputFile:
    """The file at ``path`` (or ``text`` as that file): every task definition and App Mesh
    resource in it; an :class:`InputError` when it is none of meshify's formats."""
    return read_document(Document.load(path, text))


def distinct(task_files: list[TaskDefinitionFile]) -> list[TaskDefinitionFile]:
    """Each task definition once: a container file given on its own and also read through
    the ``.tf`` given beside it is the ``.tf``'s (which knows its task-level fields)."""
    import os

    real: dict[str, str] = {}  # resolved once per path (a template holds several task definitions)
    # A template's conditions may choose its containers several ways: each is one (cloudformation.Choice).
    keys = [(real.get(t.path) or real.setdefault(t.path, os.path.realpath(t.path)), t.base, getattr(t, "choice", None))
            for t in task_files]
    owned = {key for t, key in zip(task_files, keys, strict=True) if getattr(t, "owner", None) is not None}
    kept, seen = [], set()
    for task_file, key in zip(task_files, keys, strict=True):
        if (key in owned and getattr(task_file, "owner", None) is None) or key in seen:
            continue
        seen.add(key)
        kept.append(task_file)
    return kept


def read_if_known(path: str, text: str | None = None) -> InputFile | None:
    """As :func:`read_input`, but None for a file that is none of meshify's formats (see
    :data:`MARKERS`): what ``--skip-unknown`` reads."""
    text = read_text(path) if text is None else text
    if not any(marker in text for marker in MARKERS):
        return None
    try:
        return recognise(Document.load(path, text))
    except InputError:
        if any(marker in text for marker in STRONG_MARKERS):
            raise
        return None

# Below a directory given as a path: the files of these suffixes are read, the others skipped.
WALKED_SUFFIXES = (".json", ".yaml", ".yml", ".template", ".tpl", ".tf")
SKIPPED_DIRECTORIES = frozenset({".git", "node_modules", ".terraform", ".venv", "__pycache__"})


@dataclass(slots=True, eq=False, repr=False, init=False)
class Walked(Plain):
    """A path to read, and whether it was found by walking a directory (then a file of no
    format meshify reads is skipped and counted, not an error)."""

    path: str
    walked: bool = False

    def __init__(self, path: str, walked: bool = False) -> None:
        self.path = path
        self.walked = walked


# A directory argument is bounded: never an endless walk (a home directory given by mistake).
MAX_WALKED_FILES = 10_000


def expand_paths(paths: list[str]) -> list[Walked]:
    """The paths given, each directory replaced by the files under it, in sorted order."""
    import os

    expanded: list[Walked] = []
    for path in paths:
        if not os.path.isdir(path):
            expanded.append(Walked(path))
            continue
        walked = 0
        for root, directories, names in os.walk(path):
            directories[:] = sorted(d for d in directories if d not in SKIPPED_DIRECTORIES)
            walked += len(names)
            if walked > MAX_WALKED_FILES:
                raise InputError(f"more than {MAX_WALKED_FILES:,} files: give the files or a smaller directory", path)
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

"""What each scope of rules is given to check: one typed context per :class:`Scope`."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from meshify.injector.model.mesh import FACTORY, Gateway, Loc, Mesh, Node, Plain

if TYPE_CHECKING:  # typing only: the live modules belong to the commands that talk to AWS
    from meshify.injector.aws.live import LiveMesh, LivePlaceholders
    from meshify.injector.inputs.appmesh_spec import SpecFile
    from meshify.injector.inputs.task_definition import TaskDefinitionFile
    from meshify.injector.model.ecs_service import EcsService
    from meshify.injector.model.migration import MigrationPlan, StandIn


# The facts a context derives from its document, which a rule's ``reads`` may name instead
# of what computing them reads (registry.py): per scope, each fact's own reads. ``runner.fix``
# computes a fact again after a fix that wrote where it reads, and a rule that asks it is
# checked again only if its value changed. Held to what the computation reads by
# tests/engine/test_rule_reads.py.
_ENVOY_READS = ("/containerDefinitions/*/name", "/containerDefinitions/*/image", "/proxyConfiguration/containerName")
FACTS: dict[str, dict[str, tuple[str, ...]]] = {
    "taskdef": {
        "envoy": _ENVOY_READS,  # envoy_index()
        "bypassing": (*_ENVOY_READS, "/containerDefinitions/*/user", "/containerDefinitions/*/portMappings",
                      "/proxyConfiguration/properties"),  # bypassing_sidecars()
    },
}


# model.task_definition, imported on its first use (start-up: not every command reads a task
# definition) and kept here: on Python 3.11 a ``from ... import`` in a function costs about
# 8,000 instructions at every call (the module has no ``__path__``: an AttributeError is built
# and dropped), and the facts below are computed several times a file.
_TASK_DEFINITION: Any = None


def _task_definition() -> Any:
    global _TASK_DEFINITION
    from meshify.injector.model import task_definition

    _TASK_DEFINITION = task_definition
    return task_definition


# Contexts are never compared (eq=False): no __eq__ compiled for each at start-up.
@dataclass(slots=True, eq=False, repr=False, init=False)
class TaskContext(Plain):
    """One task definition claimed by a node or gateway of the mesh."""

    mesh: Mesh
    claimant: Node | Gateway
    taskdef: dict[str, Any]
    locate: Callable[[str], Loc]
    # find_envoy's answer for the current taskdef: asked by about a dozen rules per file,
    # changed only by a fix (runner.fix calls changed()).
    _envoy: int | bool | None = field(default=False, repr=False, compare=False)
    _bypassing: set[int] | None = field(default=None, repr=False, compare=False)  # as _envoy
    # proxy_properties(taskdef), asked by T204-T206 and the ignored UID: forgotten after any edit.
    _properties: dict[str, tuple[int, str]] | None = field(default=None, repr=False, compare=False)
    # ``taskdef`` is known to be valid RegisterTaskDefinition input (the reader validated it
    # as read): T211 does not validate it again. Forgotten when a fix edits it.
    known_valid: bool = field(default=False, repr=False, compare=False)

    def __init__(self, mesh: Mesh, claimant: Node | Gateway, taskdef: dict[str, Any], locate: Callable[[str], Loc],
                 _envoy: int | bool | None = False, _bypassing: set[int] | None = None,
                 _properties: dict[str, tuple[int, str]] | None = None, known_valid: bool = False) -> None:
        self.mesh = mesh
        self.claimant = claimant
        self.taskdef = taskdef
        self.locate = locate
        self._envoy = _envoy
        self._bypassing = _bypassing
        self._properties = _properties
        self.known_valid = known_valid

    def changed(self, facts: Collection[str] | None = None) -> None:
        """``taskdef`` was edited (a fix was applied): forget what was derived from it (of
        the facts, only ``facts``, when the caller knows the edit was nowhere else the others
        read); its proxy properties and its validity whatever the edit."""
        if facts is None or "envoy" in facts:
            self._envoy = False
        if facts is None or "bypassing" in facts:
            self._bypassing = None
        self._properties = None
        self.known_valid = False

    def fact(self, name: str) -> object:
        """The value of one of ``FACTS["taskdef"]``."""
        return self.envoy_index() if name == "envoy" else self.bypassing_sidecars()

    @property
    def is_gateway(self) -> bool:
        return isinstance(self.claimant, Gateway)

    @property
    def resource_label(self) -> str:
        claimant = self.claimant  # is_gateway's test inline: a frame less (lint's T201 message, every bare file)
        return f"gateway `{claimant.name}`" if isinstance(claimant, Gateway) else f"node `{claimant.name}`"

    @property
    def containers(self) -> list[dict[str, Any]]:
        return self.taskdef.get("containerDefinitions") or []

    def envoy_index(self) -> int | None:
        if self._envoy is False:
            self._envoy = (_TASK_DEFINITION or _task_definition()).find_envoy(
                self.taskdef, self.mesh.envoy.container_name, self.is_gateway)
        return self._envoy  # False is "not asked yet", never returned

    def ignored_uid(self) -> str | None:
        """The UID the proxy lets through: ``IgnoredUID``, else the manifest's Envoy user;
        None on a gateway's task (no proxy there)."""
        if self.is_gateway:
            return None
        return self.proxy_properties().get("IgnoredUID", (0, ""))[1] or self.mesh.envoy.user

    def proxy_properties(self) -> dict[str, tuple[int, str]]:
        """``model.task_definition.proxy_properties`` of ``taskdef``, computed once until an
        edit (changed()); the rules only read it."""
        if self._properties is None:
            self._properties = (_TASK_DEFINITION or _task_definition()).proxy_properties(self.taskdef)
        return self._properties

    def bypassing_sidecars(self) -> set[int]:
        """Sidecars running as the ignored UID with no listener port (an X-Ray daemon as AWS
        documents it): their traffic bypasses Envoy on purpose."""
        if self._bypassing is None:
            envoy = self.envoy_index()
            if len(self.containers) - (envoy is not None) < 2:  # Envoy and the application at most: none
                self._bypassing = set()
                return self._bypassing
            ports = {listener.port for listener in self.claimant.listeners}
            self._bypassing = (_TASK_DEFINITION or _task_definition()).bypassing_sidecars(
                self.taskdef, envoy, self.ignored_uid(), ports)
        return self._bypassing


@dataclass(slots=True, eq=False, repr=False, init=False)
class PolicyContext(Plain):
    """An IAM policy document meant for the task role of a claimed task definition."""

    mesh: Mesh
    claimant: Node | Gateway
    policy: dict[str, Any]
    locate: Callable[[str], Loc]

    def __init__(self, mesh: Mesh, claimant: Node | Gateway, policy: dict[str, Any],
                 locate: Callable[[str], Loc]) -> None:
        self.mesh = mesh
        self.claimant = claimant
        self.policy = policy
        self.locate = locate

    def changed(self, facts: Collection[str] | None = None) -> None:
        """``policy`` was edited: nothing is derived from it."""

    def fact(self, name: str) -> object:
        raise KeyError(name)  # a policy has no FACTS


@dataclass(slots=True, eq=False, repr=False, init=False)
class UnclaimedContext(Plain):
    """A task definition that no node or gateway of the mesh claims."""

    mesh: Mesh
    taskdef: dict[str, Any]
    locate: Callable[[str], Loc]

    def __init__(self, mesh: Mesh, taskdef: dict[str, Any], locate: Callable[[str], Loc]) -> None:
        self.mesh = mesh
        self.taskdef = taskdef
        self.locate = locate


@dataclass(slots=True, eq=False, repr=False, init=False)
class LiveContext(Plain):
    """The manifest's mesh next to what the AWS account holds (``lint --live``)."""

    mesh: Mesh
    live: LiveMesh
    placeholders: LivePlaceholders

    def __init__(self, mesh: Mesh, live: LiveMesh, placeholders: LivePlaceholders) -> None:
        self.mesh = mesh
        self.live = live
        self.placeholders = placeholders


@dataclass(slots=True, eq=False, repr=False, init=False)
class MeshContext(Plain):
    """The mesh: the manifest's model, with the App Mesh spec files given merged in."""

    mesh: Mesh
    spec_files: list[SpecFile] = field(default_factory=list)
    # With a manifest: the mesh the templates' App Mesh resources describe, compared by M119.
    file_mesh: Mesh | None = None

    def __init__(self, mesh: Mesh, spec_files: list[SpecFile] = FACTORY, file_mesh: Mesh | None = None) -> None:
        self.mesh = mesh
        self.spec_files = [] if spec_files is FACTORY else spec_files
        self.file_mesh = file_mesh


@dataclass(slots=True, eq=False, repr=False, init=False)
class ServiceContext(Plain):
    """One ECS service definition, with its task definition when the run has it (by family)
    and every service of the run (itself included), for what must be unique in a namespace."""

    mesh: Mesh
    service: EcsService
    taskdef: dict[str, Any] | None
    locate_taskdef: Callable[[str], Loc] | None
    services: list[EcsService]

    def __init__(self, mesh: Mesh, service: EcsService, taskdef: dict[str, Any] | None,
                 locate_taskdef: Callable[[str], Loc] | None, services: list[EcsService]) -> None:
        self.mesh = mesh
        self.service = service
        self.taskdef = taskdef
        self.locate_taskdef = locate_taskdef
        self.services = services

    @property
    def locate(self) -> Callable[[str], Loc]:
        return self.service.locate


@dataclass(slots=True, eq=False, repr=False, init=False)
class MigrationContext(Plain):
    """The mesh on its way to ECS Service Connect (``meshify migrate``): the model, the task
    definitions and ECS service definitions given, and the plan of what each becomes."""

    mesh: Mesh
    task_files: list[TaskDefinitionFile] = field(default_factory=list)
    services: list[EcsService] = field(default_factory=list)  # the ECS service definitions given
    namespace: str | None = None
    # virtual service name -> the stand-in meshify init wrote for a name only the stack knows
    stand_ins: dict[str, StandIn] = field(default_factory=dict)
    _plan: MigrationPlan | None = field(default=None, repr=False)

    def __init__(self, mesh: Mesh, task_files: list[TaskDefinitionFile] = FACTORY, services: list[EcsService] = FACTORY,
                 namespace: str | None = None, stand_ins: dict[str, StandIn] = FACTORY,
                 _plan: MigrationPlan | None = None) -> None:
        self.mesh = mesh
        self.task_files = [] if task_files is FACTORY else task_files
        self.services = [] if services is FACTORY else services
        self.namespace = namespace
        self.stand_ins = {} if stand_ins is FACTORY else stand_ins
        self._plan = _plan

    @property
    def plan(self) -> MigrationPlan:
        if self._plan is None:
            from meshify.injector.model.migration import plan

            self._plan = plan(self.mesh, self.namespace, self.services, self.stand_ins)
        return self._plan

    def claimed(self) -> list[tuple[TaskDefinitionFile, Node | Gateway]]:
        """Each task definition given with the node or gateway that claims it."""
        found = []
        for task_file in self.task_files:
            claims = self.mesh.claims_for(task_file.family, task_file.resource)
            if claims:
                found.append((task_file, claims[0]))
        return found

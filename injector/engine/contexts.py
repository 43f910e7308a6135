"""What each scope of rules is given to check: one typed context per :class:`Scope`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from meshify.injector.model.ecs_service import EcsService
from meshify.injector.model.mesh import Gateway, Loc, Mesh, Node

if TYPE_CHECKING:  # typing only: the live modules belong to the commands that talk to AWS
    from meshify.injector.aws.live import LiveMesh, LivePlaceholders
    from meshify.injector.inputs.appmesh_spec import SpecFile


@dataclass(slots=True)
class TaskContext:
    """One task definition claimed by a node or gateway of the mesh."""

    mesh: Mesh
    claimant: Node | Gateway
    taskdef: dict[str, Any]
    locate: Callable[[str], Loc]

    @property
    def is_gateway(self) -> bool:
        return isinstance(self.claimant, Gateway)

    @property
    def resource_label(self) -> str:
        kind = "gateway" if self.is_gateway else "node"
        return f"{kind} `{self.claimant.name}`"

    @property
    def containers(self) -> list[dict[str, Any]]:
        return self.taskdef.get("containerDefinitions") or []

    def envoy_index(self) -> int | None:
        from meshify.injector.model.task_definition import find_envoy

        return find_envoy(self.taskdef, self.mesh.envoy.container_name, self.is_gateway)


@dataclass(slots=True)
class PolicyContext:
    """An IAM policy document meant for the task role of a claimed task definition."""

    mesh: Mesh
    claimant: Node | Gateway
    policy: dict[str, Any]
    locate: Callable[[str], Loc]


@dataclass(slots=True)
class UnclaimedContext:
    """A task definition that no node or gateway of the mesh claims."""

    mesh: Mesh
    taskdef: dict[str, Any]
    locate: Callable[[str], Loc]


@dataclass(slots=True)
class LiveContext:
    """The manifest's mesh next to what the AWS account holds (``lint --live``)."""

    mesh: Mesh
    live: LiveMesh
    placeholders: LivePlaceholders


@dataclass(slots=True)
class MeshContext:
    """The mesh: the manifest's model, with the App Mesh spec files given merged in."""

    mesh: Mesh
    spec_files: list[SpecFile] = field(default_factory=list)
    # With a manifest: the mesh the templates' App Mesh resources describe, compared by M119.
    file_mesh: Mesh | None = None


@dataclass(slots=True)
class ServiceContext:
    """One ECS service definition, with its task definition when the run has it (by family)
    and every service of the run (itself included), for what must be unique in a namespace."""

    mesh: Mesh
    service: EcsService
    taskdef: dict[str, Any] | None
    locate_taskdef: Callable[[str], Loc] | None
    services: list[EcsService]

    @property
    def locate(self) -> Callable[[str], Loc]:
        return self.service.locate

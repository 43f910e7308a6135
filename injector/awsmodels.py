"""The botocore service models that ship with boto3: the authority on every App Mesh and
ECS shape, enum and limit. Loaded on demand (botocore is not imported at start-up)."""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def shapes(service: str) -> dict[str, Any]:
    """The ``shapes`` of a service model (``appmesh``, ``ecs``, ``iam``, ...)."""
    from botocore.loaders import Loader

    return Loader().load_service_model(service, "service-2")["shapes"]


@cache
def service_model(service: str) -> Any:
    """A botocore ``ServiceModel`` for botocore's own validator."""
    from botocore.loaders import Loader
    from botocore.model import ServiceModel

    return ServiceModel(Loader().load_service_model(service, "service-2"), service_name=service)


def enum(service: str, shape: str) -> list[str]:
    return list(shapes(service)[shape]["enum"])


def limits(service: str, shape: str) -> tuple[int | None, int | None]:
    definition = shapes(service)[shape]
    return definition.get("min"), definition.get("max")

"""Task definitions that live in ECS rather than in files: ``ecs:FAMILY``,
``ecs:FAMILY:REVISION`` or a task definition ARN. Read as ``describe-task-definition``
output (tags included), so the rest of meshify treats them like such a file."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # lint asks is_ecs_reference of every path: the rest only when a reference is read
    from meshify.injector.aws.session import AwsOptions
    from meshify.injector.documents.document import Document

_ARN = re.compile(r"^arn:[^:]+:ecs:([^:]+):\d{12}:task-definition/.+")


def is_ecs_reference(text: str) -> bool:
    return text.startswith("ecs:") or bool(_ARN.match(text))


def _ecs(reference: str, options: AwsOptions, default_region: str) -> Any:
    """An ECS client in the region an ARN names, else the given or configured one."""
    from meshify.injector.aws.session import AwsOptions, client

    match = _ARN.match(reference)
    region = options.region or (match.group(1) if match else None)
    return client("ecs", AwsOptions(options.profile, region), default_region)


def read_ecs_document(reference: str, options: AwsOptions, default_region: str) -> Document:
    from meshify.injector.aws.session import call
    from meshify.injector.documents.document import Document

    ecs = _ecs(reference, options, default_region)
    name = reference.removeprefix("ecs:")
    answer = call(ecs, "describe_task_definition", taskDefinition=name, include=["TAGS"])
    described: dict[str, Any] = {"taskDefinition": answer["taskDefinition"], "tags": answer.get("tags") or []}
    return Document.load(reference, json.dumps(described, indent=2, default=str) + "\n")


def register(document_data: dict[str, Any], reference: str, options: AwsOptions, default_region: str) -> str:
    """Register ``document_data`` as a new revision; its ARN."""
    from meshify.injector.aws.session import call

    ecs = _ecs(reference, options, default_region)
    return call(ecs, "register_task_definition", **document_data)["taskDefinition"]["taskDefinitionArn"]

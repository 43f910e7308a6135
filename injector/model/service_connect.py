"""What Service Connect accepts beyond what the ``ecs`` model's shapes encode: the name
rules its documentation states (``research/migration-and-formats.md`` §1.7). The lengths
are read from the model's own documentation strings, so a change there shows up here;
the character rules are the documentation's words as patterns."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from meshify.injector.model.service_models import enum, shapes

# "lowercase letters, numbers, underscores (_), and hyphens (-). The name can't start with a hyphen."
NAME_PATTERN = re.compile(r"^(?!-)[a-z0-9_-]+$")
# dnsName: the same, and periods (.).
DNS_PATTERN = re.compile(r"^(?!-)[a-z0-9_.-]+$")
NAME_WORDS = "lowercase letters, digits, `_` and `-`, not starting with `-`"
DNS_WORDS = "lowercase letters, digits, `_`, `-` and `.`, not starting with `-`"


@cache
def documented_length(shape: str, member: str) -> int:
    """The "up to N characters" of a member's documentation in the ``ecs`` model."""
    documentation = shapes("ecs")[shape]["members"][member].get("documentation", "")
    match = re.search(r"up to (\d+) characters", documentation)
    if match is None:
        raise RuntimeError(f"the ecs model no longer documents the length of {shape}.{member}")
    return int(match.group(1))


def name_problem(value: Any, shape: str, member: str, dns: bool = False) -> str | None:
    """Why ``value`` is not a valid Service Connect name, or None."""
    if not isinstance(value, str):
        return None  # the model's type check (T211, CreateService validation) says it
    limit = documented_length(shape, member)
    if len(value) > limit:
        return f"is {len(value)} characters long, more than the {limit} ECS allows"
    pattern, words = (DNS_PATTERN, DNS_WORDS) if dns else (NAME_PATTERN, NAME_WORDS)
    if not pattern.match(value):
        return f"may only hold {words}"
    return None


def app_protocols() -> list[str]:
    """``portMappings[].appProtocol`` values; a port without one is TCP to Service Connect."""
    return enum("ecs", "ApplicationProtocol")


def unsupported_controllers() -> list[str]:
    """Deployment controllers Service Connect does not support: all but ECS's own."""
    return [kind for kind in enum("ecs", "DeploymentControllerType") if kind != "ECS"]


def network_mode(taskdef: dict[str, Any], service: dict[str, Any]) -> str:
    """The network mode the task runs in: its own, else ECS's default (awsvpc on Fargate, bridge elsewhere)."""
    mode = taskdef.get("networkMode")
    if isinstance(mode, str):
        return mode
    fargate = "FARGATE" in (taskdef.get("requiresCompatibilities") or []) or service.get("launchType") == "FARGATE"
    return "awsvpc" if fargate else "bridge"

"""``meshify inject``: from task definition files and the mesh model to patches and texts.

Nothing here writes; the CLI decides what to print or write once every input has loaded,
so that bad input never leaves a file half-changed.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from . import engine
from .errors import InputError
from .model import Gateway, Loc, Mesh, Node
from .source import Document
from .taskdef import TaskDefinitionFile


@dataclass(slots=True)
class Injection:
    """What inject makes of one task definition file."""

    source: TaskDefinitionFile
    claimant: Node | Gateway | None
    patch: list[dict[str, Any]] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        """Whether the file would change (a described file is rewritten in register shape)."""
        return bool(self.patch) or (self.source.described and not self.source.remote)

    def old_text(self) -> str:
        """What the new text is compared with: the file, or the task definition read from ECS."""
        return self.source.document.dump(self.source.data) if self.source.remote else self.source.document.text

    def new_text(self) -> str:
        text = self.source.render(self.patch)
        _verify(self, text)
        return text


def _verify(injection: Injection, text: str) -> None:
    """The rendered text must parse to exactly the patched data: a cheap guard that the
    format-preserving editors did what the patch says."""
    import jsonpatch

    expected = jsonpatch.apply_patch(injection.source.data, injection.patch)
    reparsed = Document.load(injection.source.path, text).data
    if reparsed != expected:
        raise RuntimeError(f"{injection.source.path}: the rewritten text does not match the patch")


def claimant_for(mesh: Mesh, source: TaskDefinitionFile, node_name: str | None) -> Node | Gateway | None:
    if node_name is not None:
        resource = mesh.resource(node_name)
        if resource is None:
            raise InputError(f"--node: the manifest has no node or gateway named {node_name!r}")
        return resource
    if source.family is None:
        return None
    claims = mesh.claims_of(source.family)
    if len(claims) > 1:
        second = claims[1]
        raise next(f.loc for f in second.families if f.name == source.family).error(
            f"family {source.family!r} is claimed by both {claims[0].kind} {claims[0].name!r} and "
            f"{second.kind} {second.name!r}; give --node")
    return claims[0] if claims else None


def _rules(scope: str) -> list[engine.Rule]:
    return [rule for rule in engine.all_rules().values() if rule.scope == scope and rule.fixable]


def _unfixed_errors(context: engine.TaskContext) -> list[engine.Finding]:
    return [found for found in engine.run(_rules("taskdef"), context) if found.severity == "error" and not found.fix]


def inject(mesh: Mesh, source: TaskDefinitionFile, node_name: str | None = None) -> Injection:
    claimant = claimant_for(mesh, source, node_name)
    if claimant is None:
        return Injection(source, None)
    context = engine.TaskContext(mesh, claimant, copy.deepcopy(source.data), source.loc)
    patch = engine.fix(_rules("taskdef"), context, "taskdef")
    blocking = _unfixed_errors(context)
    if blocking:
        raise blocking[0].loc.error(f"cannot inject: {blocking[0].rule} {blocking[0].message}")
    return Injection(source, claimant, patch)


# ---------------------------------------------------------------------------------------
# The task role policy


@dataclass(slots=True)
class PolicyFile:
    path: str
    document: Document | None  # None: the file does not exist yet
    policy: dict[str, Any]
    patch: list[dict[str, Any]] = field(default_factory=list)

    def new_text(self) -> str:
        if self.document is None:
            import jsonpatch

            return json.dumps(jsonpatch.apply_patch(self.policy, self.patch), indent=2) + "\n"
        return self.document.render(self.patch)


def load_policy(path: str) -> PolicyFile:
    """The policy file, or an empty policy when the file does not exist yet."""
    try:
        document = Document.load(path)
    except InputError as error:
        if error.message == "no such file":
            return PolicyFile(path, None, {"Version": "2012-10-17", "Statement": []})
        raise
    if not isinstance(document.data, dict):
        raise InputError("not an IAM policy document (expected a mapping with Statement)", path, 1, 1)
    return PolicyFile(path, document, document.data)


def policy_patch(mesh: Mesh, policy: PolicyFile, claimants: list[Node | Gateway]) -> None:
    """Add to ``policy.patch`` what the task role needs for every claimant."""
    import jsonpatch

    current = jsonpatch.apply_patch(policy.policy, policy.patch)  # a copy: the file's data stays as read
    for claimant in claimants:
        context = engine.PolicyContext(mesh, claimant, current, lambda pointer: Loc(policy.document, pointer))
        policy.patch += engine.fix(_rules("policy"), context, "policy")
        current = context.policy


def policy_document(mesh: Mesh, claimants: list[Node | Gateway]) -> dict[str, Any]:
    """The policy document printed when no ``--policy`` file is given."""
    from .envoy import policy_statements

    statements: list[dict[str, Any]] = []
    for claimant in claimants:
        statements += [s for s in policy_statements(mesh, claimant) if s not in statements]
    return {"Version": "2012-10-17", "Statement": statements}

"""The task role's IAM policy document (``--policy FILE``): read it, or start an empty one
when the file does not exist yet."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from meshify.injector.documents.document import Document
from meshify.injector.errors import InputError


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

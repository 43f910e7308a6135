"""Unknown values: what cannot be known from the files alone (formats.md, "References and
unknown values"). No rule fires on an unknown, and no editor overwrites one the user wrote.

The Terraform reader puts a ``documents.unknown.Unknown`` where the value would be; a
CloudFormation template keeps an intrinsic function it does not determine in its long form
(``{"Ref": "EnvoyImage"}``, ``{"Fn::Sub": "..."}``); a plain JSON or YAML file writes
template placeholders as strings. All answer to :func:`is_unknown`, so that rules and
editors ask one question.
"""

from __future__ import annotations

import re

from meshify.injector.documents.unknown import Unknown

# Template placeholders: ``${NAME}`` (shell, envsubst, Terraform's templatefile), ``<NAME>``
# (the App Mesh user guide's <IMAGE1_NAME>), ``{{ name }}`` (Jinja, Helm, Copilot), jq's
# ``$NAME``: anywhere in a string (a placeholder inside an image name is still unknown).
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|<[A-Za-z_][A-Za-z0-9_.-]*>|\{\{.*?\}\}|(?<![A-Za-z0-9$])\$[A-Za-z_][A-Za-z0-9_]*")


def is_intrinsic(value: object) -> bool:
    """A CloudFormation intrinsic function in its long form: ``{"Ref": ...}``,
    ``{"Fn::X": ...}`` or a condition's ``{"Condition": ...}``."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    function = next(iter(value))
    return isinstance(function, str) and (function in ("Ref", "Condition") or function.startswith("Fn::"))


def is_unknown(value: object) -> bool:
    """Whether ``value`` cannot be known from the files: an :class:`Unknown`, a
    CloudFormation intrinsic function, or a string holding a template placeholder."""
    if isinstance(value, str):
        # Every placeholder holds a "$", a "<" or a "{{": most strings are answered without the search.
        return ("$" in value or "<" in value or "{{" in value) and _PLACEHOLDER.search(value) is not None
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return is_intrinsic(value)
    return False


def comparable(value: object, template: str | None) -> object | None:
    """What ``value`` is compared by when the plan asks whether two names are one (versions
    of one service): a CloudFormation intrinsic as its expression together with the template
    that writes it, since one expression in one template is one value in the stack
    (``!GetAtt ColorServiceRegistry.Name`` twice is the same name); a string as itself (a
    placeholder written twice is filled the same way); None for any other unknown (a
    Terraform expression, an intrinsic read from no template), which matches nothing."""
    if isinstance(value, str) and not isinstance(value, Unknown):
        return value
    if isinstance(value, dict) and is_intrinsic(value) and template is not None:
        import json

        return ("intrinsic", template, json.dumps(value, sort_keys=True))
    return None

"""Values the files alone cannot give (``formats.md``, "References and unknown values").

A reader leaves such a value as written: a CloudFormation intrinsic function that the
template does not determine stays in its long form (``{"Ref": "EnvoyImage"}``,
``{"Fn::Sub": "..."}``). No rule judges an unknown, and no fix overwrites one.
"""

from __future__ import annotations

from typing import Any


def is_unknown(value: Any) -> bool:
    """Whether ``value`` is a value only the deployment knows."""
    if not isinstance(value, dict) or len(value) != 1:
        return False
    function = next(iter(value))
    return isinstance(function, str) and (function in ("Ref", "Condition") or function.startswith("Fn::"))

"""Reporters: findings as text (one per line), JSON, or GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence

from .lint import Located


def text(findings: Sequence[Located]) -> str:
    return "".join(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.severity}: {f.message}\n" for f in findings)


def as_json(findings: Sequence[Located]) -> str:
    return json.dumps([{"path": f.path, "line": f.line, "column": f.column, "rule": f.rule,
                        "severity": f.severity, "message": f.message} for f in findings], indent=2) + "\n"


_GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_value else value


def github(findings: Sequence[Located]) -> str:
    """GitHub Actions workflow commands (``::error file=...,line=...::message``)."""
    return "".join(
        f"::{_GITHUB_LEVELS[f.severity]} file={_escape(f.path, True)},line={f.line},col={f.column},"
        f"title={_escape(f.rule, True)}::{_escape(f.message)}\n" for f in findings)


FORMATS = {"text": text, "json": as_json, "github": github}

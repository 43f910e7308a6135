"""Reporters: findings as text (one per line), JSON, or GitHub workflow annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring_ascii  # the C function where there is one
from typing import TYPE_CHECKING, Any

from meshify.injector.engine.findings import Located

if TYPE_CHECKING:
    from meshify.injector.errors import FileError

_COLOURS = {"error": "\033[1;31m", "warning": "\033[33m", "info": "\033[36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def text(findings: Sequence[Located], styled: bool = False) -> str:
    """``path:line:col: ID severity: message``; for a terminal, coloured and aligned."""
    if not styled:
        return "".join(f"{f.path}:{f.line}:{f.column}: {f.rule} {f.severity}: {f.message}\n" for f in findings)
    places = [f"{f.path}:{f.line}:{f.column}:" for f in findings]
    width = max(map(len, places), default=0)
    return "".join(
        f"{_DIM}{place:<{width}}{_RESET} {_BOLD}{f.rule}{_RESET} {_COLOURS[f.severity]}{f.severity + ':':<8}{_RESET} "
        f"{f.message}\n" for place, f in zip(places, findings, strict=True))


def printable(output: str) -> str:
    """``output`` with what no encoding can write (a lone surrogate from a JSON ``\\ud800``
    escape or an undecodable file name) as a backslash escape, so that a finding quoting
    it is printed instead of failing the whole report."""
    if output.isascii():  # the common case, without a copy of a report that may be large
        return output
    try:
        output.encode("utf-8")
    except UnicodeEncodeError:
        return output.encode("utf-8", "backslashreplace").decode("utf-8")
    return output


def styled_output(stream: object) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set (no-color.org)."""
    import os

    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


def as_json(findings: Sequence[Located]) -> str:
    """``json.dumps`` of the findings as objects, ``indent=2``, byte for byte: written here,
    each string by the encoder's own C function, because an indented ``json.dumps`` runs the
    standard library's pure-Python encoder (about 45k instructions a finding)."""
    if not findings:
        return "[]\n"
    quote = encode_basestring_ascii
    return "[\n" + ",\n".join(
        f'  {{\n    "path": {quote(f.path)},\n    "line": {int.__repr__(f.line)},\n    "column": {int.__repr__(f.column)},'
        f'\n    "rule": {quote(f.rule)},\n    "severity": {quote(f.severity)},\n    "message": {quote(f.message)}\n  }}'
        for f in findings) + "\n]\n"


_GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _escape(value: str, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return value.replace(":", "%3A").replace(",", "%2C") if property_value else value


def github(findings: Sequence[Located], errors: Sequence[FileError] = ()) -> str:
    """GitHub Actions workflow commands (``::error file=...,line=...::message``); after the
    findings, each file that could not be used (``errors``), titled ``meshify``."""
    return "".join(
        f"::{_GITHUB_LEVELS[f.severity]} file={_escape(f.path, True)},line={f.line},col={f.column},"
        f"title={_escape(f.rule, True)}::{_escape(f.message)}\n" for f in findings) + "".join(
        f"::error file={_escape(e.path, True)}{_github_place(e)},title=meshify::{_escape(e.message)}\n" for e in errors)


def _github_place(error: FileError) -> str:
    return "".join(f",{key}={value}" for key, value in (("line", error.line), ("col", error.column)) if value is not None)




_SARIF_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _artifact(path: str) -> dict[str, str]:
    """A SARIF artifact location: relative to the source root where possible."""
    from pathlib import Path

    posix = Path(path).as_posix()
    if Path(path).is_absolute() or posix.startswith("../"):
        return {"uri": Path(path).resolve().as_uri()}
    return {"uri": posix.removeprefix("./"), "uriBaseId": "%SRCROOT%"}


def _sarif_location(path: str, line: int | None, column: int | None) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": _artifact(path)}
    if line is not None:
        location["region"] = {"startLine": line, **({"startColumn": column} if column is not None else {})}
    return {"physicalLocation": location}


def sarif(findings: Sequence[Located], errors: Sequence[FileError] = ()) -> str:
    """SARIF 2.1.0 for code-scanning services: every rule's metadata and help, and per
    result a fingerprint that does not move when lines are added above the finding. Files
    that could not be used (``errors``) make the run's execution unsuccessful, each a
    notification at its place."""
    import hashlib

    from meshify.injector import __version__
    from meshify.injector.engine import all_rules

    rules = list(all_rules().values())
    index = {rule.id: position for position, rule in enumerate(rules)}
    descriptors = []
    for rule in rules:
        body = rule.doc.split("\n", 1)[1].strip() if "\n" in rule.doc else rule.doc
        descriptors.append({
            "id": rule.id,
            "name": "".join(word.capitalize() for word in rule.title.replace("-", " ").split() if word.isalnum()),
            "shortDescription": {"text": rule.title},
            "fullDescription": {"text": body.split("\n\n", 1)[0].replace("\n", " ")},
            "help": {"text": body, "markdown": f"**{rule.id}: {rule.title}**\n\n```\n{body}\n```"},
            "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
            "properties": {"fixable": rule.fixable, "tags": [rule.scope]},
        })
    seen: dict[str, int] = {}
    results = []
    for finding in findings:
        identity = f"{finding.rule}\0{finding.path}\0{finding.message}"
        seen[identity] = seen.get(identity, 0) + 1
        fingerprint = hashlib.sha256(f"{identity}\0{seen[identity]}".encode("utf-8", "backslashreplace")).hexdigest()[:32]
        results.append({
            "ruleId": finding.rule,
            "ruleIndex": index[finding.rule],
            "level": _SARIF_LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [_sarif_location(finding.path, finding.line, finding.column)],
            "partialFingerprints": {"meshify/v1": fingerprint},
        })
    document: dict[str, Any] = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "meshify", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://github.com/meshify/meshify", "rules": descriptors}},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    }
    if errors:
        document["runs"][0]["invocations"] = [{
            "executionSuccessful": False,
            "toolExecutionNotifications": [{"level": "error", "message": {"text": error.message},
                                            "locations": [_sarif_location(error.path, error.line, error.column)]}
                                           for error in errors],
        }]
    return json.dumps(document, indent=2) + "\n"


FORMATS = {"text": text, "json": as_json, "sarif": sarif, "github": github}

"""The migration report of ``meshify migrate`` as text, JSON or Markdown: the App Mesh
features the mesh uses and what each becomes, the ECS services and their Service Connect
configurations, the R6xx findings grouped by severity, and the cut-over steps.

It is built from names and places only (the command never hands it a task definition's
environment or secrets), so a report can be shared.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from meshify.injector.engine.findings import Located


@dataclass(slots=True)
class Feature:
    feature: str  # the App Mesh element, e.g. "virtual node `products-v1`"
    where: str  # path:line:col
    becomes: str
    rule: str = ""  # the finding's rule id when it changes behaviour or is lost


@dataclass(slots=True)
class ServiceEntry:
    name: str
    cluster: str | None
    nodes: list[str]
    families: list[str]
    configuration: dict[str, Any]
    file: str | None = None  # where the configuration is written: --out-dir's JSON file, or the template
    template: bool = False  # written into the template that declares the service (not for update-service)
    refused: bool = False  # not written: its namespace is a template's expression (R616)


@dataclass(slots=True)
class MigrationReport:
    mesh: str
    namespace: str
    features: list[Feature] = field(default_factory=list)
    services: list[ServiceEntry] = field(default_factory=list)
    findings: list[Located] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)
    # The mesh drawn before (App Mesh) and after (Service Connect), as Mermaid: Markdown shows them.
    pictures: tuple[str, str] | None = None

    def counts(self) -> dict[str, int]:
        return {severity: sum(1 for f in self.findings if f.severity == severity)
                for severity in ("error", "warning", "info")}


_HEADINGS = {"error": "Errors: lost in Service Connect", "warning": "Warnings: behaviour changes",
             "info": "Information"}


def _place(finding: Located) -> str:
    return f"{finding.path}:{finding.line}:{finding.column}"


def as_json(report: MigrationReport) -> str:
    data = {
        "mesh": report.mesh,
        "target": "service-connect",
        "namespace": report.namespace,
        "summary": report.counts(),
        "features": [{"feature": f.feature, "where": f.where, "becomes": f.becomes, "rule": f.rule or None}
                     for f in report.features],
        "services": [{"service": s.name, "cluster": s.cluster, "nodes": s.nodes, "families": s.families,
                      "file": s.file, "configuration": s.configuration} for s in report.services],
        "findings": [{"path": f.path, "line": f.line, "column": f.column, "rule": f.rule, "severity": f.severity,
                      "message": f.message} for f in report.findings],
        "steps": report.steps,
    }
    return json.dumps(data, indent=2) + "\n"


def as_text(report: MigrationReport) -> str:
    counts = report.counts()
    lines = [f"Migration of mesh {report.mesh} to ECS Service Connect (namespace {report.namespace})",
             f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info", "", "Features:"]
    lines += [f"  {f.where}: {f.feature} -> {f.becomes}" + (f" [{f.rule}]" if f.rule else "") for f in report.features]
    lines += ["", "ECS services:"]
    for service in report.services:
        where = f" -> {service.file}" if service.file else \
            " -> not written: its namespace only the stack knows [R616]" if service.refused else ""
        lines.append(f"  {service.name} (nodes {', '.join(service.nodes)}; families "
                     f"{', '.join(service.families) or 'none given'}){where}")
    lines += ["", "Findings:"]
    lines += [f"  {_place(f)}: {f.rule} [{f.severity}] {f.message}" for f in report.findings] or ["  none"]
    lines += ["", "Cut-over steps:"]
    lines += [f"  {number}. {step}" for number, step in enumerate(report.steps, start=1)]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_markdown(report: MigrationReport) -> str:
    counts = report.counts()
    out = [f"# Migration of mesh `{report.mesh}` to ECS Service Connect", "",
           f"Cloud Map namespace: `{report.namespace}`. Findings: **{counts['error']} error(s)**, "
           f"**{counts['warning']} warning(s)**, {counts['info']} info.", "",
           "An ECS service cannot be in an App Mesh mesh and a Service Connect namespace at once: the services "
           "are recreated in a parallel environment and traffic is shifted at the edge (steps at the end).", ""]
    if report.pictures is not None:
        before, after = report.pictures
        out += ["## Before: the App Mesh mesh", "", "```mermaid", before.rstrip("\n"), "```", "",
                "## After: ECS Service Connect", "", "```mermaid", after.rstrip("\n"), "```", ""]
    out += ["## App Mesh features and what they become", "",
           "| App Mesh feature | Where | Becomes | Rule |", "|---|---|---|---|"]
    out += [f"| {_cell(f.feature)} | `{f.where}` | {_cell(f.becomes)} | {f.rule or ''} |" for f in report.features]
    out += ["", "## ECS services", "",
            "| ECS service | Nodes | Task definition families | Configuration |", "|---|---|---|---|"]
    for service in report.services:
        out.append(f"| `{service.name}` | {', '.join(f'`{n}`' for n in service.nodes)} | "
                   f"{', '.join(f'`{f}`' for f in service.families) or 'none given'} | "
                   f"{f'`{service.file}`' if service.file else 'below'} |")
    out += ["", "## Findings", ""]
    if not report.findings:
        out += ["None.", ""]
    for severity in ("error", "warning", "info"):
        group = [f for f in report.findings if f.severity == severity]
        if not group:
            continue
        out += [f"### {_HEADINGS[severity]} ({len(group)})", ""]
        out += [f"- **{f.rule}** `{_place(f)}`: {f.message}" for f in group]
        out.append("")
    out += ["## Cut-over steps", ""]
    out += [f"{number}. {step}" for number, step in enumerate(report.steps, start=1)]
    out += ["", "## Service Connect configurations", "",
            "For `aws ecs create-service` / `aws ecs update-service --cli-input-json`:", ""]
    for service in report.services:
        written = f" (written into `{service.file}`: its template manages it)" if service.template else \
            " (not written: its namespace only the stack knows, R616)" if service.refused else ""
        out += [f"### `{service.name}`{written}", "", "```json", json.dumps(service.configuration, indent=2), "```", ""]
    return "\n".join(out).rstrip("\n") + "\n"


FORMATS: dict[str, Callable[[MigrationReport], str]] = {"text": as_text, "json": as_json, "markdown": as_markdown}

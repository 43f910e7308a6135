"""The ``meshify`` command line (``../shared/spec/cli.md`` is its contract).

Commands import what they need when they run: a pre-commit hook starts meshify once per
batch of files, and boto3, jsonschema or ruamel.yaml must not slow down the commands that
do not use them.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, NoReturn, Optional

import typer

from . import __version__
from .errors import InputError

if TYPE_CHECKING:
    from .config import Config

app = typer.Typer(
    name="meshify",
    help="Wire ECS task definitions into an AWS App Mesh mesh, and lint the mesh.\n\n"
         "Examples:\n\n"
         "  meshify inject taskdefs/products-api.json --diff\n\n"
         "  meshify inject taskdefs/*.json --in-place --policy iam/task-role.json\n\n"
         "  meshify lint taskdefs/*.json --format json",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


ManifestOption = Annotated[Optional[str], typer.Option(
    "--manifest", help="The mesh manifest [default: meshify.yaml, found upwards].")]
RegionOption = Annotated[Optional[str], typer.Option(
    "--region", help="AWS region [default: the profile's, else the mesh's].")]

ProfileOption = Annotated[Optional[str], typer.Option(
    "--profile", help="AWS profile [default: the standard credential chain].")]


def fail(error: InputError | str) -> NoReturn:
    typer.echo(str(error) if isinstance(error, InputError) else f"meshify: {error}", err=True)
    raise typer.Exit(2)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"meshify {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Wire ECS task definitions into an AWS App Mesh mesh, and lint the mesh."""


def _project(manifest: str | None) -> tuple[Config, str]:
    """The configuration found upwards, and the manifest: the option's, the
    configuration's, or meshify.yaml found upwards."""
    from .config import load_config

    config = load_config()
    return config, _manifest_path(manifest, config.manifest)


def _manifest_path(given: str | None, configured: str | None = None) -> str:
    from .manifest import MANIFEST_NAME, find_manifest

    if given is not None:
        return given
    if configured is not None:
        return os.path.relpath(configured)
    found = find_manifest()
    if found is None:
        raise InputError(f"no {MANIFEST_NAME} here or in a parent directory up to the repository root; "
                         "give --manifest PATH")
    return os.path.relpath(found)


@app.command(epilog="Examples:\n\n  meshify inject taskdefs/products-api.json\n\n"
                    "  meshify inject taskdefs/*.json --check\n\n"
                    "  meshify inject taskdefs/products-api.json --in-place --policy iam/products.json")
def inject(
    taskdefs: Annotated[list[str], typer.Argument(help="Task definition files (JSON or YAML).")],
    manifest: ManifestOption = None,
    node: Annotated[Optional[str], typer.Option(help="Inject as this node or gateway, whatever the family.")] = None,
    patch: Annotated[bool, typer.Option("--patch", help="Print the RFC 6902 JSON Patch.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if a file would change.")] = False,
    in_place: Annotated[bool, typer.Option("--in-place", help="Rewrite the files that change, atomically.")] = False,
    policy: Annotated[Optional[str], typer.Option(help="IAM policy document file to add the task role statements to.")] = None,
    output: Annotated[Optional[str], typer.Option(help="Write the injected task definition to this file.")] = None,
    register: Annotated[bool, typer.Option("--register", help="Register the result in ECS as a new revision.")] = False,
    profile: ProfileOption = None,
    region: RegionOption = None,
) -> None:
    """Inject the Envoy sidecar, dependsOn, proxyConfiguration and IAM statements.

    TASKDEF is a file, or ecs:FAMILY[:REVISION] or a task definition ARN read from ECS."""
    from .aws import AwsOptions
    from .inject_command import run_inject

    modes = [name for name, on in (("--patch", patch), ("--diff", diff), ("--check", check),
                                   ("--in-place", in_place), ("--register", register)) if on]
    if len(modes) > 1:
        fail(f"{' and '.join(modes)} cannot be combined: choose one output mode")
    if output is not None and (modes or len(taskdefs) != 1):
        fail("--output takes one TASKDEF and no other output mode")
    try:
        config, manifest_path = _project(manifest)
        status = run_inject(taskdefs, manifest_path, node, modes[0] if modes else None,
                            policy, output, config.envoy_image, AwsOptions(profile, region))
    except InputError as error:
        fail(error)
    raise typer.Exit(status)


def _ids(values: list[str] | None) -> list[str]:
    return [part.strip().upper() for value in values or [] for part in value.split(",") if part.strip()]


@app.command(epilog="Examples:\n\n  meshify lint\n\n  meshify lint taskdefs/*.json --format json\n\n"
                    "  meshify lint taskdefs/*.json --select T2 --ignore T209 --fail-on warning")
def lint(
    paths: Annotated[Optional[list[str]], typer.Argument(help="Task definitions and App Mesh spec files.")] = None,
    manifest: ManifestOption = None,
    output_format: Annotated[str, typer.Option("--format", help="text, json, sarif or github.")] = "text",
    select: Annotated[Optional[list[str]], typer.Option(help="Only these rule ids or prefixes (comma-separated).")] = None,
    ignore: Annotated[Optional[list[str]], typer.Option(help="Not these rule ids or prefixes (comma-separated).")] = None,
    fail_on: Annotated[Optional[str], typer.Option(
        "--fail-on", help="Lowest severity that fails: error, warning or info [default: error].")] = None,
    policy: Annotated[Optional[str], typer.Option(help="The task role's IAM policy document, for I301-I303.")] = None,
    live: Annotated[bool, typer.Option("--live", help="Also compare the account's mesh and Cloud Map records.")] = False,
    profile: ProfileOption = None,
    region: RegionOption = None,
) -> None:
    """Check the manifest, task definitions and App Mesh specs; exit 1 on findings."""
    from .aws import AwsOptions
    from .engine import SEVERITIES, severity_rank
    from .lint import lint as run_lint
    from .report import FORMATS, styled_output, text

    if output_format not in FORMATS:
        fail(f"--format: {output_format!r} is not one of {', '.join(FORMATS)}")
    if fail_on is not None and fail_on not in SEVERITIES:
        fail(f"--fail-on: {fail_on!r} is not one of error, warning, info")
    try:
        config, manifest_path = _project(manifest)
        fail_on = fail_on or config.fail_on or "error"
        findings = run_lint(manifest_path, paths or [], policy,
                            _ids(select) if select else config.select, _ids(ignore) if ignore else config.ignore, config,
                            AwsOptions(profile, region) if live or profile or region else None, live)
    except InputError as error:
        fail(error)
    if output_format == "text":
        sys.stdout.write(text(findings, styled_output(sys.stdout)))
    else:
        sys.stdout.write(FORMATS[output_format](findings))
    threshold = severity_rank(fail_on)
    raise typer.Exit(1 if any(severity_rank(f.severity) >= threshold for f in findings) else 0)


@app.command(name="rules", epilog="Examples:\n\n  meshify rules\n\n  meshify rules M102")
def list_rules(
    rule_id: Annotated[Optional[str], typer.Argument(metavar="ID", help="Print this rule's documentation.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """List the rules, or print one rule's documentation."""
    import json

    from .engine import all_rules

    rules = all_rules()
    if rule_id is not None:
        rule = rules.get(rule_id.upper())
        if rule is None:
            fail(f"no rule {rule_id!r}; `meshify rules` lists them")
        if output_format == "json":
            typer.echo(json.dumps({"id": rule.id, "severity": rule.severity, "title": rule.title,
                                   "fixable": rule.fixable, "doc": rule.doc}, indent=2))
        else:
            typer.echo(f"{rule.id} ({rule.severity}{', fixed by inject' if rule.fixable else ''}): {rule.title}\n")
            typer.echo(rule.doc.split("\n", 1)[1].strip() if "\n" in rule.doc else rule.doc)
        return
    if output_format == "json":
        typer.echo(json.dumps([{"id": r.id, "severity": r.severity, "title": r.title, "fixable": r.fixable}
                               for r in rules.values()], indent=2))
        return
    for rule in rules.values():
        typer.echo(f"{rule.id}  {rule.severity:<7}  {rule.title}")


@app.command(epilog="Examples:\n\n  meshify placeholders\n\n  meshify placeholders --apply --profile prod")
def placeholders(
    manifest: ManifestOption = None,
    apply: Annotated[bool, typer.Option("--apply", help="Create the missing services and instances.")] = False,
    profile: ProfileOption = None,
    region: RegionOption = None,
) -> None:
    """List the Cloud Map placeholder records the manifest needs; --apply creates them."""
    from .aws import AwsOptions
    from .live import apply_placeholders, read_placeholders
    from .manifest import load_manifest
    from .model import PLACEHOLDER_ADDRESS

    try:
        config, manifest_path = _project(manifest)
        mesh = load_manifest(manifest_path, config.envoy_image)
        options = AwsOptions(profile, region)
        found = read_placeholders(mesh, options)
        for entry in found.placeholders:
            state = {None: f"exists ({', '.join(entry.addresses)})", "instance": "missing: no instance",
                     "service": f"missing: no service {entry.service}",
                     "namespace": f"missing: no namespace {found.namespace}"}[found.missing(entry)]
            typer.echo(f"{entry.name}  {state}")
        if apply:
            created = apply_placeholders(mesh, options, found, PLACEHOLDER_ADDRESS)
            for item in created:
                typer.echo(f"created {item}")
            if not created:
                typer.echo("nothing to create")
    except InputError as error:
        fail(error)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the manifest (meshify.yaml)."""
    import json

    from .schema import manifest_schema

    typer.echo(json.dumps(manifest_schema(), indent=2))


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as error:  # a bug: one line, and the traceback only on request
        if os.environ.get("MESHIFY_DEBUG"):
            raise
        typer.echo(f"meshify: internal error: {type(error).__name__}: {error} "
                   "(set MESHIFY_DEBUG=1 for a traceback)", err=True)
        sys.exit(2)

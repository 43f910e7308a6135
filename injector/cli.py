"""The ``meshify`` command line (``../shared/spec/cli.md`` is its contract): the typer app
only. It declares every command's options and help, calls one module of ``commands/`` (lint
and inject through ``actions.py``, which ``fast_cli.py`` also calls for the hooks' command
lines, without typer), and maps click's errors to exit codes; ``main(argv) -> int`` runs it
in-process. An option of lint or inject changed here is regenerated into ``cli_table.py``
(``python tests/regen_cli_table.py``).

This is the one lazy boundary (ARCHITECTURE.md, "Start-up"): each command imports its
``commands/`` module when it runs, so a pre-commit hook's ``lint`` never pays for boto3,
jsonschema or jsonpatch. Below this module, imports are ordinary.
"""

# No `from __future__ import annotations` here: typer reads every parameter's annotation of the
# command it builds, and evaluating them from strings at each run (typing.get_type_hints) cost
# more than evaluating them once when the functions are defined (start-up).
import os
import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from meshify.injector import __version__, actions
from meshify.injector.errors import InputError

if TYPE_CHECKING:
    from meshify.injector.config import Config

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

QuietOption = Annotated[bool, typer.Option(
    "--quiet", "-q", help="No progress on standard error (it shows only on a terminal, after two seconds).")]
ProfileOption = Annotated[Optional[str], typer.Option(
    "--profile", help="AWS profile [default: the standard credential chain].")]
SkipUnknownOption = Annotated[bool, typer.Option(
    "--skip-unknown", help="Skip, silently, files of none of meshify's input kinds (a package.json): "
                           "for the pre-commit hooks, which pass every JSON and YAML file.")]


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
    quiet: QuietOption = False,
    skip_unknown: SkipUnknownOption = False,
) -> None:
    """Inject the Envoy sidecar, dependsOn, proxyConfiguration and IAM statements.

    TASKDEF is a file, or ecs:FAMILY[:REVISION] or a task definition ARN read from ECS."""
    raise typer.Exit(actions.inject(taskdefs=taskdefs, manifest=manifest, node=node, patch=patch, diff=diff,
                                    check=check, in_place=in_place, policy=policy, output=output, register=register,
                                    profile=profile, region=region, quiet=quiet, skip_unknown=skip_unknown))


@app.command(epilog="Examples:\n\n  meshify uninject taskdefs/products-api.json --diff\n\n"
                    "  meshify uninject taskdefs/*.json --in-place --policy iam/products.json")
def uninject(
    taskdefs: Annotated[list[str], typer.Argument(help="Task definition files (JSON or YAML).")],
    manifest: Annotated[Optional[str], typer.Option(
        "--manifest", help="The mesh manifest, for envoy.containerName [default: meshify.yaml found upwards, "
                           "else none: it is not needed].")] = None,
    patch: Annotated[bool, typer.Option("--patch", help="Print the RFC 6902 JSON Patch.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if a file would change.")] = False,
    in_place: Annotated[bool, typer.Option("--in-place", help="Rewrite the files that change, atomically.")] = False,
    policy: Annotated[Optional[str], typer.Option(
        help="Task role policy file to remove the Envoy and meshify's X-Ray statements from.")] = None,
    output: Annotated[Optional[str], typer.Option(help="Write the uninjected task definition to this file.")] = None,
    profile: ProfileOption = None,
    region: RegionOption = None,
) -> None:
    """Remove App Mesh: the Envoy container, proxyConfiguration, dependsOn on Envoy, APPMESH_* variables.

    The inverse of inject: on a file inject wrote, it gives back the file as it was.
    TASKDEF is a file, or ecs:FAMILY[:REVISION] or a task definition ARN read from ECS."""
    from meshify.injector.aws.session import AwsOptions
    from meshify.injector.commands import uninject as command
    from meshify.injector.config import load_config
    from meshify.injector.inputs.manifest import find_manifest
    from meshify.injector.outputs.patches import Mode

    modes = [name for name, on in (("--patch", patch), ("--diff", diff), ("--check", check),
                                   ("--in-place", in_place)) if on]
    if len(modes) > 1:
        actions.fail(f"{' and '.join(modes)} cannot be combined: choose one output mode")
    if output is not None and (modes or len(taskdefs) != 1):
        actions.fail("--output takes one TASKDEF and no other output mode")
    mode = Mode(modes[0]) if modes else Mode.OUTPUT if output is not None else Mode.PRINT
    if manifest is None:
        configured = load_config().manifest
        found = configured or find_manifest()
        manifest = os.path.relpath(found) if found is not None else None
    raise typer.Exit(command.run(taskdefs, mode, manifest, policy, output, AwsOptions(profile, region)))


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
    quiet: QuietOption = False,
    skip_unknown: SkipUnknownOption = False,
) -> None:
    """Check the manifest, task definitions and App Mesh specs; exit 1 on findings."""
    raise typer.Exit(actions.lint(paths=paths, manifest=manifest, output_format=output_format, select=select,
                                  ignore=ignore, fail_on=fail_on, policy=policy, live=live, profile=profile,
                                  region=region, quiet=quiet, skip_unknown=skip_unknown))


@app.command(epilog="Examples:\n\n  meshify init infra/\n\n"
                    "  meshify init mesh.yaml app.yaml --region eu-west-1 --account 111122223333")
def init(
    paths: Annotated[Optional[list[str]], typer.Argument(
        help="Files or directories holding the App Mesh resources (and the task definitions to claim).")] = None,
    output: Annotated[str, typer.Option(help="The manifest to write.")] = "meshify.yaml",
    mesh: Annotated[Optional[str], typer.Option("--mesh", help="The mesh's name, when the files do not give it.")] = None,
    account: Annotated[Optional[str], typer.Option(help="The mesh's AWS account id.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing manifest.")] = False,
    live: Annotated[bool, typer.Option("--live", help="Read the mesh from the account (App Mesh API).")] = False,
    profile: ProfileOption = None,
    region: RegionOption = None,
) -> None:
    """Write a manifest from the App Mesh resources of templates, specs and other files."""
    from meshify.injector.commands import init as command

    if not paths and not live:
        actions.fail("give the files or directories to read, or --live")
    raise typer.Exit(command.run(paths or [], output, region, account, mesh, force, profile, live))


@app.command(name="rules", epilog="Examples:\n\n  meshify rules\n\n  meshify rules M102")
def list_rules(
    rule_id: Annotated[Optional[str], typer.Argument(metavar="ID", help="Print this rule's documentation.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """List the rules, or print one rule's documentation."""
    from meshify.injector.commands import explain

    raise typer.Exit(explain.run(rule_id, output_format))


@app.command(epilog="Examples:\n\n  meshify placeholders\n\n  meshify placeholders --apply --profile prod")
def placeholders(
    manifest: ManifestOption = None,
    apply: Annotated[bool, typer.Option("--apply", help="Create the missing services and instances.")] = False,
    profile: ProfileOption = None,
    region: RegionOption = None,
) -> None:
    """List the Cloud Map placeholder records the manifest needs; --apply creates them."""
    from meshify.injector.aws.session import AwsOptions
    from meshify.injector.commands import placeholders as command

    config, manifest_path = actions.project(manifest)
    raise typer.Exit(command.run(manifest_path, config.envoy_image, apply, AwsOptions(profile, region)))


@app.command(epilog="Examples:\n\n  meshify migrate taskdefs/*.json --to service-connect\n\n"
                    "  meshify migrate taskdefs/*.json --to service-connect --out-dir migration --format markdown\n\n"
                    "  meshify migrate taskdefs/*.json --to service-connect --in-place --policy iam/task-role.json")
def migrate(
    paths: Annotated[Optional[list[str]], typer.Argument(
        metavar="PATH...", help="Task definitions, templates, .tf files, App Mesh spec files, ECS service "
                                "definitions, or directories of them [default: the manifest alone]; with no "
                                "manifest, their App Mesh resources are the mesh.")] = None,
    to: Annotated[str, typer.Option("--to", help="The target: service-connect (required).")] = "",
    manifest: ManifestOption = None,
    namespace: Annotated[Optional[str], typer.Option(
        help="Cloud Map namespace of the new environment [default: the manifest's].")] = None,
    patch: Annotated[bool, typer.Option("--patch", help="Print the RFC 6902 JSON Patches.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if a file would change.")] = False,
    in_place: Annotated[bool, typer.Option("--in-place", help="Rewrite the files that change, atomically.")] = False,
    out_dir: Annotated[Optional[str], typer.Option(
        "--out-dir", help="Write the service configurations, report.json and report.md (and, without another "
                          "mode, the migrated task definitions) here.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="The report: text, json or markdown.")] = "text",
    fail_on: Annotated[str, typer.Option(
        "--fail-on", help="Lowest severity of a finding that fails: error, warning or info.")] = "warning",
    policy: Annotated[Optional[str], typer.Option(help="IAM policy document to remove the App Mesh statements from.")] = None,
) -> None:
    """Move the mesh to ECS Service Connect: task definition patches, service configurations, a report."""
    from meshify.injector.commands import migrate as command
    from meshify.injector.engine import SEVERITIES
    from meshify.injector.outputs.migration_report import FORMATS
    from meshify.injector.outputs.patches import Mode

    modes = [name for name, on in (("--patch", patch), ("--diff", diff), ("--check", check),
                                   ("--in-place", in_place)) if on]
    if len(modes) > 1:
        actions.fail(f"{' and '.join(modes)} cannot be combined: choose one output mode")
    if not to:
        actions.fail("--to is required: --to service-connect")
    if output_format not in FORMATS:
        actions.fail(f"--format: {output_format!r} is not one of {', '.join(FORMATS)}")
    if fail_on not in SEVERITIES:
        actions.fail(f"--fail-on: {fail_on!r} is not one of error, warning, info")
    config, manifest_path = actions.project_or_files(manifest, paths or [])
    raise typer.Exit(command.run(paths or [], manifest_path, to, Mode(modes[0]) if modes else Mode.PRINT, out_dir,
                                 output_format, fail_on, namespace, policy, config.envoy_image))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the manifest (meshify.yaml)."""
    import json

    from meshify.injector.inputs.manifest_schema import manifest_schema

    typer.echo(json.dumps(manifest_schema(), indent=2))


@app.command(epilog="Examples:\n\n  meshify graph > mesh.mmd\n\n  meshify graph mesh/*.json --format dot | dot -Tsvg > mesh.svg\n\n"
                    "  meshify graph --lint\n\n  meshify graph --to service-connect")
def graph(
    paths: Annotated[Optional[list[str]], typer.Argument(help="App Mesh spec files and task definitions.")] = None,
    manifest: ManifestOption = None,
    output_format: Annotated[str, typer.Option("--format", help="mermaid or dot.")] = "mermaid",
    overlay_lint: Annotated[bool, typer.Option("--lint", help="Mark the elements lint finds something wrong with.")] = False,
    to: Annotated[str, typer.Option("--to", help="app-mesh (the mesh as it is) or service-connect (after migrate).")] = "app-mesh",
    namespace: Annotated[Optional[str], typer.Option(help="With --to service-connect: the namespace [default: the mesh's]")] = None,
) -> None:
    """Draw the mesh: gateways, virtual services, routers with their routes' weights, nodes, backends."""
    from meshify.injector.commands import graph as command
    from meshify.injector.outputs.graph import FORMATS

    if output_format not in FORMATS:
        actions.fail(f"--format: {output_format!r} is not one of {', '.join(FORMATS)}")
    if to not in command.TARGETS:
        actions.fail(f"--to: {to!r} is not one of {', '.join(command.TARGETS)}")
    config, manifest_path = _project_or_none(manifest, bool(paths))
    raise typer.Exit(command.run(paths or [], manifest_path, output_format, overlay_lint, to, namespace, config))


def _project_or_none(manifest: str | None, have_paths: bool) -> tuple["Config", str | None]:
    """As :func:`actions.project`, but files given without a manifest to be found are a mesh on their own."""
    try:
        return actions.project(manifest)
    except InputError:
        if manifest is not None or not have_paths:
            raise
        from meshify.injector.config import load_config

        return load_config(), None


def main(argv: list[str] | None = None) -> int:
    """Run one command line through the typer app; its exit status. Every error a user can
    cause is one line on standard error and status 2 (``actions.guarded``); a usage error
    click finds is one line too."""
    # typer vendors click since 0.23 (typer._click); its exceptions are found where typer's own
    # BadParameter lives, so that meshify works with the vendored copy and with click itself.
    click_exceptions = sys.modules[typer.BadParameter.__module__]
    argv = sys.argv[1:] if argv is None else argv

    def run() -> int:
        every_command = app.registered_commands
        app.registered_commands = _commands_needed(every_command, argv)
        # --install-completion and --show-completion are the group's options, before any command: with
        # one command chosen they cannot be on the command line, and typer inspects two functions to add them.
        completion = app._add_completion
        app._add_completion = completion and len(app.registered_commands) != 1
        try:
            status = app(args=argv, prog_name="meshify", standalone_mode=False)
        except click_exceptions.NoArgsIsHelpError as error:
            print(error.ctx.get_help() if error.ctx else str(error))
            return 0
        except click_exceptions.ClickException as error:  # usage: one line, as ruff and cli.md do it
            print(f"meshify: {' '.join(error.format_message().split())}", file=sys.stderr)
            return 2
        except typer.Abort:
            return 130
        finally:
            app.registered_commands = every_command
            app._add_completion = completion
        return status if isinstance(status, int) else 0

    return actions.guarded(run)


def _commands_needed(commands: list[typer.models.CommandInfo], argv: list[str]) -> list[typer.models.CommandInfo]:
    """The one command a command line runs, or all of them: typer inspects the signature
    of every command it registers, which was a third of a pre-commit lint's start-up. The
    group's help, its "No such command" error and shell completion see every command;
    a command's own help and errors see only that command, so they read the same."""
    if not argv or argv[0].startswith("-") or "_MESHIFY_COMPLETE" in os.environ:
        return commands
    chosen = [info for info in commands
              if (info.name or typer.main.get_command_name(getattr(info.callback, "__name__", ""))) == argv[0]]
    return chosen or commands

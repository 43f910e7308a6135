"""The ``meshify`` command line (``../shared/spec/cli.md`` is its contract).

Commands import what they need when they run: a pre-commit hook starts meshify once per
batch of files, and boto3, jsonschema or ruamel.yaml must not slow down the commands that
do not use them.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated, NoReturn, Optional

import typer

from . import __version__
from .errors import InputError

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


def _manifest_path(given: str | None) -> str:
    from .manifest import MANIFEST_NAME, find_manifest

    if given is not None:
        return given
    found = find_manifest()
    if found is None:
        raise InputError(f"no {MANIFEST_NAME} here or in a parent directory up to the repository root; "
                         "give --manifest PATH")
    return os.path.relpath(found) if not os.path.relpath(found).startswith("..") else str(found)


@app.command(epilog="Examples:\n\n  meshify inject taskdefs/products-api.json\n\n"
                    "  meshify inject taskdefs/*.json --check\n\n"
                    "  meshify inject taskdefs/products-api.json --in-place --policy iam/products.json")
def inject(
    taskdefs: Annotated[list[str], typer.Argument(help="Task definition files (JSON or YAML).")],
    manifest: Annotated[Optional[str], typer.Option(help="The mesh manifest [default: meshify.yaml, found upwards].")] = None,
    node: Annotated[Optional[str], typer.Option(help="Inject as this node or gateway, whatever the family.")] = None,
    patch: Annotated[bool, typer.Option("--patch", help="Print the RFC 6902 JSON Patch.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print a unified diff.")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if a file would change.")] = False,
    in_place: Annotated[bool, typer.Option("--in-place", help="Rewrite the files that change, atomically.")] = False,
    policy: Annotated[Optional[str], typer.Option(help="IAM policy document file to add the task role statements to.")] = None,
    output: Annotated[Optional[str], typer.Option(help="Write the injected task definition to this file.")] = None,
) -> None:
    """Inject the Envoy sidecar, dependsOn, proxyConfiguration and IAM statements."""
    from .inject_command import run_inject

    modes = [name for name, on in (("--patch", patch), ("--diff", diff), ("--check", check),
                                   ("--in-place", in_place)) if on]
    if len(modes) > 1:
        fail(f"{' and '.join(modes)} cannot be combined: choose one output mode")
    if output is not None and (modes or len(taskdefs) != 1):
        fail("--output takes one TASKDEF and no other output mode")
    try:
        status = run_inject(taskdefs, _manifest_path(manifest), node, modes[0] if modes else None, policy, output)
    except InputError as error:
        fail(error)
    raise typer.Exit(status)


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

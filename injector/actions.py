"""What ``lint`` and ``inject`` do with their options, without typer: the options in, the
exit status out. ``cli.py``'s typer commands call these, and so does ``fast_cli.py``, which
parses the command lines a pre-commit hook and a CI gate give without importing typer at all
(start-up). Both hand over the same values: ``tests/test_fast_cli.py`` holds them to it."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

from meshify.injector.console import started
from meshify.injector.errors import InputError, UsageError

if TYPE_CHECKING:
    from meshify.injector.config import Config


def fail(error: InputError | str) -> NoReturn:
    raise error if isinstance(error, InputError) else UsageError(error)


def project(manifest: str | None) -> tuple[Config, str]:
    """The configuration found upwards, and the manifest: the option's, the
    configuration's, or meshify.yaml found upwards."""
    from meshify.injector.config import load_config

    config = load_config()
    return config, manifest_path(manifest, config.manifest)


def project_or_files(manifest: str | None, paths: list[str]) -> tuple[Config, str | None]:
    """As :func:`project`, but with files given and no manifest anywhere, None: the mesh
    is then the App Mesh resources of the files (formats.md)."""
    from meshify.injector.config import load_config
    from meshify.injector.inputs.manifest import find_manifest

    config = load_config()
    if manifest is None and config.manifest is None and paths and find_manifest() is None:
        return config, None
    return config, manifest_path(manifest, config.manifest)


def manifest_path(given: str | None, configured: str | None = None) -> str:
    from meshify.injector.inputs.manifest import NO_MANIFEST, find_manifest

    if given is not None:
        return given
    if configured is not None:
        return os.path.relpath(configured)
    found = find_manifest()
    if found is None:
        raise InputError(NO_MANIFEST)
    return os.path.relpath(found)


def rule_ids_given(values: list[str] | None) -> list[str]:
    return [part.strip().upper() for value in values or [] for part in value.split(",") if part.strip()]


def check_rule_ids(config: Config, select: list[str] | None, ignore: list[str] | None) -> None:
    """Unknown rule ids are a usage error, as in ruff: a typo must not turn linting off."""
    from meshify.injector.config import check_rule_ids as check_configured
    from meshify.injector.engine import rule_ids as every_rule_id
    from meshify.injector.engine.findings import unknown_ids

    rule_ids = every_rule_id()  # no rule imported: a lint imports those of the scopes it runs
    for option, values in (("--select", select), ("--ignore", ignore)):
        unknown = unknown_ids(rule_ids_given(values), rule_ids)
        if unknown:
            fail(f"{option}: unknown rule id {unknown[0]!r} (meshify rules lists them)")
    check_configured(config, rule_ids)


def inject(*, taskdefs: list[str], manifest: str | None, node: str | None, patch: bool, diff: bool, check: bool,
           in_place: bool, policy: str | None, output: str | None, register: bool, profile: str | None,
           region: str | None, quiet: bool, skip_unknown: bool) -> int:
    from meshify.injector.aws.session import AwsOptions
    from meshify.injector.commands import inject as command
    from meshify.injector.outputs import progress
    from meshify.injector.outputs.patches import Mode

    started()  # the collector back on: the run's own objects come and go
    progress.begin(quiet)
    modes = [name for name, on in (("--patch", patch), ("--diff", diff), ("--check", check),
                                   ("--in-place", in_place), ("--register", register)) if on]
    if len(modes) > 1:
        fail(f"{' and '.join(modes)} cannot be combined: choose one output mode")
    if output is not None and (modes or len(taskdefs) != 1):
        fail("--output takes one TASKDEF and no other output mode")
    mode = None if register else Mode(modes[0]) if modes else Mode.OUTPUT if output is not None else Mode.PRINT
    config, manifest_file = project_or_files(manifest, taskdefs)
    return command.run(taskdefs, manifest_file, node, mode, policy, output, config.envoy_image,
                       AwsOptions(profile, region), skip_unknown, select=config.select, ignore=config.ignore)


def lint(*, paths: list[str] | None, manifest: str | None, output_format: str, select: list[str] | None,
         ignore: list[str] | None, fail_on: str | None, policy: str | None, live: bool, profile: str | None,
         region: str | None, quiet: bool, skip_unknown: bool) -> int:
    from meshify.injector.commands.lint import lint as run_lint
    from meshify.injector.engine import SEVERITIES, severity_rank
    from meshify.injector.outputs import progress
    from meshify.injector.outputs.reporters import FORMATS, printable, styled_output, text

    started()  # the collector back on: the run's own objects come and go
    progress.begin(quiet)
    if output_format not in FORMATS:
        fail(f"--format: {output_format!r} is not one of {', '.join(FORMATS)}")
    if fail_on is not None and fail_on not in SEVERITIES:
        fail(f"--fail-on: {fail_on!r} is not one of error, warning, info")
    config, manifest_file = project(manifest) if live else project_or_files(manifest, paths or [])
    check_rule_ids(config, select, ignore)
    fail_on = fail_on or config.fail_on or "error"
    aws = None
    if live or profile or region:  # a lint of files never imports AWS's modules
        from meshify.injector.aws.session import AwsOptions

        aws = AwsOptions(profile, region)
    from meshify.injector.commands.batch import Failures

    failed = Failures()  # files that could not be used, each reported in one line: exit 2 at the end
    findings = run_lint(manifest_file, paths or [], policy,
                        rule_ids_given(select) if select else config.select,
                        rule_ids_given(ignore) if ignore else config.ignore, config,
                        aws, live, failed,
                        skip_unknown)
    if output_format == "text":
        sys.stdout.write(printable(text(findings, styled_output(sys.stdout))))
    elif output_format in ("sarif", "github"):  # a CI shows the files it could not read too
        sys.stdout.write(printable(FORMATS[output_format](findings, failed.errors)))
    else:
        sys.stdout.write(printable(FORMATS[output_format](findings)))
    threshold = severity_rank(fail_on)
    if failed:
        return 2
    return 1 if any(severity_rank(f.severity) >= threshold for f in findings) else 0


def guarded(action: Callable[[], int]) -> int:
    """Run a command; its exit status. Every error a user can cause is one line on standard
    error and status 2; a bug is one line too, with the traceback on request."""
    try:
        return action()
    except InputError as error:
        print(error, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as error:  # a bug: one line, and the traceback only on request
        if os.environ.get("MESHIFY_DEBUG"):
            raise
        print(f"meshify: internal error: {type(error).__name__}: {error} (set MESHIFY_DEBUG=1 for a traceback)",
              file=sys.stderr)
        return 2

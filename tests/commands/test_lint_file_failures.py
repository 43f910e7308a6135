"""A lint batch of lone task definitions catches what goes wrong in one file's reading or
checking as ``commands.batch.caught`` does (``_lint_file`` spells it as try/except): the
file's one line, the other files linted, exit 2; an error naming no file, a bug under
MESHIFY_DEBUG and a KeyboardInterrupt end the run."""

from __future__ import annotations

import pytest
from meshify.injector.commands import lint as command
from meshify.injector.commands.batch import Failure, Failures, caught, failure_of
from meshify.injector.errors import InputError

FILES = ["taskdefs/prices-api.json", "taskdefs/products-api.json", "taskdefs/shop-ingress.json"]


def _raising(original, error, where="products-api"):
    def replaced(*arguments, **keywords):
        paths = [argument.path for argument in arguments if hasattr(argument, "path")]
        if any(where in str(path) for path in paths):
            raise error
        return original(*arguments, **keywords)
    return replaced


def _lint(shop, monkeypatch):
    monkeypatch.chdir(shop)
    monkeypatch.setenv("MESHIFY_JOBS", "1")
    failed = Failures()
    found = command.lint("meshify.yaml", FILES, failed=failed)
    return found, failed


ERRORS = [
    (InputError("bad thing", "taskdefs/products-api.json", 3, 4), "taskdefs/products-api.json:3:4: bad thing"),
    (ValueError("boom"), "taskdefs/products-api.json: internal error: ValueError: boom (set MESHIFY_DEBUG=1 for a traceback)"),
    (RecursionError("deep"), "taskdefs/products-api.json: cannot read: RecursionError (nested or large beyond what "
                             "meshify reads)"),
]


@pytest.mark.parametrize("stage", ["read_walked", "_check_task_file"])
@pytest.mark.parametrize(("error", "line"), ERRORS)
def test_one_files_error_is_its_line_and_the_others_are_linted(shop, monkeypatch, capsys, stage, error, line):
    monkeypatch.delenv("MESHIFY_DEBUG", raising=False)
    clean, _ = _lint(shop, monkeypatch)
    capsys.readouterr()
    monkeypatch.setattr(command, stage, _raising(getattr(command, stage), error))
    found, failed = _lint(shop, monkeypatch)
    assert capsys.readouterr().err.splitlines() == [line]
    assert list(failed) == ["taskdefs/products-api.json"]
    assert found == [f for f in clean if f.path != "taskdefs/products-api.json"]
    assert found and any(f.path == "taskdefs/products-api.json" for f in clean)


@pytest.mark.parametrize("stage", ["read_walked", "_check_task_file"])
@pytest.mark.parametrize(("error", "debug"), [(InputError("no file named"), ""), (ValueError("bug"), "1"),
                                               (KeyboardInterrupt(), "")])
def test_an_error_that_ends_the_run_is_raised(shop, monkeypatch, stage, error, debug):
    monkeypatch.setenv("MESHIFY_DEBUG", debug)
    monkeypatch.setattr(command, stage, _raising(getattr(command, stage), error))
    with pytest.raises(type(error)) as raised:
        _lint(shop, monkeypatch)
    assert raised.value is error


@pytest.mark.parametrize("error", [InputError("x", "f.json", 1, 2), InputError("x"), ValueError("v"), MemoryError(),
                                   RecursionError()])
def test_failure_of_is_what_caught_keeps(monkeypatch, error):
    monkeypatch.delenv("MESHIFY_DEBUG", raising=False)
    kept: Failure | None = None
    try:
        with caught("f.json") as catch:
            raise error
        kept = catch.failure
    except type(error):
        kept = None
    assert failure_of(error, "f.json") == kept

"""Progress on standard error: shown on a terminal once a run takes two seconds; never
on a pipe, in CI, with NO_COLOR or --quiet (what those see is unchanged)."""

from __future__ import annotations

import io

import pytest
from meshify.injector.outputs import progress as module
from meshify.injector.outputs.progress import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def watched(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CI", "NO_COLOR", "MESHIFY_PROGRESS_DELAY"):
        monkeypatch.delenv(name, raising=False)
    module.begin(False)


def _run(stream: io.StringIO, times: list[float], items: list[str] | None = None) -> list[str]:
    ticks = iter(times)
    return list(progress(items or ["a.json", "b.json", "c.json"], "lint", stream=stream, clock=lambda: next(ticks),
                         started=0.0))


def test_a_long_run_on_a_terminal_shows_files_done_and_the_current_file() -> None:
    terminal = Terminal()
    assert _run(terminal, [0.5, 2.0, 3.0]) == ["a.json", "b.json", "c.json"]
    assert terminal.getvalue() == ("\r\x1b[Kmeshify lint: 1/3 b.json"
                                   "\r\x1b[Kmeshify lint: 2/3 c.json"
                                   "\r\x1b[K")


def test_a_quick_run_shows_nothing() -> None:
    terminal = Terminal()
    _run(terminal, [0.1, 0.5, 1.9])
    assert terminal.getvalue() == ""


@pytest.mark.parametrize(("variable", "value"), [("CI", "true"), ("NO_COLOR", "1")])
def test_ci_and_no_color_show_nothing(monkeypatch: pytest.MonkeyPatch, variable: str, value: str) -> None:
    monkeypatch.setenv(variable, value)
    terminal = Terminal()
    _run(terminal, [5.0, 6.0, 7.0])
    assert terminal.getvalue() == ""


def test_quiet_and_pipes_show_nothing() -> None:
    pipe = io.StringIO()
    _run(pipe, [5.0, 6.0, 7.0])
    assert pipe.getvalue() == ""
    module.begin(True)
    terminal = Terminal()
    _run(terminal, [5.0, 6.0, 7.0])
    assert terminal.getvalue() == ""


def test_the_line_is_wiped_when_the_loop_fails() -> None:
    terminal = Terminal()
    ticks = iter([3.0, 4.0])
    with pytest.raises(ValueError, match="bad file"):
        for _ in progress(["a.json", "b.json"], "inject", stream=terminal, clock=lambda: next(ticks), started=0.0):
            raise ValueError("bad file")
    assert terminal.getvalue() == "\r\x1b[Kmeshify inject: 0/2 a.json\r\x1b[K"

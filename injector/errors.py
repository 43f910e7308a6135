"""The errors a user sees: input meshify cannot use, and command lines it cannot carry out (exit status 2)."""

from __future__ import annotations

from typing import NamedTuple


class InputError(Exception):
    """Bad input: rendered as one line, ``path:line:col: message``."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    @property
    def one_line(self) -> str:
        """The message on one line, as every report shows it."""
        return " ".join(self.message.split())

    def __str__(self) -> str:
        where = [str(part) for part in (self.path, self.line, self.column) if part is not None]
        return f"{':'.join(where)}: {self.one_line}" if where else self.one_line


class UsageError(InputError):
    """A command line that cannot be carried out (an unknown option value, modes that
    exclude each other): one line, ``meshify: message``, exit status 2."""

    def __str__(self) -> str:
        return f"meshify: {self.one_line}"


class FileError(NamedTuple):
    """A file that could not be used, as a CI's report shows it beside the findings: its
    place (as its :class:`InputError` gave it) and its message on one line."""

    path: str
    line: int | None
    column: int | None
    message: str

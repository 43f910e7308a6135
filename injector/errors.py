"""The one error type a user sees: input meshify cannot use (exit status 2)."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: rendered as one line, ``path:line:col: message``."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = [str(part) for part in (self.path, self.line, self.column) if part is not None]
        one_line = " ".join(self.message.split())
        return f"{':'.join(where)}: {one_line}" if where else one_line

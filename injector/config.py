"""Project configuration: ``meshify.toml``, or ``[tool.meshify]`` in ``pyproject.toml``,
whichever is nearest going up from the current directory (``meshify.toml`` first within
one directory). Command-line options win over it."""

from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatch
from reprlib import recursive_repr
from typing import TYPE_CHECKING, Any

from meshify.injector.errors import InputError

if TYPE_CHECKING:
    from pathlib import Path

KEYS = ("manifest", "select", "ignore", "fail-on", "per-file-ignores", "envoy-image")


class _Factory:
    def __repr__(self) -> str:
        return "<factory>"  # as dataclasses shows such a default in a signature


_FACTORY: Any = _Factory()  # the default of a parameter whose field has a default_factory


# Config writes the __init__, __repr__ and __eq__ dataclasses would (init=False, repr=False,
# eq=False): read from the bytecode cache, where dataclasses compiled them at every start
# (tests/commands/test_config.py holds them to dataclasses').
@dataclass(slots=True, init=False, repr=False, eq=False)
class Config:
    """The project's configuration (``meshify.toml`` or ``[tool.meshify]``), or its defaults."""

    path: Path | None = None
    manifest: str | None = None
    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: str | None = None
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    envoy_image: str | None = None

    def __init__(self, path: Path | None = None, manifest: str | None = None, select: list[str] = _FACTORY,
                 ignore: list[str] = _FACTORY, fail_on: str | None = None,
                 per_file_ignores: dict[str, list[str]] = _FACTORY, envoy_image: str | None = None) -> None:
        self.path = path
        self.manifest = manifest
        self.select = [] if select is _FACTORY else select
        self.ignore = [] if ignore is _FACTORY else ignore
        self.fail_on = fail_on
        self.per_file_ignores = {} if per_file_ignores is _FACTORY else per_file_ignores
        self.envoy_image = envoy_image

    @recursive_repr()
    def __repr__(self) -> str:
        return (f"{type(self).__qualname__}(path={self.path!r}, manifest={self.manifest!r}, select={self.select!r}, "
                f"ignore={self.ignore!r}, fail_on={self.fail_on!r}, per_file_ignores={self.per_file_ignores!r}, "
                f"envoy_image={self.envoy_image!r})")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return (self.path, self.manifest, self.select, self.ignore, self.fail_on, self.per_file_ignores,
                    self.envoy_image) == (other.path, other.manifest, other.select, other.ignore, other.fail_on,
                                          other.per_file_ignores, other.envoy_image)
        return NotImplemented

    def ignored_for(self, path: str) -> list[str]:
        """Rule ids (or prefixes) that ``per-file-ignores`` turns off for ``path``."""
        if not self.per_file_ignores:
            return []
        from pathlib import Path

        base = self.path.parent if self.path else Path.cwd()
        try:
            relative = Path(path).resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            relative = Path(path).as_posix()
        return [rule for pattern, rules in self.per_file_ignores.items()
                if fnmatch(relative, pattern) or fnmatch(Path(relative).name, pattern) for rule in rules]


def check_rule_ids(config: Config, rule_ids: list[str]) -> None:
    """Refuse ids in ``select``, ``ignore`` or ``per-file-ignores`` that select no rule,
    naming the file and line."""
    from meshify.injector.engine.findings import unknown_ids

    if config.path is None:
        return
    keyed = [("select", config.select), ("ignore", config.ignore), *config.per_file_ignores.items()]
    for key, ids in keyed:
        unknown = unknown_ids(ids, rule_ids)
        if unknown:
            raise InputError(f"{key}: unknown rule id {unknown[0]!r} (meshify rules lists them)",
                             _shown(config.path), _line_of(config.path, key))


def _status(path: str) -> os.stat_result | None:
    """``os.stat(path)``, or None for what pathlib takes for "not there" (its ``is_file()`` and
    ``exists()``); any other error is raised, as pathlib raises it. pathlib itself (with
    urllib.parse and ipaddress) is about 6% of a warm lint: the paths searched are strings."""
    try:
        return os.stat(path)
    except OSError as error:
        if error.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            raise
        return None
    except ValueError:
        return None


def is_file(path: str) -> bool:
    """``Path(path).is_file()``."""
    status = _status(path)
    return status is not None and stat.S_ISREG(status.st_mode)


def exists(path: str) -> bool:
    """``Path(path).exists()``."""
    return _status(path) is not None


def here_and_up(start: str | None = None) -> Iterator[str]:
    """``(directory, *directory.parents)`` of ``Path(start or cwd).resolve()``, as strings."""
    directory = os.path.realpath(start or os.getcwd())
    while True:
        yield directory
        parent = os.path.dirname(directory)
        if parent == directory:
            return
        directory = parent


def _tables(directory: str) -> tuple[Path, dict[str, Any]] | None:
    for name in ("meshify.toml", "pyproject.toml"):
        candidate = os.path.join(directory, name)
        if not is_file(candidate):
            continue
        import tomllib  # only where there is a file to read: most directories have none

        try:
            with open(candidate, encoding="utf-8") as stream:
                text = stream.read()
        except UnicodeDecodeError as error:  # TOML is UTF-8 by definition
            raise InputError(f"not UTF-8 text (byte {error.start})", _shown(candidate)) from None
        except OSError as error:
            raise InputError(f"cannot read: {error.strerror or error}", _shown(candidate)) from None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            where = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
            message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
            lines = text.splitlines() or [""]
            line, column = map(int, where.groups()) if where else (len(lines), len(lines[-1]) + 1)
            raise InputError(f"invalid TOML: {message}", _shown(candidate), line, column) from None
        if name == "meshify.toml":
            return _path(candidate), data
        if isinstance(data.get("tool"), dict) and "meshify" in data["tool"]:
            return _path(candidate), data["tool"]["meshify"]
    return None


def _path(path: str) -> Path:
    from pathlib import Path  # a configuration file's: not imported where there is none

    return Path(path)


def _shown(path: str | Path) -> str:
    """A path as the user would write it from here."""
    return os.path.relpath(path)


def _line_of(path: Path, key: str) -> int | None:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", line):
            return number
    return None


def _ids(path: Path, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [part for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InputError(f"{key} must be a list of rule ids", _shown(path), _line_of(path, key))
    return [item.strip().upper() for item in value if item.strip()]


def load_config(start: str | None = None) -> Config:
    for candidate in here_and_up(start):
        found = _tables(candidate)
        if found is not None:
            return _parse(*found)
    return Config()


def _parse(path: Path, table: dict[str, Any]) -> Config:
    if not isinstance(table, dict):
        raise InputError("[tool.meshify] must be a table", _shown(path))
    for key in table:
        if key not in KEYS:
            raise InputError(f"unknown key {key!r} (expected one of: {', '.join(KEYS)})", _shown(path), _line_of(path, key))
    config = Config(path=path)
    for key in ("manifest", "envoy-image", "fail-on"):
        if key in table and not isinstance(table[key], str):
            raise InputError(f"{key} must be a string", _shown(path), _line_of(path, key))
    if table.get("fail-on") not in (None, "error", "warning", "info"):
        raise InputError(f"fail-on must be error, warning or info, not {table['fail-on']!r}", _shown(path),
                         _line_of(path, "fail-on"))
    manifest = table.get("manifest")
    config.manifest = str(path.parent / manifest) if manifest else None
    config.envoy_image = table.get("envoy-image")
    config.fail_on = table.get("fail-on")
    config.select = _ids(path, "select", table.get("select", []))
    config.ignore = _ids(path, "ignore", table.get("ignore", []))
    ignores = table.get("per-file-ignores", {})
    if not isinstance(ignores, dict):
        raise InputError("per-file-ignores must be a table of glob = [rule ids]", _shown(path),
                         _line_of(path, "per-file-ignores"))
    config.per_file_ignores = {pattern: _ids(path, pattern, rules) for pattern, rules in ignores.items()}
    return config

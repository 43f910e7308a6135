"""A small on-disk memory of work already done, like linters' caches: one file per key
(empty when the key alone is the answer, "this manifest is valid"; else what was worked
out, such as the manifest's parse) under ``$MESHIFY_CACHE_DIR`` (default:
``$XDG_CACHE_HOME/meshify``, else ``~/.cache/meshify``). A key covers everything the result depends on: the input bytes,
meshify's version, the schema template and the botocore model it is expanded from. A
cache that cannot be read or written is simply not used; ``MESHIFY_NO_CACHE=1`` turns
it off.

It does not grow without end: once a day at most, a run that writes an entry removes the
entries no run has used for :data:`MAX_AGE_DAYS` days (a hit keeps an entry young), the
temporaries of runs that were killed while writing, and then the oldest entries while the
cache holds more than :data:`MAX_BYTES`."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

try:
    from _blake2 import blake2b  # hashlib's own BLAKE2, without hashlib loading OpenSSL (~5 ms of start-up)
except ImportError:  # a Python built otherwise
    from hashlib import blake2b

from meshify.injector import __version__


def _directory() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.environ.get("MESHIFY_CACHE_DIR") or os.path.join(base, "meshify")


def _inputs_identity() -> str:
    """What else a cached result depends on: meshify, its schema, botocore's model files."""
    from meshify.injector.inputs.manifest_schema import TEMPLATE
    from meshify.injector.model.service_models import model_file

    parts = [__version__]
    for path in (TEMPLATE, model_file("appmesh")):
        status = os.stat(path)
        parts.append(f"{path}:{status.st_size}:{status.st_mtime_ns}")
    return "\0".join(parts)


# An entry can hold a file's data (a YAML task definition's environment values, say): the
# cache is its user's alone, whatever the umask (makedirs' mode is that of the directories
# it creates; the umask can only take bits away).
_PRIVATE_DIRECTORY, _PRIVATE_FILE = 0o700, 0o600


MAX_AGE_DAYS = 30
MAX_BYTES = 256 * 1024 * 1024
_DAY = 86400.0
_SWEPT = "last-sweep"  # its modification time: when the cache was last swept


def _made_directory(entry: str) -> str:
    """The directory of ``entry``, made private if it is new (makedirs gives its mode
    to the last directory only: the cache's own is made first). Every write comes
    here: the cache is swept first when its last sweep is a day old."""
    root = _directory()
    _sweep_daily(root)
    directory = os.path.join(root, entry[:2])
    if not os.path.isdir(directory):
        os.makedirs(root, mode=_PRIVATE_DIRECTORY, exist_ok=True)
        os.makedirs(directory, mode=_PRIVATE_DIRECTORY, exist_ok=True)
    return directory


def _sweep_daily(root: str) -> None:
    now = time.time()
    marker = os.path.join(root, _SWEPT)
    try:
        if now - os.stat(marker).st_mtime < _DAY:
            return
    except FileNotFoundError:
        if not os.path.isdir(root):
            return  # a new cache: nothing to sweep
    except OSError:
        return
    try:
        os.close(os.open(marker, os.O_WRONLY | os.O_CREAT, _PRIVATE_FILE))
        os.utime(marker, (now, now))
        _sweep(root, now)
    except OSError:
        pass  # a cache that cannot be swept is still a cache


def _sweep(root: str, now: float) -> None:
    """Remove what no run needs: entries unused for MAX_AGE_DAYS, temporaries an hour
    old (a run killed while writing), then the oldest entries while over MAX_BYTES."""
    kept: list[tuple[float, int, str]] = []
    for directory in os.scandir(root):
        if not directory.is_dir(follow_symlinks=False) or len(directory.name) != 2:
            continue
        for entry in os.scandir(directory.path):
            if not entry.is_file(follow_symlinks=False):
                continue
            status = entry.stat(follow_symlinks=False)
            age = now - status.st_mtime
            if age > MAX_AGE_DAYS * _DAY or (entry.name.startswith(".") and age > _DAY / 24):
                _remove(entry.path)
            else:
                kept.append((status.st_mtime, status.st_size, entry.path))
    total = sum(size for _, size, _ in kept)
    if total <= MAX_BYTES:
        return
    for _, size, path in sorted(kept):
        if total <= MAX_BYTES:
            break
        if _remove(path):
            total -= size


def _remove(path: str) -> bool:
    try:
        os.unlink(path)
    except OSError:
        return False
    return True


def _used(path: str, modified: float) -> None:
    """An entry just used stays young (its modification time is its last use, to a day)."""
    now = time.time()
    if now - modified > _DAY:
        try:
            os.utime(path, (now, now))
        except OSError:
            return  # a read-only cache: the entry ages and, once swept, is worked out again


def key(kind: str, text: str) -> str:
    digest = blake2b(f"{kind}\0{_inputs_identity()}\0".encode(), digest_size=32)
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def off() -> bool:
    """``MESHIFY_NO_CACHE``: nothing is read from the cache or written to it."""
    return bool(os.environ.get("MESHIFY_NO_CACHE"))


def has(entry: str) -> bool:
    if off():
        return False
    path = os.path.join(_directory(), entry[:2], entry)
    try:
        _used(path, os.stat(path).st_mtime)
    except OSError:
        return False
    return True


def remember(entry: str) -> None:
    if off():
        return
    try:
        directory = _made_directory(entry)
        os.close(os.open(os.path.join(directory, entry), os.O_WRONLY | os.O_CREAT, _PRIVATE_FILE))
    except OSError:
        pass  # a read-only home: no cache, same results


def load(entry: str) -> bytes | None:
    """What :func:`store` kept under ``entry`` (``b""`` for :func:`remember`), or None."""
    if off():
        return None
    path = os.path.join(_directory(), entry[:2], entry)
    try:
        with open(path, "rb") as handle:
            _used(path, os.fstat(handle.fileno()).st_mtime)
            return handle.read()
    except OSError:
        return None


def store(entry: str, content: bytes) -> None:
    """Keep ``content`` under ``entry``, whole or not at all: a run beside this one (a
    parallel pre-commit hook) reads either the old entry or the new one, never half."""
    if off():
        return
    try:
        directory = _made_directory(entry)
        temporary = os.path.join(directory, f".{entry}.{os.getpid()}")
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _PRIVATE_FILE), "wb") as stream:
            stream.write(content)
        os.replace(temporary, os.path.join(directory, entry))
    except OSError:
        pass  # a read-only home: no cache, same results


def parsed_file(path: os.PathLike[str] | str, read: Callable[[Any], Any]) -> Any:
    """``read(path)``, kept (as marshal data: plain dicts, lists, strings and numbers) under
    the file's path, size and modification time: botocore's ECS model is 15 ms of gzip and
    JSON at every start, 4 ms from here. An entry that cannot be read is read afresh."""
    import marshal

    status = os.stat(path)
    entry = "file-" + key("parsed-file", f"{os.fspath(path)}\0{status.st_size}\0{status.st_mtime_ns}")
    content = load(entry)
    if content:
        try:
            return marshal.loads(content)
        except (ValueError, TypeError, EOFError):
            pass  # a damaged entry: read the file again
    value = read(path)
    try:
        content = marshal.dumps(value)
    except ValueError:
        return value  # not plain data: read it each time
    store(entry, content)
    return value

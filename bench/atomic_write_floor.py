"""The kernel's floor under ``inject --in-place``: what writing files costs with no meshify at all.

    python bench/atomic_write_floor.py [--files 10000] [--size 2600] [--rounds 2]

Issue 13 asks ``inject --in-place`` to cost at most 1.5x ``inject --check`` on the same files.
A written file is replaced atomically (a new temporary file in the same directory, written,
flushed with fsync, renamed over the file), so its kernel work is a creation, a write, a
flush and a rename. This script does exactly that, from Python with nothing else, to as
many files of one directory as the benchmark has (each file first made as a user's, its old
inode freed by the rename as a user's is), and prints the user and system time per file of
three ways of writing, each in a fresh directory:

- ``overwrite``: the old file truncated and written (no atomicity: a crash leaves half a file);
- ``rename``: temporary, write, rename (atomic, not flushed);
- ``fsync+rename``: what meshify does (atomic and flushed).

Compare the ``fsync+rename`` figure with ``inject --check``'s cpu per file (``bench/run.py
--only per-file``): the ratio ``--in-place / --check`` cannot go below 1 plus their
quotient, whatever meshify's own code costs (bench/NOTES.md, "in-place round 5").
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time


def _write_all(directory: str, files: int, data: bytes, how: str) -> tuple[float, float]:
    """User and system seconds of writing ``files`` files of ``directory`` ``how``."""
    for index in range(files):
        with open(os.path.join(directory, f"f{index}.json"), "wb") as made:
            made.write(data[: len(data) // 2])
    time.sleep(1)  # the files made, before the clock starts
    before = resource.getrusage(resource.RUSAGE_SELF)
    for index in range(files):
        target = os.path.join(directory, f"f{index}.json")
        if how == "overwrite":
            descriptor = os.open(target, os.O_WRONLY | os.O_TRUNC)
            os.write(descriptor, data)
            os.close(descriptor)
            continue
        temporary = os.path.join(directory, f".f{index}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        os.write(descriptor, data)
        if how == "fsync+rename":
            os.fsync(descriptor)
        os.close(descriptor)
        os.rename(temporary, target)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=10_000, help="files per directory (the benchmark's 10,000)")
    parser.add_argument("--size", type=int, default=2600, help="bytes written per file (an injected task definition)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--dir", default=None, help="where to write (default: a temporary directory)")
    arguments = parser.parse_args()
    data = b"x" * arguments.size
    base = tempfile.mkdtemp(prefix="meshify-floor-", dir=arguments.dir)
    try:
        for _ in range(arguments.rounds):
            for how in ("overwrite", "rename", "fsync+rename"):
                directory = tempfile.mkdtemp(dir=base)
                user, system = _write_all(directory, arguments.files, data, how)
                print(f"{how:13} {arguments.files} files: user {user / arguments.files * 1e6:6.1f} us, "
                      f"system {system / arguments.files * 1e6:6.1f} us a file")
                shutil.rmtree(directory)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()

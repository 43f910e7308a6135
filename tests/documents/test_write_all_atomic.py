"""--in-place writes a batch with the guarantees of one atomic write per file: each file
is replaced whole once its bytes are on disk, keeps its mode, no temporary file is left,
the files are replaced (and reported) in the order given, and a failure names the user's
file, with the files before it written and those after it not."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from meshify.injector.documents import document
from meshify.injector.documents.document import write_all_atomic
from meshify.injector.errors import InputError


def test_every_file_is_replaced_in_order_with_its_mode(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(document, "_STAGED_AT_ONCE", 3)  # several groups
    paths = [tmp_path / f"td-{index}.json" for index in range(8)]
    for index, path in enumerate(paths):
        path.write_text("old\n")
        path.chmod(0o640 if index % 2 else 0o604)
    flushed: list[int] = []
    replaced: list[str] = []
    fsync, replace = os.fsync, os.replace

    def recording_fsync(descriptor):
        if not stat.S_ISDIR(os.fstat(descriptor).st_mode):  # the files' own flushes
            flushed.append(descriptor)
        fsync(descriptor)

    def recording_replace(source, target):
        assert flushed, "replaced before its bytes were flushed"
        replaced.append(str(target))
        replace(source, target)

    monkeypatch.setattr(document.os, "fsync", recording_fsync)
    monkeypatch.setattr(document.os, "replace", recording_replace)
    written: list[str] = []
    write_all_atomic([(str(path), f"new {index}\r\n") for index, path in enumerate(paths)], written.append)
    assert written == replaced == [str(path) for path in paths]
    assert len(flushed) == 8
    assert [path.read_bytes() for path in paths] == [f"new {index}\r\n".encode() for index in range(8)]
    assert [stat.S_IMODE(path.stat().st_mode) for path in paths] == [0o604, 0o640] * 4
    assert sorted(os.listdir(tmp_path)) == sorted(path.name for path in paths)


def test_a_failed_replace_names_the_file_and_leaves_the_rest(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(document, "_STAGED_AT_ONCE", 3)
    paths = [tmp_path / f"td-{index}.json" for index in range(5)]
    for path in paths:
        path.write_text("old\n")
    replace = os.replace

    def failing_replace(source, target):
        if str(target).endswith("td-1.json"):
            raise OSError(28, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(document.os, "replace", failing_replace)
    written: list[str] = []
    with pytest.raises(InputError) as raised:
        write_all_atomic([(str(path), "new\n") for path in paths], written.append)
    assert str(raised.value) == f"{paths[1]}: cannot write: No space left on device"
    assert written == [str(paths[0])]
    assert [path.read_text() for path in paths] == ["new\n", "old\n", "old\n", "old\n", "old\n"]
    assert sorted(os.listdir(tmp_path)) == sorted(path.name for path in paths)


def test_a_file_that_cannot_be_staged_stops_the_batch_after_the_files_before_it(tmp_path: Path):
    paths = [tmp_path / "a.json", tmp_path / "missing" / "b.json", tmp_path / "c.json"]
    paths[0].write_text("old\n")
    written: list[str] = []
    with pytest.raises(InputError) as raised:
        write_all_atomic([(str(path), "new\n") for path in paths], written.append)
    assert str(raised.value) == f"{paths[1]}: cannot write: No such file or directory"
    assert written == [str(paths[0])]
    assert paths[0].read_text() == "new\n" and not paths[2].exists()
    assert sorted(os.listdir(tmp_path)) == ["a.json"]


def test_a_failed_flush_replaces_nothing_of_its_group(tmp_path: Path, monkeypatch):
    paths = [tmp_path / f"td-{index}.json" for index in range(3)]
    for path in paths:
        path.write_text("old\n")

    def failing_fsync(descriptor):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(document.os, "fsync", failing_fsync)
    with pytest.raises(InputError, match="cannot write: Input/output error"):
        write_all_atomic([(str(path), "new\n") for path in paths])
    assert [path.read_text() for path in paths] == ["old\n"] * 3
    assert sorted(os.listdir(tmp_path)) == sorted(path.name for path in paths)


def test_the_renames_are_made_durable_before_a_file_is_reported_written(tmp_path: Path, monkeypatch):
    """A rename is on disk only once its directory is flushed: until then a crash can bring
    back the old file although meshify said "injected". Each group's directories (one fsync
    each, however many files) are flushed after its renames and before the files are reported."""
    monkeypatch.setattr(document, "_STAGED_AT_ONCE", 3)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    paths = [tmp_path / ("a" if index % 2 else "b") / f"td-{index}.json" for index in range(4)]
    for path in paths:
        path.write_text("old\n")
    events: list[tuple[str, str]] = []
    fsync, replace = os.fsync, os.replace

    def recording_fsync(descriptor):
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            events.append(("flush directory", os.readlink(f"/proc/self/fd/{descriptor}")))
        fsync(descriptor)

    def recording_replace(source, target):
        events.append(("replace", str(target)))
        replace(source, target)

    monkeypatch.setattr(document.os, "fsync", recording_fsync)
    monkeypatch.setattr(document.os, "replace", recording_replace)
    write_all_atomic([(str(path), "new\n") for path in paths], lambda path: events.append(("written", path)))
    a, b = str(tmp_path / "a"), str(tmp_path / "b")
    assert events == [
        ("replace", str(paths[0])), ("replace", str(paths[1])), ("replace", str(paths[2])),
        ("flush directory", b), ("flush directory", a),
        ("written", str(paths[0])), ("written", str(paths[1])), ("written", str(paths[2])),
        ("replace", str(paths[3])), ("flush directory", a), ("written", str(paths[3])),
    ]

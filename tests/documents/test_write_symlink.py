"""A file given as a symbolic link is written where the link points, and the link stays a
link: as an editor, a formatter (black, prettier, ruff) or ``open(path, "w")`` do. Replacing
the link itself with a regular file (what ``sed -i`` does) would leave the linked file, the
one the repository keeps, without the change, and the link gone."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import run_meshify
from golden_cases import SHOP
from meshify.injector.documents import document
from meshify.injector.documents.document import write_all_atomic, write_atomic


@pytest.fixture
def linked(tmp_path: Path) -> tuple[Path, Path]:
    """``links/td.json`` -> ``../real/td.json`` (a relative link into another directory)."""
    (tmp_path / "real").mkdir()
    (tmp_path / "links").mkdir()
    target = tmp_path / "real" / "td.json"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "links" / "td.json"
    link.symlink_to("../real/td.json")
    return link, target


def test_a_link_is_written_through_and_stays_a_link(linked: tuple[Path, Path]) -> None:
    link, target = linked
    write_atomic(str(link), "new\n")
    assert os.readlink(link) == "../real/td.json"
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert sorted(os.listdir(link.parent)) == ["td.json"]  # no temporary left beside the link
    assert sorted(os.listdir(target.parent)) == ["td.json"]


def test_a_chain_of_links_is_followed_to_the_file(linked: tuple[Path, Path]) -> None:
    link, target = linked
    second = link.parent / "again.json"
    second.symlink_to("td.json")
    write_atomic(str(second), "new\n")
    assert (os.readlink(second), os.readlink(link)) == ("td.json", "../real/td.json")
    assert target.read_text() == "new\n"


def test_the_linked_files_directory_is_the_one_flushed_and_the_link_is_reported(linked: tuple[Path, Path],
                                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    link, target = linked
    flushed: list[str] = []
    fsync = os.fsync

    def recording_fsync(descriptor: int) -> None:
        if stat.S_ISDIR(os.fstat(descriptor).st_mode):
            flushed.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        fsync(descriptor)

    monkeypatch.setattr(document.os, "fsync", recording_fsync)
    written: list[str] = []
    write_all_atomic([(str(link), "new\n")], written.append)
    assert flushed == [str(target.parent)]
    assert written == [str(link)]


def test_inject_in_place_through_a_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "taskdefs").mkdir()
    (tmp_path / "meshify.yaml").write_text((SHOP / "meshify.yaml").read_text())
    target = tmp_path / "real" / "prices-api.json"
    target.write_text((SHOP / "taskdefs" / "prices-api.json").read_text())
    link = tmp_path / "taskdefs" / "prices-api.json"
    link.symlink_to("../real/prices-api.json")
    expected = run_meshify("inject", "taskdefs/prices-api.json", cwd=tmp_path).stdout  # the file as it would be written

    result = run_meshify("inject", "--in-place", "taskdefs/prices-api.json", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0] == "injected: taskdefs/prices-api.json"
    assert os.readlink(link) == "../real/prices-api.json"
    assert target.read_text() == expected
    assert run_meshify("inject", "--check", "taskdefs/prices-api.json", cwd=tmp_path).returncode == 0


def test_the_check_before_writing_asks_the_linked_files_directory(tmp_path: Path) -> None:
    from meshify.injector.documents.document import unwritable

    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "td.json"
    link.symlink_to("../gone/td.json")  # its directory does not exist: nothing can be written there
    assert str(unwritable(str(link))) == f"{link}: cannot write: no directory '{tmp_path / 'gone'}'"
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "dir.json").mkdir()
    other = tmp_path / "links" / "dir.json"
    other.symlink_to("../real/dir.json")
    assert str(unwritable(str(other))) == f"{other}: cannot write: not a regular file"
    (tmp_path / "real" / "td.json").write_text("{}")
    fine = tmp_path / "links" / "fine.json"
    fine.symlink_to("../real/td.json")
    assert unwritable(str(fine)) is None


@pytest.mark.parametrize("command", ["uninject", "migrate"])
def test_a_file_given_with_a_link_to_it_is_edited_once(tmp_path: Path, command: str) -> None:
    """inject knew a file given twice; uninject and migrate edited it once per spelling (two
    'migrated:' lines, two diffs of one file, the second write from the original text)."""
    shutil.copy(SHOP / "meshify.yaml", tmp_path / "meshify.yaml")
    (tmp_path / "taskdefs").mkdir()
    injected = run_meshify("inject", str(SHOP / "taskdefs" / "prices-api.json"), cwd=SHOP).stdout
    (tmp_path / "taskdefs" / "prices-api.json").write_text(injected)
    (tmp_path / "linked.json").symlink_to("taskdefs/prices-api.json")
    extra = ["--to", "service-connect"] if command == "migrate" else []
    files = ["taskdefs/prices-api.json", "linked.json", "./taskdefs/prices-api.json"]
    alone = run_meshify(command, "taskdefs/prices-api.json", *extra, "--diff", cwd=tmp_path)
    twice = run_meshify(command, *files, *extra, "--diff", cwd=tmp_path)
    assert twice.stdout == alone.stdout != ""
    result = run_meshify(command, *files, *extra, "--in-place", cwd=tmp_path)
    verb = "migrated" if command == "migrate" else "uninjected"
    assert [line for line in result.stderr.splitlines() if line.startswith(f"{verb}:")] == [
        f"{verb}: taskdefs/prices-api.json"]
    assert os.path.islink(tmp_path / "linked.json")

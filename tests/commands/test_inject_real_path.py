"""inject's batch of lone task definitions knows a file given twice by its real path:
``commands.batch.real_path`` (lint's and inject's key of a file) asks the file system less
than ``os.path.realpath`` and answers the same."""

from __future__ import annotations

import os
import shutil
import stat

import pytest
from conftest import run_meshify
from golden_cases import SHOP
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from meshify.injector.commands.batch import real_path


@pytest.fixture
def tree(tmp_path, monkeypatch):
    (tmp_path / "real" / "deep").mkdir(parents=True)
    (tmp_path / "real" / "deep" / "td.json").write_text("{}")
    (tmp_path / "real" / "other.json").write_text("{}")
    os.symlink(tmp_path / "real", tmp_path / "linked-dir")
    os.symlink(tmp_path / "real" / "other.json", tmp_path / "real" / "deep" / "linked.json")
    os.symlink("../other.json", tmp_path / "real" / "deep" / "relative-link.json")
    monkeypatch.chdir(tmp_path / "real")
    return tmp_path


@pytest.mark.parametrize("path", [
    "other.json", "./other.json", "deep/td.json", "deep//td.json", "deep/../other.json", "deep/./td.json",
    "deep/linked.json", "deep/relative-link.json", "../linked-dir/deep/td.json", "../linked-dir/deep/linked.json",
    "{root}/linked-dir/other.json", "{root}/real/deep/td.json", "../real/deep/td.json",
])
def test_the_real_path_of_a_file_is_realpaths(tree, path):
    path = path.format(root=tree)
    directories: dict[str, str] = {}
    assert real_path(path, directories) == os.path.realpath(path)
    assert real_path(path, directories) == os.path.realpath(path)  # its directory remembered


def test_a_directory_remembered_for_one_file_serves_its_neighbours(tree):
    directories: dict[str, str] = {}
    real_path("../linked-dir/deep/td.json", directories)
    assert real_path("../linked-dir/deep/linked.json", directories) == str(tree / "real" / "other.json")
    assert directories == {"../linked-dir/deep": str(tree / "real" / "deep")}


def test_a_task_definition_given_twice_through_a_linked_folder_is_injected_once(tmp_path, monkeypatch):
    monkeypatch.setenv("MESHIFY_JOBS", "1")
    shutil.copy(SHOP / "meshify.yaml", tmp_path / "meshify.yaml")
    (tmp_path / "taskdefs").mkdir()
    shutil.copy(SHOP / "taskdefs" / "products-api.json", tmp_path / "taskdefs" / "products-api.json")
    os.symlink(tmp_path / "taskdefs", tmp_path / "same")
    once = run_meshify("inject", "--check", "taskdefs/products-api.json", cwd=tmp_path)
    twice = run_meshify("inject", "--check", "taskdefs/products-api.json", "same/products-api.json",
                        "./taskdefs/products-api.json", cwd=tmp_path)
    assert (twice.returncode, twice.stdout, twice.stderr) == (once.returncode, once.stdout, once.stderr)
    assert once.returncode == 1 and once.stdout.count("would change") + once.stderr.count("would change") == 1


def _real_path_with_os_path(path: str, directories: dict[str, str]) -> str:
    """real_path as it was written with os.path.split and os.path.join: the oracle of its
    shorter spelling of both for the common path."""
    directory, name = os.path.split(path)
    try:
        if name in ("", ".", "..") or stat.S_ISLNK(os.lstat(path).st_mode):
            return os.path.realpath(path)
    except OSError:
        return os.path.realpath(path)
    real = directories.get(directory)
    if real is None:
        real = directories[directory] = os.path.realpath(directory)
    return os.path.join(real, name)


PIECES = ["real", "deep", "td.json", "other.json", "linked.json", "relative-link.json", "linked-dir", "missing",
          ".", "..", "", "/", "//", "x.json"]


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.booleans(), st.lists(st.sampled_from(PIECES), max_size=6), st.sampled_from(["", "/", "//"]))
def test_the_same_answer_as_os_path_split_and_join(tree, absolute, pieces, end):
    path = (f"{tree}/" if absolute else "") + "/".join(pieces) + end
    mine: dict[str, str] = {}
    theirs: dict[str, str] = {}
    for _ in range(2):  # the directory met first, then remembered
        assert real_path(path, mine) == _real_path_with_os_path(path, theirs)
    assert mine == theirs


@pytest.mark.parametrize("path", [
    "/", "//", "///", "/td.json", "//td.json", "///td.json", "td.json", "/real//other.json", "deep/", "deep//",
    "deep//td.json", "deep///td.json", ".", "..", "./", "a/b/..", "a/b/.", "a//b", "/..//x",
])
def test_the_same_answer_on_edges(tree, path):
    for given_path in (path, f"{tree}{path}") if path.startswith("/") else (path, f"{tree}/real/{path}"):
        mine: dict[str, str] = {}
        theirs: dict[str, str] = {}
        assert real_path(given_path, mine) == _real_path_with_os_path(given_path, theirs)
        assert mine == theirs  # the same directory remembered, under the same key


def test_a_file_in_the_root_directory(monkeypatch):
    monkeypatch.setattr(os.path, "realpath", lambda path: "/" if path in ("/", "//x") else path)
    monkeypatch.setattr(os, "lstat", lambda path: os.stat_result((stat.S_IFREG,) + (0,) * 9))
    assert real_path("//x/td.json", {}) == "/td.json"  # os.path.join("/", "td.json")


def _told_link(path: str) -> bool | None:
    """What lint's own lstat tells real_path (None when it could not ask)."""
    try:
        return stat.S_ISLNK(os.lstat(path).st_mode)
    except OSError:
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.booleans(), st.lists(st.sampled_from(PIECES), max_size=6), st.sampled_from(["", "/", "//"]))
def test_told_whether_the_file_is_a_link_the_same_answer_without_asking(tree, absolute, pieces, end):
    path = (f"{tree}/" if absolute else "") + "/".join(pieces) + end
    told: dict[str, str] = {}
    asked: dict[str, str] = {}
    for _ in range(2):
        assert real_path(path, told, _told_link(path)) == real_path(path, asked)
    assert told == asked


def test_lint_knows_the_manifest_and_links_with_one_lstat(tree):
    from meshify.injector.commands.lint import _manifest_or_link

    manifest = tree / "real" / "other.json"
    os.link(manifest, tree / "real" / "hard.json")
    os.symlink(tree / "missing.json", tree / "real" / "dangling.json")
    status = os.stat(manifest)
    for path in ["other.json", "deep/linked.json", "deep/relative-link.json", "../linked-dir/other.json", "hard.json",
                 "deep/td.json", "dangling.json", "missing.json", "deep", "../linked-dir"]:
        same = os.path.exists(path) and os.path.samefile(path, manifest)
        # A link to nothing, or no file: not told (real_path asks itself).
        assert _manifest_or_link(path, status) == (same, _told_link(path) if os.path.exists(path) else None), path
    assert _manifest_or_link("other.json", None) == (False, None)

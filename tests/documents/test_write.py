"""Writing a file: atomically, keeping what the user set, and failing with the user's path
(never the temporary file's) in the message."""

from __future__ import annotations

import os

import pytest
from meshify.injector.documents.document import unwritable, write_atomic
from meshify.injector.errors import InputError


def test_a_failed_write_names_the_users_file(tmp_path):
    target = tmp_path / "missing" / "role.json"
    with pytest.raises(InputError) as raised:
        write_atomic(str(target), "{}\n")
    assert str(raised.value) == f"{target}: cannot write: No such file or directory"
    assert ".tmp" not in str(raised.value)


def test_a_failed_replace_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "taskdefs"
    target.mkdir()  # a directory where the file should go: os.replace fails
    with pytest.raises(InputError) as raised:
        write_atomic(str(target), "{}\n")
    assert str(raised.value).startswith(f"{target}: cannot write: ")
    assert os.listdir(tmp_path) == ["taskdefs"]


def test_unwritable_says_why(tmp_path):
    assert unwritable(str(tmp_path / "new.json")) is None
    assert str(unwritable(str(tmp_path / "no" / "new.json"))) == \
        f"{tmp_path / 'no' / 'new.json'}: cannot write: no directory '{tmp_path / 'no'}'"
    assert str(unwritable(str(tmp_path))) == f"{tmp_path}: cannot write: not a regular file"


def test_preflight_asks_a_directory_once_and_names_every_file(tmp_path):
    from meshify.injector.outputs.patches import preflight

    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "dir.json").mkdir()
    paths = [str(tmp_path / "no" / "a.json"), str(tmp_path / "ok" / "b.json"), str(tmp_path / "no" / "c.json"),
             str(tmp_path / "ok" / "dir.json")]
    assert [str(problem) for problem in preflight(paths)] == [
        f"{paths[0]}: cannot write: no directory '{tmp_path / 'no'}'",
        f"{paths[2]}: cannot write: no directory '{tmp_path / 'no'}'",
        f"{paths[3]}: cannot write: not a regular file",
    ]


def test_a_directory_is_named_as_the_path_writes_it_however_the_file_is_spelled(tmp_path):
    from pathlib import Path

    from meshify.injector.outputs.patches import preflight

    missing = tmp_path / "no"
    spellings = [f"{missing}/a.json", f"{missing}//b.json", f"{missing}/./c.json", f"{tmp_path}/./no/d.json",
                 f"{missing}/sub/../e.json", f"{missing}/.", f"{missing}/f.json/", "relative-no/g.json"]
    problems = [str(problem) for problem in preflight(spellings)]
    # What Path(path).parent names ("no/." is the temporary directory itself, which exists).
    assert problems == [f"{path}: cannot write: no directory {str(Path(path).parent)!r}" for path in spellings
                        if not Path(path).parent.is_dir()]
    assert len(problems) == len(spellings) - 1

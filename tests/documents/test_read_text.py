"""read_text reads a file whole, byte for byte, whatever its size up to the bound."""

from __future__ import annotations

import pytest
from meshify.injector.documents import limits
from meshify.injector.documents.document import read_text
from meshify.injector.errors import InputError


@pytest.mark.parametrize("size", [0, 1, 65_535, 65_536, 65_537, 300_001])
def test_every_byte_is_read(tmp_path, size):
    text = "".join(chr(0x61 + n % 26) if n % 80 else "\n" for n in range(size)) + "é"
    path = tmp_path / "file.json"
    path.write_bytes(text.encode())
    assert read_text(str(path)) == text


def test_a_file_at_the_bound_is_read_and_one_beyond_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100_000)
    path = tmp_path / "file.json"
    path.write_bytes(b"x" * 100_000)
    assert len(read_text(str(path))) == 100_000
    path.write_bytes(b"x" * 100_001)
    with pytest.raises(InputError, match="100,001 bytes, more than meshify reads"):
        read_text(str(path))


def test_a_directory_a_pipe_and_a_device_are_refused_by_kind(tmp_path):
    import os

    with pytest.raises(InputError, match="is a directory, not a file") as raised:
        read_text(str(tmp_path))
    assert str(raised.value) == f"{tmp_path}: is a directory, not a file"
    os.mkfifo(tmp_path / "pipe.json")
    with pytest.raises(InputError) as raised:
        read_text(str(tmp_path / "pipe.json"))
    assert str(raised.value).endswith("pipe.json: not a regular file (a pipe or a device); give a file")
    with pytest.raises(InputError) as raised:
        read_text("/dev/null")
    assert str(raised.value) == "/dev/null: not a regular file (a pipe or a device); give a file"

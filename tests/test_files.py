"""Files written whole or not at all."""

from __future__ import annotations

import stat

import pytest

from expo_hall.files import write_atomically


def test_replaces_the_file_and_leaves_nothing_beside_it(tmp_path):
    path = tmp_path / "deep" / "index.json"
    write_atomically(path, "первый")
    write_atomically(path, b"second")
    assert path.read_bytes() == b"second" and sorted(p.name for p in path.parent.iterdir()) == ["index.json"]


def test_private_files_are_for_the_user_only(tmp_path):
    path = write_atomically(tmp_path / "identity.json", "{}", private=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_failed_write_keeps_the_old_file_and_no_part(tmp_path):
    path = write_atomically(tmp_path / "agenda.json", "old")
    with pytest.raises(TypeError):
        write_atomically(path, 12345)  # type: ignore[arg-type]  # not bytes: fails while writing
    assert path.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["agenda.json"]

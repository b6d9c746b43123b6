"""Confinement of a package's file names to its folder: what is refused, with which problem, and what is not."""

from __future__ import annotations

import os

import pytest

from expo_hall.content.confine import FileMissing, PathRefused, confined_file, inside_name, open_confined
from expo_hall.problems import english


@pytest.fixture
def package(tmp_path):
    """A package folder with a file, a subfolder, and a secret beside the folder."""
    folder = tmp_path / "stands" / "alpha"
    (folder / "files").mkdir(parents=True)
    (folder / "files" / "booklet.pdf").write_bytes(b"%PDF-1.4 booklet")
    (folder / "logo.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("the server's secret")
    return folder


@pytest.mark.parametrize("name, key", [
    ("../../secret.txt", "path_outside"),
    ("files/../../../secret.txt", "path_outside"),
    ("..", "path_outside"),
    ("/etc/passwd", "path_absolute"),
    ("//server/share/x.pdf", "path_absolute"),
    ("C:/Windows/win.ini", "path_absolute"),
    ("c:secret.txt", "path_absolute"),
    ("..\\..\\secret.txt", "path_not_plain"),
    ("files\\booklet.pdf", "path_not_plain"),
    ("logo.png\x00.txt", "path_not_plain"),
    ("logo\n.png", "path_not_plain"),
    ("", "path_not_plain"),
    (".", "path_not_file"),
    ("files", "path_not_file"),
    ("files/", "path_not_file"),
    ("nope.pdf", "path_missing"),
])
def test_a_name_that_leaves_the_folder_or_is_not_a_file_is_refused_by_name(package, name, key):
    with pytest.raises(PathRefused) as info:
        confined_file(package, name)
    assert info.value.key == key and info.value.values["name"] == name
    assert isinstance(info.value, FileMissing) == (key == "path_missing")
    text = english(f"problem.{key}", **info.value.values)
    assert "%{" not in text and (name in text or not name)


@pytest.mark.parametrize("name, inside", [
    ("logo.png", "logo.png"),
    ("./files//booklet.pdf", "files/booklet.pdf"),
    ("files/../logo.png", "logo.png"),
])
def test_names_inside_the_folder_are_kept_as_written(package, name, inside):
    assert inside_name(name) == inside
    assert confined_file(package, name) == package.joinpath(*inside.split("/"))


def test_a_name_from_a_subfolder_may_go_up_to_the_folder_but_not_above(package):
    assert inside_name("../logo.png", base="files") == "logo.png"
    assert confined_file(package, "booklet.pdf", base="files") == package / "files" / "booklet.pdf"
    with pytest.raises(PathRefused, match="path_outside"):
        inside_name("../../secret.txt", base="files")


def test_a_link_inside_the_folder_is_followed(package):
    (package / "brochure.pdf").symlink_to("files/booklet.pdf")
    (package / "docs").symlink_to("files", target_is_directory=True)
    assert confined_file(package, "brochure.pdf") == package / "brochure.pdf"
    with open_confined(package, "docs/booklet.pdf") as fh:
        assert fh.read() == b"%PDF-1.4 booklet"


@pytest.mark.parametrize("target", ["../../secret.txt", "/etc/hostname", "../alpha-twin/file.pdf"])
def test_a_link_out_of_the_folder_is_refused(package, target):
    twin = package.parent / "alpha-twin"  # a sibling whose name starts like the folder's
    twin.mkdir()
    (twin / "file.pdf").write_bytes(b"not alpha's")
    (package / "evil.pdf").symlink_to(target)
    (package / "outside").symlink_to(package.parent.parent, target_is_directory=True)
    for name in ("evil.pdf", "outside/secret.txt"):
        with pytest.raises(PathRefused) as info:
            confined_file(package, name)
        assert info.value.key == "path_link_outside"
        with pytest.raises(PathRefused):
            open_confined(package, name)


def test_a_loop_of_links_a_pipe_and_a_dangling_link_are_named(package):
    (package / "a").symlink_to("b")
    (package / "b").symlink_to("a")
    (package / "gone.pdf").symlink_to("files/removed.pdf")
    os.mkfifo(package / "pipe.pdf")
    with pytest.raises(PathRefused, match="path_unreadable"):
        confined_file(package, "a")
    with pytest.raises(FileMissing):
        confined_file(package, "gone.pdf")
    with pytest.raises(PathRefused, match="path_not_file"):  # refused, not waited on
        open_confined(package, "pipe.pdf")


def test_open_confined_reads_the_file(package):
    with open_confined(package, "files/booklet.pdf") as fh:
        assert fh.read() == b"%PDF-1.4 booklet"

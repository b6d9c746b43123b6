"""Fuzzing the stand-package loader: thousands of malformed stand.toml files and odd folder layouts.

Whatever the package holds, load_package returns an exhibitor with warnings or raises ContentError: nothing
else escapes, every fault is a Problem whose text renders in English and in Russian (the Russian catalogue
has the key, with the same placeholders), and every file the exhibitor keeps is a regular file inside its
folder, and its logo is either refused or normalised by the server's import. The webinars it keeps have a start
and an end that every timezone can show.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import tempfile
import warnings
import zlib
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expo_hall import ASSETS_DIR
from expo_hall.content import images
from expo_hall.problems import ContentError, Problem
from expo_hall.stands.package import KNOWN_KEYS, is_url, load_package
from tests.content.pictures import png

FUZZ = settings(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None  # tmpfs: quicker


def fuzz(examples: int) -> settings:
    """About 1400 examples across the file: some 9 s on the project's machine."""
    return settings(FUZZ, max_examples=examples)
PLACEHOLDER = re.compile(r"%\{(\w+)\}")


@cache
def catalogue(lang: str) -> dict:
    with (ASSETS_DIR / "i18n" / f"expo_hall.{lang}.json").open(encoding="utf-8") as fh:
        return json.load(fh)[lang]


def render(lang: str, section: str, key: str, values: dict[str, str]) -> str:
    """The catalogue entry formatted as pygame-gui's i18n (and problems.english) do: every placeholder filled."""
    template = catalogue(lang)[section][key]
    assert set(PLACEHOLDER.findall(template)) <= set(values), (lang, key, template, values)
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def check(found: Problem) -> None:
    """The problem names its file and renders in both languages from the same placeholders."""
    values = dict(found.values)
    for section, key, given_values in (("problem", found.key, values),
                                       ("object", found.obj_kind, {"name": found.obj_name or "?"})):
        if not key:
            continue
        en, ru = catalogue("en")[section][key], catalogue("ru")[section][key]
        assert set(PLACEHOLDER.findall(en)) == set(PLACEHOLDER.findall(ru)), key
        assert render("en", section, key, given_values) and render("ru", section, key, given_values)
    english = found.text()
    assert english.startswith(found.file.name) or f"/{found.file.name}:" in english
    assert found.text(lambda key, **v: render("ru", *key.split("."), {k: str(x) for k, x in v.items()}))


def loads(folder: Path) -> None:
    """Load the package; check everything it says and keeps."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # Pillow's DecompressionBombWarning for a huge header: refused anyway
        try:
            exhibitor, problems = load_package(folder)
        except ContentError as exc:
            check(exc.problem)
            return
    for found in problems:
        check(found)
    kept = [exhibitor.logo, *(m.file for m in exhibitor.materials)]
    if exhibitor.video and not is_url(exhibitor.video):
        kept.append(Path(exhibitor.video))
    root = folder.resolve()
    for path in filter(None, kept):
        assert path.resolve().is_relative_to(root) and path.resolve().is_file(), path
    if exhibitor.logo is not None:  # what the server's import does with it: refused or normalised, nothing else
        try:
            images.logo_png(exhibitor.logo)
        except images.ImageRefused:
            pass
    for webinar in exhibitor.webinars:
        for moment in (webinar.starts, webinar.ends):
            moment.astimezone(dt.timezone(dt.timedelta(hours=-12)))
            moment.astimezone(dt.timezone(dt.timedelta(hours=14)))


# --- writing TOML from generated values -----------------------------------------------------------------------------

def toml_string(text: str) -> str:
    return '"' + "".join(c if c >= " " and c not in '"\\\x7f' else f"\\u{ord(c):04x}" for c in text) + '"'


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dt.date | dt.time | int):
        return value.isoformat() if not isinstance(value, int) else str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_document(table: dict[str, object]) -> str:
    return "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in table.items())


# --- strategies -----------------------------------------------------------------------------------------------------

texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
FILE_NAMES = ["logo.png", "files/booklet.pdf", "clip.mp4", "sub", "sub/", "in.png", "out.png", "out_dir/x.txt",
              "loop", "pipe", "gone.pdf", "big.png", "broken.png", "stand.toml", ".", "..", "../alpha/logo.png",
              "/etc/passwd", "C:\\logo.png", "files\\booklet.pdf", "logo.png\x00", "x" * 300, "~/logo.png", ""]
names = st.one_of(st.sampled_from(FILE_NAMES), texts, st.builds("/".join, st.lists(st.sampled_from(
    ["..", ".", "files", "sub", "logo.png", "in.png", "", "booklet.pdf"]), min_size=1, max_size=6)))
datetimes = st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30),
                         timezones=st.one_of(st.none(), st.timezones(), st.builds(
                             dt.timezone, st.timedeltas(min_value=dt.timedelta(hours=-23, minutes=-59),
                                                        max_value=dt.timedelta(hours=23, minutes=59)))))
scalars = st.one_of(texts, names, st.integers(-(2 ** 63), 2 ** 63 - 1), st.floats(), st.booleans(), datetimes,
                    st.dates(), st.times())
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(texts, inner, max_size=3)), max_leaves=6)
keys = st.one_of(st.sampled_from(sorted(KNOWN_KEYS)), texts)
material = st.fixed_dictionaries({}, optional={"title": st.one_of(texts, values), "title_en": values,
                                               "file": st.one_of(names, values), "url": st.one_of(texts, values)})
webinar = st.fixed_dictionaries({}, optional={
    "title": st.one_of(texts, values), "starts": st.one_of(datetimes, values), "url": st.one_of(texts, values),
    "duration_minutes": st.one_of(st.integers(-(2 ** 63), 2 ** 63 - 1), values)})
packages = st.fixed_dictionaries({}, optional={
    "name": st.one_of(texts, values), "name_en": values, "category": values, "description": values,
    "logo": st.one_of(names, values), "video": st.one_of(names, st.just("https://v.example/x.mp4"), values),
    "contacts": st.one_of(st.dictionaries(st.sampled_from(["email", "phone", "website", "address", "messengers",
                                                           "fax"]), values), values),
    "materials": st.one_of(st.lists(material, max_size=4), values),
    "webinars": st.one_of(st.lists(webinar, max_size=4), values),
    "colour": values})

KINDS = ["file", "png", "truncated_png", "huge_png", "dir", "link_in", "link_out", "link_dir_out", "fifo",
         "dangling", "loop"]


SMALL_PNG = png(2, 2, zlib.compress(b"\x00" + b"\xff\x00\x00" * 2 + b"\x00" + b"\x00\xff\x00" * 2))


def make(folder: Path, name: str, kind: str, data: bytes) -> None:
    """Put something of `kind` at folder/name (parents made as folders); names that cannot be made are skipped."""
    path = folder / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            return
        outside = folder.parent.parent / "outside"
        if kind == "file":
            path.write_bytes(data)
        elif kind == "png":
            path.write_bytes(SMALL_PNG)
        elif kind == "truncated_png":
            path.write_bytes(SMALL_PNG[: len(SMALL_PNG) // 2])
        elif kind == "huge_png":
            path.write_bytes(png(30000, 30000, zlib.compress(bytes(1000))))
        elif kind == "dir":
            path.mkdir()
        elif kind == "link_in":
            path.symlink_to(os.path.relpath(folder / "logo.png", path.parent))
        elif kind == "link_out":
            path.symlink_to(outside / "secret.txt")
        elif kind == "link_dir_out":
            path.symlink_to(outside, target_is_directory=True)
        elif kind == "fifo":
            os.mkfifo(path)
        elif kind == "dangling":
            path.symlink_to(folder / "no-such-file")
        elif kind == "loop":
            path.symlink_to(path.name)
    except (OSError, ValueError):  # a name too long, a parent that is a file, a NUL: the layout just lacks it
        pass


layouts = st.lists(st.tuples(st.sampled_from(FILE_NAMES[:14]), st.sampled_from(KINDS), st.binary(max_size=64)),
                   max_size=8)
folder_names = st.one_of(st.just("alpha"), st.sampled_from(["-x", "a b", ".hidden", "ünï", "a" * 200]), texts)
toml_kinds = st.sampled_from(["file", "file", "file", "file", "missing", "dir", "link_out", "fifo", "loop",
                              "link_in"])


def package_dir(root: Path, folder_name: str) -> Path | None:
    outside = root / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text('name = "the secret"\n')
    try:
        folder = root / "stands" / folder_name
        folder.mkdir(parents=True)
    except (OSError, ValueError):
        return None
    return folder


def write_toml(folder: Path, kind: str, text: bytes) -> None:
    toml = folder / "stand.toml"
    if kind == "file":
        toml.write_bytes(text)
    elif kind == "link_in":
        (folder / "real.toml").write_bytes(text)
        toml.symlink_to("real.toml")
    elif kind != "missing":
        make(folder, "stand.toml", kind, text)


@fuzz(600)
@given(table=packages, layout=layouts, toml_kind=toml_kinds)
def test_packages_with_any_values_and_odd_files(table, layout, toml_kind):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        folder = package_dir(Path(tmp), "alpha")
        write_toml(folder, toml_kind, toml_document(table).encode("utf-8"))
        for name, kind, data in layout:
            make(folder, name, kind, data)
        loads(folder)


@fuzz(500)
@given(table=st.dictionaries(keys, values, max_size=8), folder_name=folder_names)
def test_any_toml_document(table, folder_name):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        folder = package_dir(Path(tmp), folder_name)
        if folder is None:
            return
        write_toml(folder, "file", toml_document(table).encode("utf-8"))
        loads(folder)


toml_bits = st.sampled_from(["name = ", '"x"', "[[materials]]", "[contacts]", "file = ", "'../../x'", "\n", "[",
                             "]", "{", "}", "=", "2020-04-27T11:00:00+03:00", "9999-12-31T23:59:59-23:59",
                             "1e999", "0x7fffffffffffffff", '"""', "\\u0000", "#", "\ufeff", "a.b.c = 1"])


@fuzz(300)
@given(raw=st.one_of(st.binary(max_size=200), st.lists(toml_bits, max_size=30).map(lambda bits: "".join(bits)
                                                                                    .encode("utf-8"))))
def test_any_bytes(raw):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        folder = package_dir(Path(tmp), "alpha")
        write_toml(folder, "file", raw)
        loads(folder)


def test_deep_nesting_big_files_and_far_dates_are_named(tmp_path):
    cases = {
        "deep": ("a = " + "[" * 5000 + "]" * 5000 + "\nname = 'x'\n", "toml_too_deep"),
        "big": ('name = "x"\ndescription = "' + "x" * 1_100_000 + '"\n', "toml_too_big"),
        "bom": ('\ufeffname = "x"\n', None),
    }
    for name, (text, key) in cases.items():
        folder = tmp_path / name
        folder.mkdir()
        (folder / "stand.toml").write_text(text, encoding="utf-8")
        if key is None:
            assert load_package(folder)[0].name == "x"
            continue
        try:
            load_package(folder)
        except ContentError as exc:
            assert exc.problem.key == key
            check(exc.problem)
        else:
            raise AssertionError(f"{name}: loaded")
    folder = tmp_path / "far"
    folder.mkdir()
    (folder / "stand.toml").write_text(
        'name = "x"\n[[webinars]]\ntitle = "Конец времён"\nstarts = 9999-12-31T23:00:00+03:00\n'
        '[[webinars]]\ntitle = "Вечность"\nstarts = 2020-04-27T11:00:00+03:00\n'
        'duration_minutes = 9223372036854775807\n',
        encoding="utf-8")
    exhibitor, problems = load_package(folder)
    assert exhibitor.webinars == () and [p.key for p in problems] == ["no_logo", "webinar_bad_year", "webinar_too_long"]

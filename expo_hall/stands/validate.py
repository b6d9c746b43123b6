"""Checking a stand package before visitors see it: every fault named, with what to do about it.

`validate(folder)` reads the package as the hall and the server's import do (expo_hall/stands/package.py,
expo_hall/content/confine.py), then judges what they took: the logo (format, pixel size, aspect, how it is
drawn on the floor), the video (container, codecs, length, size, sound; played by the client's own
decoder), each material (its real type by signature, its size, that it opens), the contacts, the webinars
(inside the fair's dates, not overlapping, with an https link), the texts (both languages, lengths) and
the files the package holds but does not use. Findings are `Problem`s with a severity, a field, a code,
a message and a fix in the catalogue (assets/i18n, sections "problem" and "fix").

What the loader only warns about because the hall can go on without it (a logo that cannot be read, a
material whose file is missing) is an error here: visitors would not see what the exhibitor meant them to.

Plain Python, no pygame: `expo-hall preview --check`, the preview window and (later) the server use it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from expo_hall.content import images, limits, signatures
from expo_hall.content.confine import PathRefused, open_confined
from expo_hall.content.text import EMAIL_PATTERN, PHONE_CHARS, TextError, check_email
from expo_hall.problems import ContentError, Problem, Severity, problem
from expo_hall.stands import looks
from expo_hall.stands.package import Exhibitor, Material, Webinar, load_package

MSK = dt.timezone(dt.timedelta(hours=3), "MSK")


@dataclass(frozen=True)
class Fair:
    """The fair's days, in its time zone: webinars must start and end within them."""

    first: dt.date
    last: dt.date
    zone: dt.tzinfo = MSK

    @property
    def opens(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(0), self.zone)

    @property
    def closes(self) -> dt.datetime:
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(0), self.zone)


DEMO_FAIR = Fair(dt.date(2020, 4, 26), dt.date(2020, 5, 8))  # MMSO-2020 online, 26 April to 8 May, Moscow time

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
LOADER_WARNINGS = frozenset({"unknown_key", "no_logo"})  # what stays a warning; the loader's others are errors here
LOGO_LARGE = 4 * images.LOGO_BOX  # a logo bigger than this is a heavy file for a 512 px picture
FLOOR_LETTERING = 20  # px: a logo drawn lower (or narrower) than this on its stand cannot be read
MATERIAL_KINDS = frozenset({"pdf", "png", "jpeg", "webp", "gif", "bmp", "tiff",
                            "docx", "xlsx", "pptx", "odt", "ods", "odp", "ole", "rtf"})
ZIP_DOCUMENTS = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})
VIDEO_SMALL = 360  # px: a picture lower than this is enlarged in the stand window
VIDEO_LARGE = 1920 * 1080  # pixels: more costs visitors' processors and shows no better in the window
VIDEO_LONG = 10 * 60  # seconds
TELEGRAM = re.compile(r"^@[A-Za-z0-9_]{5,32}$")
HANDLE = re.compile(r"^@?[A-Za-z0-9_.\-]{2,64}$")
MESSENGER_HOSTS = {"telegram": ("t.me", "telegram.me"), "whatsapp": ("wa.me", "api.whatsapp.com"),
                   "vk": ("vk.com", "m.vk.com", "vk.ru"), "viber": ()}
PHONE_MESSENGERS = frozenset({"whatsapp", "viber"})
PREVIEW_BOX = (64, 88)  # what the Materials tab renders a material's first page or picture into


def validate(folder: Path, fair: Fair = DEMO_FAIR) -> tuple[Exhibitor | None, list[Problem]]:
    """The package at `folder` as it loads (None when it cannot be used at all) and every finding, errors
    first. Never raises for bad content."""
    folder = Path(folder)
    try:
        exhibitor, loaded = load_package(folder)
    except ContentError as exc:
        return None, [exc.problem]
    return exhibitor, check_exhibitor(exhibitor, fair, loaded)


def check_exhibitor(exhibitor: Exhibitor, fair: Fair = DEMO_FAIR, loaded: Iterable[Problem] = ()) -> list[Problem]:
    """Every finding on a stand already read (`loaded`: what reading it found), errors first: `validate`'s
    checks, also for content that did not come from a package (the server's publish builds it)."""
    checks = _Checks(exhibitor, fair)
    checks.loaded(list(loaded))
    checks.texts()
    checks.logo()
    checks.video()
    checks.materials()
    checks.contacts()
    checks.webinars()
    checks.unused_files()
    return sorted(checks.found, key=lambda p: SEVERITY_ORDER[p.severity])


def has_errors(findings: Iterable[Problem]) -> bool:
    return any(p.severity is Severity.ERROR for p in findings)


class _Checks:
    def __init__(self, exhibitor: Exhibitor, fair: Fair) -> None:
        self.ex = exhibitor
        self.fair = fair
        self.toml = exhibitor.folder / "stand.toml"
        self.found: list[Problem] = []

    def say(self, field: str, code: str, severity: Severity = Severity.ERROR, /, **values: object) -> None:
        self.found.append(problem(self.toml, code, ("key", field) if field else None, severity, **values))

    # -- what the loader found -------------------------------------------------------------------------
    def loaded(self, problems: list[Problem]) -> None:
        for found in problems:
            if found.key in ("logo_unreadable", "logo_format") and self._disguised_logo(found):
                continue  # said better: what the file really is
            if found.severity is Severity.WARNING and found.key not in LOADER_WARNINGS:
                found = dataclasses.replace(found, severity=Severity.ERROR)
            self.found.append(found)

    def _disguised_logo(self, found: Problem) -> bool:
        """A logo the loader could not read that is not a picture at all: say what it is instead."""
        name = dict(found.values).get("name", "")
        kind = self._kind(name, "logo")
        if kind is None or kind.group == signatures.IMAGE:
            return False
        self._wrong_kind("logo", name, kind, "logo_not_picture")
        return True

    # -- texts ---------------------------------------------------------------------------------------
    def texts(self) -> None:
        ex = self.ex
        pairs = [("name", ex.name, ex.name_en, limits.COMPANY_NAME_MAX),
                 ("category", ex.category, ex.category_en, limits.CATEGORY_MAX),
                 ("description", ex.description, ex.description_en, limits.DESCRIPTION_MAX)]
        for key, main, english, limit in pairs:
            if main and not english:
                self.say(f"{key}_en", "text_no_english", Severity.WARNING, field=key)
            self._length(key, main, limit)
            self._length(f"{key}_en", english, limit)
        if not ex.description and not ex.description_en:
            self.say("description", "no_description", Severity.WARNING)
        self._length("away_message", ex.away_message, limits.MESSAGE_MAX)

    def _length(self, field: str, text: str | None, limit: int) -> None:
        if text and len(text) > limit:
            self.say(field, "text_too_long", Severity.ERROR, length=len(text), max=limit)

    # -- logo ----------------------------------------------------------------------------------------
    def logo(self) -> None:
        path = self.ex.logo
        if path is None:
            return
        name = self._name(path)
        if not self._file_size("logo", name, path, limits.LOGO_MAX_BYTES):
            return
        kind = self._kind(name, "logo")
        if kind is not None:
            self._suffix("logo", name, kind)
        try:
            with images.opened(path, images.LOGO_FORMATS) as image:
                size = image.size
            images.logo_png(path)  # decoded and normalised as the server's import does
        except images.ImageRefused as exc:
            self.say("logo", f"logo_{exc.fault}", Severity.ERROR, name=name, **exc.values)
            return
        except OSError as exc:
            self.say("logo", "path_unreadable", Severity.ERROR, name=name, error=exc.strerror or exc)
            return
        w, h = size
        if max(w, h) < looks.STAND_WINDOW_LOGO:
            self.say("logo", "logo_small", Severity.WARNING, name=name, size=f"{w}×{h}", need=looks.STAND_WINDOW_LOGO)
        elif max(w, h) > LOGO_LARGE:
            self.say("logo", "logo_large", Severity.WARNING, name=name, size=f"{w}×{h}", box=images.LOGO_BOX,
                     most=LOGO_LARGE)
        dw, dh = looks.on_standard_stand(size)
        if min(dw, dh) < FLOOR_LETTERING:
            stand = f"{looks.STANDARD_STAND[0]}×{looks.STANDARD_STAND[1]}"
            self.say("logo", "logo_too_wide" if w > h else "logo_too_tall", Severity.WARNING, name=name,
                     ratio=f"{max(w, h) / min(w, h):.1f}", drawn=f"{dw}×{dh}", stand=stand, least=FLOOR_LETTERING)

    # -- video ---------------------------------------------------------------------------------------
    def video(self) -> None:
        from expo_hall.video import probe

        source = self.ex.video
        if source is None:
            if not any(p.field == "video" for p in self.found):
                self.say("video", "no_video", Severity.INFO)
            return
        if source.startswith(("http://", "https://")):
            self._link("video", source)
            self.say("video", "video_external", Severity.INFO, url=source)
            return
        path = Path(source)
        name = self._name(path)
        if not self._file_size("video", name, path, limits.VIDEO_MAX_BYTES):
            return
        kind = self._kind(name, "video")
        if kind is None:
            return
        if kind.group != signatures.VIDEO:
            self._wrong_kind("video", name, kind, "video_not_video")
            return
        if kind.name not in probe.CONTAINERS:
            self.say("video", "video_container", Severity.ERROR, name=name, kind=kind.label)
            return
        self._suffix("video", name, kind)
        report = probe.probe(path)
        if report.no_picture:
            self.say("video", "video_no_picture", Severity.ERROR, name=name)
            return
        if report.failure is not None and not report.container:
            self.say("video", "video_unreadable", Severity.ERROR, name=name, error=report.failure.detail or "—")
            return
        codec = report.video_codec
        if codec not in probe.VIDEO_CODECS:
            self.say("video", "video_codec", Severity.ERROR, name=name, codec=codec or "?",
                     codecs=", ".join(probe.VIDEO_CODECS.values()))
            return
        if report.failure is not None or not report.pictures:
            detail = report.failure.detail if report.failure is not None else ""
            self.say("video", "video_broken", Severity.ERROR, name=name, error=detail or "—")
            return
        if not report.end_reached:
            self.say("video", "video_truncated", Severity.ERROR, name=name, seconds=f"{report.duration:.1f}")
            return
        if not report.audio_codec:
            self.say("video", "video_no_sound", Severity.INFO, name=name)
        elif report.audio_codec not in probe.AUDIO_CODECS or not report.sound:
            self.say("video", "video_sound", Severity.WARNING, name=name, codec=report.audio_codec,
                     codecs=", ".join(probe.AUDIO_CODECS.values()))
        w, h = report.size
        if min(w, h) < VIDEO_SMALL:
            self.say("video", "video_small", Severity.INFO, name=name, size=f"{w}×{h}", least=VIDEO_SMALL)
        elif w * h > VIDEO_LARGE:
            self.say("video", "video_large", Severity.WARNING, name=name, size=f"{w}×{h}")
        if report.duration <= 0:
            self.say("video", "video_no_duration", Severity.WARNING, name=name)
        elif report.duration > VIDEO_LONG:
            self.say("video", "video_long", Severity.INFO, name=name, minutes=round(report.duration / 60))

    # -- materials ------------------------------------------------------------------------------------
    def materials(self) -> None:
        for m in self.ex.materials:
            where = f"materials[{m.number}]"
            if not m.title_en:
                self.say(f"{where}.title_en", "text_no_english", Severity.WARNING, field="title")
            self._length(f"{where}.title", m.title, limits.TITLE_MAX)
            self._length(f"{where}.title_en", m.title_en, limits.TITLE_MAX)
            if m.url is not None:
                self._link(f"{where}.url", m.url)
            elif m.file is not None:
                self._material_file(f"{where}.file", m)

    def _material_file(self, field: str, m: Material) -> None:
        assert m.file is not None
        name = self._name(m.file)
        if not self._file_size(field, name, m.file, limits.MATERIAL_MAX_BYTES):
            return
        kind = self._kind(name, field)
        if kind is None:
            return
        if kind.name not in MATERIAL_KINDS:
            self._wrong_kind(field, name, kind, "material_type")
            return
        self._suffix(field, name, kind)
        from expo_hall.stands.preview import IMAGE, PDF, make_preview

        try:
            if kind.group in (signatures.PDF, signatures.IMAGE):  # as the Materials tab previews it
                make_preview(m.file, PDF if kind.group == signatures.PDF else IMAGE, PREVIEW_BOX)
            elif kind.name in ZIP_DOCUMENTS:
                self._zip_document(field, name, m.file)
        except (ValueError, OSError) as exc:
            self.say(field, "material_broken", Severity.ERROR, name=name, kind=kind.label, error=_reason(exc))

    def _zip_document(self, field: str, name: str, path: Path) -> None:
        """An office document that is a zip: what it says it unpacks to must be sane, and it must unpack."""
        try:
            held = signatures.unpacked_size(path)
        except zipfile.BadZipFile as exc:
            raise ValueError(str(exc)) from None
        if held.size > limits.UNPACKED_MAX_BYTES or held.members > limits.ZIP_MAX_MEMBERS:
            self.say(field, "material_zip_bomb", Severity.ERROR, name=name, size=_megabytes(held.size),
                     members=images.grouped(held.members), max=_megabytes(limits.UNPACKED_MAX_BYTES))
            return
        try:
            with zipfile.ZipFile(path) as archive:
                bad = archive.testzip()  # each member unpacked (within the sizes checked above), CRC compared
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
            raise ValueError(str(exc)) from None
        if bad is not None:
            raise ValueError(f"{bad} is damaged")

    # -- contacts --------------------------------------------------------------------------------------
    def contacts(self) -> None:
        c = self.ex.contacts
        if c.is_empty():
            self.say("contacts", "contacts_none", Severity.WARNING)
            return
        if c.email:
            self._email(c.email)
        if c.phone:
            self._phone("contacts.phone", c.phone)
        if c.website:
            self._website(c.website)
        self._length("contacts.address", c.address, limits.ADDRESS_MAX)
        for messenger, handle in c.messengers.items():
            self._messenger(messenger, handle)

    def _email(self, email: str) -> None:
        try:
            check_email(email)
            ok = len(email) <= limits.EMAIL_MAX and re.match(EMAIL_PATTERN, email) is not None
        except TextError:
            ok = False
        domain = email.rpartition("@")[2]
        if not ok or "." not in domain.strip(".") or ".." in domain:
            self.say("contacts.email", "contact_email", Severity.ERROR, value=email)

    def _phone(self, field: str, phone: str) -> bool:
        digits = sum(ch.isdigit() for ch in phone)
        if len(phone) > limits.PHONE_MAX or not re.match(PHONE_CHARS, phone) or phone.count("+") > 1:
            self.say(field, "contact_phone", Severity.ERROR, value=phone)
        elif not phone.startswith("+"):
            self.say(field, "contact_phone_local", Severity.ERROR, value=phone)
        elif not 8 <= digits <= 15:  # E.164: a country code and the number, 15 digits at most
            self.say(field, "contact_phone_digits", Severity.ERROR, value=phone, digits=digits)
        else:
            return True
        return False

    def _website(self, url: str) -> None:
        parts = urlsplit(url)
        if len(url) > limits.URL_MAX or parts.scheme not in ("http", "https") or not _host(parts.hostname):
            self.say("contacts.website", "contact_website", Severity.ERROR, value=url)
        elif parts.scheme != "https":
            self.say("contacts.website", "link_not_https", Severity.WARNING, url=url)

    def _messenger(self, messenger: str, handle: str) -> None:
        field = f"contacts.messengers.{messenger}"
        kind = messenger.lower()
        if len(handle) > limits.HANDLE_MAX:
            self.say(field, "text_too_long", Severity.ERROR, length=len(handle), max=limits.HANDLE_MAX)
            return
        if handle.startswith(("http://", "https://")):
            parts = urlsplit(handle)
            hosts = MESSENGER_HOSTS.get(kind)
            host = (parts.hostname or "").lower()
            if _host(host) and (not hosts or host in hosts):
                if parts.scheme != "https":
                    self.say(field, "link_not_https", Severity.WARNING, url=handle)
                return
        elif kind in PHONE_MESSENGERS:
            self._phone(field, handle)
            return
        elif (TELEGRAM if kind == "telegram" else HANDLE).match(handle):
            return
        self.say(field, "contact_messenger", Severity.ERROR, messenger=messenger, value=handle,
                 example=_messenger_example(kind))

    # -- webinars --------------------------------------------------------------------------------------
    def webinars(self) -> None:
        fair = self.fair
        first, last = fair.first.isoformat(), fair.last.isoformat()
        for w in self.ex.webinars:
            where = f"webinars[{w.number}]"
            if w.starts < fair.opens or w.ends > fair.closes:
                self.say(where, "webinar_outside_fair", Severity.ERROR, when=_when(w, fair), first=first, last=last)
            if not w.title_en:
                self.say(f"{where}.title_en", "text_no_english", Severity.WARNING, field="title")
            self._length(f"{where}.title", w.title, limits.TITLE_MAX)
            self._length(f"{where}.title_en", w.title_en, limits.TITLE_MAX)
            if w.url is None:
                if not any(p.field == where and p.key == "webinar_bad_url" for p in self.found):
                    self.say(f"{where}.url", "webinar_no_link", Severity.WARNING)
            else:
                self._link(f"{where}.url", w.url)
        ordered = sorted(self.ex.webinars, key=lambda w: (w.starts, w.number))
        for i, w in enumerate(ordered):
            for earlier in ordered[:i]:
                if earlier.ends > w.starts:
                    self.say(f"webinars[{w.number}]", "webinar_overlap", Severity.ERROR, other=earlier.number,
                             title=earlier.title, when=_when(earlier, self.fair))

    # -- files -----------------------------------------------------------------------------------------
    def unused_files(self) -> None:
        """Files in the folder that stand.toml does not name: they are not published."""
        used = {self.toml.name}
        used.update(self._name(Path(p)) for p in (self.ex.logo, self.ex.video) if p and not str(p).startswith("http"))
        used.update(self._name(m.file) for m in self.ex.materials if m.file is not None)
        named = {str(v) for p in self.found for k, v in p.values if k == "name"}  # refused: said already
        folder = self.ex.folder
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for file in sorted(files):
                rel = (Path(root) / file).relative_to(folder).as_posix()
                if not file.startswith(".") and rel not in used and rel not in named:
                    self.say("", "file_unused", Severity.INFO, name=rel)

    # -- helpers ---------------------------------------------------------------------------------------
    def _name(self, path: Path) -> str:
        """The file's name as stand.toml writes it: its path inside the package's folder."""
        try:
            return Path(path).relative_to(self.ex.folder).as_posix()
        except ValueError:
            return str(path)

    def _kind(self, name: str, field: str) -> signatures.Kind | None:
        """What the file really is, opened as the server's import opens it (confined); None after a finding."""
        try:
            with open_confined(self.ex.folder, name) as fh:
                return signatures.sniff(fh)
        except PathRefused as exc:
            self.say(field, exc.key, Severity.ERROR, **exc.values)
        except OSError as exc:
            self.say(field, "path_unreadable", Severity.ERROR, name=name, error=exc.strerror or exc)
        return None

    def _wrong_kind(self, field: str, name: str, kind: signatures.Kind, code: str) -> None:
        if kind.name == "empty":
            self.say(field, "file_empty", Severity.ERROR, name=name)
        elif kind.name == "unknown":
            self.say(field, "file_unknown", Severity.ERROR, name=name)
        elif kind.group == signatures.PROGRAM:
            self.say(field, "file_program", Severity.ERROR, name=name, kind=kind.label)
        else:
            self.say(field, code, Severity.ERROR, name=name, kind=kind.label)

    def _suffix(self, field: str, name: str, kind: signatures.Kind) -> None:
        suffix = Path(name).suffix.lower()
        if kind.suffixes and suffix not in kind.suffixes:
            self.say(field, "file_misnamed", Severity.WARNING, name=name, kind=kind.label,
                     better=Path(name).with_suffix(kind.suffixes[0]).name)

    def _file_size(self, field: str, name: str, path: Path, most: int) -> bool:
        try:
            size = path.stat().st_size
        except OSError:
            return True  # opening it names the fault
        if size > most:
            self.say(field, "file_too_big", Severity.ERROR, name=name, size=_megabytes(size), max=_megabytes(most))
            return False
        if size == 0:
            self.say(field, "file_empty", Severity.ERROR, name=name)
            return False
        return True

    def _link(self, field: str, url: str) -> None:
        parts = urlsplit(url)
        if len(url) > limits.URL_MAX:
            self.say(field, "text_too_long", Severity.ERROR, length=len(url), max=limits.URL_MAX)
        elif not _host(parts.hostname):
            self.say(field, "link_no_host", Severity.ERROR, url=url)
        elif parts.scheme != "https":
            self.say(field, "link_not_https", Severity.WARNING, url=url)


def _host(host: str | None) -> bool:
    return bool(host) and "." in host.strip(".") and " " not in host  # type: ignore[union-attr]


def _messenger_example(kind: str) -> str:
    return {"telegram": "@company, https://t.me/company", "whatsapp": "+7 900 000-00-00, https://wa.me/79000000000",
            "viber": "+7 900 000-00-00", "vk": "https://vk.com/company"}.get(kind, "@company, https://…")


def _when(w: Webinar, fair: Fair) -> str:
    starts, ends = w.starts.astimezone(fair.zone), w.ends.astimezone(fair.zone)
    end = ends.strftime("%H:%M") if ends.date() == starts.date() else ends.strftime("%Y-%m-%d %H:%M")
    return f"{starts:%Y-%m-%d %H:%M}–{end}"


def _megabytes(n: int) -> str:
    return f"{n / limits.MB:.1f} MB" if n < 10 * limits.MB else f"{images.grouped(round(n / limits.MB))} MB"


def _reason(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__

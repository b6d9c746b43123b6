"""Materials: brochures and links, with their type and size, to download into the briefcase and open.

A file on the server downloads (on the network layer's threads, through `expo_hall.net.downloads`) into
the visitor's briefcase folder, with a progress bar and Cancel; a failure says why and offers Retry. Once
in the briefcase it shows as downloaded, with Open (the system's app for it) and a preview: a PDF's first
page or the picture, made off the main thread (`expo_hall.stands.preview`). A link opens in the browser.
In the `--no-server` mode the material is a local file: Download copies it into the briefcase.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import uuid
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIImage, UIProgressBar, UIScrollingContainer, UITextBox

from expo_hall import system
from expo_hall.backend import NET_EVENT, post_result
from expo_hall.briefcase.model import Item
from expo_hall.i18n import key, tr
from expo_hall.net.downloads import Cancelled, Downloads, Failed, Finished, Progress, RemoteFile, disk_failure
from expo_hall.stands.package import Material
from expo_hall.stands.panels.base import Panel
from expo_hall.stands.preview import Pixels, Previewer, preview_kind
from expo_hall.text import literal

log = logging.getLogger("expo_hall")
GAP = 8
ROW_H = 92
THUMB = (68, 88)  # the thumbnail's place, left of each row
PREVIEW = (THUMB[0] - 4, THUMB[1] - 4)  # what a preview is fitted into, inside a frame
BUTTON_W = 150
BUTTON_H = 34
BAR_H = 24
SCROLLBAR_W = 22
STATUS_H = 70  # two lines: what happened, and the path or reason it concerns

NEW, DOWNLOADING, FAILED, DONE, LINK = "new", "downloading", "failed", "done", "link"
BUTTON_KEYS = {NEW: "materials.download", DOWNLOADING: "materials.cancel", FAILED: "materials.retry",
               DONE: "materials.open", LINK: "materials.open_link"}
_TYPE_NAMES = {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP",
               "image/gif": "GIF", "text/plain": "TXT", "application/zip": "ZIP", "video/mp4": "MP4",
               "application/msword": "DOC", "application/vnd.ms-powerpoint": "PPT",
               "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
               "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX"}


def human_size(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def type_name(content_type: str | None, file_name: str | None) -> str:
    """PDF, PNG, DOCX...: from the content type, else the file's suffix ("" when neither says)."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype in _TYPE_NAMES:
        return _TYPE_NAMES[ctype]
    suffix = Path(file_name or "").suffix.lstrip(".")
    if suffix:
        return suffix.upper()
    if ctype and ctype != "application/octet-stream":
        return ctype.rsplit("/", 1)[-1].upper()[:12]
    return ""


def same_source(a: str | None, b: str | None) -> bool:
    """Whether a briefcase entry's source is this material: the same URL, where for http(s) only the path
    counts (the embedded server listens on a new port each start)."""
    if not a or not b:
        return False
    if a == b:
        return True
    sa, sb = urlsplit(a), urlsplit(b)
    web = sa.scheme in ("http", "https") and sb.scheme in ("http", "https")
    return web and (sa.path, sa.query) == (sb.path, sb.query)


class PercentBar(UIProgressBar):
    """A progress bar that reads "42%" (or the bytes so far, when the size is not known)."""

    label = ""

    def status_text(self) -> str:
        return self.label or f"{self.current_progress:.0f}%"


@dataclass
class Row:
    index: int
    material: Material
    title: str
    source: str | Path | None  # what Download fetches: a URL of our server or a local file; None for a link
    link: str | None  # an external URL, opened in the browser
    file_name: str | None = None
    content_type: str | None = None
    size: int | None = None
    state: str = NEW
    item: Item | None = None  # the briefcase entry, once downloaded
    failure: Failed | None = None
    dest: Path | None = None  # where the download under way writes
    fraction: float | None = 0.0
    progress: list[float | None] = field(default_factory=list)  # every fraction delivered, this download
    preview: pygame.Surface | None = None  # the PDF's first page or the picture, as made
    preview_job: Future[Pixels] | None = None
    box: UITextBox | None = None
    button: UIButton | None = None
    bar: PercentBar | None = None
    thumb: UIImage | None = None

    @property
    def source_url(self) -> str | None:
        """What the briefcase records as where the file came from."""
        if isinstance(self.source, Path):
            return self.source.resolve().as_uri()
        return self.source


class MaterialsPanel(Panel):
    tab = "materials"

    def build(self) -> None:
        self._id = uuid.uuid4().hex  # our tags: events of another stand window are not ours
        self.rows: list[Row] = []
        backend = self.app.backend
        self.client = backend.client if backend is not None else None
        self.network = backend.network if backend is not None else None
        self.downloads = Downloads(self.client, self.network.deliver if self.network else post_result)
        self.previewer = Previewer()
        if not self.exhibitor.materials:
            self.body = UITextBox(f"<i>{literal(tr('stand.no_materials'))}</i>", pygame.Rect((0, 0), self.size),
                                  self.app.ui, container=self.panel, object_id="#stand_body")
            return
        self.briefcase = self.app.briefcase
        self.rows = [self._row(i, m) for i, m in enumerate(self.exhibitor.materials)]
        self._find_downloaded()
        self._build_ui()
        for row in self.rows:
            self._request_preview(row)
            if row.state != LINK and row.size is None and isinstance(row.source, str) and self.network is not None:
                self.network.call(self._tag("probe", row.index), self.downloads.probe, row.source)

    def _tag(self, what: str, index: int | None = None) -> tuple:
        return ("materials", self._id, what, index)

    def _row(self, index: int, m: Material) -> Row:
        title = m.title_for(self.lang)
        if m.file is not None:  # --no-server: the package's own file
            try:
                size = m.file.stat().st_size
            except OSError:
                size = None
            return Row(index, m, title, m.file, None, m.file.name, mimetypes.guess_type(m.file.name)[0], size)
        if m.url and m.file_name is not None:  # a file on the server: its name, type and size came with the stand
            return Row(index, m, title, m.url, None, m.file_name, m.content_type, m.size)
        return Row(index, m, title, None, m.url or "", state=LINK)

    def _find_downloaded(self) -> None:
        items = [i for i in self.briefcase.items()
                 if i.kind == "material" and i.exhibitor_id == self.exhibitor.exhibitor_id]
        for row in self.rows:
            if row.source is None:
                continue
            item = next((i for i in items if same_source(i.source_url, row.source_url)), None)
            if item is not None:
                row.state, row.item = DONE, item

    # -- layout ----------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        ui = self.app.ui
        w, h = self.size
        list_h = h - STATUS_H - GAP
        self.scroller = UIScrollingContainer(pygame.Rect(0, 0, w, list_h), ui, container=self.panel,
                                             allow_scroll_x=False, object_id="#material_rows")
        text_x = THUMB[0] + GAP
        button_x = w - SCROLLBAR_W - BUTTON_W
        text_w = button_x - GAP - text_x
        for n, row in enumerate(self.rows):
            y = n * (ROW_H + GAP)
            row.thumb = UIImage(pygame.Rect(0, y + (ROW_H - THUMB[1]) // 2, *THUMB), self._placeholder(row), ui,
                                container=self.scroller, object_id="#material_thumb")
            row.box = UITextBox(self._html(row), pygame.Rect(text_x, y, text_w, ROW_H), ui, container=self.scroller,
                                object_id="#material_text")
            row.button = UIButton(pygame.Rect(button_x, y + 4, BUTTON_W, BUTTON_H), key(BUTTON_KEYS[row.state]), ui,
                                  container=self.scroller, object_id="#material_action")
            row.bar = PercentBar(pygame.Rect(button_x, y + 4 + BUTTON_H + GAP, BUTTON_W, BAR_H), ui,
                                 container=self.scroller, object_id="#material_progress")
            row.bar.hide()
        total_h = len(self.rows) * (ROW_H + GAP) - GAP
        self.scroller.set_scrollable_area_dimensions((w - SCROLLBAR_W, max(total_h, 1)))
        self.status = UITextBox("", pygame.Rect(0, h - STATUS_H, w, STATUS_H), ui, container=self.panel,
                                object_id="#material_status")

    def _placeholder(self, row: Row) -> pygame.Surface:
        """The thumbnail until there is a preview: a sheet with the file's type on it."""
        surface = pygame.Surface(THUMB, pygame.SRCALPHA)
        sheet = pygame.Rect(6, 4, THUMB[0] - 12, THUMB[1] - 8)
        pygame.draw.rect(surface, (238, 241, 246), sheet, border_radius=4)
        pygame.draw.rect(surface, (150, 160, 176), sheet, width=1, border_radius=4)
        label = "URL" if row.state == LINK else (type_name(row.content_type, row.file_name) or "?")
        text = self.app.text.render(label[:5], 13, (70, 80, 100), bold=True)
        surface.blit(text, text.get_rect(center=sheet.center))
        return surface

    def _html(self, row: Row) -> str:
        lines = [f"<b>{literal(row.title)}</b>"]
        if row.state == LINK:
            host = urlsplit(row.link or "").netloc or (row.link or "")
            lines.append(f"{literal(tr('materials.link'))} · {literal(host)}")
        else:
            kind = type_name(row.content_type, row.file_name) or "—"
            size = human_size(row.size) if row.size is not None else tr("materials.size_unknown")
            lines.append(f"{literal(kind)} · {literal(size)}")
        status = {DONE: "materials.in_briefcase", DOWNLOADING: "materials.downloading"}.get(row.state)
        if status:
            lines.append(f"<i>{literal(tr(status))}</i>")
        elif row.state == FAILED and row.failure is not None:
            lines.append(f"<i>{literal(self.reason(row.failure))}</i>")
        return "<br>".join(lines)

    def _refresh(self, row: Row) -> None:
        if row.box is None or row.button is None or row.bar is None:
            return
        row.box.set_text(self._html(row))
        row.button.set_text(key(BUTTON_KEYS[row.state]))
        if row.state == DOWNLOADING:
            row.bar.show()
            self._show_progress(row)
        else:
            row.bar.hide()
        if row.preview is None and row.thumb is not None:
            row.thumb.set_image(self._placeholder(row))

    def _show_progress(self, row: Row, done: int = 0) -> None:
        assert row.bar is not None
        if row.fraction is None:
            row.bar.label = human_size(done)
            row.bar.set_current_progress(0.0)
        else:
            row.bar.label = ""
            row.bar.set_current_progress(100.0 * row.fraction)

    def reason(self, failure: Failed) -> str:
        """Why a download failed, in the visitor's words."""
        return tr(f"materials.failed.{failure.reason}", status=failure.status or "")

    def say(self, text: str, detail: object = "") -> None:
        """Tell the visitor what happened; the detail (a path, a reason: content) on a line of its own."""
        self.status.set_text(literal(text) + (f"<br>{literal(str(detail))}" if detail != "" else ""))

    # -- actions ---------------------------------------------------------------------------------
    def press(self, index: int) -> None:
        """What the row's button does in the row's state."""
        row = self.rows[index]
        action = {NEW: self.download, FAILED: self.download, DOWNLOADING: self.cancel, DONE: self.open,
                  LINK: self.open_link}[row.state]
        action(index)

    def download(self, index: int) -> bool:
        """Start downloading the material into the briefcase (Download, and Retry after a failure)."""
        row = self.rows[index]
        if row.source is None or row.state == DOWNLOADING:
            return False
        try:
            dest = self._destination(row)
        except OSError as exc:
            log.error("no place for %s in the briefcase: %s", row.title, exc)
            self._failed(row, disk_failure(exc))
            return False
        if not self.downloads.start(self._tag("download", index), row.source, dest):
            return False
        row.state, row.dest, row.failure, row.fraction, row.progress = DOWNLOADING, dest, None, 0.0, []
        self._refresh(row)
        self.say(tr("materials.downloading"), row.title)
        return True

    def _destination(self, row: Row) -> Path:
        """A new file under the briefcase's materials/<exhibitor>/ (not one a download under way writes)."""
        name = row.file_name or row.title
        if not Path(name).suffix and row.content_type:
            name += mimetypes.guess_extension(row.content_type) or ""
        taken = {r.dest for r in self.rows if r.state == DOWNLOADING and r is not row}
        stem, suffix = os.path.splitext(name)
        dest, n = self.briefcase.material_destination(self.exhibitor.exhibitor_id, name), 2
        while dest in taken:
            dest, n = self.briefcase.material_destination(self.exhibitor.exhibitor_id, f"{stem} ({n}){suffix}"), n + 1
        return dest

    def cancel(self, index: int) -> bool:
        """Stop the download; the row goes back to Download once its partial file is gone."""
        return self.downloads.cancel(self._tag("download", index))

    def retry(self, index: int) -> bool:
        return self.rows[index].state == FAILED and self.download(index)

    def open(self, index: int) -> bool:
        """Hand the downloaded file to the system's application for it."""
        row = self.rows[index]
        path = self.briefcase.path_of(row.item) if row.item is not None else None
        if path is None or not path.is_file():  # deleted from the briefcase since
            row.state, row.item, row.preview = NEW, None, None
            self._refresh(row)
            self.say(tr("materials.gone"), row.title)
            return False
        if system.open_path(path):
            self.say(tr("materials.opening"), path)
            return True
        self.say(tr("materials.open_failed"), path)
        return False

    def open_link(self, index: int) -> bool:
        url = self.rows[index].link
        if not url:
            return False
        if system.open_url(url):
            self.say(tr("materials.opening"), url)
            return True
        self.say(tr("materials.open_failed"), url)
        return False

    # -- results ---------------------------------------------------------------------------------
    def _download_event(self, row: Row, result: object) -> None:
        if isinstance(result, Progress):
            row.fraction = result.fraction
            row.progress.append(result.fraction)
            if row.state == DOWNLOADING and row.bar is not None:
                self._show_progress(row, result.done)
        elif isinstance(result, Finished):
            self._finished(row, result)
        elif isinstance(result, Failed):
            log.warning("download of %s failed: %s %s", row.source, result.reason, result.detail)
            self._failed(row, result)
        elif isinstance(result, Cancelled):
            row.state, row.dest = NEW, None
            self._refresh(row)
            self.say(tr("materials.cancelled"), row.title)

    def _finished(self, row: Row, result: Finished) -> None:
        path = result.path
        try:
            if not path.suffix and result.content_type:  # named before the type was known
                suffix = mimetypes.guess_extension(result.content_type) or ""
                if suffix and not path.with_name(path.name + suffix).exists():
                    path = path.rename(path.with_name(path.name + suffix))
            item = self.briefcase.add_material(self.exhibitor.exhibitor_id, row.title, path, row.source_url,
                                               exhibitor_name=self.exhibitor.name_for(self.lang))
        except OSError as exc:
            log.error("cannot record %s in the briefcase: %s", path, exc)
            path.unlink(missing_ok=True)
            self._failed(row, disk_failure(exc))
            return
        if result.content_type and not row.content_type:
            row.content_type = result.content_type
        row.size = row.size if row.size is not None else result.size
        row.state, row.item, row.dest, row.failure = DONE, item, None, None
        self._refresh(row)
        self._request_preview(row)
        self.say(tr("materials.saved"), self.briefcase.path_of(item))

    def _failed(self, row: Row, failure: Failed) -> None:
        row.state, row.failure, row.dest = FAILED, failure, None
        self._refresh(row)
        self.say(self.reason(failure), failure.detail)

    def _probed(self, row: Row, info: RemoteFile) -> None:
        row.size = info.size if info.size is not None else row.size
        row.content_type = row.content_type or info.content_type
        self._refresh(row)

    # -- previews --------------------------------------------------------------------------------
    def _preview_file(self, row: Row) -> Path | None:
        if row.item is not None:
            return self.briefcase.path_of(row.item)
        if isinstance(row.source, Path):  # --no-server: the local file, before any download
            return row.source
        return None

    def _request_preview(self, row: Row) -> None:
        path = self._preview_file(row)
        kind = preview_kind(path.name if path else row.file_name, row.content_type) if path else None
        if path is None or kind is None or row.preview is not None or row.preview_job is not None:
            return
        row.preview_job = self.previewer.request(path, kind, PREVIEW)

    def _take_preview(self, row: Row) -> None:
        job = row.preview_job
        if job is None or not job.done():
            return
        row.preview_job = None
        try:
            pixels = job.result()
        except (ValueError, OSError) as exc:
            log.warning("no preview of %s: %s", row.title, exc)
            return
        except Exception:  # a bug in a decoder must not take the stand down
            log.exception("preview of %s failed", row.title)
            return
        row.preview = pixels.surface()
        if row.thumb is not None:
            framed = pygame.Surface(THUMB, pygame.SRCALPHA)
            where = row.preview.get_rect(center=framed.get_rect().center)
            framed.blit(row.preview, where)
            pygame.draw.rect(framed, (150, 160, 176), where.inflate(2, 2), width=1)  # a white page shows its edge
            row.thumb.set_image(framed)

    # -- panel -----------------------------------------------------------------------------------
    def event(self, event: pygame.event.Event) -> None:
        if not self.rows:
            return
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for row in self.rows:
                if event.ui_element is row.button:
                    self.press(row.index)
                    return
        elif event.type == NET_EVENT:
            tag = getattr(event, "tag", None)
            if not (isinstance(tag, tuple) and len(tag) == 4 and tag[0] == "materials" and tag[1] == self._id):
                return
            what, index, result = tag[2], tag[3], event.result
            if what == "download":
                self._download_event(self.rows[index], result)
            elif what == "probe" and isinstance(result, RemoteFile):
                self._probed(self.rows[index], result)

    def update(self, dt: float) -> None:
        for row in self.rows:
            if row.preview_job is not None:
                self._take_preview(row)

    def wants_frame(self) -> bool:
        return any(row.preview_job is not None for row in self.rows)  # a preview is being made

    def close(self) -> None:
        self.downloads.stop()  # each cleans up its partial file; nothing reaches the briefcase
        self.previewer.close()
        super().close()


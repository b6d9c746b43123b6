"""The exhibitor's cabinet, opened from the Stand desk: edit the stand (texts in both languages, contacts,
webinars, materials, logo, video) in a working copy (working_copy.py), see each validation finding beside the
field it is about, preview the copy in `expo-hall preview`'s window, and follow the stand's statistics as charts
with CSV export.

What is typed stays in the entries until it is saved: a save that fails says why and loses nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pygame
import pygame_gui
from pygame_gui.elements import (
    UIButton,
    UIImage,
    UILabel,
    UIPanel,
    UIProgressBar,
    UIScrollingContainer,
    UITextBox,
    UITextEntryBox,
    UITextEntryLine,
    UIWindow,
)
from pygame_gui.windows import UIFileDialog

from expo_hall import paths
from expo_hall.backend import NET_EVENT
from expo_hall.cabinet.charts import ChartCache, ChartLayout
from expo_hall.cabinet.statistics import charts, leads_csv, statistics_csv
from expo_hall.cabinet.working_copy import MESSENGERS, WorkingCopy
from expo_hall.commands.publish import _net_error as publish_error
from expo_hall.files import write_atomically
from expo_hall.i18n import key, tr
from expo_hall.layout import window_rect
from expo_hall.net import ApiError, NetError, Offline
from expo_hall.net.publish import NotPublishable, PublishResult, publish
from expo_hall.problems import ContentError, Problem, Severity
from expo_hall.screens import WindowScreen
from expo_hall.server.schemas import LeadOut, StandSeries, StandStats, VersionList
from expo_hall.stands.package import Exhibitor
from expo_hall.stands.validate import MSK, validate
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

log = logging.getLogger("expo_hall")
GAP = 8
ROW = 34
NOTE_H = 20
SCROLLBAR_W = 22
TABS = ("about", "contacts", "webinars", "files", "stats", "versions")
BILINGUAL = ("name", "category", "description")  # texts with an English version (<key>_en)
ABOUT = ("name", "category", "description", "away_message")
CONTACTS = ("contacts.email", "contacts.phone", "contacts.website", "contacts.address",
            *(f"contacts.messengers.{m}" for m in MESSENGERS))
START_FORMAT = "%Y-%m-%d %H:%M"  # webinar starts as typed, in the fair's time (Moscow)
CHART_H = 230
REFRESH_EVERY = 30.0  # seconds between reloads of the statistics or the versions while they are shown
CHARTS_ORDER = ("visits_per_day", "unique_visitors_per_day", "visits_per_hour", "chat_messages_per_day",
                "downloads_per_material", "leads_per_day", "downloads_per_day")


def start_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return (value.astimezone(MSK) if value.tzinfo else value).strftime(START_FORMAT)
    return "" if value is None else str(value)


def start_value(text: str) -> dt.datetime | str:
    """A typed start as the fair's time; text that is not one is kept as typed (the check names it)."""
    try:
        return dt.datetime.strptime(text.strip(), START_FORMAT).replace(tzinfo=MSK)
    except ValueError:
        return text.strip()


def minutes_value(text: str) -> int | str:
    text = text.strip()
    return int(text) if text.isdigit() else text


class CabinetScreen(WindowScreen):
    def __init__(self, app: App, exhibitor: Exhibitor) -> None:
        super().__init__(app)
        assert app.backend is not None
        self.net = app.backend.network
        self.exhibitor = exhibitor
        self.stand_id = exhibitor.exhibitor_id
        source = None if app.settings.server or app.settings.no_server else Path(app.settings.stands) / self.stand_id
        self.copy = WorkingCopy.open(paths.data_dir(app.settings.data_dir), exhibitor, source)
        self.lang = app.lang  # the interface's
        self.edit_lang = app.lang  # the texts being edited: "ru" (the main ones) or "en"
        self.findings: list[Problem] = []
        self.series: StandSeries | None = None
        self.stats: StandStats | None = None
        self.leads: list[LeadOut] | None = None
        self.chart_cache = ChartCache(app.text)
        self.chart_layouts: dict[str, ChartLayout] = {}
        self.saved_at: float | None = None
        self._tag = id(self)
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="expo-cabinet")
        self._job: Future[tuple[Exhibitor | None, list[Problem]]] | None = None
        self.dialog: UIFileDialog | None = None
        self.dialog_for: tuple[str, int] = ("", -1)
        self.preview_process: subprocess.Popen | None = None
        self.versions: VersionList | None = None
        self.publishing = False
        self._publish_epoch = 0  # publishes ended: a check begun before one does not write over what it said
        self._check_epoch = 0
        self.sent = (0, 0)  # bytes sent and to send, set from the publishing thread
        self.published: PublishResult | None = None
        self.tab = ""
        self._shown_for = 0.0  # seconds the current tab has been shown since its data was last asked for

        ui = app.ui
        rect = window_rect(app.size, 1180, 780)
        self.window = UIWindow(rect, ui, window_display_title=tr("cabinet.title", name=exhibitor.name_for(self.lang)),
                               object_id="#cabinet_window", resizable=False)
        self.iw, self.ih = iw, ih = self.window.get_container().get_size()
        x = iw - GAP
        self.actions: dict[str, UIButton] = {}
        for name in ("publish", "preview", "save"):
            width = max(120, app.text.font(15).size(tr(f"cabinet.{name}"))[0] + 36)
            x -= width
            self.actions[name] = UIButton(pygame.Rect(x, GAP, width, ROW), key(f"cabinet.{name}"), ui,
                                          container=self.window, object_id=f"#cabinet_{name}")
            x -= GAP
        self.lang_buttons: dict[str, UIButton] = {}
        for code in ("en", "ru"):
            x -= 110
            self.lang_buttons[code] = UIButton(pygame.Rect(x, GAP, 110, ROW), key(f"cabinet.lang.{code}"), ui,
                                               container=self.window, object_id="#tab")
            x -= 4
        width = x - 2 * GAP
        UILabel(pygame.Rect(GAP, GAP, width, ROW), self._fit_path(width - 16), ui, container=self.window,
                object_id="#cabinet_caption")
        self.tab_buttons: dict[str, UIButton] = {}
        x = GAP
        for tab in TABS:
            width = max(120, app.text.font(15).size(tr(f"cabinet.tab.{tab}"))[0] + 36)
            self.tab_buttons[tab] = UIButton(pygame.Rect(x, 2 * GAP + ROW, width, ROW), key(f"cabinet.tab.{tab}"), ui,
                                             container=self.window, object_id="#tab")
            x += width + 6
        top = 3 * GAP + 2 * ROW
        self.status = UITextBox("", pygame.Rect(GAP, ih - GAP - 54, iw - 2 * GAP, 54), ui, container=self.window,
                                object_id="#reps_status_line")
        panel_rect = pygame.Rect(GAP, top, iw - 2 * GAP, ih - top - 2 * GAP - 54)
        self.panels = {tab: UIPanel(panel_rect, manager=ui, container=self.window, object_id="#tab_panel")
                       for tab in TABS}
        self.pw, self.ph = self.panels["about"].get_container().get_size()
        self.entries: dict[str, UITextEntryLine | UITextEntryBox] = {}
        self.notes: dict[str, UILabel] = {}
        self.webinar_rows: list[dict[str, Any]] = []
        self.material_rows: list[dict[str, Any]] = []
        self.file_buttons: dict[str, UIButton] = {}
        self.file_labels: dict[str, UILabel] = {}
        self._build_about()
        self._build_contacts()
        self._build_lists()
        self._build_stats()
        self.versions_box = UITextBox("", pygame.Rect(0, 0, self.pw, self.ph), ui, container=self.panels["versions"])
        self.progress = UIProgressBar(pygame.Rect(iw - GAP - 300, ih - GAP - 54 - 30, 300, 24), ui,
                                      container=self.window, visible=0)
        self.show_lang(self.edit_lang)
        self.show_tab("about")
        self.check()

    def _fit_path(self, width: int) -> str:
        """"Working copy: <folder>", the folder shortened from its start to fit `width`."""
        folder = str(self.copy.folder)
        font = self.app.text.font(14)
        text = tr("cabinet.editing", folder=folder)
        while font.size(text)[0] > width and len(folder) > 12:
            folder = folder[2:]
            text = tr("cabinet.editing", folder="…" + folder)
        return text

    # -- building ------------------------------------------------------------------------------------------
    def _field(self, panel: UIPanel | UIScrollingContainer, name: str, y: int, width: int, height: int = ROW,
               label_w: int = 200) -> int:
        """A caption, an entry and its note line below; the y under them."""
        ui = self.app.ui
        UILabel(pygame.Rect(0, y, label_w - GAP, ROW), key(f"cabinet.field.{name.rpartition('.')[2]}"), ui,
                container=panel, object_id="#cabinet_label")
        rect = pygame.Rect(label_w, y, width - label_w, height)
        entry = (UITextEntryBox(rect, "", ui, container=panel) if height > ROW
                 else UITextEntryLine(rect, ui, container=panel))
        if isinstance(entry, UITextEntryLine):
            entry.length_limit = 2000
        self.entries[name] = entry
        self.notes[name] = UILabel(pygame.Rect(label_w, y + height, width - label_w, NOTE_H), "", ui,
                                   container=panel, object_id="#cabinet_note")
        return y + height + NOTE_H + 2

    def _build_about(self) -> None:
        panel, y = self.panels["about"], GAP
        for name in ABOUT:
            y = self._field(panel, name, y, self.pw - GAP, 160 if name == "description" else
                            (70 if name == "away_message" else ROW))

    def _build_contacts(self) -> None:
        panel, y = self.panels["contacts"], GAP
        for name in CONTACTS:
            y = self._field(panel, name, y, self.pw - GAP)

    def _build_lists(self) -> None:
        ui = self.app.ui
        self.add_webinar_button = UIButton(pygame.Rect(0, 0, 220, ROW), key("cabinet.add_webinar"), ui,
                                           container=self.panels["webinars"])
        UILabel(pygame.Rect(230, 0, self.pw - 240, ROW), key("cabinet.webinar_hint"), ui,
                container=self.panels["webinars"], object_id="#cabinet_caption")
        self.webinar_scroller: UIScrollingContainer | None = None
        files = self.panels["files"]
        for i, name in enumerate(("logo", "video")):
            y = i * (ROW + GAP)
            UILabel(pygame.Rect(0, y, 120, ROW), key(f"cabinet.field.{name}"), ui, container=files,
                    object_id="#cabinet_label")
            self.file_labels[name] = UILabel(pygame.Rect(120, y, self.pw - 120 - 200 - 2 * GAP, ROW), "", ui,
                                             container=files, object_id="#cabinet_caption")
            self.file_buttons[name] = UIButton(pygame.Rect(self.pw - 200 - GAP, y, 200, ROW),
                                               key(f"cabinet.replace_{name}"), ui, container=files)
            self.notes[name] = UILabel(pygame.Rect(120, y + ROW - 4, self.pw - 340, NOTE_H), "", ui,
                                       container=files, object_id="#cabinet_note")
        y = 2 * (ROW + GAP) + GAP
        self.add_material_button = UIButton(pygame.Rect(0, y, 220, ROW), key("cabinet.add_material"), ui,
                                            container=files)
        self.materials_top = y + ROW + GAP
        self.material_scroller: UIScrollingContainer | None = None

    def _build_stats(self) -> None:
        ui, panel = self.app.ui, self.panels["stats"]
        x = self.pw - GAP
        self.stats_buttons: dict[str, UIButton] = {}
        for name in ("export_leads", "export_stats"):
            width = max(190, self.app.text.font(15).size(tr(f"cabinet.{name}"))[0] + 36)
            x -= width
            self.stats_buttons[name] = UIButton(pygame.Rect(x, 0, width, ROW), key(f"cabinet.{name}"), ui,
                                                container=panel)
            x -= GAP
        self.totals = UILabel(pygame.Rect(0, 0, x - GAP, ROW), "", ui, container=panel, object_id="#cabinet_label")
        self.chart_scroller = UIScrollingContainer(pygame.Rect(0, ROW + GAP, self.pw, self.ph - ROW - GAP), ui,
                                                   container=panel, allow_scroll_x=False)
        self.chart_images: dict[str, UIImage] = {}

    # -- languages and tabs --------------------------------------------------------------------------------
    def doc_key(self, name: str) -> str:
        return f"{name}_en" if self.edit_lang == "en" and name in BILINGUAL else name

    def show_lang(self, lang: str) -> None:
        """Edit the texts of `lang`: what was typed in the other language is kept in the copy's document first."""
        if self.entries and hasattr(self, "_filled"):
            self.collect()
        self.edit_lang = lang
        for code, button in self.lang_buttons.items():
            button.select() if code == lang else button.unselect()
        for name, entry in self.entries.items():
            entry.set_text(self.copy.text(self.doc_key(name)))
        self._filled = True
        self._rows()
        self._show_notes()

    def show_tab(self, tab: str) -> None:
        self.tab = tab
        for name, panel in self.panels.items():
            panel.show() if name == tab else panel.hide()
        for name, button in self.tab_buttons.items():
            button.select() if name == tab else button.unselect()
        self._shown_for = 0.0
        if tab == "stats":
            self.load_stats()
        elif tab == "versions":
            self.load_versions()

    def say(self, text: str, detail: str = "") -> None:
        self.status.set_text(literal(text) + (f"<br>{literal(detail)}" if detail else ""))

    # -- webinars and materials: one row each --------------------------------------------------------------
    def _rows(self) -> None:
        self._webinar_rows()
        self._material_rows()
        self._file_names()

    def _scroller(self, old: UIScrollingContainer | None, tab: str, top: int) -> UIScrollingContainer:
        if old is not None:
            old.kill()
        panel = self.panels[tab]
        hidden = not panel.visible
        panel.show()  # pygame-gui's scrolling container is built right only in a shown panel
        scroller = UIScrollingContainer(pygame.Rect(0, top, self.pw, self.ph - top), self.app.ui, container=panel,
                                        allow_scroll_x=False)
        if hidden and self.tab != tab:
            panel.hide()
        return scroller

    def _webinar_rows(self) -> None:
        ui = self.app.ui
        self.webinar_scroller = s = self._scroller(self.webinar_scroller, "webinars", ROW + GAP)
        self.webinar_rows = []
        w = self.pw - SCROLLBAR_W
        title_key = "title_en" if self.edit_lang == "en" else "title"
        y = 0
        for item in self.copy.webinars:
            row: dict[str, Any] = {}
            cells = (("title", title_key, 0, w - 690), ("starts", "starts", w - 680, 170),
                     ("minutes", "duration_minutes", w - 500, 80), ("url", "url", w - 410, 280))
            for name, _, x, width in cells:
                UILabel(pygame.Rect(x, y, width, 20), key(f"cabinet.webinar.{name}"), ui, container=s,
                        object_id="#cabinet_caption")
            for name, doc_name, x, width in cells:
                entry = UITextEntryLine(pygame.Rect(x, y + 20, width, ROW), ui, container=s)
                entry.length_limit = 2000
                value = item.get(doc_name)
                entry.set_text(start_text(value) if name == "starts" else ("" if value is None else str(value)))
                row[name] = entry
            row["remove"] = UIButton(pygame.Rect(w - 120, y + 20, 120, ROW), key("cabinet.remove"), ui, container=s)
            row["note"] = UILabel(pygame.Rect(0, y + 20 + ROW, w, NOTE_H), "", ui, container=s,
                                  object_id="#cabinet_note")
            self.webinar_rows.append(row)
            y += 20 + ROW + NOTE_H + GAP
        if not self.webinar_rows:
            UILabel(pygame.Rect(0, 0, w, ROW), key("cabinet.no_webinars"), ui, container=s,
                    object_id="#cabinet_caption")
        s.set_scrollable_area_dimensions((w, max(1, y)))

    def _material_rows(self) -> None:
        ui = self.app.ui
        self.material_scroller = s = self._scroller(self.material_scroller, "files", self.materials_top)
        self.material_rows = []
        w = self.pw - SCROLLBAR_W
        title_key = "title_en" if self.edit_lang == "en" else "title"
        y = 0
        for item in self.copy.materials:
            row: dict[str, Any] = {}
            entry = UITextEntryLine(pygame.Rect(0, y, w - 720, ROW), ui, container=s)
            entry.length_limit = 2000
            entry.set_text(str(item.get(title_key) or ""))
            row["title"] = entry
            source = item.get("file") or item.get("url") or ""
            row["file"] = UILabel(pygame.Rect(w - 712, y, 240, ROW), str(source), ui, container=s,
                                  object_id="#cabinet_caption")
            x = w - 464
            for name, width in (("up", 84), ("down", 84), ("replace", 150), ("remove", 130)):
                row[name] = UIButton(pygame.Rect(x, y, width, ROW), key(f"cabinet.{name}"), ui, container=s)
                x += width + 4
            row["note"] = UILabel(pygame.Rect(0, y + ROW, w, NOTE_H), "", ui, container=s, object_id="#cabinet_note")
            self.material_rows.append(row)
            y += ROW + NOTE_H + GAP
        if not self.material_rows:
            UILabel(pygame.Rect(0, 0, w, ROW), key("cabinet.no_materials"), ui, container=s,
                    object_id="#cabinet_caption")
        s.set_scrollable_area_dimensions((w, max(1, y)))

    def _file_names(self) -> None:
        for name, label in self.file_labels.items():
            label.set_text(self.copy.text(name) or tr("cabinet.none"))

    # -- editing -------------------------------------------------------------------------------------------
    def collect(self) -> None:
        """What is typed, into the working copy's document (not yet written)."""
        for name, entry in self.entries.items():
            self.copy.set_text(self.doc_key(name), entry.get_text())
        title_key = "title_en" if self.edit_lang == "en" else "title"
        for item, row in zip(self.copy.webinars, self.webinar_rows, strict=False):
            _set(item, title_key, row["title"].get_text())
            item["starts"] = start_value(row["starts"].get_text())
            item["duration_minutes"] = minutes_value(row["minutes"].get_text())
            _set(item, "url", row["url"].get_text())
        for item, row in zip(self.copy.materials, self.material_rows, strict=False):
            _set(item, title_key, row["title"].get_text())

    def save(self) -> bool:
        """Write the working copy and check it again; on failure say why, keeping every entry as typed."""
        self.collect()
        try:
            self.copy.save()
        except OSError as exc:
            self.say(tr("cabinet.save_failed"), exc.strerror or str(exc))
            return False
        self.say(tr("cabinet.saved"))
        self.check()
        return True

    def check(self) -> None:
        """Validate the working copy off the main thread; the notes follow when it is done."""
        if self._job is None or self._job.done():
            self._check_epoch = self._publish_epoch
            self._job = self._pool.submit(validate, self.copy.folder)

    def _checked(self, result: tuple[Exhibitor | None, list[Problem]]) -> None:
        self.findings = result[1]
        self._show_notes()
        if self.publishing or self._check_epoch != self._publish_epoch:
            return  # the publish's own answer stays in the status line
        counts = {s: sum(p.severity is s for p in self.findings) for s in Severity}
        first = next((p for p in self.findings if p.severity is Severity.ERROR), None)
        fix = f"{tr('preview.fix')}: {first.fix(tr)}" if first is not None and first.fix(tr) else ""
        self.say(tr("preview.summary", errors=counts[Severity.ERROR], warnings=counts[Severity.WARNING],
                    infos=counts[Severity.INFO]), self.other_findings() or fix)

    def note_for(self, field: str) -> str:
        """The first error or warning about `field` (a key of stand.toml, or an entry such as "webinars[2]" with
        what is under it)."""
        for p in self.findings:
            if p.severity is not Severity.INFO and (p.field == field or p.field.startswith((f"{field}.",
                                                                                             f"{field}["))):
                return p.message(tr)
        return ""

    def other_findings(self) -> str:
        """Findings no field shows, in a line."""
        shown = set(self.notes) | {self.doc_key(n) for n in self.notes}
        rest = [p for p in self.findings if p.severity is Severity.ERROR
                and not any(p.field == f or p.field.startswith(f"{f}.") for f in shown)
                and not p.field.startswith(("webinars[", "materials["))]
        return " · ".join(p.message(tr) for p in rest[:2])

    def _show_notes(self) -> None:
        for name, label in self.notes.items():
            label.set_text(self.note_for(self.doc_key(name)))
        for i, row in enumerate(self.webinar_rows):
            row["note"].set_text(self.note_for(f"webinars[{i + 1}]"))
        for i, row in enumerate(self.material_rows):
            row["note"].set_text(self.note_for(f"materials[{i + 1}]"))

    def add_webinar(self) -> None:
        self.collect()
        self.copy.add_webinar({"title": "", "starts": "", "duration_minutes": 60})
        self._webinar_rows()

    def remove_webinar(self, index: int) -> None:
        self.collect()
        self.copy.remove_webinar(index)
        self._webinar_rows()
        self._show_notes()

    def move_material(self, index: int, step: int) -> None:
        self.collect()
        self.copy.move_material(index, step)
        self._material_rows()
        self._show_notes()

    def remove_material(self, index: int) -> None:
        self.collect()
        self.copy.remove_material(index)
        self._material_rows()
        self._show_notes()

    def file_chosen(self, purpose: str, index: int, path: Path) -> None:
        """A file picked in the dialog: added or replacing (not saved yet), or an export written."""
        if purpose in ("export_stats", "export_leads"):
            self.export(purpose, path)
            return
        self.collect()
        try:
            if purpose == "add_material":
                self.copy.add_material(path, path.stem)
            elif purpose == "replace_material":
                self.copy.replace_material(index, path)
            else:
                self.copy.replace_file(purpose, path)
        except OSError as exc:
            self.say(tr("cabinet.file_failed", name=path.name), exc.strerror or str(exc))
            return
        self._material_rows()
        self._file_names()
        self.save()

    def choose_file(self, purpose: str, index: int = -1) -> UIFileDialog:
        if self.dialog is not None:
            self.dialog.kill()
        export = purpose.startswith("export")
        start = Path.home()
        if export:
            name = f"{self.stand_id}-{'leads' if purpose == 'export_leads' else 'statistics'}.csv"
            start = start / name
        self.dialog = UIFileDialog(window_rect(self.app.size, 620, 520), self.app.ui,
                                   window_title=key(f"cabinet.dialog.{purpose}"), initial_file_path=str(start),
                                   allow_existing_files_only=not export, always_on_top=True)
        self.dialog_for = (purpose, index)
        return self.dialog

    def preview(self) -> None:
        """Save, then open the copy in `expo-hall preview`: the stand window as visitors see it, with its checks."""
        if not self.save():
            return
        if self.preview_process is not None and self.preview_process.poll() is None:
            self.preview_process.terminate()
        try:
            self.preview_process = subprocess.Popen([sys.executable, "-m", "expo_hall", "preview",
                                                     str(self.copy.folder), "--lang", self.lang])
        except OSError as exc:
            self.say(tr("cabinet.preview_failed"), str(exc))

    # -- publishing ----------------------------------------------------------------------------------------
    def publish(self) -> None:
        """Save, then publish the working copy from a worker thread: checked, its files uploaded with progress, a
        new version made (live, or waiting for the organizers' review)."""
        if self.publishing or not self.save():
            return
        client = self.net.client
        self.publishing = True
        self.sent = (0, 0)
        self.actions["publish"].disable()
        self.progress.set_current_progress(0)
        self.progress.show()
        self.say(tr("cabinet.publishing"))
        self.net.call(self._t("publish"), self._publish_job, client.base_url, client.token or "")

    def _publish_job(self, server: str, token: str) -> PublishResult | NotPublishable:
        """On the worker thread. A package with errors is an answer, not a failure."""
        try:
            return publish(self.copy.folder, server, token, self._progress)
        except NotPublishable as exc:
            return exc

    def _progress(self, sent: int, total: int) -> None:
        self.sent = (sent, total)

    def _published(self, result: object) -> None:
        self.publishing = False
        self._publish_epoch += 1
        self.actions["publish"].enable()
        self.progress.hide()
        if isinstance(result, PublishResult):
            self.published = result
            v = result.version
            self.say(tr(f"cabinet.published_{'live' if v.state == 'live' else 'in_review'}", number=v.number))
            self.load_versions()
        elif isinstance(result, NotPublishable):
            self.findings = result.findings
            self._show_notes()
            self.say(tr("publish.stopped"), self.other_findings())
        elif isinstance(result, NetError):
            self.say(tr("cabinet.publish_failed"), publish_error(result, self.net.client.base_url, tr))
        elif isinstance(result, OSError):
            self.say(tr("cabinet.publish_failed"), tr("publish.error.file", detail=result))
        else:
            log.error("publishing failed: %r", result)
            self.say(tr("cabinet.publish_failed"), str(result))

    def load_versions(self) -> None:
        self.net.call(self._t("versions"), self.net.client.stand_versions)

    def versions_html(self, versions: VersionList) -> str:
        if not versions.versions:
            return f"<i>{literal(tr('publish.none'))}</i>"
        rows = [f"<b>{literal(tr('cabinet.review_on' if versions.review else 'cabinet.review_off'))}</b>"]
        for v in versions.versions:
            when = v.created_at.astimezone().strftime("%d.%m.%Y %H:%M")
            line = literal(tr("publish.history_line", number=v.number, when=when, author=v.author,
                              state=tr(f"publish.state.{v.state}")))
            if v.state == "live":
                line = f"<b>{line}</b>"
            if v.reason:
                line += f"<br><i>{literal(tr('publish.reason', reason=v.reason))}</i>"
            rows.append(line)
        return "<br><br>".join(rows)

    # -- statistics ----------------------------------------------------------------------------------------
    def _t(self, what: str) -> tuple[str, str, int]:
        return ("cabinet", what, self._tag)

    def load_stats(self) -> None:
        client = self.net.client
        self.net.call(self._t("series"), client.stand_series, self.stand_id)
        self.net.call(self._t("stats"), client.stand_stats, self.stand_id)
        self.net.call(self._t("leads"), client.leads, self.stand_id)

    def chart_size(self) -> tuple[int, int]:
        return ((self.pw - SCROLLBAR_W - GAP) // 2, CHART_H)

    def show_charts(self) -> None:
        if self.series is None:
            return
        drawn = charts(self.series, self.lang)
        size = self.chart_size()
        for image in self.chart_images.values():
            image.kill()
        self.chart_images, self.chart_layouts = {}, {}
        for i, name in enumerate(n for n in CHARTS_ORDER if n in drawn):
            surface, layout = self.chart_cache.get(name, drawn[name], size)
            rect = pygame.Rect((i % 2) * (size[0] + GAP), (i // 2) * (size[1] + GAP), *size)
            self.chart_images[name] = UIImage(rect, surface, self.app.ui, container=self.chart_scroller)
            self.chart_layouts[name] = layout
        rows = (len(self.chart_images) + 1) // 2
        self.chart_scroller.set_scrollable_area_dimensions((self.pw - SCROLLBAR_W, rows * (size[1] + GAP)))

    def _show_totals(self) -> None:
        s = self.stats
        if s is None:
            return
        self.totals.set_text(tr("cabinet.totals", visits=s.visits, unique=s.unique_visitors,
                                messages=s.chat_messages, downloads=s.downloads,
                                leads=len(self.leads) if self.leads is not None else "…"))

    def export(self, purpose: str, path: Path) -> bool:
        if purpose == "export_stats":
            if self.series is None:
                self.say(tr("cabinet.no_stats_yet"))
                return False
            text = statistics_csv(self.series, self.stats, len(self.leads) if self.leads is not None else None)
        else:
            if self.leads is None:
                self.say(tr("cabinet.no_stats_yet"))
                return False
            text = leads_csv(self.leads)
        try:
            write_atomically(path, text)
        except OSError as exc:
            self.say(tr("cabinet.export_failed", path=str(path)), exc.strerror or str(exc))
            return False
        self.say(tr("cabinet.exported", path=str(path)))
        return True

    # -- answers, events -----------------------------------------------------------------------------------
    def _answer(self, what: str, result: object) -> None:
        if what == "publish":
            self._published(result)
            return
        if isinstance(result, BaseException):
            if isinstance(result, Offline):
                self.say(tr("reps.offline"))
            elif isinstance(result, ApiError | NetError):
                self.say(tr("reps.failed_stats"), getattr(result, "message", str(result)))
            else:
                log.error("the cabinet's %s failed: %r", what, result)
            return
        if what == "series" and isinstance(result, StandSeries):
            self.series = result
            self.show_charts()
        elif what == "stats" and isinstance(result, StandStats):
            self.stats = result
        elif what == "leads" and isinstance(result, list):
            self.leads = result
        elif what == "versions" and isinstance(result, VersionList):
            self.versions = result
            self.versions_box.set_text(self.versions_html(result))
        self._show_totals()

    def update(self, dt: float) -> None:
        if self.tab in ("stats", "versions"):  # the figures grow and reviews are decided meanwhile
            self._shown_for += dt
            if self._shown_for >= REFRESH_EVERY:
                self._shown_for = 0.0
                self.load_stats() if self.tab == "stats" else self.load_versions()
        if self.publishing:
            sent, total = self.sent
            self.progress.set_current_progress(100 * sent / total if total else 0)
        if self._job is not None and self._job.done():
            job, self._job = self._job, None
            try:
                self._checked(job.result())
            except ContentError as exc:
                self.findings = [exc.problem]
                self._show_notes()

    def wants_frame(self) -> bool:
        return self._job is not None or self.publishing

    def next_wakeup(self) -> float | None:
        return REFRESH_EVERY - self._shown_for if self.tab in ("stats", "versions") else None

    def leave(self) -> None:
        if self.dialog is not None:
            self.dialog.kill()
        if self.preview_process is not None and self.preview_process.poll() is None:
            self.preview_process.terminate()  # the copy's preview goes with the cabinet (and with the app)
        self._pool.shutdown(wait=False, cancel_futures=True)
        super().leave()

    def event(self, event: pygame.event.Event) -> None:
        super().event(event)
        if event.type == NET_EVENT:
            tag = getattr(event, "tag", None)
            if isinstance(tag, tuple) and len(tag) == 3 and tag[0] == "cabinet" and tag[2] == self._tag:
                self._answer(tag[1], event.result)
            return
        if event.type == pygame_gui.UI_FILE_DIALOG_PATH_PICKED and event.ui_element is self.dialog:
            self.dialog = None
            self.file_chosen(self.dialog_for[0], self.dialog_for[1], Path(event.text))
            return
        if event.type != pygame_gui.UI_BUTTON_PRESSED:
            return
        self.pressed(event.ui_element)

    def pressed(self, element: object) -> None:
        for tab, button in self.tab_buttons.items():
            if element is button:
                return self.show_tab(tab)
        for code, button in self.lang_buttons.items():
            if element is button:
                return self.show_lang(code)
        if element is self.actions["save"]:
            self.save()
        elif element is self.actions["preview"]:
            self.preview()
        elif element is self.actions["publish"]:
            self.publish()
        elif element is self.add_webinar_button:
            self.add_webinar()
        elif element is self.add_material_button:
            self.choose_file("add_material")
        for name, button in {**self.file_buttons, **self.stats_buttons}.items():
            if element is button:
                self.choose_file(name)
        for i, row in enumerate(self.webinar_rows):
            if element is row["remove"]:
                return self.remove_webinar(i)
        for i, row in enumerate(self.material_rows):
            if element is row["up"]:
                self.move_material(i, -1)
            elif element is row["down"]:
                self.move_material(i, 1)
            elif element is row["replace"]:
                self.choose_file("replace_material", i)
            elif element is row["remove"]:
                self.remove_material(i)
        return None


def _set(item: dict[str, Any], name: str, text: str) -> None:
    if text.strip():
        item[name] = text.strip()
    else:
        item.pop(name, None)

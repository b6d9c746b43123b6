"""The briefcase window over the hall: what the visitor collected, grouped by kind, to open, remove or export."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UILabel, UIScrollingContainer, UITextBox, UITextEntryLine, UIWindow
from pygame_gui.windows import UIConfirmationDialog

from expo_hall import system
from expo_hall.briefcase.model import KINDS, Briefcase, Item
from expo_hall.i18n import key, tr
from expo_hall.input import Back, Intent
from expo_hall.layout import window_rect
from expo_hall.screens import WindowScreen
from expo_hall.stands.panels.materials import human_size
from expo_hall.text import literal

if TYPE_CHECKING:
    from expo_hall.app import App

log = logging.getLogger("expo_hall")
GAP = 8
BUTTON_H = 34
BUTTON_W = 120
SCROLLBAR_W = 22
ROW_MAX_H = 80
STATUS_H = 70  # two lines: what happened, and the path it concerns


def open_briefcase(app: App) -> BriefcaseScreen:
    """The hook for the hall: show the briefcase (the open one, if it is open already)."""
    screen = app.stack.find(BriefcaseScreen)
    if screen is None:
        screen = app.stack.push(BriefcaseScreen(app))
    return screen


@dataclass
class Row:
    item: Item
    box: UITextBox
    open_button: UIButton | None  # None: nothing to open (a shared contact has no file)
    remove_button: UIButton


class BriefcaseScreen(WindowScreen):
    opaque = False

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.briefcase: Briefcase = app.briefcase
        self.lang = app.lang
        self._shade: pygame.Surface | None = None
        rect = window_rect(app.size, 900, 620)
        self.window = UIWindow(rect, app.ui, window_display_title=key("briefcase.title"),
                               object_id="#briefcase_window", resizable=False)
        self.inner_w, self.inner_h = self.window.get_container().get_size()
        iw, ih = self.inner_w, self.inner_h
        self.folder_box = UITextBox(f"{literal(tr('briefcase.folder'))} {literal(str(self.briefcase.folder))}",
                                    pygame.Rect(GAP, GAP, iw - 2 * GAP - 170 - GAP, BUTTON_H + 4), app.ui,
                                    container=self.window, object_id="#briefcase_folder")
        self.folder_button = UIButton(pygame.Rect(iw - GAP - 170, GAP, 170, BUTTON_H), key("briefcase.open_folder"),
                                      app.ui, container=self.window)
        self.list_rect = pygame.Rect(GAP, BUTTON_H + 3 * GAP, iw - 2 * GAP, ih - BUTTON_H - STATUS_H - 5 * GAP)
        self.export_button = UIButton(pygame.Rect(GAP, ih - GAP - (STATUS_H + BUTTON_H) // 2, 170, BUTTON_H),
                                      key("briefcase.export"), app.ui, container=self.window,
                                      object_id="#briefcase_export")
        self.status = UITextBox("", pygame.Rect(170 + 2 * GAP, ih - STATUS_H - GAP, iw - 170 - 3 * GAP, STATUS_H),
                                app.ui, container=self.window, object_id="#briefcase_status")
        self.scroller: UIScrollingContainer | None = None
        self.rows: list[Row] = []
        self.headers: dict[str, UILabel] = {}
        self.confirm: UIConfirmationDialog | None = None
        self._confirm_item: Item | None = None
        self.export_dialog: UIWindow | None = None
        self.export_entry: UITextEntryLine | None = None
        self.export_ok: UIButton | None = None
        self.export_cancel: UIButton | None = None
        self.exported: Path | None = None  # the last zip written
        self.refresh()

    # -- the list --------------------------------------------------------------------------------
    def exhibitor_name(self, item: Item) -> str:
        exhibitor = self.app.expo.exhibitors.get(item.exhibitor_id) if self.app.expo else None
        return exhibitor.name_for(self.lang) if exhibitor else (item.exhibitor_name or item.exhibitor_id)

    def describe(self, item: Item) -> str:
        """The row's text (markup, the content in it literal)."""
        when = item.when.astimezone()
        parts = []
        if item.file:
            parts.append(item.file_name)
            size = self.briefcase.size_of(item)
            parts.append(human_size(size) if size is not None else "?")
        parts.append(f"{when:%d.%m.%Y %H:%M}")
        title = item.title if item.kind != "contact" else tr("briefcase.contact_card")
        first = f"<b>{literal(self.exhibitor_name(item))}</b>"
        if title:
            first += f" — {literal(title)}"
        return f"{first}<br>{literal(' · '.join(parts))}"

    def refresh(self) -> None:
        """Build the list again from the briefcase (files deleted meanwhile drop out)."""
        if self.scroller is not None:
            self.scroller.kill()
        self.rows, self.headers = [], {}
        ui, r = self.app.ui, self.list_rect
        self.scroller = UIScrollingContainer(r, ui, container=self.window, allow_scroll_x=False,
                                             object_id="#briefcase_list")
        items = self.briefcase.items()
        if not items:
            UITextBox(f"<i>{literal(tr('briefcase.empty'))}</i>", pygame.Rect(0, 0, r.width - SCROLLBAR_W, -1), ui,
                      container=self.scroller, object_id="#briefcase_empty")
            return
        text_w = r.width - 2 * BUTTON_W - 2 * GAP - SCROLLBAR_W
        y = 0
        for kind in KINDS:
            group = [i for i in items if i.kind == kind]
            if not group:
                continue
            self.headers[kind] = UILabel(pygame.Rect(0, y, text_w, 28), key(f"briefcase.kind.{kind}"), ui,
                                         container=self.scroller, object_id="#briefcase_kind")
            y += 28 + GAP // 2
            for item in group:
                box = UITextBox(self.describe(item), pygame.Rect(0, y, text_w, -1), ui, container=self.scroller,
                                object_id="#briefcase_item")
                if box.rect.height > ROW_MAX_H:
                    html = box.html_text
                    box.kill()
                    box = UITextBox(html, pygame.Rect(0, y, text_w, ROW_MAX_H), ui, container=self.scroller,
                                    object_id="#briefcase_item")
                opener = None
                if item.file is not None:
                    opener = UIButton(pygame.Rect(text_w + GAP, y, BUTTON_W, BUTTON_H), key("briefcase.open"), ui,
                                      container=self.scroller)
                remove = UIButton(pygame.Rect(text_w + BUTTON_W + 2 * GAP, y, BUTTON_W, BUTTON_H),
                                  key("briefcase.remove"), ui, container=self.scroller)
                self.rows.append(Row(item, box, opener, remove))
                y += max(box.rect.height, BUTTON_H) + GAP
            y += GAP
        self.scroller.set_scrollable_area_dimensions((r.width - SCROLLBAR_W, max(y, 1)))

    def say(self, text: str, detail: object = "") -> None:
        """Tell the visitor what happened; the detail (a path, a value: content) on a line of its own."""
        self.status.set_text(literal(text) + (f"<br>{literal(str(detail))}" if detail != "" else ""))

    # -- actions ---------------------------------------------------------------------------------
    def open_item(self, item: Item) -> bool:
        path = self.briefcase.path_of(item)
        if path is None or not path.is_file():
            self.refresh()
            self.say(tr("briefcase.gone"), item.file_name)
            return False
        if system.open_path(path):
            self.say(tr("briefcase.opening"), item.file_name)
            return True
        self.say(tr("briefcase.open_failed"), path)
        return False

    def ask_remove(self, item: Item) -> UIConfirmationDialog:
        self._close_confirm()
        rect = pygame.Rect(0, 0, 460, 220)
        rect.center = self.window.rect.center
        self.confirm = UIConfirmationDialog(
            rect, key("briefcase.remove_question"), self.app.ui, window_title=key("briefcase.remove_title"),
            action_short_name=key("briefcase.remove"), object_id="#briefcase_confirm",
            action_long_desc_text_kwargs={"name": literal(self.exhibitor_name(item)),
                                          "title": literal(item.title or item.file_name)})
        self._confirm_item = item
        return self.confirm

    def remove(self, item: Item) -> bool:
        try:
            removed = self.briefcase.remove(item.item_id)
        except OSError as exc:
            log.error("cannot remove %s from the briefcase: %s", item.file, exc)
            self.say(tr("briefcase.remove_failed"), exc)
            return False
        self.refresh()
        if removed:
            self.say(tr("briefcase.removed"), item.title or item.file_name)
        return removed

    def _close_confirm(self) -> None:
        if self.confirm is not None:
            self.confirm.kill()
        self.confirm, self._confirm_item = None, None

    def ask_export(self) -> UIWindow:
        """The "Export…" dialog: where to write the zip (the Downloads folder, unless changed)."""
        self._close_export()
        ui = self.app.ui
        rect = pygame.Rect(0, 0, min(640, self.app.size[0] - 40), 200)
        rect.center = self.window.rect.center
        self.export_dialog = UIWindow(rect, ui, window_display_title=key("briefcase.export_title"),
                                      object_id="#export_dialog", resizable=False)
        w, _ = self.export_dialog.get_container().get_size()
        UILabel(pygame.Rect(GAP * 2, GAP * 2, w - 4 * GAP, 26), key("briefcase.export_to"), ui,
                container=self.export_dialog, object_id="#export_label")
        self.export_entry = UITextEntryLine(pygame.Rect(GAP * 2, 26 + 3 * GAP, w - 4 * GAP, 36), ui,
                                            container=self.export_dialog, initial_text="")
        self.export_entry.length_limit = 4096
        self.export_entry.set_text(str(self.briefcase.default_export_path()))
        self.export_ok = UIButton(pygame.Rect(w - 2 * GAP - 2 * 140 - GAP, 26 + 36 + 6 * GAP, 140, BUTTON_H),
                                  key("briefcase.export_do"), ui, container=self.export_dialog)
        self.export_cancel = UIButton(pygame.Rect(w - 2 * GAP - 140, 26 + 36 + 6 * GAP, 140, BUTTON_H),
                                      key("briefcase.cancel"), ui, container=self.export_dialog)
        return self.export_dialog

    def _close_export(self) -> None:
        if self.export_dialog is not None:
            self.export_dialog.kill()
        self.export_dialog = self.export_entry = self.export_ok = self.export_cancel = None

    def export(self, dest: Path | str) -> Path | None:
        """Write the zip; the status says where it went, or why it did not."""
        dest = Path(dest).expanduser()
        if not dest.is_absolute():
            dest = self.briefcase.default_export_path().parent / dest
        if dest.suffix.lower() != ".zip" and not dest.is_dir():
            dest = dest.with_name(dest.name + ".zip")
        try:
            path = self.briefcase.export_zip(dest)
        except IsADirectoryError:
            self.say(tr("briefcase.export_is_folder"), dest)
        except FileNotFoundError:
            self.say(tr("briefcase.export_no_folder"), dest.parent)
        except PermissionError:
            self.say(tr("briefcase.export_denied"), dest)
        except OSError as exc:
            log.error("briefcase export to %s failed: %s", dest, exc)
            self.say(tr("briefcase.export_failed", error=exc), dest)
        else:
            self.say(tr("briefcase.exported"), path)
            self.exported = path
            return path
        return None

    def open_folder(self) -> bool:
        try:
            self.briefcase.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.say(tr("briefcase.open_failed"), f"{self.briefcase.folder} ({exc})")
            return False
        if system.open_path(self.briefcase.folder):
            return True
        self.say(tr("briefcase.open_failed"), self.briefcase.folder)
        return False

    # -- screen ----------------------------------------------------------------------------------
    def leave(self) -> None:
        self._close_confirm()
        self._close_export()
        super().leave()

    def handle(self, intent: Intent) -> None:
        if not isinstance(intent, Back):
            return
        if self.confirm is not None:
            self._close_confirm()
        elif self.export_dialog is not None:
            self._close_export()
        else:
            self.close()

    def event(self, event: pygame.event.Event) -> None:
        t = event.type
        if t == pygame_gui.UI_WINDOW_CLOSE:
            if event.ui_element is self.window:
                self.close()
            elif event.ui_element is self.confirm:
                self.confirm, self._confirm_item = None, None
            elif event.ui_element is self.export_dialog:
                self.export_dialog = self.export_entry = self.export_ok = self.export_cancel = None
        elif t == pygame_gui.UI_CONFIRMATION_DIALOG_CONFIRMED and event.ui_element is self.confirm:
            item = self._confirm_item
            self.confirm, self._confirm_item = None, None  # the dialog closes itself
            if item is not None:
                self.remove(item)
        elif t == pygame_gui.UI_TEXT_ENTRY_FINISHED and event.ui_element is self.export_entry:
            self._export_from_dialog()
        elif t == pygame.KEYDOWN and event.key == pygame.K_ESCAPE and self.export_entry is not None \
                and self.export_entry.is_focused:
            self._close_export()  # Escape in the path field: the field has the keyboard, so no Back comes
        elif t == pygame_gui.UI_BUTTON_PRESSED:
            self._pressed(event.ui_element)

    def _pressed(self, element: object) -> None:
        if element is self.export_button:
            self.ask_export()
        elif element is self.folder_button:
            self.open_folder()
        elif self.export_ok is not None and element is self.export_ok:
            self._export_from_dialog()
        elif self.export_cancel is not None and element is self.export_cancel:
            self._close_export()
        for row in self.rows:
            if row.open_button is not None and element is row.open_button:
                self.open_item(row.item)
            elif element is row.remove_button:
                self.ask_remove(row.item)

    def _export_from_dialog(self) -> None:
        if self.export_entry is None:
            return
        text = self.export_entry.get_text().strip()
        self._close_export()
        self.export(text or self.briefcase.default_export_path())

    def draw(self, surface: pygame.Surface) -> None:
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._shade.fill((20, 24, 32, 110))
        surface.blit(self._shade, (0, 0))


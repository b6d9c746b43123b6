"""`expo-hall preview DIR`'s window: a stand from a local package exactly as visitors see it, beside its checks.

The stand window is the hall's own (StandScreen and its panels: every tab, the video playing), on the package
read straight from the folder, without a server (as `--no-server` reads it). Beside it a panel lists each
finding of expo_hall/stands/validate.py with its fix, and shows the logo as the hall draws it: on a standard
stand by the floor's own renderer, at the usual zoom and zoomed out, and on the hover card. "Check again"
reads the folder again after an edit; Escape closes the stand window, "Open the stand" opens it again.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pygame
from pygame_gui.elements import UIButton, UIImage, UILabel, UIPanel, UITextBox

from expo_hall.app import App
from expo_hall.expo import Expo
from expo_hall.floors.camera import ZOOMS, Camera
from expo_hall.floors.geometry import Rect
from expo_hall.floors.model import Alley, Floor, StandPlace
from expo_hall.floors.popup import HoverPopup
from expo_hall.floors.renderer import FloorRenderer
from expo_hall.i18n import key, tr
from expo_hall.loading import LoadedExpo, Progress, load_all
from expo_hall.problems import Problem, Severity
from expo_hall.screens import Screen
from expo_hall.settings import Settings
from expo_hall.stands.logos import LogoCache
from expo_hall.stands.looks import STANDARD_STAND
from expo_hall.stands.package import Exhibitor
from expo_hall.stands.stand_screen import StandScreen
from expo_hall.stands.validate import Fair, validate
from expo_hall.text import literal

MARGIN = 16
BACKGROUND = (226, 223, 214)
COLOURS = {Severity.ERROR: "#B42318", Severity.WARNING: "#B54708", Severity.INFO: "#475467"}
FLOOR_ZOOMS = (1.0, 0.5)  # the hall's usual zoom, and zoomed out
STAND_NUMBER = "A-01"


class PreviewApp(App):
    """The app on one stand package: no hall, no server; the stand window and the checks panel."""

    def __init__(self, settings: Settings, folder: Path, fair: Fair) -> None:
        self.folder = Path(folder)
        self.fair = fair
        self.exhibitor: Exhibitor | None = None
        self.findings: list[Problem] = []
        settings.no_server = True
        super().__init__(settings)

    def load(self, progress: Progress) -> LoadedExpo:
        """On the loader's thread: the package checked, then its logo decoded as the hall's loader does."""
        self.exhibitor, self.findings = validate(self.folder, self.fair)
        progress.fraction = 0.5
        exhibitors = {self.exhibitor.exhibitor_id: self.exhibitor} if self.exhibitor is not None else {}
        return load_all(self.settings, progress, Expo(exhibitors=exhibitors))

    def _start(self) -> None:
        if self.exhibitor is not None:
            pygame.display.set_caption(tr("preview.title", name=self.exhibitor.name_for(self.lang)))
        checks = ChecksScreen(self)
        self.stack.push(checks)
        checks.open_stand()
        checks.build()


class ChecksScreen(Screen):
    """The screen beneath the stand window: the checks panel on the right; opens the stand window on the left."""

    def __init__(self, app: PreviewApp) -> None:
        super().__init__(app)
        self.app: PreviewApp = app
        self.stand: StandScreen | None = None
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="expo-check")
        self._job: Future[tuple[Exhibitor | None, list[Problem]]] | None = None
        self.panel: UIPanel | None = None
        w, h = app.size
        self.stand_size = (min(880, w - 60), min(640, h - 90))  # StandScreen's; its window's own once it opens

    # -- layout ----------------------------------------------------------------------------------------
    def _stand_rect(self) -> pygame.Rect:
        """Where the stand window goes: at the left, in the middle of the height."""
        h = self.app.size[1]
        return pygame.Rect((MARGIN, max(MARGIN, (h - self.stand_size[1]) // 2)), self.stand_size)

    def build(self) -> None:
        """The checks panel, right of the stand window."""
        self._kill()
        app = self.app
        ui = app.ui
        w, h = app.size
        left = self._stand_rect().right + MARGIN
        self.panel = UIPanel(pygame.Rect(left, MARGIN, w - left - MARGIN, h - 2 * MARGIN), manager=ui,
                             object_id="#checks_panel")
        pw, ph = self.panel.get_container().get_size()
        ex = app.exhibitor
        title = tr("preview.panel") + (f": {ex.name_for(app.lang)}" if ex is not None else "")
        self.title = UILabel(pygame.Rect(8, 6, pw - 16, 28), title, ui, container=self.panel, object_id="#checks_title")
        self.summary = UILabel(pygame.Rect(8, 34, pw - 16, 24), self.summary_text(), ui, container=self.panel,
                               object_id="#checks_summary")
        y = 62
        self.floor_images: list[UIImage] = []
        if ex is not None:
            UILabel(pygame.Rect(8, y, pw - 16, 22), tr("preview.on_floor"), ui, container=self.panel,
                    object_id="#checks_caption")
            y += 24
            x, row_h = 8, 0
            for picture in self.floor_pictures(ex):  # in rows, as many as the panel's width takes
                if x > 8 and x + picture.get_width() > pw - 8:
                    x, y, row_h = 8, y + row_h + 8, 0
                self.floor_images.append(UIImage(pygame.Rect((x, y), picture.get_size()), picture, ui,
                                                 container=self.panel))
                x, row_h = x + picture.get_width() + 8, max(row_h, picture.get_height())
            y += row_h + 8
        buttons_y = ph - 44
        self.findings_box = UITextBox(self.findings_html(), pygame.Rect(8, y, pw - 16, buttons_y - y - 8), ui,
                                      container=self.panel, object_id="#checks_findings")
        half = (pw - 24) // 2
        self.check_button = UIButton(pygame.Rect(8, buttons_y, half, 36), key("preview.check_again"), ui,
                                     container=self.panel, object_id="#check_again", command=self.check_again)
        self.open_button = UIButton(pygame.Rect(16 + half, buttons_y, half, 36), key("preview.open_stand"), ui,
                                    container=self.panel, object_id="#open_stand", command=self.open_stand)
        if ex is None:
            self.open_button.disable()

    def summary_text(self) -> str:
        counts = {s: sum(p.severity is s for p in self.app.findings) for s in Severity}
        return tr("preview.summary", errors=counts[Severity.ERROR], warnings=counts[Severity.WARNING],
                  infos=counts[Severity.INFO])

    def findings_html(self) -> str:
        findings = self.app.findings
        if self.app.exhibitor is None:
            intro = f"<b>{literal(tr('preview.cannot_open'))}</b><br><br>"
        elif any(p.severity is Severity.ERROR for p in findings):
            intro = f"<b>{literal(tr('preview.fix_errors'))}</b><br><br>"
        elif not any(p.severity is Severity.WARNING for p in findings):
            intro = f"<b>{literal(tr('preview.all_good'))}</b><br><br>"
        else:
            intro = ""
        rows = []
        for p in findings:
            label = tr(f"preview.severity.{p.severity.value}")
            where = f" · {literal(p.field)}" if p.field else ""
            row = (f"<font color='{COLOURS[p.severity]}'><b>{literal(label)}</b></font>{where}<br>"
                   f"{literal(p.message(tr))}")
            fix = p.fix(tr)
            if fix:
                row += f"<br><i>{literal(tr('preview.fix'))}: {literal(fix)}</i>"
            rows.append(row)
        return intro + "<br><br>".join(rows)

    def floor_pictures(self, ex: Exhibitor) -> list[pygame.Surface]:
        """The stand as the floor draws it (a one-stand floor through the hall's renderer) at each of
        FLOOR_ZOOMS, and the hover card."""
        sw, sh = STANDARD_STAND
        pad = 8
        floor = Floor("preview", "", None, 0, sw + 2 * pad, sh + 2 * pad + 24, 32, 32,
                      [Alley((Rect(0, sh + 2 * pad, sw + 2 * pad, sh + 2 * pad + 24),))],
                      [StandPlace(STAND_NUMBER, ex.exhibitor_id, Rect(pad, pad, pad + sw, pad + sh), "preview")], [],
                      Path("preview.tmx"))
        renderer = FloorRenderer(floor, {ex.exhibitor_id: ex}, self.app.logos, self.app.text, self.app.lang)
        pictures = []
        for zoom in FLOOR_ZOOMS:
            view = (round(floor.width * zoom), round(floor.height * zoom))
            camera = Camera(view, (floor.width, floor.height))
            camera.zoom_index = ZOOMS.index(zoom)
            camera.center_on((floor.width / 2, floor.height / 2))
            surface = pygame.Surface(view)
            renderer.draw(surface, camera, prefetch=False)
            pictures.append(surface)
        pictures.append(HoverPopup({ex.exhibitor_id: ex}, self.app.logos, self.app.text, self.app.lang)
                        .card(floor.stands[0]))
        return pictures

    # -- actions ---------------------------------------------------------------------------------------
    def open_stand(self) -> StandScreen | None:
        ex = self.app.exhibitor
        if ex is None:
            return None
        if self.stand is not None and self.stand in self.app.stack.screens:
            self.app.stack.pop(self.stand)
        self.stand = StandScreen(self.app, ex, None)
        self.stand_size = self.stand.window.rect.size  # with its theme's border and shadow
        self.stand.window.set_position(self._stand_rect().topleft)
        self.app.stack.push(self.stand)
        return self.stand

    def check_again(self) -> None:
        """Read and check the folder again off the main thread; the panel and the stand follow when it is done."""
        if self._job is not None and not self._job.done():
            return
        self.summary.set_text(tr("preview.checking"))
        self.check_button.disable()
        self._job = self._pool.submit(validate, self.app.folder, self.app.fair)

    def _checked(self, result: tuple[Exhibitor | None, list[Problem]]) -> None:
        self.app.exhibitor, self.app.findings = result
        ex = self.app.exhibitor
        self.app.expo = Expo(exhibitors={ex.exhibitor_id: ex} if ex is not None else {})
        self.app.logos = LogoCache(self.app.text)  # the logo may have changed: decode it again
        was_open = self.stand is not None and self.stand in self.app.stack.screens
        if self.stand is not None:
            self.app.stack.pop(self.stand)
            self.stand = None
        if was_open:
            self.open_stand()
        self.build()

    # -- screen ----------------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self._job is not None and self._job.done():
            job, self._job = self._job, None
            self._checked(job.result())

    def draw(self, surface: pygame.Surface) -> None:
        surface.fill(BACKGROUND)

    def resize(self, size: tuple[int, int]) -> None:
        self.build()
        if self.stand is not None:
            self.stand.window.set_position(self._stand_rect().topleft)

    def _kill(self) -> None:
        if self.panel is not None:
            self.panel.kill()
            self.panel = None

    def leave(self) -> None:
        self._kill()
        self._pool.shutdown(wait=False, cancel_futures=True)


def run(settings: Settings, folder: Path, fair: Fair) -> None:
    PreviewApp(settings, folder, fair).run()

"""The video player widget: the picture and its controls, as pygame-gui elements in a container.

    player = VideoPlayer(pygame.Rect(16, 182, 800, 400), app.ui, window, source, app.text)
    # each frame: player.update(dt); for each event: player.process_event(event); at the end: player.close()

The picture is a pygame-gui element, so it is drawn with the window it sits in (over the hall, under
tooltips). The main thread only uploads the picture that is due (already scaled and in the display's
byte order by the decoder thread) and blits it once.
"""

from __future__ import annotations

import time
from enum import Enum
from pathlib import Path

import pygame
import pygame_gui
from pygame_gui.core import UIElement
from pygame_gui.core.interfaces import IContainerLikeInterface, IUIManagerInterface
from pygame_gui.elements import UIButton, UIHorizontalSlider, UILabel

from expo_hall.i18n import key, tr
from expo_hall.text import TextCache
from expo_hall.video.audio import MixerOutput, mixer_format
from expo_hall.video.clock import AudioClock, Now, WallClock
from expo_hall.video.decoder import Decoder, Failure, Picture, State

CONTROLS_H = 34
GAP = 6
BACKGROUND = (12, 14, 18)
TEXT = (225, 228, 235)
MUTED_TEXT = (150, 156, 168)


class Status(Enum):
    LOADING = "loading"
    PLAYING = "playing"
    PAUSED = "paused"
    ENDED = "ended"
    FAILED = "failed"


class VideoView(UIElement):
    """The picture: an opaque surface the player draws into, shown as the element's image."""

    def __init__(self, rect: pygame.Rect, manager: IUIManagerInterface, container: IContainerLikeInterface | None):
        super().__init__(rect, manager, container, starting_height=1, layer_thickness=1, element_id=["video"],
                         object_id="#video")
        self.canvas = pygame.Surface(self.rect.size).convert()
        self.canvas.fill(BACKGROUND)
        self.blendmode = 0  # opaque: a plain copy, not the GUI's premultiplied blend
        self.image = self.canvas

    def refresh(self) -> None:
        """The canvas changed: a clipped element shows a clipped copy of it, others show it as is."""
        if self.get_image_clipping_rect() is not None:
            self._set_image(self.canvas)
        elif self.image is not self.canvas and self.visible:
            self.image = self.canvas


class VideoPlayer:
    """A clip from a file or an http(s) URL, with play/pause, a seek bar, time, volume and mute.

    `rect` is relative to `container` (a UIWindow, UIPanel or None for the screen). `sound=False` plays
    silently; so does a machine without a sound device. `now` is the wall clock's time source.
    """

    def __init__(self, rect: pygame.Rect, manager: IUIManagerInterface, container: IContainerLikeInterface | None,
                 source: str | Path, text_cache: TextCache, *, autoplay: bool = True, sound: bool = True,
                 volume: float = 0.8, now: Now = time.monotonic) -> None:
        self.rect = pygame.Rect(rect)
        self.source = source
        self.text = text_cache
        self.status = Status.LOADING
        self.failure: Failure | None = None
        self.message: str | None = None  # the text drawn over the picture, if any
        self.focused = True  # space toggles play while the player has focus (the last click was on it)
        self.muted = False
        self.volume = volume
        self.shown_pts: float | None = None
        self.update_time = 0.0  # the media time of the last update: the picture shown is the one due then
        self.frame_rect = pygame.Rect(0, 0, 0, 0)  # where the picture is in the view
        self.frame_ms: list[float] = []  # the main thread's cost of each picture shown (benchmark)
        self._autoplay = autoplay
        self._now = now
        self._buffering = False  # the wall clock waits for pictures
        self._seeking = False  # no picture shown since the last seek
        self._last_label = ""
        self._slider_pos = -1

        r = self.rect
        view_rect = pygame.Rect(r.x, r.y, r.w, r.h - CONTROLS_H - GAP)
        self.view = VideoView(view_rect, manager, container)
        y = view_rect.bottom + GAP
        play_w = max(self.text.font(15).size(tr(f"video.{n}"))[0] for n in ("play", "pause", "replay")) + 28
        self.play_button = UIButton(pygame.Rect(r.x, y, play_w, CONTROLS_H), key("video.play"), manager,
                                    container, object_id="#video_play")
        time_w = self.text.font(15).size("00:00:00 / 00:00:00")[0] + 12
        self.time_label = UILabel(pygame.Rect(r.x + play_w + GAP, y, time_w, CONTROLS_H), "--:-- / --:--",
                                  manager, container, object_id="#video_time")
        mute_w = max(self.text.font(15).size(tr(f"video.{n}"))[0] for n in ("mute", "unmute")) + 28
        volume_w = min(120, r.w // 6)
        seek_x = r.x + play_w + time_w + 2 * GAP
        seek_w = max(40, r.right - seek_x - mute_w - volume_w - 2 * GAP)
        self.seek_slider = UIHorizontalSlider(pygame.Rect(seek_x, y + 4, seek_w, CONTROLS_H - 8), 0.0, (0.0, 1.0),
                                              manager, container, object_id="#video_seek", click_increment=5.0)
        self.mute_button = UIButton(pygame.Rect(seek_x + seek_w + GAP, y, mute_w, CONTROLS_H), key("video.mute"),
                                    manager, container, object_id="#video_mute")
        self.volume_slider = UIHorizontalSlider(pygame.Rect(r.right - volume_w, y + 4, volume_w, CONTROLS_H - 8),
                                                volume, (0.0, 1.0), manager, container, object_id="#video_volume",
                                                click_increment=0.1)
        self._elements: list[UIElement] = [self.view, self.play_button, self.time_label, self.seek_slider,
                                           self.mute_button, self.volume_slider]
        self.seek_slider.disable()

        self.audio_format = mixer_format() if sound else None
        self.decoder = Decoder(source, view_rect.size, self.audio_format).start()
        self.clock: AudioClock | WallClock = WallClock(now)
        self.output: MixerOutput | None = None
        self._show_message([tr("video.loading")])

    # -- the public controls -----------------------------------------------------------------------
    @property
    def duration(self) -> float:
        info = self.decoder.info
        return info.duration if info is not None else 0.0

    @property
    def position(self) -> float:
        """The media time playing now, in seconds."""
        t = self.clock.time()
        return min(t, self.duration) if self.duration else t

    @property
    def playing(self) -> bool:
        return self.status is Status.PLAYING

    @property
    def busy(self) -> bool:
        """Its picture or controls may change on the next update: it opens, plays, or seeks."""
        return self.status in (Status.LOADING, Status.PLAYING) or self._seeking

    @property
    def seeking(self) -> bool:
        """A seek is under way: the picture still shows the time before it."""
        return self._seeking

    @property
    def has_sound(self) -> bool:
        return self.output is not None

    def play(self) -> None:
        if self.status is Status.ENDED:
            self.seek(0.0)
        if self.status in (Status.PAUSED, Status.ENDED):
            self.status = Status.PLAYING
            self._run_clock(True)
        elif self.status is Status.LOADING:
            self._autoplay = True
        self._sync_play_button()

    def pause(self) -> None:
        if self.status is Status.PLAYING:
            self.status = Status.PAUSED
            self._run_clock(False)
        elif self.status is Status.LOADING:
            self._autoplay = False
        self._sync_play_button()

    def toggle(self) -> None:
        if self.status is Status.PLAYING:
            self.pause()
        else:
            self.play()

    def seek(self, t: float) -> None:
        """Show and play from media time `t` (clamped to the clip)."""
        if self.status in (Status.LOADING, Status.FAILED):
            return
        t = max(0.0, min(t, self.duration or t))
        self.decoder.seek(t)
        if self.output is not None:
            self.output.flush(t)
        else:
            self.clock.seek(t)
        self._seeking = True
        self._run_wall_clock()
        if self.status is Status.ENDED:
            self.status = Status.PAUSED
            self._sync_play_button()
        self._sync_controls(force=True)

    def set_volume(self, volume: float) -> None:
        self.volume = max(0.0, min(1.0, volume))
        if abs(self.volume_slider.get_current_value() - self.volume) > 1e-6:
            self.volume_slider.set_current_value(self.volume)
        self._apply_volume()

    def set_muted(self, muted: bool) -> None:
        self.muted = muted
        self.mute_button.set_text(key("video.unmute" if muted else "video.mute"))
        self._apply_volume()

    def show(self) -> None:
        for element in self._elements:
            element.show()
        self.view.refresh()

    def hide(self) -> None:
        """Hide (for another tab): the clip pauses."""
        self.pause()
        for element in self._elements:
            element.hide()

    def close(self) -> None:
        """Stop the threads and remove the elements. Safe to call twice."""
        self.decoder.close()
        if self.output is not None:
            self.output.close()
            self.output = None
        for element in self._elements:
            element.kill()
        self._elements = []

    # -- the frame ---------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self.status is Status.LOADING:
            if self.decoder.state is State.READY:
                self._ready()
            elif self.decoder.state is State.FAILED:
                self._fail()
            return
        if self.status is Status.FAILED:
            return
        if self.decoder.state is State.FAILED:
            self._fail()
            return
        t = self.update_time = self.clock.time()
        picture = self.decoder.take_picture(t)
        if picture is not None:
            self._show_picture(picture)
        self._run_wall_clock()
        if self.status is Status.PLAYING:
            if self.decoder.video_drained and (self.output is None or self.output.finished):
                self._end()
        self._sync_controls()

    def process_event(self, event: pygame.event.Event) -> bool:
        """React to a GUI or input event; True if it was the player's."""
        if not self._elements:
            return False
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            if event.ui_element is self.play_button:
                self.toggle()
                return True
            if event.ui_element is self.mute_button:
                self.set_muted(not self.muted)
                return True
        elif event.type == pygame_gui.UI_HORIZONTAL_SLIDER_MOVED:
            if event.ui_element is self.seek_slider:
                self.seek(float(event.value))
                return True
            if event.ui_element is self.volume_slider:
                self.volume = float(event.value)
                self._apply_volume()
                return True
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
            inside = self.view.visible and self._screen_rect().collidepoint(event.pos)
            self.focused = inside
            if inside and self.view.rect.collidepoint(event.pos) and self.status is not Status.FAILED:
                self.toggle()
                return True
        elif event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE and self.focused and self.view.visible:
            self.toggle()
            return True
        return False

    # -- inside ------------------------------------------------------------------------------------
    def _screen_rect(self) -> pygame.Rect:
        return self.view.rect.unionall([e.rect for e in self._elements])

    def _ready(self) -> None:
        info = self.decoder.info
        assert info is not None
        if info.has_audio and self.audio_format is not None:
            clock = AudioClock(self._now)
            self.clock = clock
            self.output = MixerOutput(self.audio_format, self.decoder.take_audio, lambda: self.decoder.audio_drained,
                                      clock)
            self._apply_volume()
        else:
            self.clock = WallClock(self._now)
            self.mute_button.disable()
            self.volume_slider.disable()
        if info.duration > 0:
            self.seek_slider.value_range = (0.0, info.duration)
            self.seek_slider.enable()
        self.status = Status.PAUSED
        if self._autoplay:
            self.play()
        self._sync_play_button()
        self._sync_controls(force=True)

    def _fail(self) -> None:
        self.status = Status.FAILED
        self.failure = self.decoder.failure or Failure("other")
        if self.output is not None:
            self.output.close()
            self.output = None
        self.decoder.close()
        for element in (self.play_button, self.seek_slider, self.mute_button, self.volume_slider):
            element.disable()
        f = self.failure
        self._show_message([tr("video.cannot_open"), tr(f"video.error.{f.key}", source=str(self.source),
                                                          detail=f.detail)])

    def _end(self) -> None:
        self.status = Status.ENDED
        self._run_clock(False)
        if self.duration and isinstance(self.clock, WallClock):
            self.clock.seek(self.duration)
        elif self.duration:
            self.clock.hold(self.duration)
        if self.decoder.truncated:
            self.failure = Failure("broken")
            self._show_message([tr("video.error.broken")], over_picture=True)
        self._sync_play_button()
        self._sync_controls(force=True)

    def _run_clock(self, run: bool) -> None:
        if self.output is not None and run:
            self.output.play()
        elif self.output is not None:
            self.output.pause()
        else:
            self._run_wall_clock()

    def _run_wall_clock(self) -> None:
        """Without sound nothing waits for a slow source, so the wall clock waits: it runs only while playing
        and a picture is at hand (it starts on the first picture after opening or a seek, and stops when the
        next picture is due but not decoded yet)."""
        clock, d = self.clock, self.decoder
        if not isinstance(clock, WallClock):
            return
        if d.queued > 0 or d.video_drained:
            self._buffering = False
        elif self.shown_pts is None or self._seeking:
            self._buffering = True
        else:
            info = d.info
            period = 1 / info.fps if info and info.fps else 0.04
            if clock.time() >= self.shown_pts + period:
                self._buffering = True
        run = self.status is Status.PLAYING and not self._buffering
        if run and not clock.running:
            clock.start()
        elif not run and clock.running:
            clock.pause()

    def _show_picture(self, picture: Picture) -> None:
        start = time.perf_counter()
        surface = pygame.image.frombuffer(picture.data, picture.size, "BGRA", pitch=picture.pitch)
        canvas = self.view.canvas
        if picture.size != self.frame_rect.size or self.message is not None:
            canvas.fill(BACKGROUND)
            self.frame_rect = pygame.Rect((0, 0), picture.size)
            self.frame_rect.center = canvas.get_rect().center
            self.message = None
        canvas.blit(surface, self.frame_rect)
        self.view.refresh()
        self.shown_pts = picture.pts
        self._seeking = False
        self.frame_ms.append((time.perf_counter() - start) * 1000)
        if len(self.frame_ms) > 1000:
            del self.frame_ms[:500]

    def _show_message(self, lines: list[str], over_picture: bool = False) -> None:
        """Text in the middle of the view (over a darkened last picture if `over_picture`)."""
        canvas = self.view.canvas
        if over_picture:
            shade = pygame.Surface(canvas.get_size())
            shade.fill((0, 0, 0))
            shade.set_alpha(150)
            canvas.blit(shade, (0, 0))
        else:
            canvas.fill(BACKGROUND)
        width = canvas.get_width() - 40
        rows: list[pygame.Surface] = []
        for i, line in enumerate(lines):
            for row in self.text.wrap(line, 16 if i == 0 else 15, width, bold=i == 0, max_lines=4):
                rows.append(self.text.render(row, 16 if i == 0 else 15, TEXT if i == 0 else MUTED_TEXT, bold=i == 0))
        y = (canvas.get_height() - sum(r.get_height() + 4 for r in rows)) // 2
        for row in rows:
            canvas.blit(row, ((canvas.get_width() - row.get_width()) // 2, y))
            y += row.get_height() + 4
        self.message = "\n".join(lines)
        self.view.refresh()

    def _apply_volume(self) -> None:
        if self.output is not None:
            self.output.set_volume(self.volume, self.muted)

    def _sync_play_button(self) -> None:
        name = {Status.PLAYING: "pause", Status.ENDED: "replay"}.get(self.status, "play")
        self.play_button.set_text(key(f"video.{name}"))

    def _sync_controls(self, force: bool = False) -> None:
        """The time label and the seek bar follow the clock (not while the bar is being dragged)."""
        position, duration = self.position, self.duration
        label = f"{clock_text(position)} / {clock_text(duration) if duration else '--:--'}"
        if label != self._last_label:
            self._last_label = label
            self.time_label.set_text(label)
        if duration <= 0 or self.seek_slider.sliding_button is None or self.seek_slider.sliding_button.held:
            return
        pos = round(position / duration * max(1, self.seek_slider.scrollable_width))
        if force or pos != self._slider_pos:
            self._slider_pos = pos
            self.seek_slider.set_current_value(min(max(position, 0.0), duration), warn=False)
            self.seek_slider.get_current_value()  # clears "moved recently": this move was ours


def clock_text(seconds: float) -> str:
    """mm:ss, or h:mm:ss from an hour on."""
    s = max(0, int(seconds))
    h, m, s = s // 3600, s // 60 % 60, s % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"

"""The player in a stand window, driven through the real app loop in real time (the clock is real)."""

from __future__ import annotations

import time

import pygame
import pygame_gui
import pytest

from expo_hall.i18n import key
from expo_hall.video.clock import AudioClock, WallClock
from expo_hall.video.player import Status
from tests.video.clips import run_until, shown_index

FPS = 25
PERIOD = 1 / FPS


@pytest.fixture
def no_sound_device(monkeypatch: pytest.MonkeyPatch) -> None:
    """The OS edge only: the mixer is not running and cannot start, as on a machine without a sound card."""

    def fail(*_args: object, **_kwargs: object) -> None:
        raise pygame.error("No available audio device")

    monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
    monkeypatch.setattr(pygame.mixer, "init", fail)


class SyncCheck:
    """After every frame: the picture shown is the clock's frame (within one frame period), the pixels
    are those of the picture's time, and with sound the clock lies inside the Sound the mixer plays."""

    def __init__(self, player) -> None:  # noqa: ANN001
        self.player = player
        self.seen: list[int] = []
        self.checked = 0
        self.sound_checked = 0

    def __call__(self) -> None:
        p = self.player
        if p.shown_pts is None or p.status is not Status.PLAYING or p.seeking:
            return
        index = shown_index(p)
        assert index == round(p.shown_pts * FPS), "the pixels are not the picture of the time shown"
        t = p.update_time  # the clock when this frame's picture was chosen (the frame is drawn right after)
        assert abs(index - int(t * FPS)) <= 1, f"frame {index} shown at {t:.3f} s"
        if self.seen and index != self.seen[-1]:
            assert index > self.seen[-1], "the picture went back"
        self.seen.append(index)
        self.checked += 1
        out = p.output
        if out is not None:
            with out._lock:
                playing = list(out._playing)
                current = out.channel.get_sound()
                t = p.clock.time()
            if playing and current is playing[0][0] and p.clock.running:
                _, pts, duration = playing[0]
                assert pts - 0.015 <= t <= pts + duration + 0.015, f"clock {t:.3f} outside sound {pts:.3f}+{duration}"
                self.sound_checked += 1


def test_plays_in_step_with_its_sound(open_player, clips):
    driver, player = open_player(clips["tone"])
    check = SyncCheck(player)
    run_until(driver, lambda: player.status is not Status.LOADING, 5)
    assert player.has_sound and isinstance(player.clock, AudioClock)
    started = time.monotonic()
    run_until(driver, lambda: player.status is Status.ENDED, 8, each=check)
    took = time.monotonic() - started
    assert check.checked > 60 and check.sound_checked > 40
    assert len(set(check.seen)) > 50 and max(check.seen) >= 73, "the frames did not advance to the end"
    assert 2.8 < took < 3.6, f"a 3 s clip played in {took:.2f} s"
    assert player.position == pytest.approx(3.0, abs=0.05)
    assert player.output is not None and player.output.finished


def test_plays_silently_on_the_wall_clock_without_a_sound_device(open_player, clips, no_sound_device):
    driver, player = open_player(clips["tone"])
    check = SyncCheck(player)
    run_until(driver, lambda: player.status is not Status.LOADING, 5)
    assert not player.has_sound and isinstance(player.clock, WallClock)
    assert not player.mute_button.is_enabled and not player.volume_slider.is_enabled
    started = time.monotonic()
    run_until(driver, lambda: player.status is Status.ENDED, 8, each=check)
    took = time.monotonic() - started
    assert check.checked > 60 and max(check.seen) >= 73
    assert 2.8 < took < 3.5


def test_a_clip_without_sound_plays_on_the_wall_clock(open_player, clips):
    driver, player = open_player(clips["silent"])
    check = SyncCheck(player)
    run_until(driver, lambda: player.status is Status.ENDED, 8, each=check)
    assert isinstance(player.clock, WallClock) and max(check.seen) >= 48


@pytest.mark.parametrize("sound", [True, False], ids=["mixer", "wall"])
def test_pause_stops_picture_and_sound_and_play_goes_on(open_player, clips, monkeypatch, sound):
    if not sound:
        monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
        monkeypatch.setattr(pygame.mixer, "init", lambda *a, **k: (_ for _ in ()).throw(pygame.error("no device")))
    driver, player = open_player(clips["tone"])
    run_until(driver, lambda: player.playing and player.position > 0.5, 5)
    driver.click(player.play_button.rect.center)  # the play/pause button, clicked
    assert player.status is Status.PAUSED
    t, index = player.position, shown_index(player)
    sound_now = player.output.channel.get_sound() if player.output else None
    until = time.monotonic() + 0.4
    run_until(driver, lambda: time.monotonic() > until, 2)
    assert player.position == t and shown_index(player) == index
    if player.output is not None:
        assert player.output.channel.get_sound() is sound_now  # the mixer did not move to the next Sound
    player.play()
    run_until(driver, lambda: player.position > t + 0.3, 3)
    assert shown_index(player) > index


def test_space_toggles_play_when_the_player_has_focus(open_player, clips):
    driver, player = open_player(clips["tone"])
    run_until(driver, lambda: player.playing, 5)
    driver.press(pygame.K_SPACE, " ")
    assert player.status is Status.PAUSED
    driver.click((5, 5))  # outside the player: it loses the focus
    driver.press(pygame.K_SPACE, " ")
    assert player.status is Status.PAUSED
    driver.click(player.view.rect.center)  # a click on the picture toggles and takes the focus
    assert player.playing and player.focused


@pytest.mark.parametrize("sound", [True, False], ids=["mixer", "wall"])
def test_seek_lands_on_the_time_in_picture_and_clock(open_player, clips, monkeypatch, sound):
    if not sound:
        monkeypatch.setattr(pygame.mixer, "get_init", lambda: None)
        monkeypatch.setattr(pygame.mixer, "init", lambda *a, **k: (_ for _ in ()).throw(pygame.error("no device")))
    driver, player = open_player(clips["long"], autoplay=False)
    run_until(driver, lambda: player.status is Status.PAUSED and player.shown_pts is not None, 5)
    assert shown_index(player) == 0
    # what the seek bar sends when dragged
    driver.post(pygame_gui.UI_HORIZONTAL_SLIDER_MOVED, value=4.0, ui_element=player.seek_slider)
    run_until(driver, lambda: player.shown_pts == pytest.approx(4.0), 3)
    assert shown_index(player) == 100 and player.position == pytest.approx(4.0)
    assert player.time_label.text == "00:04 / 00:06"
    player.seek(1.5)
    run_until(driver, lambda: player.shown_pts == pytest.approx(1.48), 3)  # frame 37 covers 1.48..1.52
    assert shown_index(player) == 37 and player.position == pytest.approx(1.5)
    player.play()
    check = SyncCheck(player)
    run_until(driver, lambda: player.position > 2.5, 3, each=check)
    assert min(check.seen) >= 37 and max(check.seen) >= 60
    player.seek(0.5)  # while playing, back
    run_until(driver, lambda: player.shown_pts is not None and player.shown_pts < 1.0 and player.position > 0.6, 3)
    check = SyncCheck(player)
    run_until(driver, lambda: player.position > 1.2, 3, each=check)
    assert check.checked > 5 and all(12 <= i <= 32 for i in check.seen)


def test_replay_at_the_end(open_player, clips):
    driver, player = open_player(clips["short"])
    run_until(driver, lambda: player.status is Status.ENDED, 6)
    assert player.play_button.text == key("video.replay")
    last = shown_index(player)
    assert last >= 28
    driver.click(player.play_button.rect.center)
    assert player.playing
    run_until(driver, lambda: player.shown_pts is not None and player.shown_pts < 0.5, 3)
    check = SyncCheck(player)
    run_until(driver, lambda: player.status is Status.ENDED, 4, each=check)
    assert min(check.seen) < 10 and max(check.seen) >= 28


def test_volume_and_mute_reach_the_mixer(open_player, clips):
    driver, player = open_player(clips["tone"], volume=0.8)
    run_until(driver, lambda: player.playing and player.output is not None, 5)
    channel = player.output.channel
    assert channel.get_volume() == pytest.approx(0.8, abs=0.01)
    driver.post(pygame_gui.UI_HORIZONTAL_SLIDER_MOVED, value=0.25, ui_element=player.volume_slider)
    driver.frames(2)
    assert channel.get_volume() == pytest.approx(0.25, abs=0.01)
    driver.click(player.mute_button.rect.center)
    assert player.muted and channel.get_volume() == 0.0
    assert player.mute_button.text == key("video.unmute")
    run_until(driver, lambda: player.position > 1.0, 3)  # muted sound still plays: the clock runs on it
    assert channel.get_busy()
    driver.click(player.mute_button.rect.center)
    assert not player.muted and channel.get_volume() == pytest.approx(0.25, abs=0.01)


def test_closing_the_stand_window_stops_the_threads(open_player, clips):
    driver, player = open_player(clips["tone"])
    run_until(driver, lambda: player.playing and player.output is not None, 5)
    channel = player.output.channel
    driver.press(pygame.K_ESCAPE)
    assert player.decoder.join(3.0)
    assert not channel.get_busy()
    assert not player.view.alive()

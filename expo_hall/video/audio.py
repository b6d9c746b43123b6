"""Sound through pygame's mixer: one channel fed with short Sounds, driving the AudioClock.

A small thread keeps the channel's queue (one Sound playing, one waiting) filled from the decoder and
notes when each Sound starts, so the sound does not stutter when the main thread is slow for a frame.
Without a sound device there is no MixerOutput: the player uses a WallClock and plays silently.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import pygame

from expo_hall.video.clock import AudioClock
from expo_hall.video.decoder import AudioChunk, AudioFormat

log = logging.getLogger(__name__)

CHUNK = 0.08  # seconds per Sound handed to the mixer: playing one and one queued is ~0.16 s ahead
POLL = 0.004  # how often the feeder looks at the channel: the clock's precision
_FORMATS = {-16: "s16", 8: "u8", -32: "s32", 32: "flt"}


def mixer_format() -> AudioFormat | None:
    """The mixer's format, starting the mixer if the app has not; None when there is no sound device."""
    try:
        init = pygame.mixer.get_init() or (pygame.mixer.init() or pygame.mixer.get_init())
    except pygame.error as exc:
        log.info("no sound: %s", exc)
        return None
    if not init:
        return None
    rate, size, channels = init
    sample_format = _FORMATS.get(size)
    if sample_format is None or channels < 1:
        log.info("no sound: the mixer's format %s is not one we resample to", init)
        return None
    return AudioFormat(rate, channels, sample_format)


class MixerOutput:
    def __init__(self, fmt: AudioFormat, pull: Callable[[], AudioChunk | None], drained: Callable[[], bool],
                 clock: AudioClock) -> None:
        """`pull` gives the next decoded chunk or None; `drained` tells that no more will come."""
        self.fmt = fmt
        self.clock = clock
        self._pull = pull
        self._drained = drained
        self._lock = threading.Lock()
        count = pygame.mixer.get_num_channels()
        self.channel = pygame.mixer.Channel(count - 1)  # the last channel: Sound.play() takes it last
        self._halt()
        self._volume = 1.0
        self._muted = False
        self._playing: list[tuple[pygame.mixer.Sound, float, float]] = []  # (sound, pts, duration): now, queued
        self._leftover: AudioChunk | None = None
        self._paused = True
        self._closed = False
        self._last_poll = time.monotonic()
        self.finished = False  # all the sound has been played
        self._thread = threading.Thread(target=self._feed, daemon=True, name="expo_hall-audio")
        self._thread.start()

    # -- controls (main thread) ------------------------------------------------------------------
    def play(self) -> None:
        with self._lock:
            if self._paused:
                self._paused = False
                self.channel.unpause()
                self.clock.resume()

    def pause(self) -> None:
        with self._lock:
            if not self._paused:
                self._paused = True
                self.channel.pause()
                self.clock.hold()

    @property
    def paused(self) -> bool:
        return self._paused

    def flush(self, t: float) -> None:
        """A seek: drop what was queued and hold the clock at `t` until the new sound starts."""
        with self._lock:
            self._halt()
            self._playing.clear()
            self._leftover = None
            self.finished = False
            self.clock.hold(t)
            if self._paused:
                self.channel.pause()

    def set_volume(self, volume: float, muted: bool) -> None:
        self._volume, self._muted = max(0.0, min(1.0, volume)), muted
        self.channel.set_volume(0.0 if muted else self._volume)

    @property
    def volume(self) -> float:
        return self.channel.get_volume()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            try:
                self._halt()
            except pygame.error:  # the mixer was shut down already
                pass
        self._thread.join(1.0)

    def _halt(self) -> None:
        """Stop the channel. Twice: pygame starts the queued Sound when the playing one is stopped."""
        self.channel.stop()
        self.channel.stop()

    # -- the feeding thread ----------------------------------------------------------------------
    def _feed(self) -> None:
        while True:
            with self._lock:
                if self._closed:
                    return
                try:
                    self._poll(time.monotonic())
                except pygame.error as exc:  # the mixer went away under us (pygame.quit)
                    log.info("sound stopped: %s", exc)
                    self._closed = True
                    return
            time.sleep(POLL)

    def _poll(self, now: float) -> None:
        if self._paused:
            self._last_poll = now
            return
        current = self.channel.get_sound()
        if self._playing and current is not self._playing[0][0]:
            self._playing.pop(0)  # the playing Sound ended; the queued one (if any) is `current` now
            if self._playing and current is self._playing[0][0]:
                _, pts, duration = self._playing[0]
                self.clock.chunk_started(pts, duration, now, self._last_poll)
            else:
                self._playing.clear()
                self.clock.hold()  # starved: the clock waits with the sound
        if len(self._playing) < 2:
            sound = self._next_sound(starving=not self._playing)
            if sound is not None:
                snd, pts, duration = sound
                if not self._playing:
                    self.channel.play(snd)
                    self.channel.set_volume(0.0 if self._muted else self._volume)
                    self.clock.chunk_started(pts, duration, now, now)
                else:
                    self.channel.queue(snd)
                self._playing.append(sound)
        if not self._playing and not self.finished and self._drained() and self._leftover is None:
            self.finished = True
            self.clock.run_free()  # the picture may go on a little past the sound
        self._last_poll = now

    def _next_sound(self, starving: bool) -> tuple[pygame.mixer.Sound, float, float] | None:
        """About CHUNK seconds of contiguous sound; less when starving or at the end; None if nothing."""
        parts: list[bytes] = []
        pts = None
        end = 0.0
        while end - (pts or 0.0) < CHUNK:
            chunk = self._leftover or self._pull()
            self._leftover = None
            if chunk is None:
                break
            if pts is not None and abs(chunk.pts - end) > 0.002:
                self._leftover = chunk  # a jump in time: it starts the next Sound
                break
            if pts is None:
                pts = chunk.pts
            parts.append(chunk.data)
            end = chunk.pts + chunk.duration
        if pts is None:
            return None
        if end - pts < CHUNK and not starving and not self._drained() and self._leftover is None:
            # too little to be worth a Sound: keep it for the next poll
            data = b"".join(parts)
            self._leftover = AudioChunk(pts, data, end - pts)
            return None
        data = b"".join(parts)
        return pygame.mixer.Sound(buffer=data), pts, len(data) / (self.fmt.frame_bytes * self.fmt.rate)

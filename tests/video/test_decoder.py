"""The decoding thread and the clocks, without a window."""

from __future__ import annotations

import math
import time

import pytest

from expo_hall.video.clock import AudioClock, WallClock
from expo_hall.video.decoder import VIDEO_HARD, VIDEO_SOFT, AudioFormat, Decoder, State, fit
from expo_hall.video.player import clock_text

FORMAT = AudioFormat(44100, 2, "s16")


def ready(decoder: Decoder, seconds: float = 5.0) -> Decoder:
    deadline = time.monotonic() + seconds
    while decoder.state is State.OPENING:
        assert time.monotonic() < deadline, "the clip did not open"
        time.sleep(0.005)
    assert decoder.state is State.READY, decoder.failure
    return decoder


def settled(decoder: Decoder, seconds: float = 5.0) -> int:
    """Wait until the decoder stops queueing (its queues are full): the number of pictures queued."""
    deadline = time.monotonic() + seconds
    last, since = -1, time.monotonic()
    while time.monotonic() - since < 0.3:
        assert time.monotonic() < deadline, "the decoder never stopped"
        if decoder.queued != last:
            last, since = decoder.queued, time.monotonic()
        time.sleep(0.01)
    return last


def test_the_queues_are_small_and_bounded(clips):
    decoder = ready(Decoder(clips["long"], (640, 360), FORMAT).start())
    try:
        queued = settled(decoder)
        assert 6 <= queued <= 20 < 150, queued  # 6 s of clip: 150 pictures, a few decoded ahead
        assert decoder._audio_secs < 1.0
        picture = decoder.take_picture(0.0)
        assert picture.pts == 0.0 and picture.size == (640, 360) and picture.pitch >= 640 * 4
        taken = decoder.take_picture(0.5)  # the newest picture due, older ones dropped
        assert taken.pts == pytest.approx(0.48)
        assert settled(decoder) >= VIDEO_SOFT  # taking made room: it decoded on
        assert decoder.take_picture(0.5) is None and decoder.take_picture(0.52).pts == pytest.approx(0.52)
    finally:
        decoder.close()
        assert decoder.join(3.0)


def test_seek_gives_the_picture_and_sound_of_that_time(clips):
    decoder = ready(Decoder(clips["long"], (320, 180), FORMAT).start())
    try:
        settled(decoder)
        for target, frame_pts in ((4.0, 4.0), (1.53, 1.52), (0.0, 0.0)):
            decoder.seek(target)
            assert decoder.take_picture(math.inf) is None  # what was queued is gone at once
            settled(decoder)
            assert decoder.take_picture(target).pts == pytest.approx(frame_pts)
            chunk = decoder.take_audio()
            assert chunk is not None and chunk.pts == pytest.approx(target, abs=1e-4)
            assert len(chunk.data) % FORMAT.frame_bytes == 0
    finally:
        decoder.close()
        assert decoder.join(3.0)


def test_decodes_to_the_end_and_says_so(clips):
    decoder = ready(Decoder(clips["tone"], (320, 180), FORMAT).start())
    pictures, sound, due = 0, 0.0, 0.0
    deadline = time.monotonic() + 5
    try:
        while not decoder.ended:
            assert time.monotonic() < deadline
            if decoder.take_picture(due) is not None:  # one at a time, each as it falls due
                pictures += 1
                due += 0.04
            while (chunk := decoder.take_audio()) is not None:
                sound += chunk.duration
            time.sleep(0.001)
        assert decoder.video_drained and decoder.audio_drained and not decoder.truncated
        assert pictures == 75 and sound == pytest.approx(3.0, abs=0.05)
    finally:
        decoder.close()


def test_without_a_mixer_no_sound_is_decoded(clips):
    decoder = ready(Decoder(clips["tone"], (320, 180), None).start())
    try:
        assert not decoder.info.has_audio
        settled(decoder)
        assert decoder.take_audio() is None and decoder.queued <= VIDEO_HARD
    finally:
        decoder.close()


def test_fit_keeps_the_aspect():
    assert fit((800, 400), (1280, 720)) == (710, 400)
    assert fit((300, 400), (1280, 720)) == (300, 168)
    assert fit((10, 10), (4, 3)) == (10, 6)


def test_the_wall_clock():
    now = [100.0]
    clock = WallClock(lambda: now[0])
    now[0] += 1
    assert clock.time() == 0.0 and not clock.running
    clock.start()
    now[0] += 1.5
    assert clock.time() == 1.5
    clock.pause()
    now[0] += 3
    assert clock.time() == 1.5
    clock.seek(10.0)
    clock.start()
    now[0] += 0.25
    assert clock.time() == 10.25


def test_the_audio_clock_follows_the_chunks_without_drift():
    now = [50.0]
    clock = AudioClock(lambda: now[0])
    assert clock.time() == 0.0 and not clock.running
    clock.chunk_started(0.0, 0.08, seen_at=50.0, previous_poll=50.0)
    now[0] = 50.05
    assert clock.time() == pytest.approx(0.05)
    now[0] = 50.2  # the next chunk is late: the clock waits at the end of the one played
    assert clock.time() == pytest.approx(0.08)
    # the next chunk was seen starting between polls at 50.081 and 50.085: it began as predicted, at 50.08
    clock.chunk_started(0.08, 0.08, seen_at=50.085, previous_poll=50.079)
    now[0] = 50.1
    assert clock.time() == pytest.approx(0.10)
    # seen late (at 50.2, previous poll 50.19): the prediction (50.16) is pulled into the window
    clock.chunk_started(0.16, 0.08, seen_at=50.2, previous_poll=50.19)
    now[0] = 50.21
    assert clock.time() == pytest.approx(0.18)
    clock.hold()  # paused
    now[0] = 60.0
    assert clock.time() == pytest.approx(0.18)
    clock.resume()
    now[0] = 60.03
    assert clock.time() == pytest.approx(0.21)
    clock.run_free()  # the sound ended; the clock goes on
    now[0] = 61.0
    assert clock.time() == pytest.approx(1.18)
    clock.hold(5.0)  # a seek: it stands at 5.0 until the first chunk from there plays, even if resumed
    clock.resume()
    now[0] = 62.0
    assert clock.time() == 5.0
    clock.chunk_started(5.0, 0.08, seen_at=62.0, previous_poll=61.99)
    now[0] = 62.04
    assert clock.time() == pytest.approx(5.04)


def test_clock_text():
    assert clock_text(0) == "00:00" and clock_text(65.9) == "01:05" and clock_text(3725) == "1:02:05"

"""Opening and decoding a clip in a background thread with PyAV. No pygame here.

The thread opens the source (a file or an http(s) URL: ffmpeg streams it and seeks with Range
requests), decodes audio and video in the file's order and hands the main thread:
  - pictures already scaled to the player's box, as BGRA rows (the display's byte order, so the main
    thread's upload is a plain copy),
  - sound already resampled to the mixer's format.
Both queues are small and bounded; the thread sleeps while they are full.
"""

from __future__ import annotations

import logging
import math
import os
import threading
from collections import deque
from dataclasses import dataclass
from enum import Enum
from fractions import Fraction
from pathlib import Path

import av
from av.video.reformatter import VideoReformatter

log = logging.getLogger(__name__)

VIDEO_SOFT = 6  # pictures decoded ahead when the sound has enough
VIDEO_HARD = 48  # pictures ahead while the sound is short (its packets come later in the file); then it waits
AUDIO_SOFT = 0.5  # seconds of sound decoded ahead
MAX_ERRORS = 50  # undecodable packets before we call the file broken
OPEN_TIMEOUT = 15.0
READ_TIMEOUT = 10.0


@dataclass(frozen=True)
class AudioFormat:
    """The mixer's sample format, in PyAV's names."""

    rate: int
    channels: int
    sample_format: str = "s16"  # s16, u8, s32 or flt: interleaved

    @property
    def frame_bytes(self) -> int:
        return self.channels * {"u8": 1, "s16": 2, "s32": 4, "flt": 4}[self.sample_format]

    @property
    def layout(self) -> str:
        return {1: "mono", 2: "stereo"}.get(self.channels, f"{self.channels}c")


@dataclass(frozen=True)
class Picture:
    pts: float
    size: tuple[int, int]
    pitch: int
    data: object  # a buffer of BGRA rows `pitch` bytes apart (a PyAV plane: it keeps its frame alive)


@dataclass(frozen=True)
class AudioChunk:
    pts: float
    data: bytes
    duration: float


@dataclass(frozen=True)
class Info:
    duration: float  # seconds; 0.0 when the source does not say
    size: tuple[int, int]  # the picture's display size
    fps: float
    has_audio: bool  # a sound stream that we play (there is a mixer)


@dataclass(frozen=True)
class Failure:
    """Why a clip could not be played: an i18n key (under `video.error.`) and the details for its text."""

    key: str
    detail: str = ""


class State(Enum):
    OPENING = "opening"
    READY = "ready"
    FAILED = "failed"


class NoVideoStream(Exception):
    pass


class Damaged(Exception):
    """Too many packets could not be read or decoded."""


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and source.split(":", 1)[0].lower() in ("http", "https")


def fit(box: tuple[int, int], size: tuple[int, int]) -> tuple[int, int]:
    """The largest size with `size`'s aspect inside `box`, in even pixels (the scaler likes them)."""
    bw, bh = box
    w, h = size
    scale = min(bw / w, bh / h)
    return max(2, int(w * scale) // 2 * 2), max(2, int(h * scale) // 2 * 2)


class Decoder:
    def __init__(self, source: str | Path, box: tuple[int, int], audio: AudioFormat | None = None, *,
                 open_timeout: float = OPEN_TIMEOUT, read_timeout: float = READ_TIMEOUT) -> None:
        self.source = source
        self.audio_format = audio
        self._timeouts = (open_timeout, read_timeout)
        self._box = box
        self._cond = threading.Condition()
        self._video: deque[Picture] = deque()
        self._audio: deque[AudioChunk] = deque()
        self._audio_secs = 0.0
        self._gen = 0  # bumped by every seek: what was decoded before it is dropped
        self._seek_to: float | None = None
        self._eof = False
        self._stop = False
        self.state = State.OPENING
        self.info: Info | None = None
        self.failure: Failure | None = None
        self.truncated = False  # the data ended well before the clip's stated duration
        self.decode_errors = 0
        self._resampler: av.AudioResampler | None = None
        self._audio_next: float | None = None  # media time of the next resampled sample
        self._last_video = -math.inf
        self._scaler = VideoReformatter()  # one for the whole clip: it keeps its scaling context
        self._thread = threading.Thread(target=self._run, daemon=True, name="expo_hall-video")

    def start(self) -> Decoder:
        self._thread.start()
        return self

    # -- the main thread's side ------------------------------------------------------------------
    def take_picture(self, t: float) -> Picture | None:
        """The newest picture due at media time `t` (older ones are dropped), or None if none is due yet."""
        with self._cond:
            best = None
            while self._video and self._video[0].pts <= t + 0.001:
                best = self._video.popleft()
            if best is not None:
                self._cond.notify()
            return best

    def take_audio(self) -> AudioChunk | None:
        with self._cond:
            if not self._audio:
                return None
            chunk = self._audio.popleft()
            self._audio_secs -= chunk.duration
            self._cond.notify()
            return chunk

    @property
    def ended(self) -> bool:
        """Everything up to the end has been decoded and taken."""
        with self._cond:
            return self._eof and not self._video and not self._audio

    @property
    def queued(self) -> int:
        """Pictures decoded and waiting."""
        return len(self._video)

    @property
    def video_drained(self) -> bool:
        with self._cond:
            return self._eof and not self._video

    @property
    def audio_drained(self) -> bool:
        with self._cond:
            return self._eof and not self._audio

    def seek(self, t: float) -> None:
        """Decode from media time `t` on; what was queued is dropped at once."""
        with self._cond:
            self._seek_to = max(0.0, t)
            self._gen += 1
            self._video.clear()
            self._audio.clear()
            self._audio_secs = 0.0
            self._eof = False
            self._cond.notify()

    def set_box(self, box: tuple[int, int]) -> None:
        """Scale pictures decoded from now on to fit `box`."""
        self._box = box

    def close(self) -> None:
        """Stop the thread (it closes the file itself; an URL still opening is left to time out)."""
        with self._cond:
            self._stop = True
            self._video.clear()
            self._audio.clear()
            self._cond.notify()

    def join(self, timeout: float | None = None) -> bool:
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # -- the thread ------------------------------------------------------------------------------
    def _run(self) -> None:
        _yield_to_the_ui()
        try:
            container = self._open()
        except Exception as exc:  # noqa: BLE001 - every failure to open becomes a message in the player
            self._fail(failure_for(exc, self.source))
            return
        try:
            self._decode(container)
        except Exception as exc:  # noqa: BLE001
            log.warning("video %s: %s", self.source, exc)
            self._fail(failure_for(exc, self.source, opened=True))
        finally:
            container.close()

    def _open(self) -> av.container.InputContainer:
        source = str(self.source)
        options = {"user_agent": "expo_hall"} if is_url(source) else {}
        container = av.open(source, "r", options=options, timeout=self._timeouts)
        if not container.streams.video:
            container.close()
            raise NoVideoStream(source)
        return container

    def _fail(self, failure: Failure) -> None:
        with self._cond:
            self.failure = failure
            self.state = State.FAILED
            self._video.clear()
            self._audio.clear()

    def _wanted(self) -> bool:
        """More decoding is wanted (called with the lock held)."""
        if self._eof:
            return False
        audio_low = self.info is not None and self.info.has_audio and self._audio_secs < AUDIO_SOFT
        return len(self._video) < VIDEO_SOFT or (audio_low and len(self._video) < VIDEO_HARD)

    def _decode(self, container: av.container.InputContainer) -> None:
        vs = container.streams.video[0]
        vs.thread_type = "AUTO"
        vs.codec_context.thread_count = max(1, min(4, (os.cpu_count() or 2) - 1))
        audio = container.streams.audio[0] if self.audio_format and container.streams.audio else None
        cc = vs.codec_context
        sar = cc.sample_aspect_ratio or Fraction(1)
        size = (max(1, round(cc.width * sar)), cc.height) if cc.width and cc.height else (16, 9)
        fps = float(vs.average_rate or vs.guessed_rate or 25)
        duration = container.duration / 1e6 if container.duration else 0.0
        if not duration and vs.duration is not None:
            duration = float(vs.duration * vs.time_base)
        origin = (container.start_time or 0) / 1e6
        info = Info(duration, size, fps, audio is not None)
        with self._cond:
            self.info = info
            self.state = State.READY
        streams = [vs, audio] if audio is not None else [vs]
        packets = None
        gen = -1
        skip_until = 0.0
        while True:
            with self._cond:
                while not self._stop and self._seek_to is None and not (packets is None or self._wanted()):
                    self._cond.wait(0.25)
                if self._stop:
                    return
                seek, self._seek_to = self._seek_to, None
                gen = self._gen
            if seek is not None or packets is None:
                skip_until = seek or 0.0
                if seek is not None:
                    container.seek(int((skip_until + origin) * 1e6), backward=True)
                packets = container.demux(*streams)
                self._resampler = None
                self._audio_next = None
                self._last_video = -math.inf
            try:
                packet = next(packets)
            except StopIteration:
                self._at_end(gen, info)
                continue
            except av.error.InvalidDataError:
                self._count_error()
                packets = container.demux(*streams)  # read on past the bad bytes
                continue
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                self._count_error()
                continue
            for frame in frames:
                t = (frame.time if frame.time is not None else math.nan) - origin
                if packet.stream is vs:
                    self._video_frame(frame, t, gen, skip_until, fps)
                else:
                    self._audio_frame(frame, t, gen, skip_until)

    def _count_error(self) -> None:
        self.decode_errors += 1
        if self.decode_errors > MAX_ERRORS:
            raise Damaged(f"{self.decode_errors} damaged packets")

    def _at_end(self, gen: int, info: Info) -> None:
        if self._resampler is not None:
            self._resampled(self._resampler.resample(None), self._audio_next or 0.0, gen, 0.0)
            self._resampler = None
        with self._cond:
            if gen == self._gen:
                self._eof = True
                last = self._last_video
                self.truncated = bool(info.duration and 0 <= last < info.duration - 1.0)

    def _video_frame(self, frame: av.VideoFrame, t: float, gen: int, skip_until: float, fps: float) -> None:
        if math.isnan(t):
            t = self._last_video + 1 / fps if math.isfinite(self._last_video) else 0.0
        self._last_video = t
        if t + 1 / fps <= skip_until:  # before the seek's target: decoded to reach it, never shown
            return
        info = self.info
        assert info is not None
        w, h = fit(self._box, info.size)
        # one thread: the scaler's own thread pool costs more than it gives on a small machine
        scaled = self._scaler.reformat(frame, width=w, height=h, format="bgra", interpolation="BILINEAR", threads=1)
        plane = scaled.planes[0]
        picture = Picture(t, (w, h), plane.line_size, plane)
        with self._cond:
            if gen == self._gen:
                self._video.append(picture)

    def _audio_frame(self, frame: av.AudioFrame, t: float, gen: int, skip_until: float) -> None:
        fmt = self.audio_format
        assert fmt is not None
        if self._resampler is None:
            self._resampler = av.AudioResampler(format=fmt.sample_format, layout=fmt.layout, rate=fmt.rate)
        if not math.isnan(t) and (self._audio_next is None or abs(t - self._audio_next) > 0.1):
            self._audio_next = t  # the first frame, or a gap in the stream: take its time
        self._resampled(self._resampler.resample(frame), self._audio_next or 0.0, gen, skip_until)

    def _resampled(self, frames: list[av.AudioFrame], start: float, gen: int, skip_until: float) -> None:
        fmt = self.audio_format
        assert fmt is not None
        for out in frames:
            data = bytes(out.planes[0])[: out.samples * fmt.frame_bytes]
            duration = out.samples / fmt.rate
            self._audio_next = start + duration
            if start < skip_until:  # cut what lies before the seek's target
                cut = min(out.samples, round((skip_until - start) * fmt.rate))
                data = data[cut * fmt.frame_bytes:]
                start, duration = start + cut / fmt.rate, duration - cut / fmt.rate
            if data:
                chunk = AudioChunk(start, data, duration)
                with self._cond:
                    if gen == self._gen:
                        self._audio.append(chunk)
                        self._audio_secs += duration
            start = self._audio_next


def _yield_to_the_ui() -> None:
    """Lower this thread's CPU priority a little (Linux: per thread): on a busy two-core machine the app's
    frame comes first, and a late picture is skipped, which is better than a late frame of the whole app."""
    if hasattr(os, "setpriority") and hasattr(threading, "get_native_id"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 5)
        except OSError:
            pass


_MEDIA_MAGIC = (b"\x1a\x45\xdf\xa3", b"RIFF", b"OggS", b"FLV", b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")


def looks_like_media(path: Path) -> bool:
    """The file starts like a video container (so if it can't be read, it is damaged, not foreign)."""
    try:
        with open(path, "rb") as f:
            head = f.read(192)
    except OSError:
        return False
    return (head[4:8] in (b"ftyp", b"moov", b"mdat", b"free", b"wide") or head.startswith(_MEDIA_MAGIC)
            or (len(head) > 188 and head[0] == head[188] == 0x47))


def failure_for(exc: BaseException, source: str | Path, opened: bool = False) -> Failure:
    """The message for an exception raised while opening or reading `source`."""
    url = is_url(source)
    detail = str(exc)
    if isinstance(exc, NoVideoStream):
        return Failure("unsupported")
    if isinstance(exc, Damaged):
        return Failure("broken", detail)
    if isinstance(exc, av.error.HTTPNotFoundError) or (isinstance(exc, FileNotFoundError) and not url):
        return Failure("missing", str(source))
    if isinstance(exc, av.error.HTTPError | ConnectionError | TimeoutError | av.error.ExitError):
        return Failure("network", detail)
    if isinstance(exc, av.error.InvalidDataError | av.error.DecoderNotFoundError | av.error.DemuxerNotFoundError
                  | av.error.PatchWelcomeError | av.error.EOFError):
        if opened or (not url and looks_like_media(Path(source))):
            return Failure("broken", detail)
        return Failure("unsupported", detail)
    if isinstance(exc, OSError) and url:
        return Failure("network", detail)
    if isinstance(exc, IsADirectoryError | PermissionError):
        return Failure("unsupported", detail)
    return Failure("other", detail)

"""Whether a stand's video will play in the client, found out before visitors try (no pygame here).

Its container, codecs, length, picture size and sound are read with PyAV; then the client's own decoder
(expo_hall/video/decoder.py, the one the stand window plays with) decodes its first seconds, picture and
sound, and a picture from its last second: a file cut short or damaged fails there as it would for a
visitor, with the player's own reason (`Failure`). Decoding the whole clip would take as long as a
tenth of playing it; the start and the end find what a visitor would meet first.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

from expo_hall.video.decoder import AudioFormat, Decoder, Failure, NoVideoStream, State, failure_for

CONTAINERS = frozenset({"mp4", "webm"})  # what a stand's video file may be, by its signature
VIDEO_CODECS = {"h264": "H.264", "vp8": "VP8", "vp9": "VP9", "av1": "AV1"}  # what every client plays
AUDIO_CODECS = {"aac": "AAC", "mp3": "MP3", "opus": "Opus", "vorbis": "Vorbis"}
PLAY_SECONDS = 2.0  # decoded from the start
END_SECONDS = 1.0  # the last picture looked for this far before the end
BOX = (320, 180)  # pictures are scaled as the player scales them, into a small box
AUDIO = AudioFormat(44100, 2)  # the mixer's usual format
TIMEOUT = 30.0  # seconds of wall time for each of the two decodings


@dataclass(frozen=True)
class VideoReport:
    container: str = ""  # PyAV's name: "mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm"
    video_codec: str = ""  # "h264", ...; "" without a picture stream
    audio_codec: str = ""  # "" without sound
    duration: float = 0.0  # seconds; 0 when the file does not say
    size: tuple[int, int] = (0, 0)  # the picture's display size
    failure: Failure | None = None  # the player could not play it: why (the text is video.error.<key>)
    no_picture: bool = False  # it opened, but holds no picture stream
    pictures: int = 0  # pictures decoded from the start
    sound: bool = False  # sound was decoded too
    end_reached: bool = False  # a picture from the last second was decoded
    decode_errors: int = 0  # packets the decoder could not read or decode (it reads on past them)

    @property
    def plays(self) -> bool:
        return self.failure is None and not self.no_picture and self.pictures > 0 and self.end_reached


def probe(path: Path) -> VideoReport:
    """What the video at `path` is and whether the client's decoder plays it from the start and at the end."""
    try:
        facts = _read(path)
    except NoVideoStream:
        return VideoReport(no_picture=True, failure=Failure("unsupported"))
    except Exception as exc:  # noqa: BLE001 - whatever a file makes ffmpeg raise is the player's failure too
        return VideoReport(failure=failure_for(exc, path))
    decoder = Decoder(path, BOX, AUDIO).start()
    try:
        pictures, sound, last = _play(decoder, lambda pts, n: pts >= min(PLAY_SECONDS, facts.duration - 0.1) or n > 60)
        end_reached = decoder.failure is None and pictures > 0
        if end_reached and facts.duration > PLAY_SECONDS + END_SECONDS:
            decoder.seek(facts.duration - END_SECONDS)
            more, _, last = _play(decoder, lambda pts, n: True)
            end_reached = more > 0 and last >= facts.duration - END_SECONDS - 1.0
        elif end_reached:
            _play(decoder, lambda pts, n: False)  # short: to its end
            end_reached = decoder.failure is None and not decoder.truncated
        return VideoReport(**facts.__dict__, failure=decoder.failure, pictures=pictures, sound=sound,
                           end_reached=end_reached, decode_errors=decoder.decode_errors)
    finally:
        decoder.close()
        decoder.join(5.0)


@dataclass(frozen=True)
class _Facts:
    container: str
    video_codec: str
    audio_codec: str
    duration: float
    size: tuple[int, int]


def _read(path: Path) -> _Facts:
    with av.open(str(path), "r", timeout=(10.0, 10.0)) as container:
        if not container.streams.video:
            raise NoVideoStream(str(path))
        video = container.streams.video[0]
        cc = video.codec_context
        sar = cc.sample_aspect_ratio or Fraction(1)
        size = (max(1, round(cc.width * sar)), cc.height) if cc.width and cc.height else (0, 0)
        duration = container.duration / 1e6 if container.duration else 0.0
        if not duration and video.duration is not None:
            duration = float(video.duration * video.time_base)
        audio = container.streams.audio[0].codec_context.name if container.streams.audio else ""
        return _Facts(container.format.name, cc.name, audio, duration, size)


def _play(decoder: Decoder, enough) -> tuple[int, bool, float]:  # noqa: ANN001 - enough(pts, pictures) -> bool
    """Take what the decoder makes until `enough(last picture's time, pictures taken)`, its end, a failure or
    TIMEOUT: (pictures, whether sound came, the last picture's time)."""
    deadline = time.monotonic() + TIMEOUT
    pictures, sound, last = 0, False, -math.inf
    while time.monotonic() < deadline:
        if decoder.state is State.FAILED:
            break
        picture = decoder.take_picture(math.inf)
        while decoder.take_audio() is not None:
            sound = True
        if picture is not None:
            pictures += 1
            last = picture.pts
            if enough(last, pictures):
                break
        elif decoder.state is State.READY and decoder.ended:
            break
        else:
            time.sleep(0.002)
    return pictures, sound, last

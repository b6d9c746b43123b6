"""Watching an event: an HLS stream the test makes (PyAV writes the playlist and segments, a local HTTP server
serves them) plays in the stand video's player beside the event's Q&A; a question asked waits for the moderator,
shows once approved (the long poll brings it), can be voted once; after the end the recording (by guid) replaces
the stream."""

from __future__ import annotations

import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import av
import pytest

from expo_hall.agenda.store import Agenda
from expo_hall.clock import Clock
from expo_hall.forum.screen import open_programme
from expo_hall.forum.watch import WatchScreen
from expo_hall.i18n import key
from expo_hall.net.client import ApiClient
from expo_hall.reps.identity import check_token, use_staff_token
from expo_hall.server.auth import create_user
from expo_hall.server.db import make_engine
from expo_hall.server.schemas import QuestionState, Role
from tests.programme.sample import OPENING, at, write_programme
from tests.video.clips import make_clip


def make_hls(clip: Path, folder: Path) -> Path:
    """The clip cut into one-second MPEG-TS segments with an HLS playlist (no re-encoding)."""
    folder.mkdir(parents=True)
    playlist = folder / "index.m3u8"
    with av.open(str(clip)) as src, av.open(str(playlist), "w", format="hls",
                                            options={"hls_time": "1", "hls_playlist_type": "vod",
                                                     "hls_segment_filename": str(folder / "seg%03d.ts")}) as out:
        streams = {s.index: out.add_stream_from_template(s) for s in src.streams}
        for packet in src.demux():
            if packet.dts is None:
                continue
            packet.stream = streams[packet.stream.index]
            out.mux(packet)
    return playlist


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def media(tmp_path):
    """The stream (HLS) and a recording, served on 127.0.0.1: (base URL, folder)."""
    root = tmp_path / "media"
    clip = make_clip(tmp_path / "clip.mp4", seconds=4.0, gop=25)
    make_hls(clip, root / "live")
    (root / "rec").mkdir()
    make_clip(root / "rec" / f"{OPENING}.mp4", seconds=2.0)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_live_hls_stream_plays_beside_the_moderated_qa_and_the_recording_follows(make_app, expo_dirs, media):
    maps, _ = expo_dirs
    folder = write_programme(maps.parent / "programme")
    toml = folder / "programme.toml"
    toml.write_text(toml.read_text(encoding="utf-8")
                    .replace("https://stream.example/hall-1/index.m3u8", f"{media}/live/index.m3u8")
                    .replace("https://media.example/recordings/", f"{media}/rec/"), encoding="utf-8")
    d = make_app("--fair-time", at(10, 40).isoformat())  # the embedded server's clock too (the Q&A is open)
    d.wait_ready()
    d.app.time = Clock.frozen_at(at(10, 40))
    d.app.agenda = Agenda(maps.parent / "data" / "agenda.json")
    programme = open_programme(d.app)
    d.until(lambda: programme.listing is not None)
    opening = next(e for e in programme.listing.events if e.guid == OPENING)
    assert programme.watch(opening)
    watch = d.app.stack.top
    assert isinstance(watch, WatchScreen) and watch.kind == "live"
    d.until(lambda: watch.player.failure is not None
            or (watch.player.shown_pts is not None and watch.player.shown_pts >= 1.5))  # through segments
    assert watch.player.failure is None, watch.player.failure

    # Q&A: asked anonymously, it waits for the moderator; approved, it reaches the visitor by the stream
    d.until(lambda: watch.qa.loaded)
    assert not watch.qa.moderator
    watch.entry.set_text("Как оценивать онлайн-уроки?")
    watch.toggle_anonymous()
    assert watch.ask()
    d.until(lambda: any(q.state is QuestionState.queued for q in watch.qa.questions.values()))
    [asked] = watch.qa.questions.values()
    assert asked.id in watch.qa.mine and asked.anonymous

    engine = make_engine(f"sqlite:///{maps.parent / 'data' / 'server.sqlite3'}")
    token, _ = create_user(engine, Role.moderator, "Модератор", at(10, 40), halls=("hall-1",))
    engine.dispose()
    moderator = ApiClient(d.app.backend.server.url, token)
    seen = moderator.questions(OPENING)
    assert seen.moderator and seen.questions[0].author_name  # moderators see who asked
    moderator.moderate(asked.id, state="visible", pinned=True)
    d.until(lambda: watch.qa.questions[asked.id].state is QuestionState.visible and watch.qa.questions[asked.id].pinned)
    assert watch.qa.questions[asked.id].author_name is None  # anonymous to visitors
    moderator.close()

    # the same window for a moderator's token: the queue, the moderation buttons, the asker's name; an edit
    me = check_token(d.app.backend.network.client, token)
    assert me.role == "moderator"
    use_staff_token(d.app.backend, token, me)
    watch = programme.watch(opening) and d.app.stack.top
    d.until(lambda: watch.qa is not None and watch.qa.loaded and watch.rows)
    assert watch.qa.moderator and watch.qa.questions[asked.id].author_name
    labels = [e.text for e in watch.rows[0] if hasattr(e, "text") and isinstance(e.text, str)]
    assert key("watch.dismiss") in labels and key("watch.edit") in labels
    watch.edit(watch.qa.questions[asked.id])
    watch.entry.set_text("Как оценивать онлайн-уроки в начальной школе?")
    assert watch.ask()
    d.until(lambda: watch.qa.questions[asked.id].edited)
    assert watch.qa.questions[asked.id].text.endswith("в начальной школе?")

    # after the end, the recording replaces the stream
    d.app.time.set(at(11, 1))
    d.until(lambda: watch.kind == "recording")
    assert watch.player.source.endswith(f"/rec/{OPENING}.mp4")
    d.until(lambda: watch.player.shown_pts is not None)
    assert watch.player.failure is None

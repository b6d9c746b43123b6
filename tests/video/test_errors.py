"""Sources that cannot be played show their message inside the player, and nothing raises."""

from __future__ import annotations

import random
import socket

from expo_hall.i18n import tr
from expo_hall.video.player import Status
from tests.video.clips import run_until


def shows_text(player) -> bool:  # noqa: ANN001
    """Some bright pixels (the message) in the middle of the picture area."""
    canvas = player.view.canvas
    w, h = canvas.get_size()
    return any(sum(canvas.get_at((x, y))[:3]) > 450 for y in range(h // 3, 2 * h // 3, 2) for x in range(0, w, 3))


def fails_with(open_player, source, key: str):  # noqa: ANN001, ANN201
    driver, player = open_player(source)
    run_until(driver, lambda: player.status is Status.FAILED, 10)
    assert player.failure is not None and player.failure.key == key, player.failure
    assert player.message is not None and player.message.startswith(tr("video.cannot_open"))
    assert shows_text(player)
    assert not player.play_button.is_enabled and not player.seek_slider.is_enabled
    driver.click(player.play_button.rect.center)
    driver.click(player.view.rect.center)
    assert player.status is Status.FAILED
    assert player.decoder.join(3.0)
    return player


def test_a_missing_file(open_player, tmp_path):
    player = fails_with(open_player, tmp_path / "nowhere.mp4", "missing")
    assert player.failure.detail.endswith("nowhere.mp4")


def test_a_file_that_is_not_a_video(open_player, tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("Это не видео, а список дел.\n" * 50, encoding="utf-8")
    fails_with(open_player, path, "unsupported")


def test_a_picture_is_not_a_video_without_frames_but_plays_as_one(open_player, tmp_path):
    from tests.conftest import logo

    path = tmp_path / "logo.png"
    logo("RGB", (200, 40, 40)).save(path)
    driver, player = open_player(path)
    run_until(driver, lambda: player.status is Status.ENDED, 5)  # one frame, shown, then the end
    assert player.shown_pts is not None and player.message is None


def test_a_truncated_file_without_its_index(open_player, clips, tmp_path):
    data = clips["moov_last"].read_bytes()
    path = tmp_path / "cut.mp4"
    path.write_bytes(data[: len(data) * 6 // 10])  # the index (moov) is at the end: it is gone
    fails_with(open_player, path, "broken")


def test_garbage_behind_a_video_header(open_player, tmp_path):
    path = tmp_path / "garbage.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + random.Random(1).randbytes(20000))
    fails_with(open_player, path, "broken")


def test_a_file_cut_short_plays_what_it_has_then_says_so(open_player, clips, tmp_path):
    data = clips["tone"].read_bytes()
    path = tmp_path / "half.mp4"
    path.write_bytes(data[: len(data) // 2])  # the index is first: it opens, and the data stops at ~1.5 s
    driver, player = open_player(path)
    run_until(driver, lambda: player.status is Status.ENDED, 8)
    assert player.shown_pts is not None and 0.5 < player.shown_pts < 2.0
    assert player.failure is not None and player.failure.key == "broken"
    assert player.message is not None and shows_text(player)


def test_damaged_bytes_in_the_middle_never_raise(open_player, clips, tmp_path):
    data = bytearray(clips["tone"].read_bytes())
    rng = random.Random(5)
    for at in range(len(data) // 3, 2 * len(data) // 3, 97):
        data[at:at + 24] = rng.randbytes(24)
    path = tmp_path / "damaged.mp4"
    path.write_bytes(bytes(data))
    driver, player = open_player(path)
    run_until(driver, lambda: player.status in (Status.ENDED, Status.FAILED), 10)
    if player.status is Status.FAILED:
        assert player.failure.key == "broken" and shows_text(player)
    else:
        assert player.shown_pts is not None and player.shown_pts > 2.0  # it played through the damage


def test_a_missing_url(open_player, serve, clips):
    url, _ = serve(clips["tone"])
    fails_with(open_player, url.replace("clip.mp4", "other.mp4"), "missing")


def test_a_server_that_does_not_answer(open_player):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    fails_with(open_player, f"http://127.0.0.1:{port}/clip.mp4", "network")


"""Video over HTTP: it starts before the file has all arrived and seeks with Range requests."""

from __future__ import annotations

import shutil

from expo_hall.i18n import tr
from expo_hall.video.player import Status
from tests.video.clips import run_until, shown_index
from tests.video.test_player import SyncCheck


def test_streams_before_the_whole_file_has_arrived_and_seeks_with_range(open_player, clips, serve):
    path = clips["stream"]
    size = path.stat().st_size
    url, served = serve(path, rate=size // 4)  # the whole file would take 4 s to send
    driver, player = open_player(url)
    assert player.message == tr("video.loading")  # "Loading…" while it opens
    run_until(driver, lambda: player.playing and player.shown_pts is not None, 5)
    assert served.sent < size * 0.6, f"the first picture came after {served.sent} of {size} bytes"
    check = SyncCheck(player)
    run_until(driver, lambda: player.position > 1.0, 4, each=check)
    assert check.checked > 10 and player.duration == 6.0
    requests_before = len(served.ranges)
    player.seek(5.0)  # beyond what has arrived: ffmpeg asks for the bytes from there
    run_until(driver, lambda: player.shown_pts is not None and player.shown_pts >= 4.96 and player.position > 5.0, 5)
    assert any(start > size // 2 for start in served.ranges[requests_before:]), served.ranges
    assert served.sent < size, "the seek did not skip the middle of the file"
    assert abs(shown_index(player) - int(player.position * 25)) <= 1
    run_until(driver, lambda: player.status is Status.ENDED, 5)


def test_plays_from_the_project_server(open_player, clips, tmp_path, expo_dirs):
    """The backend's own video route (Range-capable), as the stand window will use it."""
    from expo_hall.server.embedded import start_embedded

    maps, stands = expo_dirs
    shutil.copy(clips["long"], stands / "alpha" / "intro.mp4")
    toml = stands / "alpha" / "stand.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + 'video = "intro.mp4"\n', encoding="utf-8")
    server = start_embedded(maps, stands, db_url=f"sqlite:///{tmp_path / 'expo.db'}")
    try:
        driver, player = open_player(f"{server.url}/api/v1/exhibitors/alpha/video")
        run_until(driver, lambda: player.playing and player.position > 0.5, 5)
        player.seek(4.0)
        check = SyncCheck(player)
        run_until(driver, lambda: player.position > 4.6, 4, each=check)
        assert check.checked > 5 and min(check.seen) >= 99
        player.close()
        assert player.decoder.join(3.0)
    finally:
        server.stop()

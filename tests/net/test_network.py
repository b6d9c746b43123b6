"""The wired-up network layer, as the app uses it; and that it stays free of pygame."""

from __future__ import annotations

import subprocess
import sys

from expo_hall.expo import Expo
from expo_hall.net import OUTBOX, STATUS, MessageSent, Network
from expo_hall.net.client import ApiClient
from tests.net.conftest import FAST_RETRY


def test_the_network_layer_imports_no_pygame():
    code = ("import sys, expo_hall.net, expo_hall.net.expo_source; "
            "bad = [m for m in ('pygame', 'pygame_gui') if m in sys.modules]; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)


def test_network_end_to_end(server, inbox, tmp_path):
    client = ApiClient(server.url, retry=FAST_RETRY)
    net = Network(server.url, inbox, client=client, outbox_path=tmp_path / "outbox.sqlite3",
                  cache_dir=tmp_path / "cache", offline_interval=0.05, poll_timeout=1)
    try:
        assert inbox.tagged(STATUS).online is True
        fractions: list[float] = []
        net.load_expo("expo", fractions.append)
        expo = inbox.tagged("expo")
        assert isinstance(expo, Expo) and len(expo.floors) == 2 and fractions[-1] == 1.0
        net.call("register", net.client.register, "Вера")
        assert inbox.tagged("register").me.display_name == "Вера"
        room = net.client.exhibitor("alpha").room_id
        net.polls.follow(room, ("room", room))
        pending = net.outbox.send(room, "Привет")
        confirmed = inbox.tagged(OUTBOX)
        assert isinstance(confirmed, MessageSent) and confirmed.pending == pending
        page = inbox.tagged(("room", room))
        assert [m.client_id for m in page.messages] == [pending.client_id]
    finally:
        net.stop()

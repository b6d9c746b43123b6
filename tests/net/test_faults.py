"""The fault benchmark's machinery, small: visitors chatting through the real network layer while the server
process is SIGKILLed (aimed at sends under way) and restarted twice; nothing typed is lost or stored twice."""

from __future__ import annotations

from benchmarks.faults import run


def test_messages_survive_the_server_being_killed_mid_send():
    figures = run(clients=2, kills=2, rate=5.0, seed=7, max_seconds=40.0, mid_send_share=1.0)
    assert figures.kills == 2 and len(figures.outages_s) == 2
    assert figures.drain_s is not None, "the outboxes did not drain"
    assert figures.sent > 0
    assert (figures.lost, figures.duplicated, figures.refused) == (0, 0, 0), figures.lines()

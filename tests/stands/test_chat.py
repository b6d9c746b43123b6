"""The stand's Chat tab, driven through the real app loop against its real embedded server, with a second
client on the other side: a representative of the stand (the server's token command), or another visitor."""

from __future__ import annotations

import datetime as dt
import time

import pygame
import pytest

from expo_hall.chat import PAGE, PRIVATE, PUBLIC
from expo_hall.content.limits import MESSAGE_MAX
from expo_hall.i18n import key, tr
from expo_hall.net import ApiClient, ApiError
from expo_hall.stands.panels.chat import ChatPanel
from expo_hall.stands.stand_screen import StandScreen
from tests.driver import shown_text

MARKUP = '<font size=99>big</font> <a href="x">link</a> <img src=logo.png> &amp; 🎓 «ёлочки» %{name}'
AWAY = "Мы <b>скоро</b> вернёмся & ответим"
LIVE = 3000  # frames: a live message is there well within this (a busy machine runs them slowly)


def flat(box) -> str:  # noqa: ANN001
    """The text a box shows, its wrapped lines joined again."""
    return " ".join(shown_text(box).split())


def representative(d, tmp_path, capsys, stand: str = "alpha", name: str = "Ирина Петрова") -> ApiClient:  # noqa: ANN001
    """A representative of the stand, with a token from the server's own command on the app's database."""
    from expo_hall.server.cli import main as server_cli

    capsys.readouterr()
    assert server_cli(["token", "--stand", stand, "--name", name, "--db",
                       f"sqlite:///{tmp_path / 'data' / 'server.sqlite3'}"]) == 0
    return ApiClient(d.app.backend.client.base_url, capsys.readouterr().out.strip().splitlines()[-1])


def open_chat(make_app, *argv: str):  # noqa: ANN001, ANN202
    d = make_app("--stand", "alpha", *argv)
    stand = d.app.stack.top
    assert isinstance(stand, StandScreen)
    d.click(stand.tab_buttons["chat"].rect.center)
    panel = stand.panel
    assert isinstance(panel, ChatPanel) and panel.visible
    d.until(lambda: all(r.loaded for r in panel.chat.rooms.values()), max_frames=LIVE)
    return d, stand, panel


def type_and_enter(d, panel, text: str) -> None:  # noqa: ANN001
    if not panel.entry.is_focused:
        d.click(panel.entry.rect.center)
    d.post(pygame.TEXTINPUT, text=text)  # one event: what a paste or an input method delivers
    d.frames(1)
    d.press(pygame.K_RETURN)


def texts(panel, kind: str) -> list[str]:  # noqa: ANN001
    return [line.text for line in panel.chat.rooms[kind].lines()]


def private_room(rep: ApiClient) -> int:
    (conversation,) = rep.conversations("alpha")
    return conversation.room_id


def test_two_clients_chat_live_in_the_public_room_and_in_private(make_app, tmp_path, capsys):
    d, stand, panel = open_chat(make_app)
    rep = representative(d, tmp_path, capsys)
    public = rep.exhibitor("alpha").room_id
    assert panel.chat.rooms[PUBLIC].room_id == public
    # opening the chat made the visitor's conversation: the representative finds it in the stand's inbox
    assert private_room(rep) == panel.chat.rooms[PRIVATE].room_id

    rep.send_message(public, "Здравствуйте! Спрашивайте.")
    d.until(lambda: "Здравствуйте! Спрашивайте." in texts(panel, PUBLIC), max_frames=LIVE)
    d.frames(1)
    shown = flat(panel.boxes[PUBLIC])
    assert "Ирина Петрова" in shown and "Здравствуйте! Спрашивайте." in shown
    (line,) = panel.chat.rooms[PUBLIC].lines()
    assert line.role == "representative" and not line.mine
    local = line.at.astimezone().strftime("%H:%M")
    assert local in shown  # the time, in the visitor's time zone

    type_and_enter(d, panel, "А есть курсы для 5 класса?")
    assert panel.entry.get_text() == ""
    d.until(lambda: not panel.chat.rooms[PUBLIC].pending, max_frames=LIVE)
    sent = ["Здравствуйте! Спрашивайте.", "А есть курсы для 5 класса?"]
    assert [m.text for m in rep.history(public).messages] == sent
    assert rep.history(public).messages[-1].author_name == d.app.backend.visitor_name

    rep.send_message(private_room(rep), "Лично: да, есть.")
    d.until(lambda: "Лично: да, есть." in texts(panel, PRIVATE), max_frames=LIVE)
    d.click(panel.sub_buttons[PRIVATE].rect.center)
    assert panel.kind == PRIVATE and panel.boxes[PRIVATE].visible and not panel.boxes[PUBLIC].visible
    d.frames(1)
    assert "Лично: да, есть." in flat(panel.boxes[PRIVATE])
    type_and_enter(d, panel, "Спасибо!")
    d.until(lambda: [m.text for m in rep.history(private_room(rep)).messages][-1:] == ["Спасибо!"], max_frames=LIVE)

    following = d.app.backend.network.polls.following()
    assert public in following and private_room(rep) in following  # live while the stand window is open
    stand.close()
    d.frames(2)
    following = d.app.backend.network.polls.following()
    assert public not in following and private_room(rep) not in following
    rep.close()


def test_enter_sends_shift_enter_starts_a_line_and_empty_is_not_sent(make_app, tmp_path, capsys):
    d, stand, panel = open_chat(make_app)
    rep = representative(d, tmp_path, capsys)
    public = panel.chat.rooms[PUBLIC].room_id
    hall = d.hall
    before = (hall.visitor.x, hall.visitor.y)
    d.click(panel.entry.rect.center)
    assert d.app.typing()
    d.type_text("wasd")  # typed letters, not the avatar's keys
    d.hold(pygame.K_w, 0.3)
    d.hold(pygame.K_RIGHT, 0.3)  # the cursor is at the end already
    assert (hall.visitor.x, hall.visitor.y) == before
    d.post(pygame.KEYDOWN, key=pygame.K_RETURN, mod=pygame.KMOD_SHIFT, unicode="\r", scancode=0)
    d.frames(1)
    d.post(pygame.KEYUP, key=pygame.K_RETURN, mod=pygame.KMOD_SHIFT, unicode="", scancode=0)
    d.type_text("x")
    assert panel.entry.get_text().replace("\r", "") == "wasd\nx"  # a new line, nothing sent
    assert not panel.chat.rooms[PUBLIC].pending
    d.press(pygame.K_RETURN)
    assert panel.entry.get_text() == ""
    d.until(lambda: [m.text for m in rep.history(public).messages] == ["wasd\nx"], max_frames=LIVE)
    d.until(lambda: not panel.chat.rooms[PUBLIC].pending, max_frames=LIVE)  # and the app heard it arrived

    d.press(pygame.K_RETURN)  # nothing typed
    d.type_text("   ")
    d.press(pygame.K_RETURN)  # only spaces
    d.frames(30)
    assert not panel.chat.rooms[PUBLIC].pending and len(rep.history(public).messages) == 1

    d.post(pygame.TEXTINPUT, text="ё" * (MESSAGE_MAX + 1))  # over the server's limit: refused here, kept
    d.frames(1)
    d.press(pygame.K_RETURN)
    assert panel.entry.get_text().strip() == "ё" * (MESSAGE_MAX + 1)
    assert not panel.chat.rooms[PUBLIC].pending
    assert panel._note_text == tr("chat.too_long", count=MESSAGE_MAX + 1, max=MESSAGE_MAX)
    d.frames(30)
    assert len(rep.history(public).messages) == 1
    rep.close()


def test_markup_and_symbols_are_shown_exactly_as_typed(make_app, tmp_path, capsys):
    d, stand, panel = open_chat(make_app)
    rep = representative(d, tmp_path, capsys, name="<b>Rep</b> &amp;")
    public = panel.chat.rooms[PUBLIC].room_id
    type_and_enter(d, panel, MARKUP)
    d.until(lambda: not panel.chat.rooms[PUBLIC].pending, max_frames=LIVE)
    assert rep.history(public).messages[0].text == MARKUP
    rep.send_message(public, MARKUP + "\nвторая строка")
    d.until(lambda: len(panel.chat.rooms[PUBLIC].messages) == 2, max_frames=LIVE)
    d.frames(1)
    shown = shown_text(panel.boxes[PUBLIC])
    assert shown.count(MARKUP) == 2
    assert MARKUP + "\nвторая строка" in shown
    assert "<b>Rep</b> &amp;" in shown
    rep.close()


def test_unread_counts_what_arrives_while_hidden_and_clears_when_shown(make_app, tmp_path, capsys):
    d, stand, panel = open_chat(make_app)
    rep = representative(d, tmp_path, capsys)
    public, private = panel.chat.rooms[PUBLIC].room_id, private_room(rep)
    rep.send_message(private, "раз")
    rep.send_message(private, "два")
    rep.send_message(public, "всем")  # the public room is shown: not unread
    d.until(lambda: panel.unread(PRIVATE) == 2 and "всем" in texts(panel, PUBLIC), max_frames=LIVE)
    d.frames(1)
    assert panel.unread(PUBLIC) == 0
    button = panel.sub_buttons[PRIVATE]
    assert button.text == key("chat.private_unread") and button.text_kwargs == {"count": "2"}
    assert stand.tab_buttons["chat"].text_kwargs == {"count": "2"}

    d.click(button.rect.center)
    assert panel.unread() == 0 and button.text == key("chat.private")
    assert stand.tab_buttons["chat"].text == key("stand.tab.chat")
    type_and_enter(d, panel, "мой вопрос")  # one's own messages are never unread
    d.until(lambda: not panel.chat.rooms[PRIVATE].pending, max_frames=LIVE)

    d.click(stand.tab_buttons["about"].rect.center)  # the whole Chat tab hidden
    assert not panel.visible
    rep.send_message(private, "ответ")
    rep.send_message(public, "новость")
    d.until(lambda: panel.unread() == 2, max_frames=LIVE)
    d.frames(1)
    assert panel.unread(PRIVATE) == 1 and panel.unread(PUBLIC) == 1
    assert stand.tab_buttons["chat"].text == key("stand.tab.chat_unread")
    assert stand.tab_buttons["chat"].text_kwargs == {"count": "2"}
    d.click(stand.tab_buttons["chat"].rect.center)  # back on the private room: its count clears
    assert panel.unread(PRIVATE) == 0 and panel.unread(PUBLIC) == 1
    assert stand.tab_buttons["chat"].text_kwargs == {"count": "1"}
    d.click(panel.sub_buttons[PUBLIC].rect.center)
    assert panel.unread() == 0 and stand.tab_buttons["chat"].text == key("stand.tab.chat")
    rep.close()


def test_history_pages_back_when_scrolled_to_the_top(make_app, tmp_path, capsys):
    # the representative writes before the app opens the chat
    d = make_app()
    total = PAGE + 12
    # a token may send 20 messages at once (the server's default rate limit), so several representatives write
    reps = [representative(d, tmp_path, capsys) for _ in range(4)]
    public = reps[0].exhibitor("alpha").room_id
    for i in range(1, total + 1):
        reps[i % len(reps)].send_message(public, f"сообщение №{i}")
    d.hall.open_stand(d.app.expo.place_of("alpha"))
    d.frames(2)
    stand = d.app.stack.top
    d.click(stand.tab_buttons["chat"].rect.center)
    panel = stand.panel
    d.until(lambda: panel.chat.rooms[PUBLIC].loaded, max_frames=LIVE)
    d.frames(2)
    room = panel.chat.rooms[PUBLIC]
    assert len(room.messages) == PAGE and room.has_more
    box = panel.boxes[PUBLIC]
    assert box.scroll_bar is not None and box.scroll_bar.start_percentage > 0.5  # the newest are in view
    assert "сообщение №12" not in flat(box) and f"сообщение №{total}" in flat(box)
    pygame.mouse.set_pos(box.rect.center)  # pygame-gui reads hovering from the mouse itself
    d.move_mouse(box.rect.center)
    deadline = time.monotonic() + 30  # the older page comes from the server: wheel on until it is in
    while len(room.messages) < total and time.monotonic() < deadline:
        d.wheel(10)
        time.sleep(0.005)
    assert len(room.messages) == total and not room.has_more
    d.frames(2)
    shown = flat(box)
    assert shown.index("сообщение №1 ") < shown.index("сообщение №12 ") < shown.index(f"сообщение №{total}")
    assert box.scroll_bar.start_percentage > 0  # the page came in above what was being read
    for rep in reps:
        rep.close()


@pytest.fixture
def away_stand(expo_dirs):
    _, stands = expo_dirs
    with (stands / "alpha" / "stand.toml").open("a", encoding="utf-8") as fh:
        fh.write(f'away_message = "{AWAY}"\n')


def test_the_stand_answers_the_first_private_message_when_nobody_is_in(make_app, away_stand):
    d, stand, panel = open_chat(make_app)
    d.click(panel.sub_buttons[PRIVATE].rect.center)
    type_and_enter(d, panel, "Есть кто?")
    d.until(lambda: len(panel.chat.rooms[PRIVATE].messages) == 2, max_frames=LIVE)
    mine, answer = panel.chat.rooms[PRIVATE].lines()
    assert mine.mine and mine.text == "Есть кто?"
    assert answer.role == "stand" and answer.text == AWAY and not answer.mine
    d.frames(1)
    assert AWAY in flat(panel.boxes[PRIVATE])


def test_the_away_message_shows_while_no_representative_is_available(make_app, away_stand, tmp_path, capsys):
    d, stand, panel = open_chat(make_app)
    rep = representative(d, tmp_path, capsys)
    try:
        rep.presence("alpha")
    except ApiError as exc:
        if exc.status == 404:
            pytest.skip("the server has no /exhibitors/{id}/presence yet")
        raise
    d.until(lambda: panel.chat.available is False, max_frames=LIVE)
    d.frames(1)
    assert panel.away.visible and flat(panel.away) == AWAY
    assert panel.presence.text == key("chat.away")
    assert panel.boxes[PUBLIC].relative_rect.top >= panel.away.relative_rect.bottom  # the list makes room

    rep.set_available(True)  # a light periodic check notices
    d.until(lambda: panel.chat.available is True, max_frames=LIVE)
    d.frames(1)
    assert not panel.away.visible and panel.presence.text == key("chat.available")
    d.click(stand.tab_buttons["about"].rect.center)
    rep.set_available(False)
    d.click(stand.tab_buttons["chat"].rect.center)  # and on opening the tab again
    d.until(lambda: panel.chat.available is False, max_frames=120)
    d.frames(1)
    assert panel.away.visible
    rep.close()


def test_a_refused_message_shows_failed_with_retry_and_discard(make_app):
    d, stand, panel = open_chat(make_app)
    room = panel.chat.rooms[PUBLIC]
    outbox = d.app.backend.network.outbox
    type_and_enter(d, panel, "\x07")  # nothing the server keeps (control characters are dropped): 422
    d.until(lambda: room.failed_messages, max_frames=LIVE)
    d.frames(1)
    (failed,) = room.failed_messages
    assert panel.retry_button.visible and panel.discard_button.visible
    assert [p.state for p in outbox.pending(room.room_id)] == ["failed"]
    assert "failed" == room.lines()[-1].state

    d.click(panel.retry_button.rect.center)  # sent again, refused again
    d.until(lambda: room.failed_messages and outbox.pending(room.room_id)[0].error, max_frames=LIVE)
    d.click(panel.discard_button.rect.center)
    d.frames(1)
    assert not room.pending and outbox.pending(room.room_id) == []
    assert not panel.retry_button.visible and not panel.discard_button.visible
    assert failed.client_id not in {line.client_id for line in room.lines()}


def test_a_message_written_offline_stays_pending_and_arrives_once(make_app, tmp_path, capsys):
    from expo_hall.server.app import create_app
    from expo_hall.server.db import make_engine
    from expo_hall.server.embedded import serve_in_thread
    from expo_hall.server.importer import import_folders
    from expo_hall.server.settings import Settings

    d, stand, panel = open_chat(make_app)
    room = panel.chat.rooms[PUBLIC]
    backend = d.app.backend
    port = int(backend.client.base_url.rsplit(":", 1)[1])
    backend.server.stop()
    type_and_enter(d, panel, "Пока нет связи")
    d.frames(120)
    (line,) = room.lines()
    assert line.state == "pending" and line.text == "Пока нет связи"
    assert "Пока нет связи" in flat(panel.boxes[PUBLIC]) and tr("chat.sending") in flat(panel.boxes[PUBLIC])

    settings = Settings(db_url=f"sqlite:///{tmp_path / 'data' / 'server.sqlite3'}")
    engine = make_engine(settings.db_url)
    maps, stands = tmp_path / "maps", tmp_path / "stands"
    import_folders(engine, maps, stands, dt.datetime.now(dt.UTC))
    server = serve_in_thread(create_app(settings, engine), port=port, engine=engine)
    try:
        rep = representative(d, tmp_path, capsys)
        d.until(lambda: not room.pending and room.messages, max_frames=100000)
        d.frames(60)
        assert [m.text for m in rep.history(room.room_id).messages] == ["Пока нет связи"]  # once
        assert [(line.state, line.text) for line in room.lines()] == [("sent", "Пока нет связи")]
        rep.send_message(room.room_id, "Связь есть")  # and live messages flow again
        d.until(lambda: "Связь есть" in texts(panel, PUBLIC), max_frames=100000)
        rep.close()
    finally:
        d.app.close()
        server.stop()


def test_without_a_server_the_chat_tab_says_so(make_app):
    d = make_app("--no-server", "--stand", "alpha")
    stand = d.app.stack.top
    d.click(stand.tab_buttons["chat"].rect.center)
    panel = stand.panel
    assert isinstance(panel, ChatPanel) and panel.chat is None and panel.visible
    assert flat(panel.body) == tr("chat.no_server")
    d.frames(5)

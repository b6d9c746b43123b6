"""Leaving one's contact at a stand, and the representatives' desk: the real app on its embedded server,
with a second client as the visitor on the other side."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

import pytest

from expo_hall.net import ApiClient
from expo_hall.settings import Settings

needs_token = pytest.mark.skipif("token" not in {f.name for f in dataclasses.fields(Settings)},
                                 reason="needs the --token diff of settings.py and backend.py")
LEAD_NOTE = "Интересует магистратура <b>заочно</b>.\nПозвоните после 18:00."


def add_material(stands) -> bytes:  # noqa: ANN001
    """Alpha gets a brochure to download."""
    data = b"%PDF-1.4\n% brochure\n%%EOF\n"
    (stands / "alpha" / "brochure.pdf").write_bytes(data)
    with (stands / "alpha" / "stand.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[[materials]]\ntitle = "Буклет"\nfile = "brochure.pdf"\n')
    return data


def issue_token(expo_dirs, data, capsys, *args: str) -> str:  # noqa: ANN001
    """The server's own command, on the database the client's embedded server will use."""
    from expo_hall.server.cli import main as server_cli
    from expo_hall.server.db import make_engine
    from expo_hall.server.importer import import_folders

    url = f"sqlite:///{data / 'server.sqlite3'}"
    engine = make_engine(url)
    import_folders(engine, *expo_dirs, dt.datetime.now(dt.UTC))
    engine.dispose()
    capsys.readouterr()
    assert server_cli(["token", *args, "--db", url]) == 0
    return capsys.readouterr().out.strip()


def wait_for(d, condition, seconds: float = 20.0):  # noqa: ANN001, ANN201
    """Run frames until `condition()` is true (the network answers in wall time)."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        d.frames(1)
        time.sleep(0.005)


# --- leave my contact ------------------------------------------------------------------------------------------------

def test_the_lead_dialog_sends_exactly_what_the_visitor_confirmed_and_nothing_before(make_app, tmp_path, capsys):
    from expo_hall.stands.lead_dialog import LeadDialog, open_lead_dialog
    from expo_hall.stands.stand_screen import StandScreen

    d = make_app("--stand", "alpha")
    stand = d.app.stack.top
    assert isinstance(stand, StandScreen)
    base = d.app.backend.client.base_url
    organizer = ApiClient(base, issue_token((tmp_path / "maps", tmp_path / "stands"), tmp_path / "data", capsys,
                                            "--admin", "--name", "Ольга"))
    dialog = open_lead_dialog(d.app, stand.exhibitor)
    assert isinstance(dialog, LeadDialog) and d.app.stack.top is dialog
    assert dialog.entries["name"].get_text() == d.app.backend.visitor_name  # pre-filled

    # the form: typed as a person would (click a field, type)
    for name, text in (("organisation", "Лицей №2"), ("email", "vera@example.org"), ("phone", "+7 900 123-45-67")):
        d.click(dialog.entries[name].rect.center)
        d.type_text(text)
    dialog.entries["name"].set_text("Вера Петрова")
    dialog.entries["note"].set_text(LEAD_NOTE)
    d.click(dialog.review_button.rect.center)
    assert dialog.state == "review"
    assert dialog.reviewed == {"name": "Вера Петрова", "organisation": "Лицей №2", "email": "vera@example.org",
                               "phone": "+7 900 123-45-67", "note": LEAD_NOTE}
    d.frames(30)
    assert organizer.leads("alpha") == []  # the review sends nothing

    # back to edit: the phone is dropped; the review shows what is now sent
    d.click(dialog.edit_button.rect.center)
    assert dialog.state == "form"
    dialog.entries["phone"].set_text("")
    d.click(dialog.review_button.rect.center)
    confirmed = dict(dialog.reviewed)
    assert "phone" not in confirmed and confirmed["email"] == "vera@example.org"
    assert organizer.leads("alpha") == []
    d.click(dialog.share_button.rect.center)
    wait_for(d, lambda: dialog.state == "shared")
    assert dialog.sent == confirmed
    (lead,) = organizer.leads("alpha")
    assert {k: v for k, v in lead.model_dump().items() if k in confirmed} == confirmed
    assert lead.phone is None
    shared = [item for item in d.app.briefcase.items() if item.kind == "shared"]
    assert len(shared) == 1 and shared[0].exhibitor_id == "alpha" and LEAD_NOTE in shared[0].title
    assert shared[0].exhibitor_name == stand.exhibitor.name_for("ru")
    organizer.close()


def test_a_lead_dialog_closed_without_share_sends_nothing(make_app, tmp_path, capsys):
    from expo_hall.stands.lead_dialog import open_lead_dialog
    from expo_hall.stands.stand_screen import StandScreen

    d = make_app("--stand", "alpha")
    stand = d.app.stack.top
    assert isinstance(stand, StandScreen)
    organizer = ApiClient(d.app.backend.client.base_url, issue_token(
        (tmp_path / "maps", tmp_path / "stands"), tmp_path / "data", capsys, "--admin", "--name", "Ольга"))
    dialog = open_lead_dialog(d.app, stand.exhibitor)
    dialog.entries["email"].set_text("vera@example.org")
    d.click(dialog.review_button.rect.center)
    assert dialog.state == "review"
    d.click(dialog.cancel_button.rect.center)
    assert dialog not in d.app.stack.screens and d.app.stack.top is stand
    dialog = open_lead_dialog(d.app, stand.exhibitor)
    dialog.entries["email"].set_text("not an e-mail")
    dialog.entries["phone"].set_text("")
    d.click(dialog.review_button.rect.center)
    assert dialog.state == "form" and dialog.reviewed is None  # refused before anything could be sent
    d.frames(30)
    assert organizer.leads("alpha") == []
    assert not [item for item in d.app.briefcase.items() if item.kind == "shared"]
    organizer.close()


# --- the representatives' desk ---------------------------------------------------------------------------------------

@needs_token
def test_a_representative_answers_a_visitor_and_sees_leads_and_statistics(make_app, expo_dirs, tmp_path, capsys,
                                                                          monkeypatch):
    from expo_hall import system
    from expo_hall.reps.conversation import ConversationScreen
    from expo_hall.reps.screen import RepresentativeScreen

    brochure = add_material(expo_dirs[1])
    token = issue_token(expo_dirs, tmp_path / "data", capsys, "--stand", "alpha", "--name", "Роман")
    d = make_app("--token", token)
    desk = d.app.stack.top
    assert isinstance(desk, RepresentativeScreen)  # opened at start
    assert d.app.backend.me.role == "representative" and d.app.backend.me.stand_id == "alpha"
    base = d.app.backend.client.base_url

    visitor = ApiClient(base)
    visitor.register("Вера", organisation="Лицей №2")
    visitor.record_visit("alpha")
    room = visitor.conversation("alpha").room_id
    visitor.send_message(room, "Здравствуйте! <b>Есть</b> ли бюджетные места?")
    visitor.share_lead("alpha", "Вера Петрова", email="vera@example.org", note=LEAD_NOTE)
    material = visitor.exhibitor("alpha").materials[0]
    assert visitor.download(material.url, tmp_path / "brochure.pdf").path.read_bytes() == brochure

    # the inbox: the visitor's conversation, with its last message
    row = wait_for(d, lambda: desk.inbox.get(room))
    assert row.conversation.visitor_name == "Вера" and row.last.text.startswith("Здравствуйте!")
    assert desk.rows()[0].room_id == room
    d.click(desk.open_buttons[room].rect.center)
    chat = d.app.stack.top
    assert isinstance(chat, ConversationScreen) and chat.room_id == room
    wait_for(d, lambda: chat.loaded and chat.messages)
    assert [m.text for m in chat.messages.values()] == ["Здравствуйте! <b>Есть</b> ли бюджетные места?"]
    d.click(chat.entry.rect.center)
    d.type_text("Да, 20 мест.")
    d.click(chat.send_button.rect.center)

    def answered() -> list:
        return [m for m in visitor.history(room).messages if m.author_role == "representative"]

    wait_for(d, answered)
    (answer,) = answered()
    assert (answer.text, answer.author_name, answer.author_stand_id) == ("Да, 20 мест.", "Роман", "alpha")
    wait_for(d, lambda: any(m.text == "Да, 20 мест." for m in chat.messages.values()))
    chat.close()
    assert d.app.stack.top is desk

    # available / away, as the server has it
    rep = ApiClient(base, token)
    assert rep.me().available is False
    d.click(desk.status_button.rect.center)
    wait_for(d, lambda: desk.me.available)
    assert rep.me().available is True
    d.click(desk.status_button.rect.center)
    wait_for(d, lambda: not desk.me.available)
    assert rep.me().available is False

    # the leads, with the note, to copy
    d.click(desk.tab_buttons["leads"].rect.center)
    wait_for(d, lambda: desk.leads)
    (lead,) = desk.leads
    assert (lead.name, lead.email, lead.note) == ("Вера Петрова", "vera@example.org", LEAD_NOTE)
    copied: list[str] = []
    monkeypatch.setattr(system, "copy_text", lambda text: copied.append(text) or True)
    d.click(desk.copy_buttons[0].rect.center)
    assert copied == ["Вера Петрова\nvera@example.org\n\n" + LEAD_NOTE]

    # the statistics
    d.click(desk.tab_buttons["stats"].rect.center)
    stats = wait_for(d, lambda: desk.stats if desk.stats and desk.stats.private_messages >= 2 else None)
    assert (stats.visits, stats.unique_visitors, stats.chat_messages, stats.downloads) == (1, 1, 2, 1)
    assert "<b>2</b>" in desk.stats_html(stats) and "<b>1</b>" in desk.stats_html(stats)
    visitor.close()
    rep.close()


@needs_token
def test_a_wrong_token_is_refused_clearly_and_the_right_one_can_be_pasted(make_app, expo_dirs, tmp_path, capsys,
                                                                          caplog):
    from expo_hall.reps.identity import TokenRefused
    from expo_hall.reps.login import LoginScreen
    from expo_hall.reps.screen import RepresentativeScreen
    from tests.driver import shown_text

    token = issue_token(expo_dirs, tmp_path / "data", capsys, "--stand", "beta", "--name", "Роман")
    d = make_app("--token", "not-a-token")
    login = d.app.stack.top
    assert isinstance(login, LoginScreen)  # the hall opened (as a visitor); the window says why not the desk
    assert isinstance(login.refusal, TokenRefused) and login.refusal.reason == "unknown"
    assert "unknown token" in shown_text(login.status)  # the server's own word, with our sentence
    assert d.app.backend.me is None and d.app.backend.client.me().role == "visitor"
    assert not [r for r in caplog.records if r.exc_info], "no traceback for a wrong token"

    # a visitor's token is no representative's either
    visitor = ApiClient(d.app.backend.client.base_url)
    login.submit(visitor.register("Вера").token)
    wait_for(d, lambda: login.checking is None)
    assert isinstance(login.refusal, TokenRefused) and login.refusal.reason == "visitor"
    visitor.close()

    d.click(login.entry.rect.center)
    d.type_text(token)
    d.click(login.sign_in.rect.center)
    desk = wait_for(d, lambda: d.app.stack.find(RepresentativeScreen))
    assert login not in d.app.stack.screens
    assert d.app.backend.me.stand_id == "beta" and d.app.backend.client.me().role == "representative"
    assert desk.stand_id == "beta"

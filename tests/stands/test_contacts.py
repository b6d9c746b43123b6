"""The stand window's Contacts tab driven through the real loop: copy, open, save as vCard, the QR code."""

from __future__ import annotations

from pathlib import Path

import pygame
import pytest
import segno
import vobject

from expo_hall import system
from expo_hall.briefcase import Briefcase
from expo_hall.i18n import key
from expo_hall.stands import qr
from expo_hall.stands.vcard import messenger_url, phone_url, web_url
from tests.driver import shown_text

NAME = "Школа <b>Роста</b> %{name}"  # the small expo's "beta", at stand A-2
ADDRESS = "г. Москва, ул. «Ёлочная», д. 5; <b>корпус</b> 2 🎄"
WEBSITE = "rost-school.ru/<i>путь</i>/" + "x" * 150
CONTACTS = f'''
[contacts]
email = "info@rost-school.ru"
phone = "+7 (495) 123-45-67"
website = "{WEBSITE}"
address = "{ADDRESS}"

[contacts.messengers]
telegram = "@rost_school"
whatsapp = "+7 999 123-45-67"
vk = "https://vk.com/rost_school"
icq = "12345 😀"
'''
VALUES = ["info@rost-school.ru", "+7 (495) 123-45-67", WEBSITE, ADDRESS, "@rost_school", "+7 999 123-45-67",
          "https://vk.com/rost_school", "12345 😀"]
URLS = ["mailto:info@rost-school.ru", "tel:+74951234567", "https://" + WEBSITE,
        "https://yandex.ru/maps/?text=%D0%B3.%20%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0%2C%20%D1%83%D0%BB.%20%C2%AB"
        "%D0%81%D0%BB%D0%BE%D1%87%D0%BD%D0%B0%D1%8F%C2%BB%2C%20%D0%B4.%205%3B%20%3Cb%3E%D0%BA%D0%BE%D1%80%D0%BF"
        "%D1%83%D1%81%3C%2Fb%3E%202%20%F0%9F%8E%84",
        "https://t.me/rost_school", "https://wa.me/79991234567", "https://vk.com/rost_school", None]


@pytest.fixture
def contacts(make_app, expo_dirs, tmp_path):
    """The stand "beta" open on its Contacts tab, with a briefcase in tmp_path."""
    toml = expo_dirs[1] / "beta" / "stand.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + CONTACTS, encoding="utf-8")
    d = make_app("--stand", "beta")
    d.app.briefcase = Briefcase(tmp_path / "briefcase", downloads=tmp_path)
    stand = d.app.stack.top
    d.click(stand.tab_buttons["contacts"].rect.center)
    assert stand.tab == "contacts"
    return d, stand.panel


def unwrap(text: str) -> str:
    return text.replace("\n", "").replace("-", "")


def reveal(d, panel, element) -> None:
    """Scroll the rows with the mouse wheel until the element is in view."""
    view = panel.scroller.rect
    # Over the rows' own scroll bar: pygame-gui asks SDL where the mouse is to know what the wheel scrolls,
    # and over a row, a long value's own scroll bar would take the wheel.
    spot = panel.scroller.vert_scroll_bar.rect.center
    pygame.mouse.set_pos(spot)
    d.move_mouse(spot)
    for _ in range(60):
        if view.contains(element.rect):
            d.frames(30)  # the wheel scrolls smoothly: let it come to rest
            if view.contains(element.rect):
                return
            continue
        d.wheel(-1 if element.rect.bottom > view.bottom else 1)
    raise AssertionError(f"the element never came into view: {element.rect} in {view}")


def test_every_contact_is_shown_literally_with_copy_and_open(contacts):
    d, panel = contacts
    assert [row.value for row in panel.rows] == VALUES
    for box, value in zip(panel.row_boxes, VALUES, strict=True):  # wrapped (long words broken with "-")
        assert unwrap(value) in unwrap(shown_text(box))
    assert "«Ёлочная»" in shown_text(panel.row_boxes[3]) and "<b>корпус</b> 2 🎄" in shown_text(panel.row_boxes[3])
    assert [b.is_enabled for b in panel.open_buttons] == [True] * 7 + [False]  # nothing to open for icq
    # long values keep their row: no box wider than its column, none taller than a few lines
    right = panel.copy_buttons[0].rect.left
    assert all(box.rect.right <= right and box.rect.height <= 96 for box in panel.row_boxes)
    assert panel.scroller.rect.right <= panel.qr_image.rect.left


def test_copy_puts_the_value_on_the_clipboard_and_says_so(contacts):
    d, panel = contacts
    from pygame_gui.core.utility import clipboard_paste

    for index in (1, 3, 7):
        reveal(d, panel, panel.copy_buttons[index])
        d.click(panel.copy_buttons[index].rect.center)
        assert clipboard_paste() == VALUES[index]
        assert panel.copy_buttons[index].text == key("contacts.copied")
        assert unwrap(VALUES[index]) in unwrap(shown_text(panel.status))
    d.frames(100)  # the confirmation is short
    assert panel.copy_buttons[7].text == key("contacts.copy")


def test_open_hands_the_right_url_to_the_system(contacts, monkeypatch):
    d, panel = contacts
    opened: list[str] = []
    monkeypatch.setattr(system, "open_url", lambda url: opened.append(url) or True)
    for button in panel.open_buttons:
        reveal(d, panel, button)
        d.click(button.rect.center)
    assert opened == [u for u in URLS if u is not None]


def test_save_contact_writes_a_vcard_into_the_briefcase(contacts, tmp_path):
    d, panel = contacts
    d.click(panel.save_button.rect.center)
    path = tmp_path / "briefcase" / "contacts" / "beta.vcf"
    text = path.read_bytes().decode("utf-8")
    assert text == panel.vcard and unwrap(str(path)) in unwrap(shown_text(panel.status))
    card = vobject.readOne(text)
    assert card.fn.value == NAME and card.org.value == [NAME]
    assert card.email.value == "info@rost-school.ru" and card.tel.value == "+7 (495) 123-45-67"
    assert card.url.value == "https://" + WEBSITE
    assert card.adr.value.street == ADDRESS and card.label.value == ADDRESS
    profiles = {p.type_param: p.value for p in card.contents["x-socialprofile"]}
    assert profiles == {"telegram": "https://t.me/rost_school", "whatsapp": "https://wa.me/79991234567",
                        "vk": "https://vk.com/rost_school", "icq": "12345 😀"}
    assert "A-2" in card.note.value and "Главный зал" in card.note.value
    # saving again overwrites the same file and keeps one entry
    d.click(panel.save_button.rect.center)
    listed = Briefcase(tmp_path / "briefcase").items()
    assert [(i.kind, i.exhibitor_id, i.file) for i in listed] == [("contact", "beta", "contacts/beta.vcf")]
    assert sorted(p.name for p in path.parent.iterdir()) == ["beta.vcf"]


def test_the_qr_code_is_the_same_vcard_and_crisp_on_screen(contacts):
    d, panel = contacts
    code = segno.make(panel.vcard, error=qr.ERROR, micro=False)  # segno cannot decode: encode again and compare
    assert panel.qr.code.matrix == code.matrix
    image = panel.qr
    n = code.symbol_size(scale=1, border=0)[0]
    assert image.scale >= 2 and image.surface.get_size() == ((n + 2 * qr.BORDER) * image.scale,) * 2
    shown = panel.qr_image.rect
    assert shown.size == image.surface.get_size()
    d.frames(1)
    for surface, origin in ((image.surface, (0, 0)), (d.app.window, shown.topleft)):
        for row in range(n):
            for col in range(n):
                cell = image.module_rect(row, col).move(origin)
                expected = qr.DARK if code.matrix[row][col] else qr.LIGHT
                assert tuple(surface.get_at(cell.topleft))[:3] == expected
                assert tuple(surface.get_at((cell.right - 1, cell.bottom - 1)))[:3] == expected
        quiet = pygame.Rect(origin, (image.scale * qr.BORDER, image.surface.get_height()))
        assert all(tuple(surface.get_at((x, y)))[:3] == qr.LIGHT for x in range(quiet.left, quiet.right)
                   for y in range(quiet.top, quiet.bottom, 7))


def test_a_stand_without_contacts_says_so(make_app):
    d = make_app("--stand", "alpha")
    stand = d.app.stack.top
    d.click(stand.tab_buttons["contacts"].rect.center)
    assert stand.panel.rows == [] and stand.panel.qr is None
    assert shown_text(stand.panel.body) == "Контакты пока не указаны."


@pytest.mark.parametrize(("service", "value", "url"), [
    ("telegram", "@name_1", "https://t.me/name_1"),
    ("telegram", "t.me/name", "https://t.me/name"),
    ("Telegram", "https://t.me/name", "https://t.me/name"),
    ("telegram", "@a b", None),
    ("whatsapp", "+7 (999) 000-11-22", "https://wa.me/79990001122"),
    ("vk", "vk.com/club1", "https://vk.com/club1"),
    ("vk", "@club1", "https://vk.com/club1"),
    ("viber", "+79990001122", None),
])
def test_messenger_links(service, value, url):
    assert messenger_url(service, value) == url


@pytest.mark.parametrize(("text", "url"), [
    ("site.ru", "https://site.ru"), ("http://site.ru/a?b=1", "http://site.ru/a?b=1"),
    ("javascript:alert(1)", None), ("file:///etc/passwd", None), ("not a site", None),
])
def test_web_links_are_only_http(text, url):
    assert web_url(text) == url


def test_phone_links_keep_digits_and_the_leading_plus():
    assert phone_url("+7 (495) 123-45-67 доб. 2") == "tel:+749512345672"
    assert phone_url("8 800 ++ 100") == "tel:8800100"
    assert phone_url("—") is None


def test_clipboard_edge_reports_failure_instead_of_raising(monkeypatch):
    import pygame_gui.core.utility as utility

    def broken(text: str) -> None:
        raise pygame.error("no clipboard")

    monkeypatch.setattr(utility, "clipboard_copy", broken)
    assert system.copy_text("x") is False
    assert system.open_path(Path("/nonexistent/file.pdf")) is False


def test_a_contact_too_long_for_a_qr_code_still_opens_and_saves(make_app, expo_dirs, tmp_path):
    toml = expo_dirs[1] / "beta" / "stand.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f'\n[contacts]\naddress = "{"Очень длинный адрес " * 250}"\n',
                    encoding="utf-8")
    d = make_app("--stand", "beta")
    d.app.briefcase = Briefcase(tmp_path / "briefcase")
    stand = d.app.stack.top
    d.click(stand.tab_buttons["contacts"].rect.center)
    panel = stand.panel
    assert panel.qr is None and panel.qr_caption.text == key("contacts.qr_too_long")
    assert panel.row_boxes[0].rect.height <= 96  # the long address scrolls inside its row
    d.click(panel.save_button.rect.center)
    card = vobject.readOne((tmp_path / "briefcase" / "contacts" / "beta.vcf").read_text(encoding="utf-8"))
    assert card.adr.value.street == ("Очень длинный адрес " * 250).strip()

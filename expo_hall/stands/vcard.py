"""An exhibitor's contacts as data: the links that open them, and a vCard (made by vobject) to take home.

Links: an e-mail opens as mailto:, a phone as tel:, a website in the browser (https:// added when no scheme
is given), an address as a map search, messengers as their web links (telegram @name -> t.me/name,
whatsapp number -> wa.me/<digits>, vk as given). Nothing but http(s):, mailto: and tel: is ever opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from expo_hall.stands.package import Contacts, Exhibitor

FIELDS = ("email", "phone", "website", "address")
MESSENGER_NAMES = {"telegram": "Telegram", "whatsapp": "WhatsApp", "vk": "VK", "viber": "Viber", "max": "MAX"}
MAP_SEARCH = "https://yandex.ru/maps/?text={query}"
_SAFE_PARAM = re.compile(r"^[\w@+.\-]+$")
_HANDLE = re.compile(r"^@?([A-Za-z0-9_.]{2,64})$")

if TYPE_CHECKING:
    import vobject.base


@dataclass(frozen=True)
class ContactRow:
    kind: str  # "email", "phone", "website", "address" or "messenger"
    value: str  # as the exhibitor wrote it: what is shown and copied
    url: str | None  # what Open opens; None: nothing can be opened
    service: str = ""  # a messenger's key in stand.toml ("telegram")

    @property
    def service_name(self) -> str:
        return MESSENGER_NAMES.get(self.service.lower(), self.service.capitalize())


def web_url(text: str) -> str | None:
    """An http(s) URL for a web address as written ("site.ru", "https://site.ru/x"); None for other schemes."""
    text = text.strip()
    if re.match(r"^https?://\S+$", text, re.IGNORECASE):
        return text
    if re.match(r"^[a-z][a-z0-9+.-]*:", text, re.IGNORECASE) and not re.match(r"^[^/]+:\d", text):
        return None  # javascript:, file:, ... (but "host:8080/x" is a host with a port)
    if " " in text or "." not in text:
        return None
    return "https://" + text.lstrip("/")


def email_url(email: str) -> str | None:
    email = email.strip().removeprefix("mailto:")
    return f"mailto:{quote(email, safe='@,+')}" if "@" in email else None


def phone_url(phone: str) -> str | None:
    digits = re.sub(r"[^\d+]", "", phone)
    digits = digits[0] + digits[1:].replace("+", "") if digits else ""
    return f"tel:{digits}" if sum(c.isdigit() for c in digits) >= 3 else None


def map_url(address: str) -> str | None:
    return MAP_SEARCH.format(query=quote(address.strip(), safe="")) if address.strip() else None


def messenger_url(service: str, value: str) -> str | None:
    service, value = service.lower(), value.strip()
    if re.match(r"^https?://", value, re.IGNORECASE):
        return value
    if service == "telegram":
        value = re.sub(r"^(https?://)?(t\.me|telegram\.me)/", "", value, flags=re.IGNORECASE)
        m = _HANDLE.match(value)
        return f"https://t.me/{m.group(1)}" if m else None
    if service == "whatsapp":
        if re.match(r"^(wa\.me|api\.whatsapp\.com)/", value, re.IGNORECASE):
            return "https://" + value
        digits = re.sub(r"\D", "", value)
        return f"https://wa.me/{digits}" if len(digits) >= 6 else None
    if service == "vk":
        if re.match(r"^(m\.)?vk\.(com|ru)/", value, re.IGNORECASE):
            return "https://" + value
        m = _HANDLE.match(value)
        return f"https://vk.com/{m.group(1)}" if m else None
    return web_url(value) if re.match(r"^[\w.-]+\.[a-z]{2,}/", value, re.IGNORECASE) else None


def contact_rows(contacts: Contacts) -> list[ContactRow]:
    """The exhibitor's contacts in the order shown: e-mail, phone, website, address, then messengers."""
    links = {"email": email_url, "phone": phone_url, "website": web_url, "address": map_url}
    rows = []
    for kind in FIELDS:
        value = getattr(contacts, kind)
        if value:
            rows.append(ContactRow(kind, value, links[kind](value)))
    for service, value in contacts.messengers.items():
        if value:
            rows.append(ContactRow("messenger", value, messenger_url(service, value), service))
    return rows


def make_vcard(exhibitor: Exhibitor, lang: str, note: str = "") -> vobject.base.Component:
    """A vCard 3.0 of the company: FN/ORG, EMAIL, TEL, URL, ADR (+LABEL), X-SOCIALPROFILE, NOTE."""
    import vobject  # here, not at the top: 6 MB resident in every client that never shows a contact otherwise

    name = exhibitor.name_for(lang)
    card = vobject.vCard()
    card.add("fn").value = name
    card.add("n").value = vobject.vcard.Name()  # a company, not a person: N stays empty, FN and ORG name it
    card.add("org").value = [name]
    card.add("x-abshowas").value = "COMPANY"
    for row in contact_rows(exhibitor.contacts):
        if row.kind == "email":
            prop = card.add("email")
            prop.value = row.value
            prop.type_paramlist = ["INTERNET", "WORK"]
        elif row.kind == "phone":
            prop = card.add("tel")
            prop.value = row.value
            prop.type_paramlist = ["WORK", "VOICE"]
        elif row.kind == "website":
            card.add("url").value = row.url or row.value
        elif row.kind == "address":  # unstructured: the whole address as the street, and as the label
            prop = card.add("adr")
            prop.value = vobject.vcard.Address(street=row.value)
            prop.type_param = "WORK"
            label = card.add("label")
            label.value = row.value
            label.type_param = "WORK"
        else:
            prop = card.add("x-socialprofile")
            prop.value = row.url or row.value
            prop.type_param = row.service.lower() if _SAFE_PARAM.match(row.service) else "other"
            if _SAFE_PARAM.match(row.value):
                prop.x_user_param = row.value.lstrip("@")
    if note:
        card.add("note").value = note
    return card


def vcard_text(exhibitor: Exhibitor, lang: str, note: str = "") -> str:
    """The vCard as the text written to the .vcf file and put in the QR code (CRLF lines, folded)."""
    return make_vcard(exhibitor, lang, note).serialize()

"""frab's value formats, as the c3voc validator checks them (validator/xsd/schedule.xml.xsd and
validator/json/schema.json in github.com/voc/schedule): an import keeps a value only in a form both schemas
take, so whatever is imported exports valid. Where the two differ, the stricter wins.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import uuid
from urllib.parse import urlsplit

GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
ACRONYM = re.compile(r"^[a-z0-9_-][a-z0-9_]{3,}(-2[0-9]{3}-[a-z]+)?$")  # JSON's (the XSD's [a-z0-9_-]{4,} is looser)
SLUG = re.compile(r"^[a-z0-9_]{4,}-[a-z0-9_-]{3,}[a-z0-9]$")  # the XSD's voc-slug-new within JSON's slug
TRACK_SLUG = re.compile(r"^[a-z][a-z0-9-]*[a-z0-9]$")  # the XSD's [a-z][a-z0-9-]+ within JSON's
CODE = re.compile(r"^[0-9A-Z]{6}$")  # pretalx's submission code, as the XSD has it
PERSON_CODE = re.compile(r"^[A-Z0-9]+$")
HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
TIME_ZONE = re.compile(r"^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$")  # JSON's pattern, as its validator applies it
DURATION = re.compile(r"^([0-9]{1,2}):([0-5][0-9])(?::([0-5]?[0-9]))?$")
DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
LINK_TYPES = ("slides", "paper", "web", "blog", "article", "media", "related", "activitypub")
MAX_DURATION = dt.timedelta(hours=99, minutes=59)  # the most "HH:MM" holds
_URL_CHARS = re.compile(r"^[!#$%&'()*+,\-./0-9:;=?@A-Z\[\]_a-z~]+$")  # RFC 3986: an ASCII URI, nothing to escape


def parse_moment(value: object) -> dt.datetime | None:
    """A date and time with an offset ("2020-04-27T10:00:00+03:00"); None for anything else."""
    if not isinstance(value, str) or DATE.match(value.strip()):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None and 1900 < moment.year < 9000 else None


def parse_date(value: object) -> dt.date | None:
    """A date ("2020-04-27"), or the date of a date and time."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if DATE.match(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    moment = parse_moment(text)
    return moment.date() if moment else None


def parse_duration(value: object) -> dt.timedelta | None:
    """ "HH:MM" or "HH:MM:SS" (pretalx writes the first, frab sometimes the second); None for anything else."""
    match = DURATION.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        return None
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return dt.timedelta(hours=hours, minutes=minutes, seconds=seconds)


def format_duration(length: dt.timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_start(moment: dt.datetime) -> str:
    return moment.strftime("%H:%M")


def whole_number(value: object) -> int | None:
    """A positive whole number, written as one or as its digits; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and 0 < value < 2**63 else None


def is_http_url(value: object) -> bool:
    """An absolute http(s) URL that is also a plain URI (ASCII, nothing to escape), as both schemas take it."""
    if not isinstance(value, str) or not _URL_CHARS.match(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def guid_for(acronym: str, kind: str, key: object) -> str:
    """A guid derived from what else names the thing, so an import without one gives the same one each time."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:expo-hall:{acronym}:{kind}:{key}"))


def acronym_from(text: str) -> str:
    """`text` made a valid acronym: lower case, `_` for anything else, at least four characters."""
    made = re.sub(r"[^a-z0-9_]", "_", ascii_words(text).lower().replace(" ", "_")) or "programme"
    return made.ljust(4, "_")


def slug_for(acronym: str, event_id: int, *titles: str) -> str:
    """pretalx's slug (acronym-id-words of the title), from the first title with Latin words."""
    words = next((w for w in (ascii_words(t).lower() for t in titles) if w), "")
    tail = "-".join(re.findall(r"[a-z0-9]+", words)[:8]) or "event"
    prefix = re.sub(r"[^a-z0-9_]", "_", acronym).ljust(4, "_")
    return f"{prefix}-{event_id}-{tail}"


def ascii_words(text: str) -> str:
    """The Latin letters and digits of `text` (accents dropped), other characters made spaces."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(re.findall(r"[A-Za-z0-9]+", plain))

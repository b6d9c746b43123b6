"""Messages written out for a pygame-gui text box: author, role, local time and the text, which is always
`literal` (what people type is shown as typed, never read as markup)."""

from __future__ import annotations

import datetime as dt

from expo_hall.chat.model import Line
from expo_hall.i18n import tr
from expo_hall.net.outbox import FAILED, PENDING
from expo_hall.text import literal

GREY = "#8c939d"
ROLE = "#4f9be0"
STAND = "#d9a441"
ERROR = "#e06060"
ROLES = {"representative": ROLE, "organizer": ROLE, "stand": STAND}


def local_time(at: dt.datetime, today: dt.date | None = None) -> str:
    """The time in the visitor's time zone; the date too when it is not today."""
    local = at.astimezone()
    today = today or dt.datetime.now().astimezone().date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d.%m %H:%M")


def line_html(line: Line, today: dt.date | None = None) -> str:
    head = f"<b>{literal(line.author)}</b>"
    colour = ROLES.get(line.role)
    if colour is not None:
        head += f" <font color='{colour}'>· {literal(tr(f'chat.role.{line.role}'))}</font>"
    if line.mine:
        head += f" <font color='{GREY}'>({literal(tr('chat.you'))})</font>"
    head += f" <font color='{GREY}'>{literal(local_time(line.at, today))}</font>"
    body = literal(line.text)
    if line.state == PENDING:
        return (f"<font color='{GREY}'>{head}<br>{body}<br><i>{literal(tr('chat.sending'))}</i></font>")
    if line.state == FAILED:
        reason = literal(tr("chat.not_sent", reason=line.error or ""))
        return f"<font color='{GREY}'>{head}<br>{body}</font><br><font color='{ERROR}'><i>{reason}</i></font>"
    return f"{head}<br>{body}"


def room_html(lines: list[Line], *, header: str = "", empty: str = "") -> str:
    """The whole room, oldest first, with a note above it (older messages to load) or instead (none yet)."""
    today = dt.datetime.now().astimezone().date()
    parts = [f"<i><font color='{GREY}'>{literal(header)}</font></i>"] if header else []
    parts += [line_html(line, today) for line in lines]
    if not lines and empty:
        parts.append(f"<i><font color='{GREY}'>{literal(empty)}</font></i>")
    return "<br><br>".join(parts)

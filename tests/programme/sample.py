"""A small business programme for tests, on the server fixture's fair day (1 October 2020, Moscow time): two
rooms (halls hall-1 and hall-2), two clusters, four events, written as pretalx exports them plus programme.toml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.programme.pretalx import MSK, Talk, pretalx_xml

DAY = dt.date(2020, 10, 1)
EARLY = "0b6c3a1e-5d2f-4c1a-9f00-000000000001"  # Зал 1, 08:00-09:00
OPENING = "0b6c3a1e-5d2f-4c1a-9f00-000000000002"  # Зал 1, 10:00-11:00
TEACHER = "0b6c3a1e-5d2f-4c1a-9f00-000000000003"  # Зал 1, 11:00-12:00
CAMPUS = "0b6c3a1e-5d2f-4c1a-9f00-000000000004"  # Зал 2, 10:30-11:30: overlaps the two above
ROOMS = {"Зал 1": "7d9e1f00-1111-4a2b-8c3d-000000000001", "Зал 2": "7d9e1f00-1111-4a2b-8c3d-000000000002"}


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), MSK)


TALKS = [
    Talk(EARLY, 101, "Зал 1", "Утренний эфир", at(8), 60, "Цифровая школа", ["Анна Петрова", "Иван Сидоров"],
         subtitle="Morning broadcast"),
    Talk(OPENING, 102, "Зал 1", "Открытие форума", at(10), 60, "Цифровая школа",
         ["Анна Петрова", "Иван Сидоров", "Мария Ким", "Олег Новиков"], subtitle="Forum opening",
         abstract="Как школы перешли в онлайн.", links=[("https://slides.example/opening.pdf", "Слайды")]),
    Talk(TEACHER, 103, "Зал 1", "Учитель в цифровой среде", at(11), 60, "Цифровая школа",
         ["Мария Ким", "Сергей Лебедев", "Ольга Орлова", "Дина Юсупова"], subtitle="The teacher online"),
    Talk(CAMPUS, 104, "Зал 2", "Университет без кампуса", at(10, 30), 60, "Высшее образование",
         ["Павел Громов", "Елена Зайцева", "Артём Белов"], subtitle="A university without a campus"),
]

PROGRAMME_TOML = f'''\
[rooms."Зал 1"]
hall = "hall-1"
stream = "https://stream.example/hall-1/index.m3u8"
recordings = "https://media.example/recordings/{{guid}}.mp4"

[rooms."Зал 2"]
hall = "hall-2"
stream = "https://stream.example/hall-2/index.m3u8"

[clusters.digital-school]
title = "Цифровая школа"
title_en = "Digital school"

[clusters.higher]
title = "Высшее образование"
title_en = "Higher education"

[events."{OPENING}"]
moderator = "Анна Петрова"

[events."{TEACHER}"]
moderator = "Мария Ким"
'''


def write_programme(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "schedule.xml").write_text(pretalx_xml(TALKS, rooms=ROOMS), encoding="utf-8")
    (folder / "programme.toml").write_text(PROGRAMME_TOML, encoding="utf-8")
    return folder

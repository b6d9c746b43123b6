"""Generate the demo content of the virtual MMSO-2020 education fair.

Run with ``python tools/make_demo_expo.py`` from anywhere; paths are relative
to the repository root.  The script is deterministic (fixed random seed) and
completely rewrites two folders:

``maps/``
    One Tiled map per floor, laid out by ``expo-hall layout`` from the registration
    list ``tools/demo/exhibitors.csv`` (one floor per category: its ``floor`` column),
    with a decoration tile layer ``floor`` (carpeted alleys, potted plants) over the
    tileset ``maps/tiles/hall.png`` and an express lift on each floor; and the business
    programme's forum floor ``forum.tmx`` above them (``expo_hall/forum/floor.py``: a stage
    hall per hall of ``programme/programme.toml``, drawn with the same tileset's screen,
    stage and seat tiles).

``assets/stands/<exhibitor_id>/``
    One stand package per exhibitor of the list: ``stand.toml`` (texts in Russian and
    English, contacts, materials, webinars), a generated logo (PNG; a few
    JPEG, one of them CMYK, and WebP), a one-page PDF brochure under
    ``materials/`` (sometimes a second PDF or a link) and, on a few stands, a
    short H.264/AAC ``video.mp4`` with a melody.  The list's ``city``, ``about`` and
    ``about_en`` columns feed them; the tables below add the rest.

At the end it checks what it wrote: ``expo-hall check`` must find nothing, and the
packages must hold what the demo promises; any broken rule raises ``SystemExit``.
"""

import colorsys
import csv
import importlib.util
import json
import math
import os
import random
import re
import shutil
import sys
import time
import tomllib
from array import array
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFont

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's expo_hall

from expo_hall.checks import check_expo  # noqa: E402
from expo_hall.content import images  # noqa: E402
from expo_hall.content.confine import PathRefused, confined_file  # noqa: E402
from expo_hall.floors.generate import (  # noqa: E402
    ALLEY,
    MARGIN,
    STAIRS_INSET,
    UP,
    FloorLayout,
    layout_floors,
    write_expo,
)
from expo_hall.floors.geometry import point_in_polygon  # noqa: E402
from expo_hall.floors.registrations import read_registrations  # noqa: E402
from expo_hall.floors.tiles import load_tile_layers  # noqa: E402
from expo_hall.floors.tmx_writer import FloorSketch, Tileset  # noqa: E402
from expo_hall.forum import floor as forum_floor  # noqa: E402
from expo_hall.programme.load import load_programme  # noqa: E402
from expo_hall.stands.validate import DEMO_FAIR  # noqa: E402

SEED = 2020
ROOT = Path(__file__).resolve().parent.parent
MAPS_DIR = ROOT / "maps"
PROGRAMME_DIR = ROOT / "programme"
STANDS_DIR = ROOT / "assets" / "stands"
EXHIBITORS_CSV = ROOT / "tools" / "demo" / "exhibitors.csv"
TILESET_REL = "tiles/hall.png"

FONT_DIR = Path(str(importlib.util.find_spec("pygame_gui").origin)).parent / "data"
FONT_BOLD = FONT_DIR / "NotoSans-Bold.ttf"
FONT_REGULAR = FONT_DIR / "NotoSans-Regular.ttf"

TILE = 32
PLANTS = 8  # potted plants per floor, on tiles no stand or alley covers

MSK = timezone(timedelta(hours=3))
FAIR_FIRST_DAY = DEMO_FAIR.first  # the fair's days are the content checks' default (expo-hall preview --fair)
FAIR_DAYS = (DEMO_FAIR.last - DEMO_FAIR.first).days + 1  # 26 April .. 8 May 2020
MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня")

MAX_TOTAL_BYTES = 6 * 1024 * 1024
MAX_VIDEO_BYTES = 350 * 1024
MAX_PDF_BYTES = 20 * 1024
VIDEO_W, VIDEO_H, VIDEO_FPS = 480, 270, 25
AUDIO_RATE = 44100
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Tileset: gid = index + 1.
GID_FLOOR, GID_ALLEY, GID_BOULEVARD, GID_PLANT, GID_WALL = 1, 2, 3, 4, 5
GID_STAGE, GID_SCREEN, GID_SCREEN_END, GID_SEATS = 6, 7, 8, 9  # the forum floor's halls
TILE_COUNT = 9
HALL_TILESET = Tileset(TILESET_REL, TILE_COUNT, TILE_COUNT, name="hall")
FORUM_TILES = forum_floor.StageTiles(HALL_TILESET, floor=GID_FLOOR, wall=GID_WALL, boulevard=GID_BOULEVARD,
                                     aisle=GID_ALLEY, stage=GID_STAGE, screen=GID_SCREEN,
                                     screen_end=GID_SCREEN_END, seats=GID_SEATS)


# --------------------------------------------------------------------------
# Content data
# --------------------------------------------------------------------------


CITIES: dict[str, tuple[str, str]] = {
    "msk": ("Москва", "495"),
    "spb": ("Санкт-Петербург", "812"),
    "kzn": ("Казань", "843"),
    "nsk": ("Новосибирск", "383"),
    "ekb": ("Екатеринбург", "343"),
    "nn": ("Нижний Новгород", "831"),
    "tmn": ("Тюмень", "3452"),
    "krd": ("Краснодар", "861"),
    "smr": ("Самара", "846"),
    "tomsk": ("Томск", "3822"),
    "perm": ("Пермь", "342"),
    "yar": ("Ярославль", "4852"),
    "kgd": ("Калининград", "4012"),
    "vlad": ("Владивосток", "423"),
    "ufa": ("Уфа", "347"),
    "irk": ("Иркутск", "3952"),
    "sochi": ("Сочи", "862"),
    "yak": ("Якутск", "4112"),
    "arh": ("Архангельск", "8182"),
    "chel": ("Челябинск", "351"),
    "omsk": ("Омск", "3812"),
    "tula": ("Тула", "4872"),
    "kaluga": ("Калуга", "4842"),
    "vrn": ("Воронеж", "473"),
    "rnd": ("Ростов-на-Дону", "863"),
    "mrm": ("Мурманск", "8152"),
    "tver": ("Тверь", "4822"),
    "mgd": ("Магадан", "4132"),
    "uly": ("Ульяновск", "8422"),
    "krsk": ("Красноярск", "391"),
}

STREETS = (
    "ул. Ленина",
    "ул. Мира",
    "пр. Победы",
    "ул. Гагарина",
    "ул. Советская",
    "ул. Пушкина",
    "Университетская ул.",
    "Садовая ул.",
    "Школьная ул.",
    "Набережная ул.",
    "ул. Гоголя",
    "ул. Чехова",
    "Октябрьский пр.",
    "ул. Кирова",
    "ул. Циолковского",
    "Молодёжная ул.",
)

# Follow-up sentences for descriptions, one pool per floor: (ru, en).
DESCRIPTION_EXTRAS: dict[str, tuple[tuple[str, str], ...]] = {
    "preschool": (
        ("Мы тесно работаем с родителями и педагогами и открыты к совместным проектам.",
         "We work closely with parents and educators and are open to joint projects."),
        ("Все программы и продукты соответствуют ФГОС дошкольного образования.",
         "All our programmes and products comply with the federal preschool education standard."),
        ("Во время ММСО-2020 проводим открытые онлайн-встречи для родителей и воспитателей.",
         "During MMSO-2020 we hold open online meetings for parents and kindergarten teachers."),
        ("За плечами команды более десяти лет работы с детьми дошкольного возраста.",
         "Our team has more than ten years of experience with preschool children."),
        ("На стенде можно скачать презентацию и задать вопросы специалистам в чате.",
         "At the stand you can download our presentation and ask our specialists in the chat."),
    ),
    "school": (
        ("С нами работают более трёхсот школ из сорока регионов России.",
         "More than three hundred schools from forty Russian regions work with us."),
        ("Наши решения прошли апробацию в пилотных школах и учитывают требования обновлённых ФГОС.",
         "Our solutions were piloted in schools and meet the updated federal standards."),
        ("На ММСО-2020 покажем, как организовать учебный процесс в условиях дистанционного обучения.",
         "At MMSO-2020 we will show how to run lessons under distance learning."),
        ("Учителя и директора могут получить бесплатную консультацию прямо на стенде.",
         "Teachers and principals can get a free consultation right at the stand."),
        ("Мы уверены, что хорошая школа начинается с уважения к ученику и учителю.",
         "We believe a good school starts with respect for both students and teachers."),
    ),
    "higher": (
        ("Приёмная комиссия работает онлайн и отвечает на вопросы абитуриентов и родителей.",
         "The admissions office works online and answers questions from applicants and parents."),
        ("Студенты проходят практику у партнёров с первого курса, а выпускники работают в ведущих компаниях отрасли.",
         "Students do internships with partners from the first year, and graduates work at leading companies."),
        ("Для иностранных студентов есть подготовительное отделение и общежитие.",
         "International students can take a foundation course and live in the dormitory."),
        ("На ММСО-2020 проводим дни открытых дверей в формате вебинаров.",
         "At MMSO-2020 we hold open days as webinars."),
        ("Есть бюджетные места, целевое обучение и гибкая система скидок.",
         "We offer state-funded places, employer-sponsored study and flexible discounts."),
    ),
    "edtech": (
        ("Продукт входит в реестр российского программного обеспечения и работает в облаке без установки.",
         "The product is listed in the Russian software register and runs in the cloud with no installation."),
        ("Школы, подключившиеся во время ММСО-2020, получают три месяца бесплатного доступа.",
         "Schools that join during MMSO-2020 get three months of free access."),
        ("Сервисом уже пользуются более 200 тысяч учеников и учителей.",
         "More than 200,000 students and teachers already use the service."),
        ("Данные хранятся на серверах в России в соответствии с 152-ФЗ.",
         "Data is stored on servers in Russia in line with the personal data law (152-FZ)."),
        ("Команда проводит демо-показы и помогает с внедрением и обучением педагогов.",
         "The team runs demos and helps with rollout and teacher training."),
    ),
    "additional": (
        ("Занятия проходят очно и онлайн в группах до десяти человек.",
         "Classes run in person and online, in groups of up to ten."),
        ("Первое занятие бесплатно — запишитесь через чат стенда.",
         "The first lesson is free — sign up via the stand chat."),
        ("Наши ученики — победители региональных и всероссийских конкурсов.",
         "Our students have won regional and national competitions."),
        ("Программы можно оплатить сертификатом персонифицированного финансирования дополнительного образования.",
         "Programmes can be paid for with a state voucher for supplementary education."),
        ("Преподаватели — практикующие специалисты с педагогическим образованием.",
         "Our teachers are practising professionals with teaching qualifications."),
    ),
    "regional": (
        ("На стенде собраны лучшие практики школ и колледжей региона.",
         "The stand showcases best practices of the region's schools and colleges."),
        ("Приглашаем к сотрудничеству вузы, EdTech-компании и коллег из других регионов.",
         "We invite universities, EdTech companies and colleagues from other regions to work with us."),
        ("Работа ведётся в рамках национального проекта «Образование».",
         "The work is part of the national project “Education”."),
        ("Материалы стенда будут полезны руководителям муниципальных органов управления образованием.",
         "The stand materials will be useful to heads of municipal education authorities."),
        ("Во время ММСО-2020 региональная команда проводит ежедневные онлайн-консультации.",
         "During MMSO-2020 the regional team holds daily online consultations."),
    ),
}

WEBINAR_TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "preschool": (
        ("Адаптация ребёнка к детскому саду: советы психолога", "Settling into kindergarten: a psychologist's advice"),
        ("Развивающая предметно-пространственная среда группы", "Designing a stimulating learning space for a group"),
        ("Готовность к школе: что важно в шесть лет", "School readiness: what matters at six"),
        ("Игры для развития речи дома", "Games for speech development at home"),
        ("Раннее обучение английскому: мифы и факты", "Early English learning: myths and facts"),
        ("Безопасность игровой площадки: нормы и практика", "Playground safety: rules and practice"),
        ("Как выбрать детский сад: чек-лист для родителей", "Choosing a kindergarten: a checklist for parents"),
        ("Детский сад на карантине: занятия онлайн", "Kindergarten under quarantine: activities online"),
    ),
    "school": (
        ("Дистанционное обучение: как удержать внимание класса", "Distance learning: keeping the class engaged"),
        ("Обновлённые ФГОС: что меняется для школ", "Updated federal standards: what changes for schools"),
        ("Подготовка к ЕГЭ-2020 по новому графику", "Preparing for the 2020 state exam on the new timetable"),
        ("Проектное обучение в основной школе", "Project-based learning in middle school"),
        ("Школьная библиотека как центр притяжения", "The school library as a community hub"),
        ("Инклюзия в обычном классе: опыт учителей", "Inclusion in a mainstream classroom: teachers' experience"),
        ("Безопасная школьная среда", "A safe school environment"),
        ("Функциональная грамотность: задания и оценивание", "Functional literacy: tasks and assessment"),
    ),
    "higher": (
        ("День открытых дверей онлайн", "Online open day"),
        ("Приёмная кампания 2020: сроки и правила", "Admissions 2020: deadlines and rules"),
        ("Как выбрать направление подготовки", "How to choose a degree programme"),
        ("Магистратура: программы и стипендии", "Master's programmes and scholarships"),
        ("Студенческая жизнь: общежитие, спорт, наука", "Student life: dormitories, sport and research"),
        ("Карьера выпускника: встреча с работодателями", "Graduate careers: meet the employers"),
        ("Подготовительный факультет для иностранных студентов", "Foundation programme for international students"),
        ("Онлайн-обучение в вузе: опыт весеннего семестра", "Online teaching at university: the spring term"),
    ),
    "edtech": (
        ("Демонстрация платформы: первые шаги", "Platform demo: getting started"),
        ("Цифровая образовательная среда школы за 30 дней", "A school's digital learning environment in 30 days"),
        ("Аналитика успеваемости: от данных к решениям", "Learning analytics: from data to decisions"),
        ("Искусственный интеллект в обучении: где он уже работает", "AI in education: where it already works"),
        ("Кибербезопасность в школе", "Cybersecurity at school"),
        ("Как EdTech-стартапу пройти пилот в школе", "How an EdTech startup can run a school pilot"),
        ("Геймификация уроков: инструменты и кейсы", "Gamifying lessons: tools and cases"),
        ("Онлайн-экзамены без списывания", "Online exams without cheating"),
    ),
    "additional": (
        ("Открытый урок для детей и родителей", "Open lesson for children and parents"),
        ("Как помочь ребёнку найти увлечение", "Helping your child find a hobby"),
        ("Кружки онлайн: что работает, а что нет", "Clubs online: what works and what doesn't"),
        ("Сертификат дополнительного образования: как использовать", "Using the supplementary education voucher"),
        ("Новая профессия после 35: истории слушателей", "A new profession after 35: learners' stories"),
        ("Летние смены 2020: планы и безопасность", "Summer programmes 2020: plans and safety"),
        ("Мастер-класс от наших преподавателей", "Master class by our teachers"),
        ("Подготовка к конкурсам и фестивалям", "Preparing for competitions and festivals"),
    ),
    "regional": (
        ("Региональная модель цифровой школы", "A regional model of the digital school"),
        ("Дистанционное обучение весной 2020: опыт региона", "Distance learning in spring 2020: regional experience"),
        ("Национальный проект «Образование» в регионе", "The national project “Education” in the region"),
        ("Сельская школа: новые возможности", "Rural schools: new opportunities"),
        ("Система поддержки молодых педагогов", "Supporting early-career teachers"),
        ("Профориентация школьников: региональные практики", "Career guidance for students: regional practices"),
        ("Оценка качества образования в муниципалитетах", "Assessing education quality in municipalities"),
        ("Работа с одарёнными детьми: сетевой подход", "Working with gifted children: a network approach"),
    ),
}

BROCHURE_TITLES: dict[str, tuple[tuple[str, str], ...]] = {
    "preschool": (("Буклет для родителей", "Brochure for parents"), ("Каталог 2020", "Catalogue 2020")),
    "school": (
        ("Презентация для посетителей ММСО-2020", "MMSO-2020 visitor presentation"),
        ("Информация для родителей и учеников", "Information for parents and students"),
    ),
    "higher": (
        ("Буклет для абитуриентов 2020", "Applicant brochure 2020"),
        ("Программы обучения", "Degree programmes"),
    ),
    "edtech": (
        ("Презентация продукта", "Product presentation"),
        ("Коммерческое предложение для школ", "Offer for schools"),
    ),
    "additional": (
        ("Программы и расписание занятий", "Programmes and class schedule"),
        ("Буклет для родителей", "Brochure for parents"),
    ),
    "regional": (
        ("Доклад о развитии образования в регионе", "Regional education development report"),
        ("Презентация региона", "Regional presentation"),
    ),
}

LINK_MATERIALS: tuple[tuple[str, str, str], ...] = (
    ("Подробнее на нашем сайте", "More on our website", "mmco-2020"),
    ("Видеоэкскурсия", "Video tour", "tour"),
    ("Онлайн-каталог", "Online catalogue", "catalog"),
)

AWAY_MESSAGES: tuple[str, ...] = (
    "Здравствуйте! Сейчас на стенде никого нет. Оставьте вопрос и контакт — мы ответим в течение рабочего дня.",
    "Спасибо, что заглянули! Представители стенда на связи с 10:00 до 18:00 по московскому времени.",
    "Мы сейчас проводим вебинар. Напишите нам на почту из раздела «Контакты» — обязательно ответим.",
    "Добрый день! Консультанты временно не в сети. Пока можно скачать наши материалы на стенде.",
    "Отвечаем на все сообщения по очереди. Спасибо за терпение!",
)

# Special cases the client must cope with.
LOCAL_VIDEOS: dict[str, float] = {  # exhibitor -> seconds
    "montessori-dom": 6.0,
    "shkola-rosta": 7.0,
    "ural-tech-uni": 6.4,
    "kodovichok": 8.0,
    "neurotutor": 7.6,
    "kamerton": 7.2,
    "baikal-eco": 6.8,
}
EXTERNAL_VIDEO = ("edstart", "https://video.mmco-expo.ru/stands/edstart/promo.mp4")
LOGO_FORMATS: dict[str, str] = {  # default: PNG
    "ural-tech-uni": "jpeg",
    "3d-masterskaya": "jpeg",
    "baikal-eco": "jpeg",
    "uchebny-vek": "cmyk",
    "vr-klass": "webp",
    "tatarstan-schools": "webp-lossless",
}
INITIALS_OVERRIDE = {
    "detsad-211": "211",
    "3d-masterskaya": "3D",
    "edstart": "ES",
    "svgpu": "СВГПУ",
    "svmi": "СВМИ",
    "vshce": "ВШЦЭ",
    "zsau": "ЗСАУ",
    "yuipu": "ЮИПУ",
    "aigd": "АИГД",
    "svamt": "САМТ",
    "ege-bez-paniki": "ЕГЭ",
    "elzhurnal": "ЭЖ",
    "vr-klass": "VR",
    "touchlab": "ТЛ",
    "obranalitika": "ОА",
    "ergoklass": "ЭК",
}
SKIP_WORDS = {"ООО", "АНО", "ДПО", "ОО", "ГБОУ", "ГБДОУ", "АО", "и", "в", "на", "по", "для", "с"}

# --------------------------------------------------------------------------
# Model
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    """A category of the list: its floor's id and title (the packages' category)."""

    floor_id: str
    title: str
    title_en: str


@dataclass(frozen=True)
class Entry:
    """One line of the registration list, with the columns only the demo's packages read."""

    ex_id: str
    name: str
    name_en: str
    about: str
    about_en: str
    city: str
    category: Category


@dataclass(frozen=True)
class Webinar:
    title: str
    title_en: str
    starts: datetime
    minutes: int
    url: str


@dataclass(frozen=True)
class Material:
    title: str
    title_en: str
    file: str = ""
    url: str = ""


@dataclass
class Exhibitor:
    ex_id: str
    index: int
    floor: Category
    name: str
    name_en: str
    description: str
    description_en: str
    city: str
    email: str
    phone: str
    website: str
    address: str
    messengers: dict[str, str]
    webinars: list[Webinar]
    materials: list[Material]
    logo: str
    video: str = ""
    away_message: str = ""
    stand: str = ""  # stand number, known once the floors are laid out



# --------------------------------------------------------------------------
# Floors: the registration list through `expo-hall layout`, then decoration
# --------------------------------------------------------------------------


def read_entries() -> list[Entry]:
    with EXHIBITORS_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    categories: dict[str, Category] = {}
    out = []
    for row in rows:
        cat = categories.setdefault(row["floor"], Category(row["floor"], row["category"], row["category_en"]))
        out.append(Entry(row["id"], row["name"], row["name_en"], row["about"], row["about_en"], row["city"], cat))
    return out


def lay_out() -> list[FloorLayout]:
    registrations, faults = read_registrations(EXHIBITORS_CSV)
    if faults:
        raise SystemExit("\n".join(str(p) for p in faults))
    floors = layout_floors(registrations)
    for order, floor in enumerate(floors, start=1):
        add_lift(floor.sketch, floors, order)
        if floor.sketch.floor_id == WALKWAY_FLOOR:
            floor.sketch.polygon_alley(WALKWAY, name="Наклонный проход")
        decorate_floor(floor.sketch, random.Random(SEED * 100 + order))
    add_forum_stairs(floors[-1].sketch)
    return floors


# A slanted walkway on the preschool floor, through the corner the layout leaves free (the lower block's southern
# row ends at x 544): from the southern alley up to the eastern one, its upper edge along the stands above it.
WALKWAY_FLOOR = "preschool"
WALKWAY = ((704, 640), (800, 640), (944, 578), (944, 537))


def add_lift(sketch: FloorSketch, floors: list[FloorLayout], order: int) -> None:
    """An express lift in the middle of the southern alley: from the first floor to the last, from the others
    to the first (landing at its spawn); the stairs between neighbours are the layout's."""
    target = floors[-1] if order == 1 else floors[0]
    sketch.point("Лифт", sketch.width_tiles * TILE / 2, (sketch.height_tiles - MARGIN - ALLEY / 2) * TILE,
                 to_floor=target.sketch.floor_id)


def add_forum_stairs(sketch: FloorSketch) -> None:
    """The top floor's stairs up to the business programme's forum floor, where the layout would put stairs to a
    next floor (the forum's stairs down land on them)."""
    sketch.point(UP, sketch.width_tiles * TILE - (MARGIN + STAIRS_INSET) * TILE, (MARGIN + ALLEY / 2) * TILE,
                 to_floor=forum_floor.FLOOR_ID, to_point=forum_floor.STAIRS_DOWN)


def decorate_floor(sketch: FloorSketch, rng: random.Random) -> None:
    """The tile layer `floor`: walls around the hall, the spawn's alley as a boulevard, the other alleys carpeted,
    plants here and there."""
    def in_rect(cx: float, cy: float, r: tuple[float, float, float, float]) -> bool:
        return r[0] <= cx <= r[0] + r[2] and r[1] <= cy <= r[1] + r[3]

    boulevard = sketch.alleys[0]
    stands = [rect for _, _, rect in sketch.stands]
    rows, free = [], []
    for ty in range(sketch.height_tiles):
        row = []
        for tx in range(sketch.width_tiles):
            cx, cy = (tx + 0.5) * TILE, (ty + 0.5) * TILE
            if not (MARGIN <= tx < sketch.width_tiles - MARGIN and MARGIN <= ty < sketch.height_tiles - MARGIN):
                row.append(GID_WALL)
            elif in_rect(cx, cy, boulevard):
                row.append(GID_BOULEVARD)
            elif any(in_rect(cx, cy, a) for a in sketch.alleys) or \
                    any(point_in_polygon(cx, cy, poly) for poly in sketch.alley_polygons):
                row.append(GID_ALLEY)
            else:
                row.append(GID_FLOOR)
                corners = [(tx * TILE + dx, ty * TILE + dy) for dx in (1, TILE - 1) for dy in (1, TILE - 1)]
                if not any(in_rect(cx, cy, s) for s in stands) and not any(  # no plant on a slanted walkway's edge
                        point_in_polygon(x, y, poly) for x, y in corners for poly in sketch.alley_polygons):
                    free.append((tx, ty))
        rows.append(row)
    rng.shuffle(free)
    for tx, ty in free[:PLANTS]:
        rows[ty][tx] = GID_PLANT
    sketch.tiles(HALL_TILESET, "floor", rows)


# --------------------------------------------------------------------------
# Tileset
# --------------------------------------------------------------------------


def speckle(draw: ImageDraw.ImageDraw, x0: int, base: tuple[int, int, int], rng: random.Random, spread: int) -> None:
    for _ in range(70):
        d = rng.randint(-spread, spread)
        colour = tuple(max(0, min(255, c + d)) for c in base)
        draw.point((x0 + rng.randrange(TILE), rng.randrange(TILE)), fill=colour)


def draw_floor_tile(draw: ImageDraw.ImageDraw, x0: int, rng: random.Random) -> None:
    base = (236, 232, 225)
    draw.rectangle((x0, 0, x0 + TILE - 1, TILE - 1), fill=base)
    speckle(draw, x0, base, rng, 4)
    draw.line((x0, TILE - 1, x0 + TILE - 1, TILE - 1), fill=(222, 217, 208))
    draw.line((x0 + TILE - 1, 0, x0 + TILE - 1, TILE - 1), fill=(222, 217, 208))


def draw_carpet_tile(draw: ImageDraw.ImageDraw, x0: int, base: tuple[int, int, int], rng: random.Random) -> None:
    draw.rectangle((x0, 0, x0 + TILE - 1, TILE - 1), fill=base)
    speckle(draw, x0, base, rng, 6)


def draw_plant_tile(draw: ImageDraw.ImageDraw, x0: int, rng: random.Random) -> None:
    draw_floor_tile(draw, x0, rng)
    draw.polygon([(x0 + 10, 20), (x0 + 22, 20), (x0 + 20, 30), (x0 + 12, 30)], fill=(150, 96, 60))
    for cx, cy, r in ((16, 11, 7), (10, 14, 5), (22, 14, 5), (16, 5, 4)):
        draw.ellipse((x0 + cx - r, cy - r, x0 + cx + r, cy + r), fill=(76, 140, 74))
    draw.ellipse((x0 + 13, 8, x0 + 18, 13), fill=(112, 176, 96))


def draw_wall_tile(draw: ImageDraw.ImageDraw, x0: int) -> None:
    draw.rectangle((x0, 0, x0 + TILE - 1, TILE - 1), fill=(84, 92, 108))
    draw.line((x0, 0, x0 + TILE - 1, 0), fill=(98, 107, 124))


STAGE_BOARDS = (168, 118, 78)
SCREEN_FRAME, SCREEN_GLASS = (44, 48, 60), ((58, 92, 150), (96, 150, 214))  # the glass: top to bottom
SEAT, SEAT_BACK, SEAT_FLOOR = (168, 52, 66), (118, 34, 48), (206, 198, 192)
SCREEN_TOP, SCREEN_BOTTOM = 3, 21  # the screen's rows in its tile (above: the wall; below: the stage)


def draw_stage_tile(draw: ImageDraw.ImageDraw, x0: int, rng: random.Random) -> None:
    """Boards running across the stage."""
    draw.rectangle((x0, 0, x0 + TILE - 1, TILE - 1), fill=STAGE_BOARDS)
    speckle(draw, x0, STAGE_BOARDS, rng, 8)
    for y in (7, 15, 23, 31):
        draw.line((x0, y, x0 + TILE - 1, y), fill=(140, 96, 62))


def draw_screen_tile(draw: ImageDraw.ImageDraw, x0: int, rng: random.Random, end: bool = False) -> None:
    """The stage below, the screen above it against the wall (the tile's top); `end`: the screen's left end."""
    draw_stage_tile(draw, x0, rng)
    draw.rectangle((x0, 0, x0 + TILE - 1, SCREEN_TOP - 1), fill=(84, 92, 108))  # the wall
    left = x0 + (6 if end else 0)
    draw.rectangle((left, SCREEN_TOP, x0 + TILE - 1, SCREEN_BOTTOM), fill=SCREEN_FRAME)
    (r0, g0, b0), (r1, g1, b1) = SCREEN_GLASS
    top, bottom = SCREEN_TOP + 2, SCREEN_BOTTOM - 2
    for y in range(top, bottom + 1):
        t = (y - top) / (bottom - top)
        draw.line((left + (2 if end else 0), y, x0 + TILE - 1, y),
                  fill=(round(r0 + (r1 - r0) * t), round(g0 + (g1 - g0) * t), round(b0 + (b1 - b0) * t)))


def draw_seats_tile(draw: ImageDraw.ImageDraw, x0: int) -> None:
    """Two seats facing the tile's top (where the stage is): cushion, armrests, the back behind."""
    draw.rectangle((x0, 0, x0 + TILE - 1, TILE - 1), fill=SEAT_FLOOR)
    for left in (x0 + 2, x0 + 17):
        draw.rounded_rectangle((left, 6, left + 12, 22), radius=3, fill=SEAT)
        draw.rounded_rectangle((left - 1, 20, left + 13, 27), radius=2, fill=SEAT_BACK)
        draw.line((left + 2, 9, left + 10, 9), fill=(196, 84, 96))


def write_tileset(rng: random.Random) -> Path:
    img = Image.new("RGB", (TILE * TILE_COUNT, TILE))
    draw = ImageDraw.Draw(img)
    draw_floor_tile(draw, (GID_FLOOR - 1) * TILE, rng)
    draw_carpet_tile(draw, (GID_ALLEY - 1) * TILE, (214, 224, 236), rng)
    draw_carpet_tile(draw, (GID_BOULEVARD - 1) * TILE, (198, 212, 232), rng)
    draw_plant_tile(draw, (GID_PLANT - 1) * TILE, rng)
    draw_wall_tile(draw, (GID_WALL - 1) * TILE)
    draw_stage_tile(draw, (GID_STAGE - 1) * TILE, rng)
    draw_screen_tile(draw, (GID_SCREEN - 1) * TILE, rng)
    draw_screen_tile(draw, (GID_SCREEN_END - 1) * TILE, rng, end=True)
    draw_seats_tile(draw, (GID_SEATS - 1) * TILE)
    path = MAPS_DIR / TILESET_REL
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, optimize=True)
    return path


# --------------------------------------------------------------------------
# Exhibitors
# --------------------------------------------------------------------------


def phone_number(code: str, rng: random.Random) -> str:
    digits = "".join(str(rng.randint(0, 9)) for _ in range(10 - len(code)))
    digits = str(rng.randint(2, 9)) + digits[1:]
    if len(digits) == 7:
        return f"+7 ({code}) {digits[:3]}-{digits[3:5]}-{digits[5:]}"
    return f"+7 ({code}) {digits[:2]}-{digits[2:4]}-{digits[4:]}"


def messengers(ex_id: str, rng: random.Random) -> dict[str, str]:
    handle = ex_id.replace("-", "_")
    if handle[0].isdigit():
        handle = "studio_" + handle
    if len(handle) < 6:
        handle += "_edu"
    out = {"telegram": "@" + handle[:32]}
    if rng.random() < 0.4:
        out["whatsapp"] = "+79" + "".join(str(rng.randint(0, 9)) for _ in range(9))
    if rng.random() < 0.5:
        out["vk"] = "https://vk.com/" + handle
    return out


def make_webinars(ex_id: str, floor_id: str, rng: random.Random) -> list[Webinar]:
    count = rng.choice((1, 1, 2, 2, 3))
    titles = rng.sample(WEBINAR_TITLES[floor_id], count)
    days = sorted(rng.sample(range(FAIR_DAYS), count))
    out = []
    for n, ((title, title_en), day) in enumerate(zip(titles, days, strict=True), start=1):
        minutes = rng.choice((30, 45, 60, 60, 90))
        start_min = rng.randrange(10 * 60, 18 * 60 - minutes + 1, 30)
        starts = datetime.combine(FAIR_FIRST_DAY + timedelta(days=day), datetime.min.time(), MSK)
        starts += timedelta(minutes=start_min)
        url = f"https://webinar.mmco-expo.ru/room/{ex_id}-{n}"
        out.append(Webinar(title, title_en, starts, minutes, url))
    return out


def make_materials(floor_id: str, website: str, rng: random.Random) -> list[Material]:
    title, title_en = rng.choice(BROCHURE_TITLES[floor_id])
    out = [Material(title, title_en, file="materials/brochure.pdf")]
    roll = rng.random()
    if roll < 0.3:
        link_title, link_title_en, path = rng.choice(LINK_MATERIALS)
        out.append(Material(link_title, link_title_en, url=f"{website}/{path}"))
    elif roll < 0.5:
        out.append(Material("Расписание вебинаров на ММСО-2020", "MMSO-2020 webinar schedule",
                            file="materials/webinars.pdf"))
    return out


def make_description(about: str, about_en: str, floor_id: str, rng: random.Random) -> tuple[str, str]:
    extras = rng.sample(DESCRIPTION_EXTRAS[floor_id], rng.choice((1, 2, 2)))
    ru = " ".join([about] + [e[0] for e in extras])
    en = " ".join([about_en] + [e[1] for e in extras])
    return ru, en


def logo_file(ex_id: str) -> str:
    kind = LOGO_FORMATS.get(ex_id, "png")
    return {"png": "logo.png", "jpeg": "logo.jpg", "cmyk": "logo.jpg"}.get(kind, "logo.webp")


def make_exhibitor(entry: Entry, index: int, rng: random.Random) -> Exhibitor:
    ex_id, name, name_en, about, about_en, city_key = (entry.ex_id, entry.name, entry.name_en, entry.about,
                                                       entry.about_en, entry.city)
    floor = entry.category
    city, code = CITIES[city_key]
    domain = f"{ex_id}.ru"
    mailbox = {"higher": "priem", "regional": "press"}.get(floor.floor_id, rng.choice(("info", "hello", "info")))
    website = f"https://{domain}"
    description, description_en = make_description(about, about_en, floor.floor_id, rng)
    ex = Exhibitor(
        ex_id=ex_id,
        index=index,
        floor=floor,
        name=name,
        name_en=name_en,
        description=description,
        description_en=description_en,
        city=city,
        email=f"{mailbox}@{domain}",
        phone=phone_number(code, rng),
        website=website,
        address=f"г. {city}, {rng.choice(STREETS)}, д. {rng.randint(1, 120)}",
        messengers=messengers(ex_id, rng),
        webinars=make_webinars(ex_id, floor.floor_id, rng),
        materials=make_materials(floor.floor_id, website, rng),
        logo=logo_file(ex_id),
    )
    if ex_id in LOCAL_VIDEOS:
        ex.video = "video.mp4"
    elif ex_id == EXTERNAL_VIDEO[0]:
        ex.video = EXTERNAL_VIDEO[1]
    if rng.random() < 0.5:
        ex.away_message = rng.choice(AWAY_MESSAGES)
    return ex


def build_exhibitors(rng: random.Random) -> list[Exhibitor]:
    """The list's exhibitors in its order (the main registration, then those who came late), each drawing its
    details from `rng` in turn."""
    return [make_exhibitor(entry, n, rng) for n, entry in enumerate(read_entries())]



# --------------------------------------------------------------------------
# stand.toml
# --------------------------------------------------------------------------


def q(value: str) -> str:
    """A TOML basic string (JSON string escapes are valid TOML escapes)."""
    return json.dumps(value, ensure_ascii=False)


# the business programme's clusters (programme/programme.toml) a floor's stands hold webinars for
FLOOR_CLUSTERS = {"preschool": ("preschool",), "school": ("school",), "higher": ("higher", "vocational"),
                  "additional": ("extracurricular",), "edtech": ("edtech", "digital"), "regional": ("regions",)}


def toml_text(ex: Exhibitor) -> str:
    lines = [
        f"name = {q(ex.name)}",
        f"name_en = {q(ex.name_en)}",
        f"category = {q(ex.floor.title)}",
        f"category_en = {q(ex.floor.title_en)}",
        f"clusters = [{', '.join(q(c) for c in FLOOR_CLUSTERS.get(ex.floor.floor_id, ()))}]",
        f"description = {q(ex.description)}",
        f"description_en = {q(ex.description_en)}",
        f"logo = {q(ex.logo)}",
    ]
    if ex.video:
        lines.append(f"video = {q(ex.video)}")
    if ex.away_message:
        lines.append(f"away_message = {q(ex.away_message)}")
    lines += ["", "[contacts]", f"email = {q(ex.email)}", f"phone = {q(ex.phone)}",
              f"website = {q(ex.website)}", f"address = {q(ex.address)}", "", "[contacts.messengers]"]
    lines += [f"{k} = {q(v)}" for k, v in ex.messengers.items()]
    for m in ex.materials:
        lines += ["", "[[materials]]", f"title = {q(m.title)}", f"title_en = {q(m.title_en)}"]
        lines.append(f"file = {q(m.file)}" if m.file else f"url = {q(m.url)}")
    for w in ex.webinars:
        lines += ["", "[[webinars]]", f"title = {q(w.title)}", f"title_en = {q(w.title_en)}",
                  f"starts = {w.starts.isoformat()}", f"duration_minutes = {w.minutes}", f"url = {q(w.url)}"]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Logos
# --------------------------------------------------------------------------


def printable(text: str) -> str:
    """Drop characters the bundled font cannot draw (emoji, pictographs)."""
    kept = "".join(ch for ch in text if ord(ch) < 0x2190)
    return " ".join(kept.split())


def initials(ex_id: str, name: str) -> str:
    if ex_id in INITIALS_OVERRIDE:
        return INITIALS_OVERRIDE[ex_id]
    text = re.sub(r"<[^>]+>", "", printable(name))
    quoted = re.search(r"«([^»]+)»", text)
    if quoted:
        text = quoted.group(1)
    words = [w for w in re.split(r"[\s\-.]+", text) if w and w not in SKIP_WORDS and w[0].isalnum()]
    return "".join(w[0] for w in words[:3]).upper()


def hsv(h: float, s: float, v: float) -> tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, s, v)
    return int(r * 255), int(g * 255), int(b * 255)


def logo_palette(index: int) -> tuple[float, tuple[int, int, int], tuple[int, int, int]]:
    hue = (index * 0.618034) % 1.0
    main = hsv(hue, 0.6 + 0.25 * ((index * 7) % 5) / 4, 0.52 + 0.2 * ((index * 3) % 4) / 3)
    accent = hsv(hue + 0.45 + 0.1 * (index % 3), 0.55, 0.97)
    return hue, main, accent


def shape_mask(kind: int, size: int) -> Image.Image:
    mask = Image.new("L", (size, size), 0)
    d = ImageDraw.Draw(mask)
    c, r, m = size / 2, size / 2 - 24, 24
    if kind == 0:
        d.ellipse((m, m, size - m, size - m), fill=255)
    elif kind == 1:
        d.rounded_rectangle((m + 8, m + 8, size - m - 8, size - m - 8), radius=96, fill=255)
    elif kind == 2:
        d.regular_polygon((c, c, r), 6, rotation=30, fill=255)
    elif kind == 3:
        d.regular_polygon((c, c, r), 8, rotation=22.5, fill=255)
    elif kind == 4:
        d.polygon([(m + 20, m + 10), (size - m - 20, m + 10), (size - m - 20, size * 0.55),
                   (c, size - m), (m + 20, size * 0.55)], fill=255)
    else:
        d.rounded_rectangle((m, m + 70, size - m, size - m - 70), radius=60, fill=255)
        d.ellipse((c - 150, m, c + 150, size - m), fill=255)
    return mask


def decorate(d: ImageDraw.ImageDraw, kind: int, size: int, accent: tuple[int, int, int]) -> None:
    if kind == 0:
        d.rectangle((0, size * 0.72, size, size * 0.8), fill=accent)
    elif kind == 1:
        d.ellipse((size * 0.58, size * 0.58, size * 1.3, size * 1.3), fill=accent)
    elif kind == 2:
        for k in range(4):
            off = k * 46
            d.line((off - 60, size, off + size * 0.4, 0), fill=accent, width=14)
    elif kind == 3:
        pts = [(x, size * 0.8 + 22 * math.sin(x / 40)) for x in range(0, size + 8, 8)]
        d.line(pts, fill=accent, width=26)
    elif kind == 4:
        d.ellipse((size * 0.7, size * 0.1, size * 0.9, size * 0.3), fill=accent)
    else:
        d.arc((40, 40, size - 40, size - 40), start=200, end=340, fill=accent, width=24)


def fit_font(text: str, max_w: float, max_size: int) -> ImageFont.FreeTypeFont:
    size = max_size
    while size > 24:
        font = ImageFont.truetype(str(FONT_BOLD), size)
        left, top, right, bottom = font.getbbox(text)
        if right - left <= max_w and bottom - top <= max_w * 0.7:
            return font
        size -= 8
    return ImageFont.truetype(str(FONT_BOLD), size)


def draw_logo(ex: Exhibitor) -> Image.Image:
    size = 512
    _, main, accent = logo_palette(ex.index)
    shape = ex.index % 6
    fill = Image.new("RGB", (size, size), main)
    decorate(ImageDraw.Draw(fill), (ex.index // 6 + ex.index) % 6, size, accent)
    logo = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    logo.paste(fill, mask=shape_mask(shape, size))
    text = initials(ex.ex_id, ex.name)
    font = fit_font(text, 300, {1: 280, 2: 220}.get(len(text), 170))
    shadow = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    ImageDraw.Draw(shadow).text((size / 2 + 5, size / 2 + 7), text, font=font, fill=(0, 0, 0, 80), anchor="mm")
    logo = Image.alpha_composite(logo, Image.composite(shadow, Image.new("RGBA", shadow.size), logo.getchannel("A")))
    ImageDraw.Draw(logo).text((size / 2, size / 2), text, font=font, fill=(255, 255, 255, 255), anchor="mm")
    return logo.resize((256, 256), Image.Resampling.LANCZOS)


def save_logo(ex: Exhibitor, logo: Image.Image, folder: Path) -> None:
    kind = LOGO_FORMATS.get(ex.ex_id, "png")
    path = folder / ex.logo
    if kind == "png":
        logo.quantize(colors=32, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)
        return
    if kind.startswith("webp"):
        if kind == "webp-lossless":
            logo.save(path, "WEBP", lossless=True, quality=100, method=6)
        else:
            logo.save(path, "WEBP", quality=80, method=6)
        return
    flat = Image.new("RGB", logo.size, (255, 255, 255))
    flat.paste(logo, mask=logo)
    if kind == "cmyk":
        flat.convert("CMYK").save(path, "JPEG", quality=82, optimize=True)
    else:
        flat.save(path, "JPEG", quality=82, optimize=True)


# --------------------------------------------------------------------------
# PDF materials
# --------------------------------------------------------------------------

PDF_DPI = 96
PDF_W, PDF_H = 559, 794  # A5 at 96 dpi
PDF_DATE = time.strptime("2020-04-20 09:00:00", "%Y-%m-%d %H:%M:%S")


def font(bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_BOLD if bold else FONT_REGULAR), size)


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if fnt.getlength(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def human_date(dt: datetime) -> str:
    return f"{dt.day} {MONTHS_GEN[dt.month - 1]}, {dt:%H:%M}"


class Page:
    """A 1-bit A5 page with a text cursor."""

    def __init__(self) -> None:
        self.img = Image.new("1", (PDF_W, PDF_H), 1)
        self.draw = ImageDraw.Draw(self.img)
        self.y = 0.0
        self.margin = 40

    def header(self, kicker: str, title: str) -> None:
        big = font(True, 21)
        lines = wrap(printable(title), big, PDF_W - 2 * self.margin)[:5]
        height = 70 + 28 * len(lines)
        self.draw.rectangle((0, 0, PDF_W, height), fill=0)
        self.draw.text((self.margin, 22), kicker, font=font(True, 12), fill=1)
        for i, line in enumerate(lines):
            self.draw.text((self.margin, 48 + 28 * i), line, font=big, fill=1)
        self.y = height + 24

    def heading(self, text: str) -> None:
        fnt = font(True, 16)
        for line in wrap(printable(text), fnt, PDF_W - 2 * self.margin):
            self.draw.text((self.margin, self.y), line, font=fnt, fill=0)
            self.y += 22
        self.y += 6

    def paragraph(self, text: str, size: int = 13, indent: int = 0) -> None:
        fnt = font(False, size)
        for line in wrap(printable(text), fnt, PDF_W - 2 * self.margin - indent):
            self.draw.text((self.margin + indent, self.y), line, font=fnt, fill=0)
            self.y += size + 6
        self.y += 8

    def rule(self) -> None:
        self.draw.line((self.margin, self.y, PDF_W - self.margin, self.y), fill=0, width=2)
        self.y += 14

    def mark(self, letters: str, stand: str) -> None:
        """The exhibitor's initials in a ring and the stand number, bottom right."""
        cx, cy, r = PDF_W - self.margin - 44, PDF_H - 96, 40
        if self.y > cy - r - 6:
            return
        self.draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=0, width=4)
        self.draw.text((cx, cy), letters, font=fit_font(letters, 56, 32), fill=0, anchor="mm")
        self.draw.text((cx - r - 20, cy), f"Ждём вас на стенде {stand}!", font=font(True, 15), fill=0,
                       anchor="rm")

    def footer(self, text: str) -> None:
        fnt = font(False, 11)
        self.draw.line((self.margin, PDF_H - 44, PDF_W - self.margin, PDF_H - 44), fill=0)
        self.draw.text((self.margin, PDF_H - 36), text, font=fnt, fill=0)

    def save(self, path: Path, title: str) -> None:
        self.img.save(path, "PDF", resolution=PDF_DPI, title=printable(title), author="ММСО-2020",
                      creationDate=PDF_DATE, modDate=PDF_DATE)


FOOTER = "ММСО-2020 · Виртуальная выставка · 26 апреля – 8 мая 2020"


def write_brochure(ex: Exhibitor, material: Material, path: Path) -> None:
    page = Page()
    page.header("ММСО-2020 · " + ex.floor.title.upper(), ex.name)
    page.heading(material.title)
    page.paragraph(f"Стенд {ex.stand}, этаж «{ex.floor.title}»", size=12)
    page.paragraph(ex.description)
    page.paragraph(ex.description_en, size=11)
    page.rule()
    page.heading("Вебинары на стенде")
    for w in ex.webinars:
        page.paragraph(f"• {human_date(w.starts)} — {w.title} ({w.minutes} мин)", size=12, indent=8)
    page.rule()
    page.heading("Контакты")
    for line in (f"Сайт: {ex.website}", f"E-mail: {ex.email}", f"Телефон: {ex.phone}", f"Адрес: {ex.address}"):
        page.paragraph(line, size=12)
        page.y -= 6
    page.mark(initials(ex.ex_id, ex.name), ex.stand)
    page.footer(FOOTER)
    page.save(path, f"{material.title} — {ex.name}")


def write_schedule(ex: Exhibitor, material: Material, path: Path) -> None:
    page = Page()
    page.header("РАСПИСАНИЕ ВЕБИНАРОВ", ex.name)
    page.heading(material.title)
    page.paragraph("Время московское (UTC+3). Ссылка на комнату откроется за 10 минут до начала.", size=12)
    for w in ex.webinars:
        page.rule()
        page.heading(w.title)
        page.paragraph(f"{human_date(w.starts)}, {w.minutes} мин", size=12)
        page.paragraph(w.url, size=12)
    page.footer(FOOTER)
    page.save(path, f"{material.title} — {ex.name}")


# --------------------------------------------------------------------------
# Videos
# --------------------------------------------------------------------------

PENTATONIC = (0, 2, 4, 7, 9, 12, 14, 16)


def melody(seconds: float, rng: random.Random) -> array:
    """A gentle pentatonic tune with a bass note every second, mono float32."""
    root = 220.0 * 2 ** (rng.choice((0, 2, 3, 5, 7)) / 12)
    beat = 0.25
    phrase = [rng.choice(PENTATONIC) for _ in range(8)]
    total = int(seconds * AUDIO_RATE)
    out = array("f", bytes(4 * total))
    for n in range(int(seconds / beat)):
        semis = phrase[n % 8] + (0 if (n // 16) % 2 == 0 else 5 * (n % 2))
        add_note(out, n * beat, 0.5, root * 2 * 2 ** (semis / 12), 0.22)
        if n % 4 == 0:
            add_note(out, n * beat, 1.0, root / 2 * (1.5 if (n // 4) % 2 else 1.0), 0.16)
    fade = int(0.4 * AUDIO_RATE)
    for i in range(fade):
        out[total - 1 - i] *= i / fade
    return out


def add_note(buf: array, start: float, length: float, freq: float, amp: float) -> None:
    first = int(start * AUDIO_RATE)
    count = min(int(length * AUDIO_RATE), len(buf) - first)
    step = 2 * math.pi * freq / AUDIO_RATE
    for i in range(count):
        t = i / AUDIO_RATE
        env = min(1.0, t / 0.01) * math.exp(-5.0 * t)
        ph = step * i
        buf[first + i] += amp * env * (math.sin(ph) + 0.3 * math.sin(2 * ph) + 0.1 * math.sin(3 * ph))


def ease(t: float) -> float:
    t = max(0.0, min(1.0, t))
    return 1 - (1 - t) ** 3


def text_layer(lines: list[str], size: int, width: int) -> Image.Image:
    """White outlined text on a transparent layer."""
    layer = Image.new("RGBA", (width, 8 + (size + 8) * len(lines)), (0, 0, 0, 0))
    d = ImageDraw.Draw(layer)
    for i, line in enumerate(lines):
        d.text((2, 2 + (size + 6) * i), line, font=font(True, size), fill=(255, 255, 255, 255), stroke_width=2,
               stroke_fill=(0, 0, 0, 90))
    return layer


@dataclass(frozen=True)
class VideoLook:
    """Per-video variation: colours, motion phases and the spinning shape."""

    hue: float
    hue2: float
    phases: tuple[float, ...]
    speeds: tuple[float, ...]
    sides: int
    logo: Image.Image
    title: Image.Image
    category: Image.Image
    end_card: Image.Image
    grad: Image.Image


def video_look(ex: Exhibitor, logo: Image.Image, rng: random.Random) -> VideoLook:
    hue, _, _ = logo_palette(ex.index)
    name_lines = wrap(printable(ex.name), font(True, 22), 290)[:4]
    return VideoLook(
        hue=hue,
        hue2=hue + rng.uniform(0.1, 0.3),
        phases=tuple(rng.uniform(0, 2 * math.pi) for _ in range(8)),
        speeds=tuple(rng.uniform(0.4, 1.1) for _ in range(8)),
        sides=rng.choice((3, 4, 5, 6)),
        logo=logo.resize((110, 110), Image.Resampling.LANCZOS),
        title=text_layer(name_lines, 22, 300),
        category=text_layer([ex.floor.title], 14, 300),
        end_card=text_layer([f"Ждём вас на стенде {ex.stand}!"], 20, 330),
        grad=Image.linear_gradient("L").rotate(90).resize((VIDEO_W, VIDEO_H)),
    )


def video_frame(look: VideoLook, i: int, n: int) -> Image.Image:
    t, progress = i / VIDEO_FPS, i / n
    shift = 0.15 * math.sin(2 * math.pi * progress)
    left = Image.new("RGB", (VIDEO_W, VIDEO_H), hsv(look.hue + shift, 0.65, 0.55))
    right = Image.new("RGB", (VIDEO_W, VIDEO_H), hsv(look.hue2 - shift, 0.7, 0.35))
    frame = Image.composite(left, right, look.grad)
    d = ImageDraw.Draw(frame, "RGBA")
    for k in range(4):
        cx = VIDEO_W / 2 + (170 - 25 * k) * math.sin(t * look.speeds[k] + look.phases[k])
        cy = VIDEO_H / 2 + (90 - 10 * k) * math.cos(t * look.speeds[k + 4] + look.phases[k + 4])
        r = 26 + 10 * k
        d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(255, 255, 255, 40 + 10 * k))
    spin = (400 + 20 * math.sin(t), 60, 30)
    d.regular_polygon(spin, look.sides, rotation=math.degrees(t * 1.4), fill=hsv(look.hue + 0.5, 0.5, 0.95) + (200,))
    frame.paste(look.logo, (int(-120 + 150 * ease(t / 1.0)), 70), look.logo)
    frame.paste(look.title, (int(VIDEO_W - 330 * ease((t - 0.4) / 1.2)), 78), look.title)
    end_at = n / VIDEO_FPS - 2.2  # the closing caption replaces the category line
    category_y = int(VIDEO_H + 10 - 80 * (ease((t - 1.6) / 0.8) - ease((t - end_at + 0.5) / 0.5)))
    frame.paste(look.category, (150, category_y), look.category)
    end_x = int(VIDEO_W - 360 * ease((t - end_at) / 0.8))
    if end_x < VIDEO_W:
        frame.paste(look.end_card, (max(end_x, 150), 200), look.end_card)
    small = font(True, 14)
    d.text((16, 14), "ММСО-2020 · Виртуальная выставка", font=small, fill=(255, 255, 255, 230))
    d.text((16, VIDEO_H - 40), "26.04 — 08.05.2020", font=small, fill=(255, 255, 255, 200))
    d.text((VIDEO_W - 16, VIDEO_H - 40), f"кадр {i + 1:03d}/{n}", font=small, fill=(255, 255, 255, 230),
           anchor="ra")
    d.rectangle((0, VIDEO_H - 8, VIDEO_W * (i + 1) / n, VIDEO_H), fill=(255, 255, 255, 200))
    return frame


def write_video(ex: Exhibitor, logo: Image.Image, path: Path, rng: random.Random) -> None:
    seconds = LOCAL_VIDEOS[ex.ex_id]
    n = int(round(seconds * VIDEO_FPS))
    out = av.open(str(path), "w", container_options={"movflags": "+faststart"})
    vs = out.add_stream("libx264", rate=VIDEO_FPS, options={"crf": "30", "preset": "medium", "threads": "1"})
    vs.width, vs.height, vs.pix_fmt = VIDEO_W, VIDEO_H, "yuv420p"
    aus = out.add_stream("aac", rate=AUDIO_RATE, layout="mono")
    aus.bit_rate = 64000
    look = video_look(ex, logo, rng)
    for i in range(n):
        frame = av.VideoFrame.from_image(video_frame(look, i, n))
        frame.pts = i
        out.mux(vs.encode(frame))
    encode_audio(out, aus, melody(seconds, rng))
    out.mux(vs.encode(None))
    out.close()


def encode_audio(out: av.container.OutputContainer, stream: av.audio.stream.AudioStream, samples: array) -> None:
    pos = 0
    while pos < len(samples):
        chunk = samples[pos:pos + 1024]
        frame = av.AudioFrame(format="fltp", layout="mono", samples=len(chunk))
        frame.planes[0].update(chunk.tobytes())
        frame.sample_rate = AUDIO_RATE
        frame.pts = pos
        frame.time_base = Fraction(1, AUDIO_RATE)
        out.mux(stream.encode(frame))
        pos += len(chunk)
    out.mux(stream.encode(None))


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_package(ex: Exhibitor, rng: random.Random) -> None:
    folder = STANDS_DIR / ex.ex_id
    (folder / "materials").mkdir(parents=True)
    logo = draw_logo(ex)
    save_logo(ex, logo, folder)
    for material in ex.materials:
        if material.file == "materials/brochure.pdf":
            write_brochure(ex, material, folder / material.file)
        elif material.file:
            write_schedule(ex, material, folder / material.file)
    if ex.video == "video.mp4":
        write_video(ex, logo, folder / "video.mp4", rng)
    (folder / "stand.toml").write_text(toml_text(ex), encoding="utf-8")


def reset_output() -> None:
    for folder in (MAPS_DIR, STANDS_DIR):
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)


def generate() -> tuple[list[FloorLayout], list[Exhibitor]]:
    rng = random.Random(SEED)
    reset_output()
    write_tileset(random.Random(SEED + 1))
    exhibitors = build_exhibitors(rng)
    floors = lay_out()
    stand_of = {ex_id: number for f in floors for number, ex_id, _ in f.sketch.stands}
    for ex in exhibitors:
        ex.stand = stand_of[ex.ex_id]
    for ex in exhibitors:
        write_package(ex, random.Random(SEED * 1000 + ex.index))
    write_expo(floors, MAPS_DIR, STANDS_DIR)  # the maps; every exhibitor has its package already
    write_forum(floors)
    return floors, exhibitors


def write_forum(floors: list[FloorLayout]) -> Path:
    """The forum floor from the demo programme's halls, above the top floor (FloorSketch writes it); its lift
    goes to the first floor."""
    programme, _ = load_programme(PROGRAMME_DIR)
    assert programme is not None, "the demo programme (programme/) is needed for the forum floor"
    return forum_floor.write_forum_floor(programme, MAPS_DIR, len(floors) + 1, floors[-1].sketch.floor_id,
                                         floors[0].sketch.floor_id, FORUM_TILES)


# --------------------------------------------------------------------------
# Verification (reads back what was written)
# --------------------------------------------------------------------------


class Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.errors.append(message)

    def finish(self) -> None:
        if self.errors:
            for e in self.errors[:60]:
                print("FAIL:", e, file=sys.stderr)
            raise SystemExit(f"verification failed: {len(self.errors)} problem(s)")


def check_webinars(ex_id: str, webinars: list[dict], c: Checker) -> None:
    c.check(1 <= len(webinars) <= 3, f"{ex_id}: {len(webinars)} webinars")
    first = datetime.combine(FAIR_FIRST_DAY, datetime.min.time(), MSK)
    last = first + timedelta(days=FAIR_DAYS)
    for w in webinars:
        starts, minutes = w.get("starts"), w.get("duration_minutes", 0)
        ok = isinstance(starts, datetime) and starts.utcoffset() == timedelta(hours=3)
        c.check(ok, f"{ex_id}: webinar start is not a +03:00 datetime")
        if not ok:
            continue
        end = starts + timedelta(minutes=minutes)
        c.check(first <= starts < last, f"{ex_id}: webinar outside the fair dates")
        c.check(starts.hour >= 10 and (end.hour, end.minute) <= (18, 0), f"{ex_id}: webinar outside 10-18")
        c.check(30 <= minutes <= 90, f"{ex_id}: webinar of {minutes} min")
        c.check(str(w.get("url", "")).startswith("https://webinar.mmco-expo.ru/room/"), f"{ex_id}: webinar url")
        c.check(bool(w.get("title")) and bool(w.get("title_en")), f"{ex_id}: webinar title")


def check_video(path: Path, seconds: float, c: Checker) -> None:
    c.check(path.is_file() and path.stat().st_size <= MAX_VIDEO_BYTES, f"{path}: missing or too big")
    try:
        decode_video(path, seconds, c)
    except (av.FFmpegError, OSError) as exc:
        c.check(False, f"{path}: does not decode ({exc})")


def decode_video(path: Path, seconds: float, c: Checker) -> None:
    with av.open(str(path)) as box:
        v = next((s for s in box.streams if s.type == "video"), None)
        a = next((s for s in box.streams if s.type == "audio"), None)
        c.check(v is not None and v.codec_context.name == "h264", f"{path}: no H.264 video stream")
        c.check(a is not None and a.codec_context.name == "aac", f"{path}: no AAC audio stream")
        if v is None or a is None:
            return
        c.check((v.codec_context.width, v.codec_context.height) == (VIDEO_W, VIDEO_H), f"{path}: frame size")
        c.check(abs(box.duration / 1e6 - seconds) < 0.2, f"{path}: duration {box.duration / 1e6}")
        frames, energy, count = 0, 0.0, 0
        for packet in box.demux(v, a):
            for decoded in packet.decode():
                if isinstance(decoded, av.VideoFrame):
                    frames += 1
                else:
                    samples = array("f", bytes(decoded.planes[0])[: 4 * decoded.samples])
                    energy += sum(s * s for s in samples)
                    count += len(samples)
        c.check(frames == round(seconds * VIDEO_FPS), f"{path}: {frames} video frames")
        c.check(count > 0 and math.sqrt(energy / count) > 0.02, f"{path}: audio is (nearly) silent")


def logo_info(folder: Path, name: str) -> tuple[str, str, tuple[int, int]]:
    """(format, mode, size) of a package's logo, or empty values when it is missing, outside the package or
    not a readable logo (the loader's own rules: expo_hall.content)."""
    try:
        with images.opened(confined_file(folder, name), images.LOGO_FORMATS) as img:
            return str(img.format), img.mode, img.size
    except (PathRefused, images.ImageRefused):
        return "", "", (0, 0)


def package_file(folder: Path, name: str, c: Checker) -> Path | None:
    """The package's file `name` as the loader finds it (inside the folder, a regular file), else a failed check."""
    try:
        return confined_file(folder, name)
    except PathRefused as exc:
        c.check(False, f"{folder.name}: {exc}")
        return None


def check_package(folder: Path, c: Checker) -> dict:
    ex_id = folder.name
    c.check(SLUG_RE.fullmatch(ex_id) is not None, f"{ex_id}: bad exhibitor id")
    try:
        data = tomllib.loads((folder / "stand.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        c.check(False, f"{ex_id}: stand.toml unreadable ({exc})")
        return {"name": "", "category": "", "logo": ""}
    for key in ("name", "name_en", "category", "category_en", "description", "description_en", "logo"):
        c.check(bool(data.get(key)), f"{ex_id}: {key} missing")
    sentences = len(re.findall(r"[.!?](\s|$)", data.get("description", "")))
    c.check(2 <= sentences <= 4, f"{ex_id}: description has {sentences} sentences")
    logo_format = logo_info(folder, str(data.get("logo", "")))
    c.check(logo_format[2] == (256, 256), f"{ex_id}: logo missing or not 256x256")
    contacts = data.get("contacts", {})
    for key in ("email", "phone", "website", "address"):
        c.check(bool(contacts.get(key)), f"{ex_id}: contacts.{key} missing")
    c.check(str(contacts.get("phone", "")).startswith("+7 "), f"{ex_id}: phone")
    c.check(bool(contacts.get("messengers", {}).get("telegram")), f"{ex_id}: telegram missing")
    materials = data.get("materials", [])
    c.check(any("file" in m for m in materials), f"{ex_id}: no material file")
    for m in materials:
        c.check(("file" in m) != ("url" in m), f"{ex_id}: material needs exactly one of file/url")
        pdf = package_file(folder, m["file"], c) if "file" in m else None
        if pdf is not None:
            c.check(pdf.read_bytes()[:5] == b"%PDF-", f"{ex_id}: {m['file']} is not a PDF")
            c.check(pdf.stat().st_size <= MAX_PDF_BYTES, f"{ex_id}: {m['file']} too big")
    check_webinars(ex_id, data.get("webinars", []), c)
    video = data.get("video", "")
    local_video = package_file(folder, video, c) if video and not video.startswith("https://") else None
    if local_video is not None:
        check_video(local_video, LOCAL_VIDEOS.get(ex_id, 0), c)
    return data


def check_special_cases(packages: dict[str, dict], c: Checker) -> None:
    names = [p["name"] for p in packages.values()]
    c.check(any("«" in n and "»" in n for n in names), "no name with «ёлочки»")
    c.check(any(any(ord(ch) >= 0x1F300 for ch in n) for n in names), "no name with an emoji")
    c.check(any("<b>" in n for n in names), "no name with a literal <b>")
    c.check(any(len(n) >= 60 for n in names), "no long name")
    modes = {}
    for ex_id, p in packages.items():
        modes[ex_id] = logo_info(STANDS_DIR / ex_id, str(p.get("logo", "")))[:2]
    c.check(("JPEG", "CMYK") in modes.values(), "no CMYK JPEG logo")
    c.check(any(fmt_ == "WEBP" for fmt_, _ in modes.values()), "no WebP logo")
    videos = [p.get("video", "") for p in packages.values()]
    c.check(sum(v == "video.mp4" for v in videos) >= 6, "fewer than 6 local videos")
    c.check(any(v.startswith("https://") for v in videos), "no external video URL")
    away = sum(bool(p.get("away_message")) for p in packages.values())
    c.check(0.3 * len(packages) <= away <= 0.7 * len(packages), f"{away} away messages")


def tree_size(*folders: Path) -> int:
    """Bytes on disk as ``du`` counts them (allocated blocks), or the file sizes if that is larger."""
    paths = [p for folder in folders for p in (folder, *folder.rglob("*"))]
    on_disk = sum(p.stat().st_blocks * 512 for p in paths)
    return max(on_disk, sum(p.stat().st_size for p in paths if p.is_file()))


def check_floors(c: Checker) -> list:
    """`expo-hall check` finds nothing; each floor holds its category's packages and draws its decoration."""
    expo, found = check_expo(MAPS_DIR, STANDS_DIR)
    for p in found:
        c.check(False, f"check: {p.severity.value} {p}")
    c.check(len(expo.floors) >= 5, "fewer than 5 floors")
    for floor in expo.floors:
        c.check(bool(floor.transfers), f"{floor.floor_id}: no stairs or lift")
        c.check(floor.has_tiles and bool(load_tile_layers(floor.source, floor.root).layers),
                f"{floor.floor_id}: no decoration")
        for stand in floor.stands:
            ex = expo.exhibitors.get(stand.exhibitor_id)
            c.check(ex is not None and ex.category == floor.title, f"{stand.exhibitor_id}: category differs from floor")
    return expo.floors


def check_packages(c: Checker) -> dict[str, dict]:
    packages = {p.name: check_package(p, c) for p in sorted(STANDS_DIR.iterdir()) if p.is_dir()}
    c.check(len(packages) >= 90, f"only {len(packages)} exhibitors")
    check_special_cases(packages, c)
    return packages


def verify() -> tuple[list, dict[str, dict], int]:
    c = Checker()
    floors = check_floors(c)
    packages = check_packages(c)
    total = tree_size(MAPS_DIR, STANDS_DIR)
    c.check(total <= MAX_TOTAL_BYTES, f"generated content is {total} bytes")
    c.finish()
    return floors, packages, total


def main() -> None:
    started = time.monotonic()
    generate()
    floors, packages, total = verify()
    for f in floors:
        print(f"{f.order}. {f.floor_id:<11} {f.title} — {len(f.stands)} stands")
    elapsed = time.monotonic() - started
    print(f"{len(packages)} exhibitors, {total / 1024 / 1024:.2f} MiB on disk, {elapsed:.0f} s; all checks passed")


if __name__ == "__main__":
    main()

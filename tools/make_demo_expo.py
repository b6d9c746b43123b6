"""Generate the demo content of the virtual MMSO-2020 education fair.

Run with ``python tools/make_demo_expo.py`` from anywhere; paths are relative
to the repository root.  The script is deterministic (fixed random seed) and
completely rewrites two folders:

``maps/``
    One Tiled map per floor (``<floor_id>.tmx``: orthogonal, 32x32 tiles, CSV
    tile layer ``floor`` plus the object layers ``alleys``, ``stands`` and
    ``points``) and the tileset image ``maps/tiles/hall.png`` they embed.

``assets/stands/<exhibitor_id>/``
    One stand package per exhibitor: ``stand.toml`` (texts in Russian and
    English, contacts, materials, webinars), a generated logo (PNG; a few
    JPEG, one of them CMYK, and WebP), a one-page PDF brochure under
    ``materials/`` (sometimes a second PDF or a link) and, on a few stands, a
    short H.264/AAC ``video.mp4`` with a melody.

At the end it re-reads everything it wrote (pytmx, tomllib, Pillow, PyAV) and
checks the map/stand contract; any broken rule raises ``SystemExit``.
"""

import colorsys
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
import xml.etree.ElementTree as ET
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFont

from expo_hall.content import images
from expo_hall.content.confine import PathRefused, confined_file
from expo_hall.forum import floor as forum_floor
from expo_hall.programme.load import load_programme
from expo_hall.stands.validate import DEMO_FAIR

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

SEED = 2020
ROOT = Path(__file__).resolve().parent.parent
MAPS_DIR = ROOT / "maps"
PROGRAMME_DIR = ROOT / "programme"
STANDS_DIR = ROOT / "assets" / "stands"
TILESET_REL = "tiles/hall.png"

FONT_DIR = Path(str(importlib.util.find_spec("pygame_gui").origin)).parent / "data"
FONT_BOLD = FONT_DIR / "NotoSans-Bold.ttf"
FONT_REGULAR = FONT_DIR / "NotoSans-Regular.ttf"

TILE = 32
MAP_W, MAP_H = 36, 24  # tiles
HALL_X0, HALL_Y0, HALL_X1, HALL_Y1 = 2, 2, 34, 22  # tiles; 2-tile margin
# Horizontal alleys across the whole hall: (y, height, name); the 4-tile one is the main boulevard.
H_ALLEYS = (
    (2, 3, "Северная аллея"),
    (10, 4, "Главный бульвар"),
    (19, 3, "Южная аллея"),
)
BOULEVARD_Y, BOULEVARD_H = 10, 4
HALVES = ((5, 10), (14, 19))  # (y0, y1) in tiles of the stand blocks north and south of the boulevard
SIDE_ALLEY_W = 3  # tiles; the walkways along the west and east walls
STAND_HEIGHTS = (2, 3)  # tiles; a block holds two rows of stands back to back

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
TILE_COUNT = 5

# --------------------------------------------------------------------------
# Content data
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class FloorSpec:
    """One floor of the hall: a product category.

    ``north`` and ``south`` split the hall between the side walkways, west to east, into stand
    blocks and the cross alleys between them: (block, alley, block, ..., block) widths in tiles.
    A 4-tile block holds one stand a row: two island stands back to back.
    """

    floor_id: str
    title: str
    title_en: str
    letter: str
    north: tuple[int, ...]
    south: tuple[int, ...]
    diagonal: bool = False  # a slanted walkway across the westmost northern block


FLOORS: tuple[FloorSpec, ...] = (
    FloorSpec("preschool", "Дошкольное образование", "Preschool education", "A", (8, 3, 4, 3, 8), (4, 3, 8, 3, 8)),
    FloorSpec("school", "Школьное образование", "School education", "B", (7, 3, 6, 3, 7), (8, 3, 4, 3, 8)),
    FloorSpec(
        "higher",
        "Высшее и профессиональное образование",
        "Higher and vocational education",
        "C",
        (11, 3, 12),
        (8, 3, 8, 3, 4),
    ),
    FloorSpec(
        "edtech",
        "EdTech и цифровые технологии",
        "EdTech and digital technologies",
        "D",
        (15, 3, 8),
        (7, 2, 8, 2, 7),
        diagonal=True,
    ),
    FloorSpec(
        "additional", "Дополнительное образование", "Additional education", "E", (8, 3, 4, 3, 8), (12, 2, 12)
    ),
    FloorSpec(
        "regional",
        "Региональные системы образования",
        "Regional education systems",
        "F",
        (8, 3, 8, 3, 4),
        (8, 3, 4, 3, 8),
    ),
)

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

# (exhibitor_id, name, name_en, first sentence, first sentence in English, city)
Entry = tuple[str, str, str, str, str, str]

EXHIBITORS: dict[str, tuple[Entry, ...]] = {
    "preschool": (
        ("detsad-solnyshko", "Частный детский сад «Солнышко»", "Solnyshko Private Kindergarten",
         "Частный детский сад полного дня с группами для детей от полутора до семи лет и собственной кухней.",
         "A full-day private kindergarten with groups for children aged 1.5 to 7 and its own kitchen.",
         "msk"),
        ("montessori-dom", "АНО «Монтессори-дом»", "Montessori House",
         "Развивающие группы по методике Монтессори для малышей и курс подготовки педагогов-монтессорианцев.",
         "Montessori playgroups for toddlers and a training course for Montessori teachers.",
         "spb"),
        ("kolobok-publishing", "Издательство «Колобок и К°»", "Kolobok & Co. Publishers",
         "Выпускает развивающие книги, рабочие тетради и наглядные пособия для детей 3–7 лет.",
         "Publishes activity books, workbooks and visual aids for children aged 3 to 7.",
         "msk"),
        ("igrovye-moduli", "ООО «Игровые модули»", "Play Modules LLC",
         "Проектирует и производит безопасную мебель и игровые комплексы для групп детского сада.",
         "Designs and manufactures safe furniture and play structures for kindergarten groups.",
         "chel"),
        ("umnye-kubiki", "ООО «Умные кубики»", "Smart Cubes LLC",
         "Разрабатывает конструкторы и STEM-наборы для дошкольников с методическими картами для воспитателя.",
         "Develops construction kits and STEM sets for preschoolers, with lesson cards for teachers.",
         "kzn"),
        ("logoped-online", "Центр «Логопед онлайн»", "Speech Therapy Online Centre",
         "Проводит дистанционные занятия с логопедами и дефектологами для детей от трёх лет и консультирует родителей.",
         "Runs remote sessions with speech therapists and special-needs teachers for children from age 3 "
         "and advises parents.",
         "nsk"),
        ("malyshi-i-muzyka", "Студия «Малыши и музыка»", "Toddlers & Music Studio",
         "Музыкальные занятия для детей от года: ритмика, пение и знакомство с инструментами.",
         "Music classes for children from one year old: rhythm, singing and first instruments.",
         "nn"),
        ("akvarelka", "Сеть детских садов «Акварелька»", "Akvarelka Kindergarten Network",
         "Сеть из двенадцати детских садов с художественно-эстетическим уклоном в Екатеринбурге и области.",
         "A network of twelve arts-oriented kindergartens in Yekaterinburg and the surrounding region.",
         "ekb"),
        ("detsad-211", "ГБДОУ детский сад № 211 комбинированного вида", "Kindergarten No. 211 (combined type)",
         "Государственный детский сад с общеразвивающими группами и группами компенсирующей направленности.",
         "A state kindergarten with mainstream groups and groups for children with special needs.",
         "spb"),
        ("happy-band", "Английский для малышей «Хэппи Бэнд»", "Happy Band English for Kids",
         "Игровой английский для детей 3–7 лет в мини-группах и онлайн.",
         "Playful English for children aged 3 to 7, in small groups and online.",
         "smr"),
        ("dva-yazyka", "Билингвальный детский сад «Два языка»", "Two Languages Bilingual Kindergarten",
         "Билингвальная среда: в каждой группе работают воспитатели — носители русского и английского языков.",
         "A bilingual environment: every group has a native Russian-speaking and a native English-speaking teacher.",
         "msk"),
        ("institut-doshkolnogo-detstva", "АНО ДПО «Институт дошкольного детства»", "Institute of Early Childhood",
         "Курсы повышения квалификации и профессиональной переподготовки для воспитателей "
         "и руководителей детских садов.",
         "Professional development and retraining courses for kindergarten teachers and heads.",
         "kgd"),
        ("ploshchadka-pro", "ООО «Площадка ПРО»", "Playground PRO LLC",
         "Строит уличные игровые и спортивные площадки для детских садов под ключ — от проекта до монтажа.",
         "Builds turnkey outdoor play and sports grounds for kindergartens, from design to installation.",
         "krd"),
        ("skazkoterapiya", "Центр семейной психологии «Сказкотерапия»", "Fairy-Tale Therapy Family Psychology Centre",
         "Помогает детям привыкнуть к детскому саду и готовит к школе с помощью игровых методик и сказкотерапии.",
         "Helps children settle into kindergarten and get ready for school through play and fairy-tale therapy.",
         "tomsk"),
        ("robo-malysh", "Кружок робототехники «Робо-малыш»", "Robo-Tot Robotics Club",
         "Первые шаги в робототехнике и программировании без экрана для детей 4–7 лет.",
         "First steps in robotics and screen-free programming for children aged 4 to 7.",
         "perm"),
        ("zdorovoe-detstvo", "ООО «Здоровое детство»", "Healthy Childhood LLC",
         "Организует сбалансированное питание в детских садах и обучает персонал пищеблоков.",
         "Provides balanced meals for kindergartens and trains kitchen staff.",
         "ufa"),
        ("eko-sad-rodnichok", "Эко-сад «Родничок»", "Rodnichok Eco Kindergarten",
         "Детский сад за городом с огородом, мини-фермой и ежедневными прогулками по экотропе.",
         "A countryside kindergarten with a vegetable garden, a mini farm and daily walks along a nature trail.",
         "yar"),
    ),
    "school": (
        ("shkola-rosta", "Школа <b>Роста</b>", "School of <b>Growth</b>",
         "Частная школа полного дня с 1 по 11 класс, где каждый ученик идёт по индивидуальной траектории.",
         "A full-day private school for grades 1 to 11 where every student follows an individual learning path.",
         "msk"),
        ("shkola-2315", "ГБОУ Школа № 2315 «Зелёный город»", "School No. 2315 “Green City”",
         "Большая московская школа с инженерными и медицинскими классами и собственным ботаническим садом.",
         "A large Moscow school with engineering and medical classes and its own botanical garden.",
         "msk"),
        ("uchebny-vek", "Издательство «Учебный век»", "Uchebny Vek Publishers",
         "Выпускает учебники и рабочие тетради по математике и русскому языку из федерального перечня.",
         "Publishes maths and Russian language textbooks and workbooks from the federal list.",
         "msk"),
        ("ergoklass", "ООО «ЭргоКласс»", "ErgoClass LLC",
         "Производит регулируемые по росту парты и стулья, а также мебель для кабинетов химии и физики.",
         "Makes height-adjustable desks and chairs and furniture for chemistry and physics labs.",
         "chel"),
        ("licei-intellekt", "Частный лицей «Интеллект»", "Intellect Private Lyceum",
         "Лицей с углублённым изучением физики, математики и информатики и интернатом для учеников из регионов.",
         "A lyceum specialising in physics, maths and computer science, with boarding for students from other regions.",
         "nsk"),
        ("shkola-na-reke", "АНО ОО «Школа на реке»", "School on the River",
         "Небольшая школа с проектным обучением, где уроки проходят в разновозрастных группах.",
         "A small project-based school where lessons take place in mixed-age groups.",
         "kzn"),
        ("lab-v-klasse", "ООО «Лаборатория в классе»", "Lab in the Classroom LLC",
         "Поставляет цифровые лаборатории с датчиками для уроков физики, химии и биологии.",
         "Supplies sensor-based digital labs for physics, chemistry and biology lessons.",
         "spb"),
        ("evrika-olymp", "Центр олимпиадной подготовки «Эврика»", "Eureka Olympiad Training Centre",
         "Готовит школьников к всероссийским олимпиадам по математике, физике и информатике.",
         "Prepares students for national olympiads in mathematics, physics and computer science.",
         "msk"),
        ("ege-bez-paniki", "Онлайн-школа «ЕГЭ без паники»", "Exams Without Panic Online School",
         "Подготовка к ОГЭ и ЕГЭ в мини-группах с разбором пробных вариантов и психологической поддержкой.",
         "Exam preparation in small groups, with mock tests and support from a psychologist.",
         "rnd"),
        ("shkolny-kombinat", "ООО «Школьный комбинат питания»", "School Catering Plant LLC",
         "Обеспечивает горячим питанием школы города и внедряет безналичную оплату обедов картой учащегося.",
         "Provides hot meals for the city's schools and introduces cashless payment with student cards.",
         "vrn"),
        ("bezopasnaya-shkola", "ООО «Безопасная школа»", "Safe School LLC",
         "Устанавливает системы контроля доступа, видеонаблюдения и оповещения в образовательных организациях.",
         "Installs access control, video surveillance and alert systems in schools and colleges.",
         "tula"),
        ("inklyuziya-vmeste", "Ресурсный центр инклюзивного образования «Вместе»",
         "Together Inclusive Education Resource Centre",
         "Методически поддерживает школы, где учатся дети с ОВЗ, и обучает тьюторов.",
         "Supports schools that teach children with special educational needs and trains tutors.",
         "irk"),
        ("severny-forpost", "Кадетская школа-интернат «Северный форпост»", "Northern Outpost Cadet Boarding School",
         "Кадетская школа-интернат с углублённой физической подготовкой, морским делом и изучением истории Отечества.",
         "A cadet boarding school with intensive physical training, seamanship and Russian history.",
         "arh"),
        ("shkolnaya-sreda", "Архитектурное бюро «Школьная среда»", "School Environment Architects",
         "Проектирует новые здания школ и превращает рекреации в открытые пространства для учёбы и общения.",
         "Designs new school buildings and turns corridors into open spaces for learning and socialising.",
         "ekb"),
        ("chitayushchaya-shkola", "Благотворительный фонд «Читающая школа»", "Reading School Charitable Foundation",
         "Обновляет школьные библиотеки и превращает их в информационно-библиотечные центры с коворкингом.",
         "Renovates school libraries and turns them into information centres with co-working space.",
         "yar"),
        ("domashny-klass", "Центр семейного образования «Домашний класс»", "Home Class Family Education Centre",
         "Сопровождает семьи на семейном обучении: аттестации, онлайн-уроки и очные встречи учеников.",
         "Supports home-schooling families with assessments, online lessons and student meet-ups.",
         "msk"),
        ("globus-karta", "ООО «Глобус-Карта»", "Globus-Map LLC",
         "Выпускает настенные карты, атласы и интерактивные плакаты по географии и истории.",
         "Produces wall maps, atlases and interactive posters for geography and history lessons.",
         "omsk"),
    ),
    "higher": (
        ("svgpu",
         "Федеральное государственное бюджетное образовательное учреждение высшего образования "
         "«Северо-Восточный государственный педагогический университет»",
         "North-Eastern State Pedagogical University (Federal State Budgetary Institution of Higher Education)",
         "Готовит учителей для школ Дальнего Востока и Арктики по 32 программам бакалавриата и магистратуры.",
         "Trains teachers for schools in the Far East and the Arctic in 32 bachelor's and master's programmes.",
         "mgd"),
        ("ural-tech-uni", "Уральский технологический университет", "Ural University of Technology",
         "Инженерные направления подготовки: металлургия, машиностроение, робототехника и материаловедение.",
         "Engineering degrees in metallurgy, mechanical engineering, robotics and materials science.",
         "ekb"),
        ("svmi", "Средневолжский медицинский институт", "Middle Volga Medical Institute",
         "Готовит врачей, фармацевтов и медицинских психологов на собственной клинической базе.",
         "Trains doctors, pharmacists and clinical psychologists at its own teaching hospital.",
         "uly"),
        ("vshce", "Высшая школа цифровой экономики", "Higher School of Digital Economy",
         "Бакалавриат и магистратура по бизнес-аналитике, финтеху и управлению цифровыми продуктами.",
         "Bachelor's and master's programmes in business analytics, fintech and digital product management.",
         "msk"),
        ("baltic-maritime", "Балтийская академия морского транспорта", "Baltic Academy of Maritime Transport",
         "Готовит судоводителей, судовых механиков и специалистов по портовой логистике.",
         "Trains navigators, marine engineers and port logistics specialists.",
         "kgd"),
        ("zsau", "Западно-Сибирский аграрный университет", "West Siberian Agrarian University",
         "Агрономия, ветеринария, агроинженерия и технологии точного земледелия.",
         "Agronomy, veterinary science, agricultural engineering and precision farming.",
         "tmn"),
        ("forma-institute", "Институт дизайна и медиа «Форма»", "Forma Institute of Design and Media",
         "Дизайн среды, графический дизайн, анимация и иллюстрация с обучением в проектных студиях.",
         "Spatial and graphic design, animation and illustration taught in project studios.",
         "spb"),
        ("tomsk-software", "Томский институт программной инженерии", "Tomsk Institute of Software Engineering",
         "Программная инженерия, кибербезопасность и анализ данных; с первого курса студенты работают над "
         "заказами индустриальных партнёров.",
         "Software engineering, cybersecurity and data analysis; from the first year students work on "
         "projects for industry partners.",
         "tomsk"),
        ("mkst", "Московский колледж сервиса и туризма", "Moscow College of Service and Tourism",
         "Колледж со специальностями гостиничного дела, туризма и поварского искусства.",
         "A college offering hotel management, tourism and culinary arts programmes.",
         "msk"),
        ("most-rki", "Центр русского языка для иностранных студентов «Мост»",
         "Most Russian Language Centre for International Students",
         "Подготовительный факультет: русский язык и профильные предметы для иностранных абитуриентов.",
         "A foundation programme in Russian and core subjects for international applicants.",
         "vrn"),
        ("yuipu", "Южный институт права и управления", "Southern Institute of Law and Management",
         "Юриспруденция, государственное и муниципальное управление в очной и заочной формах.",
         "Law and public administration, full-time and part-time.",
         "krd"),
        ("open-campus", "Консорциум сетевых магистратур «Открытый кампус»", "Open Campus Network Master's Consortium",
         "Объединяет восемь региональных вузов для совместных магистерских программ с онлайн-модулями.",
         "Brings together eight regional universities for joint master's programmes with online modules.",
         "kzn"),
        ("abiturient-navigator", "Сервис «Абитуриент.Навигатор»", "Applicant Navigator Service",
         "Помогает выпускникам подобрать вуз и направление по баллам ЕГЭ и следить за конкурсными списками.",
         "Helps school leavers choose a university and programme by their exam scores and track admission lists.",
         "msk"),
        ("aigd", "Арктический институт горного дела", "Arctic Mining Institute",
         "Горное дело, геология и промышленная экология с практикой на предприятиях Кольского полуострова.",
         "Mining, geology and industrial ecology with internships at companies on the Kola Peninsula.",
         "mrm"),
        ("svamt", "Средневолжская академия музыки и театра", "Middle Volga Academy of Music and Theatre",
         "Исполнительское искусство, композиция, актёрское мастерство и режиссура.",
         "Performing arts, composition, acting and directing.",
         "smr"),
        ("olymp-sport-uni", "Университет спорта и здоровья «Олимп»", "Olymp University of Sport and Health",
         "Физическая культура, спортивный менеджмент и адаптивная физкультура; у университета свой спорткомплекс.",
         "Physical education, sports management and adaptive PE, with the university's own sports complex.",
         "sochi"),
        ("ifa", "Институт финансов и аудита", "Institute of Finance and Audit",
         "Экономика, бухгалтерский учёт и аудит; есть программы двойного диплома с европейскими вузами.",
         "Economics, accounting and audit, including double-degree programmes with European universities.",
         "rnd"),
    ),
    "edtech": (
        ("kodovichok", "Онлайн-школа «Кодовичок» 🚀", "Kodovichok Online Coding School 🚀",
         "Онлайн-школа программирования для детей 7–14 лет: Scratch, Python и создание собственных игр.",
         "An online coding school for children aged 7 to 14: Scratch, Python and making their own games.",
         "msk"),
        ("elzhurnal", "ООО «ЭлЖурнал»", "eJournal LLC",
         "Электронный журнал и дневник с расписанием, домашними заданиями и чатом класса.",
         "An electronic gradebook and student diary with timetables, homework and a class chat.",
         "perm"),
        ("uchim-online", "Платформа «Учим.Онлайн»", "Uchim.Online Platform",
         "Облачная LMS для школ и колледжей: курсы, тесты, вебинары и аналитика успеваемости.",
         "A cloud LMS for schools and colleges: courses, tests, webinars and progress analytics.",
         "kzn"),
        ("vr-klass", "ООО «ВР-Класс»", "VR-Class LLC",
         "Виртуальные лаборатории и экскурсии в VR-очках для уроков биологии, истории и физики.",
         "Virtual labs and VR field trips for biology, history and physics lessons.",
         "spb"),
        ("ekzamenator", "Сервис онлайн-прокторинга «Экзаменатор»", "Examinator Online Proctoring",
         "Дистанционный контроль экзаменов с распознаванием лиц и анализом поведения, интеграция с Moodle.",
         "Remote exam supervision with face recognition and behaviour analysis, integrated with Moodle.",
         "chel"),
        ("neurotutor", "Стартап «Нейрорепетитор»", "NeuroTutor",
         "Адаптивный тренажёр по математике, который с помощью машинного обучения подбирает задания "
         "под ошибки ученика.",
         "An adaptive maths trainer that uses machine learning to pick exercises based on a student's mistakes.",
         "msk"),
        ("touchlab", "ООО «ТачЛаб»", "TouchLab LLC",
         "Интерактивные панели и документ-камеры российской сборки с программами для уроков.",
         "Russian-assembled interactive panels and document cameras with classroom software.",
         "msk"),
        ("shkolnaya-set", "ООО «Школьная сеть»", "School Network LLC",
         "Проектирует и обслуживает защищённые сети Wi-Fi и контент-фильтрацию в школах.",
         "Designs and maintains secure Wi-Fi networks and content filtering in schools.",
         "ekb"),
        ("akademgorodok-mooc", "Платформа открытых курсов «Академгородок»", "Akademgorodok Open Courses Platform",
         "Массовые открытые онлайн-курсы от преподавателей научных институтов — от астрофизики до биоинформатики.",
         "Massive open online courses by researchers, from astrophysics to bioinformatics.",
         "nsk"),
        ("edstart", "Акселератор «EdStart»", "EdStart Accelerator",
         "Трёхмесячная программа для EdTech-стартапов с пилотами в школах и встречами с инвесторами.",
         "A three-month programme for EdTech startups with school pilots and investor meetings.",
         "msk"),
        ("detsky-brauzer", "ООО «Детский браузер»", "Kids Browser LLC",
         "Безопасный браузер и родительский контроль с белыми списками образовательных сайтов.",
         "A safe browser and parental controls with whitelists of educational websites.",
         "irk"),
        ("knizhnaya-polka", "Электронная библиотека «Книжная полка»", "Bookshelf Digital Library",
         "Электронные учебники и художественная литература для школьников по подписке для школ и регионов.",
         "E-textbooks and fiction for students, with subscriptions for schools and regions.",
         "spb"),
        ("pixel-games", "Студия образовательных игр «Пиксель»", "Pixel Educational Games Studio",
         "Создаёт мобильные игры для изучения истории, географии и финансовой грамотности.",
         "Makes mobile games for learning history, geography and financial literacy.",
         "kgd"),
        ("raspisanie-pro", "ООО «Расписание.Про»", "Timetable.Pro LLC",
         "Автоматически составляет расписание уроков и замен с учётом нагрузки учителей и кабинетов.",
         "Builds lesson and substitution timetables automatically, taking teacher workload and rooms into account.",
         "smr"),
        ("3d-masterskaya", "ООО «3Д-Мастерская»", "3D Workshop LLC",
         "Поставляет 3D-принтеры и сканеры и ведёт курсы по прототипированию для школьных технопарков.",
         "Supplies 3D printers and scanners and runs prototyping courses for school technology parks.",
         "nn"),
        ("govorun", "Языковой тренажёр «Говорун»", "Govorun Language Trainer",
         "Мобильный тренажёр разговорного английского с распознаванием речи и оценкой произношения.",
         "A mobile app for spoken English practice with speech recognition and pronunciation scoring.",
         "sochi"),
        ("obranalitika", "ООО «ОбрАналитика»", "EduAnalytics LLC",
         "Собирает данные об успеваемости в наглядные дашборды для директоров школ и муниципалитетов.",
         "Turns attainment data into clear dashboards for school principals and municipalities.",
         "tmn"),
    ),
    "additional": (
        ("palitra", "Детская художественная студия «Палитра»", "Palitra Children's Art Studio",
         "Живопись, графика и керамика для детей и подростков, подготовка к поступлению в художественные училища.",
         "Painting, drawing and ceramics for children and teenagers, plus preparation for art college entry.",
         "omsk"),
        ("kamerton", "Музыкальная школа «Камертон»", "Kamerton Music School",
         "Фортепиано, гитара, вокал и сольфеджио; онлайн-уроки с преподавателями консерватории.",
         "Piano, guitar, singing and music theory; online lessons with conservatory teachers.",
         "msk"),
        ("ladya-chess", "Шахматный клуб «Ладья»", "Rook Chess Club",
         "Групповые и индивидуальные занятия шахматами для детей от пяти лет, турниры и выездные сборы.",
         "Group and one-to-one chess lessons for children from age 5, tournaments and training camps.",
         "spb"),
        ("orbita-technopark", "Детский технопарк «Орбита»", "Orbita Children's Technopark",
         "Бесплатные инженерные кружки: аэроквантум, геоинформатика, нейротехнологии и промышленный дизайн.",
         "Free engineering clubs: aerospace, geoinformatics, neurotechnology and industrial design.",
         "krsk"),
        ("polyglot-center", "Языковая школа «Полиглот-Центр»", "Polyglot Centre Language School",
         "Английский, немецкий, китайский и испанский для детей и взрослых, подготовка к международным экзаменам.",
         "English, German, Chinese and Spanish for children and adults, with international exam preparation.",
         "ekb"),
        ("praktika-cu", "Корпоративный университет «Практика»", "Praktika Corporate University",
         "Программы повышения квалификации для руководителей и HR-специалистов с выдачей удостоверений.",
         "Certified professional development programmes for managers and HR specialists.",
         "msk"),
        ("academy-new-professions", "АНО ДПО «Академия новых профессий»", "Academy of New Professions",
         "Профессиональная переподготовка взрослых: веб-дизайн, бухгалтерия и кадровое делопроизводство.",
         "Retraining for adults in web design, accounting and HR administration.",
         "nn"),
        ("azimut-club", "Детско-юношеский туристский клуб «Азимут»", "Azimuth Youth Hiking Club",
         "Походы, спортивное ориентирование и школа юного спасателя для ребят 10–17 лет.",
         "Hiking, orienteering and a young rescuers' school for ages 10 to 17.",
         "irk"),
        ("maska-theatre", "Театральная студия «Маска»", "Maska Theatre Studio",
         "Актёрское мастерство, сценическая речь и пластика; студийцы ставят два спектакля за сезон.",
         "Acting, stage speech and movement; students put on two productions every season.",
         "kzn"),
        ("ritm-dance", "Школа танца «Ритм»", "Rhythm Dance School",
         "Современная хореография, брейк-данс и народный танец для детей и взрослых.",
         "Contemporary choreography, breakdance and folk dance for children and adults.",
         "krd"),
        ("pochemuchka", "Научный клуб «Почемучка»", "Pochemuchka Science Club",
         "Занимательные опыты по химии и физике и научные шоу для школьников 7–12 лет.",
         "Fun chemistry and physics experiments and science shows for children aged 7 to 12.",
         "vlad"),
        ("kopilka", "Центр финансовой грамотности «Копилка»", "Kopilka Financial Literacy Centre",
         "Игры и курсы по финансовой грамотности для школьников и их родителей.",
         "Financial literacy games and courses for students and their parents.",
         "ufa"),
        ("bolshaya-volga-camp", "Профильный лагерь «Большая Волга»", "Big Volga Summer Camp",
         "Профильные смены по робототехнике, английскому языку и спорту на берегу Волги.",
         "Themed sessions in robotics, English and sports on the banks of the Volga.",
         "tver"),
        ("delfinenok", "Школа плавания «Дельфинёнок»", "Little Dolphin Swimming School",
         "Обучение плаванию детей с трёх лет в малых группах и подготовка к спортивным разрядам.",
         "Swimming lessons for children from age 3 in small groups, and training for sports grades.",
         "chel"),
        ("kadr-media", "Медиашкола «Кадр»", "Kadr Media School",
         "Фотография, видеомонтаж, журналистика и блогинг для подростков; ученики выпускают школьную телепрограмму.",
         "Photography, video editing, journalism and blogging for teenagers, who produce a school TV show.",
         "spb"),
        ("pero-workshop", "Литературная мастерская «Перо»", "Pero Creative Writing Workshop",
         "Творческое письмо для подростков и взрослых: рассказы, сценарии, поэзия и работа с редактором.",
         "Creative writing for teenagers and adults: short stories, scripts, poetry and working with an editor.",
         "msk"),
        ("zvezdochet", "Обсерватория-клуб «Звездочёт»", "Stargazer Observatory Club",
         "Астрономические наблюдения, лекции и кружок космонавтики для школьников.",
         "Stargazing sessions, lectures and a space science club for schoolchildren.",
         "kaluga"),
    ),
    "regional": (
        ("perm-cro", "Центр развития образования Пермского края", "Perm Krai Education Development Centre",
         "Поддерживает школы края в переходе на обновлённые ФГОС и проводит региональные конкурсы педагогов.",
         "Helps the region's schools move to the updated federal standards and runs regional teacher contests.",
         "perm"),
        ("tyumen-digital", "Агентство цифрового образования Тюменской области",
         "Tyumen Region Digital Education Agency",
         "Внедряет цифровую образовательную среду в школах региона и обучает учителей работе с ней.",
         "Rolls out a digital learning environment in the region's schools and trains teachers to use it.",
         "tmn"),
        ("tatarstan-schools", "Ресурсный центр «Школы Татарстана»", "Schools of Tatarstan Resource Centre",
         "Объединяет опорные школы республики для обмена практиками билингвального обучения.",
         "Connects the republic's hub schools to share bilingual teaching practices.",
         "kzn"),
        ("kaliningrad-agency", "Агентство развития образования Калининградской области",
         "Kaliningrad Region Education Development Agency",
         "Развивает сеть школьных технопарков и программы обмена со школами Балтийского региона.",
         "Develops a network of school technology parks and exchange programmes with Baltic schools.",
         "kgd"),
        ("yakutia-distance", "Центр дистанционного образования Республики Саха (Якутия)",
         "Sakha (Yakutia) Distance Education Centre",
         "Обучает детей из отдалённых наслегов по видеосвязи и организует сетевые профильные классы.",
         "Teaches children in remote villages by video link and runs networked specialised classes.",
         "yak"),
        ("nsk-gifted", "Новосибирский областной центр одарённых детей",
         "Novosibirsk Regional Centre for Gifted Children",
         "Проводит олимпиады, профильные смены и научные конференции школьников региона.",
         "Runs olympiads, intensive camps and student research conferences across the region.",
         "nsk"),
        ("arctic-school", "Проектный офис «Арктическая школа»", "Arctic School Project Office",
         "Ведёт региональный проект модернизации малокомплектных сельских школ Поморья.",
         "Runs the regional project to modernise small rural schools in Pomorye.",
         "arh"),
        ("kuban-vybor", "Кубанский центр профориентации «Выбор»", "Kuban Career Guidance Centre “Vybor”",
         "Профориентационные тесты, экскурсии на предприятия и ярмарки профессий для школьников края.",
         "Career tests, company visits and job fairs for the region's students.",
         "krd"),
        ("primorye-teachers", "Приморский институт повышения квалификации педагогов",
         "Primorye Institute for Teacher Professional Development",
         "Курсы и стажировки для учителей края, методическое сопровождение молодых педагогов.",
         "Courses and placements for the region's teachers and mentoring for early-career teachers.",
         "vlad"),
        ("south-ural-inclusive", "Южно-Уральский центр инклюзивного образования",
         "South Ural Inclusive Education Centre",
         "Координирует работу ресурсных классов и психолого-медико-педагогических комиссий области.",
         "Coordinates resource classes and the region's psychological, medical and educational assessment boards.",
         "chel"),
        ("yar-vocational", "Региональный центр профессионального образования Ярославской области",
         "Yaroslavl Region Vocational Education Centre",
         "Связывает колледжи и работодателей: целевое обучение, демонстрационные экзамены и стажировки.",
         "Connects colleges with employers through sponsored training, skills exams and internships.",
         "yar"),
        ("ural-policy", "Уральский институт образовательной политики", "Ural Institute of Education Policy",
         "Аналитический центр, который исследует качество образования в муниципалитетах Свердловской области.",
         "A think tank studying education quality in the municipalities of the Sverdlovsk region.",
         "ekb"),
        ("polyarnaya-zvezda", "Центр детского творчества «Полярная звезда»", "Polar Star Children's Creativity Centre",
         "Региональный центр дополнительного образования с кружками для детей Заполярья и онлайн-филиалом.",
         "A regional centre of after-school clubs for children of the Arctic, with an online branch.",
         "mrm"),
        ("tula-future-school", "Тульский региональный центр «Школа будущего»",
         "Tula Regional Centre “School of the Future”",
         "Пилотирует модели персонализированного обучения в двадцати школах Тульской области.",
         "Pilots personalised learning models in twenty schools of the Tula region.",
         "tula"),
        ("baikal-eco", "Байкальский центр экологического образования", "Baikal Environmental Education Centre",
         "Экологические проекты, школьные лесничества и экспедиции на Байкал для учеников Приангарья.",
         "Environmental projects, school forestry clubs and Lake Baikal expeditions for students of the region.",
         "irk"),
        ("nn-digital-teachers", "Нижегородский центр цифровых компетенций педагогов",
         "Nizhny Novgorod Centre for Teachers' Digital Skills",
         "Обучает учителей области цифровым инструментам и сопровождает школьные IT-проекты.",
         "Trains the region's teachers in digital tools and supports school IT projects.",
         "nn"),
        ("tver-quality", "Тверской областной центр оценки качества образования",
         "Tver Regional Centre for Education Quality Assessment",
         "Организует региональные мониторинги, проверочные работы и итоговую аттестацию школьников области.",
         "Organises regional monitoring, standardised tests and final exams for the region's students.",
         "tver"),
    ),
}

# Exhibitors who booked a stand once the hall got its denser layout.  They are generated after all of the
# above, so the earlier packages (and their random details) stay as they were.
LATE_EXHIBITORS: dict[str, tuple[Entry, ...]] = {
    "preschool": (
        ("mir-igrushki", "Магазин развивающих игрушек «Мир игрушки»", "World of Toys Educational Toy Shop",
         "Подбирает развивающие игрушки и настольные игры по возрасту и собирает из них наборы "
         "для групп детского сада.",
         "Selects educational toys and board games by age and assembles them into sets for kindergarten groups.",
         "vrn"),
        ("sportik", "Детский спортивный клуб «Спортик»", "Sportik Children's Sports Club",
         "Проводит занятия физкультурой и гимнастикой для дошкольников прямо в детских садах города.",
         "Runs PE and gymnastics classes for preschoolers right in the city's kindergartens.",
         "omsk"),
        ("nyanya-plus", "Агентство нянь и гувернёров «Няня плюс»", "Nanny Plus Agency",
         "Подбирает проверенных нянь с педагогическим образованием и обучает их оказанию первой помощи.",
         "Matches families with vetted nannies who have teaching degrees and trains them in first aid.",
         "spb"),
    ),
    "school": (
        ("otlichnik-forma", "Фабрика школьной формы «Отличник»", "Otlichnik School Uniform Factory",
         "Шьёт школьную форму из дышащих тканей и разрабатывает фирменный дизайн формы по заказу школ.",
         "Makes school uniforms from breathable fabrics and designs custom uniforms for schools.",
         "tver"),
        ("doverie-psy", "Служба школьной психологии «Доверие»", "Trust School Psychology Service",
         "Школьные психологи проводят диагностику, консультируют учеников и родителей и ведут телефон доверия.",
         "School psychologists run assessments, counsel students and parents and staff a helpline.",
         "sochi"),
        ("shkolny-avtobus", "ООО «Школьный автобус»", "School Bus LLC",
         "Организует безопасный подвоз учеников сельских школ и поставляет автобусы с навигацией ГЛОНАСС.",
         "Organises safe transport for rural school students and supplies buses with GLONASS tracking.",
         "uly"),
        ("interaktivnye-klassy", "ООО «Интерактивные классы»", "Interactive Classrooms LLC",
         "Оснащает кабинеты интерактивными панелями, документ-камерами и системами голосования.",
         "Equips classrooms with interactive panels, document cameras and classroom response systems.",
         "nn"),
        ("nachalka-pro", "Методический центр «Начальная школа PRO»", "Primary School PRO Methodology Centre",
         "Разрабатывает рабочие программы и сценарии уроков для учителей начальных классов.",
         "Develops curricula and lesson plans for primary school teachers.",
         "smr"),
    ),
    "higher": (
        ("sigik", "Сибирский институт геодезии и картографии", "Siberian Institute of Geodesy and Cartography",
         "Готовит геодезистов, картографов и специалистов по геоинформационным системам.",
         "Trains surveyors, cartographers and GIS specialists.",
         "nsk"),
        ("volga-pedcollege", "Волжский педагогический колледж", "Volga Teacher Training College",
         "Готовит воспитателей, учителей начальных классов и педагогов дополнительного образования "
         "после 9 и 11 классов.",
         "Trains kindergarten and primary school teachers and after-school educators after grade 9 or 11.",
         "smr"),
        ("kea-college", "Колледж энергетики и автоматики", "College of Power Engineering and Automation",
         "Среднее профессиональное образование по электроэнергетике, релейной защите и автоматизации производства.",
         "Vocational programmes in power engineering, relay protection and industrial automation.",
         "perm"),
        ("dvivost", "Дальневосточный институт востоковедения", "Far Eastern Institute of Oriental Studies",
         "Бакалавриат по китайскому, японскому и корейскому языкам со стажировками в вузах-партнёрах в Азии.",
         "Bachelor's programmes in Chinese, Japanese and Korean with exchange terms at partner universities in Asia.",
         "vlad"),
        ("kazan-bs", "Казанская школа бизнеса и управления", "Kazan School of Business and Management",
         "Программы MBA и профессиональной переподготовки для руководителей с занятиями по вечерам и в выходные.",
         "MBA and executive retraining programmes with classes in the evenings and at weekends.",
         "kzn"),
    ),
    "edtech": (
        ("proveryashka", "Сервис «Проверяшка»", "Proveryashka Homework Checker",
         "Автоматически проверяет домашние задания по математике и русскому языку и показывает учителю "
         "типичные ошибки класса.",
         "Automatically checks maths and Russian homework and shows the teacher the class's common mistakes.",
         "ufa"),
        ("cifrovoy-dekanat", "ООО «Цифровой деканат»", "Digital Dean's Office LLC",
         "Чат-бот и личный кабинет студента: расписание, ведомости и заявления в одном приложении.",
         "A chatbot and student portal: timetables, grade sheets and applications in one app.",
         "tomsk"),
        ("robokit", "ООО «РобоКит»", "RoboKit LLC",
         "Наборы для робототехники и онлайн-симулятор, в котором робота можно программировать без железа.",
         "Robotics kits and an online simulator for programming a robot without any hardware.",
         "krsk"),
        ("umnaya-tetrad", "Приложение «Умная тетрадь»", "Smart Notebook App",
         "Цифровая тетрадь для планшета: ученик пишет стилусом, а учитель проверяет работы онлайн.",
         "A digital notebook for tablets: students write with a stylus and teachers mark the work online.",
         "vrn"),
    ),
    "additional": (
        ("glina-pottery", "Гончарная мастерская «Глина»", "Glina Pottery Workshop",
         "Занятия лепкой и гончарным делом для детей и взрослых, а также выездные мастер-классы для школ.",
         "Pottery and modelling classes for children and adults, plus visiting workshops for schools.",
         "yar"),
        ("koster-vozhatye", "Школа вожатых «Костёр»", "Koster Camp Counsellor School",
         "Готовит студентов к работе вожатыми в детских лагерях: педагогика, игры и безопасность.",
         "Trains students to work as counsellors in children's camps: pedagogy, games and safety.",
         "tomsk"),
        ("severny-sklon", "Горнолыжная школа «Северный склон»", "Northern Slope Ski School",
         "Учит детей и взрослых кататься на горных лыжах и сноуборде: зимой на склоне, летом на тренажёрах.",
         "Teaches children and adults to ski and snowboard: on the slope in winter and on simulators in summer.",
         "perm"),
        ("slyshu-rukami", "Курсы жестового языка «Слышу руками»", "Hearing With Hands Sign Language Courses",
         "Курсы русского жестового языка для педагогов, волонтёров и родственников неслышащих людей.",
         "Russian Sign Language courses for teachers, volunteers and relatives of deaf people.",
         "msk"),
        ("shest-strun", "Школа гитары «Шесть струн»", "Six Strings Guitar School",
         "Уроки гитары для подростков и взрослых: от первых аккордов до выступлений на городских фестивалях.",
         "Guitar lessons for teens and adults, from the first chords to performing at city festivals.",
         "rnd"),
    ),
    "regional": (
        ("krsk-rural-schools", "Красноярский центр поддержки сельских школ", "Krasnoyarsk Rural Schools Support Centre",
         "Помогает малокомплектным сельским школам края с оборудованием, кадрами и сетевыми уроками.",
         "Helps the region's small rural schools with equipment, staff and shared online lessons.",
         "krsk"),
        ("omsk-qualifications", "Омский центр профессиональных квалификаций",
         "Omsk Centre for Professional Qualifications",
         "Проводит независимую оценку квалификаций и демонстрационные экзамены для выпускников колледжей региона.",
         "Runs independent qualification assessments and skills exams for the region's college graduates.",
         "omsk"),
        ("chernomorsky-talent", "Черноморский центр работы с талантливыми детьми",
         "Black Sea Centre for Gifted Children",
         "Организует профильные смены по науке, искусству и спорту для школьников юга России.",
         "Runs intensive science, arts and sports programmes for students from the south of Russia.",
         "sochi"),
    ),
}

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
class Rect:
    """Axis-aligned rectangle in pixels."""

    x: float
    y: float
    w: float
    h: float

    @property
    def x2(self) -> float:
        return self.x + self.w

    @property
    def y2(self) -> float:
        return self.y + self.h

    def overlaps(self, o: "Rect") -> bool:
        """Interiors intersect (touching edges is not overlapping)."""
        return self.x < o.x2 and o.x < self.x2 and self.y < o.y2 and o.y < self.y2

    def touches(self, o: "Rect") -> bool:
        """Share an edge segment of positive length."""
        y_run = min(self.y2, o.y2) - max(self.y, o.y)
        x_run = min(self.x2, o.x2) - max(self.x, o.x)
        vertical = (self.x2 == o.x or o.x2 == self.x) and y_run > 0
        horizontal = (self.y2 == o.y or o.y2 == self.y) and x_run > 0
        return vertical or horizontal

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x2 and self.y <= py <= self.y2


def tile_rect(tx: int, ty: int, tw: int, th: int) -> Rect:
    return Rect(tx * TILE, ty * TILE, tw * TILE, th * TILE)


Polygon = list[tuple[float, float]]


@dataclass(frozen=True)
class Alley:
    name: str
    rect: Rect | None = None
    polygon: Polygon | None = None  # absolute pixel coordinates
    boulevard: bool = False


@dataclass(frozen=True)
class MapPoint:
    name: str
    x: float
    y: float
    properties: tuple[tuple[str, str], ...] = ()


@dataclass
class FloorLayout:
    spec: FloorSpec
    order: int
    alleys: list[Alley]
    stands: list[tuple[str, Rect, str]] = field(default_factory=list)  # (number, rect, exhibitor)
    points: list[MapPoint] = field(default_factory=list)
    plants: list[tuple[int, int]] = field(default_factory=list)


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
    floor: FloorSpec
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
# Geometry
# --------------------------------------------------------------------------


def point_in_polygon(px: float, py: float, poly: Sequence[tuple[float, float]]) -> bool:
    inside = False
    j = len(poly) - 1
    for i, (xi, yi) in enumerate(poly):
        xj, yj = poly[j]
        if (yi > py) != (yj > py) and px < (xj - xi) * (py - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def polygon_area(poly: Sequence[tuple[float, float]]) -> float:
    total = 0.0
    for i, (x1, y1) in enumerate(poly):
        x2, y2 = poly[(i + 1) % len(poly)]
        total += x1 * y2 - x2 * y1
    return abs(total) / 2


def _clip_edge(
    pts: list[tuple[float, float]],
    inside: Callable[[tuple[float, float]], bool],
    cross: Callable[[tuple[float, float], tuple[float, float]], tuple[float, float]],
) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for i, cur in enumerate(pts):
        prev = pts[i - 1]
        if inside(cur):
            if not inside(prev):
                out.append(cross(prev, cur))
            out.append(cur)
        elif inside(prev):
            out.append(cross(prev, cur))
    return out


def _at_x(c: float) -> Callable[[tuple[float, float], tuple[float, float]], tuple[float, float]]:
    def cross(p: tuple[float, float], q: tuple[float, float]) -> tuple[float, float]:
        t = (c - p[0]) / (q[0] - p[0])
        return c, p[1] + t * (q[1] - p[1])

    return cross


def _at_y(c: float) -> Callable[[tuple[float, float], tuple[float, float]], tuple[float, float]]:
    def cross(p: tuple[float, float], q: tuple[float, float]) -> tuple[float, float]:
        t = (c - p[1]) / (q[1] - p[1])
        return p[0] + t * (q[0] - p[0]), c

    return cross


def polygon_rect_overlap(poly: Sequence[tuple[float, float]], r: Rect) -> float:
    """Area of the intersection of a (possibly concave) polygon and a rectangle."""
    pts = list(poly)
    pts = _clip_edge(pts, lambda p: p[0] >= r.x, _at_x(r.x))
    pts = _clip_edge(pts, lambda p: p[0] <= r.x2, _at_x(r.x2)) if pts else pts
    pts = _clip_edge(pts, lambda p: p[1] >= r.y, _at_y(r.y)) if pts else pts
    pts = _clip_edge(pts, lambda p: p[1] <= r.y2, _at_y(r.y2)) if pts else pts
    return polygon_area(pts) if len(pts) >= 3 else 0.0


def in_alleys(px: float, py: float, alleys: Iterable[Alley]) -> bool:
    for alley in alleys:
        if alley.rect is not None and alley.rect.contains(px, py):
            return True
        if alley.polygon is not None and point_in_polygon(px, py, alley.polygon):
            return True
    return False


def clearance_ok(px: float, py: float, alleys: Sequence[Alley], radius: float) -> bool:
    """True if a disc of ``radius`` around the point lies inside the alley union."""
    if not in_alleys(px, py, alleys):
        return False
    for ring in (radius / 3, 2 * radius / 3, radius):
        for k in range(72):
            a = 2 * math.pi * k / 72
            if not in_alleys(px + ring * math.cos(a), py + ring * math.sin(a), alleys):
                return False
    return True


def stand_hits_alley(r: Rect, alley: Alley) -> bool:
    if alley.rect is not None:
        return r.overlaps(alley.rect)
    return alley.polygon is not None and polygon_rect_overlap(alley.polygon, r) > 0.5


# --------------------------------------------------------------------------
# Floor layout
# --------------------------------------------------------------------------


def half_columns(widths: tuple[int, ...]) -> list[tuple[bool, int, int]]:
    """(is_block, x0, x1) in tiles for one half of the hall, side walkways excluded."""
    out, x = [], HALL_X0 + SIDE_ALLEY_W
    for i, w in enumerate(widths):
        out.append((i % 2 == 0, x, x + w))
        x += w
    if len(widths) % 2 == 0 or x != HALL_X1 - SIDE_ALLEY_W:
        raise SystemExit(f"layout: blocks and alleys {widths} do not fill the hall")
    return out


def build_alleys(spec: FloorSpec) -> list[Alley]:
    hall_w, hall_h = HALL_X1 - HALL_X0, HALL_Y1 - HALL_Y0
    alleys = [
        Alley(name, tile_rect(HALL_X0, y, hall_w, h), boulevard=(y == BOULEVARD_Y)) for y, h, name in H_ALLEYS
    ]
    alleys.append(Alley("Западный проход", tile_rect(HALL_X0, HALL_Y0, SIDE_ALLEY_W, hall_h)))
    n = 0
    for widths, (y0, y1) in zip((spec.north, spec.south), HALVES, strict=True):
        for is_block, x0, x1 in half_columns(widths):
            if not is_block:
                n += 1
                alleys.append(Alley(f"Проход {n}", tile_rect(x0, y0, x1 - x0, y1 - y0)))
    alleys.append(Alley("Восточный проход", tile_rect(HALL_X1 - SIDE_ALLEY_W, HALL_Y0, SIDE_ALLEY_W, hall_h)))
    if spec.diagonal:
        alleys.append(Alley("Диагональный проход", polygon=diagonal_polygon(spec)))
    return alleys


def diagonal_polygon(spec: FloorSpec) -> Polygon:
    """A slanted walkway across the westmost northern block, from the boulevard to the north alley."""
    left = (HALL_X0 + SIDE_ALLEY_W + 4) * TILE
    bottom, top = (BOULEVARD_Y + 1) * TILE, (HALVES[0][0] - 1) * TILE
    shift, width = 5 * TILE, 3 * TILE
    return [(left, bottom), (left + width, bottom), (left + shift + width, top), (left + shift, top)]


def blocks(spec: FloorSpec) -> list[tuple[int, int, int, int, int]]:
    """Stand blocks between the alleys: (half, x0, y0, x1, y1) in tiles, half 0 north of the boulevard."""
    out = []
    for half, (widths, (y0, y1)) in enumerate(zip((spec.north, spec.south), HALVES, strict=True)):
        for is_block, x0, x1 in half_columns(widths):
            if is_block:
                out.append((half, x0, y0, x1, y1))
    return out


@dataclass
class RowRun:
    """A stretch of one stand row, free of walkways: it takes ``count`` stands side by side."""

    x0: int
    length: int
    ty: int
    h: int
    order: tuple[int, ...]
    faces_boulevard: bool
    count: int = 0

    @property
    def most(self) -> int:
        return self.length // 3

    @property
    def fewest_full(self) -> int:
        """Fewest stands 3-4 tiles wide that fill the run with no gap (``most`` when none can)."""
        return min(-(-self.length // 4), self.most)


def free_runs(x0: int, x1: int, ty: int, h: int, alleys: list[Alley]) -> list[tuple[int, int]]:
    """Maximal stretches [(x, length)] of the row whose tile columns no walkway crosses."""
    runs: list[tuple[int, int]] = []
    start = None
    for x in range(x0, x1 + 1):
        free = x < x1 and not any(stand_hits_alley(tile_rect(x, ty, 1, h), a) for a in alleys)
        if free and start is None:
            start = x
        elif not free and start is not None:
            runs.append((start, x - start))
            start = None
    return runs


def row_runs(spec: FloorSpec, alleys: list[Alley], rng: random.Random) -> list[RowRun]:
    """Every block holds two rows back to back: one faces the alley north of it, one the alley south."""
    runs = []
    for bi, (half, x0, y0, x1, y1) in enumerate(blocks(spec)):
        h_north = rng.choice([h for h in STAND_HEIGHTS if y1 - y0 - h in STAND_HEIGHTS])
        for edge, (ty, h) in enumerate(((y0, h_north), (y0 + h_north, y1 - y0 - h_north))):
            faces = (half == 0 and edge == 1) or (half == 1 and edge == 0)
            for k, (rx, length) in enumerate(free_runs(x0, x1, ty, h, alleys)):
                if length >= 3:
                    runs.append(RowRun(rx, length, ty, h, (half, edge, bi, k), faces))
    return runs


def share_stands(runs: list[RowRun], count: int, rng: random.Random) -> None:
    """Give every run as few stands as fill it, then add or take single stands until ``count`` is met.

    Extra stands go to runs that can take one more (narrower stands); missing ones leave a gap for a
    plant, away from the boulevard first.
    """
    for run in runs:
        run.count = run.fewest_full
    total = sum(r.count for r in runs)
    while total < count:
        room = [r for r in runs if r.count < r.most]
        if not room:
            raise SystemExit(f"layout: only {total} stand places for {count} exhibitors")
        rng.choice(room).count += 1
        total += 1
    while total > count:
        spare = [r for r in runs if r.count > 1 and not r.faces_boulevard] or [r for r in runs if r.count > 1]
        if not spare:
            raise SystemExit(f"layout: {total} stand places cannot shrink to {count} exhibitors")
        rng.choice(spare).count -= 1
        total -= 1


def pack_run(run: RowRun, rng: random.Random) -> list[Rect]:
    """Stands 3-4 tiles wide side by side; what is left over (if anything) stays at one end."""
    fours = min(run.count, run.length - 3 * run.count)
    widths = [4] * fours + [3] * (run.count - fours)
    rng.shuffle(widths)
    x = run.x0 + (run.length - sum(widths) if rng.random() < 0.5 else 0)
    out = []
    for w in widths:
        out.append(tile_rect(x, run.ty, w, run.h))
        x += w
    return out


def floor_points(spec: FloorSpec, order: int) -> list[MapPoint]:
    """Spawn in the middle of the boulevard, stairs at both ends, an express lift in a southern cross alley."""
    mid_y = (BOULEVARD_Y + BOULEVARD_H / 2) * TILE
    points = [MapPoint("spawn", MAP_W / 2 * TILE, mid_y)]
    prev_floor = FLOORS[order - 2] if order > 1 else None
    next_floor = FLOORS[order] if order < len(FLOORS) else None
    if prev_floor is not None:
        props = (("to_floor", prev_floor.floor_id), ("to_point", "Лестница вверх"))
        points.append(MapPoint("Лестница вниз", 6.5 * TILE, mid_y, props))
    if next_floor is not None:
        props = (("to_floor", next_floor.floor_id), ("to_point", "Лестница вниз"))
        points.append(MapPoint("Лестница вверх", (MAP_W - 6.5) * TILE, mid_y, props))
    else:  # the top floor: up to the business programme's forum floor
        props = (("to_floor", forum_floor.FLOOR_ID), ("to_point", forum_floor.STAIRS_DOWN))
        points.append(MapPoint("Лестница вверх", (MAP_W - 6.5) * TILE, mid_y, props))
    lift_target = FLOORS[-1] if order == 1 else FLOORS[0]
    _, x0, x1 = next(c for c in half_columns(spec.south) if not c[0])
    south_y, south_h, _ = H_ALLEYS[-1]
    lift_x, lift_y = (x0 + x1) / 2 * TILE, (south_y + south_h / 2) * TILE  # where it meets the Южная аллея
    points.append(MapPoint("Лифт", lift_x, lift_y, (("to_floor", lift_target.floor_id),)))
    return points


def choose_plants(spec: FloorSpec, layout: FloorLayout, rng: random.Random) -> list[tuple[int, int]]:
    """Up to eight potted plants on block tiles that no stand or walkway covers."""
    free = []
    for _, x0, y0, x1, y1 in blocks(spec):
        for tx in range(x0, x1):
            for ty in range(y0, y1):
                cell = tile_rect(tx, ty, 1, 1)
                if any(cell.overlaps(r) for _, r, _ in layout.stands):
                    continue
                if any(stand_hits_alley(cell, a) for a in layout.alleys):
                    continue
                free.append((tx, ty))
    rng.shuffle(free)
    return sorted(free[:8])


def build_layout(spec: FloorSpec, order: int, exhibitors: list[str], rng: random.Random) -> FloorLayout:
    layout = FloorLayout(spec, order, build_alleys(spec))
    runs = row_runs(spec, layout.alleys, rng)
    share_stands(runs, len(exhibitors), rng)
    rects = [r for run in sorted(runs, key=lambda run: run.order) for r in pack_run(run, rng)]
    assigned = list(exhibitors)
    rng.shuffle(assigned)
    for n, (rect, ex_id) in enumerate(zip(rects, assigned, strict=True), start=1):
        layout.stands.append((f"{spec.letter}-{n:02d}", rect, ex_id))
    layout.points = floor_points(spec, order)
    layout.plants = choose_plants(spec, layout, rng)
    return layout


# --------------------------------------------------------------------------
# TMX output
# --------------------------------------------------------------------------


def tile_gids(layout: FloorLayout) -> list[list[int]]:
    grid = []
    for ty in range(MAP_H):
        row = []
        for tx in range(MAP_W):
            row.append(tile_gid(layout, tx, ty))
        grid.append(row)
    return grid


def tile_gid(layout: FloorLayout, tx: int, ty: int) -> int:
    if not (HALL_X0 <= tx < HALL_X1 and HALL_Y0 <= ty < HALL_Y1):
        return GID_WALL
    cx, cy = (tx + 0.5) * TILE, (ty + 0.5) * TILE
    for alley in layout.alleys:
        if alley.boulevard and alley.rect is not None and alley.rect.contains(cx, cy):
            return GID_BOULEVARD
    if in_alleys(cx, cy, layout.alleys):
        return GID_ALLEY
    if (tx, ty) in layout.plants:
        return GID_PLANT
    return GID_FLOOR


def add_properties(parent: ET.Element, props: Iterable[tuple[str, str, str]]) -> None:
    """props: (name, type, value); type "" means string."""
    items = list(props)
    if not items:
        return
    el = ET.SubElement(parent, "properties")
    for name, kind, value in items:
        attrs = {"name": name, "value": value}
        if kind:
            attrs = {"name": name, "type": kind, "value": value}
        ET.SubElement(el, "property", attrs)


def fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}"


def build_tmx(layout: FloorLayout) -> ET.ElementTree:
    spec = layout.spec
    root = ET.Element(
        "map",
        {
            "version": "1.10",
            "tiledversion": "1.10.2",
            "orientation": "orthogonal",
            "renderorder": "right-down",
            "width": str(MAP_W),
            "height": str(MAP_H),
            "tilewidth": str(TILE),
            "tileheight": str(TILE),
            "infinite": "0",
            "nextlayerid": "5",
            "nextobjectid": "1",
        },
    )
    add_properties(
        root,
        [
            ("floor_id", "", spec.floor_id),
            ("order", "int", str(layout.order)),
            ("title", "", spec.title),
            ("title_en", "", spec.title_en),
        ],
    )
    tileset = ET.SubElement(
        root,
        "tileset",
        {"firstgid": "1", "name": "hall", "tilewidth": str(TILE), "tileheight": str(TILE),
         "tilecount": str(TILE_COUNT), "columns": str(TILE_COUNT)},
    )
    ET.SubElement(tileset, "image", {"source": TILESET_REL, "width": str(TILE * TILE_COUNT), "height": str(TILE)})
    layer = ET.SubElement(root, "layer", {"id": "1", "name": "floor", "width": str(MAP_W), "height": str(MAP_H)})
    data = ET.SubElement(layer, "data", {"encoding": "csv"})
    data.text = "\n" + ",\n".join(",".join(str(g) for g in row) for row in tile_gids(layout)) + "\n"
    next_id = add_object_layers(root, layout)
    root.set("nextobjectid", str(next_id))
    tree = ET.ElementTree(root)
    ET.indent(tree, space=" ")
    return tree


def add_object_layers(root: ET.Element, layout: FloorLayout) -> int:
    oid = 1
    alleys = ET.SubElement(root, "objectgroup", {"id": "2", "name": "alleys"})
    for alley in layout.alleys:
        if alley.rect is not None:
            r = alley.rect
            ET.SubElement(alleys, "object", {"id": str(oid), "name": alley.name, "x": fmt(r.x), "y": fmt(r.y),
                                             "width": fmt(r.w), "height": fmt(r.h)})
        elif alley.polygon is not None:
            ox, oy = alley.polygon[0]
            obj = ET.SubElement(alleys, "object", {"id": str(oid), "name": alley.name, "x": fmt(ox), "y": fmt(oy)})
            pts = " ".join(f"{fmt(x - ox)},{fmt(y - oy)}" for x, y in alley.polygon)
            ET.SubElement(obj, "polygon", {"points": pts})
        oid += 1
    stands = ET.SubElement(root, "objectgroup", {"id": "3", "name": "stands"})
    for number, r, ex_id in layout.stands:
        obj = ET.SubElement(stands, "object", {"id": str(oid), "name": number, "x": fmt(r.x), "y": fmt(r.y),
                                               "width": fmt(r.w), "height": fmt(r.h)})
        add_properties(obj, [("exhibitor", "", ex_id)])
        oid += 1
    points = ET.SubElement(root, "objectgroup", {"id": "4", "name": "points"})
    for p in layout.points:
        obj = ET.SubElement(points, "object", {"id": str(oid), "name": p.name, "x": fmt(p.x), "y": fmt(p.y)})
        add_properties(obj, [(k, "", v) for k, v in p.properties])
        ET.SubElement(obj, "point")
        oid += 1
    return oid


def write_tmx(layout: FloorLayout) -> Path:
    path = MAPS_DIR / f"{layout.spec.floor_id}.tmx"
    build_tmx(layout).write(path, encoding="UTF-8", xml_declaration=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write("\n")
    return path


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


def write_tileset(rng: random.Random) -> Path:
    img = Image.new("RGB", (TILE * TILE_COUNT, TILE))
    draw = ImageDraw.Draw(img)
    draw_floor_tile(draw, (GID_FLOOR - 1) * TILE, rng)
    draw_carpet_tile(draw, (GID_ALLEY - 1) * TILE, (214, 224, 236), rng)
    draw_carpet_tile(draw, (GID_BOULEVARD - 1) * TILE, (198, 212, 232), rng)
    draw_plant_tile(draw, (GID_PLANT - 1) * TILE, rng)
    draw_wall_tile(draw, (GID_WALL - 1) * TILE)
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


def make_exhibitor(entry: Entry, floor: FloorSpec, index: int, rng: random.Random) -> Exhibitor:
    ex_id, name, name_en, about, about_en, city_key = entry
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
    out: list[Exhibitor] = []
    for entries in (EXHIBITORS, LATE_EXHIBITORS):
        for floor in FLOORS:
            for entry in entries[floor.floor_id]:
                out.append(make_exhibitor(entry, floor, len(out), rng))
    return out


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
    layouts = []
    for order, spec in enumerate(FLOORS, start=1):
        ids = [ex.ex_id for ex in exhibitors if ex.floor is spec]
        layout = build_layout(spec, order, ids, random.Random(SEED * 100 + order))
        write_tmx(layout)
        layouts.append(layout)
    stand_of = {ex_id: number for layout in layouts for number, _, ex_id in layout.stands}
    for ex in exhibitors:
        ex.stand = stand_of[ex.ex_id]
    for ex in exhibitors:
        write_package(ex, random.Random(SEED * 1000 + ex.index))
    write_forum()
    return layouts, exhibitors


def write_forum() -> Path:
    """The forum floor from the demo programme's halls, above the top floor (FloorSketch writes it)."""
    programme, _ = load_programme(PROGRAMME_DIR)
    assert programme is not None, "the demo programme (programme/) is needed for the forum floor"
    return forum_floor.write_forum_floor(programme, MAPS_DIR, len(FLOORS) + 1, FLOORS[-1].floor_id,
                                         FLOORS[0].floor_id)


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


@dataclass
class LoadedFloor:
    floor_id: str
    order: int
    title: str
    alleys: list[Alley]
    stands: list[tuple[str, Rect, str]]
    points: dict[str, MapPoint]


def load_floor(path: Path, c: Checker) -> LoadedFloor:
    import pytmx

    tmx = pytmx.TiledMap(str(path))
    props = tmx.properties
    for key in ("floor_id", "title", "title_en", "order"):
        c.check(key in props, f"{path.name}: map property {key} missing")
    c.check(isinstance(props.get("order"), int), f"{path.name}: order is not an int")
    c.check((tmx.tilewidth, tmx.tileheight) == (TILE, TILE), f"{path.name}: tile size")
    if props.get("floor_id") != forum_floor.FLOOR_ID:  # a generated floor (the forum has its own layout, no tiles)
        c.check(34 <= tmx.width <= 42 and 22 <= tmx.height <= 30, f"{path.name}: map size {tmx.width}x{tmx.height}")
        c.check(tmx.get_layer_by_name("floor") is not None, f"{path.name}: no floor layer")
    alleys = []
    for obj in tmx.get_layer_by_name("alleys"):
        if hasattr(obj, "points"):
            alleys.append(Alley(obj.name, polygon=[(p.x, p.y) for p in obj.points]))
        else:
            alleys.append(Alley(obj.name, Rect(obj.x, obj.y, obj.width, obj.height)))
    stands = [(o.name, Rect(o.x, o.y, o.width, o.height), o.properties.get("exhibitor", ""))
              for o in tmx.get_layer_by_name("stands")]
    points = {}
    for o in tmx.get_layer_by_name("points"):
        c.check(o.name not in points, f"{path.name}: duplicate point {o.name}")
        points[o.name] = MapPoint(o.name, o.x, o.y, tuple(sorted((k, str(v)) for k, v in o.properties.items())))
    return LoadedFloor(props.get("floor_id", ""), props.get("order", 0), props.get("title", ""), alleys, stands,
                       points)


def check_alleys(f: LoadedFloor, c: Checker) -> None:
    map_w, map_h = MAP_W * TILE, MAP_H * TILE
    for a in f.alleys:
        if a.rect is not None:
            r = a.rect
            c.check(min(r.w, r.h) >= 2 * TILE, f"{f.floor_id}: alley {a.name} narrower than 2 tiles")
            c.check(r.x >= TILE and r.y >= TILE and r.x2 <= map_w - TILE and r.y2 <= map_h - TILE,
                    f"{f.floor_id}: alley {a.name} in the margin")
    c.check(union_connected(f.alleys), f"{f.floor_id}: alleys do not form one connected area")


def union_connected(alleys: Sequence[Alley], cell: int = 8) -> bool:
    cols, rows = MAP_W * TILE // cell, MAP_H * TILE // cell
    inside = {(i, j) for i in range(cols) for j in range(rows)
              if in_alleys(i * cell + cell / 2, j * cell + cell / 2, alleys)}
    if not inside:
        return False
    start = next(iter(inside))
    seen, todo = {start}, [start]
    while todo:
        i, j = todo.pop()
        for nb in ((i + 1, j), (i - 1, j), (i, j + 1), (i, j - 1)):
            if nb in inside and nb not in seen:
                seen.add(nb)
                todo.append(nb)
    return len(seen) == len(inside)


def check_stands(f: LoadedFloor, letter: str, c: Checker) -> None:
    rect_alleys = [a.rect for a in f.alleys if a.rect is not None]
    names = [s[0] for s in f.stands]
    c.check(len(set(names)) == len(names), f"{f.floor_id}: duplicate stand numbers")
    c.check(20 <= len(f.stands) <= 24, f"{f.floor_id}: {len(f.stands)} stands")
    for i, (name, r, ex_id) in enumerate(f.stands):
        where = f"{f.floor_id}/{name}"
        c.check(re.fullmatch(rf"{letter}-\d\d", name or "") is not None, f"{where}: bad stand number")
        c.check(3 * TILE <= r.w <= 4 * TILE and 2 * TILE <= r.h <= 3 * TILE, f"{where}: size {r.w}x{r.h}")
        c.check(any(r.touches(a) for a in rect_alleys), f"{where}: touches no alley")
        c.check(not any(stand_hits_alley(r, a) for a in f.alleys), f"{where}: overlaps an alley")
        for other_name, other, _ in f.stands[i + 1:]:
            c.check(not r.overlaps(other), f"{where}: overlaps stand {other_name}")
        c.check(bool(ex_id), f"{where}: no exhibitor property")
    open_tiles = covered = 0
    for tx in range(HALL_X0, HALL_X1):
        for ty in range(HALL_Y0, HALL_Y1):
            cx, cy = (tx + 0.5) * TILE, (ty + 0.5) * TILE
            if not in_alleys(cx, cy, f.alleys):
                open_tiles += 1
                covered += any(r.contains(cx, cy) for _, r, _ in f.stands)
    c.check(covered >= 0.85 * open_tiles, f"{f.floor_id}: stands fill only {covered} of {open_tiles} block tiles")


def check_points(f: LoadedFloor, floors: dict[str, LoadedFloor], c: Checker) -> None:
    spawn = f.points.get("spawn")
    c.check(spawn is not None, f"{f.floor_id}: no spawn point")
    if spawn is None:
        return
    c.check(clearance_ok(spawn.x, spawn.y, f.alleys, 40), f"{f.floor_id}: spawn not in the middle of an alley")
    lifts = [p for p in f.points.values() if p.name != "spawn"]
    for p in lifts:
        props = dict(p.properties)
        where = f"{f.floor_id}/{p.name}"
        c.check(clearance_ok(p.x, p.y, f.alleys, 40), f"{where}: not 40 px inside an alley")
        c.check(math.dist((p.x, p.y), (spawn.x, spawn.y)) >= 150, f"{where}: too close to spawn")
        for q2 in lifts:
            if q2 is not p:
                c.check(math.dist((p.x, p.y), (q2.x, q2.y)) >= 150, f"{where}: too close to {q2.name}")
        target = floors.get(props.get("to_floor", ""))
        c.check(target is not None and target is not f, f"{where}: to_floor {props.get('to_floor')} unknown")
        if target is not None and "to_point" in props:
            back = target.points.get(props["to_point"])
            c.check(back is not None, f"{where}: to_point {props['to_point']} missing on {target.floor_id}")
            if back is not None:
                bp = dict(back.properties)
                c.check(bp.get("to_floor") == f.floor_id and bp.get("to_point") == p.name,
                        f"{where}: the matching point on {target.floor_id} does not lead back")
    c.check(any("to_point" not in dict(p.properties) for p in lifts), f"{f.floor_id}: no lift landing at spawn")


def check_chain(floors: list[LoadedFloor], c: Checker) -> None:
    ordered = sorted(floors, key=lambda fl: fl.order)
    c.check([fl.order for fl in ordered] == list(range(1, len(floors) + 1)), "floor orders are not 1..N")
    c.check(len({fl.floor_id for fl in floors}) == len(floors), "floor ids are not unique")
    for lower, upper in zip(ordered, ordered[1:], strict=False):
        for a, b in ((lower, upper), (upper, lower)):
            ok = any(dict(p.properties).get("to_floor") == b.floor_id and "to_point" in dict(p.properties)
                     for p in a.points.values())
            c.check(ok, f"no stairs from {a.floor_id} to {b.floor_id}")


def check_pygame_load(paths: list[Path], c: Checker) -> None:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame
    from pytmx.util_pygame import load_pygame

    pygame.display.init()
    pygame.display.set_mode((64, 64))
    try:
        for path in paths:
            tmx = load_pygame(str(path))
            c.check(tmx.get_tile_image(0, 0, 0) is not None, f"{path.name}: tiles did not load in pygame")
    finally:
        pygame.display.quit()


def check_maps(c: Checker) -> list[LoadedFloor]:
    paths = sorted(MAPS_DIR.glob("*.tmx"))
    c.check(len(paths) >= 5, "fewer than 5 floors")
    floors = [load_floor(p, c) for p in paths]
    by_id = {f.floor_id: f for f in floors}
    letters = {spec.floor_id: spec.letter for spec in FLOORS}
    for f in floors:
        if f.floor_id == forum_floor.FLOOR_ID:  # its own layout (expo_hall.forum.floor); `check` reads it
            continue
        check_alleys(f, c)
        check_stands(f, letters.get(f.floor_id, "?"), c)
        check_points(f, by_id, c)
    check_chain(floors, c)
    c.check(sum(isinstance(a.polygon, list) for f in floors for a in f.alleys) >= 1, "no polygon alley")
    check_pygame_load([p for p in paths if p.stem != forum_floor.FLOOR_ID], c)
    return floors


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


def check_packages(floors: list[LoadedFloor], c: Checker) -> dict[str, dict]:
    packages = {p.name: check_package(p, c) for p in sorted(STANDS_DIR.iterdir()) if p.is_dir()}
    c.check(len(packages) >= 90, f"only {len(packages)} exhibitors")
    placed: dict[str, str] = {}
    for f in floors:
        for number, _, ex_id in f.stands:
            c.check(ex_id in packages, f"{f.floor_id}/{number}: exhibitor {ex_id} has no package")
            c.check(ex_id not in placed, f"{ex_id}: placed twice ({placed.get(ex_id)} and {number})")
            placed[ex_id] = number
            if ex_id in packages:
                c.check(packages[ex_id]["category"] == f.title, f"{ex_id}: category differs from its floor")
    for ex_id in packages:
        c.check(ex_id in placed, f"{ex_id}: package is not placed on any stand")
    check_special_cases(packages, c)
    return packages


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


def verify() -> tuple[list[LoadedFloor], dict[str, dict], int]:
    c = Checker()
    floors = check_maps(c)
    packages = check_packages(floors, c)
    total = tree_size(MAPS_DIR, STANDS_DIR)
    c.check(total <= MAX_TOTAL_BYTES, f"generated content is {total} bytes")
    c.finish()
    return floors, packages, total


def main() -> None:
    started = time.monotonic()
    generate()
    floors, packages, total = verify()
    for f in sorted(floors, key=lambda fl: fl.order):
        print(f"{f.order}. {f.floor_id:<11} {f.title} — {len(f.stands)} stands")
    elapsed = time.monotonic() - started
    print(f"{len(packages)} exhibitors, {total / 1024 / 1024:.2f} MiB on disk, {elapsed:.0f} s; all checks passed")


if __name__ == "__main__":
    main()

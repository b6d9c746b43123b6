"""Generate the business programme of the demo MMSO-2020 fair: ``programme/schedule.xml`` and
``programme/programme.toml`` beside ``maps/`` (where the server looks for an expo's programme).

Run with ``python tools/make_demo_programme.py`` from anywhere. Deterministic (fixed seed): the fair's first four
days (26–29 April 2020, the concept's "ММСО" stage), 20 clusters and special projects, each in its own studio
(hall-01 … hall-20 on the forum floor) with a live stream, 1 to 7 events a day of 45 or 60 minutes, each with a
moderator and 3–4 speakers; titles in Russian, the English title as the frab subtitle. The schedule is written by
expo_hall's own frab writer, then read back: any problem raises SystemExit.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's expo_hall, whatever is installed

from expo_hall.programme import frab_to_xml, load_programme, to_frab  # noqa: E402
from expo_hall.programme.model import Conference, Day, Event, Person, Room, Schedule, Track  # noqa: E402
from expo_hall.programme.values import slug_for  # noqa: E402

SEED = 2020
OUT_DIR = ROOT / "programme"
MSK = dt.timezone(dt.timedelta(hours=3))
FIRST_DAY = dt.date(2020, 4, 26)
DAYS = 4
SLOTS = [(10, 0), (11, 15), (12, 30), (13, 45), (15, 0), (16, 15), (17, 30)]  # at most 7 events a day
PER_DAY = (1, 1, 2, 2, 2, 3, 3, 4, 5, 7)  # events of a cluster on a day, drawn from these: about 200 in all
ACRONYM = "mmco2020"
SITE = "https://mmco-expo.ru"
STREAMS = "https://stream.mmco-expo.ru"
RECORDINGS = "https://media.mmco-expo.ru/programme/{guid}.mp4"
COLOURS = ["#1e88e5", "#43a047", "#e53935", "#8e24aa", "#fb8c00", "#00897b", "#3949ab", "#c0ca33", "#6d4c41",
           "#d81b60", "#5e35b1", "#039be5", "#7cb342", "#f4511e", "#546e7a", "#00acc1", "#fdd835", "#26a69a",
           "#ab47bc", "#ef6c00"]

# cluster id, title, English title, and its topics (Russian, English)
CLUSTERS: list[tuple[str, str, str, list[tuple[str, str]]]] = [
    ("preschool", "Дошкольное образование", "Preschool education", [
        ("Детский сад на удалёнке", "Kindergarten at a distance"),
        ("Игра как основа развития", "Play as the basis of development"),
        ("Ранняя помощь семье", "Early help for families"),
        ("Развивающая среда дома", "A developing environment at home"),
        ("Подготовка к школе без стресса", "Getting ready for school without stress"),
        ("Воспитатель нового поколения", "The new generation of preschool teachers")]),
    ("school", "Общее образование", "School education", [
        ("Школа в режиме самоизоляции", "School in self-isolation"),
        ("Оценивание на расстоянии", "Assessment at a distance"),
        ("ЕГЭ-2020: новые сроки", "The 2020 state exam: new dates"),
        ("Функциональная грамотность", "Functional literacy"),
        ("Расписание и нагрузка онлайн", "Timetables and workload online"),
        ("Сельская школа и интернет", "The village school and the internet")]),
    ("vocational", "Среднее профессиональное образование", "Vocational education", [
        ("Практика без мастерской", "Practice without a workshop"),
        ("Демонстрационный экзамен", "The demonstration exam"),
        ("Колледж и работодатель", "College and employer"),
        ("Профессии будущего в СПО", "Future professions in vocational education"),
        ("Цифровые тренажёры", "Digital simulators"),
        ("Стандарты WorldSkills", "WorldSkills standards")]),
    ("higher", "Высшее образование", "Higher education", [
        ("Университет без кампуса", "A university without a campus"),
        ("Приёмная кампания онлайн", "Admissions online"),
        ("Защита диплома по видеосвязи", "Defending a thesis by video call"),
        ("Онлайн-курсы в учебном плане", "Online courses in the curriculum"),
        ("Академическая мобильность", "Academic mobility"),
        ("Университет и регион", "The university and its region")]),
    ("extracurricular", "Дополнительное образование детей", "Out-of-school education", [
        ("Кружки в онлайне", "Clubs online"),
        ("Технопарки и кванториумы", "Technoparks and Quantoriums"),
        ("Навигатор дополнительного образования", "The out-of-school education navigator"),
        ("Летний отдых и обучение", "Summer holidays and learning"),
        ("Проектная деятельность детей", "Children's projects"),
        ("Персонифицированное финансирование", "Personalised funding")]),
    ("professional", "Дополнительное профессиональное образование", "Continuing professional education", [
        ("Переподготовка за три месяца", "Retraining in three months"),
        ("Корпоративные университеты", "Corporate universities"),
        ("Микроквалификации", "Micro-credentials"),
        ("Цифровое портфолио специалиста", "A specialist's digital portfolio"),
        ("Наставничество на производстве", "Mentoring at work"),
        ("Оценка квалификаций", "Assessing qualifications")]),
    ("digital", "Цифровая трансформация образования", "Digital transformation of education", [
        ("Цифровая образовательная среда", "The digital learning environment"),
        ("Данные об обучении", "Learning data"),
        ("Искусственный интеллект в школе", "Artificial intelligence at school"),
        ("Платформы дистанционного обучения", "Distance learning platforms"),
        ("Кибербезопасность учеников", "Pupils' cyber safety"),
        ("Цифровые компетенции педагога", "Teachers' digital skills")]),
    ("inclusive", "Инклюзивное образование", "Inclusive education", [
        ("Доступная онлайн-среда", "An accessible online environment"),
        ("Тьютор в инклюзивном классе", "The tutor in an inclusive class"),
        ("Ресурсные классы", "Resource classes"),
        ("Ранняя диагностика", "Early diagnosis"),
        ("Инклюзия в вузе", "Inclusion at university"),
        ("Семья особого ребёнка", "The family of a child with special needs")]),
    ("upbringing", "Воспитание и социализация", "Upbringing and socialisation", [
        ("Программа воспитания школы", "The school's upbringing programme"),
        ("Волонтёрство школьников", "Pupils' volunteering"),
        ("Детские общественные объединения", "Children's associations"),
        ("Классный руководитель онлайн", "The form teacher online"),
        ("Профилактика травли", "Preventing bullying"),
        ("Медиаграмотность подростков", "Teenagers' media literacy")]),
    ("teachers", "Учитель будущего", "The teacher of the future", [
        ("Профессиональный стандарт педагога", "The teacher's professional standard"),
        ("Выгорание и как его избежать", "Burnout and how to avoid it"),
        ("Молодые учителя", "Young teachers"),
        ("Педагогический дизайн", "Instructional design"),
        ("Сообщества учителей", "Teachers' communities"),
        ("Аттестация и карьера учителя", "Teachers' certification and careers")]),
    ("careers", "Профориентация и карьера", "Career guidance", [
        ("Билет в будущее", "A ticket to the future"),
        ("Профпробы онлайн", "Career tasters online"),
        ("Карьерные траектории выпускников", "Graduates' career paths"),
        ("Рынок труда после пандемии", "The labour market after the pandemic"),
        ("Родители и выбор профессии", "Parents and the choice of a career"),
        ("Навыки, которые нужны работодателям", "Skills employers need")]),
    ("parents", "Родители и образование", "Parents and education", [
        ("Семья и дистанционное обучение", "The family and distance learning"),
        ("Домашнее задание без слёз", "Homework without tears"),
        ("Режим дня на самоизоляции", "Daily routine in self-isolation"),
        ("Родительский контроль в сети", "Parental control online"),
        ("Школа и родители: диалог", "School and parents: a dialogue"),
        ("Семейное образование", "Home education")]),
    ("regions", "Региональные системы образования", "Regional education systems", [
        ("Регион в период самоизоляции", "The region in self-isolation"),
        ("Лучшие региональные практики", "The best regional practices"),
        ("Муниципальная методическая служба", "Municipal teaching support"),
        ("Малокомплектные школы", "Small schools"),
        ("Региональные центры одарённых детей", "Regional centres for gifted children"),
        ("Мониторинг качества образования", "Monitoring education quality")]),
    ("international", "Международное сотрудничество", "International cooperation", [
        ("Опыт стран в карантин", "Other countries' experience of lockdown"),
        ("Экспорт российского образования", "Exporting Russian education"),
        ("Иностранные студенты онлайн", "International students online"),
        ("Сетевые программы с зарубежными вузами", "Joint programmes with foreign universities"),
        ("Русский язык в мире", "The Russian language in the world"),
        ("Международные исследования PISA", "International studies: PISA")]),
    ("edtech", "EdTech и стартапы", "EdTech and start-ups", [
        ("Инвестиции в EdTech", "Investing in EdTech"),
        ("Стартап в школе: как войти", "A start-up in school: getting in"),
        ("Адаптивное обучение", "Adaptive learning"),
        ("Геймификация", "Gamification"),
        ("VR и AR на уроке", "VR and AR in class"),
        ("Рынок онлайн-образования", "The online education market")]),
    ("adults", "Образование взрослых", "Adult education", [
        ("Учиться всю жизнь", "Learning throughout life"),
        ("Серебряный университет", "A university of the third age"),
        ("Цифровая грамотность старшего поколения", "Digital literacy for older people"),
        ("Библиотеки как центры обучения", "Libraries as learning centres"),
        ("Просветительские проекты", "Public education projects"),
        ("Мотивация взрослых учеников", "Motivating adult learners")]),
    ("science", "Наука и образование", "Science and education", [
        ("Исследования в школе", "Research at school"),
        ("Научно-образовательные центры", "Research and education centres"),
        ("Популяризация науки", "Popularising science"),
        ("Олимпиадное движение", "Academic olympiads"),
        ("Молодые учёные", "Young scientists"),
        ("Открытые данные для исследований", "Open data for research")]),
    ("health", "Здоровье и безопасность", "Health and safety", [
        ("Здоровье школьника за экраном", "The pupil's health in front of a screen"),
        ("Физкультура на дистанции", "Physical education at a distance"),
        ("Психологическая поддержка учеников", "Psychological support for pupils"),
        ("Школьное питание", "School meals"),
        ("Безопасность образовательной среды", "A safe learning environment"),
        ("Санитарные нормы и онлайн-уроки", "Health rules and online lessons")]),
    ("culture", "Культура и искусство в образовании", "Culture and the arts in education", [
        ("Музей как класс", "The museum as a classroom"),
        ("Театр в школе", "Theatre at school"),
        ("Музыкальное образование онлайн", "Music education online"),
        ("Пушкинская карта чтения", "A reading map of Pushkin"),
        ("Художественные школы", "Art schools"),
        ("Культурное наследие и краеведение", "Cultural heritage and local history")]),
    ("distance", "Спецпроект «Дистанционное обучение»", "Special project: distance learning", [
        ("Первые недели дистанта: итоги", "The first weeks of distance learning: results"),
        ("Синхронный и асинхронный урок", "Synchronous and asynchronous lessons"),
        ("Видеоурок, который смотрят", "A video lesson people watch"),
        ("Контрольные без списывания", "Tests without cheating"),
        ("Нагрузка на учителя", "The teacher's workload"),
        ("Что останется после пандемии", "What stays after the pandemic")]),
]

FORMATS = [  # Russian title pattern, English pattern, frab type, minutes
    ("Пленарная сессия «{}»", "Plenary session: {}", "plenary", 60),
    ("Панельная дискуссия «{}»", "Panel discussion: {}", "panel", 60),
    ("Круглый стол «{}»", "Round table: {}", "roundtable", 60),
    ("Мастер-класс «{}»", "Workshop: {}", "workshop", 45),
    ("Открытый диалог «{}»", "Open dialogue: {}", "discussion", 45),
    ("Экспертная сессия «{}»", "Expert session: {}", "talk", 45),
]
ABSTRACTS = [
    "Эксперты обсудят тему «{topic}»: что уже работает, что мешает и какие решения стоит масштабировать.",
    "Участники поделятся опытом и ответят на вопросы зрителей о том, как {how}.",
    "Разговор о практике: кейсы регионов, данные исследований и рекомендации для {who}.",
    "Модератор и спикеры разберут типичные ошибки и предложат пошаговые решения для {who}.",
]
WHO = ["учителей и руководителей", "школ и вузов", "родителей и учеников", "органов управления образованием",
       "колледжей и работодателей", "методистов"]
HOW = ["организовать работу в новых условиях", "сохранить качество обучения", "поддержать учеников и педагогов",
       "выстроить взаимодействие с семьями"]

MALE = ["Александр", "Алексей", "Андрей", "Артём", "Борис", "Вадим", "Виктор", "Владимир", "Георгий", "Денис",
        "Дмитрий", "Евгений", "Игорь", "Илья", "Кирилл", "Константин", "Максим", "Михаил", "Никита", "Николай",
        "Олег", "Павел", "Роман", "Сергей", "Степан", "Тимур", "Фёдор", "Юрий"]
FEMALE = ["Алина", "Анастасия", "Анна", "Валентина", "Вера", "Дарья", "Екатерина", "Елена", "Ирина", "Ксения",
          "Лариса", "Людмила", "Марина", "Мария", "Наталья", "Нина", "Ольга", "Полина", "Светлана", "Софья",
          "Татьяна", "Юлия"]
SURNAMES = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
            "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов",
            "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров", "Зайцев", "Соловьёв",
            "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьёв", "Сергеев", "Кузьмин", "Фролов", "Александров",
            "Дмитриев", "Королёв", "Гусев", "Киселёв", "Ильин", "Максимов", "Поляков", "Сорокин", "Виноградов",
            "Ковалёв", "Белов", "Медведев", "Антонов", "Тарасов", "Жуков", "Баранов", "Филиппов", "Комаров"]


def feminine(surname: str) -> str:
    return surname + "а"  # every surname above takes -а


def people(rng: random.Random, count: int) -> list[str]:
    """`count` distinct names of speakers: the same person speaks at several events, as at a real forum."""
    names: set[str] = set()
    while len(names) < count:
        if rng.random() < 0.5:
            names.add(f"{rng.choice(MALE)} {rng.choice(SURNAMES)}")
        else:
            names.add(f"{rng.choice(FEMALE)} {feminine(rng.choice(SURNAMES))}")
    return sorted(names)


def guid(kind: str, key: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{SITE}/programme/2020/{kind}/{key}"))


def build() -> tuple[Schedule, dict[str, str]]:
    """The schedule and each event's moderator (by guid)."""
    rng = random.Random(SEED)
    everyone = people(rng, 420)
    persons = {name: Person(name, i, guid("person", name)) for i, name in enumerate(everyone, 1)}
    hosts_of = {cluster[0]: everyone[2 * i:2 * i + 2] for i, cluster in enumerate(CLUSTERS)}  # two per cluster
    speakers = everyone[2 * len(CLUSTERS):]
    busy: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {}  # nobody speaks in two studios at once
    rooms = [Room(f"Студия {n}", guid("room", n)) for n in range(1, len(CLUSTERS) + 1)]
    events: list[Event] = []
    moderators: dict[str, str] = {}
    event_id = 1000
    for (cluster, track, _en, topics), room in zip(CLUSTERS, rooms, strict=True):
        pairs = [(f, t) for f in FORMATS for t in topics]
        rng.shuffle(pairs)
        day_counts = [rng.choice(PER_DAY) for _ in range(DAYS)]
        for offset, count in enumerate(day_counts):
            day = FIRST_DAY + dt.timedelta(days=offset)
            for hour, minute in sorted(rng.sample(SLOTS, count)):
                (title_ru, title_en, kind, minutes), (topic_ru, topic_en) = pairs.pop()
                event_id += 1
                title, subtitle = title_ru.format(topic_ru), title_en.format(topic_en)
                starts = dt.datetime.combine(day, dt.time(hour, minute), MSK)
                ends = starts + dt.timedelta(minutes=minutes)
                free = [s for s in speakers if all(ends <= b or e <= starts for b, e in busy.get(s, ()))]
                panel = rng.sample(free, rng.choice((3, 4)))
                for name in panel:
                    busy.setdefault(name, []).append((starts, ends))
                moderator = rng.choice(hosts_of[cluster])  # a cluster's events follow one another
                slug = slug_for(ACRONYM, event_id, subtitle)
                abstract = rng.choice(ABSTRACTS).format(topic=topic_ru, how=rng.choice(HOW), who=rng.choice(WHO))
                event = Event(guid=guid("event", event_id), id=event_id, title=title, room=room.name,
                              starts=starts,
                              duration=dt.timedelta(minutes=minutes), slug=slug, type=kind, track=track,
                              subtitle=subtitle, abstract=abstract, language="ru",
                              url=f"{SITE}/programme/{slug}/",
                              persons=tuple(persons[name] for name in [moderator, *panel]))
                events.append(event)
                moderators[event.guid] = moderator
    days = tuple(Day(i, FIRST_DAY + dt.timedelta(days=i - 1),
                     dt.datetime.combine(FIRST_DAY + dt.timedelta(days=i - 1), dt.time(9), MSK),
                     dt.datetime.combine(FIRST_DAY + dt.timedelta(days=i - 1), dt.time(21), MSK))
                 for i in range(1, DAYS + 1))
    conference = Conference(title="ММСО-2020: Деловая программа", acronym=ACRONYM, start=FIRST_DAY,
                            end=FIRST_DAY + dt.timedelta(days=DAYS - 1), time_zone_name="Europe/Moscow",
                            base_url=f"{SITE}/programme/", url=f"{SITE}/")
    tracks = tuple(Track(track, colour) for (_, track, _, _), colour in zip(CLUSTERS, COLOURS, strict=True))
    schedule = Schedule(conference=conference, version="2020.04", tracks=tracks, rooms=tuple(rooms), days=days,
                        events=tuple(sorted(events, key=lambda e: (e.starts, e.room, e.id))))
    return schedule, moderators


def programme_toml(schedule: Schedule, moderators: dict[str, str]) -> str:
    q = json.dumps  # a JSON string is a TOML basic string for these texts
    lines = ["# The business programme of the demo fair: rooms to halls of the forum floor, their streams and",
             "# recordings; tracks to clusters; each event's moderator. Made by tools/make_demo_programme.py.", ""]
    for n, room in enumerate(schedule.rooms, 1):
        lines += [f"[rooms.{q(room.name, ensure_ascii=False)}]", f'hall = "hall-{n:02d}"',
                  f'stream = "{STREAMS}/hall-{n:02d}/index.m3u8"', f'recordings = "{RECORDINGS}"', ""]
    for cluster_id, title, title_en, _ in CLUSTERS:
        lines += [f"[clusters.{cluster_id}]", f"title = {q(title, ensure_ascii=False)}", f"title_en = {q(title_en)}",
                  f"tracks = [{q(title, ensure_ascii=False)}]", ""]
    for event in schedule.events:
        lines += [f'[events."{event.guid}"]', f"moderator = {q(moderators[event.guid], ensure_ascii=False)}", ""]
    return "\n".join(lines)


def write(folder: Path) -> None:
    schedule, moderators = build()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "schedule.xml").write_bytes(frab_to_xml(to_frab(schedule)))
    (folder / "programme.toml").write_text(programme_toml(schedule, moderators), encoding="utf-8")


def main() -> None:
    write(OUT_DIR)
    programme, problems = load_programme(OUT_DIR)
    if problems or programme is None:
        raise SystemExit("\n".join(str(p) for p in problems) or "the programme could not be read back")
    events = programme.schedule.events
    print(f"{len(events)} events in {len(programme.mapping.clusters)} clusters over "
          f"{len({e.starts.date() for e in events})} days, written to {OUT_DIR}")


if __name__ == "__main__":
    main()

""""My visit" from the visitor's data folder (`expo-hall visit`): a PNG per floor the route touches, with the
route and the visited stands drawn over the printable plan, and a PDF of the stops whose text holds them all."""

from __future__ import annotations

import datetime as dt

import pypdfium2
from PIL import Image

from expo_hall.briefcase import Briefcase
from expo_hall.commands.visit import main
from expo_hall.floors import plan
from expo_hall.route.overlay import LINE, NEXT, VISITED, WALKED
from expo_hall.route.store import FILE_NAME, Route

T = dt.datetime(2020, 4, 27, 8, 5, tzinfo=dt.UTC)


def test_my_visit_draws_each_floor_of_the_route_and_lists_the_stops_with_contacts_and_materials(expo_dirs, tmp_path,
                                                                                                capsys):
    maps, stands = expo_dirs
    with (stands / "alpha" / "stand.toml").open("a", encoding="utf-8") as fh:
        fh.write('\n[contacts]\nemail = "hello@alpha.example"\nphone = "+7 495 000-00-00"\n')
    data = tmp_path / "data"
    assert main(["--maps", str(maps), "--stands", str(stands), "--data-dir", str(data), "--out",
                 str(tmp_path / "none"), "--lang", "ru"]) == 1
    assert "сохранять пока нечего" in capsys.readouterr().err

    route = Route.load(data / FILE_NAME)
    route.replace(["alpha", "epsilon", "beta"])  # across the lift and back
    route.mark_visited("alpha", T, "opened")
    route.mark_visited("gamma", T + dt.timedelta(minutes=7), "dwell")  # off the route
    route.spend("alpha", 185)
    for i, x in enumerate(range(100, 700, 100)):
        route.walk_point("main", x, 320, T + dt.timedelta(seconds=i))
    route.save()
    brochure = tmp_path / "brochure.pdf"
    brochure.write_bytes(b"%PDF-1.4\n%%EOF\n")
    Briefcase(data / "briefcase").add_material("alpha", "Буклет курсов", brochure)

    out = tmp_path / "visit"
    assert main(["--maps", str(maps), "--stands", str(stands), "--data-dir", str(data), "--out", str(out),
                 "--lang", "ru"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["main.png", "my-visit.pdf", "upper.png"]

    text = "".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(out / "my-visit.pdf"))
    at = T.astimezone().strftime("%H:%M")
    for line in ("Мой визит · ", "Посещено остановок маршрута: 1 из 3",
                 "1. ООО «Альфа-Обучение»", f"Стенд A-1 · Главный зал · посещён в {at} · 3 мин у стенда",
                 "Эл. почта: hello@alpha.example", "Телефон: +7 495 000-00-00", "Вы взяли материалы: Буклет курсов",
                 "2. Эпсилон Университет", "Стенд B-1 · Второй этаж · не посещён", "3. Школа <b>Роста</b> %{name}",
                 "Также посещены", "Детский сад «Солнышко»"):
        assert line in text, line
    assert text.index("1. ООО") < text.index("2. Эпсилон") < text.index("3. Школа") < text.index("Также")

    top = plan.MARGIN + plan.TITLE_SIZE + plan.NOTE_SIZE + 36  # the floor at zoom 1 below the title

    def colours(floor: str, w: int, h: int) -> set[tuple[int, int, int]]:
        with Image.open(out / f"{floor}.png") as image:
            return {c for _, c in image.convert("RGB").crop((plan.MARGIN, top, plan.MARGIN + w, top + h))
                    .getcolors(1 << 20)}

    assert {LINE, VISITED, WALKED} <= colours("main", 960, 640)  # the route on to the lift, the ticks, the walk
    assert colours("upper", 640, 640) & {LINE, NEXT}  # the route goes on upstairs

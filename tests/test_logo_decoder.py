"""Logos beyond what the loader decodes before the hall opens (stands.logos.PREDECODED_ROOM) are decoded on a
thread of their own: the hall draws their placeholders meanwhile, keeps none of them, and draws the floor again,
the same as if every logo had been decoded beforehand, when they come."""

from __future__ import annotations

import pygame

from expo_hall.floors.renderer import FloorRenderer
from expo_hall.stands import logos as logos_module
from expo_hall.stands.logos import LogoCache, brand_colour, predecoded


def test_the_loader_decodes_logos_in_the_order_given_until_its_room_is_used(make_app):
    d = make_app("--no-server")
    exhibitors = [ex for ex in d.app.expo.exhibitors.values() if ex.logo is not None]
    assert len(exhibitors) >= 2
    one = len(logos_module.decode_logo(exhibitors[0])[0])
    assert [ex for ex, _ in predecoded(exhibitors, room=1)] == exhibitors[:1]
    assert [ex for ex, _ in predecoded(exhibitors, room=one + 1)] == exhibitors[:2]
    assert [ex for ex, _ in predecoded(exhibitors)] == exhibitors  # the default room holds a small expo's


def test_logos_the_loader_left_are_decoded_on_a_thread_and_the_floor_drawn_again_with_them(make_app, monkeypatch):
    monkeypatch.setattr(logos_module, "PREDECODED_ROOM", 1)  # the loader decodes one logo, no more
    d = make_app("--no-server")
    app, hall = d.app, d.hall
    stands = [s for s in hall.floor.stands if (ex := app.expo.exhibitors.get(s.exhibitor_id)) and ex.logo]
    assert len(stands) >= 2
    d.until(lambda: not any(app.logos.waiting(s.exhibitor_id) for s in stands))
    d.frames(2)
    for stand in stands:  # each logo's base is kept, none of the placeholders drawn while it was read
        assert ("logo", stand.exhibitor_id, 0) in app.surfaces
    zoom = hall.camera.zoom
    drawn = hall.renderer.render_whole(zoom)
    at_once = FloorRenderer(hall.floor, app.expo.exhibitors, LogoCache(app.text), app.text, app.lang,
                            app.tiles.get(hall.floor.floor_id)).render_whole(zoom)
    assert pygame.image.tobytes(drawn, "RGB") == pygame.image.tobytes(at_once, "RGB")
    on_screen = app.window.copy()  # the frame shows them too: no stand's middle is its placeholder's colour
    for stand in stands:
        x, y = hall.camera.to_screen((stand.rect.x0 + stand.rect.x1) / 2, (stand.rect.y0 + stand.rect.y1) / 2)
        if app.window.get_rect().collidepoint(x, y):
            assert on_screen.get_at((int(x), int(y)))[:3] != brand_colour(stand.exhibitor_id)

"""Shapes and layers as Tiled draws them: ellipses, offsets of layers and nested groups, layers sharing a name."""

from __future__ import annotations

import pytest

from expo_hall.floors.navigation import NavMesh
from expo_hall.floors.tiled import load_floor

MAP = """<?xml version="1.0" encoding="UTF-8"?>
<map version="1.10" orientation="orthogonal" renderorder="right-down" width="30" height="20" tilewidth="32"
     tileheight="32" infinite="0" nextlayerid="9" nextobjectid="9">
 <properties><property name="floor_id" value="shapes"/><property name="title" value="Формы"/></properties>
 <objectgroup id="1" name="alleys">
  <object id="1" x="0" y="300" width="900" height="100"/>
  <object id="2" x="500" y="0" width="400" height="300"><ellipse/></object>
 </objectgroup>
 <group id="2" name="hall A" offsetx="100" offsety="50">
  <group id="3" name="row" offsetx="20">
   <objectgroup id="4" name="stands" offsetx="5" offsety="0.5">
    <object id="3" name="A-1" x="0" y="0" width="64" height="64">
     <properties><property name="exhibitor" value="alpha"/></properties>
    </object>
   </objectgroup>
  </group>
 </group>
 <objectgroup id="5" name="stands">
  <object id="4" name="B-1" x="300" y="200" width="100" height="80"><ellipse/>
   <properties><property name="exhibitor" value="beta"/></properties>
  </object>
 </objectgroup>
 <objectgroup id="6" name="points">
  <object id="5" name="spawn" x="50" y="350"><point/></object>
 </objectgroup>
</map>
"""


@pytest.fixture(scope="module")
def floor(tmp_path_factory):
    path = tmp_path_factory.mktemp("shapes") / "shapes.tmx"
    path.write_text(MAP, encoding="utf-8")
    loaded, problems = load_floor(path)
    assert problems == []
    return loaded


def test_layers_sharing_a_role_name_are_taken_together(floor):
    assert {s.number for s in floor.stands} == {"A-1", "B-1"}


def test_offsets_of_nested_groups_and_their_layer_add_up(floor):
    a1 = floor.stand("A-1").rect
    assert (a1.x0, a1.y0, a1.x1, a1.y1) == (125, 50.5, 189, 114.5)


def test_an_ellipse_stand_is_hit_inside_its_ellipse_only(floor):
    nav = NavMesh(floor)
    b1 = floor.stand("B-1")
    assert b1.ellipse and nav.stand_at(350, 240) is b1
    assert nav.stand_at(305, 205) is None  # inside the bounding box, outside the ellipse


def test_an_ellipse_alley_is_walked_as_an_ellipse(floor):
    nav = NavMesh(floor)
    assert floor.alleys[1].polygon is not None
    assert nav.in_alleys(700, 150) and nav.in_alleys(700, 5) and not nav.in_alleys(510, 10)
    path = nav.path((50, 350), (700, 60))
    assert path is not None and path[-1] == (700, 60)
    assert all(nav.segment_clear(a, b) for a, b in zip(path, path[1:], strict=False))


def test_a_tile_layer_in_a_roles_place_is_named(tmp_path):
    from expo_hall.problems import ContentError

    start, end = MAP.index('<objectgroup id="6"'), MAP.index("</map>")
    path = tmp_path / "tiles.tmx"
    path.write_text(MAP[:start] + '<layer id="6" name="points" width="30" height="20"><data encoding="csv">'
                    + ",".join(["0"] * 600) + "</data></layer>" + MAP[end:], encoding="utf-8")
    with pytest.raises(ContentError) as refused:
        load_floor(path)
    assert [(p.key, p.obj) for p in refused.value.problems][:1] == [("not_object_layer", "layer 'points'")]


def test_the_minimap_and_the_visited_tick_follow_an_ellipse_stand(floor):
    from expo_hall.floors.minimap import Minimap
    from expo_hall.stands.logos import brand_colour

    minimap = Minimap(floor)
    s, b1 = minimap.scale, floor.stand("B-1")
    colour = brand_colour("beta")
    assert minimap.image.get_at((round(350 * s), round(240 * s)))[:3] == colour
    assert minimap.image.get_at((round(303 * s), round(203 * s)))[:3] != colour  # its box's corner: not the stand
    corner = b1.inner_rect  # the tick on a visited stand sits at this box's top right corner, on the ellipse
    assert b1.holds(corner.x1 - 1, corner.y0 + 1) and not b1.holds(b1.rect.x1 - 1, b1.rect.y0 + 1)

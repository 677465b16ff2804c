"""The map of an article's places: every name it shows lies inside the map."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSizeF

from annotator.ui.map_view import MapPlace, MapView


def name_rects(view: MapView) -> dict[str, QRectF]:
    """Each shown name's box in the viewport's pixels (a dot and its name ignore the zoom:
    the name's position is in pixels from its dot)."""
    return {
        kb_id: QRectF(
            QPointF(view.mapFromScene(dot.pos())) + dot.name.pos(), dot.name.boundingRect().size()
        )
        for kb_id, dot in view.dots.items()
        if dot.name.isVisible()
    }


def test_names_at_the_edges_stay_inside_the_map(qtbot):
    """A long name on the easternmost place, its left side taken by a neighbour, once ran
    past the map's edge; the places are now fitted with room for it."""
    view = MapView()
    qtbot.addWidget(view)
    view.resize(260, 200)
    view.show()
    places = [
        MapPlace("geonames:1", "Tobruk", "Tobruk, LY", "place", 32.08, 23.96),
        MapPlace("geonames:2", "Bardia", "Bardia, LY", "place", 31.76, 25.09),
        MapPlace(
            "geonames:3",
            "Sidi Barrani (Marmarica coast)",
            "Sidi Barrani, EG",
            "place",
            31.61,
            25.93,
        ),
        MapPlace("geonames:4", "Derna", "Derna, LY", "place", 32.77, 22.64),
    ]
    view.set_places(places)
    qtbot.waitUntil(lambda: view.isVisible())
    view.fit()
    shown = name_rects(view)
    inside = QRectF(view.viewport().rect()).adjusted(-1, -1, 1, 1)
    assert "geonames:3" in shown  # the long name is shown ...
    for kb_id, rect in shown.items():
        assert inside.contains(rect), (kb_id, rect, inside)  # ... and nothing is cut off
    for dot in view.dots.values():  # every place is on the map
        assert inside.contains(view.mapFromScene(dot.pos()))


def dot_rects(view: MapView) -> dict[str, QRectF]:
    return {
        kb_id: QRectF(QPointF(view.mapFromScene(dot.pos())) - QPointF(4, 4), QSizeF(8, 8))
        for kb_id, dot in view.dots.items()
    }


def test_the_selected_name_goes_where_it_covers_no_neighbour(qtbot):
    """With neighbours on its four sides, the selected place's name was drawn over the one
    on its right."""
    view = MapView()
    qtbot.addWidget(view)
    view.resize(420, 320)
    view.show()
    centre = MapPlace("geonames:1", "Kafr Nabl", "Kafr Nabl, SY", "place", 35.53, 36.56)
    around = [
        MapPlace(f"geonames:{n}", name, f"{name}, SY", "place", 35.53 + dy, 36.56 + dx)
        for n, (name, dx, dy) in enumerate(
            [("East", 0.25, 0), ("West", -0.25, 0), ("North", 0, 0.12), ("South", 0, -0.12)],
            start=2,
        )
    ]
    view.set_places([centre, *around])
    qtbot.waitUntil(view.isVisible)
    view.fit()
    view.select_place("geonames:1")
    view.fit()
    name = name_rects(view)["geonames:1"]
    dots = dot_rects(view)
    assert [
        kb_id for kb_id, dot in dots.items() if kb_id != "geonames:1" and name.intersects(dot)
    ] == []


def test_names_shown_side_by_side_keep_a_space_between_them(qtbot):
    """Two names that touched read as one: "Jisr ash ShughūrArīḥā"."""
    view = MapView()
    qtbot.addWidget(view)
    view.resize(420, 320)
    view.show()
    places = [  # the first bundled sample's, where it was seen
        MapPlace("geonames:admin1:SY.12", "Idlib", "Idlib, SY", "region", 35.874, 36.613, 2),
        MapPlace("geonames:169389", "Idlib", "Idlib, Idlib, SY", "place", 35.931, 36.634, 2),
        MapPlace("geonames:163843", "Syria", "Syria", "country", 35.074, 36.573, 1),
        MapPlace("geonames:172994", "Arīḩā", "Arīḩā, Idlib, SY", "place", 35.814, 36.610, 2),
        MapPlace("geonames:164782", "Sarmīn", "Sarmīn, Idlib, SY", "place", 35.904, 36.725, 1),
        MapPlace("geonames:164816", "Saraqib", "Saraqib, Idlib, SY", "place", 35.864, 36.806, 1),
        MapPlace("geonames:170063", "Aleppo", "Aleppo, Aleppo, SY", "place", 36.201, 37.161, 2),
        MapPlace("geonames:169023", "Jisr ash Shughūr", "Jisr ash Shughūr, Idlib, SY", "place",
                 35.814, 36.320, 1),
        MapPlace("geonames:174030", "Al Atārib", "Al Atārib, Aleppo, SY", "place", 36.139,
                 36.825, 1),
    ]  # fmt: skip
    view.set_places(places)
    qtbot.waitUntil(view.isVisible)
    for width in range(320, 400, 6):  # maps of these sizes (names keep theirs)
        view.resize(width, 400)
        view.fit()
        shown = list(name_rects(view).values())
        assert len(shown) >= 2
        for k, one in enumerate(shown):
            for other in shown[k + 1 :]:
                assert not one.adjusted(-3, 0, 3, 0).intersects(other), (width, one, other)


def test_a_message_over_a_narrow_map_wraps_within_it(qtbot):
    """On a narrow map "Building the place index… (once per computer, about" was cut off."""
    view = MapView()
    qtbot.addWidget(view)
    view.resize(220, 200)
    view.show()
    qtbot.waitExposed(view)
    note = "Building the place index… (once per computer, about a minute)"
    view.show_message(note)
    message = view.message
    assert message.isVisible() and message.text() == note
    assert message.geometry().right() <= view.viewport().width()
    assert message.height() > message.fontMetrics().height() * 1.5  # two lines at least
    view.resize(900, 200)
    qtbot.wait(50)
    assert message.height() < message.fontMetrics().height() * 2.5  # one line again

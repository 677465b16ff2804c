"""The dark theme beyond the article: the map, the Agreement dialog's figures and the claim
tags are drawn for a dark page, and follow a switch of theme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QPainter, QPixmap

from annotator.ui.agreement_view import _heat
from annotator.ui.claim_links import CLAIM_TAG, Tag
from annotator.ui.map_items import DARK_MAP, LIGHT_MAP, MapPlace
from annotator.ui.map_view import MapView
from annotator.ui.relation_painter import TagPainter
from annotator.ui.theme import dark_palette, follower, is_dark


@pytest.fixture
def dark(qapp):
    follower(qapp).apply("dark")
    assert is_dark()
    yield
    follower(qapp).apply("system")  # the offscreen desktop is light


def luminance(color: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in color.getRgbF()[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: QColor, b: QColor) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_map_is_drawn_dark_and_follows_the_theme(qtbot, qapp):
    view = MapView()
    qtbot.addWidget(view)
    view.set_places([MapPlace("geonames:1", "Kidal", "Kidal, ML", "place", 18.44, 1.41)])
    assert view.backgroundBrush().color().name() == LIGHT_MAP.water
    try:
        follower(qapp).apply("dark")
        qtbot.waitUntil(lambda: view.backgroundBrush().color().name() == DARK_MAP.water)
        assert view.countries[0].brush().color().name() == DARK_MAP.land
        name = view.dots["geonames:1"].name.brush().color()
        assert contrast(name, QColor(DARK_MAP.land)) >= 4.5
    finally:
        follower(qapp).apply("system")
    qtbot.waitUntil(lambda: view.backgroundBrush().color().name() == LIGHT_MAP.water)


def test_agreement_figures_stay_readable_in_the_dark(dark):
    text = dark_palette().color(dark_palette().ColorRole.Text)
    for value in (0.0, 0.5, 0.8, 1.0):
        assert contrast(text, _heat(value)) >= 4.5, value


def test_claim_tags_stand_on_the_page_of_either_theme(dark):
    painter = TagPainter()
    for dark_page, page in ((True, dark_palette().color(dark_palette().ColorRole.Base)),
                            (False, QColor("white"))):  # fmt: skip
        for tag in (
            Tag(1, 5, "3", CLAIM_TAG, "CLAIM", confirmed=True, linked=False),  # no source yet
            Tag(1, 5, "3", CLAIM_TAG, "CLAIM", confirmed=False),  # a suggestion
        ):
            image = QPixmap(30, 16)
            image.fill(page)
            drawing = QPainter(image)
            rect = QRectF(0.5, 0.5, 29, 15)
            painter._draw_tag(drawing, tag, rect, QColor("#9467bd"), dark_page)  # noqa: SLF001
            drawing.end()
            inside = image.toImage().pixelColor(4, 8)  # the tag's fill, beside its number
            # Of the page's lightness: no white box on the dark page, nor a dark one on white.
            assert contrast(inside, page) < 1.6, (dark_page, tag)


def test_an_unticked_box_shows_on_the_dark_page(qtbot):
    """Fusion drew its border in the page's own colour: the box could not be seen."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication, QCheckBox, QStyle, QStyleOptionButton

    from annotator.ui.theme import contrast

    follower().apply("dark")
    try:
        box = QCheckBox("hedged")
        qtbot.addWidget(box)
        box.show()
        qtbot.waitExposed(box)
        option = QStyleOptionButton()
        box.initStyleOption(option)
        element = QStyle.SubElement.SE_CheckBoxIndicator
        indicator = box.style().subElementRect(element, option, box)
        image = box.grab().toImage()
        page = QApplication.palette().color(QPalette.ColorRole.Window)
        rows = range(indicator.top() + 2, indicator.bottom() - 1)
        left = [image.pixelColor(indicator.left(), y) for y in rows]  # the box's left edge
        assert max(contrast(c, page) for c in left) >= 2.5
    finally:
        follower().apply("light")

"""Light and dark: the window follows the desktop's colour scheme (``QStyleHints
.colorScheme()``), or the annotator's choice in the preferences, and every colour drawn on
the page stays readable on either.

Where the desktop gives no dark palette (or light, when the annotator chose it against the
desktop), the application gets Qt's Fusion style with a palette of its own. Label colours
are the scheme's: on a dark page their text is drawn lighter (``readable``) and their
tints stronger, so LOCATION blue and CLAIM purple read as well as on white.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QObject, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleFactory

SYSTEM, LIGHT, DARK = "system", "light", "dark"
#: The choices of Preferences → Theme, as the menu shows them.
THEMES = {SYSTEM: "Follow the desktop", LIGHT: "Light", DARK: "Dark"}


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether ``palette`` (the application's, by default) draws light text on dark."""
    if palette is None:
        palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def desktop_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def dark_palette() -> QPalette:
    """A dark palette for the Fusion style: grey surfaces, light text, blue selection."""
    palette = QPalette()
    roles = QPalette.ColorRole
    colours = {
        roles.Window: "#2b2d30",
        roles.WindowText: "#e4e4e4",
        roles.Base: "#1f2023",
        roles.AlternateBase: "#27292c",
        roles.ToolTipBase: "#3c3f41",
        roles.ToolTipText: "#eeeeee",
        roles.PlaceholderText: "#8d9096",
        roles.Text: "#e4e4e4",
        roles.Button: "#35373b",
        roles.ButtonText: "#e4e4e4",
        roles.BrightText: "#ff6b6b",
        roles.Light: "#4a4d52",
        roles.Midlight: "#3d4044",
        roles.Mid: "#2a2c2f",
        roles.Dark: "#1a1b1d",
        roles.Shadow: "#000000",
        roles.Highlight: "#2f65ca",
        roles.HighlightedText: "#ffffff",
        roles.Link: "#6cb4ff",
        roles.LinkVisited: "#b39ddb",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.WindowText, roles.Text, roles.ButtonText):
        palette.setColor(disabled, role, QColor("#7b7e84"))
    palette.setColor(disabled, roles.Highlight, QColor("#4a4d52"))
    return palette


class VisibleBoxesStyle(QProxyStyle):
    """Qt's Fusion, with the border of a check box or radio button drawn where the dark
    palette would hide it: Fusion draws it in the window colour darkened, which on the dark
    page is the page's own colour, so an unticked box was not to be seen."""

    BOXES = (
        QStyle.PrimitiveElement.PE_IndicatorCheckBox,
        QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck,
        QStyle.PrimitiveElement.PE_IndicatorRadioButton,
    )

    def __init__(self) -> None:
        super().__init__(QStyleFactory.create("Fusion"))

    def drawPrimitive(self, element, option, painter, widget=None) -> None:  # noqa: N802
        super().drawPrimitive(element, option, painter, widget)
        if element not in self.BOXES or not is_dark(option.palette):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(option.palette.color(QPalette.ColorRole.PlaceholderText), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        box = QRectF(option.rect).adjusted(0.5, 0.5, -0.5, -0.5)
        if element == QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(box)
        else:
            painter.drawRoundedRect(box, 1.5, 1.5)
        painter.restore()


class ThemeFollower(QObject):
    """Keeps the application in the chosen theme: ``apply(choice)`` now, and again when
    the desktop switches between light and dark while the choice is to follow it."""

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.app = app
        self.choice = SYSTEM
        # The style set here (None: the desktop's, left alone); kept, as its Python draws.
        self._style: VisibleBoxesStyle | None = None
        QGuiApplication.styleHints().colorSchemeChanged.connect(lambda _: self.apply(self.choice))

    def apply(self, choice: str) -> bool:
        """Put the application in ``choice`` (``system``, ``light`` or ``dark``); returns
        whether it is dark now."""
        self.choice = choice if choice in THEMES else SYSTEM
        dark = self.choice == DARK or (self.choice == SYSTEM and desktop_is_dark())
        hints = QGuiApplication.styleHints()
        if hasattr(hints, "setColorScheme"):  # Qt 6.8: title bars and native dialogs follow
            scheme = {DARK: Qt.ColorScheme.Dark, LIGHT: Qt.ColorScheme.Light}
            hints.setColorScheme(scheme.get(self.choice, Qt.ColorScheme.Unknown))
        self.app.setPalette(QPalette())  # the desktop's own, if it has the right one
        if is_dark(self.app.palette()) != dark:
            if self._style is None:
                self._style = VisibleBoxesStyle()
                self.app.setStyle(self._style)
            self.app.setPalette(dark_palette() if dark else self.app.style().standardPalette())
        # Style sheets resolve their colours (palette(base), a label's muted text) when they
        # are set: set again, they take the new palette's.
        for widget in self.app.allWidgets():
            sheet = widget.styleSheet()
            if sheet:
                widget.setStyleSheet(sheet)
        return dark


def follower(app: QApplication | None = None) -> ThemeFollower:
    """The application's one ``ThemeFollower`` (made on first use)."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    assert isinstance(app, QApplication)
    found = app.findChild(ThemeFollower)
    return found if found is not None else ThemeFollower(app)


def readable(colour: QColor | str, dark: bool | None = None, strength: float = 1.0) -> QColor:
    """``colour`` as text on the current page: darker on a light one, lighter on a dark one
    (keeping its hue), so a label's colour never disappears into the background.
    ``strength`` 0…1: how far from the colour itself."""
    colour = QColor(colour)
    if dark is None:
        dark = is_dark()
    hue, saturation, lightness, alpha = colour.getHsl()
    if dark:
        target = 150 + int(70 * strength)  # 150…220 of 255
        lightness = max(lightness, target)
    else:
        target = 110 - int(60 * strength)  # 110…50
        lightness = min(lightness, target)
    return QColor.fromHsl(max(hue, 0), saturation, lightness, alpha)


def label_text(colour: QColor | str) -> QColor:
    """A label's colour for its name in a list or table, on the current page: darkened (or
    lightened, on a dark page) in steps until it reads at WCAG AA, 4.5:1, whatever colour
    the label was given (a white label's name vanished on light rows)."""
    page = QApplication.palette().color(QPalette.ColorRole.Base)
    return QColor.fromRgba(_label_text(QColor(colour).name(), is_dark(), page.rgb()))


@lru_cache(maxsize=256)  # asked for each row painted
def _label_text(colour: str, dark: bool, page_rgb: int) -> int:
    shade = readable(colour, dark, 0.6 if dark else 0.2)
    return legible(shade, QColor.fromRgb(page_rgb), 4.5, dark).rgba()


def legible(text: QColor, behind: QColor, ratio: float, dark: bool) -> QColor:
    """``text`` darkened (lightened on a dark page) in steps of its own hue until it reads
    at ``ratio`` against ``behind``."""
    hue, saturation, lightness, alpha = text.getHsl()
    while contrast(text, behind) < ratio and 0 < lightness < 255:
        lightness = min(lightness + 10, 255) if dark else max(lightness - 10, 0)
        text = QColor.fromHsl(max(hue, 0), saturation, lightness, alpha)
    return text


def over(top: QColor, under: QColor) -> QColor:
    """``top`` (with its alpha) painted over the opaque ``under``."""
    a = top.alphaF()
    return QColor.fromRgbF(
        *(t * a + u * (1 - a) for t, u in zip(top.getRgbF()[:3], under.getRgbF()[:3], strict=True))
    )


def contrast(a: QColor, b: QColor) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (
            0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())
        )

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)

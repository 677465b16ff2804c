"""A label's colour: how it is written (``#rrggbb``), the colour a new label gets (one that
looks like no other label's, to red-green blind eyes too, and shows on a white page), and the
note when a colour chosen looks like another's or hardly shows. The rest of a scheme's rules
(names, keys) are in ``labels.py``."""

from __future__ import annotations

import colorsys
import re
from collections.abc import Sequence

from annotator.core.labels import LabelError
from annotator.core.model import Label

#: Colours new labels get, in turn: distinct from the default four and from one another,
#: and readable as a tint on a white page and as text on a dark one. The first four tell
#: apart to red-green blind eyes too (SOURCE was green beside FACTION's red: the same to
#: them); green comes later.
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#9467bd",
    "#e69f00",
    "#17becf",
    "#e377c2",
    "#2ca02c",
    "#8c564b",
    "#bcbd22",
)

#: The colour of spans whose label is not in the scheme: no label of the scheme gets one
#: like it (the 7th label got #7f7f7f, and its spans looked like strays).
OUTSIDE_SCHEME_COLOR = "#888888"

_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def check_color(color: str) -> str:
    """A colour as ``#rrggbb`` (lower case)."""
    if not _COLOR.match(color or ""):
        raise LabelError(f"a label's colour is written #RRGGBB (like #1f77b4), not {color!r}")
    return color.lower()


#: Colours closer than this (CIELAB ΔE) look alike; to red-green blind eyes (simulated,
#: Machado 2009), labels of one kind (both tints, or both underlines) closer than
#: ``SAME_TO_RED_GREEN_BLIND`` do.
SAME_COLOUR = 20
SAME_TO_RED_GREEN_BLIND = 12
_DEUTERANOPIA = (
    (0.367322, 0.860646, -0.227968),
    (0.280085, 0.672501, 0.047413),
    (-0.011820, 0.042940, 0.968881),
)


def colour_clash(labels: Sequence[Label], name: str) -> str:
    """A note when the label ``name``'s colour looks like another label's (to anyone, or to
    red-green blind eyes), or vanishes on a white page: accepted without a word, FACTION
    given SOURCE's colour made their spans look the same. "" when its colour stands out."""
    label = next((each for each in labels if each.name == name), None)
    if label is None:
        return ""
    notes = []
    for other in labels:
        if other.name == name:
            continue
        if _difference(label.color, other.color) < SAME_COLOUR:
            notes.append(f"{name} looks like {other.name} ({other.color})")
        elif other.kind == label.kind and (
            _difference(label.color, other.color, _DEUTERANOPIA) < SAME_TO_RED_GREEN_BLIND
        ):
            notes.append(f"{name} looks like {other.name} ({other.color}) to red-green blind eyes")
    if _difference(label.color, "#ffffff") < SAME_COLOUR:
        notes.append(f"{name}'s colour is near white: its spans hardly show on a light page")
    elif (ratio := contrast_with_white(label.color)) < LEAST_CONTRAST:
        notes.append(
            f"{name}'s colour is very light ({ratio:.1f}:1 against white): its name and "
            "spans hardly show on a light page"
        )
    return "; ".join(notes)


#: Below this contrast with white (WCAG's ratio), a label's colour hardly shows as text on
#: a light page: yellow (1.1:1) and pure green (1.4:1) passed, only near-white was noted.
#: The palette's lightest, orange and cyan, have 2.2:1.
LEAST_CONTRAST = 2.0


def contrast_with_white(color: str) -> float:
    """WCAG's contrast ratio of a #RRGGBB colour against white (1 to 21)."""
    rgb = [int(color[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def _difference(a: str, b: str, seen_as: tuple[tuple[float, ...], ...] | None = None) -> float:
    """CIE76 ΔE of two #RRGGBB colours, as normal eyes (or ``seen_as``) see them."""
    first, second = _lab(a, seen_as), _lab(b, seen_as)
    return sum((x - y) ** 2 for x, y in zip(first, second, strict=True)) ** 0.5


def _lab(color: str, seen_as: tuple[tuple[float, ...], ...] | None) -> tuple[float, ...]:
    rgb = [int(color[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    if seen_as is not None:
        linear = [
            min(max(sum(m * c for m, c in zip(row, linear, strict=True)), 0.0), 1.0)
            for row in seen_as
        ]
    r, g, b = linear
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz]
    return (116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2]))


def next_color(labels: Sequence[Label]) -> str:
    """The first colour of ``PALETTE``, then of more hues round the wheel, that looks like
    no label's (to anyone, or to red-green blind eyes) and shows on a white page; else the
    one farthest from them all. Round the palette again, the 11th label got LOCATION's
    colour, and the program's own note then said they looked alike."""
    colours = [label.color for label in labels if _COLOR.match(label.color)]

    def nearest(candidate: str) -> float:
        # Not the grey of spans outside the scheme either (the 7th label got #7f7f7f);
        # greys look alike to every eye, so the plain difference is enough there.
        grey = _difference(candidate, OUTSIDE_SCHEME_COLOR) / SAME_COLOUR
        return min(
            grey,
            *(
                min(_difference(candidate, c) / SAME_COLOUR,
                    _difference(candidate, c, _DEUTERANOPIA) / SAME_TO_RED_GREEN_BLIND)
                for c in colours
            ),
        )  # fmt: skip

    candidates = [*PALETTE, *_MORE_HUES]
    for candidate in candidates:
        if nearest(candidate) >= 1:
            return candidate
    return max(candidates, key=nearest)


def _hues(count: int, lightness: float = 0.42) -> tuple[str, ...]:
    """``count`` colours round the hue wheel by the golden angle, dark enough to read on
    white (lightness 0.42, or darker; saturation 0.65)."""
    colours = []
    for step in range(count):
        r, g, b = colorsys.hls_to_rgb((step * 0.381966) % 1.0, lightness, 0.65)
        colours.append(f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}")
    return tuple(colours)


#: Past the palette: a ring of hues, then a darker one (16 labels tell apart so; with the
#: grey of strays kept free, one ring gave 12).
_MORE_HUES = _hues(48) + _hues(48, lightness=0.30)

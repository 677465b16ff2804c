"""The default colours, as red-green blind eyes see them: FACTION's red and SOURCE's green
were the same to them (a colour difference of 4 where 2 is barely seen), and so were the
Model panel's "accepted" and "deleted"."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from annotator.core.label_colours import PALETTE
from annotator.core.model import DEFAULT_LABELS, ENTITY_KIND

#: Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
SIMULATIONS = {
    "normal": np.eye(3),
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
         [-0.011820, 0.042940, 0.968881]]
    ),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
         [-0.003882, -0.048116, 1.051998]]
    ),
}  # fmt: skip


def _linear(rgb: np.ndarray) -> np.ndarray:
    c = rgb / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
    x = xyz @ np.clip(linear, 0, 1) / np.array([0.95047, 1, 1.08883])
    f = np.where(x > 0.008856, np.cbrt(x), 7.787 * x + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(colour: str, vision: str, tint: float = 1.0) -> np.ndarray:
    """CIELAB of ``colour`` painted at ``tint`` over white, as ``vision`` sees it."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], float)
    rgb = rgb * tint + 255 * (1 - tint)
    return _lab(SIMULATIONS[vision] @ _linear(rgb))


def difference(a: str, b: str, vision: str, tint: float = 1.0) -> float:
    return float(np.linalg.norm(seen(a, vision, tint) - seen(b, vision, tint)))


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_the_default_entity_labels_tints_tell_apart_in_every_vision(vision):
    """Entity spans are tinted fills (30 % on a white page): each pair at least 15 apart."""
    entities = [label for label in DEFAULT_LABELS if label.kind == ENTITY_KIND]
    assert len(entities) == 3
    for a, b in itertools.combinations(entities, 2):
        assert difference(a.color, b.color, vision, tint=0.3) >= 15, (a.name, b.name)


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_the_model_panels_parts_tell_apart(vision):
    from annotator.ui.model_chart import PARTS

    for (a, colour_a, _), (b, colour_b, _) in itertools.combinations(PARTS, 2):
        assert difference(colour_a, colour_b, vision) >= 30, (a, b)


def test_new_labels_get_the_default_labels_colours_first():
    assert list(PALETTE[:4]) == [label.color for label in DEFAULT_LABELS]


def test_no_new_label_looks_like_a_label_outside_the_scheme():
    """The 7th label got #7f7f7f, the grey of spans whose label is not in the scheme."""
    from annotator.core.label_colours import OUTSIDE_SCHEME_COLOR, _difference, next_color
    from annotator.core.model import Label

    labels = list(DEFAULT_LABELS)
    for number in range(16):
        colour = next_color(labels)
        assert _difference(colour, OUTSIDE_SCHEME_COLOR) >= 20, (number, colour)
        labels.append(Label(f"NEW{number}", color=colour))

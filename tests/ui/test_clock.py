"""The active-time clock keeps the seconds a failed save did not store."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from annotator.ui.clock import SAVE_EVERY_SECONDS, ActiveClock


def test_seconds_a_save_could_not_store_are_tried_again_later(qtbot):
    """On a full disk the clock said "active 0:36" and 6 s were stored once space was freed:
    the seconds of each failed save were counted as saved."""
    window = QWidget()
    qtbot.addWidget(window)
    saves: list[float] = []
    disk_full = [True]

    def save(seconds: float) -> bool:
        saves.append(seconds)
        return not disk_full[0]

    clock = ActiveClock(window, save)
    clock.start_article(0)
    clock._active = SAVE_EVERY_SECONDS  # noqa: SLF001 - 30 s counted
    clock.save_now()
    assert saves == [SAVE_EVERY_SECONDS] and clock._active == SAVE_EVERY_SECONDS  # noqa: SLF001
    assert clock._save_at == 2 * SAVE_EVERY_SECONDS  # noqa: SLF001 - not every second
    disk_full[0] = False
    clock._active += 6  # noqa: SLF001
    clock.save_now()
    assert saves[-1] == SAVE_EVERY_SECONDS + 6  # nothing lost
    assert clock._active == 0  # noqa: SLF001
    clock.stop()

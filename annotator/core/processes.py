"""Files a process makes under its own number, and whether that process still runs: what
another start may remove (the half-made file of a process that died) and what it must not
(a file another running start is making)."""

from __future__ import annotations

import os
import re
from pathlib import Path


def running(pid: int) -> bool:
    """Whether process ``pid`` is alive."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's: alive
        return True
    return True


def remove_left_by_dead(files: list[Path], number: str = r"(\d+)") -> None:
    """Remove those of ``files`` whose name holds (first match of ``number``) the number of
    a process no longer running, or no number at all (left by an older version)."""
    for path in files:
        found = re.search(number, path.name)
        if found is None or not running(int(found.group(1))):
            path.unlink(missing_ok=True)

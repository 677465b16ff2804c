"""Groups of overlapping intervals, for many articles at once."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Int64Array = npt.NDArray[np.int64]


def overlap_groups(starts: npt.ArrayLike, ends: npt.ArrayLike) -> Int64Array:
    """Group ids (0, 1, ...) of intervals sorted by start: connected runs of overlap.

    An interval joins the current group when it starts before the furthest end seen so far,
    so a group is a connected component of the overlap graph. Intervals of different
    articles or labels are kept apart by laying them out on disjoint stretches of one axis.
    """
    start = np.asarray(starts, dtype=np.int64)
    end = np.asarray(ends, dtype=np.int64)
    if len(start) == 0:
        return np.zeros(0, dtype=np.int64)
    reach = np.maximum.accumulate(end)
    new = np.ones(len(start), dtype=bool)
    new[1:] = start[1:] >= reach[:-1]
    return np.cumsum(new) - 1

"""Exact verification of a candidate pair on shingle sets: resemblance and both containments."""

from __future__ import annotations

import numpy as np

from newsfold.copies.options import CopyOptions


def compare(a: np.ndarray, b: np.ndarray) -> tuple[float, float, float]:
    """Exact (resemblance, containment of a in b, containment of b in a) of two shingle sets.

    ``a`` and ``b`` are sorted arrays of unique values (as ``body_shingles`` returns). An empty
    set is contained in nothing and resembles nothing (all three are 0.0).

    >>> compare(np.array([1, 2, 3, 4]), np.array([3, 4, 5]))
    (0.4, 0.5, 0.6666666666666666)
    """
    if len(a) == 0 or len(b) == 0:
        return 0.0, 0.0, 0.0
    # A stable sort of two sorted runs is one merge (timsort): 5 us for two sets of 1,000
    # shingles, against 77 us for ``np.intersect1d`` (numpy 2.4).
    merged = np.concatenate((a, b))
    merged.sort(kind="stable")
    return scores(int(np.count_nonzero(merged[1:] == merged[:-1])), len(a), len(b))


def matches(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``(in_a, in_b)`` of the values two sorted unique arrays share, paired."""
    merged = np.concatenate((a, b))
    order = np.argsort(merged, kind="stable")
    same = np.flatnonzero(merged[order[1:]] == merged[order[:-1]])
    return order[same], order[same + 1] - len(a)


def scores(shared: int, size_a: int, size_b: int) -> tuple[float, float, float]:
    """``(resemblance, containment of a, containment of b)`` from the shared count and sizes."""
    if size_a == 0 or size_b == 0:
        return 0.0, 0.0, 0.0
    union = size_a + size_b - shared
    return shared / union, shared / size_a, shared / size_b


def is_copy(
    resemblance: float,
    containment_a: float,
    containment_b: float,
    size_a: int,
    size_b: int,
    options: CopyOptions,
) -> bool:
    """The definition of a copy edge.

    Resemblance at least ``min_resemblance``, or the shorter page (fewer shingles) contained in
    the longer one at least ``min_containment``: truncation caps resemblance at the length ratio,
    so it is containment that recognises a cut copy. Pages under ``min_shingles`` are never
    copies (a tiny body is contained in everything).
    """
    if min(size_a, size_b) < options.min_shingles:
        return False
    if resemblance >= options.min_resemblance:
        return True
    if size_a < size_b:
        shorter = containment_a
    elif size_b < size_a:
        shorter = containment_b
    else:
        shorter = max(containment_a, containment_b)
    return shorter >= options.min_containment

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
    shared = len(np.intersect1d(a, b, assume_unique=True))
    union = len(a) + len(b) - shared
    return shared / union, shared / len(a), shared / len(b)


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

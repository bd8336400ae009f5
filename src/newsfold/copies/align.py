"""Paragraph alignment of two copies: which paragraphs they share and which each one alone carries.

Two passes. First, paragraphs with the same normalised words are paired in reading order (the
usual case: most paragraphs of a wire copy are untouched). Then the rest are matched by shingle
overlap, which handles a paragraph that was edited, or merged with its neighbour on one site
and split on the other: a paragraph counts as shared when most of its shingles occur in the
other body (shingles there span paragraph breaks, so a split does not hide them), and it is
paired with each paragraph of the other side it overlaps substantially.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsfold.copies.shingles import Body, read_body

# A paragraph is shared when at least this share of its shingles is found in the other body.
# Chosen on the seed copies: edited paragraphs keep over 0.8, paragraphs one site added share
# under 0.1 (a stock phrase like "North Korea's Kim Jong Un" is one or two 5-grams).
COVERED = 0.5
# Two paragraphs are paired when their overlap is at least this share of the smaller one: low,
# because a paragraph merged from two halves overlaps each half by about half of itself.
PAIRED = 0.25


def align_paragraphs(
    a: Sequence[str], b: Sequence[str], size: int = 5
) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]:
    """Align the paragraphs of two bodies.

    Returns ``(shared, only_a, only_b)``: ``shared`` the sorted index pairs ``(i_a, i_b)`` of
    paragraphs that carry the same text (a merged paragraph appears in several pairs);
    ``only_a`` / ``only_b`` the indexes of paragraphs found on one side only. Every paragraph
    with words is either in a pair or on its side's "only" list; empty paragraphs are in neither.

    >>> shared, only_a, only_b = align_paragraphs(
    ...     ["One two three four five six.", "Seven eight nine ten eleven twelve."],
    ...     ["One two three four five six. Seven eight nine ten eleven twelve.", "Thirteen."],
    ...     size=3)
    >>> shared, only_a, only_b
    (((0, 0), (1, 0)), (), (1,))
    """
    return align_bodies(read_body(a, size), read_body(b, size), size)


def align_bodies(
    a: Body, b: Body, size: int
) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...], tuple[int, ...]]:
    """``align_paragraphs`` on bodies already read (``read_body`` with the same ``size``)."""
    values_a, owners_a, sizes_a = a.paragraph_shingles(size)
    values_b, owners_b, sizes_b = b.paragraph_shingles(size)
    count_a, count_b = len(sizes_a), len(sizes_b)
    pairs: set[tuple[int, int]] = set()

    # Pass 1: identical normalised paragraphs, paired in order of appearance.
    free_b: dict[int, list[int]] = {}
    for j, digest in enumerate(b.paragraph_digests):
        if sizes_b[j]:
            free_b.setdefault(digest, []).append(j)
    matched_a = np.zeros(count_a, dtype=bool)
    matched_b = np.zeros(count_b, dtype=bool)
    for i, digest in enumerate(a.paragraph_digests):
        if sizes_a[i] and free_b.get(digest):
            j = free_b[digest].pop(0)
            pairs.add((i, j))
            matched_a[i] = matched_b[j] = True

    # Pass 2: the rest by shingle overlap, every paragraph pair at once.
    if not matched_a.all() or not matched_b.all():
        overlap = _overlap_matrix(values_a, owners_a, count_a, values_b, owners_b, count_b)
        covered_a = _covered(values_a, owners_a, sizes_a, b.shingles) & ~matched_a
        covered_b = _covered(values_b, owners_b, sizes_b, a.shingles) & ~matched_b
        smaller = np.minimum.outer(sizes_a, sizes_b)
        strong = (overlap > 0) & (overlap >= PAIRED * smaller)
        for row in np.flatnonzero(covered_a & (overlap.max(axis=1, initial=0) > 0)).tolist():
            # A paragraph covered through paragraph breaks only still pairs with its best match.
            best = int(np.argmax(overlap[row]))
            pairs.update((row, col) for col in {best, *np.flatnonzero(strong[row]).tolist()})
        for col in np.flatnonzero(covered_b & (overlap.max(axis=0, initial=0) > 0)).tolist():
            best = int(np.argmax(overlap[:, col]))
            pairs.update((row, col) for row in {best, *np.flatnonzero(strong[:, col]).tolist()})

    in_pairs_a = {i for i, _ in pairs}
    in_pairs_b = {j for _, j in pairs}
    only_a = tuple(i for i, n in enumerate(sizes_a) if n and i not in in_pairs_a)
    only_b = tuple(j for j, n in enumerate(sizes_b) if n and j not in in_pairs_b)
    return tuple(sorted(pairs)), only_a, only_b


def _covered(
    values: np.ndarray, owners: np.ndarray, sizes: np.ndarray, other: np.ndarray
) -> np.ndarray:
    """Per paragraph: is at least ``COVERED`` of its shingles in the other body?"""
    found = np.bincount(owners, weights=_members(values, other), minlength=len(sizes))
    result: np.ndarray = found >= COVERED * np.maximum(sizes, 1)
    return result & (sizes > 0)


def _members(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Which of ``values`` are in ``sorted_set`` (sorted unique): a binary search each."""
    if len(sorted_set) == 0:
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    found: np.ndarray = sorted_set[at] == values
    return found


def _overlap_matrix(
    values_a: np.ndarray,
    owners_a: np.ndarray,
    count_a: int,
    values_b: np.ndarray,
    owners_b: np.ndarray,
    count_b: int,
) -> np.ndarray:
    """``overlap[i, j]`` = shingles shared by paragraph i of a and paragraph j of b.

    Each value of a is looked up in b's sorted values; a value held by several paragraphs of b
    (a repeated sentence) counts for each of them.
    """
    overlap = np.zeros((count_a, count_b), dtype=np.int64)
    if len(values_a) == 0 or len(values_b) == 0:
        return overlap
    order = np.argsort(values_b, kind="stable")
    sorted_b, sorted_owners = values_b[order], owners_b[order]
    left = np.searchsorted(sorted_b, values_a, side="left")
    counts = np.searchsorted(sorted_b, values_a, side="right") - left
    hits = np.flatnonzero(counts)
    if len(hits) == 0:
        return overlap
    counts = counts[hits]
    # Expand each hit into its run of equal values in b (almost always a run of one).
    run_starts = np.repeat(left[hits], counts)
    within = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    np.add.at(overlap, (np.repeat(owners_a[hits], counts), sorted_owners[run_starts + within]), 1)
    return overlap

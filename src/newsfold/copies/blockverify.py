"""Exact verification of a block of candidate pairs at once: shingle counts by component bitmask.

``verify.compare`` and ``explain.may_interleave`` look at one pair at a time (a merge of two
shingle sets, then per-paragraph coverage), which cost ~100-250 us of numpy calls per pair: on
the 100k-page speed corpus (126k verified pairs) that was most of the run. Here the same numbers
come for every pair of a block in a few array passes.

The pages of a block fall into connected components of the candidate graph (each page in one;
most are a family of 2-8 pages). Every shingle occurrence of every page, and every shingle inside
one paragraph, is sorted by (component, value) once; each run of equal values then carries a
bitmask of the pages of its component whose shingle set holds it (``in_set``), and of those whose
paragraphs hold it too (``inner``). A page's count of shared shingles with each page of its
component is the per-bit sum of the masks of its distinct shingles (``np.unpackbits`` and a
prefix sum), and a paragraph's count of shingles covered by another page is the same sum over the
paragraph's distinct shingles. These are exactly the counts of ``verify.compare`` (resemblance,
containments) and of ``explain.may_interleave`` (per-paragraph ``hits``), so the accepted pairs
are the same as pair by pair; ``tests/test_copies_batch.py`` checks it against the pairwise path.

Components of more than ``MAX_COMPONENT`` pages (one bit per page in a uint64) are left to the
caller, which verifies them pair by pair.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsfold.copies import compiled
from newsfold.copies.align import COVERED
from newsfold.copies.explain import GAP_PARAGRAPHS, GAP_WORDS
from newsfold.copies.options import CopyOptions
from newsfold.copies.reader import Chunk, grouping_order, segment_grams
from newsfold.copies.unionfind import component_labels

# One bit per page of a component in a uint64 mask.
MAX_COMPONENT = 64


@dataclass(frozen=True, slots=True, eq=False)
class BlockCounts:
    """Shingle counts of the pages of a chunk against the other pages of their component.

    ``handled``: per page, is its component small enough to be counted here. ``bit``: the page's
    bit in its component. ``set_sizes``: distinct shingles per page. ``shared``: (pages x bits)
    shingles a page shares with the page of each bit of its component. ``paragraph_sizes``:
    distinct shingles inside each paragraph (``Body.coverage_table`` sizes). ``hits``:
    (paragraphs x bits) distinct shingles of a paragraph, in its page's set, that the page of
    each bit holds in its set and inside one of its paragraphs (``may_interleave``'s hits).
    """

    handled: np.ndarray
    bit: np.ndarray
    set_sizes: np.ndarray
    shared: np.ndarray
    paragraph_sizes: np.ndarray
    hits: np.ndarray


# A 4-bit mask spread over four 16-bit lanes of a uint64: summing these counts four bits at once.
_NIBBLE_LANES = np.array(
    [sum(((n >> k) & 1) << (16 * k) for k in range(4)) for n in range(16)], dtype=np.uint64
)
_LANE = np.uint64(0xFFFF)


def _segment_bit_counts(masks: np.ndarray, bounds: np.ndarray, width: int) -> np.ndarray:
    """Per segment (``bounds``: start offsets plus the end) and bit < ``width``: how many of the
    segment's masks have that bit.

    Four bits are counted per pass, each in a 16-bit lane of a uint64 sum (``_NIBBLE_LANES``),
    so a segment must hold under 65,536 masks; longer ones are counted bit by bit.
    """
    rows = len(bounds) - 1
    out = np.zeros((rows, width), dtype=np.int64)
    lengths = np.diff(bounds)
    filled = np.flatnonzero(lengths > 0)
    if len(filled) == 0:
        return out
    starts = bounds[:-1][filled]
    if int(lengths.max()) >= 1 << 16:
        for bit in range(width):
            column = ((masks >> np.uint64(bit)) & np.uint64(1)).astype(np.int64)
            out[filled, bit] = np.add.reduceat(column, starts)
        return out
    for nibble in range((width + 3) // 4):
        spread = _NIBBLE_LANES[((masks >> np.uint64(4 * nibble)) & np.uint64(15)).astype(np.intp)]
        sums = np.add.reduceat(spread, starts)
        for lane in range(min(4, width - 4 * nibble)):
            out[filled, 4 * nibble + lane] = (sums >> np.uint64(16 * lane)) & _LANE
    return out


def block_counts(chunk: Chunk, pairs: np.ndarray) -> BlockCounts:
    """Counts of ``chunk``'s pages for verifying ``pairs`` (n x 2 rows of the chunk).

    Pages of components (under ``pairs``) larger than ``MAX_COMPONENT`` get no bit and no
    counts (``handled`` False).
    """
    count = chunk.count
    labels = component_labels(count, np.asarray(pairs, dtype=np.int64).reshape(-1, 2))
    order = np.argsort(labels, kind="stable")
    sorted_labels = labels[order]
    first = np.ones(count, dtype=bool)
    first[1:] = sorted_labels[1:] != sorted_labels[:-1]
    run_start = np.flatnonzero(first)
    run_size = np.diff(np.append(run_start, count))
    component = np.empty(count, dtype=np.int64)
    component[order] = np.cumsum(first) - 1
    bit = np.empty(count, dtype=np.int64)
    bit[order] = np.arange(count) - np.repeat(run_start, run_size)
    handled = run_size[component] <= MAX_COMPONENT
    width = max(1, int(run_size[run_size <= MAX_COMPONENT].max(initial=0)))
    page_bit = np.where(handled, np.uint64(1) << np.minimum(bit, 63).astype(np.uint64), 0)
    page_bit = page_bit.astype(np.uint64)

    kernels = compiled.KERNELS
    if kernels is not None:
        paragraph_page = np.repeat(np.arange(count, dtype=np.int64), chunk.paragraphs)
        members = order.astype(np.int64)
        member_start = np.append(run_start, count).astype(np.int64)
        if _whole_text(chunk, paragraph_page):
            counts = kernels.whole_text_counts(
                chunk.grams,
                chunk.gram_owner,
                chunk.words,
                chunk.paragraph_lengths,
                paragraph_page,
                members,
                member_start,
                page_bit,
                width,
                chunk.size,
            )
        else:
            inner, inner_paragraph = segment_grams(chunk.words, chunk.paragraph_lengths, chunk.size)
            counts = kernels.component_counts(
                chunk.grams,
                chunk.gram_owner,
                inner,
                inner_paragraph,
                paragraph_page,
                members,
                member_start,
                page_bit,
                width,
            )
    else:
        counts = _counts_whole_text(chunk, component, page_bit, width)
        if counts is None:
            counts = _counts_general(chunk, component, page_bit, width)
    shared, hits, paragraph_sizes = counts
    set_sizes = np.zeros(count, dtype=np.int64)
    set_sizes[handled] = shared[np.flatnonzero(handled), bit[handled]]
    return BlockCounts(
        handled=handled,
        bit=bit,
        set_sizes=set_sizes,
        shared=shared,
        paragraph_sizes=paragraph_sizes,
        hits=hits,
    )


def _whole_text(chunk: Chunk, paragraph_page: np.ndarray) -> bool:
    """Is every paragraph running text and every body at least one shingle long, so that the
    set's shingles are every n-gram of every body (``_counts_whole_text``'s condition)?"""
    if not bool(chunk.text.all()) or chunk.count == 0:
        return False
    body_words = np.bincount(paragraph_page, weights=chunk.paragraph_lengths, minlength=chunk.count)
    body_words = body_words.astype(np.int64)
    if int(body_words.min()) < chunk.size:
        return False
    return int((body_words - chunk.size + 1).sum()) == len(chunk.grams)


def _counts_general(
    chunk: Chunk, component: np.ndarray, page_bit: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(shared, hits, paragraph_sizes)`` of ``BlockCounts`` for any chunk: the set's shingle
    occurrences and every paragraph's own shingles are entries of one sort."""
    count = chunk.count
    paragraph_page = np.repeat(np.arange(count, dtype=np.int64), chunk.paragraphs)
    inner, inner_paragraph = segment_grams(chunk.words, chunk.paragraph_lengths, chunk.size)
    inner_page = paragraph_page[inner_paragraph]
    set_entries = len(chunk.grams)
    values = np.concatenate((chunk.grams, inner))
    entry_page = np.concatenate((chunk.gram_owner, inner_page))
    # Rows: a page for set entries, ``count`` + paragraph for paragraph entries; entries are in
    # row order (pages in order, then paragraphs in order), which the stable sorts keep within
    # each run, so repeats of one row in a run are neighbours.
    row = np.concatenate((chunk.gram_owner, count + inner_paragraph))
    comp = component[entry_page]
    order, sorted_values, sorted_comp = grouping_order(values, comp)
    sorted_row = row[order]
    is_set = order < set_entries
    new_run = np.ones(len(order), dtype=bool)
    new_run[1:] = (sorted_values[1:] != sorted_values[:-1]) | (sorted_comp[1:] != sorted_comp[:-1])
    fresh = new_run.copy()
    fresh[1:] |= sorted_row[1:] != sorted_row[:-1]
    run_id = np.cumsum(new_run) - 1
    starts = np.flatnonzero(new_run)
    bits = page_bit[entry_page[order]]
    in_set = (
        np.bitwise_or.reduceat(np.where(is_set, bits, np.uint64(0)), starts)
        if len(starts)
        else bits
    )
    held_inner = (
        np.bitwise_or.reduceat(np.where(is_set, np.uint64(0), bits), starts)
        if len(starts)
        else bits
    )
    inner_mask = in_set & held_inner
    run_set = in_set[run_id]
    own_in_set = (run_set & bits) != 0
    masks = np.where(is_set, run_set, np.where(own_in_set, inner_mask[run_id], np.uint64(0)))
    masks = np.where(fresh, masks, np.uint64(0))
    in_order = np.empty(len(order), dtype=np.uint64)
    in_order[order] = masks
    unique_inner = np.zeros(len(order), dtype=bool)
    unique_inner[order] = fresh & ~is_set

    page_bounds = np.searchsorted(chunk.gram_owner, np.arange(count + 1))
    shared = _segment_bit_counts(in_order[:set_entries], page_bounds, width)
    paragraph_count = len(chunk.paragraph_lengths)
    paragraph_bounds = np.searchsorted(inner_paragraph, np.arange(paragraph_count + 1))
    hits = _segment_bit_counts(in_order[set_entries:], paragraph_bounds, width)
    paragraph_sizes = np.bincount(
        inner_paragraph[unique_inner[set_entries:]], minlength=paragraph_count
    ).astype(np.int64)
    return shared, hits, paragraph_sizes


def _counts_whole_text(
    chunk: Chunk, component: np.ndarray, page_bit: np.ndarray, width: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """``_counts_general`` when every paragraph is running text and every body has a full
    shingle (the default settings), with half the entries: a paragraph's own shingles are then
    the set's occurrences that start and end in it, so one sort of the occurrences serves both.
    None when the chunk is not such.
    """
    count, size = chunk.count, chunk.size
    paragraph_page = np.repeat(np.arange(count, dtype=np.int64), chunk.paragraphs)
    if not _whole_text(chunk, paragraph_page):
        return None
    body_words = np.bincount(paragraph_page, weights=chunk.paragraph_lengths, minlength=count)
    body_words = body_words.astype(np.int64)
    per_body = body_words - size + 1
    word_start = np.cumsum(body_words) - body_words
    gram_start = np.cumsum(per_body) - per_body
    owner = chunk.gram_owner
    position = word_start[owner] + np.arange(len(owner), dtype=np.int64) - gram_start[owner]
    paragraph_of_word = np.repeat(
        np.arange(len(chunk.paragraph_lengths), dtype=np.int64), chunk.paragraph_lengths
    )
    paragraph = paragraph_of_word[position]
    inner = paragraph == paragraph_of_word[position + size - 1]

    comp = component[owner]
    order, sorted_values, sorted_comp = grouping_order(chunk.grams, comp)
    sorted_page, sorted_paragraph, sorted_inner = owner[order], paragraph[order], inner[order]
    new_run = np.ones(len(order), dtype=bool)
    new_run[1:] = (sorted_values[1:] != sorted_values[:-1]) | (sorted_comp[1:] != sorted_comp[:-1])
    fresh_page = new_run.copy()
    fresh_page[1:] |= sorted_page[1:] != sorted_page[:-1]
    # Within a run, occurrences keep reading order, and a paragraph's own occurrences of one
    # value are neighbours (an occurrence crossing out of it starts after all of them).
    fresh_paragraph = new_run.copy()
    fresh_paragraph[1:] |= (sorted_paragraph[1:] != sorted_paragraph[:-1]) | ~sorted_inner[:-1]
    fresh_paragraph &= sorted_inner
    run_id = np.cumsum(new_run) - 1
    starts = np.flatnonzero(new_run)
    bits = page_bit[sorted_page]
    zero = np.uint64(0)
    in_set = np.bitwise_or.reduceat(bits, starts)
    inner_mask = in_set & np.bitwise_or.reduceat(np.where(sorted_inner, bits, zero), starts)
    set_masks = np.empty(len(order), dtype=np.uint64)
    set_masks[order] = np.where(fresh_page, in_set[run_id], zero)
    paragraph_masks = np.empty(len(order), dtype=np.uint64)
    paragraph_masks[order] = np.where(fresh_paragraph, inner_mask[run_id], zero)

    page_bounds = np.searchsorted(owner, np.arange(count + 1))
    shared = _segment_bit_counts(set_masks, page_bounds, width)
    paragraph_count = len(chunk.paragraph_lengths)
    paragraph_bounds = np.searchsorted(paragraph, np.arange(paragraph_count + 1))
    hits = _segment_bit_counts(paragraph_masks, paragraph_bounds, width)
    lengths = chunk.paragraph_lengths
    # A paragraph under ``size`` words has one shingle of its own, never in a set.
    paragraph_sizes = np.bincount(
        sorted_paragraph[fresh_paragraph], minlength=paragraph_count
    ).astype(np.int64)
    paragraph_sizes += (lengths > 0) & (lengths < size)
    return shared, hits, paragraph_sizes


def pair_scores(
    counts: BlockCounts, pairs: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``(shared, size_a, size_b, resemblance, containment_a, containment_b)`` per pair, the
    numbers of ``verify.compare`` (pairs of handled pages only)."""
    a, b = pairs[:, 0], pairs[:, 1]
    # Pages of unhandled components read bit 0: their pairs are verified elsewhere.
    shared = counts.shared[a, np.where(counts.handled[b], counts.bit[b], 0)]
    size_a, size_b = counts.set_sizes[a], counts.set_sizes[b]
    union = np.maximum(size_a + size_b - shared, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        resemblance = shared / union
        containment_a = np.where(size_a > 0, shared / np.maximum(size_a, 1), 0.0)
        containment_b = np.where(size_b > 0, shared / np.maximum(size_b, 1), 0.0)
    return shared, size_a, size_b, resemblance, containment_a, containment_b


def copy_mask(
    size_a: np.ndarray,
    size_b: np.ndarray,
    resemblance: np.ndarray,
    containment_a: np.ndarray,
    containment_b: np.ndarray,
    options: CopyOptions,
) -> np.ndarray:
    """``verify.is_copy`` of every pair."""
    shorter = np.where(
        size_a < size_b,
        containment_a,
        np.where(size_b < size_a, containment_b, np.maximum(containment_a, containment_b)),
    )
    result: np.ndarray = (np.minimum(size_a, size_b) >= options.min_shingles) & (
        (resemblance >= options.min_resemblance) | (shorter >= options.min_containment)
    )
    return result


def _open_runs(
    chunk: Chunk, counts: BlockCounts, pages: np.ndarray, others: np.ndarray
) -> np.ndarray:
    """Per side ``(page, other)``: ``explain._open_run`` of the page's paragraphs with ``sure``
    and ``possible`` as ``may_interleave`` finds them against the other page (the compiled
    ``_kernels.open_runs`` when built: one walk over each side's paragraphs, this the twin)."""
    sides = len(pages)
    result = np.zeros(sides, dtype=bool)
    if sides == 0:
        return result
    kernels = compiled.KERNELS
    if kernels is not None:
        compiled_result: np.ndarray = kernels.open_runs(
            np.ascontiguousarray(chunk.paragraphs, dtype=np.int64),
            np.ascontiguousarray(chunk.paragraph_lengths, dtype=np.int64),
            np.ascontiguousarray(chunk.text, dtype=bool).view(np.uint8),
            np.ascontiguousarray(counts.hits, dtype=np.int64),
            np.ascontiguousarray(counts.bit, dtype=np.int64),
            np.ascontiguousarray(counts.paragraph_sizes, dtype=np.int64),
            np.ascontiguousarray(pages, dtype=np.int64),
            np.ascontiguousarray(others, dtype=np.int64),
            chunk.size,
            COVERED,
            GAP_PARAGRAPHS,
            GAP_WORDS,
        )
        return compiled_result
    paragraph_start = np.zeros(chunk.count + 1, dtype=np.int64)
    np.cumsum(chunk.paragraphs, out=paragraph_start[1:])
    many = chunk.paragraphs[pages]
    side = np.repeat(np.arange(sides, dtype=np.int64), many)
    side_first = np.zeros(sides + 1, dtype=np.int64)
    np.cumsum(many, out=side_first[1:])
    position = np.arange(len(side), dtype=np.int64) - side_first[side]
    paragraph = paragraph_start[pages][side] + position
    hits = counts.hits[paragraph, counts.bit[others][side]]
    sizes = counts.paragraph_sizes[paragraph]
    lengths = chunk.paragraph_lengths[paragraph]
    text = (lengths > 0) & chunk.text[paragraph]
    sure = (hits > 0) & (hits >= COVERED * np.maximum(sizes, 1))
    paragraph_page = np.repeat(np.arange(chunk.count, dtype=np.int64), chunk.paragraphs)
    partial = np.bincount(paragraph_page[~chunk.text], minlength=chunk.count) > 0
    possible = (hits > 0) | (lengths < chunk.size) | partial[others][side]
    bound = text & possible
    big = np.iinfo(np.int64).max
    low = np.full(sides, big, dtype=np.int64)
    high = np.full(sides, -1, dtype=np.int64)
    np.minimum.at(low, side[bound], position[bound])
    np.maximum.at(high, side[bound], position[bound])
    inside = text & (position > low[side]) & (position < high[side])
    reset = inside & sure
    counted = inside & ~sure
    start_of_side = position == 0
    group = np.cumsum(reset | start_of_side) - 1
    groups = int(group[-1]) + 1 if len(group) else 0
    paragraphs = np.bincount(group, weights=counted, minlength=groups)
    words = np.bincount(group, weights=np.where(counted, lengths, 0), minlength=groups)
    wide = (paragraphs >= GAP_PARAGRAPHS) & (words >= GAP_WORDS)
    group_side = np.zeros(groups, dtype=np.int64)
    group_side[group] = side
    result[group_side[wide]] = True
    return result


def may_interleave(chunk: Chunk, counts: BlockCounts, pairs: np.ndarray) -> np.ndarray:
    """``explain.may_interleave`` of every pair (rows of handled pages): False proves that the
    pair's alignment has no interior gap on one side at least."""
    if len(pairs) == 0:
        return np.zeros(0, dtype=bool)
    a, b = pairs[:, 0], pairs[:, 1]
    first = _open_runs(chunk, counts, a, b)
    second = _open_runs(chunk, counts, b, a)
    result: np.ndarray = first & second
    return result

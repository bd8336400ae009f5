"""Block verification: the counts of a whole block of pairs equal those of the pair-by-pair path."""

from __future__ import annotations

import tempfile
from dataclasses import fields
from itertools import combinations, pairwise

import numpy as np
import pytest

from newsfold.copies import CopyOptions, blockverify, compare
from newsfold.copies.blockverify import (
    _counts_general,
    _counts_whole_text,
    _segment_bit_counts,
    block_counts,
    may_interleave,
    pair_scores,
)
from newsfold.copies.explain import may_interleave as pair_may_interleave
from newsfold.copies.reader import Chunk, grouping_order, read_chunk
from newsfold.copies.shingles import bodies_of
from newsfold.copies.stage import SpilledWords
from newsfold.copies.tokens import encode_bodies, encode_body

WIRE = [
    (
        "The minister said on Tuesday that the talks with the unions would resume next week, after "
        "a month in which both sides had refused to meet."
    ),
    (
        "He added that no agreement had been reached on pensions, the main point of dispute, and "
        "that the government would not withdraw its plan."
    ),
    (
        "Union leaders called the offer an insult and promised new strikes across the country if "
        "the reform went ahead as written."
    ),
    "Markets barely moved on the news, with the main index closing flat for the third day.",
]
CHROME_TOP = ["Home", "World News Sport", "Sign up for our newsletter to get the best stories."]
CHROME_BOTTOM = [
    "Most read: the ten best beaches of the summer, ranked by our travel desk readers.",
    "Follow us on social media for the latest updates and breaking news alerts every day.",
]
OTHER = [
    "A storm closed the port for two days and stranded hundreds of passengers on the ferries.",
    "Officials said the harbour would reopen once the wind dropped below gale force tonight.",
    "Fishermen said the damage to their boats was the worst they had seen in twenty years.",
]


def _bodies() -> list[list[str]]:
    """Copies with edits, one site's chrome around different articles (the interleaving case),
    short paragraphs and repeated lines."""
    return [
        WIRE,
        WIRE[:3],
        ["WASHINGTON (AP) - " + WIRE[0], *WIRE[1:], "Additional reporting by Reuters."],
        [WIRE[0] + " " + WIRE[1], WIRE[2], "ADVERTISEMENT", WIRE[3]],
        [*CHROME_TOP, *WIRE, *CHROME_BOTTOM],
        [*CHROME_TOP, *OTHER, *CHROME_BOTTOM],
        [*CHROME_TOP, *OTHER[:2], "Read more", *CHROME_BOTTOM, *CHROME_BOTTOM],
        [w.replace("said", "says") for w in WIRE],
        OTHER + OTHER,
    ]


def _check_against_pairwise(options: CopyOptions) -> None:
    bodies = _bodies()
    chunk = read_chunk(bodies, options.shingle_size, options.text_paragraph_words)
    read = bodies_of(chunk)
    pairs = np.array(list(combinations(range(len(bodies)), 2)), dtype=np.int64)
    counts = block_counts(chunk, pairs)
    assert counts.handled.all()
    shared, size_a, size_b, resemblance, contained_a, contained_b = pair_scores(counts, pairs)
    bound = may_interleave(chunk, counts, pairs)
    for k, (i, j) in enumerate(pairs.tolist()):
        a, b = read[i].shingles, read[j].shingles
        assert (size_a[k], size_b[k]) == (len(a), len(b))
        assert (resemblance[k], contained_a[k], contained_b[k]) == compare(a, b)
        assert shared[k] == len(np.intersect1d(a, b))
        assert bound[k] == pair_may_interleave(read[i], read[j], options.shingle_size), (i, j)
    assert bound.any() and not bound.all()


def test_block_counts_are_the_pairwise_counts() -> None:
    _check_against_pairwise(CopyOptions())


def test_block_counts_with_running_text_only() -> None:
    _check_against_pairwise(CopyOptions(text_paragraph_words=12))


def test_both_counting_paths_agree() -> None:
    chunk = read_chunk(_bodies(), 5, 0)
    pairs = np.array([[0, 1], [1, 2], [4, 5], [5, 6], [7, 8]], dtype=np.int64)
    counts = block_counts(chunk, pairs)
    page_bit = (np.uint64(1) << counts.bit.astype(np.uint64)).astype(np.uint64)
    component = np.array([0, 0, 0, 3, 1, 1, 1, 2, 2])
    width = int(counts.shared.shape[1])
    fast = _counts_whole_text(chunk, component, page_bit, width)
    assert fast is not None
    for quick, general in zip(
        fast, _counts_general(chunk, component, page_bit, width), strict=True
    ):
        assert np.array_equal(quick, general)


def test_large_components_are_left_to_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(blockverify, "MAX_COMPONENT", 2)
    chunk = read_chunk(_bodies(), 5, 0)
    counts = block_counts(chunk, np.array([[0, 1], [1, 2], [4, 5]], dtype=np.int64))
    assert counts.handled.tolist() == [False, False, False, True, True, True, True, True, True]


def test_grouping_order_survives_shared_low_bits() -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(0, 2**63, size=2000, dtype=np.int64).astype(np.uint64)
    # Different values with the same low 32 bits, interleaved within one component.
    values[::7] = (values[::7] & np.uint64(0xFFFF_FFFF_0000_0000)) | np.uint64(12345)
    component = rng.integers(0, 3, size=len(values))
    order, ordered, groups = grouping_order(values, component)
    assert np.array_equal(order, np.lexsort((values, component)))
    assert np.array_equal(ordered, values[order]) and np.array_equal(groups, component[order])


def test_segment_bit_counts_for_short_and_long_segments() -> None:
    rng = np.random.default_rng(4)
    masks = rng.integers(0, 2**20, size=70_000).astype(np.uint64)
    bounds = np.array([0, 3, 3, 69_000, 70_000])
    counts = _segment_bit_counts(masks, bounds, 20)
    expected = np.array(
        [
            [int(((masks[s:e] >> np.uint64(bit)) & np.uint64(1)).sum()) for bit in range(20)]
            for s, e in pairwise(bounds)
        ]
    )
    assert np.array_equal(counts, expected)
    # Under 65,536 masks a segment is counted four bits per pass: the same numbers.
    short = _segment_bit_counts(masks, np.array([0, 3, 3, 60_000, 70_000]), 20)
    assert np.array_equal(short[:2], expected[:2])
    assert np.array_equal(short[2] + short[3], expected[2] + expected[3])


def test_spilled_words_rebuild_the_chunk() -> None:
    bodies = _bodies()
    options = CopyOptions(text_paragraph_words=12)
    with tempfile.TemporaryFile() as handle:
        spilled = SpilledWords(handle)
        for start in range(0, len(bodies), 4):
            spilled.add(read_chunk(bodies[start : start + 4], 5, options.text_paragraph_words))
        spilled.seal()
        rows = [6, 0, 3, 8]
        again = spilled.chunk(np.array(rows), 5)
    expected = read_chunk([bodies[k] for k in rows], 5, options.text_paragraph_words)
    for name in (field.name for field in fields(Chunk) if field.name != "size"):
        assert np.array_equal(getattr(again, name), getattr(expected, name)), name


def test_chunk_encoding_is_body_encoding() -> None:
    chunks = [
        [["Kim\u2019s ties"], [], ["2019", "x \ufffd y \ufe0f"]],
        [["Plain ascii."], ["Line\nbreak inside a paragraph."]],
        [["\u4e60\u8fd1\u5e73\u4f1a\u89c1 Putin"], ["caf\u00e9 \ufffd"]],
        [[], []],
    ]
    for bodies in chunks:
        filled = [body for body in bodies if body]
        expected = b"\n".join(encode_body(body) for body in filled) if filled else None
        assert encode_bodies(bodies) == expected

"""Many bodies to arrays in one pass: words, running-text paragraphs, shingles and digests.

``read_chunk`` is the one place where text becomes numbers for copy detection: the incremental
index (one page at a time), ``find_copies`` and the batch driver (``backends.local``) all call it,
so they see the same shingles, signatures and keys (``read_encoded_chunk`` is the same for
bodies the compiled JSON reader encoded). Everything runs over the whole chunk, in the compiled
kernels (``_kernels``: one pass over the bytes, one over the words) or in their numpy twins;
no Python runs per word or per shingle. Callers feed chunks of a few hundred pages: arrays of a few
megabytes are reused by the allocator, while fresh large arrays cost a page fault per 4 KiB
(measured: the first pass over a new 56 MB array took 10x the second).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsfold.copies import compiled
from newsfold.copies.tokens import FOLD_TABLES, encode_bodies, mix64, tokenise

# The polynomial base of word n-gram hashes: an odd 64-bit constant (from the golden ratio).
BASE = np.uint64(0x9E3779B97F4A7C15)
# Keys handed to storage fit in a signed 64-bit integer (SQLite INTEGER).
KEY_MASK = np.uint64((1 << 63) - 1)
EMPTY = np.zeros(0, dtype=np.uint64)
# A paragraph this long is running text whatever its last character (a page cut mid-sentence).
LONG_PARAGRAPH_WORDS = 40

_SENTENCE_END = np.zeros(256, dtype=bool)
for _byte in b".!?":
    _SENTENCE_END[_byte] = True
# Bytes skipped when looking for a paragraph's last punctuation: closing quotes, brackets, spaces.
_TRAILING = np.zeros(256, dtype=bool)
for _byte in b"\"')] \t\r*":
    _TRAILING[_byte] = True


@dataclass(frozen=True, slots=True, eq=False)
class Chunk:
    """The arrays of a chunk of bodies (all flat, bodies one after another).

    ``words``: word hashes; ``paragraph_lengths``: words per paragraph; ``paragraphs``:
    paragraphs per body; ``text``: is the paragraph counted in the shingle set; ``grams`` and
    ``gram_owner``: every shingle occurrence (with repeats) and its body, in order;
    ``paragraph_digests`` and ``digests``: 63-bit digests of each paragraph's and each body's
    word sequence.
    """

    words: np.ndarray
    paragraph_lengths: np.ndarray
    paragraphs: np.ndarray
    text: np.ndarray
    grams: np.ndarray
    gram_owner: np.ndarray
    paragraph_digests: np.ndarray
    digests: np.ndarray
    # Words per shingle (``read_chunk``'s ``size``).
    size: int = 5

    @property
    def count(self) -> int:
        return len(self.paragraphs)


def unique_sorted(values: np.ndarray) -> np.ndarray:
    """Sorted unique values: ``np.unique`` by sorting, which numpy 2.4 does 5x slower through a
    hash table (measured on 1,000 uint64 shingles: 18 us against 90 us).

    >>> unique_sorted(np.array([3, 1, 3, 2], dtype=np.uint64)).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    fresh = np.empty(len(ordered), dtype=bool)
    fresh[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=fresh[1:])
    result: np.ndarray = ordered[fresh]
    return result


_DIGIT = np.uint64(0xFFFF)


def _digit(values: np.ndarray, shift: int) -> np.ndarray:
    return ((values >> np.uint64(shift)) & _DIGIT).astype(np.uint16)


def grouping_order(
    values: np.ndarray, component: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A stable order of uint64 ``values`` by (``component``, value), where equal pairs end up
    adjacent in their original order: ``(order, values[order], component[order])``.

    LSD radix sort with numpy's stable 16-bit sort (a counting sort): on the 2-core test machine
    ~35 ns an entry for 300k entries, against ~100 for a 64-bit argsort and a 16-bit one. Shingle
    hashes are uniform, so the low 32 bits group the values of one component (a few thousand)
    almost always; when two different values of one component share them, the order is redone
    on all 64 bits. (Without components, as for a whole corpus's candidate keys, low 32-bit ties
    are certain and a plain argsort is faster.)
    """
    small = component.astype(np.uint16) if int(component.max(initial=0)) < 1 << 16 else None

    def by_digits(shifts: tuple[int, ...]) -> np.ndarray:
        order = np.argsort(_digit(values, shifts[0]), kind="stable")
        for shift in shifts[1:]:
            order = order[np.argsort(_digit(values[order], shift), kind="stable")]
        key = small[order] if small is not None else component[order]
        result: np.ndarray = order[np.argsort(key, kind="stable")]
        return result

    order = by_digits((0, 16))
    ordered, groups = values[order], component[order]
    low = np.uint64(0xFFFFFFFF)
    split = (
        (groups[1:] == groups[:-1])
        & ((ordered[1:] & low) == (ordered[:-1] & low))
        & (ordered[1:] != ordered[:-1])
    )
    if bool(split.any()):
        order = by_digits((0, 16, 32, 48))
        ordered, groups = values[order], component[order]
    return order, ordered, groups


def _polynomials(hashes: np.ndarray, width: int) -> np.ndarray:
    """The unmixed polynomial of every run of ``width`` consecutive word hashes."""
    positions = len(hashes) - width + 1
    with np.errstate(over="ignore"):
        acc = hashes[:positions].copy()
        for offset in range(1, width):
            acc *= BASE
            acc += hashes[offset : offset + positions]
    return acc


def finish(polynomials: np.ndarray, width: int) -> np.ndarray:
    """Shingle hashes from n-gram polynomials: the width is mixed in, so a short text's single
    shingle never equals an n-gram."""
    with np.errstate(over="ignore"):
        return mix64(polynomials + np.uint64(width))


def segment_grams(
    hashes: np.ndarray, lengths: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Every shingle of each segment, with repeats: ``(grams, owner)``, in order.

    A segment of 1 to ``size - 1`` words gives one shingle of all its words; n-grams that cross
    a segment boundary are dropped.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    kernels = compiled.KERNELS
    if kernels is not None:
        result: tuple[np.ndarray, np.ndarray] = kernels.segment_grams(
            np.ascontiguousarray(hashes, dtype=np.uint64), np.ascontiguousarray(lengths), size
        )
        return result
    count = len(lengths)
    ends = np.cumsum(lengths)
    grams = EMPTY
    owner = np.zeros(0, dtype=np.int64)
    if len(hashes) >= size:
        polynomials = _polynomials(hashes, size)
        owner = np.repeat(np.arange(count, dtype=np.int64), lengths)[: len(polynomials)]
        inside = np.arange(len(polynomials)) + size <= ends[owner]
        grams = finish(polynomials[inside], size)
        owner = owner[inside]
    short = np.flatnonzero((lengths > 0) & (lengths < size))
    if len(short):
        starts = ends - lengths
        extra = [
            finish(_polynomials(hashes[starts[k] : ends[k]], int(lengths[k])), int(lengths[k]))
            for k in short.tolist()
        ]
        grams = np.concatenate([grams, *extra])
        owner = np.concatenate([owner, short])
        order = np.argsort(owner, kind="stable")
        grams, owner = grams[order], owner[order]
    return grams, owner


def segment_digests(hashes: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """A 63-bit digest per segment of a word-hash array: equal for equal word sequences.

    Each word hash is mixed with its position in the segment and the mixes are summed, so the
    digest depends on the words and their order; the length is mixed in last.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    count = len(lengths)
    if count == 0:
        return np.zeros(0, dtype=np.uint64)
    starts = np.cumsum(lengths) - lengths
    position = np.arange(len(hashes), dtype=np.int64) - np.repeat(starts, lengths)
    with np.errstate(over="ignore"):
        mixed = mix64(hashes ^ ((position.astype(np.uint64) + np.uint64(1)) * BASE))
        sums = np.zeros(count, dtype=np.uint64)
        filled = np.flatnonzero(lengths > 0)
        if len(filled):
            sums[filled] = np.add.reduceat(mixed, starts[filled])
        return mix64(sums + lengths.astype(np.uint64)) & KEY_MASK


def _ends_like_sentence(
    data: np.ndarray, line_ends: np.ndarray, line_starts: np.ndarray
) -> np.ndarray:
    """Per line: is its last character, after closing quotes and brackets, . ! or ?"""
    at = line_ends - 1
    for _ in range(4):
        step = (at >= line_starts) & _TRAILING[data[np.maximum(at, 0)]]
        at = np.where(step, at - 1, at)
    valid = at >= line_starts
    result: np.ndarray = valid & _SENTENCE_END[data[np.maximum(at, 0)]]
    return result


def _words_and_sentences(joined: bytes | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(word hashes, words per line, does the line end like a sentence)`` of the encoded
    bodies joined by ``\\n``: the compiled kernel's one pass over the folded bytes, or its numpy
    twin (``tokens.tokenise`` and ``_ends_like_sentence``)."""
    if joined is None:
        return EMPTY, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)
    kernels = compiled.KERNELS
    if kernels is not None:
        result: tuple[np.ndarray, np.ndarray, np.ndarray] = kernels.encoded_words(
            joined, *FOLD_TABLES
        )
        return result
    words, paragraph_lengths, folded = tokenise([joined], joined)
    line_ends = np.append(np.flatnonzero(folded == 10), len(folded))
    line_starts = np.concatenate(([0], line_ends[:-1] + 1))
    if not len(folded):  # one empty line
        return words, paragraph_lengths, np.zeros(len(line_ends), dtype=bool)
    sentence = _ends_like_sentence(folded, line_ends.astype(np.int64), line_starts.astype(np.int64))
    return words, paragraph_lengths, sentence


def read_chunk(bodies: Sequence[Sequence[str]], size: int, text_words: int) -> Chunk:
    """The arrays of ``bodies`` (paragraph lists): see ``Chunk``.

    Running text (``text``): paragraphs of at least ``text_words`` words ending like a sentence,
    or of ``LONG_PARAGRAPH_WORDS`` words or more; when a body's running text is under ``size``
    words, all its paragraphs count. ``text_words`` 0 counts every paragraph.
    """
    paragraphs = np.array([len(b) for b in bodies], dtype=np.int64)
    return read_encoded_chunk(encode_bodies(bodies), paragraphs, size, text_words)


@dataclass(frozen=True, slots=True, eq=False)
class EncodedBodies:
    """Bodies already encoded (``tokens.encode_bodies``): their ids, the UTF-8 of all their
    paragraphs joined by line breaks (None when there is none) and paragraphs per body. What
    ``_kernels.encoded_block`` makes of JSON Lines records without building a Python string
    per paragraph."""

    ids: list[str]
    joined: bytes | None
    paragraphs: np.ndarray


def read_encoded_chunk(
    joined: bytes | None, paragraphs: np.ndarray, size: int, text_words: int
) -> Chunk:
    """``read_chunk`` of bodies already encoded: ``joined`` as ``encode_bodies`` gives it,
    ``paragraphs`` per body."""
    words, paragraph_lengths, sentence = _words_and_sentences(joined)
    bodies = len(paragraphs)
    owner = np.repeat(np.arange(bodies, dtype=np.int64), paragraphs)
    if text_words > 0:
        text = (paragraph_lengths >= LONG_PARAGRAPH_WORDS) | (
            (paragraph_lengths >= text_words) & sentence
        )
        counted = np.bincount(owner, weights=np.where(text, paragraph_lengths, 0), minlength=bodies)
        text |= (counted < size)[owner]
    else:
        text = np.ones(len(paragraph_lengths), dtype=bool)
    return assemble_chunk(words, paragraph_lengths, paragraphs, text, size)


def assemble_chunk(
    words: np.ndarray,
    paragraph_lengths: np.ndarray,
    paragraphs: np.ndarray,
    text: np.ndarray,
    size: int,
    known_digests: tuple[np.ndarray, np.ndarray] | None = None,
) -> Chunk:
    """The ``Chunk`` of bodies already tokenised: their word hashes, words per paragraph,
    paragraphs per body and running-text flags (what ``read_chunk`` finds). Shingles and digests
    depend on nothing else, so a driver that kept these arrays can rebuild a chunk without
    reading the text again; ``known_digests`` (``paragraph_digests``, ``digests``), when it
    kept those too, are taken as they are instead of being computed again."""
    kernels = compiled.KERNELS
    if kernels is not None:
        grams, gram_owner, paragraph_digests, digests = kernels.chunk_arrays(
            np.ascontiguousarray(words, dtype=np.uint64),
            np.ascontiguousarray(paragraph_lengths, dtype=np.int64),
            np.ascontiguousarray(paragraphs, dtype=np.int64),
            np.ascontiguousarray(text, dtype=bool).view(np.uint8),
            size,
            known_digests is None,
        )
    else:
        grams, gram_owner, paragraph_digests, digests = _chunk_arrays(
            words, paragraph_lengths, paragraphs, text, size, known_digests is None
        )
    if known_digests is not None:
        paragraph_digests, digests = known_digests
    return Chunk(
        words=words,
        paragraph_lengths=paragraph_lengths,
        paragraphs=paragraphs,
        text=text,
        grams=grams,
        gram_owner=gram_owner,
        paragraph_digests=paragraph_digests,
        digests=digests,
        size=size,
    )


def _chunk_arrays(
    words: np.ndarray,
    paragraph_lengths: np.ndarray,
    paragraphs: np.ndarray,
    text: np.ndarray,
    size: int,
    with_digests: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The numpy twin of ``_kernels.chunk_arrays``: ``(grams, gram_owner, paragraph_digests,
    digests)``, the digests empty unless ``with_digests``."""
    owner = np.repeat(np.arange(len(paragraphs), dtype=np.int64), paragraphs)
    bodies = len(paragraphs)
    text_hashes = words[np.repeat(text, paragraph_lengths)] if not text.all() else words
    text_lengths = np.bincount(
        owner, weights=np.where(text, paragraph_lengths, 0), minlength=bodies
    ).astype(np.int64)
    grams, gram_owner = segment_grams(text_hashes, text_lengths, size)
    if not with_digests:
        return grams, gram_owner, EMPTY, EMPTY
    body_lengths = np.bincount(owner, weights=paragraph_lengths, minlength=bodies).astype(np.int64)
    return (
        grams,
        gram_owner,
        segment_digests(words, paragraph_lengths),
        segment_digests(words, body_lengths),
    )

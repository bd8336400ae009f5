"""Body shingles and paragraph fingerprints: normalised words hashed to sorted uint64 arrays.

Words are hashed by ``tokens`` (``tokens.tokenise``); a word n-gram's hash is a polynomial over
its word hashes computed for all positions at once in numpy, then put through the splitmix64
finaliser so that every bit depends on every word. Words come from ``text.words`` (folded,
case-folded), so curly versus straight quotes, dashes, spacing and case never change a shingle.
A body is tokenised once (``read_body``); shingles, digests, paragraph keys and the alignment all
come from its word hashes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsfold.copies.reader import (
    EMPTY,
    KEY_MASK,
    Chunk,
    _polynomials,
    finish,
    read_chunk,
    segment_grams,
    unique_sorted,
)
from newsfold.copies.tokens import mix64

# Paragraph keys live in the same key space as band keys; this tag keeps the two apart.
PARAGRAPH_TAG = np.uint64(0x5A5A_0000_0000_0001)


def shingle_hashes(hashes: np.ndarray, size: int) -> np.ndarray:
    """Hashes of all word n-grams (with repeats, in order) from a token-hash array.

    A text shorter than ``size`` gives one shingle of all its words, as ``text.iter_shingles``.
    """
    if len(hashes) == 0:
        return EMPTY
    width = min(size, len(hashes))
    return finish(_polynomials(hashes, width), width)


def segment_shingles(
    hashes: np.ndarray, lengths: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique shingles of each segment of a concatenated word-hash array.

    ``lengths`` gives the words of each segment (documents of a batch, paragraphs of a body).
    Returns ``(values, offsets)``: segment k owns ``values[offsets[k]:offsets[k + 1]]``. The
    same as ``np.unique(shingle_hashes(segment, size))`` per segment, in a few array passes:
    n-grams are hashed over the whole array once and those that cross a boundary dropped.
    """
    count = len(lengths)
    grams, owner = segment_grams(hashes, lengths, size)
    # ``owner`` is sorted, so each segment's shingles are one run of ``grams``
    bounds = np.searchsorted(owner, np.arange(count + 1, dtype=np.int64))
    parts = [unique_sorted(grams[bounds[k] : bounds[k + 1]]) for k in range(count)]
    offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum([len(part) for part in parts], out=offsets[1:])
    return (np.concatenate(parts) if parts else EMPTY), offsets


@dataclass(frozen=True, slots=True, eq=False)
class Body:
    """A body read once: its word hashes, paragraph lengths, shingle set and digests.

    ``shingles`` spans paragraph breaks on purpose: sites split and merge a wire story's
    paragraphs differently, and the word stream is the same either way. ``digest`` is equal for
    bodies with the same normalised words (the exact-copy fast path), ``paragraph_digests`` the
    same per paragraph.
    """

    words: np.ndarray
    paragraph_lengths: np.ndarray
    shingles: np.ndarray
    digest: int
    paragraph_digests: tuple[int, ...]
    # Which paragraphs count as running text (their words make ``shingles``); all when None.
    text_paragraphs: np.ndarray | None = None
    # Per-paragraph shingle tables by size, filled on first use by the alignment (most bodies are
    # never aligned); derived data only, it cannot change a result.
    _paragraph_tables: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # Every shingle inside one paragraph with its paragraph, with repeats, in order: what
    # ``reader.segment_grams`` gives for ``paragraph_grams[0]`` words per shingle. Filled by
    # ``bodies_of`` for the whole chunk at once; derived data, it cannot change a result.
    paragraph_grams: tuple[int, np.ndarray, np.ndarray] | None = field(
        default=None, repr=False, compare=False
    )
    # Per size: ``coverage_table``; derived data, it cannot change a result.
    _coverage: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def paragraph_occurrences(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """Every shingle inside one paragraph and its paragraph, with repeats, in order."""
        if self.paragraph_grams is not None and self.paragraph_grams[0] == size:
            return self.paragraph_grams[1], self.paragraph_grams[2]
        return segment_grams(self.words, self.paragraph_lengths, size)

    def coverage_table(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Each paragraph's shingle set as positions in ``shingles``: ``(at, owners, sizes,
        inner)``.

        ``at[k]`` is the position in ``shingles`` of a shingle of paragraph ``owners[k]`` (-1 for
        one not in ``shingles``: a short paragraph's, or a paragraph not counted as running
        text); each paragraph's shingles are listed once; ``sizes`` as in ``paragraph_shingles``.
        ``inner`` marks the shingles of ``shingles`` that lie inside one paragraph: found in
        another body, such a shingle counts both towards that paragraph's coverage and in the
        overlap matrix of the alignment (``explain.may_interleave`` bounds the alignment so).
        """
        table = self._coverage.get(size)
        if table is None:
            values, owners = self.paragraph_occurrences(size)
            count = len(self.paragraph_lengths)
            shingles = self.shingles
            at = np.full(len(values), -1, dtype=np.int64)
            if len(shingles) and len(values):
                found = np.minimum(np.searchsorted(shingles, values), len(shingles) - 1)
                hit = shingles[found] == values
                at[hit] = found[hit]
            # A shingle repeated within a paragraph (rare) would count twice: then take the
            # paragraph sets, which list each once.
            keys = np.sort(owners[at >= 0] * (len(shingles) + 1) + at[at >= 0])
            if len(keys) > 1 and bool((keys[1:] == keys[:-1]).any()):
                values, owners, _ = self.paragraph_shingles(size)
                at = np.full(len(values), -1, dtype=np.int64)
                found = np.minimum(np.searchsorted(shingles, values), len(shingles) - 1)
                hit = shingles[found] == values
                at[hit] = found[hit]
            sizes = np.bincount(owners, minlength=count).astype(np.int64)
            inner = np.zeros(len(shingles), dtype=bool)
            inner[at[at >= 0]] = True
            table = (at, owners, sizes, inner)
            self._coverage[size] = table
        return table

    def paragraph_shingles(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each paragraph's own shingle set, flattened: ``(values, owners, sizes)``.

        ``values[k]`` is a shingle of paragraph ``owners[k]``; values are unique within a
        paragraph and sorted by (paragraph, value); ``sizes[p]`` is paragraph p's set size. The
        shingles of a paragraph are the body's n-grams that lie wholly inside it (the same
        hashes), plus one short shingle for a paragraph under ``size`` words.
        """
        table = self._paragraph_tables.get(size)
        if table is None:
            grams, owner = self.paragraph_occurrences(size)
            # One lexsort and a neighbour comparison instead of a unique per paragraph.
            order = np.lexsort((grams, owner))
            grams, owner = grams[order], owner[order]
            fresh = np.ones(len(grams), dtype=bool)
            fresh[1:] = (grams[1:] != grams[:-1]) | (owner[1:] != owner[:-1])
            values, owners = grams[fresh], owner[fresh]
            sizes = np.bincount(owners, minlength=len(self.paragraph_lengths)).astype(np.int64)
            table = (values, owners, sizes)
            self._paragraph_tables[size] = table
        return table


def bodies_of(chunk: Chunk, rows: Sequence[int] | None = None) -> list[Body]:
    """One ``Body`` per body of a chunk read by ``reader.read_chunk`` (views into its arrays),
    or only for the bodies at ``rows``, in that order."""
    count = chunk.count
    paragraph_offsets = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(chunk.paragraphs, out=paragraph_offsets[1:])
    word_offsets = np.zeros(len(chunk.paragraph_lengths) + 1, dtype=np.int64)
    np.cumsum(chunk.paragraph_lengths, out=word_offsets[1:])
    body_words = word_offsets[paragraph_offsets]
    gram_bounds = np.searchsorted(chunk.gram_owner, np.arange(count + 1))
    digests = chunk.digests.tolist()
    paragraph_digests = chunk.paragraph_digests.tolist()
    # Paragraph shingles of the whole chunk in one pass (per body it cost ~140 us in overheads).
    inner, inner_owner = segment_grams(chunk.words, chunk.paragraph_lengths, chunk.size)
    inner_bounds = np.searchsorted(inner_owner, paragraph_offsets).tolist()
    out: list[Body] = []
    for k in range(count) if rows is None else rows:
        first, last = int(paragraph_offsets[k]), int(paragraph_offsets[k + 1])
        low, high = inner_bounds[k], inner_bounds[k + 1]
        out.append(
            Body(
                words=chunk.words[body_words[k] : body_words[k + 1]],
                paragraph_lengths=chunk.paragraph_lengths[first:last],
                shingles=unique_sorted(chunk.grams[gram_bounds[k] : gram_bounds[k + 1]]),
                digest=digests[k],
                paragraph_digests=tuple(paragraph_digests[first:last]),
                text_paragraphs=chunk.text[first:last],
                paragraph_grams=(chunk.size, inner[low:high], inner_owner[low:high] - first),
            )
        )
    return out


def read_bodies(
    bodies: Sequence[Sequence[str]],
    size: int,
    vocabulary: dict[str, int] | None = None,
    text_words: int = 0,
) -> list[Body]:
    """Tokenise and hash many bodies at once (``reader.read_chunk``).

    ``shingles`` comes from the body's running-text paragraphs (``text_words``; 0 counts all;
    see ``read_chunk``). ``vocabulary`` is accepted for compatibility and unused (words are
    hashed from their bytes).
    """
    del vocabulary
    return bodies_of(read_chunk(bodies, size, text_words))


def read_body(
    paragraphs: Sequence[str],
    size: int,
    vocabulary: dict[str, int] | None = None,
    text_words: int = 0,
) -> Body:
    """Tokenise and hash one body (as ``read_bodies``)."""
    return read_bodies([paragraphs], size, vocabulary, text_words)[0]


def body_shingles(paragraphs: Sequence[str], size: int) -> np.ndarray:
    """Sorted unique uint64 hashes of the body's normalised word ``size``-grams.

    >>> a = body_shingles(["Putin met Kim \u201cin Vladivostok\u201d on Thursday."], 3)
    >>> b = body_shingles(['putin met kim "in vladivostok"', "on Thursday"], 3)
    >>> bool((a == b).all()), len(a)
    (True, 5)
    """
    return read_body(paragraphs, size).shingles


def body_paragraph_keys(body: Body, min_words: int) -> np.ndarray:
    """Sorted unique candidate keys of the paragraphs with at least ``min_words`` words.

    ``min_words`` 0 gives no keys (paragraph keys off).
    """
    if min_words <= 0:
        return EMPTY
    digests = [
        d
        for d, n in zip(body.paragraph_digests, body.paragraph_lengths.tolist(), strict=True)
        if n >= min_words
    ]
    if not digests:
        return EMPTY
    tagged = np.array(digests, dtype=np.uint64) ^ PARAGRAPH_TAG
    return unique_sorted(mix64(tagged) & KEY_MASK)


def paragraph_keys(paragraphs: Sequence[str], min_words: int) -> np.ndarray:
    """``body_paragraph_keys`` straight from paragraphs."""
    return body_paragraph_keys(read_body(paragraphs, 1), min_words)

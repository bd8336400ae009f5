"""Body shingles and paragraph fingerprints: normalised words hashed to sorted uint64 arrays.

Each distinct word is hashed once with xxh3-64; a word n-gram's hash is a polynomial over its
word hashes computed for all positions at once in numpy, then put through the splitmix64
finaliser so that every bit depends on every word. Words come from ``text.words`` (folded,
case-folded), so curly versus straight quotes, dashes, spacing and case never change a shingle.
A body is tokenised once (``read_body``); shingles, digests, paragraph keys and the alignment all
come from its word hashes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import xxhash

from newsfold.text import words

# Odd 64-bit constants: the polynomial base (from the golden ratio) and splitmix64's multipliers.
_BASE = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
# Keys handed to storage fit in a signed 64-bit integer (SQLite INTEGER).
KEY_MASK = np.uint64((1 << 63) - 1)
# Paragraph keys live in the same key space as band keys; this tag keeps the two apart.
_PARAGRAPH_TAG = np.uint64(0x5A5A_0000_0000_0001)

EMPTY = np.zeros(0, dtype=np.uint64)


def mix64(values: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser over a uint64 array (wrapping arithmetic), a bijection."""
    with np.errstate(over="ignore"):
        z = values.astype(np.uint64, copy=True)
        z ^= z >> np.uint64(30)
        z *= _MIX1
        z ^= z >> np.uint64(27)
        z *= _MIX2
        z ^= z >> np.uint64(31)
    return z


def word_hashes(tokens: Sequence[str], vocabulary: dict[str, int] | None = None) -> np.ndarray:
    """xxh3-64 of each token, as a uint64 array in token order.

    ``vocabulary`` (token -> hash) is filled and reused, so a batch hashes each distinct word
    once; it only saves work, the hashes are the same with or without it.
    """
    if not tokens:
        return EMPTY
    if vocabulary is None:
        vocabulary = {}
    for token in set(tokens).difference(vocabulary):
        vocabulary[token] = xxhash.xxh3_64_intdigest(token.encode("utf-8"))
    return np.fromiter(map(vocabulary.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


def shingle_hashes(hashes: np.ndarray, size: int) -> np.ndarray:
    """Hashes of all word n-grams (with repeats, in order) from a token-hash array.

    A text shorter than ``size`` gives one shingle of all its words, as ``text.iter_shingles``.
    """
    count = len(hashes)
    if count == 0:
        return EMPTY
    width = min(size, count)
    positions = count - width + 1
    with np.errstate(over="ignore"):
        acc = hashes[:positions].copy()
        for offset in range(1, width):
            acc *= _BASE
            acc += hashes[offset : offset + positions]
        # The width is mixed in so that a short text's single shingle never equals an n-gram.
        acc += np.uint64(width)
    return mix64(acc)


def sequence_digest(hashes: np.ndarray) -> int:
    """A 63-bit digest of a word-hash sequence: equal for texts with the same normalised words."""
    return xxhash.xxh3_64_intdigest(np.ascontiguousarray(hashes).tobytes()) & int(KEY_MASK)


@dataclass(frozen=True, slots=True, eq=False)
class Body:
    """A body read once: per-paragraph word hashes, the body's shingle set and digests.

    ``shingles`` spans paragraph breaks on purpose: sites split and merge a wire story's
    paragraphs differently, and the word stream is the same either way. ``digest`` is equal for
    bodies with the same normalised words (the exact-copy fast path), ``paragraph_digests`` the
    same per paragraph.
    """

    paragraph_hashes: tuple[np.ndarray, ...]
    shingles: np.ndarray
    digest: int
    paragraph_digests: tuple[int, ...]
    # Per-paragraph shingle tables by size, filled on first use by the alignment (most bodies are
    # never aligned); derived data only, it cannot change a result.
    _paragraph_tables: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def paragraph_shingles(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each paragraph's own shingle set, flattened: ``(values, owners, sizes)``.

        ``values[k]`` is a shingle of paragraph ``owners[k]``; values are unique within a
        paragraph and sorted by (paragraph, value); ``sizes[p]`` is paragraph p's set size. The
        shingles of a paragraph are the body's n-grams that lie wholly inside it (the same
        hashes), plus one short shingle for a paragraph under ``size`` words.
        """
        table = self._paragraph_tables.get(size)
        if table is None:
            table = self._paragraph_table(size)
            self._paragraph_tables[size] = table
        return table

    def _paragraph_table(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        count = len(self.paragraph_hashes)
        lengths = np.array([len(h) for h in self.paragraph_hashes], dtype=np.int64)
        values: list[np.ndarray] = []
        owners: list[np.ndarray] = []
        joined = np.concatenate(self.paragraph_hashes) if count else EMPTY
        if len(joined) >= size:
            grams = shingle_hashes(joined, size)
            owner_of = np.repeat(np.arange(count, dtype=np.int64), lengths)[: len(grams)]
            ends = np.cumsum(lengths)[owner_of]
            inside = np.arange(len(grams)) + size <= ends
            values.append(grams[inside])
            owners.append(owner_of[inside])
        for p in np.flatnonzero((lengths > 0) & (lengths < size)):
            values.append(shingle_hashes(self.paragraph_hashes[p], size))
            owners.append(np.array([p], dtype=np.int64))
        if not values:
            return EMPTY, np.zeros(0, dtype=np.int64), np.zeros(count, dtype=np.int64)
        flat_values, flat_owners = np.concatenate(values), np.concatenate(owners)
        order = np.lexsort((flat_values, flat_owners))
        flat_values, flat_owners = flat_values[order], flat_owners[order]
        keep = np.ones(len(flat_values), dtype=bool)
        keep[1:] = (flat_values[1:] != flat_values[:-1]) | (flat_owners[1:] != flat_owners[:-1])
        flat_values, flat_owners = flat_values[keep], flat_owners[keep]
        return flat_values, flat_owners, np.bincount(flat_owners, minlength=count)


def read_body(
    paragraphs: Sequence[str], size: int, vocabulary: dict[str, int] | None = None
) -> Body:
    """Tokenise and hash a body once (``vocabulary`` as in ``word_hashes``)."""
    tokens = [words(p) for p in paragraphs]
    joined = word_hashes([t for paragraph in tokens for t in paragraph], vocabulary)
    per_paragraph: tuple[np.ndarray, ...] = ()
    if tokens:
        per_paragraph = tuple(np.split(joined, np.cumsum([len(t) for t in tokens])[:-1]))
    return Body(
        paragraph_hashes=per_paragraph,
        shingles=np.unique(shingle_hashes(joined, size)),
        digest=sequence_digest(joined),
        paragraph_digests=tuple(sequence_digest(h) for h in per_paragraph),
    )


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
        for d, h in zip(body.paragraph_digests, body.paragraph_hashes, strict=True)
        if len(h) >= min_words
    ]
    if not digests:
        return EMPTY
    tagged = np.array(digests, dtype=np.uint64) ^ _PARAGRAPH_TAG
    return np.unique(mix64(tagged) & KEY_MASK)


def paragraph_keys(paragraphs: Sequence[str], min_words: int) -> np.ndarray:
    """``body_paragraph_keys`` straight from paragraphs."""
    return body_paragraph_keys(read_body(paragraphs, 1), min_words)

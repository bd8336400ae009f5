"""Word hashes of many bodies at once: one numpy pass over their bytes, no per-word Python.

A body is folded to a small byte form (``encode_body``): lower case, typographic quotes and
dashes as ASCII, compatibility forms composed (NFKC), paragraphs separated by ``\\n``. A word is
a run of word bytes (ASCII letters, digits, ``_`` and every byte of a non-ASCII character) with
single inner apostrophes or hyphens kept (``kim's``, ``well-known``), the same words as
``text.words`` for ASCII and for most other text. A word's hash is its bytes read as little-endian
64-bit words (8 at a time, the length mixed in) through the splitmix64 finaliser: equal words
have equal hashes and distinct words of up to 8 bytes never collide.

Scripts written without spaces (CJK, Thai) are first split by ``text.words`` into one token per
character, so a Chinese body is shingled on characters as before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from newsfold.text import words

_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_LENGTH = np.uint64(0x9E3779B97F4A7C15)
_CHUNK = np.uint64(0xC2B2AE3D27D4EB4F)

EMPTY = np.zeros(0, dtype=np.uint64)

# Byte classes: 0 separates words, 1 is part of a word, 2 joins two word bytes (' and -).
_CLASS = np.zeros(256, dtype=np.uint8)
for _byte in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
    _CLASS[_byte] = 1
_CLASS[0x80:] = 1
_CLASS[ord("'")] = 2
_CLASS[ord("-")] = 2
_LOWER = np.arange(256, dtype=np.uint8)
_LOWER[ord("A") : ord("Z") + 1] += 32
_LOWER[ord("`")] = ord("'")
# Keep the low 8k bits of a little-endian window: the first k bytes of the word.
_KEEP = np.array([0] + [(1 << (8 * k)) - 1 for k in range(1, 8)] + [2**64 - 1], dtype=np.uint64)

# Non-ASCII punctuation folded to what the tokeniser treats alike (the rest of a non-ASCII
# character is a word byte, as ``\w`` would mostly have it).
_FOLDS: tuple[tuple[bytes, bytes], ...] = tuple(
    (source.encode("utf-8"), target.encode("ascii"))
    for sources, target in (
        ("\u2018\u2019\u201a\u201b\u2032\u00b4", "'"),
        ("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u2039\u203a", '"'),
        ("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        ("\u2026", "..."),
        ("\u00a0\u2002\u2003\u2009\u202f\u2022\u00b7\u00a9\u00ae\u2122\u00bf\u00a1\u00a7\u00b6\u2020\u2021\u00b0\u25cf\u25aa\u25ba\u2192\u00d7", " "),
        ("\u200b\u200c\u200d\ufeff", ""),
    )
    for source in sources
)
_NO_SPACE_SCRIPT = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0e7f]"
)


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


def encode_body(paragraphs: Sequence[str]) -> bytes:
    """The folded bytes of a body, one ``\\n``-separated line per paragraph.

    >>> encode_body(["Kim\u2019s \u201cmore stable\u201d ties", "2019"])
    b'kim\\'s "more stable" ties\\n2019'
    """
    text = "\n".join(paragraphs)
    if text.count("\n") != len(paragraphs) - 1:
        text = "\n".join(p.replace("\n", " ") for p in paragraphs)
    if text.isascii():
        # ASCII: lower case and the backquote are folded by the byte table in ``tokenise``.
        return text.encode("ascii")
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    if _NO_SPACE_SCRIPT.search(text):
        text = "\n".join(" ".join(words(p)) for p in text.split("\n"))
    data = text.encode("utf-8")
    for source, target in _FOLDS:
        if source in data:
            data = data.replace(source, target)
    return data


def tokenise(blobs: Sequence[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """Word hashes of encoded bodies: ``(hashes, words_per_line)``.

    ``hashes`` holds every word of every blob in order; ``words_per_line`` the word count of each
    ``\\n``-separated line of each blob, blobs one after another (a blob of k lines has k
    entries; an empty blob has one line).
    """
    if not blobs:
        return EMPTY, np.zeros(0, dtype=np.int64)
    data = np.frombuffer(b"\n".join(blobs) + b"\n" + b"\0" * 8, dtype=np.uint8)
    size = len(data) - 8
    lowered = _LOWER[data]
    kind = _CLASS[lowered[:size]]
    word = kind == 1
    # A joiner counts when both neighbours are word bytes ("kim's" but not "'quoted'").
    inner = np.zeros(size, dtype=bool)
    inner[1:-1] = (kind[1:-1] == 2) & word[:-2] & word[2:]
    in_word = (word | inner).view(np.int8)
    edges = np.diff(in_word, prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    lengths = (ends - starts).astype(np.int64)
    # Little-endian 8-byte windows at every offset (a strided view, no copy).
    windows = np.ndarray((size,), dtype=np.uint64, buffer=lowered, strides=(1,))
    with np.errstate(over="ignore"):
        hashes = mix64((windows[starts] & _KEEP[np.minimum(lengths, 8)]) ^ (lengths.astype(np.uint64) * _LENGTH))
        chunk = 1
        long_words = np.flatnonzero(lengths > 8)
        while len(long_words):
            rest = lengths[long_words] - 8 * chunk
            part = windows[starts[long_words] + 8 * chunk] & _KEEP[np.minimum(rest, 8)]
            hashes[long_words] = mix64(hashes[long_words] * _CHUNK + part)
            chunk += 1
            long_words = long_words[lengths[long_words] > 8 * chunk]
    newlines = np.flatnonzero(data[:size] == 10)
    line_of_word = np.searchsorted(newlines, starts)
    counts = np.bincount(line_of_word, minlength=len(newlines)).astype(np.int64)
    return hashes, counts

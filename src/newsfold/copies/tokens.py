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
from collections.abc import Sequence
from itertools import chain

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
_LOWER_TABLE = _LOWER.tobytes()
_CLASS_TABLE = _CLASS.tobytes()
# Keep the low 8k bits of a little-endian window: the first k bytes of the word.
_KEEP = np.array([0] + [(1 << (8 * k)) - 1 for k in range(1, 8)] + [2**64 - 1], dtype=np.uint64)

# Non-ASCII punctuation folded at the byte level (UTF-8 sequences), to what the tokeniser treats
# alike; the bytes of any other non-ASCII character are word bytes, as ``\\w`` would mostly have it.
_SPACE, _DROP = ord(" "), 1
_FOLDS = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032\u00b4", ord("'")),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u2039\u203a", ord('"')),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", ord("-")),
    **dict.fromkeys(
        "\u00a0\u2002\u2003\u2009\u202f\u2022\u00b7\u00a9\u00ae\u2122\u00bf\u00a1\u00a7"
        "\u00b6\u2020\u2021\u00b0\u25cf\u25aa\u25ba\u2192\u00d7",
        _SPACE,
    ),
    "\u2026": ord("."),
    **dict.fromkeys("\u200b\u200c\u200d\u2060", _DROP),
}
# Two-byte sequences (lead 0xC2) by their second byte; three-byte ones (lead 0xE2) by the other two.
_FOLD2 = np.zeros(256, dtype=np.uint8)
_FOLD3 = np.zeros(65536, dtype=np.uint8)
for _char, _target in _FOLDS.items():
    _code = _char.encode("utf-8")
    if len(_code) == 2 and _code[0] == 0xC2:
        _FOLD2[_code[1]] = _target
    elif len(_code) == 3 and _code[0] == 0xE2:
        _FOLD3[(_code[1] << 8) | _code[2]] = _target
# The tables of ``_fold`` as the compiled kernel takes them (``_kernels.encoded_words``).
FOLD_TABLES = (_LOWER_TABLE, _FOLD2, _FOLD3)
# Every byte but the UTF-8 lead bytes of those scripts (E0 for Thai, E3-ED for kana to Hangul,
# EF for CJK compatibility): deleting them is a cheap test on bytes (about 2 us for a page)
# before the exact one on characters (about 35 us).
_NOT_NO_SPACE_LEAD = bytes(sorted(set(range(256)) - {0xE0, 0xEF, *range(0xE3, 0xEE)}))
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
    """The UTF-8 bytes of a body, one ``\\n``-separated line per paragraph.

    Unspaced scripts are split into one token per character here (``text.words``); case and
    punctuation are folded by ``tokenise``.

    >>> encode_body(["Kim's ties", "2019"])
    b"Kim's ties\\n2019"
    """
    text = "\n".join(paragraphs)
    if text.count("\n") != len(paragraphs) - 1:
        text = "\n".join(p.replace("\n", " ") for p in paragraphs)
    if text.isascii():
        return text.encode("ascii")
    data = text.encode("utf-8")
    if data.translate(None, _NOT_NO_SPACE_LEAD) and _NO_SPACE_SCRIPT.search(text):
        data = "\n".join(" ".join(words(p)) for p in text.split("\n")).encode("utf-8")
    return data


def encode_bodies(bodies: Sequence[Sequence[str]]) -> bytes | None:
    """The ``encode_body`` of every body with paragraphs, joined by ``\\n``; None for no such body.

    One join and one encode for a whole chunk instead of one per body (~10 us a page saved on
    the speed corpus); a chunk with a line break inside a paragraph or an unspaced script takes
    ``encode_body`` body by body, which handles both.

    >>> encode_bodies([["Kim's ties"], [], ["2019", "x"]])
    b"Kim's ties\\n2019\\nx"
    """
    filled = [body for body in bodies if len(body)]
    if not filled:
        return None
    text = "\n".join(chain.from_iterable(filled))
    if text.count("\n") != sum(len(body) for body in filled) - 1:
        return b"\n".join(encode_body(body) for body in filled)
    if text.isascii():
        return text.encode("ascii")
    data = text.encode("utf-8")
    if has_no_space_script(data):
        return b"\n".join(encode_body(body) for body in filled)
    return data


def has_no_space_script(data: bytes) -> bool:
    """Does UTF-8 ``data`` hold a character of a script written without spaces?

    The lead bytes of those scripts are found by ``bytes.translate`` and ``bytes.find`` (memory
    speed), and only the characters they start are decoded and tested: a regular expression
    over a whole chunk cost ~20 us a page, mostly for U+FFFD and emoji variation selectors.
    """
    for lead in set(data.translate(None, _NOT_NO_SPACE_LEAD)):
        at = data.find(bytes((lead,)))
        while at >= 0:
            if _NO_SPACE_SCRIPT.match(data[at : at + 3].decode("utf-8", errors="ignore")):
                return True
            at = data.find(bytes((lead,)), at + 1)
    return False


def fold_bytes(data: np.ndarray) -> np.ndarray:
    """Lower-case and punctuation-folded bytes (a new array; ``\\n`` bytes are kept).

    ASCII letters and Latin-1 capitals (\u00c0-\u00de) are lower-cased; typographic quotes,
    dashes and spaces become their ASCII forms; bullets and symbols become spaces; zero-width
    characters are removed. Other scripts keep their case.
    """
    return _fold(np.ascontiguousarray(data, dtype=np.uint8).tobytes())


def _fold(raw: bytes) -> np.ndarray:
    """``fold_bytes`` of bytes: ASCII lower-cased by ``bytes.translate`` (memory speed, where a
    numpy table lookup costs ~1 ns a byte), the rest found among the non-ASCII bytes alone."""
    lowered = raw.translate(_LOWER_TABLE)
    if lowered.isascii():
        return np.frombuffer(lowered, dtype=np.uint8)
    data = np.frombuffer(bytearray(lowered), dtype=np.uint8)
    high = np.flatnonzero(data >= 0x80)
    size = len(data)
    keep = np.ones(size, dtype=bool)
    lead2 = high[(data[high] == 0xC2) & (high < size - 1)]
    if len(lead2):
        target = _FOLD2[data[lead2 + 1]]
        hit = lead2[target > 0]
        data[hit] = target[target > 0]
        keep[hit + 1] = False
    latin = high[(data[high] == 0xC3) & (high < size - 1)]
    if len(latin):
        second = data[latin + 1]
        upper = latin[(second >= 0x80) & (second <= 0x9E) & (second != 0x97)] + 1
        data[upper] += np.uint8(0x20)
    lead3 = high[(data[high] == 0xE2) & (high < size - 2)]
    if len(lead3):
        code = (data[lead3 + 1].astype(np.int64) << 8) | data[lead3 + 2]
        target = _FOLD3[code]
        hit = lead3[target > 0]
        value = target[target > 0]
        data[hit] = value
        keep[hit + 1] = False
        keep[hit + 2] = False
        keep[hit[value == _DROP]] = False
    return data[keep] if not keep.all() else data


def tokenise(
    blobs: Sequence[bytes], joined: bytes | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Word hashes of encoded bodies: ``(hashes, words_per_line, folded)``.

    ``hashes`` holds every word of every blob in order; ``words_per_line`` the word count of each
    ``\\n``-separated line of the blobs joined by ``\\n`` (``joined``, when the caller has it);
    ``folded`` those joined bytes after ``fold_bytes``.
    """
    if not blobs:
        return EMPTY, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.uint8)
    if joined is None:
        joined = b"\n".join(blobs)
    # Classified with bytes.translate too (see ``_fold``).
    text = _fold(joined).tobytes() + bytes(9)
    data = np.frombuffer(text, dtype=np.uint8)
    size = len(data) - 9
    folded = data[:size]
    kind = np.frombuffer(text.translate(_CLASS_TABLE), dtype=np.uint8)[: size + 1]
    word = kind == 1
    # A joiner counts when both neighbours are word bytes ("kim's" but not "'quoted'").
    inner = np.zeros(size + 1, dtype=bool)
    inner[1:-1] = (kind[1:-1] == 2) & word[:-2] & word[2:]
    in_word = (word | inner).view(np.int8)
    edges = np.diff(in_word, prepend=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    lengths = (ends - starts).astype(np.int64)
    # Little-endian 8-byte windows at every offset (a strided view, no copy).
    windows = np.ndarray((size + 1,), dtype=np.uint64, buffer=data, strides=(1,))
    with np.errstate(over="ignore"):
        hashes = mix64(
            (windows[starts] & _KEEP[np.minimum(lengths, 8)])
            ^ (lengths.astype(np.uint64) * _LENGTH)
        )
        chunk = 1
        long_words = np.flatnonzero(lengths > 8)
        while len(long_words):
            rest = lengths[long_words] - 8 * chunk
            part = windows[starts[long_words] + 8 * chunk] & _KEEP[np.minimum(rest, 8)]
            hashes[long_words] = mix64(hashes[long_words] * _CHUNK + part)
            chunk += 1
            long_words = long_words[lengths[long_words] > 8 * chunk]
    line_ends = np.append(np.flatnonzero(folded == 10), size)
    before = np.searchsorted(starts, line_ends)
    counts = np.diff(before, prepend=0).astype(np.int64)
    return hashes, counts, folded

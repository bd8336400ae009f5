"""Text kernels shared by every stage: normalisation, word tokens, sentence splitting.

Pure functions, no I/O. Normalisation folds the differences that copy-editing and publishing
systems introduce without changing the words: Unicode compatibility forms, curly versus straight
quotes, dash and ellipsis variants, case and whitespace.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

try:  # the compiled twins (identical results, see newsfold/_text.pyx); pure Python without them
    from newsfold._text import split_sentences as _split_sentences
    from newsfold._text import word_tokens as _word_tokens
except ImportError:  # pragma: no cover - exercised by the tests with the kernels switched off
    _split_sentences = None  # type: ignore[assignment]
    _word_tokens = None  # type: ignore[assignment]

_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2033": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u200b": "",
        "\u200c": "",
        "\u200d": "",
        "\ufeff": "",
    }
)

# A word: a run of letters/digits (any script) with inner apostrophes or hyphens kept together.
_FOLD_PAIRS = tuple((chr(k), v or "") for k, v in _FOLD.items())
_WORD = re.compile(r"\w+(?:['\-]\w+)*")
# CJK and other scripts written without spaces: each character counts as a token.
_NO_SPACE_SCRIPT = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0e7f]"
)


def fold(text: str) -> str:
    """Unicode-compatibility fold plus typographic variants, keeping case and spacing."""
    if text.isascii() and "`" not in text:
        # Fast path (same result): ASCII is NFKC-stable and "`" is the only ASCII key of _FOLD.
        return text
    # str.replace per present key beats str.translate with a dict several times over; the same
    # result, since no replacement contains a key
    out = unicodedata.normalize("NFKC", text)
    for key, value in _FOLD_PAIRS:
        if key in out:
            out = out.replace(key, value)
    return out


def normalise(text: str) -> str:
    """The form used for hashing and comparison: folded, lower-cased, single-spaced.

    >>> normalise("  \u201cWe need to\u2026 return\u201d  \u2014 Putin ")
    '"we need to... return" - putin'
    """
    # str.split() splits on exactly the characters ``\s`` matches, and is several times faster
    return " ".join(fold(text).casefold().split())


def words(text: str) -> list[str]:
    """Normalised word tokens; characters of unspaced scripts (CJK, Thai) are one token each.

    >>> words("Kim's \u201cmore stable\u201d ties, 2019")
    ["kim's", 'more', 'stable', 'ties', '2019']
    >>> words("\u4e60\u8fd1\u5e73\u4f1a\u89c1")
    ['\u4e60', '\u8fd1', '\u5e73', '\u4f1a', '\u89c1']
    """
    # Folded and case-folded; collapsing spaces (as normalise does) cannot change a token.
    normalised = fold(text).casefold()
    tokens: list[str] = (
        _word_tokens(normalised) if _word_tokens is not None else _WORD.findall(normalised)
    )
    if normalised.isascii() or not _NO_SPACE_SCRIPT.search(normalised):
        # Fast path (same result): no unspaced script, so no token needs splitting.
        return tokens
    out: list[str] = []
    for token in tokens:
        if _NO_SPACE_SCRIPT.search(token):
            run: list[str] = []
            for ch in token:
                if _NO_SPACE_SCRIPT.match(ch):
                    if run:
                        out.append("".join(run))
                        run = []
                    out.append(ch)
                else:
                    run.append(ch)
            if run:
                out.append("".join(run))
        else:
            out.append(token)
    return out


# Abbreviations after which a period does not end a sentence (lower-cased, without the dot).
# Kept short and language-neutral in spirit: titles, months, initials are handled by the rules.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "gov",
        "sen",
        "rep",
        "pres",
        "rev",
        "hon",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vol",
        "fig",
        "inc",
        "ltd",
        "corp",
        "co",
        "bros",
        "vs",
        "etc",
        "approx",
        "dept",
        "univ",
        "est",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
        "hr",
        "hrn",
        "fr",
        "frau",
        "nr",
        "bzw",
        "usw",
        "ca",
        "mme",
        "mlle",
        "m",
        "sra",
    ]
)

# Sentence end: terminal punctuation (Latin, CJK, Devanagari, Arabic), optional closing quotes or
# brackets, then whitespace or the end. CJK full stops end a sentence without a following space.
_END = re.compile(
    r"""([.!?\u2026]+["'\u201d\u2019)\]]*)(\s+)|([\u3002\uff01\uff1f\u0964\u061f]["'\u201d\u2019\u300d\u300f)]*)"""
)


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences.

    A period ends a sentence unless it follows a known abbreviation, a single capital letter
    (an initial) or a digit followed by a digit (a decimal); the next sentence must not start
    with a lower-case letter.

    >>> sentences('He left. "We need to... return," Putin said. Mr. Kim waved.')
    ['He left.', '"We need to... return," Putin said.', 'Mr. Kim waved.']
    >>> sentences("\u4ed6\u6765\u4e86\u3002\u6211\u8d70\u4e86\u3002")
    ['\u4ed6\u6765\u4e86\u3002', '\u6211\u8d70\u4e86\u3002']
    """
    text = text.strip()
    if not text:
        return []
    if _split_sentences is not None:
        return _split_sentences(text, _ABBREVIATIONS)
    out: list[str] = []
    start = 0
    for match in _END.finditer(text):
        if match.group(3):
            end = match.end()
            out.append(text[start:end].strip())
            start = end
            continue
        punct_start = match.start(1)
        end_of_punct = match.end(1)
        after = text[match.end() : match.end() + 1]
        if not after:
            continue
        if after.islower():
            continue
        punct = match.group(1)
        if punct.startswith(".") and len(punct.rstrip("\"'\u201d\u2019)]")) == 1:
            # The word before the period (rsplit: one cut from the right, not the sentence split).
            before = text[start:punct_start].rsplit(None, 1)
            last = before[-1].casefold().strip("(\"'\u201c\u2018") if before else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        out.append(text[start:end_of_punct].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def iter_shingles(tokens: list[str], size: int) -> Iterator[str]:
    """Word n-grams joined by a space; a text shorter than ``size`` gives one shingle of itself."""
    if not tokens:
        return
    if len(tokens) < size:
        yield " ".join(tokens)
        return
    for i in range(len(tokens) - size + 1):
        yield " ".join(tokens[i : i + size])

"""Flat-text page -> its lines, each classified by its form: prose, chrome, stamp or short.

A flat page (one block per line, as a scraper writes it) is read line by line: every non-blank
line gets a class from its form: ``GOOD`` (a prose paragraph: enough words and a sentence end,
or long enough to be prose and punctuated like it), ``BAD`` (chrome: consent, share, comment
and subscribe prompts, calls to action, captions and photo credits, teasers cut with "...",
short bullets of navigation, copyright footers), ``STAMP`` (a date, a time or a byline
standing alone, a comment's "X on <date> at <time> said:") or ``SHORT`` (a line that could be
a subheading or a nav item: decided by context). List items and table rows are flagged
(``item``); a heading that opens a teaser list or a comment thread is flagged (``heading``).
Page-level structure then corrects the classes: an image's alt text printed again as its
caption, and a gallery's captions (three or more long lines opening alike within a few lines)
are chrome, and lines the page's site prints on many pages (``site.py``) can be made chrome
(:func:`demote_repeated`). The article's run is then searched by :mod:`newsfold.clean.runs`.

Word lists (``vocabulary.py``) are multilingual and only tip the balance; the structure carries
the weight. Each line's features are read from its first ``max_line_chars`` characters so the
work per line is bounded, and each distinct line is classified once per page; a line of plain
words holding no trigger word (most menus) is classified without running a regex.

The line loop and the per-line features run in a compiled twin (``_lines.pyx``, picked by
``clean.compiled`` when it was built), which gives identical lines; the functions here ending
in ``_py`` are the pure-Python reading it is tested against, and the one used without a C
compiler.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from newsfold.clean import compiled
from newsfold.clean.metadata import parse_byline, parse_date
from newsfold.clean.site import line_key
from newsfold.clean.vocabulary import (
    AUTHOR_BOX,
    BULLET,
    CALL_TO_ACTION,
    CAPTION_START,
    CJK,
    COMMENT_HEADING,
    CONSENT,
    FIRST_WORD,
    FOOTER_CREDIT,
    GALLERY_COUNTER,
    HEADING_FIRST_WORDS,
    PHOTO_CREDIT,
    PLAIN_TRIGGERS,
    TEASER_HEADING,
    UNSPACED,
    chrome_hits_reach,
    has_consent_word,
    is_stamp,
    may_be_byline,
    may_credit_photo,
)

GOOD = 2
SHORT = 1
BAD = 0
STAMP = 3  # a date or time line alone: chrome that costs more (comments, teaser lists)
# What _classify returns for a line that is BAD only by the short-bullet rule (read as BAD
# everywhere else): whether a BAD bullet is a list item depends on which rule made it BAD.
_BULLET_BAD = -1

# Bullets the text renderer writes before list items (each followed by a space).
BULLET_CHARS = frozenset("\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*-")
# Punctuation no classifier rule reads (read as spaces by the plain-line test of
# _line_features).
_HARMLESS = re.compile("[&,'\u2019\u2018\"\u201c\u201d\\-\u2013\u2014|+]")
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE_OR_SPACE = _INVISIBLE + " \t\r\n\f\v\u00a0\u3000"
_BULLET_PREFIX = "\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*- "
# Gallery captions: how many prose lines opening alike make a gallery, and how long the
# shared opening is (long enough that two paragraphs of an article never share it).
_GALLERY_COPIES = 3
_CAPTION_PREFIX = 60
_CAPTION_MIN_CHARS = 100
_GALLERY_SPAN = 12
_TERMINAL = frozenset(".!?\u3002\uff01\uff1f\u0964\u061f\u2026;")
_CLOSERS = "\"'\u201d\u2019\u00bb\u300d\u300f)]\u3011 "
_TRAILING_AGENCY = re.compile(r"\s*[(\[][A-Za-z /]{2,30}[)\]]\s*$")

# A comment's or a post's header: a date with a time of day, in a line this short.
_SIGNED_WORDS = 16
_CLOCK = re.compile(r"\b\d{1,2}[:.h]\d\d\b")


class Line(NamedTuple):
    """One non-blank line of the page with the features the classifier reads."""

    number: int  # 0-based line number in the page
    text: str  # stripped
    words: int  # word count (CJK characters count as half a word each)
    kind: int  # GOOD, SHORT or BAD
    heading: bool  # opens a teaser list
    terminal: bool  # ends like a sentence
    item: bool = False  # a list item or a table row (bullet, enumerator, aligned cells)


def count_words_py(head: str) -> int:
    """Words of a line; in scripts written without spaces, two characters count as one (the
    compiled twin is ``_lines.count_words``)."""
    spaced = len(head.split())
    if head.isascii():
        return spaced
    cjk = len(UNSPACED.findall(head))
    if cjk:
        # A CJK line has few spaces: two characters carry about one word's information.
        return max(spaced, cjk // 2 + spaced)
    return spaced


def _ends_sentence(head: str) -> bool:
    text = head.rstrip(_CLOSERS)
    if text and text[-1] in _TERMINAL:
        return True
    if head.endswith((")", "]")):
        # "... as leader. (AFP)": the sentence ends before the credit.
        text = _TRAILING_AGENCY.sub("", head).rstrip(_CLOSERS)
        return bool(text) and text[-1] in _TERMINAL
    return False


_PUNCT = frozenset(".,;:!?\u3002\uff0c\u3001\uff1b\uff1a\uff01\uff1f\u060c")


def _inner_punctuation(head: str) -> int:
    return sum(1 for ch in head if ch in _PUNCT)


def _classify(head: str, lowered: str, words: int, terminal: bool) -> tuple[int, bool]:
    """The class of one line (GOOD / SHORT / BAD / STAMP) and whether it opens a teaser list.

    ``lowered`` is ``head.lower()``, computed once by the caller.
    """
    if words <= 14:
        match = FIRST_WORD.match(lowered)  # matches every string (both parts may be empty)
        first = match.group(1) if match else ""
        if first in HEADING_FIRST_WORDS or first.isdigit() or not first.isascii():
            if words <= 8 and TEASER_HEADING.match(lowered):
                return BAD, True
            if COMMENT_HEADING.match(lowered):
                return BAD, True
    if not terminal and words <= 25:
        # Stamps: dates, times and bylines standing (nearly) alone, never sentences.
        byline = may_be_byline(lowered)
        if words <= 8 and "(@" not in head and is_stamp(lowered):
            return STAMP, False
        if words <= 10 and byline and parse_byline(head.lstrip("\u2022*- ")):
            # A byline inside a run of text is a teaser's or a comment's: furniture, like a
            # date.
            return STAMP, False
        if byline and parse_date(head):
            return STAMP, False  # "By HNN Staff | November 18, 2019 at 2:26 PM"
        if words <= _SIGNED_WORDS and _CLOCK.search(head) and parse_date(head):
            # A date with a time of day: a comment's or a post's header ("Jane on September
            # 12, 2018 at 4:47 pm said:"), furniture like a date line.
            return STAMP, False
    if words < 120 and may_credit_photo(lowered) and PHOTO_CREDIT.search(lowered):
        return BAD, False
    if words < 80 and ("\u00a9" in head or "credit:" in lowered) and FOOTER_CREDIT.search(lowered):
        # "\u00a9 2019 Example, LLC. All rights reserved." / "... Credit: ESA": a footer or a
        # caption's credit, not prose. A wire credit line ("\u00a9 AFP 2019") is still read
        # as the credit by the metadata step.
        return BAD, False
    if head.endswith(("..", "\u2026")) and not head.endswith(("....", "\u2026\u2026")):
        # A teaser cut mid-sentence ("... was...") is a link to another story.
        return BAD, False
    if words < 150 and has_consent_word(lowered) and CONSENT.search(lowered):
        # A consent banner, long enough to pass for prose.
        return BAD, False
    if words < 40 and CALL_TO_ACTION.match(lowered):
        return BAD, False
    if words < 40:
        sentence = terminal and words >= 6
        need = 2 if sentence and words >= 15 else 1
        if chrome_hits_reach(lowered, sentence=sentence, words=words, need=need):
            return BAD, False
    elif words < 150 and chrome_hits_reach(
        lowered, sentence=False, words=words, need=max(3, words // 15)
    ):
        # A block of chrome phrases long enough to pass for prose.
        return BAD, False
    if ":" in head[:20] and CAPTION_START.match(head):
        return BAD, False
    if head[0].isdigit() and GALLERY_COUNTER.match(head):
        return BAD, False
    if words <= 5 and AUTHOR_BOX.match(head):
        return BAD, True  # the article is over: an author's bio follows
    if words < 8 and _is_bullet(head):
        return _BULLET_BAD, False
    if terminal and words >= 8:
        return GOOD, False
    if words >= 25 and _inner_punctuation(head) >= max(2, words // 30):
        # A paragraph that ends without a full stop still has commas and stops inside; a tag
        # cloud or a menu flattened into one line has none.
        return GOOD, False
    return SHORT, False


# A table row as a text renderer aligns it: cells separated by runs of spaces.
_TABLE_ROW = re.compile(r"\S {2,}\S.* {2,}\S")


def _is_item(head: str, kind: int) -> bool:
    """A list item or a table row that is not chrome by its words (a bullet stays BAD only
    for being a short bullet; a bullet holding chrome words is not an item)."""
    if kind == BAD:
        # Only the bullet rule leaves a BAD line an item: re-check that nothing else fired.
        return _is_bullet(head) and _classify(head, head.lower(), 8, False)[0] not in (
            BAD,
            _BULLET_BAD,
        )
    if kind != SHORT:
        return False
    return _is_bullet(head) or "  " in head and bool(_TABLE_ROW.search(head))


# What a line BULLET matches starts with: a bullet, a dash, a (decimal) digit or a space
# (lines are stripped, but one may start with a space after a zero-width character).
_BULLET_FIRST = frozenset("\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*-")


def _is_bullet(head: str) -> bool:
    """``BULLET.match(head)`` on a non-empty line, without the regex for most lines."""
    first = head[0]
    if first in _BULLET_FIRST or first.isdecimal() or first.isspace():
        return BULLET.match(head) is not None
    return False


def _may_head(lowered: str, words: int) -> bool:
    return bool((words <= 8 and TEASER_HEADING.match(lowered)) or COMMENT_HEADING.match(lowered))


# (words, kind, heading, terminal, item) of a line: the fields of Line after its number and
# text, in Line's order, so that a Line is built by one tuple concatenation.
_Features = tuple[int, int, bool, bool, bool]


# Short lines recur across pages, not only within one: menus, share bars, footers, on every
# page of a site and many across sites ("\u2022 Facebook", "Advertisement"). Their features
# depend on the text alone, so they are memoised across pages: a pure function's results,
# never different from computing them afresh, and bounded in memory (32,768 lines of at most
# 200 characters). Prose lines are unique and are not kept.
_MEMO_CHARS = 200


def line_kind(text: str, max_line_chars: int) -> int:
    """The class a stripped line gets from its own words (GOOD / SHORT / BAD / STAMP), before
    page structure (repetition, galleries, the site's chrome) corrects it."""
    if len(text) <= _MEMO_CHARS:
        return _short_features(text, max_line_chars)[1]
    return _line_features(text, max_line_chars)[1]


def _line_features_py(s: str, max_line_chars: int) -> _Features:
    """(words, kind, heading, terminal, item) of a stripped line (the compiled twin is
    ``_lines.line_features``)."""
    head = s if len(s) <= max_line_chars else s[:max_line_chars]
    lowered = head.lower()
    bullet = len(lowered) > 2 and lowered[1] == " " and lowered[0] in BULLET_CHARS
    plain = lowered[2:] if bullet else lowered
    # A full stop, a colon or a bracket (no letter, space or harmless mark) makes a line not
    # plain: most prose and stamps are settled by these scans, before the line is rewritten
    # and split for the exact test below.
    if "." in plain or ":" in plain or "(" in plain:
        tokens: list[str] = []
    else:
        tokens = _HARMLESS.sub(" ", plain).split()
    if (
        tokens
        and len(tokens) < 25
        and "".join(tokens).isalpha()
        and (not tokens or tokens[0].isascii() or not _may_head(lowered, len(tokens)))
        and "  " not in head
        and PLAIN_TRIGGERS.isdisjoint(tokens)
        and (lowered.isascii() or not CJK.search(lowered))
        and not may_credit_photo(lowered)
        and not has_consent_word(lowered)
    ):
        # Plain words only (and punctuation no rule reads): no rule of the classifier can fire
        # (see PLAIN_TRIGGERS) but the bullet rule, and a line of under 25 words without a
        # sentence end is not prose. Most menus are such lines: no regex runs on them.
        # A non-ASCII first word is checked against the heading patterns: teaser headings
        # in other scripts are matched by pattern, not by word.
        words = count_words_py(head)
        if bullet:
            return words, BAD if words < 8 else SHORT, False, False, True
        return words, SHORT, False, False, False
    words = count_words_py(head)
    terminal = _ends_sentence(head)
    kind, heading = _classify(head, lowered, words, terminal)
    if not terminal and words <= 8 and kind in (BAD, _BULLET_BAD):
        # _is_item would classify the line again as 8 words without a sentence end: for such
        # a line every rule reads the same then, except the short-bullet rule (words < 8),
        # which no longer fires, and the author-box rule (words <= 5), which never fires on
        # a bullet. So the line is an item exactly when the short-bullet rule made it BAD.
        return words, BAD, heading, terminal, kind == _BULLET_BAD
    if kind == _BULLET_BAD:
        kind = BAD
    item = kind != GOOD and words < 40 and _is_item(head, kind)
    return words, kind, heading, terminal, item


_new_line = tuple.__new__


def _read_lines_py(text: str, *, max_lines: int, max_line_chars: int) -> list[Line]:
    """Non-blank lines of a flat page with their features and class (the compiled twin is
    ``_lines.read_lines``)."""
    raw = text.split("\n", max_lines)[:max_lines]
    out: list[Line] = []
    # Pages repeat their menus (header and footer): classify each distinct line once.
    seen: dict[str, _Features] = {}
    previous, previous_index = "", -2
    long_prose: list[int] = []  # positions of gallery caption candidates
    for index, line in enumerate(raw):
        s = line.strip()
        if not s:
            continue
        if s[0] in _INVISIBLE or s[-1] in _INVISIBLE:
            # Zero-width spaces and byte-order marks left by editors: a line of them is blank.
            s = s.strip(_INVISIBLE_OR_SPACE)
            if not s:
                continue
        features = seen.get(s)
        if features is None:
            features = seen[s] = (
                _short_features_py(s, max_line_chars)
                if len(s) <= _MEMO_CHARS
                else _line_features_py(s, max_line_chars)
            )
        kind = features[1]
        if index == previous_index + 1 and s == previous and kind != BAD:
            # A caption is often its image's alt text repeated on the next line: the first
            # copy is chrome (the second is marked by the next line when it repeats again).
            out[-1] = out[-1]._replace(kind=BAD)
        if kind == GOOD and len(s) > _CAPTION_MIN_CHARS:
            long_prose.append(len(out))
        # tuple.__new__ skips the NamedTuple constructor's Python frame (half the time).
        out.append(_new_line(Line, (index, s, *features)))
        previous, previous_index = s, index
    if len(long_prose) >= _GALLERY_COPIES:
        _mark_gallery_captions(out, long_prose)
    return out


def _mark_gallery_captions(out: list[Line], candidates: list[int]) -> None:
    """A photo gallery prints one caption per photo, each a variation of the same sentence
    ("Esper, left, and Lich shake hands in Hanoi, ..."): ``_GALLERY_COPIES`` or more long
    prose lines opening with the same ``_CAPTION_PREFIX`` characters within
    ``_GALLERY_SPAN`` lines are captions. Two copies are not enough (a pull quote repeats a
    paragraph once), nor are copies far apart (a recipe repeated for each meal plan).
    ``candidates`` are the positions of the prose lines over ``_CAPTION_MIN_CHARS``
    characters, in order (some may since have been made chrome as alt texts)."""
    where: dict[str, list[int]] = {}
    for i in candidates:
        line = out[i]
        if line.kind == GOOD:
            key = line.text.lstrip(_BULLET_PREFIX)[:_CAPTION_PREFIX]
            where.setdefault(key, []).append(i)
    for positions in where.values():
        if len(positions) < _GALLERY_COPIES:
            continue
        for k in range(len(positions) - _GALLERY_COPIES + 1):
            window = positions[k : k + _GALLERY_COPIES]
            if window[-1] - window[0] <= _GALLERY_SPAN:
                for i in window:
                    out[i] = out[i]._replace(kind=BAD)


def demote_repeated(lines: list[Line], repeated: frozenset[int]) -> list[Line]:
    """The lines with those the site repeats on many pages (keys in ``repeated``) made chrome.

    Returns ``lines`` itself when none is repeated. A date or a teaser heading keeps its
    class (it already costs more than chrome).
    """
    out: list[Line] | None = None
    keys: dict[str, bool] = {}
    for position, line in enumerate(lines):
        if line.kind in (BAD, STAMP) or line.heading:
            continue
        hit = keys.get(line.text)
        if hit is None:
            hit = keys[line.text] = line_key(line.text) in repeated
        if hit:
            if out is None:
                out = list(lines)
            out[position] = line._replace(kind=BAD)
    return lines if out is None else out


# The twin's memo of short lines (see _MEMO_CHARS) and the one in use: the compiled kernel's
# when it imports (``clean.compiled``), else the twin's. Both hold the same features for the
# same line; the bench clears ``_short_features`` to time a cold start.
_short_features_py = functools.lru_cache(maxsize=1 << 15)(_line_features_py)
if compiled.KERNEL is not None:
    _line_features: Callable[[str, int], _Features] = compiled.KERNEL.line_features
    _short_features = functools.lru_cache(maxsize=1 << 15)(_line_features)
    read_lines: Callable[..., list[Line]] = compiled.KERNEL.read_lines
    count_words: Callable[[str], int] = compiled.KERNEL.count_words
else:
    _line_features = _line_features_py
    _short_features = _short_features_py
    read_lines = _read_lines_py
    count_words = count_words_py

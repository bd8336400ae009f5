"""Flat-text page -> the article's lines: a line classifier plus a search for the main run.

A flat page (one block per line, as a scraper writes it) is read in three passes:

1. every non-blank line gets a class from its form: ``GOOD`` (a prose paragraph: enough words
   and a sentence end, or long enough to be prose and punctuated like it), ``BAD`` (chrome:
   consent, share, comment and subscribe prompts, calls to action, captions and photo
   credits, teasers cut with "...", short bullets of navigation, copyright footers),
   ``STAMP`` (a date, a time or a byline standing alone) or ``SHORT`` (a line that could be a
   subheading or a nav item: decided by context);
2. the article is the run of lines with the largest total weight (a maximum-sum segment, as in
   Kadane's algorithm): prose adds its word count, a paragraph alone between non-prose lines
   (a teaser card's summary, a bio) adds less, chrome and short lines subtract, a date or a
   byline inside a run subtracts a lot (comments and teaser lists are dated and signed items)
   and so does a heading that opens a teaser list ("Related articles", "Lesen Sie auch", ...).
   When the caller knows where the article starts (the paragraph under the headline), the run
   through that point is preferred unless a much heavier run exists elsewhere;
3. inside the run, prose lines are kept, and a ``SHORT`` line is kept when prose surrounds it
   (a subheading, a short paragraph, a list item inside the body).

Word lists (``vocabulary.py``) are multilingual and only tip the balance; the structure carries
the weight. Each line's features are read from its first ``max_line_chars`` characters so the
work per line is bounded, and each distinct line is classified once per page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from newsfold.clean.metadata import parse_byline, parse_date
from newsfold.clean.vocabulary import (
    AUTHOR_BOX,
    BULLET,
    CALL_TO_ACTION,
    CAPTION_START,
    COMMENT_HEADING,
    CONSENT,
    FIRST_WORD,
    FOOTER_CREDIT,
    GALLERY_COUNTER,
    HEADING_FIRST_WORDS,
    PHOTO_CREDIT,
    TEASER_HEADING,
    UNSPACED,
    chrome_hits,
    has_consent_word,
    is_stamp,
    may_be_byline,
    may_credit_photo,
)

GOOD = 2
SHORT = 1
BAD = 0
STAMP = 3  # a date or time line alone: chrome that costs more (comments, teaser lists)

_TERMINAL = frozenset(".!?\u3002\uff01\uff1f\u0964\u061f\u2026;")
_CLOSERS = "\"'\u201d\u2019\u00bb\u300d\u300f)]\u3011 "
_TRAILING_AGENCY = re.compile(r"\s*[(\[][A-Za-z /]{2,30}[)\]]\s*$")

# Weights of the run search. A prose line adds its word count (capped so one huge line does
# not swallow its neighbourhood); a short line costs a little (a subheading inside the body
# is cheap to cross), chrome costs more, and a teaser heading costs as much as a solid
# paragraph, so only real prose on both sides joins across it.
_SHORT_COST = 3.0
_BAD_COST = 8.0
_HEADING_COST = 60.0
_GOOD_CAP = 120.0
# A date line inside a run means the run is a list of dated items (comments, teasers): it
# costs as much as a few paragraphs (measured on zyte-text, F1: 25 -> 0.923, 60 -> 0.926,
# 100 -> 0.928, 200 -> 0.927, a hard break -> 0.927).
_STAMP_COST = 100.0
_MAX_SHORT_RUN = 8
# The run under the headline wins unless the heaviest run weighs more than 1 / share of it.
_ANCHOR_SHARE = 0.3
# Measured on zyte-text (F1): 1.0 -> 0.914, 0.7 -> 0.921, 0.5 -> 0.924, 0.3 -> 0.926, 0.2 -> 0.924.
_ISOLATED_SHARE = 0.3
_BACK_WINDOW = 12


class Line(NamedTuple):
    """One non-blank line of the page with the features the classifier reads."""

    number: int  # 0-based line number in the page
    text: str  # stripped
    words: int  # word count (CJK characters count as half a word each)
    kind: int  # GOOD, SHORT or BAD
    heading: bool  # opens a teaser list
    terminal: bool  # ends like a sentence


@dataclass(frozen=True, slots=True)
class Selection:
    """What the classifier found: all lines, the main run's bounds and the kept lines."""

    lines: tuple[Line, ...]
    start: int  # position in ``lines`` of the run's first line (-1: no run)
    end: int  # position of the run's last line (inclusive)
    kept: tuple[int, ...]  # positions in ``lines`` of the body lines, in order
    run_words: int


def _count_words(head: str) -> int:
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


def _classify(head: str, words: int, terminal: bool, copies: int) -> tuple[int, bool]:
    """The class of one line (GOOD / SHORT / BAD / STAMP) and whether it opens a teaser list."""
    lowered = head.lower()
    if words <= 14:
        match = FIRST_WORD.match(lowered)
        first = match.group(1) if match else ""
        if first in HEADING_FIRST_WORDS or first.isdigit() or not first.isascii():
            if words <= 8 and TEASER_HEADING.match(lowered):
                return BAD, True
            if COMMENT_HEADING.match(lowered):
                return BAD, True
    if words <= 8 and not terminal and "(@" not in head and is_stamp(lowered):
        return STAMP, False
    if (
        words <= 10
        and not terminal
        and may_be_byline(lowered)
        and parse_byline(head.lstrip("\u2022*- "))
    ):
        # A byline inside a run of text is a teaser's or a comment's: furniture, like a date.
        return STAMP, False
    if words <= 25 and not terminal and may_be_byline(lowered) and parse_date(head):
        return STAMP, False  # "By HNN Staff | November 18, 2019 at 2:26 PM"
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
        hits = chrome_hits(lowered, sentence=sentence, words=words)
        if hits >= (2 if sentence and words >= 15 else 1):
            return BAD, False
    elif words < 150 and chrome_hits(lowered, sentence=False, words=words) >= max(3, words // 15):
        # A block of chrome phrases long enough to pass for prose.
        return BAD, False
    if ":" in head[:20] and CAPTION_START.match(head):
        return BAD, False
    if head[0].isdigit() and GALLERY_COUNTER.match(head):
        return BAD, False
    if words <= 5 and AUTHOR_BOX.match(head):
        return BAD, True  # the article is over: an author's bio follows
    if words < 8 and BULLET.match(head):
        return BAD, False
    if terminal and words >= 8:
        return GOOD, False
    if words >= 25 and _inner_punctuation(head) >= max(2, words // 30):
        # A paragraph that ends without a full stop still has commas and stops inside; a tag
        # cloud or a menu flattened into one line has none.
        return GOOD, False
    return SHORT, False


def read_lines(text: str, *, max_lines: int, max_line_chars: int) -> list[Line]:
    """Non-blank lines of a flat page with their features and class."""
    raw = text.split("\n", max_lines)[:max_lines]
    stripped = [line.strip() for line in raw]
    counts: dict[str, int] = {}
    for s in stripped:
        if s:
            counts[s] = counts.get(s, 0) + 1
    out: list[Line] = []
    # Pages repeat their menus (header and footer): classify each distinct line once.
    seen: dict[str, tuple[int, bool, int, bool]] = {}
    for index, s in enumerate(stripped):
        if not s:
            continue
        features = seen.get(s)
        if features is None:
            head = s if len(s) <= max_line_chars else s[:max_line_chars]
            words = _count_words(head)
            terminal = _ends_sentence(head)
            kind, heading = _classify(head, words, terminal, counts[s])
            features = seen[s] = (words, terminal, kind, heading)
        words, terminal, kind, heading = features
        out.append(Line(index, s, words, kind, heading, terminal))
    # A caption is often its image's alt text repeated on the next line: mark both copies.
    for i in range(1, len(out)):
        if (
            out[i].text == out[i - 1].text
            and out[i].number == out[i - 1].number + 1
            and out[i - 1].kind != BAD
        ):
            out[i - 1] = out[i - 1]._replace(kind=BAD)
    return out


def _weight(line: Line) -> float:
    if line.kind == GOOD:
        return min(float(line.words), _GOOD_CAP)
    if line.heading:
        return -_HEADING_COST
    if line.kind == BAD:
        return -_BAD_COST
    if line.kind == STAMP:
        return -_STAMP_COST
    return -_SHORT_COST


def _best_segment(weights: list[float]) -> tuple[int, int, float]:
    """Maximum-sum contiguous segment (Kadane): (start, end inclusive, sum); (-1, -1, 0) if none."""
    best_sum = 0.0
    best = (-1, -1)
    current = 0.0
    current_start = 0
    for position, weight in enumerate(weights):
        if current <= 0.0:
            current = 0.0
            current_start = position
        current += weight
        if current > best_sum:
            best_sum = current
            best = (current_start, position)
    return best[0], best[1], best_sum


def _best_from(weights: list[float], start: int) -> tuple[int, float]:
    """The best end of a segment that must begin at ``start``: (end, sum)."""
    total = 0.0
    best_end, best_sum = start, weights[start]
    for position in range(start, len(weights)):
        total += weights[position]
        if total > best_sum:
            best_end, best_sum = position, total
    return best_end, best_sum


def _best_before(weights: list[float], anchor: int, lines: list[Line]) -> tuple[int, float]:
    """The best start of a segment that ends just before ``anchor``: (start, sum >= 0).

    With nothing worth adding before the anchor, the start is the anchor itself (sum 0). Only
    ``_BACK_WINDOW`` lines are looked at: what the header matched may be a caption inside the
    article (so the article began a little earlier), but material far above the header is
    the page's, not the article's.
    """
    total = 0.0
    best_start, best_sum = anchor, 0.0
    for position in range(anchor - 1, max(-1, anchor - 1 - _BACK_WINDOW), -1):
        if lines[position].kind == STAMP or lines[position].heading:
            break  # a date, a byline or a teaser heading: the header or another item
        total += weights[position]
        if total > best_sum:
            best_start, best_sum = position, total
    return best_start, best_sum


def select(lines: list[Line], anchor: int = -1, anchor_share: float = _ANCHOR_SHARE) -> Selection:
    """The main run of prose and the lines kept from it.

    ``anchor`` is the position of the first paragraph under the article's header (a headline
    matching the URL, a byline, a date), when one was found. The run that starts there is
    preferred to the page's heaviest run unless that one is much heavier: a comment thread or
    a list of teasers can outweigh a short article, but it does not sit under the headline.
    ``anchor_share`` is how light the anchored run may be next to the heaviest one.
    """
    weights = [_weight(line) for line in lines]
    for position, line in enumerate(lines):
        if line.kind != GOOD:
            continue
        before = lines[position - 1].kind if position > 0 else BAD
        after = lines[position + 1].kind if position + 1 < len(lines) else BAD
        if before != GOOD and after != GOOD:
            # A paragraph alone between non-prose lines: a teaser card's summary, a bio, a
            # promo. Articles are runs of paragraphs; a lone one counts for less.
            weights[position] *= _ISOLATED_SHARE
    start, end, total = _best_segment(weights)
    if 0 <= anchor < len(lines) and lines[anchor].kind == GOOD and start != anchor:
        anchor_end, right_total = _best_from(weights, anchor)
        anchor_start, left_total = _best_before(weights, anchor, lines)
        if right_total + left_total >= anchor_share * total:
            start, end = anchor_start, anchor_end
    if start < 0:
        return Selection(tuple(lines), -1, -1, (), 0)
    kept: list[int] = []
    for position in range(start, end + 1):
        line = lines[position]
        if line.kind == GOOD or (
            line.kind == SHORT and _surrounded_by_prose(lines, position, start, end)
        ):
            kept.append(position)
    run_words = sum(lines[p].words for p in kept)
    return Selection(tuple(lines), start, end, tuple(kept), run_words)


def _surrounded_by_prose(lines: list[Line], position: int, start: int, end: int) -> bool:
    """A short line is body when the nearest non-short lines on both sides are prose.

    Up to ``_MAX_SHORT_RUN`` short lines in a row are crossed (a subheading, a list or a
    recipe's steps inside the body); a longer stretch of short lines is navigation or a widget.
    """
    before = position - 1
    steps = 0
    while before >= start and lines[before].kind == SHORT and steps < _MAX_SHORT_RUN:
        before -= 1
        steps += 1
    after = position + 1
    steps = 0
    while after <= end and lines[after].kind == SHORT and steps < _MAX_SHORT_RUN:
        after += 1
        steps += 1
    return (
        before >= start
        and after <= end
        and lines[before].kind == GOOD
        and lines[after].kind == GOOD
    )

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

# Bullets the text renderer writes before list items (each followed by a space).
_BULLET_CHARS = frozenset("\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*-")
# Punctuation no classifier rule reads (read as spaces by the plain-line test of _features).
_HARMLESS = re.compile("[&,'\u2019\u2018\"\u201c\u201d\\-\u2013\u2014|+]")
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

# Weights of the run search. A prose line adds its word count (capped so one huge line does
# not swallow its neighbourhood); a short line costs a little (a subheading inside the body
# is cheap to cross), chrome costs more, and a teaser heading costs as much as a solid
# paragraph, so only real prose on both sides joins across it.
_SHORT_COST = 3.0
_BAD_COST = 8.0
# A table row costs less than a short line: tables sit inside articles. (Giving long bulleted
# items the same discount let teaser lists join the article: zyte-text F1 0.9463 -> 0.9459.)
_ITEM_COST = 1.0
_HEADING_COST = 60.0
_GOOD_CAP = 120.0
# A date line inside a run means the run is a list of dated items (comments, teasers): it
# costs as much as a few paragraphs (measured on zyte-text, F1: 25 -> 0.923, 60 -> 0.926,
# 100 -> 0.928, 200 -> 0.927, a hard break -> 0.927).
_STAMP_COST = 100.0
_MAX_SHORT_RUN = 8
# Lists and tables at the end of an article: how far under the last paragraph the list may
# start, its least and largest number of lines.
_LIST_GAP = 2
_MIN_LIST_ITEMS = 2
_MAX_LIST = 60
_FIRST_ITEM = re.compile(r"^\W{0,2}1\s?[.)]\s")
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
    item: bool = False  # a list item or a table row (bullet, enumerator, aligned cells)


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


def _classify(head: str, words: int, terminal: bool) -> tuple[int, bool]:
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


# A table row as a text renderer aligns it: cells separated by runs of spaces.
_TABLE_ROW = re.compile(r"\S {2,}\S.* {2,}\S")


def _is_item(head: str, kind: int) -> bool:
    """A list item or a table row that is not chrome by its words (a bullet stays BAD only
    for being a short bullet; a bullet holding chrome words is not an item)."""
    if kind == BAD:
        # Only the bullet rule leaves a BAD line an item: re-check that nothing else fired.
        return bool(BULLET.match(head)) and _classify(head, 8, False)[0] != BAD
    if kind != SHORT:
        return False
    return bool(BULLET.match(head)) or "  " in head and bool(_TABLE_ROW.search(head))


def _may_head(lowered: str, words: int) -> bool:
    return bool((words <= 8 and TEASER_HEADING.match(lowered)) or COMMENT_HEADING.match(lowered))


def _features(s: str, max_line_chars: int) -> tuple[int, bool, int, bool, bool]:
    """(words, terminal, kind, heading, item) of one distinct stripped line."""
    head = s if len(s) <= max_line_chars else s[:max_line_chars]
    lowered = head.lower()
    bullet = len(lowered) > 2 and lowered[1] == " " and lowered[0] in _BULLET_CHARS
    tokens = _HARMLESS.sub(" ", lowered[2:] if bullet else lowered).split()
    if (
        len(tokens) < 25
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
        words = _count_words(head)
        if bullet:
            return words, False, BAD if words < 8 else SHORT, False, True
        return words, False, SHORT, False, False
    words = _count_words(head)
    terminal = _ends_sentence(head)
    kind, heading = _classify(head, words, terminal)
    item = kind != GOOD and words < 40 and _is_item(head, kind)
    return words, terminal, kind, heading, item


def read_lines(text: str, *, max_lines: int, max_line_chars: int) -> list[Line]:
    """Non-blank lines of a flat page with their features and class."""
    raw = text.split("\n", max_lines)[:max_lines]
    out: list[Line] = []
    # Pages repeat their menus (header and footer): classify each distinct line once.
    seen: dict[str, tuple[int, bool, int, bool, bool]] = {}
    for index, line in enumerate(raw):
        s = line.strip()
        if not s:
            continue
        features = seen.get(s)
        if features is None:
            features = seen[s] = _features(s, max_line_chars)
        words, terminal, kind, heading, item = features
        out.append(Line(index, s, words, kind, heading, terminal, item))
    # A caption is often its image's alt text repeated on the next line: mark both copies.
    for i in range(1, len(out)):
        if (
            out[i].text == out[i - 1].text
            and out[i].number == out[i - 1].number + 1
            and out[i - 1].kind != BAD
        ):
            out[i - 1] = out[i - 1]._replace(kind=BAD)
    _mark_gallery_captions(out)
    return out


def _mark_gallery_captions(out: list[Line]) -> None:
    """A photo gallery prints one caption per photo, each a variation of the same sentence
    ("Esper, left, and Lich shake hands in Hanoi, ..."): ``_GALLERY_COPIES`` or more long
    prose lines opening with the same ``_CAPTION_PREFIX`` characters within
    ``_GALLERY_SPAN`` lines are captions. Two copies are not enough (a pull quote repeats a
    paragraph once), nor are copies far apart (a recipe repeated for each meal plan)."""
    where: dict[str, list[int]] = {}
    for i, line in enumerate(out):
        if line.kind == GOOD and len(line.text) > _CAPTION_MIN_CHARS:
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


def _weight(line: Line) -> float:
    if line.kind == GOOD:
        return min(float(line.words), _GOOD_CAP)
    if line.heading:
        return -_HEADING_COST
    if line.kind == BAD:
        return -_BAD_COST
    if line.kind == STAMP:
        return -_STAMP_COST
    if _table_row(line):
        return -_ITEM_COST
    return -_SHORT_COST


def _table_row(line: Line) -> bool:
    """A short item without a bullet: a table row or a numbered step (bulleted lines are
    as often teasers and menus)."""
    return line.item and line.kind == SHORT and line.text[0] not in _BULLET_CHARS


def _neighbour_kind(lines: list[Line], position: int, step: int) -> int:
    """The kind of the nearest line in direction ``step`` past a table (a paragraph
    introducing a table is not alone)."""
    position += step
    crossed = 0
    while 0 <= position < len(lines) and crossed < _MAX_LIST:
        line = lines[position]
        if not _table_row(line):
            return line.kind
        position += step
        crossed += 1
    return BAD


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
        before = _neighbour_kind(lines, position, -1)
        after = _neighbour_kind(lines, position, 1)
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
    list_end = _list_after(lines, end)
    kept: list[int] = []
    for position in range(start, end + 1):
        line = lines[position]
        if line.kind == GOOD or (
            (line.kind == SHORT or line.item) and _surrounded_by_prose(lines, position, start, end)
        ):
            kept.append(position)
    kept.extend(p for p in range(end + 1, list_end + 1) if _listed(lines[p]))
    end = list_end
    run_words = sum(lines[p].words for p in kept)
    return Selection(tuple(lines), start, end, tuple(kept), run_words)


def _listed(line: Line) -> bool:
    return not line.heading and (line.kind == SHORT or line.item)


def _list_after(lines: list[Line], end: int) -> int:
    """The end of the run with a list or a table that closes the article.

    An article may end on a list ("The tour dates:", then one line per date) or a table; its
    lines are short, so the run search stops before them. A list belongs to the article when
    it is announced by a line ending in a colon (up to ``_LIST_GAP`` short lines under the last
    paragraph) or starts right under it with an item numbered 1. It runs
    while the lines are short or list items, and ends at chrome, a date, a heading or prose.
    """
    position = end + 1
    limit = min(len(lines), end + 2 + _LIST_GAP)
    intro = -1
    while position < limit:
        line = lines[position]
        if not _listed(line):
            return end
        if line.text.endswith(":") or (position == end + 1 and _FIRST_ITEM.match(line.text)):
            intro = position
            break
        position += 1
    if intro < 0:
        return end
    last = intro
    position = intro + 1
    while position < len(lines) and position - intro <= _MAX_LIST:
        line = lines[position]
        if not _listed(line):
            # One odd line inside a list (an item with a menu word in it) does not end it.
            following = lines[position + 1] if position + 1 < len(lines) else None
            if line.kind != BAD or line.heading or following is None or not _listed(following):
                break
        last = position
        position += 1
    if last - intro < _MIN_LIST_ITEMS and not _FIRST_ITEM.match(lines[intro].text):
        return end
    return last


def _crossable(line: Line, steps: int) -> bool:
    if line.item:
        return steps < _MAX_LIST
    return line.kind == SHORT and steps < _MAX_SHORT_RUN


def _surrounded_by_prose(lines: list[Line], position: int, start: int, end: int) -> bool:
    """A short line is body when the nearest non-short lines on both sides are prose.

    Up to ``_MAX_SHORT_RUN`` short lines in a row are crossed (a subheading, a list or a
    recipe's steps inside the body); a longer stretch of short lines is navigation or a widget.
    List items and table rows are crossed too, up to ``_MAX_LIST`` of them.
    """
    before = position - 1
    steps = 0
    while before >= start and _crossable(lines[before], steps):
        before -= 1
        steps += 1
    after = position + 1
    steps = 0
    while after <= end and _crossable(lines[after], steps):
        after += 1
        steps += 1
    return (
        before >= start
        and after <= end
        and lines[before].kind == GOOD
        and lines[after].kind == GOOD
    )

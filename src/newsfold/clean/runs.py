"""The article's run of lines: a maximum-sum search over the classified lines of a page.

The lines come classified from :mod:`newsfold.clean.lines`. The article is the run of lines
with the largest total weight (a maximum-sum segment, as in Kadane's algorithm): prose adds its
word count, a paragraph alone between non-prose lines (a teaser card's summary, a bio) adds
less, chrome and short lines subtract, a date or a byline inside a run subtracts a lot
(comments and teaser lists are dated and signed items) and so does a heading that opens a
teaser list. When the caller knows where the article starts (the paragraph under the
headline), the run through that point is preferred unless a much heavier run exists
elsewhere, and a comments heading after the article's first paragraphs ends it. Inside the
run, prose is kept, and a short line or a list item when prose surrounds it; a list announced
by a colon right under the last paragraph is kept with it; a closing paragraph made of social
and subscription words is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from newsfold.clean import compiled
from newsfold.clean.lines import BAD, BULLET_CHARS, GOOD, SHORT, STAMP, Line
from newsfold.clean.vocabulary import COMMENT_HEADING, STRONG_WORDS, WEAK_WORDS, WORD_RE

# Weights of the run search. A prose line adds its word count (capped so one huge line does
# not swallow its neighbourhood); a short line costs a little (a subheading inside the body
# is cheap to cross), chrome costs more, and a teaser heading costs as much as a solid
# paragraph, so only real prose on both sides joins across it.
_SHORT_COST = 3.0
_BAD_COST = 8.0
# A table row costs less than a short line: tables sit inside articles. (Giving long bulleted
# items the same discount let teaser lists join the article: zyte-text F1 0.9463 -> 0.9459.)
_ITEM_COST = 1.0
# A closing paragraph of at most 250 characters holding a strong chrome word or three weak
# ones (zyte-text F1, fold 0 / fold 1: no trim 0.9416 / 0.9523, two weak words 0.9424 /
# 0.9522, three 0.9420 / 0.9526, four 0.9419 / 0.9526).
_PROMOTION_CHARS = 250
_PROMOTION_WORDS = 3
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


@dataclass(frozen=True, slots=True)
class Selection:
    """What the classifier found: all lines, the main run's bounds and the kept lines."""

    lines: tuple[Line, ...]
    start: int  # position in ``lines`` of the run's first line (-1: no run)
    end: int  # position of the run's last line (inclusive)
    kept: tuple[int, ...]  # positions in ``lines`` of the body lines, in order
    run_words: int


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
    return line.item and line.kind == SHORT and line.text[0] not in BULLET_CHARS


def _neighbour_kind(lines: list[Line], position: int, step: int) -> int:
    """The kind of the nearest line in direction ``step`` past a table (a paragraph
    introducing a table is not alone)."""
    position += step
    if 0 <= position < len(lines) and not lines[position].item:
        return lines[position].kind  # the usual case: the neighbour is no table row
    crossed = 0
    while 0 <= position < len(lines) and crossed < _MAX_LIST:
        line = lines[position]
        if not _table_row(line):
            return line.kind
        position += step
        crossed += 1
    return BAD


def _best_segment_py(weights: list[float]) -> tuple[int, int, float]:
    """Maximum-sum contiguous segment (Kadane): (start, end inclusive, sum); (-1, -1, 0) if none.

    The compiled twin is ``_lines.best_segment``."""
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


def _weights_py(lines: list[Line], anchor: int) -> list[float]:
    """Each line's weight in the run search (the compiled twin is ``_lines.run_weights``)."""
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
    if 0 <= anchor < len(lines):
        # Under the article's header and after some of its prose, a comments heading ends
        # the article: what follows is readers' prose, however heavy. (Above the header, or
        # as a bullet in a share bar, "Comments" is a link.)
        prose = 0
        for position in range(anchor, len(lines)):
            line = lines[position]
            prose += line.kind == GOOD
            if (
                line.heading
                and prose >= 2
                and line.text[0] not in BULLET_CHARS
                and COMMENT_HEADING.match(line.text.lower())
            ):
                weights[position:] = [-_BAD_COST] * (len(lines) - position)
                break
    return weights


def _kept_py(lines: list[Line], start: int, end: int) -> list[int]:
    """The body lines of the run: prose, and short lines and list items that prose surrounds
    (the compiled twin is ``_lines.kept_lines``)."""
    kept: list[int] = []
    for position in range(start, end + 1):
        line = lines[position]
        if line.kind == GOOD or (
            (line.kind == SHORT or line.item) and _surrounded_by_prose(lines, position, start, end)
        ):
            kept.append(position)
    return kept


def select(lines: list[Line], anchor: int = -1, anchor_share: float = _ANCHOR_SHARE) -> Selection:
    """The main run of prose and the lines kept from it.

    ``anchor`` is the position of the first paragraph under the article's header (a headline
    matching the URL, a byline, a date), when one was found. The run that starts there is
    preferred to the page's heaviest run unless that one is much heavier: a comment thread or
    a list of teasers can outweigh a short article, but it does not sit under the headline.
    ``anchor_share`` is how light the anchored run may be next to the heaviest one.
    """
    weights = _weights(lines, anchor)
    start, end, total = _best_segment(weights)
    if 0 <= anchor < len(lines) and lines[anchor].kind == GOOD and start != anchor:
        anchor_end, right_total = _best_from(weights, anchor)
        anchor_start, left_total = _best_before(weights, anchor, lines)
        if right_total + left_total >= anchor_share * total:
            start, end = anchor_start, anchor_end
    if start < 0:
        return Selection(tuple(lines), -1, -1, (), 0)
    list_end = _list_after(lines, end)
    kept = _kept(lines, start, end)
    kept.extend(p for p in range(end + 1, list_end + 1) if _listed(lines[p]))
    end = list_end
    # A promotion closing the article ("Follow us on Facebook, Twitter or by email.", "Subscribe
    # to our sister title ..."): prose, but made of chrome words.
    while len(kept) > 1 and lines[kept[-1]].kind == GOOD and _promotion(lines[kept[-1]].text):
        kept.pop()
    run_words = sum(lines[p].words for p in kept)
    return Selection(tuple(lines), start, end, tuple(kept), run_words)


def _promotion(text: str) -> bool:
    """A short paragraph of social, subscription or sharing vocabulary."""
    lowered = text.lower()
    if len(lowered) > _PROMOTION_CHARS:
        return False
    tokens = set(WORD_RE.findall(lowered))
    return (
        not STRONG_WORDS.isdisjoint(tokens)
        or len(WEAK_WORDS.intersection(tokens)) >= _PROMOTION_WORDS
    )


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


# The compiled twins when the kernel imports (``clean.compiled``): identical weights and runs.
if compiled.KERNEL is not None:
    _weights: Callable[[list[Line], int], list[float]] = compiled.KERNEL.run_weights
    _best_segment: Callable[[list[float]], tuple[int, int, float]] = compiled.KERNEL.best_segment
    _kept: Callable[[list[Line], int, int], list[int]] = compiled.KERNEL.kept_lines
else:
    _weights = _weights_py
    _best_segment = _best_segment_py
    _kept = _kept_py

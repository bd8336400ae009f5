"""Page -> Article: the flat-text and HTML paths and the metadata post-processing they share."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate

from newsfold.clean import compiled
from newsfold.clean.lines import (
    BAD,
    GOOD,
    STAMP,
    Line,
    count_words,
    demote_repeated,
    line_kind,
    read_lines,
)
from newsfold.clean.metadata import (
    credit_line,
    date_from_url,
    detect_language,
    fold_accents,
    parse_byline,
    parse_date,
    split_dateline,
    split_trailing_credit,
    strip_site_name,
    url_words,
)
from newsfold.clean.options import CleanOptions
from newsfold.clean.runs import select
from newsfold.clean.site import SiteLines
from newsfold.clean.vocabulary import PLATFORM_NOTICE, chrome_hits
from newsfold.models import Article, Page
from newsfold.text import normalise, sentences

NO_ARTICLE = "no article found"
_DEFAULT = CleanOptions()
# How far above the body the title is looked for, in non-blank lines: titles sit close to the
# body, with at most a byline, date, share buttons and an image between them.
_TITLE_WINDOW = 15
# Lines after the body where a credit line ("\u00a9 AFP 2019") may still stand.
_CREDIT_WINDOW = 4
# How light the run under the header may be next to the page's heaviest run and still win:
# a headline matching the URL is strong evidence (0.2; zyte-text F1 0.05 -> 0.918, 0.1 -> 0.923,
# 0.2 -> 0.929, 0.3 -> 0.926), a byline or a date line weaker (0.3).
_SLUG_ANCHOR_SHARE = 0.2
_ANCHOR_SHARE = 0.3
# How many lines under a header line its first paragraph may be (share buttons, a caption).
_HEADER_REACH = 12
# Share of a headline's words that must be in the URL slug for it to count as the headline.
_SLUG_MATCH = 0.6
# HTML mode: the least share of the extractor's words the main run must keep to replace it.
# zyte-aeb F1 (fold 0 / fold 1 of the pages by id parity): no run search 0.9606 / 0.9608,
# 0.5 -> 0.9566 / 0.9615, 0.7 -> 0.9616 / 0.9630, 0.8 -> 0.9632 / 0.9630, 0.9 -> 0.9618 / 0.9630.
_HTML_RUN_SHARE = 0.8
# How much of the article must survive the site's repeated lines for them to be applied.
_SITE_KEEP_SHARE = 0.5


@dataclass(slots=True)
class _Parts:
    """The article being assembled (mutable while the post-processing runs)."""

    paragraphs: list[str]
    title: str | None = None
    standfirst: str | None = None
    dateline: str | None = None
    credit: str | None = None
    byline: str | None = None
    published: str | None = None


def _finish_body(parts: _Parts) -> None:
    """Metadata out of the body: credit lines, trailing credit, byline, standfirst, dateline."""
    body: list[str] = []
    for paragraph in parts.paragraphs:
        is_credit, wire = credit_line(paragraph)
        if is_credit:
            if wire and parts.credit is None:
                parts.credit = wire
            continue
        body.append(paragraph)
    if body:
        wire, rest = split_trailing_credit(body[-1])
        if wire:
            parts.credit = parts.credit or wire
            body[-1] = rest
            if not rest.strip():
                body.pop()
    if body:
        name = parse_byline(body[0])
        if name:
            parts.byline = parts.byline or name
            body.pop(0)
    if len(body) > 1 and parts.standfirst is None:
        # A summary printed above the body and repeated by it (often inside the first
        # paragraph) is the standfirst, not a paragraph of its own.
        first = normalise(body[0])
        if len(first) >= 20 and any(first in normalise(p) for p in body[1:4]):
            parts.standfirst = body.pop(0)
    if body:
        place, wire, rest = split_dateline(body[0])
        if rest.strip() and (place or wire):
            parts.dateline = place
            if wire:
                parts.credit = parts.credit or wire
            body[0] = rest.strip()
    parts.paragraphs = body


def _single_spaced(text: str) -> str:
    """``" ".join(text.split())``, without splitting text that is single-spaced already.

    Every whitespace character but the ASCII space is unprintable (a control or separator
    character), so printable text without two spaces in a row or a space at either end has
    nothing to collapse. Most paragraphs are such text.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def _paragraphs_py(paragraphs: list[str], max_chars: int) -> tuple[str, ...]:
    """The non-blank paragraphs, cut at ``max_chars``, whitespace collapsed (the compiled twin
    is ``_lines.body_paragraphs``)."""
    return tuple(_single_spaced(p[:max_chars]) for p in paragraphs if p.strip())


_paragraphs: Callable[[list[str], int], tuple[str, ...]] = (
    compiled.KERNEL.body_paragraphs if compiled.KERNEL is not None else _paragraphs_py
)


def _article(
    parts: _Parts, *, id: str, url: str | None, options: CleanOptions, page: Page | None = None
) -> Article:
    # Whitespace is collapsed (no-break and repeated spaces become one space): the body is text
    # to compare and hash, and a page's layout spaces are not part of its words.
    paragraphs = _paragraphs(parts.paragraphs, options.max_paragraph_chars)
    lang = None
    if options.detect_language:
        lang = detect_language(" ".join(paragraphs[:8]) or parts.title or "")
    return Article(
        id=id,
        title=" ".join(parts.title.split()) if parts.title else None,
        standfirst=" ".join(parts.standfirst.split()) if parts.standfirst else None,
        paragraphs=paragraphs,
        dateline=parts.dateline,
        credit=parts.credit,
        byline=parts.byline,
        published=parts.published,
        site=page.site if page else None,
        lang=lang,
        url=url,
        fetched_at=page.fetched_at if page else None,
        reason=None if paragraphs else NO_ARTICLE,
    )


def _empty(*, id: str, url: str | None, page: Page | None = None) -> Article:
    return Article(
        id=id,
        url=url,
        site=page.site if page else None,
        fetched_at=page.fetched_at if page else None,
        reason=NO_ARTICLE,
    )


def _title_position(
    lines: list[Line], start: int, slug: frozenset[str], max_line_chars: int
) -> int:
    """Position of the title line above the body start, -1 when none looks like one.

    Candidates are lines of 2-40 words that are not chrome phrases, dates, bylines or
    sentences ending in a colon. With a URL, the candidate sharing most words with the URL's
    slug wins (sites put the headline in the slug); otherwise the nearest one does.
    """
    best = -1
    best_overlap = 0.0
    nearest = -1
    nearest_sentence = -1
    low = max(0, start - _TITLE_WINDOW)
    for position in range(start - 1, low - 1, -1):
        line = lines[position]
        if line.heading or line.words < 2 or line.words > 40:
            continue
        if line.kind == STAMP or (line.kind == BAD and line.text.count(" ") < 2):
            continue
        text = line.text
        # The tests only filter (their order cannot change the answer): the cheap and most
        # selective one runs first.
        if _not_title(text):
            continue
        if text.endswith(":") or parse_byline(text) or credit_line(text)[0]:
            continue
        if line.words < 20 and parse_date(text):
            continue
        if line.kind == BAD and not _repeated_title(lines, position, max_line_chars):
            continue
        if line.words >= 3:
            # Headlines rarely end with a full stop; a sentence is only a fallback.
            if not line.terminal and nearest < 0:
                nearest = position
            elif line.terminal and nearest_sentence < 0 and not _is_blurb(text):
                nearest_sentence = position
        if slug:
            tokens = _title_tokens(text)
            overlap = len(tokens & slug) / max(1, min(len(slug), len(tokens)))
            if overlap > best_overlap:
                best, best_overlap = position, overlap
    if best >= 0 and best_overlap >= 0.5:
        return best
    return nearest if nearest >= 0 else nearest_sentence


def _is_blurb(text: str) -> bool:
    """Two full sentences ("Get breaking news alerts and special reports. The news that
    matters, delivered weekday mornings."): a blurb, not a headline. Sentences of under five
    words do not count, so that an abbreviation ("Gunman Kills L.A. Deputy") does not split
    a headline."""
    return sum(1 for sentence in sentences(text) if len(sentence.split()) >= 5) >= 2


def _repeated_title(lines: list[Line], position: int, max_line_chars: int) -> bool:
    """A BAD line may still be the title when it is only BAD for being repeated on the page
    (not for its own words: a photo caption printed twice is still a caption)."""
    line = lines[position]
    if line_kind(line.text, max_line_chars) == BAD:
        return False
    neighbours = [
        other for other in lines[max(0, position - 1) : position + 2] if other is not line
    ]
    if any(o.text == line.text and abs(o.number - line.number) == 1 for o in neighbours):
        return False  # an image's alt text printed again as its caption
    count = sum(1 for other in lines if other.text == line.text)
    return count > 1 and chrome_hits(line.text.casefold(), sentence=False) == 0


def _is_header_line(line: Line) -> bool:
    """A byline or a date line: the furniture between a headline and its article."""
    if line.words > 12 or line.kind == GOOD:
        return False
    return (
        parse_byline(line.text.lstrip("\u2022*- ")) is not None or parse_date(line.text) is not None
    )


_TOKEN = re.compile(r"\w+")
# Lines that are never the headline: list items and menu entries (a bullet or a number
# opening them), a path or a close mark ("/ Source: TODAY", "× Close"), a photo credit in
# parentheses, a reading time (all matched at the start of the line), a time stamp (anywhere).
_NOT_TITLE_START = re.compile(
    r"(?:[\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*]\s|\d{1,2}[.)]\s|\(.*\)$|\d+\s*[Mm]in\b"
    r"|[/|>\u00bb\u203a\u00d7])"
)
_NOT_TITLE_TIME = re.compile(r"\b\d{1,2}:\d\d\b")
# The two as one pattern, which ``_not_title`` answers for (the tests compare them): its
# ``search`` would try the opening alternatives at every position of the line.
_NOT_TITLE = re.compile(f"^{_NOT_TITLE_START.pattern}|{_NOT_TITLE_TIME.pattern}")


def _not_title(text: str) -> bool:
    """``_NOT_TITLE.search(text) is not None``."""
    return _NOT_TITLE_START.match(text) is not None or (
        ":" in text and _NOT_TITLE_TIME.search(text) is not None
    )


def _title_tokens(text: str) -> set[str]:
    """Lower-case word tokens as a URL slug spells them (no apostrophes: "we're" -> "were";
    no accents: "Calend\u00e1rio" -> "calendario", as slugs drop them)."""
    lowered = text.lower().replace("'", "").replace("\u2019", "")
    if not lowered.isascii():
        lowered = fold_accents(lowered)
    return set(_TOKEN.findall(lowered))


def _slug_overlaps_py(lines: list[Line], slug: frozenset[str]) -> dict[int, float]:
    """Share of the URL slug's words each headline-like line spells, by position (lines
    sharing fewer than two words with the slug, or not headline-like, are left out: 0).

    A headline spells most of its slug, while a menu item or a teaser shares only a topic
    word or two with it. Lines are compared as :func:`_title_tokens` spells them. The
    candidates are spelt that way all at once, joined by newlines (lower-casing, removing
    quotes and folding accents never make or move a newline: each line comes out as it would
    alone), and each slug word is searched for once in the whole text: only the lines holding
    two slug words are split into words. (The compiled twin is ``_lines.slug_overlaps``.)
    """
    positions = [
        position
        for position, line in enumerate(lines)
        if 3 <= line.words <= 30 and line.kind != GOOD
    ]
    if not slug or not positions:
        return {}
    spelt = "\n".join(lines[p].text for p in positions).lower().replace("'", "")
    if not spelt.isascii():
        spelt = fold_accents(spelt.replace("\u2019", ""))
    # Where each candidate starts in ``spelt``, and one past the end (len(spelt) + 1).
    starts = [0, *accumulate(map((1).__add__, map(len, spelt.split("\n"))))]
    found: dict[int, int] = {}  # candidate -> how many slug words it holds as substrings
    for word in slug:
        at = spelt.find(word)
        while at >= 0:
            k = bisect_right(starts, at) - 1
            found[k] = found.get(k, 0) + 1
            at = spelt.find(word, starts[k + 1])
    out: dict[int, float] = {}
    for k, count in found.items():
        if count < 2:
            continue
        line_spelt = spelt[starts[k] : starts[k + 1] - 1]
        shared = len(slug.intersection(_TOKEN.findall(line_spelt)))
        if shared >= 2:
            out[positions[k]] = shared / len(slug)
    return out


def _first_paragraph_under(lines: list[Line], position: int) -> int:
    for following in range(position + 1, min(len(lines), position + _HEADER_REACH)):
        if lines[following].kind == GOOD:
            return following
    return -1


def _header_anchor(lines: list[Line], slug: frozenset[str]) -> tuple[int, float]:
    """Position of the first paragraph under the article's header and the anchor's share.

    The header is the headline that best matches the URL's slug (teasers for other stories
    match it less), else the first byline or date line (teaser lists and comments repeat
    the byline-date pattern further down the page; only the first counts). -1 when none.
    """
    best, best_overlap = -1, 0.0
    for position, overlap in sorted(_slug_overlaps(lines, slug).items()):
        if overlap > best_overlap:
            best, best_overlap = position, overlap
    if best >= 0 and best_overlap >= _SLUG_MATCH:
        return _first_paragraph_under(lines, best), _SLUG_ANCHOR_SHARE
    position = _first_header_line(lines)
    if position >= 0:
        return _first_paragraph_under(lines, position), _ANCHOR_SHARE
    return -1, _ANCHOR_SHARE


def _first_header_line_py(lines: list[Line]) -> int:
    """Position of the first byline or date line, -1 when none (the compiled twin is
    ``_lines.first_header_line``)."""
    for position, line in enumerate(lines):
        if _is_header_line(line):
            return position
    return -1


# The compiled twins when the kernel imports (``clean.compiled``): identical answers.
_slug_overlaps: Callable[[list[Line], frozenset[str]], dict[int, float]] = (
    compiled.KERNEL.slug_overlaps if compiled.KERNEL is not None else _slug_overlaps_py
)
_first_header_line: Callable[[list[Line]], int] = (
    compiled.KERNEL.first_header_line if compiled.KERNEL is not None else _first_header_line_py
)


def clean_text(
    text: str,
    *,
    id: str = "",
    options: CleanOptions | None = None,
    repeated: frozenset[int] = frozenset(),
) -> Article:
    """Clean a flat-text page (one block per line) into an Article.

    ``repeated`` holds the keys (:func:`newsfold.clean.site.line_key`) of lines its site prints
    on many pages (:meth:`SiteLines.repeated`): they are read as chrome.
    """
    return _clean_text(text, id=id, url=None, options=options or _DEFAULT, repeated=repeated)


def _clean_text(
    text: str,
    *,
    id: str,
    url: str | None,
    options: CleanOptions,
    page: Page | None = None,
    repeated: frozenset[int] = frozenset(),
) -> Article:
    if not text or not text.strip():
        return _empty(id=id, url=url, page=page)
    lines = read_lines(text, max_lines=options.max_lines, max_line_chars=options.max_line_chars)
    slug = url_words(url)
    anchor, share = _header_anchor(lines, slug)
    selection = select(lines, anchor, share)
    # The page's own reading of its lines: the standfirst test below asks whether the page
    # itself sets its first paragraph apart, which a site-wide "Advert" line does not show.
    own_lines = lines
    if repeated:
        site_lines = demote_repeated(lines, repeated)
        if site_lines is not lines:
            site_selection = select(site_lines, anchor, share)
            # Pages that share most of their prose with other pages of the site are versions
            # of one story (an update, a print view), not chrome: when the site's repeated
            # lines would take away most of the article, they are not applied.
            if site_selection.run_words >= _SITE_KEEP_SHARE * selection.run_words:
                lines, selection = site_lines, site_selection
    if selection.start < 0 or selection.run_words < max(1, options.min_body_words):
        return _empty(id=id, url=url, page=page)
    kept_positions = list(selection.kept)
    title_at = _title_position(lines, selection.start, slug, options.max_line_chars)
    standfirst = None
    if len(kept_positions) > 2 and 0 <= title_at and kept_positions[0] - title_at <= 3:
        # A paragraph right under the headline, set apart from the next one by furniture (a
        # caption, a byline, a date) is the standfirst, not the first paragraph of the body.
        first, second = kept_positions[0], kept_positions[1]
        between = own_lines[first + 1 : second]
        if between and any(line.kind in (BAD, STAMP) for line in between):
            standfirst = lines[first].text
            kept_positions.pop(0)
    kept = [lines[p].text for p in kept_positions]
    parts = _Parts(paragraphs=kept, standfirst=standfirst)
    # Credit lines just under the body ("Includes reporting by \u00a9 AFP 2019").
    for position in range(selection.end + 1, min(len(lines), selection.end + 1 + _CREDIT_WINDOW)):
        is_credit, wire = credit_line(lines[position].text)
        if is_credit and wire:
            parts.credit = wire
            break
    if title_at >= 0:
        parts.title = strip_site_name(lines[title_at].text, url)
    # Byline and date: only between the title and the body. A date above the title belongs
    # to the site header (today's date, a weather widget), not to the article.
    header = range(title_at + 1, selection.start) if title_at >= 0 else range(0)
    published = date_from_url(url)
    for position in header:
        text_line = lines[position].text
        if parts.standfirst is None and lines[position].kind == GOOD:
            # A prose paragraph between the title and the body, set apart from the body by
            # a caption or a byline: the standfirst.
            parts.standfirst = text_line
        if parts.byline is None:
            parts.byline = parse_byline(text_line)
        if published is None and len(text_line) < 200:
            published = parse_date(text_line)
    parts.published = published
    _finish_body(parts)
    if _too_little(parts.paragraphs, options.min_body_words):
        return _empty(id=id, url=url, page=page)
    return _article(parts, id=id, url=url, options=options, page=page)


# A body this short may be a platform's notice standing in for the article (see
# vocabulary.PLATFORM_NOTICE); a longer one is an article that may mention such things.
_NOTICE_MAX_WORDS = 150


def _too_little(paragraphs: list[str], min_words: int) -> bool:
    """Whether the finished body (text or HTML) is no article: fewer than ``min_words`` words
    once its metadata is out (a headline printed twice is a standfirst and a body of one line),
    or only a platform's notice (a web archive's crawl description, "Tweet location" help, a
    browser prompt, an error page). Words are counted as the line classifier counts them (two
    CJK characters make a word)."""
    count = sum(map(count_words, paragraphs))
    if count < min_words:
        return True
    if count > _NOTICE_MAX_WORDS:
        return False
    return PLATFORM_NOTICE.search(" ".join(paragraphs).lower()) is not None


def clean_html(
    html: str,
    *,
    id: str = "",
    url: str | None = None,
    options: CleanOptions | None = None,
) -> Article:
    """Clean an HTML page into an Article (trafilatura's main text, then the shared rules)."""
    return _clean_html(html, id=id, url=url, options=options or _DEFAULT)


def _clean_html(
    html: str,
    *,
    id: str,
    url: str | None,
    options: CleanOptions,
    page: Page | None = None,
) -> Article:
    from newsfold.clean.html import extract_html

    if not html or not html.strip():
        return _empty(id=id, url=url, page=page)
    extracted = extract_html(html[: options.max_html_chars], url=url)
    if extracted is None or not extracted.paragraphs:
        return _empty(id=id, url=url, page=page)
    parts = _Parts(
        paragraphs=_trim_chrome(list(extracted.paragraphs), options),
        title=strip_site_name(extracted.title, url) if extracted.title else None,
        byline=extracted.author,
        published=extracted.published or date_from_url(url),
    )
    _finish_body(parts)
    if _too_little(parts.paragraphs, max(1, options.min_body_words // 2)):
        return _empty(id=id, url=url, page=page)
    return _article(parts, id=id, url=url, options=options, page=page)


def _trim_chrome(paragraphs: list[str], options: CleanOptions) -> list[str]:
    """Trim chrome the HTML extractor let through at the edges of the text: furniture lines
    (share prompts, calls to action, photo credits, bylines, date stamps, teaser headings)
    before the first and after the last paragraph. Then the run search of the flat-text path
    runs on what is left: when its main run keeps at least ``_HTML_RUN_SHARE`` of the words,
    what it leaves out (a comment thread, a teaser list the extractor kept) goes; when it
    would take more, the extractor's structure is trusted (an inline "Read also" link does
    not end an article)."""
    lines = read_lines(
        "\n".join(paragraphs), max_lines=options.max_lines, max_line_chars=options.max_line_chars
    )
    start, end = 0, len(lines)
    while start < end and lines[start].kind in (BAD, STAMP):
        start += 1
    while end > start and lines[end - 1].kind in (BAD, STAMP):
        end -= 1
    lines = lines[start:end]
    selection = select(lines)
    if selection.start >= 0:
        run = lines[selection.start : selection.end + 1]
        if sum(line.words for line in run) >= _HTML_RUN_SHARE * sum(line.words for line in lines):
            return [line.text for line in run]
    return [line.text for line in lines]


def clean_page(
    page: Page, options: CleanOptions | None = None, site_stats: SiteLines | None = None
) -> Article:
    """Clean a Page: its HTML when present, else its text. Never raises on page content.

    ``site_stats`` (a :class:`SiteLines` view of :class:`SiteLineStats` counted over the pages
    of the batch and the store) marks the lines the page's site repeats on many pages as
    chrome; it is only read for pages with a ``site`` and flat text.
    """
    options = options or _DEFAULT
    if page.html is not None and page.html.strip():
        return _clean_html(page.html, id=page.id, url=page.url, options=options, page=page)
    repeated: frozenset[int] = frozenset()
    if site_stats is not None and page.site:
        repeated = site_stats.repeated(
            page.site, min_pages=options.site_min_pages, min_share=options.site_min_share
        )
    return _clean_text(
        page.text or "", id=page.id, url=page.url, options=options, page=page, repeated=repeated
    )

"""The headline of a story: the most shared real title, else a short one cut from the lead."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from newsfold.digest.align import Unit
from newsfold.digest.compress import compress
from newsfold.digest.select import is_debris
from newsfold.models import Article
from newsfold.text import fold, normalise, words


def _word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (short lists stay readable)."""
    return frozenset(text.split())


# A page title outside these bounds is a caption, a teaser or a site name, not a headline.
_MIN_TITLE_WORDS = 3
_MAX_TITLE_WORDS = 25
# A line of dialogue ("Keilar: \"You say ...\"") or a dateline caption ("FILE - In this ...").
_SPEAKER_LINE = re.compile(r"^(?:[A-Z][\w'.-]*(?: [A-Z][\w'.-]*){0,2}: [\"']|FILE\b|PHOTO\b)")
# A byline or source line taken for a title: "Source: TODAY By A. Pawlowski".
_BYLINE = re.compile(r"\bSource:|\bBy [A-Z][\w.]* ?[A-Z]|^By\b")
# A second sentence (a caption's credit: "... in 2014. Alistair Barr for The Wall Street
# Journal") or a clock time ("September 6, 2011 1:45 p.m.: ...") marks a caption or a live-blog
# entry, not a title.
_SECOND_SENTENCE = re.compile(r"[a-z0-9)][.!?] +[A-Z]")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
# A live-blog or correction note: "Update, 21 April: ...", "Correction: ...".
_UPDATE = re.compile(r"^(?:update|updated|correction|editor's note|clarification)\b", re.IGNORECASE)
# Half of a title's words of four letters or more must occur in its article.
_BODY_CHECK_LETTERS = 4
_BODY_SHARE = 0.5
# Bullets and rules around a title on a flat page.
_TITLE_FURNITURE = " *\u2022/|#>-\u2013\u2014=_~"
# The headline of a story without titles is cut from one of its first few summary sentences.
_LEAD_CHOICES = 4
# Headlines run 6-14 words (news sites cap them near 70 characters): a sentence cut to a
# headline keeps at most _MAX_WORDS words. A cut at a clause break may leave _MIN_CLAUSE words;
# a cut before a detail needs _MIN_DETAIL, or the headline loses the event ("A man is in
# custody after two | of his neighbors ...").
_MAX_WORDS = 14
_MIN_CLAUSE = 5
_MIN_DETAIL = 8
_CLAUSE_BREAK = re.compile(r"(?:,|;|:|\s[-\u2013\u2014]+)\s")
# Words that open a subordinate clause, then prepositions that open a detail: "... fatally shot |
# early Sunday", "... arrested | after a chase", "... a ransom | from Netflix".
_SUBORDINATE = re.compile(
    r"\s(?=(?:that|which|who|whom|whose|after|before|when|while|because|since|following|"
    r"amid|despite|according|during|until|where|but|and|so)\s)",
    re.IGNORECASE,
)
_PREPOSITION = re.compile(
    r"\s(?=(?:with|in|on|at|for|over|from|to|by|of|into|near)\s)", re.IGNORECASE
)
# An aside set off by commas: an appositive or relative clause of up to ten words ("The man,
# who was hospitalized with cuts, said", "Civilizations, millions of years older than humanity,
# would"). A headline drops it before cutting.
_APPOSITIVE = re.compile(r",\s+[^,;:\"]{1,60},\s")
_APPOSITIVE_WORDS = 10
# Words a headline cut short must not end on.
_TRAILING = _word_set(
    """a an the of to in on at for from by with and or but that which who as his her their its
    is are was were be been has have had will would"""
)
# Quotation marks and dashes left dangling at either end of a cut.
_EDGE = "\"'\u201c\u201d\u2018\u2019 ,;:-\u2013\u2014"


def _inside_quote(prefix: str) -> bool:
    """Whether a quotation opened in ``prefix`` is still open (a cut there splits a quote)."""
    folded = fold(prefix)
    return folded.count('"') % 2 == 1


def _cut(sentence: str) -> str:
    """The sentence's first clause, cut at a point where a headline could end."""
    text = compress(sentence).strip().rstrip(".!?").strip(_EDGE)
    while len(text.split()) > _MAX_WORDS:
        aside = next(
            (
                m
                for m in _APPOSITIVE.finditer(text)
                if len(m.group(0).split()) <= _APPOSITIVE_WORDS
                and not _inside_quote(text[: m.start()])
            ),
            None,
        )
        if aside is None:
            break
        text = text[: aside.start()] + " " + text[aside.end() :]
    if len(text.split()) <= _MAX_WORDS:
        return text
    for pattern, shortest in (
        (_CLAUSE_BREAK, _MIN_CLAUSE),
        (_SUBORDINATE, _MIN_DETAIL),
        (_PREPOSITION, _MIN_DETAIL),
    ):
        ends = [
            m.start()
            for m in pattern.finditer(text)
            if shortest <= len(text[: m.start()].split()) <= _MAX_WORDS
            and not _inside_quote(text[: m.start()])
        ]
        if ends:
            # The latest break within the limit keeps the most of the event.
            return text[: max(ends)].strip(_EDGE)
    kept = text.split()[:_MAX_WORDS]
    while len(kept) > _MIN_CLAUSE and kept[-1].casefold().strip(_EDGE) in _TRAILING:
        kept.pop()
    return " ".join(kept).strip(_EDGE) + "\u2026"


def headline_from_sentence(sentence: str) -> str:
    """A short headline from a lead sentence: its first clause, at most about 14 words.

    >>> headline_from_sentence(
    ...     "A man is in custody after two of his neighbors were found fatally shot early "
    ...     "Sunday morning, say police in North Texas."
    ... )
    'A man is in custody after two of his neighbors were found fatally shot\u2026'
    """
    text = _cut(sentence)
    return text[:1].upper() + text[1:] if text else text


def lead_index(ranked: Sequence[int], units: Sequence[Unit]) -> int | None:
    """The sentence that leads the summary and gives a headline when no source has a title.

    Among the summary's few most important sentences (``ranked`` indexes ``units``, most
    important first), the earliest in its article that quotes no one: news puts the event in
    its first sentences, and a quotation makes a poor headline.
    """
    top = list(ranked[:_LEAD_CHOICES])
    plain = [
        i
        for i in top
        if '"' not in fold(units[i].text)
        and not _CLOCK.search(units[i].text)
        and not _UPDATE.match(units[i].text)
    ] or top
    if not plain:
        return None
    return min(plain, key=lambda i: (units[i].index, top.index(i)))


def _title_text(title: str) -> str:
    """A page title without the bullets and rules a flat page leaves around it, nor a final stop."""
    text = " ".join(title.split()).strip(_TITLE_FURNITURE)
    return text[:-1] if text.endswith(".") and not text.endswith("..") else text


def _reads_like_title(title: str, body: str) -> bool:
    """Whether a page's title can head the story (not a caption, byline, teaser or dialogue).

    A title is one sentence starting with a capital or a digit, without a clock time, and most
    of its longer words occur in its article's ``body`` (a caption or a site's chrome taken for
    the title does not: "× Close What is the Tomatometer®?").
    """
    text = fold(_title_text(title))
    tokens = text.split()
    if not tokens or not (text[0].isupper() or text[0].isdigit() or text[0] in "\"'"):
        return False
    long_words = {w for w in words(text) if len(w) >= _BODY_CHECK_LETTERS}
    body_words = set(words(body))
    if long_words and len(long_words & body_words) < _BODY_SHARE * len(long_words):
        return False
    return (
        _MIN_TITLE_WORDS <= len(tokens) <= _MAX_TITLE_WORDS
        and not _SECOND_SENTENCE.search(text)
        and not _CLOCK.search(text)
        and not is_debris(text)
        and not text.endswith(("...", ")"))
        and not _SPEAKER_LINE.match(text)
        and not _BYLINE.search(text)
        and tokens[-1].casefold().strip(_EDGE) not in _TRAILING
    )


def choose_headline(articles: Sequence[Article], source_key: Mapping[str, str], lead: str) -> str:
    """The most shared title; among equals, the one whose words the other sources use most.

    Without any title, a headline cut from ``lead`` (the summary's most central sentence).
    """
    titled = [
        a
        for a in articles
        if a.title and _reads_like_title(a.title, " ".join((a.standfirst or "", *a.paragraphs)))
    ]
    title_of = {a.id: _title_text(a.title or "") for a in titled}
    if not titled:
        return headline_from_sentence(lead) if lead else ""
    vocabulary = {a.id: set(words(" ".join([a.title or "", *a.paragraphs]))) for a in articles}
    same_title = Counter(normalise(title_of[a.id]) for a in titled)

    def coverage(article: Article) -> float:
        tokens = words(title_of[article.id])
        others = [o for o in articles if source_key[o.id] != source_key[article.id]]
        if not tokens or not others:
            return 0.0
        return sum(sum(t in vocabulary[o.id] for t in tokens) / len(tokens) for o in others) / len(
            others
        )

    best = min(
        titled,
        key=lambda a: (
            -same_title[normalise(title_of[a.id])],
            -coverage(a),
            len(title_of[a.id]),
            a.id,
        ),
    )
    return title_of[best.id]

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


def lead_sentence(ranked: Sequence[int], units: Sequence[Unit]) -> str:
    """The sentence to cut a headline from: among the summary's most important sentences, the
    earliest in its article that quotes no one (a quotation makes a poor headline).

    ``ranked`` indexes ``units`` most important first.
    """
    top = list(ranked[:_LEAD_CHOICES])
    plain = [i for i in top if '"' not in fold(units[i].text)] or top
    if not plain:
        return units[0].text if units else ""
    return units[min(plain, key=lambda i: (units[i].index, top.index(i)))].text


def _reads_like_title(title: str) -> bool:
    """Whether a page's title can head the story (not a caption, teaser or dialogue line)."""
    count = len(title.split())
    text = fold(title).strip()
    return (
        _MIN_TITLE_WORDS <= count <= _MAX_TITLE_WORDS
        and not is_debris(text)
        and not text.endswith(("...", ")"))
        and not _SPEAKER_LINE.match(text)
    )


def choose_headline(articles: Sequence[Article], source_key: Mapping[str, str], lead: str) -> str:
    """The most shared title; among equals, the one whose words the other sources use most.

    Without any title, a headline cut from ``lead`` (the summary's most central sentence).
    """
    titled = [a for a in articles if a.title and _reads_like_title(a.title)]
    if not titled:
        return headline_from_sentence(lead) if lead else ""
    vocabulary = {a.id: set(words(" ".join([a.title or "", *a.paragraphs]))) for a in articles}
    same_title = Counter(normalise(a.title or "") for a in titled)

    def coverage(article: Article) -> float:
        tokens = words(article.title or "")
        others = [o for o in articles if source_key[o.id] != source_key[article.id]]
        if not tokens or not others:
            return 0.0
        return sum(sum(t in vocabulary[o.id] for t in tokens) / len(tokens) for o in others) / len(
            others
        )

    best = min(
        titled,
        key=lambda a: (
            -same_title[normalise(a.title or "")],
            -coverage(a),
            len(a.title or ""),
            a.id,
        ),
    )
    return (best.title or "").strip()

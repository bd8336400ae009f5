"""Build the digest of one story: headline, summary, shared facts, additions, quotes, sources."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from newsfold.digest.align import (
    Unit,
    article_units,
    best_cosines,
    containment,
    cosine,
    found_in,
    tfidf_vectors,
)
from newsfold.digest.compress import compress
from newsfold.digest.entities import extract_entities
from newsfold.digest.headline import choose_headline, lead_index
from newsfold.digest.options import DigestOptions
from newsfold.digest.quotes import extract_quotes
from newsfold.digest.select import article_relevance, is_debris, reading_order, select_summary
from newsfold.digest.sources import relate_sources
from newsfold.models import Article, CopyGroup, Digest, Quote, SourcedSentence
from newsfold.text import fold, normalise, words

# A sentence that is nothing but a quotation (after fold, all quotation marks are '"').
_BARE_QUOTE = re.compile(r'^"[^"]+"[.!?]?$')
# A sentence shorter than this is a fragment ("Polls.", "All of them.") rather than a fact.
_MIN_FACT_WORDS = 4
# Paraphrase search skips words in over 20% of a story's sentences or in over 100 of them:
# low idf, and long posting lists (a 137-article story took 9 s without the cap, 1 s with it).
_SKIP_SHARE = 0.2
_MAX_POSTINGS = 100


def _unique_articles(articles: Sequence[Article]) -> list[Article]:
    """Articles sorted by id, one per id, so that input order never changes the digest."""
    out: dict[str, Article] = {}
    for article in sorted(articles, key=lambda a: (a.id, a.body, a.title or "")):
        out.setdefault(article.id, article)
    return list(out.values())


def _paragraph_alignment(
    units: Sequence[Unit],
    found: Sequence[tuple[str, ...]],
    articles: Sequence[Article],
    groups: Sequence[CopyGroup],
) -> dict[tuple[str, str], tuple[int, int]]:
    """(cut, added) paragraph counts for every ordered pair inside a copy group.

    A paragraph is carried by another article when most of its sentences are found there.
    """
    by_article: dict[str, dict[int, list[tuple[str, ...]]]] = {}
    for unit, where in zip(units, found, strict=True):
        by_article.setdefault(unit.article, {}).setdefault(unit.paragraph, []).append(where)
    present = {a.id for a in articles}

    def unshared(source: str, target: str) -> int:
        count = 0
        for carried in by_article.get(source, {}).values():
            if sum(target in where for where in carried) * 2 < len(carried):
                count += 1
        return count

    out: dict[tuple[str, str], tuple[int, int]] = {}
    for group in groups:
        members = [m for m in group.members if m in present]
        for first in members:
            for second in members:
                if first != second:
                    out[(first, second)] = (unshared(first, second), unshared(second, first))
    return out


def _compressed(unit: Unit) -> Unit:
    """The unit with its sentence compressed (asides dropped) and re-tokenised."""
    text = compress(unit.text)
    if text == unit.text:
        return unit
    return replace(unit, text=text, tokens=tuple(words(text)))


def _with_speaker(text: str, quotes: Sequence[Quote]) -> str:
    """A sentence that is only a quotation, prefixed with its speaker when the story names one.

    Out of its article a bare quotation ('"Polls. Most of them."') does not say who speaks;
    dropping such sentences instead cost 0.8 ROUGE-2 on multinews-dev (news summaries quote).
    """
    folded = fold(text).strip()
    if not _BARE_QUOTE.match(folded):
        return text
    key = normalise(folded.strip('".!? '))
    for quote in quotes:
        if quote.speaker and key and (key in normalise(quote.text) or normalise(quote.text) in key):
            return f"{quote.speaker}: {text}"
    return text


def _event_date(dates: Sequence[str]) -> str | None:
    """The date most sources give (the earliest among equals): reports follow the event."""
    if not dates:
        return None
    counts = Counter(dates)
    return min(counts, key=lambda d: (-counts[d], d))


def build_digest(
    articles: Sequence[Article],
    copy_groups: Sequence[CopyGroup],
    options: DigestOptions | None = None,
) -> Digest:
    """The consolidated account of the story told by ``articles``.

    ``copy_groups`` come from the copies stage; members outside ``articles`` are ignored. Pure and
    deterministic: the same articles in any order give the same digest.
    """
    options = options or DigestOptions()
    ordered = _unique_articles(articles)
    groups = sorted(copy_groups, key=lambda g: g.id)
    units: list[Unit] = []
    for article in ordered:
        units.extend(article_units(article, options.shingle_size))
    shingles_of: dict[str, set[str]] = {a.id: set() for a in ordered}
    for unit in units:
        shingles_of[unit.article].update(unit.shingles)
    article_shingles = {a: frozenset(s) for a, s in shingles_of.items()}
    found = found_in(units, article_shingles, options.found_containment)
    sources, source_key = relate_sources(
        ordered, groups, _paragraph_alignment(units, found, ordered, groups)
    )

    # What each adds: its sentences no other article carries (a copy carrying one counts).
    what_each_adds: dict[str, tuple[SourcedSentence, ...]] = {}
    for article in ordered:
        what_each_adds[article.id] = tuple(
            SourcedSentence(unit.text, (unit.article,))
            for unit, where in zip(units, found, strict=True)
            if unit.article == article.id
            and not where
            and len(unit.tokens) >= _MIN_FACT_WORDS
            and not is_debris(unit.text)
        )

    vectors = tfidf_vectors([u.tokens for u in units])
    # The best cosine of each sentence to each article of another source: paraphrases.
    matches = best_cosines(units, vectors, source_key, _SKIP_SHARE, _MAX_POSTINGS)

    def carriers_of(index: int) -> tuple[str, ...]:
        """The article of a sentence, then those carrying it (near-duplicate) or a paraphrase."""
        similar = {a for a, v in matches[index].items() if v >= options.support_similarity}
        others = sorted((set(found[index]) | similar) - {units[index].article})
        return (units[index].article, *others)

    # Common facts: carried by two or more sources (a copy group counting as one), word for
    # word or as a paraphrase; each fact once, in the words of the first article carrying it.
    common: list[SourcedSentence] = []
    emitted: list[int] = []
    for index, unit in enumerate(units):
        carriers = carriers_of(index)
        if len({source_key[a] for a in carriers}) < 2 or len(unit.tokens) < _MIN_FACT_WORDS:
            continue
        if is_debris(unit.text) or any(
            containment(unit, units[e].shingles) >= options.found_containment
            or cosine(vectors[index], vectors[e]) >= options.support_similarity
            for e in emitted
        ):
            continue
        emitted.append(index)
        common.append(SourcedSentence(unit.text, carriers))

    # Summary: extractive, each sentence with the articles that carry or support it.
    relevance = article_relevance(units, matches, source_key)
    short = [_compressed(unit) for unit in units]
    ranked = select_summary(short, vectors, source_key, relevance, options) if units else []
    lead = lead_index(ranked, short)
    picked = reading_order(ranked, short, lead)
    quotes = extract_quotes(ordered, options.min_quote_words)
    summary_sentences = [
        SourcedSentence(_with_speaker(short[i].text, quotes), carriers_of(i)) for i in picked
    ]
    summary = " ".join(s.text for s in summary_sentences)

    # Without titles, the headline is cut from the sentence leading the summary.
    lead_text = short[lead].text if lead is not None else (units[0].text if units else "")
    dates = sorted(a.published for a in ordered if a.published)
    return Digest(
        headline=choose_headline(ordered, source_key, lead_text),
        summary=summary,
        summary_sentences=tuple(summary_sentences),
        common=tuple(common),
        what_each_adds=what_each_adds,
        quotes=tuple(quotes),
        entities=extract_entities(ordered, quotes),
        sources=tuple(sources),
        event_date=_event_date(dates),
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
    )

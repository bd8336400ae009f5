"""Sentence alignment across the articles of a story: sentence units and where each is found."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from newsfold.models import Article
from newsfold.text import fold, iter_shingles, normalise, sentences, words

# A credit or source tag standing alone: "(AFP)", "(Reuters)", "© AFP 2019".
_CREDIT_ONLY = re.compile(r"^[\s(\[©]*[A-Z][A-Za-z/&.\- ]{0,20}[)\]]?\s*(\d{4})?\s*[.]?$")
# A credit tag glued to the end of a sentence: "... as leader. (AFP)".
_TRAILING_CREDIT = re.compile(r"\s*[(\[][A-Z][A-Za-z/&.\- ]{0,15}[)\]]\s*$")
# A dateline glued to the start of a first paragraph: "Vladivostok: ", "PARIS (AFP) - ".
_DATELINE = re.compile(
    r"^[A-Z][\w .'\-]{1,30}(?:\s*\([A-Za-z/ ]{1,20}\))?\s*(?::|\s[-\u2013\u2014])\s+"
)
# A dateline with an agency tag or in capitals, at the start of any paragraph (flat pages often
# keep a teaser above the article, so the article's first paragraph is not the page's first):
# "TEHRAN (Reuters) - ", "LIMA, Dec 1 (Reuters) - ", "(CNN) ", "Washington (CNN) -- ", "CAIRO - ".
_AGENCY_DATELINE = re.compile(
    r"^\([A-Z][\w.&' ]{0,20}\)\s*(?:[-\u2013\u2014]+\s*|:\s*)?"
    r"|^[A-Z][\w.,' ]{0,40}?\s*\([A-Z][\w.&' ]{0,20}\)\s*(?:[-\u2013\u2014]+|:)\s*"
    r"|^[A-Z][A-Z.,'\- ]{2,40}\s[-\u2013\u2014]+\s+"
)


@dataclass(frozen=True, slots=True)
class Unit:
    """One sentence of one article, with its tokens and word shingles."""

    article: str
    paragraph: int
    index: int  # the sentence's rank in its article, from 0
    text: str
    tokens: tuple[str, ...]
    shingles: frozenset[str]


def clean_sentence(text: str) -> str:
    """A sentence without a trailing credit tag; empty when it is only a credit."""
    text = _TRAILING_CREDIT.sub("", text).strip()
    if _CREDIT_ONLY.match(text) and len(words(text)) <= 3:
        return ""
    return text


def _open_quotes(text: str) -> int:
    folded = fold(text)
    return folded.count('"') % 2 + folded.count("\u300c") - folded.count("\u300d")


def _quote_balanced(parts: list[str]) -> list[str]:
    """Sentences rejoined where the splitter cut inside a quotation: a quote is one unit."""
    out: list[str] = []
    pending = ""
    for part in parts:
        pending = f"{pending} {part}" if pending else part
        if _open_quotes(pending) == 0:
            out.append(pending)
            pending = ""
    if pending:
        out.append(pending)
    return out


def article_units(article: Article, shingle_size: int) -> list[Unit]:
    """The sentences of an article's body in order; a sentence repeated in it is kept once."""
    units: list[Unit] = []
    seen: set[str] = set()
    for p_index, paragraph in enumerate(article.paragraphs):
        # A dateline is metadata, not part of the first sentence's wording.
        paragraph = _AGENCY_DATELINE.sub("", paragraph, count=1)
        if p_index == 0:
            paragraph = _DATELINE.sub("", paragraph, count=1)
        for raw in _quote_balanced(sentences(paragraph)):
            text = clean_sentence(raw)
            tokens = tuple(words(text))
            key = normalise(text)
            if not tokens or key in seen:
                continue
            seen.add(key)
            units.append(
                Unit(
                    article=article.id,
                    paragraph=p_index,
                    index=len(units),
                    text=text,
                    tokens=tokens,
                    shingles=frozenset(iter_shingles(list(tokens), shingle_size)),
                )
            )
    return units


def containment(unit: Unit, shingles: frozenset[str] | set[str]) -> float:
    """The share of the unit's shingles that occur in ``shingles``."""
    if not unit.shingles:
        return 0.0
    return len(unit.shingles & shingles) / len(unit.shingles)


def found_in(
    units: Sequence[Unit], article_shingles: dict[str, frozenset[str]], threshold: float
) -> list[tuple[str, ...]]:
    """For each unit, the other articles (sorted ids) that carry it as a near-duplicate.

    Containment is measured against the whole other article rather than one sentence of it, so
    that a sentence split or merged differently by another site's editing still counts as found.
    """
    out: list[tuple[str, ...]] = []
    for unit in units:
        out.append(
            tuple(
                other
                for other in sorted(article_shingles)
                if other != unit.article and containment(unit, article_shingles[other]) >= threshold
            )
        )
    return out


Vector = dict[str, float]


def tfidf_vectors(token_lists: Sequence[Sequence[str]]) -> list[Vector]:
    """Sparse L2-normalised TF-IDF vectors (sublinear tf, smoothed idf over these rows).

    Document frequency is counted over the sentences of the story itself: words every sentence
    uses (function words, in any language) get a low weight without a stop-word list. Sparse,
    so that a story of thousands of sentences costs memory in proportion to its words.
    """
    counts = [Counter(tokens) for tokens in token_lists]
    document_frequency: Counter[str] = Counter()
    for row in counts:
        document_frequency.update(row.keys())
    rows = len(token_lists)
    vectors: list[Vector] = []
    for row in counts:
        vector = {
            token: (1.0 + math.log(count))
            * (math.log((1.0 + rows) / (1.0 + document_frequency[token])) + 1.0)
            for token, count in row.items()
        }
        norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
        vectors.append({token: v / norm for token, v in vector.items()})
    return vectors


def cosine(first: Vector, second: Vector) -> float:
    """Cosine of two normalised sparse vectors."""
    if len(first) > len(second):
        first, second = second, first
    return sum(v * second.get(token, 0.0) for token, v in first.items())


def best_cosines(
    units: Sequence[Unit],
    vectors: Sequence[Vector],
    source_of: Mapping[str, str],
    skip_share: float,
    max_postings: int,
) -> list[dict[str, float]]:
    """For each unit, the best cosine to a sentence of each article of another source.

    Computed through an inverted index that skips words in over ``skip_share`` of the sentences
    (or over ``max_postings`` of them): their idf is low, and their posting lists would make
    this quadratic in the story's size. The cosines are therefore slight underestimates.
    """
    postings: dict[str, list[int]] = {}
    for index, vector in enumerate(vectors):
        for token in vector:
            postings.setdefault(token, []).append(index)
    limit = min(skip_share * len(vectors), max_postings)
    out: list[dict[str, float]] = []
    for index, vector in enumerate(vectors):
        source = source_of[units[index].article]
        dots: dict[int, float] = {}
        for token, weight in vector.items():
            rows = postings[token]
            if len(rows) > limit:
                continue
            for other in rows:
                if source_of[units[other].article] != source:
                    dots[other] = dots.get(other, 0.0) + weight * vectors[other][token]
        best: dict[str, float] = {}
        for other, value in dots.items():
            article = units[other].article
            if value > best.get(article, 0.0):
                best[article] = value
        out.append(best)
    return out

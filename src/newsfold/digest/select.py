"""Extractive summary selection: cross-source centrality, position prior, no repeats, a word budget."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt

from newsfold.digest.align import Unit
from newsfold.digest.options import DigestOptions

# Page debris that survives cleaning: links, handles, hashtags, photo credits, share prompts.
_DEBRIS = re.compile(
    r"https?://|www\.|\S@\S|(?:^|\s)[@#]\w|\.com\b|\(@|pic\.twitter|"
    r"\b(?:click here|sign up|subscribe|newsletter|cookies?|advertisement|javascript|"
    r"all rights reserved|caption|getty images|photo:|image:|read more|file photo|"
    r"share this|follow us|news alerts|sign up|delivered (?:daily|weekday|weekly|to your)|"
    r"(?:[0-9]+ of [0-9]+ (?:photos|images)))\b",
    re.IGNORECASE,
)
# A sentence of running text ends with terminal punctuation, possibly inside closing quotes.
_ENDS_LIKE_PROSE = re.compile(
    r"[.!?\u3002\uff01\uff1f\u0964\u061f][\"'\u201d\u2019\u00bb\u300d)\]]*$"
)

# LexRank's edge threshold (Erkan & Radev 2004 found 0.1 works across DUC sets) and damping.
_EDGE_THRESHOLD = 0.1
_DAMPING = 0.85
# Edges inside one source count this much of an edge between sources: what several outlets
# report is what the story is about; one outlet repeating itself is not evidence.
_SAME_SOURCE_WEIGHT = 0.3
# Concept coverage: words cut to 6 letters; a word in over 20% of a story's sentences is a
# function word; an article's first sentences weigh up to twice (1 + 1/sqrt(1 + position)).
# Chosen on multinews-dev (bench/digest.py): 5-7 letters and 15-35% change ROUGE by < 0.5.
_STEM = 6
_FUNCTION_WORD_SHARE = 0.2
_COVERAGE_POSITION_WEIGHT = 1.0
_CENTRALITY_WEIGHT = 1.0
_CONCEPT_DISCOUNT = 0
_ARTICLE_BONUS = 0.0
_POS_EXP = 0.5
_ALPHA = 1.0


def is_candidate(unit: Unit, options: DigestOptions) -> bool:
    """Whether a sentence reads like article prose fit for a summary."""
    count = len(unit.text.split())
    if not options.min_sentence_words <= count <= options.max_sentence_words:
        return False
    if _DEBRIS.search(unit.text) or not _ENDS_LIKE_PROSE.search(unit.text):
        return False
    if unit.text.rstrip("\"'\u201d\u2019 ").endswith(("...", "\u2026")):
        return False  # a teaser cut short, not a sentence of the article
    # Headlines, menus and name lists capitalise most words; prose does not.
    letters = [w for w in unit.text.split() if w[:1].isalpha()]
    capitalised = sum(1 for w in letters if w[:1].isupper())
    return not letters or capitalised / len(letters) <= 0.6


def centrality(
    similarity: npt.NDArray[np.float64],
    source_of: Sequence[str],
    positions: Sequence[int],
    position_weight: float,
) -> npt.NDArray[np.float64]:
    """Biased LexRank: PageRank on the cosine graph, teleporting to early sentences.

    Edges between sentences of different sources count fully, edges inside one source count
    ``_SAME_SOURCE_WEIGHT``; the teleport vector favours a sentence's early position in its
    article by ``1 / (1 + position) ** position_weight`` (a flat vector at weight 0).
    """
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0)
    sources = np.asarray(source_of)
    same = sources[:, None] == sources[None, :]
    weights = np.where(similarity >= _EDGE_THRESHOLD, similarity, 0.0)
    weights = np.where(same, weights * _SAME_SOURCE_WEIGHT, weights)
    np.fill_diagonal(weights, 0.0)
    row_sums = weights.sum(axis=1, keepdims=True)
    # A sentence linked to nothing jumps like the teleport (the dangling-node convention).
    teleport = 1.0 / (1.0 + np.asarray(positions, dtype=np.float64)) ** position_weight
    teleport /= teleport.sum()
    transition = np.where(row_sums > 0, weights / np.where(row_sums > 0, row_sums, 1.0), teleport)
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        updated = _DAMPING * (transition.T @ rank) + (1.0 - _DAMPING) * teleport
        if np.abs(updated - rank).sum() < 1e-10:
            rank = updated
            break
        rank = updated
    result: npt.NDArray[np.float64] = rank
    return result


def _concepts(unit: Unit, function_words: frozenset[str]) -> frozenset[str]:
    """Word bigrams of a sentence, words cut to their first letters, function-word pairs left out.

    Bigrams are the concepts of Gillick & Favre (2009): a summary that covers the bigrams many
    sentences of the story repeat covers its facts. Cutting words to ``_STEM`` letters is a crude,
    language-neutral stemmer ("sanctions"/"sanctioned" meet).
    """
    tokens = unit.tokens
    out: set[str] = set()
    for k in range(len(tokens) - 1):
        if tokens[k] in function_words and tokens[k + 1] in function_words:
            continue
        out.add(f"{tokens[k][:_STEM]} {tokens[k + 1][:_STEM]}")
    return frozenset(out)


def _function_words(units: Sequence[Unit]) -> frozenset[str]:
    """Words in more than ``_FUNCTION_WORD_SHARE`` of the story's sentences, and short words.

    Short means at most two letters in a script written with spaces ("of", "la", "im"); a CJK
    character is a word of its own and is never dropped for its length.
    """
    document_frequency = Counter(t for u in units for t in set(u.tokens))
    limit = _FUNCTION_WORD_SHARE * len(units)
    return frozenset(
        t
        for t, count in document_frequency.items()
        if count > limit or (len(t) <= 2 and all(ord(c) < 0x3000 for c in t))
    )


def select_summary(
    units: Sequence[Unit],
    similarity: npt.NDArray[np.float64],
    source_of: Mapping[str, str],
    options: DigestOptions,
) -> list[int]:
    """Indexes into ``units`` of the summary sentences, in reading order.

    Greedy budgeted coverage: at each step the sentence with the best gain is taken, where the
    gain is the weight of the concepts (bigrams) it adds that the summary does not cover yet,
    per word, raised by an early position in its article, plus its biased-LexRank centrality.
    A concept weighs as many as the sentences of the story that use it, so facts repeated across
    sources count more. A sentence too similar to one already taken is skipped; the summary stops
    at the budget, ending with the sentence that brings it closest to ``summary_words``.
    """
    candidates = [i for i, unit in enumerate(units) if is_candidate(unit, options)]
    if not candidates:
        # Nothing reads like prose (very short items): fall back to every sentence.
        candidates = list(range(len(units)))
    if not candidates:
        return []
    sub = similarity[np.ix_(candidates, candidates)]
    ranks = centrality(
        sub,
        [source_of[units[i].article] for i in candidates],
        [units[i].index for i in candidates],
        options.position_weight,
    )
    ranks = ranks / ranks.max() if ranks.max() > 0 else ranks
    function_words = _function_words(units)
    concepts = [_concepts(unit, function_words) for unit in units]
    weight = Counter(c for unit_concepts in concepts for c in unit_concepts)
    weight = Counter({c: n - _CONCEPT_DISCOUNT for c, n in weight.items() if n > _CONCEPT_DISCOUNT})
    if _ARTICLE_BONUS:
        spread: dict[str, set[str]] = {}
        for unit, unit_concepts in zip(units, concepts):
            for c in unit_concepts:
                spread.setdefault(c, set()).add(unit.article)
        for c in weight:
            weight[c] += _ARTICLE_BONUS * (len(spread[c]) - 1)
    lengths = [max(len(units[i].text.split()), 1) for i in candidates]
    prior = [1.0 + _COVERAGE_POSITION_WEIGHT / (1.0 + units[i].index) ** _POS_EXP for i in candidates]
    covered: set[str] = set()
    chosen: list[int] = []
    total = 0
    budget = options.summary_words
    remaining = set(range(len(candidates)))
    while total < budget and remaining:
        best: int | None = None
        best_gain = -1.0
        for k in sorted(remaining):
            length = lengths[k]
            if total + length > budget and total + length - budget > budget - total:
                continue  # overshooting by more than the gap left: a shorter one may fit
            if chosen and max(sub[k, c] for c in chosen) > options.redundancy_similarity:
                continue
            new = concepts[candidates[k]] - covered
            gain = sum(weight[c] for c in new) / length**_ALPHA * prior[k] + _CENTRALITY_WEIGHT * ranks[k]
            if gain > best_gain:
                best, best_gain = k, gain
        if best is None:
            break
        chosen.append(best)
        remaining.discard(best)
        total += lengths[best]
        covered |= concepts[candidates[best]]
    picked = [candidates[k] for k in chosen]
    # Reading order: earlier in its article first, the article order breaking ties.
    article_rank = {a: r for r, a in enumerate(dict.fromkeys(u.article for u in units))}
    return sorted(picked, key=lambda i: (units[i].index, article_rank[units[i].article]))

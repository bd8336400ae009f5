"""Pairwise kernels of story grouping: index keys, similarity, and the same-event decision.

``linked(a, b)`` depends on the two articles' features and the options only, which is what makes
incremental ingest give exactly the batch result.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import numpy as np

from newsfold.stories.features import StoryFeatures, languages_of, zipf
from newsfold.stories.options import StoryOptions

# See candidate_keys: strong terms rarer than this are keyed without a time slot as well.
_TIMELESS_KEY_ZIPF = 3.0
# An article whose strongest terms are all common keys this many of them anyway.
_FALLBACK_KEYS = 3


def candidate_keys(features: StoryFeatures, options: StoryOptions | None = None) -> list[str]:
    """Inverted-index keys an article is stored under: its strongest terms (at most
    ``keys_per_article``); :func:`query_keys` are the keys it looks up.

    Only terms rarer than ``key_max_zipf`` are keys ("police", "fire", "arrested" are not): a
    common word's posting list grows with the store and brings only look-alike candidates.

    Two write-ups of one event name the same rare things (people, places, the unusual word of
    the event), and those rank high in both; sharing one key is enough to be compared.

    When the publication date is known (and ``window_days`` is on), a key is the term within a
    time slot of ``window_days`` days (``t:term@slot`` for the article's slot and the next): two
    articles less than the window apart always share a slot, and a posting list then holds only
    a few weeks of news instead of growing with the store (``bench/stories_scale.py``). Terms
    that are rare in the frequency table (most names, rare spellings) are also keyed without a
    slot, so two dated write-ups far apart in time still meet through a rare name. Rare is zipf
    below 3 (about one use per million words: "vladivostok" 2.9, "klitschko" 3.0; "putin" 4.4
    and "police" 5.3 are not), so such a posting list grows with the store only as fast as a
    rare name recurs among the strongest terms of articles.

    Dated and undated articles meet through every strong term: an undated article is stored
    under ``t:term`` and looks up ``t:term`` and ``d:term``; a dated one is also stored under
    ``d:term`` (lists only undated arrivals read) and also looks up ``t:term``. So two articles
    are candidates exactly when they share a strong term, unless both are dated, when they must
    share a time slot or a rare term; the relation is symmetric, so it does not depend on which
    of the two arrived first. The keys are a function of the article alone (no corpus
    statistic), so the candidates, and every decision made from them, are the same whatever the
    arrival order.
    """
    return index_keys(features, options)[0]


def query_keys(features: StoryFeatures, options: StoryOptions | None = None) -> list[str]:
    """The keys an article looks up in the index (see :func:`candidate_keys`)."""
    return index_keys(features, options)[1]


def index_keys(
    features: StoryFeatures, options: StoryOptions | None = None
) -> tuple[list[str], list[str]]:
    """``(candidate_keys, query_keys)`` of an article, its strongest terms ranked once."""
    options = options or StoryOptions()
    strongest, rare = _strongest(features, options)
    slot = _slot(features.published, options.window_days)
    plain = {f"t:{term}" for term in strongest}
    if slot is None:
        return sorted(plain), sorted(plain | {f"d:{term}" for term in strongest})
    slotted = _slotted(strongest, slot)
    stored = slotted | {f"t:{term}" for term in rare} | {f"d:{term}" for term in strongest}
    return sorted(stored), sorted(slotted | plain)


def _strongest(features: StoryFeatures, options: StoryOptions) -> tuple[list[str], list[str]]:
    """The article's strongest key terms, and those of them rare enough to key without a slot."""
    languages = languages_of(features.lang, options)
    strongest: list[str] = []
    rare: list[str] = []
    for term, _ in features.terms:
        frequency = zipf(term, languages)
        if frequency < options.key_max_zipf:
            strongest.append(term)
            if frequency < _TIMELESS_KEY_ZIPF:
                rare.append(term)
            if len(strongest) == options.keys_per_article:
                break
    if not strongest:  # only common words: the few strongest of them, or it meets no one
        strongest = [term for term, _ in features.terms[:_FALLBACK_KEYS]]
        rare = [term for term in strongest if zipf(term, languages) < _TIMELESS_KEY_ZIPF]
    return strongest, rare


def _slotted(terms: Sequence[str], slot: int) -> set[str]:
    return {f"t:{term}@{s}" for term in terms for s in (slot, slot + 1)}


def _day(published: str | None) -> int | None:
    """The day number (proleptic ordinal) of an ISO date, or None when unknown or unreadable."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10]).toordinal()
    except ValueError:
        return None


def _slot(published: str | None, window_days: int) -> int | None:
    """The time slot of a publication date: whole ``window_days`` periods since year 1."""
    day = _day(published) if window_days else None
    return None if day is None else day // window_days


def _cosine_with_py(table: dict[str, float], pairs: tuple[tuple[str, float], ...]) -> float:
    """Cosine of two normalised sparse vectors, one as a look-up table, the other as its pairs:
    the products over the shared keys, summed by fsum (exact, so the result does not depend on
    the order of the terms, and the two sides can swap roles)."""
    get = table.get
    products = [weight * other for term, weight in pairs if (other := get(term)) is not None]
    if not products:
        return 0.0
    return min(1.0, math.fsum(products))


_cosine_with = _cosine_with_py
try:  # the compiled twin (identical results, see newsfold/stories/_link.pyx)
    from newsfold.stories._link import cosine_with as _cosine_with
except ImportError:  # pragma: no cover - the pure-Python twin above
    pass


def _dense_cosine(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Cosine of two normalised embeddings, clipped to [0, 1]; exact (fsum), so symmetric."""
    return min(1.0, max(0.0, math.fsum(x * y for x, y in zip(a, b))))


def _number_overlap(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """Shared numbers over the smaller set: a short write-up cites fewer of the figures."""
    if not a or not b:
        return 0.0
    return len(set(a) & set(b)) / min(len(a), len(b))


def similarity(a: StoryFeatures, b: StoryFeatures, options: StoryOptions | None = None) -> float:
    """Weighted mix of term cosine, entity cosine and number overlap, in [0, 1]; symmetric."""
    options = options or StoryOptions()
    if a.has_maps() < b.has_maps():
        # Every part is symmetric: look up in the side whose tables are built (an arrival
        # compared with many fresh candidates builds its own once) and walk the other's pairs.
        a, b = b, a
    # Sums in a fixed order: terms, entities, numbers (this runs for every candidate pair).
    total = options.term_weight
    mixed = total * _cosine_with(a.term_map(), b.terms)
    # A part that one side cannot have (no capitalised names in its script, no numbers) is left
    # out of the mix rather than counted as a disagreement.
    if a.entities and b.entities:
        total += options.entity_weight
        mixed += options.entity_weight * _cosine_with(a.entity_map(), b.entities)
    if a.numbers and b.numbers:
        total += options.number_weight
        mixed += options.number_weight * _number_overlap(a.numbers, b.numbers)
    if options.embed_weight and a.embedding and b.embedding:
        total += options.embed_weight
        mixed += options.embed_weight * _dense_cosine(a.embedding, b.embedding)
    if total == 0:
        return 0.0
    # Rounded so that the order of float additions cannot make similarity(a, b) != (b, a).
    return round(mixed / total, 9)


def days_apart(a: str | None, b: str | None) -> int | None:
    """Whole days between two ISO dates, or None when either is unknown or unreadable."""
    first, second = _day(a), _day(b)
    return None if first is None or second is None else abs(first - second)


def linked(a: StoryFeatures, b: StoryFeatures, options: StoryOptions | None = None) -> bool:
    """The decision: do these two articles report the same event?"""
    options = options or StoryOptions()
    if options.window_days:
        gap = days_apart(a.published, b.published)
        if gap is not None and gap > options.window_days:
            return False
    return similarity(a, b, options) >= options.threshold


def _weighted_overlap_py(vectors: Sequence[tuple[tuple[str, float], ...]], size: int) -> np.ndarray:
    """All pairwise dot products of sparse vectors through their postings (sparse-friendly)."""
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for row, vector in enumerate(vectors):
        for term, weight in vector:
            postings[term].append((row, weight))
    matrix = np.zeros((size, size))
    for term in sorted(postings):
        entries = postings[term]
        if len(entries) < 2:
            continue
        rows = np.array([r for r, _ in entries])
        weights = np.array([w for _, w in entries])
        matrix[np.ix_(rows, rows)] += np.outer(weights, weights)
    return np.minimum(matrix, 1.0)


_weighted_overlap = _weighted_overlap_py
try:  # the compiled twin (the same additions in the same order: identical matrices)
    from newsfold.stories._link import weighted_overlap as _weighted_overlap
except ImportError:  # pragma: no cover - the pure-Python twin above
    pass


def similarity_matrix(
    items: Sequence[StoryFeatures | None], options: StoryOptions | None = None
) -> np.ndarray:
    """``similarity`` for every pair of ``items`` at once, 0 across the time window and for None.

    Equal to the pairwise function up to float rounding; used where a whole component is compared.
    """
    options = options or StoryOptions()
    n = len(items)
    present = [f if f is not None else StoryFeatures() for f in items]
    terms = _weighted_overlap([f.terms for f in present], n)
    entities = _weighted_overlap([f.entities for f in present], n)
    shared_numbers = _shared_counts([f.numbers for f in present], n)
    has_entities = np.array([bool(f.entities) for f in present])
    number_counts = np.array([len(f.numbers) for f in present], dtype=float)
    entity_on = np.outer(has_entities, has_entities)
    number_on = np.outer(number_counts > 0, number_counts > 0)
    smaller = np.minimum.outer(number_counts, number_counts)
    number_part = np.divide(shared_numbers, smaller, out=np.zeros((n, n)), where=smaller > 0)
    total = (
        options.term_weight + options.entity_weight * entity_on + options.number_weight * number_on
    )
    mixed = (
        options.term_weight * terms
        + options.entity_weight * entities * entity_on
        + options.number_weight * number_part * number_on
    )
    if options.embed_weight:
        width = max((len(f.embedding) for f in present), default=0)
        has_embedding = np.array([len(f.embedding) == width > 0 for f in present])
        vectors = np.array(
            [f.embedding if on else (0.0,) * width for f, on in zip(present, has_embedding)]
        ).reshape(n, width)
        embed_on = np.outer(has_embedding, has_embedding)
        dense = np.clip(vectors @ vectors.T, 0.0, 1.0)
        total = total + options.embed_weight * embed_on
        mixed = mixed + options.embed_weight * dense * embed_on
    result = np.divide(mixed, total, out=np.zeros((n, n)), where=total > 0)
    if options.window_days:
        ordinals = np.array([_ordinal(f.published) for f in present], dtype=float)
        gaps = np.abs(np.subtract.outer(ordinals, ordinals))
        result[np.nan_to_num(gaps, nan=0.0) > options.window_days] = 0.0
    absent = np.array([f is None for f in items])
    result[absent, :] = 0.0
    result[:, absent] = 0.0
    np.fill_diagonal(result, 0.0)
    matrix: np.ndarray = result
    return matrix


def _shared_counts(sets: Sequence[tuple[str, ...]], size: int) -> np.ndarray:
    postings: dict[str, list[int]] = defaultdict(list)
    for row, values in enumerate(sets):
        for value in set(values):
            postings[value].append(row)
    matrix = np.zeros((size, size))
    for value in sorted(postings):
        rows = postings[value]
        if len(rows) > 1:
            index = np.array(rows)
            matrix[np.ix_(index, index)] += 1.0
    return matrix


def _ordinal(published: str | None) -> float:
    day = _day(published)
    return math.nan if day is None else float(day)

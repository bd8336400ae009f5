"""Pairwise kernels of story grouping: index keys, similarity, and the same-event decision.

``linked(a, b)`` depends on the two articles' features and the options only, which is what makes
incremental ingest give exactly the batch result.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np

from newsfold.stories.features import StoryFeatures, languages_of, zipf
from newsfold.stories.options import StoryOptions

# Strong terms rarer than this are found whatever the two articles' dates (see ``index_keys``).
_TIMELESS_KEY_ZIPF = 3.0
# An article whose strongest terms are all common keys this many of them anyway.
_FALLBACK_KEYS = 3
# The time slot of an article without a (readable) publication date, or of every article when
# time-slotting is off (``window_days`` 0).
UNDATED = -1


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """Where an article is stored in the inverted index: under each of its strongest ``terms``,
    in its time ``slot`` (``UNDATED`` when its date is unknown). One posting per term."""

    terms: tuple[str, ...]
    slot: int


@dataclass(frozen=True, slots=True)
class IndexLookup:
    """What an arriving article looks up: every posting of its ``anytime`` terms, and the
    postings of its ``windowed`` terms that are undated or in slots ``slot - 1`` to
    ``slot + 1``."""

    anytime: tuple[str, ...]
    windowed: tuple[str, ...]
    slot: int

    def slots(self) -> tuple[int, ...]:
        """The slots a windowed term's postings are taken from."""
        return UNDATED, self.slot - 1, self.slot, self.slot + 1


def index_keys(
    features: StoryFeatures, options: StoryOptions | None = None
) -> tuple[IndexEntry, IndexLookup]:
    """Where an article is stored in the inverted index, and what it looks up there.

    Keys are the article's strongest terms (at most ``keys_per_article``), only terms rarer than
    ``key_max_zipf`` ("police", "fire", "arrested" are not): a common word's posting list grows
    with the store and brings only look-alike candidates. Two write-ups of one event name the
    same rare things (people, places, the unusual word of the event), and those rank high in
    both; sharing one key is enough to be compared.

    Two articles are candidates when they share a key term and
    - either date is unknown (or ``window_days`` is 0), or
    - the term is rare in the frequency table (zipf below 3, about one use per million words:
      "vladivostok" 2.9, "klitschko" 3.0; "putin" 4.4 and "police" 5.3 are not; most names), so
      two dated write-ups far apart in time still meet through a rare name, or
    - their time slots (whole ``window_days`` periods) are at most one apart: two articles less
      than the window apart always are, and a look-up then reads a few weeks of news of a term
      instead of a posting list that grows with the store (``bench/stories_scale.py``).
    Each condition is symmetric and depends on the two articles alone (no corpus statistic), so
    the candidates, and every decision made from them, are the same whatever the arrival order.

    An article is stored once per key term, with its slot; the time conditions are read at
    look-up (a posting list ordered by slot answers "undated, or slots s - 1 to s + 1" with four
    reads). Written one by one into a large index, each key would land on its own page; the
    SQLite store appends them to a log of fresh postings and merges that into the index in
    bulk (``Store._merge_fresh_terms``).
    """
    options = options or StoryOptions()
    strongest, rare = _strongest(features, options)
    terms = tuple(sorted(strongest))
    slot = _slot(features.published, options.window_days)
    if slot is None:
        return IndexEntry(terms, UNDATED), IndexLookup(terms, (), UNDATED)
    timeless = set(rare)
    return IndexEntry(terms, slot), IndexLookup(
        tuple(t for t in terms if t in timeless), tuple(t for t in terms if t not in timeless), slot
    )


class TermIndex:
    """The inverted index in memory (batch grouping, benchmarks): what ``Store`` keeps in SQLite,
    with the same candidates."""

    def __init__(self) -> None:
        self._postings: dict[str, dict[int, list[str]]] = {}
        self._count = 0

    def add(self, article_id: str, entry: IndexEntry) -> None:
        for term in entry.terms:
            self._postings.setdefault(term, {}).setdefault(entry.slot, []).append(article_id)
        self._count += len(entry.terms)

    def discard_last(self, article_id: str, entry: IndexEntry) -> None:
        """Undo the latest ``add(article_id, entry)`` (adds are undone in reverse order)."""
        for term in entry.terms:
            by_slot = self._postings.get(term, {})
            ids = by_slot.get(entry.slot, [])
            if not ids or ids[-1] != article_id:
                raise ValueError(f"{article_id!r} is not the latest posting of {term!r}")
            ids.pop()
            self._count -= 1
            if not ids:
                del by_slot[entry.slot]
                if not by_slot:
                    del self._postings[term]

    def candidates(self, lookup: IndexLookup) -> set[str]:
        """Ids stored under what ``lookup`` asks for (see ``index_keys``)."""
        found: set[str] = set()
        for term in lookup.anytime:
            for ids in self._postings.get(term, {}).values():
                found.update(ids)
        slots = lookup.slots()
        for term in lookup.windowed:
            by_slot = self._postings.get(term)
            if by_slot:
                for slot in slots:
                    found.update(by_slot.get(slot, ()))
        return found

    def postings(self) -> int:
        """How many postings were added (and not discarded)."""
        return self._count

    def largest(self, count: int) -> list[tuple[int, str]]:
        """The ``count`` longest posting lists (all slots of a term), with their terms."""
        sizes = [(sum(map(len, s.values())), t) for t, s in self._postings.items()]
        return sorted(sizes, reverse=True)[:count]

    def __len__(self) -> int:
        return len(self._postings)


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


def _vector_py(pairs: tuple[tuple[str, float], ...]) -> Any:
    """A sparse vector as the pure-Python cosine reads it: a look-up table and its pairs."""
    return dict(pairs), pairs


def _vector_cosine_py(a: Any, b: Any) -> float:
    return _cosine_with_py(a[0], b[1])


@dataclass(frozen=True, slots=True)
class _View:
    """What a pair decision reads of one article's features, prepared once per features object:
    terms and entities as vectors ``_vector_cosine`` compares, the numbers as a set, the
    publication day. (The compiled ``LinkView`` holds the same.)"""

    terms: Any
    entities: Any
    numbers: frozenset[str]
    day: int | None


_compiled: Any
try:  # the compiled twins (identical results, see newsfold/stories/_link.pyx)
    from newsfold.stories import _link as _compiled
except ImportError:  # pragma: no cover - the pure-Python twins above and below
    _compiled = None
_vector: Callable[[tuple[tuple[str, float], ...]], Any] = (
    _compiled.SortedVector if _compiled else _vector_py
)
_vector_cosine: Callable[[Any, Any], float] = (
    _compiled.sorted_cosine if _compiled else _vector_cosine_py
)
_view_type: Callable[..., Any] = _compiled.LinkView if _compiled else _View
# The compiled decisions (None without the kernel): similarity and linked over views, the same
# floats and booleans as the Python code below (tested), for options without embeddings.
_view_similarity: Callable[..., float] | None = _compiled.view_similarity if _compiled else None
_decide_many: Callable[..., list[bool]] | None = _compiled.decide_many if _compiled else None
# The whole matrix from views (see ``similarity_matrix``), for options without embeddings.
_view_matrix: Callable[..., np.ndarray] | None = _compiled.view_matrix if _compiled else None


def _view(features: StoryFeatures) -> Any:
    view = features._link_view
    if view is None:
        view = _view_type(
            _vector(features.terms),
            _vector(features.entities),
            frozenset(features.numbers),
            _day(features.published),
        )
        object.__setattr__(features, "_link_view", view)
    return view


# The view of an absent member (``similarity_matrix`` skips its row and column).
_EMPTY_VIEW: Any = _view(StoryFeatures()) if _compiled else None


def _dense_cosine(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """Cosine of two normalised embeddings, clipped to [0, 1]; exact (fsum), so symmetric."""
    return min(1.0, max(0.0, math.fsum(x * y for x, y in zip(a, b))))


def _number_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared numbers over the smaller set: a short write-up cites fewer of the figures."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def similarity(a: StoryFeatures, b: StoryFeatures, options: StoryOptions | None = None) -> float:
    """Weighted mix of term cosine, entity cosine and number overlap, in [0, 1]; symmetric."""
    options = options or StoryOptions()
    view_a, view_b = _view(a), _view(b)
    if _view_similarity is not None and not options.embed_weight:
        return _view_similarity(
            view_a, view_b, options.term_weight, options.entity_weight, options.number_weight
        )
    # Sums in a fixed order: terms, entities, numbers (this runs for every candidate pair).
    total = options.term_weight
    mixed = total * _vector_cosine(view_a.terms, view_b.terms)
    # A part that one side cannot have (no capitalised names in its script, no numbers) is left
    # out of the mix rather than counted as a disagreement.
    if a.entities and b.entities:
        total += options.entity_weight
        mixed += options.entity_weight * _vector_cosine(view_a.entities, view_b.entities)
    if a.numbers and b.numbers:
        total += options.number_weight
        mixed += options.number_weight * _number_overlap(view_a.numbers, view_b.numbers)
    if options.embed_weight and a.embedding and b.embedding:
        total += options.embed_weight
        mixed += options.embed_weight * _dense_cosine(a.embedding, b.embedding)
    if total == 0:
        return 0.0
    # Rounded so that the order of float additions cannot make similarity(a, b) != (b, a).
    return round(mixed / total, 9)


def linked(a: StoryFeatures, b: StoryFeatures, options: StoryOptions | None = None) -> bool:
    """The decision: do these two articles report the same event?"""
    options = options or StoryOptions()
    if options.window_days:
        first, second = _view(a).day, _view(b).day
        if first is not None and second is not None and abs(first - second) > options.window_days:
            return False
    return similarity(a, b, options) >= options.threshold


def linked_many(
    arrival: StoryFeatures, others: Sequence[StoryFeatures], options: StoryOptions | None = None
) -> list[bool]:
    """``linked(arrival, other)`` for each of ``others``: what an arrival decides against its
    candidates, in one compiled call when the kernel is built."""
    options = options or StoryOptions()
    if _decide_many is None or options.embed_weight:
        return [linked(arrival, other, options) for other in others]
    return _decide_many(
        _view(arrival),
        # Most candidates are stored articles whose view is built already: read it inline.
        [other._link_view or _view(other) for other in others],
        options.term_weight,
        options.entity_weight,
        options.number_weight,
        options.window_days,
        options.threshold,
    )


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


# The compiled twin makes the same additions in the same order: identical matrices.
_weighted_overlap: Callable[[Sequence[tuple[tuple[str, float], ...]], int], np.ndarray] = (
    _compiled.weighted_overlap if _compiled else _weighted_overlap_py
)


def similarity_matrix(
    items: Sequence[StoryFeatures | None], options: StoryOptions | None = None
) -> np.ndarray:
    """``similarity`` for every pair of ``items`` at once, 0 across the time window and for None.

    Equal to the pairwise function up to float rounding; used where a whole component is compared.
    """
    options = options or StoryOptions()
    n = len(items)
    if _view_matrix is not None and not options.embed_weight:
        # One pair at a time from the views: each entry of the matrices below depends on its
        # two rows alone, so the same floats (tested). A view is built (and its terms ranked)
        # once per features object, where the postings below are rebuilt for every member at
        # every refinement: members refined again cost less (matrices of the 3,000-arrival
        # stories store run with views ready: 31-36 -> 22-24 us/article, medians of 5).
        return _view_matrix(
            [_view(f) if f is not None else _EMPTY_VIEW for f in items],
            np.array([len(f.numbers) if f is not None else 0 for f in items], dtype=float),
            np.array([f is None for f in items], dtype=np.uint8),
            options.term_weight,
            options.entity_weight,
            options.number_weight,
            float(options.window_days),
        )
    present = [f if f is not None else StoryFeatures() for f in items]
    terms = _weighted_overlap([f.terms for f in present], n)
    entities = _weighted_overlap([f.entities for f in present], n)
    shared_numbers = _shared_counts([f.numbers for f in present], n)
    has_entities = np.array([bool(f.entities) for f in present])
    number_counts = np.array([len(f.numbers) for f in present], dtype=float)
    absent = np.array([f is None for f in items], dtype=bool)
    ordinals = np.array([_ordinal(f.published) for f in present], dtype=float)
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
        gaps = np.abs(np.subtract.outer(ordinals, ordinals))
        result[np.nan_to_num(gaps, nan=0.0) > options.window_days] = 0.0
    result[absent, :] = 0.0
    result[:, absent] = 0.0
    np.fill_diagonal(result, 0.0)
    matrix: np.ndarray = result
    return matrix


def _shared_counts_py(sets: Sequence[tuple[str, ...]], size: int) -> np.ndarray:
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


_shared_counts: Callable[[Sequence[tuple[str, ...]], int], np.ndarray] = (
    _compiled.shared_counts if _compiled else _shared_counts_py
)


def _ordinal(published: str | None) -> float:
    day = _day(published)
    return math.nan if day is None else float(day)

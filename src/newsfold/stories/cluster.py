"""Stories from pairwise links: candidate pairs, connected components, average-link refinement.

The outcome is a function of (a) the set of linked pairs among candidates sharing an index key
and (b) the copy groups, which join as a unit. Each connected component is then refined by a
deterministic average-link pass over its members alone. Nothing depends on the order articles
arrive in or on corpus-wide statistics, so an incremental store that records links as articles
arrive and re-runs ``stories_from_links`` on the touched components gets the batch result exactly.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

import numpy as np

from newsfold.copies.unionfind import UnionFind
from newsfold.stories.features import StoryFeatures
from newsfold.stories.link import IndexLookup, TermIndex, index_keys, linked, similarity_matrix
from newsfold.stories.options import StoryOptions

_compiled: Any
try:  # the compiled merge loop (identical results, see newsfold/stories/_link.pyx)
    from newsfold.stories import _link as _compiled
except ImportError:  # pragma: no cover - the pure-Python twin ``_agglomerate_py``
    _compiled = None

Pair = tuple[str, str]


def candidate_pairs(
    features: Mapping[str, StoryFeatures], options: StoryOptions | None = None
) -> Iterator[Pair]:
    """Each unordered pair of ids where one finds the other in the inverted index (see
    ``index_keys``; the relation is symmetric), once, as ``(low, high)``, sorted."""
    options = options or StoryOptions()
    index = TermIndex()
    lookups: dict[str, IndexLookup] = {}
    for article_id in sorted(features):
        entry, lookups[article_id] = index_keys(features[article_id], options)
        index.add(article_id, entry)
    seen: set[Pair] = set()
    for article_id in sorted(features):
        for other in index.candidates(lookups[article_id]):
            if other != article_id:
                seen.add((article_id, other) if article_id < other else (other, article_id))
    yield from sorted(seen)


def find_links(
    features: Mapping[str, StoryFeatures], options: StoryOptions | None = None
) -> set[Pair]:
    """The linked pairs among the candidates: the batch form of what a store records per arrival."""
    options = options or StoryOptions()
    return {
        (a, b)
        for a, b in candidate_pairs(features, options)
        if linked(features[a], features[b], options)
    }


def refine(
    component: Sequence[str],
    features: Mapping[str, StoryFeatures],
    units: Sequence[Sequence[str]],
    options: StoryOptions | None = None,
) -> list[tuple[str, ...]]:
    """Split one component by average-link agglomeration at ``options.threshold``.

    ``units`` are groups that must stay together (copy groups); every other member starts alone.
    Single-link components chain: A~B and B~C can join two look-alike events through one
    ambiguous article. Average link merges two groups only when their members are similar on
    average (at least ``threshold``) and, with ``cohesion_ratio``, when that average reaches the
    given share of the looser group's internal average; and two groups of two look-alike events
    (each with a strong term most of its members name and few of the other's do, see
    ``_look_alike_events``) do not merge. The result depends on the member set alone. Deterministic: units in sorted order, ties broken by the first maximum. Cost: the
    pairwise similarity of the members, then O(k^2) per merge; fine for components of hundreds.
    """
    options = options or StoryOptions()
    members = sorted(set(component))
    uf = UnionFind(members)
    for unit in units:
        inside = [m for m in unit if m in uf]
        for other in inside[1:]:
            uf.union(inside[0], other)
    groups = uf.components()
    if len(groups) == 1:
        return groups
    position = {m: i for i, m in enumerate(members)}
    pair_sims = similarity_matrix([features.get(m) for m in members], options)
    k = len(groups)
    sizes = np.array([len(g) for g in groups], dtype=float)
    membership = np.zeros((k, len(members)))
    membership[
        [x for x, group in enumerate(groups) for _ in group],
        [position[m] for group in groups for m in group],
    ] = 1.0
    # Sums of member-pair similarities between groups (average = sum / (n_a n_b)); the diagonal
    # holds twice the sum inside each group, whose average over its pairs is its cohesion.
    sums = membership @ pair_sims @ membership.T
    inner = np.diag(sums) / 2
    np.fill_diagonal(sums, 0.0)
    merged: list[list[str]] = [list(g) for g in groups]
    score = _all_merge_scores(sums, sizes, inner, options)
    score[:, :] = np.minimum(score, score.T)  # the same value both ways; guards float noise
    # Each member's strongest terms, read only by the look-alike test of large enough groups.
    strongest: dict[str, frozenset[str]] = {}

    def blocked(first: Sequence[str], second: Sequence[str]) -> bool:
        if min(len(first), len(second)) < options.split_min_size:
            return False
        for member in (*first, *second):
            if member not in strongest:
                strongest[member] = _strongest_terms(features.get(member), options)
        return _look_alike_events(first, second, strongest, options)

    _agglomerate(sums, sizes, inner, score, merged, blocked, options)
    return sorted(tuple(sorted(g)) for g in merged if g)


def _agglomerate_py(
    sums: np.ndarray,
    sizes: np.ndarray,
    inner: np.ndarray,
    score: np.ndarray,
    merged: list[list[str]],
    blocked: Callable[[Sequence[str], Sequence[str]], bool],
    options: StoryOptions,
) -> None:
    """The merge loop of ``refine``: merge the two live groups of the highest score (the first
    of equal ones in row-major order) until no score is >= 0; a pair ``blocked`` says are two
    look-alike events is not merged. Updates ``merged``, ``sums``, ``sizes``, ``inner`` and
    ``score`` in place. (The compiled twin, ``stories._link.agglomerate``, gives the same.)"""
    k = len(sizes)
    alive = np.ones(k, dtype=bool)
    while True:
        flat = int(np.argmax(score))
        x, y = divmod(flat, k)
        if score[x, y] < 0:
            break
        x, y = min(x, y), max(x, y)
        if blocked(merged[x], merged[y]):
            # Blocked until one of the two groups changes (its scores are then recomputed).
            score[x, y] = score[y, x] = -1.0
            continue
        inner[x] += inner[y] + sums[x, y]
        merged[x].extend(merged[y])
        merged[y] = []
        sums[x, :] += sums[y, :]
        sums[:, x] = sums[x, :]
        sums[x, x] = 0.0
        sizes[x] += sizes[y]
        alive[y] = False
        sums[y, :] = 0.0
        sums[:, y] = 0.0
        inner[y] = 0.0
        score[y, :] = -1.0
        score[:, y] = -1.0
        # Only the merged group's averages and cohesion changed: update its row and column.
        score[x, :] = _merge_scores(x, sums, sizes, inner, alive, options)
        score[:, x] = score[x, :]


def _agglomerate_compiled(
    sums: np.ndarray,
    sizes: np.ndarray,
    inner: np.ndarray,
    score: np.ndarray,
    merged: list[list[str]],
    blocked: Callable[[Sequence[str], Sequence[str]], bool],
    options: StoryOptions,
) -> None:
    """``_agglomerate_py`` by the compiled kernel (the same merges and floats, tested); refine's
    loop was a dozen numpy calls per merge on rows of a few dozen groups."""
    assert _compiled is not None
    _compiled.agglomerate(
        sums, sizes, inner, score, merged, blocked, options.threshold, options.cohesion_ratio
    )


_agglomerate: Callable[..., None] = _agglomerate_compiled if _compiled else _agglomerate_py


def _strongest_terms(features: StoryFeatures | None, options: StoryOptions) -> frozenset[str]:
    if features is None:
        return frozenset()
    return frozenset(term for term, _ in features.terms[: options.split_terms])


def _look_alike_events(
    first: Sequence[str],
    second: Sequence[str],
    strongest: Mapping[str, frozenset[str]],
    options: StoryOptions,
) -> bool:
    """Are two groups two look-alike events: each with a strong term the other lacks?

    Two write-ups of one event share its main actors; two events of one kind (the Angels' and
    the Red Sox's offers to one player, two DUI arrests of two Chargers players) share the kind
    and differ in one actor that most of each group names among its strongest terms and almost
    none of the other does. Only groups of ``split_min_size`` or more are tested: a share over
    fewer articles is noise.
    """
    if min(len(first), len(second)) < options.split_min_size:
        return False
    first_counts = Counter(t for m in first for t in strongest.get(m, ()))
    second_counts = Counter(t for m in second for t in strongest.get(m, ()))
    return _has_own_term(first_counts, len(first), second_counts, len(second), options) and (
        _has_own_term(second_counts, len(second), first_counts, len(first), options)
    )


def _has_own_term(
    mine: Counter[str], my_size: int, other: Counter[str], other_size: int, options: StoryOptions
) -> bool:
    return any(
        count >= options.split_common_share * my_size
        and other.get(term, 0) <= options.split_rare_share * other_size
        for term, count in mine.items()
    )


def _score_rows(
    rows: np.ndarray,
    sums: np.ndarray,
    sizes: np.ndarray,
    inner: np.ndarray,
    alive: np.ndarray,
    options: StoryOptions,
) -> np.ndarray:
    """Average similarity of each group in ``rows`` to every group, or -1 where a merge is not
    allowed; one row per entry of ``rows`` (all groups at the start, the merged one after)."""
    # Rounded so that float noise from the order of additions cannot flip a decision.
    average = np.round(sums[rows, :] / (sizes[rows, None] * sizes[None, :]), 9)
    allowed = alive[None, :] & alive[rows, None] & (average >= options.threshold)
    allowed[np.arange(len(rows)), rows] = False
    if options.cohesion_ratio:
        pairs = sizes * (sizes - 1) / 2
        cohesion = np.divide(inner, pairs, out=np.full(len(sizes), np.inf), where=pairs > 0)
        # Two look-alike events are each tight inside and only loosely alike across: a merge
        # must reach a share of the looser group's own cohesion (singletons have none).
        weaker = np.minimum(cohesion[None, :], cohesion[rows, None])
        allowed &= (weaker == np.inf) | (average >= options.cohesion_ratio * weaker)
    return np.where(allowed, average, -1.0)


def _merge_scores(
    x: int,
    sums: np.ndarray,
    sizes: np.ndarray,
    inner: np.ndarray,
    alive: np.ndarray,
    options: StoryOptions,
) -> np.ndarray:
    """The scores of group ``x`` (see ``_score_rows``)."""
    row: np.ndarray = _score_rows(np.array([x]), sums, sizes, inner, alive, options)[0]
    return row


def _all_merge_scores(
    sums: np.ndarray, sizes: np.ndarray, inner: np.ndarray, options: StoryOptions
) -> np.ndarray:
    """The scores of every group at once, all alive (see ``_score_rows``)."""
    k = len(sizes)
    return _score_rows(np.arange(k), sums, sizes, inner, np.ones(k, dtype=bool), options)


def stories_from_links(
    features: Mapping[str, StoryFeatures],
    links: Iterable[Pair],
    copy_groups: Sequence[Sequence[str]] = (),
    options: StoryOptions | None = None,
) -> list[tuple[str, ...]]:
    """Stories from a set of linked pairs and the copy groups; sorted, members sorted."""
    options = options or StoryOptions()
    uf = UnionFind(features)
    for a, b in links:
        uf.union(a, b)
    for group in copy_groups:
        group = list(group)
        for other in group[1:]:
            uf.union(group[0], other)
    components = uf.components()
    if not options.refine:
        return components
    stories: list[tuple[str, ...]] = []
    for component in components:
        if len(component) <= 2:
            stories.append(component)
        else:
            stories.extend(refine(component, features, copy_groups, options))
    return sorted(stories)


def cluster(
    features: Mapping[str, StoryFeatures],
    copy_groups: Sequence[Sequence[str]] = (),
    options: StoryOptions | None = None,
) -> list[tuple[str, ...]]:
    """Group articles into stories: linked candidate pairs plus copy groups, then refinement.

    Every id of ``features`` and of ``copy_groups`` appears in exactly one story.
    """
    options = options or StoryOptions()
    return stories_from_links(features, find_links(features, options), copy_groups, options)

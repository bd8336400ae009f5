"""The compiled pair decisions, similarity matrix and merge loop give what their twins give.

``decide_many`` decides most pairs from a plain double sum and only the pairs near the threshold
exactly; ``view_matrix`` builds refinement's similarity matrix one pair at a time from the views;
``agglomerate`` is refinement's merge loop. Each is compared with the reference code on real
features (ECB+ sample) and on random input built to hit their edge cases: thresholds equal to
the similarities themselves, terms given twice, terms beyond Latin-1, ties between scores.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import numpy as np
import pytest
from conftest import ecb_articles
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.models import Article
from newsfold.stories import StoryFeatures, StoryOptions, link, story_features

_link = pytest.importorskip("newsfold.stories._link")
cluster = sys.modules["newsfold.stories.cluster"]


@pytest.fixture(scope="module")
def real() -> list[StoryFeatures]:
    days = [None, "2019-04-25", "2019-05-02", "2019-05-30"]
    return [
        story_features(
            Article(id=a.id, title=a.title, paragraphs=a.paragraphs, published=days[i % 4])
        )
        for i, a in enumerate(list(ecb_articles()[0].values())[:80])
    ]


def _exact_decisions(
    arrival: StoryFeatures, others: Sequence[StoryFeatures], options: StoryOptions
) -> list[bool]:
    """``linked`` as the reference decides it: the window, then similarity (fsum, round)."""
    out = []
    for other in others:
        first, second = link._view(arrival).day, link._view(other).day
        if (
            options.window_days
            and first is not None
            and second is not None
            and abs(first - second) > options.window_days
        ):
            out.append(False)
        else:
            out.append(link.similarity(arrival, other, options) >= options.threshold)
    return out


def test_decisions_at_thresholds_equal_to_the_similarities(real: list[StoryFeatures]) -> None:
    # A threshold equal to a pair's similarity puts that pair (and its look-alikes) exactly on
    # the boundary, where the plain sum cannot decide and the exact path must.
    base = StoryOptions()
    scores = sorted(
        {link.similarity(a, b, base) for a in real[:30] for b in real} - {0.0}, reverse=True
    )
    assert len(scores) > 50
    for threshold in scores[:: max(1, len(scores) // 25)]:
        options = StoryOptions(threshold=threshold)
        for arrival in real[:30]:
            decided = link.linked_many(arrival, real, options)
            assert decided == _exact_decisions(arrival, real, options)
        assert any(link.linked_many(a, real, options) != [False] * len(real) for a in real[:30])


@pytest.mark.parametrize(
    "options",
    [
        StoryOptions(window_days=0),
        StoryOptions(number_weight=0.0),
        StoryOptions(term_weight=1.0, entity_weight=0.0, number_weight=0.0, threshold=0.1),
    ],
)
def test_decisions_match_with_other_options(
    real: list[StoryFeatures], options: StoryOptions
) -> None:
    for arrival in real[:40]:
        assert link.linked_many(arrival, real, options) == _exact_decisions(arrival, real, options)


def test_decisions_compare_terms_whose_hashes_collide() -> None:
    # CPython hashes -1 and -2 alike: the plain sum must not take them for one term either.
    assert hash(-1) == hash(-2)
    left = _link.LinkView(
        _link.SortedVector(((-1, 0.6), (-2, 0.8))), _link.SortedVector(()), frozenset(), None
    )
    right = _link.LinkView(
        _link.SortedVector(((-2, 1.0),)), _link.SortedVector(()), frozenset(), None
    )
    for threshold, expected in ((0.79, True), (0.8, True), (0.81, False), (0.59, True)):
        assert _link.decide_many(left, [right], 1.0, 0.0, 0.0, 0, threshold) == [expected]


_TERMS = st.sampled_from(["a", "b", "ab", "abcdefgh", "abcdefghi", "abcdefgg", "z", "é", "漢字"])


@st.composite
def _features(draw: st.DrawFn) -> StoryFeatures | None:
    if draw(st.integers(0, 9)) == 0:
        return None
    # Lists, not dictionaries: a term may be given twice, as weighted_overlap allows.
    terms = draw(st.lists(st.tuples(_TERMS, st.floats(0.0, 1.0)), max_size=7))
    entities = draw(st.lists(st.tuples(_TERMS, st.floats(0.0, 1.0)), max_size=4))
    numbers = draw(st.lists(st.sampled_from(["1", "22", "3.5"]), max_size=3))
    published = draw(st.sampled_from([None, "2019-04-25", "2019-05-20", "2019-08-01", "bad"]))
    return StoryFeatures(
        terms=tuple(terms), entities=tuple(entities), numbers=tuple(numbers), published=published
    )


def _reference_matrix(items: Sequence[StoryFeatures | None], options: StoryOptions) -> np.ndarray:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(link, "_view_matrix", None)
        return link.similarity_matrix(items, options)


@settings(max_examples=300, deadline=None)
@given(st.lists(_features(), max_size=8), st.sampled_from([0, 30]))
def test_view_matrix_matches_the_postings_matrix(
    items: list[StoryFeatures | None], window_days: int
) -> None:
    options = StoryOptions(window_days=window_days)
    assert np.array_equal(link.similarity_matrix(items, options), _reference_matrix(items, options))


def test_view_matrix_matches_on_real_features(real: list[StoryFeatures]) -> None:
    items: list[StoryFeatures | None] = list(real)
    items[3] = items[11] = None
    for options in (StoryOptions(), StoryOptions(window_days=0)):
        matrix = link.similarity_matrix(items, options)
        assert np.array_equal(matrix, _reference_matrix(items, options))
        assert matrix.max() > 0.3 and not matrix[3].any() and not matrix[:, 11].any()


@settings(max_examples=400, deadline=None)
@given(
    st.integers(2, 12),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.0, 0.4]),
    st.booleans(),
    st.booleans(),
)
def test_agglomerate_matches_its_twin(
    k: int, seed: int, cohesion_ratio: float, blocking: bool, continuous: bool
) -> None:
    rng = np.random.default_rng(seed)
    if continuous:  # averages of any rounding (the 9-decimal rounding of each one matters)
        upper = rng.random((k, k)) * rng.integers(1, 4)
    else:  # few distinct values: ties between scores, and averages on the threshold
        upper = rng.choice([0.0, 0.1, 0.2, 0.25, 0.3, 0.6], size=(k, k)) * rng.integers(1, 4)
    sums = np.triu(upper, 1) + np.triu(upper, 1).T
    sizes = rng.integers(1, 4, k).astype(float)
    inner = rng.choice([0.0, 0.2, 0.5, 1.0], size=k) * (sizes > 1)
    options = StoryOptions(cohesion_ratio=cohesion_ratio)
    score = cluster._all_merge_scores(sums, sizes, inner, options)
    score[:, :] = np.minimum(score, score.T)
    asked: list[list[tuple[tuple[str, ...], tuple[str, ...]]]] = [[], []]
    results = []
    for run, agglomerate in enumerate((cluster._agglomerate_py, cluster._agglomerate_compiled)):
        state = [sums.copy(), sizes.copy(), inner.copy(), score.copy()]
        merged = [[f"m{x}"] for x in range(k)]

        def blocked(first: Sequence[str], second: Sequence[str], run: int = run) -> bool:
            asked[run].append((tuple(first), tuple(second)))
            return blocking and (len(first) + len(second)) % 3 == 0

        agglomerate(*state, merged, blocked, options)
        results.append((state, merged))
    (expected, expected_merged), (compiled, compiled_merged) = results
    assert compiled_merged == expected_merged
    assert asked[0] == asked[1]
    for mine, theirs in zip(compiled, expected, strict=True):
        assert np.array_equal(mine, theirs)


def test_refine_is_the_same_with_the_python_loop(
    real: list[StoryFeatures], monkeypatch: pytest.MonkeyPatch
) -> None:
    features = {f"a{i:03d}": f for i, f in enumerate(real)}
    ids = sorted(features)
    units = [ids[:3], ids[10:12]]
    compiled = cluster.refine(ids, features, units, StoryOptions())
    monkeypatch.setattr(cluster, "_agglomerate", cluster._agglomerate_py)
    assert cluster.refine(ids, features, units, StoryOptions()) == compiled
    assert 1 < len(compiled) < len(ids)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=30))
def test_union_find_matches_a_plain_labelling(pairs: list[tuple[int, int]]) -> None:
    # find() reads the parent once per step (the rebuild's unions run it many times): the sets
    # are still exactly the connected components, None included as an item.
    from newsfold.copies import UnionFind

    names: list[int | None] = [None, *range(1, 13)]
    uf: UnionFind[int | None] = UnionFind()
    label = {name: {name} for name in names}
    for a, b in pairs:
        first, second = names[a], names[b]
        uf.union(first, second)
        merged = label[first] | label[second]
        for name in merged:
            label[name] = merged
    for first in names:
        for second in names:
            if first in uf and second in uf:
                assert (uf.find(first) == uf.find(second)) == (second in label[first])


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.integers(-3, 150), st.floats(0.0, 1.0), max_size=90),
    st.dictionaries(st.integers(-3, 150), st.floats(0.0, 1.0), max_size=90),
)
def test_long_sorted_vectors_match(left: dict[int, float], right: dict[int, float]) -> None:
    # Long enough for the vectors' sort to merge runs; -1 and -2 share a hash.
    pairs = tuple(right.items())
    sorted_left, sorted_right = _link.SortedVector(tuple(left.items())), _link.SortedVector(pairs)
    expected = link._cosine_with_py(left, pairs)  # type: ignore[arg-type]
    assert _link.sorted_cosine(sorted_left, sorted_right) == expected
    assert _link.sorted_cosine(sorted_right, sorted_left) == expected

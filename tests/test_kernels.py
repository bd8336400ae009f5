"""The compiled kernels give exactly what their pure-Python twins give, and they are built.

The twins are the reference: each compiled function is compared with it on real pages (every
paragraph of the zyte-text fixtures, the seeds, the examples) and on random text drawn from an
alphabet of the characters the rules treat specially, in several scripts.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold import kernels_status, text
from newsfold.models import Article
from newsfold.stories import StoryOptions, features, link, story_features

REPO = Path(__file__).resolve().parent.parent
_text = pytest.importorskip("newsfold._text")
_link = pytest.importorskip("newsfold.stories._link")

WORD = re.compile(r"\w+(?:['\-]\w+)*")
NAME = re.compile(r"\w+(?:['\u2019\-]\w+)*")

# Characters the tokeniser and the sentence splitter decide on, plus letters of several scripts.
ALPHABET = "aZ9_ '-\u2019.!?\u2026\")]\u201d\u201c\u3002\uff01\uff1f\u300d\u300f\u0964\u061f \n\t\u00a0\u00c9\u00e9\u6f22\u5b57\u00c4\u03a9\u0663\u00b2x"


def _real_texts() -> list[str]:
    paths = sorted((REPO / "tests" / "fixtures").rglob("*.txt"))
    paths += sorted((REPO / "examples").rglob("*.txt"))
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in paths]
    assert len(texts) >= 5
    return texts + [para for t in texts for para in t.split("\n") if para.strip()]


REAL = _real_texts()


def test_every_known_kernel_is_compiled() -> None:
    # CI machines have a C compiler: a kernel that failed to build would make every figure slow.
    assert all(kernels_status().values()), kernels_status()


def _python_sentences(value: str, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(text, "_split_sentences", None)
        return text.sentences(value)


def test_tokens_and_sentences_match_on_real_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    for value in REAL:
        for form in (value, text.fold(value).casefold()):
            assert _text.word_tokens(form) == WORD.findall(form)
            assert _text.word_tokens(form, True) == NAME.findall(form)
            assert text.sentences(form) == _python_sentences(form, monkeypatch)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_tokens_and_sentences_match_on_random_text(value: str) -> None:
    assert _text.word_tokens(value) == WORD.findall(value)
    assert _text.word_tokens(value, True) == NAME.findall(value)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text, "_split_sentences", None)
        expected = text.sentences(value)
    assert text.sentences(value) == expected


def test_words_with_and_without_the_kernel(monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = [text.words(value) for value in REAL]
    monkeypatch.setattr(text, "_word_tokens", None)
    assert [text.words(value) for value in REAL] == compiled


def _articles() -> list[Article]:
    out = []
    for i, value in enumerate(REAL[:40]):
        lines = [line for line in value.split("\n") if line.strip()]
        if lines:
            out.append(Article(id=str(i), title=lines[0], paragraphs=tuple(lines[1:])))
    return out


def _python_decisions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pair decisions by the pure-Python twins (views built from then on are Python ones)."""
    monkeypatch.setattr(link, "_vector", link._vector_py)
    monkeypatch.setattr(link, "_vector_cosine", link._vector_cosine_py)
    monkeypatch.setattr(link, "_view_type", link._View)
    monkeypatch.setattr(link, "_view_similarity", None)
    monkeypatch.setattr(link, "_decide_many", None)
    monkeypatch.setattr(link, "_view_matrix", None)
    monkeypatch.setattr(link, "_shared_counts", link._shared_counts_py)


def test_story_features_and_decisions_are_the_same_without_kernels(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = StoryOptions()
    articles = _articles()
    compiled = [story_features(a, options) for a in articles]
    scores = [link.similarity(a, b, options) for a in compiled for b in compiled]
    matrix = link.similarity_matrix(compiled, options)
    monkeypatch.setattr(text, "_split_sentences", None)
    monkeypatch.setattr(text, "_word_tokens", None)
    monkeypatch.setattr(features, "_name_tokens", features._name_tokens_py)
    _python_decisions(monkeypatch)
    monkeypatch.setattr(link, "_weighted_overlap", link._weighted_overlap_py)
    pure = [story_features(a, options) for a in articles]
    assert pure == compiled
    assert [link.similarity(a, b, options) for a in pure for b in pure] == scores
    assert np.array_equal(link.similarity_matrix(pure, options), matrix)
    assert matrix.max() > 0
    assert any(0 < s < 1 for s in scores)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from("abcdefghij"), st.floats(0.0, 1.0), max_size=8),
    st.dictionaries(st.sampled_from("abcdefghij"), st.floats(0.0, 1.0), max_size=8),
)
def test_sparse_cosine_matches(left: dict[str, float], right: dict[str, float]) -> None:
    pairs = tuple(right.items())
    sorted_left, sorted_right = _link.SortedVector(tuple(left.items())), _link.SortedVector(pairs)
    expected = link._cosine_with_py(left, pairs)
    assert _link.sorted_cosine(sorted_left, sorted_right) == expected
    assert _link.sorted_cosine(sorted_right, sorted_left) == expected


def test_similarity_matrix_matches_the_twin_with_dates_and_gaps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from conftest import ecb_articles

    rng = np.random.default_rng(3)
    days = [None, "2019-04-25", "2019-05-02", "2019-05-30", "not a date"]
    items: list[link.StoryFeatures | None] = []
    for article in list(ecb_articles()[0].values())[:90]:
        published = days[int(rng.integers(len(days)))]
        items.append(
            story_features(
                Article(id=article.id, paragraphs=article.paragraphs, published=published)
            )
        )
    items[5] = items[17] = None
    for options in (StoryOptions(), StoryOptions(window_days=0), StoryOptions(number_weight=0.0)):
        compiled = link.similarity_matrix(items, options)
        with monkeypatch.context() as patch:
            patch.setattr(link, "_view_matrix", None)
            patch.setattr(link, "_shared_counts", link._shared_counts_py)
            expected = link.similarity_matrix(items, options)
        assert np.array_equal(compiled, expected)
        assert compiled.max() > 0.3 and not compiled[5].any() and not compiled[:, 17].any()


def test_sorted_cosine_compares_terms_whose_hashes_collide() -> None:
    # CPython hashes -1 and -2 alike: equal hashes must not make two different terms one.
    assert hash(-1) == hash(-2)
    left = _link.SortedVector(((-1, 0.6), (-2, 0.8)))
    assert _link.sorted_cosine(left, _link.SortedVector(((-2, 1.0),))) == 0.8
    assert _link.sorted_cosine(left, _link.SortedVector(((-1, 1.0), (7, 0.5)))) == 0.6
    assert _link.sorted_cosine(left, _link.SortedVector(((-3, 1.0),))) == 0.0
    assert _link.sorted_cosine(_link.SortedVector(()), left) == 0.0


def test_story_decisions_on_real_pairs_match_the_twin(monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import ecb_articles

    options = StoryOptions()
    articles = list(ecb_articles()[0].values())[:120]
    compiled = [story_features(a, options) for a in articles]
    scores = [link.similarity(a, b, options) for a in compiled for b in compiled[:40]]
    decisions = [link.linked_many(a, compiled[:40], options) for a in compiled]
    _python_decisions(monkeypatch)
    fresh = [story_features(a, options) for a in articles]
    assert [link.similarity(a, b, options) for a in fresh for b in fresh[:40]] == scores
    assert [link.linked_many(a, fresh[:40], options) for a in fresh] == decisions
    assert [[link.linked(a, b, options) for b in fresh[:40]] for a in fresh] == decisions
    assert sum(0.2 < s < 1 for s in scores) > 20
    assert 0 < sum(map(sum, decisions)) < len(decisions) * 40


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.sampled_from("abcdefgh"), st.floats(0.0, 1.0), max_size=6),
        max_size=7,
    )
)
def test_weighted_overlap_matches(rows: list[dict[str, float]]) -> None:
    vectors = [tuple(row.items()) for row in rows]
    expected = link._weighted_overlap_py(vectors, len(vectors))
    assert np.array_equal(_link.weighted_overlap(vectors, len(vectors)), expected)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["1", "22", "333", "4.5"]), max_size=4), max_size=7))
def test_shared_counts_match(rows: list[list[str]]) -> None:
    sets = [tuple(row) for row in rows]
    expected = link._shared_counts_py(sets, len(sets))
    assert np.array_equal(_link.shared_counts(sets, len(sets)), expected)


def test_all_merge_scores_equal_the_per_group_scores() -> None:
    # refine's first score matrix is computed at once; it must be the per-row function exactly.
    import sys

    cluster = sys.modules["newsfold.stories.cluster"]
    rng = np.random.default_rng(0)
    options = StoryOptions()
    allowed = refused = 0
    for _ in range(200):
        k = int(rng.integers(2, 30))
        upper = rng.random((k, k)) * rng.integers(1, 5)
        sums = upper + upper.T
        np.fill_diagonal(sums, 0.0)
        sizes = rng.integers(1, 6, k).astype(float)
        inner = rng.random(k) * sizes
        alive = np.ones(k, dtype=bool)
        expected = np.array(
            [cluster._merge_scores(x, sums, sizes, inner, alive, options) for x in range(k)]
        )
        scores = cluster._all_merge_scores(sums, sizes, inner, options)
        assert np.array_equal(scores, expected)
        allowed += int((scores >= 0).sum())
        refused += int((scores < 0).sum())
    assert allowed > 100 and refused > 100  # the threshold and cohesion rules both decided

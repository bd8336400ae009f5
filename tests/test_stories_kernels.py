"""Unit tests of the stories kernels: names, numbers, weights, the similarity matrix, refinement."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import ecb_articles

from newsfold.copies import UnionFind
from newsfold.models import Article
from newsfold.stories import (
    StoryFeatures,
    StoryOptions,
    cluster,
    index_keys,
    refine,
    similarity,
    stories_from_links,
    story_features,
)
from newsfold.stories.features import entity_tokens, term_weight, zipf
from newsfold.stories.link import similarity_matrix

FIXTURES = Path(__file__).parent / "fixtures"


def ecb_features() -> dict[str, StoryFeatures]:
    return {k: story_features(a) for k, a in ecb_articles(lang=None)[0].items()}


@pytest.mark.parametrize(
    ("text", "languages", "names", "not_names"),
    [
        (
            "The police said Vladimir Putin met Kim Jong Un in Vladivostok. Putin smiled.",
            ("en",),
            {"vladimir", "putin", "kim", "jong", "un", "vladivostok"},
            {"the", "police"},
        ),
        (
            "Le président Emmanuel Macron a rencontré Angela Merkel à Berlin.",
            ("fr",),
            {"emmanuel", "macron", "angela", "merkel", "berlin"},
            {"le", "président"},
        ),
        (
            "Президент Владимир Путин встретился с Ким Чен Ыном во Владивостоке.",
            ("ru",),
            {"владимир", "путин", "владивостоке"},
            {"президент"},
        ),
    ],
)
def test_entity_tokens_in_cased_scripts(
    text: str, languages: tuple[str, ...], names: set[str], not_names: set[str]
) -> None:
    found = set(entity_tokens(text, languages))
    assert names <= found
    assert not (not_names & found)


def test_weights_come_from_the_shipped_table() -> None:
    options = StoryOptions()
    assert zipf("the", ("en",)) > 7
    assert term_weight("the", ("en",), options) == 0.0
    assert term_weight("vladivostok", ("en",), options) > term_weight("meeting", ("en",), options)
    # An unknown token is capped at the floor, not weighted above every real name.
    assert term_weight("xqzvbnw", ("en",), options) == options.idf_ceiling - options.idf_floor_zipf
    # A compound takes the frequency of its rarest part.
    assert zipf("kim's", ("en",)) == pytest.approx(zipf("kim", ("en",)), abs=1.5)


def test_numbers_and_dates_are_normalised() -> None:
    article = Article(
        id="n",
        title="Deal worth $ 5.4 billion",
        paragraphs=("About 1,200 staff on 2019-04-25, up from 900 in 2018; 3 sites.",),
    )
    features = story_features(article)
    assert set(features.numbers) == {"5.4", "1200", "900"}
    assert set(features.dates) == {"2019-04-25", "2018"}


def test_word_weights_follow_the_options_through_the_memo() -> None:
    # The weight memo is keyed by the idf settings: alternating two settings must never hand one
    # setting's remembered weight to the other.
    sharp = StoryOptions(idf_ceiling=8.0, idf_power=2.0)
    plain = StoryOptions()
    for _ in range(2):
        assert term_weight("vladivostok", ("en",), plain) == pytest.approx(
            7.0 - zipf("vladivostok", ("en",))
        )
        assert term_weight("vladivostok", ("en",), sharp) == pytest.approx(
            (8.0 - zipf("vladivostok", ("en",))) ** 2
        )


def test_features_do_not_depend_on_the_weight_memo(monkeypatch: pytest.MonkeyPatch) -> None:
    # A memo bound of 3 words clears it again and again inside one article: same features.
    from newsfold.stories import features as features_module

    article = Article(
        id="m", title="Putin meets Kim", paragraphs=("Putin met Kim in Vladivostok.",)
    )
    expected = story_features(article)
    features_module._weight_memo.cache_clear()
    monkeypatch.setattr(features_module, "_WEIGHT_MEMO_SIZE", 3)
    assert story_features(article) == expected


def test_numbers_at_text_edges_and_beside_letters() -> None:
    article = Article(
        id="n",
        paragraphs=("2019-04-25: 1,200 people, A380 jets, 3.5% and 12 000 euros on 1999-12-31.",),
    )
    features = story_features(article)
    assert features.numbers == ("1200", "12000", "3.5", "380")
    assert features.dates == ("1999-12-31", "2019-04-25")
    # An ISO-looking run glued to letters or digits is not a date; its digit groups are numbers.
    glued = story_features(Article(id="g", paragraphs=("x2020-01-01 and 2020-01-011 v1.2.3 45",)))
    assert glued.dates == ("2020",)
    assert glued.numbers == ("01", "011", "1.2", "45")


def test_terms_rank_by_weight_then_alphabetically() -> None:
    # Two unknown words weigh the same (the floor) and occur once each in the title: a tie, which
    # goes to the word that sorts first; an earlier body position weighs more than a later one.
    features = story_features(Article(id="t", title="zzqxw qqzxw"))
    assert [term for term, _ in features.terms] == ["qqzxw", "zzqxw"]
    weights = [weight for _, weight in features.terms]
    assert weights[0] == weights[1] == pytest.approx(2**-0.5, abs=1e-6)
    body = story_features(Article(id="b", paragraphs=("zzqxw qqzxw",)))
    assert [term for term, _ in body.terms] == ["zzqxw", "qqzxw"]


def test_index_keys_are_few_and_sorted() -> None:
    options = StoryOptions(keys_per_article=5)
    for features in ecb_features().values():
        entry, lookup = index_keys(features, options)
        assert len(entry.terms) <= 5
        assert list(entry.terms) == sorted(entry.terms)
        assert sorted(lookup.anytime + lookup.windowed) == list(entry.terms)


def test_similarity_matrix_matches_pairwise_similarity() -> None:
    features = ecb_features()
    ids = sorted(features)
    matrix = similarity_matrix([features[i] for i in ids])
    for x, a in enumerate(ids):
        for y, b in enumerate(ids):
            expected = 0.0 if x == y else similarity(features[a], features[b])
            assert matrix[x, y] == pytest.approx(expected, abs=1e-6)
    assert np.allclose(matrix, matrix.T)


def test_refinement_splits_a_chain_of_look_alike_events() -> None:
    """Two events of one topic chained into one component by links are split again."""
    features = ecb_features()
    topic = sorted(i for i in features if i.startswith("43_"))
    # Link every pair, as a chain of near-threshold links could: the refinement sees the texts.
    links = {(a, b) for a in topic for b in topic if a < b}
    stories = stories_from_links({i: features[i] for i in topic}, links)
    assert stories == [("43_13ecbplus", "43_1ecbplus"), ("43_4ecb", "43_8ecb")]
    unrefined = stories_from_links(
        {i: features[i] for i in topic}, links, options=StoryOptions(refine=False)
    )
    assert unrefined == [tuple(topic)]


def test_refinement_keeps_copy_groups_whole() -> None:
    features = ecb_features()
    topic = sorted(i for i in features if i.startswith("43_"))
    unit = ("43_13ecbplus", "43_4ecb")  # declared copies across the two events
    groups = refine(topic, features, [unit])
    assert any(set(unit) <= set(group) for group in groups)
    assert sorted(m for group in groups for m in group) == topic


def test_union_find_components_do_not_depend_on_order() -> None:
    uf = UnionFind(["c", "b", "a", "d"])
    uf.union("c", "a")
    uf.union("d", "c")
    assert uf.find("d") == uf.find("a")
    assert uf.components() == [("a", "c", "d"), ("b",)]


def test_unspaced_scripts_get_terms_from_character_bigrams() -> None:
    meeting = story_features(
        Article(
            id="a",
            title="普京与金正恩在符拉迪沃斯托克会晤",
            lang="zh",
            paragraphs=("俄罗斯总统普京和朝鲜领导人金正恩周四在符拉迪沃斯托克举行首次会晤。",),
        )
    )
    arrival = story_features(
        Article(
            id="b",
            title="金正恩抵达符拉迪沃斯托克 与普京会谈",
            paragraphs=("朝鲜领导人金正恩乘火车抵达俄罗斯符拉迪沃斯托克，将与普京举行会谈。",),
        )
    )
    other = story_features(
        Article(
            id="c",
            title="日本首相访问美国",
            lang="zh",
            paragraphs=("日本首相周二抵达华盛顿，与美国总统会谈贸易问题。",),
        )
    )
    assert "正恩" in dict(meeting.terms)
    assert similarity(meeting, arrival) > 2 * similarity(meeting, other)
    assert cluster({"a": meeting, "b": arrival, "c": other}) == [("a", "b"), ("c",)]

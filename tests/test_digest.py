"""The digest of the seed story: additions per source, quotes and speakers, relations, renderings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import SEED_IDS, SEEDS

from newsfold.digest import DigestOptions, build_digest, render_html, render_markdown
from newsfold.errors import ConfigError, NewsfoldError
from newsfold.models import Article, CopyGroup, CopyPair, Digest, Story
from newsfold.text import normalise

A000, A001, A004 = SEED_IDS


def seed_articles(expected: dict[str, Any]) -> list[Article]:
    """The three seed articles: the labelled title and body lines (nothing else)."""
    out = []
    for name in SEED_IDS:
        label = expected["pages"][name]
        lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        body = tuple(lines[i - 1].strip() for i in label["body_lines"] if lines[i - 1].strip())
        out.append(Article(id=name, title=label["title"], paragraphs=body, credit=label["credit"]))
    return out


def seed_group() -> CopyGroup:
    """000 and 001 as the copies stage reports them: 000 holds more of the shared text."""
    pair = CopyPair(
        a=A000, b=A001, resemblance=0.58, containment_a=0.72, containment_b=0.78, fuller=A000
    )
    return CopyGroup(id="g-seeds", members=(A000, A001), pairs=(pair,))


@pytest.fixture(scope="module")
def digest(expected: dict[str, Any]) -> Digest:
    return build_digest(seed_articles(expected), [seed_group()])


def added(digest: Digest, article: str) -> list[str]:
    return [normalise(s.text) for s in digest.what_each_adds[article]]


def has(sentences: list[str], *fragments: str) -> bool:
    """Some sentence contains every fragment (normalised)."""
    return any(all(normalise(f) in s for f in fragments) for s in sentences)


@pytest.mark.parametrize(
    ("article", "fragments"),
    [
        (A001, ("putin then addressed reporters alone",)),
        (A001, ("due to fly on to beijing",)),
        (A001, ("in brief statements before their meeting", "soviet union")),
        (A001, ("no secrets here, no conspiracies",)),
        (A000, ("koo kab-woo",)),
        (A000, ("no concrete announcements",)),
        (A000, ("soviet union installed kim il sung",)),
        (A004, ("kim travelled by train",)),
        (A004, ("hanoi summit", "trump")),
        (A004, ("10,000 north korean labourers",)),
        (A004, ("people's daily",)),
        (A004, ("since march 2018",)),
    ],
)
def test_what_each_adds_lists_the_labelled_additions(
    digest: Digest, article: str, fragments: tuple[str, ...]
) -> None:
    assert has(added(digest, article), *fragments), added(digest, article)


def test_what_each_adds_leaves_out_what_another_source_carries(digest: Digest) -> None:
    workers = "pyongyang has reportedly asked russia to continue to employ its workers"
    assert not has(added(digest, A000), workers)
    assert not has(added(digest, A004), workers)
    # Paragraphs 000 and its copy 001 share are additions of neither.
    for article in (A000, A001):
        assert not has(added(digest, article), "shook hands and shared smiles")
        assert not has(added(digest, article), "black limousine")
    # The shared wire sentence is a common fact naming both independent sources.
    common = {normalise(s.text): s.articles for s in digest.common}
    carriers = next(ids for text, ids in common.items() if workers in text)
    assert A004 in carriers and ({A000, A001} & set(carriers))
    # A paraphrase counts too: every source leads with the first meeting of the two leaders.
    carriers = next(ids for text, ids in common.items() if "first-ever summit" in text)
    assert set(carriers) == set(SEED_IDS)
    assert len(digest.common) == len({normalise(s.text) for s in digest.common})


def test_quotes_carry_their_speakers(digest: Digest) -> None:
    def speaker_of(fragment: str) -> str | None:
        quote = next(q for q in digest.quotes if normalise(fragment) in normalise(q.text))
        return quote.speaker

    assert speaker_of("law of the strongest") == "Putin"
    assert speaker_of("securing another exit") == "Koo Kab-woo"
    assert speaker_of("no secrets here") == "Putin"
    assert speaker_of("a very useful meeting") == "Kim"
    # A paragraph that is only a quote continues the speaker of the paragraph before.
    assert speaker_of("we will hold a very meaningful dialogue") == "Kim"
    assert speaker_of("a lot to do to develop economic relations") == "Putin"
    assert speaker_of("carelessly trample on the norms") == "Putin"
    assert all(q.article in SEED_IDS for q in digest.quotes)


def test_sources_relate_the_copy_to_its_original(digest: Digest) -> None:
    relation = {s.article: s for s in digest.sources}
    assert relation[A000].relation == "original"
    assert relation[A001].relation == "copy" and relation[A001].of == A000
    assert relation[A001].copy_group == "g-seeds"
    # 001 keeps paragraphs 000 cut and cuts some 000 keeps (the alignment of the digest).
    assert relation[A001].added >= 2 and relation[A001].cut >= 1
    assert relation[A004].relation == "independent" and relation[A004].of is None


def test_every_digest_sentence_points_to_story_articles(digest: Digest) -> None:
    sentences = [*digest.summary_sentences, *digest.common]
    sentences += [s for items in digest.what_each_adds.values() for s in items]
    assert sentences
    for sentence in sentences:
        assert len(sentence.articles) >= 1
        assert set(sentence.articles) <= set(SEED_IDS)
    for article, items in digest.what_each_adds.items():
        assert all(s.articles == (article,) for s in items)
    assert all(len(set(s.articles)) >= 2 for s in digest.common)


def test_summary_is_a_budgeted_nonrepeating_account(digest: Digest) -> None:
    words = digest.summary.split()
    assert 120 <= len(words) <= 300
    texts = [normalise(s.text) for s in digest.summary_sentences]
    assert len(texts) == len(set(texts))
    assert digest.summary == " ".join(s.text for s in digest.summary_sentences)
    # The first-ever summit is what every source leads with.
    assert "summit" in normalise(digest.summary) and "putin" in normalise(digest.summary)
    # It draws on the independent write-up as well as the wire copy.
    assert {s.articles[0] for s in digest.summary_sentences} >= {A004}


def test_headline_entities_and_dates(digest: Digest) -> None:
    assert digest.headline in {
        "Kim, Putin vow to seek closer ties",
        "Kim, Putin seek closer ties to counter US",
        "Kim Jong Un and Vladimir Putin vow closer ties as they meet for the first time",
    }
    assert "Vladimir Putin" in digest.entities["people"]
    assert "Koo Kab-woo" in digest.entities["people"]
    assert "Vladivostok" in digest.entities["places"]
    assert "University of North Korean Studies" in digest.entities["organisations"]
    assert not set(digest.entities["people"]) & set(digest.entities["places"])
    assert digest.event_date is None and digest.first_published is None


def test_the_digest_does_not_depend_on_input_order(expected: dict[str, Any]) -> None:
    articles = seed_articles(expected)
    forward = build_digest(articles, [seed_group()])
    backward = build_digest(list(reversed(articles)), [seed_group()])
    assert forward.to_dict() == backward.to_dict()


def test_dates_come_from_the_articles(expected: dict[str, Any]) -> None:
    dated = [
        Article(id=a.id, title=a.title, paragraphs=a.paragraphs, published=date)
        for a, date in zip(seed_articles(expected), ("2019-04-25", "2019-04-26", "2019-04-25"))
    ]
    digest = build_digest(dated, [])
    assert (digest.first_published, digest.last_published) == ("2019-04-25", "2019-04-26")
    assert digest.event_date == "2019-04-25"
    # Without copy groups every article stands on its own.
    assert {s.relation for s in digest.sources} == {"independent"}


def test_renderings_show_headline_summary_and_sources(digest: Digest) -> None:
    story = Story(id="s-seeds", articles=SEED_IDS, digest=digest)
    markdown = render_markdown(story)
    assert markdown.startswith("# ")
    assert "Kim" in markdown.splitlines()[0]
    assert "## Summary" in markdown and "## Sources" in markdown
    assert "copy of [1]" in markdown
    page = render_html(story)
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "<h2>Summary</h2>" in page and "<h2>Sources</h2>" in page
    assert digest.summary.split()[0] in page
    for article in SEED_IDS:
        assert article in page


def test_html_escapes_markup_in_story_text() -> None:
    hostile = Article(
        id="x<1>",
        title="Tags <script>alert(1)</script> & more",
        paragraphs=(
            "The committee said the <b>vote</b> on 3 < 4 proposals was delayed again today.",
        ),
    )
    digest = build_digest([hostile], [])
    page = render_html(Story(id="s", articles=("x<1>",), digest=digest))
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;" in page and "3 &lt; 4" in page and "x&lt;1&gt;" in page
    markdown = render_markdown(Story(id="s", articles=("x<1>",), digest=digest))
    assert "<script>" not in markdown


def test_rendering_a_story_without_digest_fails_clearly() -> None:
    with pytest.raises(NewsfoldError, match="no digest"):
        render_markdown(Story(id="s", articles=("a",)))


def test_empty_story_gives_an_empty_digest() -> None:
    digest = build_digest([Article(id="a", reason="no article found")], [])
    assert digest.summary == "" and digest.headline == ""
    assert digest.what_each_adds == {"a": ()}


@pytest.mark.parametrize(
    "bad",
    [
        {"summary_words": 5},
        {"found_containment": 0.0},
        {"redundancy_similarity": 1.5},
        {"min_sentence_words": 10, "max_sentence_words": 5},
        {"position_weight": -1.0},
        {"opening_words": -1},
        {"min_article_relevance": 1.0},
    ],
)
def test_options_are_validated(bad: dict[str, Any]) -> None:
    with pytest.raises(ConfigError):
        DigestOptions(**bad)


def test_a_digest_survives_json_and_renders_the_same(digest: Digest) -> None:
    story = Story(id="s-seeds", articles=SEED_IDS, digest=digest)
    again = Story.from_dict(json.loads(json.dumps(story.to_dict())))
    assert again.digest == digest
    assert render_markdown(again) == render_markdown(story)
    assert render_html(again) == render_html(story)

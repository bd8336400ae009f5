"""A digest a reader can follow: short headlines, grouped summary, attributed quotes, citations."""

from __future__ import annotations

import re

import pytest
from conftest import SEED_IDS

from newsfold.digest import build_digest, render_html, render_markdown
from newsfold.digest.align import article_units
from newsfold.digest.compress import compress
from newsfold.digest.entities import extract_entities
from newsfold.digest.headline import choose_headline, headline_from_sentence
from newsfold.digest.quotes import extract_quotes
from newsfold.digest.select import reading_order
from newsfold.models import Article, Story


def test_compress_drops_connectives_and_asides_but_keeps_short_sentences() -> None:
    assert compress("But the vote (held on Monday) was close.") == "The vote was close."
    assert compress("However, Nunes (R-Calif.) released the memo.") == "Nunes released the memo."
    # Too little would stay: the sentence is kept as it is.
    assert compress("But not now.") == "But not now."
    assert compress("The vote was close.") == "The vote was close."


@pytest.mark.parametrize(
    "sentence",
    [
        (
            "A man is in custody after two of his neighbors were found fatally shot early Sunday "
            "morning, say police in North Texas."
        ),
        (
            "Ancient extraterrestrial civilizations, millions of years older than humanity, would "
            "need enormous amounts of energy."
        ),
        (
            "The chief prosecutor in Hosni Mubarak's trial accused the ousted Egyptian leader on "
            'Tuesday of imposing "tyrannical rule" and devoting the last 10 years of his three '
            "decades in power to ensure his son would succeed him."
        ),
        (
            "Officials said a hacker who calls himself thedarkoverlord has released ten episodes of "
            "the new season online after the streaming company refused to pay a ransom demanded "
            "last month."
        ),
    ],
)
def test_a_headline_cut_from_a_lead_sentence_is_short(sentence: str) -> None:
    headline = headline_from_sentence(sentence)
    assert 4 <= len(headline.split()) <= 14, headline
    assert not headline.endswith((",", ".", " of", " the")), headline
    assert headline[0].isupper()
    # The headline keeps the sentence's opening words: it says what the sentence says.
    assert sentence.split()[0] in headline


def test_a_headline_drops_an_aside_rather_than_the_event() -> None:
    headline = headline_from_sentence(
        "Ancient extraterrestrial civilizations, millions of years older than humanity, would "
        "need enormous amounts of energy."
    )
    assert (
        headline == "Ancient extraterrestrial civilizations would need enormous amounts of energy"
    )


def test_a_real_title_beats_a_cut_sentence_and_a_caption_is_not_a_title() -> None:
    lead = "Kim Jong Un and Vladimir Putin met for the first time in Vladivostok on Thursday."
    caption = Article(
        id="a",
        title="FILE - In this Aug. 11, 2015 file photo, actress Laverne Cox attends a screening",
        paragraphs=(lead,),
    )
    titled = Article(id="b", title="Kim and Putin meet in Vladivostok", paragraphs=(lead,))
    keys = {"a": "a", "b": "b"}
    assert choose_headline([caption, titled], keys, lead) == "Kim and Putin meet in Vladivostok"
    assert choose_headline([caption], {"a": "a"}, lead) == headline_from_sentence(lead)


def test_reading_order_keeps_each_article_together_leading_article_first() -> None:
    first = Article(id="a", paragraphs=("Alpha one is here.", "Alpha two is here.", "Alpha 3."))
    second = Article(id="b", paragraphs=("Beta one is here.", "Beta two is here."))
    units = article_units(first, 3) + article_units(second, 3)
    # Importance order: beta's second sentence, alpha's third, alpha's first, beta's first.
    ranked = [4, 2, 0, 3]
    ordered = [units[i].text for i in reading_order(ranked, units)]
    assert ordered == ["Beta one is here.", "Beta two is here.", "Alpha one is here.", "Alpha 3."]
    led = [units[i].text for i in reading_order(ranked, units, lead=0)]
    assert led[:2] == ["Alpha one is here.", "Alpha 3."]


def test_quotes_take_the_acting_name_and_drop_fragments_of_fuller_quotes() -> None:
    article = Article(
        id="a",
        paragraphs=(
            (
                "In an interview with China's official People's Daily, Putin lashed out at "
                '"countries claiming sole global leadership".'
            ),
            (
                '"I think it will be a very useful meeting, into a more stable and sound one," Kim '
                "said."
            ),
            'Kim called for ties that are "more stable and sound one" in a statement later.',
        ),
    )
    quotes = extract_quotes([article], 4)
    speakers = {q.text: q.speaker for q in quotes}
    assert speakers["countries claiming sole global leadership"] == "Putin"
    assert "more stable and sound one" not in speakers
    assert any(q.speaker == "Kim" and "very useful meeting" in q.text for q in quotes)


def test_entities_merge_initials_and_skip_title_case_runs() -> None:
    article = Article(
        id="a",
        paragraphs=(
            "President Donald Trump said the deal was done.",
            "Donald J. Trump told reporters in Washington that he was pleased.",
            "Related Netflix Hacker Also Claims Theft From Several Studios",
            "The hacker said the files were stolen, police said.",
        ),
    )
    entities = extract_entities([article], [])
    people = entities["people"]
    assert sum(name in people for name in ("Donald Trump", "Donald J. Trump")) == 1
    everything = [n for names in entities.values() for n in names]
    assert not any("Hacker" in name for name in everything), everything


def test_a_bare_quotation_in_the_summary_names_its_speaker() -> None:
    article = Article(
        id="a",
        paragraphs=(
            (
                "The governor defended the budget cuts at a press conference in the capital on "
                "Monday, saying the state had no other choice."
            ),
            '"We have to balance the books this year," Governor Maria Lopez said.',
            (
                '"There is no other way to do it, and the new schools will have to wait for '
                'better times."'
            ),
        ),
    )
    digest = build_digest([article], [])
    bare = [s.text for s in digest.summary_sentences if "no other way" in s.text]
    assert bare == [
        (
            'Maria Lopez: "There is no other way to do it, and the new schools will have to wait '
            'for better times."'
        )
    ]
    assert digest.summary == " ".join(s.text for s in digest.summary_sentences)


def test_renderings_cite_every_summary_sentence_by_source_number(expected: dict) -> None:
    from test_digest import seed_articles, seed_group

    digest = build_digest(seed_articles(expected), [seed_group()])
    story = Story(id="s", articles=SEED_IDS, digest=digest)
    markdown = render_markdown(story)
    summary = markdown.split("## Summary", 1)[1].split("## Sources", 1)[0]
    citations = re.findall(r"\[(\d+(?:, \d+)*)\]", summary)
    assert len(citations) == len(digest.summary_sentences)
    for numbers, sentence in zip(citations, digest.summary_sentences, strict=True):
        cited = {SEED_IDS[int(n) - 1] for n in numbers.split(", ")}
        assert cited == set(sentence.articles)
    assert "1. `000_c8debece95dd983e.txt`: original text" in markdown
    page = render_html(story)
    assert page.count('<sup class="src">') >= len(digest.summary_sentences)
    for n in range(1, len(SEED_IDS) + 1):
        assert f'id="src-{n}"' in page and f'href="#src-{n}"' in page
    assert "copy of [1]: " in page

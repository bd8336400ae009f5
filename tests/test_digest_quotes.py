"""Quote attribution and entity heuristics of the digest, pattern by pattern."""

from __future__ import annotations

import pytest

from newsfold.digest.entities import extract_entities
from newsfold.digest.quotes import extract_quotes
from newsfold.models import Article


def quotes_of(*paragraphs: str) -> list[tuple[str, str | None]]:
    article = Article(id="a", paragraphs=paragraphs)
    return [(q.text, q.speaker) for q in extract_quotes([article], min_words=4)]


@pytest.mark.parametrize(
    ("paragraph", "speaker"),
    [
        ("\u201cWe will not give up on the talks now,\u201d Moon said.", "Moon"),
        ('"We will not give up on the talks now," said Koo Kab-woo, a professor.', "Koo Kab-woo"),
        ("Merkel said she hoped for \u201ca quick and fair agreement with London\u201d.", "Merkel"),
        (
            '"We will not give up on the talks now," Prime Minister Jacinda Ardern told reporters.',
            "Jacinda Ardern",
        ),
        (
            "\u00ab Nous ne renoncerons pas \u00e0 ces n\u00e9gociations \u00bb, a d\u00e9clar\u00e9 Macron.",
            "Macron",
        ),
        (
            "\u201eWir werden die Gespr\u00e4che nicht aufgeben\u201c, sagte Scholz am Montag.",
            "Scholz",
        ),
        ("Cohen: \u201cSays who? Says who? Which polls?\u201d", "Cohen"),
        ("According to Ardern, \u201cthe border will open again next month.\u201d", "Ardern"),
    ],
)
def test_speaker_patterns(paragraph: str, speaker: str) -> None:
    found = quotes_of(paragraph)
    assert len(found) == 1
    assert found[0][1] == speaker


def test_a_quote_continued_in_the_next_paragraph_keeps_its_speaker() -> None:
    found = quotes_of(
        "\u201cThe harvest was the worst in decades,\u201d Mbeki said.",
        "\u201cWe need help from the neighbouring countries before the winter comes.\u201d",
        "Prices of maize have doubled since March, officials said.",
    )
    assert found == [
        ("The harvest was the worst in decades", "Mbeki"),
        ("We need help from the neighbouring countries before the winter comes.", "Mbeki"),
    ]


def test_pronoun_speaker_is_the_last_named_one() -> None:
    found = quotes_of(
        "\u201cThe harvest was the worst in decades,\u201d Mbeki said.",
        "Later in the day the minister visited a farm in the north of the country.",
        "\u201cWe will rebuild the irrigation canals first,\u201d he said.",
    )
    assert found[1] == ("We will rebuild the irrigation canals first", "Mbeki")


def test_scare_quotes_and_unattributed_quotes() -> None:
    found = quotes_of(
        "The so-called \u201cchange up\u201d was not a shake-up.",
        "The sign read \u201cno entry for anyone after dark\u201d in three languages.",
    )
    # Two words are a scare quote, not speech; the sign has no speaker.
    assert found == [("no entry for anyone after dark", None)]


def test_cjk_corner_brackets() -> None:
    found = quotes_of(
        "\u5cb8\u7530\u9996\u76f8\u306f\u300c\u5bfe\u8a71\u3092\u7d9a\u3051\u308b\u300d\u3068\u8ff0\u3079\u305f\u3002"
    )
    assert found == [("\u5bfe\u8a71\u3092\u7d9a\u3051\u308b", None)]


def test_a_copy_repeating_a_quote_lists_it_once() -> None:
    paragraph = "\u201cWe will not give up on the talks now,\u201d Moon said."
    articles = [Article(id="a", paragraphs=(paragraph,)), Article(id="b", paragraphs=(paragraph,))]
    found = extract_quotes(articles, min_words=4)
    assert [(q.article, q.speaker) for q in found] == [("a", "Moon")]


def test_entities_by_context() -> None:
    article = Article(
        id="a",
        paragraphs=(
            "President Emmanuel Macron met workers in Marseille on Monday.",
            "Macron said the plan would be paid for by the European Investment Bank.",
            "The union CGT called a strike, said Sophie Binet, its leader.",
        ),
    )
    entities = extract_entities([article], [])
    assert "Emmanuel Macron" in entities["people"]
    assert "Macron" not in entities["people"]  # merged into the full name
    assert "Sophie Binet" in entities["people"]
    assert "Marseille" in entities["places"]
    assert "European Investment Bank" in entities["organisations"]
    assert "CGT" in entities["organisations"]
    assert all("Monday" not in names and "The" not in names for names in entities.values())


def test_a_second_quote_in_the_paragraph_continues_the_first_speaker() -> None:
    found = quotes_of(
        "\u201cIt was a great move for the whole campaign,\u201d Cohen said. "
        "\u201cBut the campaign was not ready for it back then.\u201d"
    )
    assert [speaker for _, speaker in found] == ["Cohen", "Cohen"]

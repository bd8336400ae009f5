"""Summary selection: what may enter a summary, and how it opens (the main article's lead)."""

from __future__ import annotations

import pytest

from newsfold.digest import DigestOptions, build_digest
from newsfold.digest.align import article_units
from newsfold.digest.select import is_candidate
from newsfold.models import Article

OPTIONS = DigestOptions()


def candidate(text: str) -> bool:
    """Whether ``text``, the second paragraph of an article, may enter a summary.

    (Not the first: a first paragraph loses what looks like a dateline, "Correction: ".)
    """
    article = Article(id="a", paragraphs=("The council met on Monday to vote.", text))
    _first, unit = article_units(article, OPTIONS.shingle_size)
    return is_candidate(unit, OPTIONS)


@pytest.mark.parametrize(
    "text",
    [
        # Undecodable characters turned into question marks by the scraper.
        "The Committee voted to disclose the memorandum containing classi?ed information today.",
        # A line of a PDF cut mid-aside.
        "President for declassification and public release); the report was later amended.",
        # A note about the page, not the story.
        "Update, 21 April: Science has learned that the court order has been amended.",
        "Correction: An earlier version of this story misstated the date of the hearing.",
        # Page widgets.
        "\u00d7 Close what is the score and how is it computed for the film?",
        "The interactive transcript could not be loaded.",
        "They are kept in this location for reference and clarity for the Wayback Team.",
    ],
)
def test_page_debris_and_damaged_text_are_not_summary_candidates(text: str) -> None:
    assert not candidate(text)


@pytest.mark.parametrize(
    "text",
    [
        "The White House on Friday declassified a disputed memo on the Russia investigation.",
        "\u201cWe are grateful for an opportunity to litigate the issue,\u201d the group said.",
        "Who will pay for the repairs to the flooded subway lines of the city?",
        "The ruling (the first of its kind) was amended two days later by the court.",
        "$10,000 was left to her son for the care of the dog, the estate papers show.",
        "\u00bfQu\u00e9 pasar\u00e1 con el perro de la actriz tras su muerte en Nueva York?",
        "\u2014 Nous ne partirons pas avant la fin du mois, a dit le maire.",
    ],
)
def test_prose_stays_a_candidate(text: str) -> None:
    assert candidate(text)


# A story told by two reports and a background page. The reports share the event's words; the
# background page repeats its own terms ("habeas corpus") more often than either report.
REPORT = Article(
    id="b-report",
    paragraphs=(
        (
            "Update, 22 April: The court hearing has been moved back from 6 May to 27 May. At that "
            "time, the judge will hear arguments on whether the chimpanzees should remain at the lab."
        ),
        (
            "A New York judge granted two research chimpanzees at Stony Brook University a hearing "
            "on their detention on Monday."
        ),
        (
            "The Nonhuman Rights Project had sued the university to free the chimpanzees Hercules "
            "and Leo and send them to a sanctuary in Florida."
        ),
        "The university said it does not comment on pending litigation.",
        "The judge ordered the university to explain in court why it holds the chimpanzees.",
    ),
)
OTHER = Article(
    id="c-other",
    paragraphs=(
        (
            "Two chimpanzees at Stony Brook University will get their day in court, a New York "
            "judge ruled on Monday."
        ),
        (
            "The Nonhuman Rights Project wants Hercules and Leo moved to a sanctuary in Florida, "
            "its lawyer told reporters."
        ),
        "The university must explain in court why it holds the chimpanzees, the judge ordered.",
    ),
)
ARCHIVE = Article(
    id="a-archive",
    paragraphs=(
        (
            "This collection of outsider-uploaded files is kept here for reference and clarity, "
            "while also being accessible to the general public."
        ),
        "Items may or may not be ingested into the main index of the collection later on.",
    ),
)


def test_the_summary_opens_with_the_lead_of_the_main_report() -> None:
    digest = build_digest([ARCHIVE, OTHER, REPORT], [])
    first = digest.summary_sentences[0]
    # The report whose lead covers what the sources share opens the summary, with its first
    # sentence that is about the story (the update note above it is about the page).
    assert first.articles[0] == "b-report"
    assert first.text.startswith("A New York judge granted two research chimpanzees")
    texts = " ".join(s.text for s in digest.summary_sentences)
    assert "27 May" not in texts and "judge will hear arguments" not in texts
    # The archive notice is off the story: none of its sentences is in the summary.
    assert all(s.articles[0] != "a-archive" for s in digest.summary_sentences)


def test_without_an_opening_the_summary_is_chosen_by_coverage_alone() -> None:
    digest = build_digest([ARCHIVE, OTHER, REPORT], [], DigestOptions(opening_words=0))
    assert digest.summary_sentences
    assert all(s.articles[0] != "a-archive" for s in digest.summary_sentences)


def test_an_off_story_page_is_used_when_it_is_all_there_is() -> None:
    digest = build_digest([ARCHIVE], [])
    assert digest.summary_sentences and digest.summary_sentences[0].articles == ("a-archive",)


def test_the_opening_stays_within_a_small_budget() -> None:
    options = DigestOptions(summary_words=20)
    digest = build_digest([OTHER, REPORT], [], options)
    words = len(digest.summary.split())
    # The first sentence of the main report (19 words) opens it; the next (23 words) would end
    # farther from the budget than stopping does.
    assert digest.summary_sentences[0].articles[0] == "b-report"
    assert 0 < words <= 2 * options.summary_words

"""The settings of the digest stage: a frozen, validated options object."""

from __future__ import annotations

from dataclasses import dataclass

from newsfold.errors import ConfigError


@dataclass(frozen=True, slots=True)
class DigestOptions:
    """Parameters of :func:`newsfold.digest.build_digest`.

    ``summary_words``: the length budget of the summary. Reference summaries of multi-source news
    run 150-300 words (Multi-News: 264 on average, 213 on its 50-story dev sample); ROUGE F1
    rewards a length near the reference. The summary ends with the sentence that brings it
    closest to the budget. On multinews-dev, 210/230/250 words gave ROUGE-1 45.1/45.6/46.1.

    ``shingle_size`` / ``found_containment``: a sentence is *found* in another article when at
    least ``found_containment`` of its word ``shingle_size``-grams occur in that article. Word
    3-grams survive copy-editing (a changed word breaks at most three shingles) while two
    independent write-ups rarely share half the 3-grams of a sentence.

    ``support_similarity``: a looser notion for the summary: a summary sentence is *supported* by
    an article holding a sentence with at least this TF-IDF cosine to it (a paraphrase).

    ``redundancy_similarity``: a candidate summary sentence this similar (cosine) to one already
    chosen is skipped, so that the summary does not repeat itself.

    ``min_sentence_words`` / ``max_sentence_words``: summary candidates outside these bounds are
    skipped (fragments, captions and run-on page debris).

    ``position_weight``: how much an early position in its article raises a sentence's score
    (the first sentence weighs ``1 + position_weight`` times more, decaying with the square root
    of the position); news puts the key facts first. 0 turns position off (-1.3 ROUGE-1 on
    multinews-dev); 2-4 does no better than 1.

    ``opening_words``: the summary opens with the first sentences of the story's main article
    (the one whose lead covers most of what the story's sentences repeat), up to this many words,
    as a digest opens with the lead of one report; the rest of the budget goes to coverage, which
    brings in what the other sources add. 0 leaves the whole summary to coverage. Chosen on half
    A of multinews-dev (bench/digest.py), raw / cleaned docs, ROUGE-2: 0 words 17.2 / 17.6,
    80 17.8 / 17.5, 130 18.4 / 18.2, 160 18.6 / 18.6, 200 18.7 / 18.4, 250 18.8 / 18.3; on the
    held-out half B the opening leaves ROUGE-2 flat (0: 15.5 / 15.0, 160: 15.5 / 15.1) and
    raises ROUGE-L (21.3 / 20.8 from 20.9 / 20.2 without it). A budget below it caps it.

    ``min_article_relevance``: sentences of an article this far off the story (relatedness to
    the other sources, relative to the most related article; see ``select.article_relevance``)
    are not summary candidates: scraped clusters carry archive notices and pages of other
    stories. 0.3 dropped such pages on multinews-dev (+0.1 ROUGE-2) while 0.5 and more began
    to drop real reports.

    ``min_quote_words``: shorter quoted spans are scare quotes or titles, not quoted speech.
    """

    summary_words: int = 250
    shingle_size: int = 3
    found_containment: float = 0.5
    support_similarity: float = 0.35
    redundancy_similarity: float = 0.45
    min_sentence_words: int = 6
    max_sentence_words: int = 70
    position_weight: float = 1.0
    opening_words: int = 160
    min_article_relevance: float = 0.3
    min_quote_words: int = 4

    def __post_init__(self) -> None:
        if not 20 <= self.summary_words <= 2000:
            raise ConfigError(
                f"summary_words must be between 20 and 2000, got {self.summary_words}; "
                "about 150-250 suits a news digest"
            )
        if not 1 <= self.shingle_size <= 8:
            raise ConfigError(f"shingle_size must be between 1 and 8, got {self.shingle_size}")
        for name in ("found_containment", "support_similarity", "redundancy_similarity"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"{name} must be in (0, 1], got {value}")
        if self.min_sentence_words < 1 or self.max_sentence_words < self.min_sentence_words:
            raise ConfigError(
                "min_sentence_words must be >= 1 and max_sentence_words >= min_sentence_words, "
                f"got {self.min_sentence_words} and {self.max_sentence_words}"
            )
        if self.position_weight < 0:
            raise ConfigError(f"position_weight must be >= 0, got {self.position_weight}")
        if self.opening_words < 0:
            raise ConfigError(
                f"opening_words must be >= 0 (0 turns the opening off), got {self.opening_words}"
            )
        if not 0.0 <= self.min_article_relevance < 1.0:
            raise ConfigError(
                f"min_article_relevance must be in [0, 1), got {self.min_article_relevance}"
            )
        if self.min_quote_words < 1:
            raise ConfigError(f"min_quote_words must be >= 1, got {self.min_quote_words}")

"""Settings of the stories stage: feature sizes, similarity weights, the link threshold, time window.

Every default below was chosen on the two labelled sets in ``bench/stories.py`` (ECB+: 982
articles, 86 look-alike events; Multi-News dev: 137 scraped articles, 50 stories) with one value
for both, never per file; the figures quoted are B-cubed F1 from that script.

The Multi-News figures quoted per option were measured on the raw scraped text. The bench now
cleans each page first, as the pipeline does (the default then scores 0.869 on all 137 pages,
0.878 without the 2 pages with no article); on the cleaned pages the threshold (0.14-0.22), the
term/entity weights, ``max_terms``, the idf settings, ``title_repeat``, ``lead_half_words``, the
key settings and a lower merge threshold for the refinement were swept again: none beat the
defaults on Multi-News by more than 0.005 without costing ECB+ (or one of its halves) 0.01 or more.
The remaining Multi-News errors are pages that are pure chrome (archive notices, "Tweet with a
location"), which no similarity places in their story, and write-ups of one story from angles
that share almost no words (similarity under 0.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsfold.errors import ConfigError

# Languages whose word frequencies stand in when an article's language is unknown or not covered
# by wordfreq: a word common in any of them is not evidence of a shared event. Taking the maximum
# over several languages keeps the weight a property of the word alone (no corpus statistics).
FALLBACK_LANGUAGES: tuple[str, ...] = (
    "en",
    "fr",
    "de",
    "es",
    "it",
    "pt",
    "nl",
    "ru",
    "pl",
    "tr",
    "ar",
    "zh",
    "ja",
)


@dataclass(frozen=True, slots=True)
class StoryOptions:
    """Parameters of story grouping; validated on construction.

    Term weights come from a fixed word-frequency table (``wordfreq``), never from the corpus, so
    a pair's decision never changes as other articles arrive (incremental ingest == batch).

    - ``max_terms``: weighted terms kept per article. More terms bring the cosine closer to the
      full-text one but make the features bigger; 60 and 150 scored within 0.01 F1 of each other.
    - ``keys_per_article``: how many of the strongest terms go to the inverted index. Two write-ups
      of one event must share at least one; fewer keys means fewer candidate pairs. 12 keys put
      98% of same-event ECB+ pairs among the candidates while comparing 4% of all pairs.
    - ``key_max_zipf``: only terms rarer than this (zipf) are index keys. Common words
      ("police" 5.3, "arrested" 4.7) have posting lists that grow with the store; without them
      (4.5) ECB+ compares 33% fewer pairs at the same F1 (0.914 vs 0.915; Multi-News 0.882 both).
    - ``idf_ceiling`` / ``idf_floor_zipf`` / ``idf_power``: a word's weight is
      ``(idf_ceiling - max(zipf, idf_floor_zipf)) ** idf_power`` clipped at 0 (zipf = log10 of the
      frequency per billion words in wordfreq's table): the commonest words ("the", zipf 7.7)
      weigh nothing, names weigh most, and an unknown token (zipf 0: a typo, markup debris)
      weighs no more than a word of zipf ``idf_floor_zipf``. A power of 1.5 or 2 (sharper
      contrast towards names) changed F1 by under 0.01, so the plain form is kept.
    - ``title_repeat``: the title counts this many extra times, as an editor's summary of the
      event. 0, 2 and 5 were within 0.015 F1 on ECB+.
    - ``lead_half_words``: an occurrence of a term at word ``p`` of the lead and body counts
      ``h / (h + p)``: the lead carries the event, the tail of a scraped page carries teasers and
      comments. 0 (off) / 100 / 300 gave ECB+ F1 0.912 / 0.916 / 0.915 and Multi-News 0.871 /
      0.876 / 0.882.
    - ``term_weight`` / ``entity_weight`` / ``number_weight``: the mix of the three similarities
      (weighted-term cosine, named-entity cosine, shared-number overlap). Terms alone: ECB+ F1
      0.884; entities alone 0.865; the 0.6/0.3/0.1 mix 0.892 (all without cohesion_ratio).
    - ``threshold``: the similarity at or above which two articles are linked and two groups are
      merged by the refinement. 0.15 / 0.2 / 0.25 / 0.3 gave ECB+ F1 0.87 / 0.89 / 0.90 / 0.88
      and Multi-News 0.87 / 0.87 / 0.85 / 0.82: 0.2 serves both.
    - ``window_days``: when both publication dates are known and further apart than this, the two
      articles are not one event whatever their text says. ``0`` turns the check off. Not measured
      (neither labelled set has publication dates); two weeks covers follow-ups of one event.
    - ``refine``: split each connected component by average-link agglomeration at ``threshold``,
      so that a chain of pairwise links between look-alike events does not merge them. The result
      is a function of the component's member set alone, so incremental == batch holds. Without
      it ECB+ F1 falls from 0.89 to 0.75 (whole topics chain together).
    - ``cohesion_ratio``: in the refinement, two groups merge only if their average similarity
      reaches this share of the looser group's internal average. Look-alike events are each
      tight inside and only loosely alike across. Without the split test below, 0 / 0.5 / 0.6 /
      0.7 gave ECB+ F1 0.89 / 0.89 / 0.91 / 0.89 and Multi-News 0.87 / 0.87 / 0.86 / 0.85; with
      it the split test does most of that work and 0.6 / 0.5 / 0.4 / 0.3 gave odd ECB+ topics
      0.956 / 0.962 / 0.966 / 0.966, Multi-News 0.882 / 0.887 / 0.887 / 0.884.
    - ``split_min_size`` / ``split_terms`` / ``split_common_share`` / ``split_rare_share``: in
      the refinement, two groups of at least ``split_min_size`` articles do not merge when each
      has a term that at least ``split_common_share`` of its members count among their
      ``split_terms`` strongest and at most ``split_rare_share`` of the other group's members
      do: two look-alike events, each with its own actor (Angels vs Red Sox, Jackson vs
      Williams). Chosen on the odd ECB+ topics (0.902 without the test -> 0.966), the even
      topics held out (0.925 -> 0.950; the tie between shares 0.5 and 0.6 on the odd topics was
      broken by the even ones, 0.950 vs 0.936). Neighbours: size 4 or terms 15 lose 0.01-0.04
      on one half. A ``split_min_size`` larger than any story turns the test off.
    - ``topic_threshold``: the average similarity of story centroids at or above which two
      stories share a topic (``topics_from_stories``). Topic-level B-cubed F1 on ECB+ (gold =
      topic) was flat from 0.08 to 0.15 (0.88-0.93 on either half of the topics); 0.12 sits in
      the middle.
    - ``embed_weight``: the weight of a dense embedding's cosine (all-MiniLM-L6-v2 over title and
      lead, the ``[embed]`` extra, loaded offline) in the similarity mix; 0 (the default) needs
      no model. See ``stories/embed.py`` and the README for what it was measured to do.
    - ``language``: the language assumed when ``Article.lang`` is None; when both are None (or not
      covered by wordfreq) a word's frequency is its highest over ``FALLBACK_LANGUAGES``.
    """

    max_terms: int = 150
    keys_per_article: int = 12
    key_max_zipf: float = 4.5
    idf_ceiling: float = 7.0
    idf_floor_zipf: float = 1.5
    idf_power: float = 1.0
    title_repeat: int = 2
    lead_half_words: int = 300
    term_weight: float = 0.6
    entity_weight: float = 0.3
    number_weight: float = 0.1
    threshold: float = 0.2
    window_days: int = 14
    refine: bool = True
    cohesion_ratio: float = 0.4
    split_min_size: int = 5
    split_terms: int = 10
    split_common_share: float = 0.5
    split_rare_share: float = 0.1
    language: str | None = None
    topic_threshold: float = 0.12
    embed_weight: float = 0.0

    def __post_init__(self) -> None:
        if self.max_terms < 1:
            raise ConfigError(f"max_terms must be at least 1, got {self.max_terms}")
        if not 1 <= self.keys_per_article <= self.max_terms:
            raise ConfigError(
                f"keys_per_article must be between 1 and max_terms ({self.max_terms}), "
                f"got {self.keys_per_article}"
            )
        if self.key_max_zipf <= 0:
            raise ConfigError(f"key_max_zipf must be positive, got {self.key_max_zipf}")
        if self.idf_ceiling <= 0:
            raise ConfigError(f"idf_ceiling must be positive, got {self.idf_ceiling}")
        if not 0 <= self.idf_floor_zipf < self.idf_ceiling:
            raise ConfigError(
                f"idf_floor_zipf must be in [0, idf_ceiling), got {self.idf_floor_zipf}"
            )
        if self.idf_power <= 0:
            raise ConfigError(f"idf_power must be positive, got {self.idf_power}")
        if self.lead_half_words < 0:
            raise ConfigError(
                f"lead_half_words must be 0 (off) or more, got {self.lead_half_words}"
            )
        if self.title_repeat < 0:
            raise ConfigError(f"title_repeat must be 0 or more, got {self.title_repeat}")
        weights = (self.term_weight, self.entity_weight, self.number_weight)
        if any(w < 0 for w in weights) or sum(weights) <= 0:
            raise ConfigError(
                "term_weight, entity_weight and number_weight must be >= 0 with a positive sum, "
                f"got {weights}"
            )
        if not 0 < self.threshold <= 1:
            raise ConfigError(f"threshold must be in (0, 1], got {self.threshold}")
        if self.split_min_size < 1 or self.split_terms < 1:
            raise ConfigError(
                "split_min_size and split_terms must be at least 1, "
                f"got {self.split_min_size} and {self.split_terms}"
            )
        if not 0 <= self.split_rare_share < self.split_common_share <= 1:
            raise ConfigError(
                "need 0 <= split_rare_share < split_common_share <= 1, "
                f"got {self.split_rare_share} and {self.split_common_share}"
            )
        if not 0 <= self.embed_weight <= 1:
            raise ConfigError(f"embed_weight must be in [0, 1], got {self.embed_weight}")
        if not 0 < self.topic_threshold <= 1:
            raise ConfigError(f"topic_threshold must be in (0, 1], got {self.topic_threshold}")
        if not 0 <= self.cohesion_ratio <= 1:
            raise ConfigError(f"cohesion_ratio must be in [0, 1], got {self.cohesion_ratio}")
        if self.window_days < 0:
            raise ConfigError(f"window_days must be 0 (off) or more, got {self.window_days}")

"""Benchmark incremental story linking at scale: 100k and 1M stored articles grown from real ones.

Usage: python bench/stories_scale.py [DATA_DIR] [--sizes 100000 1000000] [--arrivals 2000]
       [--per-day 3000]   (with newsfold importable: ``pip install -e .`` or ``PYTHONPATH=src``)

The real articles of ECB+ and Multi-News dev (DATA_DIR, default ../shared/data) are grown into a
synthetic stream: article ``i`` is real article ``i mod R`` re-instanced as a new event of
"family" ``i div R``: every word rarer than ``--rename-zipf`` (default 4.5, the rarity below
which a word can be an index key) and every number gets the family's suffix, so each family
reports other events of the same kinds with other actors, while common words stay shared by the
whole stream. Articles are dated in arrival order, ``--per-day`` a day. The default is the
favourable case for posting lists (no key word recurs across families); ``--rename-zipf 3.5``
keeps the mid-frequency words ("quake", "rehab", "hijacking") shared by all families, a harsh
case (every family repeats the same look-alike events with the same wording, within days).

The store is simulated in memory: an inverted index (``stories.TermIndex``, term -> slot -> ids) and the features,
regenerated on demand from the real article and the family (a stand-in for a store read, timed
apart). After ``size`` articles are stored, ``--arrivals`` more arrive one at a time, each doing
what ``index.py`` does per article: ``index_keys``, look up the stored candidates, ``linked``
for each, store its keys. Prints articles/s per stage, candidates per arrival, the largest
posting lists, and memory (peak resident set).
Feature extraction is timed on the real articles (it does not depend on the store size), the
Multi-News ones cleaned as in the pipeline (``load_multinews``), pages with no article left out.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import load_ecbplus, load_multinews, versions

from newsfold.kernels import describe
from newsfold.stories import (
    StoryFeatures,
    StoryOptions,
    TermIndex,
    index_keys,
    linked,
    story_features,
)
from newsfold.stories import link as link_module
from newsfold.stories.features import languages_of, zipf


# Memoised like ``zipf`` itself: a renamed word stands for a real word, whose look-up the
# pipeline answers from that memo; without it the bench timed a string split and a second call
# per look-up (keys took ~225 us of the ~680 us per arrival).
@lru_cache(maxsize=1 << 20)
def synthetic_zipf(word: str, languages: tuple[str, ...]) -> float:
    """A renamed word ("quake~7") is exactly as rare as the word it stands for ("quake")."""
    return zipf(word.split("~", 1)[0], languages)


START = date(2020, 1, 1)


class Stream:
    """The synthetic stream: article ``i`` is base ``i % R`` as an event of family ``i // R``."""

    def __init__(
        self,
        bases: Sequence[StoryFeatures],
        options: StoryOptions,
        per_day: int,
        rename_zipf: float,
    ) -> None:
        self.bases = bases
        self.per_day = per_day
        # The last few days of articles stay decoded, as a store's page cache would keep them.
        self.features = lru_cache(maxsize=50_000)(self._features)  # type: ignore[method-assign]
        self.rare: list[tuple[frozenset[str], frozenset[str]]] = []
        for base in bases:
            languages = languages_of(base.lang, options)
            self.rare.append(
                (
                    frozenset(t for t, _ in base.terms if zipf(t, languages) < rename_zipf),
                    frozenset(t for t, _ in base.entities if zipf(t, languages) < rename_zipf),
                )
            )

    def features(self, i: int) -> StoryFeatures:
        return self._features(i)

    def _features(self, i: int) -> StoryFeatures:
        base_index, family = divmod(i, len(self.bases))[::-1]
        base = self.bases[base_index]
        rare_terms, rare_names = self.rare[base_index]
        if family:
            suffix = f"~{family}"
            terms = tuple((t + suffix if t in rare_terms else t, w) for t, w in base.terms)
            names = tuple((t + suffix if t in rare_names else t, w) for t, w in base.entities)
            numbers = tuple(n + suffix for n in base.numbers)
        else:
            terms, names, numbers = base.terms, base.entities, base.numbers
        published = (START + timedelta(days=i // self.per_day)).isoformat()
        return StoryFeatures(
            terms=terms, entities=names, numbers=numbers, published=published, lang=base.lang
        )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(stream: Stream, size: int, arrivals: int, options: StoryOptions) -> float:
    """Fill the index with ``size`` articles, time ``arrivals`` more; returns seconds per
    arrival spent on keys, look-up and linking."""
    index = TermIndex()
    start = time.perf_counter()
    for i in range(size):
        index.add(str(i), index_keys(stream.features(i), options)[0])
    fill_seconds = time.perf_counter() - start
    keys_seconds = lookup_seconds = read_seconds = link_seconds = 0.0
    candidates_total = links = 0
    for i in range(size, size + arrivals):
        # The arrival's own features are made before the clock starts: in the pipeline they are
        # computed from its text (timed apart, above), here they are a synthetic rename.
        mine = stream.features(i)
        t0 = time.perf_counter()
        entry, lookup = index_keys(mine, options)
        t1 = time.perf_counter()
        candidates = sorted(int(old) for old in index.candidates(lookup))
        t2 = time.perf_counter()
        stored = [stream.features(old) for old in candidates]
        t3 = time.perf_counter()
        links += sum(linked(mine, other, options) for other in stored)
        index.add(str(i), entry)
        t4 = time.perf_counter()
        keys_seconds += t1 - t0
        lookup_seconds += t2 - t1
        read_seconds += t3 - t2
        link_seconds += t4 - t3
        candidates_total += len(candidates)
    postings = index.postings()
    largest = index.largest(3)
    kernel = keys_seconds + lookup_seconds + link_seconds
    print(
        f"\n== {size:,} stored articles ({len(index):,} key terms, {postings:,} postings; filled at "
        f"{size / fill_seconds:,.0f} articles/s), then {arrivals:,} arrivals one at a time"
    )
    print(
        f"candidates per arrival {candidates_total / arrivals:.1f}, links per arrival "
        f"{links / arrivals:.2f}; largest posting lists "
        + ", ".join(f"{key} {n:,}" for n, key in largest)
    )
    print(
        f"keys + lookup + linked: {arrivals / kernel:,.0f} articles/s "
        f"({1e6 * kernel / arrivals:.0f} us/article: keys {1e6 * keys_seconds / arrivals:.0f}, "
        f"lookup {1e6 * lookup_seconds / arrivals:.0f}, linked {1e6 * link_seconds / arrivals:.0f})"
        f"; simulated store reads {1e6 * read_seconds / arrivals:.0f} us/article"
    )
    print(f"peak resident memory so far {peak_rss_mb():,.0f} MB")
    return kernel / arrivals


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--arrivals", type=int, default=2000)
    parser.add_argument("--per-day", type=int, default=3000, help="synthetic articles per day")
    parser.add_argument("--rename-zipf", type=float, default=4.5)
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    data_dir = Path(args.data_dir) if args.data_dir else root.parent / "shared" / "data"
    if not (data_dir / "ecbplus").is_dir() or not (data_dir / "multinews-dev").is_dir():
        print(
            f"error: labelled data not found in {data_dir} (need ecbplus/ and multinews-dev/)",
            file=sys.stderr,
        )
        return 2
    print(f"versions: {versions()}; {describe()}")
    options = StoryOptions()
    articles = load_ecbplus(data_dir)[0] + load_multinews(data_dir)[0]
    articles = [a for a in articles if a.paragraphs]  # a page with no article has no features
    story_features(articles[0], options)  # load the frequency tables outside the timing
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        bases = [story_features(article, options) for article in articles]
        timings.append(time.perf_counter() - start)
    print(
        f"features of {len(articles)} real articles: {len(articles) / sorted(timings)[1]:,.0f} "
        f"articles/s (median of 3; first pass {len(articles) / timings[0]:,.0f}/s, word-weight "
        f"memo cold)"
    )
    link_module.zipf = synthetic_zipf  # type: ignore[attr-defined]
    stream = Stream(bases, options, args.per_day, args.rename_zipf)
    per_feature = sorted(timings)[1] / len(articles)
    for size in args.sizes:
        per_link = run(stream, size, args.arrivals, options)
        print(
            f"incremental, all in (features + keys + lookup + linked) at {size:,} stored: "
            f"{1 / (per_feature + per_link):,.0f} articles/s on one core"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

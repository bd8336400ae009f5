"""Benchmark the real incremental stories path: ``Index.add`` on a SQLite store holding 100k
(or more) articles, stages ``stories`` only.

Usage: python bench/stories_store.py [DATA_DIR] [--stored 100000] [--arrivals 2000]
       [--batch 100] [--db PATH] [--runs 3]

Where ``bench/stories_scale.py`` times the linking kernels over an in-memory index, this one runs
the code a user runs: pages go through ``Index.add`` (content hashes, articles stored, story
features, inverted-index postings and candidates in SQLite, pair decisions, features and links
written, then the touched stories re-clustered and stored, all in one transaction per batch).
New postings are merged into the term-ordered index in bulk (``Store._merge_fresh_terms``) by
the batch that fills the log of fresh ones: the merges that fall in the arrivals are inside the
timing, and each run prints how many there were and their CPU time. At 100k stored a merge
comes every ~12,000 articles: give ``--arrivals`` enough to include one.
The clean, copies and digest stages are off (each has its own benchmark); pages are real
articles' text, so features are computed from text as in the pipeline.

The corpus is grown from the real articles of ECB+ and Multi-News dev (Multi-News cleaned as in
``bench/stories.py``): page ``i`` is real article ``i mod R`` as a new event of family
``i div R``: every word rarer than zipf 4.5 (the words that can be index keys) gets the
family's letter suffix and every number but a year the family's digits, so each family reports
other events of the same kinds with other names and figures, and common words stay shared by
the whole stream. Pages are dated in arrival order, 3,000 a day, through the input's
``published`` field (so keys are time-slotted as for real news).

The store is filled once (``--stored`` pages, in batches of 1,000; kept in ``--db`` when given,
so later runs skip the fill), then ``--arrivals`` new pages arrive in batches of ``--batch``, on
a copy of the filled store in each run. Prints CPU articles/s of the arrivals (median of
``--runs``), the stories stage's share, the store size and the peak resident memory.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from importlib.metadata import version
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from stories import load_ecbplus, load_multinews

from newsfold import Settings, open_index
from newsfold.kernels import describe
from newsfold.models import Article, Page
from newsfold.stories import StoryOptions, story_features
from newsfold.stories.features import languages_of, zipf

# Words as the story features see them: inner apostrophes and hyphens kept ("n't", "it'd",
# "66-year-old" are one token each, and so renamed as one; renaming their parts left them shared
# by every family).
_WORD = re.compile(r"\w+(?:['\u2019\-]\w+)*")
# Pages are dated in arrival order, PER_DAY a day (as in bench/stories_scale.py), given as the
# input's publication date (the JSONL field ``published``).
START = date(2020, 1, 1)
PER_DAY = 3000
_YEAR = re.compile(r"(?:19|20)\d\d$")
RENAME_ZIPF = 4.5


def _suffix(family: int) -> str:
    letters = []
    while True:
        family, digit = divmod(family, 26)
        letters.append(chr(ord("a") + digit))
        if not family:
            return "q" + "".join(letters)


class Stream:
    """Synthetic pages grown from real articles (see the module docstring)."""

    def __init__(self, articles: Sequence[Article], options: StoryOptions) -> None:
        self.articles = list(articles)
        # Rarity as the index will judge it: the pages reach the stories stage without a
        # language (no clean stage), so the options' language or the fallback tables decide.
        self.languages = languages_of(None, options)

    def page(self, i: int) -> Page:
        family, base = divmod(i, len(self.articles))
        article = self.articles[base]
        parts = [article.title or "", article.standfirst or "", *article.paragraphs]
        text = "\n\n".join(p for p in parts if p)
        if family:
            suffix = _suffix(family)
            digits = str(family)
            languages = self.languages

            def rename(match: re.Match[str]) -> str:
                word = match.group()
                if word.isdigit():
                    # Another event has other figures ("a 66-year-old", "12 dead"); years stay.
                    return word if _YEAR.match(word) else word + digits
                if zipf(word.casefold(), languages) >= RENAME_ZIPF:
                    return word
                return word + suffix

            text = _WORD.sub(rename, text)
        published = (START + timedelta(days=i // PER_DAY)).isoformat()
        return Page(id=f"p{i:08d}", text=text, site=f"site{base % 50}.example", published=published)

    def pages(self, start: int, stop: int) -> Iterator[Page]:
        for i in range(start, stop):
            yield self.page(i)


LANGUAGE = "en"


def _settings(db: Path) -> Settings:
    # The clean stage is off, so no article has a detected language: the corpus's language is
    # given (ECB+ and Multi-News are English), as a user who knows it does; without it every word
    # is looked up in the 13 fallback frequency tables (--language "").
    stories = StoryOptions(language=LANGUAGE or None)
    return Settings(stages=("stories",), db=str(db), batch_size=1000, workers=1, stories=stories)


def fill(stream: Stream, db: Path, stored: int) -> None:
    index = open_index(db, _settings(db))
    try:
        have = index.store.count("articles")
        if have >= stored:
            print(f"store {db}: {have:,} articles already (fill skipped)")
            return
        start = time.perf_counter()
        step = 1000
        for first in range(have, stored, step):
            index.add(list(stream.pages(first, min(stored, first + step))))
            done = min(stored, first + step)
            if done % 10_000 == 0 or done == stored:
                rate = (done - have) / (time.perf_counter() - start)
                print(f"  filled {done:,} articles ({rate:,.0f} articles/s)", flush=True)
    finally:
        index.store.close()


@dataclass
class Arrivals:
    cpu: float  # CPU seconds of the arrivals, merges included
    stories: float  # wall seconds of the stories stage
    merges: int  # merges of the fresh postings into story_terms during the arrivals
    merge_cpu: float  # their CPU seconds (part of ``cpu``)
    fresh: tuple[int, int]  # fresh postings before the arrivals, and the merge threshold


def arrivals(stream: Stream, db: Path, stored: int, count: int, batch: int) -> Arrivals:
    """``count`` new pages in batches of ``batch``: CPU seconds, the stories share, merges."""
    # The synthetic pages are made before the clock starts (renaming looks words up in the
    # frequency tables); the index's first features load its tables outside the timing too.
    batches = [
        list(stream.pages(first, min(stored + count, first + batch)))
        for first in range(stored, stored + count, batch)
    ]
    story_features(stream.articles[0], _settings(db).stories)
    index = open_index(db, _settings(db))
    fresh = index.store.fresh_postings()
    # Merges of the fresh postings (Store._merge_fresh_terms) run at the end of the batch that
    # fills them, inside the timing; they are counted and timed apart as well.
    merges: list[float] = []
    merge = index.store._merge_fresh_terms

    def timed_merge() -> None:
        began = time.process_time()
        merge()
        merges.append(time.process_time() - began)

    index.store._merge_fresh_terms = timed_merge  # type: ignore[method-assign]
    start = time.process_time()
    stories_seconds = 0.0
    for pages in batches:
        report = index.add(pages)
        stories_seconds += report.seconds.get("stories", 0.0)
    elapsed = time.process_time() - start
    index.store.close()
    return Arrivals(elapsed, stories_seconds, len(merges), sum(merges), fresh)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=None)
    parser.add_argument("--stored", type=int, default=100_000)
    parser.add_argument("--arrivals", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", default=None, help="keep the filled store here (reused)")
    parser.add_argument("--language", default="en", help="StoryOptions.language ('' for none)")
    args = parser.parse_args(argv)
    global LANGUAGE
    LANGUAGE = args.language
    root = Path(__file__).resolve().parent.parent
    data_dir = Path(args.data_dir) if args.data_dir else root.parent / "shared" / "data"
    if not (data_dir / "ecbplus").is_dir() or not (data_dir / "multinews-dev").is_dir():
        print(f"error: labelled data not found in {data_dir}", file=sys.stderr)
        return 2
    print(
        f"versions: python {sys.version.split()[0]}, newsfold {version('newsfold')}, "
        f"wordfreq {version('wordfreq')}; {describe()}; language {args.language or 'none'}"
    )
    articles = load_ecbplus(data_dir)[0] + load_multinews(data_dir)[0]
    stream = Stream([a for a in articles if a.paragraphs], _settings(Path("unused")).stories)
    work = Path(tempfile.mkdtemp(prefix="newsfold-stories-store-"))
    try:
        db = Path(args.db) if args.db else work / f"filled-{args.stored}.db"
        fill(stream, db, args.stored)
        size_mb = db.stat().st_size / 2**20
        rates: list[float] = []
        merged = 0
        for run in range(args.runs):
            copy = work / f"run{run}.db"
            shutil.copyfile(db, copy)
            for extra in ("-wal", "-shm"):
                if Path(f"{db}{extra}").exists():
                    shutil.copyfile(f"{db}{extra}", f"{copy}{extra}")
            # The copy's pages reach the disk before the clock starts: else the store's first
            # checkpoint (which syncs the file) writes back the whole copy, gigabytes at 1M,
            # in the arrivals' time.
            os.sync()
            run_ = arrivals(stream, copy, args.stored, args.arrivals, args.batch)
            rates.append(args.arrivals / run_.cpu)
            merged += run_.merges
            print(
                f"  run {run + 1}: {args.arrivals:,} arrivals in batches of {args.batch}: "
                f"{args.arrivals / run_.cpu:,.0f} articles/s (CPU); stories stage "
                f"{1e3 * run_.stories / args.arrivals:.2f} ms/article (wall); "
                f"{run_.merges} merge(s) of fresh postings, {run_.merge_cpu:.2f} s CPU "
                f"(fresh {run_.fresh[0]:,} of {run_.fresh[1]:,} at the start)",
                flush=True,
            )
            copy.unlink()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"\nIndex.add with {args.stored:,} stored articles (store {size_mb:,.0f} MB): "
            f"{statistics.median(rates):,.0f} articles/s incremental on one core "
            f"(median of {args.runs}; runs {', '.join(f'{r:,.0f}' for r in rates)}), "
            f"peak memory {peak:,.0f} MB"
        )
        if not merged:
            print(
                "note: no merge of the fresh postings fell in the arrivals, so the rate leaves "
                "their cost out; give --arrivals more than the merge threshold (in postings, "
                "~12 an article) less the fresh postings at the start to include one"
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

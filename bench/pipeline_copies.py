"""Copy detection as a user runs it: `newsfold run --stages ...` on the syndication benchmark.

    python bench/syndication/build.py /tmp/synd --seed 0
    python bench/pipeline_copies.py /tmp/synd [--repeat 3]

Runs the pipeline on the benchmark's raw pages (``pages.jsonl``: real articles in real site
chrome) with ``--stages clean,copies`` and ``--stages copies``, and prints pairwise precision,
recall and F1 of "these two pages carry the same text" against ``gold.jsonl`` (pages of one
family), pages/s (median of ``--repeat`` runs) and the peak memory of this process.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import newsfold
from newsfold import Settings


def same_text_pairs(labels: dict[str, str]) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for page_id, label in labels.items():
        groups[label].append(page_id)
    return {tuple(sorted(p)) for g in groups.values() for p in itertools.combinations(g, 2)}  # type: ignore[misc]


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("corpus", type=Path, help="a folder written by bench/syndication/build.py")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    pages, gold_file = args.corpus / "pages.jsonl", args.corpus / "gold.jsonl"
    if not pages.is_file() or not gold_file.is_file():
        print(f"error: {args.corpus} holds no pages.jsonl/gold.jsonl: build it with "
              "bench/syndication/build.py", file=sys.stderr)
        return 2
    gold = {r["id"]: str(r["family"]) for r in map(json.loads, gold_file.open(encoding="utf-8"))}
    truth = same_text_pairs(gold)
    print(f"newsfold {newsfold.__version__}; {len(gold)} pages, {len(truth)} true pairs")
    print(f"{'stages':<16}{'P':>7}{'R':>7}{'F1':>7}{'pages/s':>10}")
    work = Path(tempfile.mkdtemp(prefix="newsfold-copies-"))
    for stages in (("clean", "copies"), ("copies",)):
        times = []
        for n in range(args.repeat):
            out = work / f"{'-'.join(stages)}-{n}"
            start = time.perf_counter()
            newsfold.run([pages], out, Settings(stages=stages))
            times.append(time.perf_counter() - start)
        records = [json.loads(x) for x in (out / "articles.jsonl").open(encoding="utf-8")]
        predicted = same_text_pairs(
            {r["id"]: r["copy_group"] or "alone:" + r["id"] for r in records if r["id"] in gold}
        )
        hits = len(truth & predicted)
        p = hits / len(predicted) if predicted else 1.0
        r = hits / len(truth) if truth else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        rate = len(records) / statistics.median(times)
        print(f"{','.join(stages):<16}{p:>7.3f}{r:>7.3f}{f:>7.3f}{rate:>10.0f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (ru_maxrss): {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())

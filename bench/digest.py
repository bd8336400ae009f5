"""Benchmark the digest summary on Multi-News (ROUGE-1/2/L F1) beside lead and LexRank baselines.

Usage: python bench/digest.py [DATA_DIR]   (default ../shared/data, relative to the repository)

Each story's docs are flat scraped article texts with web junk left in; each becomes an Article
(paragraphs split at blank lines, or at line breaks when a doc has none). The three summarisers
share one word budget; ROUGE uses the rouge-score package with stemming.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import re
import sys
import time
from collections import Counter
from importlib import metadata
from pathlib import Path

import numpy as np

from newsfold.digest import DigestOptions, build_digest
from newsfold.models import Article
from newsfold.text import sentences, words

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"


def to_article(story_id: str, index: int, doc: str) -> Article:
    blocks = re.split(r"\n\s*\n", doc) if re.search(r"\n\s*\n", doc) else doc.splitlines()
    paragraphs = tuple(" ".join(b.split()) for b in blocks if b.strip())
    return Article(id=f"{story_id}-{index:02d}", paragraphs=paragraphs)


def lead(articles: list[Article], budget: int) -> str:
    """The first article's first ``budget`` words (the lead baseline)."""
    return " ".join(" ".join(articles[0].paragraphs).split()[:budget]) if articles else ""


def lexrank(articles: list[Article], budget: int, threshold: float = 0.1) -> str:
    """LexRank (Erkan & Radev 2004): TF-IDF cosine graph, thresholded, power iteration."""
    units = [s for a in articles for p in a.paragraphs for s in sentences(p) if words(s)]
    if not units:
        return ""
    tokens = [words(s) for s in units]
    vocabulary = {w: i for i, w in enumerate(sorted({w for t in tokens for w in t}))}
    tf = np.zeros((len(units), len(vocabulary)))
    for row, sentence_tokens in enumerate(tokens):
        for word, count in Counter(sentence_tokens).items():
            tf[row, vocabulary[word]] = count
    idf = np.log(len(units) / (tf > 0).sum(axis=0))
    matrix = tf * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms > 0, norms, 1.0)
    similarity = matrix @ matrix.T
    adjacency = (similarity > threshold).astype(float)
    degree = adjacency.sum(axis=1, keepdims=True)
    transition = adjacency / np.where(degree > 0, degree, 1.0)
    n = len(units)
    rank = np.full(n, 1.0 / n)
    for _ in range(100):
        rank = 0.15 / n + 0.85 * transition.T @ rank
    chosen: list[int] = []
    total = 0
    for i in sorted(range(n), key=lambda k: (-rank[k], k)):
        if total >= budget:
            break
        if any(similarity[i, j] > 0.9 for j in chosen):
            continue
        chosen.append(i)
        total += len(units[i].split())
    return " ".join(units[i] for i in sorted(chosen))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only the first N stories")
    parser.add_argument(
        "--words", type=int, default=0, help="summary budget (default: DigestOptions default)"
    )
    args = parser.parse_args()
    path = args.data / "multinews-dev" / "clusters.jsonl"
    if not path.is_file():
        print(
            f"error: {path} not found; pass the data folder (with multinews-dev/) as DATA_DIR",
            file=sys.stderr,
        )
        return 1
    try:
        from rouge_score import rouge_scorer
    except ImportError:
        print(
            "error: the benchmark needs rouge-score: pip install 'newsfold[bench]'", file=sys.stderr
        )
        return 1
    stories = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if args.limit:
        stories = stories[: args.limit]
    options = DigestOptions(summary_words=args.words) if args.words else DigestOptions()
    budget = options.summary_words
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)
    systems = ("newsfold", "lead", "lexrank")
    scores: dict[str, list[tuple[float, float, float]]] = {s: [] for s in systems}
    lengths: dict[str, list[int]] = {s: [] for s in systems}
    digest_seconds = 0.0
    for story in stories:
        articles = [to_article(story["id"], i, d) for i, d in enumerate(story["docs"])]
        started = time.perf_counter()
        summary = build_digest(articles, [], options).summary
        digest_seconds += time.perf_counter() - started
        outputs = {
            "newsfold": summary,
            "lead": lead(articles, budget),
            "lexrank": lexrank(articles, budget),
        }
        for system, text in outputs.items():
            result = scorer.score(story["summary"], text)
            scores[system].append(
                (result["rouge1"].fmeasure, result["rouge2"].fmeasure, result["rougeL"].fmeasure)
            )
            lengths[system].append(len(text.split()))

    versions = {name: _version(name) for name in ("newsfold", "numpy", "rouge-score")}
    print(
        f"python {platform.python_version()}, " + ", ".join(f"{k} {v}" for k, v in versions.items())
    )
    print(f"multinews-dev: {len(stories)} stories, budget {budget} words, ROUGE F1 x100 (stemmed)")
    print(f"{'system':<10} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'words':>6}")
    for system in systems:
        mean = np.mean(np.asarray(scores[system]), axis=0) * 100
        print(
            f"{system:<10} {mean[0]:6.2f} {mean[1]:6.2f} {mean[2]:6.2f} {np.mean(lengths[system]):6.0f}"
        )
    print(f"newsfold digest: {len(stories) / digest_seconds:.1f} stories/s")
    # Time for a 20-article story: the first 20 docs of the set taken as one story.
    docs = [d for story in stories for d in story["docs"]][:20]
    big = [to_article("big", i, d) for i, d in enumerate(docs)]
    started = time.perf_counter()
    build_digest(big, [], options)
    elapsed = time.perf_counter() - started
    print(f"20-article story ({sum(len(d.split()) for d in docs)} words): {elapsed:.2f} s")
    return 0 if not math.isnan(float(np.mean(scores["newsfold"]))) else 1


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "(not installed)"


if __name__ == "__main__":
    raise SystemExit(main())

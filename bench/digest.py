"""Benchmark the digest summary on Multi-News (ROUGE-1/2/L F1) beside lead and LexRank baselines.

Usage: python bench/digest.py [DATA_DIR] [--inputs raw|clean|both] [--words N] [--limit N]
(DATA_DIR defaults to ../shared/data, relative to the repository)

Each story's docs are flat scraped article texts with web junk left in. "raw": each doc becomes
an Article as it is (paragraphs split at blank lines, or at line breaks when a doc has none);
"clean": each doc goes through newsfold's clean stage first, as in the pipeline. The three
summarisers share one word budget; ROUGE uses the rouge-score package with stemming. Scores are
given for the even stories (half A, on which settings were tuned), the odd ones (half B, held
out) and all 50, with the standard errors that say how much of a difference is noise.
"""

from __future__ import annotations

import argparse
import json
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


def cleaned_articles(story_id: str, docs: list[str]) -> list[Article]:
    """The docs as the pipeline sees them: through the clean stage (chrome removed)."""
    from newsfold.clean import clean_text

    out = []
    for i, doc in enumerate(docs):
        article = clean_text(doc, id=f"{story_id}-{i:02d}")
        if article.paragraphs:
            out.append(article)
    return out or [to_article(story_id, 0, docs[0])]


def _row(name: str, rows: np.ndarray) -> str:
    """R-1/R-2/R-L means over the stories of each half and all, and the mean length."""
    cells = []
    for part in (rows[0::2], rows[1::2], rows):
        mean = part[:, :3].mean(axis=0) * 100
        cells.append(f"{mean[0]:5.2f} {mean[1]:5.2f} {mean[2]:5.2f}")
    return f"{name:<9} " + " | ".join(cells) + f" | {rows[:, 3].mean():4.0f}"


def _spread(rows: dict[str, list[tuple[float, float, float, int]]]) -> str:
    """The noise of 50 stories: standard errors of newsfold's mean ROUGE-2 and of its lead.

    A change to the method moves single stories by several points, so a mean that moves by less
    than about one standard error of the paired difference tells nothing.
    """
    ours = np.asarray(rows["newsfold"], dtype=float)[:, 1] * 100
    cells = [f"s.e. of newsfold R-2 {ours.std(ddof=1) / np.sqrt(len(ours)):.2f}"]
    for system in ("lead", "lexrank"):
        difference = ours - np.asarray(rows[system], dtype=float)[:, 1] * 100
        cells.append(
            f"minus {system} {difference.mean():+.2f} "
            f"(s.e. {difference.std(ddof=1) / np.sqrt(len(difference)):.2f})"
        )
    return "ROUGE-2 over all stories: " + ", ".join(cells)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--limit", type=int, default=0, help="only the first N stories")
    parser.add_argument(
        "--words", type=int, default=0, help="summary budget (default: DigestOptions default)"
    )
    parser.add_argument(
        "--inputs",
        choices=("raw", "clean", "both"),
        default="both",
        help="raw docs, docs through newsfold's clean stage (what the pipeline digests), or both",
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
    versions = {name: _version(name) for name in ("newsfold", "numpy", "rouge-score")}
    print(
        f"python {platform.python_version()}, " + ", ".join(f"{k} {v}" for k, v in versions.items())
    )
    print(
        f"multinews-dev: {len(stories)} stories, budget {budget} words, ROUGE F1 x100 (stemmed); "
        "half A = even stories (settings were tuned on A), half B = odd stories (held out)"
    )
    inputs = ("raw", "clean") if args.inputs == "both" else (args.inputs,)
    systems = ("newsfold", "lead", "lexrank")
    for kind in inputs:
        rows: dict[str, list[tuple[float, float, float, int]]] = {s: [] for s in systems}
        digest_seconds = 0.0
        for story in stories:
            if kind == "raw":
                articles = [to_article(story["id"], i, d) for i, d in enumerate(story["docs"])]
            else:
                articles = cleaned_articles(story["id"], story["docs"])
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
                rows[system].append(
                    (
                        result["rouge1"].fmeasure,
                        result["rouge2"].fmeasure,
                        result["rougeL"].fmeasure,
                        len(text.split()),
                    )
                )
        print()
        print(f"inputs: {kind} docs" + (" (newsfold.clean.clean_text)" if kind == "clean" else ""))
        print(
            f"{'system':<9} {'A: R-1   R-2   R-L':<17} | {'B: R-1   R-2   R-L':<17} | "
            f"{'all: R-1 R-2   R-L':<17} | words"
        )
        for system in systems:
            print(_row(system, np.asarray(rows[system], dtype=float)))
        print(_spread(rows))
        print(f"newsfold digest: {len(stories) / digest_seconds:.1f} stories/s")
    # Time for a 20-article story: the first 20 docs of the set taken as one story; the median
    # of five runs (the machine is shared).
    docs = [d for story in stories for d in story["docs"]][:20]
    big = [to_article("big", i, d) for i, d in enumerate(docs)]
    times = []
    for _ in range(5):
        started = time.perf_counter()
        build_digest(big, [], options)
        times.append(time.perf_counter() - started)
    print(
        f"\n20-article story ({sum(len(d.split()) for d in docs)} words): "
        f"{float(np.median(times)):.2f} s (median of 5, one core)"
    )
    return 0


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "(not installed)"


if __name__ == "__main__":
    raise SystemExit(main())

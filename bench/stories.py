"""Benchmark the stories stage against a TF-IDF average-link baseline on labelled data.

Usage: python bench/stories.py [DATA_DIR] [--threshold X] [--no-refine] [--language en]
(with newsfold importable: ``pip install -e .`` or ``PYTHONPATH=src``).

DATA_DIR defaults to ../shared/data (relative to the repository root). Prints, for ECB+ (gold =
subtopic: two look-alike events per topic) and Multi-News dev (gold = story), B-cubed precision,
recall, F1 and the adjusted Rand index for newsfold (one default setting for both sets) and for
the baseline (TF-IDF cosine with corpus IDF, average link, at a fixed threshold and at the best
threshold found on that very set, an optimistic oracle), plus articles per second and the ratios.
Also the candidate recall: the share of same-story pairs that share an index key; the
incremental result (articles arriving one at a time in 5 random orders, each compared with the
stored articles sharing an index key, as ``index.py`` does) against batch; on ECB+ the topic
level (gold = topic); both halves apart (odd / even ECB+ topics, odd / even Multi-News stories:
a check that the one default is not fitted to one half); the package versions.
Multi-News texts go through ``clean_page`` first, as in the pipeline; a page with no article is
in no story (a singleton here), and the scores are also printed without those pages.
No copy groups are given (the copies stage is measured on its own).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

import numpy as np

from newsfold.clean import clean_page
from newsfold.models import Article, Page
from newsfold.stories import (
    StoryFeatures,
    StoryOptions,
    TermIndex,
    candidate_pairs,
    cluster,
    index_keys,
    linked,
    stories_from_links,
    story_features,
    topics_from_stories,
)
from newsfold.text import words

Dataset = tuple[list[Article], dict[str, str]]  # articles, gold label per id


def load_ecbplus(data_dir: Path) -> Dataset:
    articles: list[Article] = []
    gold: dict[str, str] = {}
    with open(data_dir / "ecbplus" / "ecbplus_docs.jsonl", encoding="utf-8") as handle:
        for line in handle:
            doc = json.loads(line)
            articles.append(
                Article(id=doc["doc_id"], title=doc["title"], paragraphs=(doc["text"],))
            )
            gold[doc["doc_id"]] = str(doc["subtopic"])
    return articles, gold


def load_ecb_topics(data_dir: Path) -> dict[str, str]:
    with open(data_dir / "ecbplus" / "ecbplus_docs.jsonl", encoding="utf-8") as handle:
        return {doc["doc_id"]: str(doc["topic"]) for doc in map(json.loads, handle)}


def load_multinews(data_dir: Path, clean: bool = True) -> Dataset:
    """Multi-News dev as the stories stage sees it in the pipeline: each scraped text cleaned.

    ``newsfold run`` cleans every page (``clean_page`` on a flat text page) before the stories
    stage, which then gets the title, standfirst, body and published date the clean stage found,
    or nothing at all for a page with no article. ``clean=False`` feeds the raw text instead
    (its non-empty lines as paragraphs), the setting of earlier measurements.
    """
    articles: list[Article] = []
    gold: dict[str, str] = {}
    with open(data_dir / "multinews-dev" / "clusters.jsonl", encoding="utf-8") as handle:
        for line in handle:
            story = json.loads(line)
            for i, doc in enumerate(story["docs"]):
                article_id = f"{story['id'][:12]}-{i}"
                if clean:
                    articles.append(clean_page(Page(id=article_id, text=doc)))
                else:
                    paragraphs = tuple(p.strip() for p in doc.splitlines() if p.strip())
                    articles.append(Article(id=article_id, paragraphs=paragraphs))
                gold[article_id] = story["id"]
    return articles, gold


def b_cubed(predicted: Sequence[Sequence[str]], gold: dict[str, str]) -> tuple[float, float, float]:
    cluster_of = {m: i for i, members in enumerate(predicted) for m in members}
    pred_members: dict[int, set[str]] = {i: set(m) for i, m in enumerate(predicted)}
    gold_members: dict[str, set[str]] = defaultdict(set)
    for item, label in gold.items():
        gold_members[label].add(item)
    precision = recall = 0.0
    for item, label in gold.items():
        mine = pred_members[cluster_of[item]]
        truth = gold_members[label]
        shared = len(mine & truth)
        precision += shared / len(mine)
        recall += shared / len(truth)
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def adjusted_rand(predicted: Sequence[Sequence[str]], gold: dict[str, str]) -> float:
    cluster_of = {m: i for i, members in enumerate(predicted) for m in members}
    table = Counter((cluster_of[item], label) for item, label in gold.items())

    def pairs(n: int) -> float:
        return n * (n - 1) / 2

    index = sum(pairs(n) for n in table.values())
    rows = sum(pairs(n) for n in Counter(cluster_of[i] for i in gold).values())
    cols = sum(pairs(n) for n in Counter(gold.values()).values())
    expected = rows * cols / pairs(len(gold))
    maximum = (rows + cols) / 2
    return (index - expected) / (maximum - expected) if maximum != expected else 1.0


def tfidf_average_link(articles: Sequence[Article], threshold: float) -> list[tuple[str, ...]]:
    """The baseline: TF-IDF (IDF from this corpus) cosine, average-link at ``threshold``."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    vectors = tfidf_matrix(articles)
    similarities = np.clip(vectors @ vectors.T, 0.0, 1.0)
    distances = 1.0 - similarities
    np.fill_diagonal(distances, 0.0)
    tree = linkage(squareform(distances, checks=False), method="average")
    labels = fcluster(tree, t=1.0 - threshold, criterion="distance")
    groups: dict[int, list[str]] = defaultdict(list)
    for article, label in zip(articles, labels):
        groups[int(label)].append(article.id)
    return sorted(tuple(sorted(g)) for g in groups.values())


def tfidf_matrix(articles: Sequence[Article]) -> np.ndarray:
    counts = [Counter(words(f"{a.title or ''}\n{a.body}")) for a in articles]
    vocabulary = {t: i for i, t in enumerate(sorted({t for c in counts for t in c}))}
    document_frequency = Counter(t for c in counts for t in c)
    n = len(articles)
    matrix = np.zeros((n, len(vocabulary)))
    for row, c in enumerate(counts):
        for term, count in c.items():
            idf = math.log((1 + n) / (1 + document_frequency[term])) + 1
            matrix[row, vocabulary[term]] = (1 + math.log(count)) * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def newsfold_stories(articles: Sequence[Article], options: StoryOptions) -> list[tuple[str, ...]]:
    """As the pipeline does: a page with no article (empty body) is in no story; here a singleton."""
    features = {a.id: story_features(a, options) for a in articles if a.paragraphs}
    empty: list[tuple[str, ...]] = [(a.id,) for a in articles if not a.paragraphs]
    return sorted(cluster(features, (), options) + empty)


def without(
    predicted: Sequence[Sequence[str]], gold: dict[str, str], drop: set[str]
) -> tuple[list[tuple[str, ...]], dict[str, str]]:
    """The grouping and the gold with the ``drop`` ids taken out (to score the rest alone)."""
    kept = [tuple(m for m in members if m not in drop) for members in predicted]
    return [m for m in kept if m], {i: label for i, label in gold.items() if i not in drop}


def candidate_recall(
    articles: Sequence[Article], gold: dict[str, str], options: StoryOptions
) -> str:
    features = {a.id: story_features(a, options) for a in articles}
    candidates = set(candidate_pairs(features, options))
    same = [tuple(sorted(p)) for p in combinations(gold, 2) if gold[p[0]] == gold[p[1]]]
    found = sum(p in candidates for p in same)
    total_pairs = len(gold) * (len(gold) - 1) // 2
    return (
        f"candidate recall {found}/{len(same)} = {found / len(same):.3f}; "
        f"{len(candidates)} candidate pairs of {total_pairs} ({len(candidates) / total_pairs:.1%})"
    )


def incremental(
    features: dict[str, StoryFeatures], order: Sequence[str], options: StoryOptions
) -> list[tuple[str, ...]]:
    """What a store builds when articles arrive one at a time in ``order`` (as index.py does)."""
    index = TermIndex()
    links: set[tuple[str, str]] = set()
    for new in order:
        mine = features[new]
        entry, lookup = index_keys(mine, options)
        for old in sorted(index.candidates(lookup)):
            if linked(mine, features[old], options):
                links.add((min(new, old), max(new, old)))
        index.add(new, entry)
    return stories_from_links(features, links, (), options)


def order_report(
    features: dict[str, StoryFeatures],
    gold: dict[str, str],
    batch: list[tuple[str, ...]],
    options: StoryOptions,
    orders: int = 5,
) -> str:
    batch_f1 = b_cubed(batch, gold)[2]
    rng = np.random.default_rng(5)
    f1s: list[float] = []
    identical = 0
    for _ in range(orders):
        order = [str(i) for i in rng.permutation(sorted(features))]
        online = incremental(features, order, options)
        f1s.append(b_cubed(online, gold)[2])
        identical += online == batch
    return (
        f"incremental, {orders} random arrival orders: B3 F1 {min(f1s):.4f}..{max(f1s):.4f}, "
        f"max |online - batch| {max(abs(f - batch_f1) for f in f1s):.4f}, spread across orders "
        f"{max(f1s) - min(f1s):.4f}; identical to batch in {identical}/{orders}"
    )


def topic_report(
    features: dict[str, StoryFeatures],
    stories: list[tuple[str, ...]],
    topic_gold: dict[str, str],
    options: StoryOptions,
) -> str:
    by_id = {members[0]: members for members in stories}
    topics = topics_from_stories(features, by_id, options)
    grouped = [tuple(m for s in topic for m in by_id[s]) for topic in topics]
    p, r, f1 = b_cubed(grouped, topic_gold)
    return (
        f"topics (gold: topic, {len(set(topic_gold.values()))}): {len(topics)} topics, "
        f"B3 P {p:.3f} R {r:.3f} F1 {f1:.3f} ARI {adjusted_rand(grouped, topic_gold):.3f}"
    )


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = [f"python {sys.version.split()[0]}"]
    for name in ("newsfold", "numpy", "scipy", "wordfreq"):
        try:
            out.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            out.append(f"{name} -")
    return ", ".join(out)


def timed(run: Callable[[], list[tuple[str, ...]]]) -> tuple[list[tuple[str, ...]], float]:
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def report(
    name: str,
    dataset: Dataset,
    options: StoryOptions,
    baseline_threshold: float,
    topic_gold: dict[str, str] | None = None,
) -> None:
    articles, gold = dataset
    print(f"\n== {name}: {len(articles)} articles, {len(set(gold.values()))} gold stories")
    # Load the word-frequency tables before timing: a one-off cost per process, not per article.
    story_features(articles[0], options)
    ours, our_seconds = timed(lambda: newsfold_stories(articles, options))
    base, base_seconds = timed(lambda: tfidf_average_link(articles, baseline_threshold))
    best_f1, best_threshold = -1.0, 0.0
    for step in range(1, 20):
        threshold = step / 20
        f1 = b_cubed(tfidf_average_link(articles, threshold), gold)[2]
        if f1 > best_f1:
            best_f1, best_threshold = f1, threshold
    tuned = tfidf_average_link(articles, best_threshold)
    rows = [
        ("newsfold", ours, our_seconds),
        (f"tfidf-avglink@{baseline_threshold}", base, base_seconds),
        (f"tfidf-avglink@{best_threshold} (oracle)", tuned, None),
    ]
    print(
        f"{'method':34} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'ARI':>6} {'stories':>7} {'art/s':>8}"
    )
    scores = {}
    for label, predicted, seconds in rows:
        p, r, f1 = b_cubed(predicted, gold)
        ari = adjusted_rand(predicted, gold)
        scores[label] = f1
        speed = f"{len(articles) / seconds:8.0f}" if seconds else f"{'-':>8}"
        print(f"{label:34} {p:6.3f} {r:6.3f} {f1:6.3f} {ari:6.3f} {len(predicted):7d} {speed}")
    empty = {a.id for a in articles if not a.paragraphs}
    if empty:
        # The pages the clean stage found no article in stay singletons above (a story of their
        # own, costing recall); scored here without them, as if the crawl had not fetched them.
        parts = []
        for label, predicted, _ in rows:
            p, r, f1 = b_cubed(*without(predicted, gold, empty))
            parts.append(f"{label.split(' ')[0]} P {p:.3f} R {r:.3f} F1 {f1:.3f}")
        print(f"without the {len(empty)} pages with no article: " + "; ".join(parts))
    base_f1 = b_cubed(base, gold)[2]
    print(
        f"ratios: F1 newsfold/baseline {b_cubed(ours, gold)[2] / base_f1:.3f}, "
        f"vs oracle {b_cubed(ours, gold)[2] / best_f1:.3f}; speed newsfold/baseline "
        f"{base_seconds / our_seconds:.2f}"
    )
    print(candidate_recall(articles, gold, options))
    start = time.perf_counter()
    features = {a.id: story_features(a, options) for a in articles}
    feature_seconds = time.perf_counter() - start
    start = time.perf_counter()
    cluster(features, (), options)
    cluster_seconds = time.perf_counter() - start
    print(
        f"features {len(articles) / feature_seconds:.0f} articles/s; links + stories "
        f"{len(articles) / cluster_seconds:.0f} articles/s"
    )
    print(order_report(features, gold, ours, options))
    if topic_gold is not None:
        print(topic_report(features, ours, topic_gold, options))
    # Both halves apart (ECB+: odd / even topic numbers; Multi-News: odd / even stories in file
    # order): a check that the one default is not fitted to one half.
    if topic_gold is not None:
        half_of = {i: int(topic) % 2 for i, topic in topic_gold.items()}
    else:
        number = {label: n for n, label in enumerate(dict.fromkeys(gold.values()), 1)}
        half_of = {i: number[label] % 2 for i, label in gold.items()}
    unit = "topics" if topic_gold is not None else "stories"
    for half, label in ((1, "odd"), (0, "even")):
        keep = {a.id for a in articles if half_of[a.id] == half}
        subset = newsfold_stories([a for a in articles if a.id in keep], options)
        p, r, f1 = b_cubed(subset, {i: gold[i] for i in keep})
        print(f"{label} {unit} alone ({len(keep)} articles): B3 P {p:.3f} R {r:.3f} F1 {f1:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=None)
    parser.add_argument("--threshold", type=float, default=None, help="override the link threshold")
    parser.add_argument("--no-refine", action="store_true", help="plain connected components")
    parser.add_argument("--baseline-threshold", type=float, default=0.3)
    parser.add_argument("--language", default=None, help="assume this language (default: unknown)")
    parser.add_argument(
        "--raw-multinews",
        action="store_true",
        help="feed Multi-News texts uncleaned (default: cleaned by clean_page, as the pipeline does)",
    )
    parser.add_argument(
        "--embed-weight", type=float, default=None,
        help="mix in dense embeddings with this weight (needs pip install 'newsfold[embed]')",
    )
    args = parser.parse_args(argv)
    root = Path(__file__).resolve().parent.parent
    data_dir = Path(args.data_dir) if args.data_dir else root.parent / "shared" / "data"
    if not (data_dir / "ecbplus").is_dir() or not (data_dir / "multinews-dev").is_dir():
        print(
            f"error: labelled data not found in {data_dir} (need ecbplus/ and multinews-dev/)",
            file=sys.stderr,
        )
        return 2
    overrides: dict[str, Any] = {}
    if args.threshold is not None:
        overrides["threshold"] = args.threshold
    if args.no_refine:
        overrides["refine"] = False
    if args.language:
        overrides["language"] = args.language
    if args.embed_weight is not None:
        overrides["embed_weight"] = args.embed_weight
    options = StoryOptions(**overrides)
    print(f"versions: {versions()}")
    print(f"options: {options}")
    ecb = load_ecbplus(data_dir)
    report(
        "ECB+ (gold: subtopic)", ecb, options, args.baseline_threshold, load_ecb_topics(data_dir)
    )
    report(
        "Multi-News dev (gold: story)",
        load_multinews(data_dir, clean=not args.raw_multinews),
        options,
        args.baseline_threshold,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

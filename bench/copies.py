"""Benchmark of copy detection: newsfold against datasketch and rensa on synthetic wire copies.

Sources are real articles (ECB+ and Multi-News from the shared data folder). Each source gets a
few "wire copies" made with the edits syndication makes: the end cut off, a paragraph dropped or
added, paragraphs merged or split, words changed, typography retyped, chrome lines left in. The
gold answer: pages made from one source carry the same text. Different write-ups of one event
(ECB+ topics, Multi-News stories) are the hard negatives.

Prints, per method: pages/s (CPU time of shingling, signing, candidates and, for newsfold,
exact verification and paragraph alignment; one process) and pairwise
precision / recall / F1 of "these two pages carry the same text" (pairs within a group).

    .venv/bin/python bench/copies.py [--data ../shared/data] [--copies 3] [--seed 0] [--chrome]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence
from itertools import combinations
from pathlib import Path

from newsfold.copies import CopyIndex, CopyOptions, MemoryCopyStorage, find_copies, group_pairs
from newsfold.copies.unionfind import UnionFind
from newsfold.text import iter_shingles, sentences, words

Doc = tuple[str, list[str]]

CHROME = [
    "Advertisement",
    "Share this article",
    "Read more: Latest news",
    "Follow us on Twitter and Facebook for the latest updates.",
    "Sign up for our newsletter",
]
# What outlets add to a wire story: their own line of context, credit or promotion.
ADDED = [
    "This article was updated with additional details from local officials.",
    "Additional reporting by our correspondent; the agency contributed to this report.",
    "The story is developing and we will update it as more information becomes available.",
    "Readers can send tips and photos to the newsroom through our website or app.",
    "Earlier this week the same officials declined to comment on the matter to this newspaper.",
]
SYNONYMS = {
    "said": "stated",
    "told": "informed",
    "on": "on",
    "the": "the",
    "was": "had been",
    "also": "additionally",
    "after": "following",
    "before": "prior to",
    "but": "however",
}


def load_sources(data: Path) -> list[list[str]]:
    """Real articles as paragraph lists: ECB+ (split into 2-3 sentence paragraphs), Multi-News."""
    sources: list[list[str]] = []
    for line in (data / "ecbplus" / "ecbplus_docs.jsonl").read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        sents = sentences(text)
        sources.append([" ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)])
    for line in (
        (data / "multinews-dev" / "clusters.jsonl").read_text(encoding="utf-8").splitlines()
    ):
        for doc in json.loads(line)["docs"]:
            sources.append([p.strip() for p in doc.split("\n") if p.strip()])
    sources = [s for s in sources if len(" ".join(s).split()) >= 60]
    return distinct(sources)


def distinct(sources: list[list[str]]) -> list[list[str]]:
    """Drop sources that share text with an earlier one, found by brute force (no LSH).

    The corpora hold real copies (one press release in two ECB+ articles, one crawler notice in
    many Multi-News clusters); kept, they would make the gold answer wrong. Any pair with 30% of
    the shorter one's word 5-grams in common counts.
    """
    sets = [set(iter_shingles(words(" ".join(body)), 5)) for body in sources]
    owners: dict[str, list[int]] = {}
    for k, shingles in enumerate(sets):
        for shingle in shingles:
            owners.setdefault(shingle, []).append(k)
    dropped: set[int] = set()
    for k, shingles in enumerate(sets):
        if k in dropped:
            continue
        shared: dict[int, int] = {}
        for shingle in shingles:
            for other in owners[shingle]:
                if other > k:
                    shared[other] = shared.get(other, 0) + 1
        for other, count in shared.items():
            if count >= 0.3 * min(len(shingles), len(sets[other])):
                dropped.add(other)
    return [body for k, body in enumerate(sources) if k not in dropped]


def edit(body: list[str], rng: random.Random) -> list[str]:
    """One wire copy: two or three random edits of the kinds syndication makes."""
    out = list(body)
    for kind in rng.sample(
        ["cut", "drop", "add", "merge", "split", "words", "retype", "chrome"], 3
    ):
        if kind == "cut" and len(out) > 2:
            out = out[: max(2, round(len(out) * rng.uniform(0.5, 0.9)))]
        elif kind == "drop" and len(out) > 3:
            del out[rng.randrange(1, len(out))]
        elif kind == "add":
            out.insert(rng.randrange(len(out) + 1), rng.choice(ADDED))
        elif kind == "merge" and len(out) > 1:
            i = rng.randrange(len(out) - 1)
            out[i : i + 2] = [out[i] + " " + out[i + 1]]
        elif kind == "split":
            i = rng.randrange(len(out))
            sents = sentences(out[i])
            if len(sents) > 1:
                cut = rng.randrange(1, len(sents))
                out[i : i + 1] = [" ".join(sents[:cut]), " ".join(sents[cut:])]
        elif kind == "words":
            out = [
                " ".join(SYNONYMS.get(w, w) if rng.random() < 0.3 else w for w in p.split(" "))
                for p in out
            ]
        elif kind == "retype":
            out = [
                p.replace('"', "\u201c").replace("'", "\u2019").replace(" - ", " \u2014 ")
                for p in out
            ]
        elif kind == "chrome":
            out = [rng.choice(CHROME), *out, rng.choice(CHROME)]
    return out


def load_templates(data: Path) -> list[tuple[list[str], list[str]]]:
    """Real page chrome: the lines before and after the gold body of each zyte-text page.

    One template per site page; pages wrapped in the same template look like one site's pages,
    which share navigation, teasers and footers: the raw-page case where chrome alone can look
    like a copy.
    """
    templates = []
    for gold in sorted((data / "zyte-text" / "gold").glob("*.txt")):
        body = {line.strip() for line in gold.read_text(encoding="utf-8").splitlines()}
        lines = [
            line.strip()
            for line in (data / "zyte-text" / gold.name).read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        inside = [k for k, line in enumerate(lines) if line in body]
        if inside:
            templates.append((lines[: inside[0]], lines[inside[-1] + 1 :]))
    return templates


def make_corpus(
    sources: list[list[str]],
    copies: int,
    seed: int,
    templates: Sequence[tuple[list[str], list[str]]] = (),
) -> tuple[list[Doc], list[int]]:
    rng = random.Random(seed)
    docs: list[Doc] = []
    family: list[int] = []
    for k, body in enumerate(sources):
        versions = [body] + [edit(body, rng) for _ in range(rng.randint(0, copies))]
        for c, version in enumerate(versions):
            if templates:
                before, after = rng.choice(templates)
                version = [*before, *version, *after]
            docs.append((f"s{k:05d}-{c}", version))
            family.append(k)
    return docs, family


def clean_all(docs: list[Doc]) -> list[Doc]:
    """Each page through newsfold's clean stage (untimed): the body it keeps."""
    from newsfold.clean import clean_page
    from newsfold.models import Page

    start = time.process_time()
    cleaned = [
        (doc_id, list(clean_page(Page(id=doc_id, text="\n".join(body))).paragraphs))
        for doc_id, body in docs
    ]
    rate = len(docs) / (time.process_time() - start)
    print(f"cleaned {len(docs)} pages ({rate:.0f} pages/s, not counted below)")
    return cleaned


def pair_scores(
    groups: Sequence[Sequence[str]], gold: dict[str, int]
) -> tuple[float, float, float]:
    predicted = {tuple(sorted(p)) for g in groups for p in combinations(g, 2)}
    by_family: dict[int, list[str]] = {}
    for doc_id, fam in gold.items():
        by_family.setdefault(fam, []).append(doc_id)
    truth = {tuple(sorted(p)) for g in by_family.values() for p in combinations(g, 2)}
    hit = len(predicted & truth)
    precision = hit / len(predicted) if predicted else 1.0
    recall = hit / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run_newsfold(docs: list[Doc]) -> list[tuple[str, ...]]:
    return list(find_copies(docs, CopyOptions()).groups)


def run_newsfold_incremental(docs: list[Doc]) -> list[tuple[str, ...]]:
    index = CopyIndex(MemoryCopyStorage(), CopyOptions())
    return list(group_pairs([pair for doc_id, body in docs for pair in index.add(doc_id, body)]))


def _groups_from_edges(
    ids: Sequence[str], edges: Sequence[tuple[str, str]]
) -> list[tuple[str, ...]]:
    uf = UnionFind[str](ids)
    for a, b in edges:
        uf.union(a, b)
    return [tuple(sorted(g)) for g in uf.groups() if len(g) > 1]


def _shingle_sets(docs: list[Doc]) -> list[list[str]]:
    return [list(set(iter_shingles(words(" ".join(body)), 5))) for _, body in docs]


def run_datasketch(docs: list[Doc]) -> list[tuple[str, ...]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    edges: list[tuple[str, str]] = []
    for (doc_id, _), shingles in zip(docs, _shingle_sets(docs), strict=True):
        signature = MinHash(num_perm=128)
        signature.update_batch([s.encode("utf-8") for s in shingles])
        edges.extend((doc_id, other) for other in lsh.query(signature))
        lsh.insert(doc_id, signature)
    return _groups_from_edges([d for d, _ in docs], edges)


def run_rensa(docs: list[Doc]) -> list[tuple[str, ...]]:
    from rensa import RMinHash, RMinHashLSH

    lsh = RMinHashLSH(threshold=0.5, num_perm=128, num_bands=16)
    edges: list[tuple[str, str]] = []
    for k, shingles in enumerate(_shingle_sets(docs)):
        signature = RMinHash(num_perm=128, seed=1)
        signature.update(shingles)
        edges.extend((docs[k][0], docs[other][0]) for other in lsh.query(signature))
        lsh.insert(k, signature)
    return _groups_from_edges([d for d, _ in docs], edges)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--copies", type=int, default=3, help="up to this many copies per source")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--chrome", action="store_true", help="wrap pages in real site chrome (raw pages)"
    )
    parser.add_argument(
        "--clean", action="store_true", help="run newsfold's clean stage on each page first"
    )
    parser.add_argument(
        "--only",
        choices=["newsfold", "newsfold-incremental", "datasketch", "rensa"],
        action="append",
    )
    args = parser.parse_args(argv)
    if not (args.data / "ecbplus").is_dir():
        print(f"error: no labelled data in {args.data} (pass --data)", file=sys.stderr)
        return 1
    templates = load_templates(args.data) if args.chrome else []
    docs, family = make_corpus(load_sources(args.data), args.copies, args.seed, templates)
    if args.clean:
        docs = clean_all(docs)
    gold = {doc_id: fam for (doc_id, _), fam in zip(docs, family, strict=True)}
    print(
        f"{len(docs)} pages, {len(set(family))} sources, {sum(len(b) for _, b in docs)} paragraphs"
    )
    methods: dict[str, Callable[[list[Doc]], list[tuple[str, ...]]]] = {
        "newsfold": run_newsfold,
        "newsfold-incremental": run_newsfold_incremental,
        "datasketch": run_datasketch,
        "rensa": run_rensa,
    }
    rates: dict[str, float] = {}
    for name in args.only or list(methods):
        # CPU time of this process: the machine is shared, wall time would measure the others.
        start = time.process_time()
        groups = methods[name](docs)
        seconds = time.process_time() - start
        rates[name] = len(docs) / seconds
        precision, recall, f1 = pair_scores(groups, gold)
        print(
            f"{name:10s} {rates[name]:9.0f} pages/s  P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}"
        )
    if "newsfold" in rates:
        for name, rate in rates.items():
            if not name.startswith("newsfold"):
                print(f"newsfold / {name}: {rates['newsfold'] / rate:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""End-to-end benchmark: `newsfold run` and incremental `ingest` on real pages from the data folder.

    python bench/pipeline.py [DATA_DIR] [--repeat 3]

Builds one JSONL corpus from the labelled data (the Zyte pages flattened to text, the ECB+
articles, the Multi-News source pages), runs the whole batch pipeline on it, then ingests the same
pages into a fresh store in four chunks, and prints pages/s, seconds per stage, peak memory and
the story quality of both (B-cubed F1 against the ECB+ events and Multi-News stories). Stories
are rebuilt over the stories a chunk touches (online), so incremental ingest may differ from the
batch run; the difference is printed, and ``--orders K`` also ingests the pages in K random
arrival orders (four chunks each) and prints the spread of B-cubed F1 across them. Medians of
``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import newsfold


def build_corpus(data: Path, out: Path) -> dict[str, str]:
    """Write the corpus JSONL; return gold story labels (id -> label) where known."""
    gold: dict[str, str] = {}
    with open(out, "w", encoding="utf-8") as handle:
        handle.writelines(json.dumps({"id": "zyte-" + path.stem[:16],
                                     "text": path.read_text(encoding="utf-8")}) + "\n" for path in sorted((data / "zyte-text").glob("*.txt")))
        for line in (data / "ecbplus" / "ecbplus_docs.jsonl").read_text("utf-8").splitlines():
            doc = json.loads(line)
            handle.write(json.dumps({"id": doc["doc_id"],
                                     "text": doc["title"] + "\n\n" + doc["text"]}) + "\n")
            gold[doc["doc_id"]] = "ecb-" + str(doc["subtopic"])
        for line in (data / "multinews-dev" / "clusters.jsonl").read_text("utf-8").splitlines():
            story = json.loads(line)
            for n, text in enumerate(story["docs"]):
                page_id = f"mn-{story['id'][:12]}-{n}"
                handle.write(json.dumps({"id": page_id, "text": text}) + "\n")
                gold[page_id] = "mn-" + story["id"]
    return gold


def b_cubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    ids = [i for i in gold if i in pred]
    by_pred: dict[str, set[str]] = defaultdict(set)
    by_gold: dict[str, set[str]] = defaultdict(set)
    for i in ids:
        by_pred[pred[i]].add(i)
        by_gold[gold[i]].add(i)
    precision = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_pred[pred[i]]) for i in ids)
    recall = sum(len(by_pred[pred[i]] & by_gold[gold[i]]) / len(by_gold[gold[i]]) for i in ids)
    p, r = precision / len(ids), recall / len(ids)
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def stories_of(records: list[dict[str, object]]) -> dict[str, str]:
    return {str(r["id"]): str(r["story"] or "none:" + str(r["id"])) for r in records}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default=str(Path(__file__).parents[1] / "../shared/data"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--orders", type=int, default=0,
                        help="also ingest in this many random arrival orders (4 chunks each)")
    args = parser.parse_args()
    data = Path(args.data)
    if not (data / "ecbplus").is_dir():
        print(f"error: no data folder at {data} (pass the shared data folder)", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="newsfold-bench-"))
    corpus = work / "corpus.jsonl"
    gold = build_corpus(data, corpus)
    lines = corpus.read_text(encoding="utf-8").splitlines()
    print(f"newsfold {newsfold.__version__}, python {sys.version.split()[0]}; "
          f"corpus {len(lines)} pages, {corpus.stat().st_size / 1e6:.1f} MB")

    batch_times, stage_times = [], defaultdict(list)
    for n in range(args.repeat):
        start = time.perf_counter()
        report = newsfold.run([corpus], work / f"out{n}")
        batch_times.append(time.perf_counter() - start)
        for stage, seconds in report.seconds.items():
            stage_times[stage].append(seconds)
    batch_records = [json.loads(x) for x in (work / "out0" / "articles.jsonl").open()]

    chunks = [work / f"chunk{i}.jsonl" for i in range(4)]
    for i, path in enumerate(chunks):
        path.write_text("\n".join(lines[i::4]) + "\n", encoding="utf-8")
    inc_times = []
    for n in range(args.repeat):
        db = work / f"inc{n}.db"
        start = time.perf_counter()
        for path in chunks:
            newsfold.ingest([path], db)
        inc_times.append(time.perf_counter() - start)
    index = newsfold.open_index(work / "inc0.db")
    inc_records = list(index.article_records())
    index.store.close()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    batch_pred, inc_pred = stories_of(batch_records), stories_of(inc_records)
    pages = len(lines)
    print(f"{'mode':<22}{'pages/s':>10}{'seconds':>10}{'B3 P':>8}{'B3 R':>8}{'B3 F1':>8}")
    for name, times, pred in (("run (batch)", batch_times, batch_pred),
                              ("ingest (4 chunks)", inc_times, inc_pred)):
        med = statistics.median(times)
        p, r, f = b_cubed(pred, gold)
        print(f"{name:<22}{pages / med:>10.1f}{med:>10.2f}{p:>8.3f}{r:>8.3f}{f:>8.3f}")
    same = sorted(map(sorted, _groups(batch_pred).values())) == sorted(
        map(sorted, _groups(inc_pred).values()))
    batch_f1, inc_f1 = b_cubed(batch_pred, gold)[2], b_cubed(inc_pred, gold)[2]
    print(f"incremental stories identical to batch: {same}; "
          f"B3 F1 difference {abs(batch_f1 - inc_f1):.4f}")
    if args.orders:
        scores = []
        for order in range(args.orders):
            shuffled = list(lines)
            random.Random(order).shuffle(shuffled)
            db = work / f"order{order}.db"
            for i in range(4):
                path = work / f"order{order}-{i}.jsonl"
                path.write_text("\n".join(shuffled[i::4]) + "\n", encoding="utf-8")
                newsfold.ingest([path], db)
            index = newsfold.open_index(db)
            scores.append(b_cubed(stories_of(list(index.article_records())), gold)[2])
            index.store.close()
        print(f"B3 F1 over {args.orders} random arrival orders: min {min(scores):.4f} "
              f"max {max(scores):.4f} (spread {max(scores) - min(scores):.4f}); largest "
              f"difference to batch {max(abs(s - batch_f1) for s in scores):.4f}")
    print("batch seconds per stage (median): " + ", ".join(
        f"{k} {statistics.median(v):.2f}" for k, v in sorted(stage_times.items())))
    print(f"peak memory (ru_maxrss of this process): {peak_mb:.0f} MB")
    return 0


def _groups(pred: dict[str, str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for key, value in pred.items():
        groups[value].append(key)
    return groups


if __name__ == "__main__":
    sys.exit(main())

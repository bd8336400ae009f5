"""Benchmark of copy detection: newsfold against datasketch and rensa, quality, speed and latency.

Three modes, all on corpora made by ``bench/syndication/build.py`` from the shared data (built
into a temporary folder when ``--corpus`` is not given):

    .venv/bin/python bench/copies.py [../shared/data] [--corpus DIR] [--seed 0]
        quality: pairwise precision / recall / F1 of "these two pages carry the same text" on the
        syndication benchmark, on raw pages (as given; newsfold also with each site's repeated
        lines left out, and after newsfold's clean stage) and on the articles alone.
    .venv/bin/python bench/copies.py --speed [--pages 100000] [--runs 3] [--peer-pages 20000]
        throughput, one process per method and run: CPU seconds from reading the JSONL to the
        groups (read, tokenise, sign, index, verify, group; "newsfold" also aligns the paragraphs
        of every pair, "newsfold-lean" does not: the same pairs and groups, explained on demand),
        pages/s, peak memory (ru_maxrss of the child), medians over runs, ratios, versions.
    .venv/bin/python bench/copies.py --breakdown [--lean] [--pages 100000]
        where the time goes: CPU seconds per stage of one newsfold run on the speed corpus.
    .venv/bin/python bench/copies.py --incremental [--stored 100000 1000000] [--queries 200]
        latency of adding one page to a SQLite store holding that many pages' keys.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from importlib.metadata import version
from itertools import combinations
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
Doc = tuple[str, list[str]]


def _ensure_corpus(args: argparse.Namespace, speed: bool = False) -> Path:
    corpus = (
        Path(args.corpus)
        if args.corpus
        else Path(tempfile.gettempdir())
        / (f"newsfold-syndication-{args.seed}" + (f"-speed{args.pages}" if speed else ""))
    )
    wanted = corpus / ("speed.jsonl" if speed else "gold.jsonl")
    if not wanted.exists():
        command = [sys.executable, str(HERE / "syndication" / "build.py"), str(corpus)]
        command += ["--data", str(args.data), "--seed", str(args.seed)]
        if speed:
            command += ["--speed", str(args.pages)]
        subprocess.run(command, check=True)
    return corpus


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


# --- quality -------------------------------------------------------------------------------------


def pair_scores(
    groups: Sequence[Sequence[str]], gold: dict[str, int]
) -> tuple[float, float, float]:
    predicted = {tuple(sorted(p)) for g in groups for p in combinations(g, 2)}
    by_family: dict[int, list[str]] = {}
    for doc_id, family in gold.items():
        by_family.setdefault(family, []).append(doc_id)
    truth = {tuple(sorted(p)) for g in by_family.values() for p in combinations(g, 2)}
    hit = len(predicted & truth)
    precision = hit / len(predicted) if predicted else 1.0
    recall = hit / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _groups_from_edges(
    ids: Sequence[str], edges: Sequence[tuple[str, str]]
) -> list[tuple[str, ...]]:
    from newsfold.copies import UnionFind

    finder = UnionFind[str](ids)
    for a, b in edges:
        finder.union(a, b)
    return [tuple(sorted(g)) for g in finder.groups() if len(g) > 1]


def _shingle_sets(docs: Sequence[Doc]) -> list[list[str]]:
    from newsfold.text import iter_shingles, words

    return [list(set(iter_shingles(words(" ".join(body)), 5))) for _, body in docs]


def run_datasketch(docs: Sequence[Doc], threshold: float = 0.5) -> list[tuple[str, ...]]:
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    edges: list[tuple[str, str]] = []
    for (doc_id, _), shingles in zip(docs, _shingle_sets(docs), strict=True):
        signature = MinHash(num_perm=128)
        signature.update_batch([s.encode("utf-8") for s in shingles])
        edges.extend((doc_id, other) for other in lsh.query(signature))
        lsh.insert(doc_id, signature)
    return _groups_from_edges([d for d, _ in docs], edges)


def run_rensa(docs: Sequence[Doc], threshold: float = 0.5) -> list[tuple[str, ...]]:
    from rensa import RMinHash, RMinHashLSH

    lsh = RMinHashLSH(threshold=threshold, num_perm=128, num_bands=16)
    edges: list[tuple[str, str]] = []
    for k, shingles in enumerate(_shingle_sets(docs)):
        signature = RMinHash(num_perm=128, seed=1)
        signature.update(shingles)
        edges.extend((docs[k][0], docs[other][0]) for other in lsh.query(signature))
        lsh.insert(k, signature)
    return _groups_from_edges([d for d, _ in docs], edges)


def quality(args: argparse.Namespace) -> int:
    from newsfold.backends.local import copies_only, page_paragraphs
    from newsfold.clean import clean_page
    from newsfold.copies import CopyIndex, CopyOptions, MemoryCopyStorage, find_copies, group_pairs
    from newsfold.copies.sitelines import strip_site_chrome
    from newsfold.models import Page

    corpus = _ensure_corpus(args)
    gold = {str(g["id"]): int(g["family"]) for g in _read_jsonl(corpus / "gold.jsonl")}  # type: ignore[call-overload]
    records = _read_jsonl(corpus / "pages.jsonl")
    pages = [Page(id=str(r["id"]), text=str(r["text"]), site=str(r["site"])) for r in records]
    raw: list[Doc] = [(p.id, page_paragraphs(p.text or "")) for p in pages]
    bodies: list[Doc] = [
        (str(r["id"]), list(r["paragraphs"])) for r in _read_jsonl(corpus / "bodies.jsonl")
    ]  # type: ignore[call-overload]
    print(f"{corpus}: {len(pages)} pages, {len(set(gold.values()))} sources")
    start = time.process_time()
    cleaned: list[Doc] = [(p.id, list(clean_page(p).paragraphs)) for p in pages]
    print(
        f"clean stage: {len(pages) / (time.process_time() - start):.0f} pages/s (not counted below)"
    )
    sites = {p.id: p.site for p in pages}
    with_sites = [(doc_id, sites[doc_id], body) for doc_id, body in cleaned]
    options = CopyOptions()
    runs: list[tuple[str, Callable[[], list[tuple[str, ...]]]]] = [
        ("newsfold raw, site lines out", lambda: list(copies_only(pages, options).groups)),
        ("newsfold raw, as given", lambda: list(find_copies(raw, options).groups)),
        ("newsfold clean then copies", lambda: list(find_copies(cleaned, options).groups)),
        (
            "newsfold clean, site lines out",
            lambda: list(find_copies(strip_site_chrome(with_sites), options).groups),
        ),
        ("newsfold articles alone", lambda: list(find_copies(bodies, options).groups)),
        ("datasketch raw", lambda: run_datasketch(raw)),
        ("datasketch articles alone", lambda: run_datasketch(bodies)),
        ("rensa raw", lambda: run_rensa(raw)),
        ("rensa articles alone", lambda: run_rensa(bodies)),
    ]
    for name, method in runs:
        if args.only and not any(word in name for word in args.only):
            continue
        start = time.process_time()
        groups = method()
        seconds = time.process_time() - start
        precision, recall, f1 = pair_scores(groups, gold)
        largest = max((len(g) for g in groups), default=0)
        print(
            f"{name:32s} {len(pages) / seconds:7.0f} pages/s  P {precision:.3f}  R {recall:.3f}  "
            f"F1 {f1:.3f}  largest group {largest}"
        )
    # The incremental index on the same bodies gives the same groups.
    index = CopyIndex(MemoryCopyStorage(), options)
    incremental = group_pairs([pair for doc_id, body in bodies for pair in index.add(doc_id, body)])
    same = incremental == find_copies(bodies, options).groups
    print(f"CopyIndex page by page gives the batch groups: {same}")
    return 0 if same else 1


# --- speed ---------------------------------------------------------------------------------------


def _child(method: str, path: str, limit: int) -> None:
    """One timed run in this process: prints a JSON line with seconds, pages and peak memory.

    newsfold reads the file as a stream (``backends.local.copies_from_jsonl``: parsed once, by
    the compiled reader straight to encoded bodies when the kernels are built, the word hashes
    of candidate pages read back from a temporary file); the peers are given the parsed corpus.
    """
    # Libraries are imported before the clock starts, for every method: importing newsfold
    # (which the peers' shingling uses too) takes ~0.3-0.4 s of interpreter start-up that is no
    # part of processing pages.
    import newsfold.backends.local
    import newsfold.text  # noqa: F401

    if method == "datasketch":
        import datasketch  # noqa: F401
    elif method == "rensa":
        import rensa  # noqa: F401
    start = time.process_time()
    if method.startswith("newsfold"):
        from newsfold.backends.local import copies_from_jsonl

        result = copies_from_jsonl(path, explained=method == "newsfold", limit=limit)
        groups, pairs = len(result.groups), len(result.pairs)
        count = -1  # counted below, outside the timed part
    else:
        docs: list[Doc] = []
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                docs.append((record["id"], record["paragraphs"]))
                if len(docs) >= limit:
                    break
        found = run_datasketch(docs) if method == "datasketch" else run_rensa(docs)
        groups, pairs = len(found), sum(len(g) * (len(g) - 1) // 2 for g in found)
        count = len(docs)
    seconds = time.process_time() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if count < 0:
        with open(path, encoding="utf-8") as handle:
            count = min(limit, sum(1 for line in handle if line.strip()))
    print(
        json.dumps(
            {
                "seconds": seconds,
                "pages": count,
                "peak_mb": peak,
                "groups": groups,
                "pairs": pairs,
            }
        )
    )


def speed(args: argparse.Namespace) -> int:
    corpus = _ensure_corpus(args, speed=True) / "speed.jsonl"
    size = corpus.stat().st_size
    print(f"{corpus}: {args.pages} pages, {size / args.pages / 1000:.1f} KB of JSON per page")
    print(
        "versions: newsfold "
        + version("newsfold")
        + f", numpy {np.__version__}, datasketch {version('datasketch')}, rensa {version('rensa')}"
    )
    rates: dict[str, float] = {}
    # Every child with one OpenBLAS thread: no method here calls BLAS, but numpy's import starts
    # a thread per core that spins ~0.1 s waiting for work, and process CPU time counts it
    # (1-2% of a newsfold run; ``perf``: ``blas_thread_server``). The same for every method.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    for method in args.methods:
        ours = method.startswith("newsfold")
        limit = args.pages if ours else min(args.pages, args.peer_pages)
        results = []
        for _ in range(args.runs if ours else max(1, args.peer_runs)):
            out = subprocess.run(
                [sys.executable, __file__, "--child", method, str(corpus), str(limit)],
                check=True,
                capture_output=True,
                text=True,
                env=env,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        rate = statistics.median(r["pages"] / r["seconds"] for r in results)
        peak = max(r["peak_mb"] for r in results)
        rates[method] = rate
        print(
            f"{method:10s} {limit:7d} pages  {rate:8.0f} pages/s (median of {len(results)}: "
            + ", ".join(f"{r['pages'] / r['seconds']:.0f}" for r in results)
            + f")  peak {peak:.0f} MB  groups {results[0]['groups']}  pairs {results[0]['pairs']}"
        )
    for ours in ("newsfold", "newsfold-lean"):
        if ours in rates:
            for name, rate in rates.items():
                if not name.startswith("newsfold"):
                    print(f"{ours} / {name}: {rates[ours] / rate:.1f}x")
    return 0


# Kernels of the batch driver timed by ``--breakdown``: (module, attribute, stage), in run order.
# With the compiled kernels the file is read in blocks and decoded and encoded by
# ``encoded_block``; ``_read_part`` is what Python still does (all of the JSON decode without
# the kernels).
_STAGES = (
    ("newsfold.copies._kernels", "encoded_block", "lines, JSON decode and encode (compiled)"),
    ("newsfold.backends.local", "_read_part", "JSON decode (Python)"),
    ("newsfold.copies.stage", "read_chunk", "encode, tokenise, shingles, digests"),
    ("newsfold.copies.stage", "read_encoded_chunk", "tokenise, shingles, digests (encoded)"),
    ("newsfold.copies.stage", "SpilledWords.add", "word hashes to the temporary file"),
    ("newsfold.copies.stage", "fingerprint_chunk", "MinHash, band and paragraph keys"),
    ("newsfold.copies.stage", "_candidate_pairs", "candidate pairs from the keys"),
    ("newsfold.copies.stage", "SpilledWords.chunk", "candidate pages rebuilt from word hashes"),
    ("newsfold.copies.stage", "block_counts", "block verification: shingle counts"),
    ("newsfold.copies.stage", "may_interleave", "block verification: interleaving bound"),
    ("newsfold.copies.stage", "verify", "pair by pair: alignment (explained) or fallback"),
    ("newsfold.copies.stage", "_rank_groups", "groups"),
)


def breakdown(args: argparse.Namespace) -> int:
    """CPU time per stage of one ``copies_from_jsonl`` run, in this process: each kernel the
    driver calls is wrapped by a timer (its callees count towards it, not towards "other")."""
    import importlib
    from collections import Counter

    from newsfold.backends.local import copies_from_jsonl

    corpus = _ensure_corpus(args, speed=True) / "speed.jsonl"
    spent: Counter[str] = Counter()

    def timed(function: Callable[..., object], stage: str) -> Callable[..., object]:
        def run(*call_args: object, **call_kwargs: object) -> object:
            begin = time.process_time()
            try:
                return function(*call_args, **call_kwargs)
            finally:
                spent[stage] += time.process_time() - begin

        return run

    for module_name, attribute, stage in _STAGES:
        try:
            owner: object = importlib.import_module(module_name)
        except ImportError:  # the compiled kernels are not built
            continue
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        setattr(owner, name, timed(getattr(owner, name), stage))
    start = time.process_time()
    result = copies_from_jsonl(corpus, explained=not args.lean, limit=args.pages)
    total = time.process_time() - start
    pages = min(args.pages, sum(1 for line in corpus.open(encoding="utf-8") if line.strip()))
    print(f"{corpus}: {pages} pages, explained={not args.lean}, {len(result.pairs)} pairs")
    for _, _, stage in _STAGES:
        print(f"{stage:50s} {spent[stage]:7.2f} s {spent[stage] / pages * 1e6:7.1f} us/page")
    other = total - sum(spent.values())
    print(
        f"{'other (reading lines, ids, pair objects)':50s} {other:7.2f} s {other / pages * 1e6:7.1f} us/page"
    )
    print(
        f"{'total':50s} {total:7.2f} s {total / pages * 1e6:7.1f} us/page = {pages / total:.0f} pages/s"
    )
    return 0


# --- incremental latency -------------------------------------------------------------------------


def incremental(args: argparse.Namespace) -> int:
    """Fill a store with N pages' candidate keys, then time ``CopyIndex.add`` of new pages.

    The filler pages get random 63-bit keys made by SQLite (what band and paragraph keys are, statistically:
    64 band keys plus about 10 paragraph keys each); 2,000 real pages of the speed corpus are
    stored with their articles, and the timed queries are other pages of the same corpus, so
    queries find and verify real copies among the stored pages.
    """
    from newsfold.copies import CopyIndex, CopyOptions
    from newsfold.models import Article
    from newsfold.store.sqlite import Store

    corpus = _ensure_corpus(args, speed=True) / "speed.jsonl"
    records: list[dict[str, object]] = []
    with corpus.open(encoding="utf-8") as handle:
        for line in handle:
            records.append(json.loads(line))
            if len(records) >= 2000 + args.queries:
                break
    options = CopyOptions()
    for stored in args.stored:
        folder = Path(tempfile.mkdtemp(prefix="newsfold-latency-"))
        store = Store(folder / "news.db")
        start = time.time()
        filler = stored - 2000
        with store.batch():
            db = store._db  # the bench fills the tables in bulk; the index reads them as usual
            db.execute("PRAGMA cache_size = -1000000")  # 1 GB of page cache for the bulk fill
            # Random 63-bit keys made by SQLite itself (random() is a 64-bit PRNG), 74 per page.
            db.execute(
                "INSERT OR IGNORE INTO lsh_buckets "
                "WITH RECURSIVE pages(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM pages "
                "WHERE n + 1 < ?), slots(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM slots "
                "WHERE k + 1 < 74) "
                "SELECT random() & 9223372036854775807, printf('f%08d', n) FROM pages, slots "
                "ORDER BY 1",
                (filler,),
            )
            db.execute(
                "INSERT INTO signatures WITH RECURSIVE pages(n) AS (SELECT 0 UNION ALL "
                "SELECT n + 1 FROM pages WHERE n + 1 < ?) "
                "SELECT printf('f%08d', n), x'', 74 FROM pages",
                (filler,),
            )
            index = CopyIndex(store, options)
            for record in records[:2000]:
                paragraphs = tuple(record["paragraphs"])  # type: ignore[arg-type]
                store.put_article(Article(id=str(record["id"]), paragraphs=paragraphs))
                index.add(str(record["id"]), paragraphs)
        fill = time.time() - start
        latencies = []
        found = 0
        index = CopyIndex(store, options)  # a fresh index: no bodies cached from the fill
        for record in records[2000:]:
            paragraphs = tuple(record["paragraphs"])  # type: ignore[arg-type]
            begin = time.perf_counter()
            with store.batch():
                store.put_article(Article(id=str(record["id"]), paragraphs=paragraphs))
                found += len(index.add(str(record["id"]), paragraphs))
            latencies.append(time.perf_counter() - begin)
        milliseconds = np.array(latencies) * 1000
        size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
        keys = store._db.execute("SELECT COUNT(*) FROM lsh_buckets").fetchone()[0]
        print(
            f"{stored:9d} stored pages ({keys} keys, {size_mb:.0f} MB, "
            f"filled in {fill:.0f} s): add one page median {np.median(milliseconds):.2f} ms, "
            f"p95 {np.percentile(milliseconds, 95):.2f} ms, {found} copy pairs found "
            f"over {len(latencies)} queries"
        )
        store.close()
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        _child(argv[1], argv[2], int(argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("data_folder", nargs="?", type=Path, help="same as --data")
    parser.add_argument("--data", type=Path, default=HERE.parents[1] / "shared" / "data")
    parser.add_argument("--corpus", help="a folder written by bench/syndication/build.py")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", action="append", help="quality: methods whose name has this")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--peer-pages", type=int, default=20_000)
    parser.add_argument("--peer-runs", type=int, default=1)
    parser.add_argument(
        "--methods",
        nargs="+",
        default=["newsfold", "newsfold-lean", "rensa", "datasketch"],
        help="newsfold explains every pair; newsfold-lean leaves the paragraph alignment out "
        "(find_copies(explained=False): the same pairs and groups)",
    )
    parser.add_argument(
        "--breakdown", action="store_true", help="speed corpus: CPU time per stage, one run"
    )
    parser.add_argument("--lean", action="store_true", help="breakdown without explanations")
    parser.add_argument("--incremental", action="store_true")
    parser.add_argument("--stored", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    if args.data_folder is not None:
        args.data = args.data_folder
    if not args.corpus and not (args.data / "ecbplus").is_dir():
        print(f"error: no labelled data in {args.data} (pass --data)", file=sys.stderr)
        return 1
    if args.breakdown:
        return breakdown(args)
    if args.speed:
        return speed(args)
    if args.incremental:
        return incremental(args)
    return quality(args)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())

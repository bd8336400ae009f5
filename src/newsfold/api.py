"""The Python API that the CLI and the service call: batch runs, incremental ingest, one page.

>>> from newsfold import run                      # doctest: +SKIP
>>> report = run(["pages/"], "out/")               # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from .clean import SiteLines, SiteLineStats, clean_page
from .config import Settings
from .errors import InputError, NewsfoldError
from .index import Index
from .ingest import check_inputs, read_inputs
from .models import Article, Page, Skip
from .report import RunReport
from .store.sqlite import Store

PathLike = str | os.PathLike[str]
ProgressFactory = Callable[[str], Callable[[int], None]]


def open_index(db: PathLike | None = None, settings: Settings | None = None) -> Index:
    """The incremental index over a store file (created if missing)."""
    settings = settings or Settings()
    return Index(Store(db if db is not None else settings.db), settings)


def ingest(
    inputs: Sequence[PathLike],
    db: PathLike | None = None,
    settings: Settings | None = None,
    *,
    stdin: BinaryIO | None = None,
    progress: Callable[[int], None] | None = None,
) -> RunReport:
    """Read pages and add them to the store; pages already stored change nothing."""
    settings = settings or Settings()
    check_inputs(inputs)
    index = open_index(db, settings)
    try:
        return index.add(_pages(inputs, settings, stdin, progress), None)
    finally:
        index.store.close()


def run(
    inputs: Sequence[PathLike],
    out_dir: PathLike,
    settings: Settings | None = None,
    *,
    stdin: BinaryIO | None = None,
    progress: Callable[[int], None] | None = None,
) -> RunReport:
    """The whole batch pipeline; writes ``articles.jsonl``, ``stories.jsonl``, ``report.json``.

    The batch run uses a private temporary store and the same code as incremental ingest, with
    two differences that only a batch can have: each site's repeated lines are counted over the
    whole input before any page is cleaned, and everything is grouped once at the end (an
    ingest in several runs re-clusters the stories each run touches; ``bench/pipeline.py``
    prints the difference, 0 on the labelled data). With ``stages=("copies",)`` no store is
    used at all (``backends.copies_run``). ``progress`` counts pages as they are processed.
    """
    settings = settings or Settings()
    check_inputs(inputs)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the output folder {out}: {exc.strerror}") from exc
    if settings.stages == ("copies",):
        # Copy detection alone needs no store: one vectorised batch pass over the corpus.
        from .backends.copies_run import run_copies

        report = RunReport()
        records = ({**record, "topic": None}
                   for record in run_copies(_pages(inputs, settings, stdin, progress), settings,
                                            report))
        _write_jsonl(out / "articles.jsonl", records)
        _write_jsonl(out / "stories.jsonl", ())
        _write_json(out / "report.json", report.to_dict())
        return report
    # A private store in a temporary file rather than in memory, so that a large corpus is
    # bounded by disk, not RAM; it is removed with its folder when the run ends.
    with tempfile.TemporaryDirectory(prefix="newsfold-run-") as scratch:
        index = Index(Store(Path(scratch) / "run.db"), settings)
        try:
            if settings.runs("clean") or settings.runs("copies"):
                # Read twice: first every site's line counts over the whole input, so that a
                # page's site chrome is known whatever its place in the input (the pages wait
                # in a temporary file), then the pipeline.
                spill = Path(scratch) / "pages.jsonl"
                site_lines = _spill_counting_sites(_pages(inputs, settings, stdin, None), spill)
                report = index.add(_unspill(spill, progress), None, site_lines=site_lines)
            else:
                report = index.add(_pages(inputs, settings, stdin, progress), None)
            write_outputs(index, out, report)
        finally:
            index.store.close()
    return report


def _spill_counting_sites(items: Iterable[Page | Skip], path: Path) -> SiteLines:
    """Write the items to ``path`` (JSON lines) and count each site's lines over its pages
    (an id given twice counts once, as the store keeps one page per id)."""
    stats = SiteLineStats()
    seen: set[str] = set()
    with open(path, "w", encoding="utf-8") as handle:
        for item in items:
            if isinstance(item, Page):
                if item.id not in seen:
                    seen.add(item.id)
                    stats.update(item.site, item.text)
                record = {"page": item.to_dict()}
            else:
                record = {"skip": item.to_dict()}
            # The readers refuse text UTF-8 cannot encode (lone surrogates), so it writes as is.
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return stats.view()


def _unspill(path: Path, progress: Callable[[int], None] | None) -> Iterator[Page | Skip]:
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if "page" in record:
                yield Page.from_dict(record["page"])
            else:
                yield Skip(**record["skip"])
            if progress is not None:
                progress(1)


def write_outputs(index: Index, out: Path, report: RunReport) -> None:
    """The output contract of DESIGN.md; written to temporary names then renamed into place."""
    stories = index.story_records(with_topics=True) if index.settings.runs("stories") else []
    topic_of = {s["id"]: s.get("topic") for s in stories}
    articles = (
        {**record, "topic": topic_of.get(record["story"])} for record in index.article_records()
    )
    _write_jsonl(out / "articles.jsonl", articles)
    _write_jsonl(out / "stories.jsonl", (_story_out(s) for s in stories))
    _write_json(out / "report.json", report.to_dict())


def _story_out(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "headline": record.get("headline"),
        "topic": record.get("topic"),
        "articles": record["articles"],
        "copy_groups": record.get("copy_groups", []),
        "first_published": record.get("first_published"),
        "last_published": record.get("last_published"),
        "digest": record.get("digest"),
    }


def clean_file(path: PathLike, settings: Settings | None = None) -> Article:
    """One page file (text or HTML) to its article."""
    settings = settings or Settings()
    check_inputs([path])
    for item in read_inputs([path], settings.ingest):
        if isinstance(item, Skip):
            raise NewsfoldError(f"{item.origin}: {item.reason}" + (f" ({item.detail})" if item.detail else ""))
        return clean_page(item, settings.clean)
    raise NewsfoldError(f"{path}: no page found")


def _pages(
    inputs: Sequence[PathLike],
    settings: Settings,
    stdin: BinaryIO | None,
    progress: Callable[[int], None] | None,
) -> Iterator[Page | Skip]:
    for item in read_inputs(inputs, settings.ingest, stdin=stdin or sys.stdin.buffer):
        yield item
        if progress is not None:
            progress(1)


def _write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=False))
            handle.write("\n")
    os.replace(tmp, path)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    os.replace(tmp, path)

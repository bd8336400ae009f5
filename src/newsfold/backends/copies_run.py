"""``newsfold run --stages copies``: copy detection alone over a corpus, in one batch pass.

For corpora that are already clean (LLM-data deduplication) the per-page store of incremental
ingest is not needed: the pages are read once, their texts wait in a temporary file while each
site's repeated lines are counted over the whole corpus, then the batch copies stage
(``copies.find_copies_streamed``, vectorised, verifying candidates in blocks) runs over them
with those lines left out. Memory holds line counts and index keys, never the texts.

The output is what the incremental path writes for the same pages (``api.write_outputs``):
the same records, the same copy group ids (a group is named after its smallest member), the
same skips. Site lines are counted over all pages at once here, where incremental ingest
counts them batch by batch, so a site's first pages may lose their chrome here and not there.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

from newsfold.backends.local import raw_paragraphs
from newsfold.clean import SiteLineStats
from newsfold.config import Settings
from newsfold.copies.stage import CHUNK_BODIES, find_copies_streamed
from newsfold.index import (
    CLEANED_FIELDS,
    compared_text,
    content_hash,
    counted_as_repeat,
    failure_skip,
)
from newsfold.models import Page, Skip
from newsfold.report import RunReport
from newsfold.stable_ids import assign_ids


def run_copies(
    items: Iterable[Page | Skip], settings: Settings, report: RunReport
) -> Iterator[dict[str, Any]]:
    """Find the copies among ``items``; yields one ``articles.jsonl`` record per kept page, in
    input order (after the whole corpus was read and compared), and fills ``report``."""
    with tempfile.TemporaryDirectory(prefix="newsfold-copies-") as scratch:
        spill_path = Path(scratch) / "pages.jsonl"
        with open(spill_path, "w", encoding="utf-8") as spill:
            stats = _read(items, spill, report)
        with report.timed("copies"):
            group_of = _groups(spill_path, stats, settings, report)
        with open(spill_path, encoding="utf-8") as spill:
            for line in spill:
                page_id, site, url, fetched_at, _ = json.loads(line)
                record: dict[str, Any] = {"id": page_id}
                record.update(dict.fromkeys(CLEANED_FIELDS))
                record.update(
                    site=site,
                    url=url,
                    fetched_at=fetched_at,
                    reason=None,
                    copy_group=group_of.get(page_id),
                    story=None,
                )
                yield record


def _read(items: Iterable[Page | Skip], spill: TextIO, report: RunReport) -> SiteLineStats:
    """Each page's paragraphs to the spill file, its lines to its site's counts."""
    hashes: dict[str, str] = {}
    stats = SiteLineStats()
    for item in items:
        report.pages_read += 1
        if isinstance(item, Skip):
            report.skip(item)
            continue
        digest = content_hash(item)
        if counted_as_repeat(item, digest, hashes.get(item.id), report):
            continue
        try:
            paragraphs = raw_paragraphs(item)
        except Exception as exc:  # noqa: BLE001 - reported with its type and message
            report.skip(failure_skip(item, exc))
            continue
        hashes[item.id] = digest
        report.pages_kept += 1
        if not paragraphs:
            report.no_article += 1
        with report.timed("site lines"):
            stats.update(item.site, item.text)
        record = [item.id, item.site, item.url, item.fetched_at, list(paragraphs)]
        spill.write(json.dumps(record, ensure_ascii=False) + "\n")
    return stats


def _groups(
    spill_path: Path, stats: SiteLineStats, settings: Settings, report: RunReport
) -> dict[str, str]:
    """Copy group id of every page with text (singletons included, as the store names them)."""
    site_lines = stats.view()
    compared: list[str] = []

    def chunks() -> Iterator[list[tuple[str, list[str]]]]:
        chunk: list[tuple[str, list[str]]] = []
        with open(spill_path, encoding="utf-8") as spill:
            for line in spill:
                page_id, site, _, _, paragraphs = json.loads(line)
                if not paragraphs:
                    continue
                text = compared_text(paragraphs, site, site_lines, settings.clean.site_min_pages)
                compared.append(page_id)
                chunk.append((page_id, text))
                if len(chunk) >= CHUNK_BODIES:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    result = find_copies_streamed(chunks(), settings.copies, explained=False)
    report.too_short_to_compare += len(result.too_short)
    report.copy_pairs_new += len(result.pairs)
    report.copy_pairs = len(result.pairs)
    report.copy_groups = len(result.groups)
    grouped = {member for group in result.groups for member in group}
    components = sorted(
        [*result.groups, *((page_id,) for page_id in compared if page_id not in grouped)]
    )
    group_of, _ = assign_ids(components, {}, "g")
    return group_of

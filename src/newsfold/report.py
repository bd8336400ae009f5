"""What a run did: pages read, kept, skipped by reason, copies, stories, time per stage."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .models import Skip

# The run report keeps every skip's reason count but lists at most this many skips one by one,
# so that a corpus of millions of bad records cannot blow up the report.
MAX_LISTED_SKIPS = 1000


@dataclass
class RunReport:
    """Counts and timings of one ingest or run; ``to_dict`` is the JSON written beside outputs."""

    # The counts of what one page added, undone with the page when it fails
    # (``Index._add_page_safely``).
    PAGE_COUNTS: ClassVar[tuple[str, ...]] = (
        "pages_kept",
        "no_article",
        "too_short_to_compare",
        "copy_pairs_new",
        "story_links_new",
    )

    pages_read: int = 0
    pages_kept: int = 0
    already_stored: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    skips: list[Skip] = field(default_factory=list)
    no_article: int = 0
    too_short_to_compare: int = 0
    copy_pairs_new: int = 0
    copy_pairs: int = 0
    copy_groups: int = 0
    story_links_new: int = 0
    stories: int = 0
    digests_built: int = 0
    # Stories whose digest failed to build (stored without one): (story id, "Type: message").
    digest_failures: list[tuple[str, str]] = field(default_factory=list)
    digests_failed: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def skip(self, skip: Skip) -> None:
        self.skipped[skip.reason] += 1
        if len(self.skips) < MAX_LISTED_SKIPS:
            self.skips.append(skip)

    def digest_failed(self, story_id: str, detail: str) -> None:
        self.digests_failed += 1
        if len(self.digest_failures) < MAX_LISTED_SKIPS:
            self.digest_failures.append((story_id, detail))

    @contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start

    def to_dict(self) -> dict[str, Any]:
        return {
            "pages": {
                "read": self.pages_read,
                "kept": self.pages_kept,
                "already_stored": self.already_stored,
                "skipped": sum(self.skipped.values()),
                "skipped_by_reason": dict(sorted(self.skipped.items())),
                "no_article_found": self.no_article,
                "too_short_to_compare": self.too_short_to_compare,
            },
            "skips": [s.to_dict() for s in self.skips],
            "copies": {
                "pairs_new": self.copy_pairs_new,
                "pairs": self.copy_pairs,
                "groups": self.copy_groups,
            },
            "stories": {
                "links_new": self.story_links_new,
                "stories": self.stories,
                "digests_built": self.digests_built,
                "digests_failed": self.digests_failed,
                "digest_failures": [
                    {"story": story, "detail": detail} for story, detail in self.digest_failures
                ],
            },
            "seconds": {k: round(v, 4) for k, v in sorted(self.seconds.items())},
        }

    def summary_line(self) -> str:
        skipped = sum(self.skipped.values())
        reasons = ", ".join(f"{r} {n}" for r, n in sorted(self.skipped.items()))
        return (
            f"{self.pages_read} pages read, {self.pages_kept} kept"
            + (f", {self.already_stored} already stored" if self.already_stored else "")
            + (f", {skipped} skipped ({reasons})" if skipped else "")
            + f"; {self.copy_groups} copy groups, {self.stories} stories"
            + (f" ({self.digests_failed} without a digest: it failed)" if self.digests_failed else "")
        )

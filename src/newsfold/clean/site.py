"""Same-site repetition: lines printed on many pages of one site are that site's chrome.

A site prints its menu, its footer, its newsletter prompt, its "About the company" paragraph
and its authors' bios on page after page; an article's paragraphs stand on one page (or on the
few versions of one story). Counting, per site, on how many pages each line appears finds that
chrome without any word list, in any language. Counts are kept per site and never pooled
across sites: the same paragraph on pages of different sites is a syndicated article (a wire
story, a press release), which is body, not chrome.

Lines are keyed by a 64-bit hash of their normalised form (:func:`line_key`), so the counts
are small, stable across processes and can be stored (the pipeline keeps them in the store and
loads them back with :meth:`SiteLineStats.add_counts`).

Use::

    stats = SiteLineStats()
    for page in batch:
        stats.update(page.site, page.text)        # a pre-pass over the batch
    view = stats.view()                           # frozen snapshot
    article = clean_page(page, options, site_stats=view)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import xxhash

from newsfold.errors import ConfigError
from newsfold.text import normalise


def line_key(line: str) -> int:
    """The key of one line: xxh3-64 of its normalised form (case, spaces, quotes folded).

    >>> line_key("  Sign up for our  newsletter ") == line_key("sign up for our newsletter")
    True
    """
    return xxhash.xxh3_64_intdigest(normalise(line).encode("utf-8"))


def page_line_keys(text: str, *, max_lines: int = 20_000) -> frozenset[int]:
    """The distinct keys of a flat page's non-blank lines (each counts once per page)."""
    return frozenset(
        line_key(line) for line in text.split("\n", max_lines)[:max_lines] if line.strip()
    )


@dataclass(frozen=True, slots=True)
class SiteLines:
    """A frozen view of the counts: pages seen per site and pages per line key per site."""

    pages: Mapping[str, int]
    counts: Mapping[str, Mapping[int, int]]
    # ``repeated`` per (site, min_pages, min_share): asked once per page of the site by both
    # clean and copies, while the view (and so the answer) stays the same for a whole batch.
    _memo: dict[tuple[str, int, float], frozenset[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def repeated(self, site: str | None, *, min_pages: int, min_share: float) -> frozenset[int]:
        """Keys of the lines seen on at least ``min_pages`` pages and ``min_share`` of the
        site's pages (the page being cleaned included, when it was counted)."""
        if site is None:
            return frozenset()
        key = (site, min_pages, min_share)
        found = self._memo.get(key)
        if found is None:
            seen = self.pages.get(site, 0)
            counts = self.counts.get(site)
            if not counts or seen < min_pages:
                found = frozenset()
            else:
                floor = max(min_pages, min_share * seen)
                found = frozenset(k for k, count in counts.items() if count >= floor)
            self._memo[key] = found
        return found


@dataclass(slots=True)
class SiteLineStats:
    """Counts, per site, of the pages each line appears on (mutable; see :meth:`view`)."""

    _pages: dict[str, int] = field(default_factory=dict)
    _counts: dict[str, dict[int, int]] = field(default_factory=dict)

    def update(self, site: str | None, text: str | None) -> None:
        """Count one flat page of ``site``. Pages without a site or text are ignored (they
        cannot be told apart from another site's)."""
        if not site or not text:
            return
        self.add_counts(site, 1, dict.fromkeys(page_line_keys(text), 1))

    def add_counts(self, site: str, pages: int, counts: Mapping[int, int]) -> None:
        """Add counts made elsewhere (a stored snapshot, another worker's batch)."""
        if not isinstance(pages, int) or pages < 0:
            raise ConfigError(f"pages must be an integer >= 0, got {pages!r}")
        self._pages[site] = self._pages.get(site, 0) + pages
        mine = self._counts.setdefault(site, {})
        for key, count in counts.items():
            mine[key] = mine.get(key, 0) + count

    def sites(self) -> Iterable[str]:
        return iter(self._pages)

    def view(self) -> SiteLines:
        """A frozen snapshot (later updates do not change it)."""
        return SiteLines(
            pages=MappingProxyType(dict(self._pages)),
            counts=MappingProxyType(
                {site: MappingProxyType(dict(c)) for site, c in self._counts.items()}
            ),
        )

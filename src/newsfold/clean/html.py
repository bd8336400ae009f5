"""HTML -> main text paragraphs and metadata, by trafilatura (text) and htmldate (date)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Extracted:
    """trafilatura's first cut: paragraphs plus the metadata it found."""

    paragraphs: tuple[str, ...]
    title: str | None
    author: str | None
    published: str | None


def _date(html: str, url: str | None) -> str | None:
    import htmldate  # lazy: heavy import, only the HTML path needs it

    # original_date: the publication date, not the last update; no extensive search, which
    # would pick any date written on the page (a header date, a related story's date).
    try:
        found: Any = htmldate.find_date(
            html, url=url, original_date=True, extensive_search=False, outputformat="%Y-%m-%d"
        )
    except Exception:  # noqa: BLE001 - htmldate raises on odd markup; a date is optional
        return None
    return str(found) if found else None


def extract_html(html: str, *, url: str | None = None) -> Extracted | None:
    """The main text of an HTML page as paragraphs, with title, author and date; None if none."""
    import trafilatura  # lazy: heavy import, only the HTML path needs it

    try:
        document: Any = trafilatura.bare_extraction(
            html,
            url=url,
            include_comments=False,
            include_tables=True,
            with_metadata=True,
            deduplicate=False,
        )
    except Exception:  # noqa: BLE001 - a parser failure on hostile markup means no article
        return None
    if document is None:
        return None
    text = getattr(document, "text", None) or ""
    paragraphs = tuple(line.strip() for line in text.split("\n") if line.strip())
    title = getattr(document, "title", None) or None
    author = getattr(document, "author", None) or None
    return Extracted(
        paragraphs=paragraphs,
        title=str(title) if title else None,
        author=str(author) if author else None,
        published=_date(html, url),
    )

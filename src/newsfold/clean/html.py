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


# htmldate's settings, passed through trafilatura (which runs htmldate for its metadata, so
# the page is parsed once): original_date asks for the publication date, not the last update;
# no extensive search, which would take any date written on the page (a header date, a
# related story's date) for the article's.
_DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": False,
    "outputformat": "%Y-%m-%d",
}


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
            date_extraction_params=dict(_DATE_PARAMS, url=url),
        )
    except Exception:  # noqa: BLE001 - a parser failure on hostile markup means no article
        return None
    if document is None:
        return None
    text = getattr(document, "text", None) or ""
    paragraphs = tuple(line.strip() for line in text.split("\n") if line.strip())
    title = getattr(document, "title", None) or None
    author = getattr(document, "author", None) or None
    published = getattr(document, "date", None) or None
    return Extracted(
        paragraphs=paragraphs,
        title=str(title) if title else None,
        author=str(author) if author else None,
        published=str(published)[:10] if published else None,
    )

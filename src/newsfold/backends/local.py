"""The local batch driver: copy detection over a whole corpus in one process, vectorised.

``copies_only`` is what ``newsfold run --stages copies`` needs: pages in (``Page`` objects or
``(id, text)`` pairs), the copies stage's result out. It reads each page's text as given
(blank-line blocks, else lines), leaves out each site's repeated lines when pages carry a site
or a URL (``copies.sitelines``), and runs ``copies.find_copies``, which reads the corpus in
chunks of arrays. Fed the same bodies one at a time, ``CopyIndex`` gives the same groups.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from newsfold.copies import CopyOptions, CopyResult, find_copies
from newsfold.copies.sitelines import MIN_PAGES, strip_site_chrome
from newsfold.models import Page


def page_paragraphs(text: str) -> list[str]:
    """A page's text as given: blank-line blocks, else (one block or none) its lines.

    >>> page_paragraphs("Menu\\nHome\\n\\nFirst  paragraph.\\n\\nSecond.")
    ['Menu Home', 'First paragraph.', 'Second.']
    >>> page_paragraphs("Menu\\nHome\\nOnly lines.")
    ['Menu', 'Home', 'Only lines.']
    """
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n")]
    blocks = [b for b in blocks if b]
    if len(blocks) <= 1:
        blocks = [line.strip() for line in text.splitlines() if line.strip()]
    return [" ".join(b.split()) for b in blocks]


def page_site(page: Page) -> str | None:
    """The page's site: its ``site``, else the host of its URL (``www.`` dropped), else None."""
    if page.site:
        return page.site
    if page.url:
        host = urlsplit(page.url).hostname or ""
        return host.removeprefix("www.") or None
    return None


def _page_text(page: Page) -> str:
    if page.text is not None:
        return page.text
    import trafilatura  # only HTML pages need it

    return trafilatura.html2txt(page.html or "") or ""


def copies_only(
    pages: Iterable[Page | tuple[str, str]],
    options: CopyOptions | None = None,
    *,
    site_chrome: bool = True,
    site_min_pages: int = MIN_PAGES,
) -> CopyResult:
    """Copy groups of raw pages, with every pair explained.

    ``site_chrome``: leave out the lines a site repeats on ``site_min_pages`` or more of its
    pages before comparing (only pages with a site or URL; see ``copies.sitelines``). On the raw
    pages of the syndication benchmark (seed 0) this is the difference between F1 0.486 and
    0.999: shared chrome otherwise makes pages of one site look like copies.
    """
    rows: list[tuple[str, str | None, list[str]]] = []
    for page in pages:
        if isinstance(page, Page):
            rows.append((page.id, page_site(page), page_paragraphs(_page_text(page))))
        else:
            doc_id, text = page
            rows.append((doc_id, None, page_paragraphs(text)))
    if site_chrome and any(site for _, site, _ in rows):
        docs = strip_site_chrome(rows, site_min_pages)
    else:
        docs = [(doc_id, paragraphs) for doc_id, _, paragraphs in rows]
    return find_copies(docs, options)

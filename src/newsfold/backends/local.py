"""The local batch driver: copy detection over a whole corpus in one process, vectorised.

``copies_only`` is what ``newsfold run --stages copies`` needs: pages in (``Page`` objects or
``(id, text)`` pairs), the copies stage's result out. It reads each page's text as given
(blank-line blocks, else lines), leaves out each site's repeated lines when pages carry a site
or a URL (``copies.sitelines``), and runs ``copies.find_copies``, which reads the corpus in
chunks of arrays. Fed the same bodies one at a time, ``CopyIndex`` gives the same groups.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from newsfold.copies import CopyOptions, CopyResult, find_copies
from newsfold.copies.sitelines import MIN_PAGES, strip_site_chrome
from newsfold.copies.stage import CHUNK_BODIES, find_copies_streamed
from newsfold.errors import InputError
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
    explained: bool = True,
) -> CopyResult:
    """Copy groups of raw pages, with every pair explained.

    ``site_chrome``: leave out the lines a site repeats on ``site_min_pages`` or more of its
    pages before comparing (only pages with a site or URL; see ``copies.sitelines``). On the raw
    pages of the syndication benchmark (seed 0) this is the difference between F1 0.486 and
    0.999: shared chrome otherwise makes pages of one site look like copies. ``explained``
    False leaves the paragraph alignment out of the pairs (``find_copies``): the same pairs.
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
    return find_copies(docs, options, explained=explained)


def _record_body(record: object, where: str) -> tuple[str, list[str]]:
    if not isinstance(record, dict) or not isinstance(record.get("id"), str):
        raise InputError(f"{where}: expected a JSON object with a string 'id'")
    paragraphs = record.get("paragraphs")
    if isinstance(paragraphs, list):
        return record["id"], [str(p) for p in paragraphs]
    text = record.get("text")
    if isinstance(text, str):
        return record["id"], page_paragraphs(text)
    raise InputError(f"{where}: give each record 'paragraphs' (a list) or 'text' (a string)")


def copies_from_jsonl(
    path: str | Path,
    options: CopyOptions | None = None,
    *,
    explained: bool = True,
    limit: int | None = None,
) -> CopyResult:
    """Copy groups of the records of a JSON Lines file, read once as a stream.

    Each line is an object with ``id`` and ``paragraphs`` (or ``text``, read as
    ``page_paragraphs``). The file is parsed once, in chunks; the pages of candidate pairs are
    verified from their word hashes kept in a temporary file (``find_copies_streamed``), so
    memory holds keys and one block of pages, never the corpus: on the 100k-page speed corpus
    (578 MB of JSON) holding the parsed records alone took 1 GB. Site lines are not left out
    (that needs every page of a site first: use ``copies_only``). ``limit`` reads only the first
    that many records.
    """
    source = Path(path)

    def chunks() -> Iterator[list[tuple[str, list[str]]]]:
        part: list[tuple[str, list[str]]] = []
        read = 0
        with source.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                if limit is not None and read >= limit:
                    break
                if line.strip():
                    read += 1
                    part.append(_record_body(json.loads(line), f"{source}:{number}"))
                    if len(part) >= CHUNK_BODIES:
                        yield part
                        part = []
        if part:
            yield part

    return find_copies_streamed(chunks(), options, explained=explained)

"""The local batch driver: copy detection over a whole corpus in one process, vectorised.

``copies_only`` is what ``newsfold run --stages copies`` needs: pages in (``Page`` objects or
``(id, text)`` pairs), the copies stage's result out. It reads each page's text as given
(blank-line blocks, else lines), leaves out each site's repeated lines when pages carry a site
or a URL (``copies.sitelines``), and runs ``copies.find_copies``, which reads the corpus in
chunks of arrays. Fed the same bodies one at a time, ``CopyIndex`` gives the same groups.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from io import BufferedReader
from pathlib import Path
from types import ModuleType
from typing import BinaryIO

import numpy as np
import orjson

from newsfold.copies import CopyOptions, CopyResult, compiled, find_copies
from newsfold.copies.reader import EncodedBodies
from newsfold.copies.sitelines import MIN_PAGES, strip_site_chrome
from newsfold.copies.stage import CHUNK_BODIES, find_copies_streamed
from newsfold.copies.tokens import encode_body, has_no_space_script
from newsfold.errors import InputError
from newsfold.ingest.decode import site_of
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
    return [_single_spaced(b) for b in blocks]


def _single_spaced(block: str) -> str:
    """``" ".join(block.split())`` for a stripped block, without splitting it into words when it
    is single-spaced already: every character ``str.split`` breaks on but the ASCII space is a
    control or separator character, which ``isprintable`` refuses (26 -> 15 us per 2.5 KB page).
    """
    return block if block.isprintable() and "  " not in block else " ".join(block.split())


def page_site(page: Page) -> str | None:
    """The page's site: its ``site``, else the host of its URL (``ingest.decode.site_of``:
    ``www.`` dropped), else None."""
    return page.site or site_of(page.url)


def raw_paragraphs(page: Page) -> tuple[str, ...]:
    """A page's text as given (no clean stage): blank-line blocks, else lines; an HTML page's
    text as trafilatura's ``html2txt`` gives it."""
    text = page.text
    if text is None:
        import trafilatura  # only HTML pages need it

        text = trafilatura.html2txt(page.html or "") or ""
    return tuple(page_paragraphs(text))


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
            rows.append((page.id, page_site(page), list(raw_paragraphs(page))))
        else:
            doc_id, text = page
            rows.append((doc_id, None, page_paragraphs(text)))
    if site_chrome and any(site for _, site, _ in rows):
        docs = strip_site_chrome(rows, site_min_pages)
    else:
        docs = [(doc_id, paragraphs) for doc_id, _, paragraphs in rows]
    return find_copies(docs, options, explained=explained)


def _json_decoder() -> Callable[[bytes], object]:
    """``orjson.loads`` (half the time of ``json.loads`` on the speed corpus: 6.1 against
    12.2 us a 5.8 KB record). A line orjson refuses (NaN, lone surrogates, huge integers) is
    read by ``json.loads``, so the records, and the errors, are the same as with ``json``
    alone."""
    fast = orjson.loads
    error = orjson.JSONDecodeError

    def decode(line: bytes) -> object:
        try:
            return fast(line)
        except error:
            return json.loads(line)

    return decode


def _read_part(
    lines: list[bytes],
    numbers: list[int],
    source: Path,
    decode: Callable[[bytes], object],
    encoded: tuple[list[str], bytes, np.ndarray, np.ndarray, np.ndarray],
) -> EncodedBodies:
    """The bodies of a chunk of JSON Lines (``numbers``: their line numbers, for errors).

    The compiled reader takes the usual records (``{"id": ..., "paragraphs": [...]}`` and
    scalar fields) straight to encoded bodies (``encoded``: what ``_kernels.encoded_block``
    made of the lines): no Python string per paragraph, no join and encode (on the speed corpus
    23 us a page went to ~4). A chunk with any other record is read by Python
    (``_python_part``), and so is a body here with an unspaced script (``tokens.encode_body``
    splits it into characters); both give the same bodies. Only the lines of bodies flagged
    unspaced (``encoded[4]``) are read from ``lines``.
    """
    ids, joined, paragraphs, spans, unspaced = encoded
    maybe = np.flatnonzero(unspaced).tolist()
    scripts = [k for k in maybe if has_no_space_script(joined[spans[k, 0] : spans[k, 1]])]
    if scripts:
        # ``encode_bodies`` then encodes body by body: the bodies with such a script again
        # from their strings (split into characters), the others as the compiled reader did.
        redo = set(scripts)
        parts = []
        for k, (start, end) in enumerate(spans.tolist()):
            if paragraphs[k] == 0:
                continue
            body = joined[start:end]
            if k in redo:
                _, texts = _record_body(decode(lines[k]), f"{source}:{numbers[k]}")
                body = encode_body(texts)
            parts.append(body)
        joined = b"\n".join(parts)
    return EncodedBodies(ids, joined if int(paragraphs.sum()) else None, paragraphs)


def _python_part(
    lines: list[bytes], numbers: list[int], source: Path, decode: Callable[[bytes], object]
) -> list[tuple[str, list[str]]]:
    return [
        _record_body(decode(line), f"{source}:{number}")
        for line, number in zip(lines, numbers, strict=True)
    ]


# Bytes read at a time by the compiled reader (``_block_parts``).
READ_BYTES = 1 << 22


def _line_parts(
    handle: BinaryIO, source: Path, decode: Callable[[bytes], object], limit: int | None
) -> Iterator[list[tuple[str, list[str]]]]:
    """Chunks of ``CHUNK_BODIES`` records, the file read line by line and each record by
    Python (without the compiled kernels)."""
    lines: list[bytes] = []
    numbers: list[int] = []
    read = 0
    for number, line in enumerate(handle, start=1):
        if limit is not None and read >= limit:
            break
        if not line.isspace():
            read += 1
            lines.append(line)
            numbers.append(number)
            if len(lines) >= CHUNK_BODIES:
                yield _python_part(lines, numbers, source, decode)
                lines, numbers = [], []
    if lines:
        yield _python_part(lines, numbers, source, decode)


def _block_parts(
    handle: BufferedReader,
    source: Path,
    decode: Callable[[bytes], object],
    limit: int | None,
    kernels: ModuleType,
) -> Iterator[EncodedBodies | list[tuple[str, list[str]]]]:
    """``_line_parts`` with the file read ``READ_BYTES`` at a time into one reused buffer and
    the lines found by the compiled reader (``_kernels.encoded_block``): the same chunks, no
    per-line Python and no bytes object per line (a fresh buffer per read cost as much again
    in page faults)."""
    buffer = bytearray(2 * READ_BYTES)
    filled = 0  # bytes of the file in ``buffer``
    at = 0  # where the next line starts
    passed = 0  # lines before ``at``
    read = 0
    final = False
    while limit is None or read < limit:
        wanted = CHUNK_BODIES if limit is None else min(CHUNK_BODIES, limit - read)
        while True:
            with memoryview(buffer) as view:
                count, end, lines, bounds, numbers, encoded = kernels.encoded_block(
                    view[:filled], at, wanted, final
                )
            if count == wanted or final:
                break
            # Not enough whole lines left: move the rest to the front and read more (into a
            # buffer twice as large when the rest fills half of it: very long lines).
            rest = filled - at
            buffer[:rest] = buffer[at:filled]
            filled, at = rest, 0
            if len(buffer) - filled < READ_BYTES:
                buffer.extend(bytes(len(buffer)))
            with memoryview(buffer) as view:
                got = handle.readinto(view[filled : filled + READ_BYTES])
            final = not got
            filled += got or 0
        if count == 0:
            break
        line_numbers = (numbers + passed).tolist()
        # The lines themselves only for Python: every line of a chunk it reads, else only those
        # of the bodies it may re-encode (``_read_part`` reads no other; the rest stay empty).
        # On the speed corpus one body in ten has such a lead byte, and a bytes object for
        # every line of those chunks cost 1.5 us a page.
        if encoded is None:
            records = [bytes(buffer[start:stop]) for start, stop in bounds.tolist()]
            yield _python_part(records, line_numbers, source, decode)
        else:
            records = [b""] * count
            for k in np.flatnonzero(encoded[4]).tolist():
                records[k] = bytes(buffer[bounds[k, 0] : bounds[k, 1]])
            yield _read_part(records, line_numbers, source, decode, encoded)
        at, passed, read = end, passed + lines, read + count


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
    decode = _json_decoder()

    def chunks() -> Iterator[EncodedBodies | list[tuple[str, list[str]]]]:
        kernels = compiled.KERNELS
        with source.open("rb") as handle:
            if kernels is None:
                yield from _line_parts(handle, source, decode, limit)
            else:
                yield from _block_parts(handle, source, decode, limit, kernels)

    return find_copies_streamed(chunks(), options, explained=explained)

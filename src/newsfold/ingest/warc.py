"""WARC (and ARC) files to Pages, one record at a time, with warcio.

A page is a ``response`` record with a 2xx HTTP answer of type HTML or plain text, or a
``resource`` record of those types. Its id is the WARC-Record-ID (without the angle brackets),
``url`` the WARC-Target-URI, ``fetched_at`` the WARC-Date. ARC files have no record ids (warcio
invents random ones), so their pages are named by URL. Other records (requests, warcinfo,
metadata, images, redirects) are not pages and are passed over; they are not bad input.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator
from warcio.limitreader import LimitReader

from newsfold.errors import PageError
from newsfold.ingest.decode import charset_of_content_type, decode_html, decode_text, site_of
from newsfold.ingest.files import describe_error, shown
from newsfold.ingest.options import IngestOptions
from newsfold.models import Page, Skip

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain"})
_DRAIN_CHUNK = 1 << 16


class _Records(ArchiveIterator):  # type: ignore[misc]  # warcio has no type hints
    """warcio's record iterator that also notes whether the file ended where a record ended.

    warcio stops without a word when a gzip member is cut off before its header is complete
    (the record is simply missing). The zlib decompressor still knows: at a clean end of file it
    has reached the end of its last member (``eof``); after a cut it has not.
    """

    ended_cleanly = True

    def __init__(self, stream: IO[bytes] | gzip.GzipFile, known_format: str) -> None:
        super().__init__(stream, arc2warc=True)
        # Parse as the file's name says: warcio would otherwise take any text file with five
        # words on its first line for an ARC file.
        self.known_format = known_format

    def close(self) -> None:
        decompressor = getattr(self.reader, "decompressor", None)
        # An empty file leaves a decompressor that was never fed: empty, not cut.
        if decompressor is not None and not decompressor.eof and self.fh.tell() > 0:
            self.ended_cleanly = False
        super().close()


class _Truncated(Exception):
    """A record's block is shorter than its Content-Length: the file was cut inside it."""

    def __init__(self, page_id: str) -> None:
        super().__init__(page_id)
        self.page_id = page_id


class _WholeFileGzip(Exception):
    """The file is one gzip stream (``gzip crawl.warc``), not one gzip member per record."""

    def __init__(self, records_read: int) -> None:
        super().__init__(records_read)
        self.records_read = records_read


def read_warc(path: Path, options: IngestOptions) -> Iterator[Page | Skip]:
    """The pages of a WARC or ARC file, plain or gzipped; origins are ``path#offset``.

    A file cut short keeps every page read before the cut and yields one
    ``Skip(reason="truncated warc")`` for the rest. Offsets are those of warcio: of the gzip
    member in a per-record gzipped file, in the uncompressed data otherwise.
    """
    is_arc = path.name.lower().endswith((".arc", ".arc.gz"))
    with open(path, "rb") as handle:
        try:
            yield from _read_records(handle, shown(path), options, arc=is_arc)
            return
        except _WholeFileGzip as whole:
            already = whole.records_read
    # warcio reads a gzipped WARC only when each record is its own gzip member (the standard
    # layout). A whole-file gzip is still a readable archive: read it again as one
    # decompressed stream, past the records already given.
    with gzip.open(path, "rb") as stream:
        yield from _read_records(stream, shown(path), options, arc=is_arc, skip_records=already)


def _read_records(
    stream: IO[bytes] | gzip.GzipFile,
    name: str,
    options: IngestOptions,
    *,
    arc: bool,
    skip_records: int | None = None,
) -> Iterator[Page | Skip]:
    records = _Records(stream, "arc" if arc else "warc")
    last: Any = None
    offset = 0
    count = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            break
        # warcio raises many kinds of error on a damaged file (ArchiveLoadFailed, EOFError,
        # zlib.error, and AttributeError on a gzip member cut inside its header): all of them
        # end this file, reported, and the run goes on.
        except Exception as error:  # noqa: BLE001
            if skip_records is None and "non-chunked gzip" in str(error):
                raise _WholeFileGzip(count) from None
            yield _damaged(name, records.offset, error)
            return
        count += 1
        last, offset = record, records.offset
        if skip_records is not None and count <= skip_records:
            continue
        origin = f"{name}#{offset}"
        try:
            item = _record_page(record, origin, options, ids_from_urls=arc)
        except _Truncated as cut:
            yield Skip(cut.page_id, origin, "truncated warc", "the file ends inside this record")
            return
        except Exception as error:  # noqa: BLE001  # the same damage, met inside a record
            yield _damaged(name, offset, error)
            return
        if item is not None:
            yield item
    if last is None:
        if records.ended_cleanly:
            yield Skip(None, name, "empty", "no WARC records")
        else:
            yield Skip(None, name, "truncated warc", "the file ends inside its first record")
    elif _block_cut_short(last):
        yield Skip(None, f"{name}#{offset}", "truncated warc", "the file ends inside this record")
    elif not records.ended_cleanly:
        yield Skip(
            None, f"{name}#{records.offset}", "truncated warc", "the file ends inside a record"
        )


def _record_page(
    record: Any, origin: str, options: IngestOptions, *, ids_from_urls: bool
) -> Page | Skip | None:
    """A record to a Page, a Skip (a bad page), or None (not a page); raises _Truncated."""
    if record.rec_type not in ("response", "resource"):
        return None
    headers = record.rec_headers
    url = _header(headers, "WARC-Target-URI")
    page_id = url if ids_from_urls else (_header(headers, "WARC-Record-ID") or "").strip("<> ")
    if not page_id:
        return Skip(None, origin, "missing id", "a WARC record without WARC-Record-ID")
    content_type = _header(headers, "Content-Type")
    http = record.http_headers
    if record.rec_type == "response" and http is not None:
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            return _not_a_page(page_id, origin, options, f"HTTP status {status or 'missing'}")
        content_type = http.get_header("Content-Type")
    mime = (content_type or "").split(";")[0].strip().lower()
    if mime and mime not in _HTML_TYPES and mime not in _TEXT_TYPES:
        return _not_a_page(page_id, origin, options, f"content type {mime}")
    try:
        data = record.content_stream().read(options.max_page_bytes + 1)
    except Exception as error:  # noqa: BLE001  # a broken chunked or gzipped HTTP body
        if _block_cut_short(record):
            raise _Truncated(page_id) from None
        return Skip(page_id, origin, "unreadable", f"HTTP body: {describe_error(error)}")
    if _block_cut_short(record):
        raise _Truncated(page_id)
    if len(data) > options.max_page_bytes:
        return Skip(page_id, origin, "too large", f"over max_page_bytes={options.max_page_bytes}")
    if not mime:
        # No declared type: take what looks like HTML, pass over the rest.
        if not data[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html")):
            return _not_a_page(page_id, origin, options, "no content type, not HTML")
        mime = "text/html"
    declared = charset_of_content_type(content_type)
    try:
        decoded = (
            decode_html(data, declared) if mime in _HTML_TYPES else decode_text(data, declared)
        )
    except PageError as error:
        return Skip(page_id, origin, error.reason, error.detail)
    is_html = mime in _HTML_TYPES
    return Page(
        id=page_id,
        text=None if is_html else decoded,
        html=decoded if is_html else None,
        url=url,
        fetched_at=_header(headers, "WARC-Date"),
        site=site_of(url),
        origin=origin,
    )


def _not_a_page(page_id: str, origin: str, options: IngestOptions, detail: str) -> Skip | None:
    return Skip(page_id, origin, "not a page", detail) if options.report_non_pages else None


def _header(headers: Any, name: str) -> str | None:
    value = headers.get_header(name)
    return value.strip() or None if isinstance(value, str) else None


def _drain(record: Any) -> None:
    """Read the rest of a record's block, so that a cut can be seen; warcio would read it too."""
    raw = record.raw_stream
    while raw.read(_DRAIN_CHUNK):
        pass


def _block_cut_short(record: Any) -> bool:
    """True when the file ended before the record's Content-Length was read."""
    _drain(record)
    raw = record.raw_stream
    return isinstance(raw, LimitReader) and raw.limit > 0


def _damaged(name: str, offset: int, error: Exception) -> Skip:
    detail = describe_error(error)
    if "Unknown archive format" in detail or "Invalid WARC record" in detail:
        return Skip(None, f"{name}#{offset}", "malformed warc", detail)
    return Skip(None, f"{name}#{offset}", "truncated warc", detail)

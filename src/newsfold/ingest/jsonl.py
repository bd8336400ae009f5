"""JSONL records to Pages, one line at a time: ``{"id", "text"}`` or ``{"id", "html"}``.

Optional fields ``url``, ``fetched_at`` and ``site`` are kept when they are strings;
``published`` when it is an ISO date (``2026-01-05``, or a timestamp starting with one), as
that date. A numeric
id becomes its decimal string. Every bad line becomes a Skip with ``origin = "file:line"`` and
the lines after it are still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any, Protocol

from newsfold.errors import PageError
from newsfold.ingest.decode import check_text, site_of
from newsfold.ingest.files import READ_ERRORS, describe_error
from newsfold.ingest.options import IngestOptions
from newsfold.models import Page, Skip

# JSON escaping makes a record longer than its text: "é" (2 bytes) is written "\u00e9" (6),
# "😀" (4) as a surrogate pair of 12. A line up to 3x the page limit may still hold a page
# within the limit; the page's own size is then checked exactly after parsing.
_ESCAPE_FACTOR = 3
_LINE_SLACK = 64 * 1024
_DISCARD_CHUNK = 1 << 20


class LineReader(Protocol):
    """What the JSONL reader needs of a stream: a file, a GzipFile, a buffered stdin."""

    def readline(self, size: int | None = -1, /) -> bytes: ...


def read_jsonl(stream: LineReader, name: str, options: IngestOptions) -> Iterator[Page | Skip]:
    """Pages from a binary JSONL stream; ``name`` prefixes the ``name:line`` origins."""
    line_limit = _ESCAPE_FACTOR * options.max_page_bytes + _LINE_SLACK
    number = 0
    while True:
        number += 1
        origin = f"{name}:{number}"
        try:
            line = stream.readline(line_limit + 1)
            if not line:
                return
            if len(line) > line_limit and not line.endswith(b"\n"):
                _discard_rest_of_line(stream)
                yield Skip(None, origin, "too large", f"line over {line_limit} bytes")
                continue
        except READ_ERRORS as error:
            # A cut-off .jsonl.gz: keep what was read, report the rest once.
            yield Skip(None, origin, "unreadable", describe_error(error))
            return
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]  # a UTF-8 byte-order mark, as Windows tools write
        if line.isspace():
            continue  # blank lines (a trailing newline, spacing) hold no record
        yield _line_page(line, origin, options)


def _line_page(line: bytes, origin: str, options: IngestOptions) -> Page | Skip:
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as error:
        return Skip(None, origin, "invalid encoding", f"byte offset {error.start} of the line")
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        return Skip(None, origin, "malformed json", f"{error.msg} at column {error.colno}")
    except RecursionError:
        return Skip(None, origin, "malformed json", "nested too deeply")
    if not isinstance(record, dict):
        return Skip(None, origin, "malformed json", f"not an object but {type(record).__name__}")
    page_id = _record_id(record)
    if page_id is None:
        keys = ", ".join(sorted(record)[:8]) or "none"
        detail = f"a record needs an 'id' (a string or an integer); its keys: {keys}"
        return Skip(None, origin, "missing id", detail)
    try:
        return record_page(record, page_id, origin, options)
    except PageError as error:
        return Skip(page_id, origin, error.reason, error.detail)


def _record_id(record: dict[str, Any]) -> str | None:
    value = record.get("id")
    if isinstance(value, bool):  # bool is an int in Python; true is not an id
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return None


def record_page(record: dict[str, Any], page_id: str, origin: str, options: IngestOptions) -> Page:
    """A decoded record to a Page; raises PageError (missing text, empty, binary, too large)."""
    fields = {key: record.get(key) for key in ("text", "html")}
    strings = {key: value for key, value in fields.items() if isinstance(value, str)}
    if not strings:
        raise PageError("missing text", "a record needs a string 'text' or 'html'")
    # A record with one usable field and one blank one (``"text": ""`` beside the html) is
    # kept with the usable one; it is skipped only when no field is usable.
    kept: dict[str, str] = {}
    problems: list[PageError] = []
    size = 0
    for key, value in strings.items():
        try:
            size += check_text(value)
        except PageError as error:
            problems.append(error)
            continue
        kept[key] = value
    if not kept:
        raise problems[0]
    if size > options.max_page_bytes:
        raise PageError("too large", f"{size} bytes over max_page_bytes={options.max_page_bytes}")
    url = _string(record.get("url"))
    return Page(
        id=page_id,
        text=kept.get("text"),
        html=kept.get("html"),
        url=url,
        fetched_at=_string(record.get("fetched_at")),
        site=_string(record.get("site")) or site_of(url),
        origin=origin,
        published=iso_date(record.get("published")),
    )


def iso_date(value: object) -> str | None:
    """``YYYY-MM-DD`` of a given publication date, or None when it is not an ISO date."""
    if not isinstance(value, str) or len(value.strip()) < 10:
        return None
    day = value.strip()[:10]
    try:
        return date.fromisoformat(day).isoformat()
    except ValueError:
        return None


def _string(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _discard_rest_of_line(stream: LineReader) -> None:
    while True:
        chunk = stream.readline(_DISCARD_CHUNK)
        if not chunk or chunk.endswith(b"\n"):
            return

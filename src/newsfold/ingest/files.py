"""Page files and folders: which files are read, their page ids, one .txt/.html file to a Page."""

from __future__ import annotations

import gzip
import os
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from newsfold.errors import PageError
from newsfold.ingest.decode import decode_html, decode_text
from newsfold.ingest.options import IngestOptions
from newsfold.models import Page, Skip

Kind = Literal["text", "html", "jsonl", "warc"]

_KINDS: dict[str, Kind] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".arc": "warc",
}

SUPPORTED = (
    "newsfold reads .txt, .html, .htm, .xhtml, .jsonl, .ndjson, .warc, .arc and their .gz versions"
)

# What reading a file can raise besides PageError: OS errors (permissions, a vanished file,
# a bad gzip header is an OSError too), a gzip stream cut short (EOFError), corrupt deflate data.
READ_ERRORS = (OSError, EOFError, zlib.error)


def shown(path: Path | str) -> str:
    """A path as text that can be written anywhere: non-UTF-8 bytes in names become U+FFFD.

    On POSIX a file name is bytes; Python keeps undecodable ones as lone surrogates, which no
    UTF-8 output (the JSONL files, the report) can hold.
    """
    return os.fsencode(path).decode("utf-8", "replace")


def kind_of(name: str) -> tuple[Kind, bool] | None:
    """The kind of a file by its name, and whether it is gzipped; None when not supported.

    >>> kind_of("a/b/Page.HTML.gz")
    ('html', True)
    """
    lower = name.lower()
    gzipped = lower.endswith(".gz")
    if gzipped:
        lower = lower[:-3]
    kind = _KINDS.get(os.path.splitext(lower)[1])
    return None if kind is None else (kind, gzipped)


def is_hidden(name: str) -> bool:
    """Dot files (``.DS_Store``, ``.git``) are not inputs and are passed over without a word."""
    return name.startswith(".")


def folder_has_files(root: Path) -> bool:
    """True when the tree under ``root`` holds at least one file that is not hidden."""
    for _, _, filenames in _walk(root, []):
        if any(not is_hidden(f) for f in filenames):
            return True
    return False


def _walk(root: Path, problems: list[OSError]) -> Iterator[tuple[str, list[str], list[str]]]:
    """``os.walk`` in sorted order, without hidden folders, following links to folders once.

    A folder reached twice (a link to a sibling, a link cycle) is read the first time only, and
    the sorted order makes "the first time" the same on every run.
    """
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, onerror=problems.append, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not is_hidden(d))
        yield dirpath, dirnames, filenames


def walk_folder(root: Path) -> Iterator[tuple[Path, str, Kind, bool] | Skip]:
    """The files under ``root`` in sorted path order: ``(path, page_id, kind, gzipped)`` or a Skip.

    The page id of a .txt/.html file is its file name; when two such files in the tree share a
    name, both get their path relative to ``root`` instead, so that neither is lost as a
    duplicate. JSONL and WARC files take their ids from their records. Links to folders are
    followed, each folder read once (a link cycle ends).
    """
    problems: list[OSError] = []
    found: list[tuple[tuple[str, ...], Path]] = []
    for dirpath, _, filenames in _walk(root, problems):
        base = Path(dirpath)
        for filename in filenames:
            if not is_hidden(filename):
                path = base / filename
                found.append((path.relative_to(root).parts, path))
    # Sorting by path components (not the joined string) keeps "a/b" before "a-b" on every OS.
    found.sort()
    names = Counter(path.name for _, path in found if _is_page_file(path.name))
    for parts, path in found:
        kind = kind_of(path.name)
        if kind is None:
            yield Skip(shown(path.name), shown(path), "unsupported file type", SUPPORTED)
            continue
        page_id = shown(path.name if names[path.name] == 1 else "/".join(parts))
        yield path, page_id, kind[0], kind[1]
    for problem in problems:
        where = shown(problem.filename) if problem.filename else shown(root)
        yield Skip(None, where, "unreadable", problem.strerror or str(problem))


def read_page_file(
    path: Path, page_id: str, kind: Kind, gzipped: bool, options: IngestOptions
) -> Page | Skip:
    """One .txt or .html file (gzipped or not) to a Page, or the Skip that says why not."""
    origin = shown(path)
    try:
        data = read_limited(path, gzipped, options.max_page_bytes)
        if data is None:
            return Skip(
                page_id, origin, "too large", f"over max_page_bytes={options.max_page_bytes}"
            )
        if kind == "html":
            return Page(id=page_id, html=decode_html(data), origin=origin)
        return Page(id=page_id, text=decode_text(data), origin=origin)
    except PageError as error:
        return Skip(page_id, origin, error.reason, error.detail)
    except READ_ERRORS as error:
        return Skip(page_id, origin, "unreadable", describe_error(error))


def read_limited(path: Path, gzipped: bool, limit: int) -> bytes | None:
    """The bytes of a file (decompressed if gzipped), or None when they exceed ``limit``.

    Reads at most ``limit + 1`` bytes, so a huge file costs no more memory than the limit.
    """
    if gzipped:
        with gzip.open(path, "rb") as handle:
            data = handle.read(limit + 1)
    else:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size > limit:
                return None
            data = handle.read(limit + 1)
    return None if len(data) > limit else data


def describe_error(error: BaseException) -> str:
    """A one-line description of a read error, without the traceback."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def _is_page_file(name: str) -> bool:
    kind = kind_of(name)
    return kind is not None and kind[0] in ("text", "html")

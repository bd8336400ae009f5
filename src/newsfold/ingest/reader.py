"""``read_inputs``: folders, page files, JSONL, WARC and standard input to one stream of Pages.

Bad input never stops the run and is never silent: each bad page, record or file becomes a
``Skip`` with a short stable reason, and reading goes on with the next one.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from newsfold.errors import InputError
from newsfold.ingest.files import (
    READ_ERRORS,
    SUPPORTED,
    Kind,
    describe_error,
    folder_has_files,
    kind_of,
    read_page_file,
    shown,
    walk_folder,
)
from newsfold.ingest.jsonl import LineReader, read_jsonl
from newsfold.ingest.options import IngestOptions
from newsfold.ingest.warc import read_warc
from newsfold.models import Page, Skip

PathLike = str | os.PathLike[str]

STDIN = "-"
_STDIN_NAME = "<stdin>"
_GZIP_MAGIC = b"\x1f\x8b"


def check_inputs(inputs: Sequence[PathLike] | PathLike) -> None:
    """Fail at once, before anything is read, on inputs that cannot be read at all.

    Raises ``InputError`` for no inputs, a path that does not exist, and a folder that holds no
    files (only hidden ones, or none): each is a mistake in the command, not a bad page.
    """
    paths = _as_list(inputs)
    if not paths:
        raise InputError("no input given: name files, folders, or '-' for JSONL on stdin")
    for name in paths:
        if name == STDIN:
            continue
        path = Path(name)
        if not path.exists():  # also a symbolic link to nothing
            raise InputError(f"no such file or directory: {name}")
        if path.is_dir() and not folder_has_files(path):
            raise InputError(f"no files in directory: {name}")


def read_inputs(
    inputs: Sequence[PathLike] | PathLike,
    options: IngestOptions | None = None,
    *,
    stdin: BinaryIO | None = None,
) -> Iterator[Page | Skip]:
    """Every page of ``inputs``, in order, as Pages, with a Skip for each bad one.

    ``inputs`` are folders (read recursively, in sorted path order), files (``.txt``,
    ``.html``/``.htm``, ``.jsonl``, ``.warc``/``.arc``, each also gzipped), and ``"-"`` for JSONL
    on ``stdin`` (default ``sys.stdin.buffer``; gzipped JSONL is recognised). A page whose id was
    already read in this call is skipped as ``"duplicate id"``. The inputs are checked with
    ``check_inputs`` on the call, so a missing path raises ``InputError`` before any reading.
    """
    paths = _as_list(inputs)
    check_inputs(paths)
    return _unique(_read_all(paths, options or IngestOptions(), stdin))


def _as_list(inputs: Sequence[PathLike] | PathLike) -> list[str]:
    # One path given on its own is read as one input, not as a sequence of one-letter paths.
    if isinstance(inputs, (str, os.PathLike)):
        return [os.fspath(inputs)]
    return [os.fspath(item) for item in inputs]


def _unique(items: Iterator[Page | Skip]) -> Iterator[Page | Skip]:
    """Skip later pages whose id was read before: ids key the store and the outputs."""
    first_origin: dict[str, str] = {}
    for item in items:
        if isinstance(item, Page):
            if item.id in first_origin:
                detail = f"first read from {first_origin[item.id]}"
                yield Skip(item.id, item.origin or "", "duplicate id", detail)
                continue
            first_origin[item.id] = item.origin or ""
        yield item


def _read_all(
    paths: list[str], options: IngestOptions, stdin: BinaryIO | None
) -> Iterator[Page | Skip]:
    for name in paths:
        if name == STDIN:
            yield from _read_stdin(stdin if stdin is not None else sys.stdin.buffer, options)
            continue
        path = Path(name)
        if path.is_dir():
            for entry in walk_folder(path):
                if isinstance(entry, Skip):
                    yield entry
                else:
                    yield from _read_file(*entry, options)
            continue
        kind = kind_of(path.name)
        if kind is None:
            yield Skip(shown(path.name), shown(name), "unsupported file type", SUPPORTED)
        else:
            yield from _read_file(path, shown(path.name), kind[0], kind[1], options)


def _read_file(
    path: Path, page_id: str, kind: Kind, gzipped: bool, options: IngestOptions
) -> Iterator[Page | Skip]:
    if kind in ("text", "html"):
        yield read_page_file(path, page_id, kind, gzipped, options)
        return
    try:
        if kind == "warc":
            yield from read_warc(path, options)
        elif gzipped:
            with gzip.open(path, "rb") as handle:
                yield from read_jsonl(handle, shown(path), options)
        else:
            with open(path, "rb") as handle:
                yield from read_jsonl(handle, shown(path), options)
    except READ_ERRORS as error:
        # Opening failed (permissions, a vanished file); errors while reading are reported
        # by the readers themselves, after the records read before them.
        yield Skip(None, shown(path), "unreadable", describe_error(error))


def _read_stdin(stream: BinaryIO, options: IngestOptions) -> Iterator[Page | Skip]:
    # Buffered so that the first bytes can be looked at without being consumed, whatever the
    # stream (a pipe cannot seek back).
    with io.BufferedReader(_Unclosable(stream)) as buffered:
        if buffered.peek(2)[:2] == _GZIP_MAGIC:
            with gzip.GzipFile(fileobj=buffered, mode="rb") as handle:
                yield from _jsonl_or_skip(handle, options)
        else:
            yield from _jsonl_or_skip(buffered, options)


def _jsonl_or_skip(stream: LineReader, options: IngestOptions) -> Iterator[Page | Skip]:
    try:
        yield from read_jsonl(stream, _STDIN_NAME, options)
    except READ_ERRORS as error:
        yield Skip(None, _STDIN_NAME, "unreadable", describe_error(error))


class _Unclosable(io.RawIOBase):
    """A caller's binary stream as a raw stream; closing this leaves the caller's one open."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__()
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._stream.read(len(view))
        view[: len(data)] = data
        return len(data)

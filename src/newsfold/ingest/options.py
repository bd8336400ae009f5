"""The settings of the input readers, validated on construction."""

from __future__ import annotations

from dataclasses import dataclass

from newsfold.errors import ConfigError

# 50 MB: far above any real article page (the 181 Zyte benchmark pages are 30 KB to 1.6 MB of
# HTML), low enough that one runaway file cannot take the machine's memory.
DEFAULT_MAX_PAGE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How the readers treat what they read.

    ``max_page_bytes``: a page whose raw bytes (the file, the JSONL record's text or html in
    UTF-8, the WARC record's decoded HTTP body) exceed this is skipped as ``"too large"``
    without being held in memory whole.

    ``report_non_pages``: WARC files hold many records that are not pages (requests, images,
    redirects, scripts); they are ignored quietly by default because they are not bad input.
    Set this to yield a ``Skip(reason="not a page")`` for each ``response``/``resource``
    record that is not an HTML or plain-text 2xx answer, to count them.
    """

    max_page_bytes: int = DEFAULT_MAX_PAGE_BYTES
    report_non_pages: bool = False

    def __post_init__(self) -> None:
        if (
            not isinstance(self.max_page_bytes, int)
            or isinstance(self.max_page_bytes, bool)
            or self.max_page_bytes <= 0
        ):
            raise ConfigError(
                f"max_page_bytes must be a positive number of bytes, got {self.max_page_bytes!r}"
            )
        if not isinstance(self.report_non_pages, bool):
            raise ConfigError(
                f"report_non_pages must be true or false, got {self.report_non_pages!r}"
            )

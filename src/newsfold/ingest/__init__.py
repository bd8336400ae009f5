"""Readers: folders, page files, JSONL, WARC and standard input to a stream of Pages and Skips.

>>> from newsfold.ingest import read_inputs                  # doctest: +SKIP
>>> for item in read_inputs(["pages/", "more.jsonl"]):      # doctest: +SKIP
...     print(item.id)
"""

from __future__ import annotations

from newsfold.ingest.options import IngestOptions
from newsfold.ingest.reader import check_inputs, read_inputs

__all__ = ["IngestOptions", "check_inputs", "read_inputs"]

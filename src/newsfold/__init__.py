"""newsfold: turn raw scraped news pages into clean, deduplicated stories.

The public API::

    import newsfold
    report = newsfold.run(["pages/"], "out/")            # batch: articles.jsonl, stories.jsonl
    index = newsfold.open_index("news.db")                # incremental store
    index.add(newsfold.read_inputs(["more-pages/"]))
    article = newsfold.clean_page(newsfold.Page(id="p1", text=raw_text))
"""

from __future__ import annotations

__version__ = "0.1.0"

from .api import clean_file, ingest, open_index, run
from .clean import CleanOptions, clean_page
from .config import STAGES, Settings, load_settings
from .copies import CopyOptions
from .digest import DigestOptions, build_digest
from .errors import (
    ConfigError,
    InputError,
    NewsfoldError,
    NotFoundError,
    PageError,
    StoreError,
)
from .index import Index
from .ingest import IngestOptions, read_inputs
from .kernels import kernels_status
from .models import (
    Article,
    CopyGroup,
    CopyPair,
    Digest,
    Page,
    Quote,
    Skip,
    Source,
    SourcedSentence,
    Story,
)
from .report import RunReport
from .store import Store
from .stories import StoryOptions

__all__ = [
    "STAGES",
    "Article",
    "CleanOptions",
    "ConfigError",
    "CopyGroup",
    "CopyOptions",
    "CopyPair",
    "Digest",
    "DigestOptions",
    "Index",
    "IngestOptions",
    "InputError",
    "NewsfoldError",
    "NotFoundError",
    "Page",
    "PageError",
    "Quote",
    "RunReport",
    "Settings",
    "Skip",
    "Source",
    "SourcedSentence",
    "Store",
    "StoreError",
    "Story",
    "StoryOptions",
    "__version__",
    "build_digest",
    "clean_file",
    "clean_page",
    "ingest",
    "kernels_status",
    "load_settings",
    "open_index",
    "read_inputs",
    "run",
]

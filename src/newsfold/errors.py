"""One exception tree for everything newsfold raises on purpose."""

from __future__ import annotations


class NewsfoldError(Exception):
    """Base of every error newsfold raises deliberately."""


class ConfigError(NewsfoldError):
    """A setting is invalid; the message says which and what to do."""


class InputError(NewsfoldError):
    """An input path or stream cannot be read at all (a missing file, a directory of nothing)."""


class PageError(NewsfoldError):
    """One page cannot be used; it is skipped and counted under ``reason``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        self.reason = reason
        self.detail = detail
        super().__init__(f"{reason}: {detail}" if detail else reason)


class StoreError(NewsfoldError):
    """The SQLite store cannot be opened or is not a newsfold store."""


class NotFoundError(NewsfoldError):
    """A story or article id that is not in the store."""

"""The incremental copy index: add pages one at a time to a store, get their copy pairs back."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from newsfold.copies.explain import verify
from newsfold.copies.fingerprint import fingerprint_many, make_hasher
from newsfold.copies.options import CopyOptions
from newsfold.copies.shingles import Body, read_body
from newsfold.models import CopyPair


class CopyStorage(Protocol):
    """What the incremental index needs from a store.

    Keys are non-negative integers below 2**63 (they fit a signed 64-bit column).
    """

    def candidates(self, keys: Sequence[int]) -> set[str]:
        """Ids of stored documents holding any of ``keys`` (band keys and paragraph keys)."""
        ...

    def paragraphs(self, ids: Collection[str]) -> Mapping[str, Sequence[str]]:
        """The body paragraphs of stored documents (ids not stored are left out)."""
        ...

    def put(self, doc_id: str, keys: Sequence[int], signature: np.ndarray) -> None:
        """Store a document's candidate keys and signature (storing the same again is a no-op)."""
        ...


@runtime_checkable
class BodyStorage(Protocol):
    """A storage that keeps bodies only when told to (a store of articles already has them)."""

    def put_paragraphs(self, doc_id: str, paragraphs: Sequence[str]) -> None: ...


class Added(list[CopyPair]):
    """What ``CopyIndex.add`` returns: the new copy pairs (a list), and whether the body was too
    short to compare (then the list is empty)."""

    def __init__(self, pairs: Sequence[CopyPair] = (), too_short: bool = False) -> None:
        super().__init__(pairs)
        self.too_short = too_short

    @property
    def pairs(self) -> list[CopyPair]:
        return list(self)


class MemoryCopyStorage:
    """``CopyStorage`` in dictionaries: the test double, and enough for one batch in memory.

    It keeps the bodies itself (``put_paragraphs``), which ``CopyIndex`` calls before ``put``.
    """

    def __init__(self) -> None:
        self._buckets: dict[int, set[str]] = {}
        self._keys: dict[str, tuple[int, ...]] = {}
        self._paragraphs: dict[str, tuple[str, ...]] = {}
        self._signatures: dict[str, np.ndarray] = {}

    def candidates(self, keys: Sequence[int]) -> set[str]:
        found: set[str] = set()
        for key in keys:
            found.update(self._buckets.get(key, ()))
        return found

    def paragraphs(self, ids: Collection[str]) -> Mapping[str, Sequence[str]]:
        return {i: self._paragraphs[i] for i in ids if i in self._paragraphs}

    def put_paragraphs(self, doc_id: str, paragraphs: Sequence[str]) -> None:
        self._paragraphs[doc_id] = tuple(paragraphs)

    def put(self, doc_id: str, keys: Sequence[int], signature: np.ndarray) -> None:
        for key in self._keys.get(doc_id, ()):
            bucket = self._buckets[key]
            bucket.discard(doc_id)
            if not bucket:
                del self._buckets[key]
        self._keys[doc_id] = tuple(keys)
        for key in keys:
            self._buckets.setdefault(key, set()).add(doc_id)
        self._signatures[doc_id] = np.array(signature, dtype=np.uint64)

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._signatures

    def keys_of(self, doc_id: str) -> tuple[int, ...]:
        """The candidate keys stored for ``doc_id`` (empty when unknown)."""
        return self._keys.get(doc_id, ())


class CopyIndex:
    """Adds pages one at a time and returns their verified copy pairs with pages already stored.

    Uses the same fingerprints, candidate keys and verification as ``find_copies``, so feeding it
    a corpus page by page yields the same pairs. A body too short to compare is stored with no
    keys (it can never be a candidate) and gets no pairs. Adding an id again re-derives its pairs
    against what is stored and replaces its entry: the same text leaves the storage as it was.
    """

    # Bodies kept read (tokenised, hashed) for the next candidates: a copy of a wire story is a
    # candidate of every later copy, and reading it again each time dominated the cost of ``add``.
    BODY_CACHE_SIZE = 4096

    def __init__(self, storage: CopyStorage, options: CopyOptions | None = None) -> None:
        self.storage = storage
        self.options = options or CopyOptions()
        self._hasher = make_hasher(self.options)
        self._bodies: dict[str, tuple[tuple[str, ...], Body]] = {}

    def _body(self, doc_id: str, paragraphs: Sequence[str]) -> Body:
        """The read body of a stored page, from the cache when its paragraphs are unchanged."""
        text = tuple(paragraphs)
        cached = self._bodies.get(doc_id)
        if cached is not None and cached[0] == text:
            return cached[1]
        body = read_body(
            text, self.options.shingle_size, text_words=self.options.text_paragraph_words
        )
        self._remember(doc_id, text, body)
        return body

    def _remember(self, doc_id: str, text: tuple[str, ...], body: Body) -> None:
        self._bodies.pop(doc_id, None)
        self._bodies[doc_id] = (text, body)
        if len(self._bodies) > self.BODY_CACHE_SIZE:
            del self._bodies[next(iter(self._bodies))]  # the oldest entry

    def add(self, doc_id: str, paragraphs: Sequence[str]) -> Added:
        """Store one page; return its copy pairs with stored pages, sorted by ``(a, b)``."""
        options = self.options
        (fingerprint,) = fingerprint_many([paragraphs], options, self._hasher)
        keys = [int(k) for k in fingerprint.keys]
        pairs: list[CopyPair] = []
        if keys:
            found = self.storage.candidates(keys)
            found.discard(doc_id)
            stored = self.storage.paragraphs(sorted(found))
            for other_id in sorted(stored):
                other = self._body(other_id, stored[other_id])
                pair = verify(doc_id, fingerprint.body, other_id, other, options)
                if pair is not None:
                    pairs.append(pair)
        if isinstance(self.storage, BodyStorage):
            self.storage.put_paragraphs(doc_id, paragraphs)
        self.storage.put(doc_id, keys, fingerprint.signature)
        if keys:
            self._remember(doc_id, tuple(paragraphs), fingerprint.body)
        pairs.sort(key=lambda p: (p.a, p.b))
        return Added(pairs, too_short=fingerprint.too_short)

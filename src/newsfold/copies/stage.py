"""The batch copies stage: candidates by shared keys, exact verification, groups by union-find.

The corpus is read once, in chunks (``reader.read_chunk``), into candidate keys, with each
page's word hashes set aside in a temporary file (``SpilledWords``); bodies with the same
normalised words are one page for candidate generation (the exact-duplicate fast path);
candidate pairs come from sorting the keys (a slice of the key space at a time). The pages of
candidate pairs are then rebuilt from their word hashes a block of components at a time and
verified exactly for the whole block at once (``blockverify``: shingle counts and the
interleaving bound); only the pairs that need an alignment (every copy when explained, else the
few that may interleave) become ``Body`` objects for ``explain.verify``.
"""

from __future__ import annotations

import operator
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import BinaryIO, overload

import numpy as np

from newsfold.copies import compiled
from newsfold.copies.blockverify import block_counts, copy_mask, may_interleave, pair_scores
from newsfold.copies.explain import explain, scored_pair, verify
from newsfold.copies.fingerprint import fingerprint_chunk
from newsfold.copies.options import CopyOptions
from newsfold.copies.reader import (
    Chunk,
    EncodedBodies,
    assemble_chunk,
    read_chunk,
    read_encoded_chunk,
    unique_sorted,
)
from newsfold.copies.shingles import bodies_of
from newsfold.copies.unionfind import UnionFind, component_labels
from newsfold.errors import InputError
from newsfold.models import CopyPair
from newsfold.runtime import collector_paused

# Bodies per chunk: about 1.5 MB of text, so the chunk's arrays stay small enough for the
# allocator to reuse (fresh large arrays cost a page fault per 4 KiB; see ``reader``).
CHUNK_BODIES = 256
# Candidate pairs verified per block (rounded up to whole components of the candidate graph).
# ``blockverify`` sorts every shingle occurrence of the block's pages: on the 100k-page speed
# corpus 128 pairs (~150 pages, ~130k occurrences, arrays that stay in cache) ran the whole
# corpus in 19.9 s, 64 in 20.9 s and 512 in 23.7 s (same run, 2 shared cores). With the
# compiled counts (a hash table per component) 128, 512 and 2048 ran within noise (7.6-7.9 s);
# once the rest of the per-page work shrank, the Python and numpy calls per block showed: 128,
# 512 and 1024 took 68.6, 67.2 and 66.2 us a page (medians of 3, alternated in one process).
PAIRS_PER_BLOCK = 512
# Slices of the key space that candidate pairs are generated in, one at a time (a power of 2).
KEY_PARTS = 8


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What the copies stage found.

    ``pairs``: verified copy pairs sorted by ``(a, b)``. ``groups``: connected components of the
    pairs, size >= 2, members sorted, groups sorted. ``too_short``: ids of bodies under
    ``min_shingles`` (never paired), sorted. ``candidates``: pairs compared exactly.

    A group of k exact duplicates (same normalised words) is reported as k - 1 pairs, each
    duplicate with the group's first id, not k(k-1)/2: the groups are the same. From
    ``find_copies(..., explained=False)`` the pairs carry no alignment (``shared``, ``only_a``,
    ``only_b`` empty); ``explain`` of the two pages' paragraphs gives it. ``pairs`` is a
    ``CopyPairs``: an immutable sequence that behaves as the tuple of the pairs (and equals it).
    """

    pairs: Sequence[CopyPair]
    groups: tuple[tuple[str, ...], ...]
    too_short: tuple[str, ...]
    candidates: int = 0


class CopyPairs(Sequence[CopyPair]):
    """The copy pairs of a run, sorted by ``(a, b)``: an immutable sequence of ``CopyPair``
    that makes each pair when it is read.

    A lean run settles most pairs from block counts alone (numbers, no alignment); making a
    ``CopyPair`` and its tuple for each of them cost ~2.5 us a page on the 100k-page speed
    corpus (126k pairs), whether or not the caller looks at them (a count of pairs does not).
    The columns are kept instead (ranks into the sorted ids, scores, flags) and a pair is made
    on access; pairs that came from the pairwise path (``made``: position -> pair, with their
    alignment) are returned as they were made. Length, iteration, indexing, slicing (a tuple,
    as a tuple's slice), ``in``, ``index``, ``count``, hashing and ``==`` behave as for the
    tuple of the same pairs, and it equals that tuple.
    """

    __slots__ = (
        "_a",
        "_b",
        "_contained_a",
        "_contained_b",
        "_exact",
        "_fuller_b",
        "_ids",
        "_made",
        "_resemblance",
    )

    def __init__(
        self,
        ids: Sequence[str],
        a: np.ndarray,
        b: np.ndarray,
        scores: tuple[np.ndarray, np.ndarray, np.ndarray],
        fuller_b: np.ndarray,
        exact: np.ndarray,
        made: dict[int, CopyPair],
    ) -> None:
        """``ids``: the sorted ids; per pair ``a`` and ``b`` (ranks into ``ids``), ``scores``
        (resemblance, containment of a, containment of b), ``fuller_b`` (b has more text) and
        ``exact``; ``made``: pairs already made, by position (their columns are not read)."""
        self._ids = ids
        self._a, self._b = a, b
        self._resemblance, self._contained_a, self._contained_b = scores
        self._fuller_b, self._exact = fuller_b, exact
        self._made = made

    def __len__(self) -> int:
        return len(self._a)

    def _pair(self, k: int) -> CopyPair:
        return next(self._run(k, k + 1))

    @overload
    def __getitem__(self, index: int) -> CopyPair: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[CopyPair, ...]: ...

    def __getitem__(self, index: int | slice) -> CopyPair | tuple[CopyPair, ...]:
        if isinstance(index, slice):
            return tuple(self._pair(k) for k in range(len(self))[index])
        k = operator.index(index)
        if k < 0:
            k += len(self)
        if not 0 <= k < len(self):
            raise IndexError("copy pair index out of range")
        return self._pair(k)

    def __iter__(self) -> Iterator[CopyPair]:
        return self._run(0, len(self))

    def _run(self, start: int, stop: int) -> Iterator[CopyPair]:
        """The pairs at positions ``start`` to ``stop``: the columns read as Python lists once
        (no numpy scalar per field), a pair made for each position not in ``made``."""
        ids, made = self._ids, self._made
        window = slice(start, stop)
        columns = zip(
            self._a[window].tolist(),
            self._b[window].tolist(),
            self._resemblance[window].tolist(),
            self._contained_a[window].tolist(),
            self._contained_b[window].tolist(),
            self._fuller_b[window].tolist(),
            self._exact[window].tolist(),
            strict=True,
        )
        for k, (i, j, scored, share_a, share_b, b_fuller, same) in enumerate(columns, start):
            pair = made.get(k)
            if pair is None:
                a, b = ids[i], ids[j]
                pair = CopyPair(
                    a=a,
                    b=b,
                    resemblance=scored,
                    containment_a=share_a,
                    containment_b=share_b,
                    fuller=b if b_fuller else a,
                    exact=same,
                )
            yield pair

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CopyPairs | tuple):
            return len(self) == len(other) and all(
                mine == theirs for mine, theirs in zip(self, other, strict=True)
            )
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"CopyPairs({tuple(self)!r})"


def group_pairs(pairs: Sequence[CopyPair]) -> tuple[tuple[str, ...], ...]:
    """Connected components (size >= 2) of copy pairs, members sorted, groups sorted."""
    union_find = UnionFind[str]()
    for pair in pairs:
        union_find.union(pair.a, pair.b)
    return tuple(sorted(tuple(sorted(group)) for group in union_find.groups() if len(group) > 1))


def key_pairs(keys: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Unique index pairs ``(i, j)``, i < j, of owners sharing a key: an (n x 2) int64 array.

    One sort of all keys; each run of equal keys held by k owners gives its k(k-1)/2 pairs, all
    generated with array arithmetic.

    >>> key_pairs(np.array([5, 7, 5, 5, 7]), np.array([0, 0, 1, 2, 2])).tolist()
    [[0, 1], [0, 2], [1, 2]]
    """
    if len(keys) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    # Any order of equal keys gives the same pairs (they are made unique and sorted at the end),
    # so the faster unstable sort serves (on 900k keys 73 ns a key against 87-108 for stable).
    order = np.argsort(keys)
    sorted_keys = keys[order]
    members = np.asarray(owner, dtype=np.int64)[order]
    new_run = np.empty(len(sorted_keys), dtype=bool)
    new_run[0] = True
    new_run[1:] = sorted_keys[1:] != sorted_keys[:-1]
    run_start = np.flatnonzero(new_run)
    run_end = np.append(run_start[1:], len(sorted_keys))
    # For each position, the positions after it in its run are its partners.
    end_of = np.repeat(run_end, run_end - run_start)
    partners = end_of - np.arange(len(sorted_keys)) - 1
    total = int(partners.sum())
    if total == 0:
        return np.zeros((0, 2), dtype=np.int64)
    first = np.repeat(np.arange(len(sorted_keys)), partners)
    step = np.arange(total) - np.repeat(np.cumsum(partners) - partners, partners)
    second = first + 1 + step
    a, b = members[first], members[second]
    low, high = np.minimum(a, b), np.maximum(a, b)
    keep = low != high
    width = int(members.max()) + 1
    return _pairs_of_codes(low[keep] * width + high[keep], width)


def _pairs_of_codes(codes: np.ndarray, width: int) -> np.ndarray:
    """The sorted unique pairs ``(i, j)`` of the pair codes ``i * width + j``."""
    codes = unique_sorted(codes)
    return np.stack((codes // max(width, 1), codes % max(width, 1)), axis=1)


def _key_pairs_by_part(keys: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """``key_pairs`` a slice of the key space at a time: the same pairs, a fraction of the
    temporary arrays (on 100k pages, 7.4M keys cost ~500 MB of sort buffers in one go)."""
    found = []
    low = keys & np.uint64(KEY_PARTS - 1)
    for part in range(KEY_PARTS):
        chosen = low == np.uint64(part)
        pairs = key_pairs(keys[chosen], owner[chosen])
        found.append(pairs[:, 0] * count + pairs[:, 1])
    return _pairs_of_codes(np.concatenate(found), count)


def _candidate_pairs(
    keys: np.ndarray, owner: np.ndarray, rank: np.ndarray, keep: np.ndarray
) -> np.ndarray:
    """Candidate pairs (rows in id order, ``(i, j)`` with i < j, sorted unique) of the pages
    ``rank[owner]`` sharing a key, among the pages ``keep`` holds.

    The compiled kernel counts every slice of the key space in one pass (``_kernels.part_sizes``),
    then selects each slice in the pass that copies it and sorts it (``_kernels.part_codes``, in
    buffers that the slices share); its twin selects with numpy masks and sorts with
    ``key_pairs``: the same pairs.
    """
    count = len(rank)
    kernels = compiled.KERNELS
    if kernels is None:
        pages = rank[owner]
        rows = keep[pages]
        return _key_pairs_by_part(keys[rows], pages[rows], count)
    keys = np.ascontiguousarray(keys, dtype=np.uint64)
    owner = np.ascontiguousarray(owner, dtype=np.int64)
    flags = np.ascontiguousarray(keep, dtype=bool).view(np.uint8)
    sizes = kernels.part_sizes(keys, owner, rank, flags, KEY_PARTS).tolist()
    # One set of sort buffers for every slice: faulted in once, not once a slice.
    scratch = kernels.SortScratch()
    found = [
        kernels.part_codes(keys, owner, rank, flags, count, part, KEY_PARTS, sizes[part], scratch)
        for part in range(KEY_PARTS)
    ]
    return _pairs_of_codes(np.concatenate(found), count)


def _chunks(count: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, count, size):
        yield start, min(count, start + size)


def find_copies(
    docs: Sequence[tuple[str, Sequence[str]]],
    options: CopyOptions | None = None,
    *,
    explained: bool = True,
) -> CopyResult:
    """Find the pages that carry the same text.

    ``docs`` are ``(id, paragraphs)``. Two pages are candidates when they share a band key or a
    paragraph key; every candidate is verified exactly on shingle sets (``verify.is_copy``) and
    explained by paragraph alignment. The result does not depend on the order of ``docs``, and
    ``CopyIndex`` fed the same pages one at a time gives the same groups (and the same pairs,
    but for exact duplicates: see ``CopyResult``).

    ``explained`` False leaves the paragraph alignment out of the pairs (scores, ``fuller`` and
    ``exact`` stay; ``explain`` gives the alignment of any pair on demand): the same pairs and
    groups, with alignment run only where the interleaving guard needs it
    (``explain.may_interleave``). Alignment was most of the time on the speed corpus.
    """
    chunks = (docs[start:end] for start, end in _chunks(len(docs), CHUNK_BODIES))
    return find_copies_streamed(chunks, options, explained=explained)


class SpilledWords:
    """The word hashes of every page read, in a temporary file; their layout in memory.

    Verification needs the pages of candidate pairs again (on the 100k-page speed corpus, 81%
    of them). Reading their text again cost a JSON decode, the encoding and the tokeniser per
    page (~60 us); the word hashes those give are all that shingles, digests and alignment use,
    so they are written once as they are made (8 bytes a word, 660 MB of file for 100k pages of
    5.6 KB, in the page cache rather than in the process) and read back by offset. Paragraph
    lengths, running-text flags and the digests stay in memory (~30 MB for 100k pages): a
    rebuilt chunk takes its digests as they were, not computed again (~3 us a page).
    """

    def __init__(self, handle: BinaryIO) -> None:
        self._file = handle
        self._word_counts: list[np.ndarray] = []
        self._paragraphs: list[np.ndarray] = []
        self._lengths: list[np.ndarray] = []
        self._text: list[np.ndarray] = []
        self._paragraph_digests: list[np.ndarray] = []
        self._digests: list[np.ndarray] = []
        self._word_start = np.zeros(1, dtype=np.int64)
        self._paragraph_start = np.zeros(1, dtype=np.int64)
        self._all_lengths = np.zeros(0, dtype=np.int32)
        self._all_text = np.zeros(0, dtype=bool)
        self._all_paragraph_digests = np.zeros(0, dtype=np.uint64)
        self._all_digests = np.zeros(0, dtype=np.uint64)

    def add(self, chunk: Chunk) -> None:
        """Keep the words and paragraph layout of a chunk's bodies (the next rows)."""
        # Written from the array's buffer: no bytes copy of the chunk's words.
        self._file.write(np.ascontiguousarray(chunk.words, dtype=np.uint64).data)
        paragraph_owner = np.repeat(np.arange(chunk.count), chunk.paragraphs)
        self._word_counts.append(
            np.bincount(
                paragraph_owner, weights=chunk.paragraph_lengths, minlength=chunk.count
            ).astype(np.int64)
        )
        self._paragraphs.append(np.asarray(chunk.paragraphs, dtype=np.int64))
        self._lengths.append(np.asarray(chunk.paragraph_lengths, dtype=np.int32))
        self._text.append(np.asarray(chunk.text, dtype=bool))
        self._paragraph_digests.append(chunk.paragraph_digests)
        self._digests.append(chunk.digests)

    def seal(self) -> None:
        """Done adding: flush the file and index the layout."""
        self._file.flush()
        counts = np.concatenate(self._word_counts) if self._word_counts else np.zeros(0, int)
        paragraphs = np.concatenate(self._paragraphs) if self._paragraphs else np.zeros(0, int)
        self._word_start = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=self._word_start[1:])
        self._paragraph_start = np.zeros(len(paragraphs) + 1, dtype=np.int64)
        np.cumsum(paragraphs, out=self._paragraph_start[1:])
        self._all_lengths = np.concatenate(self._lengths) if self._lengths else self._all_lengths
        self._all_text = np.concatenate(self._text) if self._text else self._all_text
        if self._digests:
            self._all_paragraph_digests = np.concatenate(self._paragraph_digests)
            self._all_digests = np.concatenate(self._digests)
        self._word_counts, self._paragraphs, self._lengths, self._text = [], [], [], []
        self._paragraph_digests, self._digests = [], []

    def chunk(self, rows: Sequence[int], size: int) -> Chunk:
        """The ``Chunk`` of the bodies read at ``rows`` (0 for the first added), in that order:
        the same arrays ``read_chunk`` gave for them."""
        starts, ends = self._word_start[rows], self._word_start[np.asarray(rows) + 1]
        fd = self._file.fileno()
        kernels = compiled.KERNELS
        if kernels is not None:
            words = kernels.read_spans(fd, starts, ends)
        else:
            data = b"".join(
                os.pread(fd, 8 * int(end - start), 8 * int(start))
                for start, end in zip(starts.tolist(), ends.tolist(), strict=True)
            )
            words = np.frombuffer(data, dtype=np.uint64)
        first, last = self._paragraph_start[rows], self._paragraph_start[np.asarray(rows) + 1]
        paragraphs = last - first
        picked = np.repeat(first - np.cumsum(paragraphs) + paragraphs, paragraphs) + np.arange(
            int(paragraphs.sum())
        )
        return assemble_chunk(
            words,
            self._all_lengths[picked].astype(np.int64),
            paragraphs,
            self._all_text[picked],
            size,
            (self._all_paragraph_digests[picked], self._all_digests[rows]),
        )


def find_copies_streamed(
    chunks: Iterable[Sequence[tuple[str, Sequence[str]]] | EncodedBodies],
    options: CopyOptions | None = None,
    *,
    explained: bool = True,
) -> CopyResult:
    """``find_copies`` over a corpus read once in chunks, without holding its texts.

    ``chunks`` yields the ``(id, paragraphs)`` of every page once, a few hundred at a time (or
    the same pages already encoded, ``reader.EncodedBodies``).
    Each page is read once: its word hashes wait in a temporary file (``SpilledWords``) for
    verification, which needs only the pages of candidate pairs, a block at a time. The
    result is ``find_copies`` of the same pages.
    """
    # Python's cyclic collector paused for the run, as ingest pauses it for a batch: a run
    # makes objects by the hundred thousand (ids, pairs) and no reference cycles, and each of
    # them counted towards the collector's thresholds, which set off full collections walking
    # everything the process holds (~2% of the 100k-page speed corpus run in ``perf``:
    # ``gc_collect_main``, ``visit_decref``).
    options = options or CopyOptions()
    _roomy_heap()
    with collector_paused(), tempfile.TemporaryFile(prefix="newsfold-words-") as handle:
        return _find_copies_spilled(chunks, SpilledWords(handle), options, explained)


@cache
def _roomy_heap() -> None:
    """Let the C allocator keep the memory a run frees between chunks (once per process).

    Every chunk allocates and frees a few megabytes of arrays. glibc's malloc maps an
    allocation above its threshold afresh (128 KiB at start) and returns the top of its heap
    to the system once more than twice that threshold lies free there, so the next chunk's
    arrays land on fresh pages: a page fault and a zeroed page per 4 KiB (or per 2 MiB huge
    page numpy asks for), 200k faults on the 100k-page speed corpus. The allocator raises both
    limits when the program frees a mapped block larger than the threshold (up to 32 MiB);
    one such block, allocated and freed untouched here, does so at once, as any program that
    freed a 31 MB array would: 65k faults and ~0.1-0.2 s less system time a run. (Setting the
    limits with ``mallopt`` instead turns the adjustment off, and each of them alone gave
    400k and 1.6M faults.) With another allocator this costs a mapping and changes nothing.
    """
    np.empty(31 << 20, dtype=np.uint8)


def _find_copies_spilled(
    chunks: Iterable[Sequence[tuple[str, Sequence[str]]] | EncodedBodies],
    spilled: SpilledWords,
    options: CopyOptions,
    explained: bool,
) -> CopyResult:
    ids: list[str] = []
    short_parts: list[np.ndarray] = []
    digest_parts: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for part in chunks:
        start = len(ids)
        if isinstance(part, EncodedBodies):
            ids.extend(part.ids)
            chunk = read_encoded_chunk(
                part.joined, part.paragraphs, options.shingle_size, options.text_paragraph_words
            )
        else:
            ids.extend(doc_id for doc_id, _ in part)
            chunk = read_chunk(
                [paragraphs for _, paragraphs in part],
                options.shingle_size,
                options.text_paragraph_words,
            )
        spilled.add(chunk)
        prints = fingerprint_chunk(chunk, options)
        short_parts.append(prints.too_short)
        digest_parts.append(prints.digests)
        keys.append(prints.keys)
        owners.append(prints.key_owner + start)
    spilled.seal()
    if len(set(ids)) != len(ids):
        repeated = sorted(doc_id for doc_id, count in Counter(ids).items() if count > 1)
        raise InputError(f"copies: document ids must be unique, repeated: {repeated[:5]}")
    # Work in id order so that everything downstream is independent of the input order.
    count = len(ids)
    arrival = np.array(sorted(range(count), key=ids.__getitem__), dtype=np.int64)
    rank = np.empty(count, dtype=np.int64)
    rank[arrival] = np.arange(count, dtype=np.int64)
    ordered_ids = [ids[k] for k in arrival.tolist()]
    del ids
    too_short = np.concatenate(short_parts)[arrival] if count else np.zeros(0, dtype=bool)
    digests = np.concatenate(digest_parts)[arrival] if count else np.zeros(0, dtype=np.uint64)
    all_keys = np.concatenate(keys) if keys else np.zeros(0, dtype=np.uint64)
    all_owners = np.concatenate(owners) if owners else np.zeros(0, dtype=np.int64)
    del keys, owners

    # Exact duplicates: the first page (in id order) of each digest stands for the others.
    long_enough = np.flatnonzero(~too_short)
    representative = np.full(count, -1, dtype=np.int64)
    order = np.argsort(digests[long_enough], kind="stable")
    sorted_digests = digests[long_enough][order]
    run_first = np.searchsorted(sorted_digests, sorted_digests, side="left")
    representative[long_enough[order]] = long_enough[order][run_first]
    is_rep = representative == np.arange(count)
    candidates = _candidate_pairs(all_keys, all_owners, rank, is_rep)
    del all_keys, all_owners
    duplicates = np.flatnonzero((representative >= 0) & ~is_rep)

    # Verify component by component of the candidate graph (each page belongs to one), a block of
    # components at a time: only the bodies of the block being verified are held in memory.
    work = np.concatenate(
        (candidates, np.stack((representative[duplicates], duplicates), axis=1))
    ).astype(np.int64)
    kinds = np.concatenate((np.zeros(len(candidates), bool), np.ones(len(duplicates), bool)))
    labels = component_labels(count, work)
    order = np.lexsort((work[:, 1], work[:, 0], labels[work[:, 0]]))
    work, kinds = work[order], kinds[order]
    component = labels[work[:, 0]]
    settled: list[_Settled] = []
    made: list[tuple[int, int, CopyPair]] = []
    start = 0
    while start < len(work):
        end = min(len(work), start + PAIRS_PER_BLOCK)
        # Extend the block to the end of its last component.
        end = int(np.searchsorted(component, component[end - 1], side="right"))
        block, block_kinds = work[start:end], kinds[start:end]
        rows = unique_sorted(block.ravel())
        chunk = spilled.chunk(arrival[rows], options.shingle_size)
        block_settled, block_made = _verify_block(
            chunk,
            np.searchsorted(rows, block),
            block_kinds,
            rows,
            ordered_ids,
            options,
            explained,
        )
        settled.append(block_settled)
        made.extend(block_made)
        start = end
    pairs, edges = _sorted_pairs(settled, made, ordered_ids)
    return CopyResult(
        pairs=pairs,
        groups=_rank_groups(count, edges, ordered_ids),
        too_short=tuple(ordered_ids[k] for k in np.flatnonzero(too_short).tolist()),
        candidates=len(candidates) + len(duplicates),
    )


# The settled pairs of a block: ranks of a and b, resemblance, containment of a and of b,
# does b have more text, are they exact duplicates (``_verify_block``).
_Settled = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _sorted_pairs(
    settled: Sequence[_Settled], made: Sequence[tuple[int, int, CopyPair]], ordered_ids: list[str]
) -> tuple[CopyPairs, np.ndarray]:
    """Every block's pairs in one ``CopyPairs``, sorted by ``(a, b)``, and their rank pairs
    (n x 2). Ranks are in id order: sorting by them sorts the pairs, and the groups come from
    the rank pairs (array union-find) rather than from the pairs' strings. ``made``: pairs of
    the pairwise path with the ranks of their pages (their score columns are never read)."""
    unused = np.zeros(len(made))
    unset = np.zeros(len(made), dtype=bool)
    made_columns = (
        np.array([entry[0] for entry in made], dtype=np.int64),
        np.array([entry[1] for entry in made], dtype=np.int64),
        unused,
        unused,
        unused,
        unset,
        unset,
    )
    columns = [
        np.concatenate([*(part[k] for part in settled), column])
        for k, column in enumerate(made_columns)
    ]
    order = np.lexsort((columns[1], columns[0]))  # the pairs are unique: (a, b) orders them
    a, b, resemblance, contained_a, contained_b, fuller_b, exact = (
        column[order] for column in columns
    )
    position = np.empty(len(order), dtype=np.int64)
    position[order] = np.arange(len(order))
    at = position[len(order) - len(made) :].tolist()
    pairs = CopyPairs(
        ordered_ids,
        a,
        b,
        (resemblance, contained_a, contained_b),
        fuller_b,
        exact,
        {at[k]: entry[2] for k, entry in enumerate(made)},
    )
    return pairs, np.stack((a, b), axis=1)


def _rank_groups(
    count: int, edges: np.ndarray, ordered_ids: Sequence[str]
) -> tuple[tuple[str, ...], ...]:
    """``group_pairs`` of pairs given as rows of ``edges`` (ranks into ``ordered_ids``, which is
    sorted): the components of size >= 2, members sorted, groups sorted."""
    if not len(edges):
        return ()
    labels = component_labels(count, edges)
    nodes = unique_sorted(edges.ravel())  # ranks: in id order
    by_label = np.argsort(labels[nodes], kind="stable")
    nodes, owner = nodes[by_label], labels[nodes][by_label]
    bounds = (np.flatnonzero(owner[1:] != owner[:-1]) + 1).tolist()
    members = [ordered_ids[k] for k in nodes.tolist()]
    edges_of = zip([0, *bounds], [*bounds, len(members)], strict=True)
    return tuple(sorted(tuple(members[first:last]) for first, last in edges_of))


def _verify_block(
    chunk: Chunk,
    block: np.ndarray,
    duplicate: np.ndarray,
    ranks: np.ndarray,
    ordered_ids: Sequence[str],
    options: CopyOptions,
    explained: bool,
) -> tuple[_Settled, list[tuple[int, int, CopyPair]]]:
    """The copy pairs among ``block`` (rows of ``chunk``, ids sorted within a pair;
    ``duplicate``: same normalised words), as ``verify`` and ``explain`` give them pair by pair,
    with the ranks of their two pages (``ranks``: each row's rank, ``ordered_ids[rank]`` its
    id): ``(settled, made)``, the columns of the pairs settled by the block counts (no
    ``CopyPair`` made: ``CopyPairs`` makes them when read) and the pairs of the pairwise path.

    Scores and the interleaving bound come for the whole block from ``blockverify``; only pairs
    that need more are handed to ``verify`` with their bodies: every copy when ``explained``
    (for its alignment), else those that ``may_interleave`` (and pairs of components too large
    for a bitmask).
    """
    counts = block_counts(chunk, block)
    handled = counts.handled[block[:, 0]]
    _, size_a, size_b, resemblance, contained_a, contained_b = pair_scores(counts, block)
    digests = chunk.digests
    same_words = digests[block[:, 0]] == digests[block[:, 1]]
    copy = copy_mask(size_a, size_b, resemblance, contained_a, contained_b, options)
    # What needs the pairwise path: unhandled pairs, digest collisions of different pages, and
    # (explained) every copy or duplicate, or (lean) copies that may interleave.
    pairwise = ~handled | (same_words & ~duplicate)
    if explained:
        pairwise |= handled & (copy | duplicate)
        settled = np.zeros(len(block), dtype=bool)
    else:
        candidate = handled & copy & ~same_words & ~duplicate
        unsure = np.zeros(len(block), dtype=bool)
        chosen = np.flatnonzero(candidate)
        unsure[chosen] = may_interleave(chunk, counts, block[chosen])
        pairwise |= unsure
        settled = (candidate & ~unsure) | (handled & duplicate)
    chosen = np.flatnonzero(settled)
    exact = duplicate[chosen]
    columns: _Settled = (
        ranks[block[chosen, 0]],
        ranks[block[chosen, 1]],
        np.where(exact, 1.0, resemblance[chosen]),
        np.where(exact, 1.0, contained_a[chosen]),
        np.where(exact, 1.0, contained_b[chosen]),
        size_b[chosen] > size_a[chosen],
        exact,
    )
    out: list[tuple[int, int, CopyPair]] = []
    todo = np.flatnonzero(pairwise)
    if len(todo):
        row_ranks = ranks.tolist()
        ids = [ordered_ids[rank] for rank in row_ranks]
        needed = unique_sorted(block[todo].ravel()).tolist()
        bodies = dict(zip(needed, bodies_of(chunk, needed), strict=True))
        for k in todo.tolist():
            i, j = int(block[k, 0]), int(block[k, 1])
            found: CopyPair | None
            if duplicate[k] and explained:
                found = explain(
                    ids[i], (), ids[j], (), options=options, a_body=bodies[i], b_body=bodies[j]
                )
            elif duplicate[k]:
                found = scored_pair(ids[i], bodies[i], ids[j], bodies[j], None)
            else:
                found = verify(ids[i], bodies[i], ids[j], bodies[j], options, explained=explained)
            if found is not None:
                out.append((row_ranks[i], row_ranks[j], found))
    return columns, out

"""The batch copies stage: candidates by shared keys, exact verification, groups by union-find.

The corpus is read in chunks (``reader.read_chunk``) into candidate keys only; bodies with the
same normalised words are one page for candidate generation (the exact-duplicate fast path);
candidate pairs come from sorting the keys (a slice of the key space at a time); only the pages
in a candidate pair are read again (``find_copies_streamed`` fetches them from the caller, so a
file need not be held in memory) as ``Body`` objects for exact verification and, unless turned
off, explanation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from newsfold.copies.explain import explain, scored_pair, verify
from newsfold.copies.fingerprint import fingerprint_chunk
from newsfold.copies.options import CopyOptions
from newsfold.copies.reader import read_chunk, unique_sorted
from newsfold.copies.shingles import Body, bodies_of
from newsfold.copies.unionfind import UnionFind
from newsfold.errors import InputError
from newsfold.models import CopyPair

# Bodies per chunk: about 1.5 MB of text, so the chunk's arrays stay small enough for the
# allocator to reuse (fresh large arrays cost a page fault per 4 KiB; see ``reader``).
CHUNK_BODIES = 256
# Candidate pairs verified per block (rounded up to whole components of the candidate graph):
# the block's bodies are held read (~50 KB each with their tables); 1024 pairs kept the 100k-page
# speed run's peak memory near the key arrays' instead of 250 MB above them.
PAIRS_PER_BLOCK = 1024
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
    ``only_b`` empty); ``explain`` of the two pages' paragraphs gives it.
    """

    pairs: tuple[CopyPair, ...]
    groups: tuple[tuple[str, ...], ...]
    too_short: tuple[str, ...]
    candidates: int = 0


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
    order = np.argsort(keys, kind="stable")
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
    codes = unique_sorted(low[keep] * (int(members.max()) + 1) + high[keep])
    width = int(members.max()) + 1
    return np.stack((codes // width, codes % width), axis=1)


def _key_pairs_by_part(keys: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """``key_pairs`` a slice of the key space at a time: the same pairs, a fraction of the
    temporary arrays (on 100k pages, 7.4M keys cost ~500 MB of sort buffers in one go)."""
    found = []
    low = keys & np.uint64(KEY_PARTS - 1)
    for part in range(KEY_PARTS):
        chosen = low == np.uint64(part)
        pairs = key_pairs(keys[chosen], owner[chosen])
        found.append(pairs[:, 0] * count + pairs[:, 1])
    codes = unique_sorted(np.concatenate(found))
    return np.stack((codes // max(count, 1), codes % max(count, 1)), axis=1)


def component_labels(count: int, edges: np.ndarray) -> np.ndarray:
    """Connected-component labels of ``count`` nodes under ``edges`` (n x 2): the least member.

    Min-label propagation with pointer jumping, all in array operations.

    >>> component_labels(5, np.array([[3, 4], [1, 3]])).tolist()
    [0, 1, 2, 1, 1]
    """
    labels = np.arange(count, dtype=np.int64)
    if len(edges) == 0:
        return labels
    a, b = edges[:, 0], edges[:, 1]
    while True:
        low = np.minimum(labels[a], labels[b])
        before = labels.copy()
        np.minimum.at(labels, a, low)
        np.minimum.at(labels, b, low)
        labels = labels[labels]
        if np.array_equal(labels, before):
            return labels


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
    return find_copies_streamed(
        chunks, lambda rows: [docs[k][1] for k in rows], options, explained=explained
    )


def find_copies_streamed(
    chunks: Iterable[Sequence[tuple[str, Sequence[str]]]],
    fetch: Callable[[Sequence[int]], Sequence[Sequence[str]]],
    options: CopyOptions | None = None,
    *,
    explained: bool = True,
) -> CopyResult:
    """``find_copies`` over a corpus read once in chunks, without holding its texts.

    ``chunks`` yields the ``(id, paragraphs)`` of every page once, a few hundred at a time;
    ``fetch(rows)`` gives the paragraphs of the pages at those positions of the stream (0 for
    the first page read), in that order: only pages in a candidate pair are fetched again, a
    block at a time. The result is ``find_copies`` of the same pages.
    """
    options = options or CopyOptions()
    ids: list[str] = []
    short_parts: list[np.ndarray] = []
    digest_parts: list[np.ndarray] = []
    keys: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for part in chunks:
        start = len(ids)
        ids.extend(doc_id for doc_id, _ in part)
        chunk = read_chunk(
            [paragraphs for _, paragraphs in part],
            options.shingle_size,
            options.text_paragraph_words,
        )
        prints = fingerprint_chunk(chunk, options)
        short_parts.append(prints.too_short)
        digest_parts.append(prints.digests)
        keys.append(prints.keys)
        owners.append(prints.key_owner + start)
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
    all_owners = rank[np.concatenate(owners)] if owners else np.zeros(0, dtype=np.int64)
    del keys, owners

    # Exact duplicates: the first page (in id order) of each digest stands for the others.
    long_enough = np.flatnonzero(~too_short)
    representative = np.full(count, -1, dtype=np.int64)
    order = np.argsort(digests[long_enough], kind="stable")
    sorted_digests = digests[long_enough][order]
    run_first = np.searchsorted(sorted_digests, sorted_digests, side="left")
    representative[long_enough[order]] = long_enough[order][run_first]
    is_rep = representative == np.arange(count)
    rep_rows = is_rep[all_owners]
    all_keys, all_owners = all_keys[rep_rows], all_owners[rep_rows]
    del rep_rows
    candidates = _key_pairs_by_part(all_keys, all_owners, count)
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
    pairs: list[CopyPair] = []
    start = 0
    while start < len(work):
        end = min(len(work), start + PAIRS_PER_BLOCK)
        # Extend the block to the end of its last component.
        end = int(np.searchsorted(component, component[end - 1], side="right"))
        block, block_kinds = work[start:end], kinds[start:end]
        rows = unique_sorted(block.ravel()).tolist()
        bodies: dict[int, Body] = {}
        for first, last in _chunks(len(rows), CHUNK_BODIES):
            chunk = read_chunk(
                fetch(arrival[rows[first:last]].tolist()),
                options.shingle_size,
                options.text_paragraph_words,
            )
            bodies.update(zip(rows[first:last], bodies_of(chunk), strict=True))
        for (i, j), duplicate in zip(block.tolist(), block_kinds.tolist(), strict=True):
            if duplicate and not explained:
                pairs.append(
                    scored_pair(ordered_ids[i], bodies[i], ordered_ids[j], bodies[j], None)
                )
                continue
            if duplicate:
                pairs.append(
                    explain(
                        ordered_ids[i],
                        (),
                        ordered_ids[j],
                        (),
                        options=options,
                        a_body=bodies[i],
                        b_body=bodies[j],
                    )
                )
                continue
            pair = verify(
                ordered_ids[i], bodies[i], ordered_ids[j], bodies[j], options, explained=explained
            )
            if pair is not None:
                pairs.append(pair)
        start = end
    pairs.sort(key=lambda p: (p.a, p.b))
    return CopyResult(
        pairs=tuple(pairs),
        groups=group_pairs(pairs),
        too_short=tuple(ordered_ids[k] for k in np.flatnonzero(too_short).tolist()),
        candidates=len(candidates) + len(duplicates),
    )

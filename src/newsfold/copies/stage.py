"""The batch copies stage: candidates by shared keys, exact verification, groups by union-find."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from newsfold.copies.explain import verify
from newsfold.copies.fingerprint import fingerprint_many
from newsfold.copies.lsh import candidate_pairs
from newsfold.copies.options import CopyOptions
from newsfold.copies.unionfind import UnionFind
from newsfold.errors import InputError
from newsfold.models import CopyPair


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What the copies stage found.

    ``pairs``: verified copy pairs sorted by ``(a, b)``. ``groups``: connected components of the
    pairs, size >= 2, members sorted, groups sorted. ``too_short``: ids of bodies under
    ``min_shingles`` (never paired), sorted. ``candidates``: pairs compared exactly.
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


def find_copies(
    docs: Sequence[tuple[str, Sequence[str]]], options: CopyOptions | None = None
) -> CopyResult:
    """Find the pages that carry the same text.

    ``docs`` are ``(id, paragraphs)``. Two pages are candidates when they share a band key or a
    paragraph key; every candidate is verified exactly on shingle sets (``verify.is_copy``) and
    explained by paragraph alignment. The result does not depend on the order of ``docs``, and
    ``CopyIndex`` fed the same pages one at a time gives the same pairs.
    """
    options = options or CopyOptions()
    ids = [doc_id for doc_id, _ in docs]
    if len(set(ids)) != len(ids):
        repeated = sorted(doc_id for doc_id, count in Counter(ids).items() if count > 1)
        raise InputError(f"copies: document ids must be unique, repeated: {repeated[:5]}")
    # Work in id order so that everything downstream is independent of the input order.
    ordered = sorted(docs, key=lambda doc: doc[0])
    prints = fingerprint_many([paragraphs for _, paragraphs in ordered], options)
    too_short = tuple(
        doc_id for (doc_id, _), fp in zip(ordered, prints, strict=True) if fp.too_short
    )
    candidates = candidate_pairs([fp.keys for fp in prints])
    pairs: list[CopyPair] = []
    for i, j in sorted(candidates):
        pair = verify(ordered[i][0], prints[i].body, ordered[j][0], prints[j].body, options)
        if pair is not None:
            pairs.append(pair)
    pairs.sort(key=lambda p: (p.a, p.b))
    return CopyResult(
        pairs=tuple(pairs),
        groups=group_pairs(pairs),
        too_short=too_short,
        candidates=len(candidates),
    )

"""LSH banding: one candidate key per band of a MinHash signature, plus candidate-pair generation."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsfold.copies.reader import KEY_MASK
from newsfold.copies.tokens import mix64

# Multiplier that spreads the band index over the key so equal rows in two bands never collide.
_BAND_SALT = np.uint64(0xD6E8FEB86659FD93)


def band_keys(signature: np.ndarray, bands: int, rows_per_band: int) -> np.ndarray:
    """One 63-bit key per band: a hash of the band's rows with the band index mixed in.

    Works on one signature (``num_perm``,) giving (``bands``,), or on a batch
    (pages, ``num_perm``) giving (pages, ``bands``). Only the first ``bands * rows_per_band``
    values are used. Keys fit a signed 64-bit integer, so a store can index them as they are.

    >>> sig = np.arange(8, dtype=np.uint64)
    >>> keys = band_keys(sig, 2, 4)
    >>> keys.shape, bool(keys[0] != keys[1])
    ((2,), True)
    >>> bool((band_keys(np.stack([sig, sig]), 2, 4)[1] == keys).all())
    True
    """
    signature = np.asarray(signature, dtype=np.uint64)
    needed = bands * rows_per_band
    if signature.shape[-1] < needed:
        raise ValueError(
            f"signature has {signature.shape[-1]} values, banding needs {needed} "
            f"({bands} bands x {rows_per_band} rows)"
        )
    rows = signature[..., :needed].reshape(*signature.shape[:-1], bands, rows_per_band)
    with np.errstate(over="ignore"):
        acc = (np.arange(1, bands + 1, dtype=np.uint64) * _BAND_SALT) * np.ones(
            signature.shape[:-1] + (1,), dtype=np.uint64
        )
        for row in range(rows_per_band):
            acc = mix64(acc ^ rows[..., row])
    return acc & KEY_MASK


def candidate_pairs(doc_keys: Sequence[np.ndarray]) -> set[tuple[int, int]]:
    """Index pairs (i < j) of documents that share at least one key.

    Sorts all (key, doc) entries once and walks the runs of equal keys; a key held by k documents
    gives k(k-1)/2 pairs.
    """
    if not doc_keys:
        return set()
    lengths = [len(k) for k in doc_keys]
    if sum(lengths) == 0:
        return set()
    keys = np.concatenate([np.asarray(k, dtype=np.uint64) for k in doc_keys])
    docs = np.repeat(np.arange(len(doc_keys), dtype=np.int64), lengths)
    order = np.lexsort((docs, keys))
    keys = keys[order]
    docs = docs[order]
    boundaries = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(keys)]))
    pairs: set[tuple[int, int]] = set()
    for start, end in zip(starts[ends - starts > 1], ends[ends - starts > 1], strict=True):
        members = np.unique(docs[start:end]).tolist()
        for x, first in enumerate(members):
            for second in members[x + 1 :]:
                pairs.add((first, second))
    return pairs

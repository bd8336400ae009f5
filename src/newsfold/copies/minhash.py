"""MinHash signatures of shingle sets, one page or a whole batch at a time, vectorised in numpy.

Permutation i maps a shingle hash x to ``a_i * x + b_i mod 2**64`` with ``a_i`` odd: a bijection
of 64-bit integers, so two sets share a minimum exactly when they share the shingle that gives it
(no false agreement from truncation, unlike 32-bit MinHash). The shingle hashes are already
uniformly mixed (splitmix64), which is what a linear family needs to behave as min-wise
independent; the test suite checks the estimate against exact Jaccard.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsfold.errors import ConfigError

# Shingles per block in batch signing: a block is a (num_perm x block) uint64 matrix, 16 MiB at
# 128 permutations, small enough to stay in cache-friendly territory on a 2-core machine.
_BLOCK_SHINGLES = 16_384
_MAX = np.iinfo(np.uint64).max


class MinHasher:
    """Signs sorted shingle arrays with ``num_perm`` seeded permutations.

    >>> hasher = MinHasher(num_perm=4, seed=1)
    >>> sig = hasher.signature(np.array([3, 5, 7], dtype=np.uint64))
    >>> sig.shape, sig.dtype.name
    ((4,), 'uint64')
    """

    __slots__ = ("_a", "_b", "num_perm", "seed")

    def __init__(self, num_perm: int = 128, seed: int = 1) -> None:
        if num_perm < 1:
            raise ConfigError(f"num_perm must be a positive integer, got {num_perm!r}")
        self.num_perm = num_perm
        self.seed = seed
        rng = np.random.default_rng(seed)
        high = np.iinfo(np.uint64).max
        self._a = rng.integers(1, high, size=num_perm, dtype=np.uint64, endpoint=True) | np.uint64(
            1
        )
        self._b = rng.integers(0, high, size=num_perm, dtype=np.uint64, endpoint=True)

    def _permute(self, shingles: np.ndarray) -> np.ndarray:
        """(num_perm x len(shingles)) permuted values."""
        with np.errstate(over="ignore"):
            values: np.ndarray = self._a[:, None] * shingles[None, :]
            values += self._b[:, None]
        return values

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        """The uint64 MinHash signature of one shingle array (all-max for an empty set)."""
        shingles = np.asarray(shingles, dtype=np.uint64)
        if len(shingles) == 0:
            return np.full(self.num_perm, _MAX, dtype=np.uint64)
        out = np.full(self.num_perm, _MAX, dtype=np.uint64)
        for start in range(0, len(shingles), _BLOCK_SHINGLES):
            block = self._permute(shingles[start : start + _BLOCK_SHINGLES])
            np.minimum(out, block.min(axis=1), out=out)
        return out

    def signatures(self, shingles: np.ndarray, offsets: np.ndarray) -> np.ndarray:
        """Signatures of many pages at once: a (pages x num_perm) uint64 matrix.

        ``shingles`` is every page's shingle array concatenated; page k owns
        ``shingles[offsets[k]:offsets[k + 1]]`` (so ``offsets`` has one more entry than pages).
        Pages are signed in blocks of about 16k shingles with one matrix product and a
        segmented minimum (``np.minimum.reduceat``) per block.
        """
        shingles = np.asarray(shingles, dtype=np.uint64)
        offsets = np.asarray(offsets, dtype=np.int64)
        pages = len(offsets) - 1
        out = np.full((pages, self.num_perm), _MAX, dtype=np.uint64)
        first = 0
        while first < pages:
            # Grow the block page by page up to the shingle budget (at least one page).
            last = first + 1
            while last < pages and offsets[last + 1] - offsets[first] <= _BLOCK_SHINGLES:
                last += 1
            self._sign_block(shingles, offsets, first, last, out)
            first = last
        return out

    def _sign_block(
        self, shingles: np.ndarray, offsets: np.ndarray, first: int, last: int, out: np.ndarray
    ) -> None:
        lengths = offsets[first + 1 : last + 1] - offsets[first:last]
        filled = np.flatnonzero(lengths > 0)
        if len(filled) == 0:
            return
        if last - first == 1:
            out[first] = self.signature(shingles[offsets[first] : offsets[last]])
            return
        block = self._permute(shingles[offsets[first] : offsets[last]])
        starts = (offsets[first:last] - offsets[first])[filled]
        # reduceat over non-empty segments only: an empty segment would return a neighbour's value.
        minima = np.minimum.reduceat(block, starts, axis=1)
        out[first + filled] = minima.T


def pack(arrays: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Concatenate shingle arrays with their offsets, the input of ``MinHasher.signatures``."""
    offsets = np.zeros(len(arrays) + 1, dtype=np.int64)
    if arrays:
        np.cumsum([len(a) for a in arrays], out=offsets[1:])
        values = np.concatenate([np.asarray(a, dtype=np.uint64) for a in arrays])
    else:
        values = np.zeros(0, dtype=np.uint64)
    return values, offsets

"""What copy detection keeps of a body: its shingles, a MinHash signature and candidate keys.

``fingerprint_many`` is the one place where bodies become keys; the batch driver and the
incremental index both call it, so they see the same candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsfold.copies.lsh import band_keys
from newsfold.copies.minhash import MinHasher, pack
from newsfold.copies.options import CopyOptions
from newsfold.copies.shingles import EMPTY, Body, body_paragraph_keys, read_bodies


@dataclass(frozen=True, slots=True, eq=False)
class Fingerprint:
    """One body's copy-detection data.

    ``body``: the body read once (shingles, digests, word hashes). ``signature``: MinHash values,
    empty when the body is too short. ``keys``: sorted unique candidate keys (band keys, then
    paragraph keys mixed in), empty when the body is too short, so a short body is never a
    candidate of anything.
    """

    body: Body
    signature: np.ndarray
    keys: np.ndarray

    @property
    def shingles(self) -> np.ndarray:
        return self.body.shingles

    @property
    def too_short(self) -> bool:
        return len(self.keys) == 0


def fingerprint_many(
    bodies: Sequence[Sequence[str]], options: CopyOptions, hasher: MinHasher | None = None
) -> list[Fingerprint]:
    """Fingerprints of many bodies, signed in one vectorised batch."""
    if hasher is None:
        hasher = make_hasher(options)
    read = read_bodies(bodies, options.shingle_size, text_words=options.text_paragraph_words)
    long_enough = [k for k, body in enumerate(read) if len(body.shingles) >= options.min_shingles]
    values, offsets = pack([read[k].shingles for k in long_enough])
    signatures = hasher.signatures(values, offsets)
    bands = band_keys(signatures, options.bands, options.rows_per_band)
    out = [Fingerprint(body=body, signature=EMPTY, keys=EMPTY) for body in read]
    for row, k in enumerate(long_enough):
        extra = body_paragraph_keys(read[k], options.paragraph_key_words)
        out[k] = Fingerprint(
            body=read[k], signature=signatures[row], keys=np.union1d(bands[row], extra)
        )
    return out


def make_hasher(options: CopyOptions) -> MinHasher:
    """The MinHasher that ``options`` describe."""
    return MinHasher(num_perm=options.num_perm, seed=options.seed)

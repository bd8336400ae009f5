"""Copy detection: pages that carry the same text, found by MinHash-LSH and verified exactly.

Pure kernels (byte tokeniser, shingles, one-permutation MinHash, banding, exact comparison,
paragraph alignment, union-find, site repeated lines) and two drivers over them that give the
same groups: ``find_copies`` for a batch (read in vectorised chunks) and ``CopyIndex`` for pages
arriving one at a time.

The per-byte, per-word and per-shingle loops (tokeniser, shingles and digests, MinHash bins,
candidate pairs, block verification counts, the JSON Lines reader of the batch driver) have
compiled twins in ``_kernels.pyx`` (Cython), used when built (``compiled.compiled()``); the
numpy code stays as the fallback and gives identical results.
"""

from __future__ import annotations

from newsfold.copies.align import align_bodies, align_paragraphs
from newsfold.copies.explain import explain, verify
from newsfold.copies.fingerprint import Fingerprint, fingerprint_many, make_hasher
from newsfold.copies.index import Added, BodyStorage, CopyIndex, CopyStorage, MemoryCopyStorage
from newsfold.copies.lsh import band_keys, candidate_pairs
from newsfold.copies.minhash import MinHasher, pack
from newsfold.copies.options import CopyOptions
from newsfold.copies.shingles import (
    Body,
    body_shingles,
    paragraph_keys,
    read_bodies,
    read_body,
    segment_shingles,
)
from newsfold.copies.sitelines import repeated_lines, strip_site_chrome
from newsfold.copies.stage import CopyResult, find_copies, find_copies_streamed, group_pairs
from newsfold.copies.unionfind import UnionFind
from newsfold.copies.verify import compare, is_copy

__all__ = [
    "Added",
    "Body",
    "BodyStorage",
    "CopyIndex",
    "CopyOptions",
    "CopyResult",
    "CopyStorage",
    "Fingerprint",
    "MemoryCopyStorage",
    "MinHasher",
    "UnionFind",
    "align_bodies",
    "align_paragraphs",
    "band_keys",
    "body_shingles",
    "candidate_pairs",
    "compare",
    "explain",
    "find_copies",
    "find_copies_streamed",
    "fingerprint_many",
    "group_pairs",
    "is_copy",
    "make_hasher",
    "pack",
    "paragraph_keys",
    "read_bodies",
    "read_body",
    "repeated_lines",
    "segment_shingles",
    "strip_site_chrome",
    "verify",
]

"""The settings of copy detection: shingling, MinHash, LSH banding and the verification floors."""

from __future__ import annotations

from dataclasses import dataclass

from newsfold.errors import ConfigError


@dataclass(frozen=True, slots=True)
class CopyOptions:
    """What counts as a copy and how hard to look for one.

    shingle_size:
        Words per shingle. Larger n makes a shingle rarer, so chance overlaps between different
        write-ups of one event vanish, but every edited word breaks n shingles. 5 is the usual
        choice for near-duplicate news (Broder 1997; text-dedup); on the seed pages 000/001 it
        gives 0.58 resemblance between the two copies and almost nothing against 004.
    num_perm:
        MinHash values per signature: the bins of one-permutation MinHash
        (``fingerprint.one_permutation_signatures``). The estimate's standard error is about
        sqrt(J(1-J)/num_perm): 0.044 at J=0.5 with 128. Signing costs the same for any count
        (one pass over the shingles); banding and storage grow with it.
    bands, rows_per_band:
        LSH banding: two pages become candidates when one band of ``rows_per_band`` MinHash values
        agrees entirely. The chance at resemblance J is 1-(1-J^r)^b, steepest near
        (1/b)^(1/r). 64x2 puts it at 0.125, far under ``min_resemblance``, because a truncated
        wire copy has a low resemblance (capped at its length ratio) while being fully contained:
        at J=0.2 a pair is still found 93% of the time, at J=0.1 47%, which is why long shared
        paragraphs are candidate keys too (``paragraph_key_words``). Unrelated pages (J<0.02) meet
        under 2.5% of the time, and a candidate costs one sorted-array intersection. On
        ``bench/copies.py`` (2,143 pages) 64x2 found more copies than 32x4 (recall 0.997 against
        0.986) for 30% more candidates. More rows make a band rarer to match; more bands store
        more keys per page.
    min_resemblance:
        A verified pair with exact Jaccard at least this is a copy.
    min_containment:
        A verified pair where this share of the shorter page's shingles is in the longer one is a
        copy, whatever the resemblance: cutting the last paragraphs is the most common wire edit.
        The seed copies 000/001 have 0.72 and 0.74 (each keeps paragraphs the other cut). In ECB+,
        two outlets' edits of one AP story (35_10ecbplus / 35_7ecbplus) share 0.58, while
        independent write-ups of one event mostly stay under 0.3 (some that reuse wire sentences
        reach 0.4-0.5). 0.5 keeps the edited copies; raise it to be stricter about rewrites.
    min_shingles:
        Pages with fewer distinct shingles are "too short to compare": a caption or a three-word
        body would otherwise be contained in everything. 20 shingles is about 24 words, two
        sentences.
    paragraph_key_words:
        Paragraphs with at least this many words add their normalised hash as a candidate key, so a
        single shared paragraph makes a candidate even when banding misses the pair (an excerpt of
        a long story). Shorter paragraphs are where boilerplate lives ("Follow us on Twitter and
        Facebook for the latest updates." has 10 words): one such key shared by k pages makes
        k(k-1)/2 candidates (on the benchmark, 10 words gave 15x the candidates of 20 for the same
        pairs). 0 turns paragraph keys off.
    text_paragraph_words:
        When above 0, only running text is compared: paragraphs of at least this many words
        that end like a sentence, or of 40 words or more (``reader.read_chunk``); a body whose
        running text is under ``shingle_size`` words is compared on all its paragraphs. Off (0)
        by default, by measurement: on the syndication benchmark (seed 0) 12 gave F1 0.997
        against 0.999 for 0 on raw pages with each site's repeated lines out, 0.978 either way
        after the clean stage, and on raw pages with no site known 0.005 against 0.486 (what it
        drops is mostly each site's own short lines, which kept two sites' copies apart). It
        stays for bodies whose furniture is short lines and whose site is unknown.
    seed:
        Seed of the MinHash permutations. Signatures and band keys are only comparable between
        runs with the same seed (and num_perm); stored indexes must keep it.
    """

    shingle_size: int = 5
    num_perm: int = 128
    bands: int = 64
    rows_per_band: int = 2
    min_resemblance: float = 0.5
    min_containment: float = 0.5
    min_shingles: int = 20
    paragraph_key_words: int = 20
    text_paragraph_words: int = 0
    seed: int = 1

    def __post_init__(self) -> None:
        for name in ("shingle_size", "num_perm", "bands", "rows_per_band", "min_shingles"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"copies.{name} must be a positive integer, got {value!r}")
        if self.bands * self.rows_per_band > self.num_perm:
            raise ConfigError(
                f"copies.bands * copies.rows_per_band ({self.bands} * {self.rows_per_band}) must "
                f"not exceed copies.num_perm ({self.num_perm}): raise num_perm or use fewer bands"
            )
        for name in ("min_resemblance", "min_containment"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= 1:
                raise ConfigError(f"copies.{name} must be a number in (0, 1], got {value!r}")
        if (
            not isinstance(self.paragraph_key_words, int)
            or isinstance(self.paragraph_key_words, bool)
            or self.paragraph_key_words < 0
        ):
            raise ConfigError(
                "copies.paragraph_key_words must be a non-negative integer (0 turns paragraph "
                f"keys off), got {self.paragraph_key_words!r}"
            )
        if (
            not isinstance(self.text_paragraph_words, int)
            or isinstance(self.text_paragraph_words, bool)
            or self.text_paragraph_words < 0
        ):
            raise ConfigError(
                "copies.text_paragraph_words must be a non-negative integer (0 compares every "
                f"paragraph), got {self.text_paragraph_words!r}"
            )
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or self.seed < 0:
            raise ConfigError(f"copies.seed must be a non-negative integer, got {self.seed!r}")

    @property
    def banding_threshold(self) -> float:
        """The resemblance at which banding alone finds a pair about half the time."""
        return float((1.0 / self.bands) ** (1.0 / self.rows_per_band))

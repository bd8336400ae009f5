"""A verified copy pair with its evidence: exact scores, aligned paragraphs, the fuller page."""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from newsfold.copies.align import COVERED, align_bodies
from newsfold.copies.options import CopyOptions
from newsfold.copies.shingles import Body, read_body
from newsfold.copies.verify import compare, is_copy, matches
from newsfold.copies.verify import scores as score_of
from newsfold.models import CopyPair


def explain(
    a_id: str,
    a_paragraphs: Sequence[str],
    b_id: str,
    b_paragraphs: Sequence[str],
    *,
    options: CopyOptions | None = None,
    a_body: Body | None = None,
    b_body: Body | None = None,
    scores: tuple[float, float, float] | None = None,
) -> CopyPair:
    """Scores and paragraph alignment of two pages, ids put in sorted order.

    ``a_body`` / ``b_body`` are the bodies already read (``read_body`` with
    ``options.shingle_size``), ``scores`` the ``compare`` of a and b, when the caller has them.
    Identical normalised word sequences take the fast path: scores are 1.0 without a set
    intersection, ``exact`` is True, and when the paragraphs are the same too the alignment is
    the identity. This does not decide whether the pair is a copy; ``verify`` does.
    """
    options = options or CopyOptions()
    size = options.shingle_size
    words = options.text_paragraph_words
    body_a = a_body if a_body is not None else read_body(a_paragraphs, size, text_words=words)
    body_b = b_body if b_body is not None else read_body(b_paragraphs, size, text_words=words)
    if b_id < a_id:
        a_id, b_id, body_a, body_b = b_id, a_id, body_b, body_a
        if scores is not None:
            scores = (scores[0], scores[2], scores[1])
    exact = body_a.digest == body_b.digest and len(body_a.shingles) > 0
    if exact:
        resemblance = containment_a = containment_b = 1.0
    else:
        resemblance, containment_a, containment_b = scores or compare(
            body_a.shingles, body_b.shingles
        )
    if exact and body_a.paragraph_digests == body_b.paragraph_digests:
        shared = tuple((i, i) for i, n in enumerate(body_a.paragraph_lengths.tolist()) if n)
        only_a: tuple[int, ...] = ()
        only_b: tuple[int, ...] = ()
    else:
        shared, only_a, only_b = align_bodies(body_a, body_b, size)
    # The fuller page carries more of the text; on a tie, the first id.
    fuller = b_id if len(body_b.shingles) > len(body_a.shingles) else a_id
    return CopyPair(
        a=a_id,
        b=b_id,
        resemblance=resemblance,
        containment_a=containment_a,
        containment_b=containment_b,
        shared=shared,
        only_a=only_a,
        only_b=only_b,
        fuller=fuller,
        exact=exact,
    )


# An interior gap: running-text paragraphs one side alone carries, between text both share. Two or
# more paragraphs and 40 words or more is an article of its own, not an edit: on the syndication
# benchmark's raw pages, two articles of one site share the site's chrome above and below their
# own text, and a page without an article (only chrome) sits inside every page of its site. A wire
# edit drops or adds one paragraph at a time; a cut removes the end, which is not interior. Once
# each site's repeated lines are out (``sitelines``) the benchmark has no such pair left (the
# rule changed no score there); it stays as the guard for pages whose site is unknown.
GAP_PARAGRAPHS = 2
GAP_WORDS = 40


def interior_gap(body: Body, shared: Collection[int]) -> tuple[int, int]:
    """The largest run of running-text paragraphs outside ``shared`` with shared text on both sides.

    Returns ``(paragraphs, words)`` of that run (by words), ``(0, 0)`` when there is none.
    Paragraphs that are not running text (``Body.text_paragraphs``) neither count nor break a run.

    >>> from newsfold.copies.shingles import read_body
    >>> body = read_body(["one two three four five six."] * 4, 5)
    >>> interior_gap(body, {0, 3}), interior_gap(body, {0, 1})
    ((2, 12), (0, 0))
    """
    lengths = body.paragraph_lengths.tolist()
    mask = body.text_paragraphs
    text = [k for k, n in enumerate(lengths) if n and (mask is None or bool(mask[k]))]
    best = (0, 0)
    run = (0, 0)
    seen_shared = False
    for k in text:
        if k in shared:
            if seen_shared and run[1] > best[1]:
                best = run
            seen_shared = True
            run = (0, 0)
        elif seen_shared:
            run = (run[0] + 1, run[1] + lengths[k])
    return best


def is_interleaved(pair: CopyPair, a_body: Body, b_body: Body) -> bool:
    """Does each side carry a text of its own between the text they share (``interior_gap``)?

    Then what the pages share is what surrounds their own articles (one site's chrome): not a
    copy, whatever the scores. One side alone with such a gap is an edit (ECB+ 35_1/35_7: the
    shorter AP copy lost four sentences from the middle).
    """
    for body, shared in (
        (a_body, {i for i, _ in pair.shared}),
        (b_body, {j for _, j in pair.shared}),
    ):
        paragraphs, words = interior_gap(body, shared)
        if paragraphs < GAP_PARAGRAPHS or words < GAP_WORDS:
            return False
    return True


def may_interleave(
    a_body: Body, b_body: Body, size: int, found: tuple[np.ndarray, np.ndarray] | None = None
) -> bool:
    """Could ``is_interleaved`` hold for the alignment of these bodies? False proves it cannot.

    A paragraph at least ``COVERED`` of whose own shingles lie inside the other body's
    paragraphs and in its shingle set (``Body.coverage_table``) is covered and overlaps some
    paragraph of the other side, so the alignment shares it whatever else it finds. Every
    interior gap lies within a run of paragraphs outside those; when one side has no such run
    of ``GAP_PARAGRAPHS`` paragraphs and ``GAP_WORDS`` words, the pair is not interleaved and
    needs no alignment to be verified. ``found`` is ``verify.matches`` of the two shingle sets
    when the caller has it. On the 100k-page speed corpus this settles most verified pairs.
    """
    in_a, in_b = found if found is not None else matches(a_body.shingles, b_body.shingles)
    for body, other, mine, theirs in ((a_body, b_body, in_a, in_b), (b_body, a_body, in_b, in_a)):
        at, owners, sizes, _ = body.coverage_table(size)
        inner = other.coverage_table(size)[3]
        covered = np.zeros(len(body.shingles) + 1, dtype=bool)  # the last cell stands for -1
        covered[mine] = inner[theirs]
        hits = np.bincount(owners, weights=covered[at], minlength=len(sizes))
        sure = (hits > 0) & (hits >= COVERED * np.maximum(sizes, 1))
        # Only a paragraph sharing a shingle with a paragraph of the other side can be aligned
        # (and border a gap); a short paragraph's shingle, or one of the other side's paragraphs
        # left out of its shingle set, is not seen here, so those count as possible.
        possible = (hits > 0) | (body.paragraph_lengths < size)
        if other.text_paragraphs is not None and not other.text_paragraphs.all():
            possible[:] = True
        if not _open_run(body, sure, possible):
            return False
    return True


def _open_run(body: Body, sure: np.ndarray, possible: np.ndarray) -> bool:
    """Is there a run of running-text paragraphs outside ``sure``, between two ``possible``
    ones (an interior gap lies between two aligned paragraphs), as long as a gap must be?"""
    lengths = body.paragraph_lengths
    mask = body.text_paragraphs
    text = lengths > 0
    if mask is not None:
        text &= mask
    bounds = np.flatnonzero(text & possible)
    if len(bounds) < 2:
        return False
    first, last = int(bounds[0]), int(bounds[-1])
    paragraphs = words = 0
    for k, n in enumerate(lengths[first + 1 : last].tolist(), start=first + 1):
        if not n or not text[k]:
            continue
        if sure[k]:
            paragraphs = words = 0
            continue
        paragraphs, words = paragraphs + 1, words + n
        if paragraphs >= GAP_PARAGRAPHS and words >= GAP_WORDS:
            return True
    return False


def scored_pair(
    a_id: str,
    a_body: Body,
    b_id: str,
    b_body: Body,
    scores: tuple[float, float, float] | None,
) -> CopyPair:
    """The pair with its scores and fuller page but no alignment (``explain`` adds that).

    ``scores`` is ``compare`` of a and b, None for bodies with the same normalised words.
    """
    if b_id < a_id:
        a_id, b_id, a_body, b_body = b_id, a_id, b_body, a_body
        if scores is not None:
            scores = (scores[0], scores[2], scores[1])
    exact = a_body.digest == b_body.digest and len(a_body.shingles) > 0
    if exact or scores is None:
        scores = (1.0, 1.0, 1.0)
    return CopyPair(
        a=a_id,
        b=b_id,
        resemblance=scores[0],
        containment_a=scores[1],
        containment_b=scores[2],
        fuller=b_id if len(b_body.shingles) > len(a_body.shingles) else a_id,
        exact=exact,
    )


def verify(
    a_id: str,
    a_body: Body,
    b_id: str,
    b_body: Body,
    options: CopyOptions,
    *,
    explained: bool = True,
) -> CopyPair | None:
    """The explained pair when the two bodies are copies (``verify.is_copy``), else None.

    The set comparison runs first and the alignment only for pairs that pass, since most
    candidates are rejected; a pair whose shared text surrounds text of one side's own
    (``is_interleaved``) is rejected too. ``explained`` False returns the pair without its
    alignment (``scored_pair``; ``explain`` gives it on demand) and aligns only the pairs that
    ``may_interleave``: the same pairs are accepted either way.
    """
    size_a, size_b = len(a_body.shingles), len(b_body.shingles)
    if min(size_a, size_b) < options.min_shingles:
        return None
    scores = None
    if a_body.digest != b_body.digest:
        if explained:
            scores = compare(a_body.shingles, b_body.shingles)
            if not is_copy(*scores, size_a, size_b, options):
                return None
        else:
            found = matches(a_body.shingles, b_body.shingles)
            scores = score_of(len(found[0]), size_a, size_b)
            if not is_copy(*scores, size_a, size_b, options):
                return None
            if not may_interleave(a_body, b_body, options.shingle_size, found):
                return scored_pair(a_id, a_body, b_id, b_body, scores)
    elif not explained:
        return scored_pair(a_id, a_body, b_id, b_body, scores)
    pair = explain(a_id, (), b_id, (), options=options, a_body=a_body, b_body=b_body, scores=scores)
    first, second = (a_body, b_body) if pair.a == a_id else (b_body, a_body)
    if not pair.exact and is_interleaved(pair, first, second):
        return None
    if not explained:
        return scored_pair(a_id, a_body, b_id, b_body, scores)
    return pair

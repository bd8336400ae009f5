"""A verified copy pair with its evidence: exact scores, aligned paragraphs, the fuller page."""

from __future__ import annotations

from collections.abc import Sequence

from newsfold.copies.align import align_bodies
from newsfold.copies.options import CopyOptions
from newsfold.copies.shingles import Body, read_body
from newsfold.copies.verify import compare, is_copy
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
    body_a = a_body if a_body is not None else read_body(a_paragraphs, size)
    body_b = b_body if b_body is not None else read_body(b_paragraphs, size)
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


def verify(
    a_id: str,
    a_body: Body,
    b_id: str,
    b_body: Body,
    options: CopyOptions,
) -> CopyPair | None:
    """The explained pair when the two bodies are copies (``verify.is_copy``), else None.

    The set comparison runs first and the alignment only for pairs that pass, since most
    candidates are rejected.
    """
    size_a, size_b = len(a_body.shingles), len(b_body.shingles)
    if min(size_a, size_b) < options.min_shingles:
        return None
    scores = None
    if a_body.digest != b_body.digest:
        scores = compare(a_body.shingles, b_body.shingles)
        if not is_copy(*scores, size_a, size_b, options):
            return None
    return explain(a_id, (), b_id, (), options=options, a_body=a_body, b_body=b_body, scores=scores)

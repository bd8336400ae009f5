"""Main-text scoring by the Zyte article-extraction-benchmark's method (4-word shingles).

Per page, shingles (word 4-grams, lower-cased ``\\w+`` tokens, counted with multiplicity) of the
predicted and the gold body give tp / fp / fn, normalised by their sum so long pages weigh no
more than short ones. Precision is averaged over the pages that predicted something or had a
true positive (``tp + fp > 0``), recall over the pages whose gold is not empty
(``tp + fn > 0``); F1 comes from the two averages. This follows the benchmark's
``evaluate.py``, except that tokens are lower-cased.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class ShingleScore:
    """One page's normalised true positives, false positives and false negatives."""

    tp: float
    fp: float
    fn: float

    @property
    def precision(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == 0 and self.fn == 0:
            return 1.0
        if self.tp == 0 and self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


def _shingles(text: str, size: int) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text.lower())
    if not tokens:
        return Counter()
    return Counter(tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)))


def shingle_score(predicted: str, gold: str, size: int = 4) -> ShingleScore:
    """Score one page.

    >>> s = shingle_score("a b c d e", "a b c d")
    >>> round(s.precision, 2), round(s.recall, 2)
    (0.5, 1.0)
    """
    pred = _shingles(predicted, size)
    true = _shingles(gold, size)
    tp = fp = fn = 0.0
    for key in pred.keys() | true.keys():
        p, t = pred.get(key, 0), true.get(key, 0)
        tp += min(p, t)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total > 0:
        tp, fp, fn = tp / total, fp / total, fn / total
    return ShingleScore(tp, fp, fn)


def average_scores(scores: Iterable[ShingleScore]) -> tuple[float, float, float]:
    """(precision, recall, F1) over pages, as the benchmark averages them."""
    items = list(scores)
    precisions = [s.precision for s in items if s.tp + s.fp > 0]
    recalls = [s.recall for s in items if s.tp + s.fn > 0]
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1

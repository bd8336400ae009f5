from collections.abc import Callable, Hashable, Sequence

import numpy as np

class SortedVector:
    def __init__(self, pairs: tuple[tuple[Hashable, float], ...]) -> None: ...

def sorted_cosine(a: SortedVector, b: SortedVector) -> float: ...
def weighted_overlap(vectors: Sequence[tuple[tuple[str, float], ...]], size: int) -> np.ndarray: ...

class LinkView:
    terms: SortedVector
    entities: SortedVector
    numbers: frozenset[str]
    day: int | None
    def __init__(
        self, terms: SortedVector, entities: SortedVector, numbers: frozenset[str], day: int | None
    ) -> None: ...

def view_similarity(
    a: LinkView, b: LinkView, term_weight: float, entity_weight: float, number_weight: float
) -> float: ...
def decide_many(
    arrival: LinkView,
    others: list[LinkView],
    term_weight: float,
    entity_weight: float,
    number_weight: float,
    window_days: int,
    threshold: float,
) -> list[bool]: ...
def shared_counts(sets: list[tuple[str, ...]], size: int) -> np.ndarray: ...
def view_matrix(
    views: list[LinkView],
    number_counts: np.ndarray,
    absent: np.ndarray,
    term_weight: float,
    entity_weight: float,
    number_weight: float,
    window_days: float,
) -> np.ndarray: ...
def agglomerate(
    sums: np.ndarray,
    sizes: np.ndarray,
    inner: np.ndarray,
    score: np.ndarray,
    merged: list[list[str]],
    blocked: Callable[[Sequence[str], Sequence[str]], bool],
    threshold: float,
    cohesion_ratio: float,
) -> None: ...

from collections.abc import Hashable, Sequence

import numpy as np

class SortedVector:
    def __init__(self, pairs: tuple[tuple[Hashable, float], ...]) -> None: ...

def sorted_cosine(a: SortedVector, b: SortedVector) -> float: ...
def weighted_overlap(
    vectors: Sequence[tuple[tuple[str, float], ...]], size: int
) -> np.ndarray: ...

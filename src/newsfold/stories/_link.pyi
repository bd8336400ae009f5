from collections.abc import Sequence

import numpy as np

def cosine_with(table: dict[str, float], pairs: tuple[tuple[str, float], ...]) -> float: ...
def weighted_overlap(
    vectors: Sequence[tuple[tuple[str, float], ...]], size: int
) -> np.ndarray: ...

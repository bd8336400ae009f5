class Weights:
    languages: tuple[str, ...]

    def __init__(
        self,
        languages: tuple[str, ...],
        tables: tuple[dict[str, float], ...],
        ceiling: float,
        floor: float,
        power: float,
        bound: int,
        zipf_memo: dict[str, float],
        zipf_bound: int,
    ) -> None: ...
    def zipf(self, word: str) -> float: ...
    def term_weight(self, word: str) -> float: ...
    def __len__(self) -> int: ...

def zipf_of_tables(word: str, tables: tuple[dict[str, float], ...]) -> float: ...
def term_weights(
    title: str, body: str, repeat: int, half: int, weights: object
) -> dict[str, float]: ...
def term_features(
    title: str, body: str, repeat: int, half: int, weights: object, keep: int
) -> tuple[tuple[str, float], ...]: ...
def entity_counts(
    text: str,
    bounds: list[int],
    counts: dict[str, int],
    weights: object,
    connectors: frozenset[str],
    common: float,
) -> None: ...
def entity_features_of(
    texts: list[str],
    bounds: list[list[int]],
    weights: object,
    connectors: frozenset[str],
    common: float,
    keep: int,
) -> tuple[tuple[str, float], ...]: ...
def entity_weights(counts: dict[str, int], weights: object) -> dict[str, float]: ...
def entity_features(
    counts: dict[str, int], weights: object, keep: int
) -> tuple[tuple[str, float], ...]: ...
def normalised(weights: dict[str, float], keep: int) -> tuple[tuple[str, float], ...]: ...
def numbers_and_dates(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]: ...
def round_weight(x: float) -> float: ...

# Type stubs of the compiled kernels (src/newsfold/copies/_kernels.pyx).
import numpy as np

def byte_classes(block: bytes, portable: bool) -> tuple[int, int, int]: ...
def encoded_words(
    raw: bytes, lower: bytes, fold2: np.ndarray, fold3: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
def chunk_arrays(
    words: np.ndarray,
    paragraph_lengths: np.ndarray,
    paragraphs: np.ndarray,
    text: np.ndarray,
    size: int,
    with_digests: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]: ...
def segment_grams(
    hashes: np.ndarray, lengths: np.ndarray, size: int
) -> tuple[np.ndarray, np.ndarray]: ...
def minimum_cells(
    grams: np.ndarray, owner: np.ndarray, count: int, num_perm: int, salt: int
) -> np.ndarray: ...
def component_counts(
    grams: np.ndarray,
    gram_owner: np.ndarray,
    inner: np.ndarray,
    inner_paragraph: np.ndarray,
    paragraph_page: np.ndarray,
    members: np.ndarray,
    member_start: np.ndarray,
    page_bit: np.ndarray,
    width: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...

class SortScratch:
    def __init__(self) -> None: ...

def part_codes(
    keys: np.ndarray,
    owner: np.ndarray,
    rank: np.ndarray,
    keep: np.ndarray,
    count: int,
    part: int,
    parts: int,
    chosen: int,
    scratch: SortScratch,
) -> np.ndarray: ...
def part_sizes(
    keys: np.ndarray, owner: np.ndarray, rank: np.ndarray, keep: np.ndarray, parts: int
) -> np.ndarray: ...
def whole_text_counts(
    grams: np.ndarray,
    gram_owner: np.ndarray,
    words: np.ndarray,
    paragraph_lengths: np.ndarray,
    paragraph_page: np.ndarray,
    members: np.ndarray,
    member_start: np.ndarray,
    page_bit: np.ndarray,
    width: int,
    size: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]: ...
def encoded_block(
    buffer: bytes, start: int, wanted: int, final: bool
) -> tuple[
    int,
    int,
    int,
    np.ndarray,
    np.ndarray,
    tuple[list[str], bytes, np.ndarray, np.ndarray, np.ndarray] | None,
]: ...
def read_spans(fd: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray: ...
def open_runs(
    paragraphs: np.ndarray,
    paragraph_lengths: np.ndarray,
    text: np.ndarray,
    hits: np.ndarray,
    bit: np.ndarray,
    paragraph_sizes: np.ndarray,
    pages: np.ndarray,
    others: np.ndarray,
    size: int,
    covered: float,
    gap_paragraphs: int,
    gap_words: int,
) -> np.ndarray: ...

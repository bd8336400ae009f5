"""The compiled copies kernels (``copies/_kernels.pyx``) against their numpy twins.

Every kernel must give IDENTICAL arrays to the twin that runs when the extension is missing
(``compiled.KERNELS`` None): on real pages (the seed pages, the ECB+ fixture, the Zyte text
fixtures, with a copy family made from them) and on random input (hypothesis).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields
from functools import partial
from pathlib import Path
from typing import TypeVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.backends import local
from newsfold.backends.local import copies_from_jsonl, page_paragraphs
from newsfold.copies import CopyOptions, compiled, find_copies
from newsfold.copies.blockverify import BlockCounts, _whole_text, block_counts, may_interleave
from newsfold.copies.fingerprint import fingerprint_chunk
from newsfold.copies.reader import Chunk, read_chunk, segment_grams
from newsfold.copies.stage import SpilledWords, _candidate_pairs, key_pairs
from newsfold.copies.tokens import encode_bodies
from newsfold.errors import InputError

FIXTURES = Path(__file__).parent / "fixtures"
KERNELS = compiled.KERNELS
T = TypeVar("T")

pytestmark = pytest.mark.skipif(KERNELS is None, reason="compiled kernels not built")


def test_compiled_kernels_import() -> None:
    # CI machines have a C compiler: the extension must be built and used.
    assert compiled.compiled()


@contextmanager
def twin() -> Iterator[None]:
    """Run the numpy twins inside the block."""
    compiled.KERNELS = None
    try:
        yield
    finally:
        compiled.KERNELS = KERNELS


def both(function: Callable[[], T]) -> tuple[T, T]:
    """``function()`` with the compiled kernels, then with the twins."""
    fast = function()
    with twin():
        slow = function()
    return fast, slow


def real_bodies() -> list[list[str]]:
    bodies = [page_paragraphs(p.read_text()) for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
    bodies += [
        page_paragraphs(p.read_text()) for p in sorted((FIXTURES / "clean" / "zyte").glob("*.txt"))
    ]
    with (FIXTURES / "copies" / "ecbplus_topic35.jsonl").open(encoding="utf-8") as handle:
        bodies += [page_paragraphs(json.loads(line)["text"]) for line in handle]
    # Copies: cut, re-headlined and with an inserted line, so the block has real pairs.
    copies = []
    for body in bodies[:12]:
        copies.append(body[: max(1, len(body) * 2 // 3)])
        copies.append(["A new headline \u2014 \u201cquoted\u201d", *body, "ADVERTISEMENT"])
    return bodies + copies + [[], [""], ["one"], ["line\nbreak inside", "Caf\u00c9 \u4e2d\u6587"]]


def assert_same_arrays(fast: object, slow: object, names: tuple[str, ...]) -> None:
    for name in names:
        a, b = getattr(fast, name), getattr(slow, name)
        assert a.dtype == b.dtype, name
        assert np.array_equal(a, b), name


# Every array of a Chunk (all its fields but the int ``size``).
CHUNK_FIELDS = tuple(field.name for field in fields(Chunk) if field.name != "size")


@pytest.mark.parametrize("text_words", [0, 8])
def test_read_and_fingerprint_match_the_twin_on_real_pages(text_words: int) -> None:
    bodies = real_bodies()
    options = CopyOptions(text_paragraph_words=text_words)
    fast, slow = both(lambda: read_chunk(bodies, 5, text_words))
    assert_same_arrays(fast, slow, CHUNK_FIELDS)
    prints = both(lambda: fingerprint_chunk(read_chunk(bodies, 5, text_words), options))
    assert_same_arrays(*prints, ("signatures", "keys", "key_owner", "too_short", "digests"))


@pytest.mark.parametrize(("text_words", "long_only"), [(0, False), (8, False), (0, True)])
def test_block_counts_and_copies_match_the_twin_on_real_pages(
    text_words: int, long_only: bool
) -> None:
    bodies = real_bodies()
    if long_only:
        # Every body a shingle long: the whole-text kernel (short paragraphs stay in).
        bodies = [body for body in bodies if len(" ".join(body).split()) >= 8]
        assert any(0 < len(p.split()) < 5 for body in bodies for p in body)
    chunk = read_chunk(bodies, 5, text_words)
    paragraph_page = np.repeat(np.arange(chunk.count), chunk.paragraphs)
    assert _whole_text(chunk, paragraph_page) == long_only
    count = len(bodies)
    pairs = np.array([(i, j) for i in range(count) for j in range(i + 1, count)], dtype=np.int64)
    # All pairs of a few pages (one component), and a sparse graph of small components.
    for block in (pairs[:20], pairs[(pairs[:, 1] - pairs[:, 0]) % 7 == 1]):
        fast, slow = both(partial(block_counts, chunk, block))
        assert_same_arrays(
            fast, slow, ("handled", "bit", "set_sizes", "shared", "paragraph_sizes", "hits")
        )
        handled = block[fast.handled[block[:, 0]]]
        bound, twin_bound = both(partial(may_interleave, chunk, fast, handled))
        assert bound.dtype == twin_bound.dtype and np.array_equal(bound, twin_bound)
    docs = [(f"doc{k:03d}", body) for k, body in enumerate(bodies)]
    options = CopyOptions(text_paragraph_words=text_words)
    fast_result, slow_result = both(lambda: find_copies(docs, options, explained=False))
    assert fast_result == slow_result
    assert len(fast_result.pairs) >= 12


def test_copies_from_jsonl_matches_the_twin(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for k, body in enumerate(real_bodies()):
            record = {"id": f"p{k}", "paragraphs": body, "family": k % 5}
            handle.write(json.dumps(record, ensure_ascii=k % 2 == 0) + "\n")
        handle.write("\n")
        handle.write(json.dumps({"id": "text-only", "text": "Some text\n\nin two blocks."}) + "\n")
    fast, slow = both(lambda: copies_from_jsonl(path, explained=False))
    assert fast == slow
    assert len(fast.pairs) >= 12


words_alphabet = st.sampled_from(
    [
        "a",
        "Z",
        "x",
        "7",
        "_",
        " ",
        "  ",
        "'",
        "-",
        "`",
        ".",
        "!",
        '"',
        ")",
        "*",
        "\t",
        "\r",
        "\n",
        "\u2019",
        "\u201c",
        "\u2014",
        "\u00a0",
        "\u200b",
        "\u2026",
        "\u00c9",
        "\u00e9",
        "\u00d7",
        "\u0416",
        "\U0001f600",
        "\u4e2d",
        "\u0e01",
    ]
)
paragraph = st.lists(words_alphabet, max_size=40).map("".join)
body = st.lists(paragraph, max_size=6)


@settings(max_examples=150, deadline=None)
@given(st.lists(body, max_size=8), st.sampled_from([0, 3]), st.sampled_from([2, 5]))
def test_read_chunk_matches_the_twin_on_random_text(
    bodies: list[list[str]], text_words: int, size: int
) -> None:
    fast, slow = both(lambda: read_chunk(bodies, size, text_words))
    assert_same_arrays(fast, slow, CHUNK_FIELDS)
    options = CopyOptions(shingle_size=size, num_perm=16, bands=8, min_shingles=1)
    prints = both(lambda: fingerprint_chunk(read_chunk(bodies, size, text_words), options))
    assert_same_arrays(*prints, ("signatures", "keys", "key_owner", "too_short"))


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 2**64 - 1), max_size=60),
    st.lists(st.integers(0, 6), max_size=12),
    st.integers(1, 6),
)
def test_segment_grams_match_the_twin(values: list[int], lengths: list[int], size: int) -> None:
    hashes = np.array(values, dtype=np.uint64)
    segments = np.array(lengths, dtype=np.int64)
    # The segments cover the hashes exactly, as callers give them.
    total = int(segments.sum())
    hashes = np.resize(hashes, total) if len(hashes) else np.zeros(total, dtype=np.uint64)
    fast, slow = both(lambda: segment_grams(hashes, segments, size))
    for a, b in zip(fast, slow, strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 400), st.integers(1, 40), st.integers(2, 60), st.integers(0, 2**32))
def test_candidate_pairs_match_the_twin(keys: int, distinct: int, pages: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    # Few distinct keys, so that runs of equal keys (and repeated owners) are common.
    values = rng.integers(0, 2**63, distinct, dtype=np.uint64)[rng.integers(0, distinct, keys)]
    owner = rng.integers(0, pages, keys).astype(np.int64)
    rank = rng.permutation(pages).astype(np.int64)
    keep = rng.random(pages) < 0.8
    fast, slow = both(lambda: _candidate_pairs(values, owner, rank, keep))
    assert fast.dtype == slow.dtype and np.array_equal(fast, slow)


def encoded_lines(
    lines: list[bytes],
) -> tuple[list[str], bytes, np.ndarray, np.ndarray, np.ndarray] | None:
    """What the compiled reader makes of ``lines`` (each with its line break), or None."""
    assert KERNELS is not None
    count, end, _, _, _, encoded = KERNELS.encoded_block(b"".join(lines), 0, len(lines), True)
    assert (count, end) == (len(lines), sum(map(len, lines)))
    read: tuple[list[str], bytes, np.ndarray, np.ndarray, np.ndarray] | None = encoded
    return read


def python_part(lines: list[bytes]) -> tuple[list[str], bytes | None, list[int]]:
    records = [json.loads(line) for line in lines]
    bodies = [[str(p) for p in record["paragraphs"]] for record in records]
    return [r["id"] for r in records], encode_bodies(bodies), [len(b) for b in bodies]


record = st.fixed_dictionaries(
    {"id": st.text(max_size=8), "paragraphs": st.lists(paragraph, max_size=5)},
    optional={"family": st.integers(-5, 5) | st.floats(allow_nan=False) | st.none()},
)


@settings(max_examples=150, deadline=None)
@given(st.lists(record, min_size=1, max_size=6), st.booleans())
def test_compiled_json_reader_matches_json(records: list[dict[str, object]], ascii: bool) -> None:
    assert KERNELS is not None
    lines = [json.dumps(r, ensure_ascii=ascii).encode("utf-8") + b"\n" for r in records]
    encoded = encoded_lines(lines)
    numbers = list(range(len(lines)))
    if any("\ud800" <= c <= "\udfff" for r in records for c in str(r)):
        return  # lone surrogates: Python's path raises, as before
    ids, joined, paragraphs = python_part(lines)
    if encoded is not None:
        read = local._read_part(lines, numbers, Path("x"), json.loads, encoded)
        assert (read.ids, read.joined, read.paragraphs.tolist()) == (ids, joined, paragraphs)
    else:
        read_by_python = local._python_part(lines, numbers, Path("x"), json.loads)
        assert [doc_id for doc_id, _ in read_by_python] == ids


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": "a", "paragraphs": ["x"]} trailing',
        b'{"id": "a", "paragraphs": ["\\ud800"]}',
        b'{"id": "a", "paragraphs": ["bad \\u00zz hex"]}',
        b'{"id": "a", "paragraphs": ["\\ud83d\\ude0g"]}',
        b'{"id": "a", "paragraphs": [1, "x"]}',
        b'{"id": "a", "paragraphs": ["x"], "meta": {"k": 1}}',
        b'{"id": "a", "id": "b", "paragraphs": ["x"]}',
        b'{"id": "a", "paragraphs": ["tab\tinside"]}',
        b'{"id": "a", "paragraphs": ["bad \xff byte"]}',
        b'{"id": "a", "paragraphs": ["x"], "n": 01}',
        b'{"id": "a", "text": "no paragraphs"}',
        b'["not", "an", "object"]',
    ],
)
def test_compiled_json_reader_leaves_other_records_to_python(line: bytes) -> None:
    assert encoded_lines([line]) is None


@pytest.mark.parametrize("compiled_kernels", [True, False])
def test_spilled_pages_rebuild_the_chunk_read(compiled_kernels: bool) -> None:
    bodies = real_bodies()

    def rebuilt() -> tuple[Chunk, Chunk]:
        rows = [3, 0, len(bodies) - 1, 7, 5]
        with tempfile.TemporaryFile() as handle:
            spilled = SpilledWords(handle)
            for start in range(0, len(bodies), 16):
                spilled.add(read_chunk(bodies[start : start + 16], 5, 0))
            spilled.seal()
            return spilled.chunk(rows, 5), read_chunk([bodies[k] for k in rows], 5, 0)

    if compiled_kernels:
        again, read = rebuilt()
    else:
        with twin():
            again, read = rebuilt()
    assert_same_arrays(again, read, CHUNK_FIELDS)


@pytest.mark.parametrize("offset", [0, 1, 55, 60, 61, 62, 63, 64, 65, 126, 127, 128])
def test_words_across_64_byte_blocks(offset: int) -> None:
    # The compiled tokeniser classifies 64 bytes at a time: words, joiners ("it's", "well-
    # known", "'quoted'", "a--b") and line ends that straddle a block boundary.
    lead = "x" * offset
    bodies = [
        [lead + " it's well-known 'quoted' a--b -c d- \u201cCurly\u201d done.", lead + "\u2019s"],
        [lead + "-", "\u00c9t\u00e9 " + lead + "'"],
    ]
    fast, slow = both(lambda: read_chunk(bodies, 2, 3))
    assert_same_arrays(fast, slow, CHUNK_FIELDS)


def test_block_counts_of_pages_longer_than_a_lane() -> None:
    # Over 65,535 distinct shingles on a page: the compiled counts flush their 16-bit lanes.
    long_page = [
        " ".join(f"w{k}" for k in range(start, start + 1000)) for start in range(0, 70_000, 1000)
    ]
    bodies = [long_page, long_page[:50], long_page[20:]]
    chunk = read_chunk(bodies, 5, 0)
    block = np.array([[0, 1], [0, 2], [1, 2]], dtype=np.int64)
    fast, slow = both(partial(block_counts, chunk, block))
    assert int(fast.set_sizes[0]) > 65_535
    assert_same_arrays(
        fast, slow, ("handled", "bit", "set_sizes", "shared", "paragraph_sizes", "hits")
    )


@pytest.mark.parametrize("limit", [None, 1, 4, 9])
def test_block_reader_gives_the_line_reader_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: int | None
) -> None:
    # Tiny reads and chunks: lines cross read boundaries, chunks end mid-buffer.
    monkeypatch.setattr(local, "READ_BYTES", 700)
    monkeypatch.setattr(local, "CHUNK_BODIES", 3)
    bodies = real_bodies()[:14]
    # A body in a script without spaces, re-read by Python from its line (the only line of
    # its chunk the reader makes a bytes object of).
    bodies[7] = [*bodies[7], "\u4e60\u8fd1\u5e73\u4f1a\u89c1\u666e\u4eac" * 3]
    path = tmp_path / "pages.jsonl"
    lines = [json.dumps({"id": f"p{k}", "paragraphs": body}) for k, body in enumerate(bodies)]
    lines[5] = json.dumps({"id": "p5", "text": "\n\n".join(bodies[5])})  # read by Python
    text = "\n".join(lines[:4]) + "\n\n   \n" + "\n".join(lines[4:])  # blank lines, no final \n
    path.write_text(text, encoding="utf-8")
    fast, slow = both(lambda: copies_from_jsonl(path, explained=False, limit=limit))
    assert fast == slow


def test_block_reader_reports_the_line_of_a_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    good = json.dumps({"id": "a", "paragraphs": ["One paragraph of text here."]})
    path.write_text(good + "\n\n" + json.dumps({"id": 7, "paragraphs": []}) + "\n")
    messages = []
    for use_twin in (False, True):
        with pytest.raises(InputError) as error:
            if use_twin:
                with twin():
                    copies_from_jsonl(path)
            else:
                copies_from_jsonl(path)
        messages.append(str(error.value))
    assert messages[0] == messages[1]
    assert f"{path}:3:" in messages[0]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 2**64 - 1), max_size=300),
    st.sampled_from([1, 3, 7, 64, 100, 128]),
    st.integers(1, 5),
    st.integers(0, 2**64 - 1),
)
def test_minimum_cells_match_the_twin(
    values: list[int], num_perm: int, count: int, salt: int
) -> None:
    # The compiled bins take their minimum without a branch; power-of-2 and other bin counts.
    from newsfold.copies.fingerprint import one_permutation_signatures

    grams = np.array(values, dtype=np.uint64)
    owner = np.sort(np.arange(len(values), dtype=np.int64) % count)
    fast, slow = both(lambda: one_permutation_signatures(grams, owner, count, num_perm, salt))
    assert np.array_equal(fast[0], slow[0])
    assert np.array_equal(fast[1], slow[1])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), max_size=200))
def test_read_spans_match_pread(spans: list[tuple[int, int]]) -> None:
    # One pread a span into one array (the compiled rebuild of spilled pages) against the
    # twin's pread per span and join; empty spans and repeats included.
    assert KERNELS is not None
    values = np.arange(1000, 1041, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    starts = np.array([min(a, b) for a, b in spans], dtype=np.int64)
    ends = np.array([max(a, b) for a, b in spans], dtype=np.int64)
    with tempfile.TemporaryFile() as handle:
        handle.write(values.tobytes())
        handle.flush()
        got = KERNELS.read_spans(handle.fileno(), starts, ends)
    wanted = [values[a:b] for a, b in zip(starts.tolist(), ends.tolist(), strict=True)]
    expected = np.concatenate(wanted) if wanted else np.zeros(0, dtype=np.uint64)
    assert got.dtype == np.uint64
    assert np.array_equal(got, expected)


def test_read_spans_past_the_end_of_the_file() -> None:
    assert KERNELS is not None
    with tempfile.TemporaryFile() as handle:
        handle.write(np.arange(4, dtype=np.uint64).tobytes())
        handle.flush()
        with pytest.raises(OSError):
            KERNELS.read_spans(handle.fileno(), np.array([2]), np.array([6]))


def test_part_codes_refuses_a_wrong_slice_size() -> None:
    # ``part_sizes`` counts every slice in one pass; a size that does not match the slice must
    # not write past the selection.
    assert KERNELS is not None
    # 13 distinct keys over 40 entries: runs of equal keys shared by several owners.
    keys = (np.arange(40, dtype=np.uint64) % np.uint64(13) + np.uint64(1)) * np.uint64(
        0x9E3779B97F4A7C15
    )
    owner = np.arange(40, dtype=np.int64) % 7
    rank = np.arange(7, dtype=np.int64)
    keep = np.ones(7, dtype=np.uint8)
    sizes = KERNELS.part_sizes(keys, owner, rank, keep, 4)
    assert sizes.sum() == 40
    assert sizes.tolist() == [int(((keys & np.uint64(3)) == part).sum()) for part in range(4)]
    chosen = (keys & np.uint64(3)) == np.uint64(1)
    pairs = key_pairs(keys[chosen], owner[chosen])
    given = KERNELS.part_codes(
        keys, owner, rank, keep, 7, 1, 4, int(sizes[1]), KERNELS.SortScratch()
    )
    assert len(pairs) > 0
    assert given.tolist() == (pairs[:, 0] * 7 + pairs[:, 1]).tolist()
    with pytest.raises(ValueError):
        KERNELS.part_codes(
            keys, owner, rank, keep, 7, 1, 4, int(sizes[1]) + 1, KERNELS.SortScratch()
        )


@settings(max_examples=300, deadline=None)
@given(
    st.binary(min_size=64, max_size=64)
    | st.text(alphabet="aZ09_'-\n \u00e9\u2019.@[`{/:", min_size=64, max_size=64).map(
        lambda text: text.encode("utf-8")[:64].ljust(64, b" ")
    )
)
def test_byte_classes_of_both_builds_match_the_table(block: bytes) -> None:
    # ``encoded_words`` classifies 64 bytes at a time with SSE2 where built with it, else with
    # 8-byte arithmetic: both give the bitmaps of ``tokens._CLASS`` (1 word, 2 joiner) and of
    # the line breaks.
    assert KERNELS is not None
    from newsfold.copies.tokens import _CLASS

    classes = _CLASS[np.frombuffer(block, dtype=np.uint8)]
    expected = tuple(
        sum(1 << k for k in range(64) if flag[k])
        for flag in (classes == 1, classes == 2, np.frombuffer(block, dtype=np.uint8) == 10)
    )
    assert KERNELS.byte_classes(block, False) == expected
    assert KERNELS.byte_classes(block, True) == expected


@pytest.mark.parametrize("ascii", [False, True])
def test_json_strings_with_a_special_byte_at_every_offset(ascii: bool) -> None:
    # Plain string bytes are copied 16 (SSE2) or 8 at a time: whatever follows at any offset
    # of such a block (quote, backslash escape, control escape, UTF-8, a surrogate pair, a
    # script written without spaces, which the body is flagged for).
    specials = ['"', "\\", "\n", "\t", "\u00e9", "\u2019", "\U0001f600", "/", "\x7f", "\u4e2d"]
    records = [
        {"id": f"{offset}-{k}", "paragraphs": ["a" * offset + special + "b" * 20, "c" * offset]}
        for offset in range(40)
        for k, special in enumerate(specials)
    ]
    lines = [json.dumps(r, ensure_ascii=ascii).encode("utf-8") + b"\n" for r in records]
    encoded = encoded_lines(lines)
    assert encoded is not None
    read = local._read_part(lines, list(range(len(lines))), Path("x"), json.loads, encoded)
    ids, joined, paragraphs = python_part(lines)
    assert (read.ids, read.joined, read.paragraphs.tolist()) == (ids, joined, paragraphs)


def test_joined_bodies_are_a_bytes_object_of_their_length() -> None:
    # ``_encoded`` writes into a bytes object and shrinks it in place: the exact bytes, one
    # reference (the caller's), nothing kept of a chunk it gives up on.
    assert KERNELS is not None
    import sys

    lines = [b'{"id": "a", "paragraphs": ["x y", "\\u00e9t\\u00e9"]}\n'] * 3
    encoded = encoded_lines(lines)
    assert encoded is not None
    joined = encoded[1]
    assert type(joined) is bytes and joined == b"\n".join([b"x y\n\xc3\xa9t\xc3\xa9"] * 3)
    del encoded
    assert sys.getrefcount(joined) == 2  # ``joined`` and the call's argument
    assert encoded_lines([*lines, b'{"id": 1}\n']) is None


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.integers(1, 4), st.integers(0, 2**32))
def test_open_runs_match_the_twin(pages: int, width: int, seed: int) -> None:
    # Random paragraphs (empty ones, some outside the running text), hits and sizes around
    # the ``COVERED`` threshold: the interleaving bound of every side, compiled and numpy.
    rng = np.random.default_rng(seed)
    paragraphs = rng.integers(0, 9, pages).astype(np.int64)
    total = int(paragraphs.sum())
    lengths = rng.choice([0, 1, 3, 6, 12, 30, 60], total).astype(np.int64)
    text = rng.random(total) < (0.6 if seed % 2 else 1.0)
    chunk = Chunk(
        words=np.zeros(int(lengths.sum()), dtype=np.uint64),
        paragraph_lengths=lengths,
        paragraphs=paragraphs,
        text=text,
        grams=np.zeros(0, dtype=np.uint64),
        gram_owner=np.zeros(0, dtype=np.int64),
        paragraph_digests=np.zeros(total, dtype=np.uint64),
        digests=np.zeros(pages, dtype=np.uint64),
    )
    sizes = rng.integers(0, 12, total).astype(np.int64)
    counts = BlockCounts(
        handled=np.ones(pages, dtype=bool),
        bit=rng.integers(0, width, pages).astype(np.int64),
        set_sizes=np.zeros(pages, dtype=np.int64),
        shared=np.zeros((pages, width), dtype=np.int64),
        paragraph_sizes=sizes,
        hits=(rng.random((total, width)) * (sizes[:, None] + 1)).astype(np.int64),
    )
    sides = rng.integers(0, pages, (2 * pages, 2)).astype(np.int64)
    fast, slow = both(partial(may_interleave, chunk, counts, sides))
    assert fast.dtype == slow.dtype and np.array_equal(fast, slow)


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 6), st.integers(40, 300), st.integers(0, 2**32))
def test_candidate_pairs_of_keys_sharing_their_low_bits(
    distinct: int, keys: int, seed: int
) -> None:
    # Keys alike in their low 33 and top 8 bits (one slice of the key space, one run of the
    # compiled sort's first pass) and different in between, shuffled and shared by several
    # pages: equal keys must meet, different ones must not, as with the twin.
    rng = np.random.default_rng(seed)
    low = np.uint64(int(rng.integers(0, 2**33)))
    middle = rng.choice(2**22, distinct, replace=False).astype(np.uint64) << np.uint64(33)
    values = (np.uint64(0x55) << np.uint64(55)) | middle[rng.integers(0, distinct, keys)] | low
    pages = 60
    owner = rng.integers(0, pages, keys).astype(np.int64)
    rank = rng.permutation(pages).astype(np.int64)
    keep = rng.random(pages) < 0.9
    fast, slow = both(lambda: _candidate_pairs(values, owner, rank, keep))
    assert fast.dtype == slow.dtype and np.array_equal(fast, slow) and len(fast)

"""Copies stage: the seed copy pair and its alignment, driver equivalence, short and exact bodies."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newsfold.copies import (
    CopyIndex,
    CopyOptions,
    MemoryCopyStorage,
    explain,
    find_copies,
)
from newsfold.errors import ConfigError, InputError
from newsfold.text import sentences

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def seed_bodies() -> dict[str, list[str]]:
    """The seed bodies straight from the hand labels: '000', '001', '004' -> paragraphs."""
    labels = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))["pages"]
    bodies = {}
    for name, label in labels.items():
        lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
        bodies[name[:3]] = [lines[n - 1] for n in label["body_lines"]]
    return bodies


def index_of(paragraphs: list[str], start: str) -> int:
    (found,) = [i for i, p in enumerate(paragraphs) if p.startswith(start)]
    return found


@pytest.fixture(scope="module")
def bodies() -> dict[str, list[str]]:
    return seed_bodies()


def test_seed_wire_copies_are_one_pair_and_004_is_not_a_copy(bodies: dict[str, list[str]]) -> None:
    result = find_copies(sorted(bodies.items()))
    assert [(p.a, p.b) for p in result.pairs] == [("000", "001")]
    assert result.groups == (("000", "001"),)
    assert result.too_short == ()
    pair = result.pairs[0]
    assert 0.5 < pair.resemblance < 0.7
    assert pair.containment > 0.7
    assert not pair.exact


def test_seed_alignment_names_what_each_side_alone_carries(bodies: dict[str, list[str]]) -> None:
    a, b = bodies["000"], bodies["001"]
    pair = explain("000", a, "001", b)
    only_a = {a[i][:40] for i in pair.only_a}
    only_b = {b[i][:40] for i in pair.only_b}
    assert (
        only_a
        == {
            a[index_of(a, "There were no concrete")][:40],  # Koo Kab-woo
            a[index_of(a, "Pyongyang has reportedly")][:40],
            a[index_of(a, "Moscow was a crucial backer")][:40],  # the last paragraph
        }
    )
    assert only_b == {
        b[index_of(b, "In brief statements")][:40],
        b[index_of(b, "Putin then addressed reporters alone")][:40],
        b[index_of(b, '"There are no secrets here')][:40],
    }
    shared = set(pair.shared)
    # Untouched paragraphs pair one to one, curly quotes against straight ones.
    assert (index_of(a, "The summit in Russia"), index_of(b, "The summit in Russia")) in shared
    assert (index_of(a, "Kim said he hoped"), index_of(b, "Kim said he hoped")) in shared
    # 000 merged two paragraphs that 001 keeps apart: the merged one pairs with both halves.
    merged = index_of(a, "Putin said he supported")
    assert (merged, index_of(b, "Putin said he supported")) in shared
    assert (merged, index_of(b, "About five hours after")) in shared
    # Every paragraph is either shared or on its side's "only" list, never both.
    assert {i for i, _ in shared} | set(pair.only_a) == set(range(len(a)))
    assert {j for _, j in shared} | set(pair.only_b) == set(range(len(b)))
    assert not {i for i, _ in shared} & set(pair.only_a)
    # Argument order does not matter: ids come out sorted with the evidence swapped along.
    assert explain("001", b, "000", a) == pair


def test_groups_do_not_depend_on_input_order(bodies: dict[str, list[str]]) -> None:
    docs = corpus(bodies)
    expected = find_copies(docs)
    assert len(expected.groups) >= 2
    shuffled = list(docs)
    for seed in range(3):
        random.Random(seed).shuffle(shuffled)
        assert find_copies(shuffled) == expected


def test_incremental_index_gives_the_batch_pairs(bodies: dict[str, list[str]]) -> None:
    docs = corpus(bodies)
    batch = find_copies(docs)
    storage = MemoryCopyStorage()
    index = CopyIndex(storage)
    incremental = []
    too_short = []
    for doc_id, paragraphs in reversed(docs):
        added = index.add(doc_id, paragraphs)
        incremental.extend(added)
        if added.too_short:
            too_short.append(doc_id)
    assert sorted(incremental, key=lambda p: (p.a, p.b)) == list(batch.pairs)
    assert tuple(sorted(too_short)) == batch.too_short

    # Re-adding a page changes nothing: same pairs back, same stored keys.
    doc_id, paragraphs = docs[0]
    keys_before = storage.keys_of(doc_id)
    size_before = len(storage)
    again = index.add(doc_id, paragraphs)
    assert sorted(again, key=lambda p: (p.a, p.b)) == [
        p for p in batch.pairs if doc_id in (p.a, p.b)
    ]
    assert storage.keys_of(doc_id) == keys_before
    assert len(storage) == size_before


def test_short_bodies_are_reported_and_never_paired(bodies: dict[str, list[str]]) -> None:
    opening = " ".join(bodies["000"][0].split()[:15])  # 11 shingles, in both copies
    docs = [
        ("empty", []),
        ("blank", ["", "   "]),
        ("three", ["Putin met Kim."]),
        ("lead", [opening]),
        ("000", bodies["000"]),
        ("001", bodies["001"]),
    ]
    result = find_copies(docs)
    assert {"empty", "blank", "three", "lead"} == set(result.too_short)
    assert [(p.a, p.b) for p in result.pairs] == [("000", "001")]
    index = CopyIndex(MemoryCopyStorage())
    for doc_id, paragraphs in docs:
        added = index.add(doc_id, paragraphs)
        assert added.too_short == (doc_id in result.too_short)
        assert all(doc_id in (p.a, p.b) for p in added)
    assert index.add("three-again", ["Putin met Kim."]) == []


def test_exact_duplicates_take_the_fast_path(bodies: dict[str, list[str]]) -> None:
    original = bodies["001"]
    # Same words in another typographic form and paragraph layout: still an exact copy.
    retyped = [p.replace('"', "\u201c", 1).replace("'", "\u2019").upper() for p in original]
    resplit = [" ".join(original[:2]), *original[2:]]
    result = find_copies([("x", original), ("y", retyped), ("z", resplit), ("000", bodies["000"])])
    by_ids = {(p.a, p.b): p for p in result.pairs}
    assert by_ids[("x", "y")].exact and by_ids[("x", "z")].exact
    # k exact duplicates are k - 1 pairs with the first id (a star), not k(k-1)/2.
    assert ("y", "z") not in by_ids
    assert by_ids[("x", "y")].resemblance == 1.0
    assert by_ids[("x", "y")].shared == tuple((i, i) for i in range(len(original)))
    assert by_ids[("x", "y")].only_a == () == by_ids[("x", "y")].only_b
    assert {(0, 0), (1, 0)} <= set(by_ids[("x", "z")].shared)
    assert not by_ids[("000", "x")].exact
    assert result.groups == (("000", "x", "y", "z"),)


def test_curly_and_straight_quotes_do_not_matter(bodies: dict[str, list[str]]) -> None:
    curly = bodies["000"]
    straight = [
        p.replace("\u2019", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u2026", "...")
        for p in curly
    ]
    assert straight != curly
    pair = explain("a", curly, "b", straight)
    assert pair.exact and pair.resemblance == 1.0
    assert pair.shared == tuple((i, i) for i in range(len(curly)))


def test_truncated_copy_is_found_by_containment(bodies: dict[str, list[str]]) -> None:
    full = bodies["004"]
    cut = full[:6]  # the first third of the story: resemblance near the length ratio
    result = find_copies([("full", full), ("cut", cut)])
    (pair,) = result.pairs
    assert pair.resemblance < 0.5
    assert pair.containment_a == 1.0  # "cut" sorts first and is wholly in "full"
    assert pair.fuller == "full"
    assert pair.only_a == () and set(pair.only_b) == set(range(6, len(full)))


def test_repeated_ids_and_bad_options_are_refused(bodies: dict[str, list[str]]) -> None:
    with pytest.raises(InputError, match="unique"):
        find_copies([("a", bodies["000"]), ("a", bodies["001"])])
    with pytest.raises(ConfigError, match="num_perm"):
        CopyOptions(num_perm=64, bands=32, rows_per_band=4)
    with pytest.raises(ConfigError, match="min_containment"):
        CopyOptions(min_containment=1.5)
    with pytest.raises(ConfigError, match="shingle_size"):
        CopyOptions(shingle_size=0)


def corpus(bodies: dict[str, list[str]]) -> list[tuple[str, list[str]]]:
    """The seeds plus edited copies of each, the kinds of edit wire copies go through."""
    docs: list[tuple[str, list[str]]] = sorted(bodies.items())
    for name, body in sorted(bodies.items()):
        docs.append((f"{name}-cut", body[: max(3, len(body) * 2 // 3)]))
        docs.append((f"{name}-added", [*body, "Read more: our full coverage of the summit."]))
        docs.append((f"{name}-dropped", body[:1] + body[2:]))
    docs.append(("tiny", ["Putin met Kim."]))
    return docs


def test_real_wire_edits_are_copies_and_rewrites_are_not() -> None:
    """ECB+ topic 35: three edits of one AP story form one group; two rewrites stay out."""
    path = Path(__file__).parent / "fixtures" / "copies" / "ecbplus_topic35.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    docs = [(r["doc_id"], sentences(r["text"])) for r in records]
    result = find_copies(docs)
    assert result.groups == (("35_10ecbplus", "35_1ecbplus", "35_7ecbplus"),)
    index = CopyIndex(MemoryCopyStorage())
    incremental = [pair for doc in docs for pair in index.add(*doc)]
    assert sorted(incremental, key=lambda p: (p.a, p.b)) == list(result.pairs)


def test_re_adding_an_id_with_new_text_replaces_it(bodies: dict[str, list[str]]) -> None:
    storage = MemoryCopyStorage()
    index = CopyIndex(storage)
    index.add("a", bodies["000"])
    assert [(p.a, p.b) for p in index.add("b", bodies["001"])] == [("a", "b")]
    # "a" now carries another story: it is no longer a copy of "b", nor found through old keys.
    assert index.add("a", bodies["004"]) == []
    assert [(p.a, p.b) for p in index.add("c", bodies["000"])] == [("b", "c")]
    assert [(p.a, p.b) for p in index.add("d", bodies["004"])] == [("a", "d")]

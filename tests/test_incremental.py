"""Incremental ingest: any split and order of the pages gives the batch groups; ids stay stable."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from conftest import SEED_IDS, SEEDS

from newsfold import Page, Settings, Store
from newsfold.index import Index
from newsfold.stable_ids import assign_ids, short_id

EXAMPLES = Path(__file__).parent.parent / "examples" / "pages"


def _pages() -> list[Page]:
    pages = []
    for path in sorted(EXAMPLES.iterdir()):
        raw = path.read_text(encoding="utf-8")
        pages.append(Page(id=path.name, html=raw) if path.suffix == ".html" else
                     Page(id=path.name, text=raw))
    return pages


def _membership(index: Index) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    records = list(index.article_records())
    groups: dict[str, list[str]] = {}
    stories: dict[str, list[str]] = {}
    for record in records:
        if record["copy_group"]:
            groups.setdefault(record["copy_group"], []).append(record["id"])
        if record["story"]:
            stories.setdefault(record["story"], []).append(record["id"])
    return (sorted(tuple(sorted(g)) for g in groups.values()),
            sorted(tuple(sorted(s)) for s in stories.values()))


def test_any_split_and_order_gives_the_batch_groups_and_stories() -> None:
    pages = _pages()
    batch = Index(Store(":memory:"))
    batch.add(pages)
    want = _membership(batch)
    assert len(want[1]) >= 3  # the examples hold several stories
    for seed in range(3):
        shuffled = pages[:]
        random.Random(seed).shuffle(shuffled)
        cut = 1 + seed * 3
        index = Index(Store(":memory:"), Settings(batch_size=2))
        index.add(shuffled[:cut])
        index.add(shuffled[cut:])
        assert _membership(index) == want, seed
        # the stored story records agree with the assignments
        stories = {tuple(sorted(s["articles"])) for s in index.story_records()}
        assert stories == set(want[1])


def test_a_growing_story_keeps_its_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "grow.db")
    index = Index(store)
    index.add([Page(id=SEED_IDS[1], text=(SEEDS / SEED_IDS[1]).read_text())])
    (first,) = index.story_records()
    index.add([Page(id=name, text=(SEEDS / name).read_text()) for name in (SEED_IDS[0], SEED_IDS[2])])
    (story,) = index.story_records()
    assert story["id"] == first["id"]  # not renamed after its new smallest member
    assert sorted(story["articles"]) == sorted(SEED_IDS)


def _halves() -> tuple[Page, Page, Page]:
    """Two halves of one article and the whole: the whole is a copy of each half."""
    lines = (SEEDS / SEED_IDS[2]).read_text(encoding="utf-8").splitlines()
    body = [line for line in lines[16:49] if line.strip()]
    half = len(body) // 2
    title = "Kim Jong Un and Vladimir Putin meet for the first time\n\n"
    return (Page(id="x-first-half", text=title + "\n\n".join(body[:half])),
            Page(id="y-second-half", text=title + "\n\n".join(body[half:])),
            Page(id="z-whole", text=title + "\n\n".join(body)))


def test_merged_groups_point_to_their_survivor(tmp_path: Path) -> None:
    first, second, whole = _halves()
    index = Index(Store(tmp_path / "merge.db"), Settings(stages=("clean", "copies")))
    index.add([first, second])
    before = {r["id"]: r["copy_group"] for r in index.article_records()}
    assert before[first.id] != before[second.id]
    index.add([whole])
    after = {r["id"]: r["copy_group"] for r in index.article_records()}
    assert after[first.id] == after[second.id] == after[whole.id]
    survivor = after[whole.id]
    assert survivor in {before[first.id], before[second.id]}
    retired = ({before[first.id], before[second.id]} - {survivor}).pop()
    assert index.store.resolve(retired) == survivor
    assert index.store.resolve(survivor) == survivor


@pytest.mark.parametrize("order", [0, 1, 2])
def test_assign_ids_is_deterministic_and_collision_free(order: int) -> None:
    components = [("a", "b"), ("c",), ("d", "e", "f")]
    previous = {"a": "s1", "b": "s2", "d": "s2", "e": "s2", "f": None}
    shuffled = components[order:] + components[:order]
    ids, retired = assign_ids(sorted(shuffled), previous, "s")
    assert ids["d"] == ids["e"] == ids["f"] == "s2"  # most old members claim first
    assert ids["a"] == ids["b"] == "s1"
    assert ids["c"] == short_id("s", "c")
    assert retired == {}
    taken = frozenset({short_id("s", "c")})
    ids, _ = assign_ids([("c",)], {}, "s", taken)
    assert ids["c"] not in taken


def test_split_keeps_the_id_with_the_larger_part() -> None:
    previous = {m: "s1" for m in "abcde"}
    ids, retired = assign_ids([("a", "b"), ("c", "d", "e")], previous, "s")
    assert ids["c"] == "s1" and ids["a"] != "s1" and retired == {}

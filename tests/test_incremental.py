"""Incremental ingest: any split and order of the pages gives the batch groups; ids stay stable."""

from __future__ import annotations

import json
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
        pages.append(
            Page(id=path.name, html=raw) if path.suffix == ".html" else Page(id=path.name, text=raw)
        )
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
    return (
        sorted(tuple(sorted(g)) for g in groups.values()),
        sorted(tuple(sorted(s)) for s in stories.values()),
    )


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
    index.add(
        [Page(id=name, text=(SEEDS / name).read_text()) for name in (SEED_IDS[0], SEED_IDS[2])]
    )
    (story,) = index.story_records()
    assert story["id"] == first["id"]  # not renamed after its new smallest member
    assert sorted(story["articles"]) == sorted(SEED_IDS)


def _halves() -> tuple[Page, Page, Page]:
    """Two halves of one article and the whole: the whole is a copy of each half."""
    lines = (SEEDS / SEED_IDS[2]).read_text(encoding="utf-8").splitlines()
    body = [line for line in lines[16:49] if line.strip()]
    half = len(body) // 2
    title = "Kim Jong Un and Vladimir Putin meet for the first time\n\n"
    return (
        Page(id="x-first-half", text=title + "\n\n".join(body[:half])),
        Page(id="y-second-half", text=title + "\n\n".join(body[half:])),
        Page(id="z-whole", text=title + "\n\n".join(body)),
    )


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


class _AskedIds:
    """A ``taken`` container that records what it was asked."""

    def __init__(self, held: set[str]) -> None:
        self.held = held
        self.asked: list[object] = []

    def __contains__(self, name: object) -> bool:
        self.asked.append(name)
        return name in self.held


def test_assign_ids_asks_taken_only_about_names_it_would_give() -> None:
    taken = _AskedIds({short_id("s", "c"), short_id("s", "c#1")})
    ids, _ = assign_ids([("a", "b"), ("c",)], {"a": "s1"}, "s", taken)
    assert ids["a"] == "s1" and ids["c"] == short_id("s", "c#2")
    assert taken.asked == [short_id("s", "c"), short_id("s", "c#1"), short_id("s", "c#2")]


def test_store_answers_whether_a_group_id_is_in_use(tmp_path: Path) -> None:
    index = Index(Store(tmp_path / "ids.db"), Settings())
    index.add(_pages())
    records = list(index.article_records())
    story = next(r["story"] for r in records if r["story"])
    group = next(r["copy_group"] for r in records if r["copy_group"])
    assert index.store.has_group_id("story", story)
    assert index.store.has_group_id("copy_group", group)
    assert not index.store.has_group_id("story", group)
    assert not index.store.has_group_id("copy_group", "g-not-given")
    with pytest.raises(ValueError):
        index.store.has_group_id("article", story)


def test_split_keeps_the_id_with_the_larger_part() -> None:
    previous = {m: "s1" for m in "abcde"}
    ids, retired = assign_ids([("a", "b"), ("c", "d", "e")], previous, "s")
    assert ids["c"] == "s1" and ids["a"] != "s1" and retired == {}


BLURB = (
    "Officials in the region said on Monday that the talks would continue over the "
    "coming months, and that several questions about trade and security remained open "
    "after the latest round of meetings in the capital."
)


def _site_page(page_id: str, source: str) -> Page:
    """A real article body wrapped in one site's chrome, with a prose-like boilerplate blurb."""
    lines = (SEEDS / source).read_text(encoding="utf-8").splitlines()
    label = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))["pages"][source]
    body = "\n\n".join(lines[n - 1] for n in label["body_lines"])
    text = f"Home | World | Business\n\nHeadline of {page_id}\n\n{body}\n\n{BLURB}\n\nShare this"
    return Page(id=page_id, text=text, site="daily.example")


def test_same_site_chrome_is_dropped_once_the_site_has_pages() -> None:
    pages = [_site_page(f"p{n}", SEED_IDS[n]) for n in range(3)]
    alone = Index(Store(":memory:"))
    alone.add(pages[:1])
    (record,) = alone.article_records()
    assert BLURB in record["body"]  # one page alone: the blurb reads like a paragraph
    together = Index(Store(":memory:"))
    together.add(pages)
    for record in together.article_records():
        assert record["body"] and BLURB not in record["body"], record["id"]
    # the counts live in the store: a later page of the site is cleaned with them
    together.add([_site_page("p3", SEED_IDS[0])])
    later = {r["id"]: r for r in together.article_records()}["p3"]
    assert later["body"] and BLURB not in later["body"]


def test_copies_compare_without_the_sites_repeated_lines() -> None:
    pages = [_site_page(f"p{n}", SEED_IDS[n]) for n in range(3)]
    index = Index(Store(":memory:"), Settings(stages=("copies",)))
    index.add(pages)
    body = index.store.articles(["p0"])["p0"].paragraphs  # the text as given, chrome and all
    compared = index.store.paragraphs(["p0"])["p0"]
    assert "Home | World | Business" in body
    assert "Home | World | Business" not in compared and BLURB not in compared
    assert set(compared) < set(body)
    # the site's chrome joins nothing: only 000/001 (one AFP story) are copies, 004 stays apart
    groups = {r["id"]: r["copy_group"] for r in index.article_records()}
    assert groups["p0"] == groups["p1"] != groups["p2"]
    # the raw page stays in the store as it came
    assert index.store.get_page("p0") == Page(id="p0", text=pages[0].text, site="daily.example")


def test_ingest_leaves_the_garbage_collector_as_it_found_it(tmp_path: Path) -> None:
    # Index.add pauses the cyclic collector for each batch (see runtime.collector_paused) and
    # must hand it back in the state the caller had, also when a page fails.
    import gc

    texts = [(SEEDS / name).read_text(encoding="utf-8") for name in SEED_IDS]
    pages = [Page(id=f"p{i}", text=texts[i]) for i in range(2)]
    pages.append(Page(id="bad", text="\x00\x01 binary"))
    index = Index(Store(tmp_path / "gc.db"), Settings())
    assert gc.isenabled()
    index.add(pages)
    assert gc.isenabled()
    gc.disable()
    try:
        index.add([Page(id="p9", text=texts[2])])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_aliases_follow_merges_and_leave_when_an_id_is_given_again(tmp_path: Path) -> None:
    store = Store(tmp_path / "aliases.db")
    with store.batch():
        store.put_aliases({"s1": "s2"}, assigned={"s2"})
        store.put_aliases({"s2": "s3"}, assigned={"s3"})  # s1 follows s2 to s3
    assert (store.resolve("s1"), store.resolve("s2"), store.resolve("s3")) == ("s3", "s3", "s3")
    with store.batch():
        store.put_aliases({}, assigned={"s1", "s9"})  # s1 is a live id again
    assert (store.resolve("s1"), store.resolve("s2")) == ("s1", "s3")


def test_group_counts_kept_by_rebuilds_equal_a_full_count(tmp_path: Path) -> None:
    """The counts of groups with two or more members are kept up to date batch by batch; they
    must equal a count over every assignment, whatever the batches."""
    pages = _pages()
    index = Index(Store(tmp_path / "counts.db"), Settings())
    rng = random.Random(4)
    rng.shuffle(pages)
    for start in range(0, len(pages), 3):
        index.add(pages[start : start + 3])
        store = index.store
        for column in ("copy_group", "story"):
            full = store._db.execute(
                f"SELECT COUNT(*) FROM (SELECT {column} FROM assignments WHERE {column} IS NOT"
                f" NULL GROUP BY {column} HAVING COUNT(*) > 1)"
            ).fetchone()[0]
            assert store.count_groups(column) == full
        for table in ("stories", "copy_pairs"):  # row counts kept in meta the same way
            rows = store._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            assert store.count(table) == rows
            assert store.get_meta(f"rows:{table}") == str(rows)
    assert index.store.count_groups("copy_group") > 0 and index.store.count_groups("story") > 0
    assert index.store.count("stories") >= 3


def test_a_small_features_cache_stays_bounded_and_changes_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The decoded features an Index keeps are bounded (least recently used go first), and a
    cache too small to hold a batch gives the same groups and stories."""
    import newsfold.index as index_module

    pages = _pages()
    want = Index(Store(":memory:"), Settings(batch_size=3))
    want.add(pages)
    monkeypatch.setattr(index_module, "FEATURE_CACHE_SIZE", 2)
    small = Index(Store(":memory:"), Settings(batch_size=3))
    small.add(pages)
    assert len(small._features) == 2
    assert len(pages) > 2 and len(want._features) > 2
    assert _membership(small) == _membership(want)


def test_story_and_pair_counts_follow_inserts_updates_and_deletes(tmp_path: Path) -> None:
    from newsfold.models import CopyPair, Story

    store = Store(tmp_path / "rows.db")
    assert store.count("stories") == 0 and store.count("copy_pairs") == 0  # counted, then kept
    with store.batch():
        for n in range(5):
            store.put_story(Story(id=f"s{n}", articles=(f"a{n}",)), "h")
        store.put_story(Story(id="s1", articles=("a1", "a9")), "h2")  # an update
        store.delete_stories(["s2", "s3", "nope"])
        store.put_copy_pair(
            CopyPair(a="a1", b="a2", resemblance=0.9, containment_a=1, containment_b=1)
        )
        store.put_copy_pair(
            CopyPair(a="a1", b="a2", resemblance=0.8, containment_a=1, containment_b=1)
        )
        store.put_copy_pair(
            CopyPair(a="a1", b="a3", resemblance=0.7, containment_a=1, containment_b=1)
        )
    for table, want in (("stories", 3), ("copy_pairs", 2)):
        assert store._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == want
        assert store.count(table) == want
        assert store.get_meta(f"rows:{table}") == str(want)
    store.close()

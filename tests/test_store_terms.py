"""The store's inverted index of stories: fresh postings (in memory and in story_terms_fresh),
their merge into story_terms, rollbacks, other connections, and stores of the older schema.

Every check compares ``Store.story_candidates`` with ``stories.TermIndex`` (the in-memory twin)
holding what should be stored."""

from __future__ import annotations

import random
import sqlite3
import zlib
from pathlib import Path

import pytest
from conftest import ecb_articles

import newsfold.store.sqlite as sqlite_store
from newsfold.errors import StoreError
from newsfold.models import Article, Page
from newsfold.store.sqlite import Store
from newsfold.stories import StoryFeatures, StoryOptions, TermIndex, index_keys, story_features

DATES = [None, "2019-04-25", "2019-05-06", "2019-05-20", "2021-01-01"]


def sample_features(count: int = 20, seed: int = 3) -> dict[str, StoryFeatures]:
    """Story features of real ECB+ articles (the fixture's 20), some undated and some far apart
    in time; ~11 postings each."""
    articles, _ = ecb_articles()
    rng = random.Random(seed)
    return {
        article.id: story_features(
            Article(id=article.id, paragraphs=article.paragraphs, published=rng.choice(DATES))
        )
        for article in list(articles.values())[:count]
    }


def same_candidates(store: Store, memory: TermIndex, features: dict[str, StoryFeatures]) -> int:
    """Assert the store finds what the memory index finds for every article; how many found."""
    found = 0
    for f in features.values():
        lookup = index_keys(f)[1]
        want = memory.candidates(lookup)
        assert store.story_candidates(lookup) == want
        found += len(want)
    return found


def put(store: Store, memory: TermIndex | None, article_id: str, f: StoryFeatures) -> None:
    entry = index_keys(f)[0]
    store.put_story_features(article_id, f.to_dict(), entry)
    if memory is not None:
        memory.add(article_id, entry)


def table_rows(path: Path, table: str) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


@pytest.fixture
def small_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    """Merge fresh postings once there are 40 of them (3-4 articles), not 50,000."""
    monkeypatch.setattr(sqlite_store, "_FRESH_MIN", 40)
    monkeypatch.setattr(sqlite_store, "_FRESH_MAX", 40)


def test_merges_move_postings_and_keep_candidates(tmp_path: Path, small_merges: None) -> None:
    features = sample_features()
    path = tmp_path / "news.db"
    store, memory = Store(path), TermIndex()
    items = list(features.items())
    for start in range(0, len(items), 2):
        with store.batch():
            for article_id, f in items[start : start + 2]:
                put(store, memory, article_id, f)
    assert int(store.get_meta("story_terms_merges") or 0) >= 4
    merged = table_rows(path, "story_terms")
    assert merged == int(store.get_meta("story_terms_merged") or -1)
    assert table_rows(path, "story_terms_fresh") < 40  # only those since the last merge
    assert same_candidates(store, memory, features) > len(features)
    store.close()
    # a new connection reads the fresh postings back from their table
    reopened = Store(path)
    assert same_candidates(reopened, memory, features) > len(features)
    reopened.close()


def test_no_posting_is_lost_or_doubled_by_merges(tmp_path: Path, small_merges: None) -> None:
    features = sample_features()
    path = tmp_path / "news.db"
    store = Store(path)
    with store.batch():
        for article_id, f in features.items():
            put(store, None, article_id, f)
    store.close()
    entries = {i: index_keys(f)[0] for i, f in features.items()}
    want = {(t, e.slot, i) for i, e in entries.items() for t in e.terms}
    with sqlite3.connect(path) as db:
        merged = set(db.execute("SELECT term, slot, id FROM story_terms"))
        fresh = set(db.execute("SELECT term, slot, id FROM story_terms_fresh"))
    assert merged  # the batch was big enough to merge
    assert not fresh  # merged at the end of the batch
    assert merged == want


def test_a_page_rolled_back_leaves_no_posting(tmp_path: Path) -> None:
    features = sample_features()
    items = list(features.items())
    store, memory = Store(tmp_path / "news.db"), TermIndex()
    with store.batch():
        for n, (article_id, f) in enumerate(items):
            if n % 3 == 1:
                with pytest.raises(RuntimeError), store.savepoint():
                    put(store, None, article_id, f)
                    raise RuntimeError("the page failed after its postings were written")
            else:
                with store.savepoint():
                    put(store, memory, article_id, f)
    assert memory.postings() > 0
    assert same_candidates(store, memory, features) > 0
    with sqlite3.connect(tmp_path / "news.db") as db:
        stored = {r[0] for r in db.execute("SELECT id FROM story_terms_fresh")}
    assert stored == {article_id for n, (article_id, _) in enumerate(items) if n % 3 != 1}
    store.close()


def test_a_batch_rolled_back_leaves_no_posting(tmp_path: Path, small_merges: None) -> None:
    features = sample_features()
    items = list(features.items())
    store, memory = Store(tmp_path / "news.db"), TermIndex()
    with store.batch():
        for article_id, f in items[:3]:
            put(store, memory, article_id, f)
    with pytest.raises(RuntimeError), store.batch():
        for article_id, f in items[3:]:  # enough to merge at the end of the batch
            put(store, None, article_id, f)
        store.story_candidates(index_keys(items[-1][1])[1])
        raise RuntimeError("the batch failed")
    assert same_candidates(store, memory, features) > 0
    store.close()


def test_a_merge_that_fails_rolls_the_batch_back(
    tmp_path: Path, small_merges: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    features = sample_features()
    store, memory = Store(tmp_path / "news.db"), TermIndex()
    real_merge = Store._merge_fresh_terms

    def failing_merge(self: Store) -> None:
        real_merge(self)
        raise OSError("disk full")

    monkeypatch.setattr(Store, "_merge_fresh_terms", failing_merge)
    with pytest.raises(OSError), store.batch():
        for article_id, f in features.items():
            put(store, None, article_id, f)
    monkeypatch.setattr(Store, "_merge_fresh_terms", real_merge)
    assert same_candidates(store, memory, features) == 0  # nothing was stored
    assert table_rows(tmp_path / "news.db", "story_terms") == 0
    with store.batch():
        for article_id, f in features.items():
            put(store, memory, article_id, f)
    assert same_candidates(store, memory, features) > len(features)
    store.close()


def test_other_connections_see_fresh_and_merged_postings(
    tmp_path: Path, small_merges: None
) -> None:
    """Two stores on one file, writing in turn: each finds what the other wrote, before and
    after the other merged."""
    features = sample_features()
    items = list(features.items())
    path = tmp_path / "news.db"
    one, two, memory = Store(path), Store(path), TermIndex()
    for n in range(0, len(items), 2):
        writer = one if (n // 2) % 2 == 0 else two
        with writer.batch():
            for article_id, f in items[n : n + 2]:
                put(writer, memory, article_id, f)
        for reader in (one, two):
            assert same_candidates(reader, memory, features) > 0
    assert int(one.get_meta("story_terms_merges") or 0) >= 2
    one.close()
    two.close()


def test_a_version_4_store_is_migrated(tmp_path: Path, small_merges: None) -> None:
    """A store made before fresh postings (all of them in story_terms) opens, finds what it
    held, and takes new postings."""
    features = sample_features()
    items = list(features.items())
    path = tmp_path / "news.db"
    Store(path).close()
    memory = TermIndex()
    with sqlite3.connect(path) as db:  # the version 4 layout and content
        db.execute("DROP TABLE story_terms_fresh")
        db.execute("UPDATE meta SET value='4' WHERE key='schema_version'")
        for article_id, f in items[:10]:
            entry = index_keys(f)[0]
            db.executemany(
                "INSERT OR IGNORE INTO story_terms VALUES (?, ?, ?)",
                [(term, entry.slot, article_id) for term in entry.terms],
            )
            memory.add(article_id, entry)
    store = Store(path)
    assert store.get_meta("schema_version") == str(sqlite_store.SCHEMA_VERSION)
    assert same_candidates(store, memory, features) > 0
    with store.batch():
        for article_id, f in items[10:]:
            put(store, memory, article_id, f)
    assert same_candidates(store, memory, features) > len(features)
    # the postings it had are counted once, then the merges' are added
    assert store.get_meta("story_terms_merged") == str(table_rows(path, "story_terms"))
    assert table_rows(path, "story_terms") > memory.postings() // 2
    store.close()


def test_an_older_store_is_refused_untouched(tmp_path: Path) -> None:
    """A store of a version this newsfold can neither read nor migrate is refused before
    anything is written to it (no table of the newer schema appears in it)."""
    path = tmp_path / "news.db"
    Store(path).close()
    with sqlite3.connect(path) as db:
        db.execute("DROP TABLE story_terms_fresh")
        db.execute("UPDATE meta SET value='3' WHERE key='schema_version'")
    for _ in range(2):
        with pytest.raises(StoreError, match="schema version 3"):
            Store(path)
    with sqlite3.connect(path) as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        version = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
    assert "story_terms_fresh" not in tables and "story_terms" in tables
    assert version == ("3",)


def test_raw_pages_are_zlib_streams(tmp_path: Path) -> None:
    """Raw pages are read back by any zlib, whichever deflater wrote them."""
    store = Store(tmp_path / "news.db")
    text = "Storm closes roads.\n\nThe coast road is shut. " * 50 + "\u00e9t\u00e9 \U0001f600"
    with store.batch():
        store.put_page(Page(id="p1", text=text), "hash")
    store.close()
    with sqlite3.connect(tmp_path / "news.db") as db:
        raw = db.execute("SELECT raw FROM pages WHERE id='p1'").fetchone()[0]
    assert zlib.decompress(raw).decode("utf-8") == text
    assert len(raw) < len(text.encode("utf-8")) // 4
    assert Store(tmp_path / "news.db").get_page("p1").text == text


def test_undated_and_windowed_lookups_match_after_merge(tmp_path: Path, small_merges: None) -> None:
    """With time slots off (window 0) and on, fresh and merged postings give the same
    candidates as the memory index."""
    for options in (StoryOptions(), StoryOptions(window_days=0)):
        articles, _ = ecb_articles()
        rng = random.Random(5)
        features = {
            a.id: story_features(
                Article(id=a.id, paragraphs=a.paragraphs, published=rng.choice(DATES)), options
            )
            for a in articles.values()
        }
        store, memory = Store(tmp_path / f"w{options.window_days}.db"), TermIndex()
        items = list(features.items())
        for part in (items[:-2], items[-2:]):  # merged at the end of the first batch only
            with store.batch():
                for article_id, f in part:
                    entry = index_keys(f, options)[0]
                    store.put_story_features(article_id, f.to_dict(), entry)
                    memory.add(article_id, entry)
        assert store.get_meta("story_terms_merges") == "1"
        assert 0 < store.fresh_postings()[0] < 40  # the last two articles' postings
        for f in features.values():
            lookup = index_keys(f, options)[1]
            assert store.story_candidates(lookup) == memory.candidates(lookup)
        store.close()


def test_pending_marks_follow_savepoints_and_batches(tmp_path: Path) -> None:
    """Pending marks made inside a batch are written at its end: those of a page rolled back
    are not, and a batch rolled back writes none."""
    store = Store(tmp_path / "news.db")
    with store.batch():
        store.add_pending(["a", "b"])
        with pytest.raises(RuntimeError), store.savepoint():
            store.add_pending(["c", "a"])
            raise RuntimeError("the page failed")
        with store.savepoint():
            store.add_pending(["d", "b"])
        assert store.pending() == {"a", "b", "d"}  # read inside the batch: written first
        store.add_pending(["e"])
    assert store.pending() == {"a", "b", "d", "e"}
    with pytest.raises(RuntimeError), store.batch():
        store.add_pending(["f"])
        raise RuntimeError("the batch failed")
    assert store.pending() == {"a", "b", "d", "e"}
    store.add_pending(["g"])  # outside a batch: written at once
    assert Store(tmp_path / "news.db").pending() == {"a", "b", "d", "e", "g"}
    store.close()


def test_story_links_written_in_a_batch_are_read_back_inside_and_after_it(
    tmp_path: Path,
) -> None:
    store = Store(tmp_path / "news.db")
    with store.batch():
        store.put_story_links("b", ["a", "c"])
        with pytest.raises(RuntimeError), store.savepoint():
            store.put_story_links("d", ["a"])
            raise RuntimeError("the page failed")
        store.put_story_links("c", ["b"])  # the same pair again: stored once
        assert store.story_links_touching(["a", "d"]) == [("a", "b")]
        assert store.count("story_links") == 2
    assert store.story_links_touching(["b"]) == [("a", "b"), ("b", "c")]
    store.close()


def test_raw_pages_fall_back_to_the_standard_zlib_without_isal(tmp_path: Path) -> None:
    """Without ISA-L's wheels the store deflates with the standard library, readably."""
    import subprocess
    import sys

    script = (
        "import sys, zlib; sys.modules['isal'] = None\n"
        "import newsfold.store.sqlite as s\n"
        "assert s._deflate is zlib.compress, s._deflate\n"
        "from newsfold.models import Page\n"
        f"store = s.Store({str(tmp_path / 'z.db')!r})\n"
        "store.put_page(Page(id='p', text='word ' * 100), 'h')\n"
        "assert store.get_page('p').text == 'word ' * 100\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)

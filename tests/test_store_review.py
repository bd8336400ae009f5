"""Adversarial checks of the store's fresh postings, deferred writes and stored row counts:
several Store objects on one file, nested savepoints, failures and interrupts mid-batch,
readers that cannot write. Each result is compared with what should be stored: the in-memory
twin of the index (``stories.TermIndex``), plain sets, and full counts over the tables."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import ecb_articles

import newsfold.store.sqlite as sqlite_store
from newsfold import Page, Settings
from newsfold.errors import StoreError
from newsfold.index import Index
from newsfold.models import CopyPair, Story
from newsfold.store.sqlite import Store
from newsfold.stories import IndexEntry, IndexLookup, TermIndex

UNDATED = -1


def anytime(term: str) -> IndexLookup:
    return IndexLookup((term,), (), 0)


def table_count(store: Store, table: str) -> int:
    return int(store._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


@pytest.fixture
def small_merges(monkeypatch: pytest.MonkeyPatch) -> None:
    """Merge fresh postings once there are 12 of them, not 50,000."""
    monkeypatch.setattr(sqlite_store, "_FRESH_MIN", 12)
    monkeypatch.setattr(sqlite_store, "_FRESH_MAX", 12)


# -- fresh postings and AUTOINCREMENT ----------------------------------------------------------


def test_a_page_rolled_back_does_not_hide_another_connections_next_postings(
    tmp_path: Path,
) -> None:
    """A savepoint rolled back takes its rows out of story_terms_fresh and SQLite gives their
    seqs out again; a connection that counted them as read skipped another connection's
    postings that took them (found by no look-up of that connection until the next merge)."""
    path = tmp_path / "news.db"
    one, two = Store(path), Store(path)
    with one.batch():
        one.put_story_features("kept", {}, IndexEntry(("alpha",), UNDATED))
        with pytest.raises(RuntimeError), one.savepoint():
            one.put_story_features("failed", {}, IndexEntry(("beta", "gamma"), UNDATED))
            raise RuntimeError("the page failed after its postings were written")
    assert two.story_candidates(anytime("alpha")) == {"kept"}
    with two.batch():
        two.put_story_features("other", {}, IndexEntry(("omega", "zeta"), UNDATED))
    for store in (one, two, Store(path)):
        assert store.story_candidates(anytime("omega")) == {"other"}
        assert store.story_candidates(anytime("zeta")) == {"other"}
        assert store.story_candidates(anytime("beta")) == set()
    one.close()
    two.close()


def test_re_put_features_and_entries_without_terms_match_the_memory_twin(
    tmp_path: Path, small_merges: None
) -> None:
    """The same article put again (other terms, another slot; INSERT OR REPLACE of its
    features) keeps its earlier postings, as TermIndex does; an entry without terms stores no
    posting. Through merges, and from a connection opened afterwards."""
    path = tmp_path / "news.db"
    store, memory = Store(path), TermIndex()
    entries = [
        ("a", IndexEntry(("alpha", "beta"), UNDATED)),
        ("a", IndexEntry(("alpha", "gamma"), 7)),  # the same article again, another slot
        ("b", IndexEntry((), 7)),  # no key term
        ("c", IndexEntry(("beta",), 8)),
        ("a", IndexEntry(("alpha", "beta"), UNDATED)),  # exactly as before
    ] * 4
    for n, (article_id, entry) in enumerate(entries):
        with store.batch():
            store.put_story_features(article_id, {"n": n}, entry)
            memory.add(article_id, entry)
        lookups = [IndexLookup((t,), (), 0) for t in ("alpha", "beta", "gamma")]
        lookups += [IndexLookup((), (t,), s) for t in ("alpha", "beta", "gamma") for s in (0, 8)]
        for lookup in lookups:
            assert store.story_candidates(lookup) == memory.candidates(lookup)
    assert int(store.get_meta("story_terms_merges") or 0) >= 1
    merged = table_count(store, "story_terms")
    assert store.get_meta("story_terms_merged") == str(merged)  # distinct postings only
    assert store.story_features(["a"])["a"] == {"n": len(entries) - 1}
    store.close()


def test_a_version_4_store_left_with_its_log_is_migrated(tmp_path: Path) -> None:
    """A version 4 store whose last commits are still in its write-ahead log (the process
    that wrote them died before a checkpoint) opens as version 5 with them."""
    live, crashed = tmp_path / "live", tmp_path / "crashed"
    live.mkdir()
    crashed.mkdir()
    Store(live / "news.db").close()
    db = sqlite3.connect(live / "news.db", isolation_level=None)
    db.execute("PRAGMA wal_autocheckpoint = 0")
    db.execute("DROP TABLE story_terms_fresh")
    db.execute("UPDATE meta SET value='4' WHERE key='schema_version'")
    db.execute("INSERT INTO story_terms VALUES ('alpha', -1, 'old')")
    db.execute("INSERT INTO story_features VALUES ('old', '{}')")
    files = sorted(f.name for f in live.iterdir())
    assert files == ["news.db", "news.db-shm", "news.db-wal"]
    for name in files:  # the files as the dead process left them
        (crashed / name).write_bytes((live / name).read_bytes())
    db.close()
    store = Store(crashed / "news.db")
    assert store.get_meta("schema_version") == str(sqlite_store.SCHEMA_VERSION)
    assert store.story_candidates(anytime("alpha")) == {"old"}
    with store.batch():
        store.put_story_features("new", {}, IndexEntry(("alpha",), UNDATED))
    assert Store(crashed / "news.db").story_candidates(anytime("alpha")) == {"old", "new"}
    assert store.fresh_postings() == (1, sqlite_store._FRESH_MIN)
    assert store.get_meta("story_terms_merged") == "1"  # counted once, in the batch
    store.close()


# -- deferred writes ---------------------------------------------------------------------------


@pytest.mark.parametrize("read", ["pending", "story_links_touching", "count", "clear_pending"])
def test_a_read_inside_a_page_rolled_back_keeps_the_rows_deferred_before_it(
    tmp_path: Path, read: str
) -> None:
    """Reading a deferred table writes what waits, inside the open savepoint; rolled back, it
    undid the rows of earlier pages too, which were no longer waiting: they were lost."""
    store = Store(tmp_path / "news.db")
    reads: dict[str, Callable[[], object]] = {
        "pending": store.pending,
        "story_links_touching": lambda: store.story_links_touching(["a"]),
        "count": lambda: store.count("story_links"),
        "clear_pending": store.clear_pending,
    }
    with store.batch():
        store.add_pending(["a"])
        store.put_story_links("a", ["b"])
        with pytest.raises(RuntimeError), store.savepoint():
            store.add_pending(["c"])
            store.put_story_links("c", ["d"])
            reads[read]()
            raise RuntimeError("the page failed")
        store.add_pending(["e"])
    assert store.pending() == {"a", "e"}
    assert store.story_links_touching(["a", "b", "c", "d"]) == [("a", "b")]
    store.close()


def test_clear_pending_clears_the_marks_still_waiting(tmp_path: Path) -> None:
    """Marks made in a batch before clear_pending are cleared, as when they were written at
    once; those made after it stay."""
    store = Store(tmp_path / "news.db")
    with store.batch():
        store.add_pending(["a", "b"])
        store.clear_pending()
        store.add_pending(["c"])
    assert store.pending() == {"c"}
    store.close()


# -- stored counts -----------------------------------------------------------------------------


def _count_keys(store: Store) -> None:
    """Forget the stored counts, as in a store made before they were kept."""
    with store.batch():
        store._db.execute("DELETE FROM meta WHERE key LIKE 'rows:%' OR key LIKE 'groups:%'")


@contextmanager
def commit_before_next_meta_write(reader: Store, write: Callable[[], None]) -> Iterator[None]:
    """Run ``write`` (another connection's batch) just before ``reader`` next writes to meta:
    between its count and the store of that count when they are two statements."""
    done = False

    def trace(statement: str) -> None:
        nonlocal done
        if not done and "INTO meta" in statement:
            done = True
            write()

    reader._db.set_trace_callback(trace)
    try:
        yield
    finally:
        reader._db.set_trace_callback(None)


def test_a_count_stored_while_another_connection_commits_stays_exact(tmp_path: Path) -> None:
    """A reader counting a table whose count is not stored yet, while a writer commits rows
    (its writes find no stored count to update): the stored count must take them in."""
    path = tmp_path / "news.db"
    writer, reader = Store(path), Store(path)
    _count_keys(writer)

    def add_stories() -> None:
        with writer.batch():
            writer.put_story(Story(id="s1", articles=("a1",)), "h")
            writer.put_story(Story(id="s2", articles=("a2",)), "h")
            writer.put_copy_pair(
                CopyPair(a="a1", b="a2", resemblance=0.9, containment_a=1, containment_b=1)
            )
            writer.upsert_assignments([("a1", "g1", "s1"), ("a2", "g1", "s1")])

    with commit_before_next_meta_write(reader, add_stories):
        assert reader.count("stories") in (0, 2)
    assert reader.count("stories") == writer.count("stories") == table_count(reader, "stories")
    with writer.batch():
        writer.put_story(Story(id="s3", articles=("a3",)), "h")
    assert reader.count("stories") == 3 == table_count(reader, "stories")

    def add_group() -> None:
        with writer.batch():
            writer.upsert_assignments([("a3", "g2", "s3"), ("a4", "g2", "s3")])

    _count_keys(writer)
    with commit_before_next_meta_write(reader, add_group):
        reader.count_groups("copy_group")
    assert reader.count_groups("copy_group") == 2  # g1 and g2
    with writer.batch():
        writer.upsert_assignments([("a5", "g3", None), ("a6", "g3", None)])
    assert reader.count_groups("copy_group") == writer.count_groups("copy_group") == 3
    writer.close()
    reader.close()


def open_read_only(path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A Store over a read-only connection (SQLite's mode=ro: the tests may run as root, for
    whom a file's mode does not stop writes)."""
    connect = sqlite3.connect

    def read_only(database: str, **options: Any) -> sqlite3.Connection:
        return connect(f"file:{database}?mode=ro", uri=True, **options)

    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", read_only)
        return Store(path)


def test_a_reader_counts_without_writing_or_waiting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting, look-ups and fresh postings on a store whose counts are not stored yet: from
    a read-only connection, one that may not write, and one that may while another holds a
    batch (it must not wait for it, nor fail with 'database is locked')."""
    path = tmp_path / "news.db"
    writer = Store(path)
    with writer.batch():
        writer.put_story(Story(id="s1", articles=("a1",)), "h")
        writer.put_story_features("a1", {}, IndexEntry(("alpha",), UNDATED))
        writer.upsert_assignments([("a1", None, "s1"), ("a2", None, "s1")])
    _count_keys(writer)
    read_only = open_read_only(path, monkeypatch)
    query_only = Store(path)
    query_only._db.execute("PRAGMA query_only = ON")
    busy = Store(path)
    busy._db.execute("PRAGMA busy_timeout = 100")  # a wait would raise here, not pass late
    with writer.batch():
        writer.put_story(Story(id="s2", articles=("a3",)), "h")  # not committed yet
        for reader in (read_only, query_only, busy):
            assert reader.count("stories") == 1
            assert reader.count("copy_pairs") == 0
            assert reader.count_groups("story") == 1
            assert reader.fresh_postings()[0] == 1
            assert reader.story_candidates(anytime("alpha")) == {"a1"}
            assert reader.pending() == set()
    assert read_only.count("stories") == query_only.count("stories") == 2
    assert read_only.get_meta("rows:stories") is None  # they wrote nothing
    assert busy._db.execute("PRAGMA busy_timeout").fetchone()[0] == 100
    assert busy.count("stories") == 2 and busy.get_meta("rows:stories") == "2"  # stored now
    with pytest.raises(sqlite3.OperationalError, match="readonly"), read_only.batch():
        read_only.put_story(Story(id="s3", articles=("a4",)), "h")  # still refused
    assert not read_only._db.in_transaction
    for store in (writer, read_only, query_only, busy):
        store.close()


def test_counts_inside_a_batch_and_a_page_rolled_back(tmp_path: Path) -> None:
    """count() inside a batch, before and after writes and around a page rolled back, equals a
    full count; a batch rolled back leaves the stored count as it was."""
    store = Store(tmp_path / "news.db")
    _count_keys(store)
    with store.batch():
        assert store.count("stories") == 0
        store.put_story(Story(id="s1", articles=("a1",)), "h")
        with pytest.raises(RuntimeError), store.savepoint():
            store.put_story(Story(id="s2", articles=("a2",)), "h")
            assert store.count("stories") == 2
            raise RuntimeError("the page failed")
        assert store.count("stories") == 1 == table_count(store, "stories")
    with pytest.raises(KeyboardInterrupt), store.batch():
        store.put_story(Story(id="s3", articles=("a3",)), "h")
        store.delete_stories(["s1"])
        raise KeyboardInterrupt
    assert store.count("stories") == 1 == table_count(store, "stories")
    store.close()


# -- SQLite rolling a batch back by itself (disk full, I/O error, out of memory) ----------------


def disk_full(store: Store) -> None:
    """Make SQLite fail a write with SQLITE_FULL, which rolls back the whole transaction."""
    db = store._db
    pages = int(db.execute("PRAGMA page_count").fetchone()[0])
    db.execute(f"PRAGMA max_page_count = {pages}")
    try:
        db.execute("INSERT INTO meta VALUES ('filler', zeroblob(1000000))")
    finally:
        db.execute("PRAGMA max_page_count = 4294967294")


def stored_rows(store: Store) -> dict[str, int]:
    tables = ("story_features", "story_terms_fresh", "pending", "story_links", "site_pages")
    return {table: table_count(store, table) for table in tables}


def test_a_batch_sqlite_rolled_back_stores_none_of_it_and_says_why(tmp_path: Path) -> None:
    """SQLITE_FULL inside a page (nested savepoints) rolls the whole transaction back and the
    savepoints with it; the page's error is caught and the batch goes on. What follows must
    not commit statement by statement: the batch ends with an error naming the cause, and
    nothing of it is stored (nor are the phantom postings found)."""
    path = tmp_path / "news.db"
    store = Store(path)
    with store.batch():
        store.put_story_features("kept", {}, IndexEntry(("alpha",), UNDATED))
    before = stored_rows(store)
    with pytest.raises(StoreError) as raised, store.batch():
        store.put_story_features("lost1", {}, IndexEntry(("alpha", "beta"), UNDATED))
        store.add_pending(["lost1"])
        with pytest.raises(sqlite3.OperationalError, match="full"), store.savepoint():
            store.add_pending(["lost2"])
            with store.savepoint():
                store.put_story_features("lost2", {}, IndexEntry(("beta",), UNDATED))
                disk_full(store)
        # what a caught page failure is followed by (Index._add_page_safely)
        store.add_site_counts("example.com", -1, {7: -1})
        with store.savepoint():
            store.put_story_features("lost3", {}, IndexEntry(("gamma",), UNDATED))
            store.put_story_links("lost3", ["kept"])
    assert "full" in str(raised.value.__cause__)
    assert not store._db.in_transaction
    assert stored_rows(store) == before
    for reader in (store, Store(path)):
        assert reader.story_candidates(anytime("alpha")) == {"kept"}
        assert reader.story_candidates(anytime("beta")) == set()
        assert reader.story_candidates(anytime("gamma")) == set()
    with store.batch():  # the store goes on
        store.put_story_features("next", {}, IndexEntry(("beta",), UNDATED))
    assert store.story_candidates(anytime("beta")) == {"next"}
    store.close()


def test_a_page_that_swallows_the_error_of_a_lost_batch(tmp_path: Path) -> None:
    """A page that catches SQLite's error itself ends without a savepoint to release: it
    raises then, and the batch ends as above; outside any page the error itself ends it."""
    store = Store(tmp_path / "news.db")
    with pytest.raises(StoreError), store.batch():
        with pytest.raises(StoreError), store.savepoint():
            store.add_pending(["a"])
            try:
                disk_full(store)
            except sqlite3.OperationalError:
                pass
        store.add_pending(["b"])
    with pytest.raises(sqlite3.OperationalError, match="full"), store.batch():
        store.add_pending(["c"])
        disk_full(store)
    assert store.pending() == set() and not store._db.in_transaction
    store.close()


def test_index_add_through_a_disk_full_page_keeps_the_store_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Index.add: one page hits a full disk mid-batch. The batch raises, the store is as it
    was before it (site line counts included: the failed page's lines were taken out of them
    in a statement that committed alone), and the same pages added again give the stories
    of a run without the failure."""
    pages = [dataclasses.replace(p, site="example.com") for p in _ecb_pages(10)]
    want = Index(Store(":memory:"), Settings(batch_size=6))
    want.add(pages)
    index = Index(Store(tmp_path / "news.db"), Settings(batch_size=6))
    index.add(pages[:4])
    tables = ("pages", "story_terms_fresh", "pending", "site_lines", "story_links")

    def state() -> tuple[dict[str, int], list[tuple[str, int]]]:
        counts = {table: table_count(index.store, table) for table in tables}
        return counts, list(index.store._db.execute("SELECT * FROM site_pages"))

    before = state()
    real = Store.put_story_features

    def put_then_full(self: Store, article_id: str, data: object, entry: IndexEntry) -> None:
        real(self, article_id, data, entry)  # type: ignore[arg-type]
        if article_id == pages[6].id:
            disk_full(self)

    monkeypatch.setattr(Store, "put_story_features", put_then_full)
    with pytest.raises(StoreError, match="full"):
        index.add(pages[4:])
    monkeypatch.undo()
    assert state() == before
    index.add(pages[4:])
    assert _membership(index) == _membership(want)
    index.store.close()


class InterruptAfterBegin:
    """A connection whose BEGIN returns and is then interrupted: a Ctrl-C pressed while BEGIN
    IMMEDIATE waited for another connection's batch is raised as it returns."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __getattr__(self, name: str) -> object:
        return getattr(self.db, name)

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        cursor = self.db.execute(sql, *args)
        if sql.startswith("BEGIN"):
            raise KeyboardInterrupt
        return cursor


def test_an_interrupt_as_begin_returns_leaves_no_transaction_open(tmp_path: Path) -> None:
    """Else the connection keeps the write lock (every other writer gets 'database is
    locked') and its next batch fails to begin."""
    path = tmp_path / "news.db"
    store, other = Store(path), Store(path)
    other._db.execute("PRAGMA busy_timeout = 100")
    db = store._db
    store._db = InterruptAfterBegin(db)  # type: ignore[assignment]
    with pytest.raises(KeyboardInterrupt), store.batch():
        pass
    store._db = db
    assert not db.in_transaction
    with other.batch():
        other.add_pending(["a"])
    with store.batch():
        store.add_pending(["b"])
    assert other.pending() == {"a", "b"}
    store.close()
    other.close()


def test_a_batch_that_cannot_begin_changes_nothing(tmp_path: Path) -> None:
    """BEGIN IMMEDIATE timing out behind another connection's batch: an error, no state left
    behind, and the fresh postings in memory still good (not read again from scratch)."""
    path = tmp_path / "news.db"
    store, other = Store(path), Store(path)
    with store.batch():
        store.put_story_features("a", {}, IndexEntry(("alpha",), UNDATED))
    store._db.execute("PRAGMA busy_timeout = 50")
    with other.batch():
        other.add_pending(["x"])
        with pytest.raises(sqlite3.OperationalError, match="locked"), store.batch():
            pass
        assert not store._db.in_transaction and not store._in_batch
        assert store._fresh_merges is not None
    with store.batch():
        store.put_story_features("b", {}, IndexEntry(("alpha",), UNDATED))
    assert other.story_candidates(anytime("alpha")) == {"a", "b"}
    assert store.pending() == {"x"}
    store.close()
    other.close()


# -- a random model check: several connections, savepoints, failures and merges ---------------

VOCAB = [f"t{n}" for n in range(9)]
ARTICLES = [f"a{n}" for n in range(14)]


@dataclass
class Model:
    """What should be stored: postings (in the order they were added), pending marks, links,
    story ids."""

    postings: list[tuple[str, IndexEntry]] = field(default_factory=list)
    pending: set[str] = field(default_factory=set)
    links: set[tuple[str, str]] = field(default_factory=set)
    stories: set[str] = field(default_factory=set)

    def copy(self) -> Model:
        return Model(list(self.postings), set(self.pending), set(self.links), set(self.stories))

    def take(self, other: Model) -> None:
        self.postings, self.pending = other.postings, other.pending
        self.links, self.stories = other.links, other.stories

    def index(self) -> TermIndex:
        memory = TermIndex()
        for article_id, entry in self.postings:
            memory.add(article_id, entry)
        return memory


def random_entry(rng: random.Random) -> IndexEntry:
    terms = tuple(rng.sample(VOCAB, rng.choice([0, 1, 2, 3, 3])))
    return IndexEntry(terms, rng.choice([UNDATED, 3, 4, 6]))


def random_lookups(rng: random.Random) -> list[IndexLookup]:
    return [
        IndexLookup(
            tuple(rng.sample(VOCAB, rng.randint(0, 2))),
            tuple(rng.sample(VOCAB, rng.randint(0, 3))),
            rng.choice([3, 4, 5]),
        )
        for _ in range(6)
    ]


def assert_matches(store: Store, model: Model, rng: random.Random) -> None:
    memory = model.index()
    for lookup in random_lookups(rng):
        assert store.story_candidates(lookup) == memory.candidates(lookup), lookup
    for lookup in (anytime(term) for term in VOCAB):
        assert store.story_candidates(lookup) == memory.candidates(lookup), lookup


class Failure(Exception):
    """A page or a batch failing on purpose."""


def random_page(store: Store, model: Model, rng: random.Random, depth: int) -> None:
    """Some writes and reads of one page; nested pages inside, some of which fail."""
    for _ in range(rng.randint(1, 3)):
        action = rng.random()
        if action < 0.45:
            article_id, entry = rng.choice(ARTICLES), random_entry(rng)
            store.put_story_features(article_id, {"terms": list(entry.terms)}, entry)
            if entry.terms:
                model.postings.append((article_id, entry))
        elif action < 0.6:
            ids = rng.sample(ARTICLES, 2)
            store.add_pending(ids)
            model.pending.update(ids)
        elif action < 0.72:
            article_id, others = rng.choice(ARTICLES), rng.sample(ARTICLES, 2)
            store.put_story_links(article_id, others)
            model.links.update((min(article_id, o), max(article_id, o)) for o in others)
        elif action < 0.8:
            assert store.pending() == model.pending
        elif action < 0.86:
            assert store.story_links_touching(ARTICLES) == sorted(model.links)
            assert store.count("story_links") == len(model.links)
        elif action < 0.88:
            store.clear_pending()
            model.pending.clear()
        elif action < 0.93:
            made = set(rng.sample(ARTICLES, 3))
            for story_id in sorted(made):
                store.put_story(Story(id=story_id, articles=(story_id,)), "h")
            gone = set(rng.sample(ARTICLES, 2))
            store.delete_stories(gone)
            model.stories = (model.stories | made) - gone
            assert store.count("stories") == len(model.stories)
        elif depth < 2:
            inner = model.copy()
            try:
                with store.savepoint():
                    random_page(store, inner, rng, depth + 1)
                    if rng.random() < 0.35:
                        raise Failure("a nested page failed")
            except Failure:
                pass
            else:
                model.take(inner)
    assert_matches(store, model, rng)


@pytest.mark.parametrize("seed", range(8))
def test_random_batches_on_several_connections_match_the_model(
    tmp_path: Path, small_merges: None, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    """Three stores on one file write batches in turn (pages rolled back, nested, batches
    failing or interrupted, merges failing); each store, and one that only reads, must find
    what the model holds, and the tables must hold it exactly once."""
    rng = random.Random(seed)
    path = tmp_path / "news.db"
    stores = [Store(path) for _ in range(3)]
    reader = Store(path)
    reader._db.execute("PRAGMA query_only = ON")
    committed = Model()
    real_merge = Store._merge_fresh_terms
    failing = {"merge": False}

    def merge(self: Store) -> None:
        real_merge(self)
        if failing["merge"]:
            raise Failure("the merge failed")

    monkeypatch.setattr(Store, "_merge_fresh_terms", merge)
    merges_seen = 0
    for _ in range(30):
        store = rng.choice(stores)
        working = committed.copy()
        endings = ["commit", "fail", "interrupt", "merge fails", "disk full"]
        ending = rng.choices(endings, [12, 2, 1, 1, 1])[0]
        failing["merge"] = ending == "merge fails"
        try:
            with store.batch():
                for _ in range(rng.randint(1, 5)):
                    page = working.copy()
                    try:
                        with store.savepoint():
                            random_page(store, page, rng, 0)
                            if ending == "interrupt" and rng.random() < 0.3:
                                raise KeyboardInterrupt  # through the page's savepoint
                            if ending == "disk full" and rng.random() < 0.5:
                                disk_full(store)
                            if rng.random() < 0.25:
                                raise Failure("the page failed")
                    except Failure:
                        pass
                    except sqlite3.OperationalError:
                        # The batch is lost, and goes on as Index would: later writes must
                        # not land (what it reads now no longer matters).
                        store.put_story_features("late", {}, IndexEntry(("t1",), UNDATED))
                        store.add_pending(["late"])
                        store.put_story(Story(id="late", articles=("late",)), "h")
                        break
                    else:
                        working = page
                    # the others read what is committed while this batch is open
                    other = rng.choice([s for s in (*stores, reader) if s is not store])
                    assert_matches(other, committed, rng)
                    assert other.count("stories") == len(committed.stories)
                if ending == "fail":
                    raise Failure("the batch failed")
                if ending in ("interrupt", "disk full"):
                    raise KeyboardInterrupt
        except (Failure, KeyboardInterrupt, StoreError):
            if ending == "commit":
                raise
        else:
            committed = working
        assert not store._db.in_transaction
        merges_seen = max(merges_seen, int(store.get_meta("story_terms_merges") or 0))
        if rng.random() < 0.1:  # a store opened anew
            index = rng.randrange(len(stores))
            stores[index].close()
            stores[index] = Store(path)
        if rng.random() < 0.05:  # counts not stored (a store made before they were)
            _count_keys(rng.choice(stores))
        for other in (*stores, reader):
            assert_matches(other, committed, rng)
            assert other.pending() == committed.pending
            assert other.story_links_touching(ARTICLES) == sorted(committed.links)
            assert other.count("stories") == len(committed.stories)
        want = {(t, e.slot, i) for i, e in committed.postings for t in e.terms}
        merged = set(reader._db.execute("SELECT term, slot, id FROM story_terms"))
        fresh = set(reader._db.execute("SELECT term, slot, id FROM story_terms_fresh"))
        assert merged | fresh == want
        assert table_count(reader, "stories") == len(committed.stories)
        assert reader.get_meta("story_terms_merged") in (None, str(len(merged)))
    assert merges_seen >= 1
    for store in (*stores, reader):
        store.close()


def test_a_memory_store_matches_the_model(small_merges: None) -> None:
    """The same checks on a private in-memory store (no WAL, no other connection)."""
    rng = random.Random(11)
    store, committed = Store(":memory:"), Model()
    for _ in range(30):
        working = committed.copy()
        try:
            with store.batch():
                random_page(store, working, rng, 0)
                if rng.random() < 0.2:
                    raise Failure("the batch failed")
        except Failure:
            pass
        else:
            committed = working
        assert_matches(store, committed, rng)
        assert store.pending() == committed.pending
    assert int(store.get_meta("story_terms_merges") or 0) >= 1
    store.close()


# -- through Index: a page failing after its postings, a crash before the rebuild -------------


def _ecb_pages(count: int = 12) -> list[Page]:
    articles, _ = ecb_articles()
    return [
        Page(id=a.id, text="\n\n".join((a.title or "", *a.paragraphs)))
        for a in list(articles.values())[:count]
    ]


def _membership(index: Index) -> list[tuple[str, ...]]:
    stories: dict[str, list[str]] = {}
    for record in index.article_records():
        if record["story"]:
            stories.setdefault(record["story"], []).append(record["id"])
    return sorted(tuple(sorted(s)) for s in stories.values())


def test_a_page_failing_after_its_postings_changes_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page whose processing fails once its postings, links and pending marks are written
    is skipped, and the store ends as if it had never been given."""
    pages = _ecb_pages()
    failing = pages[4].id
    want = Index(Store(tmp_path / "want.db"), Settings(batch_size=5))
    want.add([p for p in pages if p.id != failing])
    real = Store.put_story_features

    def put_then_fail(self: Store, article_id: str, data: object, entry: IndexEntry) -> None:
        real(self, article_id, data, entry)  # type: ignore[arg-type]
        if article_id == failing:
            raise ValueError("failed after its postings were written")

    monkeypatch.setattr(Store, "put_story_features", put_then_fail)
    index = Index(Store(tmp_path / "got.db"), Settings(batch_size=5))
    report = index.add(pages)
    monkeypatch.setattr(Store, "put_story_features", real)
    # (report.pages_kept still counts the failed page: Index counts it before it fails)
    assert report.skipped["failed to process"] == 1
    assert _membership(index) == _membership(want)
    assert len(_membership(want)) >= 2
    store = index.store
    assert failing not in {r[0] for r in store._db.execute("SELECT id FROM story_terms_fresh")}
    links = store.story_links_touching([p.id for p in pages])
    assert links == want.store.story_links_touching([p.id for p in pages])
    assert store.count("stories") == table_count(store, "stories")


def test_an_interrupt_before_the_rebuild_loses_no_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The add batch commits its pending marks; interrupted before its rebuild ends, the next
    rebuild (another process, a new Store) gives the stories of an uninterrupted run."""
    pages = _ecb_pages()
    want = Index(Store(":memory:"), Settings(batch_size=4))
    want.add(pages)
    path = tmp_path / "news.db"
    index = Index(Store(path), Settings(batch_size=4))
    index.add(pages[:6])

    def interrupted(self: Index, pending: set[str], report: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(Index, "_rebuild", interrupted)
    with pytest.raises(KeyboardInterrupt):
        index.add(pages[6:])
    monkeypatch.undo()
    index.store.close()
    again = Index(Store(path), Settings(batch_size=4))
    assert {p.id for p in pages[6:]} <= again.store.pending()
    again.rebuild()
    assert again.store.pending() == set()
    assert _membership(again) == _membership(want)
    assert again.store.count("stories") == table_count(again.store, "stories")
    again.store.close()

"""The embedded SQLite store: pages, articles, signatures, LSH buckets, copy pairs, story links.

Everything derived (copy groups, stories, digests) is rebuilt from the stored edges, so a batch
either lands whole or not at all: `Store.batch()` wraps one transaction, and a crash inside it
leaves the database as it was before the batch (SQLite's rollback journal / WAL guarantee).

Records are stored as JSON text (never pickle) so the file can be read by any SQLite client.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

import numpy as np
import orjson

from ..errors import NotFoundError, StoreError
from ..models import Article, CopyPair, Page, Story
from ..stories.link import IndexEntry, IndexLookup, TermIndex

# 3: story index keys hold d: keys for dated articles; assignments no longer keep the component
# an article was refined in.
# 4: the stories inverted index is story_terms (term, slot, id): one posting per key term, the
# time window read at look-up (story_keys held up to four keys per term: two slots, d:, t:).
# 5: new postings go to story_terms_fresh first and are merged into story_terms in bulk
# (Store._merge_fresh_terms); a version 4 store is migrated in place (the table is added).
SCHEMA_VERSION = 5
_MIGRATES_FROM = {4}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    kind TEXT NOT NULL,
    raw BLOB NOT NULL,
    url TEXT, site TEXT, fetched_at TEXT
);
CREATE TABLE IF NOT EXISTS articles (id TEXT PRIMARY KEY, data TEXT NOT NULL);
-- the text copies compares when it differs from the article body (its site's repeated lines
-- removed); absent when the same
CREATE TABLE IF NOT EXISTS copy_bodies (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS signatures (
    id TEXT PRIMARY KEY, minhash BLOB NOT NULL, n_keys INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS lsh_buckets (key INTEGER NOT NULL, id TEXT NOT NULL,
    PRIMARY KEY (key, id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS copy_pairs (a TEXT NOT NULL, b TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS story_features (id TEXT PRIMARY KEY, data TEXT NOT NULL);
-- the stories inverted index: one posting per key term of an article, with its time slot
-- (stories.link.index_keys; -1 when undated), so a look-up reads the slots it needs in order
CREATE TABLE IF NOT EXISTS story_terms (term TEXT NOT NULL, slot INTEGER NOT NULL,
    id TEXT NOT NULL, PRIMARY KEY (term, slot, id)) WITHOUT ROWID;
-- the postings of the articles added since the last merge, in arrival order (appended: a batch
-- writes a few pages); look-ups read them from memory (Store._fresh), and they are merged into
-- story_terms in key order once there are enough of them
CREATE TABLE IF NOT EXISTS story_terms_fresh (seq INTEGER PRIMARY KEY AUTOINCREMENT,
    term TEXT NOT NULL, slot INTEGER NOT NULL, id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS story_links (a TEXT NOT NULL, b TEXT NOT NULL,
    PRIMARY KEY (a, b)) WITHOUT ROWID;
-- derived: each article's copy group and story
CREATE TABLE IF NOT EXISTS assignments (
    article TEXT PRIMARY KEY, copy_group TEXT, story TEXT
);
CREATE INDEX IF NOT EXISTS assignments_story ON assignments (story);
CREATE INDEX IF NOT EXISTS assignments_group ON assignments (copy_group);
CREATE INDEX IF NOT EXISTS copy_pairs_b ON copy_pairs (b);
CREATE INDEX IF NOT EXISTS story_links_b ON story_links (b);
CREATE TABLE IF NOT EXISTS stories (id TEXT PRIMARY KEY, members_hash TEXT NOT NULL,
    data TEXT NOT NULL);
-- articles whose groups and stories must be recomputed (written in the same transaction as the
-- edges that touched them, so a crash between ingest and rebuild loses no work)
CREATE TABLE IF NOT EXISTS pending (article TEXT PRIMARY KEY) WITHOUT ROWID;
-- per site: how many pages were counted, and on how many of them each line (key) appeared;
-- lines on many pages of one site are its chrome (clean.site)
CREATE TABLE IF NOT EXISTS site_pages (site TEXT PRIMARY KEY, pages INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS site_lines (site TEXT NOT NULL, key INTEGER NOT NULL,
    pages INTEGER NOT NULL, PRIMARY KEY (site, key)) WITHOUT ROWID;
-- ids of stories and copy groups that merged into another: old id -> surviving id
CREATE TABLE IF NOT EXISTS aliases (old TEXT PRIMARY KEY, survivor TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aliases_survivor ON aliases (survivor);
"""


# Raw pages are stored deflated (zlib format, so any zlib reads them back), by ISA-L when its
# wheels are installed: every arriving page pays it, and raw pages are read back only to
# re-process them. Over 3,000 stored pages of 2.2 KB (best of 5 passes): ISA-L level 1 takes
# 12 us a page for 49.5% of the raw size; zlib level 1 35 us for 50.6%, level 6 49 us for 48%.
try:
    from isal.isal_zlib import compress as _deflate
except ImportError:  # a platform without ISA-L wheels: the standard library, same format
    from zlib import compress as _deflate
_RAW_LEVEL = 1

# When the fresh postings are merged into story_terms (Store._merge_fresh_terms): once they
# number an eighth of the merged ones, within these bounds. Written one at a time, an
# article's ~12 postings land on ~5 random pages of the story_terms B-tree, and each page is
# written again by every batch (WAL frames, then the checkpoint): 6.3 of the 9.4 pages written
# per article at 100k stored. Merged in key order, each page is written once per merge for all
# the postings landing on it. The fraction bounds the merge work per article as the store
# grows (a merge rewrites most of the tree's pages); the floor keeps small stores from merging
# every few batches, the ceiling bounds the memory of the fresh postings: ~220 bytes each as
# read back by another connection (tracemalloc over the 34,677 of the bench store: 7.4 MB), so
# ~90 MB at the ceiling.
_FRESH_MIN, _FRESH_MAX, _FRESH_SHARE = 50_000, 400_000, 8


def _signed(keys: Iterable[int]) -> list[int]:
    """uint64 keys to SQLite's signed 64-bit INTEGER (same bits)."""
    array = np.asarray(list(keys), dtype=np.uint64)
    return [int(k) for k in array.view(np.int64)]


class Store:
    """A newsfold database. ``Store(":memory:")`` gives a private in-memory one (batch runs)."""

    def __init__(self, path: str | os.PathLike[str] = "newsfold.db") -> None:
        self.path = str(path)
        if self.path != ":memory:":
            parent = Path(self.path).parent
            if not parent.is_dir():
                raise StoreError(f"cannot create the store {self.path}: {parent} is not a folder")
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None)
            self._db.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                # Copy the log into the database every 8,000 pages (32 MB) instead of SQLite's
                # 1,000: a page written by several batches in between is copied once. On the
                # stories store bench (3,000 arrivals at 100k stored) this wrote 41% fewer
                # bytes and took ~8% less CPU per article.
                self._db.execute("PRAGMA wal_autocheckpoint = 8000")
            # Each page is added inside a savepoint (undone alone if it fails), and SQLite keeps
            # a savepoint's undo pages in a statement journal, a temporary file by default:
            # 130 MB of writes per 1,000 articles on the stories store bench, now in memory
            # (one page's worth at a time), as are the temporary B-trees of DISTINCT queries.
            self._db.execute("PRAGMA temp_store = MEMORY")
            version = self._stored_version()  # checked before the schema script writes
            self._db.executescript(_SCHEMA)
            self._set_version(version)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise StoreError(f"{self.path} is not a usable newsfold store: {exc}") from exc
        except StoreError:
            self._db.close()
            raise
        self._in_batch = False
        # Why SQLite rolled back the batch being written by itself, if it did, and how many
        # times it did on this connection (``_lost_batch``).
        self._lost: BaseException | None = None
        self._losses = 0
        # The fresh postings (story_terms_fresh) in memory, as of ``_fresh_seen`` (the highest
        # seq read) and ``_fresh_merges`` (the merge count they follow; None: not loaded).
        # Postings this connection writes are added as they are written; ``_fresh_journal``
        # holds those written while a savepoint is open (``_savepoints``: how many are), to be
        # taken out again if one rolls back.
        self._fresh = TermIndex()
        self._fresh_seen = 0
        self._fresh_merges: str | None = None
        self._fresh_current = False  # up to date for the whole batch being written
        self._data_version: int | None = None
        self._fresh_journal: list[tuple[str, IndexEntry]] = []
        self._savepoints = 0
        # Rows of the batch being written that nothing reads before its end (pending marks,
        # story links), written then in one statement each, in key order (see ``_defer``);
        # ``_flushed``: how many of each list a read inside the batch already wrote.
        self._deferred: dict[str, list[tuple[str, ...]]] = {_PENDING: [], _LINKS: []}
        self._flushed = dict.fromkeys(self._deferred, 0)

    def _stored_version(self) -> int | None:
        """The store's schema version (None: a new store); a version this newsfold can neither
        read nor migrate is refused before anything is written to the file."""
        has_meta = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        row = (
            self._db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
            if has_meta
            else None
        )
        if row is None:
            return None
        version = int(row[0])
        if version != SCHEMA_VERSION and version not in _MIGRATES_FROM:
            raise StoreError(
                f"{self.path} has schema version {version}, this newsfold reads version "
                f"{SCHEMA_VERSION}: re-ingest into a new store"
            )
        return version

    def _set_version(self, version: int | None) -> None:
        if version is None:
            self._db.execute(
                "INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
            )
        elif version in _MIGRATES_FROM:
            # the schema script above added what the newer version has (an empty table)
            self._db.execute(
                "UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),)
            )

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def batch(self) -> Iterator[None]:
        """One transaction: everything written inside lands together or not at all."""
        if self._in_batch:
            yield
            return
        try:
            # Begun inside the try: an interrupt that arrives while BEGIN waits for another
            # connection's batch is raised when it returns, and must not leave it open.
            self._in_batch = True
            self._db.execute("BEGIN IMMEDIATE")
            # No other connection writes while this one holds the batch: the fresh postings in
            # memory are brought up to date once, here, not before every look-up.
            self._sync_fresh()
            self._fresh_current = True
            yield
            if self._lost is not None:
                raise StoreError(
                    f"{self.path}: SQLite rolled the batch back ({self._lost}); none of it was"
                    " stored"
                ) from self._lost
            self._flush_deferred()
            fresh = self._fresh.postings()
            if fresh >= _FRESH_MIN and fresh >= self._fresh_limit():
                self._merge_fresh_terms()
            self._db.execute("COMMIT")
        except BaseException:
            if self._fresh_current:  # what memory holds may not be stored: read it again
                self._fresh_merges = None
            if self._db.in_transaction:  # SQLite may have rolled it back already
                self._db.execute("ROLLBACK")
            raise
        finally:
            self._in_batch = self._fresh_current = False
            self._lost = None
            self._fresh_journal.clear()
            for rows in self._deferred.values():
                rows.clear()
            self._flushed = dict.fromkeys(self._deferred, 0)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Inside a batch: undo only this block's writes if it raises (one page's)."""
        self._db.execute("SAVEPOINT page")
        self._savepoints += 1
        losses = self._losses
        journal_mark = len(self._fresh_journal)
        fresh_seen = self._fresh_seen
        deferred_marks = {sql: len(rows) for sql, rows in self._deferred.items()}
        flushed = dict(self._flushed)
        try:
            yield
        except BaseException as exc:
            if self._lost_batch(exc, losses):
                raise
            self._db.execute("ROLLBACK TO page")
            self._db.execute("RELEASE page")
            for article_id, entry in reversed(self._fresh_journal[journal_mark:]):
                self._fresh.discard_last(article_id, entry)
            del self._fresh_journal[journal_mark:]
            # The rows this block appended to story_terms_fresh are gone, and SQLite's
            # AUTOINCREMENT gives their seqs out again (its counter rolled back with them):
            # another connection's next postings may take them, so they must not count as read.
            self._fresh_seen = fresh_seen
            for sql, rows in self._deferred.items():
                del rows[deferred_marks[sql] :]
            # Deferred rows that a read inside this block wrote (those of earlier pages with
            # them) were undone with it: they wait again.
            self._flushed = flushed
            raise
        else:
            if self._lost_batch(None, losses):
                raise StoreError(f"{self.path}: SQLite rolled the batch back") from self._lost
            self._db.execute("RELEASE page")
        finally:
            self._savepoints -= 1

    def _lost_batch(self, cause: BaseException | None, losses: int) -> bool:
        """Whether SQLite rolled the whole transaction of the batch back by itself since the
        savepoint began (its count of ``_losses`` then), as it may on SQLITE_FULL,
        SQLITE_IOERR, SQLITE_NOMEM or an interrupt: the savepoint went with it.

        A page's error is caught and the batch goes on (``Index._add_page_safely``): its next
        statements would each commit alone (the rest of the batch landing piecemeal, a failed
        page's site counts taken out of counts that were never stored). So a new transaction
        is begun for them, and the batch rolls it back at its end and raises."""
        if self._in_batch and not self._db.in_transaction:
            if self._lost is None:
                self._lost = cause or StoreError("the transaction ended inside a savepoint")
            self._losses += 1
            self._db.execute("BEGIN IMMEDIATE")
        return self._losses != losses

    # -- settings that must not change under a store -------------------------------------------

    def get_meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- pages and articles ---------------------------------------------------------------------

    def page_hash(self, page_id: str) -> str | None:
        row = self._db.execute("SELECT content_hash FROM pages WHERE id=?", (page_id,)).fetchone()
        return None if row is None else str(row[0])

    def page_hashes(self, page_ids: Collection[str]) -> dict[str, str]:
        """Content hash of each of ``page_ids`` that is stored (one query per chunk)."""
        rows = self._select_in("SELECT id, content_hash FROM pages WHERE id IN ({})", set(page_ids))
        return {str(i): str(h) for i, h in rows}

    def put_page(self, page: Page, content_hash: str) -> None:
        kind = "html" if page.html is not None else "text"
        raw = (page.html if page.html is not None else page.text) or ""
        self._db.execute(
            "INSERT INTO pages (id, content_hash, kind, raw, url, site, fetched_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                page.id,
                content_hash,
                kind,
                _deflate(raw.encode("utf-8"), _RAW_LEVEL),
                page.url,
                page.site,
                page.fetched_at,
            ),
        )

    def get_page(self, page_id: str) -> Page:
        row = self._db.execute(
            "SELECT kind, raw, url, site, fetched_at FROM pages WHERE id=?", (page_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no page {page_id!r} in {self.path}")
        raw = zlib.decompress(row[1]).decode("utf-8")
        return Page(
            id=page_id,
            text=raw if row[0] == "text" else None,
            html=raw if row[0] == "html" else None,
            url=row[2],
            site=row[3],
            fetched_at=row[4],
        )

    def put_article(self, article: Article) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?)",
            (article.id, orjson.dumps(article.to_dict()).decode("utf-8")),
        )

    def articles(self, ids: Collection[str] | None = None) -> dict[str, Article]:
        """Articles by id, in ingestion order; all of them when ``ids`` is None."""
        if ids is None:
            rows = self._db.execute(
                "SELECT a.id, a.data FROM articles a JOIN pages p ON p.id = a.id ORDER BY p.seq"
            ).fetchall()
        else:
            rows = self._select_in("SELECT id, data FROM articles WHERE id IN ({})", ids)
        return {row[0]: Article.from_dict(orjson.loads(row[1])) for row in rows}

    def count(self, table: str) -> int:
        if table not in {
            "pages",
            "articles",
            "copy_pairs",
            "stories",
            "story_links",
            "lsh_buckets",
            "signatures",
        }:
            raise ValueError(table)
        self._flush_deferred()
        if table in _COUNTED:
            # Counted once, then kept up to date by the writes: every rebuild reports them,
            # and a count over the table grew with the store (2 ms a batch for the stories of
            # 1M articles).
            return self._kept_count(f"rows:{table}", f"SELECT COUNT(*) FROM {table}")
        return int(self._db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    def _kept_count(self, key: str, count_sql: str) -> int:
        """The count kept in meta ``key``; the first time, counted by ``count_sql`` and stored,
        to be kept up to date by the writes (``_add_to_count``) from then on. Counted and
        stored by one statement: another connection that committed between a count and its
        store would leave a wrong count for good (its writes found no stored count to update).
        Outside a batch the store is not waited for: a reader counts without storing when
        another connection holds a batch, or when the store is read-only."""
        stored = self.get_meta(key)
        if stored is not None:
            return int(stored)
        insert = f"INSERT OR IGNORE INTO meta SELECT ?, ({count_sql})"
        if self._in_batch:
            self._db.execute(insert, (key,))
            return int(self.get_meta(key) or 0)
        timeout = int(self._db.execute("PRAGMA busy_timeout").fetchone()[0])
        self._db.execute("PRAGMA busy_timeout = 0")
        try:
            self._db.execute(insert, (key,))
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF not in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_READONLY):
                raise
            return int(self._db.execute(count_sql).fetchone()[0])
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {timeout}")
        return int(self.get_meta(key) or 0)

    def _add_to_count(self, key: str, change: int) -> None:
        """Keep the count in meta ``key`` up to date (when it is kept: see ``_kept_count``)."""
        if change:
            self._db.execute(
                "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key = ?", (change, key)
            )

    # -- copies: signatures and LSH buckets (the CopyStorage protocol) --------------------------

    def candidates(self, keys: Sequence[int]) -> set[str]:
        sql = "SELECT DISTINCT id FROM lsh_buckets WHERE key IN ({})"
        return {row[0] for row in self._select_in(sql, _signed(keys))}

    def paragraphs(self, ids: Collection[str]) -> Mapping[str, Sequence[str]]:
        bodies: dict[str, Sequence[str]] = {
            key: article.paragraphs for key, article in self.articles(ids).items()
        }
        for key, data in self._select_in("SELECT id, data FROM copy_bodies WHERE id IN ({})", ids):
            bodies[key] = tuple(json.loads(data))
        return bodies

    def put_copy_body(self, doc_id: str, paragraphs: Sequence[str]) -> None:
        """The text copies compared for a page, kept when it is not its article's body."""
        self._db.execute(
            "INSERT OR REPLACE INTO copy_bodies VALUES (?, ?)",
            (doc_id, json.dumps(list(paragraphs), ensure_ascii=False)),
        )

    def put(self, doc_id: str, keys: Sequence[int], signature: np.ndarray) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO signatures VALUES (?, ?, ?)",
            (doc_id, np.ascontiguousarray(signature).tobytes(), len(keys)),
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO lsh_buckets VALUES (?, ?)",
            [(key, doc_id) for key in _signed(keys)],
        )

    def put_copy_pair(self, pair: CopyPair) -> None:
        data = json.dumps(pair.to_dict())
        if not self._db.execute(
            "UPDATE copy_pairs SET data=? WHERE a=? AND b=?", (data, pair.a, pair.b)
        ).rowcount:
            self._db.execute("INSERT INTO copy_pairs VALUES (?, ?, ?)", (pair.a, pair.b, data))
            self._add_to_count("rows:copy_pairs", 1)

    # -- stories: features, inverted index, links ----------------------------------------------

    def put_story_features(self, article_id: str, data: dict[str, Any], entry: IndexEntry) -> None:
        """An article's story features, and its postings in the inverted index (``entry``)."""
        self._db.execute(
            "INSERT OR REPLACE INTO story_features VALUES (?, ?)",
            (article_id, orjson.dumps(data).decode("utf-8")),
        )
        if not entry.terms:
            return
        self._sync_fresh()
        cursor = self._db.execute(
            "INSERT INTO story_terms_fresh (term, slot, id) VALUES "
            + ",".join(["(?, ?, ?)"] * len(entry.terms)),
            [value for term in entry.terms for value in (term, entry.slot, article_id)],
        )
        self._fresh.add(article_id, entry)
        self._fresh_seen = cursor.lastrowid or self._fresh_seen
        if self._savepoints:
            self._fresh_journal.append((article_id, entry))

    def story_candidates(self, lookup: IndexLookup) -> set[str]:
        """Ids stored under what ``lookup`` asks for (the in-memory twin is
        ``stories.TermIndex``): every posting of its anytime terms; the postings of its windowed
        terms in its slots (undated, and three around its own), one seek of the (term, slot)
        index each; and the same among the fresh postings, in memory."""
        self._sync_fresh()
        select = "SELECT id FROM story_terms WHERE term IN ({})"
        found = {r[0] for r in self._select_in(select, lookup.anytime)}
        slots = lookup.slots()
        windowed = select + f" AND slot IN ({_marks(slots)})"
        for chunk in _chunks(lookup.windowed):
            rows = self._db.execute(windowed.format(_marks(chunk)), (*chunk, *slots))
            found.update(r[0] for r in rows)
        return found | self._fresh.candidates(lookup)

    def _sync_fresh(self) -> None:
        """Bring the fresh postings in memory up to date with the table: read them all the
        first time (or after another connection merged them, or after a rollback), else only
        the rows other connections added since (none while this one holds a batch)."""
        if self._fresh_current:
            return
        version = int(self._db.execute("PRAGMA data_version").fetchone()[0])
        if self._fresh_merges is not None and version == self._data_version:
            return  # no other connection committed since: memory is up to date
        merges = self.get_meta("story_terms_merges") or "0"
        if merges != self._fresh_merges:
            self._fresh, self._fresh_seen = TermIndex(), 0
            self._fresh_merges = merges
        rows = self._db.execute(
            "SELECT seq, term, slot, id FROM story_terms_fresh WHERE seq > ? ORDER BY seq",
            (self._fresh_seen,),
        )
        for seq, term, slot, article_id in rows:
            self._fresh.add(article_id, IndexEntry((term,), slot))
            self._fresh_seen = seq
        self._data_version = version

    def fresh_postings(self) -> tuple[int, int]:
        """How many postings are fresh (not yet merged into story_terms), and at how many they
        will be merged (at the end of a batch)."""
        self._sync_fresh()
        return self._fresh.postings(), self._fresh_limit()

    def _fresh_limit(self) -> int:
        """How many fresh postings are merged into story_terms (see ``_FRESH_SHARE``)."""
        merged = self._kept_count("story_terms_merged", "SELECT COUNT(*) FROM story_terms")
        return min(_FRESH_MAX, max(_FRESH_MIN, merged // _FRESH_SHARE))

    def _merge_fresh_terms(self) -> None:
        """Move the fresh postings into story_terms, in key order (inside the caller's
        transaction: the postings are in one table or the other, never both or neither)."""
        self._sync_fresh()
        before = self._db.total_changes
        self._db.execute(
            "INSERT OR IGNORE INTO story_terms SELECT term, slot, id FROM story_terms_fresh"
            " ORDER BY term, slot, id"
        )
        added = self._db.total_changes - before
        self._db.execute("DELETE FROM story_terms_fresh")
        self._add_to_count("story_terms_merged", added)
        merges = str(int(self._fresh_merges or 0) + 1)
        self.set_meta("story_terms_merges", merges)
        self._fresh, self._fresh_merges = TermIndex(), merges

    def story_features(self, ids: Collection[str]) -> dict[str, dict[str, Any]]:
        # orjson: read for every candidate not in an Index's cache (3x json's speed); story
        # features hold only strings and finite numbers.
        rows = self._select_in("SELECT id, data FROM story_features WHERE id IN ({})", ids)
        return {row[0]: orjson.loads(row[1]) for row in rows}

    def put_story_links(self, article_id: str, others: Iterable[str]) -> None:
        """Story links between ``article_id`` and each of ``others`` (stored once per pair)."""
        self._defer(_LINKS, [tuple(sorted((article_id, other))) for other in others])

    # -- site line counts (same-site chrome) ---------------------------------------------------

    def site_counts(self, site: str, keys: Collection[int]) -> tuple[int, dict[int, int]]:
        """Pages counted for ``site`` and, for the given line keys, the pages holding each."""
        row = self._db.execute("SELECT pages FROM site_pages WHERE site=?", (site,)).fetchone()
        counts: dict[int, int] = {}
        signed = _signed(sorted(keys))
        for chunk in _chunks(signed):
            for key, pages in self._db.execute(
                f"SELECT key, pages FROM site_lines WHERE site=? AND key IN ({_marks(chunk)})",
                (site, *chunk),
            ):
                counts[int(np.int64(key).view(np.uint64))] = int(pages)
        return (0 if row is None else int(row[0])), counts

    def add_site_counts(self, site: str, pages: int, counts: Mapping[int, int]) -> None:
        self._db.execute(
            "INSERT INTO site_pages VALUES (?, ?) ON CONFLICT(site) DO UPDATE"
            " SET pages = pages + excluded.pages",
            (site, pages),
        )
        keys = sorted(counts)
        self._db.executemany(
            "INSERT INTO site_lines VALUES (?, ?, ?) ON CONFLICT(site, key) DO UPDATE"
            " SET pages = pages + excluded.pages",
            [(site, key, counts[k]) for key, k in zip(_signed(keys), keys)],
        )

    # -- derived: assignments and stories -------------------------------------------------------

    def add_pending(self, ids: Iterable[str]) -> None:
        """Mark articles whose groups and stories must be recomputed."""
        self._defer(_PENDING, [(i,) for i in ids])

    def _defer(self, sql: str, rows: list[tuple[str, ...]]) -> None:
        """Write ``rows`` by ``sql`` (an INSERT OR IGNORE): at once outside a batch; inside one,
        at its end, in its transaction (one statement for the batch instead of one or two per
        page, in key order; a page rolled back takes its rows with it). Reads of these tables
        write what waits first (``_flush_deferred``)."""
        if self._in_batch:
            self._deferred[sql] += rows
        else:
            self._db.executemany(sql, rows)

    def _flush_deferred(self) -> None:
        """Write the deferred rows not written yet (kept until the batch ends: a savepoint
        rolled back may undo this write, see ``savepoint``)."""
        for sql, rows in self._deferred.items():
            start = self._flushed[sql]
            if len(rows) > start:
                self._db.executemany(sql, sorted(set(rows[start:])))
                self._flushed[sql] = len(rows)

    def pending(self) -> set[str]:
        self._flush_deferred()
        return {r[0] for r in self._db.execute("SELECT article FROM pending")}

    def clear_pending(self) -> None:
        self._flush_deferred()  # marks made before, still waiting, are cleared too
        self._db.execute("DELETE FROM pending")

    def _select_in(self, sql: str, values: Collection[Any]) -> list[tuple[Any, ...]]:
        """Run ``sql`` (with one ``IN ({})`` placeholder) over ``values`` in chunks."""
        rows: list[tuple[Any, ...]] = []
        for chunk in _chunks(sorted(values)):
            rows += self._db.execute(sql.format(_marks(chunk)), chunk).fetchall()
        return rows

    def assignments_for(self, ids: Collection[str]) -> dict[str, tuple[str | None, str | None]]:
        """article -> (copy_group, story)."""
        rows = self._select_in(
            "SELECT article, copy_group, story FROM assignments WHERE article IN ({})", ids
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    def members(self, column: str, group_ids: Collection[str]) -> set[str]:
        """Articles whose ``copy_group`` or ``story`` is one of ``group_ids``."""
        if column not in {"copy_group", "story"}:
            raise ValueError(column)
        sql = f"SELECT article FROM assignments WHERE {column} IN ({{}})"
        return {r[0] for r in self._select_in(sql, group_ids)}

    def copy_pairs_touching(self, ids: Collection[str]) -> list[CopyPair]:
        rows = self._select_in("SELECT data FROM copy_pairs WHERE a IN ({})", ids)
        rows += self._select_in("SELECT data FROM copy_pairs WHERE b IN ({})", ids)
        pairs = {(p.a, p.b): p for p in (CopyPair.from_dict(json.loads(r[0])) for r in rows)}
        return [pairs[key] for key in sorted(pairs)]

    def story_links_touching(self, ids: Collection[str]) -> list[tuple[str, str]]:
        self._flush_deferred()
        rows = self._select_in("SELECT a, b FROM story_links WHERE a IN ({})", ids)
        rows += self._select_in("SELECT a, b FROM story_links WHERE b IN ({})", ids)
        return sorted({(r[0], r[1]) for r in rows})

    def upsert_assignments(self, rows: Iterable[tuple[str, str | None, str | None]]) -> None:
        """Set articles' copy groups and stories, and keep the stored counts of groups with two
        or more members (``count_groups``) up to date: only the groups these articles left or
        joined can change, so they are counted before and after."""
        rows = list(rows)
        # Only the counts already stored are kept up to date (``count_groups`` makes them).
        counted = {
            i: column
            for i, column in enumerate(_GROUP_COLUMNS)
            if self.get_meta(f"groups:{column}") is not None
        }
        old = self.assignments_for([row[0] for row in rows]) if counted else {}
        involved = {
            i: {g for g in (*(o[i] for o in old.values()), *(r[i + 1] for r in rows)) if g}
            for i in counted
        }
        before = {i: self._multi_member(counted[i], ids) for i, ids in involved.items()}
        self._db.executemany("INSERT OR REPLACE INTO assignments VALUES (?, ?, ?)", rows)
        for i, column in counted.items():
            change = self._multi_member(column, involved[i]) - before[i]
            self._add_to_count(f"groups:{column}", change)

    def _multi_member(self, column: str, group_ids: Collection[str]) -> int:
        """How many of ``group_ids`` have two or more members (indexed look-ups)."""
        sql = (
            f"SELECT {column} FROM assignments WHERE {column} IN ({{}})"
            f" GROUP BY {column} HAVING COUNT(*) > 1"
        )
        return len(self._select_in(sql, group_ids))

    def count_groups(self, column: str) -> int:
        """Copy groups (or stories) with two or more members: counted once over the whole
        store, then kept up to date by ``upsert_assignments`` (a count over every assignment on
        each rebuild grew with the store: 9 ms at 100k articles)."""
        if column not in _GROUP_COLUMNS:
            raise ValueError(column)
        sql = (
            f"SELECT COUNT(*) FROM (SELECT {column} FROM assignments WHERE {column} IS NOT NULL"
            f" GROUP BY {column} HAVING COUNT(*) > 1)"
        )
        return self._kept_count(f"groups:{column}", sql)

    def assignments(self) -> dict[str, tuple[str | None, str | None]]:
        return {
            r[0]: (r[1], r[2])
            for r in self._db.execute("SELECT article, copy_group, story FROM assignments")
        }

    def has_group_id(self, column: str, group_id: str) -> bool:
        """Whether some article's ``copy_group`` (or ``story``) is ``group_id``: one indexed
        look-up."""
        if column not in {"copy_group", "story"}:
            raise ValueError(column)
        sql = f"SELECT 1 FROM assignments WHERE {column}=? LIMIT 1"
        return self._db.execute(sql, (group_id,)).fetchone() is not None

    def story_hashes(self, ids: Collection[str]) -> dict[str, str]:
        rows = self._select_in("SELECT id, members_hash FROM stories WHERE id IN ({})", ids)
        return {r[0]: r[1] for r in rows}

    def put_story(self, story: Story, members_hash: str) -> None:
        data = json.dumps(story.to_dict(), ensure_ascii=False)
        if not self._db.execute(
            "UPDATE stories SET members_hash=?, data=? WHERE id=?", (members_hash, data, story.id)
        ).rowcount:
            self._db.execute("INSERT INTO stories VALUES (?, ?, ?)", (story.id, members_hash, data))
            self._add_to_count("rows:stories", 1)

    def delete_stories(self, ids: Collection[str]) -> None:
        cursor = self._db.executemany("DELETE FROM stories WHERE id=?", [(i,) for i in ids])
        self._add_to_count("rows:stories", -cursor.rowcount)

    def put_aliases(self, retired: Mapping[str, str], assigned: Collection[str]) -> None:
        """Record merged ids; earlier aliases of a retired id follow it to the survivor.

        ``assigned``: the group and story ids the rebuild just gave out. Only those can have
        come back to life (every other stored id was checked when it was given), so only they
        leave the aliases; scanning all assignments made each rebuild cost grow with the store.
        """
        for old, survivor in sorted(retired.items()):
            self._db.execute("UPDATE aliases SET survivor=? WHERE survivor=?", (survivor, old))
            self._db.execute("INSERT OR REPLACE INTO aliases VALUES (?, ?)", (old, survivor))
        self._select_in("DELETE FROM aliases WHERE old IN ({})", assigned)

    def resolve(self, group_id: str) -> str:
        """The current id of a story or copy group that may have merged into another."""
        row = self._db.execute("SELECT survivor FROM aliases WHERE old=?", (group_id,)).fetchone()
        return group_id if row is None else str(row[0])

    def story_records(self) -> list[dict[str, Any]]:
        """Stories as stored (JSON dicts), newest coverage first, then larger, then by id."""
        rows = self._db.execute("SELECT data FROM stories ORDER BY id").fetchall()
        records = [json.loads(r[0]) for r in rows]
        records.sort(
            key=lambda r: (r.get("last_published") or "", len(r["articles"])), reverse=True
        )
        return records

    def story_record(self, story_id: str) -> dict[str, Any]:
        row = self._db.execute(
            "SELECT data FROM stories WHERE id=?", (self.resolve(story_id),)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no story {story_id!r} in {self.path}")
        record: dict[str, Any] = json.loads(row[0])
        return record


# Tables whose row count is kept in meta (Store.count).
_COUNTED = frozenset({"stories", "copy_pairs"})

# Writes deferred to the end of a batch (Store._defer).
_PENDING = "INSERT OR IGNORE INTO pending VALUES (?)"
_LINKS = "INSERT OR IGNORE INTO story_links VALUES (?, ?)"

# The assignments columns naming a group, in table order after the article.
_GROUP_COLUMNS = ("copy_group", "story")


def _marks(values: Sequence[Any]) -> str:
    return ",".join("?" * len(values))


def _chunks(values: Sequence[Any], size: int = 500) -> Iterator[Sequence[Any]]:
    """SQLite caps the number of bound parameters; query in chunks."""
    for start in range(0, len(values), size):
        yield values[start : start + size]

"""The incremental index: pages in, the store extended; batch runs use the same code.

An ``Index`` drives the stages over a ``Store``:

* per page (streamed): clean -> article; copies -> signature, LSH keys, verified copy pairs against
  what is stored; stories -> features, inverted-index keys, links to stored articles;
* per batch (one transaction): everything above lands together;
* after the pages: copy groups are the connected components of the stored copy pairs; the stories
  the new edges touch are refined again from their links (``stories.partition``,
  ``stories_from_links``), and the digest is rebuilt only for stories whose membership changed.

Groups and stories are functions of pairwise decisions between stored articles, so ingesting a
stored page again changes nothing; ingesting in several runs re-clusters only the stories each
run touches, which may leave it apart from one batch run (``bench/pipeline.py`` prints the
difference: 0 on the labelled data).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Any

from .backends.local import raw_paragraphs
from .clean import SiteLines, SiteLineStats, clean_page
from .clean.site import page_line_keys
from .config import Settings
from .copies import CopyIndex, UnionFind
from .copies.sitelines import drop_repeated
from .digest import DigestOptions, build_digest
from .errors import ConfigError
from .models import Article, CopyGroup, CopyPair, Digest, Page, Skip, Story
from .report import RunReport
from .runtime import collector_paused
from .stable_ids import assign_ids, short_id
from .store.sqlite import Store
from .stories import (
    StoryFeatures,
    index_keys,
    linked_many,
    stories_from_links,
    story_features,
    topics_from_stories,
)
from .stories.partition import bounded_pieces

ProgressHook = Callable[[int], None]
# The fields of an ``articles.jsonl`` record that the clean stage fills (null without it).
CLEANED_FIELDS = (
    "title",
    "standfirst",
    "body",
    "dateline",
    "credit",
    "byline",
    "published",
    "lang",
)

# How many decoded story features an Index keeps in memory (see Index._features). An entry
# weighs ~19.5 KB with its link view (tracemalloc over 2,000 stored features of ~113 terms:
# 15.1 KB decoded, 4.4 KB view), so ~195 MB when full; a miss costs ~90 us (66 decoding, 24 the
# view). The features asked for are mostly of recent articles (candidates and the members of
# the stories they touch): on the stories store bench (4,000 arrivals at 100k stored) all 87,108
# requests were for the 1,200 articles before; a candidate found through a rare name can be
# older. At 50,000 entries, 25,000 arrivals at 100k stored peaked at 853 MB.
FEATURE_CACHE_SIZE = 10_000


def content_hash(page: Page) -> str:
    raw = page.html if page.html is not None else (page.text or "")
    kind = "html" if page.html is not None else "text"
    return hashlib.sha1(f"{kind}\0{raw}".encode("utf-8", "surrogatepass")).hexdigest()


def counted_as_repeat(page: Page, digest: str, known: str | None, report: RunReport) -> bool:
    """Whether the page's id was seen before (``known``: the content hash stored with it), and
    so counted: the same page again is already stored, another page under that id a skip."""
    if known is None:
        return False
    if known == digest:
        report.already_stored += 1
    else:
        report.skip(
            Skip(
                page.id,
                page.origin or page.id,
                "id already stored",
                "another page with this id and other content is in the store",
            )
        )
    return True


def failure_skip(page: Page, exc: Exception) -> Skip:
    """The skip of a page whose processing raised, with the error's type and message."""
    return Skip(
        page.id, page.origin or page.id, "failed to process", f"{type(exc).__name__}: {exc}"[:300]
    )


def compared_text(
    paragraphs: Sequence[str], site: str | None, site_lines: SiteLines | None, min_pages: int
) -> list[str]:
    """The text copies compares: the paragraphs without the lines repeated on ``min_pages`` or
    more pages of their site.

    Same-site chrome that survives cleaning (or all of it, with ``--stages copies``) would
    make two articles of one site look like copies; a wire story's paragraphs appear on
    different sites, so they are never removed. Measured on the syndication benchmark
    (bench/syndication): pairwise F1 of clean+copies 0.69 without, 0.99 with.
    """
    if site_lines is None or not site:
        return list(paragraphs)
    return drop_repeated(paragraphs, site_lines.repeated(site, min_pages=min_pages, min_share=0.0))


class Index:
    """Pages in, a store extended. ``Index(Store("news.db"), settings)``."""

    def __init__(self, store: Store, settings: Settings | None = None) -> None:
        self.store = store
        self.settings = settings or Settings()
        self._check_compatible()
        self._copies = CopyIndex(store, self.settings.copies)
        # Decoded story features of stored articles, most recently used last. Stored features
        # never change, so the cache cannot change a result; it saves the JSON decoding that
        # dominated linking (7.8 s of 23.6 s on 1,300 pages). Bounded by FEATURE_CACHE_SIZE.
        self._features: OrderedDict[str, StoryFeatures] = OrderedDict()

    def _stored_features(self, ids: Collection[str]) -> dict[str, StoryFeatures]:
        cache = self._features
        found: dict[str, StoryFeatures] = {}
        missing = []
        for key in ids:
            features = cache.get(key)
            if features is None:
                missing.append(key)
            else:
                found[key] = features
                cache.move_to_end(key)
        if missing:
            for key, value in self.store.story_features(missing).items():
                found[key] = cache[key] = StoryFeatures.from_dict(value)
            _bound(cache)
        return found

    def _check_compatible(self) -> None:
        """A store is built with one set of stages and copy/story settings; mixing corrupts it."""
        fingerprint = json.dumps(
            {
                "stages": list(self.settings.stages),
                "copies": dataclasses.asdict(self.settings.copies),
                "stories": dataclasses.asdict(self.settings.stories),
                "clean": dataclasses.asdict(self.settings.clean),
            },
            sort_keys=True,
        )
        stored = self.store.get_meta("settings")
        if stored is None:
            with self.store.batch():
                self.store.set_meta("settings", fingerprint)
        elif stored != fingerprint:
            raise ConfigError(
                f"the store {self.store.path} was built with other stages or settings; "
                "use a new --db (or the same settings as before)"
            )

    # -- ingest ----------------------------------------------------------------------------------

    def add(
        self,
        items: Iterable[Page | Skip],
        progress: ProgressHook | None = None,
        *,
        site_lines: SiteLines | None = None,
    ) -> RunReport:
        """Ingest pages (and count skips handed over by the readers); returns what was done.

        ``site_lines``: each site's line counts over the whole corpus, counted beforehand (a
        batch run reads its input twice): every page is then cleaned with its site's full
        counts, whatever its place in the input. Without it (incremental ingest) the counts are
        the stored ones plus the batch's, and are stored.
        """
        report = RunReport()
        counting_sites = site_lines is None
        stream = iter(items)
        while True:
            batch = list(islice(stream, self.settings.batch_size))
            if not batch:
                break
            with collector_paused(), self.store.batch():
                # Content hashes of the batch's ids already stored, looked up once; pages of
                # this batch are added as they are stored (a repeated id is then seen).
                known = self.store.page_hashes(
                    [item.id for item in batch if isinstance(item, Page)]
                )
                if counting_sites:
                    with report.timed("site lines"):
                        site_lines = self._count_site_lines(batch, known)
                for item in batch:
                    if isinstance(item, Skip):
                        report.pages_read += 1
                        report.skip(item)
                    else:
                        self._add_page_safely(item, report, site_lines, known, counting_sites)
            if progress is not None:
                progress(len(batch))
        self.rebuild(report)
        return report

    def _count_site_lines(
        self, batch: Sequence[Page | Skip], known: Mapping[str, str]
    ) -> SiteLines | None:
        """Count the batch's new text pages per site, add the stored counts, store the sum.

        The view a page is cleaned with holds every page of its site stored before plus the
        pages of its own batch, so a site's chrome is recognised once the site has a few pages
        (``CleanOptions.site_min_pages``). Pages cleaned before their site had enough pages are
        not cleaned again: the one place where arrival order can change a result.
        """
        if not (self.settings.runs("clean") or self.settings.runs("copies")):
            return None
        fresh = SiteLineStats()
        counted: set[str] = set()
        for item in batch:
            if (
                isinstance(item, Page)
                and item.site
                and item.text is not None
                and item.id not in known
                and item.id not in counted
            ):
                # An id given twice is stored once (the second is a duplicate): count it once.
                counted.add(item.id)
                fresh.update(item.site, item.text)
        mine = fresh.view()
        if not mine.pages:
            return None
        total = SiteLineStats()
        for site, pages in mine.pages.items():
            stored_pages, stored_counts = self.store.site_counts(site, mine.counts[site].keys())
            total.add_counts(site, stored_pages, stored_counts)
            total.add_counts(site, pages, mine.counts[site])
            self.store.add_site_counts(site, pages, mine.counts[site])
        return total.view()

    def _add_page_safely(
        self,
        page: Page,
        report: RunReport,
        site_lines: SiteLines | None,
        known: dict[str, str],
        counted_here: bool,
    ) -> None:
        """One page; if processing it fails, its writes are undone and it is a counted skip.

        A page that makes an extractor raise (malformed markup, a pathological text) must not
        end the run or lose the batch; only errors that are not ``Exception`` (an interrupt,
        running out of memory in C) end the batch, which then rolls back whole. When the batch
        counted and stored its site lines (``counted_here``), the failed page's lines are taken
        out of its site's stored counts again, so a page that was not stored counts nowhere.
        """
        fresh = page.id not in known
        counts = {name: getattr(report, name) for name in RunReport.PAGE_COUNTS}
        try:
            with self.store.savepoint():
                self._add_page(page, report, site_lines, known)
        except Exception as exc:  # noqa: BLE001 - reported with its type and message
            # Nothing of the page was stored: it counts as a skip only, and its features
            # (cached as they were written) are forgotten.
            for name, value in counts.items():
                setattr(report, name, value)
            if fresh:
                known.pop(page.id, None)
                self._features.pop(page.id, None)
            if counted_here and fresh and site_lines is not None and page.site and page.text:
                keys = page_line_keys(page.text)
                self.store.add_site_counts(page.site, -1, dict.fromkeys(keys, -1))
            report.skip(failure_skip(page, exc))

    def _add_page(
        self,
        page: Page,
        report: RunReport,
        site_lines: SiteLines | None,
        known: dict[str, str],
    ) -> None:
        report.pages_read += 1
        digest = content_hash(page)
        if counted_as_repeat(page, digest, known.get(page.id), report):
            return
        with report.timed("clean"):
            article = self._article(page, site_lines)
        self.store.put_page(page, digest)
        known[page.id] = digest
        self.store.put_article(article)
        report.pages_kept += 1
        self.store.add_pending((article.id,))
        if not article.paragraphs:
            report.no_article += 1
            return
        if self.settings.runs("copies"):
            with report.timed("copies"):
                copy_text = compared_text(
                    article.paragraphs, article.site, site_lines, self.settings.clean.site_min_pages
                )
                if copy_text != list(article.paragraphs):
                    self.store.put_copy_body(article.id, copy_text)
                outcome = self._copies.add(article.id, copy_text)
                if outcome.too_short:
                    report.too_short_to_compare += 1
                for pair in outcome.pairs:
                    self.store.put_copy_pair(pair)
                    self.store.add_pending((pair.a, pair.b))
                    report.copy_pairs_new += 1
        if self.settings.runs("stories"):
            with report.timed("stories"):
                self._link_story(article, report)

    def _article(self, page: Page, site_lines: SiteLines | None = None) -> Article:
        if self.settings.runs("clean"):
            article = clean_page(page, self.settings.clean, site_stats=site_lines)
            if article.published is None and page.published and article.paragraphs:
                # The page's own date lines win; the date the input gave is the fallback.
                article = dataclasses.replace(article, published=page.published)
            return article
        return Article(
            id=page.id,
            paragraphs=raw_paragraphs(page),
            site=page.site,
            url=page.url,
            fetched_at=page.fetched_at,
            published=page.published,
        )

    def _link_story(self, article: Article, report: RunReport) -> None:
        options = self.settings.stories
        features = story_features(article, options)
        entry, lookup = index_keys(features, options)
        candidates = self.store.story_candidates(lookup) - {article.id}
        stored = self._stored_features(candidates)
        ids = sorted(stored)
        decisions = linked_many(features, [stored[other_id] for other_id in ids], options)
        links = [other_id for other_id, link in zip(ids, decisions, strict=True) if link]
        self.store.put_story_links(article.id, links)
        self.store.add_pending(links)
        report.story_links_new += len(links)
        self.store.put_story_features(article.id, features.to_dict(), entry)
        self._features[article.id] = features
        _bound(self._features)

    # -- derived state ----------------------------------------------------------------------------

    def rebuild(self, report: RunReport | None = None) -> RunReport:
        """Recompute the copy groups and stories that pending articles touch, and their digests.

        An article that gained an edge is pending itself, so the copy groups and stories of the
        pending articles are everything a new edge can have changed. Ids stay stable (see
        ``stable_ids``).
        """
        report = report or RunReport()
        with collector_paused(), self.store.batch():
            pending = self.store.pending()
            if pending:
                self._rebuild(pending, report)
                self.store.clear_pending()
        report.copy_pairs = self.store.count("copy_pairs")
        report.copy_groups = self.store.count_groups("copy_group")
        report.stories = self.store.count("stories")
        return report

    def _rebuild(self, pending: set[str], report: RunReport) -> None:
        store, settings = self.store, self.settings
        # What a new edge can change: the copy groups of the pending articles (an article that
        # gained a copy pair or a story link is pending itself), then the stories holding any
        # of those. Copy groups are exact components of verified pairs, so their scope is
        # closed; stories are rebuilt over the touched stories only (online: a new article
        # joins, merges or splits the stories it links to, and no other story is re-clustered),
        # so the work per batch is bounded by the stories it touches, not by the corpus.
        previous = store.assignments_for(pending)
        old_groups = {g for g, _ in previous.values() if g}
        copy_scope = pending | store.members("copy_group", old_groups)
        previous.update(store.assignments_for(copy_scope - pending))
        old_story_ids = {s for _, s in previous.values() if s}
        affected = copy_scope | store.members("story", old_story_ids)
        previous.update(store.assignments_for(affected - copy_scope))
        articles = store.articles(affected)
        nodes = sorted(a for a, art in articles.items() if art.paragraphs)
        inside = set(nodes)

        pairs = store.copy_pairs_touching(nodes) if settings.runs("copies") else []
        pairs = [p for p in pairs if p.a in inside and p.b in inside]
        links = store.story_links_touching(nodes) if settings.runs("stories") else []
        links = [(a, b) for a, b in links if a in inside and b in inside]

        group_of: dict[str, str] = {}
        groups: list[tuple[str, ...]] = []
        retired: dict[str, str] = {}
        if settings.runs("copies"):
            with report.timed("copies"):
                groups = _components(nodes, [(p.a, p.b) for p in pairs])
                group_of, retired_groups = assign_ids(
                    groups,
                    {a: g for a, (g, _) in previous.items()},
                    "g",
                    _StoredIds(store, "copy_group", {g for g, _ in previous.values() if g}),
                )
                retired.update(retired_groups)
        story_of: dict[str, str] = {}
        if settings.runs("stories"):
            with report.timed("stories"):
                features = self._stored_features(nodes)
                # copy groups join as whole units; links and refinement decide the rest, over
                # pieces small enough to refine (see stories.partition)
                stories = []
                for piece in bounded_pieces(nodes, links, groups, features, settings.stories):
                    stories += stories_from_links(
                        {m: features[m] for m in piece.members},
                        piece.links,
                        piece.copy_groups,
                        settings.stories,
                    )
                stories.sort()
                story_of, retired_stories = assign_ids(
                    stories,
                    {a: s for a, (_, s) in previous.items()},
                    "s",
                    _StoredIds(store, "story", old_story_ids),
                )
                retired.update(retired_stories)
            with report.timed("digest"):
                self._write_stories(stories, story_of, group_of, articles, pairs, report)
                store.delete_stories(old_story_ids - set(story_of.values()))
        store.upsert_assignments((a, group_of.get(a), story_of.get(a)) for a in sorted(affected))
        store.put_aliases(retired, set(group_of.values()) | set(story_of.values()))

    def _write_stories(
        self,
        stories: Sequence[tuple[str, ...]],
        story_of: dict[str, str],
        group_of: dict[str, str],
        articles: dict[str, Article],
        pairs: Sequence[CopyPair],
        report: RunReport,
    ) -> None:
        pairs_of: dict[str, list[CopyPair]] = defaultdict(list)
        for pair in pairs:
            pairs_of[pair.a].append(pair)
        known = self.store.story_hashes(set(story_of.values()))
        changed: list[tuple[Story, str, list[Article], list[CopyGroup]]] = []
        for members in stories:
            story_id = story_of[members[0]]
            members_hash = hashlib.sha1("\0".join(members).encode()).hexdigest()
            if known.get(story_id) == members_hash:
                continue
            member_articles = [articles[m] for m in members]
            story_pairs = [p for m in members for p in pairs_of.get(m, ())]
            copy_groups = _copy_groups(members, story_pairs, group_of)
            story = _story(story_id, member_articles, copy_groups)
            changed.append((story, members_hash, member_articles, copy_groups))
        digests: list[Digest | str | None] = [None] * len(changed)
        if self.settings.runs("digest"):
            digests = list(
                _digests(
                    [(a, g) for _, _, a, g in changed], self.settings.digest, self.settings.workers
                )
            )
        for (story, members_hash, _, _), digest in zip(changed, digests):
            if isinstance(digest, str):
                report.digest_failed(story.id, digest)
            elif digest is not None:
                report.digests_built += 1
                story = dataclasses.replace(
                    story, headline=digest.headline or story.headline, digest=digest
                )
            self.store.put_story(story, members_hash)

    # -- reading back -------------------------------------------------------------------------------

    def article_records(self) -> Iterator[dict[str, Any]]:
        """One record per stored page, in ingestion order, in the ``articles.jsonl`` contract."""
        assignments = self.store.assignments()
        cleaned = self.settings.runs("clean")
        for article_id, article in self.store.articles().items():
            group, story = assignments.get(article_id, (None, None))
            record: dict[str, Any] = {"id": article_id}
            for name in CLEANED_FIELDS:
                record[name] = getattr(article, name) if cleaned else None
            record.update(
                site=article.site,
                url=article.url,
                fetched_at=article.fetched_at,
                reason=article.reason,
                copy_group=group,
                story=story,
            )
            yield record

    def story_records(self, *, with_topics: bool = False) -> list[dict[str, Any]]:
        """Stories as stored; ``with_topics`` adds each story's ``topic`` (a broader subject)."""
        records = self.store.story_records()
        if with_topics and records:
            topic_of = self.topics(records)
            for record in records:
                record["topic"] = topic_of.get(record["id"])
        return records

    def topics(self, records: Sequence[dict[str, Any]] | None = None) -> dict[str, str]:
        """Story id -> topic id: stories about one broader subject share a topic.

        Computed from all stored stories when asked (topics are loose and span time, so they
        are not kept up to date on every ingest); the id derives from the topic's first story.
        """
        records = self.store.story_records() if records is None else records
        stories = {r["id"]: tuple(r["articles"]) for r in records}
        features = self._stored_features({a for members in stories.values() for a in members})
        topics = topics_from_stories(features, stories, self.settings.stories)
        return {story: short_id("t", topic[0]) for topic in topics for story in topic}


class _StoredIds:
    """Ids of copy groups (or stories) in the store, less those being rebuilt: what a new name
    given by ``assign_ids`` must avoid, asked one name at a time (an indexed look-up each)."""

    def __init__(self, store: Store, column: str, rebuilt: Collection[str]) -> None:
        self._store, self._column, self._rebuilt = store, column, rebuilt

    def __contains__(self, group_id: object) -> bool:
        return (
            isinstance(group_id, str)
            and group_id not in self._rebuilt
            and self._store.has_group_id(self._column, group_id)
        )


def _bound(cache: OrderedDict[str, StoryFeatures]) -> None:
    """Forget the least recently used features past ``FEATURE_CACHE_SIZE``."""
    while len(cache) > FEATURE_CACHE_SIZE:
        cache.popitem(last=False)


def _components(nodes: Sequence[str], edges: Iterable[tuple[str, str]]) -> list[tuple[str, ...]]:
    """Connected components, members sorted, components sorted by their first member."""
    finder = UnionFind(nodes)
    for a, b in edges:
        if a in finder and b in finder:
            finder.union(a, b)
    return finder.components()


def _copy_groups(
    members: Sequence[str], pairs: Sequence[CopyPair], group_of: dict[str, str]
) -> list[CopyGroup]:
    groups = _components(members, [(p.a, p.b) for p in pairs])
    out = []
    for group in groups:
        if len(group) < 2:
            continue
        inside = set(group)
        group_pairs = tuple(sorted((p for p in pairs if p.a in inside), key=lambda p: (p.a, p.b)))
        group_id = group_of.get(group[0]) or short_id("g", group[0])
        out.append(CopyGroup(id=group_id, members=group, pairs=group_pairs))
    return out


# Below this many digests, they are built in this process (a small batch is not worth a pool:
# forking and sending the articles; not measured at this boundary).
_POOL_MIN_DIGESTS = 16


def _digest_job(
    job: tuple[Sequence[Article], Sequence[CopyGroup], DigestOptions],
) -> Digest | str:
    """One story's digest, or why building it failed (``"Type: message"``): a story whose
    digest fails is stored without one and reported, and the run goes on."""
    try:
        return build_digest(*job)
    except Exception as exc:  # noqa: BLE001 - reported with the story
        return f"{type(exc).__name__}: {exc}"[:300]


def _digests(
    jobs: Sequence[tuple[Sequence[Article], Sequence[CopyGroup]]],
    options: DigestOptions,
    workers: int,
) -> Iterator[Digest | str]:
    """The digest of each story (or why it failed), in order; in a pool of ``workers``
    processes when there are enough of them (a digest is a pure function of its story's
    articles: the same result)."""
    count = min(workers or os.cpu_count() or 1, len(jobs))
    # Forked workers start at once with everything loaded (frequency tables, patterns); a fork
    # is only safe from a process running one thread, and only some platforms have it.
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    if count <= 1 or len(jobs) < _POOL_MIN_DIGESTS or not forkable:
        for articles, groups in jobs:
            yield _digest_job((articles, groups, options))
        return
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
        yield from pool.map(
            _digest_job,
            [(a, g, options) for a, g in jobs],
            chunksize=max(1, len(jobs) // (8 * count)),
        )


def _story(story_id: str, articles: Sequence[Article], groups: Sequence[CopyGroup]) -> Story:
    dates = sorted(a.published for a in articles if a.published)
    ordered = sorted(articles, key=lambda a: (a.published or "9999", a.id))
    headline = next((a.title for a in ordered if a.title), None)
    return Story(
        id=story_id,
        articles=tuple(a.id for a in ordered),
        copy_groups=tuple(g.members for g in groups),
        headline=headline,
        first_published=dates[0] if dates else None,
        last_published=dates[-1] if dates else None,
    )

"""End to end on the real seed pages: run, ingest, incremental equals batch, bad input."""

from __future__ import annotations

import gzip
import io
import json
import shutil
import types
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED_IDS, SEEDS, read_jsonl

import newsfold
from newsfold import Page, Settings, Store, open_index, run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "pages"
from newsfold.config import load_settings
from newsfold.errors import ConfigError
from newsfold.index import Index
from newsfold.text import normalise, sentences


def _lines(name: str, numbers: list[int]) -> list[str]:
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    return [" ".join(lines[n - 1].split()) for n in numbers]


def _by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


@pytest.fixture
def seed_run(seed_dir: Path, tmp_path: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    out = tmp_path / "out"
    run([seed_dir], out)
    return _by_id(read_jsonl(out / "articles.jsonl")), read_jsonl(out / "stories.jsonl")


def _labelled_body(name: str, label: dict[str, Any]) -> list[str]:
    """The labelled body lines with the metadata moved out: dateline prefix, trailing credit."""
    lines = _lines(name, label["body_lines"])
    if label["dateline"] and lines[0].startswith(label["dateline"] + ":"):
        lines[0] = lines[0][len(label["dateline"]) + 1 :].strip()
    if label["credit"] and lines[-1].endswith(f"({label['credit']})"):
        lines[-1] = lines[-1][: -len(label["credit"]) - 2].strip()
    return lines


def test_seed_bodies_are_exactly_the_labelled_lines(seed_run: Any, expected: dict[str, Any]) -> None:
    articles, _ = seed_run
    for name, label in expected["pages"].items():
        record = articles[name]
        assert record["body"].split("\n\n") == _labelled_body(name, label), name
        assert record["title"] == label["title"]
        assert record["dateline"] == label["dateline"]
        assert record["credit"] == label["credit"]
        if label.get("standfirst_lines"):
            assert record["standfirst"] == _lines(name, label["standfirst_lines"])[0]


def test_no_header_or_crawl_date_is_published(seed_run: Any, expected: dict[str, Any]) -> None:
    articles, _ = seed_run
    assert articles["000_c8debece95dd983e.txt"]["published"] != "2025-09-10"
    assert articles["004_82459974c147e689.txt"]["published"] != "2020-07-03"


def test_seed_copies_and_story(seed_run: Any) -> None:
    articles, stories = seed_run
    a, b, c = (articles[name] for name in SEED_IDS)
    assert a["copy_group"] == b["copy_group"] is not None
    assert c["copy_group"] != a["copy_group"]
    assert a["story"] == b["story"] == c["story"] is not None
    assert len(stories) == 1
    story = stories[0]
    assert sorted(story["articles"]) == sorted(SEED_IDS)
    assert story["copy_groups"] == [sorted(SEED_IDS[:2])]
    assert story["headline"]
    assert story["topic"] and a["topic"] == b["topic"] == c["topic"] == story["topic"]
    assert isinstance(story["digest"]["summary"], str) and story["digest"]["summary"]


# Words that identify each labelled addition among a page's sentences (expected.json,
# what_each_adds): a sentence carrying the item contains all words of one of these tuples.
ADDITION_MARKERS = {
    "000_c8debece95dd983e.txt": [("koo kab-woo",), ("kim il sung", "soviet")],
    "001_7020bdc5a38482e3.txt": [("brief statements",), ("addressed reporters alone",),
                                 ("no secrets",), ("beijing",)],
    "004_82459974c147e689.txt": [("by train",), ("hanoi",), ("10,000",), ("people's daily",),
                                 ("since march 2018",)],
}


def test_digest_lists_what_each_page_adds(seed_run: Any) -> None:
    _, stories = seed_run
    adds = stories[0]["digest"]["what_each_adds"]
    for name, markers in ADDITION_MARKERS.items():
        texts = [normalise(s["text"]) for s in adds.get(name, [])]
        for marker in markers:
            assert any(all(m in t for m in marker) for t in texts), (name, marker, texts)
        for item in adds.get(name, []):
            assert name in item["articles"]
    # a sentence that two sources carry is nobody's addition
    shared = "pyongyang has reportedly asked russia to continue to employ its workers"
    assert not any(shared in normalise(s["text"]) for v in adds.values() for s in v)


def test_output_is_deterministic(seed_dir: Path, tmp_path: Path) -> None:
    run([seed_dir], tmp_path / "one")
    run([seed_dir], tmp_path / "two")
    for name in ("articles.jsonl", "stories.jsonl"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def _state(index: Index) -> tuple[Any, Any]:
    records = {r["id"]: r for r in index.article_records()}
    groups = sorted({tuple(sorted(a for a, r in records.items() if r["copy_group"] == g))
                     for g in {r["copy_group"] for r in records.values()}})
    stories = sorted((s["id"], tuple(sorted(s["articles"]))) for s in index.story_records())
    return groups, stories


def test_incremental_equals_batch_and_reingest_changes_nothing(seed_dir: Path, tmp_path: Path) -> None:
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    for name in SEED_IDS[:2]:
        shutil.copy(seed_dir / name, first / name)
    shutil.copy(seed_dir / SEED_IDS[2], later / SEED_IDS[2])

    newsfold.ingest([first], tmp_path / "inc.db")
    newsfold.ingest([later], tmp_path / "inc.db")
    newsfold.ingest([seed_dir], tmp_path / "all.db")
    inc, whole = open_index(tmp_path / "inc.db"), open_index(tmp_path / "all.db")
    assert _state(inc) == _state(whole)
    before = _state(whole)
    digest_before = whole.story_records()
    inc.store.close()
    whole.store.close()

    report = newsfold.ingest([seed_dir], tmp_path / "all.db")
    assert report.already_stored == 3 and report.pages_kept == 0
    again = open_index(tmp_path / "all.db")
    assert _state(again) == before
    assert again.story_records() == digest_before
    again.store.close()


def test_a_failing_batch_loses_nothing_already_committed(tmp_path: Path, monkeypatch: Any) -> None:
    db = tmp_path / "crash.db"
    pages = [Page(id=f"p{i}", text=(SEEDS / SEED_IDS[i % 3]).read_text()) for i in range(3)]
    index = Index(Store(db), Settings(batch_size=1))
    index.add(pages[:1])
    calls = {"n": 0}
    real = index._article

    class Crash(BaseException):
        """Not an Exception: like an interrupt, it ends the batch."""

    def explode(page: Page, *rest: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise Crash
        return real(page, *rest)

    monkeypatch.setattr(index, "_article", explode)
    with pytest.raises(Crash):
        index.add(pages[1:])
    index.store.close()
    survivor = open_index(db, Settings(batch_size=1))
    ids = set(survivor.store.articles())
    # p0 (earlier run) and p1 (its own committed batch) survive; p2's batch rolled back whole
    assert ids == {"p0", "p1"}
    assert survivor.store.page_hash("p2") is None
    survivor.store.close()


def _bad_inputs(folder: Path) -> dict[str, str]:
    """One bad input of each kind beside the good pages; returns name -> expected reason."""
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin1.txt").write_bytes("Caf\xe9 cr\xe8me, d\xe9j\xe0 vu.\n".encode("latin-1") * 20)
    good = json.dumps({"id": "jsonl-good", "text": (SEEDS / SEED_IDS[0]).read_text()})
    (folder / "records.jsonl").write_text(good + "\n{not json\n")
    from warcio.warcwriter import WARCWriter

    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for n in range(2):
        payload = f"<html><body><h1>Title {n}</h1><p>{'Some body text here. ' * 40}</p></body></html>"
        from warcio.statusandheaders import StatusAndHeaders

        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                   protocol="HTTP/1.0")
        body = payload.encode()
        record = writer.create_warc_record(f"http://example.com/{n}", "response",
                                           payload=io.BytesIO(body), length=len(body),
                                           http_headers=headers)
        writer.write_record(record)
    data = buffer.getvalue()
    (folder / "cut.warc.gz").write_bytes(data[: len(data) - 40])
    return {"empty.txt": "empty", "binary.txt": "binary", "latin1.txt": "invalid encoding",
            "records.jsonl": "malformed json", "cut.warc.gz": "truncated warc"}


def test_bad_input_is_reported_and_skipped(seed_dir: Path, tmp_path: Path) -> None:
    reasons = _bad_inputs(seed_dir)
    out = tmp_path / "out"
    run([seed_dir], out)
    report = json.loads((out / "report.json").read_text())
    by_reason = report["pages"]["skipped_by_reason"]
    for reason in reasons.values():
        assert by_reason.get(reason, 0) >= 1, (reason, by_reason)
    ids = {r["id"] for r in read_jsonl(out / "articles.jsonl")}
    assert set(SEED_IDS) <= ids and "jsonl-good" in ids
    stories = read_jsonl(out / "stories.jsonl")
    assert any(set(SEED_IDS) <= set(s["articles"]) for s in stories)


def test_copies_stage_alone(tmp_path: Path) -> None:
    text = (SEEDS / SEED_IDS[0]).read_text()
    lines = [json.dumps({"id": "a", "text": text}), json.dumps({"id": "b", "text": text}),
             json.dumps({"id": "c", "text": (SEEDS / SEED_IDS[2]).read_text()})]
    src = tmp_path / "in.jsonl.gz"
    with gzip.open(src, "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    out = tmp_path / "out"
    run([src], out, Settings(stages=("copies",)))
    records = _by_id(read_jsonl(out / "articles.jsonl"))
    assert records["a"]["copy_group"] == records["b"]["copy_group"] != records["c"]["copy_group"]
    assert all(r["title"] is None and r["body"] is None and r["story"] is None
               for r in records.values())
    assert read_jsonl(out / "stories.jsonl") == []


def test_public_api_all_is_complete() -> None:
    public = {
        name for name in dir(newsfold)
        if not name.startswith("_") and not isinstance(getattr(newsfold, name), types.ModuleType)
        and name != "annotations"
    }
    assert public <= set(newsfold.__all__)
    for name in newsfold.__all__:
        assert hasattr(newsfold, name), name


def test_sentences_used_by_digest_keep_quotes() -> None:
    assert len(sentences("“We need to… return,” Putin said. Kim nodded.")) == 2


def test_a_page_that_fails_is_skipped_and_the_run_goes_on(tmp_path: Path, monkeypatch: Any) -> None:
    pages = [Page(id=f"p{i}", text=(SEEDS / SEED_IDS[i]).read_text()) for i in range(3)]
    index = Index(Store(tmp_path / "fail.db"), Settings(batch_size=10))
    real = index._article

    def fail_on_p1(page: Page, *rest: Any) -> Any:
        if page.id == "p1":
            raise ValueError("extractor choked")
        return real(page, *rest)

    monkeypatch.setattr(index, "_article", fail_on_p1)
    report = index.add(pages)
    assert report.skipped["failed to process"] == 1
    assert "ValueError: extractor choked" in report.skips[0].detail
    assert set(index.store.articles()) == {"p0", "p2"}
    assert index.store.page_hash("p1") is None  # its writes were undone
    stories = index.story_records()
    assert any(set(s["articles"]) == {"p0", "p2"} for s in stories)
    index.store.close()


def test_a_page_that_fails_late_counts_as_a_skip_only(tmp_path: Path, monkeypatch: Any) -> None:
    """A page that fails after it was kept and linked (its links and features written) is
    undone whole: the report counts it as a skip, not as kept, and none of its links; its
    features leave the cache."""
    pages = [Page(id=f"p{i}", text=(SEEDS / SEED_IDS[i]).read_text()) for i in range(3)]
    index = Index(Store(tmp_path / "late.db"), Settings(batch_size=10))
    real = index._link_story

    def fail_after_linking(article: Any, report: Any) -> None:
        real(article, report)
        if article.id == "p2":
            raise ValueError("failed after linking")

    monkeypatch.setattr(index, "_link_story", fail_after_linking)
    report = index.add(pages)
    assert report.skipped["failed to process"] == 1
    assert report.pages_read == 3 and report.pages_kept == 2
    assert report.story_links_new == index.store.count("story_links") == 1  # p0-p1 only
    assert "p2" not in index._features and "p1" in index._features
    assert set(index.store.articles()) == {"p0", "p1"}
    index.store.close()


def test_a_failed_page_and_a_repeated_id_leave_no_site_counts(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """Site line counts hold exactly the pages that were stored: a page that failed is taken
    back out, and an id given twice in one batch counts once."""
    text = (SEEDS / SEED_IDS[0]).read_text()
    pages = [
        Page(id="a", text=text, site="example.org"),
        Page(id="a", text=text, site="example.org"),  # the same page again: one page
        Page(id="b", text=(SEEDS / SEED_IDS[1]).read_text(), site="example.org"),
        Page(id="c", text=(SEEDS / SEED_IDS[2]).read_text(), site="example.org"),
    ]
    index = Index(Store(tmp_path / "sites.db"), Settings(batch_size=10))
    real = index._article

    def fail_on_b(page: Page, *rest: Any) -> Any:
        if page.id == "b":
            raise ValueError("extractor choked")
        return real(page, *rest)

    monkeypatch.setattr(index, "_article", fail_on_b)
    report = index.add(pages)
    assert report.skipped["failed to process"] == 1
    assert report.already_stored == 1
    from newsfold.clean.site import page_line_keys

    keys_of = {p.id: page_line_keys(p.text or "") for p in pages}
    pages_counted, counts = index.store.site_counts("example.org", keys_of["b"] | keys_of["a"])
    assert pages_counted == 2  # a and c, not the repeated a nor the failed b
    for key in keys_of["b"] | keys_of["a"]:
        expected = (key in keys_of["a"]) + (key in keys_of["c"])
        assert counts.get(key, 0) == expected
    index.store.close()


def test_digests_built_in_worker_processes_are_the_same(tmp_path: Path, monkeypatch: Any) -> None:
    """The digest pool changes where digests are computed, never what they say."""
    import newsfold.index as index_module

    pools: list[int] = []

    class CountingPool(index_module.ProcessPoolExecutor):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(kwargs["max_workers"])
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(index_module, "ProcessPoolExecutor", CountingPool)
    monkeypatch.setattr(index_module, "_POOL_MIN_DIGESTS", 1)
    # The pool refuses to fork while other threads run; tests run before this one in the same
    # process may leave some behind (PyTorch's in the [embed] test), which this test is not about.
    monkeypatch.setattr(index_module.threading, "active_count", lambda: 1)
    outputs = []
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        newsfold.run([EXAMPLES], out, Settings(workers=workers))
        outputs.append((out / "stories.jsonl").read_text(encoding="utf-8"))
    assert outputs[0] == outputs[1]
    assert outputs[0].count("\n") >= 2
    assert pools == [2]  # the second run built its digests in a pool of two


def test_workers_setting_is_validated() -> None:
    with pytest.raises(ConfigError):
        Settings(workers=-1)
    assert load_settings(environ={"NEWSFOLD_WORKERS": "2"}).workers == 2
    with pytest.raises(ConfigError):
        load_settings(environ={"NEWSFOLD_WORKERS": "many"})


def test_a_batch_run_knows_each_site_chrome_from_its_first_page(tmp_path: Path) -> None:
    """run counts every site's lines over the whole input before cleaning, so the first pages
    of a site lose its chrome like the last ones (batch size 1: each page its own batch)."""
    chrome = ("Officials in the region said on Monday that the talks would continue next week "
              "in the capital, with more delegations expected.")
    corpus = tmp_path / "site.jsonl"
    with open(corpus, "w", encoding="utf-8") as handle:
        for n, name in enumerate(SEED_IDS):
            lines = (SEEDS / name).read_text(encoding="utf-8").split("\n")
            middle = len(lines) // 2  # inside the article's run of paragraphs
            text = "\n".join([*lines[:middle], chrome, *lines[middle:]])
            handle.write(json.dumps({"id": f"p{n}", "text": text, "site": "one.example"}) + "\n")
    out = tmp_path / "out"
    run([corpus], out, Settings(batch_size=1, stages=("clean", "copies")))
    records = read_jsonl(out / "articles.jsonl")
    assert len(records) == len(SEED_IDS) == 3
    assert all(chrome not in (r["body"] or "") for r in records)


def test_a_story_whose_digest_fails_is_stored_without_one(tmp_path: Path, monkeypatch: Any) -> None:
    """A digest that raises (a bug, a pathological story) costs that story its digest, counted
    and reported; the other stories and the run go on."""
    import newsfold.index as index_module

    real = index_module.build_digest

    def fragile(articles: Any, *rest: Any) -> Any:
        if any(a.id.startswith("multinews_8d81") for a in articles):
            raise RuntimeError("digest choked")
        return real(articles, *rest)

    monkeypatch.setattr(index_module, "build_digest", fragile)
    out = tmp_path / "out"
    report = newsfold.run([EXAMPLES], out, Settings(workers=1))
    assert report.digests_failed == 1
    assert report.to_dict()["stories"]["digest_failures"][0]["detail"] == "RuntimeError: digest choked"
    stories = read_jsonl(out / "stories.jsonl")
    failed = [s for s in stories if any(a.startswith("multinews_8d81") for a in s["articles"])]
    assert len(failed) == 1 and failed[0]["digest"] is None
    assert all(s["digest"] for s in stories if s not in failed)
    assert "without a digest" in report.summary_line()


def test_a_given_publication_date_is_the_fallback(tmp_path: Path) -> None:
    # JSONL may carry the publication date; a date line in the page wins, the given date fills
    # in when the page shows none, and a value that is not an ISO date is ignored.
    title = "Quake hits the coast of Chile, killing twelve"
    first = (
        "A strong earthquake struck the coast of central Chile on Monday, killing at least "
        "twelve people and damaging hundreds of buildings, officials said on Tuesday."
    )
    second = (
        "The quake was felt in the capital Santiago, where residents ran into the streets "
        "and the power failed for several hours in the southern districts of the city."
    )
    body = f"{title}\n\n{first}\n\n{second}"
    dated = body.replace("\n\n", "\n\nPublished: 5 January 2026\n\n", 1)
    records = [
        {"id": "given", "text": body, "published": "2026-02-03T10:00:00Z"},
        {"id": "own", "text": dated, "published": "2026-02-03"},
        {"id": "bad", "text": body, "published": "last Tuesday"},
    ]
    source = tmp_path / "pages.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    run([source], out, Settings(stages=("clean", "stories")))
    published = {r["id"]: r["published"] for r in read_jsonl(out / "articles.jsonl")}
    assert published == {"given": "2026-02-03", "own": "2026-01-05", "bad": None}
    settings = Settings(stages=("stories",))
    newsfold.ingest([source], tmp_path / "stories-only.db", settings)
    index = open_index(tmp_path / "stories-only.db", settings)
    articles = index.store.articles({"given", "own", "bad"})
    assert {k: a.published for k, a in articles.items()} == {
        "given": "2026-02-03",
        "own": "2026-02-03",
        "bad": None,
    }

"""Copies on raw pages and in batch: tokeniser, running text, signatures, site chrome, batch driver."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from collections.abc import Iterator
from dataclasses import replace
from itertools import combinations
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.backends.local import copies_from_jsonl, copies_only, page_paragraphs, page_site
from newsfold.copies import (
    CopyIndex,
    CopyOptions,
    MemoryCopyStorage,
    compare,
    find_copies,
    find_copies_streamed,
    group_pairs,
)
from newsfold.copies.fingerprint import one_permutation_signatures
from newsfold.copies.reader import read_chunk
from newsfold.copies.shingles import read_body
from newsfold.copies.sitelines import repeated_lines, strip_site_chrome
from newsfold.copies.stage import component_labels, key_pairs
from newsfold.copies.tokens import encode_body, tokenise
from newsfold.models import Page
from newsfold.text import words

FIXTURES = Path(__file__).parent / "fixtures"
REPO = Path(__file__).parent.parent


def token_count(paragraphs: list[str]) -> list[int]:
    _, counts, _ = tokenise([encode_body(paragraphs)])
    return counts.tolist()


def test_tokeniser_finds_the_words_of_text_words() -> None:
    samples = [
        "Kim's \u201cmore stable\u201d ties, 2019 \u2014 well-known 'quoted' --dash",
        "Caf\u00e9 \u00c9LYS\u00c9E na\u00efve \u00fcber-cool r\u00e9sum\u00e9s",
        "\u4e60\u8fd1\u5e73\u4f1a\u89c1 Putin in Beijing.",
        "Non\u2011breaking\u00a0space and zero\u200bwidth, \u00ab guillemets \u00bb.",
    ]
    for sample in samples:
        assert token_count([sample]) == [len(words(sample))], sample
    # Case, quotes and dashes do not change a word's hash; a different word does.
    a, _, _ = tokenise([encode_body(["Kim\u2019s WELL\u2013known \u00c9lys\u00e9e"])])
    b, _, _ = tokenise([encode_body(["kim's well-known \u00e9lys\u00e9e"])])
    c, _, _ = tokenise([encode_body(["kim's well-known elysee"])])
    assert np.array_equal(a, b) and not np.array_equal(b, c)
    # Long words are hashed over all their bytes.
    d, _, _ = tokenise([encode_body(["internationalisation internationalization"])])
    assert d[0] != d[1]


def test_lines_and_bodies_keep_their_word_counts() -> None:
    bodies = [["One two three.", "", "Four five"], [], ["Six\nseven eight"]]
    chunk = read_chunk(bodies, 5, 0)
    assert chunk.paragraph_lengths.tolist() == [3, 0, 2, 3]
    assert chunk.paragraphs.tolist() == [3, 0, 1]


def test_only_running_text_is_shingled_unless_there_is_none() -> None:
    article = [
        "Home",
        "World News Sport",
        "The minister said on Tuesday that the talks with the unions would resume next week.",
        "Share this article",
        "He added that no agreement had been reached on pensions, the main point of dispute.",
    ]
    body = read_body(article, 5, text_words=12)
    assert body.text_paragraphs is not None
    assert body.text_paragraphs.tolist() == [False, False, True, False, True]
    prose_only = read_body([article[2], article[4]], 5, text_words=12)
    assert np.array_equal(body.shingles, prose_only.shingles)
    # A body made only of short lines is compared on all of them.
    lines = ["Breaking", "Markets fall", "Oil rises", "Gold flat", "Bonds steady today"]
    assert read_body(lines, 5, text_words=12).text_paragraphs.tolist() == [True] * 5  # type: ignore[union-attr]


def test_one_permutation_minhash_estimates_jaccard() -> None:
    stream = np.arange(1, 2001, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    rng = np.random.default_rng(3)
    errors = []
    for _ in range(60):
        cut_a, cut_b = sorted(int(x) for x in rng.integers(50, 1950, size=2))
        a, b = np.unique(stream[:cut_b]), np.unique(stream[cut_a:])
        grams = np.concatenate((a, b))
        owner = np.repeat([0, 1], [len(a), len(b)])
        signatures, filled = one_permutation_signatures(
            grams, owner, 2, 128, seed=int(rng.integers(99))
        )
        assert (filled <= 128).all()
        estimate = float(np.mean(signatures[0] == signatures[1]))
        errors.append(estimate - compare(a, b)[0])
    assert abs(float(np.mean(errors))) < 0.02
    assert float(np.sqrt(np.mean(np.square(errors)))) < 0.07


def test_sparse_pages_are_densified_and_empty_ones_stay_empty() -> None:
    grams = np.array([5, 9, 13], dtype=np.uint64)
    signatures, filled = one_permutation_signatures(grams, np.zeros(3, np.int64), 2, 64, seed=1)
    assert filled.tolist()[1] == 0 and (signatures[1] == np.iinfo(np.uint64).max).all()
    assert len(set(signatures[0].tolist())) > 3  # borrowed values are mixed with the distance


def test_key_pairs_and_components() -> None:
    keys = np.array([5, 7, 5, 5, 7, 9, 9], dtype=np.uint64)
    owner = np.array([0, 0, 1, 2, 2, 3, 3])
    assert key_pairs(keys, owner).tolist() == [[0, 1], [0, 2], [1, 2]]
    assert component_labels(6, np.array([[4, 5], [1, 4], [2, 3]])).tolist() == [0, 1, 2, 2, 1, 1]


def test_site_lines_repeated_on_three_pages_are_left_out() -> None:
    chrome = ["Subscribe to our newsletter for the best of the week in your inbox every Friday."]
    pages = [
        (f"p{k}", "site", [*chrome, f"Article number {k} says something of its own today."])
        for k in range(3)
    ]
    pages.append(("q", "other", [*chrome, "An article elsewhere."]))
    stripped = dict(strip_site_chrome(pages))
    assert stripped["p0"] == ["Article number 0 says something of its own today."]
    assert stripped["q"] == pages[3][2]
    assert set(repeated_lines([(site, body) for _, site, body in pages])) == {"site"}


def test_page_text_and_site() -> None:
    assert page_paragraphs("Menu\nHome\n\nFirst  paragraph.\n\nSecond.") == [
        "Menu Home",
        "First paragraph.",
        "Second.",
    ]
    assert page_site(Page(id="a", text="", url="https://www.example.com/x")) == "example.com"
    assert page_site(Page(id="a", text="", site="s", url="https://x.org/")) == "s"
    assert page_site(Page(id="a", text="")) is None


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "syndication_build", REPO / "bench" / "syndication" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def small_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder in the shared layout made of this repository's real fixtures."""
    root = tmp_path_factory.mktemp("data")
    (root / "ecbplus").mkdir()
    shutil.copy(
        FIXTURES / "copies" / "ecbplus_topic35.jsonl", root / "ecbplus" / "ecbplus_docs.jsonl"
    )
    (root / "multinews-dev").mkdir()
    (root / "multinews-dev" / "clusters.jsonl").write_text("", encoding="utf-8")
    shutil.copytree(FIXTURES / "clean" / "zyte", root / "zyte-text")
    return root


def _pairs(groups: object) -> set[tuple[str, str]]:
    return {tuple(sorted(p)) for g in groups for p in combinations(g, 2)}  # type: ignore[attr-defined, misc]


def test_raw_pages_in_real_site_chrome(small_data: Path) -> None:
    """The syndication benchmark's builder on the fixtures: copies found through real chrome."""
    builder = _load_builder()
    sources = builder.load_sources(small_data)
    sites = builder.load_sites(small_data)[:4]  # few sites, so each has several pages
    built = builder.build(sources, sites, seed=5)
    again = builder.build(sources, sites, seed=5)
    assert built.pages == again.pages and built.gold == again.gold  # a fixed seed, fixed pages
    families: dict[int, list[str]] = {}
    for row in built.gold:
        families.setdefault(row["family"], []).append(row["id"])
    truth = _pairs(families.values())
    assert truth, "the fixture corpus must hold copies"
    pages = [Page(id=p["id"], text=p["text"], site=p["site"]) for p in built.pages]
    result = copies_only(pages)
    predicted = _pairs(result.groups)
    precision = len(predicted & truth) / max(1, len(predicted))
    recall = len(predicted & truth) / len(truth)
    assert precision >= 0.95 and recall >= 0.9, (precision, recall)
    # Every pair is explained: scores, aligned paragraphs, the fuller page.
    for pair in result.pairs:
        assert pair.shared and 0 < pair.resemblance <= 1 and pair.fuller in (pair.a, pair.b)
    # The incremental index, fed the same bodies one at a time, gives the same groups.
    bodies = strip_site_chrome([(p.id, p.site, page_paragraphs(p.text or "")) for p in pages])
    index = CopyIndex(MemoryCopyStorage())
    incremental = group_pairs([pair for doc_id, body in bodies for pair in index.add(doc_id, body)])
    assert incremental == result.groups == find_copies(bodies).groups


def test_pairs_without_explanations_are_the_same_pairs(small_data: Path) -> None:
    """``explained=False`` skips the alignment but not the interleaving guard it feeds."""
    builder = _load_builder()
    built = builder.build(
        builder.load_sources(small_data), builder.load_sites(small_data)[:4], seed=5
    )
    # Raw pages with no site known: shared chrome around each page's own article, the case the
    # interleaving guard is for (and the one where the cheap bound must fall back to aligning).
    raw = [(p["id"], page_paragraphs(p["text"])) for p in built.pages]
    for docs in (raw, [(doc_id, body[2:-2]) for doc_id, body in raw]):
        full = find_copies(docs)
        lean = find_copies(docs, explained=False)
        assert lean.groups == full.groups and lean.too_short == full.too_short
        assert len(lean.pairs) == len(full.pairs)
        for quick, explained in zip(lean.pairs, full.pairs, strict=True):
            assert not quick.shared and not quick.only_a and not quick.only_b
            assert quick == replace(explained, shared=(), only_a=(), only_b=())


def test_streamed_jsonl_gives_the_batch_result(small_data: Path, tmp_path: Path) -> None:
    builder = _load_builder()
    built = builder.build(
        builder.load_sources(small_data), builder.load_sites(small_data)[:4], seed=5
    )
    docs = [(p["id"], page_paragraphs(p["text"])[2:]) for p in built.pages]
    path = tmp_path / "pages.jsonl"
    # Reversed, one record as text, a blank line: order and form do not matter.
    lines = [json.dumps({"id": i, "paragraphs": body}) for i, body in reversed(docs)]
    lines[0] = json.dumps({"id": docs[-1][0], "text": "\n\n".join(docs[-1][1])})
    path.write_text("\n".join(lines[:3] + [""] + lines[3:]) + "\n", encoding="utf-8")
    expected = find_copies(docs)
    assert expected.groups
    assert copies_from_jsonl(path) == expected
    assert copies_from_jsonl(path, explained=False).groups == expected.groups
    head = copies_from_jsonl(path, limit=5)
    assert head.candidates <= expected.candidates
    assert set(head.too_short) <= {doc_id for doc_id, _ in docs[-5:]}


def test_many_short_and_empty_bodies_never_become_copies() -> None:
    article = [
        (
            "The minister said on Tuesday that the talks with the unions would resume next week, "
            "after a month in which both sides had refused to meet."
        ),
        "He added that no agreement had been reached on pensions, the main point of dispute.",
    ]
    docs = [(f"short{k}", ["Read more."]) for k in range(20)]
    docs += [(f"empty{k}", []) for k in range(5)]
    docs += [("a", article), ("b", [*article, "Read more."])]
    result = find_copies(docs, CopyOptions())
    assert result.groups == (("a", "b"),)
    assert len(result.too_short) == 25
    index = CopyIndex(MemoryCopyStorage())
    assert all(index.add(doc_id, body) == [] for doc_id, body in docs[:25])
    assert [(p.a, p.b) for p in index.add("a", article)] == []


def test_syndication_builder_documents_itself() -> None:
    readme = (REPO / "bench" / "syndication" / "README.md").read_text(encoding="utf-8")
    assert "--seed" in readme and "build.py" in readme


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30), st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)), max_size=60))
def test_groups_from_ranks_are_the_groups_of_the_pairs(
    count: int, links: list[tuple[int, int]]
) -> None:
    # The stage groups its pairs by rank (array union-find) instead of by id strings: the same
    # groups as ``group_pairs``, for ids whose sorted order is the rank order.
    from newsfold.copies.stage import _rank_groups
    from newsfold.models import CopyPair

    ids = sorted(f"p{k * 7919 % 1000:03d}-{k}" for k in range(count))
    edges = sorted({(min(a, b), max(a, b)) for a, b in links if a != b and max(a, b) < count})
    pairs = [
        CopyPair(a=ids[a], b=ids[b], resemblance=1.0, containment_a=1.0, containment_b=1.0)
        for a, b in edges
    ]
    array = np.array(edges, dtype=np.int64).reshape(-1, 2)
    assert _rank_groups(count, array, ids) == group_pairs(pairs)


def test_lean_pairs_behave_as_the_tuple_of_their_pairs(small_data: Path) -> None:
    """``CopyResult.pairs`` makes its pairs on access: the same pairs, read any way."""
    builder = _load_builder()
    built = builder.build(
        builder.load_sources(small_data), builder.load_sites(small_data)[:4], seed=5
    )
    docs = [(p["id"], page_paragraphs(p["text"])[2:]) for p in built.pages]
    lean = find_copies(docs, explained=False).pairs
    full = find_copies(docs).pairs
    made = tuple(lean)
    assert len(made) == len(lean) >= 3 and bool(lean)
    assert made == tuple(replace(p, shared=(), only_a=(), only_b=()) for p in full)
    assert [(p.a, p.b) for p in made] == sorted((p.a, p.b) for p in made)
    assert lean == made and made == lean and lean == find_copies(docs, explained=False).pairs
    assert lean != made[:-1]
    assert hash(lean) == hash(made)
    assert [lean[k] for k in range(len(lean))] == list(made)
    assert lean[-1] == made[-1] and lean[-len(lean)] == made[0]
    assert lean[1:3] == made[1:3] and lean[::-2] == made[::-2] and lean[5:2] == ()
    assert made[1] in lean and lean.index(made[2]) == 2 and lean.count(made[0]) == 1
    assert list(reversed(lean)) == list(reversed(made))
    for bad in (len(lean), -len(lean) - 1):
        with pytest.raises(IndexError):
            lean[bad]
    # Explained pairs carry their alignment, as made by the pairwise path.
    assert any(p.shared for p in full) and tuple(full) == full
    empty = find_copies([("a", ["one two three"]), ("b", ["four five six seven"])]).pairs
    assert len(empty) == 0 and not empty and empty == () and tuple(empty) == ()


def test_the_collector_is_paused_for_a_run_and_restored() -> None:
    import gc

    seen: list[bool] = []

    def chunks() -> Iterator[list[tuple[str, list[str]]]]:
        seen.append(gc.isenabled())
        text = " ".join(f"word{k}" for k in range(60)) + "."
        yield [("a", [text]), ("b", [text])]

    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            result = find_copies_streamed(chunks(), explained=False)
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
        assert [(p.a, p.b, p.exact) for p in result.pairs] == [("a", "b", True)]
    assert seen == [False, False]


def _page_paragraphs_reference(text: str) -> list[str]:
    """page_paragraphs as first written: every block split into words and joined again."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n")]
    blocks = [b for b in blocks if b]
    if len(blocks) <= 1:
        blocks = [line.strip() for line in text.splitlines() if line.strip()]
    return [" ".join(b.split()) for b in blocks]


_SPACES = [chr(c) for c in range(0x110000) if chr(c).isspace()]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(["word", "Ünïcode", "a.b", "\n\n", "\n", " ", "  ", *_SPACES]),
            st.text(max_size=6),
        ),
        max_size=40,
    )
)
def test_page_paragraphs_single_spaces_as_splitting_does(parts: list[str]) -> None:
    text = "".join(parts)
    assert page_paragraphs(text) == _page_paragraphs_reference(text)


def test_page_paragraphs_treats_every_space_character_as_splitting_does() -> None:
    assert len(_SPACES) > 20  # ASCII controls, NEL, NBSP, the Zs/Zl/Zp separators
    for space in _SPACES:
        for text in (f"a{space}b", f"a {space}b", f"one\n\nt{space}wo{space}", f"x{space}{space}y"):
            assert page_paragraphs(text) == _page_paragraphs_reference(text), repr(space)

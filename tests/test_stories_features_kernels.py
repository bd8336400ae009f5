"""The compiled story-feature kernels give exactly what their pure-Python twins give.

``newsfold/stories/_features.pyx`` computes the term weights, the entity counts, the ranking and
normalisation and the numbers and dates of ``story_features``; the twins in
``newsfold.stories.features`` are the reference. They are compared on real articles (the ECB+
sample, the zyte-text fixtures) and on random text drawn from the characters the rules decide
on, in several scripts (features are stored, so a single differing float would be a change).
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import ecb_articles
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold import text
from newsfold.models import Article
from newsfold.stories import StoryOptions, features, story_features
from newsfold.text import fold, sentences

_features = pytest.importorskip("newsfold.stories._features")
_text = pytest.importorskip("newsfold._text")

REPO = Path(__file__).resolve().parent.parent

# Letters of several scripts and cases, digits of several systems, joiners, sentence ends,
# separators of numbers, unspaced scripts (CJK, Thai, Hangul), and characters that fold.
ALPHABET = (
    "aeoZKPs ''-\u2019_9120.,!?\n\u00a0\u00c9\u00e9\u00df\u0130\u03a3\u03c3\u0416\u0436"
    "\u0663\u00b2\uff11\u6f22\u5b57\u3042\u0e01\uac00\u01c5\u2013\u201c\u3002\U0001f600"
)
WORDS = [
    "Putin",
    "Kim",
    "de",
    "of",
    "The",
    "said",
    "NORTH",
    "KOREAN",
    "Kim's",
    "face-to-face",
    "2019-04-25",
    "1,200",
    "12 000",
    "4,5",
    "Mr.",
    "U.S.",
    "\u00c9lys\u00e9e",
    "Stra\u00dfe",
    "\u041f\u0443\u0442\u0438\u043d",
    "\u666e\u4eac",
    "police",
    "2020",
]
LANGUAGES = ("en",)


def _all_twins(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every story-feature kernel replaced by its pure-Python twin (the name tokens too)."""
    monkeypatch.setattr(features, "_name_tokens", features._name_tokens_py)
    monkeypatch.setattr(features, "_numbers_and_dates", features._numbers_and_dates_py)
    monkeypatch.setattr(features, "_weights", features._WeightsPy)
    monkeypatch.setattr(features, "_zipf_of_tables", features._zipf_py)
    monkeypatch.setattr(features, "_terms_and_entities", features._terms_and_entities_py)


def _real_articles() -> list[Article]:
    articles = list(ecb_articles(lang=None)[0].values())
    for i, path in enumerate(sorted((REPO / "tests" / "fixtures").rglob("*.txt"))):
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
        if lines:
            articles.append(Article(id=str(i), title=lines[0], paragraphs=tuple(lines[1:])))
    return articles


def test_the_kernels_are_in_use() -> None:
    assert features._numbers_and_dates is _features.numbers_and_dates
    assert features._weights is features._weights_compiled
    assert features._zipf_of_tables is _features.zipf_of_tables
    assert features._terms_and_entities is features._terms_and_entities_compiled
    assert features._name_tokens is features._name_tokens_compiled


@settings(max_examples=500, deadline=None)
@given(st.text(), st.text(), st.text(alphabet=ALPHABET + "\u200b\u0301\u1100\u1161\uff0c"))
def test_fold_is_bounded_by_a_line_break(left: str, right: str, mixed: str) -> None:
    # The kernels fold the lead and the body once for the terms and the names: this holds.
    for a, b in ((left, right), (mixed, left), (right, mixed)):
        assert fold(f"{a}\n{b}") == f"{fold(a)}\n{fold(b)}"


@pytest.mark.parametrize("options", [StoryOptions(), StoryOptions(language="en", max_terms=20)])
def test_story_features_are_the_same_without_the_kernels(
    options: StoryOptions, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = _real_articles()
    compiled = [story_features(a, options) for a in articles]
    _all_twins(monkeypatch)
    pure = [story_features(a, options) for a in articles]
    assert pure == compiled
    assert sum(len(f.entities) for f in compiled) > 1000  # names, numbers, dates all found
    assert sum(len(f.numbers) + len(f.dates) for f in compiled) > 100


# Integer settings too: the weight is combined by Python's operators from the options' numbers.
SETTINGS = [StoryOptions(), StoryOptions(idf_ceiling=6, idf_floor_zipf=2, idf_power=2)]


def _both(options: StoryOptions) -> tuple[features._WordWeights, features._WordWeights]:
    """The twin and the compiled word weights (sharing their memos, as they do in use)."""
    return features._WeightsPy(LANGUAGES, options), features._weights_compiled(LANGUAGES, options)


def _texts() -> st.SearchStrategy[str]:
    characters = st.text(alphabet=ALPHABET, max_size=80)
    phrases = st.lists(st.sampled_from(WORDS + [" ", ". ", ", "]), max_size=25).map(" ".join)
    return st.one_of(characters, phrases, st.tuples(phrases, characters).map("".join))


@settings(max_examples=300, deadline=None)
@given(_texts(), _texts(), _texts(), st.sampled_from(SETTINGS))
def test_terms_and_entities_match(title: str, lead: str, body: str, options: StoryOptions) -> None:
    # The whole text path: the title, a standfirst and a body, each folded once by the kernels.
    twin, compiled = _both(options)
    expected = features._terms_and_entities_py(title, lead, body, twin, options)
    assert features._terms_and_entities_compiled(title, lead, body, compiled, options) == expected


@settings(max_examples=400, deadline=None)
@given(
    _texts(),
    _texts(),
    st.integers(0, 3),
    st.sampled_from([0, 1, 3, 300]),
    st.sampled_from(SETTINGS),
)
def test_term_weights_match(
    title: str, text: str, repeat: int, half: int, options: StoryOptions
) -> None:
    twin, compiled = _both(options)
    expected = features._term_weights_py(title, text, repeat, half, twin)
    found = features._term_weights_compiled(title, text, repeat, half, compiled)
    assert list(found.items()) == list(expected.items())
    for keep in (1, 5, 150):
        assert features._term_features_compiled(
            title, text, repeat, half, compiled, keep
        ) == features._normalised_py(expected, keep)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # One term in texts of every storage width (1, 2 and 4 bytes a character): the kernel
        # compares code points across them.
        ("Putin meets Kim", "Putin \u041f\u0443\u0442\u0438\u043d Kim putin \U0001f600 kim's"),
        ("\U0001f600 Putin", "putin PUTIN Stra\u00dfe strasse \u0130stanbul"),
        # Characters of the unspaced ranges that are not word characters (kana marks, the
        # middle dot) leave the text on the fast path, where "9\u0bf0" has a letter ([^\W\d_])
        # though no alphabetic character; a Thai vowel sign splits a Thai token.
        ("\u30fb", "9\u0bf0 \u1372\u1372 \u30a0 ab \u30fb"),
        ("", "\u0e01\u0e31\u0e01 9\u0bf0 \u4f1a\u1372\u1372\u4f1a"),
        # Longer than the share table (20,000 terms) and than the first sizes of the kernel's
        # term table: every growth path.
        ("", " ".join(f"w{i % 3000}x" for i in range(25_000))),
    ],
)
def test_term_weights_match_across_widths_and_lengths(title: str, text: str) -> None:
    twin, compiled = _both(StoryOptions())
    expected = features._term_weights_py(title, text, 2, 300, twin)
    assert list(features._term_weights_compiled(title, text, 2, 300, compiled).items()) == list(
        expected.items()
    )
    assert features._term_features_compiled(title, text, 2, 300, compiled, 150) == (
        features._normalised_py(expected, 150)
    )


# Unspaced scripts (CJK, kana, Hangul, Thai) mixed with spaced words: their characters count
# alone and as bigrams. Kana marks and the middle dot are in the ranges but are not word
# characters, nor are Thai vowel signs (combining marks).
_UNSPACED_ALPHABET = (
    "\u4e60\u8fd1\u5e73\u4f1a\u3042\u30a2\u30fc\u30fb\u309b\uac00\u0e01\u0e31\u0e46"
    "\u3002 'a-9xZ\u00e9\u0416\u00b2\u0bf0\u30a0_"
)


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=_UNSPACED_ALPHABET, max_size=40),
    st.text(alphabet=_UNSPACED_ALPHABET, max_size=80),
    st.sampled_from([0, 300]),
)
def test_term_weights_match_in_unspaced_scripts(title: str, text: str, half: int) -> None:
    twin, compiled = _both(StoryOptions())
    expected = features._term_weights_py(title, text, 2, half, twin)
    found = features._term_weights_compiled(title, text, 2, half, compiled)
    assert list(found.items()) == list(expected.items())


@settings(max_examples=400, deadline=None)
@given(st.lists(_texts(), min_size=1, max_size=3), st.sampled_from(SETTINGS))
def test_entity_features_of_texts_match(texts: list[str], options: StoryOptions) -> None:
    # The one-kernel path: ASCII texts read lower-cased in place, the others token by token,
    # all counted in one table (one name in an ASCII title and a non-ASCII body is one entry).
    twin, compiled = _both(options)
    expected = features._entity_features_py(features._entity_counts_py(texts, twin), twin, 7)
    found = features._entity_features_compiled([fold(t) for t in texts], compiled, 7)
    assert found == expected


def test_entity_features_of_texts_of_both_kinds() -> None:
    twin, compiled = _both(StoryOptions())
    texts = [
        "Putin's Kremlin met KIM. The Bank of England said 2019 11 A1",
        "\u00c9lys\u00e9e: Putin and Kim met; STRA\u00dfE and Stra\u00dfe. Kremlin's staff.",
        "PUTIN Kim Putin's \u0130stanbul \u041f\u0443\u0442\u0438\u043d",
    ]
    expected = features._entity_features_py(features._entity_counts_py(texts, twin), twin, 150)
    found = features._entity_features_compiled([fold(t) for t in texts], compiled, 150)
    assert found == expected
    assert {"putin", "kim", "kremlin", "england"} <= {term for term, _ in expected}


def test_entity_features_match_on_real_articles() -> None:
    twin, compiled = _both(StoryOptions())
    for article in _real_articles():
        texts = [article.title or "", *article.paragraphs]
        counts = features._entity_counts_py(texts, twin)
        assert features._entity_features_compiled([fold(t) for t in texts], compiled, 150) == (
            features._entity_features_py(counts, twin, 150)
        )


def test_entity_counts_follow_the_sentence_rules() -> None:
    # A common opening word is dropped from its span ("The", "Bank"); a connector joins two
    # names but is not a name; an all-capital lead-in longer than five letters is not a name;
    # the possessive "'s" is cut.
    text = "The White House said. Bank of England staff met Kim's team. NORTHERN ALLIANCE left."
    twin, compiled = _both(StoryOptions())
    counts = features._entity_counts_py([text], twin)
    assert {"white", "house", "england", "kim"} <= set(counts)
    assert not {"the", "bank", "of", "northern", "alliance", "kim's"} & set(counts)
    found = features._entity_features_compiled([fold(text)], compiled, 150)
    assert found == features._entity_features_py(counts, twin, 150)
    assert {term for term, _ in found} == set(counts)


@settings(max_examples=400, deadline=None)
@given(_texts())
def test_sentence_bounds_give_the_sentences(value: str) -> None:
    # The entity kernel reads sentences as offsets: their pieces are the sentences, and no
    # token crosses from one piece to the next (the kernel tokenises the whole text once).
    stripped = fold(value).strip()
    bounds = _text.sentence_bounds(stripped, text._ABBREVIATIONS)
    pieces = [stripped[a:b] for a, b in zip(bounds[::2], bounds[1::2])]
    assert [p.strip() for p in pieces if p.strip()] == sentences(fold(value))
    gaps = [stripped[b:a] for b, a in zip(bounds[1:-1:2], bounds[2::2])]
    assert all(not gap.strip() for gap in gaps)  # the pieces cover the text but whitespace
    assert bounds[0] == 0 and bounds[-1] == len(stripped)
    tokens = [t for piece in pieces for t in _text.word_tokens(piece, True)]
    assert tokens == _text.word_tokens(stripped, True)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(WORDS + ["1", "22", "٣٣", "x"]), st.integers(1, 9)))
def test_entity_weights_match(counts: dict[str, int]) -> None:
    for options in SETTINGS:
        twin, compiled = _both(options)
        expected = features._entity_weights_py(counts, twin)
        assert list(_features.entity_weights(counts, compiled).items()) == list(expected.items())
        for keep in (1, 3, 150):
            assert _features.normalised(_features.entity_weights(counts, compiled), keep) == (
                features._normalised_py(expected, keep)
            )


# Words in and out of the tables, compounds of known and unknown parts, stray joiners.
ZIPF_WORDS = [
    "the",
    "putin",
    "vladivostok",
    "kim's",
    "face-to-face",
    "xqzvbnw",
    "'",
    "--",
    "a-",
    "-b",
    "x'y-z",
    "rock-xqzv",
    "l'homme",
    "\u666e\u4eac",
    "",
]


@pytest.mark.parametrize(
    "languages", [("en",), ("fr",), features.languages_of(None, StoryOptions())]
)
def test_zipf_and_weights_match(languages: tuple[str, ...]) -> None:
    tables = features._tables(languages)
    for word in ZIPF_WORDS + [w.casefold() for w in WORDS]:
        assert _features.zipf_of_tables(word, tables) == features._zipf_py(word, tables)
        for options in SETTINGS:
            features._weight_memo.cache_clear()
            features.zipf.cache_clear()
            expected = features.term_weight(word, languages, options)
            features._weight_memo.cache_clear()
            features.zipf.cache_clear()
            compiled = features._weights_compiled(languages, options)
            assert compiled.term_weight(word) == expected
            assert compiled.zipf(word) == features.zipf(word, languages)
            assert compiled.term_weight(word) == expected  # now from the memo


def test_memos_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Bounds of 3 words clear the memos again and again inside one article: same features.
    article = _real_articles()[0]
    expected = story_features(article)
    monkeypatch.setattr(features, "_WEIGHT_MEMO_SIZE", 3)
    monkeypatch.setattr(features, "_ZIPF_MEMO_SIZE", 3)
    features._weight_memo.cache_clear()
    features.zipf.cache_clear()
    assert story_features(article) == expected
    assert len(features._zipf_memo(features.languages_of(None, StoryOptions()))) <= 4


_NUMBER_ALPHABET = "0123456789129 ,.,.\u00a0-_aZ\u0663\u0661\u00b2\uff11\n"


# Numbers as written: digit runs of one to five digits (any decimal system) joined by the
# separators the rules know, between letters, signs and spaces.
_numeric = st.lists(
    st.tuples(
        st.text(alphabet="0123456789\u0663", min_size=1, max_size=5),
        st.sampled_from([",", ".", " ", "\u00a0", "", "-", "a", "_", "\n"]),
    ),
    max_size=8,
).map(lambda parts: "".join(digits + separator for digits, separator in parts))


@settings(max_examples=1500, deadline=None)
@given(
    st.one_of(
        st.text(alphabet=_NUMBER_ALPHABET, max_size=60),
        _numeric,
        st.lists(st.one_of(_numeric, st.sampled_from(WORDS + ["x2020-01-01", "3.5%"]))).map(
            " ".join
        ),
    )
)
def test_numbers_and_dates_match(text: str) -> None:
    assert _features.numbers_and_dates(text) == features._numbers_and_dates_py(text)


def test_numbers_and_dates_match_on_real_articles() -> None:
    for article in _real_articles():
        text = "\n".join([article.title or "", *article.paragraphs])
        assert _features.numbers_and_dates(text) == features._numbers_and_dates_py(text)


_weights = st.dictionaries(
    st.text(alphabet="abcAB\u00e9\u6f22", min_size=1, max_size=3),
    st.one_of(
        st.floats(-1.0, 1e3, allow_nan=False),
        st.sampled_from([0.0, 0.5, 1.0, 2.0, 1e-7, 3.0]),  # ties, broken by the term
    ),
    max_size=30,
)


@settings(max_examples=400, deadline=None)
@given(_weights, st.integers(1, 40))
def test_normalised_matches(weights: dict[str, float], keep: int) -> None:
    found = _features.normalised(weights, keep)
    assert found == features._normalised_py(weights, keep)
    for term, _ in found:
        assert term is sys.intern(term)


def _near_halves(rng: random.Random) -> list[float]:
    """Values next to and on the halves of the sixth decimal, where rounding is delicate."""
    out: list[float] = []
    for _ in range(2000):
        half = (rng.randrange(0, 1_000_000) + 0.5) / 1e6
        out += [half, math.nextafter(half, 0.0), math.nextafter(half, 1.0)]
    return out


@pytest.mark.parametrize("source", ["uniform", "halves", "small"])
def test_rounding_is_pythons(source: str) -> None:
    rng = random.Random(source)
    draw: Callable[[], list[float]] = {
        "uniform": lambda: [rng.random() for _ in range(20000)],
        "halves": lambda: _near_halves(rng),
        "small": lambda: [rng.random() * 1e-5 for _ in range(20000)] + [0.0, 1.0, 5e-7],
    }[source]
    for value in draw():
        assert _features.round_weight(value) == round(value, 6), value


# The compiled weights' own memo: words found by their code points, whatever the width of the
# text they are read from; weights computed in C when the settings are floats.

_SETTING_NUMBERS = st.one_of(
    st.floats(-2.0, 12.0, allow_nan=False),
    st.integers(-2, 12),
    st.sampled_from([0.0, 1.0, 7.0, 1.5, 0.5, 2.0, 1e-9, 300.0, float("inf")]),
)


def _python_weight(zipf: float, ceiling: float, floor: float, power: float) -> float:
    """The twin's formula (``term_weight``), on a zipf already computed."""
    return float(max(0.0, ceiling - max(zipf, floor)) ** power)


@settings(max_examples=400, deadline=None)
@given(_SETTING_NUMBERS, _SETTING_NUMBERS, _SETTING_NUMBERS)
def test_weights_follow_pythons_operators(ceiling: float, floor: float, power: float) -> None:
    # Floats with a positive finite power take the C arithmetic; anything else Python's: both
    # give the twin's float, or raise as it raises (0.0 to a negative power, an overflow).
    tables = features._tables(LANGUAGES)
    weights = _features.Weights(LANGUAGES, tables, ceiling, floor, power, 1 << 10, {}, 1 << 10)
    for word in ZIPF_WORDS + ["said", "police", "vladivostok", "1.0"]:
        zipf = features._zipf_py(word, tables)
        try:
            expected: float | type[Exception] = _python_weight(zipf, ceiling, floor, power)
        except (ZeroDivisionError, OverflowError) as exc:
            expected = type(exc)
        if isinstance(expected, float):
            assert weights.term_weight(word) == expected or (
                math.isnan(expected) and math.isnan(weights.term_weight(word))
            )
        else:
            with pytest.raises(expected):
                weights.term_weight(word)
        assert weights.zipf(word) == zipf


def _kernel_weights() -> Any:
    """The compiled weights of the default options (the kernel's ``Weights``, with its memo)."""
    weights = features._weights_compiled(LANGUAGES, StoryOptions())
    assert isinstance(weights, _features.Weights)
    return weights


def test_the_memo_spans_text_widths_and_returns_interned_terms() -> None:
    # "putin" read from a one-, two- and four-byte text, a CJK bigram counted from its two code
    # points and the same word looked up as a str: one memo entry each, the same interned str.
    features._weight_memo.cache_clear()
    weights = _kernel_weights()
    texts = ["putin kim", "putin \u0436 kim", "putin \U0001f600 kim", "\u666e\u4eac putin"]
    found = [dict(_features.term_features("", text, 0, 0, weights, 150)) for text in texts]
    terms = [next(term for term in f if term == "putin") for f in found]
    assert all(term is sys.intern("putin") for term in terms)
    # putin, kim, and the CJK characters alone and as a bigram ("\u0436" is a single letter,
    # the emoji no word character: neither is a term).
    assert len(weights) == 5
    bigram = next(term for term in found[3] if len(term) == 2)
    assert bigram == "\u666e\u4eac" and bigram is sys.intern("\u666e\u4eac")
    assert weights.term_weight("\u666e\u4eac") == features.term_weight(
        "\u666e\u4eac", LANGUAGES, StoryOptions()
    )
    assert len(weights) == 5
    # ``zipf``'s own memo learnt the words the kernel weighed (the stories index asks it).
    assert "kim" in features._zipf_memo(LANGUAGES)


def test_clearing_the_memos_clears_the_kernels_memo() -> None:
    weights = _kernel_weights()
    weights.term_weight("vladivostok")
    assert len(weights) >= 1
    features._weight_memo.cache_clear()
    assert _kernel_weights() is not weights
    assert len(_kernel_weights()) == 0
    fresh = _kernel_weights()
    features.zipf.cache_clear()
    assert _kernel_weights() is not fresh


def test_the_memo_restarts_between_calls_only() -> None:
    # A bound of 2 words: every call starts on an emptied memo (never emptied inside one, where
    # the ranking borrows its strs), with the same features as an unbounded memo.
    tables = features._tables(LANGUAGES)
    small = _features.Weights(LANGUAGES, tables, 7.0, 1.5, 1.0, 2, {}, 1 << 10)
    large = _features.Weights(LANGUAGES, tables, 7.0, 1.5, 1.0, 1 << 20, {}, 1 << 10)
    for article in _real_articles()[:20]:
        body = fold("\n".join(article.paragraphs)).casefold()
        title = fold(article.title or "").casefold()
        expected = _features.term_features(title, body, 2, 300, large, 150)
        assert _features.term_features(title, body, 2, 300, small, 150) == expected
        assert len(small) > 2  # it grew past its bound inside the call
        folded = fold("\n".join(article.paragraphs)).strip()
        if folded:
            texts, bounds = [folded], [_text.sentence_bounds(folded, text._ABBREVIATIONS)]
            assert _features.entity_features_of(
                texts, bounds, small, features._CONNECTORS, 4.5, 150
            ) == _features.entity_features_of(texts, bounds, large, features._CONNECTORS, 4.5, 150)


# Words before a period, as the abbreviation rule reads them: quotes and parentheses around,
# capitals, letters outside ASCII (casefold changes "ß" and "İ"), initials.
_PERIOD_WORDS = [
    "Mr.",
    "(Mr.",
    '"Dr.',
    "'U.S.'",
    "ST.",
    "Jan.",
    "A.",
    "(a.",
    "\u00e9.",
    "\u00df.",
    "\u0130.",
    "Stra\u00dfe.",
    "\u201cMr.",
    "\u2018e.",
    "said.",
    "(said).",
    "((",
    "The",
    "he",
    "\u00c9lys\u00e9e",
    "Putin!",
    "what?",
    "\u3002",
]


@settings(max_examples=600, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_PERIOD_WORDS), st.sampled_from([" ", "  ", "\n", ""])),
        max_size=14,
    ).map(lambda parts: "".join(word + gap for word, gap in parts))
)
def test_sentences_after_abbreviations_match(value: str) -> None:
    stripped = value.strip()
    if not stripped:
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text, "_split_sentences", None)
        expected = text.sentences(stripped)
    assert text.sentences(stripped) == expected


@pytest.mark.parametrize(
    "value",
    [
        # One-byte texts (Latin-1: superscripts are digits but not decimals), two- and four-byte
        # texts (Arabic-Indic and fullwidth digits are decimals).
        "\u00b2 12 \u00b3\u00b9 1999 2019-04-25 \u00e9 4,5 1\u00a0200",
        "\u0663\u0663 12 \u0416 2019-04-25 \u00b2 1,200.5",
        "\U0001f600 \uff11\uff12 2020-01-01x 7 000 12",
        "",
        "no digits here",
        "1",
    ],
)
def test_numbers_and_dates_match_in_every_width(value: str) -> None:
    assert _features.numbers_and_dates(value) == features._numbers_and_dates_py(value)

"""The compiled line reader (``clean/_lines.pyx``) gives the answers of its pure-Python twin.

``lines`` runs the compiled kernel when it imports (``clean.compiled``) and the twin
otherwise; both must give identical lines, features and classes. They are compared on every
line of the real pages under ``tests/fixtures`` (and of the shared benchmark pages when they
are there), on lines built from the words, marks and scripts the rules read, and on arbitrary
Unicode text.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.clean import article, compiled, lines, metadata, runs, vocabulary

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "zyte-text"

kernel = pytest.importorskip("newsfold.clean._lines")


def _pages() -> list[str]:
    paths = sorted((FIXTURES / "clean").rglob("*.txt")) + sorted((FIXTURES / "seeds").glob("*.txt"))
    if SHARED.is_dir():
        paths += sorted(SHARED.glob("*.txt"))
    return [path.read_text(encoding="utf-8") for path in paths]


PAGES = _pages()
PAGE_LINES = sorted({s for page in PAGES for raw in page.split("\n") if (s := raw.strip())})

# Pieces of lines: what the rules read (chrome words and phrases, calls to action, stamps,
# bylines, credits, bullets, sentence ends, scripts, characters whose case or class is odd).
_PIECES = sorted(
    set(vocabulary.CHROME_PHRASES)
    | set(vocabulary.CJK_CHROME)
    | set(sorted(vocabulary.STRONG_WORDS)[:10])
    | set(sorted(vocabulary.WEAK_WORDS)[:10])
    | set(vocabulary.CALL_TO_ACTION_FIRST_WORDS)
    | set(sorted(vocabulary.HEADING_FIRST_WORDS)[:10])
    | {
        "By", "Von", "Jane", "Doe", "said", "the", "minister", "Reuters", "(AFP)", "AP",
        "November", "18,", "2019", "12:30", "3.", "1)", "1 of 4", "ago", "vor", "il y a",
        "hace", "h\u00e1", "\u043d\u0430\u0437\u0430\u0434", "\u524d", "\u0663", "photo:",
        "Photo", "(Photo", "image", "foto", "Bild", "\u0444\u043e\u0442\u043e", "cookie",
        "gdpr", "\u043a\u0443\u043a\u0438", "\ucfe0\ud0a4", "\u30af\u30c3\u30ad\u30fc",
        "Credit:", "\u00a9", "Related", "Read more", "12 Comments", "About", "About the author",
        "Subscribe", "sign up", "don't miss", "siga-nos", "see also:", "\u2022", "-", "*",
        "\u00b7", ".", "..", "...", "\u2026", ":", "?", "!", ",", ";", "(", ")", "[", "]", "|",
        "/", "(@", "\u2019", "\u201c", "\u201d", "\u00bb", "\u3002", "\u00a0", "  ", "\t",
        "\u2003", "\u200b", "\ufeff", "pr\u00e9sident", "\u00fcber", "\u65b0\u95fb",
        "\u8bc4\u8bba", "\u30b3\u30e1\u30f3\u30c8", "\u212a", "\u017f", "\u0130", "\u0131",
        "_", "x2", "\u00bd", "\u00b2", "\U0001f600", "\u0915\u093e", "19:45", "1:05", "2:3",
        "201", "x2019x", "2000s", "via getty", "via AP", "Source:", "Quelle :", "cr\u00e9dits:",
        "(bild", "(foto)", "Pictured:", "\u0661\u0669:\u0664\u0665", "12:305",
    }
)  # fmt: skip
_SEPARATORS = st.sampled_from(["", " ", " ", " ", "\u00a0"])
_LINE = st.lists(st.tuples(st.sampled_from(_PIECES), _SEPARATORS), min_size=1, max_size=30).map(
    lambda parts: "".join(piece + sep for piece, sep in parts).strip()
)


def _check(s: str) -> None:
    for max_chars in (2000, 80):
        assert kernel.line_features(s, max_chars) == lines._line_features_py(s, max_chars), s
    lowered = s.lower()
    for words in (1, 5, 8, 12, 20, 30, 45, 130):
        for terminal in (False, True):
            assert kernel.classify(s, lowered, words, terminal) == lines._classify(
                s, lowered, words, terminal
            ), (s, words, terminal)
    assert kernel.count_words(s) == lines.count_words(s), s


def test_the_compiled_kernel_imports_and_is_used() -> None:
    # CI machines have a C compiler: the kernel must be built and in use there.
    assert compiled.compiled()
    kernel._bind()  # checks the classes and character sets against lines.py
    assert lines.read_lines is kernel.read_lines
    assert lines._line_features is kernel.line_features


def test_the_kernels_character_sets_are_the_twins() -> None:
    # The sets _bind does not check: the harmless marks (a regex class in lines.py) and the
    # marks read for photo credits and consent prompts.
    harmless = {c for c in map(chr, range(0x10000)) if lines._HARMLESS.fullmatch(c)}
    assert set(kernel.HARMLESS_CHARS) == harmless
    # Each mark the kernel searches makes the twin's test true, and none does cut short.
    assert set(kernel.PHOTO_MARKS) == {"photo", "image", "foto", "bild", "\u0444\u043e\u0442\u043e"}
    assert set(kernel.CONSENT_MARKS) == {
        "cookie", "gdpr", "dsgvo", "rgpd", "\u043a\u0443\u043a\u0438", "\ucfe0\ud0a4",
        "\u30af\u30c3\u30ad\u30fc",
    }  # fmt: skip
    for word in kernel.PHOTO_MARKS:
        assert vocabulary.may_credit_photo(f"x {word} x")
        assert not vocabulary.may_credit_photo(f"x {word[:-1]} x")
    for word in kernel.CONSENT_MARKS:
        assert vocabulary.has_consent_word(f"x {word} x")
        assert not vocabulary.has_consent_word(f"x {word[:-1]} x")
    for s in ("x dsgvo x", "rgpd", "x \u30af\u30c3\u30ad\u30fc x", "photograph", "bildung"):
        _check(s)


def test_an_empty_line_raises_as_in_the_twin() -> None:
    for fn in (lines._line_features_py, kernel.line_features):
        with pytest.raises(IndexError):
            fn("", 2000)
    with pytest.raises(IndexError):
        kernel.classify("", "", 0, False)


def test_features_are_the_twins_on_every_real_line() -> None:
    for s in PAGE_LINES:
        _check(s)


@settings(max_examples=500, deadline=None)
@given(_LINE)
def test_features_are_the_twins_on_built_lines(s: str) -> None:
    if s:
        _check(s)
        _check("\u2022 " + s)


@settings(max_examples=300, deadline=None)
@given(st.text(min_size=1, max_size=60).map(str.strip))
def test_features_are_the_twins_on_any_text(s: str) -> None:
    if s:
        _check(s)


def test_read_lines_is_the_twins_on_real_pages() -> None:
    for page in PAGES:
        for max_lines in (20_000, 7):
            lines._short_features.cache_clear()
            compiled_lines = kernel.read_lines(page, max_lines=max_lines, max_line_chars=2000)
            twin = lines._read_lines_py(page, max_lines=max_lines, max_line_chars=2000)
            assert compiled_lines == twin
            # Same types too (a bool is not an int in the article's repr).
            assert [tuple(map(type, line)) for line in compiled_lines] == [
                tuple(map(type, line)) for line in twin
            ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_LINE | st.sampled_from(["", " ", "\u200b", "\u200b \u2022 Share", "\r"]), max_size=25)
)
def test_read_lines_is_the_twins_on_built_pages(page: list[str]) -> None:
    text = "\n".join(page)
    assert kernel.read_lines(text, max_lines=20_000, max_line_chars=2000) == (
        lines._read_lines_py(text, max_lines=20_000, max_line_chars=2000)
    )


def test_call_to_action_opens_with_one_of_its_first_words() -> None:
    # The kernel runs CALL_TO_ACTION only on lines opening with one of these words: every
    # alternative of the pattern, written out, must open with one.
    alternatives = [
        "subscribe", "sign up", "join us", "join our", "follow us", "follow him", "follow her",
        "follow them", "click", "download", "register", "get breaking", "get the latest",
        "get our", "get more", "get your free", "don't miss", "related:", "see also:",
        "read more:", "read also:", "read next:", "also read:", "watch:", "listen:",
        "abonnieren", "abonnez", "inscrivez", "suivez", "folgen sie", "melden sie sich",
        "suscribete", "suscr\u00edbete", "siguenos", "s\u00edguenos", "iscriviti", "seguici",
        "assine", "siga-nos", "\u043f\u043e\u0434\u043f\u0438\u0448\u0438\u0442\u0435\u0441\u044c",
        "\u043f\u043e\u0434\u043f\u0438\u0441\u044b\u0432\u0430\u0439\u0442\u0435\u0441\u044c",
        "\u0447\u0438\u0442\u0430\u0439\u0442\u0435",
    ]  # fmt: skip
    first_word = re.compile(r"\W*(\w*)")
    for alternative in alternatives:
        for line in (alternative, f"\u2022 {alternative} now", f"\u00bb{alternative}"):
            assert vocabulary.CALL_TO_ACTION.match(line), line
            match = first_word.match(line)
            assert match and match.group(1) in vocabulary.CALL_TO_ACTION_FIRST_WORDS, line
    for s in PAGE_LINES:
        lowered = s.lower()
        if vocabulary.CALL_TO_ACTION.match(lowered):
            match = first_word.match(lowered)
            assert match and match.group(1) in vocabulary.CALL_TO_ACTION_FIRST_WORDS, s


def test_credit_and_byline_readers_still_agree() -> None:
    # The kernel calls the metadata readers as the twin does; a smoke check that both paths
    # see the same stamps on real byline and date lines.
    for s in (
        "By Jane Doe | November 18, 2019 at 2:26 PM",
        "Jane on September 12, 2018 at 4:47 pm said:",
    ):
        assert kernel.line_features(s, 2000) == lines._line_features_py(s, 2000)
        assert lines._line_features_py(s, 2000)[1] == lines.STAMP
    assert metadata.parse_byline("By Jane Doe") == "Jane Doe"


def _reference_parse_date(text: str) -> str | None:
    """parse_date searching every pattern on every line (no year or separator shortcut)."""
    head = text[:300]
    best: tuple[int, str] | None = None
    for pattern, order, _year, _mark in metadata._DATE_PATTERNS:
        match = pattern.search(head)
        if not match:
            continue
        groups = match.groups()
        if order == "ymd":
            iso = metadata._valid(int(groups[0]), int(groups[1]), int(groups[2]))
        elif order == "dmy":
            iso = metadata._valid(
                int(groups[2]), metadata._MONTHS[groups[1].casefold()], int(groups[0])
            )
        elif order == "mdy":
            iso = metadata._valid(
                int(groups[2]), metadata._MONTHS[groups[0].casefold()], int(groups[1])
            )
        else:
            iso = metadata._valid(int(groups[2]), int(groups[1]), int(groups[0]))
        if iso and (best is None or match.start() < best[0]):
            best = (match.start(), iso)
    return best[1] if best else None


_DATE_PIECES = st.sampled_from(
    [
        "2019", "1999", "2020", "19", "20", "11", "3", "03", "-", "/", ".", ". ", "\u5e74", "\u6708",
        "\u65e5", "November", "nov.", "de", "M\u00e4rz", "\u017feptember", "Okt", "\u212aw", "18th",
        ",", " ", "at", "12:30", "\u0663",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_DATE_PIECES, max_size=12).map("".join))
def test_date_shortcut_never_misses_a_date(text: str) -> None:
    assert metadata.parse_date(text) == _reference_parse_date(text)


def test_date_shortcut_on_every_real_line() -> None:
    for s in PAGE_LINES:
        assert metadata.parse_date(s) == _reference_parse_date(s), s


# --- the page-level twins: metadata, headline candidates, run search ---------------------------


def _check_credit(s: str) -> None:
    assert kernel.credit_line(s) == metadata.credit_line_py(s), s
    text = s.strip()
    # Neither shortcut (the kernel's, or the twin's that the fallback uses) turns a credit down.
    if not kernel.may_be_credit(text) or not metadata._may_be_credit_py(text):
        assert not metadata._CREDIT_LINE.match(text), s
        assert not metadata._REPORTING_LINE.match(text), s


_CREDIT_PIECES = st.sampled_from(
    [
        *metadata._WIRES, "Reuter\u017f", "D\u0130A", "Interfa", "\u00a9", "(c)", "Copyright",
        "Includes reporting by", "Reporting by", "REPORTING", "Editing by", "with", "mit",
        "Quelle:", "\u0441", "\u043c", "2019", "\u0662\u0660\u0661\u0669", "12019", " ", "  ",
        "\u00a0", "\u3000", ".", ")", "(", "\u00bb", "\u2020", "/", ",", "and", "Jane Doe", ";",
    ]
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(_CREDIT_PIECES, max_size=8).map("".join) | _LINE | st.text(max_size=40))
def test_credit_readers_are_the_twins(s: str) -> None:
    _check_credit(s)
    _check_credit(f"  {s} AFP 2019 ")
    _check_credit(f"\u00bb{s} (Reuters)")


def test_credit_readers_are_the_twins_on_real_lines() -> None:
    for s in PAGE_LINES:
        _check_credit(s)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | _LINE)
def test_fold_accents_is_the_twins(s: str) -> None:
    assert kernel.fold_accents(s) == metadata.fold_accents_py(s)


def _slugs(page: str) -> list[frozenset[str]]:
    words = page.split()
    return [
        frozenset(),
        metadata.url_words("https://x.com/" + "-".join(words[:12])),
        metadata.url_words("https://x.com/" + "-".join(words[40:52])),
        frozenset({"related", "stories", "news", "share", "the"}),
    ]


def _check_page(page: str) -> None:
    read = lines._read_lines_py(page, max_lines=20_000, max_line_chars=2000)
    assert kernel.first_header_line(read) == article._first_header_line_py(read)
    for slug in _slugs(page):
        assert kernel.slug_overlaps(read, slug) == article._slug_overlaps_py(read, slug)
    for anchor in (-1, 0, len(read) // 3, len(read) - 1, len(read)):
        weights = kernel.run_weights(read, anchor)
        assert weights == runs._weights_py(read, anchor)
        assert kernel.best_segment(weights) == runs._best_segment_py(weights)
    for start, end in ((0, len(read) - 1), (len(read) // 4, len(read) // 2 - 1), (3, 2)):
        assert kernel.kept_lines(read, start, end) == runs._kept_py(read, start, end)
    with pytest.raises(IndexError):  # as the twin; never a read past the list
        kernel.kept_lines(read, 0, len(read))


def test_page_twins_on_real_pages() -> None:
    for page in PAGES:
        _check_page(page)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE | st.sampled_from(["", "Share", "12 Comments", "\u2022 Home"]), max_size=30))
def test_page_twins_on_built_pages(page: list[str]) -> None:
    _check_page("\n".join(page))


def _reference_parse_byline(line: str) -> str | None:
    """parse_byline without its first-character shortcut."""
    text = line.strip()
    if len(text) > 90 or text.endswith((".", "!", "?", "\u3002")):
        return None
    match = metadata._BYLINE.match(text)
    if not match:
        return None
    name = metadata._BYLINE_END.split(match.group(1), 1)[0].strip(" ,|\u2022-\u2013\u2014")
    if not name or len(name.split()) > 10:
        return None
    return name


_BYLINE_PIECES = st.sampled_from(
    [
        "By", "by", "BY", "Von", "par", "Por", "di", "d\u0131", "D\u0130", "door", "af", "av",
        "przez", "\u0430\u0432\u0442\u043e\u0440", "\u0410\u0432\u0442\u043e\u0440:",
        "\u1c80", "\u017f", "\u212a", " ", "  ", "\t", "Jane", "Doe", "|", "3 May 2019", ".",
    ]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_BYLINE_PIECES, max_size=8).map("".join))
def test_byline_shortcut_never_misses_a_byline(text: str) -> None:
    assert metadata.parse_byline(text) == _reference_parse_byline(text)


def test_byline_shortcut_on_every_real_line_and_every_first_character() -> None:
    for s in PAGE_LINES:
        assert metadata.parse_byline(s) == _reference_parse_byline(s), s
    # No character outside _BYLINE_FIRST opens a line the pattern matches.
    for code in range(0x3000):
        c = chr(code)
        for word in ("y Jane Doe", "on Jane Doe", "ar Jane Doe", "i Jane Doe", "f Jane Doe"):
            if metadata._BYLINE.match(c + word):
                assert c in metadata._BYLINE_FIRST, hex(code)


_SPACED = st.lists(
    st.sampled_from(
        ["a", "b\u00e9", " ", "  ", "\u00a0", "\t", "\u2009", "\u200b", ".", "\x07", "\U0001f600"]
    ),
    max_size=20,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_SPACED | st.text(max_size=30), max_size=6), st.sampled_from([3, 10, 100_000]))
def test_body_paragraphs_are_the_twins(paragraphs: list[str], max_chars: int) -> None:
    assert kernel.body_paragraphs(paragraphs, max_chars) == article._paragraphs_py(
        paragraphs, max_chars
    )


def test_body_paragraphs_are_the_twins_on_real_lines() -> None:
    assert kernel.body_paragraphs(PAGE_LINES, 100_000) == article._paragraphs_py(
        PAGE_LINES, 100_000
    )


def _spelt_letters(text: str) -> int:
    """The bits (a-z: 0-25, 0-9: 26-35) of the ASCII letters and digits the slug matcher's
    spelling of ``text`` holds."""
    bits = 0
    for ch in metadata.fold_accents_py(text.lower()):
        if "a" <= ch <= "z" or "A" <= ch <= "Z":
            bits |= 1 << (ord(ch.lower()) - 97)
        elif "0" <= ch <= "9":
            bits |= 1 << (ord(ch) - 48 + 26)
    return bits


def test_letters_are_what_each_character_spells() -> None:
    # Exact on the whole Basic Multilingual Plane; past it, a superset (anything).
    for code in range(0x10000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        assert kernel.letters(chr(code)) == _spelt_letters(chr(code)), hex(code)
    for code in range(0x10000, 0x110000, 251):
        spelt = _spelt_letters(chr(code))
        assert kernel.letters(chr(code)) & spelt == spelt, hex(code)


_SLUG_PIECES = [
    "Calend\u00e1rio", "calendario", "\ufb01nal", "final", "\u212aelvin", "kelvin", "\u0130stanbul",
    "istanbul", "we're", "we\u2019re", "were", "Stra\u00dfe", "strasse", "\uff12\uff10\uff12\uff10",
    "2020", "\u017fun", "sun", "Pr\u00e9sident", "president", "\u00c9lys\u00e9e", "News",
    "\u65b0\u95fb", "\u043d\u043e\u0432\u043e\u0441\u0442\u0438", "x", "and", "the", "\u3371",
    "hpa", "\u2168", "ix", "m\u0301exico", "mexico",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_SLUG_PIECES), min_size=1, max_size=12).map(" ".join),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.sampled_from(_SLUG_PIECES), min_size=1, max_size=8),
)
def test_slug_overlaps_skip_only_lines_that_cannot_match(page: list[str], slug: list[str]) -> None:
    # Lines are left out by the letters they may spell; accents, ligatures, compatibility
    # characters and odd cases must never hide a slug word.
    read = lines._read_lines_py("\n".join(page), max_lines=20_000, max_line_chars=2000)
    words = metadata.url_words("https://x.com/" + "-".join(slug))
    assert kernel.slug_overlaps(read, words) == article._slug_overlaps_py(read, words)


_PHOTO_PIECES = st.sampled_from(
    [
        "ap", "afp", "reuters", "epa", "dpa", "file", "staff", " photo", "photo", "graph", ":",
        " credit", "/", "getty images", "shutterstock", ")", "(", "in this ", "in this", "file ",
        "12, ", "3 ", "x ", "foto", "bild", "cr\u00e9dit photo", "\u0444\u043e\u0442\u043e",
        "image:", "image", "x", " ", "  ", "\u00a0", "\t", "_", "9", "\u00e9",
    ]
)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(_PHOTO_PIECES, max_size=16).map("".join) | st.text(max_size=40))
def test_photo_credit_is_the_pattern(s: str) -> None:
    assert kernel.photo_credit(s) == (vocabulary.PHOTO_CREDIT.search(s) is not None), s


@pytest.mark.parametrize(
    "s",
    [
        "reuters photo", "xreuters photo", "a reuters photo.", "staff photo", "afp photos",
        "cr\u00e9dit photo : x", "cr\u00e9dit photo", "in this 2019 file photo", "in this photo",
        "in this undated 12, 3 file photo shows", "by x/getty images)", "x/ap)", "a(photo b",
        "(photos", "photograph: x", "photo credit", "photo/x", "bild :", "\u0444\u043e\u0442\u043e:",
        "image: x", "animage:", "file photo", "profile photo", "photo", "/", "",
    ],
)  # fmt: skip
def test_photo_credit_is_the_pattern_at_its_reach(s: str) -> None:
    for text in (s, "x " + s, s + " x", "photo " + s):
        assert kernel.photo_credit(text) == (vocabulary.PHOTO_CREDIT.search(text) is not None), text


def test_photo_credit_is_the_pattern_on_every_real_line() -> None:
    for line in PAGE_LINES:
        lowered = line.lower()
        assert kernel.photo_credit(lowered) == (vocabulary.PHOTO_CREDIT.search(lowered) is not None)


_AGENCY_PIECES = st.sampled_from(
    ["(", "[", ")", "]", "AFP", "a", "Z", "z", " ", "/", "\t", "\u00a0", "1", ".", "!", "x" * 12]
)


@settings(max_examples=1000, deadline=None)
@given(st.lists(_AGENCY_PIECES, min_size=1, max_size=16).map("".join).map(str.strip))
def test_sentence_end_before_a_trailing_agency_is_the_twins(s: str) -> None:
    if s:
        assert kernel.line_features(s, 2000) == lines._line_features_py(s, 2000), s


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\u00a0\u3000\u2028ab\u4e00\u3042\uac00\u2003\U00020000\U0001f600"))
def test_word_count_is_the_twins_in_every_width(s: str) -> None:
    assert kernel.count_words(s) == lines.count_words_py(s), s

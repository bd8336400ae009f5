"""The clean stage's fast paths give the answers of the slow tests they stand in for.

The line classifier and the metadata readers skip regexes and tokenising when a cheap test
proves them unneeded (a line without a phrase cannot reach three chrome hits, a line without a
wire name at its end is no credit line, ...). Each shortcut is checked here against the plain
computation on lines built from the words, marks and scripts the rules read, and on every
line of the clean fixtures.
"""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.clean import article, lines, metadata, vocabulary
from newsfold.clean.lines import BAD, GOOD, SHORT, Line
from newsfold.clean.metadata import fold_accents, url_words

FIXTURES = Path(__file__).parent / "fixtures"

# Pieces of lines: chrome words and phrases, bylines, dates and times, wires, bullets, marks
# the rules read, accented, curly-quoted and CJK text.
_EXTRA = (
    "By", "by", "Von", "Jane", "Doe", "said", "the", "minister", "Reuters", "AFP", "AP",
    "(AFP)", "dpa", "Agence France-Presse", "Reporting", "reporting by", "Additional",
    "Editing", "November", "18,", "2019", "12:30", "3.", "1)", "ago", "photo:", "Photo",
    "(Photo", "image:", "Credit:", "\u00a9", "(c)", "copyright", "cookie", "Related",
    "Read more", "Comments", "12 Comments", "About", "Subscribe", "\u2022", "-", "*", "\u00b7",
    ".", "..", "\u2026", ":", "?", "!", ",", ";", "(", ")", "[", "]", "|", "/", "\u2019",
    "\u201c", "\u201d", "\u00a0", "  ", "pr\u00e9sident", "Calend\u00e1rio", "\u00fcber",
    "\u0444\u043e\u0442\u043e", "\u65b0\u95fb", "\u8bc4\u8bba", "\u30b3\u30e1\u30f3\u30c8",
    "\u212a", "\u017f", "\u0130", "_", "x2", "\u00bd", "\u0663",
)  # fmt: skip
_PIECES = sorted(
    set(vocabulary.CHROME_PHRASES)
    | set(vocabulary.CJK_CHROME)
    | set(sorted(vocabulary.STRONG_WORDS)[:12])
    | set(sorted(vocabulary.WEAK_WORDS)[:12])
    | set(metadata._WIRES)
    | set(_EXTRA)
)
# Lines at the edges of the shortcuts: three chrome hits without a phrase (strong, weak and a
# caption credit), a 9-word bullet that is a stamp at 8 words, credits by every wire.
_EDGES = [
    "photo: subscribe share",
    "Image: Subscribe to share",
    "(Photo subscribe share via getty)",
    "\u2022 12:30 share the the the the the the",
    "\u2022 12:30 share the the the the the",
    "\u2022 November 18, 2019 share",
    "- 1 of 4 share",
    "1) Read more",
    "\u2003\u2022 Share",
    "\u2003\u2022 12:30 share the the the the the",
    "\u3000- Facebook",
    *(f"Story text {wire}" for wire in metadata._WIRES),
    *(f"\u00a9 {wire} 2019." for wire in metadata._WIRES),
    *(f"(Reporting by Jane Doe; {wire})" for wire in metadata._WIRES),
]
_SEPARATORS = st.sampled_from(["", " ", " ", " "])
_LINE = st.lists(st.tuples(st.sampled_from(_PIECES), _SEPARATORS), min_size=1, max_size=30).map(
    lambda parts: "".join(piece + sep for piece, sep in parts).strip()
)


def _fixture_lines() -> list[str]:
    out = []
    for path in sorted((FIXTURES / "clean").rglob("*.txt")) + sorted(
        (FIXTURES / "seeds").glob("*.txt")
    ):
        for raw in path.read_text(encoding="utf-8").split("\n"):
            s = raw.strip()
            if s:
                out.append(s)
    return sorted(set(out))


FIXTURE_LINES = _fixture_lines()


# --- references: the computations the fast paths replace -------------------------------------


def _reference_credit_line(line: str) -> tuple[bool, str | None]:
    text = line.strip()
    if not text or len(text) > 300:
        return False, None
    match = metadata._CREDIT_LINE.match(text)
    if match:
        return True, metadata._canon_wire(match.group(1))
    if metadata._REPORTING_LINE.match(text):
        return True, None
    return False, None


def _reference_chrome_hits(lowered: str, *, sentence: bool, words: int) -> int:
    window = lowered[:600]
    tokens = set(vocabulary.WORD_RE.findall(window))
    hits = 0
    if not (sentence and words >= 15) and not vocabulary.STRONG_WORDS.isdisjoint(tokens):
        hits += 1
    if not sentence and words <= 10 and not vocabulary.WEAK_WORDS.isdisjoint(tokens):
        hits += 1
    for first in vocabulary.PHRASE_FIRST_WORDS.intersection(tokens):
        hits += sum(1 for phrase in vocabulary.PHRASES_BY_FIRST_WORD[first] if phrase in window)
    if (":" in window or "via " in window or "(" in window) and (
        vocabulary.CAPTION_OR_CREDIT.search(window[:300])
    ):
        hits += 1
    if not window.isascii() and vocabulary.CJK.search(window[:100]):
        hits += sum(1 for word in vocabulary.CJK_CHROME if word in window[:100])
    return hits


def _reference_item(head: str, kind: int) -> bool:
    if kind == BAD:
        again = lines._classify(head, head.lower(), 8, False)[0]
        return bool(vocabulary.BULLET.match(head)) and again not in (BAD, lines._BULLET_BAD)
    if kind != SHORT:
        return False
    return bool(vocabulary.BULLET.match(head)) or (
        "  " in head and bool(lines._TABLE_ROW.search(head))
    )


def _reference_features(s: str, max_line_chars: int = 2000) -> tuple[int, int, bool, bool, bool]:
    """_line_features as it read before its shortcuts (plain test by tokens, item by
    classifying the line again)."""
    head = s if len(s) <= max_line_chars else s[:max_line_chars]
    lowered = head.lower()
    bullet = len(lowered) > 2 and lowered[1] == " " and lowered[0] in lines.BULLET_CHARS
    tokens = lines._HARMLESS.sub(" ", lowered[2:] if bullet else lowered).split()
    if (
        len(tokens) < 25
        and "".join(tokens).isalpha()
        and (not tokens or tokens[0].isascii() or not lines._may_head(lowered, len(tokens)))
        and "  " not in head
        and vocabulary.PLAIN_TRIGGERS.isdisjoint(tokens)
        and (lowered.isascii() or not vocabulary.CJK.search(lowered))
        and not vocabulary.may_credit_photo(lowered)
        and not vocabulary.has_consent_word(lowered)
    ):
        words = lines.count_words(head)
        if bullet:
            return words, BAD if words < 8 else SHORT, False, False, True
        return words, SHORT, False, False, False
    words = lines.count_words(head)
    terminal = lines._ends_sentence(head)
    kind, heading = lines._classify(head, lowered, words, terminal)
    if kind == lines._BULLET_BAD:
        kind = BAD
    item = kind != GOOD and words < 40 and _reference_item(head, kind)
    return words, kind, heading, terminal, item


def _reference_slug_overlap(line: Line, slug: frozenset[str]) -> float:
    if not slug or line.words < 3 or line.words > 30 or line.kind == GOOD:
        return 0.0
    lowered = line.text.lower().replace("'", "").replace("\u2019", "")
    if not lowered.isascii():
        lowered = fold_accents(lowered)
    shared = len(set(article._TOKEN.findall(lowered)) & slug)
    return 0.0 if shared < 2 else shared / len(slug)


# --- the checks -------------------------------------------------------------------------------


def _check_line(s: str) -> None:
    assert lines._line_features(s, 2000) == _reference_features(s), s
    lowered = s.lower()
    if "." in lowered or ":" in lowered or "(" in lowered:
        assert not "".join(lines._HARMLESS.sub(" ", lowered).split()).isalpha(), s
    assert lines._is_bullet(s) == bool(vocabulary.BULLET.match(s)), s
    assert metadata.credit_line(s) == _reference_credit_line(s), s
    for sentence in (False, True):
        for words in (3, 5, 6, 9, 10, 11, 14, 15, 16, 39, 45, 100):
            hits = _reference_chrome_hits(lowered, sentence=sentence, words=words)
            assert vocabulary.chrome_hits(lowered, sentence=sentence, words=words) == hits
            for need in (1, 2, 3, 4):
                reach = vocabulary.chrome_hits_reach(
                    lowered, sentence=sentence, words=words, need=need
                )
                assert reach == (hits >= need), (s, sentence, words, need)


def test_fast_paths_on_fixture_lines() -> None:
    for s in FIXTURE_LINES + _EDGES:
        _check_line(s)


@settings(max_examples=400, deadline=None)
@given(_LINE)
def test_fast_paths_on_built_lines(s: str) -> None:
    if s:
        _check_line(s)
        _check_line("\u2022 " + s)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12), st.sampled_from(["", " "]))
def test_credit_shortcut_never_misses_a_credit(parts: list[str], sep: str) -> None:
    text = sep.join(parts)
    assert metadata.credit_line(text) == _reference_credit_line(text)


def _reference_slug_overlaps(page: list[Line], slug: frozenset[str]) -> dict[int, float]:
    out = {}
    for position, line in enumerate(page):
        overlap = _reference_slug_overlap(line, slug)
        if overlap:
            out[position] = overlap
    return out


_SLUGS = [
    url_words("https://x.com/2019/11/19/putin-kim-summit-vladivostok-talks/"),
    url_words("https://x.com/a/le-pr\u00e9sident-rencontre-kim-jong-un"),
    url_words("https://x.com/news/meth-were-it-south-dakota/42/"),
    url_words("https://x.com/\u03bd\u03ad\u03b1-\u03b1\u03c3\u03c3-\u03c3\u03c3\u03b5"),
    frozenset({"related", "stories", "news", "share"}),
]


def test_slug_overlaps_match_line_by_line_on_fixture_pages() -> None:
    pages = sorted((FIXTURES / "clean").rglob("*.txt"))
    for path in pages:
        text = path.read_text(encoding="utf-8")
        page = lines.read_lines(text, max_lines=20_000, max_line_chars=2000)
        slugs = [*_SLUGS, url_words("https://x.com/" + "-".join(text.split()[:12]))]
        for slug in slugs:
            assert article._slug_overlaps(page, slug) == _reference_slug_overlaps(page, slug)


_TITLE_PIECES = st.sampled_from(
    [
        "Putin", "Kim", "summit", "Vladivostok", "talks", "pr\u00e9sident", "PR\u00c9SIDENT",
        "pre\u0301sident", "Kim's", "Kim\u2019s", "\u039d\u0388\u0391", "\u0391\u03a3\u03a3",
        "\u03a3\u03a3\u0395", "\u2022", "\u00a0", "-", "news", "share", "\ufb01", "\u212a", "x",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(_TITLE_PIECES, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=8)
)
def test_slug_overlaps_match_line_by_line_on_built_pages(texts: list[str]) -> None:
    page = lines.read_lines("\n".join(texts), max_lines=20_000, max_line_chars=2000)
    for slug in _SLUGS:
        assert article._slug_overlaps(page, slug) == _reference_slug_overlaps(page, slug)


def test_spelling_never_makes_a_newline() -> None:
    # What _slug_overlaps relies on to spell all lines at once: no character lower-cases or
    # decomposes into text holding a newline.
    for c in map(chr, range(sys.maxunicode + 1)):
        if c != "\n":
            assert "\n" not in c.lower() and "\n" not in unicodedata.normalize("NFKD", c), c


def _reference_read_lines(text: str) -> list[Line]:
    """read_lines as it read before: classify, then mark alt texts, then gallery captions."""
    out: list[Line] = []
    for index, raw in enumerate(text.split("\n")):
        s = raw.strip()
        if s and (s[0] in lines._INVISIBLE or s[-1] in lines._INVISIBLE):
            s = s.strip(lines._INVISIBLE_OR_SPACE)
        if not s:
            continue
        words, kind, heading, terminal, item = _reference_features(s)
        out.append(Line(index, s, words, kind, heading, terminal, item))
    for i in range(1, len(out)):
        if (
            out[i].text == out[i - 1].text
            and out[i].number == out[i - 1].number + 1
            and out[i - 1].kind != BAD
        ):
            out[i - 1] = out[i - 1]._replace(kind=BAD)
    where: dict[str, list[int]] = {}
    for i, line in enumerate(out):
        if line.kind == GOOD and len(line.text) > lines._CAPTION_MIN_CHARS:
            where.setdefault(line.text.lstrip(lines._BULLET_PREFIX)[:60], []).append(i)
    for positions in where.values():
        for k in range(len(positions) - 2):
            window = positions[k : k + 3]
            if window[-1] - window[0] <= lines._GALLERY_SPAN:
                for i in window:
                    out[i] = out[i]._replace(kind=BAD)
    return out


_CAPTION = (
    "Esper, left, and Lich shake hands in Hanoi during the talks on defence cooperation "
    "between the two countries on Tuesday, officials said."
)
_PAGE_LINES = st.sampled_from(
    [
        _CAPTION,
        _CAPTION + " More.",
        _CAPTION[:104] + ".",
        _CAPTION[:110] + " again.",
        "\u2022 " + _CAPTION,
        "A photo of the two leaders.",
        "A photo of the two leaders.",
        "\u200b",
        "\u200b\u2003\u2022 Share",
        "",
        "Share",
        "12 Comments",
        "By Jane Doe",
        "November 18, 2019",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_PAGE_LINES | _LINE, max_size=25))
def test_read_lines_matches_the_plain_reading(page: list[str]) -> None:
    text = "\n".join(page)
    lines._short_features.cache_clear()
    assert lines.read_lines(text, max_lines=20_000, max_line_chars=2000) == (
        _reference_read_lines(text)
    )


def test_read_lines_matches_the_plain_reading_on_fixture_pages() -> None:
    for path in sorted((FIXTURES / "clean").rglob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert lines.read_lines(text, max_lines=20_000, max_line_chars=2000) == (
            _reference_read_lines(text)
        )


def test_only_the_ascii_space_is_printable_whitespace() -> None:
    # What _single_spaced relies on to leave printable, single-spaced text as it is.
    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    assert [c for c in spaces if c.isprintable()] == [" "]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(["a", "b\u00e9", " ", "  ", "\u00a0", "\t", "\u2009", "\u200b", "."]),
        max_size=20,
    ).map("".join)
)
def test_single_spaced_collapses_like_split(text: str) -> None:
    assert article._single_spaced(text) == " ".join(text.split())


_NOT_TITLE_PIECES = st.sampled_from(
    [
        "\u2022", "*", " ", "  ", "\t", "\u00a0", "1", "12", "123", ":", "30", "305", ".", ")",
        "(", "x", "Jane", "min", "Min", "mins", "/", "|", ">", "\u00bb", "\u203a", "\u00d7",
        "\n", "\u0663", "_", "9:45", "10:05 pm",
    ]
)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(_NOT_TITLE_PIECES, max_size=10).map("".join) | st.text(max_size=30))
def test_not_title_in_two_is_the_whole_pattern(s: str) -> None:
    assert article._not_title(s) == (article._NOT_TITLE.search(s) is not None), s


def test_not_title_in_two_on_fixture_lines() -> None:
    for s in _fixture_lines():
        assert article._not_title(s) == (article._NOT_TITLE.search(s) is not None), s

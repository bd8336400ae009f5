"""Article metadata from text: dateline, wire credit, byline, dates, title choice, language.

Pure functions over strings, shared by the flat-text and the HTML paths. Word lists are
multilingual and short; the patterns lean on form (a capitalised place before a colon at the
very start of the body, an agency name in brackets at the very end) rather than on English.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date
from urllib.parse import unquote

from newsfold.clean import compiled

# News agencies as they appear in credits. Longer names first so the alternation prefers them.
_WIRES = (
    "Agence France-Presse",
    "Agence France Presse",
    "Associated Press",
    "Press Association",
    "Press Trust of India",
    "Asian News International",
    "Europa Press",
    "RIA Novosti",
    "Reuters",
    "Xinhua",
    "Bloomberg",
    "Kyodo",
    "Yonhap",
    "Interfax",
    "Anadolu",
    "Belga",
    "Lusa",
    "ANSA",
    "TASS",
    "IANS",
    "AFP",
    "AAP",
    "ANI",
    "PTI",
    "UNI",
    "EFE",
    "dpa",
    "DPA",
    "APA",
    "ANP",
    "KNA",
    "epd",
    "SDA",
    "AP",
    "PA",
)
# Canonical short names for the long forms.
_WIRE_CANON = {
    "agence france-presse": "AFP",
    "agence france presse": "AFP",
    "associated press": "AP",
    "press association": "PA",
    "press trust of india": "PTI",
    "asian news international": "ANI",
    "dpa": "dpa",
}
_WIRE = "(?:" + "|".join(re.escape(w) for w in _WIRES) + ")"
_WIRE_LIST = rf"{_WIRE}(?:\s*(?:/|,|and|und|et|y|e)\s*{_WIRE})*"

_DASH = r"(?:-{1,2}|\u2013|\u2014|\u2015)"
_DASHES = ("-", "\u2013", "\u2014", "\u2015")  # the characters _DASH needs, one of them
# "... of North Korea. (AFP)" / "... (AFP/dpa)" / "... -- Reuters" / "... \u2014 AP" at the end.
_TRAILING_CREDIT = re.compile(
    rf"\s*(?:\(\s*({_WIRE_LIST})\s*\)|\[\s*({_WIRE_LIST})\s*\]|\s{_DASH}\s*({_WIRE_LIST}))\s*\.?\s*$"
)
# A line that is only a credit: "© AFP 2019", "Includes reporting by \u00a9 AFP 2019",
# "AFP", "(c) Reuters", "Source: dpa", "With AFP", "Mit Material von dpa".
_CREDIT_LINE = re.compile(
    rf"^\W*(?:[\w'\u2019 ]{{0,40}}?\b(?:by|from|par|von|de|with|avec|mit|con|source|quelle|"
    rf"fuente|fonte|sources?)\b[\s:]*)?(?:\u00a9|\(c\)|copyright)?\s*({_WIRE_LIST})"
    rf"(?:\s+\d{{4}})?\W*$",
    re.IGNORECASE,
)
# "(Reporting by Jane Doe; Editing by John Roe)" and its relatives: credits, not body.
_REPORTING_LINE = re.compile(
    r"^\W*(?:additional\s+)?(?:reporting|writing|editing|compiled|produced)\s+by\b.{0,300}$",
    re.IGNORECASE,
)

# Dateline at the start of the first paragraph. Forms:
#   "Vladivostok: Russia's ..."          place, colon
#   "PARIS (AFP) - ..."                  place, agency in brackets, dash
#   "BERLIN, 3 July (Reuters) - ..."     place, date, agency, dash
#   "(Reuters) \u2014 The New York ..."      agency alone
#   "WASHINGTON \u2014 The ..."              upper-case place, dash
_PLACE = r"[A-Z\u00c0-\u00de\u0400-\u042f][\w.'\u2019\-]*(?:[ /][A-Z\u00c0-\u00de\u0400-\u042f][\w.'\u2019\-]*){0,3}"
_UPPER_PLACE = r"[A-Z\u00c0-\u00de\u0400-\u042f][A-Z\u00c0-\u00de\u0400-\u042f.'\u2019\-]+(?:[ /][A-Z\u00c0-\u00de\u0400-\u042f][A-Z\u00c0-\u00de\u0400-\u042f.'\u2019\-]+){0,3}"
_DATE_PART = r"(?:,\s*[\w. ]{3,24}?)?"
_DATELINE_AGENCY = re.compile(
    rf"^\s*(?:({_PLACE}){_DATE_PART}\s*)?\(\s*({_WIRE_LIST})\s*\)\s*(?:{_DASH}|:)?\s*(?=\S)"
)
_DATELINE_COLON = re.compile(rf"^\s*({_PLACE})\s*:\s+(?=\S)")
_DATELINE_UPPER_DASH = re.compile(rf"^\s*({_UPPER_PLACE}){_DATE_PART}\s*{_DASH}\s+(?=\S)")
# Words that look like a place before a colon but are labels ("Update: ...", "Photo: ...").
_NOT_PLACES = frozenset(
    [
        "update",
        "updated",
        "editor",
        "note",
        "photo",
        "photos",
        "image",
        "video",
        "watch",
        "read",
        "also",
        "see",
        "source",
        "quelle",
        "foto",
        "bild",
        "mise",
        "jour",
        "lire",
        "aussi",
        "voir",
        "leia",
        "também",
        "nota",
        "ver",
        "fuente",
        "advertisement",
        "anzeige",
        "publicité",
        "warning",
        "breaking",
        "live",
        "exclusive",
        "analysis",
        "opinion",
        "comment",
        "q",
        "a",
        "by",
    ]
)

# Byline: "By Jane Doe", "Von Hans Meier", "Par Jean Dupont", "Por ...", "Di ...", "Door ...".
_BYLINE = re.compile(
    r"^\s*(?:by|von|par|por|di|door|af|av|przez|\u0430\u0432\u0442\u043e\u0440:?)\s+"
    r"([A-Z\u00c0-\u00de\u0400-\u042f][^\n]{1,80})$",
    re.IGNORECASE,
)

# The first character of every line _BYLINE matches (a byline word's first letter in either
# case; no other character matches these letters when case is ignored: the extra case
# equivalences of ``re`` are for i, s, k, Greek and other Cyrillic letters), so that most lines
# are turned down without running it.
_BYLINE_FIRST = frozenset("bBvVpPdDaA\u0430\u0410")
_BYLINE_END = re.compile(
    r"\s+(?:\||\u2013|\u2014|-|\u00b7|\u2022)\s+|,\s|\s(?:on|am|le|el|il|em|published|updated|"
    r"publiziert|veröffentlicht|aktualisiert|publié|publicado|pubblicato)\b|\s\d",
    re.IGNORECASE,
)
_MONTHS = {
    # English, German, French, Spanish, Italian, Portuguese, Dutch (full and short forms)
    "january": 1, "jan": 1, "januar": 1, "janvier": 1, "enero": 1, "gennaio": 1, "janeiro": 1,
    "januari": 1, "j\u00e4nner": 1,
    "february": 2, "feb": 2, "februar": 2, "f\u00e9vrier": 2, "fevrier": 2, "febrero": 2,
    "febbraio": 2, "fevereiro": 2, "februari": 2,
    "march": 3, "mar": 3, "m\u00e4rz": 3, "maerz": 3, "mars": 3, "marzo": 3, "mar\u00e7o": 3,
    "maart": 3,
    "april": 4, "apr": 4, "avril": 4, "abril": 4, "aprile": 4,
    "may": 5, "mai": 5, "mayo": 5, "maggio": 5, "maio": 5, "mei": 5,
    "june": 6, "jun": 6, "juni": 6, "juin": 6, "junio": 6, "giugno": 6, "junho": 6,
    "july": 7, "jul": 7, "juli": 7, "juillet": 7, "julio": 7, "luglio": 7, "julho": 7,
    "august": 8, "aug": 8, "ao\u00fbt": 8, "aout": 8, "agosto": 8, "augustus": 8,
    "september": 9, "sep": 9, "sept": 9, "septembre": 9, "septiembre": 9, "settembre": 9,
    "setembro": 9,
    "october": 10, "oct": 10, "oktober": 10, "octobre": 10, "octubre": 10, "ottobre": 10,
    "outubro": 10, "okt": 10,
    "november": 11, "nov": 11, "novembre": 11, "noviembre": 11, "novembro": 11,
    "december": 12, "dec": 12, "dezember": 12, "d\u00e9cembre": 12, "decembre": 12,
    "diciembre": 12, "dicembre": 12, "dezembro": 12, "dez": 12,
}  # fmt: skip
MONTH_NAMES = frozenset(_MONTHS)
_MONTH = "(" + "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True)) + r")\.?"
_YEAR = r"((?:19|20)\d\d)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th|er|\.|\u00ba)?"
# Each pattern with what no match can do without: a year ("19" or "20", as _YEAR spells it)
# and a separator. A line lacking them is not searched: a pattern opening with ``\b`` has no
# literal prefix to skip ahead by, so each search tries every position of the line.
_DATE_PATTERNS: tuple[tuple[re.Pattern[str], str, bool, str], ...] = (
    (re.compile(rf"\b{_YEAR}-(\d\d)-(\d\d)\b"), "ymd", True, "-"),
    (re.compile(rf"\b{_YEAR}/(\d{{1,2}})/(\d{{1,2}})\b"), "ymd", True, "/"),
    (re.compile(r"\b(\d{4})\u5e74(\d{1,2})\u6708(\d{1,2})\u65e5"), "ymd", False, "\u5e74"),
    (re.compile(rf"\b{_YEAR}\.\s?(\d{{1,2}})\.\s?(\d{{1,2}})\b"), "ymd", True, "."),
    (
        re.compile(rf"\b{_DAY}\s+(?:de\s+)?{_MONTH},?\s+(?:de\s+)?{_YEAR}\b", re.IGNORECASE),
        "dmy",
        True,
        "",
    ),
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE), "mdy", True, ""),
    (re.compile(rf"\b(\d{{1,2}})\.(\d{{1,2}})\.{_YEAR}\b"), "dmy_num", True, "."),
)
_HAS_DIGIT = re.compile(r"\d")
_URL_DATE = (
    re.compile(r"/((?:19|20)\d\d)/(\d{1,2})/(\d{1,2})(?:/|$)"),
    re.compile(r"[/_-]((?:19|20)\d\d)-(\d\d)-(\d\d)(?:[/_.-]|$)"),
    re.compile(r"/((?:19|20)\d\d)(\d\d)(\d\d)(?:/|$)"),
)


def _canon_wire(name: str) -> str:
    first = re.split(r"\s*(?:/|,|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*", name.strip())[0]
    return _WIRE_CANON.get(first.casefold(), first)


def split_dateline(paragraph: str) -> tuple[str | None, str | None, str]:
    """Split a dateline off the start of a paragraph: ``(dateline, credit, rest)``.

    >>> split_dateline("Vladivostok: Russia's Vladimir Putin met Kim.")
    ('Vladivostok', None, "Russia's Vladimir Putin met Kim.")
    >>> split_dateline("PARIS (AFP) - France said on Monday.")
    ('PARIS', 'AFP', 'France said on Monday.')
    >>> split_dateline("Putin said it was good.")
    (None, None, 'Putin said it was good.')
    """
    head = paragraph[:200]
    # Each pattern needs a character most paragraphs' openings lack ("(", ":", a dash): test
    # for it before running the pattern, which backtracks over the capitalised words.
    match = _DATELINE_AGENCY.match(head) if "(" in head else None
    if match:
        place = match.group(1)
        return (
            place.strip() if place else None,
            _canon_wire(match.group(2)),
            paragraph[match.end() :],
        )
    for pattern, needed in ((_DATELINE_COLON, ":"), (_DATELINE_UPPER_DASH, _DASHES)):
        if not any(mark in head for mark in needed):
            continue
        match = pattern.match(head)
        if match:
            place = match.group(1).strip()
            words = place.split()
            if any(w.casefold().strip(".'\u2019") in _NOT_PLACES for w in words):
                continue
            return place, None, paragraph[match.end() :]
    return None, None, paragraph


def split_trailing_credit(paragraph: str) -> tuple[str | None, str]:
    """Split a wire credit off the end of a paragraph: ``(credit, rest)``.

    >>> split_trailing_credit("Kim Il Sung as leader. (AFP)")
    ('AFP', 'Kim Il Sung as leader.')
    >>> split_trailing_credit("said the minister -- Reuters")
    ('Reuters', 'said the minister')
    """
    match = _TRAILING_CREDIT.search(paragraph[-120:])
    if not match:
        return None, paragraph
    name = next(g for g in match.groups() if g)
    cut = len(paragraph) - len(paragraph[-120:]) + match.start()
    return _canon_wire(name), paragraph[:cut].rstrip()


# Characters that are not word characters (all of ASCII's, what ``\W`` matches there, and
# common typographic ones): stripped from a line's ends before its first and last words are
# compared with the credit patterns.
_NON_WORD = "".join(c for c in map(chr, range(128)) if not c.isalnum() and c != "_") + (
    "\u00a0\u2018\u2019\u201c\u201d\u00ab\u00bb\u2026\u2013\u2014\u2022\u00b7"
)
# The last word of each wire name ("press" for "Associated Press", "presse" for "Agence
# France-Presse"): a line ending with a wire name ends with one of them.
_WIRE_ENDS = tuple(sorted({re.split(r"[ -]", w.lower())[-1] for w in _WIRES}))
_WIRE_END_CHARS = max(map(len, _WIRE_ENDS))
_REPORTING_STARTS = ("additional", "reporting", "writing", "editing", "compiled", "produced")


def _may_be_credit_py(text: str) -> bool:
    """False when a line can match neither credit pattern, decided without running them (the
    compiled ``_lines.credit_line`` has its own shortcut, ``may_be_credit``, which also turns
    down lines in other scripts: the two give the same credit answers, not the same shortcut
    answers).

    ``_CREDIT_LINE`` ends with a wire name, then at most a year after spaces, then non-word
    characters; ``_REPORTING_LINE`` starts, after non-word characters, with one of
    ``_REPORTING_STARTS``. Both ignore case, which is ``lower()`` on ASCII text: when the
    words compared are not ASCII, the answer is True (run the patterns).
    """
    first = text.lstrip(_NON_WORD)[:10]
    if not first.isascii() or first.lower().startswith(_REPORTING_STARTS):
        return True
    end = text.rstrip(_NON_WORD)
    last = end[-5:]
    if last.isascii() and last[-4:].isdigit():
        # "... AFP 2019": the wire name stands before the year and the spaces.
        if len(end) < 6 or not last[0].isspace():
            return False
        end = end[:-4].rstrip()
    last = end[-_WIRE_END_CHARS:]
    return not last.isascii() or last.lower().endswith(_WIRE_ENDS)


def credit_line_py(line: str) -> tuple[bool, str | None]:
    """Whether a whole line is a credit, and the wire it names (the compiled twin is
    ``_lines.credit_line``).

    >>> credit_line_py("Includes reporting by \u00a9 AFP 2019")
    (True, 'AFP')
    >>> credit_line_py("(Reporting by Jane Doe; Editing by John Roe)")
    (True, None)
    >>> credit_line_py("AFP said the talks failed.")
    (False, None)
    """
    text = line.strip()
    if not text or len(text) > 300:
        return False, None
    if not _may_be_credit_py(text):
        return False, None
    match = _CREDIT_LINE.match(text)
    if match:
        return True, _canon_wire(match.group(1))
    if _REPORTING_LINE.match(text):
        return True, None
    return False, None


credit_line: Callable[[str], tuple[bool, str | None]] = (
    compiled.KERNEL.credit_line if compiled.KERNEL is not None else credit_line_py
)


def parse_byline(line: str) -> str | None:
    """The name(s) in a byline line ("By Jane Doe" -> "Jane Doe"), else None.

    >>> parse_byline("By Jane Doe and John Roe")
    'Jane Doe and John Roe'
    >>> parse_byline("By continuing to browse, you agree.")
    """
    text = line.strip()
    if len(text) > 90 or text[:1] not in _BYLINE_FIRST or text.endswith((".", "!", "?", "\u3002")):
        return None
    match = _BYLINE.match(text)
    if not match:
        return None
    # The name ends where a date, a role or a site's name begins ("Jane Doe | 3 May 2019",
    # "Hans Meier, publiziert am 30. Juli 2018").
    name = _BYLINE_END.split(match.group(1), 1)[0].strip(" ,|\u2022-\u2013\u2014")
    if not name or len(name.split()) > 10:
        return None
    return name


def _valid(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def parse_date(text: str) -> str | None:
    """The first calendar date written in ``text`` as ISO ``YYYY-MM-DD``, else None.

    Numeric ``d.m.Y`` is read day-first (the European form); ``m/d/Y`` is not read because it
    is ambiguous.

    >>> parse_date("Reuters November 18, 2019 11:03 PM")
    '2019-11-18'
    >>> parse_date("Publi\u00e9 le 3 juillet 2020 \u00e0 10h")
    '2020-07-03'
    >>> parse_date("19.11.2019, 14:05 Uhr")
    '2019-11-19'
    """
    head = text[:300]
    if not _HAS_DIGIT.search(head):
        return None  # every form below has a digit: most lines are done here
    best: tuple[int, str] | None = None
    has_year = "19" in head or "20" in head
    for pattern, order, needs_year, mark in _DATE_PATTERNS:
        if (needs_year and not has_year) or mark not in head:
            continue
        match = pattern.search(head)
        if not match:
            continue
        groups = match.groups()
        if order == "ymd":
            iso = _valid(int(groups[0]), int(groups[1]), int(groups[2]))
        elif order == "dmy":
            iso = _valid(int(groups[2]), _MONTHS[groups[1].casefold()], int(groups[0]))
        elif order == "mdy":
            iso = _valid(int(groups[2]), _MONTHS[groups[0].casefold()], int(groups[1]))
        else:
            iso = _valid(int(groups[2]), int(groups[1]), int(groups[0]))
        if iso and (best is None or match.start() < best[0]):
            best = (match.start(), iso)
    return best[1] if best else None


def date_from_url(url: str | None) -> str | None:
    """A publication date written in a URL path (``/2019/11/19/``, ``-2019-11-19``), else None.

    >>> date_from_url("https://www.nytimes.com/2019/11/19/opinion/x.html")
    '2019-11-19'
    """
    if not url:
        return None
    for pattern in _URL_DATE:
        match = pattern.search(url)
        if match:
            iso = _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))
            if iso:
                return iso
    return None


_SLUG_SPLIT = re.compile(r"[^\w]+|_")
_URL_NOISE = frozenset(["html", "htm", "shtml", "php", "aspx", "asp", "jsp", "amp", "index", "www"])


# The combining diacritical marks block: what NFKD splits off Latin, Greek and Cyrillic letters.
_COMBINING_MARKS = re.compile("[\u0300-\u036f]")


def fold_accents_py(text: str) -> str:
    """Text without combining accents, as URL slugs write words (the compiled twin is
    ``_lines.fold_accents``).

    >>> fold_accents_py("calend\u00e1rio pr\u00e9sident")
    'calendario president'
    """
    return _COMBINING_MARKS.sub("", unicodedata.normalize("NFKD", text))


fold_accents: Callable[[str], str] = (
    compiled.KERNEL.fold_accents if compiled.KERNEL is not None else fold_accents_py
)


def url_words(url: str | None) -> frozenset[str]:
    """Lower-cased words of a URL's slug (its wordiest path segment), to match a title against.

    >>> sorted(url_words("https://x.com/story/news/2019/11/19/meth-were-it-south-dakota/42/"))
    ['dakota', 'meth', 'south', 'were']
    """
    if not url:
        return frozenset()
    path = url.split("://", 1)[-1].split("/", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    best: list[str] = []
    for segment in path.split("/"):
        tokens = [
            w
            for w in _SLUG_SPLIT.split(fold_accents(unquote(segment).casefold()))
            if len(w) > 2 and not w.isdigit() and w not in _URL_NOISE
        ]
        if len(tokens) > len(best):
            best = tokens
    return frozenset(best)


_TITLE_SEPARATORS = re.compile(r"\s+(?:\||\u2013|\u2014|-|::|\u00b7|\u2022|\u00bb)\s+")


def strip_site_name(title: str, url: str | None) -> str:
    """A headline without the site name that HTML titles append or prepend.

    >>> strip_site_name("WeWork investigated – TechCrunch", "https://techcrunch.com/2019/x")
    'WeWork investigated'
    >>> strip_site_name("Kim - Putin talks", "https://example.com/a")
    'Kim - Putin talks'
    """
    if not url:
        return title
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].casefold()
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
    site = re.sub(r"[\W_]+", "", "".join(labels[:-1]) if len(labels) > 1 else "".join(labels))
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2 or not site:
        return title

    def is_site(part: str) -> bool:
        squashed = re.sub(r"[\W_]+", "", part.casefold())
        return bool(squashed) and (squashed in site or site in squashed)

    if is_site(parts[-1]):
        parts = parts[:-1]
    elif is_site(parts[0]):
        parts = parts[1:]
    else:
        return title
    match_from = title.find(parts[0])
    match_to = title.rfind(parts[-1]) + len(parts[-1])
    return title[match_from:match_to].strip() or title


# How much of the text py3langid reads. Its byte-by-byte walk is the clean stage's costliest
# step, linear in the sample: 1,000 characters give the same language as 2,000 on every page
# of zyte-text (181 pages, 10+ languages), the clean fixtures and 1,058 ecbplus and
# multinews-dev documents (500 still did on the 181 pages), at half the cost (~0.6 -> ~0.3 ms).
_LANGUAGE_SAMPLE = 1_000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` by py3langid (imported on first use), None for too little text."""
    sample = text[:_LANGUAGE_SAMPLE]
    if len(sample.strip()) < 20:
        return None
    import py3langid  # lazy: the model loads on first use, not at import of newsfold

    lang, _score = py3langid.classify(sample)
    return str(lang)

# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled twin of the clean stage's per-line work: the line reader (``lines.read_lines``,
``lines._line_features``), the run search's weights and kept lines (``runs``), the headline
candidates and first header line (``article``), credit lines and accent folding
(``metadata``).

Every public function here gives IDENTICAL results to its pure-Python twin (named in its
docstring; ``may_be_credit`` is a different shortcut to the same ``credit_line`` answers):
``clean.compiled`` picks this module when it imports, and ``tests/test_clean_kernel.py``
compares the two on every line of real pages, on lines and pages built from the words, marks
and scripts the rules read, and on arbitrary Unicode text.

Why C: the Python classifier spends its time in many small passes over each line (a
replacement and a split for the plain-line test, a split for the word count, a tokeniser for
the chrome words, fifty substring searches for the chrome phrases, the ends of the line
stripped twice), each allocating. Here one loop over the characters does each of them, and
only the tokens a set is asked about become strings. The rules that need a regular
expression (dates, bylines, headings, captions) still call the same compiled patterns as the
twin (read from ``lines``, ``vocabulary`` and ``metadata`` at first use), and run only where
a cheap necessary condition holds (a digit for a date, the first word of a call to action), or
only at the positions where a match can start (the photo credit, near its anchor words).
The character sets and the few patterns written out here as C tests are checked against the
twin's when bound (an ImportError names any drift).

Characters are classified with CPython's own predicates (``Py_UNICODE_ISSPACE`` is what
``str.split()`` and ``str.strip()`` split on, ``Py_UNICODE_ISALNUM`` and ``_`` are what
``\\w`` matches in a ``str`` pattern, ``Py_UNICODE_ISALPHA`` is ``str.isalpha()``), and
lower-casing is left to ``str.lower()`` (which may change a line's length).
"""

from cpython.unicode cimport (
    Py_UNICODE_ISALNUM,
    Py_UNICODE_ISALPHA,
    Py_UNICODE_ISDECIMAL,
    Py_UNICODE_ISDIGIT,
    Py_UNICODE_ISPRINTABLE,
    Py_UNICODE_ISSPACE,
    PyUnicode_DATA,
    PyUnicode_KIND,
    PyUnicode_1BYTE_KIND,
    PyUnicode_2BYTE_KIND,
    PyUnicode_READ,
    PyUnicode_Find,
    PyUnicode_FindChar,
)
from cpython.ref cimport Py_DECREF, Py_INCREF
from cpython.tuple cimport PyTuple_SET_ITEM
from libc.stdint cimport uint8_t, uint16_t, uint32_t, uint64_t
from libc.stdlib cimport calloc, free, malloc

import re


cdef extern from "Python.h":
    bint PyUnicode_IS_ASCII(object o)
    ctypedef struct PyObject
    ctypedef struct AllocatingType "PyTypeObject":
        PyObject *(*tp_alloc)(AllocatingType *, Py_ssize_t)


cdef object _make_line(object cls, object index, str text, tuple features):
    """``cls((index, text, *features))`` as ``tuple.__new__`` builds it (allocate the tuple
    subclass, fill its seven items), without the two temporary tuples and the call."""
    cdef AllocatingType *kind = <AllocatingType *>cls
    cdef PyObject *raw = kind.tp_alloc(kind, 7)
    cdef Py_ssize_t k
    if raw == NULL:
        raise MemoryError()
    line = <object>raw
    Py_DECREF(line)  # the new reference tp_alloc returned is now held by ``line``
    Py_INCREF(index)
    PyTuple_SET_ITEM(line, 0, index)
    Py_INCREF(text)
    PyTuple_SET_ITEM(line, 1, text)
    for k in range(5):
        item = features[k]
        Py_INCREF(item)
        PyTuple_SET_ITEM(line, k + 2, item)
    return line


# Classes (``lines.GOOD`` ...), checked against ``lines`` when bound.
cdef enum:
    C_BAD = 0
    C_SHORT = 1
    C_GOOD = 2
    C_STAMP = 3
    C_BULLET_BAD = -1
    MAX_PLAIN_TOKENS = 25
    # Groups of the marks searched in every line (``vocabulary.may_credit_photo`` and
    # ``vocabulary.has_consent_word``), as bits.
    PHOTO = 1
    CONSENT_WORD = 2
    # The marks of a line not searched yet (only lines under 150 words need them).
    MARKS_UNKNOWN = 4
    # A chrome phrase (``vocabulary.PHRASE_KEYS``) in the line's first 600 characters: searched
    # in the same scan as the marks.
    PHRASE = 8

# The character sets of ``lines`` written as literals, so that ``c in "..."`` compiles to a
# switch; ``_bind`` checks that they equal the twin's.
BULLET_CHARS = "\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*-"
HARMLESS_CHARS = "&,'\u2019\u2018\"\u201c\u201d-\u2013\u2014|+"
TERMINAL_CHARS = ".!?\u3002\uff01\uff1f\u0964\u061f\u2026;"
CLOSER_CHARS = "\"'\u201d\u2019\u00bb\u300d\u300f)]\u3011 "
PUNCT_CHARS = ".,;:!?\u3002\uff0c\u3001\uff1b\uff1a\uff01\uff1f\u060c"
INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
INVISIBLE_OR_SPACE_CHARS = INVISIBLE_CHARS + " \t\r\n\f\v\u00a0\u3000"
# The marks of ``vocabulary.may_credit_photo`` and ``vocabulary.has_consent_word``.
PHOTO_MARKS = ("photo", "image", "foto", "bild", "\u0444\u043e\u0442\u043e")
CONSENT_MARKS = (
    "cookie", "gdpr", "dsgvo", "rgpd", "\u043a\u0443\u043a\u0438", "\ucfe0\ud0a4",
    "\u30af\u30c3\u30ad\u30fc",
)
# Words whose presence lets ``vocabulary.STAMP_PATTERN`` match without a digit or "\u524d":
# its ``\b(?:ago|vor|il y a|hace|fa|h\u00e1|\u043d\u0430\u0437\u0430\u0434)\b`` matches
# a whole word.
STAMP_WORDS = frozenset(["ago", "vor", "il", "hace", "fa", "h\u00e1", "\u043d\u0430\u0437\u0430\u0434"])


cdef inline bint _is_bullet_char(Py_UCS4 c) noexcept:
    return c in "\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*-"


cdef inline bint _is_harmless(Py_UCS4 c) noexcept:
    return c in "&,'\u2019\u2018\"\u201c\u201d-\u2013\u2014|+"


cdef inline bint _is_terminal(Py_UCS4 c) noexcept:
    return c in ".!?\u3002\uff01\uff1f\u0964\u061f\u2026;"


cdef inline bint _is_closer(Py_UCS4 c) noexcept:
    return c in "\"'\u201d\u2019\u00bb\u300d\u300f)]\u3011 "


cdef inline bint _is_punct(Py_UCS4 c) noexcept:
    return c in ".,;:!?\u3002\uff0c\u3001\uff1b\uff1a\uff01\uff1f\u060c"


cdef inline bint _is_invisible(Py_UCS4 c) noexcept:
    return c in "\u200b\u200c\u200d\u2060\ufeff"


cdef inline bint _is_invisible_or_space(Py_UCS4 c) noexcept:
    return c in "\u200b\u200c\u200d\u2060\ufeff \t\r\n\f\v\u00a0\u3000"


# Character classes of the Basic Multilingual Plane, read once from the Unicode database at
# import (65,536 lookups, about a millisecond): in the loops a class is one table read, where
# ``Py_UNICODE_ISALNUM`` asks the database four times for a non-ASCII character.
cdef enum:
    ALPHA = 1  # str.isalpha
    WORD = 2  # \w in a str pattern: alphanumeric or "_"
    DECIMAL = 4  # \d in a str pattern
    SPACE = 8  # str.split() / str.strip() whitespace
    PRINTABLE = 16  # str.isprintable
    UNSPACED = 32  # vocabulary.UNSPACED (``_is_unspaced``)
cdef uint8_t _CLASSES[65536]


cdef uint8_t _class_of(Py_UCS4 c) noexcept:
    """The class bits of one character, asked of the Unicode database."""
    cdef uint8_t bits = 0
    if Py_UNICODE_ISALPHA(c):
        bits |= ALPHA
    if Py_UNICODE_ISALNUM(c) or c == 95:
        bits |= WORD
    if Py_UNICODE_ISDECIMAL(c):
        bits |= DECIMAL
    if Py_UNICODE_ISSPACE(c):
        bits |= SPACE
    if Py_UNICODE_ISPRINTABLE(c):
        bits |= PRINTABLE
    if _is_unspaced(c):
        bits |= UNSPACED
    return bits


cdef void _fill_classes() noexcept:
    cdef unsigned int code
    for code in range(65536):
        _CLASSES[code] = _class_of(code)


_fill_classes()


cdef inline uint8_t _class(Py_UCS4 c) noexcept:
    """The class bits of ``c``: one table read in the plane, the database past it."""
    if c < 65536:
        return _CLASSES[c]
    return _class_of(c)


cdef inline bint _is_alpha(Py_UCS4 c) noexcept:
    # ``str.isalpha`` of one character.
    return _class(c) & ALPHA


cdef inline bint _is_word(Py_UCS4 c) noexcept:
    # What ``\w`` matches in a str pattern (sre's SRE_UNI_IS_WORD: alphanumeric or "_").
    return _class(c) & WORD


cdef inline bint _is_decimal(Py_UCS4 c) noexcept:
    # What ``\d`` matches in a str pattern.
    return _class(c) & DECIMAL


cdef inline bint _is_space(Py_UCS4 c) noexcept:
    # What ``str.split()`` and ``str.strip()`` split on (and ``\s`` matches).
    return _class(c) & SPACE


cdef inline bint _is_unspaced(Py_UCS4 c) noexcept:
    # ``vocabulary.UNSPACED``: kana, CJK ideographs and compatibility ideographs.
    return (
        0x3040 <= c <= 0x30FF
        or 0x3400 <= c <= 0x4DBF
        or 0x4E00 <= c <= 0x9FFF
        or 0xF900 <= c <= 0xFAFF
    )


cdef inline bint _is_cjk(Py_UCS4 c) noexcept:
    # ``vocabulary.CJK``: the unspaced scripts and Hangul syllables.
    return _is_unspaced(c) or 0xAC00 <= c <= 0xD7AF


cdef bint _has_cjk(str text, Py_ssize_t limit):
    """``vocabulary.CJK.search(text[:limit])``."""
    cdef Py_ssize_t n = min(len(text), limit), i
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    if PyUnicode_IS_ASCII(text):
        return False
    for i in range(n):
        if _is_cjk(PyUnicode_READ(kind, data, i)):
            return True
    return False


cdef bint _may_hold_clock(str text):
    """False when ``lines._CLOCK`` (``\\b\\d{1,2}[:.h]\\d\\d\\b``) cannot match: no digit
    followed, after at most one more digit, by ":", "." or "h" and two digits."""
    cdef Py_ssize_t n = len(text), i, j
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c
    for i in range(n - 3):
        if not _is_decimal(PyUnicode_READ(kind, data, i)):
            continue
        for j in range(i + 1, min(i + 3, n - 2)):
            c = PyUnicode_READ(kind, data, j)
            if (
                (c == ":" or c == "." or c == "h")
                and _is_decimal(PyUnicode_READ(kind, data, j + 1))
                and _is_decimal(PyUnicode_READ(kind, data, j + 2))
                and (j == i + 1 or _is_decimal(PyUnicode_READ(kind, data, i + 1)))
            ):
                return True
    return False


cdef bint _bullet_match(str head):
    """``vocabulary.BULLET.match(head)``: optional spaces, then a bullet, a dash and a space,
    or one or two digits, "." or ")" and a space."""
    cdef Py_ssize_t n = len(head), i = 0
    cdef Py_UCS4 c
    while i < n and _is_space(head[i]):
        i += 1
    if i == n:
        return False
    c = head[i]
    if c in "\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*":
        return True
    if c == "-":
        return i + 1 < n and _is_space(head[i + 1])
    if not _is_decimal(c):
        return False
    i += 1
    if i < n and _is_decimal(head[i]) and i + 1 < n and (head[i + 1] == "." or head[i + 1] == ")"):
        i += 1
    return i + 1 < n and (head[i] == "." or head[i] == ")") and _is_space(head[i + 1])


# The patterns the helpers above stand for, checked by ``_bind``.
CJK_PATTERN = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]"
BULLET_PATTERN = r"^\s*(?:[\u2022\u00b7\u25aa\u25cf\u25ba\u25b8\u2023\u2043*]|-\s|\d{1,2}[.)]\s)"
CLOCK_PATTERN = r"\b\d{1,2}[:.h]\d\d\b"
TRAILING_AGENCY_PATTERN = r"\s*[(\[][A-Za-z /]{2,30}[)\]]\s*$"
# ``vocabulary.PHOTO_CREDIT``, whose anchors ``_photo_credit`` reads (see there).
PHOTO_CREDIT_PATTERN = (
    r"\b(?:ap|afp|reuters|epa|dpa|file|staff) photo\b|photo(?:graph)?:|photo credit|"
    r"\bphoto/|/(?:getty images|ap|afp|reuters|epa|shutterstock)\)|\(photo\b|"
    r"\bin this (?:\w+ )?(?:\d+, )?(?:\d+ )?(?:file )?photo\b|\bfile photo\b|"
    "(?:foto|bild|photo|cr\u00e9dit photo|\u0444\u043e\u0442\u043e)\\s*:|\\bimage:"
)


# --- many substrings searched in one scan -------------------------------------------------------

cdef inline uint32_t _quad_hash(uint32_t a, uint32_t b, uint32_t c, uint32_t d) noexcept nogil:
    """16 bits of four ASCII characters."""
    return (((a << 21) | (b << 14) | (c << 7) | d) * 2654435761u) >> 16


cdef struct KeySet:
    # Keys sorted by first character: those opening with ASCII character ``c`` are
    # ``bucket[c]`` to ``bucket[c + 1]`` (exclusive), those opening with any other character
    # ``bucket[128]`` to ``n``. ``groups[k]`` is the bit key ``k`` sets when found.
    Py_ssize_t n
    Py_UCS4 **keys
    Py_ssize_t *lengths
    unsigned int *groups
    Py_ssize_t bucket[129]
    # pair[a * 128 + b]: some key opens with ASCII characters a, b (or with a alone, when the
    # key has one character or its second is not ASCII).
    unsigned char pair[16384]
    # When every key opening with an ASCII character opens with four (``by_quads``): the
    # ``_quad_hash`` bits of their first four characters. A position whose next four
    # characters' bit is clear opens no key (the test replaces ``pair``).
    bint by_quads
    uint64_t quads[1024]


ctypedef fused char_t:
    uint8_t
    uint16_t
    uint32_t


cdef KeySet _marks


cdef int _build(KeySet *keyset, list keyed) except -1:
    """Fill ``keyset`` with ``keyed``, a list of (key, group bit)."""
    items = sorted(keyed, key=lambda item: (min(ord(item[0][0]), 128), item[0]))
    cdef Py_ssize_t n = len(items), k, j, c
    cdef str key
    keyset.keys = <Py_UCS4 **>malloc(max(n, 1) * sizeof(Py_UCS4 *))
    keyset.lengths = <Py_ssize_t *>malloc(max(n, 1) * sizeof(Py_ssize_t))
    keyset.groups = <unsigned int *>malloc(max(n, 1) * sizeof(unsigned int))
    if keyset.keys == NULL or keyset.lengths == NULL or keyset.groups == NULL:
        raise MemoryError()
    for k in range(n):
        key = items[k][0]
        keyset.keys[k] = <Py_UCS4 *>malloc(len(key) * sizeof(Py_UCS4))
        if keyset.keys[k] == NULL:
            raise MemoryError()
        for j in range(len(key)):
            keyset.keys[k][j] = key[j]
        keyset.lengths[k] = len(key)
        keyset.groups[k] = items[k][1]
    for c in range(129):
        keyset.bucket[c] = sum(1 for item in items if ord(item[0][0]) < c)
    for c in range(16384):
        keyset.pair[c] = 0
    for item in items:
        key = item[0]
        if ord(key[0]) < 128:
            if len(key) > 1 and ord(key[1]) < 128:
                keyset.pair[ord(key[0]) * 128 + ord(key[1])] = 1
            else:
                for j in range(128):
                    keyset.pair[ord(key[0]) * 128 + j] = 1
    keyset.by_quads = all(
        len(item[0]) >= 4 and item[0][:4].isascii() for item in items if ord(item[0][0]) < 128
    )
    for c in range(1024):
        keyset.quads[c] = 0
    for item in items:
        key = item[0]
        if ord(key[0]) < 128 and keyset.by_quads:
            c = _quad_hash(ord(key[0]), ord(key[1]), ord(key[2]), ord(key[3]))
            keyset.quads[c >> 6] |= (<uint64_t>1) << (c & 63)
    keyset.n = n
    return 0



cdef unsigned int _scan(
    KeySet *keyset, const char_t *data, Py_ssize_t n, unsigned int want, Py_ssize_t phrase_end
) noexcept nogil:
    """The group bits of the keys found in the first ``n`` characters (each key wholly inside
    them, and a ``PHRASE`` key inside the first ``phrase_end``), stopping once all bits of
    ``want`` are set. A position whose two characters open no key is passed with one table
    lookup."""
    cdef unsigned int found = 0
    cdef Py_ssize_t i, k, j, length, low, high
    cdef uint32_t c, following, h
    cdef Py_UCS4 *key
    for i in range(n):
        c = data[i]
        if c < 128:
            if keyset.by_quads:
                # Keys opening with ASCII open with four ASCII characters.
                if i + 3 >= n or (data[i + 1] | data[i + 2] | data[i + 3]) >= 128:
                    continue
                h = _quad_hash(c, data[i + 1], data[i + 2], data[i + 3])
                if not (keyset.quads[h >> 6] >> (h & 63)) & 1:
                    continue
            else:
                following = data[i + 1] if i + 1 < n else 0
                if following < 128 and not keyset.pair[<Py_ssize_t>c * 128 + <Py_ssize_t>following]:
                    continue
            low, high = keyset.bucket[<Py_ssize_t>c], keyset.bucket[<Py_ssize_t>c + 1]
        else:
            low, high = keyset.bucket[128], keyset.n
        for k in range(low, high):
            key = keyset.keys[k]
            length = keyset.lengths[k]
            if key[0] != c or i + length > n:
                continue
            if keyset.groups[k] & PHRASE and i + length > phrase_end:
                continue
            j = 1
            while j < length and data[i + j] == key[j]:
                j += 1
            if j == length:
                found |= keyset.groups[k]
                if found & want == want:
                    return found
    return found


cdef unsigned int _scan_str(KeySet *keyset, str text, unsigned int want):
    cdef Py_ssize_t n = len(text)
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    if kind == PyUnicode_1BYTE_KIND:
        return _scan(keyset, <uint8_t *>data, n, want, 600)
    if kind == PyUnicode_2BYTE_KIND:
        return _scan(keyset, <uint16_t *>data, n, want, 600)
    return _scan(keyset, <uint32_t *>data, n, want, 600)


# --- word sets asked about without building the word ---------------------------------------------

# A word set's members hashed (FNV-1a over code points) into 65,536 bits: a word whose bit is
# clear is not in the set, decided without copying it out of the line and hashing it as a
# string; only words whose bit is set are looked up in the set itself. Exact either way.
cdef struct WordFilter:
    uint64_t bits[1024]


cdef WordFilter _plain_filter  # vocabulary.PLAIN_TRIGGERS
cdef WordFilter _chrome_filter  # STRONG_WORDS | WEAK_WORDS | PHRASE_FIRST_WORDS
cdef WordFilter _date_filter  # vocabulary.DATE_WORDS


cdef inline uint32_t _word_hash(int kind, const void *data, Py_ssize_t i, Py_ssize_t j) noexcept:
    cdef uint32_t h = 2166136261u
    cdef Py_ssize_t k
    for k in range(i, j):
        h = (h ^ <uint32_t>PyUnicode_READ(kind, data, k)) * 16777619u
    return (h ^ (h >> 16)) & 0xFFFF


cdef inline bint _may_hold(WordFilter *words, int kind, const void *data, Py_ssize_t i, Py_ssize_t j) noexcept:
    cdef uint32_t h = _word_hash(kind, data, i, j)
    return (words.bits[h >> 6] >> (h & 63)) & 1


cdef int _fill_filter(WordFilter *words, object members) except -1:
    cdef Py_ssize_t k
    cdef uint32_t h
    cdef str word
    for k in range(1024):
        words.bits[k] = 0
    for word in members:
        h = _word_hash(PyUnicode_KIND(word), PyUnicode_DATA(word), 0, len(word))
        words.bits[h >> 6] |= (<uint64_t>1) << (h & 63)
    return 0


# --- what is read from the twin at first use ---------------------------------------------------

cdef bint _bound = False
cdef object _Line, _short_features, _mark_gallery
cdef Py_ssize_t _MEMO_CHARS, _CAPTION_MIN_CHARS, _GALLERY_COPIES, _SIGNED_WORDS
cdef object _CLOCK, _TABLE_ROW, _photo_match
cdef object FIRST_WORDS_HEADING, TEASER_HEADING, COMMENT_HEADING, PHOTO_CREDIT, FOOTER_CREDIT
cdef object CONSENT, CALL_TO_ACTION, CALL_TO_ACTION_FIRST_WORDS, CAPTION_START
cdef object GALLERY_COUNTER, AUTHOR_BOX, STAMP_PATTERN, CAPTION_OR_CREDIT
cdef object PLAIN_TRIGGERS, STRONG_WORDS, WEAK_WORDS, PHRASE_FIRST_WORDS, PHRASES_BY_FIRST_WORD
cdef object DATE_WORDS, BYLINE_WORDS, CJK_CHROME
cdef object parse_byline, parse_date, _BYLINE_FIRST


def _bind():
    """Read the patterns, word sets and helpers of the twin (at first use: ``lines`` imports
    this module through ``clean.compiled``, so this module cannot import ``lines`` first)."""
    global _bound, _Line, _short_features, _mark_gallery
    global _MEMO_CHARS, _CAPTION_MIN_CHARS, _GALLERY_COPIES, _SIGNED_WORDS
    global _CLOCK, _TABLE_ROW, _photo_match
    global FIRST_WORDS_HEADING, TEASER_HEADING, COMMENT_HEADING, PHOTO_CREDIT, FOOTER_CREDIT
    global CONSENT, CALL_TO_ACTION, CALL_TO_ACTION_FIRST_WORDS, CAPTION_START
    global GALLERY_COUNTER, AUTHOR_BOX, STAMP_PATTERN, CAPTION_OR_CREDIT
    global PLAIN_TRIGGERS, STRONG_WORDS, WEAK_WORDS, PHRASE_FIRST_WORDS, PHRASES_BY_FIRST_WORD
    global DATE_WORDS, BYLINE_WORDS, CJK_CHROME, parse_byline, parse_date, _BYLINE_FIRST
    if _bound:
        return
    from newsfold.clean import lines as L
    from newsfold.clean import metadata as M
    from newsfold.clean import vocabulary as V

    if (L.BAD, L.SHORT, L.GOOD, L.STAMP, L._BULLET_BAD) != (
        C_BAD, C_SHORT, C_GOOD, C_STAMP, C_BULLET_BAD
    ):
        raise ImportError("newsfold.clean._lines: line classes differ from lines.py")
    if (
        frozenset(BULLET_CHARS) != L.BULLET_CHARS
        or frozenset(BULLET_CHARS) != L._BULLET_FIRST
        or frozenset(TERMINAL_CHARS) != L._TERMINAL
        or CLOSER_CHARS != L._CLOSERS
        or frozenset(PUNCT_CHARS) != L._PUNCT
        or INVISIBLE_CHARS != L._INVISIBLE
        or INVISIBLE_OR_SPACE_CHARS != L._INVISIBLE_OR_SPACE
    ):
        raise ImportError("newsfold.clean._lines: character sets differ from lines.py")
    if (
        V.CJK.pattern != CJK_PATTERN
        or V.BULLET.pattern != BULLET_PATTERN
        or L._CLOCK.pattern != CLOCK_PATTERN
        or V.PHOTO_CREDIT.pattern != PHOTO_CREDIT_PATTERN
        or V.PHOTO_CREDIT.flags != re.UNICODE
        or L._TRAILING_AGENCY.pattern != TRAILING_AGENCY_PATTERN
        or L._TRAILING_AGENCY.flags != re.UNICODE
    ):
        raise ImportError("newsfold.clean._lines: patterns differ from vocabulary.py")
    _Line = L.Line
    _short_features, _mark_gallery = L._short_features, L._mark_gallery_captions
    _MEMO_CHARS, _CAPTION_MIN_CHARS = L._MEMO_CHARS, L._CAPTION_MIN_CHARS
    _GALLERY_COPIES, _SIGNED_WORDS = L._GALLERY_COPIES, L._SIGNED_WORDS
    _CLOCK, _TABLE_ROW = L._CLOCK, L._TABLE_ROW
    FIRST_WORDS_HEADING, TEASER_HEADING = V.HEADING_FIRST_WORDS, V.TEASER_HEADING
    COMMENT_HEADING, PHOTO_CREDIT, FOOTER_CREDIT = V.COMMENT_HEADING, V.PHOTO_CREDIT, V.FOOTER_CREDIT
    _photo_match = PHOTO_CREDIT.match
    CONSENT, CALL_TO_ACTION, CAPTION_START = V.CONSENT, V.CALL_TO_ACTION, V.CAPTION_START
    CALL_TO_ACTION_FIRST_WORDS = V.CALL_TO_ACTION_FIRST_WORDS
    GALLERY_COUNTER, AUTHOR_BOX = V.GALLERY_COUNTER, V.AUTHOR_BOX
    STAMP_PATTERN, CAPTION_OR_CREDIT = V.STAMP_PATTERN, V.CAPTION_OR_CREDIT
    PLAIN_TRIGGERS, STRONG_WORDS, WEAK_WORDS = V.PLAIN_TRIGGERS, V.STRONG_WORDS, V.WEAK_WORDS
    PHRASE_FIRST_WORDS, PHRASES_BY_FIRST_WORD = V.PHRASE_FIRST_WORDS, V.PHRASES_BY_FIRST_WORD
    DATE_WORDS, BYLINE_WORDS, CJK_CHROME = V.DATE_WORDS, V.BYLINE_WORDS, V.CJK_CHROME
    parse_byline, parse_date, _BYLINE_FIRST = M.parse_byline, M.parse_date, M._BYLINE_FIRST
    _fill_filter(&_plain_filter, V.PLAIN_TRIGGERS)
    _fill_filter(&_chrome_filter, V.STRONG_WORDS | V.WEAK_WORDS | V.PHRASE_FIRST_WORDS)
    _fill_filter(&_date_filter, V.DATE_WORDS)
    _build(
        &_marks,
        [(key, PHOTO) for key in PHOTO_MARKS]
        + [(key, CONSENT_WORD) for key in CONSENT_MARKS]
        + [(key, PHRASE) for key in V.PHRASE_KEYS],
    )
    _bound = True


cdef inline unsigned int _known_marks(str lowered, unsigned int marks):
    """``marks``, searched for now if they were not yet (with the chrome phrases)."""
    if marks & MARKS_UNKNOWN:
        return _scan_str(&_marks, lowered, PHOTO | CONSENT_WORD | PHRASE)
    return marks


# --- per-line helpers (twins in lines.py and vocabulary.py) -------------------------------------


cdef Py_ssize_t _count_words_in(const char_t *data, Py_ssize_t n) noexcept:
    """Words start where a non-space follows a space (or the start); counted without a branch
    per character (word ends are too irregular to predict)."""
    cdef Py_ssize_t spaced = 0, cjk = 0, i
    cdef unsigned int bits, space, previous = 1
    cdef uint32_t c
    for i in range(n):
        c = data[i]
        if char_t is uint32_t:
            bits = _class(c)
        else:
            bits = _CLASSES[c]
        space = (bits & SPACE) != 0
        spaced += previous & (space ^ 1)
        cjk += (bits & UNSPACED) != 0
        previous = space
    if not cjk:
        return spaced
    return max(spaced, cjk // 2 + spaced)


cdef Py_ssize_t _count_words(str head):
    """``lines.count_words``: one pass counting the space-separated words and the characters of
    unspaced scripts."""
    cdef int kind = PyUnicode_KIND(head)
    cdef void *data = PyUnicode_DATA(head)
    if kind == PyUnicode_1BYTE_KIND:
        return _count_words_in(<uint8_t *>data, len(head))
    if kind == PyUnicode_2BYTE_KIND:
        return _count_words_in(<uint16_t *>data, len(head))
    return _count_words_in(<uint32_t *>data, len(head))


def count_words(str head):
    """``lines.count_words``."""
    return _count_words(head)


cdef bint _ends_sentence(str head) except -1:
    """``lines._ends_sentence``."""
    cdef Py_ssize_t n = len(head)
    cdef Py_ssize_t end = n
    while end > 0 and _is_closer(head[end - 1]):
        end -= 1
    if end > 0 and _is_terminal(head[end - 1]):
        return True
    if n and (head[n - 1] == ")" or head[n - 1] == "]"):
        end = _trailing_agency_start(head)
        while end > 0 and _is_closer(head[end - 1]):
            end -= 1
        return end > 0 and _is_terminal(head[end - 1])
    return False


cdef inline bint _agency_char(Py_UCS4 c) noexcept:
    return (c >= "A" and c <= "Z") or (c >= "a" and c <= "z") or c == " " or c == "/"


cdef Py_ssize_t _trailing_agency_start(str head):
    """Where ``_TRAILING_AGENCY`` (spaces, a bracketed agency of 2 to 30 letters, spaces and
    slashes, spaces, the end) matches ``head``, ``len(head)`` when it does not: the pattern's
    closing bracket is the last character but spaces, its opening one the first before the
    run of agency characters ending there, and the match starts where the spaces before the
    opening bracket start (``_bind`` checks the pattern against ``TRAILING_AGENCY_PATTERN``).
    """
    cdef Py_ssize_t n = len(head), close, open_
    close = n
    while close > 0 and _is_space(head[close - 1]):
        close -= 1
    close -= 1
    if close < 0 or not (head[close] == ")" or head[close] == "]"):
        return n
    open_ = close
    while open_ > 0 and close - open_ <= 30 and _agency_char(head[open_ - 1]):
        open_ -= 1
    # head[open_:close] are agency characters; the opening bracket is just before them.
    if close - open_ < 2 or close - open_ > 30 or open_ == 0:
        return n
    open_ -= 1
    if not (head[open_] == "(" or head[open_] == "["):
        return n
    while open_ > 0 and _is_space(head[open_ - 1]):
        open_ -= 1
    return open_


cdef Py_ssize_t _inner_punctuation(str head):
    cdef Py_ssize_t count = 0
    cdef Py_UCS4 c
    for c in head:
        if _is_punct(c):
            count += 1
    return count


cdef bint _is_bullet(str head) except -1:
    """``lines._is_bullet`` (``head`` is not empty)."""
    cdef Py_UCS4 first = head[0]
    if _is_bullet_char(first) or _is_decimal(first) or _is_space(first):
        return _bullet_match(head)
    return False


cdef str _first_word(str lowered):
    """``vocabulary.FIRST_WORD.match(lowered).group(1)``: the first run of word characters
    after the non-word ones opening the line."""
    cdef Py_ssize_t n = len(lowered), i = 0, j
    cdef int kind = PyUnicode_KIND(lowered)
    cdef void *data = PyUnicode_DATA(lowered)
    while i < n and not _is_word(PyUnicode_READ(kind, data, i)):
        i += 1
    j = i
    while j < n and _is_word(PyUnicode_READ(kind, data, j)):
        j += 1
    return lowered[i:j]


cdef bint _all_digits(str word):
    """``word.isdigit()``."""
    cdef Py_UCS4 c
    if not word:
        return False
    for c in word:
        if not Py_UNICODE_ISDIGIT(c):
            return False
    return True


cdef bint _may_be_byline(str lowered) except -1:
    """``vocabulary.may_be_byline``: the first word after bullets and dashes, up to an ASCII
    space, is a byline word."""
    cdef Py_ssize_t n = len(lowered), i = 0, j
    cdef Py_UCS4 c
    while i < n:
        c = lowered[i]
        if c == "\u2022" or c == "*" or c == "-" or c == " ":
            i += 1
        else:
            break
    j = i
    while j < n and lowered[j] != " ":
        j += 1
    return lowered[i:j] in BYLINE_WORDS


cdef inline bint _year_or_clock_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t i) noexcept:
    """Whether STAMP_PATTERN's year ("19" or "20" and two digits) or clock (one or two digits,
    ":", two digits) may start at ``i`` (which holds a digit)."""
    cdef Py_UCS4 c = PyUnicode_READ(kind, data, i)
    cdef Py_UCS4 d
    if i + 3 < n:
        d = PyUnicode_READ(kind, data, i + 1)
        if ((c == "1" and d == "9") or (c == "2" and d == "0")) and _is_decimal(
            PyUnicode_READ(kind, data, i + 2)
        ) and _is_decimal(PyUnicode_READ(kind, data, i + 3)):
            return True
        if d == ":" and _is_decimal(PyUnicode_READ(kind, data, i + 2)) and _is_decimal(
            PyUnicode_READ(kind, data, i + 3)
        ):
            return True
    if i + 4 < n and _is_decimal(PyUnicode_READ(kind, data, i + 1)):
        if PyUnicode_READ(kind, data, i + 2) == ":" and _is_decimal(
            PyUnicode_READ(kind, data, i + 3)
        ) and _is_decimal(PyUnicode_READ(kind, data, i + 4)):
            return True
    return False


cdef bint _is_stamp(str lowered) except -1:
    """``vocabulary.is_stamp``. ``STAMP_PATTERN`` needs a year or a clock time (see
    ``_year_or_clock_at``), "\u524d" or a word of ``STAMP_WORDS``: the words are read first,
    and the pattern runs only on lines that have one of these."""
    cdef Py_ssize_t n = len(lowered), i = 0, j, other = 0
    cdef int kind = PyUnicode_KIND(lowered)
    cdef void *data = PyUnicode_DATA(lowered)
    cdef bint alpha, may_match = False
    cdef Py_UCS4 c
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        if not _is_word(c):
            i += 1
            continue
        j = i
        alpha = True
        while j < n:
            c = PyUnicode_READ(kind, data, j)
            if not _is_word(c):
                break
            if c == 0x524D or (_is_decimal(c) and _year_or_clock_at(kind, data, n, j)):
                may_match = True
            if not _is_alpha(c):
                alpha = False
            j += 1
        if alpha:
            # STAMP_WORDS hold two to five characters.
            if not may_match and j - i <= 5 and lowered[i:j] in STAMP_WORDS:
                may_match = True
            if j - i > 2 and not (
                _may_hold(&_date_filter, kind, data, i, j) and lowered[i:j] in DATE_WORDS
            ):
                other += 1
        i = j
    if not may_match or not STAMP_PATTERN.search(lowered):
        return False
    return other <= 2


cdef bint _may_caption(str window):
    """False when ``vocabulary.CAPTION_OR_CREDIT`` cannot match ``window[:300]``: its labels
    ("image:", "photo:", "source:" ...) open the line with one of "ipfbcsq" and need a colon,
    its agency credit needs "via ", and its bracketed credit "(" and one of "pifb"."""
    cdef Py_ssize_t n = min(len(window), 300), i
    cdef int kind = PyUnicode_KIND(window)
    cdef void *data = PyUnicode_DATA(window)
    cdef Py_UCS4 c, following
    cdef bint label = n > 0 and PyUnicode_READ(kind, data, 0) in "ipfbcsq"
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c == ":":
            if label:
                return True
        elif c == "(":
            if i + 1 < n:
                following = PyUnicode_READ(kind, data, i + 1)
                if following == "p" or following == "i" or following == "f" or following == "b":
                    return True
        elif c == "v":
            if (
                i + 3 < n
                and PyUnicode_READ(kind, data, i + 1) == "i"
                and PyUnicode_READ(kind, data, i + 2) == "a"
                and PyUnicode_READ(kind, data, i + 3) == " "
            ):
                return True
    return False


cdef inline bint _spells_at(int kind, const void *data, Py_ssize_t n, Py_ssize_t i, str word) noexcept:
    """Whether ``word`` (not empty) is in the text at ``i``."""
    cdef Py_ssize_t k, length = len(word)
    if i + length > n:
        return False
    for k in range(length):
        if PyUnicode_READ(kind, data, i + k) != word[k]:
            return False
    return True


# How far before its anchor a PHOTO_CREDIT match may start ("reuters photo": 8 characters).
DEF PHOTO_REACH = 8


cdef bint _photo_credit(str lowered) except -1:
    """``PHOTO_CREDIT.search(lowered) is not None``, trying the pattern only near its anchors.

    Every alternative of the pattern holds one of "photo", "foto", "bild",
    "\u0444\u043e\u0442\u043e", "/", "image:" or "in this " at most ``PHOTO_REACH``
    characters after where its match starts (at 8 in "reuters photo", 7 in "cr\u00e9dit
    photo", 0 for the others but the agency and "(" prefixes of "photo"), so a match starts
    within ``PHOTO_REACH`` characters before an anchor: the pattern is matched there (each
    position once), not tried at every position of the line. (``_bind`` checks the pattern
    against ``PHOTO_CREDIT_PATTERN``.)"""
    cdef Py_ssize_t n = len(lowered), i, start, tried = 0
    cdef int kind = PyUnicode_KIND(lowered)
    cdef void *data = PyUnicode_DATA(lowered)
    cdef Py_UCS4 c
    cdef bint anchor
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c == "/":
            anchor = True
        elif c == "p":
            anchor = _spells_at(kind, data, n, i, "photo")
        elif c == "f":
            anchor = _spells_at(kind, data, n, i, "foto")
        elif c == "b":
            anchor = _spells_at(kind, data, n, i, "bild")
        elif c == "i":
            anchor = _spells_at(kind, data, n, i, "image:") or _spells_at(
                kind, data, n, i, "in this "
            )
        elif c == "\u0444":
            anchor = _spells_at(kind, data, n, i, "\u0444\u043e\u0442\u043e")
        else:
            continue
        if not anchor:
            continue
        start = max(tried, i - PHOTO_REACH)
        while start <= i:
            if _photo_match(lowered, start) is not None:
                return True
            start += 1
        tried = i + 1
    return False


def photo_credit(str lowered):
    """``vocabulary.PHOTO_CREDIT.search(lowered) is not None``."""
    if not _bound:
        _bind()
    return _photo_credit(lowered)


cdef Py_ssize_t _chrome_count(str lowered, bint sentence, Py_ssize_t words, Py_ssize_t stop) except -1:
    """``vocabulary._chrome_count``: the words of the window are tokenised in one pass and only
    asked about while an answer is still open."""
    cdef str window = lowered[:600]
    cdef Py_ssize_t n = len(window), i = 0, j, hits = 0
    cdef int kind = PyUnicode_KIND(window)
    cdef void *data = PyUnicode_DATA(window)
    cdef bint want_strong = not (sentence and words >= 15)
    cdef bint want_weak = not sentence and words <= 10
    cdef bint strong = False, weak = False
    cdef str token
    firsts = set()
    while i < n:
        if not _is_word(PyUnicode_READ(kind, data, i)):
            i += 1
            continue
        j = i + 1
        while j < n and _is_word(PyUnicode_READ(kind, data, j)):
            j += 1
        if not _may_hold(&_chrome_filter, kind, data, i, j):
            i = j
            continue
        token = window[i:j]
        if want_strong and not strong and token in STRONG_WORDS:
            strong = True
        if want_weak and not weak and token in WEAK_WORDS:
            weak = True
        if token in PHRASE_FIRST_WORDS:
            firsts.add(token)
        i = j
    hits = strong + weak
    if hits >= stop:
        return hits
    for first in firsts:
        for phrase in PHRASES_BY_FIRST_WORD[first]:
            if phrase in window:
                hits += 1
    if hits >= stop:
        return hits
    if _may_caption(window) and CAPTION_OR_CREDIT.search(window[:300]):
        hits += 1
    if _has_cjk(window, 100):
        head = window[:100]
        for word in CJK_CHROME:
            if word in head:
                hits += 1
    return hits


cdef bint _chrome_hits_reach(
    str lowered, bint sentence, Py_ssize_t words, Py_ssize_t need, unsigned int marks
) except -1:
    """``vocabulary.chrome_hits_reach`` (``marks`` are known: their ``PHRASE`` bit says
    whether a chrome phrase is in the first 600 characters)."""
    cdef Py_ssize_t ceiling = 1
    if not (sentence and words >= 15):
        ceiling += 1
    if not sentence and words <= 10:
        ceiling += 1
    if ceiling < need and not marks & PHRASE:
        if PyUnicode_IS_ASCII(lowered) or PyUnicode_IS_ASCII(lowered[:600]):
            return False
        head = lowered[:100]
        for word in CJK_CHROME:
            if word in head:
                break
        else:
            return False
    return _chrome_count(lowered, sentence, words, need) >= need


cdef bint _may_head(str lowered, Py_ssize_t words) except -1:
    return bool(
        (words <= 8 and TEASER_HEADING.match(lowered)) or COMMENT_HEADING.match(lowered)
    )


cdef (int, bint) _classify(
    str head, str lowered, Py_ssize_t words, bint terminal, unsigned int marks
) except *:
    """``lines._classify``; ``marks`` are the group bits of ``_marks`` found in ``lowered``
    (or ``MARKS_UNKNOWN``: searched here when a rule needs them)."""
    cdef str first = None
    cdef bint byline, sentence
    cdef Py_ssize_t need
    if words < 40:
        first = _first_word(lowered)
    if words <= 14:
        if first in FIRST_WORDS_HEADING or _all_digits(first) or not PyUnicode_IS_ASCII(first):
            if words <= 8 and TEASER_HEADING.match(lowered):
                return C_BAD, True
            if COMMENT_HEADING.match(lowered):
                return C_BAD, True
    if words < 150:
        marks = _known_marks(lowered, marks)
    if not terminal and words <= 25:
        byline = _may_be_byline(lowered)
        if words <= 8 and "(@" not in head and _is_stamp(lowered):
            return C_STAMP, False
        if words <= 10 and byline and parse_byline(head.lstrip("\u2022*- ")):
            return C_STAMP, False
        if byline and parse_date(head):
            return C_STAMP, False
        # _CLOCK needs a digit.
        if words <= _SIGNED_WORDS and _may_hold_clock(head) and _CLOCK.search(head) and parse_date(head):
            return C_STAMP, False
    if words < 120 and marks & PHOTO and _photo_credit(lowered):
        return C_BAD, False
    if words < 80 and ("\u00a9" in head or "credit:" in lowered) and FOOTER_CREDIT.search(lowered):
        return C_BAD, False
    if head.endswith(("..", "\u2026")) and not head.endswith(("....", "\u2026\u2026")):
        return C_BAD, False
    if words < 150 and marks & CONSENT_WORD and CONSENT.search(lowered):
        return C_BAD, False
    # CALL_TO_ACTION opens with one of its first words as a whole word (after non-word
    # characters): on other lines it cannot match.
    if words < 40 and first in CALL_TO_ACTION_FIRST_WORDS and CALL_TO_ACTION.match(lowered):
        return C_BAD, False
    if words < 40:
        sentence = terminal and words >= 6
        need = 2 if sentence and words >= 15 else 1
        if _chrome_hits_reach(lowered, sentence, words, need, marks):
            return C_BAD, False
    elif words < 150 and _chrome_hits_reach(lowered, False, words, max(3, words // 15), marks):
        return C_BAD, False
    if ":" in head[:20] and CAPTION_START.match(head):
        return C_BAD, False
    if Py_UNICODE_ISDIGIT(head[0]) and GALLERY_COUNTER.match(head):
        return C_BAD, False
    if words <= 5 and AUTHOR_BOX.match(head):
        return C_BAD, True
    if words < 8 and _is_bullet(head):
        return C_BULLET_BAD, False
    if terminal and words >= 8:
        return C_GOOD, False
    if words >= 25 and _inner_punctuation(head) >= max(2, words // 30):
        return C_GOOD, False
    return C_SHORT, False


def classify(str head, str lowered, Py_ssize_t words, bint terminal):
    """``lines._classify``."""
    if not _bound:
        _bind()
    if not head:
        raise IndexError("classify: an empty line")  # as the twin (it reads head[0])
    kind, heading = _classify(head, lowered, words, terminal, MARKS_UNKNOWN)
    return kind, heading


cdef bint _is_item(str head, str lowered, int kind, unsigned int marks) except -1:
    """``lines._is_item`` (``lowered`` is ``head.lower()``)."""
    if kind == C_BAD:
        if not _is_bullet(head):
            return False
        again = _classify(head, lowered, 8, False, marks)[0]
        return again != C_BAD and again != C_BULLET_BAD
    if kind != C_SHORT:
        return False
    return _is_bullet(head) or ("  " in head and _TABLE_ROW.search(head) is not None)


cdef bint _plain(str head, str lowered, Py_ssize_t start, unsigned int *marks) except -1:
    """The plain-line test of ``lines._line_features``: under 25 tokens of letters only (once
    the harmless marks are read as spaces), none of them a trigger word, none of the marks
    (searched here, into ``marks``, once the cheaper tests pass) and none of the other signs
    any rule reads."""
    cdef Py_ssize_t n = len(lowered), i = start, j, count = 0
    cdef int kind = PyUnicode_KIND(lowered)
    cdef void *data = PyUnicode_DATA(lowered)
    cdef Py_ssize_t starts[MAX_PLAIN_TOKENS]
    cdef Py_ssize_t ends[MAX_PLAIN_TOKENS]
    cdef Py_UCS4 c
    while i < n:
        c = PyUnicode_READ(kind, data, i)
        if _is_space(c) or _is_harmless(c):
            i += 1
            continue
        if count == MAX_PLAIN_TOKENS:
            return False
        j = i
        while j < n:
            c = PyUnicode_READ(kind, data, j)
            if _is_space(c) or _is_harmless(c):
                break
            if not _is_alpha(c):
                return False
            j += 1
        starts[count] = i
        ends[count] = j
        count += 1
        i = j
    if count == 0 or "  " in head:
        return False
    for j in range(count):
        if _may_hold(&_plain_filter, kind, data, starts[j], ends[j]) and (
            lowered[starts[j]:ends[j]] in PLAIN_TRIGGERS
        ):
            return False
    marks[0] = _known_marks(lowered, marks[0])
    if marks[0] & (PHOTO | CONSENT_WORD):
        return False
    if PyUnicode_IS_ASCII(lowered):
        return True
    if _has_cjk(lowered, n):
        return False
    return PyUnicode_IS_ASCII(lowered[starts[0]:ends[0]]) or not _may_head(lowered, count)


cdef tuple _features(str s, Py_ssize_t max_line_chars):
    if not s:
        raise IndexError("line_features: an empty line")  # as the twin (it reads head[0])
    cdef str head = s if len(s) <= max_line_chars else s[:max_line_chars]
    cdef str lowered = head.lower()
    cdef Py_ssize_t words
    cdef bint bullet, terminal, heading, item
    cdef int kind
    cdef unsigned int marks = MARKS_UNKNOWN
    bullet = len(lowered) > 2 and lowered[1] == " " and _is_bullet_char(lowered[0])
    if _plain(head, lowered, 2 if bullet else 0, &marks):
        words = _count_words(head)
        if bullet:
            return words, C_BAD if words < 8 else C_SHORT, False, False, True
        return words, C_SHORT, False, False, False
    words = _count_words(head)
    terminal = _ends_sentence(head)
    kind, heading = _classify(head, lowered, words, terminal, marks)
    if not terminal and words <= 8 and (kind == C_BAD or kind == C_BULLET_BAD):
        return words, C_BAD, heading, terminal, kind == C_BULLET_BAD
    if kind == C_BULLET_BAD:
        kind = C_BAD
    item = kind != C_GOOD and words < 40 and _is_item(head, lowered, kind, marks)
    return words, kind, heading, terminal, item


def line_features(str s, Py_ssize_t max_line_chars):
    """``lines._line_features``: (words, kind, heading, terminal, item) of a stripped line."""
    if not _bound:
        _bind()
    return _features(s, max_line_chars)


def read_lines(str text, *, Py_ssize_t max_lines, Py_ssize_t max_line_chars):
    """``lines.read_lines``: the lines are cut and stripped by index, without splitting the
    page into a list first."""
    if not _bound:
        _bind()
    cdef Py_ssize_t n = len(text), pos = 0, index = 0, line_end, a, b
    cdef Py_ssize_t previous_index = -2
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef str s, previous = ""
    cdef tuple features
    cdef list out = []
    cdef list long_prose = []
    cdef dict seen = {}
    cdef int line_kind
    while index < max_lines and pos <= n:
        line_end = pos
        while line_end < n and PyUnicode_READ(kind, data, line_end) != 10:
            line_end += 1
        a, b = pos, line_end
        pos = line_end + 1
        while a < b and _is_space(PyUnicode_READ(kind, data, a)):
            a += 1
        while b > a and _is_space(PyUnicode_READ(kind, data, b - 1)):
            b -= 1
        if a == b:
            index += 1
            continue
        if _is_invisible(PyUnicode_READ(kind, data, a)) or _is_invisible(
            PyUnicode_READ(kind, data, b - 1)
        ):
            while a < b and _is_invisible_or_space(PyUnicode_READ(kind, data, a)):
                a += 1
            while b > a and _is_invisible_or_space(PyUnicode_READ(kind, data, b - 1)):
                b -= 1
            if a == b:
                index += 1
                continue
        s = text[a:b]
        features = seen.get(s)
        if features is None:
            if b - a <= _MEMO_CHARS:
                features = _short_features(s, max_line_chars)
            else:
                features = _features(s, max_line_chars)
            seen[s] = features
        line_kind = features[1]
        if index == previous_index + 1 and line_kind != C_BAD and s == previous:
            out[len(out) - 1] = out[len(out) - 1]._replace(kind=C_BAD)
        if line_kind == C_GOOD and b - a > _CAPTION_MIN_CHARS:
            long_prose.append(len(out))
        out.append(_make_line(_Line, index, s, features))
        previous, previous_index = s, index
        index += 1
    if len(long_prose) >= _GALLERY_COPIES:
        _mark_gallery(out, long_prose)
    return out


# --- credit lines (twin: metadata._may_be_credit_py) --------------------------------------------

# ``metadata._NON_WORD`` beyond ASCII; ``_bind_credit`` checks it against the twin.
NON_WORD_EXTRA = "\u00a0\u2018\u2019\u201c\u201d\u00ab\u00bb\u2026\u2013\u2014\u2022\u00b7"
cdef bint _credit_bound = False
cdef object _REPORTING_STARTS, _WIRE_ENDS, _CREDIT_LINE, _REPORTING_LINE, _canon_wire
cdef Py_ssize_t _WIRE_END_CHARS


def _bind_credit():
    global _credit_bound, _REPORTING_STARTS, _WIRE_ENDS, _WIRE_END_CHARS
    global _CREDIT_LINE, _REPORTING_LINE, _canon_wire
    from newsfold.clean import metadata as M

    expected = "".join(
        c for c in map(chr, range(128)) if not c.isalnum() and c != "_"
    ) + NON_WORD_EXTRA
    if M._NON_WORD != expected:
        raise ImportError("newsfold.clean._lines: non-word characters differ from metadata.py")
    last_chars = {wire[len(wire) - 1].lower() for wire in M._WIRES}
    if "".join(sorted(last_chars | {c.upper() for c in last_chars} | set("\u017f\u0131\u0130"))) != (
        "".join(sorted(WIRE_LAST_CHARS))
    ) or {start[0] for start in M._REPORTING_STARTS} != set(REPORTING_FIRST_CHARS.lower()):
        raise ImportError("newsfold.clean._lines: wire names or reporting words differ")
    _REPORTING_STARTS, _WIRE_ENDS = M._REPORTING_STARTS, M._WIRE_ENDS
    _WIRE_END_CHARS = M._WIRE_END_CHARS
    _CREDIT_LINE, _REPORTING_LINE, _canon_wire = M._CREDIT_LINE, M._REPORTING_LINE, M._canon_wire
    _credit_bound = True


_NO_CREDIT = (False, None)


def credit_line(str line):
    """``metadata.credit_line_py``: the line's ends are found by index, and only a line that
    may be a credit is copied out and matched."""
    if not _credit_bound:
        _bind_credit()
    cdef Py_ssize_t a = 0, b = len(line)
    while a < b and _is_space(line[a]):
        a += 1
    while b > a and _is_space(line[b - 1]):
        b -= 1
    if a == b or b - a > 300:
        return _NO_CREDIT
    cdef str text = line[a:b]
    if not may_be_credit(text):
        return _NO_CREDIT
    match = _CREDIT_LINE.match(text)
    if match:
        return True, _canon_wire(match.group(1))
    if _REPORTING_LINE.match(text):
        return True, None
    return _NO_CREDIT


# The characters a wire name (``metadata._WIRES``) ends with, in either case, and those ``re``
# also takes for one of them when case is ignored (long s, dotless i, capital I with a dot);
# the characters a reporting word opens with. ``_bind_credit`` checks both against metadata.
WIRE_LAST_CHARS = "esnaligopxudESNALIGOPXUD\u017f\u0131\u0130"
REPORTING_FIRST_CHARS = "arwecpARWECP"


def may_be_credit(str text):
    """False when a (stripped) line can match neither credit pattern, decided from its ends
    without running them. ``metadata._REPORTING_LINE`` needs the first word character (after
    ``\\W*``) to open a reporting word; ``metadata._CREDIT_LINE`` needs the last one (before
    ``\\W*`` and an optional "\\s+\\d{4}" year) to end a wire name. The purpose of
    ``metadata._may_be_credit_py``, reading the ends as the patterns do (``\\W`` is any
    non-word character), so that lines in other scripts are turned down too; ``credit_line``
    gives the same answers either way (tested)."""
    if not _credit_bound:
        _bind_credit()
    cdef Py_ssize_t n = len(text), i = 0, end, k
    cdef str first, last
    while i < n and not _is_word(text[i]):
        i += 1
    if i < n and text[i] in REPORTING_FIRST_CHARS:
        first = text[i:i + 10]
        if not PyUnicode_IS_ASCII(first) or first.lower().startswith(_REPORTING_STARTS):
            return True
    end = n
    while end > 0 and not _is_word(text[end - 1]):
        end -= 1
    if end == 0:
        return False
    if _is_decimal(text[end - 1]):
        # No wire name ends with a digit: only a year may follow the name.
        if end < 6 or not _is_space(text[end - 5]):
            return False
        for k in range(end - 4, end):
            if not _is_decimal(text[k]):
                return False
        end -= 5
        while end > 0 and _is_space(text[end - 1]):
            end -= 1
        if end == 0:
            return False
    if text[end - 1] not in WIRE_LAST_CHARS:
        return False
    last = text[max(0, end - _WIRE_END_CHARS):end]
    return not PyUnicode_IS_ASCII(last) or last.lower().endswith(_WIRE_ENDS)


# --- run weights (twin: runs._weights_py) ----------------------------------------------------------

cdef bint _runs_bound = False
cdef double _GOOD_CAP, _HEADING_COST, _BAD_COST, _STAMP_COST, _ITEM_COST, _SHORT_COST
cdef double _ISOLATED_SHARE
cdef Py_ssize_t _MAX_LIST, _MAX_SHORT_RUN


def _bind_runs():
    global _runs_bound, _GOOD_CAP, _HEADING_COST, _BAD_COST, _STAMP_COST, _ITEM_COST
    global _SHORT_COST, _ISOLATED_SHARE, _MAX_LIST, _MAX_SHORT_RUN
    from newsfold.clean import runs as R

    _GOOD_CAP, _HEADING_COST, _BAD_COST = R._GOOD_CAP, R._HEADING_COST, R._BAD_COST
    _STAMP_COST, _ITEM_COST, _SHORT_COST = R._STAMP_COST, R._ITEM_COST, R._SHORT_COST
    _ISOLATED_SHARE, _MAX_LIST, _MAX_SHORT_RUN = R._ISOLATED_SHARE, R._MAX_LIST, R._MAX_SHORT_RUN
    _runs_bound = True


cdef struct Cell:
    int kind
    bint heading
    bint item
    bint table_row


cdef int _neighbour_kind(Cell *cells, Py_ssize_t n, Py_ssize_t position, Py_ssize_t step) noexcept:
    """``runs._neighbour_kind``."""
    cdef Py_ssize_t crossed = 0
    position += step
    if 0 <= position < n and not cells[position].item:
        return cells[position].kind
    while 0 <= position < n and crossed < _MAX_LIST:
        if not cells[position].table_row:
            return cells[position].kind
        position += step
        crossed += 1
    return C_BAD


def run_weights(list lines, Py_ssize_t anchor):
    """``runs._weights_py``: each line's weight in the run search, a paragraph alone between
    non-prose lines counting for less, and everything from a comments heading under the
    anchor's prose on costing as chrome."""
    if not _bound:
        _bind()
    if not _runs_bound:
        _bind_runs()
    cdef Py_ssize_t prose = 0, cut = -1
    cdef Py_ssize_t n = len(lines), position
    cdef Cell *cells = <Cell *>malloc(max(n, 1) * sizeof(Cell))
    cdef list weights = [0.0] * n
    cdef tuple line
    cdef double weight
    cdef str text
    if cells == NULL:
        raise MemoryError()
    try:
        for position in range(n):
            line = <tuple>lines[position]
            cells[position].kind = line[3]
            cells[position].heading = line[4]
            cells[position].item = line[6]
            text = line[1]
            cells[position].table_row = (
                cells[position].item
                and cells[position].kind == C_SHORT
                and not _is_bullet_char(text[0])
            )
        for position in range(n):
            if cells[position].kind == C_GOOD:
                weight = min(<double>(<long>lines[position][2]), _GOOD_CAP)
                if (
                    _neighbour_kind(cells, n, position, -1) != C_GOOD
                    and _neighbour_kind(cells, n, position, 1) != C_GOOD
                ):
                    weight *= _ISOLATED_SHARE
            elif cells[position].heading:
                weight = -_HEADING_COST
            elif cells[position].kind == C_BAD:
                weight = -_BAD_COST
            elif cells[position].kind == C_STAMP:
                weight = -_STAMP_COST
            elif cells[position].table_row:
                weight = -_ITEM_COST
            else:
                weight = -_SHORT_COST
            weights[position] = weight
        if 0 <= anchor < n:
            for position in range(anchor, n):
                if cells[position].kind == C_GOOD:
                    prose += 1
                if cells[position].heading and prose >= 2:
                    text = (<tuple>lines[position])[1]
                    if not _is_bullet_char(text[0]) and COMMENT_HEADING.match(text.lower()):
                        cut = position
                        break
            if cut >= 0:
                for position in range(cut, n):
                    weights[position] = -_BAD_COST
    finally:
        free(cells)
    return weights


cdef inline bint _crossable(Cell *cells, Py_ssize_t position, Py_ssize_t steps) noexcept:
    """``runs._crossable``."""
    if cells[position].item:
        return steps < _MAX_LIST
    return cells[position].kind == C_SHORT and steps < _MAX_SHORT_RUN


def kept_lines(list lines, Py_ssize_t start, Py_ssize_t end):
    """``runs._kept_py``: prose, and the short lines and items prose surrounds (within
    ``_MAX_SHORT_RUN`` short lines or ``_MAX_LIST`` items)."""
    if not _runs_bound:
        _bind_runs()
    cdef Py_ssize_t position, before, after, steps, n = end - start + 1
    cdef list kept = []
    cdef tuple line
    if n <= 0:
        return kept
    if start < 0 or end >= len(lines):
        raise IndexError("kept_lines: the run lies outside the lines")
    cdef Cell *cells = <Cell *>malloc(n * sizeof(Cell))
    if cells == NULL:
        raise MemoryError()
    try:
        for position in range(n):
            line = <tuple>lines[start + position]
            cells[position].kind = line[3]
            cells[position].item = line[6]
        for position in range(n):
            if cells[position].kind == C_GOOD:
                kept.append(start + position)
                continue
            if cells[position].kind != C_SHORT and not cells[position].item:
                continue
            before = position - 1
            steps = 0
            while before >= 0 and _crossable(cells, before, steps):
                before -= 1
                steps += 1
            after = position + 1
            steps = 0
            while after < n and _crossable(cells, after, steps):
                after += 1
                steps += 1
            if (
                before >= 0
                and after < n
                and cells[before].kind == C_GOOD
                and cells[after].kind == C_GOOD
            ):
                kept.append(start + position)
    finally:
        free(cells)
    return kept


def best_segment(list weights):
    """``runs._best_segment_py``: the maximum-sum contiguous segment (Kadane)."""
    cdef Py_ssize_t n = len(weights), position, current_start = 0, best_start = -1, best_end = -1
    cdef double best_sum = 0.0, current = 0.0, weight
    for position in range(n):
        weight = weights[position]
        if current <= 0.0:
            current = 0.0
            current_start = position
        current += weight
        if current > best_sum:
            best_sum = current
            best_start, best_end = current_start, position
    return best_start, best_end, best_sum


# --- headline candidates (twin: article._slug_overlaps_py) --------------------------------------

cdef bint _article_bound = False
cdef object _TOKEN


def _bind_article():
    global _article_bound, _TOKEN
    from newsfold.clean import article as A

    _TOKEN = A._TOKEN
    _article_bound = True


# The ASCII letters and digits a character can spell, as bits (a-z: 0-25, 0-9: 26-35):
# ``_LETTERS[c]`` for a character of the Basic Multilingual Plane is what
# ``fold_accents(chr(c).lower())`` holds ("\u00c9" -> e, "\ufb01" -> f and i, "\u212a" -> k),
# filled once at import; a character past it may spell anything (``_ALL_LETTERS``).
cdef uint64_t _ALL_LETTERS = (<uint64_t>1 << 36) - 1
# Also in ``_LETTERS``: the character spells nothing (a combining accent), joining its neighbours.
cdef uint64_t _VANISHES = (<uint64_t>1) << 40
cdef uint64_t _LETTERS[65536]


cdef inline uint64_t _ascii_letter(uint32_t c) noexcept:
    if c >= 97 and c <= 122:  # a-z
        return (<uint64_t>1) << (c - 97)
    if c >= 65 and c <= 90:  # A-Z
        return (<uint64_t>1) << (c - 65)
    if c >= 48 and c <= 57:  # 0-9
        return (<uint64_t>1) << (c - 48 + 26)
    return 0


cdef int _fill_letters() except -1:
    """Fill ``_LETTERS``: every non-ASCII character of the plane (surrogates aside, read as
    spelling anything) spelt at once, one per line: lower-casing and NFKD act on each
    character alone (the one context rule, Greek final sigma, makes no ASCII letter) and never
    make or move a newline. Should the count of lines ever differ, every character is read as
    spelling anything (slower, still exact)."""
    cdef Py_ssize_t c, i, n, index = 0, piece = 0
    cdef Py_UCS4 ch
    for c in range(128):
        _LETTERS[c] = _ascii_letter(<uint32_t>c)
    codes = [c for c in range(128, 65536) if not 0xD800 <= c <= 0xDFFF]
    cdef str spelt = fold_accents("\n".join(map(chr, codes)).lower())
    if spelt.count("\n") != len(codes) - 1:
        for c in range(128, 65536):
            _LETTERS[c] = _ALL_LETTERS
        return 0
    for c in range(128, 65536):
        _LETTERS[c] = _ALL_LETTERS if 0xD800 <= c <= 0xDFFF else 0
    n = len(spelt)
    for i in range(n + 1):
        ch = spelt[i] if i < n else 10
        if ch == 10:
            if i == piece:
                _LETTERS[<Py_ssize_t>codes[index]] |= _VANISHES
            index += 1
            piece = i + 1
        elif ch < 128:
            _LETTERS[<Py_ssize_t>codes[index]] |= _ascii_letter(ch)
    return 0


def letters(str text):
    """The bits of the ASCII letters and digits ``fold_accents(text.lower())`` may hold (all
    of them, exactly, for text of the Basic Multilingual Plane)."""
    return _letters(text)


cdef uint64_t _letters(str text) noexcept:
    cdef Py_ssize_t n = len(text), i
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef uint64_t found = 0
    cdef Py_UCS4 c
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c >= 65536:
            return _ALL_LETTERS
        found |= _LETTERS[c]
    return found & _ALL_LETTERS


cdef inline int _alnum_index(uint32_t c) noexcept:
    """The letter's or digit's bit in ``_LETTERS`` for an ASCII character, -1 for the others."""
    if c >= 97 and c <= 122:
        return c - 97
    if c >= 65 and c <= 90:
        return c - 65
    if c >= 48 and c <= 57:
        return c - 48 + 26
    return -1


# Pairs of adjacent letters or digits (36 * 36) as bits.
DEF PAIR_WORDS = 21

# ``_alnum_index`` of each ASCII character, ``_DROPPED`` for "'" (the spelling drops it).
DEF _DROPPED = -2
cdef signed char _ASCII_INDEX[128]
for _code in range(128):
    _ASCII_INDEX[_code] = _DROPPED if _code == 39 else _alnum_index(_code)


cdef bint _spelt_pairs(str text, uint64_t *pairs, uint64_t *have) noexcept:
    """The letters (``have``) and the pairs of adjacent letters and digits (``pairs``) of the
    slug matcher's spelling of ``text``, when each of its characters is ASCII (lower-cased,
    "'" dropped), spells nothing (an accent, "\u2019": dropped) or spells no ASCII letter or
    digit (a space, a dash: a gap). False, with nothing known, when a character spells other
    letters than its own (an accented letter, a ligature, a character past the plane)."""
    cdef Py_ssize_t k
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    for k in range(PAIR_WORDS):
        pairs[k] = 0
    have[0] = 0
    if kind == PyUnicode_1BYTE_KIND:
        return _pairs_in(<uint8_t *>data, len(text), pairs, have)
    if kind == PyUnicode_2BYTE_KIND:
        return _pairs_in(<uint16_t *>data, len(text), pairs, have)
    return False  # past the plane, or spelt from the plane's end: nothing known


cdef inline bint _pairs_in(const char_t *data, Py_ssize_t n, uint64_t *pairs, uint64_t *have) noexcept:
    cdef Py_ssize_t i
    cdef int previous = -1, index
    cdef uint32_t c, pair
    cdef uint64_t bits
    for i in range(n):
        c = data[i]
        if c < 128:
            index = _ASCII_INDEX[c]
            if index == _DROPPED:
                continue
        else:
            bits = _LETTERS[c]
            if c == 0x2019 or bits & _VANISHES:
                continue
            if bits & _ALL_LETTERS:
                return False
            index = -1
        if index >= 0:
            have[0] |= (<uint64_t>1) << index
            if previous >= 0:
                pair = <uint32_t>(previous * 36 + index)
                pairs[pair >> 6] |= (<uint64_t>1) << (pair & 63)
        previous = index
    return True



cdef uint64_t _word_letters(str word) noexcept:
    """The letters ``word`` needs, or 0 (it may be anywhere) when it holds a character other
    than a-z and 0-9."""
    cdef uint64_t need = 0
    cdef Py_UCS4 c
    for c in word:
        if not ((c >= 97 and c <= 122) or (c >= 48 and c <= 57)):
            return 0
        need |= _ascii_letter(c)
    return need


def slug_overlaps(list lines, slug):
    """``article._slug_overlaps_py``: the candidates are picked, the spelt text cut into
    lines and the slug words' hits assigned to lines in C; spelling (lower-casing, quotes,
    accents) and the words of the lines holding two hits are left to the same calls.

    Only candidates that may spell two slug words are spelt: a line lacking a letter of a
    word (``_letters``: what its characters may spell), or a pair of adjacent letters of it
    (``_spelt_pairs``, for lines whose characters spell no other letters than their own),
    cannot hold it. The twin's answer for
    a line depends on that line alone (its hits are counted within it, and spelling acts on
    each line alone), so the lines left out are those it leaves out for too few hits."""
    if not _article_bound:
        _bind_article()
    cdef Py_ssize_t n = len(lines), p, count = 0, k, low, high, middle, at, length
    cdef Py_ssize_t nwords = len(slug), w, possible, j
    cdef tuple line
    cdef object words
    cdef list positions = []
    cdef uint64_t have
    cdef uint64_t line_pairs[PAIR_WORDS]
    cdef bint paired
    cdef uint32_t pair
    # Each word's letters (0 when it holds a character other than a-z and 0-9: it may be
    # anywhere) and, from firsts[w] to firsts[w + 1], the pairs of adjacent letters it spells.
    cdef uint64_t *need = <uint64_t *>malloc(max(nwords, 1) * sizeof(uint64_t))
    cdef Py_ssize_t *firsts = <Py_ssize_t *>malloc((nwords + 1) * sizeof(Py_ssize_t))
    cdef uint32_t *word_pairs = NULL
    try:
        if need == NULL or firsts == NULL:
            raise MemoryError()
        word_pairs = <uint32_t *>malloc(max(1, sum(map(len, slug))) * sizeof(uint32_t))
        if word_pairs == NULL:
            raise MemoryError()
        w = 0
        firsts[0] = 0
        for word in slug:
            need[w] = _word_letters(word)
            firsts[w + 1] = firsts[w]
            if need[w]:
                for j in range(1, len(word)):
                    word_pairs[firsts[w + 1]] = <uint32_t>(
                        _alnum_index(ord(word[j - 1])) * 36 + _alnum_index(ord(word[j]))
                    )
                    firsts[w + 1] += 1
            w += 1
        for p in range(n):
            line = <tuple>lines[p]
            words = line[2]
            if not (3 <= words <= 30 and line[3] != C_GOOD):
                continue
            paired = _spelt_pairs(line[1], line_pairs, &have)
            if not paired:
                have = _letters(line[1])
            possible = 0
            for w in range(nwords):
                if need[w] & ~have:
                    continue
                if paired:
                    for j in range(firsts[w], firsts[w + 1]):
                        pair = word_pairs[j]
                        if not (line_pairs[pair >> 6] >> (pair & 63)) & 1:
                            break
                    else:
                        possible += 1
                else:
                    possible += 1
                if possible == 2:
                    positions.append(p)
                    break
    finally:
        free(need)
        free(firsts)
        free(word_pairs)
    if not slug or not positions:
        return {}
    spelt = "\n".join([(<tuple>lines[p])[1] for p in positions]).lower().replace("'", "")
    if not PyUnicode_IS_ASCII(spelt):
        spelt = fold_accents(spelt.replace("\u2019", ""))
    cdef str text = spelt
    cdef int kind
    cdef void *data
    length = len(text)
    count = len(positions)
    # starts[k]: where candidate k starts in ``text``; starts[count] is one past the end + 1.
    cdef Py_ssize_t *starts = <Py_ssize_t *>malloc((count + 1) * sizeof(Py_ssize_t))
    # found[k]: how many slug words candidate k holds as substrings.
    cdef Py_ssize_t *found = <Py_ssize_t *>calloc(count, sizeof(Py_ssize_t))
    cdef dict out = {}
    try:
        if starts == NULL or found == NULL:
            raise MemoryError()
        starts[0] = 0
        at = -1
        for k in range(1, count + 1):
            at = PyUnicode_FindChar(text, 10, at + 1, length, 1)
            if (at < 0) != (k == count):
                # Lower-casing, quotes and accents never make or remove a newline.
                raise AssertionError("newsfold.clean._lines: spelt candidates lost their lines")
            if at >= 0:
                starts[k] = at + 1
        starts[count] = length + 1
        for word in slug:
            at = PyUnicode_Find(text, word, 0, length, 1)
            while at >= 0:
                low, high = 0, count
                while high - low > 1:  # the last k with starts[k] <= at
                    middle = (low + high) // 2
                    if starts[middle] <= at:
                        low = middle
                    else:
                        high = middle
                found[low] += 1
                if low + 1 == count:
                    break
                at = PyUnicode_Find(text, word, starts[low + 1], length, 1)
        for k in range(count):
            if found[k] < 2:
                continue
            line_spelt = text[starts[k]:starts[k + 1] - 1]
            shared = len(slug.intersection(_TOKEN.findall(line_spelt)))
            if shared >= 2:
                out[positions[k]] = shared / len(slug)
    finally:
        free(starts)
        free(found)
    return out


# --- accent folding (twin: metadata.fold_accents_py) ----------------------------------------------

from unicodedata import normalize as _normalize


def fold_accents(str text):
    """``metadata.fold_accents_py``: NFKD, then the combining diacritical marks (U+0300 to
    U+036F) dropped by one scan, which returns the normalised text itself when it holds none
    (most text)."""
    cdef str folded = _normalize("NFKD", text)
    cdef Py_ssize_t n = len(folded), i, start = 0
    cdef int kind = PyUnicode_KIND(folded)
    cdef void *data = PyUnicode_DATA(folded)
    cdef Py_UCS4 c
    cdef list pieces = None
    if PyUnicode_IS_ASCII(folded):
        return folded
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if 0x300 <= c <= 0x36F:
            if pieces is None:
                pieces = []
            if i > start:
                pieces.append(folded[start:i])
            start = i + 1
    if pieces is None:
        return folded
    if n > start:
        pieces.append(folded[start:n])
    return "".join(pieces)


cdef bint _may_open_byline(str text):
    """False when ``metadata.parse_byline(text.lstrip("\u2022*- "))`` is None for sure: its
    first character (after those marks, then whitespace) opens no byline word."""
    cdef Py_ssize_t n = len(text), i = 0
    cdef Py_UCS4 c
    while i < n:
        c = text[i]
        if c == "\u2022" or c == "*" or c == "-" or c == " ":
            i += 1
        else:
            break
    while i < n and _is_space(text[i]):
        i += 1
    return i < n and text[i] in _BYLINE_FIRST


cdef bint _may_hold_date(str text):
    """False when ``metadata.parse_date(text)`` is None for sure: no digit in its first 300
    characters."""
    cdef Py_ssize_t n = min(len(text), 300), i
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    for i in range(n):
        if _is_decimal(PyUnicode_READ(kind, data, i)):
            return True
    return False


def first_header_line(list lines):
    """``article._first_header_line_py``: the first line of at most 12 words, not prose, that
    is a byline or holds a date; -1 when none. The readers run only on lines that pass their
    first cheap test."""
    if not _bound:
        _bind()
    cdef Py_ssize_t position, n = len(lines)
    cdef tuple line
    cdef str text
    for position in range(n):
        line = <tuple>lines[position]
        if line[2] > 12 or line[3] == C_GOOD:
            continue
        text = line[1]
        if _may_open_byline(text) and parse_byline(text.lstrip("\u2022*- ")) is not None:
            return position
        if _may_hold_date(text) and parse_date(text) is not None:
            return position
    return -1


# --- body paragraphs (twin: article._paragraphs_py) -------------------------------------------------


cdef bint _single_spaced_already(str text) noexcept:
    """Printable, without two spaces in a row or a space at either end (see
    ``article._single_spaced``): nothing for ``" ".join(text.split())`` to change."""
    cdef Py_ssize_t n = len(text), i
    cdef int kind = PyUnicode_KIND(text)
    cdef void *data = PyUnicode_DATA(text)
    cdef Py_UCS4 c, previous = 32
    if n and PyUnicode_READ(kind, data, n - 1) == 32:
        return False
    for i in range(n):
        c = PyUnicode_READ(kind, data, i)
        if c == 32:
            if previous == 32:  # two spaces, or one opening the text
                return False
        elif not _class(c) & PRINTABLE:
            return False
        previous = c
    return True


cdef bint _blank(str text) noexcept:
    """``not text.strip()``."""
    cdef Py_UCS4 c
    for c in text:
        if not _is_space(c):
            return False
    return True


def body_paragraphs(list paragraphs, Py_ssize_t max_chars):
    """``article._paragraphs_py``: the non-blank paragraphs, cut at ``max_chars`` and with
    their whitespace collapsed to single spaces."""
    cdef list out = []
    cdef str paragraph
    for paragraph in paragraphs:
        if _blank(paragraph):
            continue
        if len(paragraph) > max_chars:
            paragraph = paragraph[:max_chars]
        if not _single_spaced_already(paragraph):
            paragraph = " ".join(paragraph.split())
        out.append(paragraph)
    return tuple(out)


_fill_letters()

# cython: language_level=3
# distutils: extra_compile_args = -ffp-contract=off
"""Compiled twins of the story-feature kernels of ``newsfold.stories.features``.

Each function returns exactly what its pure-Python twin returns (same strings, same floats, same
order): the term counts and weights, the entity tokens of capitalised spans, the ranking and
normalisation, the numbers and dates. The floats are the same because every operation is the
twin's, in the twin's order (IEEE double additions, libm ``log`` and ``sqrt``, the same
divisions); ``-ffp-contract=off`` keeps the compiler from fusing a product into the following
sum (an FMA rounds once where Python rounds twice). ``\\w`` is Python's: ``str.isalnum()`` or
``_``; ``\\d`` is ``str.isdecimal()``, as in the ``re`` module's Unicode patterns.
"""

import sys

cimport cython
from cpython.object cimport PyObject
from cpython.dict cimport PyDict_GetItem
from cpython.ref cimport Py_INCREF, Py_DECREF, Py_XDECREF
from cpython.unicode cimport (
    PyUnicode_DATA,
    PyUnicode_GET_LENGTH,
    PyUnicode_KIND,
    PyUnicode_READ,
    Py_UNICODE_ISALNUM,
    Py_UNICODE_ISALPHA,
    Py_UNICODE_ISDECIMAL,
    Py_UNICODE_ISDIGIT,
    Py_UNICODE_ISLOWER,
    Py_UNICODE_ISTITLE,
    Py_UNICODE_ISUPPER,
)

from newsfold._chars cimport _Chars, _at, _casefolded, _chars, _is_word, _token_end
from libc.math cimport log, log10, sqrt, fabs, nearbyint, pow, isfinite
from libc.stdlib cimport calloc, malloc, realloc, free
from libc.string cimport memcmp, memcpy

cdef extern from "Python.h":
    # Called on two str (the ranked terms), where it cannot fail.
    int PyUnicode_Compare(PyObject* left, PyObject* right) noexcept
    void PyUnicode_InternInPlace(PyObject **p)
    object PyUnicode_FromKindAndData(int kind, const void* buffer, Py_ssize_t size)

# Python 3.12 sums floats with compensation (sum() of a generator, as the twin does): there the
# norm is summed by the builtin itself; before, sum() adds left to right in a C double, as here.
cdef bint _COMPENSATED_SUM = sys.version_info >= (3, 12)
_builtin_sum = sum
_builtin_round = round
_builtin_max = max


cdef inline bint _is_letter(Py_UCS4 ch) noexcept:
    # [^\W\d_]: a word character that is neither a decimal digit nor the underscore
    if ch < 128:
        return (u'a' <= ch <= u'z') or (u'A' <= ch <= u'Z')
    return Py_UNICODE_ISALNUM(ch) and not Py_UNICODE_ISDECIMAL(ch)


cdef inline bint _is_decimal(Py_UCS4 ch) noexcept:
    if ch < 128:
        return u'0' <= ch <= u'9'
    return Py_UNICODE_ISDECIMAL(ch)


cdef inline bint _is_upper(Py_UCS4 ch) noexcept:
    if ch < 128:
        return u'A' <= ch <= u'Z'
    return Py_UNICODE_ISUPPER(ch)


cdef inline bint _is_unspaced(Py_UCS4 ch) noexcept:
    # [\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0e7f]
    return (
        (0x3040 <= ch <= 0x30ff) or (0x3400 <= ch <= 0x4dbf) or (0x4e00 <= ch <= 0x9fff)
        or (0xf900 <= ch <= 0xfaff) or (0xac00 <= ch <= 0xd7af) or (0x0e00 <= ch <= 0x0e7f)
    )


cdef struct _Ranked:
    double weight
    PyObject* term


cdef double _zipf_of_tables(str word, tuple tables) except? -1.0:
    """``newsfold.stories.features._zipf_py``: the largest ``log10(frequency * 1e9)`` over the
    tables; a word absent from a table takes the frequency of its rarest part there when it is a
    compound (parts between apostrophes and hyphens)."""
    cdef double best = 0.0, frequency, part, value
    cdef list parts = None
    cdef Py_ssize_t k, start, n
    cdef PyObject* found
    cdef dict table
    for table in tables:
        found = PyDict_GetItem(table, word)
        if found is not NULL:
            frequency = <double><object>found
        else:
            if parts is None:
                # [p for p in re.split("['\\-]", word) if p]: the pieces between joiners
                parts = []
                n = len(word)
                start = 0
                for k in range(n + 1):
                    if k == n or word[k] == u"'" or word[k] == u'-':
                        if k > start:
                            parts.append(word[start:k])
                        start = k + 1
            frequency = 0.0
            if len(parts) > 1:
                # min() of the parts' frequencies (0.0 for a part not in the table)
                for k in range(len(parts)):
                    found = PyDict_GetItem(table, parts[k])
                    part = 0.0 if found is NULL else <double><object>found
                    if k == 0 or part < frequency:
                        frequency = part
        if frequency != 0.0:
            value = log10(frequency * 1e9)
            if value > best:
                best = value
    return best


def zipf_of_tables(str word, tuple tables):
    """``newsfold.stories.features._zipf_py`` (the computation behind ``zipf``'s memo)."""
    return _zipf_of_tables(word, tables)


cdef size_t _FNV_OFFSET = 14695981039346656037ULL
cdef size_t _FNV_PRIME = 1099511628211ULL


# The memo's first table (slots; it doubles past half full).
cdef enum:
    _MEMO_START = 4096


cdef inline size_t _spread(size_t hash) noexcept:
    # The low bits of an FNV-1a hash come from the low bits of its last products only: the
    # memo's slot is taken from bits 20 and up of the hash times 2**64 / golden ratio
    # (Fibonacci hashing), each of which depends on all the bits below it.
    return (hash * 11400714819323198485ULL) >> 20


cdef struct _Word:
    # A word of the memo (32 bytes): its hash (FNV-1a over the code points, as ``_Counts``
    # hashes), the word (an interned str, owned; NULL for a free slot), its zipf, and its
    # weight once asked (-1.0 before: a weight is never negative; computed on demand because
    # the weight of some settings raises, as the twin's does, and only where the twin asks).
    size_t hash
    PyObject* word
    double zipf
    double weight


cdef inline size_t _fnv(unsigned int kind, const void* data, Py_ssize_t length) noexcept:
    """FNV-1a over the code points (as ``_Counts.slot`` computes it, whatever the width)."""
    cdef size_t hash = _FNV_OFFSET
    cdef Py_ssize_t k
    for k in range(length):
        hash = (hash ^ <size_t>PyUnicode_READ(kind, data, k)) * _FNV_PRIME
    return hash


cdef inline bint _spells(PyObject* word, unsigned int kind, const void* data, Py_ssize_t length) noexcept:
    """Whether the str ``word`` is the code points ``data[:length]`` (of width ``kind``)."""
    cdef unsigned int word_kind = PyUnicode_KIND(<object>word)
    cdef const void* word_data = PyUnicode_DATA(<object>word)
    cdef Py_ssize_t k
    if PyUnicode_GET_LENGTH(<object>word) != length:
        return False
    if word_kind == kind:
        return memcmp(word_data, data, length * kind) == 0
    for k in range(length):
        if PyUnicode_READ(word_kind, word_data, k) != PyUnicode_READ(kind, data, k):
            return False
    return True


@cython.final
cdef class Weights:
    """``term_weight`` and ``zipf`` of ``newsfold.stories.features`` for one set of tables and
    idf settings, with a memo of its own: an open-addressing table of ``_Word`` keyed by the
    words' code points, so a word of a text is looked up without making a str of it (a repeated
    word costs no allocation, no string hash, no dict probe) and comes back as the interned str
    the features store. Past ``bound`` words the memo starts again, at the next call of a
    kernel (never inside one, nor while one is under way: the kernels borrow its strs until
    they return). A memo of a pure function: what it holds never changes a result.

    ``ceiling``, ``floor`` and ``power`` are the options' numbers, combined by Python's own
    operators (``max``, ``-``, ``**``) so that the weight is the twin's float.
    """

    cdef _Word* words
    cdef size_t mask  # the table's size - 1 (a power of two)
    cdef Py_ssize_t size
    cdef tuple tables
    cdef dict zipf_memo
    cdef Py_ssize_t zipf_bound
    cdef readonly tuple languages
    cdef object ceiling, floor, power
    cdef double c_ceiling, c_floor, c_power
    cdef bint c_weights  # the settings are floats with a positive finite power: C computes
    cdef Py_ssize_t bound
    cdef Py_ssize_t active  # kernel calls under way (see ``_enter``)

    def __cinit__(self):
        self.words = NULL
        self.mask = 0
        self.size = 0
        self.active = 0

    def __init__(
        self, tuple languages, tuple tables, ceiling, floor, power, Py_ssize_t bound,
        dict zipf_memo, Py_ssize_t zipf_bound,
    ):
        self.languages = languages
        self.tables = tables
        self.zipf_memo = zipf_memo
        self.zipf_bound = zipf_bound
        self.ceiling = ceiling
        self.floor = floor
        self.power = power
        self.c_weights = (
            type(ceiling) is float and type(floor) is float and type(power) is float
            and 0.0 < power < float("inf")
        )
        if self.c_weights:
            self.c_ceiling = ceiling
            self.c_floor = floor
            self.c_power = power
        self.bound = bound
        self._reset()

    def __dealloc__(self):
        self._forget()
        free(self.words)

    cdef void _forget(self) noexcept:
        cdef size_t k
        if self.words is not NULL:
            for k in range(self.mask + 1):
                if self.words[k].word is not NULL:
                    Py_XDECREF(self.words[k].word)
                    self.words[k].word = NULL
        self.size = 0

    cdef int _reset(self) except -1:
        """An empty memo of the initial size."""
        self._forget()
        free(self.words)
        self.mask = _MEMO_START - 1
        self.words = <_Word*>calloc(_MEMO_START, sizeof(_Word))
        if self.words is NULL:
            self.mask = 0
            raise MemoryError()
        return 0

    cdef inline int _enter(self) except -1:
        """Called as a kernel starts: the memo bounded, never while another kernel call is
        under way (one started by code that this one's allocations ran: a finalizer, another
        thread), since a kernel borrows the memo's strs until it returns (``_leave``)."""
        if self.active == 0 and self.size > self.bound:
            self._reset()
        self.active += 1
        return 0

    cdef inline void _leave(self) noexcept:
        self.active -= 1

    cdef int _grow(self) except -1:
        cdef size_t k, position, mask = 2 * self.mask + 1
        cdef _Word* words = <_Word*>calloc(mask + 1, sizeof(_Word))
        if words is NULL:
            raise MemoryError()
        for k in range(self.mask + 1):
            if self.words[k].word is not NULL:
                position = _spread(self.words[k].hash) & mask
                while words[position].word is not NULL:
                    position = (position + 1) & mask
                words[position] = self.words[k]
        free(self.words)
        self.words = words
        self.mask = mask
        return 0

    cdef _Word* _find(
        self, size_t hash, unsigned int kind, const void* data, Py_ssize_t length
    ) except NULL:
        """The memo's entry of the word ``data[:length]`` (hash ``hash``), made when new."""
        cdef size_t position = _spread(hash) & self.mask
        cdef _Word* entry
        while True:
            entry = &self.words[position]
            if entry.word is NULL:
                break
            if entry.hash == hash and _spells(entry.word, kind, data, length):
                return entry
            position = (position + 1) & self.mask
        return self._add(hash, PyUnicode_FromKindAndData(kind, data, length))

    cdef _Word* _find_str(self, str word) except NULL:
        cdef unsigned int kind = PyUnicode_KIND(word)
        cdef const void* data = PyUnicode_DATA(word)
        cdef Py_ssize_t length = PyUnicode_GET_LENGTH(word)
        return self._find(_fnv(kind, data, length), kind, data, length)

    cdef _Word* _add(self, size_t hash, str word) except NULL:
        """A new entry: ``word`` interned, its zipf and weight computed as the twins do."""
        cdef size_t position
        cdef _Word* entry
        cdef double zipf = _zipf_of_tables(word, self.tables)
        if 2 * (<size_t>self.size + 1) > self.mask:
            self._grow()
        word = _interned(word)
        # ``zipf``'s own memo learns the word too: the stories index asks ``zipf`` of the
        # terms it keys on, just computed here.
        self.zipf_memo[word] = zipf
        if len(self.zipf_memo) > self.zipf_bound:
            self.zipf_memo.clear()  # bounded, as ``zipf`` bounds it
        position = _spread(hash) & self.mask
        while self.words[position].word is not NULL:
            position = (position + 1) & self.mask
        entry = &self.words[position]
        Py_INCREF(word)
        entry.word = <PyObject*>word
        entry.hash = hash
        entry.zipf = zipf
        entry.weight = -1.0  # not asked yet
        self.size += 1
        return entry

    cdef inline double _weight(self, _Word* entry) except? -1.0:
        """The weight of a memo entry, computed on first use (read the entry's word first:
        computing may move the entries)."""
        if entry.weight < 0.0:
            return self._weigh(entry)
        return entry.weight

    cdef double _weigh(self, _Word* entry) except? -1.0:
        """Compute an entry's weight and keep it there. Python's operators (settings that are
        not floats) allocate, which may run other code, and that may grow the table: the entry
        is found again by its hash and word before the weight is stored."""
        cdef size_t hash = entry.hash
        cdef PyObject* word = entry.word
        cdef double weight = self._weight_of(entry.zipf)
        cdef size_t position = _spread(hash) & self.mask
        while self.words[position].word is not NULL:
            if self.words[position].word == word and self.words[position].hash == hash:
                self.words[position].weight = weight
                break
            position = (position + 1) & self.mask
        return weight

    cdef double _weight_of(self, double zipf) except? -1.0:
        """``max(0.0, ceiling - max(zipf, floor)) ** power``, as Python computes it."""
        cdef double most, rarity, weight
        if self.c_weights:
            # Python's max keeps the first of equal arguments; a NaN compares false.
            most = self.c_floor if self.c_floor > zipf else zipf
            rarity = self.c_ceiling - most
            if not rarity > 0.0:
                return 0.0  # max(0.0, rarity) is 0.0, and 0.0 ** (a positive power) is 0.0
            if rarity == 1.0:
                return 1.0  # float.__pow__ answers 1.0 to 1.0 ** anything
            if isfinite(rarity):
                # float.__pow__ calls the C library's pow here (a finite positive base and
                # exponent); only an overflow (an OverflowError there) is left to it.
                weight = pow(rarity, self.c_power)
                if isfinite(weight):
                    return weight
        rarity_object = _builtin_max(0.0, self.ceiling - _builtin_max(zipf, self.floor))
        return float(rarity_object ** self.power)

    def zipf(self, str word):
        """``zipf(word, languages)``."""
        self._enter()
        try:
            return self._find_str(word).zipf
        finally:
            self._leave()

    def term_weight(self, str word):
        """``term_weight(word, languages, options)``."""
        self._enter()
        try:
            return self._weight(self._find_str(word))
        finally:
            self._leave()

    def __len__(self):
        """How many words the memo holds."""
        return self.size


cdef struct _Term:
    # A distinct term: where its first occurrence is (code points read in place; a character
    # bigram, which is not a span of the text, keeps its two code points instead: data NULL),
    # its hash (over the code points, not Python's), its count.
    unsigned int kind
    void* data
    Py_ssize_t start
    Py_ssize_t length
    Py_UCS4 pair[2]
    size_t hash
    double count


cdef inline Py_UCS4 _term_at(const _Term* term, Py_ssize_t k) noexcept:
    if term.data is NULL:
        return term.pair[k]
    return PyUnicode_READ(term.kind, term.data, term.start + k)


cdef inline bint _same_chars(const _Term* term, const _Chars* chars, Py_ssize_t i) noexcept:
    cdef Py_ssize_t k
    if term.data is not NULL and term.kind == chars.kind:
        return memcmp(
            <char*>term.data + term.start * term.kind,
            <char*>chars.data + i * chars.kind,
            term.length * term.kind,
        ) == 0
    for k in range(term.length):
        if _term_at(term, k) != _at(chars, i + k):
            return False
    return True


cdef class _Counts:
    """Distinct terms in order of first occurrence, each with its count as a C double.

    Terms are told apart by their code points in a small open-addressing table, so a repeated
    term costs no string object and no dict look-up; a distinct term is then looked up in the
    ``Weights`` memo by its code points and hash (no str made of it unless the memo lacks it).
    The texts read must outlive the table (they are the caller's arguments).
    """

    cdef _Term* items
    cdef Py_ssize_t size, capacity
    cdef Py_ssize_t* table  # slot + 1 of the term hashed there, 0 when free
    cdef size_t mask

    def __cinit__(self):
        self.size = 0
        self.capacity = 256
        self.items = <_Term*>malloc(self.capacity * sizeof(_Term))
        self.mask = 1023
        self.table = <Py_ssize_t*>calloc(self.mask + 1, sizeof(Py_ssize_t))
        if self.items is NULL or self.table is NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.items)
        free(self.table)

    cdef int _grow(self) except -1:
        cdef Py_ssize_t slot
        cdef size_t position, mask = 2 * self.mask + 1
        cdef Py_ssize_t* table = <Py_ssize_t*>calloc(mask + 1, sizeof(Py_ssize_t))
        cdef _Term* items = <_Term*>realloc(self.items, 2 * self.capacity * sizeof(_Term))
        if table is NULL or items is NULL:
            free(table)
            if items is not NULL:
                self.items = items
            raise MemoryError()
        self.items = items
        self.capacity *= 2
        for slot in range(self.size):
            position = self.items[slot].hash & mask
            while table[position]:
                position = (position + 1) & mask
            table[position] = slot + 1
        free(self.table)
        self.table = table
        self.mask = mask
        return 0

    cdef _Term* _new(self, size_t hash, size_t* position) except NULL:
        """A free entry for a new term of this hash (the table grown first when needed)."""
        cdef _Term* term
        if 2 * (self.size + 1) > <Py_ssize_t>self.mask or self.size == self.capacity:
            self._grow()
            position[0] = hash & self.mask
            while self.table[position[0]]:
                position[0] = (position[0] + 1) & self.mask
        self.table[position[0]] = self.size + 1
        term = &self.items[self.size]
        self.size += 1
        term.hash = hash
        term.count = 0.0
        return term

    cdef Py_ssize_t slot(self, const _Chars* chars, Py_ssize_t i, Py_ssize_t j) except -1:
        """The slot of the term ``text[i:j]``, added (count 0) when new."""
        cdef size_t hash = _FNV_OFFSET, position
        cdef Py_ssize_t k, found
        cdef _Term* term
        for k in range(i, j):  # FNV-1a over the code points
            hash = (hash ^ <size_t>_at(chars, k)) * _FNV_PRIME
        position = hash & self.mask
        while True:
            found = self.table[position]
            if not found:
                break
            term = &self.items[found - 1]
            if term.hash == hash and term.length == j - i and _same_chars(term, chars, i):
                return found - 1
            position = (position + 1) & self.mask
        term = self._new(hash, &position)
        term.kind = chars.kind
        term.data = chars.data
        term.start = i
        term.length = j - i
        return self.size - 1

    cdef Py_ssize_t pair_slot(self, Py_UCS4 first, Py_UCS4 second) except -1:
        """The slot of the two-character term ``first + second``, added when new."""
        cdef size_t hash = (((_FNV_OFFSET ^ <size_t>first) * _FNV_PRIME) ^ <size_t>second) * _FNV_PRIME
        cdef size_t position = hash & self.mask
        cdef Py_ssize_t found
        cdef _Term* term
        while True:
            found = self.table[position]
            if not found:
                break
            term = &self.items[found - 1]
            if (
                term.hash == hash and term.length == 2
                and _term_at(term, 0) == first and _term_at(term, 1) == second
            ):
                return found - 1
            position = (position + 1) & self.mask
        term = self._new(hash, &position)
        term.data = NULL
        term.kind = 4
        term.start = 0
        term.length = 2
        term.pair[0] = first
        term.pair[1] = second
        return self.size - 1


cdef inline int _count(
    _Term* term, bint title, double repeat, Py_ssize_t half, Py_ssize_t* position
) noexcept:
    """One occurrence: a title's counts ``repeat + 1`` (added as the twin adds them), the
    ``p``-th term of the lead and body ``half / (half + p)``."""
    if title:
        term.count = (term.count + repeat) + 1.0
    else:
        if half:
            term.count += <double>half / <double>(half + position[0])
        else:
            term.count += 1.0
        position[0] += 1
    return 0


cdef inline Py_ssize_t _without_possessive(const _Chars* chars, Py_ssize_t i, Py_ssize_t j) noexcept:
    # The possessive "'s" cut ("kim's" counts as "kim"), as the twin's ``_base``.
    if j - i > 3 and _at(chars, j - 2) == u"'" and _at(chars, j - 1) == u's':
        return j - 2
    return j


cdef inline bint _is_alpha(Py_UCS4 ch) noexcept:
    if ch < 128:
        return (u'a' <= ch <= u'z') or (u'A' <= ch <= u'Z')
    return Py_UNICODE_ISALPHA(ch)


cdef bint _has_unspaced_word(const _Chars* chars) noexcept:
    """Whether a token of the text holds a character of an unspaced script (every word
    character is in a token): ``words`` then splits it, and ``_term_list`` forms bigrams."""
    cdef Py_ssize_t k
    cdef Py_UCS4 ch
    if chars.kind == 1:
        return False  # Latin-1 holds no such character
    for k in range(chars.length):
        ch = _at(chars, k)
        if ch >= 0x0e00 and _is_unspaced(ch) and _is_word(ch):
            return True
    return False


cdef inline int _scan_piece(
    _Counts counts, const _Chars* chars, Py_ssize_t i, Py_ssize_t j, bint alpha,
    bint title, double repeat, Py_ssize_t half, Py_ssize_t* position,
) except -1:
    """A token (or on ``_terms``'s slow path, the part of one between unspaced characters),
    counted when longer than one character and holding a letter (``[^\\W\\d_]`` on the fast
    path, ``str.isalpha`` on the slow one: ``alpha``), the possessive cut."""
    cdef Py_ssize_t k
    cdef Py_UCS4 ch
    if j - i > 1:
        for k in range(i, j):
            ch = _at(chars, k)
            if _is_alpha(ch) if alpha else _is_letter(ch):
                k = _without_possessive(chars, i, j)
                _count(&counts.items[counts.slot(chars, i, k)], title, repeat, half, position)
                break
    return 0


cdef int _scan_terms(
    _Counts counts, str text, bint title, double repeat, Py_ssize_t half, Py_ssize_t* position
) except -1:
    """Add the terms of one folded, case-folded text without characters of unspaced scripts in
    its tokens (``_term_list(words(text))``, its fast path)."""
    cdef _Chars chars = _chars(text)
    cdef Py_ssize_t n = chars.length, i = 0, j
    while i < n:
        if not _is_word(_at(&chars, i)):
            i += 1
            continue
        j = _token_end(&chars, i, n, False)
        _scan_piece(counts, &chars, i, j, False, title, repeat, half, position)
        i = j
    return 0


cdef int _scan_unspaced(
    _Counts counts, str text, bint title, double repeat, Py_ssize_t half, Py_ssize_t* position
) except -1:
    """``_term_list(words(text))`` on its slow path: ``words`` gives each character of an
    unspaced script as a token of its own (the rest of its token as tokens between them), and
    each such character counts alone and, after another one, as a bigram with it."""
    cdef _Chars chars = _chars(text)
    cdef Py_ssize_t n = chars.length, i = 0, j, k, run
    cdef Py_UCS4 ch, previous = 0
    cdef bint has_previous = False
    while i < n:
        if not _is_word(_at(&chars, i)):
            i += 1
            continue
        j = _token_end(&chars, i, n, False)
        run = i
        for k in range(i, j):
            ch = _at(&chars, k)
            if not (ch >= 0x0e00 and _is_unspaced(ch)):
                continue
            if k > run:
                has_previous = False  # a token between: no bigram across it
                _scan_piece(counts, &chars, run, k, True, title, repeat, half, position)
            if has_previous:
                _count(&counts.items[counts.pair_slot(previous, ch)], title, repeat, half, position)
            _count(&counts.items[counts.slot(&chars, k, k + 1)], title, repeat, half, position)
            previous = ch
            has_previous = True
            run = k + 1
        if j > run:
            has_previous = False
            _scan_piece(counts, &chars, run, j, True, title, repeat, half, position)
        i = j
    return 0


cdef _Counts _term_counts(str title, str body, long repeat, Py_ssize_t half):
    """The distinct terms of a folded, case-folded title and lead+body with their counts (the
    twin's ``counts``)."""
    cdef _Counts counts = _Counts()
    cdef Py_ssize_t position = 0
    cdef _Chars chars
    cdef str text
    cdef bint title_text = True
    for text in (title, body):
        chars = _chars(text)
        if _has_unspaced_word(&chars):
            _scan_unspaced(counts, text, title_text, <double>repeat, half, &position)
        else:
            _scan_terms(counts, text, title_text, <double>repeat, half, &position)
        title_text = False
    return counts


cdef inline double _tf_weight(double count, double weight) noexcept:
    # Sub-linear term frequency: 1 + ln(count), continued linearly below one occurrence.
    return ((1.0 + log(count)) if count >= 1.0 else count) * weight


cdef inline _Word* _word_of(Weights weights, const _Term* term) except NULL:
    """The memo's entry of a counted term (read from the text, or a bigram's two code points)."""
    if term.data is NULL:
        return weights._find(term.hash, 4, term.pair, 2)
    return weights._find(
        term.hash, term.kind, <const char*>term.data + term.start * term.kind, term.length
    )


def term_weights(str title, str body, long repeat, Py_ssize_t half, Weights weights):
    """The nonzero weighted terms of a folded, case-folded title and lead+body, as
    ``newsfold.stories.features._term_weights_py`` computes them."""
    cdef _Counts counts = _term_counts(title, body, repeat, half)
    cdef Py_ssize_t slot
    cdef _Word* word
    cdef PyObject* text
    cdef double weight
    cdef dict out = {}
    weights._enter()
    try:
        for slot in range(counts.size):
            word = _word_of(weights, &counts.items[slot])
            text = word.word
            weight = weights._weight(word)
            if weight != 0.0:
                out[<object>text] = _tf_weight(counts.items[slot].count, weight)
        return out
    finally:
        weights._leave()


def term_features(
    str title, str body, long repeat, Py_ssize_t half, Weights weights, Py_ssize_t keep
):
    """``normalised(term_weights(...), keep)`` without the dict between them."""
    cdef _Counts counts = _term_counts(title, body, repeat, half)
    cdef _Ranking ranking = _Ranking(counts.size)
    cdef Py_ssize_t slot
    cdef _Word* word
    cdef PyObject* text
    cdef double weight
    weights._enter()
    try:
        for slot in range(counts.size):
            word = _word_of(weights, &counts.items[slot])
            text = word.word  # held by the memo until ``_leave``
            weight = weights._weight(word)
            if weight != 0.0:  # most words are common (weight 0): no logarithm for them
                ranking.add(_tf_weight(counts.items[slot].count, weight), text)
        return ranking.normalised(keep)
    finally:
        weights._leave()


cdef inline bint _is_upper_token(const _Chars* text, Py_ssize_t i, Py_ssize_t j) noexcept:
    """``text[i:j].isupper()`` for a token of two or more characters."""
    cdef bint cased = False
    cdef Py_ssize_t k
    cdef Py_UCS4 ch
    for k in range(i, j):
        ch = _at(text, k)
        if Py_UNICODE_ISLOWER(ch) or Py_UNICODE_ISTITLE(ch):
            return False
        if not cased and Py_UNICODE_ISUPPER(ch):
            cased = True
    return cased


cdef inline str _base(str token):
    # "Putin's" counts as "Putin" (the twin's ``_base``)
    cdef Py_ssize_t n = len(token)
    if n > 3 and token[n - 2] == u"'" and token[n - 1] == u's':
        return token[:n - 2]
    return token


cdef inline bint _all_digits(const _Term* term) noexcept:
    """``str.isdigit()`` of a counted term (of one character or more)."""
    cdef Py_ssize_t k
    for k in range(term.length):
        if not Py_UNICODE_ISDIGIT(_term_at(term, k)):
            return False
    return True


def entity_features_of(
    list texts, list bounds, Weights weights, frozenset connectors, double common,
    Py_ssize_t keep,
):
    """``newsfold.stories.features._entity_features_py`` of the entity counts of ``texts``
    (folded, stripped, non-empty; ``bounds[k]`` the sentence bounds of ``texts[k]``,
    ``newsfold._text.sentence_bounds``): the tokens counted in a table of code points (no str
    made per occurrence in an ASCII text, none per distinct token found in the memo), then
    ranked as the twin ranks them. A capitalised word opening a sentence as common as
    ``common`` (zipf) is not a name."""
    cdef _Counts table = _Counts()
    cdef list alive = []  # the strs the table's terms point into
    cdef Py_ssize_t k, slot
    cdef _Term* term
    cdef _Word* word
    cdef PyObject* text
    cdef _Ranking ranking
    weights._enter()
    try:
        for k in range(len(texts)):
            _scan_entities(texts[k], bounds[k], table, alive, weights, connectors, common)
        ranking = _Ranking(table.size)
        for slot in range(table.size):
            term = &table.items[slot]
            if term.length > 1 and not _all_digits(term):
                word = _word_of(weights, term)
                text = word.word  # held by the memo until ``_leave``
                # ``term.count`` is a whole number (each occurrence adds 1.0): the twin's int.
                ranking.add(_entity_weight(<long>term.count, weights._weight(word)), text)
        return ranking.normalised(keep)
    finally:
        weights._leave()


cdef int _scan_entities(
    str text, list bounds, _Counts table, list alive, Weights weights, frozenset connectors,
    double common,
) except -1:
    """Count the entity tokens of ``text`` (``newsfold.stories.features.entity_tokens``) into
    ``table``; the strs its terms point into are appended to ``alive``. An ASCII text is
    lower-cased once (casefold lower-cases A-Z and changes nothing else there): its tokens are
    then read in place."""
    cdef _Chars chars = _chars(text)
    cdef _Chars low, piece
    cdef Py_ssize_t n, i, j, count, t, u, first, last, b
    cdef Py_ssize_t capacity = chars.length // 2 + 1
    cdef Py_ssize_t* starts = <Py_ssize_t*>malloc(capacity * sizeof(Py_ssize_t))
    cdef Py_ssize_t* ends = <Py_ssize_t*>malloc(capacity * sizeof(Py_ssize_t))
    cdef char* upper = <char*>malloc(capacity)
    cdef str token
    cdef str lowered = None
    cdef double opening
    if text.isascii():
        lowered = text.lower()
        alive.append(lowered)
        low = _chars(lowered)
    try:
        if starts is NULL or ends is NULL or upper is NULL:
            raise MemoryError()
        for b in range(0, len(bounds), 2):
            # The name tokens of one sentence (straight or curly apostrophes, hyphens join),
            # each marked when its first character is upper case. No token crosses the
            # whitespace or the closing punctuation between two sentences.
            i = bounds[b]
            n = bounds[b + 1]
            count = 0
            while i < n:
                if not _is_word(_at(&chars, i)):
                    i += 1
                    continue
                j = _token_end(&chars, i, n, True)
                starts[count] = i
                ends[count] = j
                upper[count] = _is_upper(_at(&chars, i))
                count += 1
                i = j
            t = 0
            while t < count:
                if not upper[t]:
                    t += 1
                    continue
                # A span: capitalised tokens, possibly joined by lower-case name connectors
                # (which are not entity tokens themselves). Kept tokens are marked in ``upper``
                # with 2 (the connectors keep 0).
                upper[t] = 2
                u = t + 1
                while u < count:
                    if upper[u]:
                        upper[u] = 2
                        u += 1
                    elif (
                        ends[u] - starts[u] <= 3  # a connector is at most 3 letters, folded
                        and u + 1 < count
                        and upper[u + 1]
                        and _casefolded(&chars, text, starts[u], ends[u]) in connectors
                    ):
                        u += 1
                    else:
                        break
                first = t
                if t == 0:
                    if lowered is not None:
                        i = starts[0]
                        j = ends[0]
                        opening = weights._find(
                            _fnv(1, <const char*>low.data + i, j - i), 1,
                            <const char*>low.data + i, j - i,
                        ).zipf
                    else:
                        opening = weights._find_str(
                            _casefolded(&chars, text, starts[0], ends[0])
                        ).zipf
                    if opening >= common:
                        # Opening a sentence, a common word is not (part of) a name.
                        first = 1
                for last in range(first, u):
                    if upper[last] != 2:
                        continue
                    i = starts[last]
                    j = ends[last]
                    if j - i > 5 and _is_upper_token(&chars, i, j):
                        continue  # a long all-capital run is a shouted lead-in, not a name
                    if lowered is not None:
                        # _base of the lower-cased token, in place
                        j = _without_possessive(&low, i, j)
                        table.items[table.slot(&low, i, j)].count += 1.0
                        continue
                    token = _base(_casefolded(&chars, text, i, j))
                    alive.append(token)
                    piece = _chars(token)
                    table.items[table.slot(&piece, 0, piece.length)].count += 1.0
                t = u
    finally:
        free(starts)
        free(ends)
        free(upper)
    return 0


cdef inline double _entity_weight(long count, double weight) noexcept:
    # max(weight, 1.0) as Python takes it: the first argument unless the second is larger
    return (1.0 + log(<double>count)) * (1.0 if 1.0 > weight else weight)


def entity_weights(counts, Weights weights):
    """``newsfold.stories.features._entity_weights_py``: each entity's sub-linear count times
    its word weight, at least 1; digits and single characters left out."""
    cdef dict out = {}
    cdef str token
    weights._enter()
    try:
        for token, count in counts.items():
            if len(token) > 1 and not token.isdigit():
                out[token] = _entity_weight(count, weights._weight(weights._find_str(token)))
        return out
    finally:
        weights._leave()


cdef inline bint _before(const _Ranked* x, const _Ranked* y) noexcept:
    """Whether ``x`` ranks before ``y``: a larger weight, or the same and a smaller term (the
    order of the twin's ``(-weight, term)`` tuples; terms are distinct str, so comparing them
    cannot fail)."""
    if x.weight != y.weight:
        return x.weight > y.weight
    return PyUnicode_Compare(x.term, y.term) < 0


cdef int _sort_ranked(_Ranked* items, Py_ssize_t n) except -1:
    """Sort by ``_before``: runs of 8 by insertion, then merged bottom-up (the comparison
    inlined, which qsort's callback is not)."""
    cdef Py_ssize_t start, end, i, j, width, middle, left, k, right
    cdef _Ranked item
    cdef _Ranked* chosen
    cdef _Ranked* buffer
    cdef _Ranked* source = items
    cdef _Ranked* target
    cdef _Ranked* swap
    for start in range(0, n, 8):
        end = start + 8 if start + 8 < n else n
        for i in range(start + 1, end):
            item = items[i]
            j = i
            while j > start and _before(&item, &items[j - 1]):
                items[j] = items[j - 1]
                j -= 1
            items[j] = item
    if n <= 8:
        return 0
    buffer = <_Ranked*>malloc(n * sizeof(_Ranked))
    if buffer is NULL:
        raise MemoryError()
    target = buffer
    width = 8
    while width < n:
        for left in range(0, n, 2 * width):
            middle = left + width if left + width < n else n
            end = left + 2 * width if left + 2 * width < n else n
            i = left
            j = middle
            k = left
            while i < middle and j < end:
                # Which side goes first is a coin toss to the branch predictor: taken as a
                # value (a conditional move of the pointer), not as a branch.
                right = _before(&source[j], &source[i])
                chosen = &source[j] if right else &source[i]
                target[k] = chosen[0]
                j += right
                i += 1 - right
                k += 1
            while i < middle:
                target[k] = source[i]
                i += 1
                k += 1
            while j < end:
                target[k] = source[j]
                j += 1
                k += 1
        swap = source
        source = target
        target = swap
        width *= 2
    if source is not items:
        memcpy(items, source, n * sizeof(_Ranked))
    free(buffer)
    return 0


cdef inline double _round6(double x) except? -1.0:
    """``round(x, 6)`` for a weight in [0, 1]: Python rounds the exact binary value to 6
    decimals, then takes the double nearest that decimal. When ``y = x * 1e6`` (off by at most
    2**-33 for ``x <= 1``) lies clearly away from a half, the nearest integer ``m`` of ``y`` is
    that of ``x * 10**6`` itself, and ``m / 1e6`` (one correctly rounded division by an exact
    1e6) is the double nearest ``m / 10**6``. Near a half, Python's round decides."""
    cdef double y = x * 1e6
    cdef double m
    if 0.0 <= x <= 1.0:
        m = nearbyint(y)
        if fabs(y - m) < 0.4999:
            return m / 1e6
    return _builtin_round(x, 6)


cdef inline object _interned(object text):
    cdef PyObject* pointer = <PyObject*>text
    Py_INCREF(text)  # the reference PyUnicode_InternInPlace may swap for the interned copy's
    PyUnicode_InternInPlace(&pointer)
    result = <object>pointer
    Py_DECREF(result)
    return result


@cython.final
cdef class _Ranking:
    """Terms with positive weights, given as the twin's ``_normalised`` gives them. The terms
    are borrowed: whoever adds one holds it until ``normalised`` has run."""

    cdef _Ranked* items
    cdef Py_ssize_t size

    def __cinit__(self, Py_ssize_t capacity):
        self.size = 0
        self.items = <_Ranked*>malloc((capacity + 1) * sizeof(_Ranked))
        if self.items is NULL:
            raise MemoryError()

    def __dealloc__(self):
        free(self.items)

    cdef void add(self, double weight, PyObject* term) noexcept:
        """Keep ``term`` when its weight is positive (there is room: one per capacity)."""
        if weight > 0:
            self.items[self.size].weight = weight
            self.items[self.size].term = term
            self.size += 1

    cdef tuple normalised(self, Py_ssize_t keep):
        """Ranked, the first ``keep``, L2-normalised, rounded to 6 decimals, the terms interned."""
        cdef Py_ssize_t k, size = self.size
        cdef _Ranked* ranked = self.items
        cdef double total = 0.0, norm
        cdef list out
        _sort_ranked(ranked, size)
        if size > keep:
            size = keep if keep > 0 else 0
        if _COMPENSATED_SUM:
            norm = sqrt(_builtin_sum([ranked[k].weight * ranked[k].weight for k in range(size)]))
        else:
            for k in range(size):
                total += ranked[k].weight * ranked[k].weight
            norm = sqrt(total)
        if norm == 0:
            return ()
        out = [None] * size
        for k in range(size):
            out[k] = (_interned(<object>ranked[k].term), _round6(ranked[k].weight / norm))
        return tuple(out)


def normalised(dict weights, Py_ssize_t keep):
    """``newsfold.stories.features._normalised_py``: the positive weights ranked by weight
    descending then term, the first ``keep`` kept, L2-normalised, rounded to 6 decimals, the
    terms interned."""
    cdef _Ranking ranking = _Ranking(len(weights))
    for term, value in weights.items():  # held by weights
        ranking.add(value, <PyObject*>term)
    return ranking.normalised(keep)


# --- numbers and dates -------------------------------------------------------------------------


cdef inline bint _digit(const _Chars* text, Py_ssize_t i, Py_ssize_t n) noexcept:
    return i < n and _is_decimal(_at(text, i))


cdef inline bint _word_at(const _Chars* text, Py_ssize_t i, Py_ssize_t n) noexcept:
    return i < n and _is_word(_at(text, i))


cdef inline bint _iso_date_at(const _Chars* text, Py_ssize_t i, Py_ssize_t n) noexcept:
    """``(?=[12])\\b((?:19|20)\\d\\d)-(\\d\\d)-(\\d\\d)\\b`` matches at ``i``."""
    cdef Py_UCS4 a, b
    if i + 10 > n:
        return False
    a = _at(text, i)
    b = _at(text, i + 1)
    if not ((a == u'1' and b == u'9') or (a == u'2' and b == u'0')):
        return False
    if i > 0 and _is_word(_at(text, i - 1)):
        return False
    return (
        _digit(text, i + 2, n) and _digit(text, i + 3, n) and _at(text, i + 4) == u'-'
        and _digit(text, i + 5, n) and _digit(text, i + 6, n) and _at(text, i + 7) == u'-'
        and _digit(text, i + 8, n) and _digit(text, i + 9, n) and not _word_at(text, i + 10, n)
    )


cdef inline bint _is_group_separator(Py_UCS4 ch) noexcept:
    # [,.\u00a0 ]
    return ch == u',' or ch == u'.' or ch == u'\u00a0' or ch == u' '


cdef inline Py_ssize_t _next_decimal(const _Chars* text, Py_ssize_t i, Py_ssize_t n) noexcept:
    """The first position from ``i`` holding a decimal digit (``n`` when none). Digits are
    rare in text: a one-byte text (Latin-1, whose only decimal digits are 0-9) is scanned by
    its bytes, one unsigned comparison each."""
    cdef const unsigned char* latin
    if text.kind == 1:
        latin = <const unsigned char*>text.data
        while i < n and <unsigned int>latin[i] - 48 >= 10:
            i += 1
        return i
    while i < n and not _is_decimal(_at(text, i)):
        i += 1
    return i


cdef inline Py_ssize_t _run(const _Chars* text, Py_ssize_t i, Py_ssize_t n) noexcept:
    """The end of the run of decimal digits from ``i``."""
    while i < n and _is_decimal(_at(text, i)):
        i += 1
    return i


cdef Py_ssize_t _grouped_end(const _Chars* text, Py_ssize_t i, Py_ssize_t n) noexcept:
    """Where ``(?<![\\w.,])\\d{1,3}(?:[,.\\u00a0 ]\\d{3})+(?:[.,]\\d+)?(?![\\w])`` matching at
    the digit ``text[i]`` ends, -1 when it does not match (the regular expression's
    backtracking, in its order: most groups first, a decimal part before none)."""
    cdef Py_ssize_t p, groups = 0, k, q, r
    cdef Py_UCS4 before, ch
    if i > 0:
        before = _at(text, i - 1)
        if _is_word(before) or before == u'.' or before == u',':
            return -1
    p = _run(text, i, n)
    if p - i > 3:
        return -1  # \d{1,3} cannot end inside a longer run, where no separator follows
    while (
        p + 4 * groups + 3 < n
        and _is_group_separator(_at(text, p + 4 * groups))
        and _is_decimal(_at(text, p + 4 * groups + 1))
        and _is_decimal(_at(text, p + 4 * groups + 2))
        and _is_decimal(_at(text, p + 4 * groups + 3))
    ):
        groups += 1
    for k in range(groups, 0, -1):
        q = p + 4 * k
        ch = _at(text, q) if q + 1 < n else 0
        if (ch == u'.' or ch == u',') and _is_decimal(_at(text, q + 1)):
            # \d+ is greedy and only its whole run can be followed by a non-word character.
            r = _run(text, q + 1, n)
            if not _word_at(text, r, n):
                return r
        if not _word_at(text, q, n):
            return q
    return -1


cdef str _normalised_number(str raw):
    """Thousands separators out, a decimal comma to a point: the twin's ``_THOUSANDS.sub`` then
    ``.replace(",", ".")`` (a separator followed by exactly three digits is dropped)."""
    cdef _Chars chars = _chars(raw)
    cdef Py_ssize_t n = chars.length, k
    cdef Py_UCS4 ch
    cdef list kept = []
    for k in range(n):
        ch = _at(&chars, k)
        if _is_group_separator(ch):
            if (
                _digit(&chars, k + 1, n) and _digit(&chars, k + 2, n)
                and _digit(&chars, k + 3, n) and not _digit(&chars, k + 4, n)
            ):
                continue
            kept.append(u'.' if ch == u',' else ch)
        else:
            kept.append(ch)
    return u''.join(kept)


def numbers_and_dates(str text):
    """``newsfold.stories.features._numbers_and_dates_py``: the distinct numbers (normalised,
    years apart, two digits or more) and the years and ISO dates of ``text``, each sorted."""
    cdef _Chars chars = _chars(text)
    cdef Py_ssize_t n = chars.length, i = 0, start = 0, end
    cdef set numbers = set(), dates = set()
    cdef list pieces = []
    cdef str digits
    cdef Py_UCS4 ch
    # ISO dates first, each then replaced by a space (a date's parts are not numbers).
    while True:
        i = _next_decimal(&chars, i, n)  # a date starts with a digit
        if i >= n:
            break
        ch = _at(&chars, i)
        if (ch == u'1' or ch == u'2') and _iso_date_at(&chars, i, n):
            dates.add(text[i:i + 10])
            pieces.append(text[start:i])
            start = i + 10
            i += 10
        else:
            i += 1
    if pieces:
        pieces.append(text[start:])
        text = u' '.join(pieces)
        chars = _chars(text)
        n = chars.length
    i = 0
    while True:
        i = _next_decimal(&chars, i, n)
        if i >= n:
            break
        end = _grouped_end(&chars, i, n)
        if end < 0:
            # \d+(?:[.,]\d+)?, both runs taken whole
            end = _run(&chars, i, n)
            ch = _at(&chars, end) if end + 1 < n else 0
            if (ch == u'.' or ch == u',') and _is_decimal(_at(&chars, end + 1)):
                end = _run(&chars, end + 1, n)
        digits = text[i:end]
        i = end
        if not digits.isdigit():
            digits = _normalised_number(digits)
        if (
            len(digits) == 4
            and ((digits[0] == u'1' and digits[1] == u'9') or (digits[0] == u'2' and digits[1] == u'0'))
            and _is_decimal(digits[2])
            and _is_decimal(digits[3])
        ):
            dates.add(digits)
        elif len(digits) - digits.count(u'.') >= 2:
            # Single digits ("2 people", "5 p.m.") are shared by unrelated stories all the time.
            numbers.add(digits)
    return tuple(sorted(numbers)), tuple(sorted(dates))


def round_weight(double x):
    """``round(x, 6)`` as ``normalised`` computes it (exposed for the tests)."""
    return _round6(x)

# cython: language_level=3
"""What the compiled text kernels (``_text.pyx``, ``stories/_features.pyx``) share: a str read
in place, Python's ``\\w`` (``str.isalnum()`` or ``_``), with ASCII answered by comparisons (the
Unicode database's answers for those code points: most characters of most news text are ASCII,
and each database query is several calls), the end of a word token, and a case-folded slice."""

from cpython.unicode cimport PyUnicode_DATA, PyUnicode_KIND, PyUnicode_READ, Py_UNICODE_ISALNUM


cdef extern from "Python.h":
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)


cdef struct _Chars:
    # A str's code points read in place (its kind: 1, 2 or 4 bytes a character).
    unsigned int kind
    void* data
    Py_ssize_t length


cdef inline _Chars _chars(str text):
    cdef _Chars chars
    chars.kind = PyUnicode_KIND(text)
    chars.data = PyUnicode_DATA(text)
    chars.length = len(text)
    return chars


cdef inline Py_UCS4 _at(const _Chars* chars, Py_ssize_t i) noexcept:
    return PyUnicode_READ(chars.kind, chars.data, i)


cdef inline bint _is_word(Py_UCS4 ch) noexcept:
    if ch < 128:
        return (
            (u'a' <= ch <= u'z') or (u'A' <= ch <= u'Z') or (u'0' <= ch <= u'9') or ch == u'_'
        )
    return Py_UNICODE_ISALNUM(ch)


cdef inline Py_ssize_t _token_end(const _Chars* text, Py_ssize_t i, Py_ssize_t n, bint curly) noexcept:
    """End of the token ``\\w+(?:['\\-]\\w+)*`` (``'\\u2019`` joins too when ``curly``) that
    starts at the word character ``text[i]``: greedy repetition of (joiner, word run), where a
    joiner not followed by a word character ends the token before it, as the regular
    expression's backtracking does."""
    cdef Py_ssize_t j = i + 1
    cdef Py_UCS4 ch
    while j < n and _is_word(_at(text, j)):
        j += 1
    while j + 1 < n:
        ch = _at(text, j)
        if not (ch == u"'" or ch == u'-' or (curly and ch == u'\u2019')):
            break
        if not _is_word(_at(text, j + 1)):
            break
        j += 2
        while j < n and _is_word(_at(text, j)):
            j += 1
    return j


cdef inline str _casefolded(const _Chars* chars, str text, Py_ssize_t i, Py_ssize_t j):
    """``text[i:j].casefold()``; ASCII lower-cased here (casefold maps A-Z and nothing else)."""
    cdef Py_ssize_t k
    cdef Py_UCS4 ch
    cdef unsigned char* out
    for k in range(i, j):
        if _at(chars, k) >= 128:
            return text[i:j].casefold()
    folded = PyUnicode_New(j - i, 127)
    out = <unsigned char*>PyUnicode_DATA(folded)
    for k in range(i, j):
        ch = _at(chars, k)
        out[k - i] = <unsigned char>(<unsigned int>ch + 32 if u"A" <= ch <= u"Z" else <unsigned int>ch)
    return folded

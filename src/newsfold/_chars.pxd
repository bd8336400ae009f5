# cython: language_level=3
"""Character classes shared by the compiled text kernels (``_text.pyx``, ``stories/_features.pyx``):
Python's ``\\w`` (``str.isalnum()`` or ``_``), with ASCII answered by comparisons (the Unicode
database's answers for those code points): most characters of most news text are ASCII, and
each database query is several calls."""

from cpython.unicode cimport Py_UNICODE_ISALNUM


cdef inline bint _is_word(Py_UCS4 ch) noexcept:
    if ch < 128:
        return (
            (u'a' <= ch <= u'z') or (u'A' <= ch <= u'Z') or (u'0' <= ch <= u'9') or ch == u'_'
        )
    return Py_UNICODE_ISALNUM(ch)

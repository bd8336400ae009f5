# cython: language_level=3
"""Compiled twins of the hot text kernels of ``newsfold.text`` (word tokens, sentence split).

Each function returns exactly what its pure-Python twin returns (the regular expressions of
``newsfold.text`` and ``newsfold.stories.features``): the tests compare the two on real pages and
on random Unicode text. ``\\w`` is Python's: ``str.isalnum()`` or ``_``; ``\\s`` is
``str.isspace()``.
"""

from cpython.unicode cimport Py_UNICODE_ISALNUM, Py_UNICODE_ISLOWER, Py_UNICODE_ISSPACE


cdef inline bint _is_word(Py_UCS4 ch) noexcept:
    return ch == u'_' or Py_UNICODE_ISALNUM(ch)


cdef inline bint _is_joiner(Py_UCS4 ch, bint curly) noexcept:
    return ch == u"'" or ch == u'-' or (curly and ch == u'\u2019')


def word_tokens(str text, bint curly=False):
    """All matches of ``\\w+(?:['\\-]\\w+)*`` in ``text``, left to right (``re.findall``);
    ``curly`` adds the right single quote to the joiners (``\\w+(?:['\\u2019\\-]\\w+)*``)."""
    cdef Py_ssize_t n = len(text), i = 0, j
    cdef list out = []
    while i < n:
        if not _is_word(text[i]):
            i += 1
            continue
        j = i + 1
        while j < n and _is_word(text[j]):
            j += 1
        # Greedy repetition of (joiner, word run): a joiner not followed by a word character
        # ends the token before it, as the regular expression's backtracking does.
        while j + 1 < n and _is_joiner(text[j], curly) and _is_word(text[j + 1]):
            j += 2
            while j < n and _is_word(text[j]):
                j += 1
        out.append(text[i:j])
        i = j
    return out


cdef inline bint _is_end(Py_UCS4 ch) noexcept:
    # [.!?\u2026]
    return ch == u'.' or ch == u'!' or ch == u'?' or ch == u'\u2026'


cdef inline bint _is_closer(Py_UCS4 ch) noexcept:
    # ["'\u201d\u2019)\]]
    return (
        ch == u'"' or ch == u"'" or ch == u'\u201d' or ch == u'\u2019' or ch == u')'
        or ch == u']'
    )


cdef inline bint _is_cjk_end(Py_UCS4 ch) noexcept:
    # [\u3002\uff01\uff1f\u0964\u061f]
    return (
        ch == u'\u3002' or ch == u'\uff01' or ch == u'\uff1f' or ch == u'\u0964'
        or ch == u'\u061f'
    )


cdef inline bint _is_cjk_closer(Py_UCS4 ch) noexcept:
    # ["'\u201d\u2019\u300d\u300f)]
    return (
        ch == u'"' or ch == u"'" or ch == u'\u201d' or ch == u'\u2019' or ch == u'\u300d'
        or ch == u'\u300f' or ch == u')'
    )


def split_sentences(str text, abbreviations):
    """``newsfold.text.sentences`` on an already stripped, non-empty ``text``: the matches of
    its ``_END`` expression found by a scan, then the same decisions, in the same order."""
    cdef Py_ssize_t n = len(text), i = 0, run_start, run_end, punct_end, match_end, start = 0
    cdef Py_UCS4 ch
    cdef list out = []
    cdef str last
    while i < n:
        ch = text[i]
        if _is_cjk_end(ch):
            match_end = i + 1
            while match_end < n and _is_cjk_closer(text[match_end]):
                match_end += 1
            out.append(text[start:match_end].strip())
            start = match_end
            i = match_end
            continue
        if not _is_end(ch):
            i += 1
            continue
        run_end = i + 1
        while run_end < n and _is_end(text[run_end]):
            run_end += 1
        punct_end = run_end
        while punct_end < n and _is_closer(text[punct_end]):
            punct_end += 1
        match_end = punct_end
        while match_end < n and Py_UNICODE_ISSPACE(text[match_end]):
            match_end += 1
        if match_end == punct_end:
            # No whitespace after the punctuation: no match here, nor anywhere inside it.
            i = punct_end
            continue
        run_start = i
        i = match_end
        if match_end >= n or Py_UNICODE_ISLOWER(text[match_end]):
            continue
        if run_end - run_start == 1 and ch == u'.':
            # A lone period: not an end after an abbreviation or an initial.
            before = text[start:run_start].rsplit(None, 1)
            last = before[len(before) - 1].casefold().strip("(\"'\u201c\u2018") if before else ""
            if last in abbreviations or (len(last) == 1 and last.isalpha()):
                continue
        out.append(text[start:punct_end].strip())
        start = match_end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


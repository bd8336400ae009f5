# cython: language_level=3
"""Compiled twins of the hot text kernels of ``newsfold.text`` (word tokens, sentence split).

Each function returns exactly what its pure-Python twin returns (the regular expressions of
``newsfold.text`` and ``newsfold.stories.features``): the tests compare the two on real pages and
on random Unicode text. ``\\w`` is Python's: ``str.isalnum()`` or ``_``; ``\\s`` is
``str.isspace()``.
"""

from cpython.unicode cimport Py_UNICODE_ISLOWER, Py_UNICODE_ISSPACE

from newsfold._chars cimport _Chars, _at, _casefolded, _chars, _is_word, _token_end


cdef inline bint _is_space(Py_UCS4 ch) noexcept:
    if ch < 128:
        # str.isspace() of ASCII: \t \n \v \f \r, the separators \x1c-\x1f and the space
        return ch == u' ' or (9 <= ch <= 13) or (28 <= ch <= 31)
    return Py_UNICODE_ISSPACE(ch)


cdef inline bint _is_lower(Py_UCS4 ch) noexcept:
    if ch < 128:
        return u'a' <= ch <= u'z'
    return Py_UNICODE_ISLOWER(ch)


def word_tokens(str text, bint curly=False):
    """All matches of ``\\w+(?:['\\-]\\w+)*`` in ``text``, left to right (``re.findall``);
    ``curly`` adds the right single quote to the joiners (``\\w+(?:['\\u2019\\-]\\w+)*``)."""
    cdef Py_ssize_t n = len(text), i = 0, j
    cdef list out = []
    cdef _Chars chars = _chars(text)
    while i < n:
        if not _is_word(_at(&chars, i)):
            i += 1
            continue
        j = _token_end(&chars, i, n, curly)
        out.append(text[i:j])
        i = j
    return out


cdef inline bint _is_ascii_other(Py_UCS4 ch) noexcept:
    """An ASCII character that neither ends a sentence nor is a CJK end: most characters. One
    test without a branch (a lookup in a bit mask of "!", "." and "?", code points 33, 46 and
    63), as text alternates letters, spaces and punctuation too irregularly for a chain of
    branches to be predicted."""
    cdef unsigned int c = <unsigned int>ch
    cdef unsigned long long ends = 0x8000400200000000ULL
    return (c < 128) & ((((ends >> (c & 63)) & 1) & (c < 64)) == 0)


cdef inline bint _is_quote_or_paren(Py_UCS4 ch) noexcept:
    # The ASCII characters of the strip in ``sentences``: ( " '
    return ch == u'(' or ch == u'"' or ch == u"'"


cdef str _last_word(const _Chars* chars, str text, Py_ssize_t start, Py_ssize_t end):
    """``text[start:end].casefold().strip("(\"'\u201c\u2018")``, made at once when the word
    is ASCII (casefold lower-cases A-Z and nothing else there; the curly quotes cannot occur)."""
    cdef Py_ssize_t k
    for k in range(start, end):
        if _at(chars, k) >= 128:
            return text[start:end].casefold().strip("(\"'\u201c\u2018")
    while start < end and _is_quote_or_paren(_at(chars, start)):
        start += 1
    while end > start and _is_quote_or_paren(_at(chars, end - 1)):
        end -= 1
    return _casefolded(chars, text, start, end)


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


cdef list _sentence_bounds(str text, abbreviations):
    """Where the sentences of ``text`` (stripped, non-empty) lie: ``[start, end, ...]``, each
    piece ``text[start:end]`` before its strip (whitespace alone between pieces). The matches
    of ``newsfold.text._END`` found by a scan, then the decisions of ``sentences``, in order."""
    cdef Py_ssize_t n = len(text), i = 0, run_start, run_end, punct_end, match_end, start = 0
    cdef Py_ssize_t word_start, word_end
    cdef Py_UCS4 ch
    cdef list bounds = []
    cdef str last
    cdef _Chars chars = _chars(text)
    while i < n:
        ch = _at(&chars, i)
        if _is_ascii_other(ch):
            i += 1
            continue
        if _is_cjk_end(ch):
            match_end = i + 1
            while match_end < n and _is_cjk_closer(_at(&chars, match_end)):
                match_end += 1
            bounds.append(start)
            bounds.append(match_end)
            start = match_end
            i = match_end
            continue
        if not _is_end(ch):
            i += 1
            continue
        run_end = i + 1
        while run_end < n and _is_end(_at(&chars, run_end)):
            run_end += 1
        punct_end = run_end
        while punct_end < n and _is_closer(_at(&chars, punct_end)):
            punct_end += 1
        match_end = punct_end
        while match_end < n and _is_space(_at(&chars, match_end)):
            match_end += 1
        if match_end == punct_end:
            # No whitespace after the punctuation: no match here, nor anywhere inside it.
            i = punct_end
            continue
        run_start = i
        i = match_end
        if match_end >= n or _is_lower(_at(&chars, match_end)):
            continue
        if run_end - run_start == 1 and ch == u'.':
            # A lone period: not an end after an abbreviation or an initial. The word before it
            # is ``text[start:run_start].rsplit(None, 1)[-1]`` (the last run of non-whitespace
            # there), found in place.
            word_end = run_start
            while word_end > start and _is_space(_at(&chars, word_end - 1)):
                word_end -= 1
            word_start = word_end
            while word_start > start and not _is_space(_at(&chars, word_start - 1)):
                word_start -= 1
            last = _last_word(&chars, text, word_start, word_end)
            if last in abbreviations or (len(last) == 1 and last.isalpha()):
                continue
        bounds.append(start)
        bounds.append(punct_end)
        start = match_end
    bounds.append(start)
    bounds.append(n)
    return bounds


def sentence_bounds(str text, abbreviations):
    """``split_sentences``'s pieces as offsets: ``[start, end, ...]``, the sentences being the
    non-empty ``text[start:end].strip()`` (a scan of one text, no sentence strings made)."""
    return _sentence_bounds(text, abbreviations)


def split_sentences(str text, abbreviations):
    """``newsfold.text.sentences`` on an already stripped, non-empty ``text``: the matches of
    its ``_END`` expression found by a scan, then the same decisions, in the same order."""
    cdef list bounds = _sentence_bounds(text, abbreviations)
    cdef Py_ssize_t k
    cdef list out = []
    cdef str piece
    for k in range(0, len(bounds), 2):
        piece = text[<Py_ssize_t>bounds[k]:<Py_ssize_t>bounds[k + 1]].strip()
        if piece:
            out.append(piece)
    return out

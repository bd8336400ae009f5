# cython: language_level=3
"""Compiled twins of ``newsfold.stories.link``'s kernels: sparse cosines, pair decisions and the
similarity matrix of a component; and of ``stories.cluster``'s refinement merge loop (identical
results to the Python code; tested)."""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from cpython.object cimport PyObject
from cpython.unicode cimport (
    PyUnicode_1BYTE_DATA,
    PyUnicode_1BYTE_KIND,
    PyUnicode_GET_LENGTH,
    PyUnicode_KIND,
)
from libc.math cimport INFINITY, fabs, rint
from libc.stdlib cimport qsort
from libc.string cimport memcmp
from math import fsum
from builtins import round as _round


def weighted_overlap(vectors, Py_ssize_t size):
    """Compiled twin of ``newsfold.stories.link._weighted_overlap``: every pairwise dot product
    of the sparse vectors through their postings, with the same additions in the same order
    (terms in sorted order, one product per pair and term), so the same floats."""
    import numpy as np

    cdef dict postings = {}
    cdef list entries
    cdef Py_ssize_t row, k, a, b, ra
    cdef double wa
    for row in range(len(vectors)):
        for term, weight in vectors[row]:
            entries = postings.get(term)
            if entries is None:
                postings[term] = [(row, weight)]
            else:
                entries.append((row, weight))
    matrix = np.zeros((size, size))
    shared = sorted([term for term, entries in postings.items() if len(entries) > 1])
    # A term's entries can outnumber the rows: a vector may give one term twice.
    longest = max([len(postings[term]) for term in shared], default=1)
    rows_array = np.empty(longest, dtype=np.intp)
    weights_array = np.empty(longest, dtype=np.float64)
    cdef double[:, ::1] m = matrix
    cdef Py_ssize_t[::1] rows = rows_array
    cdef double[::1] weights = weights_array
    for term in shared:
        entries = postings[term]
        k = len(entries)
        for a in range(k):
            rows[a] = entries[a][0]
            weights[a] = entries[a][1]
        for a in range(k):
            ra = rows[a]
            wa = weights[a]
            for b in range(k):
                m[ra, rows[b]] += wa * weights[b]
    return np.minimum(matrix, 1.0)


cdef struct _Entry:
    long long hash
    Py_ssize_t index


cdef void _sort_by_hash(_Entry* entries, _Entry* scratch, Py_ssize_t n) noexcept nogil:
    """Sort ``entries`` (given in index order) by (hash, index): a stable sort by hash,
    insertion-sorted runs of 8 merged bottom-up, its comparisons inline (the vectors of every
    arriving article are sorted; ``qsort``'s call per comparison was ~40% of building one)."""
    cdef Py_ssize_t start, k, m, width, left, middle, right, i, j, out
    cdef _Entry item
    cdef _Entry* source = entries
    cdef _Entry* target = scratch
    cdef _Entry* swap
    start = 0
    while start < n:
        for k in range(start + 1, min(start + 8, n)):
            item = entries[k]
            m = k
            while m > start and entries[m - 1].hash > item.hash:
                entries[m] = entries[m - 1]
                m -= 1
            entries[m] = item
        start += 8
    width = 8
    while width < n:
        left = 0
        while left < n:
            middle = min(left + width, n)
            right = min(left + 2 * width, n)
            i, j, out = left, middle, left
            while i < middle and j < right:
                if source[j].hash < source[i].hash:
                    target[out] = source[j]
                    j += 1
                else:
                    target[out] = source[i]
                    i += 1
                out += 1
            while i < middle:
                target[out] = source[i]
                i += 1
                out += 1
            while j < right:
                target[out] = source[j]
                j += 1
                out += 1
            left += 2 * width
        swap = source
        source = target
        target = swap
        width *= 2
    if source != entries:
        for k in range(n):
            entries[k] = source[k]


cdef class SortedVector:
    """A sparse vector ``((term, weight), ...)`` sorted by the terms' hashes: two of them are
    compared by one merge over machine integers, the terms themselves compared only where the
    hashes are equal (so a hash collision never makes two different terms one).

    Story features intern their terms (``stories.features``): the same word in two vectors is
    then one object, and a merge tells it by comparing two pointers (``_same_term``) before
    comparing characters."""

    cdef long long* hashes
    cdef double* weights
    cdef PyObject** keys
    cdef list terms
    cdef Py_ssize_t size
    # Filled on first use by ``_rank_terms``: each entry's place in the terms' sorted order
    # (ties, a term given twice, in the order given), and whether a term is given twice.
    cdef Py_ssize_t* ranks
    cdef bint repeats

    def __cinit__(self, tuple pairs):
        cdef Py_ssize_t n = len(pairs), k
        # entries, then as much room again for the sort
        cdef _Entry* entries = <_Entry*>PyMem_Malloc(2 * max(n, 1) * sizeof(_Entry))
        self.hashes = <long long*>PyMem_Malloc(max(n, 1) * sizeof(long long))
        self.weights = <double*>PyMem_Malloc(max(n, 1) * sizeof(double))
        self.keys = <PyObject**>PyMem_Malloc(max(n, 1) * sizeof(PyObject*))
        if entries is NULL or self.hashes is NULL or self.weights is NULL or self.keys is NULL:
            PyMem_Free(entries)
            raise MemoryError()
        try:
            for k in range(n):
                entries[k].hash = hash((<tuple>pairs[k])[0])
                entries[k].index = k
            _sort_by_hash(entries, entries + max(n, 1), n)
            self.terms = []
            for k in range(n):
                pair = <tuple>pairs[entries[k].index]
                term = pair[0]
                self.hashes[k] = entries[k].hash
                self.weights[k] = <double>pair[1]
                self.terms.append(term)
                self.keys[k] = <PyObject*>term  # kept alive by self.terms
            self.size = n
        finally:
            PyMem_Free(entries)

    def __dealloc__(self):
        PyMem_Free(self.hashes)
        PyMem_Free(self.weights)
        PyMem_Free(self.keys)
        PyMem_Free(self.ranks)


cdef inline bint _same_term(SortedVector a, Py_ssize_t x, SortedVector b, Py_ssize_t y) except -1:
    """Are term ``x`` of ``a`` and term ``y`` of ``b`` (equal hashes) the same term? One object
    (interned strings) always is; otherwise the terms are compared (not interned, or a hash
    collision)."""
    if a.keys[x] == b.keys[y]:
        return True
    return a.terms[x] == b.terms[y]


cdef inline bint _next_shared(
    SortedVector a, SortedVector b, Py_ssize_t* i, Py_ssize_t* j, Py_ssize_t* i_end,
    Py_ssize_t* j_end
) noexcept:
    """One step of the merge of two vectors sorted by hash: advances ``i`` and ``j`` to the
    next hash both hold and sets ``i_end``/``j_end`` past its runs (equal hashes: repeated or
    colliding terms, for ``_same_term`` to tell apart); False when one vector is exhausted.
    The caller goes on from ``i_end``, ``j_end``."""
    cdef Py_ssize_t x = i[0], y = j[0], n = a.size, m = b.size
    cdef long long ha, hb
    cdef const long long* left = a.hashes
    cdef const long long* right = b.hashes
    while x < n and y < m:
        ha = left[x]
        hb = right[y]
        if ha != hb:
            # Most steps: advance the smaller side, without a branch to mispredict.
            x += ha < hb
            y += hb < ha
            continue
        i[0], j[0] = x, y
        x += 1
        while x < n and left[x] == ha:
            x += 1
        y += 1
        while y < m and right[y] == ha:
            y += 1
        i_end[0], j_end[0] = x, y
        return True
    return False


def sorted_cosine(SortedVector a, SortedVector b):
    """``cosine_with`` of two sorted vectors: the same products (one per shared term) summed
    by fsum, so the same float."""
    return _cosine(a, b)


cdef double _cosine(SortedVector a, SortedVector b) except? -1.0:
    cdef Py_ssize_t i = 0, j = 0, i_end = 0, j_end = 0, x, y
    cdef list products = None
    while _next_shared(a, b, &i, &j, &i_end, &j_end):
        for x in range(i, i_end):
            for y in range(j, j_end):
                if _same_term(a, x, b, y):
                    if products is None:
                        products = []
                    products.append(a.weights[x] * b.weights[y])
        i, j = i_end, j_end
    if products is None:
        return 0.0
    return min(1.0, <double>fsum(products))


cdef class LinkView:
    """What a pair decision reads of one article (``stories.link._view``): its terms and
    entities as sorted vectors, its numbers as a set, its publication day (None if unknown)."""

    cdef readonly SortedVector terms
    cdef readonly SortedVector entities
    cdef readonly frozenset numbers
    cdef readonly object day
    cdef long long day_number
    cdef bint has_day

    def __init__(self, SortedVector terms, SortedVector entities, frozenset numbers, day):
        self.terms = terms
        self.entities = entities
        self.numbers = numbers
        self.day = day
        self.day_number = 0 if day is None else day
        self.has_day = day is not None


cdef inline Py_ssize_t _shared_numbers(frozenset a, frozenset b) except -1:
    """``len(a & b)`` without building the intersection (it runs for every candidate pair)."""
    cdef Py_ssize_t count = 0
    if len(a) > len(b):
        a, b = b, a
    for value in a:
        if value in b:
            count += 1
    return count


cdef object _similarity(
    LinkView a, LinkView b, double term_weight, double entity_weight, double number_weight
):
    """``stories.link.similarity`` without embeddings: the same operations in the same order on
    the same doubles, rounded by Python's ``round``, so the same float."""
    cdef double total = term_weight
    cdef double mixed = term_weight * _cosine(a.terms, b.terms)
    cdef Py_ssize_t shared, smaller
    if a.entities.size and b.entities.size:
        total += entity_weight
        mixed += entity_weight * _cosine(a.entities, b.entities)
    if a.numbers and b.numbers:
        total += number_weight
        shared = _shared_numbers(a.numbers, b.numbers)
        smaller = min(len(a.numbers), len(b.numbers))
        mixed += number_weight * (<double>shared / <double>smaller)
    if total == 0:
        return 0.0
    return _round(mixed / total, 9)


def view_similarity(
    LinkView a, LinkView b, double term_weight, double entity_weight, double number_weight
):
    return _similarity(a, b, term_weight, entity_weight, number_weight)


# ``_cosine_estimate``'s plain double sums are trusted only when their error bound is within
# ``_SUM_ERROR_LIMIT`` of the exact (fsum) cosines, and ``round(value, 9)`` moves a value by at
# most 5e-10 plus one rounding: a plain similarity farther than ``_DECISION_MARGIN`` from the
# threshold is on the same side of it as the exact, rounded one. Nearer pairs are decided exactly.
# (On the stories store path, 3,000 arrivals at 100k stored, this took the compiled decisions from
# ~90 to ~30 us per arrival of ~21 candidates: fsum and round() on Python floats were most of it.)
cdef double _DECISION_MARGIN = 1e-8
cdef double _SUM_ERROR_LIMIT = 1e-9
# Twice the unit roundoff of doubles (2 ** -52): recursive summation of ``count`` terms is
# within (count - 1) u / (1 - (count - 1) u) of the sum of their magnitudes, and fsum within u of
# the exact sum; 2u per term covers both with room.
cdef double _TWO_ROUNDOFFS = 2.220446049250313e-16


cdef inline bint _cosine_estimate(SortedVector a, SortedVector b, double* out) except -1:
    """The cosine ``_cosine`` computes, but summed in plain doubles (the same products, in the
    vectors' hash order): writes it to ``out`` and returns True when it is within
    ``_SUM_ERROR_LIMIT`` of the exact one, False when the bound cannot be given."""
    cdef Py_ssize_t i = 0, j = 0, i_end = 0, j_end = 0, x, y, count = 0
    cdef double total = 0.0, magnitude = 0.0, product
    while _next_shared(a, b, &i, &j, &i_end, &j_end):
        for x in range(i, i_end):
            for y in range(j, j_end):
                if _same_term(a, x, b, y):
                    product = a.weights[x] * b.weights[y]
                    total += product
                    magnitude += fabs(product)
                    count += 1
        i, j = i_end, j_end
    # Not "> limit" but "not <=": a NaN bound (from a NaN weight) is never trusted.
    if not ((count + 1) * _TWO_ROUNDOFFS * magnitude <= _SUM_ERROR_LIMIT):
        return False
    out[0] = min(1.0, total)
    return True


cdef inline bint _similarity_estimate(
    LinkView a,
    LinkView b,
    double term_weight,
    double entity_weight,
    double number_weight,
    double* out,
) except -1:
    """``_similarity`` before its rounding, from ``_cosine_estimate``s: writes it to ``out`` and
    returns True when it is within ``_SUM_ERROR_LIMIT`` (plus a few roundings) of the exact
    unrounded value, False when it could not be estimated (the caller decides exactly).

    The error bound holds because the weights are non-negative (``StoryOptions`` checks): the
    mix divides by ``total``, which holds every weight whose part is mixed in, so the mixed
    error is at most the larger of the two cosines' errors."""
    cdef double total = term_weight, mixed, cosine
    cdef Py_ssize_t shared, smaller
    if not _cosine_estimate(a.terms, b.terms, &cosine):
        return False
    mixed = term_weight * cosine
    if a.entities.size and b.entities.size:
        total += entity_weight
        if not _cosine_estimate(a.entities, b.entities, &cosine):
            return False
        mixed += entity_weight * cosine
    if a.numbers and b.numbers:
        total += number_weight
        shared = _shared_numbers(a.numbers, b.numbers)
        smaller = min(len(a.numbers), len(b.numbers))
        mixed += number_weight * (<double>shared / <double>smaller)
    if not total > 0:
        return False
    out[0] = mixed / total
    return out[0] == out[0]


def decide_many(
    LinkView arrival,
    list others,
    double term_weight,
    double entity_weight,
    double number_weight,
    long long window_days,
    double threshold,
):
    """``stories.link.linked(arrival, other)`` for each of ``others`` (views), without
    embeddings: a list of bools.

    Most pairs are far from the threshold: their decision is read from a plain double sum of
    the similarity (``_similarity_estimate``), which is on the same side of the threshold as the
    exact value whenever it is more than ``_DECISION_MARGIN`` away; the others are decided by
    the exact ``_similarity`` (fsum, Python's round), so every decision is the exact one."""
    cdef list out = []
    cdef bint estimable = (
        term_weight >= 0 and entity_weight >= 0 and number_weight >= 0
        and term_weight + entity_weight + number_weight < 1e300
    )
    cdef LinkView other
    cdef double estimate
    for item in others:
        other = <LinkView?>item
        if (
            window_days
            and arrival.day is not None
            and other.day is not None
            and abs(arrival.day_number - other.day_number) > window_days
        ):
            out.append(False)
            continue
        if (
            estimable
            and _similarity_estimate(
                arrival, other, term_weight, entity_weight, number_weight, &estimate
            )
            and fabs(estimate - threshold) > _DECISION_MARGIN
        ):
            out.append(estimate > threshold)
            continue
        out.append(
            _similarity(arrival, other, term_weight, entity_weight, number_weight) >= threshold
        )
    return out


def shared_counts(list sets, Py_ssize_t size):
    """Compiled twin of ``stories.link._shared_counts_py``: for each pair of rows, how many
    distinct values they share (the diagonal counts a row's values shared with any other row).
    Counts are whole numbers, so the sums are exact in any order."""
    import numpy as np

    cdef dict postings = {}
    cdef list rows
    cdef Py_ssize_t row, a, b, k
    for row in range(len(sets)):
        for value in set(sets[row]):
            rows = postings.get(value)
            if rows is None:
                postings[value] = [row]
            else:
                rows.append(row)
    matrix = np.zeros((size, size))
    cdef double[:, ::1] m = matrix
    cdef Py_ssize_t[::1] index
    index_array = np.empty(max(size, 1), dtype=np.intp)
    index = index_array
    for rows in postings.values():
        k = len(rows)
        if k < 2:
            continue
        for a in range(k):
            index[a] = rows[a]
        for a in range(k):
            for b in range(k):
                m[index[a], index[b]] += 1.0
    return matrix


cdef inline double _round9(double value) noexcept:
    """numpy's ``np.round(value, 9)``: scaled by 1e9, rounded half to even (rint), scaled back
    (the same three operations numpy's round makes for a positive ``decimals``)."""
    return rint(value * 1e9) / 1e9


cdef inline double _np_minimum(double a, double b) noexcept:
    """``np.minimum``: a NaN on either side wins."""
    if a != a:
        return a
    if b != b:
        return b
    return a if a <= b else b


cdef void _score_row(
    Py_ssize_t x,
    double[:, ::1] sums,
    double[::1] sizes,
    double[::1] inner,
    const unsigned char[::1] alive,
    double threshold,
    double cohesion_ratio,
    double[:, ::1] score,
) noexcept:
    """``stories.cluster._merge_scores(x, ...)`` written into row and column ``x`` of
    ``score``: the same operations on the same doubles, entry by entry."""
    cdef Py_ssize_t j, k = sizes.shape[0]
    cdef double average, pairs, mine, theirs, weaker, value
    cdef bint allowed
    pairs = sizes[x] * (sizes[x] - 1) / 2
    mine = inner[x] / pairs if pairs > 0 else INFINITY
    for j in range(k):
        average = _round9(sums[x, j] / (sizes[x] * sizes[j]))
        allowed = alive[j] and alive[x] and average >= threshold and j != x
        if allowed and cohesion_ratio:
            pairs = sizes[j] * (sizes[j] - 1) / 2
            theirs = inner[j] / pairs if pairs > 0 else INFINITY
            weaker = _np_minimum(theirs, mine)
            allowed = weaker == INFINITY or average >= cohesion_ratio * weaker
        value = average if allowed else -1.0
        score[x, j] = value
        score[j, x] = value


def agglomerate(
    double[:, ::1] sums,
    double[::1] sizes,
    double[::1] inner,
    double[:, ::1] score,
    list merged,
    blocked,
    double threshold,
    double cohesion_ratio,
):
    """The merge loop of ``stories.cluster.refine`` (its pure-Python twin is
    ``cluster._agglomerate_py``): merges the pair of live groups with the highest score (the first
    in row-major order among equal ones, as ``np.argmax``) until no score is >= 0, asking
    ``blocked(first, second)`` before each merge. Updates ``merged`` (member lists), ``sums``,
    ``sizes``, ``inner`` and ``score`` in place, with the same floats as the twin."""
    cdef Py_ssize_t k = sizes.shape[0], i, j, x, y, flat
    cdef double best, value
    if sums.shape[0] != k or sums.shape[1] != k or score.shape[0] != k or score.shape[1] != k:
        raise ValueError("sums and score must be k x k for k groups")
    if inner.shape[0] != k or len(merged) != k:
        raise ValueError("inner and merged must have one entry per group")
    if k == 0:
        return
    alive_array = bytearray(b"\x01" * k)
    cdef unsigned char[::1] alive = alive_array
    while True:
        # np.argmax: the first maximum, or the first NaN
        flat = 0
        best = score[0, 0]
        if best == best:
            for i in range(k):
                for j in range(k):
                    value = score[i, j]
                    if value != value:
                        best = value
                        flat = i * k + j
                        break
                    if value > best:
                        best = value
                        flat = i * k + j
                if best != best:
                    break
        x = flat // k
        y = flat % k
        if score[x, y] < 0:
            break
        if x > y:
            x, y = y, x
        if blocked(merged[x], merged[y]):
            # Blocked until one of the two groups changes (its scores are then recomputed).
            score[x, y] = -1.0
            score[y, x] = -1.0
            continue
        inner[x] += inner[y] + sums[x, y]
        (<list?>merged[x]).extend(<list?>merged[y])
        merged[y] = []
        for j in range(k):
            sums[x, j] += sums[y, j]
        for j in range(k):
            sums[j, x] = sums[x, j]
        sums[x, x] = 0.0
        sizes[x] += sizes[y]
        alive[y] = 0
        for j in range(k):
            sums[y, j] = 0.0
            sums[j, y] = 0.0
        inner[y] = 0.0
        for j in range(k):
            score[y, j] = -1.0
            score[j, y] = -1.0
        # Only the merged group's averages and cohesion changed: update its row and column.
        _score_row(x, sums, sizes, inner, alive, threshold, cohesion_ratio, score)


cdef struct _Keyed:
    unsigned long long prefix  # the term's first 8 characters, big-endian
    Py_ssize_t index
    Py_ssize_t length
    const unsigned char* data  # the term's characters (kept alive by the vector's terms)


cdef int _by_term(const void* left, const void* right) noexcept nogil:
    """Sorted order of one-byte strings (ties in the order given): by their first 8 bytes as
    one integer (the same order as the bytes' where they differ), then whole."""
    cdef const _Keyed* a = <const _Keyed*>left
    cdef const _Keyed* b = <const _Keyed*>right
    cdef Py_ssize_t k
    if a.prefix != b.prefix:
        return -1 if a.prefix < b.prefix else 1
    for k in range(min(a.length, b.length)):
        if a.data[k] != b.data[k]:
            return -1 if a.data[k] < b.data[k] else 1
    if a.length != b.length:
        return -1 if a.length < b.length else 1
    return -1 if a.index < b.index else (1 if a.index > b.index else 0)


cdef inline bint _same_bytes(const _Keyed* a, const _Keyed* b) noexcept nogil:
    return (
        a.prefix == b.prefix
        and a.length == b.length
        and memcmp(a.data, b.data, a.length) == 0
    )


cdef int _rank_terms(SortedVector vector) except -1:
    """Fill ``vector.ranks`` (once): the shared terms of two vectors, taken in the order of
    either's ranks, are in sorted order, which is the order ``weighted_overlap`` adds them in.

    Terms that are all one-byte strings (Latin-1: most words) are sorted by ``qsort`` on their
    bytes; others by Python's ``sorted``. Both give Python's order of the terms, with a term
    given twice in the order given."""
    cdef Py_ssize_t k, c, length, n = vector.size
    cdef unsigned long long prefix
    cdef const unsigned char* data
    cdef _Keyed* keyed
    cdef bint one_byte = True
    if vector.ranks is not NULL:
        return 0
    ranks = <Py_ssize_t*>PyMem_Malloc(max(n, 1) * sizeof(Py_ssize_t))
    if ranks is NULL:
        raise MemoryError()
    for k in range(n):
        term = vector.terms[k]
        if type(term) is not str or PyUnicode_KIND(term) != PyUnicode_1BYTE_KIND:
            one_byte = False
            break
    if one_byte:
        keyed = <_Keyed*>PyMem_Malloc(max(n, 1) * sizeof(_Keyed))
        if keyed is NULL:
            PyMem_Free(ranks)
            raise MemoryError()
        for k in range(n):
            term = vector.terms[k]
            length = PyUnicode_GET_LENGTH(term)
            data = PyUnicode_1BYTE_DATA(term)
            prefix = 0
            for c in range(8):
                prefix = (prefix << 8) | (data[c] if c < length else 0)
            keyed[k].prefix = prefix
            keyed[k].index = k
            keyed[k].length = length
            keyed[k].data = data
        qsort(keyed, n, sizeof(_Keyed), _by_term)
        vector.repeats = False
        for k in range(n):
            ranks[keyed[k].index] = k
            if k and _same_bytes(&keyed[k - 1], &keyed[k]):
                vector.repeats = True
        PyMem_Free(keyed)
    else:
        order = sorted(range(n), key=vector.terms.__getitem__)  # stable: repeats as given
        for k in range(n):
            ranks[<Py_ssize_t>order[k]] = k
        vector.repeats = False
        for k in range(1, n):
            if vector.terms[<Py_ssize_t>order[k]] == vector.terms[<Py_ssize_t>order[k - 1]]:
                vector.repeats = True
    vector.ranks = ranks
    return 0


cdef struct _Match:
    Py_ssize_t first
    Py_ssize_t second
    double product


cdef int _by_ranks(const void* left, const void* right) noexcept nogil:
    cdef const _Match* a = <const _Match*>left
    cdef const _Match* b = <const _Match*>right
    if a.first != b.first:
        return -1 if a.first < b.first else 1
    return -1 if a.second < b.second else (1 if a.second > b.second else 0)


cdef double _overlap(
    SortedVector a, SortedVector b, _Match* matches, double* slots, unsigned char* filled
) except? -2.0:
    """``weighted_overlap``'s entry for rows ``a`` and ``b``: the products of the shared terms,
    added one by one from 0.0 in the terms' sorted order (a term ``a`` gives twice: in the order
    given, and inside it, ``b``'s in theirs), clipped to 1 as by ``np.minimum``.

    ``matches`` holds ``a.size * b.size`` entries, ``slots``/``filled`` ``a.size`` (scratch)."""
    cdef Py_ssize_t i = 0, j = 0, i_end = 0, j_end = 0, x, y, count = 0, r
    cdef Py_ssize_t n = a.size
    cdef double total = 0.0
    cdef bint plain = not a.repeats and not b.repeats
    while _next_shared(a, b, &i, &j, &i_end, &j_end):
        for x in range(i, i_end):
            for y in range(j, j_end):
                if _same_term(a, x, b, y):
                    if plain:  # one match per rank of a: its slot
                        slots[a.ranks[x]] = a.weights[x] * b.weights[y]
                        filled[a.ranks[x]] = 1
                    else:
                        matches[count].first = a.ranks[x]
                        matches[count].second = b.ranks[y]
                        matches[count].product = a.weights[x] * b.weights[y]
                    count += 1
        i, j = i_end, j_end
    if count == 0:
        return 0.0
    if plain:
        for r in range(n):
            if filled[r]:
                total += slots[r]
                filled[r] = 0
    else:
        qsort(matches, count, sizeof(_Match), _by_ranks)
        for r in range(count):
            total += matches[r].product
    return _np_minimum(total, 1.0)


def view_matrix(
    list views,
    double[::1] number_counts,
    const unsigned char[::1] absent,
    double term_weight,
    double entity_weight,
    double number_weight,
    double window_days,
):
    """``stories.link.similarity_matrix`` (options without embeddings) from the members'
    views, one pair at a time: the same floats as the numpy twin's ``weighted_overlap`` and
    ``shared_counts`` followed by its whole-matrix expressions (each entry of those is a
    function of its two rows alone), without building their postings. ``number_counts``: each member's count of numbers
    as ``similarity_matrix`` takes it (repeats included)."""
    import numpy as np

    cdef Py_ssize_t n = len(views), i, j, k, widest = 1
    cdef LinkView a, b
    cdef double terms_ij, terms_ji, entities_ij, entities_ji
    cdef Py_ssize_t shared
    cdef bint repeats = False
    if absent.shape[0] != n or number_counts.shape[0] != n:
        raise ValueError("views, number_counts and absent must have one entry per member")
    for i in range(n):
        a = <LinkView?>views[i]
        if not absent[i]:
            _rank_terms(a.terms)
            _rank_terms(a.entities)
            widest = max(widest, a.terms.size, a.entities.size)
            repeats = repeats or a.terms.repeats or a.entities.repeats
    result_array = np.zeros((n, n))
    cdef double[:, ::1] result = result_array
    # Room for every match of two rows, needed only where a term is given twice.
    cdef _Match* matches = <_Match*>PyMem_Malloc(
        (widest * widest if repeats else 1) * sizeof(_Match)
    )
    cdef double* slots = <double*>PyMem_Malloc(widest * sizeof(double))
    cdef unsigned char* filled = <unsigned char*>PyMem_Malloc(widest)
    if matches is NULL or slots is NULL or filled is NULL:
        PyMem_Free(matches)
        PyMem_Free(slots)
        PyMem_Free(filled)
        raise MemoryError()
    try:
        for k in range(widest):
            filled[k] = 0
        for i in range(n):
            if absent[i]:
                continue
            a = <LinkView>views[i]
            for j in range(i + 1, n):
                if absent[j]:
                    continue
                b = <LinkView>views[j]
                if (
                    window_days
                    and a.has_day
                    and b.has_day
                    and fabs(<double>a.day_number - <double>b.day_number) > window_days
                ):
                    continue  # 0 both ways, whatever the overlaps (see ``_combined``)
                terms_ij = _overlap(a.terms, b.terms, matches, slots, filled)
                entities_ij = _overlap(a.entities, b.entities, matches, slots, filled)
                if a.terms.repeats and b.terms.repeats:
                    terms_ji = _overlap(b.terms, a.terms, matches, slots, filled)
                else:
                    terms_ji = terms_ij
                if a.entities.repeats and b.entities.repeats:
                    entities_ji = _overlap(b.entities, a.entities, matches, slots, filled)
                else:
                    entities_ji = entities_ij
                shared = _shared_numbers(a.numbers, b.numbers)
                result[i, j] = _combined(
                    a, b, terms_ij, entities_ij, shared, number_counts[i], number_counts[j],
                    term_weight, entity_weight, number_weight, window_days,
                )
                result[j, i] = _combined(
                    b, a, terms_ji, entities_ji, shared, number_counts[j], number_counts[i],
                    term_weight, entity_weight, number_weight, window_days,
                )
    finally:
        PyMem_Free(matches)
        PyMem_Free(slots)
        PyMem_Free(filled)
    return result_array


cdef inline double _combined(
    LinkView a,
    LinkView b,
    double terms,
    double entities,
    double shared_numbers,
    double count_a,
    double count_b,
    double term_weight,
    double entity_weight,
    double number_weight,
    double window_days,
) noexcept:
    """One entry of ``similarity_matrix``'s numpy expressions (row ``a``, column ``b``): the same
    operations in the same order, so the same float."""
    cdef double entity_on, number_on, smaller, part, total, mixed, value, gap
    entity_on = 1.0 if a.entities.size and b.entities.size else 0.0
    number_on = 1.0 if count_a > 0 and count_b > 0 else 0.0
    smaller = min(count_a, count_b)
    part = shared_numbers / smaller if smaller > 0 else 0.0
    total = (term_weight + entity_weight * entity_on) + number_weight * number_on
    mixed = (
        term_weight * terms + (entity_weight * entities) * entity_on
    ) + (number_weight * part) * number_on
    value = mixed / total if total > 0 else 0.0
    if window_days and a.has_day and b.has_day:
        gap = fabs(<double>a.day_number - <double>b.day_number)
        if gap > window_days:
            value = 0.0
    return value


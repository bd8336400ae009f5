# cython: language_level=3
"""Compiled twins of ``newsfold.stories.link``'s kernels: sparse cosines, pair decisions and the
similarity matrix of a component (identical results to the Python code; tested)."""

from cpython.mem cimport PyMem_Free, PyMem_Malloc
from libc.math cimport fabs
from libc.stdlib cimport qsort
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
    rows_array = np.empty(max(size, 1), dtype=np.intp)
    weights_array = np.empty(max(size, 1), dtype=np.float64)
    cdef double[:, ::1] m = matrix
    cdef Py_ssize_t[::1] rows = rows_array
    cdef double[::1] weights = weights_array
    shared = sorted([term for term, entries in postings.items() if len(entries) > 1])
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


cdef int _by_hash(const void* left, const void* right) noexcept nogil:
    cdef const _Entry* a = <const _Entry*>left
    cdef const _Entry* b = <const _Entry*>right
    if a.hash != b.hash:
        return -1 if a.hash < b.hash else 1
    return -1 if a.index < b.index else (1 if a.index > b.index else 0)


cdef class SortedVector:
    """A sparse vector ``((term, weight), ...)`` sorted by the terms' hashes: two of them are
    compared by one merge over machine integers, the terms themselves compared only where the
    hashes are equal (so a hash collision never makes two different terms one)."""

    cdef long long* hashes
    cdef double* weights
    cdef list terms
    cdef Py_ssize_t size

    def __cinit__(self, tuple pairs):
        cdef Py_ssize_t n = len(pairs), k
        cdef _Entry* entries = <_Entry*>PyMem_Malloc(max(n, 1) * sizeof(_Entry))
        self.hashes = <long long*>PyMem_Malloc(max(n, 1) * sizeof(long long))
        self.weights = <double*>PyMem_Malloc(max(n, 1) * sizeof(double))
        if entries is NULL or self.hashes is NULL or self.weights is NULL:
            PyMem_Free(entries)
            raise MemoryError()
        try:
            for k in range(n):
                entries[k].hash = hash((<tuple>pairs[k])[0])
                entries[k].index = k
            qsort(entries, n, sizeof(_Entry), _by_hash)
            self.terms = []
            for k in range(n):
                pair = <tuple>pairs[entries[k].index]
                self.hashes[k] = entries[k].hash
                self.weights[k] = <double>pair[1]
                self.terms.append(pair[0])
            self.size = n
        finally:
            PyMem_Free(entries)

    def __dealloc__(self):
        PyMem_Free(self.hashes)
        PyMem_Free(self.weights)


def sorted_cosine(SortedVector a, SortedVector b):
    """``cosine_with`` of two sorted vectors: the same products (one per shared term) summed
    by fsum, so the same float."""
    return _cosine(a, b)


cdef double _cosine(SortedVector a, SortedVector b) except? -1.0:
    cdef Py_ssize_t i = 0, j = 0, i_end, j_end, x, y
    cdef Py_ssize_t n = a.size, m = b.size
    cdef long long h, ha, hb
    cdef list products = None
    cdef const long long* left = a.hashes
    cdef const long long* right = b.hashes
    while i < n and j < m:
        ha = left[i]
        hb = right[j]
        if ha != hb:
            # Most steps: advance the smaller side, without a branch to mispredict.
            i += ha < hb
            j += hb < ha
        else:
            h = ha
            i_end = i + 1
            while i_end < n and a.hashes[i_end] == h:
                i_end += 1
            j_end = j + 1
            while j_end < m and b.hashes[j_end] == h:
                j_end += 1
            for x in range(i, i_end):
                for y in range(j, j_end):
                    if a.terms[x] is b.terms[y] or a.terms[x] == b.terms[y]:
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

    def __init__(self, SortedVector terms, SortedVector entities, frozenset numbers, day):
        self.terms = terms
        self.entities = entities
        self.numbers = numbers
        self.day = day
        self.day_number = 0 if day is None else day


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
        shared = len(a.numbers & b.numbers)
        smaller = min(len(a.numbers), len(b.numbers))
        mixed += number_weight * (<double>shared / <double>smaller)
    if total == 0:
        return 0.0
    return _round(mixed / total, 9)


def view_similarity(
    LinkView a, LinkView b, double term_weight, double entity_weight, double number_weight
):
    return _similarity(a, b, term_weight, entity_weight, number_weight)


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
    embeddings: a list of bools."""
    cdef list out = []
    cdef LinkView other
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
        out.append(
            _similarity(arrival, other, term_weight, entity_weight, number_weight) >= threshold
        )
    return out


def combine_similarities(
    double[:, ::1] terms,
    double[:, ::1] entities,
    double[:, ::1] shared_numbers,
    const unsigned char[::1] has_entities,
    double[::1] number_counts,
    double[::1] ordinals,
    const unsigned char[::1] absent,
    double term_weight,
    double entity_weight,
    double number_weight,
    double window_days,
):
    """The last step of ``stories.link.similarity_matrix`` (options without embeddings) in one
    pass: each entry computed with the same operations, in the same order, as the numpy twin's
    whole-matrix expressions, so the same floats, without their dozen n x n temporaries."""
    import numpy as np

    cdef Py_ssize_t n = terms.shape[0], i, j
    result_array = np.zeros((n, n))
    cdef double[:, ::1] result = result_array
    cdef double entity_on, number_on, smaller, part, total, mixed, value, gap
    for i in range(n):
        if absent[i]:
            continue
        for j in range(n):
            if j == i or absent[j]:
                continue
            entity_on = 1.0 if has_entities[i] and has_entities[j] else 0.0
            number_on = 1.0 if number_counts[i] > 0 and number_counts[j] > 0 else 0.0
            smaller = min(number_counts[i], number_counts[j])
            part = shared_numbers[i, j] / smaller if smaller > 0 else 0.0
            total = (term_weight + entity_weight * entity_on) + number_weight * number_on
            mixed = (
                term_weight * terms[i, j] + (entity_weight * entities[i, j]) * entity_on
            ) + (number_weight * part) * number_on
            value = mixed / total if total > 0 else 0.0
            if window_days:
                gap = fabs(ordinals[i] - ordinals[j])
                if gap == gap and gap > window_days:  # NaN (a date unknown) never exceeds
                    value = 0.0
            result[i, j] = value
    return result_array


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

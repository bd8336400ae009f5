# cython: language_level=3
"""Compiled twin of ``newsfold.stories.link._cosine_with`` (identical results; tested)."""

from cpython.dict cimport PyDict_GetItem
from cpython.object cimport PyObject
from math import fsum


def cosine_with(dict table, tuple pairs):
    """Cosine of two normalised sparse vectors: ``pairs`` walked through ``table``; the products
    over the shared keys summed by fsum (exact, so independent of the order)."""
    cdef list products = []
    cdef tuple pair
    cdef PyObject* found
    for pair in pairs:
        found = PyDict_GetItem(table, pair[0])
        if found is not NULL:
            products.append(<double>pair[1] * <double><object>found)
    if not products:
        return 0.0
    return min(1.0, fsum(products))


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

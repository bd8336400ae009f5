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

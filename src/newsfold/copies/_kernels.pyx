# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""Compiled kernels of copy detection: the per-byte, per-word and per-shingle loops in C.

Each function here has a numpy twin in the pure-Python modules (named in its docstring) that
gives IDENTICAL arrays; ``copies.compiled`` picks this module when it imports and the twins
otherwise, and ``tests/test_copies_compiled.py`` compares the two on real pages and on random
input. The hash functions are the twins' to the bit (splitmix64 finaliser, the polynomial
n-gram hash, the position-mixed digests), so signatures, candidate keys and the keys kept in
the SQLite store do not depend on which implementation ran.

Why C: numpy runs these as a dozen passes over arrays of the chunk's size (a byte class, word
edges, windows, masks, long-word rounds, n-gram polynomials, boolean selections), each pass
allocating and reading back megabytes; one loop touches every byte or word once, in cache.
Measured on the 100k-page speed corpus (``bench/copies.py --breakdown --lean``, us a page,
numpy then compiled): JSON decode, encode and tokenise 74 -> 23, candidate pairs 16.5 -> 8.8,
pages rebuilt 16.2 -> 5.4, block verification counts 45.7 -> 9.8; the whole run 203 -> 80.

SSE2 (part of every x86-64, so no compiler flag) classifies bytes 16 at a time where the
compiler offers it (``__SSE2__``), with the 8-byte arithmetic as the fallback elsewhere; the
tests compare both. Measured in isolation on chunks of the speed corpus (us a page, before
then after this round): ``encoded_block`` (JSON strings, 16 plain bytes a step, the joined
bodies written into their bytes object) 5.4 -> 3.1, ``encoded_words`` (SSE2 classes, one loop
per kind of event, no output copy) 10.8 -> 7.7, ``whole_text_counts`` (table slots as one
record) 14.6 -> 13.0 a page of a block, ``chunk_arrays`` (all-text bodies shingled in place)
6.8 -> 6.4.
"""

from libc.stdint cimport int64_t, uint8_t, uint64_t
from cpython.object cimport PyObject
from cpython.ref cimport Py_XDECREF
from libc.errno cimport errno
from libc.string cimport memchr, memcpy
from posix.types cimport off_t
from posix.unistd cimport pread

import numpy as np


cdef extern from "Python.h":
    # Raw references (no reference counting by Cython): ``_encoded`` writes the joined bodies
    # straight into a bytes object and shrinks it to their length, instead of filling an array
    # and copying it into a bytes object (1.5 MB a chunk).
    PyObject* PyBytes_FromStringAndSize(const char* data, Py_ssize_t size)
    char* PyBytes_AS_STRING(PyObject* data)
    int _PyBytes_Resize(PyObject** data, Py_ssize_t size)
    object PyUnicode_DecodeUTF8(const char* data, Py_ssize_t size, const char* errors)


cdef extern from *:
    int __builtin_ctzll(unsigned long long) nogil
    int __builtin_clzll(unsigned long long) nogil


# The byte classes of 64 folded bytes as three bitmaps (``encoded_words``): with SSE2 (every
# x86-64 has it) 16 bytes a compare, else the portable 8-byte arithmetic below. Both give
# bit k set when byte k is a word byte (``_CLASS`` 1: 0x80 and up, a-z, A-Z, 0-9, ``_``), a
# joiner (an apostrophe or a hyphen) or a line break; the twin tests check them.
cdef extern from *:
    """
    #include <stdint.h>
    #include <string.h>
    #if defined(__SSE2__)
    #include <emmintrin.h>
    #define NEWSFOLD_SSE2 1
    static inline int newsfold_classify64(const uint8_t *p, uint64_t *word, uint64_t *joiner,
                                          uint64_t *breaks) {
        uint64_t w = 0, j = 0, b = 0;
        int k;
        for (k = 0; k < 4; k++) {
            __m128i x = _mm_loadu_si128((const __m128i *)(p + 16 * k));
            /* Letters: (x | 0x20) - 'a' at most 25, unsigned; digits: x - '0' at most 9. */
            __m128i t = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
            __m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
            __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(25)), t);
            __m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
            __m128i under = _mm_cmpeq_epi8(x, _mm_set1_epi8('_'));
            __m128i marks = _mm_or_si128(_mm_or_si128(letter, digit), _mm_or_si128(under, x));
            __m128i joins = _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(39)),
                                         _mm_cmpeq_epi8(x, _mm_set1_epi8(45)));
            __m128i lines = _mm_cmpeq_epi8(x, _mm_set1_epi8(10));
            w |= (uint64_t)(uint32_t)_mm_movemask_epi8(marks) << (16 * k);
            j |= (uint64_t)(uint32_t)_mm_movemask_epi8(joins) << (16 * k);
            b |= (uint64_t)(uint32_t)_mm_movemask_epi8(lines) << (16 * k);
        }
        *word = w;
        *joiner = j;
        *breaks = b;
        return 1;
    }
    /* How many of the 16 bytes at p are plain JSON string bytes (ASCII, not a control byte,
       a quote or a backslash) before the first other one. */
    static inline int newsfold_plain16(const uint8_t *p) {
        __m128i x = _mm_loadu_si128((const __m128i *)p);
        /* Signed: bytes from 0x80 up are negative, below 0x20 as well. */
        __m128i other = _mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)),
                                     _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(34)),
                                                  _mm_cmpeq_epi8(x, _mm_set1_epi8(92))));
        unsigned int mask = (unsigned int)_mm_movemask_epi8(other);
        return mask ? __builtin_ctz(mask) : 16;
    }
    /* Bit k set when byte k of the 16 at p is 0x80 or more. */
    static inline int newsfold_high16(const uint8_t *p) {
        return _mm_movemask_epi8(_mm_loadu_si128((const __m128i *)p));
    }
    #else
    #define NEWSFOLD_SSE2 0
    static inline int newsfold_high16(const uint8_t *p) {
        (void)p;
        return -1;
    }
    static inline int newsfold_plain16(const uint8_t *p) {
        (void)p;
        return -1;
    }
    static inline int newsfold_classify64(const uint8_t *p, uint64_t *word, uint64_t *joiner,
                                          uint64_t *breaks) {
        (void)p; (void)word; (void)joiner; (void)breaks;
        return 0;
    }
    #endif
    """
    int newsfold_classify64(const uint8_t* p, uint64_t* word, uint64_t* joiner,
                            uint64_t* breaks) nogil
    int newsfold_plain16(const uint8_t* p) nogil
    int newsfold_high16(const uint8_t* p) nogil


cdef uint64_t _MIX1 = 0xBF58476D1CE4E5B9ULL
cdef uint64_t _MIX2 = 0x94D049BB133111EBULL
cdef uint64_t _LENGTH = 0x9E3779B97F4A7C15ULL
cdef uint64_t _CHUNK = 0xC2B2AE3D27D4EB4FULL
cdef uint64_t _BASE = 0x9E3779B97F4A7C15ULL
cdef uint64_t _KEY_MASK = 0x7FFFFFFFFFFFFFFFULL
cdef uint64_t _ALL = 0xFFFFFFFFFFFFFFFFULL

# Byte classes (``tokens._CLASS``): 0 separates words, 1 is part of a word, 2 joins two word bytes.
cdef uint8_t _CLASS[256]
# ``reader._TRAILING`` and ``reader._SENTENCE_END``.
cdef uint8_t _TRAILING[256]
cdef uint8_t _SENTENCE_END[256]


cdef void _tables():
    cdef int byte
    for byte in range(256):
        _CLASS[byte] = 1 if byte >= 0x80 else 0
        _TRAILING[byte] = 0
        _SENTENCE_END[byte] = 0
    for byte in b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_":
        _CLASS[byte] = 1
    _CLASS[ord("'")] = 2
    _CLASS[ord("-")] = 2
    for byte in b"\"')] \t\r*":
        _TRAILING[byte] = 1
    for byte in b".!?":
        _SENTENCE_END[byte] = 1


_tables()


cdef inline int _popcount(uint64_t x) noexcept nogil:
    """Set bits of ``x``, by 64-bit arithmetic: built without ``-mpopcnt``, the compiler's
    builtin is a call into libgcc (~1% of a run when it counted the words and lines)."""
    x = x - ((x >> 1) & 0x5555555555555555ULL)
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL)
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL
    return <int>((x * 0x0101010101010101ULL) >> 56)


cdef inline uint64_t _ge7(uint64_t low7, uint64_t bound) noexcept nogil:
    """0x80 in each byte of ``low7`` (bytes under 0x80) that is >= ``bound`` (1 to 0x7F)."""
    return (low7 + 0x0101010101010101ULL * (0x80 - bound)) & 0x8080808080808080ULL


cdef inline uint64_t _le7(uint64_t low7, uint64_t bound) noexcept nogil:
    """0x80 in each byte of ``low7`` (bytes under 0x80) that is <= ``bound`` (0 to 0x7F)."""
    return ~(low7 + 0x0101010101010101ULL * (0x7F - bound)) & 0x8080808080808080ULL


cdef inline uint64_t _eq7(uint64_t low7, uint64_t value) noexcept nogil:
    """0x80 in each byte of ``low7`` (bytes under 0x80) that equals ``value`` (under 0x80)."""
    return ~((low7 ^ (0x0101010101010101ULL * value)) + 0x7F7F7F7F7F7F7F7FULL) \
        & 0x8080808080808080ULL


cdef inline uint64_t _movemask(uint64_t marks) noexcept nogil:
    """Bit k set when byte k of ``marks`` (0x80 or 0 per byte) is set."""
    return ((marks >> 7) * 0x0102040810204080ULL) >> 56


cdef inline uint64_t _word_marks(uint64_t block) noexcept nogil:
    """0x80 in each byte of ``block`` that is a word byte (``_CLASS`` 1): a letter, a digit,
    an underscore or any byte of a non-ASCII character. Carry-free byte arithmetic: every
    sum below stays under 0x100 in each byte."""
    cdef uint64_t high = block & 0x8080808080808080ULL
    cdef uint64_t low7 = block & 0x7F7F7F7F7F7F7F7FULL
    return (high
            | (_ge7(low7, 97) & _le7(low7, 122))
            | (_ge7(low7, 65) & _le7(low7, 90))
            | (_ge7(low7, 48) & _le7(low7, 57))
            | _eq7(low7, 95))


cdef inline bint _ends_like_sentence(const uint8_t* data, Py_ssize_t start,
                                     Py_ssize_t stop) noexcept nogil:
    """``reader._ends_like_sentence`` of the line ``data[start:stop]``."""
    cdef Py_ssize_t end = stop - 1
    cdef int step
    for step in range(4):
        if end >= start and _TRAILING[data[end]]:
            end -= 1
        else:
            break
    return end >= start and _SENTENCE_END[data[end]]


cdef inline uint64_t _mix64(uint64_t z) noexcept nogil:
    z ^= z >> 30
    z *= _MIX1
    z ^= z >> 27
    z *= _MIX2
    z ^= z >> 31
    return z


cdef inline uint64_t _window(const uint8_t* data, Py_ssize_t size, Py_ssize_t at,
                             Py_ssize_t length) noexcept nogil:
    """The first ``min(length, 8)`` bytes at ``at`` read little-endian (zeros past ``size``)."""
    cdef uint64_t value = 0
    cdef Py_ssize_t k
    cdef Py_ssize_t take = length if length < 8 else 8
    if at + 8 <= size:
        memcpy(&value, data + at, 8)  # x86 and ARM are little-endian, as numpy's '<u8' view
        if take < 8:
            value &= ((<uint64_t>1) << (8 * take)) - 1
        return value
    for k in range(take):
        if at + k < size:
            value |= (<uint64_t>data[at + k]) << (8 * k)
    return value


cdef inline uint64_t _word_hash(const uint8_t* data, Py_ssize_t size, Py_ssize_t start,
                                Py_ssize_t length) noexcept nogil:
    cdef uint64_t h = _mix64(_window(data, size, start, length) ^ (<uint64_t>length * _LENGTH))
    cdef Py_ssize_t chunk = 1
    while length > 8 * chunk:
        h = _mix64(h * _CHUNK + _window(data, size, start + 8 * chunk, length - 8 * chunk))
        chunk += 1
    return h


cdef inline bint _has_byte(uint64_t block, uint8_t byte) noexcept nogil:
    """Does one of the 8 bytes of ``block`` equal ``byte``? (the exact zero-byte test)"""
    cdef uint64_t x = block ^ (0x0101010101010101ULL * byte)
    return ((x - 0x0101010101010101ULL) & ~x & 0x8080808080808080ULL) != 0


cdef inline bint _has_less(uint64_t block, uint8_t bound) noexcept nogil:
    """Is one of the 8 bytes of ``block`` (all under 0x80) below ``bound`` (at most 128)?"""
    return ((block - 0x0101010101010101ULL * bound) & ~block & 0x8080808080808080ULL) != 0


cdef Py_ssize_t _fold(const uint8_t* raw, Py_ssize_t size, const uint8_t* lower,
                      const uint8_t* fold2, const uint8_t* fold3, uint8_t* out) noexcept nogil:
    """``tokens._fold`` of valid UTF-8 into ``out``: ASCII lower-cased (``lower``), folded
    two-byte (lead C2, ``fold2``) and three-byte (lead E2, ``fold3``; 1 drops the character)
    punctuation, Latin-1 capitals (C3 80-9E but 97) lower-cased. Returns the folded length."""
    cdef Py_ssize_t at = 0, written = 0
    cdef uint8_t byte, second, target
    cdef uint64_t block, upper
    while at < size:
        if at + 8 <= size:
            memcpy(&block, raw + at, 8)
            # Eight ASCII bytes without a backtick: A-Z lower-cased at once (bit 5 set on the
            # bytes between 'A' and 'Z'), as the table would.
            if (block & 0x8080808080808080ULL) == 0 and not _has_byte(block, 0x60):
                upper = ((block + 0x3F3F3F3F3F3F3F3FULL) & ~(block + 0x2525252525252525ULL)
                         & 0x8080808080808080ULL)
                block |= upper >> 2
                memcpy(out + written, &block, 8)
                written += 8
                at += 8
                continue
        byte = raw[at]
        if byte < 0x80:
            out[written] = lower[byte]
            written += 1
            at += 1
        elif byte == 0xC2 and at + 1 < size and fold2[raw[at + 1]]:
            out[written] = fold2[raw[at + 1]]
            written += 1
            at += 2
        elif byte == 0xC3 and at + 1 < size:
            second = raw[at + 1]
            out[written] = byte
            out[written + 1] = second + 0x20 if 0x80 <= second <= 0x9E and second != 0x97 else second
            written += 2
            at += 2
        elif byte == 0xE2 and at + 2 < size and fold3[(<Py_ssize_t>raw[at + 1] << 8) | raw[at + 2]]:
            target = fold3[(<Py_ssize_t>raw[at + 1] << 8) | raw[at + 2]]
            if target != 1:
                out[written] = target
                written += 1
            at += 3
        else:
            out[written] = byte
            written += 1
            at += 1
    return written


cdef inline uint64_t _joiner_marks(uint64_t block) noexcept nogil:
    """0x80 in each byte of ``block`` that is a joiner (``_CLASS`` 2: an apostrophe or a
    hyphen)."""
    cdef uint64_t low7 = block & 0x7F7F7F7F7F7F7F7FULL
    return (_eq7(low7, 39) | _eq7(low7, 45)) & ~block & 0x8080808080808080ULL


cdef inline void _classify64_portable(const uint8_t* data, uint64_t* word_bits,
                                      uint64_t* joiner_bits, uint64_t* break_bits) noexcept nogil:
    """``newsfold_classify64`` of the 64 bytes at ``data`` by 8-byte arithmetic (the build
    without SSE2)."""
    cdef uint64_t chunk, words = 0, joiners = 0, breaks = 0
    cdef int group
    for group in range(8):
        memcpy(&chunk, data + group * 8, 8)
        words |= _movemask(_word_marks(chunk)) << (8 * group)
        joiners |= _movemask(_joiner_marks(chunk)) << (8 * group)
        breaks |= _movemask(_eq7(chunk & 0x7F7F7F7F7F7F7F7FULL, 10) & ~chunk
                            & 0x8080808080808080ULL) << (8 * group)
    word_bits[0] = words
    joiner_bits[0] = joiners
    break_bits[0] = breaks


def byte_classes(const uint8_t[::1] block, bint portable):
    """``(word, joiner, line break)`` bitmaps of 64 bytes as ``encoded_words`` makes them, by
    SSE2 (where built with it) or by the portable arithmetic (``portable``): for the tests,
    which compare the two and ``tokens._CLASS``."""
    if block.shape[0] != 64:
        raise ValueError("byte_classes: give 64 bytes")
    cdef uint64_t word_bits = 0, joiner_bits = 0, break_bits = 0
    if portable or not newsfold_classify64(&block[0], &word_bits, &joiner_bits, &break_bits):
        _classify64_portable(&block[0], &word_bits, &joiner_bits, &break_bits)
    return word_bits, joiner_bits, break_bits


def encoded_words(const uint8_t[::1] raw, const uint8_t[::1] lower, const uint8_t[::1] fold2,
                  const uint8_t[::1] fold3):
    """``(hashes, words_per_line, sentence_end_per_line)`` of encoded bodies (twin:
    ``tokens.tokenise`` of the bytes and ``reader._ends_like_sentence`` of its folded lines).

    One pass folds the bytes; one classifies them 8 at a time into bitmaps of 64 bytes (word
    bytes, joiners, line breaks) without a branch; words are then the runs of word bytes and
    inner joiners, found with bit arithmetic (a start is a word bit after a non-word bit, an end
    the reverse) and visited with count-trailing-zeros. A byte-at-a-time scan mispredicted a
    branch or two per word; here a 64-byte block costs about one.
    """
    cdef Py_ssize_t raw_size = raw.shape[0]
    cdef Py_ssize_t blocks = raw_size // 64 + 2
    # Zero padding after the folded bytes to whole blocks: separators, and 8-byte reads past
    # the end stay inside.
    folded_array = np.empty(blocks * 64 + 16, dtype=np.uint8)  # the tail is zeroed below
    word_map_array = np.zeros(blocks + 1, dtype=np.uint64)
    joiner_map_array = np.zeros(blocks + 1, dtype=np.uint64)
    break_map_array = np.zeros(blocks + 1, dtype=np.uint64)
    cdef uint8_t[::1] folded = folded_array
    cdef uint64_t[::1] word_map = word_map_array
    cdef uint64_t[::1] joiner_map = joiner_map_array
    cdef uint64_t[::1] break_map = break_map_array
    cdef Py_ssize_t size = 0, lines = 1, at, start = 0, words = 0, line = 0, line_start = 0
    cdef Py_ssize_t block_index, base, position, runs = 0
    cdef uint64_t in_word, previous_word = 0, previous_in_word = 0, next_word, after
    cdef uint64_t starts, ends, events, bit, word_bits, joiner_bits, break_bits
    cdef uint8_t* data = &folded[0]
    with nogil:
        if raw_size:
            size = _fold(&raw[0], raw_size, &lower[0], &fold2[0], &fold3[0], data)
        for at in range(size, blocks * 64 + 16):
            data[at] = 0
        for block_index in range(blocks):
            if not newsfold_classify64(data + block_index * 64, &word_bits, &joiner_bits,
                                       &break_bits):
                _classify64_portable(data + block_index * 64, &word_bits, &joiner_bits,
                                     &break_bits)
            word_map[block_index] = word_bits
            joiner_map[block_index] = joiner_bits
            break_map[block_index] = break_bits
            lines += _popcount(break_bits)
            # Runs of word bytes: joiners only merge them, so words are at most as many.
            runs += _popcount(word_bits & ~((word_bits << 1) | (previous_word >> 63)))
            previous_word = word_bits
    previous_word = 0
    # Sized by the runs, not by the bytes (one word in every other byte at most, 4x as much
    # memory: a fresh huge page or two each chunk), and handed out without a copy.
    hashes_array = np.empty(runs + 1, dtype=np.uint64)
    counts_array = np.zeros(lines, dtype=np.int64)
    sentence_array = np.zeros(lines, dtype=np.bool_)
    cdef uint64_t[::1] hashes = hashes_array
    cdef int64_t[::1] counts = counts_array
    cdef uint8_t[::1] sentence = sentence_array.view(np.uint8)
    with nogil:
        for block_index in range(blocks):
            word_bits = word_map[block_index]
            next_word = word_map[block_index + 1]
            # A joiner counts between two word bytes: the byte before (this block shifted up,
            # the last byte of the block before carried in) and the byte after.
            in_word = word_bits | (joiner_map[block_index]
                                   & ((word_bits << 1) | (previous_word >> 63))
                                   & ((word_bits >> 1) | (next_word << 63)))
            after = (in_word << 1) | (previous_in_word >> 63)
            starts = in_word & ~after
            ends = ~in_word & after
            break_bits = break_map[block_index]
            base = block_index * 64
            # Words by their ends: starts and ends alternate, so a word starts at the last start
            # before its end, in this block or (none there) the last one of an earlier block.
            # One loop per kind of event, not one loop testing each event for its kind (three
            # branches a word, mispredicted often enough to cost ~1 us a page).
            events = ends
            while events:
                position = __builtin_ctzll(events)
                events &= events - 1
                bit = starts & (((<uint64_t>1) << position) - 1)
                if bit:
                    start = base + 63 - __builtin_clzll(bit)
                hashes[words] = _word_hash(data, blocks * 64 + 8, start, base + position - start)
                words += 1
            if starts:
                start = base + 63 - __builtin_clzll(starts)
            # Each word counts on the line its end is on (a word ending at a break is before it).
            events = ends
            while break_bits:
                position = __builtin_ctzll(break_bits)
                break_bits &= break_bits - 1
                bit = events & ((((<uint64_t>2) << position)) - 1)
                counts[line] += _popcount(bit)
                events &= ~bit
                sentence[line] = _ends_like_sentence(data, line_start, base + position)
                line += 1
                line_start = base + position + 1
            if events:
                counts[line] += _popcount(events)
            previous_word = word_bits
            previous_in_word = in_word
        sentence[line] = _ends_like_sentence(data, line_start, size)
    return hashes_array[:words], counts_array, sentence_array


cdef inline uint64_t _top_power(int size) noexcept nogil:
    """BASE ** (size - 1), wrapping: the weight of the first word of an n-gram polynomial."""
    cdef uint64_t power = 1
    cdef int k
    for k in range(size - 1):
        power *= _BASE
    return power


cdef inline uint64_t _polynomial(const uint64_t* hashes, Py_ssize_t length) noexcept nogil:
    """The n-gram polynomial of the ``length`` (at least 1) word hashes at ``hashes``, before
    the finaliser (``reader._polynomials``)."""
    cdef uint64_t polynomial = hashes[0]
    cdef Py_ssize_t offset
    for offset in range(1, length):
        polynomial = polynomial * _BASE + hashes[offset]
    return polynomial


cdef inline Py_ssize_t _gram_count(int64_t length, int size) noexcept nogil:
    """Shingles of a segment of ``length`` words (``_segment_grams``)."""
    if length >= size:
        return length - size + 1
    return 1 if length > 0 else 0


cdef inline Py_ssize_t _grams(const uint64_t* hashes, Py_ssize_t length, int size, uint64_t top,
                              uint64_t* grams, int64_t* owner, Py_ssize_t gram,
                              int64_t segment) noexcept nogil:
    """The ``length - size + 1`` n-gram hashes of ``hashes`` written from ``gram`` on: the
    polynomial rolled (drop the first word's term, shift, add the next word), the same value
    mod 2**64 as ``reader._polynomials`` computes afresh for each position."""
    cdef uint64_t polynomial = _polynomial(hashes, size)
    cdef Py_ssize_t position
    grams[gram] = _mix64(polynomial + <uint64_t>size)
    owner[gram] = segment
    gram += 1
    for position in range(1, length - size + 1):
        polynomial = (polynomial - hashes[position - 1] * top) * _BASE + hashes[position + size - 1]
        grams[gram] = _mix64(polynomial + <uint64_t>size)
        owner[gram] = segment
        gram += 1
    return gram


cdef inline Py_ssize_t _segment_grams(const uint64_t* hashes, int64_t length, int size,
                                      uint64_t top, uint64_t* grams, int64_t* owner,
                                      Py_ssize_t gram, int64_t segment) noexcept nogil:
    """The shingles of one segment of ``length`` words written from ``gram`` on (twin:
    ``reader.segment_grams``): every n-gram (``_grams``), or one shingle of all its words when
    it has 1 to ``size - 1``, none when it is empty. Returns where the next segment's shingles
    start."""
    if length >= size:
        return _grams(hashes, length, size, top, grams, owner, gram, segment)
    if length > 0:
        grams[gram] = _mix64(_polynomial(hashes, length) + <uint64_t>length)
        owner[gram] = segment
        gram += 1
    return gram


def chunk_arrays(const uint64_t[::1] words, const int64_t[::1] paragraph_lengths,
                 const int64_t[::1] paragraphs, const uint8_t[::1] text, int size,
                 bint with_digests):
    """``(grams, gram_owner, paragraph_digests, digests)`` of tokenised bodies (twin: the
    shingle and digest part of ``reader.assemble_chunk``): each body's shingles over the words
    of its running-text paragraphs, one shingle of all of them when there are 1 to ``size - 1``.
    ``with_digests`` False leaves the digests out (empty arrays): a caller that kept them."""
    cdef Py_ssize_t bodies = paragraphs.shape[0]
    cdef Py_ssize_t paragraph_count = paragraph_lengths.shape[0]
    cdef Py_ssize_t body, paragraph = 0, k, w
    cdef Py_ssize_t word = 0, body_word, text_words, total = 0, gram = 0
    cdef int64_t length
    cdef uint64_t sum_body, sum_paragraph
    # Shingles per body first, to size the output.
    cdef Py_ssize_t p = 0
    for body in range(bodies):
        text_words = 0
        for k in range(paragraphs[body]):
            if text[p]:
                text_words += paragraph_lengths[p]
            p += 1
        total += _gram_count(text_words, size)
    grams_array = np.empty(total, dtype=np.uint64)
    owner_array = np.empty(total, dtype=np.int64)
    paragraph_digest_array = np.empty(paragraph_count if with_digests else 0, dtype=np.uint64)
    digest_array = np.empty(bodies if with_digests else 0, dtype=np.uint64)
    buffer_array = np.empty(max(1, words.shape[0]), dtype=np.uint64)
    cdef uint64_t[::1] grams = grams_array
    cdef int64_t[::1] owner = owner_array
    cdef uint64_t[::1] paragraph_digests = paragraph_digest_array
    cdef uint64_t[::1] digests = digest_array
    cdef uint64_t[::1] buffer = buffer_array
    cdef uint64_t top = _top_power(size)
    cdef const uint64_t* source
    cdef Py_ssize_t body_start
    cdef bint all_text
    with nogil:
        for body in range(bodies):
            text_words = 0
            body_word = 0
            sum_body = 0
            # A body whose paragraphs are all running text (most) is shingled where its words
            # lie; only the others have their running text gathered into ``buffer`` first.
            body_start = word
            all_text = True
            for k in range(paragraphs[body]):
                if not text[paragraph + k]:
                    all_text = False
                    break
            for k in range(paragraphs[body]):
                length = paragraph_lengths[paragraph]
                sum_paragraph = 0
                if with_digests:
                    for w in range(length):
                        sum_paragraph += _mix64(words[word + w] ^ ((<uint64_t>(w + 1)) * _BASE))
                        sum_body += _mix64(
                            words[word + w] ^ ((<uint64_t>(body_word + w + 1)) * _BASE))
                    paragraph_digests[paragraph] = (_mix64(sum_paragraph + <uint64_t>length)
                                                    & _KEY_MASK)
                if text[paragraph] and not all_text:
                    for w in range(length):
                        buffer[text_words + w] = words[word + w]
                if text[paragraph]:
                    text_words += length
                body_word += length
                word += length
                paragraph += 1
            if with_digests:
                digests[body] = _mix64(sum_body + <uint64_t>body_word) & _KEY_MASK
            if text_words == 0:
                continue
            source = &words[body_start] if all_text else &buffer[0]
            gram = _segment_grams(source, text_words, size, top, &grams[0], &owner[0], gram,
                                  body)
    return grams_array, owner_array, paragraph_digest_array, digest_array


def segment_grams(const uint64_t[::1] hashes, const int64_t[::1] lengths, int size):
    """Every shingle of each segment, with repeats: ``(grams, owner)`` (twin:
    ``reader.segment_grams``)."""
    cdef Py_ssize_t count = lengths.shape[0], k, start = 0, total = 0, gram = 0
    for k in range(count):
        total += _gram_count(lengths[k], size)
    grams_array = np.empty(total, dtype=np.uint64)
    owner_array = np.empty(total, dtype=np.int64)
    cdef uint64_t[::1] grams = grams_array
    cdef int64_t[::1] owner = owner_array
    cdef uint64_t top = _top_power(size)
    with nogil:
        for k in range(count):
            gram = _segment_grams(&hashes[start], lengths[k], size, top, &grams[0], &owner[0],
                                  gram, k)
            start += lengths[k]
    return grams_array, owner_array


def minimum_cells(const uint64_t[::1] grams, const int64_t[::1] owner, Py_ssize_t count,
                  int num_perm, uint64_t salt):
    """One-permutation MinHash cells before densification: ``(count x num_perm)`` uint64, each
    bin the minimum of ``mix64(gram ^ salt)`` over the body's grams that fall in it (twin: the
    ``np.minimum.at`` of ``fingerprint.one_permutation_signatures``)."""
    cells_array = np.full((count, num_perm), _ALL, dtype=np.uint64)
    cdef uint64_t[:, ::1] cells = cells_array
    cdef Py_ssize_t k, n = grams.shape[0]
    cdef uint64_t hashed, held
    cdef uint64_t* cell
    cdef Py_ssize_t column
    # A power-of-2 number of bins takes a mask instead of a division (the same remainder).
    cdef uint64_t bins = <uint64_t>num_perm
    cdef bint power_of_2 = (bins & (bins - 1)) == 0
    with nogil:
        for k in range(n):
            hashed = _mix64(grams[k] ^ salt)
            if power_of_2:
                column = <Py_ssize_t>(hashed & (bins - 1))
            else:
                column = <Py_ssize_t>(hashed % bins)
            # The minimum without a branch: whether a value lowers its bin is a coin toss for
            # the first few of a bin, and an ``if`` mispredicted often enough to take 4.1 us a
            # page on the speed corpus against 1.5 without.
            cell = &cells[owner[k], column]
            held = cell[0]
            cell[0] = held if held < hashed else hashed
    return cells_array


cdef struct _Slot:
    # One distinct shingle value of a component in ``_Table``: the value, the bits of the pages
    # whose set holds it (``in_set``) and of those whose paragraphs hold it (``held``), the
    # component that claimed the slot (``generation``) and the last page / paragraph that
    # counted it. Together, so that a look-up reads one cache line, not six (as six arrays
    # did: whole_text_counts ~10% faster).
    uint64_t key
    uint64_t in_set
    uint64_t held
    int64_t generation
    int64_t page_seen
    int64_t paragraph_seen


cdef inline Py_ssize_t _slot(_Slot* slots, Py_ssize_t mask, uint64_t value, int64_t current,
                             bint* fresh) noexcept nogil:
    """The slot of ``value`` in an open-addressing table (linear probing; slots of older
    generations are empty). Shingle hashes are uniform: their low bits are the position."""
    cdef Py_ssize_t at = <Py_ssize_t>(value & <uint64_t>mask)
    while slots[at].generation == current:
        if slots[at].key == value:
            fresh[0] = False
            return at
        at = (at + 1) & mask
    slots[at].generation = current
    slots[at].key = value
    fresh[0] = True
    return at


cdef struct _Table:
    # The state of ``component_counts`` / ``whole_text_counts`` (``_Counting`` owns the arrays).
    # An open-addressing table (``slots``), one slot per distinct shingle value of a component;
    # each component's table mask (``masks``); where each page's occurrences (``gram_start``)
    # and paragraphs (``paragraph_first``) start; and the counts (``shared``: pages x
    # ``width``, ``hits``: paragraphs x ``width``, ``sizes``).
    _Slot* slots
    int64_t* masks
    int64_t* gram_start
    int64_t* paragraph_first
    int64_t* shared
    int64_t* hits
    int64_t* sizes


cdef inline Py_ssize_t _claim(_Table* table, Py_ssize_t component, uint64_t value) noexcept nogil:
    """The slot of ``value`` in ``component``'s table (``_slot``), a fresh one cleared."""
    cdef bint fresh = False
    cdef Py_ssize_t at = _slot(table.slots, table.masks[component], value, component, &fresh)
    cdef _Slot* slot
    if fresh:
        slot = &table.slots[at]
        slot.in_set = 0
        slot.held = 0
        slot.page_seen = -1
        slot.paragraph_seen = -1
    return at


cdef object _starts(const int64_t[::1] owner, Py_ssize_t count):
    """Where each of ``count`` owners' entries start in ``owner`` (sorted): ``count + 1``
    offsets, the last the total."""
    starts_array = np.zeros(count + 1, dtype=np.int64)
    cdef int64_t[::1] starts = starts_array
    cdef Py_ssize_t k
    for k in range(owner.shape[0]):
        starts[owner[k] + 1] += 1
    for k in range(count):
        starts[k + 1] += starts[k]
    return starts_array


cdef inline Py_ssize_t _capacity(Py_ssize_t entries) noexcept nogil:
    """The smallest power of 2 from 16 up holding twice ``entries``."""
    cdef Py_ssize_t capacity = 16
    while capacity < 2 * entries:
        capacity *= 2
    return capacity


cdef int64_t* _address(object array, int64_t* empty):
    """Where the data of a contiguous 8-byte ``array`` starts (``empty`` for no data); the
    caller keeps the array alive."""
    if array.size == 0:
        return empty
    cdef int64_t[::1] view = array.reshape(-1).view(np.int64)
    return &view[0]


cdef class _Counting:
    """The arrays behind a ``_Table``: counts of zero, page offsets, and a table sized for the
    largest component. A component probes a table of its own size (a power of 2, at least
    twice its entries) at the start of the shared arrays, so a small component's slots stay in
    cache. ``paragraph_entries``: how many values each paragraph adds to its page's own
    occurrences in the table at the most."""

    cdef readonly object shared, hits, sizes
    cdef object arrays
    cdef _Table table

    def __init__(self, const int64_t[::1] gram_owner, const int64_t[::1] paragraph_page,
                 const int64_t[::1] paragraph_entries, const int64_t[::1] members,
                 const int64_t[::1] member_start, Py_ssize_t pages, int width):
        cdef Py_ssize_t paragraph_count = paragraph_page.shape[0]
        cdef Py_ssize_t components = member_start.shape[0] - 1
        cdef Py_ssize_t c, m, k, page, entries, largest = 0
        gram_start_array = _starts(gram_owner, pages)
        paragraph_first_array = _starts(paragraph_page, pages)
        cdef int64_t[::1] gram_start = gram_start_array
        cdef int64_t[::1] paragraph_first = paragraph_first_array
        page_entries_array = np.empty(pages, dtype=np.int64)
        masks_array = np.empty(max(components, 1), dtype=np.int64)
        cdef int64_t[::1] page_entries = page_entries_array
        cdef int64_t[::1] masks = masks_array
        for page in range(pages):
            page_entries[page] = gram_start[page + 1] - gram_start[page]
            for k in range(paragraph_first[page], paragraph_first[page + 1]):
                page_entries[page] += paragraph_entries[k]
        for c in range(components):
            entries = 0
            for m in range(member_start[c], member_start[c + 1]):
                entries += page_entries[members[m]]
            if entries > largest:
                largest = entries
            masks[c] = _capacity(entries) - 1
        capacity = _capacity(largest)
        self.shared = np.zeros((pages, width), dtype=np.int64)
        self.hits = np.zeros((paragraph_count, width), dtype=np.int64)
        self.sizes = np.zeros(paragraph_count, dtype=np.int64)
        # The slots as 8-byte words (``_Slot`` is six), every generation -1: no component's.
        slots = np.empty((capacity, sizeof(_Slot) // 8), dtype=np.int64)
        slots[:, 3] = -1
        self.arrays = (slots, masks_array, gram_start_array, paragraph_first_array)
        # Arrays with no data (no pages, no paragraphs) are never written: any address serves.
        cdef int64_t* spare = &masks[0]
        self.table.slots = <_Slot*>_address(slots, spare)
        self.table.masks = spare
        self.table.gram_start = _address(gram_start_array, spare)
        self.table.paragraph_first = _address(paragraph_first_array, spare)
        self.table.shared = _address(self.shared, spare)
        self.table.hits = _address(self.hits, spare)
        self.table.sizes = _address(self.sizes, spare)


# A 4-bit mask spread over four 16-bit lanes of a uint64 (``blockverify._NIBBLE_LANES``).
cdef uint64_t _NIBBLE_LANES[16]


cdef void _nibble_table():
    cdef int value, k
    for value in range(16):
        _NIBBLE_LANES[value] = 0
        for k in range(4):
            if (value >> k) & 1:
                _NIBBLE_LANES[value] |= (<uint64_t>1) << (16 * k)


_nibble_table()


cdef struct _Lanes:
    # Per-bit counts of added masks, bit 4n + k in 16-bit lane k of ``sums[n]``: one table
    # look-up and add per 4 bits instead of a loop over set bits (a mispredicted branch each).
    uint64_t sums[16]
    int nibbles
    int added


cdef inline void _lanes_clear(_Lanes* lanes) noexcept nogil:
    cdef int n
    for n in range(16):
        lanes.sums[n] = 0
    lanes.nibbles = 0
    lanes.added = 0


cdef inline void _lanes_flush(_Lanes* lanes, int64_t* row, int width) noexcept nogil:
    """Add the lanes to ``row`` (``width`` counts) and clear them."""
    cdef int n, lane
    cdef uint64_t value
    for n in range(lanes.nibbles):
        value = lanes.sums[n]
        if value:
            for lane in range(4):
                if 4 * n + lane < width:
                    row[4 * n + lane] += <int64_t>((value >> (16 * lane)) & 0xFFFF)
            lanes.sums[n] = 0
    lanes.added = 0


cdef inline void _lanes_add(_Lanes* lanes, uint64_t bits, int64_t* row, int width) noexcept nogil:
    """Count the bits of ``bits`` (flushed into ``row`` before a lane could overflow)."""
    cdef int n
    for n in range(lanes.nibbles):
        lanes.sums[n] += _NIBBLE_LANES[(bits >> (4 * n)) & 15]
    lanes.added += 1
    if lanes.added == 65535:
        _lanes_flush(lanes, row, width)


cdef inline void _add_bits(int64_t* row, uint64_t bits) noexcept nogil:
    while bits:
        row[__builtin_ctzll(bits)] += 1
        bits &= bits - 1


cdef inline void _count_paragraph_value(_Table* t, Py_ssize_t slot, Py_ssize_t paragraph,
                                        uint64_t bit, int width) noexcept nogil:
    """A paragraph's occurrence of the value in ``slot`` (its page's bit ``bit``), counted once
    per paragraph: one more distinct value, and when the page's set holds it, a hit for every
    page whose paragraphs hold it (both ``component_counts`` and ``whole_text_counts``)."""
    cdef uint64_t found
    if t.slots[slot].paragraph_seen != paragraph:
        t.slots[slot].paragraph_seen = paragraph
        t.sizes[paragraph] += 1
        found = t.slots[slot].in_set
        if found & bit:
            _add_bits(&t.hits[paragraph * width], found & t.slots[slot].held)


def component_counts(const uint64_t[::1] grams, const int64_t[::1] gram_owner,
                     const uint64_t[::1] inner, const int64_t[::1] inner_paragraph,
                     const int64_t[::1] paragraph_page, const int64_t[::1] members,
                     const int64_t[::1] member_start, const uint64_t[::1] page_bit, int width):
    """``(shared, hits, paragraph_sizes)`` of ``blockverify.BlockCounts`` (twin:
    ``blockverify._counts_general``), one component of the candidate graph at a time.

    ``grams`` / ``gram_owner``: every shingle occurrence of the set and its page (pages in
    order); ``inner`` / ``inner_paragraph``: every shingle inside one paragraph and its paragraph
    (in order); ``members[member_start[c]:member_start[c + 1]]``: the pages of component c;
    ``page_bit``: each page's bit (0 for a page of a component too large). Each distinct value
    of a component gets a slot of a hash table holding the bits of the pages whose set holds it
    and of those whose paragraphs hold it; a page's (a paragraph's) first occurrence of a value
    then adds the value's bits to its counts, exactly the sums of the sorted version.
    """
    inner_start_array = _starts(inner_paragraph, paragraph_page.shape[0])
    cdef int64_t[::1] inner_start = inner_start_array
    cdef _Counting run = _Counting(gram_owner, paragraph_page, np.diff(inner_start_array),
                                   members, member_start, page_bit.shape[0], width)
    cdef _Table* t = &run.table
    inner_slot_array = np.empty(inner.shape[0] + 1, dtype=np.int64)
    set_slot_array = np.empty(grams.shape[0] + 1, dtype=np.int64)
    cdef int64_t[::1] inner_slot = inner_slot_array
    cdef int64_t[::1] set_slot = set_slot_array
    cdef Py_ssize_t k, c, m, page, paragraph, slot
    cdef uint64_t bit
    with nogil:
        for c in range(member_start.shape[0] - 1):
            # Pass 1: every value of the component gets its slot and the bits of its holders.
            for m in range(member_start[c], member_start[c + 1]):
                page = members[m]
                bit = page_bit[page]
                for k in range(t.gram_start[page], t.gram_start[page + 1]):
                    slot = _claim(t, c, grams[k])
                    t.slots[slot].in_set |= bit
                    set_slot[k] = slot
                for k in range(inner_start[t.paragraph_first[page]],
                               inner_start[t.paragraph_first[page + 1]]):
                    slot = _claim(t, c, inner[k])
                    t.slots[slot].held |= bit
                    inner_slot[k] = slot
            # Pass 2: each page's (paragraph's) distinct values add their holders' bits.
            for m in range(member_start[c], member_start[c + 1]):
                page = members[m]
                bit = page_bit[page]
                for k in range(t.gram_start[page], t.gram_start[page + 1]):
                    slot = set_slot[k]
                    if t.slots[slot].page_seen != page:
                        t.slots[slot].page_seen = page
                        _add_bits(&t.shared[page * width], t.slots[slot].in_set)
                for paragraph in range(t.paragraph_first[page], t.paragraph_first[page + 1]):
                    for k in range(inner_start[paragraph], inner_start[paragraph + 1]):
                        _count_paragraph_value(t, inner_slot[k], paragraph, bit, width)
    return run.shared, run.hits, run.sizes


cdef void _radix_sort(uint64_t* keys, int64_t* values, uint64_t* spare_keys,
                      int64_t* spare_values, Py_ssize_t n, int64_t* counts,
                      int first_pass) noexcept nogil:
    """LSD radix sort of ``keys`` (with ``values`` alongside, unless NULL: the pair codes
    need none), 11 bits a pass from bit ``11 * first_pass`` up (lower bits are left unsorted),
    passes whose digit is the same for every key skipped; stable. ``counts``: 6 x 2048
    scratch. The result is in ``keys``/``values`` (copied back after an odd number of
    passes)."""
    cdef Py_ssize_t k, pass_, digit, total
    cdef int64_t running, held
    cdef uint64_t* source_keys = keys
    cdef int64_t* source_values = values
    cdef uint64_t* target_keys = spare_keys
    cdef int64_t* target_values = spare_values
    cdef uint64_t* swap_keys
    cdef int64_t* swap_values
    cdef int shift
    for k in range(6 * 2048):
        counts[k] = 0
    for k in range(n):
        for pass_ in range(first_pass, 6):
            counts[pass_ * 2048 + <Py_ssize_t>((keys[k] >> (11 * pass_)) & 2047)] += 1
    for pass_ in range(first_pass, 6):
        shift = 11 * pass_
        if n == 0 or counts[pass_ * 2048 + <Py_ssize_t>((keys[0] >> shift) & 2047)] == n:
            continue
        running = 0
        for digit in range(2048):
            held = counts[pass_ * 2048 + digit]
            counts[pass_ * 2048 + digit] = running
            running += held
        for k in range(n):
            digit = <Py_ssize_t>((source_keys[k] >> shift) & 2047)
            total = counts[pass_ * 2048 + digit]
            counts[pass_ * 2048 + digit] = total + 1
            target_keys[total] = source_keys[k]
            if values != NULL:
                target_values[total] = source_values[k]
        swap_keys = source_keys
        source_keys = target_keys
        target_keys = swap_keys
        swap_values = source_values
        source_values = target_values
        target_values = swap_values
    if source_keys != keys:
        memcpy(keys, source_keys, n * sizeof(uint64_t))
        if values != NULL:
            memcpy(values, source_values, n * sizeof(int64_t))


cdef void _insertion_sort(uint64_t* keys, int64_t* values, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t k, at
    cdef uint64_t key
    cdef int64_t value
    for k in range(1, n):
        key = keys[k]
        value = values[k]
        at = k
        while at > 0 and keys[at - 1] > key:
            keys[at] = keys[at - 1]
            values[at] = values[at - 1]
            at -= 1
        keys[at] = key
        values[at] = value


cdef class SortScratch:
    """Sort buffers that every ``part_codes`` call of a run reuses, grown when too small.

    The slices of the candidate keys are sorted one after the other (``stage._candidate_pairs``)
    and each needed ~30 MB of buffers (keys, owners, their spares, the pair codes) on the
    100k-page speed corpus: fresh memory every slice, paid in page faults (34k, 0.3 s of system
    time a run). Held here, the memory is faulted once. Not for two threads at once."""

    cdef list arrays

    def __init__(self):
        self.arrays = [None] * 6

    cdef object take(self, int slot, Py_ssize_t size, object dtype):
        """Buffer ``slot`` with room for ``size`` values of ``dtype`` (its old contents are
        not kept when it grows)."""
        held = self.arrays[slot]
        if held is None or held.shape[0] < size:
            held = np.empty(size + size // 4 + 16, dtype=dtype)
            self.arrays[slot] = held
        return held


cdef object _sorted_key_codes(uint64_t* sorted_keys, int64_t* members, Py_ssize_t n,
                              int64_t count, SortScratch scratch):
    """Sorted unique codes ``i * count + j`` (i < j) of the owners sharing a key, from ``n``
    keys with their owners (twin: ``stage.key_pairs`` of the same keys, as codes): the keys
    radix sorted here in place (buffers 0 to 3 of ``scratch`` hold them and their spares),
    every run of equal keys expanded to its pairs, the pair codes radix sorted and made
    unique."""
    cdef uint64_t[::1] spare_keys = scratch.take(2, n + 1, np.uint64)
    cdef int64_t[::1] spare_values = scratch.take(3, n + 1, np.int64)
    counts_array = np.empty(6 * 2048, dtype=np.int64)
    cdef int64_t[::1] counts = counts_array
    cdef Py_ssize_t total = 0, k, start, end, a, b
    cdef int64_t low, high
    with nogil:
        # Keys are uniform 63-bit hashes: one pass on their top 8 bits (bit 55 up) cuts them
        # into runs of a few thousand that are then sorted where they lie, in cache (the rest
        # of the radix sort; an insertion sort for a run of 32 or fewer). Three passes over
        # all the keys from bit 33, then insertion sorts, took 0.46 s for the 8M keys of the
        # 100k-page speed corpus, two from bit 44 0.41 s, this 0.35 s.
        _radix_sort(sorted_keys, members, &spare_keys[0], &spare_values[0], n, &counts[0], 5)
        start = 0
        while start < n:
            end = start + 1
            while end < n and (sorted_keys[end] >> 55) == (sorted_keys[start] >> 55):
                end += 1
            if end - start > 32:
                _radix_sort(&sorted_keys[start], &members[start], &spare_keys[start],
                            &spare_values[start], end - start, &counts[0], 0)
            elif end - start > 1:
                _insertion_sort(&sorted_keys[start], &members[start], end - start)
            start = end
        start = 0
        while start < n:
            end = start + 1
            while end < n and sorted_keys[end] == sorted_keys[start]:
                end += 1
            total += (end - start) * (end - start - 1) // 2
            start = end
    cdef uint64_t[::1] codes = scratch.take(4, total + 1, np.uint64)
    cdef uint64_t[::1] spare_codes = scratch.take(5, total + 1, np.uint64)
    cdef Py_ssize_t made = 0, unique = 0
    with nogil:
        start = 0
        while start < n:
            end = start + 1
            while end < n and sorted_keys[end] == sorted_keys[start]:
                end += 1
            for a in range(start, end):
                for b in range(a + 1, end):
                    low = members[a]
                    high = members[b]
                    if low == high:
                        continue
                    if low > high:
                        low, high = high, low
                    codes[made] = <uint64_t>(low * count + high)
                    made += 1
            start = end
        _radix_sort(&codes[0], NULL, &spare_codes[0], NULL, made, &counts[0], 0)
        for k in range(made):
            if k == 0 or codes[k] != codes[k - 1]:
                codes[unique] = codes[k]
                unique += 1
    return np.asarray(codes)[:unique].astype(np.int64)


def part_sizes(const uint64_t[::1] keys, const int64_t[::1] owner, const int64_t[::1] rank,
               const uint8_t[::1] keep, int parts):
    """How many keys of each slice of ``parts`` of the key space (low bits) ``part_codes``
    selects, all slices counted in one pass over the keys."""
    sizes_array = np.zeros(parts, dtype=np.int64)
    cdef int64_t[::1] sizes = sizes_array
    cdef Py_ssize_t n = keys.shape[0], k
    cdef uint64_t low_bits = <uint64_t>(parts - 1)
    with nogil:
        for k in range(n):
            if keep[rank[owner[k]]]:
                sizes[<Py_ssize_t>(keys[k] & low_bits)] += 1
    return sizes_array


def part_codes(const uint64_t[::1] keys, const int64_t[::1] owner, const int64_t[::1] rank,
               const uint8_t[::1] keep, int64_t count, int part, int parts,
               Py_ssize_t chosen, SortScratch scratch not None):
    """``_sorted_key_codes`` of the keys in slice ``part`` of ``parts`` of the key space (low
    bits) whose page ``rank[owner]`` is kept: the selection made in the same pass as the copy,
    so no mask or index array of all the keys is built. ``chosen``: how many there are
    (``part_sizes``). ``scratch``: the buffers of the run's earlier slices, to sort in."""
    cdef Py_ssize_t n = keys.shape[0], k
    cdef uint64_t low_bits = <uint64_t>(parts - 1), wanted = <uint64_t>part
    cdef int64_t page
    cdef uint64_t[::1] selected_keys = scratch.take(0, chosen + 1, np.uint64)
    cdef int64_t[::1] selected_owner = scratch.take(1, chosen + 1, np.int64)
    cdef Py_ssize_t wanted_count = chosen
    chosen = 0
    with nogil:
        for k in range(n):
            if (keys[k] & low_bits) == wanted:
                page = rank[owner[k]]
                if keep[page] and chosen < wanted_count:
                    selected_keys[chosen] = keys[k]
                    selected_owner[chosen] = page
                    chosen += 1
    if chosen != wanted_count:
        raise ValueError("part_codes: fewer keys in the slice than given")
    return _sorted_key_codes(&selected_keys[0], &selected_owner[0], chosen, count, scratch)


def read_spans(int fd, const int64_t[::1] starts, const int64_t[::1] ends):
    """The uint64 values at ``[starts[k], ends[k])`` of file ``fd`` (in values, not bytes), span
    after span, in one array (twin: ``stage.SpilledWords.chunk``'s ``os.pread`` per span and
    join). One ``pread`` a span straight into the result, without the GIL: no bytes object a
    span and no second copy to join them."""
    cdef Py_ssize_t k, spans = starts.shape[0], total = 0
    for k in range(spans):
        total += ends[k] - starts[k]
    out_array = np.empty(total, dtype=np.uint64)
    if total == 0:
        return out_array
    cdef uint64_t[::1] out = out_array
    cdef char* target = <char*>&out[0]
    cdef Py_ssize_t wanted, got
    cdef off_t at
    cdef int failure = 0
    with nogil:
        for k in range(spans):
            wanted = 8 * (ends[k] - starts[k])
            at = <off_t>(8 * starts[k])
            while wanted > 0:
                got = pread(fd, target, <size_t>wanted, at)
                if got <= 0:
                    failure = errno if got < 0 else -1
                    break
                target += got
                at += got
                wanted -= got
            if failure:
                break
    if failure == -1:
        raise OSError("read_spans: the file ends before a span")
    if failure:
        raise OSError(failure, "read_spans: pread failed")
    return out_array


# --- JSON Lines records straight to encoded bodies --------------------------------------------

cdef inline Py_ssize_t _skip_space(const uint8_t* data, Py_ssize_t at, Py_ssize_t size) noexcept nogil:
    while at < size and (data[at] == 32 or data[at] == 9 or data[at] == 10 or data[at] == 13):
        at += 1
    return at


cdef inline int _hex(uint8_t byte) noexcept nogil:
    if 48 <= byte <= 57:
        return byte - 48
    if 97 <= byte <= 102:
        return byte - 87
    if 65 <= byte <= 70:
        return byte - 55
    return -1


cdef inline int64_t _hex4(const uint8_t* data) noexcept nogil:
    """The value of the four hex digits at ``data`` (a ``\\uXXXX`` escape's), or -1."""
    cdef int64_t value = 0
    cdef int k, digit
    for k in range(4):
        digit = _hex(data[k])
        if digit < 0:
            return -1
        value = value * 16 + digit
    return value


cdef inline Py_ssize_t _utf8_sequence(const uint8_t* data, Py_ssize_t at,
                                      Py_ssize_t size) noexcept nogil:
    """Length of the well-formed UTF-8 sequence at ``at`` (as Python's strict decoder accepts:
    no overlong forms, no surrogates, nothing past U+10FFFF), or 0."""
    cdef uint8_t lead = data[at], second
    if lead < 0xC2 or lead > 0xF4:
        return 0
    if at + 1 >= size:
        return 0
    second = data[at + 1]
    if lead < 0xE0:
        return 2 if (second & 0xC0) == 0x80 else 0
    if at + 2 >= size or (data[at + 2] & 0xC0) != 0x80:
        return 0
    if lead < 0xF0:
        if lead == 0xE0 and not (0xA0 <= second <= 0xBF):
            return 0
        if lead == 0xED and not (0x80 <= second <= 0x9F):
            return 0
        return 3 if (second & 0xC0) == 0x80 else 0
    if at + 3 >= size or (data[at + 3] & 0xC0) != 0x80:
        return 0
    if lead == 0xF0 and not (0x90 <= second <= 0xBF):
        return 0
    if lead == 0xF4 and not (0x80 <= second <= 0x8F):
        return 0
    return 4 if (second & 0xC0) == 0x80 else 0


cdef inline Py_ssize_t _put_code(uint8_t* out, Py_ssize_t written, uint64_t code) noexcept nogil:
    if code < 0x80:
        out[written] = <uint8_t>code
        return written + 1
    if code < 0x800:
        out[written] = <uint8_t>(0xC0 | (code >> 6))
        out[written + 1] = <uint8_t>(0x80 | (code & 0x3F))
        return written + 2
    if code < 0x10000:
        out[written] = <uint8_t>(0xE0 | (code >> 12))
        out[written + 1] = <uint8_t>(0x80 | ((code >> 6) & 0x3F))
        out[written + 2] = <uint8_t>(0x80 | (code & 0x3F))
        return written + 3
    out[written] = <uint8_t>(0xF0 | (code >> 18))
    out[written + 1] = <uint8_t>(0x80 | ((code >> 12) & 0x3F))
    out[written + 2] = <uint8_t>(0x80 | ((code >> 6) & 0x3F))
    out[written + 3] = <uint8_t>(0x80 | (code & 0x3F))
    return written + 4


cdef Py_ssize_t _string(const uint8_t* data, Py_ssize_t at, Py_ssize_t size, uint8_t* out,
                        Py_ssize_t* written, bint* escaped) noexcept nogil:
    """Read the JSON string whose opening quote is at ``at``: its UTF-8 (a line break as a
    space, as ``tokens.encode_body`` has it) appended to ``out`` when ``out`` is not NULL.
    Returns the position after the closing quote, or -1 for anything ``json.loads`` would
    refuse or read otherwise (control characters, bad escapes, lone surrogates, bad UTF-8)."""
    cdef Py_ssize_t length
    cdef uint8_t byte
    cdef int plain
    cdef int64_t code, low
    cdef uint64_t block
    at += 1
    while at < size:
        if at + 16 <= size:
            # Plain bytes 16 at a time (SSE2; -1 without it: the 8-byte test below).
            plain = newsfold_plain16(data + at)
            if plain > 0:
                if out != NULL:
                    memcpy(out + written[0], data + at, plain)
                    written[0] += plain
                at += plain
                continue
        if at + 8 <= size:
            # Eight plain ASCII bytes (no quote, backslash or control byte) are copied at once.
            memcpy(&block, data + at, 8)
            if (block & 0x8080808080808080ULL) == 0 and not _has_byte(block, 34) \
                    and not _has_byte(block, 92) and not _has_less(block, 0x20):
                if out != NULL:
                    memcpy(out + written[0], &block, 8)
                    written[0] += 8
                at += 8
                continue
        byte = data[at]
        if byte == 34:
            return at + 1
        if byte < 0x20:
            return -1
        if byte < 0x80 and byte != 92:
            if out != NULL:
                out[written[0]] = byte
                written[0] += 1
            at += 1
            continue
        if byte >= 0x80:
            length = _utf8_sequence(data, at, size)
            if length == 0:
                return -1
            if out != NULL:
                memcpy(out + written[0], data + at, length)
                written[0] += length
            at += length
            continue
        # An escape.
        escaped[0] = True
        if at + 1 >= size:
            return -1
        byte = data[at + 1]
        at += 2
        if byte == 117:  # \uXXXX
            if at + 4 > size:
                return -1
            code = _hex4(data + at)
            if code < 0:
                return -1
            at += 4
            if 0xDC00 <= code <= 0xDFFF:
                return -1
            if 0xD800 <= code <= 0xDBFF:
                if at + 6 > size or data[at] != 92 or data[at + 1] != 117:
                    return -1
                low = _hex4(data + at + 2)
                if not (0xDC00 <= low <= 0xDFFF):
                    return -1
                at += 6
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            if code == 10:
                code = 32
            if out != NULL:
                written[0] = _put_code(out, written[0], code)
            continue
        if byte == 110:
            byte = 32  # \n: a line break inside a paragraph reads as a space
        elif byte == 116:
            byte = 9
        elif byte == 114:
            byte = 13
        elif byte == 98:
            byte = 8
        elif byte == 102:
            byte = 12
        elif byte != 34 and byte != 92 and byte != 47:
            return -1
        if out != NULL:
            out[written[0]] = byte
            written[0] += 1
    return -1


cdef Py_ssize_t _number(const uint8_t* data, Py_ssize_t at, Py_ssize_t size) noexcept nogil:
    """The position after a JSON number at ``at`` (strict grammar), or -1."""
    if at < size and data[at] == 45:
        at += 1
    if at >= size:
        return -1
    if data[at] == 48:
        at += 1
    elif 49 <= data[at] <= 57:
        while at < size and 48 <= data[at] <= 57:
            at += 1
    else:
        return -1
    if at < size and data[at] == 46:
        at += 1
        if at >= size or not (48 <= data[at] <= 57):
            return -1
        while at < size and 48 <= data[at] <= 57:
            at += 1
    if at < size and (data[at] == 101 or data[at] == 69):
        at += 1
        if at < size and (data[at] == 43 or data[at] == 45):
            at += 1
        if at >= size or not (48 <= data[at] <= 57):
            return -1
        while at < size and 48 <= data[at] <= 57:
            at += 1
    return at


cdef Py_ssize_t _scalar(const uint8_t* data, Py_ssize_t at, Py_ssize_t size) noexcept nogil:
    """The position after a number, string, true, false or null at ``at``, or -1 (arrays,
    objects and anything else: the caller's record is then read by Python)."""
    cdef Py_ssize_t ignored = 0
    cdef bint escaped = False
    if at >= size:
        return -1
    if data[at] == 34:
        return _string(data, at, size, NULL, &ignored, &escaped)
    if data[at] == 116 and at + 4 <= size and data[at + 1] == 114 and data[at + 2] == 117 \
            and data[at + 3] == 101:
        return at + 4
    if data[at] == 102 and at + 5 <= size and data[at + 1] == 97 and data[at + 2] == 108 \
            and data[at + 3] == 115 and data[at + 4] == 101:
        return at + 5
    if data[at] == 110 and at + 4 <= size and data[at + 1] == 117 and data[at + 2] == 108 \
            and data[at + 3] == 108:
        return at + 4
    return _number(data, at, size)


cdef inline bint _is_key(const uint8_t* data, Py_ssize_t start, Py_ssize_t end,
                         const char* name, Py_ssize_t length) noexcept nogil:
    """Is the unescaped key ``data[start + 1:end - 1]`` (quotes at start and end - 1) ``name``?"""
    cdef Py_ssize_t k
    if end - start - 2 != length:
        return False
    for k in range(length):
        if data[start + 1 + k] != <uint8_t>name[k]:
            return False
    return True


cdef Py_ssize_t _record(const uint8_t* data, Py_ssize_t size, uint8_t* out, Py_ssize_t* written,
                        Py_ssize_t* id_start, Py_ssize_t* id_end, int64_t* paragraphs,
                        int64_t* emitted) noexcept nogil:
    """One JSON Lines record ``{"id": "...", "paragraphs": ["...", ...], <scalars>}`` (keys in
    any order): its paragraphs' UTF-8 appended to ``out``, each after a line break but the
    first of all (``emitted``: paragraphs written so far); the id's span. Returns 1, or 0 when
    the record is not of this simple form (``out`` then holds a part of it: the caller gives up
    the chunk and Python reads its records)."""
    cdef Py_ssize_t at, key_start, key_end
    cdef bint escaped = False, has_id = False, has_paragraphs = False
    cdef Py_ssize_t ignored = 0
    paragraphs[0] = 0
    at = _skip_space(data, 0, size)
    if at >= size or data[at] != 123:
        return 0
    at = _skip_space(data, at + 1, size)
    if at < size and data[at] == 125:
        return 0
    while True:
        if at >= size or data[at] != 34:
            return 0
        key_start = at
        escaped = False
        key_end = _string(data, at, size, NULL, &ignored, &escaped)
        if key_end < 0 or escaped:
            return 0
        at = _skip_space(data, key_end, size)
        if at >= size or data[at] != 58:
            return 0
        at = _skip_space(data, at + 1, size)
        if _is_key(data, key_start, key_end, "id", 2):
            if has_id or at >= size or data[at] != 34:
                return 0
            escaped = False
            id_start[0] = at + 1
            at = _string(data, at, size, NULL, &ignored, &escaped)
            if at < 0 or escaped:
                return 0
            id_end[0] = at - 1
            has_id = True
        elif _is_key(data, key_start, key_end, "paragraphs", 10):
            if has_paragraphs or at >= size or data[at] != 91:
                return 0
            has_paragraphs = True
            at = _skip_space(data, at + 1, size)
            if at < size and data[at] == 93:
                at += 1
            else:
                while True:
                    if at >= size or data[at] != 34:
                        return 0
                    if emitted[0] > 0:
                        out[written[0]] = 10
                        written[0] += 1
                    at = _string(data, at, size, out, written, &escaped)
                    if at < 0:
                        return 0
                    paragraphs[0] += 1
                    emitted[0] += 1
                    at = _skip_space(data, at, size)
                    if at < size and data[at] == 44:
                        at = _skip_space(data, at + 1, size)
                        continue
                    if at < size and data[at] == 93:
                        at += 1
                        break
                    return 0
        else:
            at = _scalar(data, at, size)
            if at < 0:
                return 0
        at = _skip_space(data, at, size)
        if at < size and data[at] == 44:
            at = _skip_space(data, at + 1, size)
            continue
        if at < size and data[at] == 125:
            at = _skip_space(data, at + 1, size)
            break
        return 0
    if at != size or not has_id or not has_paragraphs:
        return 0
    return 1


cdef inline bint _blank(const uint8_t* data, Py_ssize_t start, Py_ssize_t end) noexcept nogil:
    """Is ``data[start:end]`` only ASCII whitespace (``bytes.isspace``, or empty)?"""
    cdef Py_ssize_t at
    cdef uint8_t byte
    for at in range(start, end):
        byte = data[at]
        if not (byte == 32 or 9 <= byte <= 13):
            return False
    return True


def encoded_block(const uint8_t[::1] buffer, Py_ssize_t start, Py_ssize_t wanted, bint final):
    """Up to ``wanted`` records of the JSON Lines in ``buffer`` from ``start`` (a line start):
    ``(count, end, lines, bounds, numbers, encoded)``.

    Blank lines are skipped; a line without its line break ends the scan unless ``final``.
    ``count``: records found; ``end``: where the next line starts; ``lines``: lines passed
    (blank ones too); ``bounds``: each record's ``(start, end)`` in ``buffer``, line break
    included; ``numbers``: each record's line number counted from ``start`` (1 for the first
    line); ``encoded``: ``_encoded`` of the records, None when one of them needs Python (or
    there is none). Reading the file in large blocks and finding the lines here saves the
    per-line ``readline`` and bytes object (~3 us a 5.8 KB page)."""
    cdef Py_ssize_t size = buffer.shape[0], at = start, end, count = 0, lines = 0
    cdef const uint8_t* data = &buffer[0] if size else NULL
    cdef const uint8_t* found
    bounds_array = np.zeros((max(wanted, 0), 2), dtype=np.int64)
    numbers_array = np.zeros(max(wanted, 0), dtype=np.int64)
    cdef int64_t[:, ::1] bounds = bounds_array
    cdef int64_t[::1] numbers = numbers_array
    with nogil:
        while count < wanted and at < size:
            found = <const uint8_t*>memchr(data + at, 10, size - at)
            if found == NULL:
                if not final:
                    break
                end = size
            else:
                end = found - data + 1
            lines += 1
            if not _blank(data, at, end):
                bounds[count, 0] = at
                bounds[count, 1] = end
                numbers[count] = lines
                count += 1
            at = end
    bounds_array = bounds_array[:count]
    encoded = _encoded(buffer, bounds_array) if count else None
    return count, at, lines, bounds_array, numbers_array[:count], encoded


cdef _encoded(const uint8_t[::1] buffer, int64_t[:, ::1] bounds):
    """``(ids, joined, paragraphs, spans, unspaced)`` of the JSON Lines records at ``bounds``
    in ``buffer``, of the simple form ``{"id": str, "paragraphs": [str, ...]}`` plus scalar
    fields (twin: ``json.loads``, ``str`` of the paragraphs and ``tokens.encode_bodies``,
    without the unspaced-script step, which the caller checks): ``joined`` is the UTF-8 of
    every paragraph of every body with paragraphs, joined by line breaks (a line break inside a
    paragraph read as a space); ``spans``: each body's ``(start, end)`` in ``joined`` (empty
    for a body without paragraphs); ``unspaced``: per body, does it hold a lead byte of a script
    written without spaces. None when a record is not of that form or not read exactly as
    ``json.loads`` would: the caller then reads the lines with Python."""
    cdef Py_ssize_t count = bounds.shape[0], k, written = 0, id_start = 0, id_end = 0
    cdef Py_ssize_t total = 0, line_start, line_size
    cdef int64_t paragraph_count = 0, emitted = 0
    cdef const uint8_t* data = &buffer[0] if buffer.shape[0] else NULL
    for k in range(count):
        total += bounds[k, 1] - bounds[k, 0] + 1
    paragraphs_array = np.empty(count, dtype=np.int64)
    spans_array = np.zeros((count, 2), dtype=np.int64)
    cdef int64_t[::1] paragraphs = paragraphs_array
    cdef int64_t[:, ::1] spans = spans_array
    unspaced_array = np.zeros(count, dtype=np.bool_)
    cdef uint8_t[::1] unspaced = unspaced_array.view(np.uint8)
    ids = []
    # The joined bodies: never longer than the lines (an escape is longer than what it reads
    # as, a paragraph's quotes and comma longer than its line break).
    cdef PyObject* joined = PyBytes_FromStringAndSize(NULL, total + 1)
    if joined == NULL:
        raise MemoryError()
    cdef uint8_t* out = <uint8_t*>PyBytes_AS_STRING(joined)
    try:
        for k in range(count):
            line_start = bounds[k, 0]
            line_size = bounds[k, 1] - line_start
            spans[k, 0] = written + (1 if emitted > 0 else 0)
            if not _record(data + line_start, line_size, out, &written, &id_start, &id_end,
                           &paragraph_count, &emitted):
                Py_XDECREF(joined)
                return None
            paragraphs[k] = paragraph_count
            spans[k, 1] = written
            ids.append(PyUnicode_DecodeUTF8(<const char*>data + line_start + id_start,
                                            id_end - id_start, NULL))
    except BaseException:
        Py_XDECREF(joined)
        raise
    # Does a body hold a lead byte of a script written without spaces
    # (``tokens._NOT_NO_SPACE_LEAD``)? Only those the caller need look at for such characters.
    cdef Py_ssize_t at, stop
    cdef uint8_t byte
    cdef uint64_t block
    cdef int high
    with nogil:
        for k in range(count):
            at = spans[k, 0]
            stop = spans[k, 1]
            while at < stop:
                if at + 16 <= stop:
                    # Sixteen bytes at a time (SSE2; -1 without it), to the first non-ASCII.
                    high = newsfold_high16(out + at)
                    if high == 0:
                        at += 16
                        continue
                    if high > 0:
                        at += __builtin_ctzll(<uint64_t>high)
                if at + 8 <= stop:
                    memcpy(&block, out + at, 8)
                    if (block & 0x8080808080808080ULL) == 0:  # eight ASCII bytes
                        at += 8
                        continue
                byte = out[at]
                if byte == 0xE0 or byte == 0xEF or 0xE3 <= byte <= 0xED:
                    unspaced[k] = True
                    break
                at += 1
    # Shrunk in place (the only reference): no copy. On failure ``joined`` is released.
    if _PyBytes_Resize(&joined, written) < 0:
        raise MemoryError()
    result = <object>joined  # a reference of Cython's; the raw one is given up
    Py_XDECREF(joined)
    return ids, result, paragraphs_array, spans_array, unspaced_array


def whole_text_counts(const uint64_t[::1] grams, const int64_t[::1] gram_owner,
                      const uint64_t[::1] words, const int64_t[::1] paragraph_lengths,
                      const int64_t[::1] paragraph_page, const int64_t[::1] members,
                      const int64_t[::1] member_start, const uint64_t[::1] page_bit, int width,
                      int size):
    """``component_counts`` when every paragraph is running text and every page has at least
    ``size`` words (the default settings; twin: ``blockverify._counts_whole_text``): a
    paragraph's own shingles are then the set's occurrences that start and end in it, so each
    value is looked up once, not once for the set and once for the paragraph. A paragraph of
    1 to ``size - 1`` words has one shingle of its own (``reader.segment_grams``), looked up
    separately."""
    cdef Py_ssize_t paragraph_count = paragraph_page.shape[0]
    cdef _Counting run = _Counting(gram_owner, paragraph_page,
                                   np.ones(paragraph_count, dtype=np.int64), members,
                                   member_start, page_bit.shape[0], width)
    cdef _Table* t = &run.table
    word_start_array = np.zeros(page_bit.shape[0] + 1, dtype=np.int64)
    cdef int64_t[::1] word_start = word_start_array
    cdef Py_ssize_t k, c, m, page, paragraph, slot, word, current
    cdef int64_t paragraph_end, length
    for k in range(paragraph_count):
        word_start[paragraph_page[k] + 1] += paragraph_lengths[k]
    for page in range(page_bit.shape[0]):
        word_start[page + 1] += word_start[page]
    set_slot_array = np.empty(grams.shape[0] + 1, dtype=np.int64)
    inner_of_array = np.empty(grams.shape[0] + 1, dtype=np.int64)
    short_slot_array = np.full(paragraph_count + 1, -1, dtype=np.int64)
    cdef int64_t[::1] set_slot = set_slot_array
    cdef int64_t[::1] inner_of = inner_of_array
    cdef int64_t[::1] short_slot = short_slot_array
    cdef uint64_t bit, found
    cdef _Lanes page_lanes, paragraph_lanes
    cdef int nibbles
    _lanes_clear(&page_lanes)
    _lanes_clear(&paragraph_lanes)
    with nogil:
        for c in range(member_start.shape[0] - 1):
            # Pass 1: slots, and the bits of the pages holding each value in their set and
            # (occurrences inside one paragraph, short paragraphs' own shingles) in a paragraph.
            for m in range(member_start[c], member_start[c + 1]):
                page = members[m]
                bit = page_bit[page]
                paragraph = t.paragraph_first[page]
                paragraph_end = word_start[page] + paragraph_lengths[paragraph]
                for k in range(t.gram_start[page], t.gram_start[page + 1]):
                    # The occurrence's first word, and the paragraph holding it.
                    word = word_start[page] + (k - t.gram_start[page])
                    while word >= paragraph_end:
                        paragraph += 1
                        paragraph_end += paragraph_lengths[paragraph]
                    slot = _claim(t, c, grams[k])
                    t.slots[slot].in_set |= bit
                    set_slot[k] = slot
                    if word + size <= paragraph_end:
                        t.slots[slot].held |= bit
                        inner_of[k] = paragraph
                    else:
                        inner_of[k] = -1
                word = word_start[page]
                for paragraph in range(t.paragraph_first[page], t.paragraph_first[page + 1]):
                    length = paragraph_lengths[paragraph]
                    if 0 < length < size:
                        slot = _claim(t, c, _mix64(_polynomial(&words[word], length)
                                                   + <uint64_t>length))
                        t.slots[slot].held |= bit
                        short_slot[paragraph] = slot
                    word += length
            # Pass 2: each page's (paragraph's) distinct values add their holders' bits, four
            # bits at a time into 16-bit lanes (``_Lanes``), flushed into the counts.
            nibbles = (member_start[c + 1] - member_start[c] + 3) // 4
            if nibbles > 16:
                nibbles = 0  # a component too large: no bits (``page_bit`` 0)
            for m in range(member_start[c], member_start[c + 1]):
                page = members[m]
                bit = page_bit[page]
                page_lanes.nibbles = nibbles
                paragraph_lanes.nibbles = nibbles
                current = -1
                for k in range(t.gram_start[page], t.gram_start[page + 1]):
                    slot = set_slot[k]
                    if t.slots[slot].page_seen != page:
                        t.slots[slot].page_seen = page
                        _lanes_add(&page_lanes, t.slots[slot].in_set, &t.shared[page * width], width)
                    paragraph = inner_of[k]
                    if paragraph >= 0 and t.slots[slot].paragraph_seen != paragraph:
                        if paragraph != current:
                            if current >= 0:
                                _lanes_flush(&paragraph_lanes, &t.hits[current * width], width)
                            current = paragraph
                        t.slots[slot].paragraph_seen = paragraph
                        t.sizes[paragraph] += 1
                        found = t.slots[slot].in_set
                        if found & bit:
                            _lanes_add(&paragraph_lanes, found & t.slots[slot].held,
                                       &t.hits[paragraph * width], width)
                _lanes_flush(&page_lanes, &t.shared[page * width], width)
                if current >= 0:
                    _lanes_flush(&paragraph_lanes, &t.hits[current * width], width)
                for paragraph in range(t.paragraph_first[page], t.paragraph_first[page + 1]):
                    if short_slot[paragraph] >= 0:
                        _count_paragraph_value(t, short_slot[paragraph], paragraph, bit, width)
    return run.shared, run.hits, run.sizes


def open_runs(const int64_t[::1] paragraphs, const int64_t[::1] paragraph_lengths,
              const uint8_t[::1] text, const int64_t[:, ::1] hits, const int64_t[::1] bit,
              const int64_t[::1] paragraph_sizes, const int64_t[::1] pages,
              const int64_t[::1] others, int size, double covered, int gap_paragraphs,
              int gap_words):
    """Per side ``(pages[s], others[s])``: is there a run of running-text paragraphs of the
    page outside the ``sure`` ones, between its first and last ``possible`` ones, of
    ``gap_paragraphs`` paragraphs and ``gap_words`` words (twin: ``blockverify._open_runs``,
    whose names these are)? One walk over each side's paragraphs instead of ~35 array passes
    over all of them."""
    cdef Py_ssize_t count = paragraphs.shape[0], sides = pages.shape[0]
    cdef Py_ssize_t s, page, other, position, paragraph, first, many, low, high
    cdef int64_t column, length, found, run_paragraphs, run_words, larger
    result_array = np.zeros(sides, dtype=np.bool_)
    first_array = np.zeros(count + 1, dtype=np.int64)
    partial_array = np.zeros(count, dtype=np.uint8)
    cdef uint8_t[::1] result = result_array.view(np.uint8)
    cdef int64_t[::1] paragraph_first = first_array
    cdef uint8_t[::1] partial = partial_array
    with nogil:
        # Where each page's paragraphs start, and does a page hold a paragraph outside its
        # running text (its shingle set misses some of its text: every paragraph "possible").
        for page in range(count):
            paragraph_first[page + 1] = paragraph_first[page] + paragraphs[page]
            for paragraph in range(paragraph_first[page], paragraph_first[page + 1]):
                if not text[paragraph]:
                    partial[page] = 1
        for s in range(sides):
            page = pages[s]
            other = others[s]
            first = paragraph_first[page]
            many = paragraphs[page]
            column = bit[other]
            low = -1
            high = -1
            for position in range(many):
                paragraph = first + position
                length = paragraph_lengths[paragraph]
                if length > 0 and text[paragraph] and (
                        hits[paragraph, column] > 0 or length < size or partial[other]):
                    if low < 0:
                        low = position
                    high = position
            run_paragraphs = 0
            run_words = 0
            for position in range(low + 1, high):
                paragraph = first + position
                length = paragraph_lengths[paragraph]
                if length <= 0 or not text[paragraph]:
                    continue
                found = hits[paragraph, column]
                larger = paragraph_sizes[paragraph] if paragraph_sizes[paragraph] > 1 else 1
                if found > 0 and <double>found >= covered * <double>larger:
                    run_paragraphs = 0  # a sure paragraph ends the run
                    run_words = 0
                    continue
                run_paragraphs += 1
                run_words += length
                if run_paragraphs >= gap_paragraphs and run_words >= gap_words:
                    result[s] = True
                    break
    return result_array

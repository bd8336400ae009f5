"""Per-article story features: weighted terms, named entities, numbers, dates, publication date.

Pure functions of one article and the options: nothing here looks at other articles, so the
features (and every pairwise decision made from them) are the same whatever else is in the corpus.
Weights come from ``wordfreq``'s shipped frequency tables (offline, many languages).

The hot parts (term counts and weights, name spans, ranking and normalisation, numbers and
dates, the word-frequency look-ups) run in the compiled kernel ``newsfold/stories/_features.pyx``
when it is built; each ``*_py`` function here is its pure-Python twin, with identical results
(the features are stored and compared across runs, so the tests compare the two bit for bit).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from sys import intern
from typing import Any, Protocol

from newsfold.errors import ConfigError
from newsfold.models import Article
from newsfold.stories.options import FALLBACK_LANGUAGES, StoryOptions
from newsfold.text import _ABBREVIATIONS, fold, sentences, words

# A token with its case kept: letters/digits of any script, inner apostrophes or hyphens.
_TOKEN = re.compile(r"\w+(?:['\u2019\-]\w+)*")


def _name_tokens_py(text: str) -> list[str]:
    """The matches of ``_TOKEN`` (words with inner straight or curly apostrophes, hyphens)."""
    return _TOKEN.findall(text)


def _name_tokens_compiled(text: str) -> list[str]:
    """``_name_tokens_py`` by the compiled scanner of newsfold/_text.pyx (identical results)."""
    return _word_tokens(text, True)


_name_tokens = _name_tokens_py
try:
    from newsfold._text import word_tokens as _word_tokens

    _name_tokens = _name_tokens_compiled
except ImportError:  # pragma: no cover - the pure-Python twin above
    pass
# Scripts written without spaces, where ``text.words`` gives one token per character.
_UNSPACED = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u0e00-\u0e7f]"
)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_THOUSANDS = re.compile(r"[,.\u00a0 ](?=\d{3}(?!\d))")
# Both patterns open with a look-ahead for their first character, which lets the regex engine
# skip ahead to candidate positions (same matches; 1.4x and 2.6x faster scans on news text).
_ISO_DATE = re.compile(r"(?=[12])\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
# A number as written: digits with thousands separators or a decimal part ("1,200", "4.5").
_NUMBER = re.compile(
    r"(?=\d)(?:(?<![\w.,])\d{1,3}(?:[,.\u00a0 ]\d{3})+(?:[.,]\d+)?(?![\w])|\d+(?:[.,]\d+)?)"
)
# A capitalised token opening a sentence and this common as a word ("The", "But", "Police") is
# not taken for a name. zipf 4.5 keeps "Angels" (4.3) and "Putin" (4.1), drops "Police" (5.3).
_COMMON_NAME_ZIPF = 4.5
# Inside a name, connectors that stay lower case in many languages ("Bank of England",
# "Charles de Gaulle") do not break the span but are not entity tokens themselves.
_CONNECTORS = frozenset(
    {
        "of",
        "de",
        "du",
        "des",
        "la",
        "le",
        "van",
        "von",
        "der",
        "den",
        "da",
        "di",
        "del",
        "al",
        "bin",
        "y",
    }
)


@dataclass(frozen=True, slots=True)
class StoryFeatures:
    """What story grouping needs of one article; JSON-serialisable.

    ``terms`` and ``entities`` are ``(token, weight)`` pairs sorted by weight descending then token,
    L2-normalised. ``numbers`` are the distinct numbers written in the text (normalised, years
    excluded); ``dates`` the years and ISO dates mentioned; ``published`` the article's own date.
    """

    terms: tuple[tuple[str, float], ...] = ()
    entities: tuple[tuple[str, float], ...] = ()
    numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    published: str | None = None
    lang: str | None = None
    # The dense embedding of title and lead (``StoryOptions.embed_weight`` > 0 only).
    embedding: tuple[float, ...] = ()
    # What the pair decisions read, in the form they compare fastest (``stories.link``'s
    # ``_view``: sorted vectors of terms and entities, the day), built on first use: a decision
    # runs for every candidate pair, and a stored article is a candidate of many arrivals.
    _link_view: Any = field(default=None, init=False, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "terms": [[t, w] for t, w in self.terms],
            "entities": [[t, w] for t, w in self.entities],
            "numbers": list(self.numbers),
            "dates": list(self.dates),
            "published": self.published,
            "lang": self.lang,
            **({"embedding": list(self.embedding)} if self.embedding else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryFeatures:
        # Stored features are decoded for every candidate not in an Index's cache: list
        # comprehensions, and terms interned as ``story_features`` interns them.
        return cls(
            terms=tuple([(intern(str(t)), float(w)) for t, w in data.get("terms", ())]),
            entities=tuple([(intern(str(t)), float(w)) for t, w in data.get("entities", ())]),
            numbers=tuple(str(n) for n in data.get("numbers", ())),
            dates=tuple(str(d) for d in data.get("dates", ())),
            published=data.get("published"),
            embedding=tuple(float(x) for x in data.get("embedding", ())),
            lang=data.get("lang"),
        )


def _wordfreq() -> Any:
    try:
        import wordfreq
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ConfigError(
            "the stories stage needs the wordfreq package: pip install 'wordfreq>=3'"
        ) from exc
    return wordfreq


@lru_cache(maxsize=1)
def _available_languages() -> frozenset[str]:
    # wordfreq lists its data files on every call; the installed set does not change in a run.
    return frozenset(_wordfreq().available_languages())


def languages_of(lang: str | None, options: StoryOptions) -> tuple[str, ...]:
    """The wordfreq tables to consult for a language code: its own, else the fallback set."""
    available = _available_languages()
    for candidate in (lang, options.language):
        if candidate:
            code = candidate.replace("_", "-").split("-")[0].casefold()
            if code in available:
                return (code,)
    return tuple(code for code in FALLBACK_LANGUAGES if code in available)


def _zipf_py(word: str, tables: tuple[dict[str, float], ...]) -> float:
    """``zipf`` of a word, computed: the most common reading over the tables."""
    best = 0.0
    parts: list[str] | None = None  # the compound's parts, split once for all the tables
    for table in tables:
        frequency = table.get(word)
        if frequency is None:
            if parts is None:
                joined = "'" in word or "-" in word
                parts = [p for p in _COMPOUND.split(word) if p] if joined else []
            if len(parts) > 1:
                frequency = min(table.get(p, 0.0) for p in parts)
        if frequency:
            best = max(best, math.log10(frequency * 1e9))
    return best


# Words remembered per set of tables: past the bound the memo starts again.
_ZIPF_MEMO_SIZE = 1 << 20


# A pure memo (the tables are fixed, so it never changes a result): word use is Zipfian, so a
# bounded memo answers most look-ups; across 13 fallback tables it made features 4x faster. A
# dict per set of tables (not an lru_cache) so that the compiled kernels read and fill it too.
@lru_cache(maxsize=16)
def _zipf_memo(languages: tuple[str, ...]) -> dict[str, float]:
    return {}


class _Zipf:
    """The ``zipf`` function; ``zipf.cache_clear()`` forgets what its memo remembers."""

    __slots__ = ()

    def __call__(self, word: str, languages: tuple[str, ...]) -> float:
        """How common a word is (log10 per billion words); the most common reading over
        ``languages``.

        Looked up in wordfreq's shipped tables directly (no tokenizer, so Chinese and Japanese
        need no extra packages). A compound absent from the table ("kim's", "face-to-face") takes
        the frequency of its rarest part.
        """
        memo = _zipf_memo(languages)
        value = memo.get(word)
        if value is None:
            value = memo[word] = _zipf_of_tables(word, _tables(languages))
            if len(memo) > _ZIPF_MEMO_SIZE:
                memo.clear()  # bounded; a memo of a pure function, so clearing changes no result
        return value

    @staticmethod
    def cache_clear() -> None:
        _zipf_memo.cache_clear()
        _compiled_weights.cache_clear()  # the kernel's memo, which holds zipf values too


zipf = _Zipf()


@lru_cache(maxsize=16)
def _tables(languages: tuple[str, ...]) -> tuple[dict[str, float], ...]:
    """wordfreq's frequency tables of ``languages`` (loaded once; wordfreq keeps them too):
    a look-up that misses ``zipf``'s memo reads them without a call per table."""
    wordfreq = _wordfreq()
    return tuple(wordfreq.get_frequency_dict(code) for code in languages)


_COMPOUND = re.compile(r"['\-]")

# Words remembered per weighting (languages and idf settings): about 60 MB at the bound in the
# dict of ``term_weight``, up to 64 MB of slots plus the words in the compiled kernel's memo
# (32-byte slots, at most half full), which the distinct words of some 100k news articles reach;
# past it the memo starts again.
_WEIGHT_MEMO_SIZE = 1 << 19


# A pure memo (see ``zipf``): a word's weight is a function of the word, the tables consulted and
# the three idf settings, so one dict per such combination answers the repeated look-ups of
# common words in a few tens of nanoseconds (a call of ``zipf`` through lru_cache costs more).
@lru_cache(maxsize=4)
def _weight_memo_dict(
    languages: tuple[str, ...], ceiling: float, floor_zipf: float, power: float
) -> dict[str, float]:
    return {}


class _WeightMemo:
    """The weight memo of ``term_weight`` (a dict per weighting);
    ``_weight_memo.cache_clear()`` forgets it and the compiled kernel's memo alike."""

    __slots__ = ()

    def __call__(
        self, languages: tuple[str, ...], ceiling: float, floor_zipf: float, power: float
    ) -> dict[str, float]:
        return _weight_memo_dict(languages, ceiling, floor_zipf, power)

    @staticmethod
    def cache_clear() -> None:
        _weight_memo_dict.cache_clear()
        _compiled_weights.cache_clear()


_weight_memo = _WeightMemo()


def term_weight(word: str, languages: tuple[str, ...], options: StoryOptions) -> float:
    """IDF-like weight from a fixed table: common words weigh 0, rare words up to the ceiling."""
    memo = _weight_memo(languages, options.idf_ceiling, options.idf_floor_zipf, options.idf_power)
    weight = memo.get(word)
    if weight is None:
        rarity = max(0.0, options.idf_ceiling - max(zipf(word, languages), options.idf_floor_zipf))
        weight = memo[word] = float(rarity**options.idf_power)
        if len(memo) > _WEIGHT_MEMO_SIZE:
            memo.clear()  # bounded; a memo of a pure function, so clearing changes no result
    return weight


class _WordWeights(Protocol):
    """``term_weight`` and ``zipf`` for one set of tables and idf settings."""

    @property
    def languages(self) -> tuple[str, ...]: ...

    def term_weight(self, word: str) -> float: ...

    def zipf(self, word: str) -> float: ...


class _WeightsPy:
    """``_WordWeights`` by the module's functions (the twin of the compiled ``Weights``)."""

    __slots__ = ("_options", "languages")

    def __init__(self, languages: tuple[str, ...], options: StoryOptions) -> None:
        self.languages = languages
        self._options = options

    def term_weight(self, word: str) -> float:
        return term_weight(word, self.languages, self._options)

    def zipf(self, word: str) -> float:
        return zipf(word, self.languages)


def _weights_compiled(languages: tuple[str, ...], options: StoryOptions) -> _WordWeights:
    """The compiled ``_WordWeights`` of a weighting, one per process (it holds the memo)."""
    return _compiled_weights(
        languages,
        options.idf_ceiling,
        options.idf_floor_zipf,
        options.idf_power,
        _WEIGHT_MEMO_SIZE,
    )


# The compiled weights keep their own memo of words (their zipf, weight and interned str,
# keyed by code points, so that a word read from a text is looked up without a str made of it):
# one per weighting and bound, kept across articles; ``_weight_memo.cache_clear()`` and
# ``zipf.cache_clear()`` forget them.
@lru_cache(maxsize=4)
def _compiled_weights(
    languages: tuple[str, ...], ceiling: float, floor_zipf: float, power: float, bound: int
) -> _WordWeights:
    weights: _WordWeights = _kernel.Weights(
        languages,
        _tables(languages),
        ceiling,
        floor_zipf,
        power,
        bound,
        _zipf_memo(languages),
        _ZIPF_MEMO_SIZE,
    )
    return weights


def _normalised_py(weights: dict[str, float], keep: int) -> tuple[tuple[str, float], ...]:
    """The positive weights ranked by weight descending then term, the first ``keep``,
    L2-normalised and rounded to 6 decimals (the stored form)."""
    # Sorted on (-weight, term) tuples directly: the order of a key function, without its calls.
    ranked = sorted([(-w, t) for t, w in weights.items() if w > 0])[:keep]
    norm = math.sqrt(sum(w * w for w, _ in ranked))
    if norm == 0:
        return ()
    # Terms interned: the pair decisions look them up in other articles' tables, where an
    # interned key matches by identity (one process holds one copy of each word).
    return tuple([(intern(t), round(-w / norm, 6)) for w, t in ranked])


def _mostly_capitalised(text: str) -> bool:
    """Title Case headlines capitalise every word, so capitals there say nothing about names."""
    tokens: list[str] = [t for t in _name_tokens(text) if t[0].isalpha() and len(t) > 3]
    if len(tokens) < 3:
        return False
    capitalised = sum(1 for t in tokens if t[0].isupper())
    return capitalised / len(tokens) > 0.6


def entity_tokens(text: str, languages: tuple[str, ...]) -> list[str]:
    """Lower-cased tokens of capitalised spans (names of people, places, organisations).

    A heuristic that works for every cased script (Latin, Cyrillic, Greek): a run of capitalised
    tokens, possibly joined by name connectors, is a name; a single capitalised word opening a
    sentence is a name only when it is rare as a common word ("Putin said", not "The police").
    In languages that capitalise every noun (German) this yields nouns as well as names: weaker
    evidence, still weighted by rarity.
    All-capital tokens (acronyms, "NORTH KOREAN LEADER" lead-ins) count when at most 5 letters.
    """
    out: list[str] = []
    for sentence in sentences(fold(text)):
        tokens = _name_tokens(sentence)
        # Most tokens are lower case: jump from one capitalised token to the next (a scan in C).
        capitalised = [token[0].isupper() for token in tokens]
        i = 0
        while True:
            try:
                i = capitalised.index(True, i)
            except ValueError:
                break
            token = tokens[i]
            span = [token]
            j = i + 1
            while j < len(tokens):
                nxt = tokens[j]
                if capitalised[j]:
                    span.append(nxt)
                    j += 1
                elif nxt.casefold() in _CONNECTORS and j + 1 < len(tokens) and capitalised[j + 1]:
                    j += 1
                else:
                    break
            if i == 0 and len(span) == 1:
                # Opening a sentence, a capital says nothing: keep the word only when it is rare
                # as a common word. Mid-sentence capitals are kept even when common ("London",
                # zipf 5.3; "Berlin" in German, 5.7): frequency cannot tell them from "Haus".
                if zipf(token.casefold(), languages) >= _COMMON_NAME_ZIPF:
                    span = []
            elif i == 0 and zipf(span[0].casefold(), languages) >= _COMMON_NAME_ZIPF:
                span = span[1:]  # "The White House": the opening word is not part of the name
            out.extend(_base(t.casefold()) for t in span if not (t.isupper() and len(t) > 5))
            i = j
    return out


def _base(token: str) -> str:
    """A token without the possessive ending, so "Putin's" counts as "Putin"."""
    return token[:-2] if token.endswith("'s") and len(token) > 3 else token


def _terms(tokens: list[str]) -> Iterator[str]:
    """Content tokens; in unspaced scripts (one token per character) also character bigrams.

    A Chinese or Japanese character alone says little ("会"), two in a row are mostly a word
    ("会晤", a meeting), which the frequency table knows.
    """
    if not any(len(token) == 1 and _UNSPACED.match(token) for token in tokens):
        # Fast path (same result): no unspaced script, so no bigrams to form.
        for token in tokens:
            if len(token) > 1 and _HAS_LETTER.search(token):
                yield token[:-2] if token.endswith("'s") and len(token) > 3 else token
        return
    previous = ""
    for token in tokens:
        unspaced = len(token) == 1 and _UNSPACED.match(token) is not None
        if unspaced:
            if previous:
                yield previous + token
            yield token
            previous = token
            continue
        previous = ""
        if len(token) > 1 and any(ch.isalpha() for ch in token):
            yield _base(token)


def _kept_term(token: str) -> str:
    """A token as a term ("" when it is not one): ``_terms`` for one token of a spaced script."""
    if len(token) > 1 and _HAS_LETTER.search(token):
        return token[:-2] if token.endswith("'s") and len(token) > 3 else token
    return ""


def _term_list(tokens: list[str]) -> list[str]:
    """``_terms`` as a list; the same result, each distinct token examined once."""
    distinct = set(tokens)
    joined = "".join(distinct)
    # ``words`` gives each character of an unspaced script as a token of its own, so such a
    # one-character token exists exactly when the tokens hold such a character: one scan of
    # the distinct tokens (none for ASCII text), not one match per token.
    if not joined.isascii() and _UNSPACED.search(joined):
        return list(_terms(tokens))
    # A token of letters only (most) is kept whole when longer than one letter; the others go
    # through the full test (a letter in it, the possessive "'s" cut).
    kept = {
        token: (token if len(token) > 1 else "") if token.isalpha() else _kept_term(token)
        for token in distinct
    }
    return [term for term in map(kept.__getitem__, tokens) if term]


def _numbers_and_dates_py(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The distinct numbers written in ``text`` (normalised, years apart, two digits or more)
    and its years and ISO dates, each sorted."""
    numbers: set[str] = set()
    dates: set[str] = set()
    iso_dates = _ISO_DATE.findall(text)
    for y, m, d in iso_dates:
        dates.add(f"{y}-{m}-{d}")
    stripped = _ISO_DATE.sub(" ", text) if iso_dates else text
    for raw in _NUMBER.findall(stripped):
        # Thousands separators out, a decimal comma to a point ("1,200" -> "1200", "4,5" -> "4.5").
        digits = raw if raw.isdigit() else _THOUSANDS.sub("", raw).replace(",", ".")
        if _YEAR.match(digits):
            dates.add(digits)
        elif len(digits.replace(".", "")) >= 2:
            # Single digits ("2 people", "5 p.m.") are shared by unrelated stories all the time.
            numbers.add(digits)
    return tuple(sorted(numbers)), tuple(sorted(dates))


@lru_cache(maxsize=8)
def _share_table(half: int) -> list[float]:
    return [half / (half + p) for p in range(_SHARE_TABLE)] if half else [1.0] * _SHARE_TABLE


# Positions whose lead share is kept in a table (longer texts compute the rest).
_SHARE_TABLE = 20_000


def _shares(half: int, count: int) -> list[float]:
    """The lead share of positions 0..count-1: ``half / (half + p)`` (1.0 when half is 0),
    the same floats as computed in place, read from a table per ``half``."""
    table = _share_table(half)
    if count <= _SHARE_TABLE:
        return table[:count]
    extra = range(_SHARE_TABLE, count)
    return table + ([half / (half + p) for p in extra] if half else [1.0] * len(extra))


def _term_weights_py(
    title: str, text: str, repeat: int, half: int, weights: _WordWeights
) -> dict[str, float]:
    """The nonzero weights of the terms of a title and its lead and body.

    A title term counts ``repeat + 1`` per occurrence; an occurrence at term ``p`` of ``text``
    counts ``half / (half + p)``. The word weight times the sub-linear count.
    """
    counts: dict[str, float] = {}
    for token in _term_list(words(title)):
        counts[token] = counts.get(token, 0.0) + repeat + 1
    # The lead carries the event; scraped pages end with teasers, related links and comments.
    terms = _term_list(words(text))
    shares = _shares(half, len(terms))
    for token, share in zip(terms, shares):
        counts[token] = counts.get(token, 0.0) + share
    out: dict[str, float] = {}
    log = math.log
    for token, count in counts.items():
        weight = weights.term_weight(token)
        if weight:  # a weight of 0 is dropped by _normalised whatever the count
            # Sub-linear term frequency: 1 + ln(count), continued linearly below one occurrence.
            out[token] = (1.0 + log(count) if count >= 1.0 else count) * weight
    return out


def _term_weights_compiled(
    title: str, text: str, repeat: int, half: int, weights: _WordWeights
) -> dict[str, float]:
    """``_term_weights_py`` in one compiled pass over each text (no token list)."""
    return _kernel.term_weights(
        fold(title).casefold(), fold(text).casefold(), repeat, half, weights
    )


def _term_features_py(
    title: str, text: str, repeat: int, half: int, weights: _WordWeights, keep: int
) -> tuple[tuple[str, float], ...]:
    """The ``terms`` of the features: ``_term_weights`` normalised."""
    return _normalised_py(_term_weights_py(title, text, repeat, half, weights), keep)


def _term_features_compiled(
    title: str, text: str, repeat: int, half: int, weights: _WordWeights, keep: int
) -> tuple[tuple[str, float], ...]:
    """``_term_features_py`` in one compiled pass over each text, the ranking included."""
    return _kernel.term_features(
        fold(title).casefold(), fold(text).casefold(), repeat, half, weights, keep
    )


def _entity_counts_py(texts: list[str], weights: _WordWeights) -> dict[str, int]:
    """How often each entity token occurs in ``texts`` (``entity_tokens`` of each)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(entity_tokens(text, weights.languages))
    return counts


def _entity_weights_py(counts: dict[str, int], weights: _WordWeights) -> dict[str, float]:
    """Entity weights: sub-linear count times the word's weight, at least 1 (a common word
    capitalised mid-sentence is still a name); digits and single characters are not names."""
    out: dict[str, float] = {}
    log = math.log
    for token, count in counts.items():
        if len(token) > 1 and not token.isdigit():
            out[token] = (1.0 + log(count)) * max(weights.term_weight(token), 1.0)
    return out


def _entity_features_py(
    counts: dict[str, int], weights: _WordWeights, keep: int
) -> tuple[tuple[str, float], ...]:
    """The ``entities`` of the features: ``_entity_weights`` normalised."""
    return _normalised_py(_entity_weights_py(counts, weights), keep)


def _terms_and_entities_py(
    title: str, lead: str, body: str, weights: _WordWeights, options: StoryOptions
) -> tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]:
    """The ``terms`` and ``entities`` of an article's texts."""
    # An occurrence at word ``p`` of the lead and body counts ``h / (h + p)`` (h =
    # lead_half_words); the title counts ``title_repeat`` extra times.
    terms = _term_features_py(
        title,
        f"{lead}\n{body}",
        options.title_repeat,
        options.lead_half_words,
        weights,
        options.max_terms,
    )
    name_sources = [lead, body] if _mostly_capitalised(title) else [title, lead, body]
    counts = _entity_counts_py(name_sources, weights)
    return terms, _entity_features_py(counts, weights, options.max_terms)


def _terms_and_entities_compiled(
    title: str, lead: str, body: str, weights: _WordWeights, options: StoryOptions
) -> tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...]]:
    """``_terms_and_entities_py`` by the kernels, each text folded once for both uses.

    ``fold`` is an NFKC normalisation, which a line break bounds (a starter that composes with
    nothing), then a mapping of single characters, so ``fold(a + "\n" + b)`` is
    ``fold(a) + "\n" + fold(b)`` (tested): the folded lead and body serve the terms and names.
    """
    folded_title, folded_lead, folded_body = fold(title), fold(lead), fold(body)
    terms = _kernel.term_features(
        folded_title.casefold(),
        f"{folded_lead}\n{folded_body}".casefold(),
        options.title_repeat,
        options.lead_half_words,
        weights,
        options.max_terms,
    )
    capitalised = _mostly_capitalised(title)
    name_sources = (
        [folded_lead, folded_body] if capitalised else [folded_title, folded_lead, folded_body]
    )
    return terms, _entity_features_compiled(name_sources, weights, options.max_terms)


def _entity_features_compiled(
    folded_texts: list[str], weights: _WordWeights, keep: int
) -> tuple[tuple[str, float], ...]:
    """``_entity_features_py`` of the counts of already folded texts, in one kernel: the
    tokens counted by their code points."""
    texts = [text for text in (folded.strip() for folded in folded_texts) if text]
    bounds = [_sentence_bounds(text, _ABBREVIATIONS) for text in texts]
    entities: tuple[tuple[str, float], ...] = _kernel.entity_features_of(
        texts, bounds, weights, _CONNECTORS, _COMMON_NAME_ZIPF, keep
    )
    return entities


_zipf_of_tables = _zipf_py
_weights: Callable[[tuple[str, ...], StoryOptions], _WordWeights] = _WeightsPy
_numbers_and_dates = _numbers_and_dates_py
_terms_and_entities = _terms_and_entities_py
try:
    from newsfold._text import sentence_bounds as _sentence_bounds
    from newsfold.stories import _features as _kernel

    # All or none: a stale build missing a function leaves the twins in place.
    _compiled = (
        _kernel.zipf_of_tables,
        _kernel.numbers_and_dates,
        _kernel.term_features,
        _kernel.entity_features_of,
        _kernel.Weights,
    )
    _zipf_of_tables, _numbers_and_dates = _compiled[:2]
    _weights = _weights_compiled
    _terms_and_entities = _terms_and_entities_compiled
except (ImportError, AttributeError):  # pragma: no cover - the pure-Python twins above
    pass


def story_features(article: Article, options: StoryOptions | None = None) -> StoryFeatures:
    """The features of one article; a pure function of the article and the options."""
    options = options or StoryOptions()
    languages = languages_of(article.lang, options)
    title = article.title or ""
    lead = article.standfirst or ""
    body = "\n".join(article.paragraphs)
    terms, entities = _terms_and_entities(title, lead, body, _weights(languages, options), options)
    numbers, dates = _numbers_and_dates(f"{title}\n{lead}\n{body}")
    return StoryFeatures(
        terms=terms,
        entities=entities,
        numbers=numbers,
        dates=dates,
        published=article.published,
        lang=languages[0] if len(languages) == 1 else None,
        embedding=_embedding(title, lead, body) if options.embed_weight else (),
    )


def _embedding(title: str, lead: str, body: str) -> tuple[float, ...]:
    from newsfold.stories.embed import embed  # the [embed] extra, imported only when asked

    return embed(f"{title}\n{lead}\n{body}")

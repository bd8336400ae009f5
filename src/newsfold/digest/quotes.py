"""Quoted speech and its speaker: `"...," Putin said`, `said Koo Kab-woo`, `Kim said he hoped "..."`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from newsfold.models import Article, Quote
from newsfold.text import fold, normalise, words

# After `fold`, “ ” „ « » are all '"'; corner brackets (CJK) are kept apart.
_QUOTED = re.compile(r'"([^"]+)"|\u300c([^\u300d]+)\u300d|\u300e([^\u300f]+)\u300f')

# Verbs that introduce or close reported speech (English first, a few others in the same spirit).
_SPEECH_VERBS = (
    "said|says|say|told|tells|added|adds|asked|asks|replied|replies|responded|insisted|warned|"
    "declared|announced|stressed|noted|explained|wrote|writes|tweeted|described|called|argued|"
    "claimed|continued|recalled|admitted|acknowledged|urged|suggested|commented|remarked|"
    "clarified|confirmed|conceded|joked|quipped|shouted|countered|pleaded|promised|vowed|"
    "sagte|sagt|erklärte|dit|déclare|a déclaré|affirmé|dijo|afirmó|disse|ha detto|zei|"
    "сказал|сказала|заявил|заявила"
)
# A capitalised word: Latin, Latin-1 and Extended-A, Greek, Cyrillic capitals; inner ' and -.
_CAP = r"[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u0391-\u03a9\u0401-\u042f][\w'\u2019\-]*"
_PARTICLE = r"(?:de|da|di|del|van|von|der|al|bin|la|le|du|dos|y)"
_NAME = rf"{_CAP}(?:\s+(?:{_PARTICLE}\s+)?{_CAP})*"
_PRONOUN = r"(?:he|she|He|She|er|sie|il|elle|él|ella)"
_ADVERB = r"(?:\w+ly\s+|also\s+|later\s+|then\s+)?"


def _word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (short lists stay readable)."""
    return frozenset(text.split())


_AFTER_VERB_NAME = re.compile(rf"^\s*[,.!?]?\s*(?:{_SPEECH_VERBS})\s+({_NAME})")
_AFTER_NAME_VERB = re.compile(
    rf"^\s*[,.!?]?\s*({_NAME}|{_PRONOUN})\s+{_ADVERB}(?:{_SPEECH_VERBS})\b"
)
_BEFORE_DIALOGUE = re.compile(rf"({_NAME})\s*:\s*$")
_BEFORE_NAME_VERB = re.compile(rf"({_NAME}|{_PRONOUN})\s+{_ADVERB}(?:{_SPEECH_VERBS})\b")
_BEFORE_ACCORDING = re.compile(rf"(?:according to|selon|laut|según)\s+({_NAME})", re.IGNORECASE)
# Last resort, a name acting in the quote's sentence: "Putin lashed out at \"...\"". A verb is
# taken to be a lower-case word in -ed or -s right after the name (or after one adverb).
_BEFORE_NAME_ACTS = re.compile(rf"({_NAME})\s+(?:\w+ly\s+)?[a-z]{{2,}}(?:ed|s)\b")

# Leading words that are a title or role, not part of the name.
_TITLES = _word_set(
    """president prime minister mr mr. mrs mrs. ms ms. dr dr. prof prof. professor chancellor
    king queen prince princess pope sen. sen senator rep. rep gov. gov governor mayor general
    gen. leader chairman chairwoman secretary judge justice lord lady sir dame minister
    foreign defence defense interior finance state russian american chinese british french
    german north south korean"""
)
# Capitalised words that start sentences but never name anyone.
_NOT_NAMES = _word_set(
    """the a an but and or so yet in on at of for to this that these those it its there
    here when while after before if as then he she they we i you his her their our my
    however meanwhile also still now today yesterday"""
)


@dataclass(frozen=True, slots=True)
class _Found:
    text: str
    speaker: str | None
    paragraph: int
    whole_paragraph: bool


def _clean_name(name: str, lower_words: frozenset[str]) -> str | None:
    tokens = name.replace("\u2019", "'").split()
    while tokens and tokens[0].casefold().rstrip(".") in _TITLES | {t.rstrip(".") for t in _TITLES}:
        tokens = tokens[1:]
    if tokens and tokens[-1].endswith("'s"):
        tokens[-1] = tokens[-1][:-2]
    tokens = [t for t in tokens if t]
    if not tokens or tokens[0].casefold() in _NOT_NAMES:
        return None
    # A word the story also writes in lower case is a common word capitalised at a sentence start.
    if len(tokens) == 1 and tokens[0].casefold() in lower_words:
        return None
    return " ".join(tokens)


def _speaker(
    paragraph: str, start: int, end: int, previous: str | None, lower_words: frozenset[str]
) -> str | None:
    after = paragraph[end : end + 160]
    sentence_start = max(paragraph.rfind(". ", 0, start), paragraph.rfind('" ', 0, start), -1)
    before = paragraph[sentence_start + 1 : start]
    candidates: list[str] = []
    match = _AFTER_VERB_NAME.match(after)
    if match:
        candidates.append(match.group(1))
    match = _AFTER_NAME_VERB.match(after)
    if match:
        candidates.append(match.group(1))
    match = _BEFORE_DIALOGUE.search(before)
    if match:
        candidates.append(match.group(1))
    before_matches = list(_BEFORE_NAME_VERB.finditer(before)) + list(
        _BEFORE_ACCORDING.finditer(before)
    )
    if before_matches:
        candidates.append(max(before_matches, key=lambda m: m.start()).group(1))
    acting = list(_BEFORE_NAME_ACTS.finditer(before))
    if acting:
        candidates.append(acting[-1].group(1))
    for candidate in candidates:
        if re.fullmatch(_PRONOUN, candidate):
            if previous:
                return previous
            continue
        name = _clean_name(candidate, lower_words)
        if name:
            return name
    return None


def _article_quotes(article: Article, min_words: int, lower_words: frozenset[str]) -> list[_Found]:
    found: list[_Found] = []
    last_speaker: str | None = None
    for p_index, raw in enumerate(article.paragraphs):
        paragraph = fold(raw).strip()
        if paragraph.count('"') % 2 == 1:
            # A quote left open runs on into the next paragraph (the news convention).
            paragraph += '"'
        for match in _QUOTED.finditer(paragraph):
            text = next(g for g in match.groups() if g is not None).strip().rstrip(",")
            if len(words(text)) < min_words:
                continue
            speaker = _speaker(paragraph, match.start(), match.end(), last_speaker, lower_words)
            outside = (paragraph[: match.start()] + paragraph[match.end() :]).strip(" .,")
            whole = not outside
            # A paragraph that is nothing but a quote continues the previous paragraph's
            # speaker; a second quote in one paragraph continues the first one's.
            continues = bool(found) and (
                found[-1].paragraph == p_index or (whole and found[-1].paragraph == p_index - 1)
            )
            if speaker is None and continues:
                speaker = found[-1].speaker
            found.append(_Found(text, speaker, p_index, whole))
            if speaker:
                last_speaker = speaker
    return found


def lower_case_words(articles: Iterable[Article]) -> frozenset[str]:
    """Words the story writes in lower case somewhere (so they are not names)."""
    seen: set[str] = set()
    for article in articles:
        for paragraph in article.paragraphs:
            seen.update(w for w in fold(paragraph).split() if w[:1].islower())
    return frozenset(w.strip(".,;:!?\"'()") for w in seen)


def extract_quotes(articles: Sequence[Article], min_words: int) -> list[Quote]:
    """Quotes of the story in article order, each once (a copy's repeat adds its speaker only)."""
    lower_words = lower_case_words(articles)
    quotes: list[Quote] = []
    index: dict[str, int] = {}
    for article in articles:
        for item in _article_quotes(article, min_words, lower_words):
            key = normalise(item.text)
            if key in index:
                known = quotes[index[key]]
                if known.speaker is None and item.speaker is not None:
                    quotes[index[key]] = Quote(known.text, item.speaker, known.article)
                continue
            index[key] = len(quotes)
            quotes.append(Quote(item.text, item.speaker, article.id))
    # A fragment quoted again inside a fuller quotation ("more stable and sound one") is dropped.
    keys = [normalise(q.text) for q in quotes]
    return [
        q
        for q, key in zip(quotes, keys, strict=True)
        if not any(key != other and key in other for other in keys)
    ]

"""People, places and organisations of a story, from capitalisation and the words around them.

Heuristics, not a trained tagger: a capitalised run is a candidate (a word the story also writes
in lower case is only a sentence-initial capital); its context votes for a kind: a title before
it or a speech verb next to it says person, a preposition of place says place, an institution
word or an acronym says organisation. Candidates with no vote are left out.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence

from newsfold.digest.quotes import lower_case_words
from newsfold.models import Article, Quote
from newsfold.text import fold, sentences


def _word_set(text: str) -> frozenset[str]:
    """A set of words written as one space-separated string (short lists stay readable)."""
    return frozenset(text.split())


# A capitalised word, or an initial with its dot ("Donald J. Trump").
_CAP = r"[A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f\u0391-\u03a9\u0401-\u042f](?:[\w'\-]+|\.(?=\s+[A-Z]))?"
_CONNECTOR = r"(?:of|de|da|di|del|van|von|der|al|bin|la|le|du|dos)"
_SPAN = re.compile(rf"{_CAP}(?:(?:\s+{_CONNECTOR})?\s+{_CAP})*")

_PERSON_TITLES = _word_set(
    """president prime minister mr mrs ms dr prof professor chancellor king queen prince
    princess pope senator sen rep governor gov mayor general gen leader chairman chairwoman
    secretary judge justice lord lady sir dame minister ambassador spokesman spokeswoman
    spokesperson coach ceo founder director premier emperor sheikh herr frau monsieur madame
    señor señora sr sra neighbor neighbour resident witness officer detective sheriff
    attorney lawyer analyst"""
)
_ORG_WORDS = _word_set(
    """university ministry party council committee agency bank association corporation corp
    inc ltd llc group company institute institution organisation organization union news
    times post daily press court congress parliament commission fund foundation army navy
    police department office service services board club team federation league assembly
    senate government network channel radio television tv airlines airways school college
    hospital church centre center museum coalition alliance front movement society
    universität université universidad ministerium ministère gmbh ag sa"""
)
_PLACE_WORDS = _word_set(
    """capital town village city province state county region island islands river mountain mountains sea ocean
    gulf peninsula valley street avenue square district airport port bay lake coast
    republic kingdom"""
)
# Words before a place. Not "to" or "of": "said to Conway", "the campaign of Hillary Clinton";
# "city of X" is caught through the place word before "of".
_PLACE_BEFORE = _word_set(
    "in at from near across into toward towards outside inside visited en à au aux nach aus bei"
)
_SPEECH = _word_set(
    "said says told added asked replied warned insisted announced wrote tweeted sagte dit dijo "
    "disse"
)
# Acronyms that name countries or unions of them rather than organisations.
_PLACE_ACRONYMS = _word_set("US USA UK UAE DRC EU")
_NOT_NAMES = _word_set(
    """the a an but and or so yet in on at of for to this that these those it its there here
    when while after before if as then he she they we i you his her their our my however
    meanwhile also still now today yesterday monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november
    december whenever although though because since unless until recently related watch
    file photo update breaking read more getty"""
)
# Credits and photo agencies glued to a name by a caption ("Hosni Mubarak AFP").
_CREDIT_WORDS = _word_set("AP AFP Reuters UPI Getty Images EPA Xinhua")
# A capitalised run longer than this is a headline or a menu in title case, not a name
# ("Related Netflix Hacker Also Claims Theft From ABC"); the longest names seen in the seeds
# and multinews-dev ("University of North Korean Studies") have five capitalised words.
_MAX_NAME_WORDS = 5


def _spans(sentence: str) -> list[re.Match[str]]:
    """Capitalised runs, cut after a possessive ("Russia's Vladimir Putin" is two)."""
    out: list[re.Match[str]] = []
    position = 0
    while True:
        match = _SPAN.search(sentence, position)
        if match is None:
            return out
        cut = re.search(r"'s\b", match.group(0))
        rest = match.group(0)[cut.end() :] if cut is not None else ""
        # "People's Daily" stays whole: the words after the possessive name an institution.
        if (
            cut is not None
            and rest.strip()
            and not {w.casefold() for w in rest.split()} & _ORG_WORDS
        ):
            match = _SPAN.match(sentence, match.start(), match.start() + cut.end()) or match
        out.append(match)
        position = match.end()


def _strip(span: str, lower_words: frozenset[str]) -> tuple[str, bool]:
    """The span without leading common words and titles; whether a person title was removed."""
    tokens = span.split()
    titled = False
    # "Russian President Vladimir Putin", "NORTH KOREAN LEADER Kim": the name follows the title.
    title_at = [i for i, t in enumerate(tokens) if t.casefold().rstrip(".") in _PERSON_TITLES]
    if title_at and title_at[-1] < len(tokens) - 1:
        tokens = tokens[title_at[-1] + 1 :]
        titled = True
    while tokens:
        head = tokens[0].casefold().rstrip(".")
        if head in _PERSON_TITLES:
            titled = True
            tokens = tokens[1:]
        elif head in _NOT_NAMES or (
            head in lower_words and len(tokens) > 1 and head not in _ORG_WORDS
        ):
            tokens = tokens[1:]
        else:
            break
    while tokens and (
        tokens[-1].casefold() in {"of", "and", "for", "de", "la", "le", "y"}
        or (tokens[-1] in _CREDIT_WORDS and len(tokens) > 1)
    ):
        tokens = tokens[:-1]
    if sum(1 for t in tokens if t[:1].isupper()) > _MAX_NAME_WORDS:
        return "", titled
    if tokens and tokens[-1].endswith("'s"):
        tokens[-1] = tokens[-1][:-2]
    if " ".join(tokens).casefold() in _NOT_NAMES:
        return "", titled
    return " ".join(tokens), titled


def _is_organisation_token(name: str) -> bool:
    """A news agency or credit ("Reuters", "AP") or a short acronym that is not a country's."""
    return name in _CREDIT_WORDS or (
        " " not in name and name.isupper() and 2 <= len(name) <= 6 and name not in _PLACE_ACRONYMS
    )


def _votes(name: str, titled: bool, before: str, after: str, at_start: bool) -> Iterable[str]:
    tokens = name.split()
    folded = {t.casefold() for t in tokens}
    if folded & _ORG_WORDS or _is_organisation_token(name):
        yield "organisations"
        return
    if name in _PLACE_ACRONYMS or folded & _PLACE_WORDS:
        yield "places"
    if titled:
        yield "people"
    previous = before.split()[-1].casefold() if before.split() else ""
    following = after.split()[0].casefold().strip(",.") if after.split() else ""
    said_before = previous in _SPEECH and (not after.strip() or after.lstrip()[:1] in ",.;")
    if said_before or following in _SPEECH or after.startswith((", a ", ", the ")):
        yield "people"
    words_before = before.casefold().split()
    if not at_start and (
        previous in _PLACE_BEFORE
        or (previous == "of" and len(words_before) >= 2 and words_before[-2] in _PLACE_WORDS)
    ):
        yield "places"
    if after.startswith(":") and at_start:
        yield "places"  # a dateline


def _drop_initials(name: str) -> str:
    """The name without its initials: "Donald J. Trump" -> "Donald Trump"."""
    return " ".join(t for t in name.split() if not re.fullmatch(r"\w\.?", t))


def extract_entities(
    articles: Sequence[Article], quotes: Sequence[Quote]
) -> dict[str, tuple[str, ...]]:
    """``{"people": ..., "places": ..., "organisations": ...}``, most mentioned first."""
    lower_words = lower_case_words(articles)
    mentions: Counter[str] = Counter()
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for quote in quotes:
        # An agency or an acronym quoted ("AP", "Netflix said" stays) speaks for an organisation.
        if quote.speaker and not _is_organisation_token(quote.speaker):
            votes[quote.speaker]["people"] += 2
    for article in articles:
        for paragraph in article.paragraphs:
            for sentence in sentences(fold(paragraph)):
                for match in _spans(sentence):
                    at_start = not sentence[: match.start()].strip(" \"'(")
                    name, titled = _strip(match.group(0), lower_words)
                    if not name or (
                        at_start
                        and name == match.group(0)
                        and " " not in name
                        and (name.casefold() in lower_words or name.casefold() in _NOT_NAMES)
                    ):
                        continue
                    if " " not in name and name.casefold() in lower_words:
                        continue
                    mentions[name] += 1
                    before = sentence[: match.start()]
                    after = sentence[match.end() :]
                    for kind in _votes(name, titled, before, after, at_start):
                        votes[name][kind] += 1
    kinds: dict[str, str] = {}
    for name, counter in votes.items():
        if counter:
            kinds[name] = min(counter, key=lambda k: (-counter[k], k))
    # A full name with no context of its own is a person's when its surname alone is one.
    single_people = {n for n, k in kinds.items() if k == "people" and " " not in n}
    for name in mentions:
        if name not in kinds and " " in name and set(name.split()) & single_people:
            kinds[name] = "people"
    # A surname or given name alone joins the most mentioned full name of a person holding it.
    people_full = sorted(
        (n for n, k in kinds.items() if k == "people" and " " in n), key=lambda n: (-mentions[n], n)
    )
    # A name written with and without middle initials ("Donald J. Trump") is one person.
    without_initials: dict[str, str] = {}
    for full in people_full:
        without_initials.setdefault(_drop_initials(full), full)
    merged: Counter[str] = Counter()
    for name in sorted(kinds):
        target = name
        if " " not in name and kinds[name] == "people":
            target = next((full for full in people_full if name in full.split()), name)
        elif kinds[name] == "people":
            target = without_initials.get(_drop_initials(name), name)
        merged[target] += max(mentions[name], 1)
    result: dict[str, list[str]] = {"people": [], "places": [], "organisations": []}
    for name in sorted(merged, key=lambda n: (-merged[n], n)):
        result[kinds.get(name, "people")].append(name)
    return {kind: tuple(names[:20]) for kind, names in result.items()}

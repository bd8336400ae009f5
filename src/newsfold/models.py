"""The records that flow through the pipeline: Page -> Article -> CopyPair/CopyGroup -> Story -> Digest.

All are frozen dataclasses with ``to_dict`` / ``from_dict`` so they travel as JSON (the store,
the CLI's JSONL output, the HTTP API) without pickle.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


def _plain(value: Any) -> Any:
    """Dataclasses, tuples and dicts to JSON-ready values."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


class _Json:
    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = _plain(self)
        return result


@dataclass(frozen=True, slots=True)
class Page(_Json):
    """What came in: an id, raw text or HTML, and what is known about where it came from."""

    id: str
    text: str | None = None
    html: str | None = None
    url: str | None = None
    fetched_at: str | None = None
    site: str | None = None
    origin: str | None = None  # file path, "file.jsonl:12", WARC record: for messages only
    # The publication date when the input gives it (ISO, e.g. a dataset's "published" field):
    # used when the clean stage finds none in the page, and by the stories stage without clean.
    published: str | None = None

    @property
    def is_html(self) -> bool:
        return self.html is not None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Page:
        values: dict[str, Any] = {f.name: data.get(f.name) for f in dataclasses.fields(cls)}
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Article(_Json):
    """A page after cleaning: structured fields, chrome gone, metadata kept out of the body.

    ``paragraphs`` is the body; ``body`` joins it with blank lines. ``published`` is an ISO date
    (``YYYY-MM-DD``) of the article itself, never the date in a site header or of the crawl.
    ``reason`` says why the body is empty (``"no article found"``) when it is.
    """

    id: str
    title: str | None = None
    standfirst: str | None = None
    paragraphs: tuple[str, ...] = ()
    dateline: str | None = None
    credit: str | None = None
    byline: str | None = None
    published: str | None = None
    site: str | None = None
    lang: str | None = None
    url: str | None = None
    fetched_at: str | None = None
    reason: str | None = None

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        values: dict[str, Any] = {f.name: data.get(f.name) for f in dataclasses.fields(cls)}
        values["paragraphs"] = tuple(values["paragraphs"] or ())
        return cls(**values)


@dataclass(frozen=True, slots=True)
class CopyPair(_Json):
    """Two pages that carry the same text, with the evidence.

    ``a`` < ``b`` (ids in sorted order). ``resemblance`` is the exact Jaccard of the two shingle
    sets; ``containment_a`` is the share of a's shingles found in b (and ``containment_b`` the
    reverse). ``shared`` lists aligned paragraph index pairs ``(i_a, i_b)``; ``only_a`` /
    ``only_b`` the paragraph indexes found on one side only. ``fuller`` is the id of the page
    with more of the text. ``exact`` marks identical normalised bodies (the fast path).
    """

    a: str
    b: str
    resemblance: float
    containment_a: float
    containment_b: float
    shared: tuple[tuple[int, int], ...] = ()
    only_a: tuple[int, ...] = ()
    only_b: tuple[int, ...] = ()
    fuller: str = ""
    exact: bool = False

    @property
    def containment(self) -> float:
        return max(self.containment_a, self.containment_b)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CopyPair:
        return cls(
            a=data["a"],
            b=data["b"],
            resemblance=float(data["resemblance"]),
            containment_a=float(data["containment_a"]),
            containment_b=float(data["containment_b"]),
            shared=tuple((int(x), int(y)) for x, y in data.get("shared", ())),
            only_a=tuple(int(x) for x in data.get("only_a", ())),
            only_b=tuple(int(x) for x in data.get("only_b", ())),
            fuller=data.get("fuller", ""),
            exact=bool(data.get("exact", False)),
        )


@dataclass(frozen=True, slots=True)
class CopyGroup(_Json):
    """Pages that carry one text: members sorted, the id derived from the members."""

    id: str
    members: tuple[str, ...]
    pairs: tuple[CopyPair, ...] = ()


@dataclass(frozen=True, slots=True)
class SourcedSentence(_Json):
    """A sentence of a digest and the articles it came from (first = where it was taken)."""

    text: str
    articles: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quote(_Json):
    text: str
    speaker: str | None
    article: str


@dataclass(frozen=True, slots=True)
class Source(_Json):
    """An article of a story and how it relates to the others.

    ``relation`` is ``"original"`` (the fullest text of a copy group), ``"copy"`` (a copy of
    ``of``; ``cut``/``added`` count its paragraphs missing from / not in the original) or
    ``"independent"`` (its own write-up).
    """

    article: str
    site: str | None
    title: str | None
    published: str | None
    relation: str
    of: str | None = None
    copy_group: str | None = None
    cut: int = 0
    added: int = 0


@dataclass(frozen=True, slots=True)
class Digest(_Json):
    """The consolidated account of one story. Every sentence points to its article(s)."""

    headline: str
    summary: str
    summary_sentences: tuple[SourcedSentence, ...] = ()
    common: tuple[SourcedSentence, ...] = ()
    what_each_adds: dict[str, tuple[SourcedSentence, ...]] = field(default_factory=dict)
    quotes: tuple[Quote, ...] = ()
    entities: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sources: tuple[Source, ...] = ()
    event_date: str | None = None
    first_published: str | None = None
    last_published: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Digest:
        def sentences(items: Any) -> tuple[SourcedSentence, ...]:
            return tuple(SourcedSentence(s["text"], tuple(s["articles"])) for s in items or ())

        return cls(
            headline=data.get("headline", ""),
            summary=data.get("summary", ""),
            summary_sentences=sentences(data.get("summary_sentences")),
            common=sentences(data.get("common")),
            what_each_adds={k: sentences(v) for k, v in (data.get("what_each_adds") or {}).items()},
            quotes=tuple(Quote(q["text"], q.get("speaker"), q["article"])
                         for q in data.get("quotes") or ()),
            entities={k: tuple(v) for k, v in (data.get("entities") or {}).items()},
            sources=tuple(Source(**s) for s in data.get("sources") or ()),
            event_date=data.get("event_date"),
            first_published=data.get("first_published"),
            last_published=data.get("last_published"),
        )


@dataclass(frozen=True, slots=True)
class Story(_Json):
    """Articles about one event; copy groups join as a unit."""

    id: str
    articles: tuple[str, ...]
    copy_groups: tuple[tuple[str, ...], ...] = ()
    headline: str | None = None
    first_published: str | None = None
    last_published: str | None = None
    digest: Digest | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Story:
        digest = data.get("digest")
        return cls(
            id=data["id"],
            articles=tuple(data["articles"]),
            copy_groups=tuple(tuple(g) for g in data.get("copy_groups") or ()),
            headline=data.get("headline"),
            first_published=data.get("first_published"),
            last_published=data.get("last_published"),
            digest=Digest.from_dict(digest) if digest else None,
        )


@dataclass(frozen=True, slots=True)
class Skip(_Json):
    """A page that was reported and skipped, with the reason it was."""

    id: str | None
    origin: str
    reason: str
    detail: str = ""

"""Render a story's digest as Markdown (for `newsfold show`) or as a self-contained HTML page.

Both renderings number the sources once (``[1]``, ``[2]``, ...) in the order of the digest's
``sources`` and cite them after every sentence, so that a reader sees where each sentence came
from without reading article ids; the Sources section maps each number to its article id, site,
date, title and relation (original, copy of [n] with what was cut or added, independent).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence

from newsfold.errors import NewsfoldError
from newsfold.models import Digest, Source, SourcedSentence, Story

# Characters that Markdown would read as markup inside running text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_ENTITY_KINDS = (("people", "People"), ("places", "Places"), ("organisations", "Organisations"))


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _digest(story: Story) -> Digest:
    if story.digest is None:
        raise NewsfoldError(
            f"story {story.id} has no digest: the digest stage did not run, or building this "
            "story's digest failed (see the run report)"
        )
    return story.digest


def _numbers(digest: Digest) -> dict[str, int]:
    """Each article's citation number: its rank in ``digest.sources``, from 1."""
    return {source.article: n for n, source in enumerate(digest.sources, start=1)}


def _cite(articles: Iterable[str], numbers: Mapping[str, int]) -> str:
    """``[1, 3]``: the citation numbers of ``articles`` (an article outside the sources by id)."""
    labels = [str(numbers[a]) if a in numbers else _md(a) for a in articles]
    return f"[{', '.join(labels)}]" if labels else ""


def describe_source(source: Source, numbers: Mapping[str, int] | None = None) -> str:
    """One line of plain text on where an article stands: original, copy of X, independent."""
    if source.relation == "copy":
        of = (
            f"[{numbers[source.of]}]"
            if numbers and source.of is not None and source.of in numbers
            else f"`{source.of}`"
        )
        return (
            f"copy of {of}: {source.cut} paragraph{'s' * (source.cut != 1)} cut, "
            f"{source.added} added"
        )
    if source.relation == "original":
        return "original text of its copy group"
    return "independent write-up" if source.relation == "independent" else source.relation


def _span(digest: Digest) -> str:
    """When the event happened and when it was covered, as far as the articles say."""
    first, last = digest.first_published, digest.last_published
    parts = []
    if digest.event_date:
        parts.append(f"event {digest.event_date}")
    if first and last and first != last:
        parts.append(f"covered {first} to {last}")
    elif first and first != digest.event_date:
        parts.append(f"covered {first}")
    return "; ".join(parts) or "date unknown"


def _paragraphs(sentences: Sequence[SourcedSentence]) -> list[list[SourcedSentence]]:
    """The summary cut into paragraphs where the article it is taken from changes."""
    blocks: list[list[SourcedSentence]] = []
    for sentence in sentences:
        if not blocks or blocks[-1][-1].articles[:1] != sentence.articles[:1]:
            blocks.append([])
        blocks[-1].append(sentence)
    return blocks


def _source_label(source: Source) -> str:
    return " - ".join(x for x in (source.site, source.published, source.title) if x)


def _byline(digest: Digest) -> str:
    independent = len({s.copy_group or s.article for s in digest.sources})
    count = len(digest.sources)
    return (
        f"{count} article{'s' * (count != 1)} from {independent} "
        f"independent source{'s' * (independent != 1)}, {_span(digest)}"
    )


def render_markdown(story: Story) -> str:
    """The digest as Markdown; every sentence is followed by the numbers of its sources."""
    digest = _digest(story)
    numbers = _numbers(digest)
    lines = [f"# {_md(digest.headline) or '(no headline)'}", ""]
    lines.append(f"*{_md(_byline(digest))}; story {_md(story.id)}*")
    lines += ["", "## Summary", ""]
    if digest.summary_sentences:
        for block in _paragraphs(digest.summary_sentences):
            lines.append(" ".join(f"{_md(s.text)} {_cite(s.articles, numbers)}" for s in block))
            lines.append("")
        lines.pop()
    else:
        lines.append(_md(digest.summary) or "(no summary)")
    lines += ["", "## Sources", ""]
    for n, source in enumerate(digest.sources, start=1):
        where = _source_label(source)
        lines.append(
            f"{n}. `{source.article}`: {describe_source(source, numbers)}"
            + (f"; {_md(where)}" if where else "")
        )
    if digest.common:
        lines += ["", "## Reported by several sources", ""]
        lines += [f"- {_md(s.text)} {_cite(s.articles, numbers)}" for s in digest.common]
    additions = {k: v for k, v in digest.what_each_adds.items() if v}
    if additions:
        lines += ["", "## What each source adds"]
        for article, sentences in additions.items():
            lines += ["", f"### {_cite([article], numbers)} `{article}`", ""]
            lines += [f"- {_md(s.text)}" for s in sentences]
    if digest.quotes:
        lines += ["", "## Quotes", ""]
        for quote in digest.quotes:
            lines.append(f"> {_md(quote.text)}")
            lines.append(
                f"> -- {_md(quote.speaker or 'unattributed')} {_cite([quote.article], numbers)}"
            )
            lines.append("")
        lines.pop()
    entity_lines = [
        f"- {label}: {', '.join(_md(n) for n in digest.entities.get(kind, ()))}"
        for kind, label in _ENTITY_KINDS
        if digest.entities.get(kind)
    ]
    if entity_lines:
        lines += ["", "## People, places, organisations", "", *entity_lines]
    return "\n".join(lines) + "\n"


def _e(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _html_cite(articles: Sequence[str], numbers: Mapping[str, int]) -> str:
    links = [
        f'<a href="#src-{numbers[a]}" title="{_e(a)}">{numbers[a]}</a>' if a in numbers else _e(a)
        for a in articles
    ]
    return f'<sup class="src">[{", ".join(links)}]</sup>' if links else ""


def _sentence_list(items: Sequence[SourcedSentence], numbers: Mapping[str, int] | None) -> str:
    """A list of sentences, each cited (``numbers``) or not (all from the section's source)."""
    rows = "".join(
        f"<li>{_e(s.text)}{' ' + _html_cite(s.articles, numbers) if numbers else ''}</li>"
        for s in items
    )
    return f"<ul>{rows}</ul>"


_STYLE = (
    ":root{color-scheme:light}"
    "body{font:16px/1.55 Georgia,'Times New Roman',serif;max-width:46rem;margin:2rem auto;"
    "padding:0 1rem;color:#1d1d1f;background:#fff}"
    "h1{font:700 1.9rem/1.2 system-ui,sans-serif;margin:0 0 .4rem}"
    "h2{font:600 1.1rem/1.3 system-ui,sans-serif;margin:2rem 0 .6rem;padding-top:.6rem;"
    "border-top:1px solid #e5e5e5;text-transform:uppercase;letter-spacing:.04em;color:#444}"
    "h3{font:600 1rem system-ui,sans-serif;margin:1rem 0 .3rem}"
    ".meta{font:.9rem system-ui,sans-serif;color:#666;margin:0}"
    ".summary{font-size:1.08rem}"
    "sup.src{font:.7rem system-ui,sans-serif;color:#777;margin-left:.1rem}"
    "sup.src a{color:#2a6496;text-decoration:none}"
    "blockquote{margin:.8rem 0;padding:.2rem 0 .2rem 1rem;border-left:3px solid #c8c8c8}"
    "blockquote footer{font:.85rem system-ui,sans-serif;color:#555;margin-top:.2rem}"
    "ol.sources{font:.92rem/1.45 system-ui,sans-serif;padding-left:1.6rem}"
    "ol.sources li{margin:.3rem 0}.rel{color:#555}.id{font-family:monospace;font-size:.85em;"
    "color:#777;word-break:break-all}"
    "dl.entities{font:.95rem system-ui,sans-serif}dl.entities dt{font-weight:600;"
    "margin-top:.4rem}dl.entities dd{margin:0 0 0 1rem}"
)


def render_html(story: Story) -> str:
    """The digest as one self-contained HTML page (inline style, no scripts), all text escaped."""
    digest = _digest(story)
    numbers = _numbers(digest)
    summary = (
        "".join(
            '<p class="summary">'
            + " ".join(f"{_e(s.text)}{_html_cite(s.articles, numbers)}" for s in block)
            + "</p>"
            for block in _paragraphs(digest.summary_sentences)
        )
        or f'<p class="summary">{_e(digest.summary)}</p>'
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(digest.headline)}</title><style>{_STYLE}</style></head><body>",
        f'<article class="digest" data-story="{_e(story.id)}">',
        f"<h1>{_e(digest.headline)}</h1>",
        f'<p class="meta">{_e(_byline(digest))}</p>',
        "<h2>Summary</h2>",
        summary,
    ]
    if digest.common:
        parts += [
            "<h2>Reported by several sources</h2>",
            _sentence_list(digest.common, numbers),
        ]
    additions = {k: v for k, v in digest.what_each_adds.items() if v}
    if additions:
        parts.append("<h2>What each source adds</h2>")
        by_article = {source.article: source for source in digest.sources}
        for article, sentences in additions.items():
            number = numbers.get(article)
            source = by_article.get(article)
            name = (source.title or source.site) if source else None
            heading = f"{f'[{number}] ' if number else ''}{_e(name)}"
            parts += [
                f'<h3>{heading} <span class="id">{_e(article)}</span></h3>',
                _sentence_list(sentences, None),
            ]
    if digest.quotes:
        parts.append("<h2>Quotes</h2>")
        for quote in digest.quotes:
            parts.append(
                f"<blockquote><p>\u201c{_e(quote.text)}\u201d</p><footer>"
                f"{_e(quote.speaker or 'unattributed')} "
                f"{_html_cite([quote.article], numbers)}</footer></blockquote>"
            )
    entity_rows = [
        f"<dt>{label}</dt><dd>{_e(', '.join(digest.entities.get(kind, ())))}</dd>"
        for kind, label in _ENTITY_KINDS
        if digest.entities.get(kind)
    ]
    if entity_rows:
        parts += [
            "<h2>People, places, organisations</h2>",
            '<dl class="entities">',
            *entity_rows,
            "</dl>",
        ]
    parts += ["<h2>Sources</h2>", '<ol class="sources">']
    for n, source in enumerate(digest.sources, start=1):
        where = _source_label(source)
        parts.append(
            f'<li id="src-{n}"><span class="rel">{_e(describe_source(source, numbers))}</span>'
            + (f" \u2014 {_e(where)}" if where else "")
            + f' <span class="id">{_e(source.article)}</span></li>'
        )
    parts += ["</ol>", "</article>", "</body></html>"]
    return "\n".join(parts) + "\n"

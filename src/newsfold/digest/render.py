"""Render a story's digest as Markdown (for `newsfold show`) or as a self-contained HTML page."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from newsfold.errors import NewsfoldError
from newsfold.models import Digest, Source, SourcedSentence, Story

# Characters that Markdown would read as markup inside running text.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _digest(story: Story) -> Digest:
    if story.digest is None:
        raise NewsfoldError(f"story {story.id} has no digest yet; run the digest stage first")
    return story.digest


def describe_source(source: Source) -> str:
    """One line of plain text on where an article stands: original, copy of X, independent."""
    if source.relation == "copy":
        return f"copy of {source.of} ({source.cut} paragraphs cut, {source.added} added)"
    if source.relation == "original":
        return "original of its copy group"
    return source.relation


def _span(digest: Digest) -> str:
    if (
        digest.first_published
        and digest.last_published
        and digest.first_published != digest.last_published
    ):
        return f"{digest.first_published} to {digest.last_published}"
    return digest.first_published or "date unknown"


def _ids(sentence: SourcedSentence) -> str:
    return ", ".join(sentence.articles)


def render_markdown(story: Story) -> str:
    """The digest as Markdown; every sentence is followed by the ids of its articles."""
    digest = _digest(story)
    lines = [f"# {_md(digest.headline)}", ""]
    lines.append(f"*{len(digest.sources)} articles, {_md(_span(digest))}; story {_md(story.id)}*")
    lines += ["", "## Summary", "", _md(digest.summary) or "(no summary)", ""]
    lines += ["## Sources", ""]
    for source in digest.sources:
        where = " - ".join(_md(x) for x in (source.site, source.published, source.title) if x)
        lines.append(
            f"- `{source.article}`: {describe_source(source)}" + (f"; {where}" if where else "")
        )
    if digest.common:
        lines += ["", "## Reported by several sources", ""]
        lines += [f"- {_md(s.text)} ({_md(_ids(s))})" for s in digest.common]
    additions = {k: v for k, v in digest.what_each_adds.items() if v}
    if additions:
        lines += ["", "## What each source adds"]
        for article, sentences in additions.items():
            lines += ["", f"### {_md(article)}", ""]
            lines += [f"- {_md(s.text)}" for s in sentences]
    if digest.quotes:
        lines += ["", "## Quotes", ""]
        for quote in digest.quotes:
            lines.append(f"> {_md(quote.text)}")
            lines.append(f"> -- {_md(quote.speaker or 'unattributed')} ({_md(quote.article)})")
            lines.append("")
        lines.pop()
    entity_lines = [
        f"- {kind.capitalize()}: {', '.join(_md(n) for n in names)}"
        for kind, names in digest.entities.items()
        if names
    ]
    if entity_lines:
        lines += ["", "## Entities", "", *entity_lines]
    return "\n".join(lines) + "\n"


def _e(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def _sentence_list(items: Sequence[SourcedSentence]) -> str:
    rows = "".join(f'<li>{_e(s.text)} <span class="src">{_e(_ids(s))}</span></li>' for s in items)
    return f"<ul>{rows}</ul>"


_STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem;"
    "line-height:1.5;color:#222}.src{color:#777;font-size:.85em}blockquote{margin:.5rem 0;"
    "padding-left:1rem;border-left:3px solid #ccc}table{border-collapse:collapse}"
    "td,th{padding:.2rem .6rem;border-bottom:1px solid #eee;text-align:left}"
)


def render_html(story: Story) -> str:
    """The digest as one self-contained HTML page (inline style, no scripts), all text escaped."""
    digest = _digest(story)
    parts = [
        "<!DOCTYPE html>",
        '<html><head><meta charset="utf-8">',
        f"<title>{_e(digest.headline)}</title><style>{_STYLE}</style></head><body>",
        f'<article class="digest" data-story="{_e(story.id)}">',
        f"<h1>{_e(digest.headline)}</h1>",
        f'<p class="src">{len(digest.sources)} articles, {_e(_span(digest))}</p>',
        "<h2>Summary</h2>",
        f'<p class="summary">{_e(digest.summary)}</p>',
        "<h2>Sources</h2>",
        "<table><tr><th>article</th><th>relation</th><th>site</th><th>published</th><th>title</th></tr>",
    ]
    for source in digest.sources:
        parts.append(
            f"<tr><td>{_e(source.article)}</td><td>{_e(describe_source(source))}</td>"
            f"<td>{_e(source.site)}</td><td>{_e(source.published)}</td><td>{_e(source.title)}</td></tr>"
        )
    parts.append("</table>")
    if digest.common:
        parts += ["<h2>Reported by several sources</h2>", _sentence_list(digest.common)]
    additions = {k: v for k, v in digest.what_each_adds.items() if v}
    if additions:
        parts.append("<h2>What each source adds</h2>")
        for article, sentences in additions.items():
            parts += [f"<h3>{_e(article)}</h3>", _sentence_list(sentences)]
    if digest.quotes:
        parts.append("<h2>Quotes</h2>")
        for quote in digest.quotes:
            parts.append(
                f'<blockquote>{_e(quote.text)}<br><span class="src">{_e(quote.speaker or "unattributed")}'
                f" ({_e(quote.article)})</span></blockquote>"
            )
    entity_rows = [
        f"<li>{_e(kind.capitalize())}: {_e(', '.join(names))}</li>"
        for kind, names in digest.entities.items()
        if names
    ]
    if entity_rows:
        parts += ["<h2>Entities</h2>", "<ul>", *entity_rows, "</ul>"]
    parts += ["</article>", "</body></html>"]
    return "\n".join(parts) + "\n"

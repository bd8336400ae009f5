"""The digest stage: a consolidated account of one story, with every sentence sourced."""

from __future__ import annotations

from newsfold.digest.build import build_digest
from newsfold.digest.options import DigestOptions
from newsfold.digest.render import render_html, render_markdown

__all__ = ["DigestOptions", "build_digest", "render_html", "render_markdown"]

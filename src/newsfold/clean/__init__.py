"""The clean stage: a Page (flat text or HTML) -> an Article with the chrome gone."""

from __future__ import annotations

from newsfold.clean.article import NO_ARTICLE, clean_html, clean_page, clean_text
from newsfold.clean.evaluate import ShingleScore, average_scores, shingle_score
from newsfold.clean.options import CleanOptions
from newsfold.clean.site import SiteLines, SiteLineStats, line_key, page_line_keys

__all__ = [
    "NO_ARTICLE",
    "CleanOptions",
    "ShingleScore",
    "SiteLineStats",
    "SiteLines",
    "average_scores",
    "clean_html",
    "clean_page",
    "clean_text",
    "line_key",
    "page_line_keys",
    "shingle_score",
]

"""Settings of the clean stage (page -> article), validated on construction."""

from __future__ import annotations

from dataclasses import dataclass

from newsfold.errors import ConfigError


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """Parameters of :func:`newsfold.clean.clean_page`.

    The caps bound the work on hostile input (a 10 MB page, a page of one endless line): only
    the first ``max_lines`` lines of a flat page are considered, each line's features are read
    from its first ``max_line_chars`` characters, a body paragraph is cut at
    ``max_paragraph_chars`` and HTML beyond ``max_html_chars`` is not parsed.

    ``min_body_words`` is the least number of words in the main run of prose for the page to
    count as an article; below it the article comes out empty with ``reason="no article found"``
    (a cookie banner or a one-line teaser is not an article).

    ``site_min_pages`` and ``site_min_share``: with site statistics (``clean_page(...,
    site_stats=...)``), a line is the site's chrome when it stands on at least
    ``site_min_pages`` pages of the site and on at least ``site_min_share`` of them. Three
    pages, not two: two pages of a site may be two versions of one story.

    ``detect_language`` runs py3langid on the body to fill ``lang``; turn it off when the
    language is known or speed matters more.
    """

    max_lines: int = 20_000
    max_line_chars: int = 2_000
    max_paragraph_chars: int = 100_000
    max_html_chars: int = 5_000_000
    min_body_words: int = 25
    detect_language: bool = True
    site_min_pages: int = 3
    site_min_share: float = 0.5

    def __post_init__(self) -> None:
        positive = {
            "max_lines": self.max_lines,
            "max_line_chars": self.max_line_chars,
            "max_paragraph_chars": self.max_paragraph_chars,
            "max_html_chars": self.max_html_chars,
        }
        for name, value in positive.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError(f"CleanOptions.{name} must be a positive integer, got {value!r}")
        if self.max_line_chars < 80:
            raise ConfigError(
                f"CleanOptions.max_line_chars must be at least 80 to read a line, "
                f"got {self.max_line_chars}"
            )
        if (
            not isinstance(self.min_body_words, int)
            or isinstance(self.min_body_words, bool)
            or self.min_body_words < 0
        ):
            raise ConfigError(
                f"CleanOptions.min_body_words must be an integer >= 0, got {self.min_body_words!r}"
            )
        if (
            not isinstance(self.site_min_pages, int)
            or isinstance(self.site_min_pages, bool)
            or self.site_min_pages < 2
        ):
            raise ConfigError(
                "CleanOptions.site_min_pages must be an integer >= 2 (a line on one page is "
                f"not repeated), got {self.site_min_pages!r}"
            )
        if (
            not isinstance(self.site_min_share, (int, float))
            or isinstance(self.site_min_share, bool)
            or not 0.0 < self.site_min_share <= 1.0
        ):
            raise ConfigError(
                "CleanOptions.site_min_share must be a number in (0, 1], got "
                f"{self.site_min_share!r}"
            )
        if not isinstance(self.detect_language, bool):
            raise ConfigError(
                f"CleanOptions.detect_language must be True or False, got {self.detect_language!r}"
            )

"""Sentence compression for the summary: drop asides that carry no fact of the story.

Extractive summaries spend their word budget on whole sentences; an aside in parentheses, a
leading connective ("But", "However,") or a trailing attribution ("..., officials said.") costs
words a reader does not need. Removing them leaves room for one more fact within the budget.
"""

from __future__ import annotations

import re

# A short aside in parentheses or brackets inside a sentence: "(R-Calif.)", "(2nd L)", "[sic]".
_ASIDE = re.compile(r"\s+[(\[][^()\[\]]{1,60}[)\]](?=[\s,.;:!?]|$)")
# A connective opening a sentence: it links to a sentence the summary may not carry.
_CONNECTIVE = re.compile(
    r"^(?:But|And|So|Yet|Still|Also|However|Meanwhile|Moreover|Furthermore|Nonetheless|"
    r"Nevertheless|Instead|Indeed|Interestingly|Additionally|In addition|In fact|Of course|"
    r"At the same time|On the other hand|Separately)\b,?\s+(?=\S)"
)
# A trailing attribution after a statement that is not a quotation: "..., police said."
_ATTRIBUTION = re.compile(
    r",\s+(?:(?:he|she|they|it|officials|police|authorities|prosecutors|investigators|"
    r"witnesses|experts|researchers|sources)|(?:the\s+)?[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,3})"
    r"\s+(?:said|says|told\s+[A-Z][\w.'\-]*(?:\s+[A-Z][\w.'\-]*){0,3}|added|reported|reports)"
    r"(?:\s+on\s+[A-Z][a-z]+day|\s+[A-Z][a-z]+day)?\s*\.$"
)

COMPRESS_ASIDES = True
COMPRESS_CONNECTIVES = True
COMPRESS_ATTRIBUTION = True


def compress(sentence: str) -> str:
    """The sentence without its asides; unchanged when nothing can go or too little would stay."""
    text = sentence
    if COMPRESS_ASIDES:
        text = _ASIDE.sub("", text)
    if COMPRESS_CONNECTIVES:
        stripped = _CONNECTIVE.sub("", text, count=1)
        if stripped != text and stripped[:1].islower():
            stripped = stripped[:1].upper() + stripped[1:]
        text = stripped
    if COMPRESS_ATTRIBUTION and '"' not in text and "\u201d" not in text:
        text = _ATTRIBUTION.sub(".", text)
    if len(text.split()) < 4:
        return sentence
    return text

"""Bytes to text for the readers: BOMs, declared charsets, binary sniffing, the site of a URL.

Pure functions, no I/O. A page that cannot become text raises ``PageError`` with a stable
reason (``"binary"``, ``"invalid encoding"``, ``"empty"``) so that the reader can skip it.
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import urlsplit

from newsfold.errors import PageError

# Byte-order marks, longest first: a UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Sniffing looks at the start only: like git and file(1), a binary file shows itself early.
_SNIFF_BYTES = 8192
# Control characters that do occur in real text: tab, newline, form feed, carriage return, escape.
_TEXT_CONTROLS = frozenset({9, 10, 12, 13, 27})
_BINARY_CONTROLS = frozenset(range(32)) - _TEXT_CONTROLS | {127}
# Every other byte, to delete with bytes.translate: what remains is the odd controls, counted
# in C rather than in a Python loop.
_NOT_CONTROLS = bytes(byte for byte in range(256) if byte not in _BINARY_CONTROLS)
# Above this share of odd control bytes a NUL-free file is still not text (legacy binary formats).
_MAX_CONTROL_SHARE = 0.10

# The HTML standard's prescan reads the first 1024 bytes; pages in the wild put the meta tag
# after long comments or scripts, so look further (still bounded).
_META_SCAN_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)"""
    # XHTML may declare it in its XML declaration instead.
    rb"""|<\?xml[^>]*?encoding\s*=\s*["']\s*([A-Za-z0-9_.:\-]+)""",
    re.IGNORECASE,
)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)

# Labels whose everyday meaning (what browsers decode them as, per the WHATWG Encoding
# standard) is a superset of Python's codec of that name. Keys are ``codecs.lookup`` names.
_WHATWG_SUPERSETS = {
    "iso8859-1": "windows-1252",
    "ascii": "windows-1252",
    "cp1252": "windows-1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
}

# windows-1252 as browsers decode it: Python's cp1252 leaves five bytes undefined (0x81, 0x8D,
# 0x8F, 0x90, 0x9D) and fails on them; browsers map them to the C1 controls, as latin-1 does.
_CP1252_HIGH = {
    byte: chr(byte).encode("latin-1").decode("cp1252")
    for byte in range(0x80, 0xA0)
    if byte not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}


def site_of(url: str | None) -> str | None:
    """The host of ``url``, lower-case, without a leading ``www.``; None without a host.

    >>> site_of("https://WWW.Example.co.uk:8080/a?b")
    'example.co.uk'
    """
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:  # a malformed IPv6 literal, for one
        return None
    if not host:
        return None
    host = host.rstrip(".")
    host = host.removeprefix("www.")
    return host or None


def charset_of_content_type(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header value, if any."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def meta_charset(data: bytes) -> str | None:
    """The charset an HTML document declares in a ``<meta>`` tag near its start, if any."""
    match = _META_CHARSET.search(data[:_META_SCAN_BYTES])
    if match is None:
        return None
    label: bytes = match.group(1) or match.group(2)
    return label.decode("ascii")


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in an ASCII-compatible encoding (NULs, control bytes)."""
    if b"\x00" in data:
        return True
    sample = data[:_SNIFF_BYTES]
    if not sample:
        return False
    controls = len(sample.translate(None, _NOT_CONTROLS))
    return controls > _MAX_CONTROL_SHARE * len(sample)


def is_blank(text: str) -> bool:
    """True for an empty or whitespace-only string (without copying it, as strip() would)."""
    return not text or text.isspace()


def check_text(text: str) -> int:
    """Raise ``PageError`` for text that is empty, binary or not encodable; else its UTF-8 size.

    For text that arrives already decoded (JSONL strings): JSON escapes can carry NULs and lone
    surrogates, which no later stage (nor the JSONL output) can handle.
    """
    if is_blank(text):
        raise PageError("empty", "no text, or only whitespace")
    if "\x00" in text:
        raise PageError("binary", f"NUL character at position {text.index(chr(0))}")
    try:
        return len(text.encode("utf-8"))
    except UnicodeEncodeError as error:
        raise PageError(
            "invalid encoding", f"unpaired surrogate at character {error.start}"
        ) from None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode a plain-text page: BOM (UTF-8/16/32) first, then ``declared``, else strict UTF-8."""
    return _decode(data, declared, from_meta=False)


def decode_html(data: bytes, declared: str | None = None) -> str:
    """Decode an HTML page: BOM, then the HTTP ``declared`` charset, then ``<meta>``, else UTF-8.

    The order is the HTML standard's: a BOM beats the HTTP header, which beats the document's
    own declaration.
    """
    if _bom(data) is not None or declared:
        return _decode(data, declared, from_meta=False)
    return _decode(data, meta_charset(data), from_meta=True)


def _bom(data: bytes) -> tuple[bytes, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return bom, encoding
    return None


def _is_wide(encoding: str) -> bool:
    return encoding.startswith(("utf-16", "utf-32", "utf_16", "utf_32"))


def _codec_for(label: str | None, *, from_meta: bool) -> tuple[str, str]:
    """The codec to use for a declared label, and a note for error messages."""
    if not label:
        return "utf-8", "no declared charset, tried UTF-8"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return "utf-8", f"unknown charset {label!r}, tried UTF-8"
    # A document cannot declare UTF-16 from inside itself: the bytes that spell <meta> would
    # not be ASCII. Browsers read such pages as UTF-8, and so do we.
    if from_meta and name.startswith("utf-16"):
        return "utf-8", f"charset {label!r} declared in <meta>, read as UTF-8"
    return _WHATWG_SUPERSETS.get(name, name), f"declared charset {label!r}"


def _decode(data: bytes, declared: str | None, *, from_meta: bool) -> str:
    bom = _bom(data)
    if bom is not None:
        marker, encoding = bom
        body, offset, note = data[len(marker) :], len(marker), f"{encoding} byte-order mark"
    else:
        encoding, note = _codec_for(declared, from_meta=from_meta)
        # UTF-16 and UTF-32 text is full of NUL bytes; it is checked after decoding instead.
        if not _is_wide(encoding) and looks_binary(data):
            raise PageError("binary", "NUL or control bytes: not a text file")
        body, offset = data, 0
    try:
        if encoding == "windows-1252":
            text = body.decode("latin-1").translate(_CP1252_HIGH)
        else:
            text = body.decode(encoding)
    except UnicodeDecodeError as error:
        raise PageError(
            "invalid encoding", f"byte offset {offset + error.start}: {error.reason} ({note})"
        ) from None
    if (bom is not None or _is_wide(encoding)) and "\x00" in text:
        raise PageError("binary", f"NUL characters in {encoding} text")
    if is_blank(text):
        raise PageError("empty", "no text, or only whitespace")
    return text

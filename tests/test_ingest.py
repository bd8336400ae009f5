"""Readers: folders, JSONL, WARC and stdin to Pages, and every kind of bad input to one Skip."""

from __future__ import annotations

import gzip
import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import FIXTURES, SEED_IDS, SEEDS
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfold.errors import ConfigError, InputError
from newsfold.ingest import IngestOptions, check_inputs, read_inputs
from newsfold.ingest.decode import site_of
from newsfold.models import Page, Skip

REAL_PAGE = "ba07d1e64775f4090e39116c382111f5a2cfe9528dd179673f4e9bfcea370c15"  # see ORIGIN.md
REAL_HTML_GZ = FIXTURES / "ingest" / f"{REAL_PAGE}.html.gz"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def seed_text(index: int) -> str:
    return (SEEDS / SEED_IDS[index]).read_text(encoding="utf-8")


def real_html() -> str:
    return gzip.decompress(REAL_HTML_GZ.read_bytes()).decode("utf-8")


def pages(items: list[Page | Skip]) -> list[Page]:
    return [item for item in items if isinstance(item, Page)]


def skips(items: list[Page | Skip]) -> list[Skip]:
    return [item for item in items if isinstance(item, Skip)]


@dataclass(frozen=True)
class Rec:
    """One record to write into a test WARC."""

    kind: str  # "response", "request", "resource", "warcinfo"
    url: str = ""
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"


def write_warc(path: Path, records: list[Rec], *, gz: bool) -> list[str]:
    """Write records with warcio; returns the WARC-Record-ID of each (without brackets).

    Lengths are given so that warcio does not buffer payloads in temporary files (which it
    leaves unclosed: a ResourceWarning, an error under this project's pytest settings).
    """
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gz)
    ids = []
    for rec in records:
        if rec.kind == "warcinfo":
            record = writer.create_warcinfo_record(path.name, {"software": "test"})
        elif rec.kind == "request":
            headers = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "example.com")], is_http_request=True
            )
            record = writer.create_warc_record(
                rec.url, "request", payload=io.BytesIO(b""), length=0, http_headers=headers
            )
        elif rec.kind == "resource":
            record = writer.create_warc_record(
                rec.url,
                "resource",
                payload=io.BytesIO(rec.body),
                length=len(rec.body),
                warc_content_type=rec.content_type,
            )
        else:
            headers = StatusAndHeaders(
                rec.status, [("Content-Type", rec.content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                rec.url,
                "response",
                payload=io.BytesIO(rec.body),
                length=len(rec.body),
                http_headers=headers,
            )
        writer.write_record(record)
        ids.append(record.rec_headers.get_header("WARC-Record-ID").strip("<>"))
    path.write_bytes(buffer.getvalue())
    return ids


def record_offsets(path: Path) -> list[int]:
    with open(path, "rb") as handle:
        iterator = ArchiveIterator(handle)
        return [iterator.get_record_offset() for _ in iterator]


def html_page(title: str, body: str) -> bytes:
    return f"<html><head><title>{title}</title></head><body><p>{body}</p></body></html>".encode()


# -- good input ------------------------------------------------------------------------------


def test_folder_gives_pages_with_file_name_ids_in_sorted_order(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / ".git").mkdir()
    for name in reversed(SEED_IDS):
        shutil.copy(SEEDS / name, folder / name)
    (folder / "page.html").write_text(real_html(), encoding="utf-8")
    (folder / "sub" / "b.htm").write_bytes(html_page("B", "Second page body."))
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (folder / ".git" / "config").write_text("[core]\n")
    (folder / "notes.pdf").write_bytes(b"%PDF-1.4\n")

    items = list(read_inputs([folder]))

    got = pages(items)
    assert [p.id for p in got] == [*SEED_IDS, "page.html", "b.htm"]
    for index, page in enumerate(got[:3]):
        assert page.text == seed_text(index) and page.html is None
        assert page.origin == str(folder / SEED_IDS[index])
    assert got[3].html == real_html() and got[3].text is None
    assert "Köln" in (got[3].html or "")
    assert [(s.id, s.reason) for s in skips(items)] == [("notes.pdf", "unsupported file type")]


def test_same_file_name_in_two_folders_gets_relative_path_ids(tmp_path: Path) -> None:
    for site in ("afp", "reuters"):
        (tmp_path / site).mkdir()
        shutil.copy(SEEDS / SEED_IDS[0], tmp_path / site / "story.txt")
    shutil.copy(SEEDS / SEED_IDS[2], tmp_path / "other.txt")
    ids = [item.id for item in read_inputs([tmp_path])]
    assert ids == ["afp/story.txt", "other.txt", "reuters/story.txt"]


def test_linked_folders_are_followed_once_and_a_link_cycle_ends(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    for name in SEED_IDS[1:]:
        shutil.copy(SEEDS / name, outside / name)
    tree = tmp_path / "tree"
    (tree / "real").mkdir(parents=True)
    (tree / "a").mkdir()
    shutil.copy(SEEDS / SEED_IDS[0], tree / "real" / SEED_IDS[0])
    (tree / "real" / "loop").symlink_to(tree / "real")  # a cycle
    (tree / "zlink").symlink_to(tree / "real")  # the same folder again
    (tree / "a" / "elsewhere").symlink_to(outside)

    items = list(read_inputs([tree]))

    assert not skips(items)
    assert [p.id for p in items] == [SEED_IDS[1], SEED_IDS[2], SEED_IDS[0]]
    assert items[0].origin == str(tree / "a" / "elsewhere" / SEED_IDS[1])
    assert items[2].origin == str(tree / "real" / SEED_IDS[0])


def test_jsonl_records_with_text_or_html_and_metadata(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    lines = [
        {
            "id": "a",
            "text": seed_text(0),
            "url": "https://www.Example.com/news/1",
            "fetched_at": "2019-04-25T10:00:00Z",
        },
        {"id": 7, "html": real_html(), "site": "given.org", "url": "https://blog.comwrap.com/x"},
        {"id": "c", "text": seed_text(2)},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n\n", encoding="utf-8")

    items = list(read_inputs([path]))

    assert not skips(items)
    a, seven, c = pages(items)
    assert (a.id, a.text, a.html, a.site) == ("a", seed_text(0), None, "example.com")
    assert a.url == "https://www.Example.com/news/1" and a.fetched_at == "2019-04-25T10:00:00Z"
    assert a.origin == f"{path}:1"
    assert (seven.id, seven.text, seven.html, seven.site) == ("7", None, real_html(), "given.org")
    assert (c.id, c.site, c.url, c.origin) == ("c", None, None, f"{path}:3")


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_stdin_reads_jsonl(gz: bool) -> None:
    data = "".join(
        json.dumps({"id": name, "text": seed_text(i)}) + "\n" for i, name in enumerate(SEED_IDS)
    ).encode()
    stream = io.BytesIO(gzip.compress(data) if gz else data)

    items = list(read_inputs(["-"], stdin=stream))

    assert [p.id for p in pages(items)] == list(SEED_IDS)
    assert [p.text for p in pages(items)] == [seed_text(i) for i in range(3)]
    assert items[1].origin == "<stdin>:2"
    assert not stream.closed  # the caller's stream is the caller's to close


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
def test_warc_gives_html_responses_with_record_ids(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    html = real_html().encode()
    ids = write_warc(
        path,
        [
            Rec("warcinfo"),
            Rec("request", "https://blog.comwrap.com/comwrap-auf-der-dmexco-2018"),
            Rec("response", "https://blog.comwrap.com/comwrap-auf-der-dmexco-2018", html),
            Rec("response", "https://www.example.com/logo.png", PNG, "image/png"),
            Rec("response", "http://WWW.Example.com/b", html_page("B", "Body b."), "text/html"),
        ],
        gz=gz,
    )

    items = list(read_inputs([path]))

    assert not skips(items)
    first, second = pages(items)
    assert (first.id, second.id) == (ids[2], ids[4])
    assert first.id.startswith("urn:uuid:")
    assert first.url == "https://blog.comwrap.com/comwrap-auf-der-dmexco-2018"
    assert (first.site, second.site) == ("blog.comwrap.com", "example.com")
    assert first.html == real_html() and first.text is None
    assert second.html == html_page("B", "Body b.").decode()
    assert first.fetched_at and first.fetched_at.startswith("20")
    offsets = record_offsets(path)
    assert (first.origin, second.origin) == (f"{path}#{offsets[2]}", f"{path}#{offsets[4]}")

    counted = list(read_inputs([path], IngestOptions(report_non_pages=True)))
    assert [(s.id, s.reason) for s in skips(counted)] == [(ids[3], "not a page")]


def test_warc_resource_records_redirects_and_plain_text(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc.gz"
    ids = write_warc(
        path,
        [
            Rec("response", "http://a.com/moved", b"<html>Moved</html>", status="301 Moved"),
            Rec(
                "response",
                "http://a.com/missing",
                b"<html>Not found</html>",
                status="404 Not Found",
            ),
            Rec("resource", "file:///x.txt", seed_text(1).encode(), "text/plain; charset=utf-8"),
            Rec("response", "http://a.com/t", seed_text(0).encode(), "text/plain"),
        ],
        gz=True,
    )
    items = list(read_inputs([path]))
    assert [(p.id, p.text is not None) for p in pages(items)] == [(ids[2], True), (ids[3], True)]
    assert pages(items)[0].text == seed_text(1) and pages(items)[1].text == seed_text(0)
    assert not skips(items)


def test_gzipped_page_and_jsonl_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(seed_text(0).encode()))
    (tmp_path / "b.html.gz").write_bytes(REAL_HTML_GZ.read_bytes())
    record = json.dumps({"id": "c", "text": seed_text(2)}) + "\n"
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress(record.encode()))

    got = pages(list(read_inputs([tmp_path])))

    assert [p.id for p in got] == ["a.txt.gz", "b.html.gz", "c"]
    assert (got[0].text, got[1].html, got[2].text) == (seed_text(0), real_html(), seed_text(2))


def test_byte_order_marks_and_declared_charsets(tmp_path: Path) -> None:
    text = seed_text(2)
    (tmp_path / "bom8.txt").write_bytes(b"\xef\xbb\xbf" + text.encode())
    (tmp_path / "bom16.txt").write_bytes(text.encode("utf-16"))  # with its BOM
    legacy = real_html().replace('charset="utf-8"', 'charset="windows-1252"')
    (tmp_path / "legacy.html").write_bytes(legacy.encode("cp1252", "xmlcharrefreplace"))
    warc = tmp_path / "legacy.warc"
    # The HTTP header beats the page's own <meta charset="utf-8">, as in a browser; browsers
    # read "iso-8859-1" as windows-1252, which has the en dash and typographic quotes.
    legacy_body = real_html().encode("cp1252", "xmlcharrefreplace")
    wide_body = html_page("Wide", "Köln – UTF-16 without a byte-order mark").decode()
    write_warc(
        warc,
        [
            Rec("response", "http://x.de/", legacy_body, "text/html; charset=ISO-8859-1"),
            Rec(
                "response",
                "http://y.de/",
                wide_body.encode("utf-16-le"),
                "text/html; charset=utf-16le",
            ),
        ],
        gz=False,
    )

    xhtml = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<html><body><p>Café crème</p></body></html>'
    )
    (tmp_path / "old.xhtml").write_bytes(xhtml.encode("latin-1"))

    got = {p.id: p for p in pages(list(read_inputs([tmp_path])))}

    assert "Café crème" in (got["old.xhtml"].html or "")

    assert got["bom8.txt"].text == text and got["bom16.txt"].text == text
    legacy_html = got["legacy.html"].html or ""
    assert "Köln – und" in legacy_html and "„" in legacy_html
    by_url = {p.url: p for p in got.values()}
    warc_html = by_url["http://x.de/"].html or ""
    assert "Köln – und" in warc_html and "größter" in warc_html
    assert by_url["http://y.de/"].html == wide_body


def test_a_file_name_that_is_not_utf8_gives_a_writable_id(tmp_path: Path) -> None:
    (tmp_path / os.fsdecode(b"caf\xe9.txt")).write_text(seed_text(0), encoding="utf-8")
    (page,) = list(read_inputs([tmp_path]))
    assert isinstance(page, Page) and page.id == "caf\ufffd.txt"
    json.dumps(page.to_dict(), ensure_ascii=False).encode("utf-8")  # no lone surrogates


# -- bad input -------------------------------------------------------------------------------


def test_bad_page_files_are_skipped_and_the_good_ones_read(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in SEED_IDS:
        shutil.copy(SEEDS / name, folder / name)
    limit = max(len((SEEDS / name).read_bytes()) for name in SEED_IDS) + 10
    (folder / "a-empty.txt").write_bytes(b"")
    (folder / "b-blank.html").write_text(" \n\t\n")
    (folder / "c-binary.txt").write_bytes(PNG + bytes(range(256)))
    (folder / "d-latin1.txt").write_bytes("Caf\xe9 cr\xe8me.\n".encode("latin-1"))
    (folder / "e-huge.txt").write_bytes(b"word " * (limit // 5 + 1))
    (folder / "f-huge.html.gz").write_bytes(gzip.compress(b"<p>word</p>" * (limit // 11 + 1)))
    (folder / "g-cut.txt.gz").write_bytes(gzip.compress(seed_text(0).encode())[:-30])
    (folder / "h-dangling.txt").symlink_to(tmp_path / "gone.txt")

    items = list(read_inputs([folder], IngestOptions(max_page_bytes=limit)))

    assert [p.id for p in pages(items)] == list(SEED_IDS)
    reasons = {s.id: s.reason for s in skips(items)}
    assert reasons == {
        "a-empty.txt": "empty",
        "b-blank.html": "empty",
        "c-binary.txt": "binary",
        "d-latin1.txt": "invalid encoding",
        "e-huge.txt": "too large",
        "f-huge.html.gz": "too large",
        "g-cut.txt.gz": "unreadable",
        "h-dangling.txt": "unreadable",
    }
    latin1 = next(s for s in skips(items) if s.id == "d-latin1.txt")
    assert latin1.origin == str(folder / "d-latin1.txt") and "byte offset 3" in latin1.detail


def test_bad_jsonl_lines_are_skipped_and_the_lines_after_them_read(tmp_path: Path) -> None:
    limit = 50_000
    lines = [
        json.dumps({"id": "good-1", "text": seed_text(0)}),
        '{"id": "broken", "text": "no closing quote}',
        json.dumps({"text": seed_text(1)}),
        json.dumps({"id": None, "text": seed_text(1)}),
        json.dumps({"id": "no-text", "title": "x"}),
        json.dumps({"id": "number-text", "text": 5}),
        json.dumps({"id": "blank", "text": "  \n "}),
        json.dumps({"id": "nul", "text": "a\x00b"}),
        json.dumps({"id": "big", "text": "word " * (limit // 5 + 1)}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"id": "good-1", "text": seed_text(2)}),
        json.dumps({"id": "good-2", "text": "", "html": real_html()}),
    ]
    path = tmp_path / "records.jsonl"
    with open(path, "wb") as handle:
        handle.write("\n".join(lines).encode() + b"\n")
        handle.write(b'{"id": "bad-bytes", "text": "caf\xe9"}\n')
        handle.write(json.dumps({"id": "good-3", "text": seed_text(2)}).encode() + b"\n")

    items = list(read_inputs([path], IngestOptions(max_page_bytes=limit)))

    assert [(p.id, p.origin) for p in pages(items)] == [
        ("good-1", f"{path}:1"),
        ("good-2", f"{path}:12"),
        ("good-3", f"{path}:14"),
    ]
    assert [(s.origin.rsplit(":", 1)[1], s.reason) for s in skips(items)] == [
        ("2", "malformed json"),
        ("3", "missing id"),
        ("4", "missing id"),
        ("5", "missing text"),
        ("6", "missing text"),
        ("7", "empty"),
        ("8", "binary"),
        ("9", "too large"),
        ("10", "malformed json"),
        ("11", "duplicate id"),
        ("13", "invalid encoding"),
    ]
    duplicate = skips(items)[9]
    assert duplicate.id == "good-1" and duplicate.detail == f"first read from {path}:1"


def test_a_jsonl_line_far_over_the_limit_is_skipped_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    limit = 1000
    path.write_text(
        json.dumps({"id": "huge", "text": "x" * 20 * limit})
        + "\n"
        + json.dumps({"id": "ok", "text": "A short page. " * 50})
        + "\n"
    )
    items = list(read_inputs([path], IngestOptions(max_page_bytes=limit)))
    assert [(s.origin, s.reason) for s in skips(items)] == [(f"{path}:1", "too large")]
    assert [p.id for p in pages(items)] == ["ok"]


@pytest.mark.parametrize("gz", [False, True], ids=["warc", "warc.gz"])
@pytest.mark.parametrize("where", ["header", "payload", "end"])
def test_truncated_warc_keeps_the_records_before_the_cut(
    tmp_path: Path, gz: bool, where: str
) -> None:
    full = tmp_path / "full.warc"
    bodies = [html_page(f"T{n}", seed_text(n)) for n in range(3)]
    ids = write_warc(
        full, [Rec("response", f"http://a.com/{n}", body) for n, body in enumerate(bodies)], gz=gz
    )
    data = full.read_bytes()
    third = record_offsets(full)[2]
    cut = {"header": third + 30, "payload": third + (len(data) - third) // 2, "end": len(data) - 40}
    path = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    path.write_bytes(data[: cut[where]])

    items = list(read_inputs([path, SEEDS / SEED_IDS[0]]))

    got = pages(items)
    assert [p.id for p in got[:2]] == ids[:2]
    assert [p.html for p in got[:2]] == [body.decode() for body in bodies[:2]]
    assert got[-1].id == SEED_IDS[0]  # the next input is still read
    assert [s.reason for s in skips(items)] == ["truncated warc"]
    assert skips(items)[0].origin.startswith(f"{path}#")


def test_whole_file_gzipped_warc_is_read_whole(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    bodies = [html_page(f"T{n}", seed_text(n)) for n in range(3)]
    ids = write_warc(
        plain,
        [Rec("response", f"http://a.com/{n}", body) for n, body in enumerate(bodies)],
        gz=False,
    )
    whole = tmp_path / "whole.warc.gz"  # as `gzip crawl.warc` makes it: one gzip stream
    whole.write_bytes(gzip.compress(plain.read_bytes()))

    items = list(read_inputs([whole]))

    assert not skips(items)
    assert [(p.id, p.html) for p in pages(items)] == list(zip(ids, [b.decode() for b in bodies]))


def test_arc_files_name_pages_by_url(tmp_path: Path) -> None:
    # ARC v1 as the Internet Archive wrote it before WARC: a filedesc record, then one line of
    # "url ip date content-type length" before each HTTP response.
    info = b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n"
    data = b"filedesc://t.arc 0.0.0.0 20190425000000 text/plain %d\n%s\n" % (len(info), info)
    for n in range(2):
        body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + html_page(f"T{n}", "Text.")
        line = b"http://www.example.com/%d 93.184.216.34 20190425101500 text/html %d\n"
        data += line % (n, len(body)) + body + b"\n"
    (tmp_path / "old.arc").write_bytes(data)

    got = pages(list(read_inputs([tmp_path / "old.arc"])))

    assert [(p.id, p.site, p.fetched_at) for p in got] == [
        (f"http://www.example.com/{n}", "example.com", "2019-04-25T10:15:00Z") for n in range(2)
    ]
    assert got[1].html == html_page("T1", "Text.").decode()


def test_not_a_warc_and_an_empty_warc(tmp_path: Path) -> None:
    (tmp_path / "a.warc").write_text("this is not a web archive\n" * 3)
    (tmp_path / "b.warc.gz").write_bytes(b"")
    (tmp_path / "c.txt").write_text(seed_text(0))
    items = list(read_inputs([tmp_path]))
    assert [(s.origin, s.reason) for s in skips(items)] == [
        (f"{tmp_path / 'a.warc'}#0", "malformed warc"),
        (str(tmp_path / "b.warc.gz"), "empty"),
    ]
    assert [p.id for p in pages(items)] == ["c.txt"]


def test_warc_record_over_the_limit_is_skipped_and_the_next_read(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    ids = write_warc(
        path,
        [
            Rec("response", "http://a.com/big", html_page("Big", "word " * 2000)),
            Rec("response", "http://a.com/small", html_page("Small", "Short body.")),
        ],
        gz=True,
    )
    items = list(read_inputs([path], IngestOptions(max_page_bytes=2000)))
    assert [(s.id, s.reason) for s in skips(items)] == [(ids[0], "too large")]
    assert [p.id for p in pages(items)] == [ids[1]]


def test_duplicate_ids_across_inputs_keep_the_first(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(SEEDS / SEED_IDS[0], folder / SEED_IDS[0])
    items = list(read_inputs([folder, SEEDS / SEED_IDS[0], SEEDS / SEED_IDS[1]]))
    assert [p.id for p in pages(items)] == [SEED_IDS[0], SEED_IDS[1]]
    (duplicate,) = skips(items)
    assert (duplicate.id, duplicate.reason) == (SEED_IDS[0], "duplicate id")
    assert duplicate.origin == str(SEEDS / SEED_IDS[0])
    assert str(folder / SEED_IDS[0]) in duplicate.detail


# -- inputs that cannot be read at all -------------------------------------------------------


def test_missing_path_raises_before_anything_is_read(tmp_path: Path) -> None:
    good = SEEDS / SEED_IDS[0]
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError, match="no such file or directory: .*nope.txt"):
        check_inputs([good, missing])
    with pytest.raises(InputError, match="no such file or directory"):
        read_inputs([good, missing])  # on the call, not on the first next()
    (tmp_path / "empty-folder" / ".hidden").mkdir(parents=True)
    with pytest.raises(InputError, match="no files in directory"):
        check_inputs([tmp_path / "empty-folder"])
    with pytest.raises(InputError, match="no input given"):
        check_inputs([])
    check_inputs(["-", good, SEEDS])  # all readable: no error


def test_one_path_on_its_own_is_one_input() -> None:
    assert [p.id for p in pages(list(read_inputs(str(SEEDS / SEED_IDS[1]))))] == [SEED_IDS[1]]


@pytest.mark.parametrize("value", [0, -1, True, 1.5, "10"])
def test_options_reject_a_bad_page_limit(value: object) -> None:
    with pytest.raises(ConfigError, match="max_page_bytes"):
        IngestOptions(max_page_bytes=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.Example.com/a", "example.com"),
        ("http://news.bbc.co.uk:8080/x?y=1", "news.bbc.co.uk"),
        ("https://www.example.com./", "example.com"),
        ("not a url", None),
        ("http://[::1", None),
        (None, None),
    ],
)
def test_site_is_the_host_without_www(url: str | None, site: str | None) -> None:
    assert site_of(url) == site


def test_unreadable_file_is_skipped(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    path = tmp_path / "locked.txt"
    path.write_text(seed_text(0))
    path.chmod(0)
    try:
        (skip,) = list(read_inputs([path]))
    finally:
        path.chmod(0o644)
    assert isinstance(skip, Skip) and skip.reason == "unreadable"

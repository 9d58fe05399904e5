"""Reading HTML responses out of WARC and WARC.gz archives, and naming damaged ones."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import zlib
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsetl.errors import NewsetlError
from newsetl.extract.warc import (
    WarcError,
    WarcPage,
    WarcStats,
    iter_html_responses,
    iter_responses,
    read_record,
    whole_records_end,
)

FETCHED = dt.datetime(2024, 11, 7, 9, 30, 15, tzinfo=dt.UTC)
PAGE = b"<!DOCTYPE html><html><head><title>%s</title></head><body><p>%s</p></body></html>"


def _record_id(number: int) -> str:
    return f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>"


def _chunked(data: bytes, size: int = 7) -> bytes:
    pieces = [data[i:i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def _page(name: str) -> bytes:
    return PAGE % (name.encode(), f"The text of {name}.".encode())


# (url, status line, headers, payload on the wire) of each response, in file order
RESPONSES = [
    ("https://news.example/a", "200 OK", [("Content-Type", "text/html; charset=utf-8")],
     _page("a")),
    ("https://news.example/b", "200 OK",
     [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], gzip.compress(_page("b"))),
    ("https://news.example/c", "200 OK",
     [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
      ("Transfer-Encoding", "chunked")], _chunked(gzip.compress(_page("c")))),
    ("https://news.example/logo.png", "200 OK", [("Content-Type", "image/png")],
     b"\x89PNG\r\n\x1a\n" + bytes(200)),
    ("https://news.example/gone", "404 Not Found", [("Content-Type", "text/html")],
     _page("not found")),
    ("https://news.example/d", "200 OK",
     [("Content-Type", "application/xhtml+xml"), ("Content-Encoding", "deflate"),
      ("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")], zlib.compress(_page("d"))),
    ("https://news.example/e", "200 OK", [("Server", "old")], b"\n  " + _page("e")),
    ("https://news.example/blob", "200 OK", [("Server", "old")], b"\x00\x01binary"),
    ("https://news.example/moved", "301 Moved Permanently",
     [("Location", "https://news.example/a")], b""),
]


def build_warc(compress: bool) -> bytes:
    """A CC-NEWS-like archive: warcinfo, then request + response pairs, a revisit and a
    metadata record among them."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    date = {"WARC-Date": "2024-11-07T09:30:15Z"}
    writer.write_record(writer.create_warcinfo_record("CC-NEWS-test.warc.gz", {
        "software": "test", "format": "WARC File Format 1.0"}))
    for number, (url, status, headers, payload) in enumerate(RESPONSES, start=1):
        request = writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"GET /{number} HTTP/1.1", [("Host", "news.example")],
                                          is_http_request=True),
            warc_headers_dict={**date, "WARC-Record-ID": _record_id(100 + number)})
        response = writer.create_warc_record(
            url, "response", payload=io.BytesIO(payload), length=len(payload),
            http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
            warc_headers_dict={**date, "WARC-Record-ID": _record_id(number)})
        writer.write_record(request)
        writer.write_record(response)
        if number == 3:
            revisit = writer.create_revisit_record(
                "https://news.example/a", "sha1:AAAA", "https://news.example/a",
                "2024-11-06T09:00:00Z",
                http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                              protocol="HTTP/1.1"),
                warc_headers_dict={**date, "WARC-Record-ID": _record_id(200)})
            metadata = writer.create_warc_record(
                "https://news.example/a", "metadata", payload=io.BytesIO(b"fetchTimeMs: 12\r\n"),
                warc_content_type="application/warc-fields",
                warc_headers_dict={**date, "WARC-Record-ID": _record_id(201)})
            writer.write_record(revisit)
            writer.write_record(metadata)
    return out.getvalue()


def _view(page: WarcPage) -> tuple:
    """Everything of a page but where it lies in the file."""
    return page.url, page.fetched_at, page.status, page.headers, page.content, page.record_id


EXPECTED = [
    ("https://news.example/a", FETCHED, 200, {"content-type": "text/html; charset=utf-8"},
     _page("a"), _record_id(1)),
    ("https://news.example/b", FETCHED, 200,
     {"content-type": "text/html", "content-encoding": "gzip"}, _page("b"), _record_id(2)),
    ("https://news.example/c", FETCHED, 200,
     {"content-type": "text/html", "content-encoding": "gzip", "transfer-encoding": "chunked"},
     _page("c"), _record_id(3)),
    ("https://news.example/d", FETCHED, 200,
     {"content-type": "application/xhtml+xml", "content-encoding": "deflate",
      "set-cookie": "a=1, b=2"}, _page("d"), _record_id(6)),
    ("https://news.example/e", FETCHED, 200, {"server": "old"}, b"\n  " + _page("e"),
     _record_id(7)),
]

ARCHIVES = {"warc.gz": build_warc(compress=True), "warc": build_warc(compress=False)}
KINDS = pytest.mark.parametrize("kind", list(ARCHIVES))


@KINDS
def test_html_responses_are_yielded_decoded_and_the_rest_counted(kind: str) -> None:
    stats = WarcStats()
    pages = list(iter_html_responses(io.BytesIO(ARCHIVES[kind]), kind, stats))
    assert [_view(page) for page in pages] == EXPECTED
    assert stats == WarcStats(yielded=5, skipped=Counter(
        {"request": 9, "non-200": 2, "non-HTML": 2, "warcinfo": 1, "revisit": 1, "metadata": 1}))
    assert stats.summary() == (
        "16 records skipped (9 request, 2 non-HTML, 2 non-200, 1 warcinfo, 1 revisit, "
        "1 metadata)")


@KINDS
def test_every_page_can_be_read_again_at_its_offset(kind: str) -> None:
    stream = io.BytesIO(ARCHIVES[kind])
    pages = list(iter_html_responses(stream, kind))
    assert [read_record(stream, page.offset, kind) for page in reversed(pages)] == pages[::-1]


def test_offsets_and_lengths_delimit_one_gzip_member_each() -> None:
    data = ARCHIVES["warc.gz"]
    for page in iter_html_responses(io.BytesIO(data), "x"):
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        record = inflater.decompress(data[page.offset:page.offset + page.length])
        assert (inflater.eof, inflater.unused_data) == (True, b"")  # one whole member
        assert record.startswith(b"WARC/1.0\r\n")
        assert b"WARC-Type: response\r\n" in record
        assert f"WARC-Record-ID: {page.record_id}\r\n".encode() in record


def test_offsets_and_lengths_delimit_each_record_of_an_uncompressed_warc() -> None:
    data = ARCHIVES["warc"]
    for page in iter_html_responses(io.BytesIO(data), "x"):
        record = data[page.offset:page.offset + page.length]
        assert record.startswith(b"WARC/1.0\r\n")
        assert f"WARC-Record-ID: {page.record_id}\r\n".encode() in record
        assert data[page.offset + page.length:].startswith(b"\r\n\r\n")


def test_a_generic_reader_takes_any_media_type_it_accepts() -> None:
    stats = WarcStats()
    pages = iter_responses(io.BytesIO(ARCHIVES["warc.gz"]), "x",
                           lambda media_type, headers: media_type.startswith("image/"), stats)
    assert [page.url for page in pages] == ["https://news.example/logo.png"]
    assert stats.skipped["not accepted"] == 6


def test_a_payload_without_content_type_is_sniffed() -> None:
    seen: list[tuple[str, str]] = []

    def accept(media_type: str, headers: dict[str, str]) -> bool:
        seen.append((media_type, headers.get("server", "")))
        return False

    list(iter_responses(io.BytesIO(ARCHIVES["warc"]), "x", accept))
    assert seen == [("text/html", ""), ("text/html", ""), ("text/html", ""), ("image/png", ""),
                    ("application/xhtml+xml", ""), ("text/html", "old"), ("", "old")]


def test_a_payload_over_the_cap_is_skipped_not_read_into_memory() -> None:
    stats = WarcStats()
    pages = list(iter_html_responses(io.BytesIO(ARCHIVES["warc.gz"]), "x", stats, max_bytes=50))
    assert pages == []
    assert stats.skipped["too large"] == 5


def test_a_gzip_bomb_payload_stops_at_the_cap() -> None:
    bomb = gzip.compress(b"<html>" + b" " * 50_000_000)  # 50 MB inflated, 50 kB on disk
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    writer.write_record(writer.create_warc_record(
        "https://news.example/bomb", "response", payload=io.BytesIO(bomb), length=len(bomb),
        http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html"),
                                                 ("Content-Encoding", "gzip")], "HTTP/1.1")))
    stats = WarcStats()
    assert list(iter_html_responses(io.BytesIO(out.getvalue()), "x", stats,
                                    max_bytes=1_000_000)) == []
    assert stats.skipped == Counter({"too large": 1})


@pytest.mark.parametrize("kind", ["warc.gz", "warc"])
@pytest.mark.parametrize("where", ["in_a_payload", "in_record_headers", "in_http_headers"])
def test_a_truncated_archive_yields_the_good_records_then_names_the_damage(
        kind: str, where: str) -> None:
    data = ARCHIVES[kind]
    pages = list(iter_html_responses(io.BytesIO(data), kind))
    damaged = pages[3]  # https://news.example/d
    # where the cut falls, in the bytes of the damaged record
    record = (gzip.decompress(data[damaged.offset:damaged.offset + damaged.length])
              if kind == "warc.gz" else data[damaged.offset:damaged.offset + damaged.length])
    inside = {"in_a_payload": len(record) - 40,
              "in_record_headers": record.index(b"WARC-Date"),
              "in_http_headers": record.index(b"Set-Cookie")}[where]
    cut = damaged.offset + (inside if kind == "warc" else damaged.length * inside // len(record))
    read: list[WarcPage] = []
    with pytest.raises(WarcError) as caught:
        read.extend(iter_html_responses(io.BytesIO(data[:cut]), f"CC-NEWS.{kind}"))
    assert read == pages[:3]
    assert caught.value.source == f"CC-NEWS.{kind}"
    assert caught.value.offset == damaged.offset
    assert isinstance(caught.value, NewsetlError)


def test_the_error_says_what_happened_to_which_file_and_what_to_do() -> None:
    data = ARCHIVES["warc"]
    with pytest.raises(WarcError) as caught:
        list(iter_html_responses(io.BytesIO(data[:-100]), "crawl/CC-NEWS-1.warc"))
    offset = caught.value.offset
    assert str(caught.value) == (
        f"WARC crawl/CC-NEWS-1.warc is damaged at byte {offset}: the file ends inside a record "
        "(truncated); the records before it were read, none after it "
        "(check the file with `warcio check`, or download it again)")


@pytest.mark.parametrize("kind", ["warc.gz", "warc"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fraction=st.floats(min_value=0, max_value=1, exclude_max=True))
def test_any_truncation_yields_a_prefix_and_never_a_raw_exception(
        kind: str, fraction: float) -> None:
    data = ARCHIVES[kind]
    cut = int(len(data) * fraction)
    read: list[WarcPage] = []
    try:
        read.extend(iter_html_responses(io.BytesIO(data[:cut]), kind))
    except WarcError:
        pass
    complete = list(iter_html_responses(io.BytesIO(data), kind))
    assert read == complete[:len(read)]


def test_stray_bytes_between_records_are_damage() -> None:
    data = ARCHIVES["warc.gz"]
    pages = list(iter_html_responses(io.BytesIO(data), "x"))
    at = pages[1].offset
    read: list[WarcPage] = []
    with pytest.raises(WarcError) as caught:
        read.extend(iter_html_responses(io.BytesIO(data[:at] + b"junk" * 20 + data[at:]), "x"))
    assert read == pages[:1]
    assert caught.value.offset == at


def test_a_file_gzipped_whole_is_named_with_the_fix() -> None:
    with pytest.raises(WarcError) as caught:
        list(iter_html_responses(io.BytesIO(gzip.compress(ARCHIVES["warc"])), "big.warc.gz"))
    assert caught.value.detail == ("one gzip stream for many records, not one gzip member per "
                                   "record; fix it with `warcio recompress`")


@pytest.mark.parametrize("content", [b"<html>not an archive</html>\n", b"PK\x03\x04zipfile"],
                         ids=["html_file", "zip_file"])
def test_a_file_that_is_no_warc_is_named(content: bytes) -> None:
    with pytest.raises(WarcError) as caught:
        list(iter_html_responses(io.BytesIO(content), "x.warc"))
    assert caught.value.offset == 0


def test_an_empty_file_has_no_pages() -> None:
    stats = WarcStats()
    assert list(iter_html_responses(io.BytesIO(b""), "x", stats)) == []
    assert stats.summary() == "0 records skipped"


def test_read_record_returns_any_response_whatever_its_status() -> None:
    stream = io.BytesIO(ARCHIVES["warc.gz"])
    offsets = _offsets(ARCHIVES["warc.gz"])
    gone = read_record(stream, offsets[_record_id(5)], "x")
    assert _view(gone) == ("https://news.example/gone", FETCHED, 404,
                           {"content-type": "text/html"}, _page("not found"), _record_id(5))


@pytest.mark.parametrize("record, detail", [
    (101, "a request record, not an HTTP response: is the offset from this file?"),
    (201, "a metadata record, not an HTTP response: is the offset from this file?"),
], ids=["request_record", "metadata_record"])
def test_read_record_names_an_offset_that_is_no_response(record: int, detail: str) -> None:
    offset = _offsets(ARCHIVES["warc.gz"])[_record_id(record)]
    with pytest.raises(WarcError) as caught:
        read_record(io.BytesIO(ARCHIVES["warc.gz"]), offset, "x")
    assert (caught.value.offset, caught.value.detail) == (offset, detail)


def test_read_record_past_the_end_is_named() -> None:
    data = ARCHIVES["warc.gz"]
    with pytest.raises(WarcError) as caught:
        read_record(io.BytesIO(data), len(data), "x")
    assert caught.value.detail == "no record there (offset past the end?)"


def test_read_record_in_the_middle_of_a_record_is_named() -> None:
    data = ARCHIVES["warc.gz"]
    with pytest.raises(WarcError):
        read_record(io.BytesIO(data), 17, "x")


def _offsets(data: bytes) -> dict[str, int]:
    """Record id -> offset of every record, read with warcio alone."""
    from warcio.archiveiterator import ArchiveIterator

    records = ArchiveIterator(io.BytesIO(data))
    found = {}
    for record in records:
        found[record.rec_headers.get_header("WARC-Record-ID")] = records.get_record_offset()
    return found



@KINDS
def test_the_end_of_the_whole_records_is_where_a_cut_file_can_be_truncated(kind: str) -> None:
    data = ARCHIVES[kind]
    pages = list(iter_html_responses(io.BytesIO(data), kind))
    last = pages[-1]
    cut = data[:last.offset + last.length // 2]
    assert (whole_records_end(io.BytesIO(data)), whole_records_end(io.BytesIO(cut))) == (
        len(data), last.offset)
    assert list(iter_html_responses(io.BytesIO(cut[:last.offset]), kind)) == pages[:-1]


def twenty_pages(compress: bool) -> bytes:
    """An archive of twenty HTML responses."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=compress)
    for number in range(20):
        payload = _page(f"page {number}")
        writer.write_record(writer.create_warc_record(
            f"https://news.example/{number}", "response", payload=io.BytesIO(payload),
            length=len(payload),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                          protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": "2024-11-07T09:30:15Z",
                               "WARC-Record-ID": _record_id(number)}))
    return out.getvalue()


def read_resuming(data: bytes) -> tuple[list[str], list[WarcError]]:
    damage: list[WarcError] = []
    pages = list(iter_html_responses(io.BytesIO(data), "x.warc", on_damage=damage.append))
    return [p.url for p in pages], damage


@pytest.mark.parametrize("length", [b"Content-Length: 10", b"Content-Length: 9999"],
                         ids=["too_short", "too_long"])
def test_a_wrong_content_length_costs_that_record_and_reading_resumes(length: bytes) -> None:
    # issue 14: a WARC record with a wrong Content-Length lost every record after it (11 of 20)
    data = twenty_pages(compress=False)
    pages = list(iter_html_responses(io.BytesIO(data), "x.warc"))
    seventh = pages[7]
    record = data[seventh.offset:seventh.offset + seventh.length]
    found = re.search(rb"Content-Length: \d+", record)
    assert found is not None
    declared = found.group()
    broken = data[:seventh.offset] + record.replace(declared, length, 1) + \
        data[seventh.offset + seventh.length:]

    urls, damage = read_resuming(broken)

    assert urls == [f"https://news.example/{n}" for n in range(20) if n != 7]
    assert [(d.offset, d.resumed) for d in damage] == [(seventh.offset, True)]
    assert "that record was skipped and reading went on at the next one" in str(damage[0])
    # without on_damage the first damage still stops the read, as the raise policy says
    with pytest.raises(WarcError):
        list(iter_html_responses(io.BytesIO(broken), "x.warc"))


def test_a_damaged_gzip_member_costs_that_record_and_reading_resumes() -> None:
    data = twenty_pages(compress=True)
    pages = list(iter_html_responses(io.BytesIO(data), "x.warc.gz"))
    fifth = pages[5]
    middle = fifth.offset + fifth.length // 2
    broken = data[:middle] + bytes(b ^ 0xFF for b in data[middle:middle + 8]) + data[middle + 8:]

    urls, damage = read_resuming(broken)

    assert urls == [f"https://news.example/{n}" for n in range(20) if n != 5]
    assert [d.offset for d in damage] == [fifth.offset]


def test_a_payload_that_mentions_warc_headers_is_no_record_start() -> None:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    for number, text in enumerate([b"see WARC/1.0\r\nWARC-Type: x inside a line", b"plain"]):
        writer.write_record(writer.create_warc_record(
            f"https://news.example/{number}", "response", payload=io.BytesIO(PAGE % (b"t", text)),
            http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")],
                                          protocol="HTTP/1.1"),
            warc_headers_dict={"WARC-Date": "2024-11-07T09:30:15Z"}))
    data = out.getvalue()
    # the first record's length grows tenfold, so it runs past its end: resuming must skip
    # the "WARC/1.0" in the middle of a payload line and find the second record
    broken = data.replace(b"Content-Length: ", b"Content-Length: 1", 1)

    urls, damage = read_resuming(broken)

    assert urls == ["https://news.example/1"]
    assert [d.offset for d in damage] == [0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from([True, False]), fraction=st.floats(0, 1, exclude_max=True),
       size=st.integers(1, 300))
def test_any_damaged_stretch_costs_only_the_records_it_touches(
        kind: bool, fraction: float, size: int) -> None:
    data = twenty_pages(compress=kind)
    pages = list(iter_html_responses(io.BytesIO(data), "x"))
    at = int(len(data) * fraction)
    broken = data[:at] + b"\x00" * size + data[at + size:]

    urls, _ = read_resuming(broken)

    # a record runs up to the next one: the CRLF CRLF that closes an uncompressed record
    # (outside its reported length) is part of it
    ends = [p.offset for p in pages[1:]] + [len(data)]
    touched = {p.url for p, end in zip(pages, ends, strict=True)
               if p.offset < at + size and at < end}
    assert set(urls) >= {p.url for p in pages} - touched
    # a byte changed inside a header value (a URL) still reads as a record, as it stands
    assert len(urls) <= len(pages)

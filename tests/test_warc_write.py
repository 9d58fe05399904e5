"""Writing fetched responses to rotated .warc.gz files, and reading them back."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from newsetl.extract.warc import WarcPage, iter_html_responses, iter_responses, read_record
from newsetl.extract.warc_write import RecordLocation, WarcWriterRotating, finish_open_files

FETCHED = dt.datetime(2024, 11, 7, 10, 30, 15, 250000, tzinfo=dt.timezone(dt.timedelta(hours=1)))
OPENED = dt.datetime(2024, 11, 7, 9, 31, 0, tzinfo=dt.UTC)
HTML = "<!DOCTYPE html><html><body><p>Caf\u00e9 {n}: the council met.</p></body></html>"

# (url, status, reason, headers, body as received, decoded body) of each response written
RESPONSES = [
    ("https://news.example/a", 200, "OK",
     [("Content-Type", "text/html; charset=utf-8"), ("Set-Cookie", "a=1"),
      ("Set-Cookie", "b=2")], HTML.format(n=1).encode(), HTML.format(n=1).encode()),
    ("https://news.example/b", 200, "OK",
     [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
     gzip.compress(HTML.format(n=2).encode(), mtime=0), HTML.format(n=2).encode()),
    ("https://news.example/c?page=3", 200, "OK", [("content-type", "application/xhtml+xml")],
     HTML.format(n=3).encode() * 40, HTML.format(n=3).encode() * 40),
]


def _writer(folder: Path, max_bytes: int = 1_000_000) -> WarcWriterRotating:
    return WarcWriterRotating(folder, "news", max_bytes, software="newsetl/test",
                              clock=lambda: OPENED)


def _write_all(writer: WarcWriterRotating) -> list[RecordLocation]:
    return [writer.write_response(url, status, reason, headers, body, FETCHED)
            for url, status, reason, headers, body, _ in RESPONSES]


def _expected(url: str, headers: list[tuple[str, str]], content: bytes) -> tuple:
    lowered: dict[str, str] = {}
    for name, value in headers:
        key = name.lower()
        lowered[key] = f"{lowered[key]}, {value}" if key in lowered else value
    return url, FETCHED, 200, lowered, content


def _view(page: WarcPage) -> tuple:
    return page.url, page.fetched_at, page.status, page.headers, page.content


def test_a_written_record_reads_back_at_its_location(tmp_path: Path) -> None:
    with _writer(tmp_path) as writer:
        locations = _write_all(writer)
    assert [location.file for location in locations] == ["news-20241107093100-00000.warc.gz"] * 3
    with open(tmp_path / locations[0].file, "rb") as stream:
        pages = [read_record(stream, location.offset) for location in locations]
    assert [_view(page) for page in pages] == [
        _expected(url, headers, content) for url, _, _, headers, _, content in RESPONSES]
    assert [(page.offset, page.length) for page in pages] == [
        (location.offset, location.length) for location in locations]


def test_the_file_holds_byte_identical_http_headers_and_body(tmp_path: Path) -> None:
    with _writer(tmp_path) as writer:
        location = writer.write_response(*RESPONSES[1][:5], FETCHED)
    with open(tmp_path / location.file, "rb") as stream:
        stream.seek(location.offset)
        record = next(iter(ArchiveIterator(stream)))
        assert record.http_headers.to_str() == (
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n")
        assert record.raw_stream.read() == RESPONSES[1][4]  # still gzip: as received
        assert record.rec_headers.get_header("WARC-Date") == "2024-11-07T09:30:15.250000Z"


def test_iterating_the_written_file_yields_exactly_what_was_written(tmp_path: Path) -> None:
    with _writer(tmp_path) as writer:
        locations = _write_all(writer)
    with open(tmp_path / locations[0].file, "rb") as stream:
        pages = list(iter_html_responses(stream, locations[0].file))
    assert [_view(page) for page in pages] == [
        _expected(url, headers, content) for url, _, _, headers, _, content in RESPONSES]
    assert [RecordLocation(locations[0].file, page.offset, page.length) for page in pages] == (
        locations)


def test_rotation_starts_a_new_file_past_max_bytes_and_all_read_back(tmp_path: Path) -> None:
    # a warcinfo record takes 333 bytes, a response about 400: two responses fill 1000
    with _writer(tmp_path, max_bytes=1000) as writer:
        locations = _write_all(writer) + _write_all(writer)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [f"news-20241107093100-{serial:05d}.warc.gz" for serial in range(3)]
    assert writer.files == names
    assert [location.file for location in locations] == [
        names[0], names[0], names[1], names[1], names[2], names[2]]
    read = []
    for name in names:
        with open(tmp_path / name, "rb") as stream:
            read += [(name, page.offset, page.length, _view(page))
                     for page in iter_html_responses(stream, name)]
    assert read == [
        (location.file, location.offset, location.length, _expected(url, headers, content))
        for location, (url, _, _, headers, _, content) in zip(locations, RESPONSES * 2, strict=True)]


def test_every_file_starts_with_a_warcinfo_record_naming_newsetl(tmp_path: Path) -> None:
    with _writer(tmp_path, max_bytes=1) as writer:
        _write_all(writer)
    for name in writer.files:
        with open(tmp_path / name, "rb") as stream:
            first = next(iter(ArchiveIterator(stream)))
            assert (first.rec_type, first.rec_headers.get_header("WARC-Filename"),
                    first.rec_headers.get_header("WARC-Date")) == (
                "warcinfo", name, "2024-11-07T09:31:00Z")
            assert first.content_stream().read().decode() == (
                "software: newsetl/test\r\nformat: WARC File Format 1.1\r\n"
                "conformsTo: https://iipc.github.io/warc-specifications/specifications/"
                "warc-format/warc-1.1/\r\n")


def test_a_file_is_open_until_closed_and_never_looks_complete_before(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    location = writer.write_response(*RESPONSES[0][:5], FETCHED)
    assert sorted(path.name for path in tmp_path.iterdir()) == [location.file + ".open"]
    # what is written so far can already be read, from the .open file
    with open(tmp_path / (location.file + ".open"), "rb") as stream:
        assert read_record(stream, location.offset).content == RESPONSES[0][5]
    writer.close()
    assert sorted(path.name for path in tmp_path.iterdir()) == [location.file]
    writer.close()  # twice is harmless
    assert writer.files == [location.file]


def test_a_name_already_taken_moves_on_to_the_next_serial(tmp_path: Path) -> None:
    (tmp_path / "news-20241107093100-00000.warc.gz").write_bytes(b"")
    (tmp_path / "news-20241107093100-00001.warc.gz.open").write_bytes(b"")
    with _writer(tmp_path) as writer:
        location = writer.write_response(*RESPONSES[0][:5], FETCHED)
    assert location.file == "news-20241107093100-00002.warc.gz"


def test_a_decoded_body_drops_the_wire_headers_so_it_is_not_decoded_twice(
        tmp_path: Path) -> None:
    body = HTML.format(n=4).encode()
    with _writer(tmp_path) as writer:
        location = writer.write_response(
            "https://news.example/d", 200, "OK",
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
             ("Transfer-Encoding", "chunked")], body, FETCHED, decoded=True)
    with open(tmp_path / location.file, "rb") as stream:
        page = read_record(stream, location.offset)
    assert (page.headers, page.content) == ({
        "content-type": "text/html", "x-archive-orig-content-encoding": "gzip",
        "x-archive-orig-transfer-encoding": "chunked", "content-length": str(len(body))}, body)


def test_a_feed_document_is_written_and_read_with_its_own_accept(tmp_path: Path) -> None:
    feed = b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>'
    with _writer(tmp_path) as writer:
        writer.write_response(*RESPONSES[0][:5], FETCHED)
        location = writer.write_response("https://news.example/rss", 200, "OK",
                                         [("Content-Type", "application/rss+xml")], feed,
                                         FETCHED)
    with open(tmp_path / location.file, "rb") as stream:
        feeds = list(iter_responses(stream, location.file,
                                    lambda media_type, headers: media_type.endswith("xml")))
    assert [(page.url, page.content, page.offset) for page in feeds] == [
        ("https://news.example/rss", feed, location.offset)]


def test_a_fetch_time_without_zone_is_refused(tmp_path: Path) -> None:
    with _writer(tmp_path) as writer, pytest.raises(ValueError, match="no time zone"):
        writer.write_response(*RESPONSES[0][:5], dt.datetime(2024, 11, 7, 9, 30))
    assert list(tmp_path.iterdir()) == []


def test_records_written_from_several_threads_all_read_back(tmp_path: Path) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def write(n: int) -> RecordLocation:
        return writer.write_response(f"https://news.example/{n}", 200, "OK",
                                     [("Content-Type", "text/html")],
                                     HTML.format(n=n).encode(), FETCHED)

    with _writer(tmp_path, max_bytes=5000) as writer, ThreadPoolExecutor(8) as pool:
        locations = list(pool.map(write, range(60)))
    contents = []
    for location in locations:
        with open(tmp_path / location.file, "rb") as stream:
            contents.append(read_record(stream, location.offset).content)
    assert contents == [HTML.format(n=n).encode() for n in range(60)]
    assert len(writer.files) > 1



def test_a_crashed_runs_open_file_is_cut_after_its_last_whole_record(tmp_path: Path) -> None:
    writer = _writer(tmp_path)
    locations = _write_all(writer)
    # the process dies half-way through a fourth record: no close, no rename
    assert writer._out is not None
    writer._out.write(gzip.compress(b"WARC/1.1\r\nWARC-Type: response\r\n" + b"x" * 500)[:200])
    writer._out.close()
    name = locations[0].file
    assert finish_open_files(tmp_path) == [name]
    assert sorted(path.name for path in tmp_path.iterdir()) == [name]
    with open(tmp_path / name, "rb") as stream:
        pages = list(iter_html_responses(stream, name))  # no WarcError: the tail is gone
    assert [RecordLocation(name, page.offset, page.length) for page in pages] == locations
    assert (tmp_path / name).stat().st_size == locations[-1].offset + locations[-1].length


def test_finishing_leaves_finished_files_and_a_clean_folder_alone(tmp_path: Path) -> None:
    with _writer(tmp_path) as writer:
        location = _write_all(writer)[0]
    before = (tmp_path / location.file).read_bytes()
    assert finish_open_files(tmp_path) == []
    assert (tmp_path / location.file).read_bytes() == before

"""Read HTTP responses out of WARC and WARC.gz archives (ours and crawls such as CC-NEWS).

Pure reading of a binary stream: no network, no files opened here. warcio parses the records,
undoes chunked transfer coding and gzip/deflate content coding; this module picks the
responses a caller wants, counts the rest, and turns any warcio or zlib failure into
``WarcError`` after the good records before it have been yielded: raised, or handed to the
caller's ``on_damage`` while reading resumes at the next record.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from collections import Counter
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.limitreader import LimitReader
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from newsetl.errors import NewsetlError

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_BYTES = 10_000_000
"""largest decoded payload kept; a bigger one is skipped (a gzip bomb stops here)"""

_PIECE = 65536
_SNIFF = 512
# WHATWG MIME sniffing: a payload whose first tag is one of these is HTML
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<script", b"<iframe", b"<h1", b"<div",
                b"<font", b"<table", b"<a", b"<style", b"<title", b"<b", b"<body", b"<br",
                b"<p", b"<!--")
# every failure warcio or zlib can raise on a damaged archive
# (AttributeError and TypeError: warcio reads a record whose headers are cut off as None)
_DAMAGE = (ArchiveLoadFailed, StatusAndHeadersParserException, zlib.error, EOFError,
           ValueError, IndexError, UnicodeDecodeError, AttributeError, TypeError)

_SCAN = 1 << 20
_SCAN_OVERLAP = 16
_CANDIDATE = re.compile(rb"WARC/1\.|\x1f\x8b\x08")
_RECORD_START = re.compile(rb"WARC/1\.[01]\r?\n[A-Za-z][\w-]*:")

Accept = Callable[[str, dict[str, str]], bool]
"""called with a response's media type and its lowercased headers; True keeps it"""


class WarcError(NewsetlError):
    """A WARC file is truncated or corrupt: no record can be read at or after an offset."""

    def __init__(self, source: str, offset: int, detail: str, resumed: bool = False) -> None:
        self.source = source
        self.offset = offset
        self.detail = detail
        self.resumed = resumed
        after = ("that record was skipped and reading went on at the next one" if resumed
                 else "the records before it were read, none after it")
        super().__init__(
            f"WARC {source} is damaged at byte {offset}: {detail}; {after} (check the file "
            "with `warcio check`, or download it again)"
        )


@dataclass(frozen=True)
class WarcPage:
    """One archived HTTP response: the payload as the server meant it, and where it lies."""

    url: str
    fetched_at: dt.datetime
    """WARC-Date, in UTC"""
    status: int
    headers: dict[str, str]
    """HTTP headers, names lower-cased; repeated headers joined with ', '"""
    content: bytes
    """the payload, de-chunked and decoded from its Content-Encoding"""
    record_id: str
    offset: int
    """byte offset of the record in the file (of its gzip member, in a .warc.gz)"""
    length: int
    """bytes the record takes in the file, compressed if the file is"""


@dataclass
class WarcStats:
    """Counts of one read: responses yielded and records skipped, by reason."""

    yielded: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """E.g. '4 records skipped (2 request, 1 non-200, 1 non-HTML)'."""
        total = sum(self.skipped.values())
        if not total:
            return "0 records skipped"
        reasons = ", ".join(f"{count} {reason}" for reason, count in self.skipped.most_common())
        return f"{total} record{'s' if total != 1 else ''} skipped ({reasons})"


def iter_html_responses(stream: BinaryIO, source: str, stats: WarcStats | None = None,
                        max_bytes: int = MAX_BYTES,
                        on_damage: Callable[[WarcError], None] | None = None,
                        ) -> Iterator[WarcPage]:
    """Yield the status-200 HTML responses of a WARC or WARC.gz stream, in file order.

    HTML means a Content-Type of text/html or application/xhtml+xml, or none and a payload
    that sniffs as HTML. Other records are counted in ``stats``; damage is handled as
    ``iter_responses`` says.

    Raises:
        WarcError: without ``on_damage``, the archive is truncated or corrupt (after the good
            records before it).
    """
    return iter_responses(stream, source, accept_html, stats=stats, max_bytes=max_bytes,
                          on_damage=on_damage)


def accept_html(media_type: str, headers: dict[str, str]) -> bool:
    """The ``accept`` of ``iter_html_responses``: an HTML media type."""
    return media_type in HTML_TYPES


def iter_responses(stream: BinaryIO, source: str, accept: Accept,
                   stats: WarcStats | None = None,
                   max_bytes: int = MAX_BYTES,
                   on_damage: Callable[[WarcError], None] | None = None,
                   ) -> Iterator[WarcPage]:
    """Yield the status-200 responses of a WARC stream that ``accept`` keeps.

    ``accept(media_type, headers)`` gets the Content-Type without parameters, lower-cased;
    a response without one gets the type sniffed from its payload ('text/html', 'text/xml'
    or '').

    With ``on_damage``, each damaged stretch (a record with a wrong Content-Length, cut off,
    stray bytes) is handed to it as a WarcError, counted as skipped ("damaged"), and reading
    resumes at the next record: the next line starting ``WARC/1.``, or in a .warc.gz the next
    gzip member holding one. A seekable stream is needed to resume.

    Raises:
        WarcError: without ``on_damage``, the archive is truncated or corrupt (after the good
            records before it).
    """
    stats = stats if stats is not None else WarcStats()
    while True:
        damage = yield from _read_records(stream, source, accept, stats, max_bytes)
        if damage is None:
            return
        if on_damage is None:
            raise damage
        resume = _next_record_start(stream, damage.offset + 1)
        stats.skipped["damaged"] += 1
        on_damage(WarcError(source, damage.offset, damage.detail, resumed=resume is not None))
        if resume is None:
            return
        stream.seek(resume)


def _read_records(stream: BinaryIO, source: str, accept: Accept, stats: WarcStats,
                  max_bytes: int) -> Generator[WarcPage, None, WarcError | None]:
    """Yield records from the stream's position on; return the damage that stopped the read,
    or None at a clean end."""
    records = _Records(stream)
    while True:
        # warcio's offset is garbage (negative) in a file gzipped as one stream
        offset = max(records.offset, 0)
        try:
            record = next(records)
        except StopIteration:
            if records.cut_short:
                return WarcError(source, records.offset, "the file ends inside a record "
                                 "(truncated)")
            return None
        except _DAMAGE as error:
            return WarcError(source, offset, _describe(error))
        try:
            errors = records.err_count
            page, reason = _read(record, records, accept, max_bytes)
            _check_complete(record, records, errors)
        except _DAMAGE as error:
            return WarcError(source, offset, _describe(error))
        if page is None:
            stats.skipped[reason] += 1
            continue
        stats.yielded += 1
        yield page


def _next_record_start(stream: BinaryIO, start: int) -> int | None:
    """The offset of the first record start at or after ``start``: a line ``WARC/1.0`` or
    ``WARC/1.1`` followed by a header line, or a gzip member whose data starts so; None if
    there is none (or the stream cannot seek)."""
    try:
        stream.seek(start)
    except (OSError, AttributeError, ValueError):
        return None
    position = start
    carry = b""
    while True:
        block = stream.read(_SCAN)
        data = carry + block
        base = position - len(carry)
        last = len(data) if not block else len(data) - _SCAN_OVERLAP
        for match in _CANDIDATE.finditer(data, 0, max(last, 0)):
            at = base + match.start()
            if _starts_record(stream, at, data[match.start() - 1:match.start()] if
                              match.start() else None):
                return at
        if not block:
            return None
        position += len(block)
        carry = data[-_SCAN_OVERLAP:]
        stream.seek(position)


def _starts_record(stream: BinaryIO, at: int, before: bytes | None) -> bool:
    stream.seek(at)
    head = stream.read(_SNIFF)
    if head.startswith(b"\x1f\x8b\x08"):
        try:
            head = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
        except zlib.error:
            return False
    elif before is not None and before != b"\n" and at > 0:
        return False  # "WARC/1." inside a line: a payload mentioning it
    return _RECORD_START.match(head) is not None


def read_record(stream: BinaryIO, offset: int, source: str | None = None,
                max_bytes: int = MAX_BYTES) -> WarcPage:
    """Read the response record at ``offset`` (a ``WarcPage.offset``), whatever its status
    or type.

    Raises:
        WarcError: no readable response record starts at ``offset``.
    """
    source = source or str(getattr(stream, "name", "<stream>"))
    try:
        stream.seek(offset)
        records = _Records(stream)
        record = next(records, None)
        if record is None:
            raise WarcError(source, offset, "no record there (offset past the end?)")
        if record.rec_type != "response" or not record.http_headers:
            raise WarcError(source, offset, f"a {record.rec_type} record, not an HTTP "
                            "response: is the offset from this file?")
        page, reason = _read(record, records, lambda media_type, headers: True, max_bytes,
                             any_status=True)
        _check_complete(record, records, 0)
    except _DAMAGE as error:
        raise WarcError(source, offset, _describe(error)) from None
    if page is None:
        raise WarcError(source, offset, f"record not readable: {reason}")
    return page


def whole_records_end(stream: BinaryIO) -> int:
    """The byte offset just after the last whole record of a WARC stream read from its
    start: where a file cut off mid-record (a crashed writer's) can be truncated."""
    records = _Records(stream)
    end = records.offset
    try:
        for record in records:
            errors = records.err_count
            _check_complete(record, records, errors)
            end = records.offset  # after the record and the blank lines that close it
    except _DAMAGE:
        pass
    return end


def _read(record: ArcWarcRecord, records: ArchiveIterator, accept: Accept, max_bytes: int,
          any_status: bool = False) -> tuple[WarcPage | None, str]:
    """The page of one record, or None and why it was skipped."""
    if record.rec_type != "response":
        return None, record.rec_type or "untyped"
    if not record.http_headers:
        return None, "non-HTTP"  # dns:, whois: and the like
    status = _status(record.http_headers.get_statuscode())
    if status != 200 and not any_status:
        return None, "non-200"
    headers = _headers(record.http_headers.headers)
    body = record.content_stream()
    head = body.read(_SNIFF)
    declared = headers.get("content-type", "").split(";")[0].split(",")[0].strip().lower()
    if not accept(declared or _sniff(head), headers):
        return None, "non-HTML" if accept is accept_html else "not accepted"
    content = bytearray(head)
    # read in pieces so an inflating payload stops at the cap, not at the memory's end
    while len(content) <= max_bytes and (piece := body.read(_PIECE)):
        content += piece
    if len(content) > max_bytes:
        return None, "too large"
    fetched_at = _warc_date(record.rec_headers.get_header("WARC-Date"))
    if fetched_at is None:
        return None, "no WARC-Date"
    return WarcPage(
        url=record.rec_headers.get_header("WARC-Target-URI") or "",
        fetched_at=fetched_at,
        status=status,
        headers=headers,
        content=bytes(content),
        record_id=record.rec_headers.get_header("WARC-Record-ID") or "",
        # asking warcio for these reads the rest of the record: only once content is read
        offset=records.get_record_offset(),
        length=records.get_record_length(),
    ), ""


class _Records(ArchiveIterator):
    """warcio's iterator, remembering whether the stream ended inside a record."""

    def __init__(self, stream: BinaryIO) -> None:
        super().__init__(stream)
        # newsetl archives file:// fetches (local feeds, the bundled sample) as HTTP
        # responses too; warcio parses HTTP headers for http(s) URIs only
        # (the checker takes warcio's own tuple of two for the attribute's type)
        self.loader.HTTP_SCHEMES = ("http:", "https:", "file:")  # pyright: ignore[reportAttributeAccessIssue]
        self.start = self.fh.tell()
        self.cut_short = False

    def _consume_blanklines(self) -> tuple[None, int] | tuple[bytes, int]:
        # warcio's own, without its warning on stderr: _check_complete names the fault
        empty_size = 0
        first_line = True
        reader = self.reader
        assert reader is not None  # set until the iterator closes
        while True:
            line = reader.readline()
            if not line:
                return None, empty_size
            if not line.rstrip() or first_line:
                empty_size += len(line)
                if line.rstrip():
                    self.err_count += 1  # not blank: the Content-Length was wrong
                first_line = False
                continue
            return line, empty_size

    def close(self) -> None:
        # warcio takes a record cut off in its headers, or a truncated gzip member, for the
        # end of the file: catch both here, where the reader's state is still there
        decompressor = self.reader.decompressor if self.reader else None
        unparsed = self.fh.tell() > self.offset  # bytes after the last record, not a record
        partial = decompressor is not None and not decompressor.eof and self.fh.tell() > self.start
        self.cut_short = unparsed or partial
        super().close()


def _check_complete(record: ArcWarcRecord, records: _Records, errors: int) -> None:
    """Raise if a record is shorter than its Content-Length, or not followed by the blank
    lines that end a record: warcio returns less, or warns on stderr, and goes on."""
    raw = record.raw_stream
    if not isinstance(raw, LimitReader):
        raise ValueError("a record has no Content-Length (headers cut off?)")
    records.get_record_offset()  # reads what the decoder left (e.g. a gzip trailer)
    if raw.limit > 0:
        raise EOFError(f"record cut short: {raw.limit} of its {raw._orig_limit} bytes missing")
    if records.err_count > errors:
        raise ValueError("record longer than its Content-Length says, or followed by "
                         "stray bytes")
    decompressor = records.reader.decompressor if records.reader else None
    if decompressor is not None and not decompressor.eof:
        # the record's gzip member goes on: into the next record, or past the file's end
        if records.next_line:
            raise ArchiveLoadFailed("non-chunked gzip file detected")
        raise EOFError("the file ends inside the record's gzip member (truncated)")


def _status(code: str | None) -> int:
    try:
        return int(code or "")
    except ValueError:
        return 0


def _headers(pairs: list[tuple[str, str]]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in pairs:
        key = name.strip().lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _sniff(head: bytes) -> str:
    """The media type a payload without Content-Type looks like: 'text/html', 'text/xml', ''."""
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n\x0c").lower()
    for tag in _HTML_STARTS:
        if start.startswith(tag):
            after = start[len(tag):len(tag) + 1]
            # a tag name must end there: '<body>' or '<b ' are HTML, '<bogus' is not
            if tag == b"<!--" or after in (b" ", b">", b"\t", b"\n", b"\r", b"\x0c", b"/"):
                return "text/html"
    if start.startswith(b"<?xml"):
        return "text/xml"
    return ""


def _warc_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    # WARC-Date is UTC by definition; a zone-less value is read as UTC too
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if "non-chunked gzip file detected" in text:
        return ("one gzip stream for many records, not one gzip member per record; "
                "fix it with `warcio recompress`")
    if isinstance(error, EOFError) and not text:
        return "the file ends inside a record (truncated)"
    if isinstance(error, (AttributeError, TypeError)):
        return "a record's headers are cut off or malformed"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__

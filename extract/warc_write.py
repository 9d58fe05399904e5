"""Write fetched responses to size-rotated .warc.gz files, so pages can be re-read offline.

File I/O only: no network, settings or Prefect. A file is written as ``<name>.warc.gz.open``
and renamed to ``<name>.warc.gz`` when it is closed or rotated, so a crash never leaves a
file that looks complete. Each record is its own gzip member (a standard .warc.gz), so one
record can be read back alone from its ``RecordLocation`` with ``extract.warc.read_record``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter

from newsetl.extract.warc import whole_records_end

OPEN_SUFFIX = ".open"
# headers that describe the bytes on the wire: wrong once the body has been decoded
_WIRE_HEADERS = ("content-encoding", "transfer-encoding", "content-length")


@dataclass(frozen=True)
class RecordLocation:
    """Where one record lies: a file name relative to the archive folder, and its bytes."""

    file: str
    offset: int
    length: int


class WarcWriterRotating:
    """Appends response records to ``<prefix>-<UTC timestamp>-<serial>.warc.gz`` files in
    ``folder``, starting a new file once one has reached ``max_bytes``. With ``append``, the
    first record goes to the end of the newest finished file of the prefix if it is still
    under ``max_bytes`` (renamed to ``.open`` while it is written, so a crash leaves it as
    any crashed file is left), so runs that fetch a little each do not make a file each.

    Safe to share between threads. Use it as a context manager, or call ``close()``.
    """

    def __init__(self, folder: Path, prefix: str, max_bytes: int, *,
                 software: str | None = None, append: bool = False,
                 clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)) -> None:
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {max_bytes}")
        self.folder = Path(folder)
        self.prefix = prefix
        self.max_bytes = max_bytes
        self.software = software or _software()
        self.clock = clock
        self.files: list[str] = []
        """names of the files finished so far, in order"""
        self._serial = 0
        self._name: str | None = None
        self._out: BinaryIO | None = None
        self._writer: WARCWriter | None = None
        self._lock = threading.Lock()
        self._append = append

    def __enter__(self) -> WarcWriterRotating:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write_response(self, url: str, status: int, reason: str,
                       headers: Sequence[tuple[str, str]], body: bytes,
                       fetched_at: dt.datetime, *, decoded: bool = False,
                       protocol: str = "HTTP/1.1") -> RecordLocation:
        """Append one response record and return where it lies.

        ``headers`` and ``body`` are stored as given: pass the body as received on the wire.
        If it was already de-chunked and decompressed (as an HTTP client's decoded content
        is), pass ``decoded=True``: Content-Encoding, Transfer-Encoding and Content-Length
        are then replaced by the body's own length, the originals kept as
        ``X-Archive-Orig-<name>``, so readers do not try to decode the body again.
        """
        if fetched_at.tzinfo is None:
            raise ValueError(f"fetched_at of {url} has no time zone; pass an aware datetime")
        pairs = _decoded_headers(headers, len(body)) if decoded else list(headers)
        http_headers = StatusAndHeaders(f"{status} {reason}".strip(), pairs, protocol=protocol)
        with self._lock:
            out, writer, name = self._current()
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Date": _warc_date(fetched_at)},
            )
            offset = out.tell()
            writer.write_record(record)
            # in the OS's hands at once: a kill leaves the record whole or absent
            out.flush()
            end = out.tell()
            if end >= self.max_bytes:
                self._finish()
        return RecordLocation(file=name, offset=offset, length=end - offset)

    def close(self) -> None:
        """Finish the current file (rename it to .warc.gz); the writer can still be used."""
        with self._lock:
            self._finish()

    def _current(self) -> tuple[BinaryIO, WARCWriter, str]:
        if self._out is None or self._writer is None or self._name is None:
            self._open()
        assert self._out is not None and self._writer is not None and self._name is not None
        return self._out, self._writer, self._name

    def _open(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self._append:
            self._append = False  # only the first file of a writer is appended to
            if self._reopen():
                return
        opened = self.clock().astimezone(dt.UTC)
        stamp = opened.strftime("%Y%m%d%H%M%S")
        while True:
            name = f"{self.prefix}-{stamp}-{self._serial:05d}.warc.gz"
            self._serial += 1
            if (self.folder / name).exists():
                continue
            try:
                # exclusive: another writer with the same prefix in the same second moves on
                out = open(self.folder / (name + OPEN_SUFFIX), "xb")  # noqa: SIM115
            except FileExistsError:
                continue
            break
        writer = WARCWriter(out, gzip=True, warc_version="1.1")
        info = writer.create_warcinfo_record(name, {
            "software": self.software,
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                          "warc-format/warc-1.1/",
        })
        info.rec_headers.replace_header("WARC-Date", _warc_date(opened))
        writer.write_record(info)
        self._out, self._writer, self._name = out, writer, name

    def _reopen(self) -> bool:
        """Continue the newest finished file of the prefix if it is under the size cap."""
        newest = max(self.folder.glob(f"{self.prefix}-*.warc.gz"), default=None,
                     key=lambda p: (p.stat().st_mtime, p.name))
        if newest is None or newest.stat().st_size >= self.max_bytes:
            return False
        name = newest.name
        os.rename(newest, self.folder / (name + OPEN_SUFFIX))
        out = open(self.folder / (name + OPEN_SUFFIX), "r+b")  # noqa: SIM115
        out.seek(0, os.SEEK_END)
        self._out, self._writer, self._name = out, WARCWriter(out, gzip=True,
                                                              warc_version="1.1"), name
        return True

    def _finish(self) -> None:
        if self._out is None or self._name is None:
            return
        out, name = self._out, self._name
        self._out = self._writer = self._name = None
        out.flush()
        os.fsync(out.fileno())
        out.close()
        os.rename(self.folder / (name + OPEN_SUFFIX), self.folder / name)
        _sync_folder(self.folder)
        self.files.append(name)


def finish_open_files(folder: Path) -> list[str]:
    """Finish the ``.warc.gz.open`` files a crashed run left in ``folder``: cut each after
    its last whole record and rename it to ``.warc.gz``. Returns the names finished.

    Run it only while no writer uses the folder (e.g. under the warehouse lock): it cannot
    tell a crashed run's file from one being written.
    """
    finished = []
    for path in sorted(Path(folder).glob("*.warc.gz" + OPEN_SUFFIX)):
        final = path.with_name(path.name.removesuffix(OPEN_SUFFIX))
        if final.exists():
            continue  # never overwrite a finished file; leave the .open one to a human
        with open(path, "r+b") as stream:
            stream.truncate(whole_records_end(stream))
            stream.flush()
            os.fsync(stream.fileno())
        os.rename(path, final)
        finished.append(final.name)
    _sync_folder(Path(folder))
    return finished


def _decoded_headers(headers: Sequence[tuple[str, str]], length: int) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for name, value in headers:
        if name.lower() in _WIRE_HEADERS:
            pairs.append((f"X-Archive-Orig-{name}", value))
        else:
            pairs.append((name, value))
    pairs.append(("Content-Length", str(length)))
    return pairs


def _warc_date(moment: dt.datetime) -> str:
    """WARC/1.1 date: UTC, with microseconds."""
    return datetime_to_iso_date(moment.astimezone(dt.UTC).replace(tzinfo=None), use_micros=True)


def _software() -> str:
    try:
        return f"newsetl/{metadata.version('newsetl')}"
    except metadata.PackageNotFoundError:
        return "newsetl"


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX only; a no-op where folders cannot be opened)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)

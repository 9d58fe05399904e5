"""The raw archive: every fetched feed document and page, kept in WARC files that runs append
to until the size cap; and the pages a run archived before it was cut off, so the next run
reads them from the archive instead of fetching them again."""

from __future__ import annotations

import datetime as dt
import http
import json
import threading
from pathlib import Path

from newsetl.extract.warc import WarcError, read_record
from newsetl.extract.warc_write import RecordLocation, WarcWriterRotating, finish_open_files
from newsetl.flows.fetch import Fetched
from newsetl.flows.settings import Settings

PENDING = "pending.jsonl"
"""the pages archived by runs that have not completed: one JSON object per line"""


class Archive:
    """Writes fetched responses to ``settings.archive``; does nothing when it is disabled.

    Runs of one warehouse hold its run lock, so one Archive at a time writes a folder."""

    def __init__(self, settings: Settings) -> None:
        self.folder = Path(settings.archive)
        self.writer: WarcWriterRotating | None = None
        self._pending: dict[str, dict] = {}
        self._index = None
        self._lock = threading.Lock()
        if settings.archive_enabled:
            self.folder.mkdir(parents=True, exist_ok=True)
            # a crashed run leaves .open files: cut them after their last whole record
            finish_open_files(self.folder)
            self.writer = WarcWriterRotating(self.folder, "newsetl", settings.archive_max_bytes,
                                             append=True)
            self._pending = _read_pending(self.folder / PENDING)

    def keep(self, fetched: Fetched, page: bool = False) -> RecordLocation | None:
        """Write one response (its body as decoded); return where it lies. A ``page`` is
        noted as pending until the run completes."""
        if self.writer is None:
            return None
        try:
            reason = http.HTTPStatus(fetched.status).phrase
        except ValueError:
            reason = ""
        location = self.writer.write_response(
            fetched.final_url, fetched.status, reason, list(fetched.headers.items()),
            fetched.content, fetched.fetched_at, decoded=True,
        )
        if page:
            self._note(fetched, location)
        return location

    def archived_page(self, url: str) -> Fetched | None:
        """The page a cut-off run fetched from ``url`` and archived, read back from the
        archive; None if there is none (or its record cannot be read: fetch it again)."""
        entry = self._pending.get(url)
        if entry is None:
            return None
        location = RecordLocation(entry["file"], entry["offset"], entry["length"])
        path = self.folder / location.file
        if not path.exists():
            path = path.with_name(path.name + ".open")  # the file this run appends to
        try:
            with path.open("rb") as stream:
                record = read_record(stream, location.offset, str(path))
        except (OSError, WarcError):
            return None
        return Fetched(url=url, final_url=entry["final_url"], status=record.status or 200,
                       headers=dict(record.headers),
                       content=record.content,
                       fetched_at=dt.datetime.fromisoformat(entry["fetched_at"]),
                       archived=location)

    @property
    def pending_pages(self) -> int:
        """How many pages cut-off runs left archived but not loaded."""
        return len(self._pending)

    def completed(self) -> None:
        """The run completed: every page it archived is loaded or recorded as failed."""
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None
            self._pending.clear()
            (self.folder / PENDING).unlink(missing_ok=True)

    def _note(self, fetched: Fetched, location: RecordLocation) -> None:
        entry = {"url": fetched.url, "final_url": fetched.final_url, "file": location.file,
                 "offset": location.offset, "length": location.length,
                 "fetched_at": fetched.fetched_at.isoformat()}
        with self._lock:
            if self._index is None:
                self._index = (self.folder / PENDING).open("a", encoding="utf-8")
            # after the record is written: an entry always points at a record begun
            self._index.write(json.dumps(entry) + "\n")
            self._index.flush()

    def close(self) -> None:
        """Finish the current file (renamed from .open to .warc.gz)."""
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None
        if self.writer is not None:
            self.writer.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _read_pending(path: Path) -> dict[str, dict]:
    """URL -> its newest pending entry; a line cut short by a crash is left out."""
    found: dict[str, dict] = {}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return found
    for line in lines:
        try:
            entry = json.loads(line)
            found[str(entry["url"])] = entry
        except (ValueError, KeyError, TypeError):
            continue
    return found

"""The raw archive: every fetched feed document and page, kept in rotating WARC files."""

from __future__ import annotations

import http
from pathlib import Path

from newsetl.extract.warc_write import RecordLocation, WarcWriterRotating, finish_open_files
from newsetl.flows.fetch import Fetched
from newsetl.flows.settings import Settings


class Archive:
    """Writes fetched responses to ``settings.archive``; does nothing when it is disabled."""

    def __init__(self, settings: Settings) -> None:
        self.folder = Path(settings.archive)
        self.writer: WarcWriterRotating | None = None
        if settings.archive_enabled:
            self.folder.mkdir(parents=True, exist_ok=True)
            # a crashed run leaves .open files: cut them after their last whole record
            finish_open_files(self.folder)
            self.writer = WarcWriterRotating(self.folder, "newsetl", settings.archive_max_bytes)

    def keep(self, fetched: Fetched) -> RecordLocation | None:
        """Write one response (its body as decoded); return where it lies."""
        if self.writer is None:
            return None
        try:
            reason = http.HTTPStatus(fetched.status).phrase
        except ValueError:
            reason = ""
        return self.writer.write_response(
            fetched.final_url, fetched.status, reason, list(fetched.headers.items()),
            fetched.content, fetched.fetched_at, decoded=True,
        )

    def close(self) -> None:
        """Finish the current file (renamed from .open to .warc.gz)."""
        if self.writer is not None:
            self.writer.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

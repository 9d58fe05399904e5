"""A run's hold on the warehouse: the run lock for the whole run, the DuckDB file opened for
writing only while a chunk reads what it needs or commits, then closed, so readers (``newsetl
sql``, a notebook's read-only connection) get in between two chunks.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from newsetl.warehouse.db import Warehouse
from newsetl.warehouse.lock import RunLock


class Writer:
    """Writes one warehouse for one run. Use it as a context manager: entering takes the run
    lock (waiting ``lock_timeout`` for another run) and opens the file once to create and
    migrate it; ``session()`` and ``transaction()`` open it for a block of work (waiting
    ``commit_timeout`` for other clients) and close it after. Threads take turns."""

    def __init__(self, path: str | os.PathLike[str], flow: str, lock_timeout: float = 0.0,
                 commit_timeout: float = 60.0) -> None:
        self.path = Path(path)
        self.flow = flow
        self.lock_timeout = lock_timeout
        self.commit_timeout = commit_timeout
        self.lock = RunLock(path)
        self._turn = threading.RLock()
        self._open: Warehouse | None = None

    def __enter__(self) -> Writer:
        self.lock.acquire(self.lock_timeout, self.flow)
        try:
            Warehouse.open(self.path, lock_timeout=self.lock_timeout).close()
        except BaseException:
            self.lock.release()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.release()

    def note_run(self, run_id: str) -> None:
        """Name the run in the lock file: a blocked reader's message names it."""
        self.lock.note(run_id, self.flow)

    @contextmanager
    def session(self) -> Iterator[Warehouse]:
        """The warehouse opened for writing for the block, closed after (a block inside a
        block uses the same connection)."""
        with self._turn:
            if self._open is not None:
                yield self._open
                return
            warehouse = Warehouse.open(self.path, lock_timeout=self.commit_timeout,
                                       prepare=False)
            self._open = warehouse
            try:
                yield warehouse
            finally:
                self._open = None
                warehouse.close()

    @contextmanager
    def transaction(self) -> Iterator[Warehouse]:
        """The block as one transaction on the warehouse opened for it."""
        with self.session() as warehouse, warehouse.transaction():
            yield warehouse

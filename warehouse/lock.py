"""Who writes the warehouse: one newsetl run at a time holds its run lock (a file beside the
warehouse, locked with flock for the run's life), while the DuckDB file itself is opened for
writing only while a chunk commits. Readers never take the run lock, so they wait at most for
one commit, never for a run.

The kernel drops a flock when its process dies, kill -9 included: a killed run never leaves
the warehouse locked.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from newsetl.errors import NewsetlError

RUN_LOCK_SUFFIX = ".run.lock"
_POLL = 0.2
"""seconds between two tries of a held lock"""


@dataclass(frozen=True)
class Holder:
    """A newsetl run holding a warehouse's run lock, as its lock file says."""

    run_id: str
    flow: str
    pid: int
    host: str
    started_at: str

    def describe(self) -> str:
        """'newsetl ingest run 1a2b3c4d5e6f (process 4242, since 2026-12-01 21:22:36 UTC)'"""
        run = f" run {self.run_id[:12]}" if self.run_id else ""
        return f"newsetl {self.flow}{run} (process {self.pid}, since {self.started_at} UTC)"


class RunLocked(NewsetlError):
    """Another newsetl run writes this warehouse."""

    fatal = True

    def __init__(self, path: Path, holder: Holder | None) -> None:
        self.path = path
        self.holder = holder
        pid = holder.pid if holder else None
        who = holder.describe() if holder else "another newsetl run"
        super().__init__(
            f"warehouse {path} is being written by {who}; wait for that run to finish (or "
            f"stop it{f' with `kill {pid}`' if pid else ''}), or use --db for another file")


def run_lock_path(db: str | os.PathLike[str]) -> Path:
    """The run lock file of the warehouse ``db``."""
    path = Path(db)
    return path.with_name(path.name + RUN_LOCK_SUFFIX)


def holder_of(db: str | os.PathLike[str]) -> Holder | None:
    """The newsetl run that holds the run lock of ``db``, or None when no run does."""
    path = run_lock_path(db)
    try:
        handle = os.open(path, os.O_RDWR)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            pass  # held: its content names the holder
        else:
            return None  # nobody holds it: what it says is an ended run's
        try:
            data = json.loads(os.pread(handle, 4096, 0) or b"{}")
        except (OSError, ValueError):
            return None
    finally:
        os.close(handle)
    try:
        return Holder(str(data.get("run_id", "")), str(data.get("flow", "run")),
                      int(data.get("pid", 0)), str(data.get("host", "")),
                      str(data.get("started_at", "")))
    except (TypeError, ValueError):
        return None


class RunLock:
    """The run lock of one warehouse, held from ``acquire`` to ``release``."""

    def __init__(self, db: str | os.PathLike[str]) -> None:
        self.db = Path(db)
        self.path = run_lock_path(db)
        self._handle: int | None = None

    def acquire(self, timeout: float, flow: str) -> None:
        """Take the lock, waiting up to ``timeout`` seconds for another run to end.

        Raises:
            RunLocked: another run still holds it, named.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = holder_of(self.db)
                    os.close(handle)
                    raise RunLocked(self.db, holder) from None
                time.sleep(_POLL)
        self._handle = handle
        self.note("", flow)

    def note(self, run_id: str, flow: str) -> None:
        """Write who holds the lock (the run, its process and start) into the lock file."""
        if self._handle is None:
            return
        info = {"run_id": run_id, "flow": flow, "pid": os.getpid(), "host": socket.gethostname(),
                "started_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")}
        data = json.dumps(info).encode()
        os.ftruncate(self._handle, 0)
        os.pwrite(self._handle, data, 0)

    def release(self) -> None:
        """Let the next run in (the file stays: it is only ever locked, never removed)."""
        if self._handle is not None:
            os.close(self._handle)
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None

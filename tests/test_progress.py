"""The progress display in a terminal (a pty, read by a terminal emulator): the bars go, the
summary stays on the screen."""

from __future__ import annotations

import os
import pty
import sys
import threading
from pathlib import Path

import pytest

from newsetl.flows.cli import main
from tests.conftest import SEED


def run_in_terminal(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The non-empty lines of a 100x30 terminal once ``newsetl argv`` ran in it, stdout and
    stderr both on the terminal, as a user sees them."""
    pyte = pytest.importorskip("pyte", reason="pyte (a terminal emulator) is a dev dependency")
    screen = pyte.Screen(100, 30)
    stream = pyte.ByteStream(screen)
    leader, follower = pty.openpty()
    received: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:
                return
            if not data:
                return
            received.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    terminal = os.fdopen(follower, "w", encoding="utf-8", buffering=1)
    monkeypatch.setattr(sys, "stdout", terminal)
    monkeypatch.setattr(sys, "stderr", terminal)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "100")
    try:
        code = main(argv)
    finally:
        terminal.flush()
        monkeypatch.undo()
        terminal.close()
        reader.join(timeout=10)
        os.close(leader)
    stream.feed(b"".join(received))
    assert code == 0, "\n".join(screen.display)
    return [line.rstrip() for line in screen.display if line.strip()]


@pytest.mark.usefixtures("prefect_harness")
def test_the_backfill_summary_stays_on_the_screen(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(40):
        content = SEED.read_text(encoding="utf-8").replace("Biden", f"Biden{n}")
        (archive / f"{n:03d}_{n:016x}.txt").write_text(content, encoding="utf-8")
    lines = run_in_terminal(["backfill", str(archive), "--db", str(tmp_path / "w.duckdb")],
                            monkeypatch)
    assert lines[-2].startswith("backfill run ") and " completed in " in lines[-2], lines
    assert lines[-1] == "  articles: 40 new, 0 updated, 0 unchanged, 0 failed", lines

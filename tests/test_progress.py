"""The progress display in a real terminal (a pty read by a terminal emulator): the bars go,
the summary stays on the screen."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import SEED

NEWSETL = Path(sys.executable).with_name("newsetl")


def screen_after(argv: list[str], cwd: Path, seconds: float = 240) -> list[str]:
    """The lines of an 80x24 terminal once ``argv`` has run in it."""
    pyte = pytest.importorskip("pyte", reason="pyte (a terminal emulator) is a dev dependency")
    screen = pyte.Screen(100, 30)
    stream = pyte.ByteStream(screen)
    leader, follower = pty.openpty()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
    process = subprocess.Popen(argv, cwd=cwd, stdin=follower, stdout=follower, stderr=follower,
                               env=env, close_fds=True)
    os.close(follower)
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not data:
                    break
                stream.feed(data)
            elif process.poll() is not None:
                break
        process.wait(timeout=30)
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, "\n".join(screen.display)
    return [line.rstrip() for line in screen.display if line.strip()]


@pytest.mark.slow
def test_the_backfill_summary_stays_on_the_screen(tmp_path: Path) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(40):
        content = SEED.read_text(encoding="utf-8").replace("Biden", f"Biden{n}")
        (archive / f"{n:03d}_{n:016x}.txt").write_text(content, encoding="utf-8")
    shutil.copy(SEED, archive)
    lines = screen_after([str(NEWSETL), "backfill", str(archive), "--db", "w.duckdb"], tmp_path)
    assert lines[-2].startswith("backfill run ") and " completed in " in lines[-2], lines
    assert lines[-1] == "  articles: 41 new, 0 updated, 0 unchanged, 0 failed", lines

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


class Bars:
    """What a progress listener is told, per stage: the total known at each advance."""

    def __init__(self) -> None:
        self.done: dict[str, int] = {}
        self.total: dict[str, int | None] = {}
        self.unknown: list[str] = []

    def __call__(self, stage: str, advance: int, total: int | None) -> None:
        if total is not None:
            self.total[stage] = total
        if advance:
            self.done[stage] = self.done.get(stage, 0) + advance
            if self.total.get(stage) is None or self.done[stage] > (self.total[stage] or 0):
                self.unknown.append(f"{stage} {self.done[stage]}/{self.total.get(stage)}")

    def final(self) -> dict[str, tuple[int, int | None]]:
        return {s: (self.done.get(s, 0), self.total.get(s)) for s in {*self.done, *self.total}}


@pytest.mark.usefixtures("prefect_harness")
def test_every_bar_has_a_total_in_backfill_and_reprocess(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsetl.extract.attribution
    from newsetl.flows import progress
    from newsetl.flows.backfill import backfill_flow
    from newsetl.flows.reprocess import reprocess_flow
    from tests.conftest import settings_for

    archive = tmp_path / "archive"
    archive.mkdir()
    for n in range(7):
        content = SEED.read_text(encoding="utf-8").replace("Biden", f"Biden{n}")
        (archive / f"{n:03d}_{n:016x}.txt").write_text(content, encoding="utf-8")
    # two batches of files (5 and 2): the quotes to come are known one batch at a time
    settings = settings_for(tmp_path, chunk_size=1)
    bars = Bars()
    progress.listen(bars)
    try:
        backfill_flow([str(archive)], settings)
        backfilled = bars.final()
        monkeypatch.setitem(newsetl.extract.attribution.VERSIONS, "quotes", "quotes-bump")
        monkeypatch.setitem(newsetl.extract.attribution.VERSIONS, "claims", "claims-bump")
        bars = Bars()
        progress.listen(bars)
        reprocess_flow(settings, "all")
    finally:
        progress.listen(None)
    assert backfilled == {"files": (7, 7), "quotes": (7, 7)}
    # quotes and claims each on their own bar; no article is archived, none re-extracted
    assert bars.final() == {"articles": (0, 0), "quotes": (7, 7), "claims": (7, 7)}
    assert bars.unknown == []

"""Peak memory of a block as the OS counts it: the resident set, C libraries (libxml2, zlib,
DuckDB) included, which tracemalloc does not see."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class Peak:
    """How far the resident set grew above its size when the block began, in bytes."""

    growth: int = 0


def _kib(field: str) -> int:
    match = re.search(rf"^{field}:\s+(\d+) kB", _STATUS.read_text(), re.M)
    assert match, f"/proc/self/status has no {field}"
    return int(match.group(1))


@contextmanager
def peak_rss() -> Iterator[Peak]:
    """Measure the block's peak resident set (Linux: VmHWM, reset at the start through
    /proc/self/clear_refs); skip where the OS cannot tell."""
    try:
        _CLEAR_REFS.write_text("5")  # resets the high-water mark to the current size
    except OSError:
        pytest.skip("the peak resident set needs Linux's /proc/self/clear_refs")
    before = _kib("VmRSS")
    peak = Peak()
    try:
        yield peak
    finally:
        peak.growth = max(_kib("VmHWM") - before, 0) * 1024

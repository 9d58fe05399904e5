"""A progress hook the CLI sets and the flows call; silent unless someone listens.

Every bar has a total: a stage whose work is known up front reports it (``report(stage, 0,
total)``); one whose work is found as the run goes, a batch at a time, adds each batch's
(``expect``), so its total grows with what is known.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Listener = Callable[[str, int, int | None], None]
_listener: Listener | None = None
_totals: dict[str, int] = {}
_lock = threading.Lock()


def listen(listener: Listener | None) -> None:
    """Send progress to ``listener(stage, advance, total)``; None stops it."""
    global _listener
    with _lock:
        _listener = listener
        _totals.clear()


def report(stage: str, advance: int = 0, total: int | None = None) -> None:
    """Tell the listener that ``advance`` more items of ``stage`` are done (of ``total``)."""
    if total is not None:
        with _lock:
            _totals[stage] = total
    if _listener is not None:
        _listener(stage, advance, total)


def expect(stage: str, count: int) -> None:
    """``count`` more items of ``stage`` are to come: its total grows by them."""
    with _lock:
        total = _totals[stage] = _totals.get(stage, 0) + count
    report(stage, 0, total)

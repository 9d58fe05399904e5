"""A progress hook the CLI sets and the flows call; silent unless someone listens."""

from __future__ import annotations

from collections.abc import Callable

Listener = Callable[[str, int, int | None], None]
_listener: Listener | None = None


def listen(listener: Listener | None) -> None:
    """Send progress to ``listener(stage, advance, total)``; None stops it."""
    global _listener
    _listener = listener


def report(stage: str, advance: int = 0, total: int | None = None) -> None:
    """Tell the listener that ``advance`` more items of ``stage`` are done (of ``total``)."""
    if _listener is not None:
        _listener(stage, advance, total)

"""A stop asked for (Ctrl-C): the run's threads look here before their next input, so a
foreground run stops in seconds instead of finishing the chunks in flight first."""

from __future__ import annotations

import threading

_asked = threading.Event()


class Stopped(KeyboardInterrupt):
    """Raised in a run's threads once a stop was asked for: the run ends interrupted."""


def request() -> None:
    """Ask every part of this process's run to stop."""
    _asked.set()


def requested() -> bool:
    """Whether a stop was asked for."""
    return _asked.is_set()


def check() -> None:
    """Raise ``Stopped`` if a stop was asked for."""
    if _asked.is_set():
        raise Stopped


def clear() -> None:
    """Forget an earlier stop (the next run of this process goes on)."""
    _asked.clear()

"""The root of every error newsetl raises on purpose.

Each error says what happened to which input and, where there is one, what to do next.
The CLI prints ``Error: <message>`` for any ``NewsetlError`` and exits 1.
"""

from __future__ import annotations

from typing import ClassVar


class NewsetlError(Exception):
    """Base of every error newsetl raises on purpose."""

    fatal: ClassVar[bool] = False
    """True for errors that stop a run because every later input would fail alike (a bad
    config, an unusable warehouse); the others are recorded against their input"""

    def __reduce__(self) -> tuple:
        # errors with their own __init__ arguments travel whole between processes (an
        # error met in a worker process is recorded by the run that sent it the page)
        return (_rebuilt, (type(self), self.args, dict(self.__dict__)))


def _rebuilt(kind: type[NewsetlError], args: tuple, state: dict) -> NewsetlError:
    """An error as ``NewsetlError.__reduce__`` packed it, without calling its __init__."""
    error = kind.__new__(kind)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error

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

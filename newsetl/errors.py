"""The root of every error newsetl raises on purpose.

Each error says what happened to which input and, where there is one, what to do next.
The CLI prints ``Error: <message>`` for any ``NewsetlError`` and exits 1.
"""

from __future__ import annotations


class NewsetlError(Exception):
    """Base of every error newsetl raises on purpose."""

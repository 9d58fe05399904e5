"""The dated plain-text article format (FORMAT.md): normalise, write and read it.

A file is `` date YYYY-MM-DD `` followed by the first paragraph on the same line, then each
further paragraph on its own line, paragraphs separated by one empty line, ending in ``\\n\\n``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from newsetl.extract.errors import (
    ByteOrderMark,
    CRLFLineEnd,
    EmptyBody,
    InvalidDate,
    LayoutError,
    MissingDateLine,
    NotUTF8,
    NulByte,
)

DATE_PREFIX = " date "
_DATE_LINE = re.compile(r" date (\d{4})-(\d{2})-(\d{2}) (?=\S)")
_NAME = re.compile(r"^(\d+)_([0-9a-f]{16})\.txt$")

# typographic quotation marks folded to ASCII, as in the reference file
_QUOTES = {
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"', "\u301d": '"', "\u301e": '"', "\uff02": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2039": "'", "\u203a": "'",
    "\u2032": "'", "\uff07": "'",
}
# characters that vanish: zero-width marks, soft hyphen, BOM inside text
_DROP = {"\u200b": None, "\u200c": None, "\u2060": None, "\ufeff": None, "\u00ad": None}
# explicit line and paragraph separators break paragraphs like \n does
_BREAKS = {"\u2028": "\n", "\u2029": "\n", "\r": "\n", "\x0b": "\n", "\x0c": "\n", "\x85": "\n"}
_TABLE = str.maketrans({**_QUOTES, **_DROP, **_BREAKS})
_SPACE = re.compile(r"[^\S\n]+")  # any white space but \n: tabs, no-break and thin spaces ...
_BAD_SPACE = re.compile(r"[^\S ]|  |^ | $")  # tabs, other spaces, runs, edge spaces
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


@dataclass(frozen=True)
class DatedText:
    """One article in the dated format: its publication date and its paragraphs."""

    date: dt.date
    paragraphs: tuple[str, ...]

    def render(self) -> str:
        """The file content: date line, paragraphs, trailing blank line."""
        return format_dated(self.date, self.paragraphs)

    @property
    def body(self) -> str:
        """The paragraphs joined by newlines, without the date prefix."""
        return "\n".join(self.paragraphs)


def normalize_paragraph(text: str) -> str:
    """One paragraph in normal form: NFC, ASCII quotes, white space folded, no controls."""
    text = unicodedata.normalize("NFC", text).translate(_TABLE)
    text = _CONTROL.sub("", text)
    return _SPACE.sub(" ", text.replace("\n", " ")).strip()


def normalize_text(text: str) -> tuple[str, ...]:
    """Split extracted article text into normalised, non-empty paragraphs (one per line)."""
    text = unicodedata.normalize("NFC", text).translate(_TABLE)
    paragraphs = (normalize_paragraph(line) for line in text.split("\n"))
    return tuple(p for p in paragraphs if p)


def format_dated(date: dt.date, paragraphs: Iterable[str]) -> str:
    """Render a date and already-normalised paragraphs as a dated file's content."""
    paragraphs = tuple(paragraphs)
    if not paragraphs:
        raise EmptyBody("<article>", 1)
    return f"{DATE_PREFIX}{date.isoformat()} " + "\n\n".join(paragraphs) + "\n\n"


def parse_dated(content: str, source: str = "<string>") -> DatedText:
    """Parse a dated file's content; raise a named DatedFormatError with the line at fault."""
    if "\x00" in content:
        raise NulByte(source, content.count("\n", 0, content.index("\x00")) + 1)
    if content.startswith("\ufeff"):
        raise ByteOrderMark(source, 1)
    if "\r" in content:
        raise CRLFLineEnd(source, content.count("\n", 0, content.index("\r")) + 1)
    match = _DATE_LINE.match(content)
    if not match:
        if re.match(r" date \d{4}-\d{2}-\d{2} ?$", content.split("\n", 1)[0]):
            raise EmptyBody(source, 1, "the date line holds no paragraph")
        raise MissingDateLine(source, 1, f"it starts with {content[:24]!r}")
    try:
        date = dt.date(*(int(g) for g in match.groups()))
    except ValueError as error:
        raise InvalidDate(source, 1, f"{match.group(0).strip()[5:]}: {error}") from None
    lines = content[match.end():].split("\n")
    if len(lines) < 3 or lines[-1] != "" or lines[-2] != "":
        raise LayoutError(source, content.count("\n") + 1, "the file must end with '\\n\\n'")
    lines = lines[:-2]
    for index, line in enumerate(lines):
        number = index + 1
        if index % 2:
            if line:
                raise LayoutError(source, number, "paragraphs must be separated by one empty line")
            continue
        if not line:
            raise LayoutError(source, number, "empty paragraph (more than one blank line)")
        bad = _BAD_SPACE.search(line)
        if bad:
            column = bad.start() + 1 + (match.end() if index == 0 else 0)
            raise LayoutError(
                source, number, f"white space other than single inner spaces at column {column}"
            )
    return DatedText(date=date, paragraphs=tuple(lines[::2]))


def read_dated(path: str | os.PathLike[str]) -> DatedText:
    """Read and parse a dated file; errors name the file and line."""
    return parse_dated(read_dated_content(path), str(path))


def read_dated_content(path: str | os.PathLike[str]) -> str:
    """A dated file's content as text, after the byte-level checks (UTF-8, NUL)."""
    data = Path(path).read_bytes()
    if b"\x00" in data:
        raise NulByte(str(path), data.count(b"\n", 0, data.index(b"\x00")) + 1)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise NotUTF8(str(path), line, f"byte {error.start}: {error.reason}") from None


def write_atomic(path: str | os.PathLike[str], content: str) -> None:
    """Write text to a file so that readers see the old file or the new one, never a part."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_dated(path: str | os.PathLike[str], doc: DatedText) -> None:
    """Write a DatedText to a file atomically (temp file and rename)."""
    write_atomic(path, doc.render())


def corpus_name(sequence: int, article_id: str) -> str:
    """The file name of an article in a corpus folder: ``NNN_<id>.txt``."""
    return f"{sequence:03d}_{article_id}.txt"


def split_name(name: str) -> tuple[int, str] | None:
    """(sequence, id) from a ``NNN_<16 hex>.txt`` file name, or None for other names."""
    match = _NAME.match(name)
    return (int(match.group(1)), match.group(2)) if match else None

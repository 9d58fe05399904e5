"""Named errors of the dated text format (FORMAT.md), all ``NewsetlError``s."""

from __future__ import annotations

from newsetl.errors import NewsetlError


class DatedFormatError(NewsetlError):
    """A file or string does not follow the dated plain-text format (FORMAT.md)."""

    reason = "does not follow the dated text format"

    def __init__(self, source: str, line: int, detail: str = "") -> None:
        self.source = source
        self.line = line
        self.detail = detail
        message = f"{source}:{line}: {self.reason}"
        if detail:
            message += f" ({detail})"
        super().__init__(message)


class NotUTF8(DatedFormatError):
    """The bytes are not valid UTF-8."""

    reason = "is not UTF-8"


class ByteOrderMark(DatedFormatError):
    """The file starts with a byte-order mark, which the format forbids."""

    reason = "starts with a byte-order mark; save it as UTF-8 without BOM"


class NulByte(DatedFormatError):
    """The text holds a NUL character."""

    reason = "holds a NUL byte"


class CRLFLineEnd(DatedFormatError):
    """The text has carriage returns; the format allows only \\n line ends."""

    reason = "has CR or CRLF line ends; convert them to \\n"


class MissingDateLine(DatedFormatError):
    """The first line does not start with ' date YYYY-MM-DD '."""

    reason = "does not start with ' date YYYY-MM-DD ' followed by the first paragraph"


class InvalidDate(DatedFormatError):
    """The date line names a day that does not exist."""

    reason = "has an impossible date"


class EmptyBody(DatedFormatError):
    """There is no paragraph text."""

    reason = "has no article text"


class LayoutError(DatedFormatError):
    """Paragraphs, blank lines or white space break the layout rules."""

    reason = "breaks the layout rules"

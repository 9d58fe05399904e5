"""Double quotation marks and the quoted segments they enclose, found by a character scanner.

Typographic, straight, ```` `` ````/``''`` and guillemet marks pair within their family;
nested single quotes stay inside; a quote running over paragraphs by the newswire
convention (no closing mark, the next paragraph re-opening) is kept as a chain; stray
marks are skipped. Pure: text in, offsets out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Span = tuple[int, int]

# the dated format's first-line header, masked before parsing so it reads as no words
_DATED_HEADER = re.compile(r"^ date \d{4}-\d{2}-\d{2} ")


def for_parsing(text: str) -> str:
    """``text`` with a dated-format header blanked: the same offsets, no header words."""
    m = _DATED_HEADER.match(text)
    return " " * m.end() + text[m.end() :] if m else text


def doc_text(doc) -> str:
    """A parse's text, read once: ``Doc.text`` joins every token at each call."""
    text = doc.user_data.get("newsetl_text")
    if text is None:
        text = doc.user_data["newsetl_text"] = doc.text
    return text


def quoted_extents(segments: list[Segment]) -> list[Span]:
    """Each segment's extent with its marks: the text no cue or source may come from."""
    return [(s.open_mark[0], s.close_mark[1] if s.close_mark else s.end) for s in segments]


OPENERS = frozenset("“„‟«")
CLOSERS = frozenset("”»")
STRAIGHT = '"'
# what may precede an opening mark / follow a closing mark
_OPEN_BEFORE = set(" \t\n\r\xa0([{—–-/‘'")
_CLOSE_AFTER_PUNCT = set(".,;:!?)]}—–-…’'")

# a line break ends a paragraph, unless the next line goes on in lower case (a soft wrap)
_LINE_BREAK = re.compile(r"[ \t\r\xa0]*(?:\n[ \t\r\xa0]*){2,}|[ \t\r\xa0]*\n(?![a-z])\s*")


@dataclass(frozen=True)
class Mark:
    """One double quotation mark: where it is and which ways it may face."""

    start: int
    end: int
    can_open: bool
    can_close: bool
    family: str  # marks pair within a family: straight, typographic, guillemet or doubled


@dataclass(frozen=True)
class Segment:
    """The inside of one pair of marks, trimmed of white space, within one paragraph.

    ``closed`` is False when the quote runs on past the paragraph's end and the next
    paragraph re-opens it; such segments are chained by ``chains``.
    """

    start: int
    end: int
    open_mark: Span
    close_mark: Span | None
    paragraph: int

    @property
    def closed(self) -> bool:
        return self.close_mark is not None


def paragraphs(text: str) -> list[Span]:
    """Paragraph spans: the non-empty lines (the dated format has one paragraph a line),
    a line going on in lower case being the same paragraph hard-wrapped."""
    pos = len(text) - len(text.lstrip())
    out: list[Span] = []
    for m in _LINE_BREAK.finditer(text, pos):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def _family(mark: str) -> str:
    if mark == STRAIGHT:
        return "straight"
    if mark in ("``", "''"):
        return "doubled"
    if mark in "«»":
        return "guillemet"
    return "typographic"


def _is_space(c: str) -> bool:
    return c == "" or c.isspace()


def find_marks(text: str, start: int = 0, end: int | None = None) -> list[Mark]:
    """All double quotation marks in ``text[start:end]`` with their possible directions."""
    end = len(text) if end is None else end
    marks: list[Mark] = []
    i = start
    while i < end:
        c = text[i]
        if c in OPENERS or c in CLOSERS or c == STRAIGHT:
            j = i + 1
        elif c == "`" and text[i + 1 : i + 2] == "`":
            j = i + 2
        elif c == "'" and text[i + 1 : i + 2] == "'":
            j = i + 2
            while j < end and text[j] == "'":
                j += 1
            if j - i > 2:
                # a nested single quote next to a doubled one: `'no.'''` closes with the
                # last two, `'''Tis` would open with the first two
                if _is_space(text[j : j + 1]) or text[j : j + 1] in _CLOSE_AFTER_PUNCT:
                    i = j - 2
                else:
                    j = i + 2
        else:
            i += 1
            continue
        before = text[i - 1] if i > start else ""
        after = text[j] if j < end else ""
        open_ctx = (before == "" or before in _OPEN_BEFORE or before in OPENERS) and not _is_space(
            after
        )
        close_ctx = not _is_space(before) and (
            _is_space(after) or after in _CLOSE_AFTER_PUNCT or after in CLOSERS or after == '"'
        )
        mark = text[i:j]
        if mark in OPENERS or mark == "``":
            # a typographic opener only faces the other way when its context says so plainly
            can_open, can_close = True, close_ctx and not open_ctx
        elif mark in CLOSERS:
            can_open, can_close = open_ctx and not close_ctx, True
        else:
            can_open, can_close = open_ctx, close_ctx
            if not can_open and not can_close:
                # glued on both sides (`a"b`): could be either; let the state decide
                can_open = can_close = True
        if before == "":
            # nothing before it in the paragraph: whatever its shape, it opens
            can_open = True
        marks.append(Mark(i, j, can_open, can_close, _family(mark)))
        i = j
    return marks


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def scan(text: str) -> list[Segment]:
    """Quoted segments of ``text`` in order; run-on segments are kept only when re-opened."""
    raw: list[Segment] = []
    families: dict[int, str] = {}  # open mark start -> family
    paras = paragraphs(text)
    for p, (ps, pe) in enumerate(paras):
        opened: Mark | None = None
        nested: Mark | None = None  # a quote of another family inside the open one
        for m in find_marks(text, ps, pe):
            if opened is None:
                if m.can_open:
                    opened = m
                # else: a stray closing mark, skipped
            elif m.family != opened.family:
                # `"He read: “...” aloud"`: marks of another family nest; but texts mixing
                # styles also close a straight opener with a typographic closer
                if nested is not None:
                    if m.can_close:
                        nested = None
                elif m.can_close and not m.can_open:
                    s, e = _trim(text, opened.end, m.start)
                    if e > s:
                        raw.append(Segment(s, e, (opened.start, opened.end), (m.start, m.end), p))
                        families[opened.start] = opened.family
                    opened = None
                elif m.can_open:
                    nested = m
            elif m.can_close:
                s, e = _trim(text, opened.end, m.start)
                if e > s:
                    raw.append(Segment(s, e, (opened.start, opened.end), (m.start, m.end), p))
                    families[opened.start] = opened.family
                opened, nested = None, None
            else:
                # a second opener while one is open: the earlier one was stray
                opened, nested = m, None
        if opened is not None:
            s, e = _trim(text, opened.end, pe)
            if e > s:
                raw.append(Segment(s, e, (opened.start, opened.end), None, p))
                families[opened.start] = opened.family
    # a run-on segment stands only if the next paragraph starts by re-opening the quote
    # with a mark of the same family
    starts = {(seg.paragraph, seg.open_mark[0]) for seg in raw}
    out = []
    for seg in raw:
        if not seg.closed:
            nxt = seg.paragraph + 1
            if nxt >= len(paras) or (nxt, paras[nxt][0]) not in starts:
                continue
            if families[paras[nxt][0]] != families[seg.open_mark[0]]:
                continue
        out.append(seg)
    return out


TRANSCRIPT_LABEL = re.compile(r"([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):\s")
"""a transcript's speaker label opening a quoted paragraph (`"PENCE: Well, look...`)"""


def chains(segments: list[Segment], text: str = "") -> list[list[Segment]]:
    """Group run-on segments with the segment that re-opens them in the next paragraph;
    a paragraph opening with a transcript label (in ``text``) is another speaker's."""
    out: list[list[Segment]] = []
    current: list[Segment] = []
    for seg in segments:
        if current and not current[-1].closed and seg.paragraph == current[-1].paragraph + 1 \
                and not (text and TRANSCRIPT_LABEL.match(text, seg.start)):
            current.append(seg)
        else:
            if current:
                out.append(current)
            current = [seg]
    if current:
        out.append(current)
    return out

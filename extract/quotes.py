"""Extract direct quotes and their speakers from an article's text.

Pure: text in, ``Quote`` records out. A character scanner finds double-quoted segments
(typographic, straight, ```` `` ````/``''`` and guillemet marks; nested single quotes stay
inside; quotes running over paragraphs by the newswire convention; stray marks skipped).
Segments are then classified with the spaCy parse: a quote standing as its own sentence
or clause is ``direct``, a quoted fragment inside reported speech is ``mixed`` (its spans
then cover that reported clause, as PolNeAR/PARC define mixed quotes), and scare quotes
or titles (a few words, no verb, no cue) are dropped. Quotes split around their
attribution (`"...," he said. "..."`) are joined into one quote with several spans.
Speakers come from ``extract.speakers``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc, Token

from newsetl.extract.nlp import parse_texts
from newsetl.extract.speakers import (
    CUE_FORMS,
    EVALUATIVE_FORMS,
    Resolver,
    Source,
    find_source,
    source_of_verb,
)

QUOTES_VERSION = "quotes-1"

Span = tuple[int, int]


@dataclass(frozen=True)
class Quote:
    """One quote: where its words are and who said it.

    ``spans`` are offsets into the text as given (``text[s:e]`` is the quoted words, marks
    excluded); a quote split around its attribution or over paragraphs has several.
    ``speaker`` is the resolved name, ``speaker_mention``/``speaker_span`` the mention as
    written (a pronoun, a title, a surname...); all three are None when no speaker is found.
    """

    text: str
    spans: tuple[Span, ...]
    kind: str  # "direct" or "mixed"
    speaker: str | None
    speaker_mention: str | None
    speaker_span: Span | None
    cue: str | None
    cue_span: Span | None

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``newsetl extract --json``."""
        return {
            "text": self.text,
            "spans": [list(s) for s in self.spans],
            "kind": self.kind,
            "speaker": self.speaker,
            "speaker_mention": self.speaker_mention,
            "speaker_span": list(self.speaker_span) if self.speaker_span else None,
            "cue": self.cue,
            "cue_span": list(self.cue_span) if self.cue_span else None,
        }


# the scanner

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


def chains(segments: list[Segment]) -> list[list[Segment]]:
    """Group run-on segments with the segment that re-opens them in the next paragraph."""
    out: list[list[Segment]] = []
    current: list[Segment] = []
    for seg in segments:
        if current and not current[-1].closed and seg.paragraph == current[-1].paragraph + 1:
            current.append(seg)
        else:
            if current:
                out.append(current)
            current = [seg]
    if current:
        out.append(current)
    return out


# classification and assembly

# the dated format's first-line header, masked before parsing so it reads as no words
_DATED_HEADER = re.compile(r"^ date \d{4}-\d{2}-\d{2} ")
_LEAD_STANDALONE = tuple(".?!:,;—–-([") + ("”", '"', "''", "»")
_MAX_GAP_TOKENS = 30


@dataclass
class _Candidate:
    """A quoted chain being classified; mutable while the article is assembled."""

    spans: list[Span]
    marks: list[Span]  # each segment's extent with its marks
    para: int
    para_last: int  # the paragraph it ends in (a quote may run over several)
    para_span: Span
    standalone: bool  # opens a sentence or follows a colon, comma, dash or cue verb
    worthy: bool  # long enough or holds a verb: not a title or scare quote
    ends_sentence: bool


def _for_parsing(text: str) -> str:
    m = _DATED_HEADER.match(text)
    return " " * m.end() + text[m.end() :] if m else text


def _tokens_in(doc: Doc, spans: Sequence[Span]):
    for s, e in spans:
        span = doc.char_span(s, e, alignment_mode="expand")
        if span is not None:
            yield from span


def _candidate(text: str, doc: Doc, chain: list[Segment], paras: list[Span]) -> _Candidate:
    first, last = chain[0], chain[-1]
    ps, pe = paras[first.paragraph]
    lead = text[ps : first.open_mark[0]].rstrip()
    last_word = lead.rsplit(None, 1)[-1].lower() if lead else ""
    standalone = not lead or lead.endswith(_LEAD_STANDALONE) or last_word in CUE_FORMS
    spans = [(seg.start, seg.end) for seg in chain]
    toks = [t for t in _tokens_in(doc, spans) if not t.is_punct and not t.is_space]
    has_verb = any(t.tag_.startswith("VB") or t.tag_ == "MD" for t in toks)
    worthy = has_verb or len(toks) >= 6
    inner = text[last.start : last.end].rstrip("'’ ")
    ends_sentence = not last.closed or inner.endswith((".", "?", "!"))
    if not worthy:
        # a short verbless quote stands only as an answer: `"Absolutely," he said` or
        # `he said: "Absolutely."`, never as a title (`read "War and Peace" twice`)
        worthy = inner.endswith((",", ".", "?", "!")) and lead.endswith((":", ",")) or (
            inner.endswith((",", "?", "!")) and not lead
        )
    marks = [(seg.open_mark[0], seg.close_mark[1] if seg.close_mark else seg.end) for seg in chain]
    # a quote running over paragraphs is searched for its attribution over all of them
    para_span = (ps, paras[last.paragraph][1])
    return _Candidate(
        spans, marks, first.paragraph, last.paragraph, para_span, standalone, worthy, ends_sentence
    )


def _cues(doc: Doc, start: int, end: int, blocked: Sequence[Span]) -> list[int]:
    """Character offsets of the cue verbs between ``start`` and ``end``, outside quotes."""
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return []
    return [
        t.idx
        for t in span
        if t.lower_ in CUE_FORMS
        and t.tag_.startswith("VB")
        and not any(s <= t.idx < e for s, e in blocked)
    ]


def _cue_between(doc: Doc, start: int, end: int, blocked: Sequence[Span]) -> bool:
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or len(span) > _MAX_GAP_TOKENS:
        return False
    return bool(_cues(doc, start, end, blocked))


def _attributing_gap(doc: Doc, start: int, end: int, blocked: Sequence[Span]) -> bool:
    """Whether the text between two quotes is their shared attribution (`, he said. `).

    The cue must sit in the gap's first sentence and no later sentence of the gap may hold
    another cue (which would attribute the second quote to someone else).
    """
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or len(span) > 2 * _MAX_GAP_TOKENS:
        return False
    # spaCy keeps abbreviations whole (`Mr.`), so a lone stop token ends a sentence
    stops = [t.idx for t in span if t.text in (".", "?", "!", ";")]
    first_end = stops[0] + 1 if stops else end
    cues = _cues(doc, start, end, blocked)
    return bool(cues) and all(c < first_end for c in cues) and cues[0] - start < 250


def _join_split(cands: list[_Candidate], doc: Doc, blocked: Sequence[Span]) -> list[_Candidate]:
    """Join `"A," he said. "B."` into one candidate with the spans of A and B.

    Titles and scare quotes inside the attribution (`said on "Fox and Friends." "B"`) are
    dropped with the join.
    """
    out: list[_Candidate] = []
    for c in cands:
        k = len(out) - 1
        while k >= 0 and not out[k].standalone and not out[k].worthy:
            k -= 1
        prev = out[k] if k >= 0 else None
        if (
            prev is not None
            and prev.standalone
            and c.standalone
            and prev.para_last == c.para
            and (prev.worthy or c.worthy)
            and _attributing_gap(doc, prev.marks[-1][1], c.marks[0][0], blocked)
            and not _has_trailer_cue(doc, c, blocked)
        ):
            del out[k + 1 :]
            prev.spans.extend(c.spans)
            prev.marks.extend(c.marks)
            prev.para_last = c.para_last
            prev.worthy = True
            prev.ends_sentence = c.ends_sentence
            continue
        out.append(c)
    return out


def _has_trailer_cue(doc: Doc, c: _Candidate, blocked: Sequence[Span]) -> bool:
    """Whether a quote is followed by its own attribution (`"B," she replied`)."""
    return _trailer_cue(doc, c.marks[-1][1], c.para_span[1], blocked)


def _trailer_cue(doc: Doc, end: int, stop: int, blocked: Sequence[Span]) -> bool:
    for s, _ in blocked:
        if s >= end:
            stop = min(stop, s)
            break
    rest = doc.text[end:stop]
    cut = re.search(r"[.?!;]", rest)
    if cut:
        stop = end + cut.start()
    return _cue_between(doc, end, stop, blocked)


_AGENT_ENTS = ("PERSON", "ORG", "NORP", "GPE")
_AGENT_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "who"})


def _governing_verb(doc: Doc, spans: Sequence[Span], blocked: Sequence[Span]) -> Token | None:
    """The verb a quoted fragment reports for: a cue above it, or a verb with an agent subject.

    `Flynn said Trump was "absolutely right"` gives `said`; `Trump admires Putin as a
    "strong leader"` gives `admires`, whose subject is a person.
    """
    frag = doc.char_span(spans[0][0], spans[0][1], alignment_mode="expand")
    if frag is None:
        return None
    path = []
    t = frag.root
    while t.head.i != t.i and len(path) < 8:
        t = t.head
        if not any(s <= t.idx < e for s, e in blocked):
            path.append(t)
    for v in path:
        if (v.lower_ in CUE_FORMS or v.lower_ in EVALUATIVE_FORMS) and v.tag_.startswith("VB"):
            return v
    for v in path:
        if not v.tag_.startswith("VB"):
            continue
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass") and (
                c.ent_type_ in _AGENT_ENTS or c.lower_ in _AGENT_PRONOUNS or c.tag_ == "NNP"
            ):
                return v
    return None


def _clause_spans(doc: Doc, cue_span: Span | None, spans: Sequence[Span]) -> list[Span]:
    """For a mixed quote: the reported clause (the cue's dependents) holding the fragment."""
    if cue_span is None:
        return list(spans)
    cue = doc.char_span(*cue_span, alignment_mode="expand")
    frag = doc.char_span(spans[0][0], spans[0][1], alignment_mode="expand")
    if cue is None or frag is None:
        return list(spans)
    cue_tok = cue.root
    t = frag.root
    while t.head.i != t.i and t.head.i != cue_tok.i:
        t = t.head
    if t.head.i != cue_tok.i or t.i == cue_tok.i:
        return list(spans)
    start = t.left_edge.idx
    if t.i > cue_tok.i:
        # `admires [Putin] [as a "strong leader"]`: the cue's objects before it belong too
        for c in cue_tok.rights:
            if c.i < t.i and c.dep_ in ("dobj", "dative", "prep", "mark", "oprd", "ccomp"):
                start = min(start, c.left_edge.idx)
                break
    right = t.right_edge
    end = max(right.idx + len(right.text), spans[-1][1])
    # the clause never takes the cue or its subject with it
    if start < cue_span[0] < end:
        if spans[0][0] > cue_span[0]:
            start = cue_span[1]
        else:
            end = cue_span[0]
    text = doc.text
    while start < end and (text[start].isspace() or text[start] in ",;:"):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return [(start, end)] if end > start else list(spans)


_SMALL_WORDS = frozenset("a an and as at by for from in of on or the to with".split())


def _looks_like_title(text: str, spans: Sequence[Span]) -> bool:
    """A short quoted name in title case (a show, a book, a slogan), not speech."""
    words = re.findall(r"[\w'’-]+", " ".join(text[s:e] for s, e in spans))
    if not words or len(words) > 8 or not words[0][0].isupper():
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS or w[0].isdigit() for w in words)


def _quote(text: str, spans: Sequence[Span], kind: str, src: Source | None) -> Quote:
    return Quote(
        text=" ".join(text[s:e] for s, e in spans),
        spans=tuple(spans),
        kind=kind,
        speaker=src.name if src else None,
        speaker_mention=src.mention if src else None,
        speaker_span=src.span if src else None,
        cue=src.cue if src else None,
        cue_span=src.cue_span if src else None,
    )


def quotes_from_doc(text: str, doc: Doc) -> list[Quote]:
    """Extract quotes from ``text`` given its spaCy parse (same length, same offsets)."""
    text = _for_parsing(text)  # the same offsets, with a dated-format header blanked
    segs = scan(text)
    if not segs:
        return []
    paras = paragraphs(text)
    cands = [_candidate(text, doc, ch, paras) for ch in chains(segs)]
    blocked = [m for c in cands for m in c.marks]
    cands = _join_split(cands, doc, blocked)
    resolver = Resolver(doc, quoted=blocked)
    quotes: list[Quote] = []
    last_direct: tuple[int, Source] | None = None  # paragraph and source of the last quote
    for c in cands:
        if c.standalone:
            if not c.worthy:
                continue  # a title or a scare quote
            src = find_source(
                doc, c.spans, blocked, c.para_span, resolver, ends_sentence=c.ends_sentence
            )
            if src is None and last_direct and last_direct[0] == c.para - 1:
                at_start = c.marks[0][0] == c.para_span[0]
                if at_start:
                    # a continuation quote keeps the previous paragraph's speaker
                    src = last_direct[1]
            if src is not None:
                resolver.remember(c.spans[0][0], src.span)
                last_direct = (c.para_last, src)
            else:
                last_direct = None
            quotes.append(_quote(text, c.spans, "direct", src))
        else:
            if _looks_like_title(text, c.spans):
                continue  # `on "Face the Nation,"`, `his book "The Art of the Deal"`
            verb = _governing_verb(doc, c.spans, blocked)
            src = source_of_verb(verb, blocked, resolver) if verb is not None else None
            if src is None:
                src = find_source(
                    doc, c.spans, blocked, c.para_span, resolver, allow_previous_sentence=False
                )
            if src is None or src.cue is None:
                continue  # a scare quote or a title
            spans = _clause_spans(doc, src.cue_span, c.spans)
            if c.worthy and all(c.marks[0][0] <= s and e <= c.marks[-1][1] for s, e in spans):
                # the cue's whole complement is the quote (`Trump attacked "..."`): direct
                resolver.remember(c.spans[0][0], src.span)
                quotes.append(_quote(text, c.spans, "direct", src))
                continue
            if quotes and quotes[-1].kind == "mixed" and _overlaps(quotes[-1].spans, spans):
                continue  # a second fragment of the same reported clause
            resolver.remember(c.spans[0][0], src.span)
            quotes.append(_quote(text, spans, "mixed", src))
    return quotes


def _overlaps(a: Sequence[Span], b: Sequence[Span]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def extract_quotes(text: str) -> list[Quote]:
    """Extract the quotes of one article (dated format or raw text)."""
    return extract_quotes_many([text])[0]


def extract_quotes_many(texts: Iterable[str], batch_size: int = 16) -> list[list[Quote]]:
    """Extract quotes from many articles, parsing them in batches with ``nlp.pipe``."""
    texts = list(texts)
    # only articles with a quotation mark are worth parsing
    todo = [i for i, t in enumerate(texts) if scan(_for_parsing(t))]
    out: list[list[Quote]] = [[] for _ in texts]
    docs = parse_texts((_for_parsing(texts[i]) for i in todo), batch_size=batch_size)
    for i, doc in zip(todo, docs, strict=True):
        out[i] = quotes_from_doc(texts[i], doc)
    return out

"""Extract direct quotes and their speakers from an article's text.

Pure: text in, ``Quote`` records out. A character scanner finds double-quoted segments
(typographic, straight, ```` `` ````/``''`` and guillemet marks; nested single quotes stay
inside; quotes running over paragraphs by the newswire convention; stray marks skipped).
Segments are then classified with the spaCy parse: a quote standing as its own sentence
or clause is ``direct``, a quoted fragment inside reported speech is ``mixed`` (its spans
then cover that reported clause, as PolNeAR/PARC define mixed quotes), and scare quotes
or titles (a few words, no verb, no cue) are dropped. Quotes split around their
attribution (`"...," he said. "..."`) are joined into one quote with several spans.
Speakers come from the sieve (``sieve``), resolved by the article's entity model
(``entities``); every quote has a ``confidence`` (``sieve.confidence``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from spacy.tokens import Doc, Token

from newsetl.extract.attribution.entities import ArticleEntities, ParsedArticle
from newsetl.extract.attribution.lexicon import EVALUATIVE_CUES, QUOTE_CUES, WORK_NOUNS
from newsetl.extract.attribution.marks import (
    TRANSCRIPT_LABEL,
    Segment,
    chains,
    doc_text,
    paragraphs,
)
from newsetl.extract.attribution.sieve import Source, confidence, find_source, source_of_verb

QUOTES_VERSION = "quotes-4"

Span = tuple[int, int]


@dataclass(frozen=True)
class Quote:
    """One quote: where its words are and who said it.

    ``spans`` are offsets into the text as given (``text[s:e]`` is the quoted words, marks
    excluded); a quote split around its attribution or over paragraphs has several.
    ``speaker`` is the resolved name (None for nobody named), ``speaker_mention`` /
    ``speaker_span`` the mention as written (a pronoun, a title, a surname...), both None
    when no speaker is found; ``speaker_type`` is one of ``entities.SOURCE_TYPES``.
    ``confidence`` in [0, 1] says how sure the attribution is (``sieve.confidence``).
    """

    text: str
    spans: tuple[Span, ...]
    kind: str  # "direct" or "mixed"
    speaker: str | None
    speaker_mention: str | None
    speaker_span: Span | None
    cue: str | None
    cue_span: Span | None
    speaker_type: str = "none"
    confidence: float = 0.0
    speaker_entity: int | None = None
    """index of the speaker's entity in the article's entity model (None when unnamed)"""

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
            "speaker_type": self.speaker_type,
            "confidence": self.confidence,
        }


# classification and assembly

_LEAD_STANDALONE = tuple(".?!:,;—–-([") + ("”", '"', "''", "»")
_MAX_GAP_TOKENS = 30
# `said Ruiz, speaking at a rally, "..."`: a participle of circumstance, not a new report
_CIRCUMSTANCE_CUE = "speaking"


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
    titled: bool  # set off after a noun for a work (`his book, "..."`): a title unless cued


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
    standalone = not lead or lead.endswith(_LEAD_STANDALONE) or last_word in QUOTE_CUES
    spans = [(seg.start, seg.end) for seg in chain]
    toks = [t for t in _tokens_in(doc, spans) if not t.is_punct and not t.is_space]
    has_verb = any(t.tag_.startswith("VB") or t.tag_ == "MD" for t in toks)
    # `his book, "The Long Road,"`: a title set off after the noun for its work
    before_comma = lead[:-1].split() if lead.endswith(",") else []
    titled = bool(before_comma) and before_comma[-1].lower() in WORK_NOUNS
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
    return _Candidate(spans, marks, first.paragraph, last.paragraph, para_span, standalone,
                      worthy, ends_sentence, titled)


def _cues(doc: Doc, start: int, end: int, blocked: Sequence[Span]) -> list[int]:
    """Character offsets of the cue verbs between ``start`` and ``end``, outside quotes."""
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return []
    return [
        t.idx
        for t in span
        if t.lower_ in QUOTE_CUES
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
    another cue (which would attribute the second quote to someone else). A gap ending in a
    colon, or a second cue leading straight into the second quote (`, he said, adding
    later, "B"`), introduces the second quote as an attribution of its own.
    """
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or len(span) > 2 * _MAX_GAP_TOKENS:
        return False
    # spaCy keeps abbreviations whole (`Mr.`), so a lone stop token ends a sentence
    stops = [t.idx for t in span if t.text in (".", "?", "!", ";")]
    first_end = stops[0] + 1 if stops else end
    if doc_text(doc)[start:end].rstrip().endswith(":"):
        return False  # `He added: "B"`: the lead-in of the next quote, not a shared attribution
    cues = _cues(doc, start, end, blocked)
    rest = doc_text(doc)[cues[-1] : end] if cues else ""
    if len(cues) > 1 and not rest.lower().startswith(_CIRCUMSTANCE_CUE) and _leads_into_quote(rest):
        return False
    return bool(cues) and all(c < first_end for c in cues) and cues[0] - start < 250


def _leads_into_quote(rest: str) -> bool:
    """Whether the text from a cue to the next quote's mark introduces that quote: no
    sentence ends in it and it ends in a comma (`adding later, "`); a gap ending in a colon
    never joins at all."""
    return not re.search(r"[.?!;]", rest) and rest.rstrip().endswith(",")


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
    rest = doc_text(doc)[end:stop]
    cut = re.search(r"[.?!;]", rest)
    if cut:
        stop = end + cut.start()
    elif rest.rstrip().endswith(":"):
        return False  # `"B." Her neighbour said: "C"`: the cue leads into the next quote
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
        if (v.lower_ in QUOTE_CUES or v.lower_ in EVALUATIVE_CUES) and v.tag_.startswith("VB"):
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
    text = doc_text(doc)
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
        speaker_type=src.type if src else "none",
        confidence=confidence(src, spans, kind),
        speaker_entity=src.entity if src else None,
    )


def find_quotes(article: ParsedArticle) -> list[Quote]:
    """The quotes of a parsed article, speakers resolved by its entity model."""
    text, doc, model = article.text, article.doc, article.entities
    if not article.segments:
        return []
    paras = paragraphs(text)
    cands = [_candidate(text, doc, ch, paras) for ch in chains(article.segments, text)]
    blocked = [m for c in cands for m in c.marks]
    cands = _join_split(cands, doc, blocked)
    quotes: list[Quote] = []
    last_direct: tuple[int, Source] | None = None  # paragraph and source of the last quote
    for c in cands:
        if c.standalone:
            if not c.worthy or (c.titled and not _has_trailer_cue(doc, c, blocked)):
                continue  # a title or a scare quote
            src = _transcript_label(text, c, model)
            if src is not None:
                # `"WALLACE: Let's start ...`: the label is the speaker, not the words
                start = src.span[1] + 1
                while text[start].isspace():
                    start += 1
                c.spans[0] = (start, c.spans[0][1])
            else:
                src = find_source(doc, c.spans, blocked, c.para_span, model,
                                  ends_sentence=c.ends_sentence)
            if src is None and last_direct and last_direct[0] == c.para - 1:
                at_start = c.marks[0][0] == c.para_span[0]
                if at_start:
                    # a continuation quote keeps the previous paragraph's speaker
                    src = replace(last_direct[1], how="continuation")
            elif src is None and last_direct and last_direct[0] == c.para:
                # `"...," Obama said. He did not say more. "..."`: a quote with no cue
                # later in the paragraph of an attributed one goes on in its voice
                src = replace(last_direct[1], how="continuation")
            last_direct = (c.para_last, src) if src is not None else None
            quotes.append(_quote(text, c.spans, "direct", src))
        else:
            if _looks_like_title(text, c.spans):
                continue  # `on "Face the Nation,"`, `his book "The Art of the Deal"`
            verb = _governing_verb(doc, c.spans, blocked)
            src = source_of_verb(verb, blocked, model) if verb is not None else None
            if src is None:
                src = find_source(doc, c.spans, blocked, c.para_span, model,
                                  allow_previous_sentence=False)
            if src is None or src.cue is None:
                continue  # a scare quote or a title
            spans = _clause_spans(doc, src.cue_span, c.spans)
            if c.worthy and all(c.marks[0][0] <= s and e <= c.marks[-1][1] for s, e in spans):
                # the cue's whole complement is the quote (`Trump attacked "..."`): direct
                quotes.append(_quote(text, c.spans, "direct", src))
                continue
            if quotes and quotes[-1].kind == "mixed" and _overlaps(quotes[-1].spans, spans):
                continue  # a second fragment of the same reported clause
            quotes.append(_quote(text, spans, "mixed", src))
            # a quote paragraph after this one goes on in the same voice
            last_direct = (c.para_last, src)
    return quotes


def _transcript_label(text: str, c: _Candidate, model: ArticleEntities) -> Source | None:
    """The speaker of a quote that opens with a transcript label, resolved (its span ends
    at the colon); None when the quote has none, or the label names nobody (`Q:`)."""
    s, e = c.spans[0]
    m = TRANSCRIPT_LABEL.match(text, s, min(e, s + 40))
    if m is None or len(m.group(1).replace(".", "")) < 2:
        return None
    res = model.resolve(m.start(1), m.end(1))
    if res.name is None:
        return None
    return Source(mention=m.group(1), span=(m.start(1), m.end(1)), name=res.name, type=res.type,
                  cue=None, cue_span=None, how="label", resolved_how=res.how, entity=res.entity)


def _overlaps(a: Sequence[Span], b: Sequence[Span]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)

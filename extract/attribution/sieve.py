"""Find who said something: the source sieve, shared by quotes and claims.

Given a parsed article and the character spans of some content (a quote or a claim),
``find_source`` looks for the attribution in an ordered sieve: a cue verb with its
subject next to the content (`X said`, `said X`), `according to X`, a colon lead-in
(`X: "..."`) or a dash trailer (`"..." - X`), then a cue in the neighbouring sentence.
The mention found is resolved by the article's entity model (``entities``); each source
says which step found it (``how``), which ``confidence`` reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsetl.extract.attribution.entities import ArticleEntities, Resolution
from newsetl.extract.attribution.lexicon import (
    ADDRESSEE_VERBS,
    INTRODUCING_CUES,
    QUOTE_CUES,
    SOURCE_NOUNS,
    TITLES,
)
from newsetl.extract.attribution.marks import doc_text

Span = tuple[int, int]

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_SPEAKER_ENTS = ("PERSON", "ORG", "NORP", "GPE", "FAC", "PRODUCT", "WORK_OF_ART")
_RELATIVE = frozenset({"who", "which", "that"})
_DASHES = re.compile(r"[-—–―]+|--")
_MARK_CHARS = frozenset('"“”„‟«»`\'')
# `"..."` then a paragraph of its own: `- Hillary Clinton.`
_DASH_PARAGRAPH = re.compile(r"[ \t\xa0]*\n\s*[-—–―]+[ \t\xa0]*([^\n]{1,60}?)[.\s]*(?:\n|$)")


@dataclass(frozen=True)
class Source:
    """Who a content is attributed to: the mention as written, its resolution, the cue,
    and the sieve step that found it (``cue-subject``, ``according-to``, ``colon``,
    ``dash``, ``previous-sentence``, ``continuation``, ``label``...)."""

    mention: str
    span: Span
    name: str | None
    type: str
    cue: str | None
    cue_span: Span | None
    how: str
    resolved_how: str = "name"
    entity: int | None = None


def make_source(doc: Doc, span: Span, res: Resolution, cue: str | None, cue_span: Span | None,
                how: str) -> Source:
    """A ``Source`` for the mention at ``span`` resolved as ``res``."""
    s, e = span
    around = doc.char_span(s, e, alignment_mode="expand")  # cheaper than Doc.text
    mention = around.text[s - around.start_char : e - around.start_char] if around else ""
    return Source(mention=mention, span=span, name=res.name, type=res.type, cue=cue,
                  cue_span=cue_span, how=how, resolved_how=res.how, entity=res.entity)


def _tok_span(doc: Doc, start: int, end: int):
    return doc.char_span(start, end, alignment_mode="expand")


def _quoted(t: Token, spans: Sequence[Span]) -> bool:
    """Whether a token lies inside quoted text; judged by its last character, so a closing
    mark glued to the next word (`,”Clinton said`) does not hide the word."""
    return _in_any(t.idx + len(t.text) - 1, spans)


def _in_any(i: int, spans: Sequence[Span]) -> bool:
    return any(s <= i < e for s, e in spans)


def _mention_span(tok: Token) -> tuple[int, int]:
    """Character span of the noun phrase headed by ``tok``, without trailing modifiers."""
    doc = tok.doc
    if tok.ent_type_ in _SPEAKER_ENTS:
        # the entity's extent from the IOB tags (Doc.ents would build every entity)
        start = tok.i
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        end = tok.i + 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
        # keep a title just before the name ("Sen. Tim Kaine") and a quantifier of a group
        # ("many Republicans")
        while start > 0 and (doc[start - 1].lower_ in TITLES and doc[start - 1].is_title or (
            doc[start - 1].head.i == tok.i and doc[start - 1].dep_ in ("det", "amod", "nummod")
            and not doc[start - 1].ent_type_
        )):
            start -= 1
        last = doc[end - 1]
        return doc[start].idx, last.idx + len(last.text)
    start = tok.i
    for child in tok.lefts:
        if child.dep_ in ("det", "compound", "amod", "poss", "nummod", "nmod", "quantmod"):
            start = min(start, child.left_edge.i)
    end = tok.i
    for child in tok.rights:
        if child.dep_ in ("compound", "flat") or (child.dep_ == "prep" and child.lower_ == "for"):
            end = max(end, child.right_edge.i)
    s, e = doc[start].idx, doc[end].idx + len(doc[end].text)
    words = doc[start : end + 1].text  # Doc.text joins every token: read the span only
    while s < e and words[s - doc[start].idx] in _MARK_CHARS:
        s += 1  # a closing mark glued to the name
    return s, e


_AGENT_SUFFIX = re.compile(r"(ers?|ors?|ists?|ians?|ants?|ents?|ees?)$")


def can_speak(tok: Token) -> bool:
    """Whether a subject could be a source: a name, a pronoun, a person, group or
    organisation (also by an agent noun's ending: farmers, residents, economists), or an
    artifact that carries language."""
    return (tok.tag_ in ("NNP", "NNPS", "PRP", "WP") or bool(tok.ent_type_)
            or tok.lower_ in SOURCE_NOUNS or tok.lower_ in TITLES
            or bool(_AGENT_SUFFIX.search(tok.lower_)) and len(tok.text) > 4)


def _agent_between(subj: Token, verb: Token, blocked: Sequence[Span]) -> Token | None:
    """The subject that could speak of the last verb between ``subj`` and ``verb``."""
    for t in reversed(verb.doc[subj.i + 1 : verb.i]):
        if t.dep_ in _SUBJ and t.head.i < verb.i and can_speak(t) and not _quoted(t, blocked):
            return t
    return None


def _subject(verb: Token, blocked: Sequence[Span]) -> Token | None:
    """The speaker token of a cue verb: its subject, climbing through conjuncts."""
    v = verb
    for _ in range(4):
        for child in v.children:
            if child.dep_ in _SUBJ and not _quoted(child, blocked):
                if child.lower_ in _RELATIVE and v.dep_ == "relcl":
                    # `Trump, who said`: the speaker is the noun the clause hangs on
                    return v.head if not _quoted(v.head, blocked) else None
                if v.i != verb.i and not can_speak(child):
                    # reached through a coordination the parse got wrong: the nearer
                    # subject that can speak is the speaker, or nobody
                    return _agent_between(child, verb, blocked)
                return child
        if v.dep_ == "conj" and v.tag_ == "VBD" and v.head.tag_ == "VB" and \
                v.head.dep_ == "ccomp" and v.head.head.tag_ == "VBD":
            # `May said that the country would declare ... and suggested that ...`: a past
            # verb joined to a reported clause's bare verb goes with the verb reporting it
            v = v.head.head
            continue
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.i != v.i:
            v = v.head
            continue
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.i != v.head.i:
            v = v.head.head  # `She followed that by saying`
            continue
        if v.dep_ in ("acl", "relcl") and not v.head.tag_.startswith("VB"):
            noun = v.head
            holder = noun.head.head if noun.dep_ == "pobj" and noun.head.dep_ == "prep" else (
                noun.head if noun.dep_ == "dobj" else None)
            if v.dep_ == "acl" and v.tag_ == "VBG" and not can_speak(noun) and \
                    holder is not None and holder.tag_.startswith("VB"):
                # `she said at a news conference announcing ...`, `he set a policy urging
                # ...`: an event or a thing speaks for whoever held or made it
                v = holder
                continue
            return v.head if not _quoted(v.head, blocked) else None
        break
    # mis-parsed: the noun right before the cue (`Chief Chuck Jordan said`)
    k = verb.i - 1
    while k >= 0 and verb.doc[k].tag_ in ("RB", "MD") and verb.i - k < 3:
        k -= 1
    if k >= 0:
        left = verb.doc[k]
        if left.tag_ in ("NNP", "NNPS", "NN", "NNS", "PRP") and not _quoted(left, blocked):
            if left.ent_type_ not in ("DATE", "TIME", "CARDINAL", "ORDINAL"):
                return left
    # inverted and mis-parsed: `said Trump` with Trump as object
    if verb.lower_ not in ADDRESSEE_VERBS:
        for child in verb.rights:
            if child.dep_ in ("dobj", "attr", "npadvmod", "dep", "appos") and not _quoted(
                child, blocked
            ):
                if child.ent_type_ in ("PERSON", "ORG") or (
                    child.tag_ in ("NNP", "NNPS") and not child.ent_type_
                ):
                    return child
    return None


def _has_own_content(verb: Token, blocked: Sequence[Span], content: Sequence[Span]) -> bool:
    """Whether a cue verb already reports something else (`he said that ...` outside quotes).

    Only a clause straight after the verb counts: one behind a comma or a line break is
    usually the parser running on into the next sentence or paragraph.
    """
    doc = verb.doc
    for child in verb.children:
        if child.dep_ == "xcomp" and child.i > verb.i and not _quoted(child, blocked):
            # `would continue to break barriers`, `vowed to fight`: not a speech verb here
            if any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
                return True
        if child.dep_ != "ccomp" or child.i < verb.i:
            continue
        if _quoted(child, blocked) or _quoted(child, content):
            continue
        between = doc[verb.i + 1 : child.left_edge.i]
        if any(t.is_punct or "\n" in t.text_with_ws for t in between):
            continue
        if "\n" in doc[verb.i : child.i].text_with_ws.rstrip():
            continue
        return True
    return False


@dataclass(frozen=True)
class Window:
    """Tokens around a content that may hold its attribution, closest first."""

    tokens: tuple[Token, ...]
    where: str  # "gap", "after" or "before"


def _windows(doc: Doc, content: Sequence[Span], blocked: Sequence[Span], para: Span):
    """The gap(s) inside a split content, the trailer after it and the lead-in before it."""
    first, last = content[0][0], content[-1][1]
    out = []
    gap_toks = [
        t
        for a, b in zip(content, content[1:], strict=False)
        for t in _tokens_between(doc, a[1], b[0])
        if not _quoted(t, blocked)
    ]
    if gap_toks:
        out.append(Window(tuple(gap_toks), "gap"))
    after = []
    for t in _tokens_between(doc, last, para[1]):
        if _quoted(t, blocked):
            if after:
                break
            continue
        after.append(t)
        if t.text in (".", "?", "!", ";") or len(after) > 30:
            break
    out.append(Window(tuple(after), "after"))
    before = []
    for t in reversed(_tokens_between(doc, para[0], first)):
        if _quoted(t, blocked):
            if before:
                break
            continue
        if t.text in (".", "?", "!", ";"):
            break  # the sentence before is the sieve's later step, not a lead-in
        before.append(t)
        if len(before) > 40:
            break
    out.append(Window(tuple(before), "before"))
    return out


def _tokens_between(doc: Doc, start: int, end: int) -> list[Token]:
    if end <= start:
        return []
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return [t for t in doc if start <= t.idx < end]
    return list(span)


def _is_cue(t: Token) -> bool:
    return t.lower_ in QUOTE_CUES and t.tag_.startswith("VB")


def _source_from_cue(cue: Token, blocked: Sequence[Span], model: ArticleEntities,
                     window: Sequence[Token] = (), how: str = "cue-subject") -> Source | None:
    subj = _subject(cue, blocked)
    if subj is None:
        # a parse gone wrong around an apposition: `"...," Flynn, a surrogate, said`
        left = [t for t in window if t.i < cue.i and t.ent_type_ in ("PERSON", "ORG")]
        if not left:
            return None
        subj = max(left, key=lambda t: t.i)
    model.speaker(subj)
    return make_source(cue.doc, _mention_span(subj), model.resolve_token(subj), cue.text,
                       (cue.idx, cue.idx + len(cue.text)), how)


def source_of_verb(verb: Token, blocked: Sequence[Span], model: ArticleEntities,
                   how: str = "cue-subject") -> Source | None:
    """The source of a content governed by ``verb``: its subject, resolved (or None)."""
    return _source_from_cue(verb, blocked, model, how=how)


def _according_to(tokens: Iterable[Token], model: ArticleEntities) -> Source | None:
    for t in tokens:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor().lower_ == "to":
            to = t.nbor()
            objs = [c for c in to.children if c.dep_ == "pobj"]
            if not objs:
                continue
            return make_source(t.doc, _mention_span(objs[0]), model.resolve_token(objs[0]),
                               "according to", (t.idx, to.idx + len(to.text)), "according-to")
    return None


def _entity_before(tokens: Sequence[Token], model: ArticleEntities) -> Source | None:
    """The person or organisation named right before a lead-in colon or dash."""
    if not tokens or tokens[0].ent_type_ not in ("PERSON", "ORG"):
        return None
    tok = tokens[0]
    return make_source(tok.doc, _mention_span(tok), model.resolve_token(tok), None, None, "colon")


def _name_source(tokens: Sequence[Token], model: ArticleEntities, how: str) -> Source | None:
    """A bare name as the whole lead-in (`Trump: "..."`) or trailer (`"..." - Trump`)."""
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if not words or len(words) > 6 or any(t.tag_.startswith("VB") for t in words):
        return None
    if not any(t.ent_type_ in ("PERSON", "ORG") or t.tag_ == "NNP" for t in words):
        return None
    s, e = words[0].idx, words[-1].idx + len(words[-1].text)
    res = model.resolve(s, e)
    if res.name is None and res.type == "none":
        return None
    return make_source(words[0].doc, (s, e), res, None, None, how)


def _any_verb_source(w: Window, content: Sequence[Span], blocked: Sequence[Span],
                     model: ArticleEntities) -> Source | None:
    """A verb outside the lexicon that still attributes by its place: the lead-in of a
    colon (`Christie gloated: "..."`, `Bush broke down what was wrong: "..."`) or a short
    trailer of manner (`"...," Oliver barked.`); trusted less than a cue."""
    toks = list(w.tokens)
    if w.where == "before" and toks and toks[0].text == ":":
        verbs = [t for t in toks[1:] if t.tag_.startswith("VB") and t.dep_ in ("ROOT", "conj")]
        for verb in verbs:
            src = _source_from_cue(verb, blocked, model, how="colon-verb")
            if src is not None and src.name is not None or (src and src.type != "none"):
                return src
    if w.where == "after" and toks and toks[0].text in (",", "!", "?", "—", "-") or (
        w.where == "after" and toks and _DASHES.fullmatch(toks[0].text)
    ):
        words = [t for t in toks if not t.is_punct]
        if 2 <= len(words) <= 6:
            verb = next((t for t in words if t.tag_ in ("VBD", "VBZ")), None)
            if verb is not None:
                subj = next((c for c in verb.children if c.dep_ == "nsubj"
                             and c.i > content[-1][1] - 10**9 and not _quoted(c, blocked)), None)
                if subj is not None and subj.idx >= content[-1][1]:
                    return _source_from_cue(verb, blocked, model, how="manner")
    return None


def find_source(
    doc: Doc,
    content: Sequence[Span],
    blocked: Sequence[Span],
    paragraph: Span | None,
    model: ArticleEntities,
    ends_sentence: bool = False,
    allow_previous_sentence: bool = True,
) -> Source | None:
    """Find the source of ``content`` (its character spans, in order) by the sieve.

    ``blocked`` are spans no cue or speaker may come from (all quoted text in the article);
    ``paragraph`` bounds the search (None: the line holding the content); ``ends_sentence``
    says the content closes its own sentence (`..."`), so a following clause starting a
    new sentence is not its cue. Returns None when no source is found.
    """
    if paragraph is None:
        start = doc_text(doc).rfind("\n", 0, content[0][0]) + 1
        end = doc_text(doc).find("\n", content[-1][1])
        paragraph = (start, len(doc_text(doc)) if end < 0 else end)
    windows = _windows(doc, content, blocked, paragraph)
    before = windows[-1].tokens
    lead = [t for t in before[:3] if t.text not in (",", ":")][:1]
    if lead and _is_cue(lead[0]):
        # `She declared "..."` or `he said, "..."`: the lead-in cue comes first
        windows = [windows[-1], *windows[:-1]]
    for w in windows:
        toks = w.tokens
        if not toks:
            continue
        ordered = list(toks)
        if w.where == "after":
            # dash trailer `"..." - X`; the dash may be glued to the closing mark
            glued = doc_text(doc)[content[-1][1] : toks[0].idx + len(toks[0].text)]
            trailer = [t for t in ordered if not t.is_punct or t.i > toks[0].i + 2]
            if _DASHES.search(glued) or (len(toks) > 1 and _DASHES.fullmatch(toks[1].text)):
                src = _name_source(trailer, model, "dash")
                if src:
                    return src
            if ends_sentence and not any(_is_cue(t) for t in toks[:5]):
                # `"...end." Next sentence` only attributes in the short form `"..." he said`
                continue
        if w.where == "before" and ordered and (ordered[0].text == ":" or _DASHES.fullmatch(
            ordered[0].text
        )):
            # lead-in `X: "..."` or `..., including X -- "..."`
            src = _entity_before(ordered[1:], model) or _name_source(
                list(reversed(ordered[1:])), model, "colon"
            )
            if src:
                return src
        cues = [t for t in ordered if _is_cue(t)]
        if w.where in ("gap", "after"):
            cues = [c for c in cues if not _has_own_content(c, blocked, content)]
        for cue in cues:
            src = _source_from_cue(cue, blocked, model, window=ordered)
            if src:
                return src
        src = _according_to(ordered, model)
        if src:
            return src
        src = _any_verb_source(w, content, blocked, model)
        if src:
            return src
    if allow_previous_sentence:
        m = _DASH_PARAGRAPH.match(doc_text(doc), paragraph[1])
        if m:
            toks = _tokens_between(doc, m.start(1), m.end(1))
            src = _name_source(toks, model, "dash")
            if src:
                return src
        return _previous_sentence(doc, content, blocked, paragraph, model)
    return None


def _previous_sentence(
    doc: Doc, content: Sequence[Span], blocked: Sequence[Span], para: Span, model: ArticleEntities
) -> Source | None:
    """A cue with no content of its own in the sentence just before (`He told reporters:`).

    The sentence may close the paragraph before only when it ends with a colon.
    """
    first = content[0][0]
    tok = _tok_span(doc, first, first + 1)
    if tok is None:
        return None
    own_start = max(tok[0].sent.start_char, para[0])
    head = doc.char_span(0, own_start, alignment_mode="contract")
    toks = [t for t in head if not t.is_space] if head is not None else []
    if not toks:
        return None
    prev = []
    for t in reversed(toks):
        if prev and (t.text in (".", "?", "!") or "\n" in t.whitespace_):
            break
        prev.append(t)
        if len(prev) > 60:
            return None
    prev.reverse()
    colon = prev[-1].text == ":"
    if prev[-1].idx < para[0] and not colon:
        return None
    if colon:
        # `Trump issued the following statement:` introduces whatever its verb
        root = prev[-1].sent.root
        if root.tag_.startswith("VB") and not _quoted(root, blocked) and prev[0].i <= root.i:
            src = _source_from_cue(root, blocked, model, how="previous-sentence")
            if src:
                return src
    for t in prev:
        if not colon and t.lower_ not in INTRODUCING_CUES:
            continue
        if _is_cue(t) and not _quoted(t, blocked) and not _has_own_content(t, blocked, content):
            # a cue that reports another quote is that quote's, not this one's
            if any(
                _quoted(c, blocked) and not _quoted(c, content)
                for c in t.subtree
                if c.dep_ == "ccomp"
            ):
                continue
            src = _source_from_cue(t, blocked, model, how="previous-sentence")
            if src:
                return src
    return None


# confidence: how far each sieve step and each way of resolving is trusted (read off the
# speaker accuracy of each on PolNeAR train), times the cue's class strength and a
# penalty for a mention far from its content
STEP_TRUST = {
    "cue-subject": 0.95, "according-to": 0.95, "colon": 0.85, "dash": 0.85, "label": 0.85,
    "previous-sentence": 0.75, "continuation": 0.7, "noun": 0.8, "adjective": 0.75,
    "passive-agent": 0.85, "colon-verb": 0.75, "manner": 0.8,
}  # fmt: skip
RESOLUTION_TRUST = {
    "name": 1.0, "owner": 0.9, "relative": 0.9, "author": 0.85, "group": 0.9,
    "descriptor": 0.85, "plain": 0.75, "role": 0.75, "salient": 0.7, "maker": 0.7,
    "holder": 0.7,
    "pronoun": 0.8, "generic": 0.6,
    "unresolved": 0.4, "none": 0.4,
}  # fmt: skip
NO_SOURCE_CONFIDENCE = 0.3
"""a quote with no speaker found: the words are quoted, whose is unknown"""
_FAR_CHARS = 300  # a mention farther than this from its content loses trust


def confidence(src: Source | None, content: Sequence[Span], kind: str = "direct",
               cue_strength: float = 1.0) -> float:
    """How sure an attribution is, in [0, 1]: the trust of the sieve step that found the
    source, times the trust of how its mention was resolved, times the cue's strength,
    times a distance factor (1 within 300 characters of the content, then falling to 0.7).
    """
    if src is None:
        return NO_SOURCE_CONFIDENCE
    c = STEP_TRUST.get(src.how, 0.7) * RESOLUTION_TRUST.get(src.resolved_how, 0.6) * cue_strength
    gap = min(abs(src.span[0] - content[-1][1]), abs(content[0][0] - src.span[1]))
    if gap > _FAR_CHARS:
        c *= max(0.7, 1 - (gap - _FAR_CHARS) / 2000)
    if kind == "mixed":
        c *= 0.95
    return round(min(1.0, max(0.0, c)), 3)

"""Extract claims: what people and outlets assert without quotation marks.

Pure: text in, ``Claim`` records out. Claims are found on the spaCy dependency parse by a
few patterns, each giving a cue, a content and (maybe) a source:

- a cue verb with its clause, infinitive, object or prepositional object: `X said (that)
  ...`, `X blamed the invasion on Biden`, `X accused Y of ...`, `X wants to ...`, `X
  referred to ...`; also after the content (`..., officials said`) and as an `-ing` or
  relative clause (`saying ...`, `sources who said ...`);
- a passive cue (`it was reported that ...`, `X is expected to ...`, `X was accused of`)
  or a raising verb (`X seems to ...`): a hedged claim with no source, unless an agent
  (`endorsed by Y`) is the source;
- `according to X, ...`;
- a cue noun with its clause or object (`the claim that ...`, `his determination to ...`,
  `her criticism of X`) and a stance adjective (`X is critical of Y`);
- a hedge adverb with no source (`X is reportedly trying to ...`);
- a paragraph led by a bare name and a colon (`PENCE: ...`, headlines `Graham: ...`).

Cue words are the shared lexicon's (``lexicon``): a verb outside its classes makes no claim.
Sources are resolved by the article's entity model (``entities``). A claim whose cue lies in
another claim's content, or heads a relative clause on another claim's cue (`Politico
reported the plan based on sources who said ...`), is nested: ``parent`` is the outer
claim's index (PolNeAR annotates only outer claims). Content that the quote extractor
reports as a direct quote is never a claim.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Token

from newsetl.extract.attribution.entities import ArticleEntities, ParsedArticle
from newsetl.extract.attribution.lexicon import (
    ADDRESSEE_VERBS,
    AS_VERBS,
    CLAIM_VERBS,
    CLASS_STRENGTH,
    CLAUSE_ONLY_VERBS,
    CONTENT_PREPS,
    CUE_ADJECTIVES,
    CUE_CLASS_OF,
    CUE_NOUNS,
    HEDGE_ADVERBS,
    IN_SOURCE_NOUNS,
    OBJECT_PREPS,
    OBJECT_VERBS,
    PASSIVE_HEDGES,
    PREP_NOUNS,
    PREP_VERBS,
    QUESTION_VERBS,
    RAISING_VERBS,
    SOURCE_NOUNS,
    TOPIC_PREPS,
)
from newsetl.extract.attribution.lexicon import (
    TITLES as TITLE_WORDS,
)
from newsetl.extract.attribution.marks import paragraphs
from newsetl.extract.attribution.quotes import Quote
from newsetl.extract.attribution.sieve import (
    Source,
    _mention_span,
    confidence,
    make_source,
    source_of_verb,
)

CLAIMS_VERSION = "claims-4"

Span = tuple[int, int]


@dataclass(frozen=True)
class Claim:
    """One claim: what is asserted, by whom, through which cue.

    ``spans`` are offsets into the text as given (``text[s:e]``); a content split by its
    cue or a hedge (`Biden is | trying to ...`) has several. ``source`` is the resolved
    name, ``source_mention``/``source_span`` the mention as written; ``source_type`` is
    one of ``entities.SOURCE_TYPES`` ("none" when no source is in the text). ``parent`` is the
    index, in the same list, of the claim this one is nested in.
    """

    content: str
    spans: tuple[Span, ...]
    source: str | None
    source_mention: str | None
    source_span: Span | None
    source_type: str
    cue: str | None
    cue_span: Span | None
    hedge: str | None
    negated: bool
    parent: int | None
    confidence: float = 0.0
    source_entity: int | None = None
    """index of the source's entity in the article's entity model (None when unnamed)"""

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape printed by ``newsetl extract --json``."""
        return {
            "content": self.content,
            "spans": [list(s) for s in self.spans],
            "source": self.source,
            "source_mention": self.source_mention,
            "source_span": list(self.source_span) if self.source_span else None,
            "source_type": self.source_type,
            "cue": self.cue,
            "cue_span": list(self.cue_span) if self.cue_span else None,
            "hedge": self.hedge,
            "negated": self.negated,
            "parent": self.parent,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class _Found:
    """A claim as found on the parse, before sources are typed and parents linked."""

    cue: tuple[Token, ...]  # the cue's tokens (a verb, `according to`, a noun, an adverb)
    content: tuple[Token, ...]  # the content's tokens, in order
    source: Source | None
    hedge: str | None = None


# content: token sets on the parse


def _subtree(tok: Token, skip: Iterable[Token] = ()) -> list[Token]:
    """The tokens of ``tok``'s subtree, without the subtrees of ``skip``."""
    banned = {t.i for s in skip for t in s.subtree}
    return [t for t in tok.subtree if t.i not in banned]


def _without_asides(toks: Sequence[Token]) -> list[Token]:
    """Drop a relative clause set off by a comma (`X, which ...`): an aside about X, not
    part of what is asserted (measured: cutting appositions or `including` does not pay)."""
    ids = {t.i for t in toks}
    banned: set[int] = set()
    for t in toks:
        comma = t.left_edge.i - 1
        if t.dep_ == "relcl" and t.head.i in ids and comma in ids and t.doc[comma].text == ",":
            banned |= {g.i for g in t.subtree}
            banned.add(comma)
    return [t for t in toks if t.i not in banned]


def _trim(toks: Sequence[Token]) -> list[Token]:
    """Drop punctuation, spaces and conjunctions at the edges of a content."""
    toks = sorted(toks, key=lambda t: t.i)
    edge = {"cc", "punct", "prep"}
    while toks and (toks[0].is_punct or toks[0].is_space or toks[0].dep_ == "cc"):
        toks = toks[1:]
    while toks and (toks[-1].is_punct or toks[-1].is_space or toks[-1].dep_ in edge):
        toks = toks[:-1]
    return toks


def _spans(toks: Sequence[Token]) -> list[Span]:
    """Character spans of runs of adjacent tokens."""
    out: list[Span] = []
    prev = None
    for t in toks:
        s, e = t.idx, t.idx + len(t.text)
        if prev is not None and t.i == prev + 1 and out:
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
        prev = t.i
    return out


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass", "csubjpass") for c in verb.children)


def _negated(verb: Token) -> bool:
    return any(c.dep_ == "neg" for c in verb.children)


def _verb_content(verb: Token) -> list[Token] | None:
    """The content of a cue verb: its clause, infinitive, object or prepositional object."""
    lower = verb.lower_
    kids = list(verb.children)
    found = _clause_content(verb, kids)
    if found is None and lower in AS_VERBS:
        # `many voters see Trump as an outsider`: object and `as` phrase
        objs = [c for c in kids if c.dep_ == "dobj" and c.i > verb.i]
        as_ = [c for c in kids if c.dep_ == "prep" and c.lower_ == "as" and c.i > verb.i]
        if objs and as_:
            return _subtree(objs[0]) + _subtree(as_[0])
    if found is not None or lower in CLAUSE_ONLY_VERBS:
        return found
    if lower in ("say", "said", "says", "saying"):
        # `said so`, `said yes`
        short = [c for c in kids if c.i == verb.i + 1 and c.lower_ in ("so", "yes", "no")]
        if short:
            return short
    return _object_content(verb, kids) or _prep_content(verb, kids)


def _clause_content(verb: Token, kids: list[Token]) -> list[Token] | None:
    """A clause or infinitive reported by ``verb``, after it or (inverted) before it."""
    lower = verb.lower_
    clause = [c for c in kids if c.dep_ == "ccomp" and c.i > verb.i]
    if clause:
        objs = [c for c in kids if c.dep_ == "dobj" and verb.i < c.i < clause[0].i]
        if objs and lower in OBJECT_VERBS and lower not in ADDRESSEE_VERBS:
            # `cited remarks Trump had made about X`: a relative clause parsed as the verb's
            return _subtree(objs[0]) + _subtree(clause[0])
        return _subtree(clause[0])
    inf = [c for c in kids if c.dep_ == "xcomp" and c.i > verb.i]
    if inf and lower not in CLAUSE_ONLY_VERBS:
        # `wants to triple X, grow Y and create Z`: base-form verbs coordinated with the
        # cue are parse slips for more of its infinitive
        more = [c for c in kids if c.dep_ == "conj" and c.i > inf[0].i and c.tag_ == "VB"]
        if verb.tag_ == "VB":
            more = []
        return _subtree(inf[0]) + [t for c in more for t in _subtree(c)]
    if lower in QUESTION_VERBS:
        # `asked if he was ever bullied`: the question parsed as an adverbial clause
        for c in kids:
            if c.dep_ == "advcl" and c.i > verb.i and any(
                g.dep_ == "mark" and g.lower_ in ("if", "whether") for g in c.children
            ):
                return _subtree(c)
    before = [c for c in kids if c.dep_ == "ccomp" and c.i < verb.i]
    if before:
        # `The plan will fail, officials said.`
        return _subtree(before[-1])
    if verb.dep_ == "parataxis" and verb.head.tag_.startswith(("VB", "MD")):
        # `But to prevent problems, he said, officials should be vigilant`
        return _subtree(verb.head, skip=[verb])
    return None


def _object_content(verb: Token, kids: list[Token]) -> list[Token] | None:
    """`blamed the invasion on Biden`, `accused X of Y`: the object with the prepositions
    and predicates completing it (dates and times excluded)."""
    objs = [c for c in kids if c.dep_ == "dobj" and c.i > verb.i]
    if not objs or verb.lower_ not in OBJECT_VERBS:
        return None
    toks = _subtree(objs[0])
    for c in kids:
        if c.i < objs[0].i:
            continue
        if c.dep_ == "prep" and c.lower_ in OBJECT_PREPS:
            if not any(g.ent_type_ in ("DATE", "TIME") for g in c.children):
                toks += _subtree(c)
        elif c.dep_ in ("oprd", "xcomp") and c.tag_ != "VBN":
            toks += _subtree(c)
        elif c.dep_ == "advcl" and c.tag_ == "VB" and c.lower_ not in CLAIM_VERBS and any(
            g.dep_ == "aux" and g.lower_ == "to" and g.i == c.i - 1 for g in c.children
        ):
            # `supports his amendments to expand the program`: the purpose the object serves
            # (the parse hangs the infinitive on the verb)
            toks += _subtree(c)
    return toks


def _prep_content(verb: Token, kids: list[Token]) -> list[Token] | None:
    """`referring to X`, `called for ...`, `lashed out at X`: the object of a preposition
    right after the verb (or its particle); the preposition goes with the cue."""
    lower = verb.lower_
    if not (lower in PREP_VERBS or lower in OBJECT_VERBS or lower in QUESTION_VERBS
            or lower in ADDRESSEE_VERBS):
        return None
    nxt = verb.i + 1
    while nxt < len(verb.doc) and verb.doc[nxt].dep_ in ("prt", "advmod") and nxt - verb.i < 3:
        nxt += 1
    preps = [c for c in kids if c.dep_ == "prep" and c.i == nxt]
    if preps and preps[0].lower_ in PREP_VERBS.get(lower, OBJECT_PREPS):
        return [t for t in _subtree(preps[0]) if t.i != preps[0].i] or None
    if lower in QUESTION_VERBS or lower in ADDRESSEE_VERBS:
        # `asked the mayor about the budget`: the topic after the addressee
        # (the parse may hang the topic on the addressee: `asked [Trump about X]`)
        addressee = [c for c in kids if c.dep_ in ("dobj", "dative") and c.left_edge.i == nxt
                     and _is_person(c)]
        topic = [c for c in kids + [g for a in addressee for g in a.children]
                 if c.dep_ == "prep" and c.lower_ in TOPIC_PREPS and addressee
                 and c.i in (addressee[0].right_edge.i + 1, addressee[0].i + 1)]
        if topic and not any(g.ent_type_ in ("DATE", "TIME") for g in topic[0].children):
            return [t for t in _subtree(topic[0]) if t.i != topic[0].i] or None
    for c in kids:
        # `called for the Islamic State to be hit harder`: a `for ... to` clause
        if c.dep_ == "advcl" and c.left_edge.i == nxt and c.left_edge.lower_ == "for":
            return [t for t in _subtree(c) if t.i != nxt]
    return None


def _is_person(tok: Token) -> bool:
    """Whether a noun phrase's head may be someone addressed: a name, a pronoun or a word
    for people (`told a story about X` has no addressee)."""
    return (tok.ent_type_ in ("PERSON", "ORG", "NORP") or tok.tag_ in ("PRP", "NNP", "NNPS")
            or tok.lower_ in SOURCE_NOUNS)


def _without_other_cues(verb: Token, toks: list[Token]) -> list[Token]:
    """Drop from a content the coordinated or `-ing` cues that report claims of their own
    (`he said X, arguing that Y`; `said X and warned Y`)."""
    ids = {t.i for t in toks}
    banned: set[int] = set()
    for t in toks:
        if (
            t.i != verb.i
            and t.dep_ in ("conj", "advcl")
            and t.head.i in ids
            and t.lower_ in CLAIM_VERBS
            and t.tag_ in ("VBG", "VBD", "VBZ")
        ):
            banned |= {g.i for g in t.subtree}
    return [t for t in toks if t.i not in banned]


def _addressee_free(verb: Token, toks: list[Token]) -> list[Token]:
    """`told reporters that ...`: the addressee is not part of the content."""
    if verb.lower_ not in ADDRESSEE_VERBS:
        return toks
    banned = {t.i for c in verb.children if c.dep_ in ("dobj", "dative") for t in c.subtree}
    return [t for t in toks if t.i not in banned]


# sources


def _agent_source(verb: Token, blocked: Sequence[Span], model: ArticleEntities) -> Source | None:
    """`was reported by Politico`: the agent of a passive cue."""
    for c in verb.children:
        if c.dep_ == "agent":
            objs = [g for g in c.children if g.dep_ == "pobj"]
            if objs:
                return _source_at(objs[0], (verb,), model)
    return None


def _source_at(tok: Token, cue: Sequence[Token], model: ArticleEntities,
               how: str = "cue-subject") -> Source:
    """The source whose mention is the noun phrase headed by ``tok``, through ``cue``."""
    first, last = cue[0], cue[-1]
    return make_source(tok.doc, _mention_span(tok), model.resolve_token(tok),
                       first.doc[first.i : last.i + 1].text,
                       (first.idx, last.idx + len(last.text)), how)


# patterns


def _from_verb(verb: Token, blocked: Sequence[Span], model: ArticleEntities) -> _Found | None:
    """A cue verb with its content and source (None when it reports nothing)."""
    if verb.lower_ in RAISING_VERBS:
        return _from_raising(verb)
    if verb.lower_ not in CLAIM_VERBS:
        return None
    if _is_passive(verb):
        return _from_passive(verb, blocked, model)
    content = _verb_content(verb)
    if not content:
        return None
    content = _without_other_cues(verb, _addressee_free(verb, content))
    src = source_of_verb(verb, blocked, model)
    return _Found((verb,), tuple(content), src)


def _from_passive(verb: Token, blocked: Sequence[Span], model: ArticleEntities) -> _Found | None:
    """`it was reported that ...`, `X is expected to ...`, `X was accused of ...` (hedged,
    no source) and `X was endorsed by Y` (Y's claim about X)."""
    src = _agent_source(verb, blocked, model)
    subj = [c for c in verb.children if c.dep_ == "nsubjpass" and c.lower_ != "it"]
    content = _verb_content(verb) or []
    if not content and verb.lower_ in AS_VERBS:
        # `Cruz is seen as the favorite`
        as_ = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "as"]
        content = _subtree(as_[0]) if as_ and subj else []
    if not content and not (src and subj):
        return None
    if src is None and not (
        verb.lower_ in PASSIVE_HEDGES or verb.lower_ in OBJECT_VERBS or verb.lower_ in AS_VERBS
    ):
        return None
    if subj:
        # `Trump is expected to win`: the subject belongs to the content
        content = _subtree(subj[0]) + content
    content = _without_other_cues(verb, content)
    return _Found((verb,), tuple(content), src, hedge=None if src else verb.text)


def _from_raising(verb: Token) -> _Found | None:
    """`X seems to ...`: subject and complement, hedged, with no source."""
    # (the parse often labels an adjective after `seem` a predicate: `seemed unperturbed`)
    comp = [c for c in verb.children if c.i > verb.i and (
        c.dep_ in ("xcomp", "acomp", "ccomp", "oprd", "attr")
        or (c.dep_ == "prep" and c.lower_ == "like"))]
    subj = [c for c in verb.children if c.dep_ == "nsubj" and c.lower_ != "it"]
    if not comp:
        return None
    content = (_subtree(subj[0]) if subj else []) + _subtree(comp[0])
    return _Found((verb,), tuple(content), None, hedge=verb.text)


def _from_according(tok: Token, model: ArticleEntities) -> _Found | None:
    """`according to X, ...`: the clause the phrase hangs on, without the phrase."""
    if tok.lower_ != "according" or tok.i + 1 >= len(tok.doc) or tok.nbor().lower_ != "to":
        return None
    to = tok.nbor()
    objs = [c for c in to.children if c.dep_ == "pobj"]
    if not objs:
        return None
    head = tok.head
    while head.dep_ not in ("ROOT", "ccomp", "conj", "relcl", "advcl") and head.head.i != head.i:
        head = head.head
    while head.dep_ == "conj" and tok.i > head.i and head.head.tag_.startswith(("VB", "MD")):
        # `X received 37 percent and Y 36 percent, according to the poll`: a phrase after
        # the last of coordinated clauses covers them all
        head = head.head
    content = _subtree(head, skip=[tok])
    src = _source_at(objs[0], (tok, to), model)
    return _Found((tok, to), tuple(content), src)


def _from_artifact(prep: Token, model: ArticleEntities) -> _Found | None:
    """`In a new poll, 40 percent back the plan`: the clause set in a poll or a study is
    its finding. The poll must be a particular one (`rising in the polls` is a figure of
    speech) and the clause a main one with a subject; a cue verb heading it (`in the poll,
    voters said ...`) makes a claim of its own."""
    objs = [c for c in prep.children if c.dep_ == "pobj" and c.lower_ in IN_SOURCE_NOUNS]
    head = prep.head
    if (not objs or prep.dep_ != "prep" or not head.tag_.startswith("VB")
            or head.lower_ in CLAIM_VERBS or head.lower_ in RAISING_VERBS
            or head.dep_ in ("relcl", "acl", "advcl", "xcomp", "pcomp")
            or not any(c.dep_ in ("nsubj", "nsubjpass") for c in head.children)):
        return None
    if all(c.dep_ == "det" and c.lower_ == "the" for c in objs[0].children):
        return None
    return _Found((prep,), tuple(_subtree(head, skip=[prep])), _source_at(objs[0], (prep,), model))


def _from_hedge(adv: Token) -> _Found | None:
    """`X is reportedly trying to ...`: the clause the adverb modifies, without it."""
    if adv.lower_ not in HEDGE_ADVERBS or adv.dep_ != "advmod":
        return None
    head = adv.head
    if head.lower_ in CLAIM_VERBS and any(c.dep_ in ("nsubj",) for c in head.children):
        return None  # `X reportedly said`: a hedge on a sourced claim, found with the verb
    content = _subtree(head, skip=[adv])
    return _Found((adv,), tuple(content), None, hedge=adv.text)


def _noun_content(noun: Token) -> list[Token] | None:
    """A cue noun's clause (`the claim that ...`) or prepositional object (`criticism of
    X`)."""
    if noun.lower_ in CUE_NOUNS:
        for c in noun.children:
            if (
                c.i > noun.i
                and c.dep_ in ("acl", "ccomp")
                and any(g.dep_ in ("mark", "aux") for g in c.children)
            ):
                return _subtree(c)
    if noun.lower_ in PREP_NOUNS:
        for c in noun.children:
            if c.i == noun.i + 1 and c.dep_ == "prep" and c.lower_ in CONTENT_PREPS:
                return [t for t in _subtree(c) if t.i != c.i] or None
    return None


def _from_noun(noun: Token, blocked: Sequence[Span], model: ArticleEntities) -> _Found | None:
    """`the claim that ...`, `his determination to ...`, `her criticism of X`: a cue noun
    with its content; the source is its possessor or the subject of its verb."""
    content = _noun_content(noun)
    if not content:
        return None
    src = None
    poss = [c for c in noun.children if c.dep_ == "poss"]
    if poss:
        src = _source_at(poss[0], (noun,), model)
    else:
        # `Trump made the claim that ...`, `voted in favor of X`: the verb's subject
        verb = noun.head
        if noun.dep_ == "pobj" and verb.dep_ == "prep":
            verb = verb.head
        if not verb.tag_.startswith("VB") or noun.dep_ not in ("dobj", "attr", "pobj"):
            return _Found((noun,), tuple(content), None)
        src = source_of_verb(verb, blocked, model)
        if src is not None:
            src = replace(src, cue=noun.text, cue_span=(noun.idx, noun.idx + len(noun.text)))
    return _Found((noun,), tuple(content), src)


def _from_adjective(adj: Token, blocked: Sequence[Span], model: ArticleEntities) -> _Found | None:
    """`X is critical of Y`, `X was confident that ...`: a stance adjective after a copula,
    the subject's claim."""
    if adj.lower_ not in CUE_ADJECTIVES or adj.dep_ != "acomp":
        return None
    content = None
    for c in adj.children:
        if c.i < adj.i:
            continue
        if c.dep_ == "ccomp":
            content = _subtree(c)
        elif c.dep_ == "prep" and c.lower_ in ("of", "about", "on", "with", "that"):
            content = [t for t in _subtree(c) if t.i != c.i]
        if content:
            break
    if not content:
        return None
    src = source_of_verb(adj.head, blocked, model)
    if src is not None:
        src = replace(src, cue=adj.text, cue_span=(adj.idx, adj.idx + len(adj.text)))
    return _Found((adj,), tuple(content), src)


def _hedge_of(found: _Found) -> str | None:
    """A hedge adverb on the cue of a sourced claim (`X reportedly said`)."""
    if found.hedge:
        return found.hedge
    for c in found.cue[0].children:
        if c.dep_ == "advmod" and c.lower_ in HEDGE_ADVERBS:
            return c.text
    return None


# assembly


def _hangs_on_relative(cue: Token, outer: Token) -> bool:
    """Whether ``cue`` heads a relative clause on a dependent of ``outer`` that is not its
    subject or a coordinated verb (`reported the plan based on sources who said ...`)."""
    t, relative = cue, False
    while t.head.i != t.i and t.head.i != outer.i:
        relative = relative or t.dep_ in ("relcl", "acl")
        t = t.head
    return relative and t.head.i == outer.i and t.dep_ not in ("nsubj", "nsubjpass", "conj")


def _parents(found: Sequence[_Found]) -> list[int | None]:
    """For each claim, the closest claim it is nested in, or None.

    A claim is nested when its cue lies in another claim's content, or heads a relative
    clause attached to another claim's cue (the sources a report is based on).
    """
    out: list[int | None] = []
    for k, f in enumerate(found):
        best, best_size = None, 10**9
        cue = f.cue[0]
        own = {t.i for t in f.content}
        for j, g in enumerate(found):
            if j == k or g.cue[0].i in own:
                continue
            inside = {t.i for t in g.content}
            if (cue.i in inside or _hangs_on_relative(cue, g.cue[0])) and len(inside) < best_size:
                best, best_size = j, len(inside)
        out.append(best)
    return out


def _inside(spans: Sequence[Span], blocked: Sequence[Span]) -> float:
    """The share of the characters of ``spans`` lying inside ``blocked``."""
    total = sum(e - s for s, e in spans)
    if not total:
        return 1.0
    hit = sum(max(0, min(e, be) - max(s, bs)) for s, e in spans for bs, be in blocked)
    return hit / total


# every word that may be a cue, for a cheap first test on each token
_CUE_WORDS = (
    CLAIM_VERBS | RAISING_VERBS | CUE_NOUNS | PREP_NOUNS | HEDGE_ADVERBS | CUE_ADJECTIVES
) | {"according", "in"}


def _find_all(doc: Doc, blocked: Sequence[Span], model: ArticleEntities) -> list[_Found]:
    """Every cue of the article with its content and source, in text order."""
    out = []
    for tok in model.tokens:
        if tok.lower_ not in _CUE_WORDS:
            continue
        if any(s <= tok.idx < e for s, e in blocked):
            continue  # a cue inside quoted speech belongs to the quote
        found = None
        if tok.lower_ == "according":
            # tagged VBG, but never a verb of its own
            found = _from_according(tok, model)
        elif tok.lower_ == "in":
            found = _from_artifact(tok, model)
        elif tok.tag_.startswith("VB"):
            found = _from_verb(tok, blocked, model)
        elif tok.tag_ == "RB":
            found = _from_hedge(tok)
        elif tok.tag_ == "JJ":
            found = _from_adjective(tok, blocked, model)
        elif tok.tag_.startswith("NN"):
            found = _from_noun(tok, blocked, model)
        if found is not None:
            out.append(found)
    return out


def _content_spans(f: _Found, text: str) -> list[Span]:
    """The character spans of a content: without its cue or source, within the cue's
    paragraph (a parse running over a line break joins unrelated sentences)."""
    cue = f.cue[0]
    para_start = text.rfind("\n", 0, cue.idx) + 1
    para_end = text.find("\n", cue.idx)
    para_end = len(text) if para_end < 0 else para_end
    cue_ids = {t.i for t in f.cue}
    src_start, src_end = f.source.span if f.source else (-1, -1)
    toks = [
        t
        for t in f.content
        if t.i not in cue_ids
        and not (src_start <= t.idx < src_end)
        and para_start <= t.idx < para_end
    ]
    return _spans(_trim(_without_asides(toks)))


def _from_colons(article: ParsedArticle) -> list[_Found]:
    """`Pence: Flowers won't be at the debate`, `PENCE: ...`: a paragraph led by a bare
    name and a colon (headlines, transcripts) is that name's claim. An all-caps label
    counts only when it names an entity of the article or leads several paragraphs (a
    transcript), so headings (`BREAKING:`, `WHAT COMES NEXT:`) and `Q:` are no sources."""
    doc, text, model = article.doc, article.text, article.entities
    leads = []
    for ps, pe in paragraphs(text):
        span = doc.char_span(ps, pe, alignment_mode="contract")
        if span is None:
            continue
        colon = next((t for t in span[:8] if t.text == ":"), None)
        if colon is None or colon.i == span.start or colon.i + 1 >= span.end:
            continue
        lead = list(doc[span.start : colon.i])
        if _bare_name(lead):
            leads.append((lead, colon, span))
    labels = [" ".join(t.text for t in lead).lower() for lead, _, _ in leads]
    out = []
    for (lead, colon, span), label in zip(leads, labels, strict=True):
        if label in _NOT_LABELS or len(label) < 2:
            continue
        s, e = lead[0].idx, lead[-1].idx + len(lead[-1].text)
        res = model.resolve(s, e)
        caps = all(t.text.isupper() for t in lead if t.is_alpha)
        if caps and res.entity is None and labels.count(label) < 2:
            continue
        if res.name is None:
            continue
        src = make_source(doc, (s, e), res, ":", (colon.idx, colon.idx + 1), "label")
        out.append(_Found((colon,), tuple(doc[colon.i + 1 : span.end]), src))
    return out


# heading and interview words that lead a paragraph with a colon but name nobody
_NOT_LABELS = frozenset(
    "breaking update updated watch read editor's note photo video live exclusive analysis "
    "opinion q a question answer correction clarification note warning".split()
) | {"what comes next", "what's next", "editor's note", "the latest", "related"}


def _bare_name(lead: Sequence[Token]) -> bool:
    """A short lead of proper nouns or capitals with no verb: a speaker label."""
    if not lead or len(lead) > 5 or not lead[0].text[:1].isupper():
        return False
    # an all-caps label may be tagged anything (`PIKE` as a verb): its case says enough
    if any((t.tag_.startswith("VB") or t.tag_ == "MD") and not t.text.isupper() for t in lead):
        return False
    return all(t.tag_ in ("NNP", "NNPS", "POS", "HYPH") or t.text.isupper() for t in lead)


def claim_candidates(article: ParsedArticle, quotes: Sequence[Quote]) -> list[tuple[Claim, list[str]]]:
    """Every claim the rules find, unfiltered, each with its features for the learned
    filter (``parent`` indexes this list)."""
    text, doc, model, marks = article.text, article.doc, article.entities, article.quoted
    direct = [s for q in quotes if q.kind == "direct" for s in q.spans]
    kept: list[tuple[_Found, list[Span]]] = []
    seen: set[tuple[Span, ...]] = set()
    for f in _find_all(doc, marks, model) + _from_colons(article):
        spans = _content_spans(f, text)
        if _only_a_name(f) and not _takes_a_side(f):
            continue  # `questioned Governor Pike`: a person is no content
        if not spans or _inside(spans, direct) >= 0.5 or _inside(spans, marks) >= 0.9:
            continue
        if tuple(spans) in seen:
            continue
        seen.add(tuple(spans))
        kept.append((f, spans))
    parents = _parents([f for f, _ in kept])
    out = []
    for (f, spans), parent in zip(kept, parents, strict=True):
        src = f.source
        cue_span = (f.cue[0].idx, f.cue[-1].idx + len(f.cue[-1].text))
        claim = Claim(
            content=" ".join(text[s:e] for s, e in spans),
            spans=tuple(spans),
            source=src.name if src else None,
            source_mention=src.mention if src else None,
            source_span=src.span if src else None,
            source_type=src.type if src else "none",
            cue=text[cue_span[0] : cue_span[1]],
            cue_span=cue_span,
            hedge=_hedge_of(f),
            negated=_negated(f.cue[0]),
            parent=parent,
            confidence=_claim_confidence(f, spans),
            source_entity=src.entity if src else None,
        )
        out.append((claim, claim_features(f, spans, parent is not None)))
    return out


def find_claims(article: ParsedArticle, quotes: Sequence[Quote]) -> list[Claim]:
    """The claims of a parsed article; ``quotes`` are its quotes from ``find_quotes``
    (content that is a direct quote is never a claim). A claim's ``confidence`` is the
    learned filter's probability that it is an attribution (``claim_model``); claims
    below ``CLAIM_THRESHOLD`` are not kept."""
    found = claim_candidates(article, quotes)
    model = claim_model()
    scored = []
    for claim, features in found:
        p = model.probability(features) if model is not None else claim.confidence
        scored.append(replace(claim, confidence=round(p, 3)))
    keep = [k for k, c in enumerate(scored) if model is None or c.confidence >= model.threshold]
    index = {k: n for n, k in enumerate(keep)}
    out = []
    for k in keep:
        c = scored[k]
        parent = c.parent
        while parent is not None and parent not in index:
            parent = scored[parent].parent  # the nearest kept claim it is nested in
        out.append(replace(c, parent=index[parent] if parent is not None else None))
    return out


def _length_bucket(n: int) -> str:
    return next(b for b in ("1", "3", "8", "15", "30", "60") if n <= int(b)) if n <= 60 else "60+"


def claim_features(f: _Found, spans: Sequence[Span], nested: bool) -> list[str]:
    """What the learned filter reads of a claim: the cue (its word, class, tag, role in
    the parse), how the content attaches and how long it is, and the source (type, how it
    was found and resolved)."""
    cue = f.cue[0]
    low = cue.lower_
    if low == "according":
        pattern = "according"
    elif low == "in":
        pattern = "artifact"
    elif cue.text == ":":
        pattern = "label"
    elif cue.tag_ == "RB":
        pattern = "hedge"
    elif cue.tag_ == "JJ":
        pattern = "adjective"
    elif cue.tag_.startswith("NN"):
        pattern = "noun"
    elif low in RAISING_VERBS:
        pattern = "raising"
    elif _is_passive(cue):
        pattern = "passive"
    else:
        pattern = "verb"
    content = [t for t in f.content if not t.is_punct and not t.is_space]
    first = content[0] if content else None
    attach = next((t.dep_ for t in cue.children if any(t.i == c.i for c in f.content)), "none")
    src = f.source
    cls = CUE_CLASS_OF.get(low, "other")
    feats = [
        "bias", f"pattern={pattern}", f"cue={low}", f"class={cls}", f"tag={cue.tag_}",
        f"dep={cue.dep_}", f"attach={attach}", f"pattern*class={pattern}*{cls}",
        f"len={_length_bucket(len(content))}", f"spans={min(len(spans), 3)}",
        f"first={first.lower_ if first is not None and first.lower_ in _MARKERS else 'other'}",
        f"content_verb={any(t.tag_.startswith('VB') for t in content)}",
        f"content_subject={any(t.dep_ in ('nsubj', 'nsubjpass') for t in content)}",
        f"src={src.type if src else 'nosource'}", f"src_how={src.how if src else 'nosource'}",
        f"src_resolved={src.resolved_how if src else 'nosource'}",
        f"nested={nested}", f"negated={_negated(cue)}", f"hedge={bool(_hedge_of(f))}",
        f"cue*attach={low}*{attach}", f"only_a_name={_only_a_name(f)}",
    ]
    return feats


_MARKERS = frozenset("that to if whether how why what who when the a".split())


@dataclass(frozen=True)
class ClaimModel:
    """A logistic regression over claim features, trained on PolNeAR train by
    ``python -m bench.train_claims`` and shipped as JSON."""

    weights: dict[str, float]
    threshold: float

    def probability(self, features: Sequence[str]) -> float:
        z = sum(self.weights.get(f, 0.0) for f in features)
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, z))))


MODEL_FILE = "models/claims.json"


@lru_cache(maxsize=1)
def claim_model() -> ClaimModel | None:
    """The shipped claim filter, or None when the package has none (rules alone)."""
    path = resources.files("newsetl.extract.attribution").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return ClaimModel(data["weights"], data["threshold"])


def _only_a_name(f: _Found) -> bool:
    """Whether a content is nothing but a person's name or a pronoun."""
    words = [t for t in f.content if not t.is_punct and t.i not in {c.i for c in f.cue}]
    return bool(words) and all(t.ent_type_ == "PERSON" or t.tag_ == "PRP" or
                               t.lower_ in TITLE_WORDS for t in words)


def _takes_a_side(f: _Found) -> bool:
    """Whether the cue is one of attitude with a person named (`endorsed Clinton`, `backs
    Sanders`): siding with a person is a claim about them, so a name alone is content (a
    pronoun alone is not: `approve it` says nothing without its antecedent)."""
    return (CUE_CLASS_OF.get(f.cue[0].lower_) == "attitude"
            and any(t.ent_type_ == "PERSON" for t in f.content))


def _claim_confidence(f: _Found, spans: Sequence[Span]) -> float:
    """The rule-based confidence of a claim: its source's (``sieve.confidence``) with the
    cue's class strength; a claim with no source in the text rests on its cue alone."""
    cue = f.cue[0]
    strength = CLASS_STRENGTH.get(CUE_CLASS_OF.get(cue.lower_, ""), 0.6)
    if f.source is None:
        return round(strength * 0.6, 3)
    return confidence(f.source, spans, "indirect", strength)

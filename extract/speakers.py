"""Find who said something and resolve that mention to a name: the speaker sieve.

Given a parsed article and the character spans of some content (a quote, later a claim),
``find_source`` looks for the attribution in an ordered sieve: a cue verb with its
subject next to the content (`X said`, `said X`), `according to X`, a colon lead-in
(`X: "..."`) or a dash trailer (`"..." - X`), then a cue in the neighbouring sentence.
``Resolver`` turns any mention into the entity's name: pronouns go to the nearest
compatible person or organisation, titles ("the senator") to the person named with that
title earlier, and surnames to the longest mention of the same person, titles stripped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsetl.extract.names import gender_of

Span = tuple[int, int]

# speech, writing and belief verbs that attribute content, all forms written out ("|"
# separates lemmas for the reader); `believe`/`think` count because PolNeAR attributes beliefs
_CUE_WORDS = (
    "recommend recommends recommended recommending | mention mentions mentioned mentioning "
    "propose proposes proposed proposing "
    "add adds added adding | say says said saying | tell tells told telling "
    "write writes wrote written writing | speak speaks spoke spoken speaking "
    "tweet tweets tweeted tweeting | post posts posted posting | ask asks asked asking "
    "explain explains explained explaining | note notes noted noting "
    "argue argues argued arguing | claim claims claimed claiming "
    "insist insists insisted insisting | state states stated stating "
    "declare declares declared declaring | recall recalls recalled recalling "
    "warn warns warned warning | continue continues continued continuing "
    "quip quips quipped quipping | joke jokes joked joking | reply replies replied replying "
    "respond responds responded responding | answer answers answered answering "
    "acknowledge acknowledges acknowledged acknowledging | admit admits admitted admitting "
    "announce announces announced announcing | observe observes observed observing "
    "remark remarks remarked remarking | suggest suggests suggested suggesting "
    "predict predicts predicted predicting | complain complains complained complaining "
    "shout shouts shouted shouting | yell yells yelled yelling "
    "exclaim exclaims exclaimed exclaiming | testify testifies testified testifying "
    "conclude concludes concluded concluding | concede concedes conceded conceding "
    "report reports reported reporting | read reads "
    "emphasize emphasizes emphasized emphasizing | stress stresses stressed stressing "
    "point points pointed pointing | chant chants chanted chanting "
    "boast boasts boasted boasting | vow vows vowed vowing "
    "promise promises promised promising | assert asserts asserted asserting "
    "charge charges charged charging | counter counters countered countering "
    "retort retorts retorted retorting | wonder wonders wondered wondering "
    "cry cries cried | scream screams screamed screaming "
    "whisper whispers whispered whispering | urge urges urged urging "
    "plead pleads pleaded pleading | describe describes described describing "
    "call calls called calling | put puts | agree agrees agreed agreeing "
    "believe believes believed believing | think thinks thought thinking "
    "confirm confirms confirmed confirming | deny denies denied denying "
    "allege alleges alleged alleging | contend contends contended contending "
    "maintain maintains maintained maintaining "
    "reiterate reiterates reiterated reiterating | recount recounts recounted recounting "
    "tout touts touted touting | brag brags bragged bragging "
    "lament laments lamented lamenting | summarize summarizes summarized summarizing "
    "caution cautions cautioned cautioning | advise advises advised advising "
    "pledge pledges pledged pledging | proclaim proclaims proclaimed proclaiming "
    "demand demands demanded demanding | tease teases teased teasing "
    "hint hints hinted hinting | opine opines opined opining | muse muses mused musing "
    "gush gushes gushed gushing | sing sings sang singing "
)
CUE_FORMS = frozenset(w for w in _CUE_WORDS.split() if w != "|")
# verbs that judge rather than report: they attribute a quoted fragment (`slammed the plan
# as a "disaster"`) but never introduce a quote standing on its own
EVALUATIVE_FORMS = frozenset(
    "blast blasts blasted blasting slam slams slammed slamming accuse accuses accused "
    "accusing criticize criticizes criticized criticizing praise praises praised "
    "praising".split()
)
# verbs whose object is the addressee, never the speaker (`told reporters`)
_ADDRESSEE_VERBS = frozenset({"tell", "tells", "told", "telling", "ask", "asks", "asked", "asking"})
_SUBJ = ("nsubj", "nsubjpass", "csubj")
_SPEAKER_ENTS = ("PERSON", "ORG", "NORP", "GPE", "FAC", "PRODUCT", "WORK_OF_ART")

TITLES = {
    "president": "president",
    "pres.": "president",
    "senator": "senator",
    "sen.": "senator",
    "sens.": "senator",
    "governor": "governor",
    "gov.": "governor",
    "representative": "representative",
    "rep.": "representative",
    "congressman": "representative",
    "congresswoman": "representative",
    "mayor": "mayor",
    "councillor": "councillor",
    "councilor": "councillor",
    "councilman": "councillor",
    "councilwoman": "councillor",
    "cllr": "councillor",
    "cllr.": "councillor",
    "alderman": "alderman",
    "commissioner": "commissioner",
    "professor": "professor",
    "prof.": "professor",
    "inspector": "inspector",
    "superintendent": "superintendent",
    "detective": "detective",
    "captain": "captain",
    "capt.": "captain",
    "sergeant": "sergeant",
    "sgt.": "sergeant",
    "bishop": "bishop",
    "rabbi": "rabbi",
    "imam": "imam",
    "secretary": "secretary",
    "minister": "minister",
    "chancellor": "chancellor",
    "speaker": "speaker",
    "judge": "judge",
    "justice": "justice",
    "general": "general",
    "gen.": "general",
    "chairman": "chairman",
    "chairwoman": "chairman",
    "director": "director",
    "ambassador": "ambassador",
    "prime": "minister",
    "candidate": "candidate",
    "nominee": "nominee",
    "prosecutor": "prosecutor",
    "attorney": "attorney",
    "sheriff": "sheriff",
    "spokesman": "spokesman",
    "spokeswoman": "spokesman",
    "lt.": "",
    "col.": "",
    "adm.": "",
    "dr.": "",
    "mr.": "",
    "mrs.": "",
    "ms.": "",
    "miss": "",
    "mr": "",
    "mrs": "",
    "ms": "",
    "dr": "",
    "vice": "",
    "former": "",
    "first": "",
    "lady": "",
    "retired": "",
    "rev.": "",
    "sir": "",
    "dame": "",
}
_HONORIFIC_GENDER = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f"}
_PRONOUNS = {
    "he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f",
    "they": "p", "them": "p", "it": "n", "its": "n",
}  # fmt: skip
# relative pronouns stand for the noun they modify
_RELATIVE = frozenset({"who", "which", "that"})
_DASHES = re.compile(r"[-—–―]+|--")
_MARK_CHARS = frozenset('"“”„‟«»`\'')
# `"..."` then a paragraph of its own: `- Hillary Clinton.`
_DASH_PARAGRAPH = re.compile(r"[ \t\xa0]*\n\s*[-—–―]+[ \t\xa0]*([^\n]{1,60}?)[.\s]*(?:\n|$)")
# verbs that introduce a quote from the sentence before (`He told reporters:`)
_INTRODUCING = frozenset(
    "say says said tell tells told add adds added write writes wrote explain explains "
    "explained continue continues continued recall recalls recalled".split()
)


@dataclass(frozen=True)
class Source:
    """Who a content is attributed to: the mention as written and its resolved name."""

    mention: str
    span: Span
    name: str | None
    cue: str | None
    cue_span: Span | None


def _tok_span(doc: Doc, start: int, end: int) -> SpacySpan | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _strip_name(words: list[str]) -> list[str]:
    """Drop leading titles and a trailing possessive from a name's words."""
    while words and words[0].lower() in TITLES:
        words = words[1:]
    if words and words[-1] in ("'s", "’s", "'"):
        words = words[:-1]
    if words and words[-1].endswith(("'s", "’s")):
        words = words[:-1] + [words[-1][:-2]]
    return words


def _strip_name_tokens(tokens: list[Token]) -> list[Token]:
    """Drop leading titles, a trailing possessive and stray punctuation from a name."""
    while tokens and (tokens[0].lower_ in TITLES or tokens[0].is_punct):
        tokens = tokens[1:]
    while tokens and (tokens[-1].text in ("'s", "’s", "'", "’") or tokens[-1].is_punct):
        tokens = tokens[:-1]
    return tokens


@dataclass
class _Entity:
    key: str  # the surname (or sole word), lowercased
    names: list[list[str]]
    first_char: int
    titles: set[str]
    gender: str | None
    kind: str  # spaCy label


class Resolver:
    """Resolve mentions in one parsed article to entity names.

    Built once per document; ``name_for(start, end)`` takes the character span of a
    mention (a name, a surname, a pronoun, "the senator") and returns the entity's name,
    or None when nothing fits.
    """

    def __init__(self, doc: Doc, quoted: Sequence[Span] = ()) -> None:
        """Index the names in ``doc``; names inside ``quoted`` spans (quoted speech) still
        identify entities but are neither pronoun antecedents nor display names."""
        self.doc = doc
        self._quoted = quoted
        self._unquoted_names: set[tuple[str, ...]] = set()
        self._mentions: list[tuple[int, int, _Entity]] = []  # (start char, end char, entity)
        self._entities: list[_Entity] = []
        # spoken-by memory: resolved speakers with the position where they spoke
        self.recent: list[tuple[int, _Entity]] = []
        self._printed: dict[tuple[str, ...], str] = {}
        self._index()

    def _index(self) -> None:
        by_key: dict[str, list[_Entity]] = {}
        text = self.doc.text  # Doc.text joins every token: read it once, not per name
        for ent in _name_spans(self.doc):
            toks = _strip_name_tokens(list(ent))
            if not toks:
                continue
            words = [t.text for t in toks]
            # the name as printed, so `Holtz-Eakin` keeps its hyphen
            self._printed[tuple(words)] = text[toks[0].idx : toks[-1].idx + len(toks[-1])]
            titles = self._titles_before(ent)
            entity = self._attach(by_key, ent, words)
            if entity is None:
                entity = _Entity(
                    key=words[-1].lower(),
                    names=[words],
                    first_char=ent.start_char,
                    titles=set(),
                    gender=None,
                    kind=ent.label_,
                )
                by_key.setdefault(entity.key, []).append(entity)
                self._entities.append(entity)
            else:
                entity.names.append(words)
            entity.titles |= titles
            if entity.kind == "PERSON" and entity.gender is None:
                prev = self.doc[ent.start - 1].lower_ if ent.start > 0 else ""
                entity.gender = _HONORIFIC_GENDER.get(prev) or (
                    gender_of(words[0]) if len(words) > 1 else None
                )
            if _in_any(ent.start_char, self._quoted):
                continue
            self._unquoted_names.add(tuple(words))
            self._mentions.append((ent.start_char, ent.end_char, entity))
        self._genders_from_pronouns()

    def _attach(self, by_key: dict[str, list[_Entity]], ent: SpacySpan, words: list[str]):
        """The known entity this name belongs to (same surname, compatible first name)."""
        key = words[-1].lower()
        for entity in reversed(by_key.get(key, [])):
            if entity.kind != ent.label_ and len(words) > 1:
                continue
            first = words[0].lower() if len(words) > 1 else None
            firsts = {n[0].lower() for n in entity.names if len(n) > 1}
            if first is None or not firsts or first in firsts:
                return entity
        if len(words) == 1:
            # a surname met first as the first word of a longer name? ("Obama administration")
            for entity in self._entities:
                if any(words[0] == n[-1] for n in entity.names):
                    return entity
        return None

    def _titles_before(self, ent: SpacySpan) -> set[str]:
        out = set()
        for t in list(self.doc[max(0, ent.start - 3) : ent.start]) + list(ent[:2]):
            title = TITLES.get(t.lower_)
            if title:
                out.add(title)
        # apposition: "Clinton, the former secretary of state,"
        for t in ent.root.children:
            if t.dep_ == "appos":
                for w in t.subtree:
                    title = TITLES.get(w.lower_)
                    if title:
                        out.add(title)
        return out

    def _genders_from_pronouns(self) -> None:
        # a person that is the subject of a sentence whose later subject pronoun is he/she
        for sent in self.doc.sents:
            subjects = [t for t in sent if t.dep_ in _SUBJ]
            if not subjects:
                continue
            first = subjects[0]
            entity = self._entity_at(first.idx)
            if entity is None or entity.kind != "PERSON" or entity.gender:
                continue
            for t in subjects[1:]:
                g = _PRONOUNS.get(t.lower_)
                if g in ("m", "f"):
                    entity.gender = g
                    break

    def _entity_at(self, char: int) -> _Entity | None:
        for s, e, entity in self._mentions:
            if s <= char < e:
                return entity
        return None

    def display(self, entity: _Entity) -> str:
        """The longest mention of the entity, titles stripped."""
        names = [n for n in entity.names if tuple(n) in self._unquoted_names] or entity.names
        best = max(names, key=lambda n: (len(n), sum(map(len, n))))
        return self._printed.get(tuple(best), " ".join(best))

    def remember(self, char: int, mention: Span) -> None:
        """Note that the entity of ``mention`` spoke at ``char`` (helps pronouns later)."""
        entity = self.entity_for(*mention)
        if entity is not None:
            self.recent.append((char, entity))

    def _entity_for_span(self, start: int, end: int) -> _Entity | None:
        for s, e, entity in self._mentions:
            if s < end and start < e:
                return entity
        return None

    def entity_for(self, start: int, end: int) -> _Entity | None:
        """The entity a mention refers to, or None."""
        span = _tok_span(self.doc, start, end)
        if span is None:
            return None
        entity = self._entity_for_span(start, end)
        if entity is not None:
            return entity
        words = [t.lower_ for t in span]
        head = span.root
        named = _strip_name([t.text for t in span if not t.is_punct])
        if named and named[0][:1].isupper():
            # a name the tagger missed: the nearest earlier entity with that surname
            by_name = self._by_surname(named[-1].lower(), start)
            if by_name is not None:
                return by_name
        if len(span) == 1 and words[0] in _PRONOUNS:
            return self._pronoun(start, _PRONOUNS[words[0]])
        if len(span) == 1 and words[0] in _RELATIVE:
            # "who said": the noun the relative clause hangs on
            verb = head.head
            noun = verb.head if verb.dep_ == "relcl" else None
            if noun is not None and noun.i != head.i:
                return self.entity_for(noun.idx, noun.idx + len(noun.text))
            return None
        title = TITLES.get(head.lower_)
        if title and words[0] in ("the", "this", "that"):
            return self._titled(start, title)
        return None

    def _by_surname(self, key: str, at: int) -> _Entity | None:
        found = [(s, ent) for s, _, ent in self._mentions if ent.key == key]
        before = [f for f in found if f[0] < at]
        pick = before[-1] if before else (found[0] if found else None)
        return pick[1] if pick else None

    def name_for(self, start: int, end: int) -> str | None:
        """Resolve the mention at ``[start, end)`` to the entity's display name."""
        entity = self.entity_for(start, end)
        return self.display(entity) if entity is not None else None

    def _pronoun(self, at: int, gender: str) -> _Entity | None:
        def fits(entity: _Entity) -> bool:
            if gender in ("m", "f"):
                return entity.kind == "PERSON" and entity.gender in (gender, None)
            # "it" and "they" speak for organisations (`the campaign ... they said`)
            return entity.kind == "ORG"

        # the last speaker, if recent, is the likeliest "he said"
        for char, entity in reversed(self.recent):
            if at - char > 600:
                break
            if char < at and fits(entity):
                if gender not in ("m", "f") or entity.gender == gender:
                    return entity
                break
        # then the nearest preceding subject, then the nearest mention
        before = [(s, e, ent) for s, e, ent in self._mentions if e <= at and at - s < 1500]
        for want_subject in (True, False):
            for s, _, entity in reversed(before):
                if not fits(entity):
                    continue
                if want_subject:
                    tok = self.doc.char_span(s, s + 1, alignment_mode="expand")
                    if tok is None or not any(
                        t.dep_ in _SUBJ or t.head.dep_ in _SUBJ for t in tok
                    ):
                        continue
                return entity
        return None

    def _titled(self, at: int, title: str) -> _Entity | None:
        for s, _, entity in reversed(self._mentions):
            if s < at and title in entity.titles:
                return entity
        return None


def _name_spans(doc: Doc) -> list[SpacySpan]:
    """PERSON and ORG entities, plus titled names the small model misses or mislabels
    ("Mayor Ana Ruiz", "Councillor Priya Nandakumar"): a capitalised title followed by
    capitalised proper nouns (tagged NNP: the pipeline has no attribute_ruler) is a person."""
    spans = [e for e in doc.ents if e.label_ in ("PERSON", "ORG")]
    taken = {i for e in spans for i in range(e.start, e.end)}
    i = 0
    while i < len(doc):
        t = doc[i]
        if t.lower_ in TITLES and TITLES[t.lower_] and t.text[:1].isupper() and i not in taken:
            end = i + 1
            while (end < len(doc) and doc[end].tag_ in ("NNP", "NNPS") and doc[end].text[:1].isupper()
                   and end not in taken and doc[end].lower_ not in TITLES):
                end += 1
            if end - i >= 2:
                spans.append(SpacySpan(doc, i, end, label="PERSON"))
                i = end
                continue
        i += 1
    return sorted(spans, key=lambda span: span.start)


def resolve(doc: Doc, start: int, end: int) -> str | None:
    """The name of the entity the mention ``doc.text[start:end]`` refers to, or None.

    Builds a ``Resolver`` for one look-up; keep one ``Resolver`` per document for many.
    """
    return Resolver(doc).name_for(start, end)


# the sieve


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
        for ent in doc.ents:
            if ent.start <= tok.i < ent.end:
                start = ent.start
                # keep a title just before the name: "Sen. Tim Kaine"
                while start > 0 and doc[start - 1].lower_ in TITLES and doc[start - 1].is_title:
                    start -= 1
                return doc[start].idx, ent.end_char
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


def _subject(verb: Token, blocked: Sequence[Span]) -> Token | None:
    """The speaker token of a cue verb: its subject, climbing through conjuncts."""
    v = verb
    for _ in range(4):
        for child in v.children:
            if child.dep_ in _SUBJ and not _quoted(child, blocked):
                if child.lower_ in _RELATIVE and v.dep_ == "relcl":
                    # `Trump, who said`: the speaker is the noun the clause hangs on
                    return v.head if not _quoted(v.head, blocked) else None
                return child
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.i != v.i:
            v = v.head
            continue
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.head.i != v.head.i:
            v = v.head.head  # `She followed that by saying`
            continue
        if v.dep_ in ("acl", "relcl") and not v.head.tag_.startswith("VB"):
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
    if verb.lower_ not in _ADDRESSEE_VERBS:
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
    return t.lower_ in CUE_FORMS and t.tag_.startswith("VB")


def _source_from_cue(
    cue: Token, blocked: Sequence[Span], resolver: Resolver, window: Sequence[Token] = ()
) -> Source | None:
    subj = _subject(cue, blocked)
    if subj is None:
        # a parse gone wrong around an apposition: `"...," Flynn, a surrogate, said`
        left = [t for t in window if t.i < cue.i and t.ent_type_ in ("PERSON", "ORG")]
        if not left:
            return None
        subj = max(left, key=lambda t: t.i)
    s, e = _mention_span(subj)
    around = cue.doc.char_span(s, e, alignment_mode="expand")  # cheaper than Doc.text
    assert around is not None, "an expanded span of the doc's own tokens always exists"
    mention = around.text[s - around.start_char : e - around.start_char]
    return Source(
        mention=mention,
        span=(s, e),
        name=resolver.name_for(s, e) or _plain_name(mention),
        cue=cue.text,
        cue_span=(cue.idx, cue.idx + len(cue.text)),
    )


def source_of_verb(verb: Token, blocked: Sequence[Span], resolver: Resolver) -> Source | None:
    """The source of a content governed by ``verb``: its subject, resolved (or None)."""
    return _source_from_cue(verb, blocked, resolver)


def _plain_name(mention: str) -> str | None:
    """A mention that resolves to no entity: keep it as the name unless it is a pronoun."""
    words = mention.split()
    if len(words) == 1 and (words[0].lower() in _PRONOUNS or words[0].lower() in _RELATIVE):
        return None
    stripped = _strip_name(words)
    return " ".join(stripped) if stripped else None


def _according_to(tokens: Iterable[Token], resolver: Resolver) -> Source | None:
    for t in tokens:
        if t.lower_ == "according" and t.i + 1 < len(t.doc) and t.nbor().lower_ == "to":
            to = t.nbor()
            objs = [c for c in to.children if c.dep_ == "pobj"]
            if not objs:
                continue
            s, e = _mention_span(objs[0])
            doc = t.doc
            return Source(
                mention=doc.text[s:e],
                span=(s, e),
                name=resolver.name_for(s, e) or _plain_name(doc.text[s:e]),
                cue="according to",
                cue_span=(t.idx, to.idx + len(to.text)),
            )
    return None


def _entity_before(tokens: Sequence[Token], resolver: Resolver) -> Source | None:
    """The person or organisation named right before a lead-in colon or dash."""
    if not tokens or tokens[0].ent_type_ not in ("PERSON", "ORG"):
        return None
    tok = tokens[0]
    s, e = _mention_span(tok)
    doc = tok.doc
    return Source(
        mention=doc.text[s:e],
        span=(s, e),
        name=resolver.name_for(s, e) or _plain_name(doc.text[s:e]),
        cue=None,
        cue_span=None,
    )


def _name_source(tokens: Sequence[Token], resolver: Resolver, cue: str) -> Source | None:
    """A bare name as the whole lead-in (`Trump: "..."`) or trailer (`"..." - Trump`)."""
    words = [t for t in tokens if not t.is_punct and not t.is_space]
    if not words or len(words) > 6 or any(t.tag_.startswith("VB") for t in words):
        return None
    if not any(t.ent_type_ in ("PERSON", "ORG") or t.tag_ == "NNP" for t in words):
        return None
    s, e = words[0].idx, words[-1].idx + len(words[-1].text)
    doc = words[0].doc
    return Source(
        mention=doc.text[s:e],
        span=(s, e),
        name=resolver.name_for(s, e) or _plain_name(doc.text[s:e]),
        cue=None,
        cue_span=None,
    )


def find_source(
    doc: Doc,
    content: Sequence[Span],
    blocked: Sequence[Span],
    paragraph: Span | None,
    resolver: Resolver,
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
        start = doc.text.rfind("\n", 0, content[0][0]) + 1
        end = doc.text.find("\n", content[-1][1])
        paragraph = (start, len(doc.text) if end < 0 else end)
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
            glued = doc.text[content[-1][1] : toks[0].idx + len(toks[0].text)]
            trailer = [t for t in ordered if not t.is_punct or t.i > toks[0].i + 2]
            if _DASHES.search(glued) or (len(toks) > 1 and _DASHES.fullmatch(toks[1].text)):
                src = _name_source(trailer, resolver, cue="-")
                if src:
                    return src
            if ends_sentence and not any(_is_cue(t) for t in toks[:5]):
                # `"...end." Next sentence` only attributes in the short form `"..." he said`
                continue
        if w.where == "before" and ordered and (ordered[0].text == ":" or _DASHES.fullmatch(
            ordered[0].text
        )):
            # lead-in `X: "..."` or `..., including X -- "..."`
            src = _entity_before(ordered[1:], resolver) or _name_source(
                list(reversed(ordered[1:])), resolver, cue=ordered[0].text
            )
            if src:
                return src
        cues = [t for t in ordered if _is_cue(t)]
        if w.where in ("gap", "after"):
            cues = [c for c in cues if not _has_own_content(c, blocked, content)]
        for cue in cues:
            src = _source_from_cue(cue, blocked, resolver, window=ordered)
            if src:
                return src
        src = _according_to(ordered, resolver)
        if src:
            return src
    if allow_previous_sentence:
        m = _DASH_PARAGRAPH.match(doc.text, paragraph[1])
        if m:
            toks = _tokens_between(doc, m.start(1), m.end(1))
            src = _name_source(toks, resolver, cue="-")
            if src:
                return src
        return _previous_sentence(doc, content, blocked, paragraph, resolver)
    return None


def _previous_sentence(
    doc: Doc, content: Sequence[Span], blocked: Sequence[Span], para: Span, resolver: Resolver
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
            src = _source_from_cue(root, blocked, resolver)
            if src:
                return src
    for t in prev:
        if not colon and t.lower_ not in _INTRODUCING:
            continue
        if _is_cue(t) and not _quoted(t, blocked) and not _has_own_content(t, blocked, content):
            # a cue that reports another quote is that quote's, not this one's
            if any(
                _quoted(c, blocked) and not _quoted(c, content)
                for c in t.subtree
                if c.dep_ == "ccomp"
            ):
                continue
            src = _source_from_cue(t, blocked, resolver)
            if src:
                return src
    return None

"""One entity model per article: every mention of a person or organisation clustered, and
any mention (a name, a surname, a pronoun, a descriptor) resolved to its entity.

Built once per parsed article and shared by the quote and claim extractors:

- named mentions are spaCy's PERSON, ORG and GPE entities and titled names the small
  model misses ("Mayor Ana Ruiz"), cleaned of titles, possessives and stray words
  (`special envoy to Chile Ruth Baines` is Ruth Baines), coordinations split ("Trump and
  Pence"); names in headings, all-caps lines, bylines and datelines are no mentions;
- people cluster by surname with compatible first names ("Okafor", "Mr. Okafor" and
  "Daniel Okafor" are one entity), organisations by normalised name or acronym; an
  entity's name is the fullest the article gives outside quotes, titles stripped;
- descriptors attached to a name (`Republican nominee Donald Trump`, `Clinton, the
  Democratic nominee,`, `the hotel's manager, Tom Reyes`) become the entity's roles, so
  `the nominee` resolves later; `X's campaign` (or team) is the organisation "X campaign",
  `X's family` the "X family";
- third-person pronouns are resolved in text order by salience: recency counted in
  sentences outside quotes, subject position, having spoken, agreement in gender (first
  names, honorifics, earlier pronouns) and number;
- unnamed groups and roles ("officials", "a spokesman for Disney") resolve to no name,
  typed ``anonymous``; "I"/"we" in the writer's voice to the article's author.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from newsetl.extract.attribution.lexicon import (
    ANONYMOUS_HEADS,
    CLAIM_VERBS,
    FIRST_PERSON,
    HONORIFIC_GENDER,
    MEDIA_HEADS,
    MEDIA_NAMES,
    PRONOUNS,
    RELATIVE,
    SECOND_PERSON,
    TITLES,
)
from newsetl.extract.attribution.marks import Segment, doc_text, paragraphs, quoted_extents
from newsetl.extract.attribution.names import clean_name, gender_of, name_key, same_first_name
from newsetl.values import SourceType

Span = tuple[int, int]

SOURCE_TYPES = tuple(SourceType)
"""what a speaker or source is (newsetl.values.SourceType)"""

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_NAMED_LABELS = ("PERSON", "ORG", "GPE")
_PLACES = ("LOC", "FAC")  # labels a first name in a name does not make a person's
# salience: a mention's weight, halved for each sentence (outside quotes) since
_DECAY = 0.5
_SUBJECT_WEIGHT = 0.8
_SPEAKER_WEIGHT = 0.5
_UNKNOWN_GENDER = 0.8
# a "person" with one word for a name and nothing else to show it is one (no first name,
# title or role): often a tagger's mistake (`Twitter`, `Beehive`)
_WEAK_PERSON = 0.4
# a person first mentioned in the last two sentences is new to the story: the likeliest
# "she said" after a quote of someone else ("a person introduced since the last quote
# beats the last speaker")
_NEW_PERSON = 1.5
_NEW_WITHIN = 2
_MAX_SENTENCES_BACK = 6
# a delayed identification: a story's first lines describe a person (`A state judge
# ruled...`) and name them a few sentences on (`Judge Ana Ruiz wrote...`)
_LEDE_SENTENCES = 3
_NAMED_WITHIN_AHEAD = 4
# a bare surname shared by several people goes to the most prominent: full-name mentions
# count one each, a heading this much, and being the first of them named this much
_HEADED_WEIGHT = 3.0
_FIRST_NAMED_WEIGHT = 2.0
_NAMESAKE_WINDOW = 3  # sentences: a namesake named this recently, alone, is the one meant
# words that head an organisation's own units: `X campaign`, `the Obama administration`
_OWNED_ORGS = frozenset({"campaign", "administration", "family"})
# a person's team, named for the campaign it is: `Clinton's team`
_CAMPAIGN_WORDS = frozenset({"team"})
# a place's force, named by the place before it: `Tulsa police`
_FORCES = frozenset({"police"})
# a nation's own bodies, named by its people's adjective: `the Saudi government`
_STATE_BODIES = frozenset({"government", "regime", "military", "army"})
_PAIR_WORDS = 8  # how far before an artifact a slash-joined pair of its makers may begin
# descriptions that pick the latest organisation of the article (`the company said`)
_GENERIC_ORGS = frozenset(
    "company firm group organization organisation agency department committee court "
    "ministry government party union council board commission bureau office bank fund "
    "panel institute association federation foundation university hospital".split()
)
# what an organisation's own name may say for a generic description of it: `the union`
# is the Association of Flight Attendants, `the agency` the Congressional Budget Office
_GENERIC_NAME_WORDS = {
    "union": {"union", "association", "federation", "workers", "brotherhood", "guild"},
    "agency": {"agency", "office", "administration", "service", "bureau", "commission",
               "department"},
    "panel": {"panel", "committee", "commission", "board"},
    "group": {"group", "coalition", "alliance", "association", "committee", "fund",
              "foundation", "institute", "center", "centre", "council"},
    "department": {"department", "ministry"},
    "ministry": {"ministry", "department"},
    "organization": {"organization", "organisation", "association", "group"},
    "organisation": {"organization", "organisation", "association", "group"},
}
# words that make a name an organisation's
ORG_WORDS = frozenset(
    "inc inc. corp corp. co co. ltd llc plc group union council party committee department "
    "ministry bank association university college institute foundation agency board "
    "commission bureau office court police authority company terminals trust fund club "
    "league network news times post press center centre coalition alliance".split()
)
# artifacts that carry language: a definite one speaks for its maker
ARTIFACTS = frozenset(
    "statement statements tweet tweets letter memo release ad ads video email post message "
    "filing poll polls survey surveys study studies analysis report reports brief ruling "
    "decision complaint lawsuit database research book clip spot slide document documents "
    "findings estimate estimates projection projections audit review opinion order "
    "transcript website speech remarks testimony".split())
# the prepositions naming an artifact's maker: `a video by the committee`, `a poll from X`
_MAKER_PREPS = frozenset({"by", "from"})
# nouns for a public person that a definite description uses for the story's protagonist
PERSON_ROLES = frozenset(
    "candidate nominee senator president governor mayor congressman congresswoman judge "
    "businessman businesswoman billionaire frontrunner front-runner contender challenger "
    "incumbent chairman chairwoman ceo founder host star leader minister secretary "
    "lawmaker neurosurgeon developer mogul speaker runner".split()
)
# the parties a description may name (`the Libertarian candidate`): one that names another
# party than a person's is not that person
_PARTIES = frozenset({"republican", "democratic", "libertarian", "green"})
_PARTY_SYNONYMS = {"gop": "republican", "republicans": "republican", "democrats": "democratic",
                   "democrat": "democratic"}
# heading words that may stand before a colon but name nobody
_NOT_NAMES = frozenset(
    "breaking update updated watch read editor note photo video live exclusive analysis "
    "opinion q a question answer what why how when where who next more related".split()
)


class _Mention(NamedTuple):
    """One named mention: its entity, words, tokens, head token, the word before it
    (a title or honorific) and whether it lies inside a quote."""

    entity: int
    words: tuple[str, ...]
    tokens: tuple[int, ...]
    head: int
    before: str
    quoted: bool


@dataclass(frozen=True)
class Resolution:
    """What a mention refers to: a name (None for nobody named), a source type, the
    entity's index in the article (None when unnamed) and how it was resolved."""

    name: str | None
    type: str
    entity: int | None = None
    how: str = "name"


NOBODY = Resolution(None, "none", None, "none")


@dataclass
class Entity:
    """One person or organisation of the article with every name it goes by."""

    id: int
    kind: str  # PERSON, ORG, GPE, MEDIA
    key: str  # a person's surname, an organisation's normalised name
    names: list[tuple[str, ...]] = field(default_factory=list)
    printed: dict[tuple[str, ...], str] = field(default_factory=dict)
    unquoted: set[tuple[str, ...]] = field(default_factory=set)
    firsts: set[str] = field(default_factory=set)
    gender: str | None = None
    gender_sure: bool = False  # from an honorific or a pronoun, not a first-name list
    roles: set[str] = field(default_factory=set)
    role_mods: set[str] = field(default_factory=set)
    mentions: list[int] = field(default_factory=list)  # token indices of mention heads
    spoke: list[int] = field(default_factory=list)  # token indices where it is a cue's subject
    acronym: str | None = None
    fixed_name: str | None = None  # `Clinton campaign`: a derived name, not a mention
    headed: bool = False  # named in a heading (the headline): what the story is about
    evidence: bool = False  # a person for sure: a first name, a title, a person's role
    merged: int | None = None  # the entity this one turned out to be (its mentions moved)

    @property
    def type(self) -> str:
        if self.kind == "PERSON":
            return "person"
        return "media" if self.kind == "MEDIA" else "organisation"

    def display(self) -> str:
        """The fullest name the article gives outside quotes (headings included; a name
        inside a quote is the speaker's wording, and often another person), titles
        stripped."""
        if self.fixed_name:
            return self.fixed_name
        names = [n for n in self.names if n in self.unquoted] or self.names
        if self.kind == "PERSON":
            best = max(names, key=lambda n: (len(n), sum(map(len, n))))
        else:
            # an organisation's spelled-out name beats its acronym
            best = max(names, key=lambda n: (len(n) > 1 or not "".join(n[:1]).isupper(),
                                             len(n), sum(map(len, n))))
        return clean_name(self.printed.get(best, " ".join(best)), self.kind == "PERSON")


def _norm(words: Sequence[str]) -> str:
    words = [name_key(w) for w in words]
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(w for w in words if w)


_PERSON_SUFFIX = re.compile(r"(man|woman|er|or|ist|ian)$")


_FEMALE_NOUNS = frozenset("woman mother wife widow daughter sister lady actress girl "
                          "grandmother aunt niece queen princess".split())
_MALE_NOUNS = frozenset("man father husband widower son brother boy grandfather uncle "
                        "nephew king prince".split())


def _noun_gender(word: str) -> str | None:
    """The gender a person noun says (`businessman`, `congresswoman`, `widow`), if any."""
    if word in _FEMALE_NOUNS or word.endswith("woman"):
        return "f"
    if word in _MALE_NOUNS or word.endswith("man") and not word.endswith(("human", "german")):
        return "m"
    return None


# offices that one person may be called by interchangeably
_SAME_OFFICE = {"candidate": "nominee", "justice": "judge", "congressman": "representative",
                "congresswoman": "representative", "lawmaker": "representative"}


def _office(word: str) -> str | None:
    """The office a title or role word names (`sen.` and `senator` are one), if any."""
    office = TITLES.get(word)
    return _SAME_OFFICE.get(office, office) if office else None


def _other_office(word: str, roles: set[str]) -> bool:
    """Whether an entity's roles give it an office but not the one ``word`` names: the
    article calls that person something else (`Justice Nervo` is not `the nominee`)."""
    want = _office(word)
    held = {o for o in map(_office, roles) if o}
    return want is not None and bool(held) and want not in held


def _is_person_noun(word: str) -> bool:
    return word in PERSON_ROLES or bool(TITLES.get(word)) or (
        len(word) > 4 and bool(_PERSON_SUFFIX.search(word)) and word not in _GENERIC_ORGS)


# particles that begin a surname (`de Blasio`, `van Hollen`)
_PARTICLES = frozenset("de del della di da van von der le la du bin al el st".split())
_GENERATIONS = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def _surname(words: Sequence[str]) -> str:
    """A person's surname, lower case, a generation (`Jr.`, `IV`) aside."""
    rest = [w for w in words if w.lower() not in _GENERATIONS] or list(words)
    return name_key(rest[-1])


def _suffix(short: Sequence[str], long: Sequence[str]) -> bool:
    return 1 < len(short) < len(long) and tuple(long[-len(short):]) == tuple(short)


# `U.N.`, `S.E.C.`: an organisation's initials, never a person's surname (`Un`)
_INITIALISM = re.compile(r"(?:[A-Z]\.){2,}")


def _acronym(words: Sequence[str]) -> str:
    return "".join(w[0] for w in words if w[:1].isupper() and w.lower() not in ("of", "the", "and"))


_PARTY_TAG = re.compile(r"\((?:[DRI]|Dem|Rep|Ind)\.?\s*[-–]\s*[^()\n]{1,30}\)"
                        r"|(?<=, )[DRI]-[A-Z][A-Za-z.]{1,12}(?=[,.;)]|\s)")
# words a headline leaves in lower case
_SMALL_WORDS = frozenset("a an and as at but by for from if in into nor of off on or over per "
                         "so than the to up via vs with yet".split())


def _title_case(para: str) -> bool:
    """A heading in title case (`Black Lawmakers Rip Donald Trump Over Birther Claim`):
    three words or more, every word but the small ones capitalised."""
    words = re.findall(r"[A-Za-z][\w'’-]*", para)
    if len(words) < 3 or len(words) > 25:
        return False
    return all(w[0].isupper() or w.lower() in _SMALL_WORDS for w in words) and \
        sum(w.lower() not in _SMALL_WORDS for w in words) >= 3


_NAME_MARKS = frozenset('"“”\'‘’')


def _nickname(span: SpacySpan) -> str | None:
    """The quoted nickname inside a name (`Robert C. "Bobby" Scott`), lower case."""
    toks = list(span)
    for k in range(len(toks) - 2):
        if toks[k].text in _NAME_MARKS and toks[k + 2].text in _NAME_MARKS:
            return name_key(toks[k + 1].text)
    return None


def _is_title(t: Token) -> bool:
    return t.lower_ in TITLES


def _looks_media(words: Sequence[str]) -> bool:
    low = {w.lower() for w in words}
    return bool(low & MEDIA_NAMES) and any(w[:1].isupper() for w in words)


class ArticleEntities:
    """The entity model of one parsed article.

    ``resolve(start, end)`` takes the character span of a mention and returns its
    ``Resolution``; ``speaker(tok)`` notes that a token's entity spoke (raising its salience
    for later pronouns).
    """

    def __init__(self, doc: Doc, quoted: Sequence[Span], authors: Sequence[str] = ()) -> None:
        self.doc = doc
        # every token once: spaCy makes a new Token object at each iteration of a Doc
        self.tokens: list[Token] = list(doc)
        self.quoted = sorted(quoted)
        self.authors = tuple(a for a in authors if a)
        self.entities: list[Entity] = []
        self._tok_entity: dict[int, int] = {}  # token index -> entity id (named mentions)
        self._named: list[_Mention] = []
        self._sure: dict[int, int] = {}  # entity id -> bare surnames its honorific made sure
        self._plural: list[tuple[int, Resolution]] = []  # plural antecedents: head, resolution
        self._pronoun: dict[int, Resolution] = {}
        self._in_quote = self._quoted_tokens()
        self._sent_of, self._sent_rank = self._sentences()
        self._excluded = self._excluded_tokens()
        self._index_names()
        self._index_owned()
        self._police = self._index_police()
        self._index_roles()
        self._index_plurals()
        self._resolve_pronouns()

    # building

    def _quoted_tokens(self) -> list[bool]:
        out = [False] * len(self.doc)
        k = 0
        for t in self.tokens:
            last = t.idx + len(t.text) - 1
            while k < len(self.quoted) and self.quoted[k][1] <= last:
                k += 1
            out[t.i] = k < len(self.quoted) and self.quoted[k][0] <= last < self.quoted[k][1]
        return out

    def _sentences(self) -> tuple[list[int], list[int]]:
        """Each token's sentence, and each sentence's rank counting only sentences with
        words outside quotes (so quoted paragraphs do not age a speaker)."""
        sent_of = [0] * len(self.doc)
        pieces: list[list[Token]] = []
        for sent in self.doc.sents:
            # a line break ends a sentence whatever the parser says: paragraphs are never
            # one sentence, though a closing quotation mark often hides the break from it
            pieces.append([])
            for t in self.tokens[sent.start : sent.end]:
                if pieces[-1]:
                    prev = self.tokens[t.i - 1]
                    if "\n" in prev.whitespace_ or prev.is_space and "\n" in prev.text:
                        pieces.append([])
                pieces[-1].append(t)
        ranks = []
        rank = 0
        for si, piece in enumerate(pieces):
            if any(not self._in_quote[t.i] and not t.is_punct and not t.is_space for t in piece):
                rank += 1
            ranks.append(rank)
            for t in piece:
                sent_of[t.i] = si
        return sent_of, ranks

    def _excluded_tokens(self) -> set[int]:
        """Tokens of headings, all-caps lines, bylines and datelines: never mentions."""
        out: set[int] = set()
        text = doc_text(self.doc)
        for ps, pe in paragraphs(text):
            para = text[ps:pe]
            span = self.doc.char_span(ps, pe, alignment_mode="expand")
            if span is None:
                continue
            letters = [c for c in para if c.isalpha()]
            words = para.split()
            is_caps = len(letters) >= 2 and all(c.isupper() for c in letters)
            is_byline = bool(re.match(r"(?i)^(by|reporting by|written by|edited by)\s+[A-Z]", para)) \
                and len(words) <= 12
            is_heading = len(words) <= 8 and not para.rstrip().endswith((".", "?", "!", '"', "”", ":")) \
                and not any(t.tag_.startswith("VB") for t in span)
            if is_caps or is_byline or is_heading or _title_case(para):
                out.update(t.i for t in span)
                continue
            # a party and state after a name: `(D-Va.)`, `, R-Wis.,`
            for m in _PARTY_TAG.finditer(para):
                out.update(t.i for t in span if ps + m.start() <= t.idx < ps + m.end())
            # a dateline: `WASHINGTON (AP) —` before the story's first words
            m = re.match(r"^[A-Z][A-Z .,'-]+(\([A-Za-z]+\))?\s*[—–-]+\s", para)
            if m:
                out.update(t.i for t in span if t.idx < ps + m.end())
        return out

    def _name_spans(self) -> list[SpacySpan]:
        """Named-entity spans plus titled names the model misses, split at `and`."""
        doc = self.doc
        spans = [e for e in doc.ents if e.label_ in _NAMED_LABELS]
        taken = {i for e in spans for i in range(e.start, e.end)}
        i = 0
        while i < len(doc):
            t = doc[i]
            if _is_title(t) and TITLES[t.lower_] and t.text[:1].isupper() and i not in taken:
                end = i + 1
                while (end < len(doc) and doc[end].tag_ in ("NNP", "NNPS")
                       and doc[end].text[:1].isupper() and end not in taken
                       and not _is_title(doc[end])):
                    end += 1
                if end - i >= 2:
                    spans.append(SpacySpan(doc, i, end, label="PERSON"))
                    i = end
                    continue
            if t.tag_ == "NNP" and i not in taken and t.text[:1].isupper() and \
                    gender_of(t.text) is not None and (i == 0 or doc[i - 1].tag_ != "NNP") \
                    and t.ent_type_ not in _PLACES:  # `the Marshall Islands`
                # `Joel Petrakis, an analyst`: a known first name and a surname
                end = i + 1
                while end < len(doc) and end - i < 3 and doc[end].tag_ == "NNP" and \
                        doc[end].text[:1].isupper() and end not in taken:
                    end += 1
                if end - i >= 2 and (end == len(doc) or doc[end].tag_ not in ("NNP", "NNPS")):
                    spans.append(SpacySpan(doc, i, end, label="PERSON"))
                    i = end
                    continue
            i += 1
        spans = self._join_nicknames(spans)
        out = []
        for span in sorted(spans, key=lambda s: s.start):
            start = span.start
            for k in range(span.start, span.end):
                if doc[k].lower_ in ("and", "&") and span.label_ != "ORG" or doc[k].text == ",":
                    if k > start:
                        out.append(SpacySpan(doc, start, k, label=span.label_))
                    start = k + 1
            if start < span.end:
                out.append(SpacySpan(doc, start, span.end, label=span.label_))
        return out

    def _join_nicknames(self, spans: list[SpacySpan]) -> list[SpacySpan]:
        """`Robert C. "Bobby" Scott`: a quoted nickname inside a name is one name, which
        the tagger splits at the marks."""
        doc = self.tokens
        for i in range(1, len(doc) - 3):
            if doc[i].text not in _NAME_MARKS:
                continue
            if not (doc[i + 2].text in _NAME_MARKS
                    and doc[i + 1].text[:1].isupper() and doc[i - 1].text[:1].isupper()
                    and doc[i + 3].text[:1].isupper() and doc[i + 3].tag_ == "NNP"):
                continue
            start = next((sp.start for sp in spans if sp.start <= i - 1 < sp.end
                          and sp.label_ == "PERSON"), None)
            if start is None:
                continue
            end = i + 3
            while end < len(doc) and doc[end].tag_ == "NNP" and doc[end].text[:1].isupper():
                end += 1
            spans = [sp for sp in spans if sp.end <= start or sp.start >= end]
            spans.append(SpacySpan(self.doc, start, end, label="PERSON"))
        return spans

    def _clean(self, span: SpacySpan) -> list[Token]:
        toks = list(span)
        if len(toks) > 2 and toks[0].text.islower() and toks[1].text == "-" and \
                not toks[0].whitespace_:
            return []  # `pro-Clinton`, `anti-Trump`: a name made an adjective, no mention
        # `Robert C. "Bobby" Scott`: the nickname is an alias, not a word of the name
        marks = [k for k, t in enumerate(toks) if t.text in _NAME_MARKS]
        if len(marks) == 2 and marks[1] == marks[0] + 2:
            toks = toks[: marks[0]] + toks[marks[1] + 1 :]
        # `The Huffington Post's Scott Conroy`: the name after an owner's possessive
        cut = [k for k, t in enumerate(toks[:-1]) if t.text in ("'s", "’s")]
        if cut and toks[cut[-1] + 1].text[:1].isupper():
            toks = toks[cut[-1] + 1 :]
        while toks and (_is_title(toks[0]) or toks[0].is_punct or toks[0].lower_ == "the" or (
                span.label_ != "PERSON" and toks[0].text.isalpha() and toks[0].text.islower())):
            toks = toks[1:]  # also `federal` of `the federal Securities and Exchange Commission`
        while toks and (toks[-1].text in ("'s", "’s", "'", "’") or toks[-1].is_punct):
            toks = toks[:-1]
        if toks and TITLES.get(toks[-1].lower_) and toks[-1].i + 1 < len(self.doc) and \
                self.doc[toks[-1].i + 1].text[:1].isupper():
            return []  # `Charlotte Mayor` before `Jennifer Roberts`: a description
        # `envoy to Chile Ruth Baines`: a place glued before a first name
        if len(toks) >= 3 and span.start > 0 and self.doc[span.start - 1].tag_ == "IN" and \
                not ({t.lower_ for t in toks} & ORG_WORDS):  # `at West Virginia University`
            if gender_of(toks[1].text) is not None and gender_of(toks[0].text) is None:
                toks = toks[1:]
        return toks

    def _index_names(self) -> None:
        doc = self.doc
        by_key: dict[str, list[Entity]] = {}
        text = doc_text(doc)
        headed: list[tuple[str, ...]] = []  # full names seen in headings, bylines...
        self._named = []
        for span in self._name_spans():
            toks = self._clean(span)
            if toks and any(t.i in self._excluded for t in toks):
                if len(toks) > 1 and span.label_ == "PERSON":
                    headed.append(tuple(t.text for t in toks))
                continue
            if not toks:
                continue
            words = tuple(t.text for t in toks)
            if not any(w[:1].isupper() for w in words):
                continue  # `the regional chamber`: a description, not a name
            kind = self._kind(span, toks)
            before = toks[0].nbor(-1).lower_ if toks[0].i > 0 else ""
            gender = HONORIFIC_GENDER.get(before) or (
                gender_of(words[0]) if len(words) > 1 and kind == "PERSON" else None)
            entity = self._attach(by_key, kind, words, gender)
            if entity is None:
                key = _surname(words) if kind == "PERSON" else _norm(words)
                entity = Entity(id=len(self.entities), kind=kind, key=key)
                if kind != "PERSON":
                    entity.acronym = _acronym(words) if len(words) > 1 else None
                self.entities.append(entity)
                by_key.setdefault(key, []).append(entity)
                if entity.acronym:
                    by_key.setdefault("acr:" + entity.acronym, []).append(entity)
            elif kind == "PERSON" and entity.kind != "PERSON":
                entity.kind = "PERSON"
            if words not in entity.names:
                entity.names.append(words)
                contiguous = toks[-1].i - toks[0].i == len(toks) - 1
                entity.printed[words] = text[toks[0].idx : toks[-1].idx + len(toks[-1])] \
                    if contiguous else " ".join(words)
            nick = _nickname(span)
            if nick and entity.kind == "PERSON":
                entity.firsts.add(nick)
            if len(words) > 1 and entity.kind == "PERSON" and not (
                    len(words) == 2 and name_key(words[0]) in _PARTICLES):
                if not entity.firsts and not entity.gender_sure:
                    entity.gender = None  # a lone word's hint gives way to a first name
                entity.firsts.add(name_key(words[0]))
                entity.gender = entity.gender or gender_of(words[0])
                entity.evidence = entity.evidence or span.label_ == "PERSON" or \
                    gender_of(words[0]) is not None
            prev = toks[0].nbor(-1).lower_ if toks[0].i > 0 else ""
            honorific = HONORIFIC_GENDER.get(prev)
            entity.gender = honorific or entity.gender
            entity.gender_sure = entity.gender_sure or bool(honorific)
            if len(words) == 1 and entity.kind == "PERSON" and entity.gender is None \
                    and not entity.firsts:
                entity.gender = gender_of(words[0])  # `Melanie`; a hint only (`Warren`)
            if toks[0].i > 0 and _is_title(toks[0].nbor(-1)):
                entity.evidence = entity.evidence or entity.kind == "PERSON"
                if TITLES[prev]:
                    entity.roles.add(TITLES[prev])
            head = toks[-1] if entity.kind == "PERSON" else span.root
            quoted = self._in_quote[head.i]
            if not quoted:
                entity.unquoted.add(words)
                entity.mentions.append(head.i)
            ids = [t.i for t in toks] + ([span.root.i] if span.root.i not in self._tok_entity
                                         else [])
            for i in ids:
                self._tok_entity[i] = entity.id
            self._named.append(_Mention(entity.id, words, tuple(ids), head.i, prev, quoted))
        # a heading's full name is no mention, but it says how full the name is and what
        # the story is about; a heading's capitals make any phrase look like a name
        # (`Lawmakers Rip Donald Trump`), so only a known first name or initial counts
        for words in headed:
            if gender_of(words[0]) is None and len(words[0].strip(".")) > 1:
                words = words[1:]
                if len(words) < 2 or gender_of(words[0]) is None:
                    continue
            for entity in self._live():
                if entity.kind == "PERSON" and entity.key == _surname(words) and (
                    not entity.firsts or name_key(words[0]) in entity.firsts
                ):
                    if words not in entity.names:
                        entity.names.append(words)
                        entity.unquoted.add(words)
                    entity.firsts.add(name_key(words[0]))
                    entity.headed = True
        self._merge_first_names()
        self._split_namesakes()
        self._index_bare_surnames()

    def _index_bare_surnames(self) -> None:
        """`Lynch said` where the tagger labelled no entity: a capitalised proper noun that
        is the surname of a person of the article is a mention of that person (so that
        pronouns after it find them)."""
        people: dict[str, list[Entity]] = {}
        firsts: dict[str, list[Entity]] = {}
        for e in self._live():
            if e.kind == "PERSON" and e.evidence:
                people.setdefault(e.key, []).append(e)
                for f in e.firsts:
                    firsts.setdefault(f, []).append(e)
        for f, owners in firsts.items():
            # `Heather said` after `Heather Brandt`: a known first name of one person only
            if f not in people and len(owners) == 1 and gender_of(f) is not None:
                people[f] = owners
        doc = self.doc
        for t in self.tokens:
            if t.i in self._tok_entity or t.i in self._excluded or t.tag_ != "NNP" \
                    or not t.text[:1].isupper():
                continue
            cands = people.get(name_key(t.text))
            if not cands:
                continue
            left = doc[t.i - 1] if t.i > 0 else None
            right = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if right is not None and right.tag_ in ("NNP", "NNPS") or left is not None and \
                    left.tag_ in ("NNP", "NNPS") and not _is_title(left):
                continue  # part of another name (`Lynch Street`, `Kathy Lynch`)
            before = left.lower_ if left is not None else ""
            entity = cands[0] if len(cands) == 1 else self._most_prominent(
                self._narrow(cands, before))
            quoted = self._in_quote[t.i]
            self._tok_entity[t.i] = entity.id
            self._named.append(_Mention(entity.id, (t.text,), (t.i,), t.i, before, quoted))
            if not quoted:
                entity.mentions.append(t.i)
                entity.mentions.sort()

    def _live(self) -> list[Entity]:
        """The entities not merged into another."""
        return [e for e in self.entities if e.merged is None]

    def _move(self, k: int, to: Entity) -> None:
        """Give the named mention ``k`` to another entity."""
        mention = self._named[k]
        old = self.entities[self._tok_entity[mention.head]]
        if old.id == to.id:
            return
        for i in mention.tokens:
            self._tok_entity[i] = to.id
        if mention.head in old.mentions:
            old.mentions.remove(mention.head)
            to.mentions.append(mention.head)
            to.mentions.sort()
        if mention.words not in to.names:
            to.names.append(mention.words)
        if not mention.quoted:
            to.unquoted.add(mention.words)
        self._named[k] = mention._replace(entity=to.id)

    def _merge_first_names(self) -> None:
        """`Heidi` after `Heidi Cruz`: a lone first name that one person of the article
        has (and nobody has as a surname) is that person; a first name the tagger took for
        a place or an organisation (`Melania`) too."""
        people = [e for e in self._live() if e.kind == "PERSON" and e.firsts]
        surnames = {e.key for e in self._live() if e.kind == "PERSON"}
        for entity in self._live():
            if any(len(n) > 1 for n in entity.names) or entity.fixed_name:
                continue
            key = name_key(entity.names[0][0]) if entity.names else ""
            if gender_of(key) is None:
                continue  # a word we cannot tell from a surname (`Obama` in `Obama Says`)
            owners = [p for p in people if key in p.firsts and p.id != entity.id]
            if len(owners) != 1 or key in surnames and entity.kind != "PERSON" or any(
                p.key == key and p.id != entity.id for p in people
            ):
                continue
            to = owners[0]
            for k in [k for k, m in enumerate(self._named) if m.entity == entity.id]:
                self._move(k, to)
            to.roles |= entity.roles
            entity.merged = to.id

    def _split_namesakes(self) -> None:
        """`Clinton` where the article has Bill and Hillary Clinton: each bare surname goes
        to the namesake it can be, by its honorific (`Mr.`, `Mrs.`) and title (`President`);
        else to the only one named in the last few sentences; else to the one the story is
        about (``_prominence``). Mentions sure by their honorific count first."""
        groups: dict[str, list[Entity]] = {}
        for e in self._live():
            if e.kind == "PERSON" and e.firsts:
                groups.setdefault(e.key, []).append(e)
        groups = {k: v for k, v in groups.items() if len(v) > 1}
        if not groups:
            return
        bare = [k for k, m in enumerate(self._named)
                if len(m.words) == 1 and _surname(m.words) in groups]
        sure: dict[int, Entity] = {}
        for k in bare:
            m = self._named[k]
            narrowed = self._narrow(groups[_surname(m.words)], m.before)
            if len(narrowed) == 1:
                sure[k] = narrowed[0]
                self._sure[narrowed[0].id] = self._sure.get(narrowed[0].id, 0) + 1
        last: dict[int, int] = {}
        todo = set(bare)
        for k in sorted(range(len(self._named)), key=lambda k: self._named[k].head):
            m = self._named[k]
            if k not in todo:
                last[m.entity] = m.head
                continue
            chosen = sure.get(k)
            if chosen is None:
                pool = self._narrow(groups[_surname(m.words)], m.before)
                active = [e for e in pool if e.id in last
                          and self._age(last[e.id], m.head) <= _NAMESAKE_WINDOW]
                if len(active) == 1:
                    chosen = active[0]
                else:
                    chosen = self._most_prominent(active or pool)
            last[chosen.id] = m.head
            self._move(k, chosen)

    def _narrow(self, cands: Sequence[Entity], before: str) -> list[Entity]:
        """The namesakes an honorific's gender and a title's role allow."""
        gender = HONORIFIC_GENDER.get(before)
        if gender:
            cands = [e for e in cands if e.gender == gender] or cands
        role = TITLES.get(before)
        if role:
            cands = [e for e in cands if role in e.roles] or cands
        return list(cands)

    def _most_prominent(self, cands: Sequence[Entity]) -> Entity:
        """The namesake the story is most about; the one named first breaks ties."""
        def first(e: Entity) -> int:
            return min((m.head for m in self._named if m.entity == e.id and len(m.words) > 1),
                       default=10**9)

        earliest = min(cands, key=first)
        return max(cands, key=lambda e: (self._prominence(e) + (
            _FIRST_NAMED_WEIGHT if e is earliest else 0.0), -first(e)))

    def _prominence(self, entity: Entity) -> float:
        """How much the story is about a person: full-name mentions, a heading, and being
        the first of its surname named."""
        full = sum(1 for m in self._named if m.entity == entity.id and len(m.words) > 1)
        return full + self._sure.get(entity.id, 0) + (_HEADED_WEIGHT if entity.headed else 0.0)

    def _kind(self, span: SpacySpan, toks: list[Token]) -> str:
        words = [t.text for t in toks]
        prev = self.doc[span.start - 1] if span.start > 0 else None
        if _looks_media(words) or any(w.lower() in MEDIA_HEADS for w in words[-1:]):
            return "MEDIA"
        if prev is not None and (prev.lower_ == "the" or prev.tag_ == "POS") and len(toks) == 1:
            return "ORG"  # `the Guild`, `the Shipbuilders' Guild`: no person takes an article
        if span.label_ == "PERSON" or (prev is not None and _is_title(prev)):
            return "PERSON"
        if span.label_ == "ORG" and len(toks) in (2, 3) and all(t.tag_ == "NNP" for t in toks) \
                and not ({w.lower() for w in words} & ORG_WORDS) and (
                    prev is None or prev.lower_ != "the") \
                and toks[-1].dep_ in _SUBJ and toks[-1].head.lower_ in CLAIM_VERBS:
            return "PERSON"  # `Nadia Osei said`: two names speaking are a person
        if len(words) >= 2 and gender_of(words[0]) is not None and not (
                {w.lower() for w in words} & ORG_WORDS):
            return "PERSON"  # `Marcus Webb`, but not `Virginia University`
        return span.label_

    def _attach(self, by_key: dict[str, list[Entity]], kind: str, words: tuple[str, ...],
                gender: str | None = None):
        """The known entity this name belongs to (same surname, compatible first name and
        gender, same organisation name or acronym), or None."""
        if kind == "PERSON" or len(words) == 1 and not _INITIALISM.fullmatch(words[0]):
            key = _surname(words)
            first = name_key(words[0]) if len(words) > 1 else None
            if first in _PARTICLES and len(words) == 2:
                first = None  # `De Blasio` is Bill de Blasio's surname, not a first name
            people = [e for e in by_key.get(key, []) if e.kind == "PERSON"]
            if gender:
                # `Mr. Obama` is not Michelle Obama
                people = [e for e in people if e.gender in (None, gender)
                          or not (e.gender_sure or e.firsts)] or (
                    [] if len(words) > 1 else people)
            for entity in reversed(people):
                if first is None or not entity.firsts or any(
                    same_first_name(first, f) for f in entity.firsts) or (
                    len(first) <= 2 and any(f.startswith(first[0]) for f in entity.firsts)
                ) or any(_suffix(words, n) or _suffix(n, words) for n in entity.names):
                    # `Wasserman Schultz` is the end of `Debbie Wasserman Schultz`
                    return entity
            if people:
                return None  # another first name: another person of that surname
            if len(words) > 1 and kind == "PERSON":
                # `Pate` labelled an organisation before `Stan Pate` appeared: one person
                for entity in by_key.get(key, []):
                    if entity.kind != "PERSON" and all(len(n) == 1 for n in entity.names):
                        entity.kind = "PERSON"
                        return entity
            if len(words) == 1:
                # a surname met first inside a longer name ("Obama administration")
                for entity in self._live():
                    if entity.kind == "PERSON" and any(_surname(n) == key for n in entity.names):
                        return entity
                # `Mr. Ban` after `Ban Ki-moon`: a family name written first, before a
                # hyphenated given name
                for entity in self._live():
                    if entity.kind == "PERSON" and any(
                        len(n) > 2 and name_key(n[0]) == key and "-" in n[1:] for n in entity.names
                    ):
                        return entity
        if kind != "PERSON":
            norm = _norm(words)
            for entity in by_key.get(norm, []):
                if entity.kind != "PERSON":
                    return entity
            if len(words) > 1:
                # `the Security Council` after `the United Nations Security Council`
                for entity in reversed(self.entities):
                    if entity.kind in ("ORG", "MEDIA") and not entity.fixed_name and any(
                        _suffix(tuple(map(name_key, words)), tuple(map(name_key, n)))
                        for n in entity.names
                    ):
                        return entity
            if len(words) == 1 and words[0].isupper():
                # `S.E.C.` after `Securities and Exchange Commission`
                found = [e for e in by_key.get("acr:" + words[0].replace(".", ""), [])
                         if e.kind != "PERSON"]
                if found:
                    return found[-1]
            if len(words) == 1:
                for entity in by_key.get(name_key(words[0]), []):
                    return entity
                # `the Times` after `The New York Times`: the end of a longer name
                for entity in reversed(self.entities):
                    if entity.kind in ("ORG", "MEDIA") and any(
                        len(n) > 1 and n[-1] == words[0] for n in entity.names
                    ):
                        return entity
                found = self._company_of(words[0])
                if found is not None:
                    return found
        return None

    def _company_of(self, word: str) -> Entity | None:
        """`Peabody` after `Peabody Energy`: the organisation whose two-word name begins
        with ``word``, when only one does."""
        owners = [e for e in self._live() if e.kind == "ORG" and any(
            len(n) == 2 and n[0] == word and n[1][:1].isupper() for n in e.names)]
        return owners[0] if len(owners) == 1 else None

    def _index_owned(self) -> None:
        """`Clinton's campaign`, `the Trump campaign`: the organisation "X campaign"."""
        by_name: dict[str, Entity] = {}
        for t in self.tokens:
            if t.lower_ not in _OWNED_ORGS and t.lower_ not in _CAMPAIGN_WORDS or \
                    t.i in self._tok_entity or t.i in self._excluded:
                continue
            owner = next((c for c in t.lefts if c.dep_ in ("poss", "compound")
                          and c.i in self._tok_entity), None)
            if owner is None:
                continue
            entity = self.entities[self._tok_entity[owner.i]]
            unit = t.lower_
            if unit in _CAMPAIGN_WORDS:
                if entity.kind != "PERSON":
                    continue
                unit = "campaign"  # `the Trump team` is the Trump campaign
            base = entity.display().split()[-1] if entity.kind == "PERSON" else entity.display()
            name = f"{base} {unit}"
            org = by_name.get(name)
            if org is None:
                org = Entity(id=len(self.entities), kind="ORG", key=name.lower(), fixed_name=name)
                org.names.append((name,))
                self.entities.append(org)
                by_name[name] = org
            self._tok_entity[t.i] = org.id
            if not self._in_quote[t.i]:
                org.mentions.append(t.i)

    def _index_police(self) -> Resolution | None:
        """The one police force the article names (`the Tulsa police chief`, `a
        Charlotte-Mecklenburg police officer`) as "Tulsa police", or None when it names
        none or several."""
        names: set[str] = set()
        text = doc_text(self.doc)
        for t in self.tokens:
            if t.lower_ not in _FORCES or not t.text.islower() or t.i in self._excluded:
                continue
            k = t.i
            while k > 0 and (self.tokens[k - 1].tag_ == "NNP" and self.tokens[k - 1].text[:1]
                             .isupper() or self.tokens[k - 1].text == "-" and k > 1
                             and not self.tokens[k - 1].whitespace_):
                k -= 1
            place = self.tokens[k : t.i]
            if place and place[0].text != "-" and any(p.ent_type_ in ("GPE", "ORG", "LOC") for p in place):
                names.add(f"{text[place[0].idx : place[-1].idx + len(place[-1])]} {t.lower_}")
        if len(names) != 1:
            return None
        return Resolution(names.pop(), "organisation", None, "owner")

    def _index_roles(self) -> None:
        """Descriptors attached to names become roles of their entities."""
        for t in self.tokens:
            eid = self._tok_entity.get(t.i)
            if eid is None or t.i in self._excluded:
                continue
            entity = self.entities[eid]
            # `Republican nominee Donald Trump`: compounds and modifiers before the name
            for c in t.lefts:
                if c.dep_ in ("compound", "amod", "nmod") and c.i not in self._tok_entity:
                    if c.tag_ in ("NN", "NNS") or _is_title(c):
                        self._add_role(entity, c)
            # `Clinton, the Democratic nominee,`
            for c in t.children:
                if c.dep_ == "appos" and c.i not in self._tok_entity and c.tag_.startswith("NN"):
                    self._add_role(entity, c)
            # `the hotel's manager, Tom Reyes` and `spokeswoman Hope Hicks`
            if t.dep_ == "appos" and t.head.i not in self._tok_entity and t.head.tag_ in ("NN", "NNS"):
                self._add_role(entity, t.head)

    def _add_role(self, entity: Entity, head: Token) -> None:
        entity.roles.add(head.lower_)
        if entity.kind != "PERSON" and not entity.fixed_name and _is_person_noun(head.lower_) \
                and not any(w.lower() in ORG_WORDS for n in entity.names for w in n):
            entity.kind = "PERSON"  # `Okoro, a foreman`: a role only a person has
        entity.role_mods |= {_PARTY_SYNONYMS.get(c.lower_, c.lower_) for c in head.subtree
                             if c.i != head.i and c.tag_ in ("JJ", "NNP", "NN", "NNPS")}

    def _index_plurals(self) -> None:
        """Plural antecedents of "they": unnamed groups and coordinated names."""
        for t in self.tokens:
            if self._in_quote[t.i] or t.i in self._excluded:
                continue
            if t.dep_ not in (*_SUBJ, "dobj", "pobj", "appos"):
                continue
            if t.tag_ in ("NNS", "NNPS") and t.i not in self._tok_entity:
                self._plural.append((t.i, Resolution(None, "anonymous", None, "group")))
            elif t.i in self._tok_entity and any(c.dep_ == "conj" for c in t.children):
                res = self._coordinated(t)
                if res is not None and res.name and ";" in res.name:
                    self._plural.append((t.i, res))

    # salience and pronouns

    def _age(self, tok: int, at: int) -> int:
        return self._sent_rank[self._sent_of[at]] - self._sent_rank[self._sent_of[tok]]

    def _weight(self, tok: int) -> float:
        t = self.doc[tok]
        w = 1.0
        # a name's own words (`Donald` of `Donald Trump said`) share its subject weight; a
        # name modifying a common noun (`the Clinton campaign said`) is not the subject
        if t.dep_ in _SUBJ or (t.dep_ in ("compound", "flat", "appos") and t.head.dep_ in _SUBJ
                               and not (t.dep_ == "compound" and t.head.tag_ in ("NN", "NNS"))):
            w += _SUBJECT_WEIGHT
            verb = t.head if t.dep_ in _SUBJ else t.head.head
            if verb.lower_ in CLAIM_VERBS:
                w += _SPEAKER_WEIGHT
        return w

    def _salience(self, entity: Entity, at: int) -> float:
        best = 0.0
        for tok in entity.mentions + entity.spoke:
            if tok >= at:
                continue
            age = self._age(tok, at)
            if age > _MAX_SENTENCES_BACK:
                continue
            w = self._weight(tok) + (_SPEAKER_WEIGHT if tok in entity.spoke else 0.0)
            best = max(best, w * _DECAY ** age)
        return best

    def _resolve_pronouns(self) -> None:
        for t in self.tokens:
            low = t.lower_
            if low not in PRONOUNS or self._in_quote[t.i] or t.i in self._excluded:
                continue
            res = self._antecedent(t, PRONOUNS[low])
            if res is None:
                continue
            self._pronoun[t.i] = res
            if res.entity is not None:
                entity = self.entities[res.entity]
                entity.mentions.append(t.i)
                entity.mentions.sort()
                if entity.kind == "PERSON" and res.how == "pronoun" and entity.gender is None \
                        and PRONOUNS[low] in ("m", "f"):
                    entity.gender = PRONOUNS[low]
                    entity.gender_sure = True

    def _antecedent(self, t: Token, gender: str) -> Resolution | None:
        at = t.i
        scored: list[tuple[float, Resolution]] = []
        for entity in self._live():
            if gender in ("m", "f"):
                if entity.kind != "PERSON":
                    continue
                if entity.gender is not None and entity.gender != gender:
                    continue
                factor = 1.0 if entity.gender == gender else _UNKNOWN_GENDER
                if not entity.evidence:
                    factor *= _WEAK_PERSON
            elif gender == "n":
                if entity.kind == "PERSON":
                    continue
                factor = 1.0
            else:  # they: organisations speak as "they" too
                if entity.kind == "PERSON":
                    continue
                factor = 0.8
            s = self._salience(entity, at) * factor
            first = next((m for m in entity.mentions if m < at), None)
            if s > 0 and first is not None and self._age(first, at) <= _NEW_WITHIN and \
                    entity.kind == "PERSON" and entity.evidence and \
                    not [m for m in entity.spoke if m < at]:
                s *= _NEW_PERSON
            if s > 0:
                # of two as salient, the one mentioned last
                last = max((m for m in entity.mentions if m < at), default=0)
                s += last * 1e-9
                scored.append((s, Resolution(entity.display(), entity.type, entity.id, "pronoun")))
        if gender == "p":
            for tok, res in self._plural:
                if tok < at and self._age(tok, at) <= _MAX_SENTENCES_BACK:
                    s = self._weight(tok) * _DECAY ** self._age(tok, at)
                    scored.append((s, Resolution(res.name, res.type, None, "pronoun")))
        if not scored:
            return None
        scored.sort(key=lambda x: -x[0])
        return scored[0][1]

    # resolution

    def speaker(self, tok: Token) -> None:
        """Note that the entity of ``tok`` (a cue's subject) spoke there."""
        eid = self._tok_entity.get(tok.i)
        if eid is None and tok.i in self._pronoun:
            eid = self._pronoun[tok.i].entity
        if eid is not None and tok.i not in self.entities[eid].spoke:
            self.entities[eid].spoke.append(tok.i)

    def entity(self, eid: int | None) -> Entity | None:
        return self.entities[eid] if eid is not None else None

    def resolve(self, start: int, end: int) -> Resolution:
        """Resolve the mention at ``[start, end)`` to a name and a source type."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return NOBODY
        return self.resolve_token(self._head(span))

    def _head(self, span: SpacySpan) -> Token:
        root = span.root
        # `Chief Chuck Jordan`, `Mr. Okafor's`: the named token is the head
        return root

    def resolve_token(self, head: Token) -> Resolution:
        """Resolve the noun phrase headed by ``head``."""
        low = head.lower_
        if head.i in self._tok_entity and head.i not in self._excluded:
            coordinated = self._coordinated(head)
            if coordinated is not None:
                return coordinated
            entity = self.entities[self._tok_entity[head.i]]
            return Resolution(entity.display(), entity.type, entity.id, "name")
        if low in RELATIVE:
            noun = self._relative_head(head)
            return self.resolve_token(noun) if noun is not None else NOBODY
        if low in PRONOUNS:
            if head.i in self._pronoun:
                return self._pronoun[head.i]
            return Resolution(None, "anonymous" if PRONOUNS[low] == "p" else "none", None,
                              "unresolved")
        if low in FIRST_PERSON:
            if self._in_quote[head.i]:
                return NOBODY
            author = "; ".join(self.authors) or None
            return Resolution(author, "author", None, "author")
        if low in SECOND_PERSON:
            return Resolution(None, "anonymous", None, "generic")
        if head.text[:1].isupper() and (head.tag_.startswith("NN") or head.text.isupper()):
            # a name the tagger did not label here: the entity with that surname or name
            found = self._by_key(head)
            if found is not None:
                return Resolution(found.display(), found.type, found.id, "name")
        # `the hotel's manager, Tom Reyes`, `envoy to Chile Ruth Baines`
        named = self._named_within(head)
        if named is not None:
            return named
        return self._descriptor(head)

    def _by_key(self, head: Token) -> Entity | None:
        """The entity whose surname or name is ``head``'s word: the one mentioned last
        before it, else the first after."""
        key = name_key(head.text).removesuffix("'s")  # `S.E.C.` is the acronym `sec`
        found = [e for e in self._live() if e.key == key and not (
            e.kind == "PERSON" and _INITIALISM.fullmatch(head.text)) or (
            e.kind != "PERSON" and e.acronym and e.acronym.lower() == key)]
        if not found:
            return self._company_of(head.text)
        people = [e for e in found if e.kind == "PERSON" and e.firsts]
        if len(people) > 1:
            prev = head.nbor(-1).lower_ if head.i > 0 else ""
            return self._most_prominent(self._narrow(people, prev))
        before = [(max([m for m in e.mentions if m < head.i], default=-1), e) for e in found]
        best = max(before, key=lambda x: x[0])
        return best[1] if best[0] >= 0 else found[0]

    def _coordinated(self, head: Token) -> Resolution | None:
        """`Trump and Pence`: every named conjunct, names joined by "; "."""
        conj = [c for c in head.children if c.dep_ == "conj"]
        if not conj:
            return None
        ids: list[int] = []
        for t in [head, *conj, *(g for c in conj for g in c.children if g.dep_ == "conj")]:
            eid = self._tok_entity.get(t.i)
            if eid is None:
                return None
            if eid not in ids:
                ids.append(eid)
        if len(ids) < 2:
            return None
        names = "; ".join(self.entities[i].display() for i in ids)
        kinds = {self.entities[i].type for i in ids}
        return Resolution(names, kinds.pop() if len(kinds) == 1 else "person", None, "name")

    def _relative_head(self, rel: Token) -> Token | None:
        verb = rel.head
        while verb.dep_ not in ("relcl", "acl") and verb.head.i != verb.i and verb.i != verb.head.i:
            if verb.dep_ in ("ROOT",):
                return None
            verb = verb.head
        if verb.dep_ in ("relcl", "acl") and verb.head.i != rel.i:
            return verb.head
        return None

    def _named_within(self, head: Token) -> Resolution | None:
        """A name in apposition to a descriptor (`Scott's niece, state Del. Marcia Price,`,
        also where the parse missed the apposition), or ending it (`envoy to Chile Ruth
        Baines`): the name wins over the description."""
        for c in head.children:
            if c.dep_ == "appos" and c.i in self._tok_entity:
                return self.resolve_token(c)
            if c.dep_ == "appos" and _is_person_noun(head.lower_):
                near = [c, *(g for g in c.children if g.dep_ in ("compound", "appos", "flat"))]
                named = [t for t in near if t.i in self._tok_entity and
                         self.entities[self._tok_entity[t.i]].kind == "PERSON"]
                if named:
                    return self.resolve_token(named[-1])
        doc = self.doc
        if _is_person_noun(head.lower_) and head.i + 2 < len(doc) and doc[head.i + 1].text == ",":
            k = head.i + 2
            while k < len(doc) and k - head.i < 8 and (_is_title(doc[k]) or doc[k].tag_ == "NNP"):
                if k in self._tok_entity and self.entities[self._tok_entity[k]].kind == "PERSON":
                    end = k
                    while end + 1 < len(doc) and self._tok_entity.get(end + 1) == \
                            self._tok_entity[k]:
                        end += 1
                    if end + 1 < len(doc) and doc[end + 1].text in (",", "(", "-", "—"):
                        return self.resolve_token(doc[end])
                    break
                k += 1
        for c in head.rights:
            if c.dep_ == "prep" and c.lower_ in ("to", "of", "for", "at"):
                for obj in c.children:
                    if obj.dep_ == "pobj" and obj.i in self._tok_entity and \
                            self.entities[self._tok_entity[obj.i]].kind == "PERSON" and \
                            head.lower_ not in ANONYMOUS_HEADS:
                        return self.resolve_token(obj)
        return None

    def _descriptor(self, head: Token) -> Resolution:
        """A common-noun phrase: a role of a known entity, an organisation's own unit, the
        latest outlet or organisation, or an unnamed (anonymous) source."""
        low = head.lower_
        # a party named as an organisation (`the GOP nominee`) still says the party
        mods = {_PARTY_SYNONYMS.get(c.lower_, c.lower_) for c in head.lefts
                if c.tag_ in ("JJ", "NNP", "NN", "NNPS") and (
                    c.i not in self._tok_entity or _PARTY_SYNONYMS.get(c.lower_, c.lower_) in _PARTIES)}
        owner = next((c for c in head.lefts if c.dep_ in ("poss", "compound")
                      and c.i in self._tok_entity), None)
        definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in head.lefts)
        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in head.lefts)
        if low in _OWNED_ORGS:
            # `his campaign`: the campaign of the person the pronoun stands for
            pron = next((c for c in head.lefts if c.dep_ == "poss" and c.i in self._pronoun), None)
            res = self._pronoun.get(pron.i) if pron is not None else None
            if res is not None and res.name and res.entity is not None and res.type == "person":
                return Resolution(f"{res.name.split()[-1]} {low}", "organisation", None, "owner")
        if low in _STATE_BODIES:
            nation = next((c for c in head.lefts if c.dep_ in ("amod", "compound")
                           and c.ent_type_ in ("NORP", "GPE") and c.i not in self._excluded), None)
            if nation is not None:
                return Resolution(f"{nation.text} {low}", "organisation", None, "plain")
        if low in ARTIFACTS:
            paired = self._paired_maker(head)
            if paired is not None:
                return paired
            maker = self._maker(head)
            if maker is not None:
                return maker
            if definite or owner is not None:
                creator = self._creator(head, owner)
                if creator is not None:
                    return creator
        if head.tag_ in ("NNP", "NNPS") and head.text[:1].isupper() and not indefinite \
                and head.i not in self._excluded and not self._only_roles(head):
            # a proper noun the tagger did not label: keep it as written
            toks = [t for t in head.subtree if t.i <= head.i and t.tag_ in ("NNP", "NNPS")
                    and not _is_title(t)]
            name = " ".join(t.text for t in toks) if toks else head.text
            if head.text.isupper() and len(head.text) > 1:
                name = name.title()
            words = [t.text for t in toks]
            kind = "media" if _looks_media(words) else (
                "person" if toks and (gender_of(toks[0].text) or len(toks) in (2, 3) and not (
                    {w.lower() for w in words} & ORG_WORDS)) else "organisation")
            if head.tag_ == "NNPS" or head.ent_type_ == "NORP":
                return Resolution(None, "anonymous", None, "group")
            return Resolution(name, kind, None, "plain")
        if (definite or owner is not None) and head.tag_ != "NNS":
            # `the E.U. leaders` are a group: no one person's role
            found = self._by_role(head, low, mods)
            if found is None and (definite or owner is not None and
                                  self.entities[self._tok_entity[owner.i]].kind != "PERSON"):
                found = self._salient_for(head, low, mods)
            if found is not None:
                return found
        if not definite and head.tag_ in ("NN", "NNP") and _is_person_noun(low) and (
                owner is None or self.entities[self._tok_entity[owner.i]].kind != "PERSON"):
            # `a New York judge`, `Senator from Texas`: no one's lawyer, an unnamed holder
            holder = self._holder(head, low, bare=not indefinite)
            if holder is not None:
                return holder
        if low in _FORCES and self._police is not None and not any(
                c.dep_ in ("poss", "compound") for c in head.lefts):
            # `police said` where the article names one force (`Tulsa police`): that force
            return self._police
        if head.ent_type_ == "NORP" or low in ANONYMOUS_HEADS or head.tag_ in ("NNS", "NNPS") \
                or TITLES.get(low) or low in ("man", "woman", "person", "one", "someone"):
            return Resolution(None, "anonymous", None, "descriptor")
        if low in MEDIA_HEADS:
            return Resolution(None, "media", None, "descriptor")
        return Resolution(None, "anonymous", None, "descriptor")

    def _only_roles(self, head: Token) -> bool:
        """Whether a capitalised phrase is only role words (`Judge rejects...`, `Lawmaker
        urges...` at the start of a line): a description, not a name."""
        words = [t for t in head.subtree if t.i <= head.i and t.tag_ in ("NNP", "NNPS")]
        return bool(words) and all(_is_person_noun(t.lower_) for t in words)

    def _holder(self, head: Token, low: str, bare: bool) -> Resolution | None:
        """The person an undetermined role means. Bare, as headings and ledes write it
        (`Senator from Texas says...`), it is the one person of the article holding it:
        the last named before, else the first named just after. With `a` (`A state judge
        ruled... Judge Ana Ruiz wrote`), a delayed identification: the first person named
        in the few sentences after who holds it, if none holding it was named before
        (`a judge` after Judge Ruiz is someone else). Both only in the story's first
        sentences, where such descriptions stand for the people named next."""
        if self._sent_rank[self._sent_of[head.i]] > _LEDE_SENTENCES:
            return None
        office = _office(low) or _SAME_OFFICE.get(low)
        gender = _noun_gender(low)

        def holds(entity: Entity) -> bool:
            if gender and entity.gender and entity.gender != gender:
                return False
            return low in entity.roles or office is not None and office in {
                _office(r) or _SAME_OFFICE.get(r) for r in entity.roles}

        holders = sorted(((min(e.mentions), e) for e in self._live()
                          if e.kind == "PERSON" and e.mentions and holds(e)),
                         key=lambda pair: pair[0])
        before = [e for first, e in holders if first < head.i]
        if before:
            return Resolution(before[-1].display(), "person", before[-1].id,
                              "holder") if bare and len(before) == 1 else None
        after = [(first, e) for first, e in holders if first > head.i
                 and self._age(head.i, first) <= _NAMED_WITHIN_AHEAD]
        if not after:
            return None
        return Resolution(after[0][1].display(), "person", after[0][1].id, "holder")

    def _paired_maker(self, head: Token) -> Resolution | None:
        """`a Reuters/Ipsos poll`, `the CNN/ORC survey`: an artifact made by two names
        joined by a slash is the pair's, as written (a pollster and its client)."""
        words = [t for t in self.doc[max(0, head.i - _PAIR_WORDS) : head.i] if t.head.i == head.i
                 or t.head.head.i == head.i or t.text == "/"]
        for k, t in enumerate(words[1:-1], start=1):
            left, right = words[k - 1], words[k + 1]
            if t.text == "/" and left.i + 1 == t.i == right.i - 1 and \
                    left.tag_ == right.tag_ == "NNP":
                first, last = left.i, right.i
                while first > 0 and self.doc[first - 1].tag_ == "NNP":
                    first -= 1
                while last + 1 < head.i and self.doc[last + 1].tag_ == "NNP":
                    last += 1
                return Resolution(self.doc[first : last + 1].text, "organisation", None,
                                  "maker")
        return None

    def _maker(self, head: Token) -> Resolution | None:
        """An artifact whose maker is named with it: `a Quinnipiac University poll`,
        `Ivana Trump's brief`, `a video by the committee`, `an analysis released by the
        agency`; None when it names none."""
        for c in sorted(head.lefts, key=lambda c: -c.i):
            if c.dep_ not in ("poss", "compound", "nmod"):
                continue
            for t in sorted(c.subtree, key=lambda t: -t.i):
                if t.i in self._tok_entity or t.i in self._pronoun:
                    found = self.resolve_token(t)
                    if found.name:
                        return found
        for c in head.rights:
            if c.dep_ == "relcl":
                # `a speech Mrs. Clinton delivered`, `a report that the agency released`
                subj = next((g for g in c.children if g.dep_ == "nsubj"
                             and g.lower_ not in RELATIVE), None)
                if subj is not None:
                    found = self.resolve_token(subj)
                    if found.name:
                        return found
            preps = [c] if c.dep_ == "prep" and c.lower_ in _MAKER_PREPS else [
                g for g in c.children if c.dep_ == "acl" and g.dep_ in ("agent", "prep")
                and g.lower_ in _MAKER_PREPS]
            for prep in preps:
                obj = next((o for o in prep.children if o.dep_ == "pobj"), None)
                if obj is not None:
                    found = self.resolve_token(obj)
                    if found.name:
                        return found
        return None

    def _creator(self, head: Token, owner: Token | None) -> Resolution | None:
        """`the statement said`: an artifact speaks for whoever made it: its owner
        (`Trump's statement`), or the maker of the last such artifact named before (`a
        statement issued by the campaign`, `the museum issued a statement`)."""
        if owner is not None:
            return self.resolve_token(owner)
        for t in reversed(self.doc[max(0, head.i - 400) : head.i]):
            if t.lower_ != head.lower_ or self._in_quote[t.i]:
                continue
            maker = self._maker(t)  # `a new ad from the Trump campaign`
            if maker is not None:
                return maker
            for c in t.children:
                if c.dep_ == "poss":
                    return self.resolve_token(c)
                if c.dep_ in ("acl", "relcl"):
                    for g in c.children:
                        if g.dep_ == "agent":
                            obj = next((o for o in g.children if o.dep_ == "pobj"), None)
                            if obj is not None:
                                return self.resolve_token(obj)
            verb = t.head.head if t.dep_ == "pobj" and t.head.dep_ == "prep" else t.head
            if (t.dep_ == "dobj" or t.dep_ == "pobj" and verb is not t.head) and \
                    verb.tag_.startswith("VB"):
                # `the museum issued a statement`, `in a statement, the union called ...`
                subj = next((c for c in verb.children if c.dep_ in _SUBJ), None)
                if subj is not None and subj.i != head.i:
                    found = self.resolve_token(subj)
                    if found.name:
                        return found
            return None  # the artifact named before has no maker we can see
        return None

    def _salient_for(self, head: Token, low: str, mods: set[str]) -> Resolution | None:
        """`the candidate`, `the Texas senator`, `the campaign`: a definite description with
        no named role in the article refers to the most salient person (or campaign, or
        organisation) whose party, if said, agrees."""
        if low in PERSON_ROLES or TITLES.get(low) or re.fullmatch(r"\d+-year-old", low):
            want = "PERSON"
        elif low in MEDIA_HEADS and low not in ("report", "reports", "story", "article"):
            want = "MEDIA"
        elif low == "campaign":
            want = "campaign"
        elif low in ("company", "firm"):
            want = "ORG"
        else:
            return None
        party = {m for m in mods if m in _PARTIES}
        gender = _noun_gender(low)
        best, best_s = None, 0.0
        for entity in self._live():
            if want == "PERSON" and entity.kind != "PERSON":
                continue
            if gender and entity.gender and entity.gender != gender:
                continue  # `the businessman` is no woman
            if want == "PERSON" and _other_office(low, entity.roles):
                continue  # `the nominee` is not the person the article calls a judge
            if want == "ORG" and entity.kind != "ORG":
                continue
            if want == "MEDIA" and entity.kind != "MEDIA":
                continue
            if want == "campaign" and entity.kind != "PERSON" and not (
                entity.fixed_name and entity.fixed_name.endswith("campaign")
            ):
                continue
            if party and entity.role_mods & _PARTIES and not (
                party & entity.role_mods
            ):
                continue
            s = self._salience(entity, head.i)
            if s > best_s:
                best, best_s = entity, s
        if best is None:
            return None
        if want == "campaign" and best.kind == "PERSON":
            return Resolution(f"{best.display().split()[-1]} campaign", "organisation", None,
                              "salient")
        return Resolution(best.display(), best.type, best.id, "salient")

    def _by_role(self, head: Token, low: str, mods: set[str]) -> Resolution | None:
        at = head.i
        candidates = []
        for entity in self._live():
            if low in MEDIA_HEADS and entity.kind == "MEDIA":
                pass
            elif low in _GENERIC_ORGS and entity.kind in ("ORG", "GPE"):
                words = set(entity.key.split())
                if not words & _GENERIC_NAME_WORDS.get(low, {low}) and (
                        low not in ("company", "firm") or entity.kind != "ORG"):
                    continue
            elif low in _OWNED_ORGS and entity.fixed_name and \
                    entity.fixed_name.endswith(f" {low}"):  # `the family`: the Scott family
                pass
            elif (low in entity.roles or _office(low) in {_office(r) for r in entity.roles}
                  - {None}) and not (
                    _noun_gender(low) and entity.gender and entity.gender != _noun_gender(low)):
                party = {m for m in mods if m in _PARTIES}
                if party and entity.role_mods & _PARTIES and not (
                    party & entity.role_mods
                ):
                    continue
            else:
                continue
            before = [m for m in entity.mentions if m < at]
            if not before:
                continue
            candidates.append((before[-1], entity))
        if not candidates:
            return None
        _, entity = max(candidates, key=lambda c: c[0])
        return Resolution(entity.display(), entity.type, entity.id, "role")


@dataclass
class ParsedArticle:
    """One article as both extractors read it: its text (dated header blanked), its
    parse, its quoted segments and their extents, and its entity model, each built once."""

    text: str
    doc: Doc
    segments: list[Segment]
    quoted: list[Span]
    entities: ArticleEntities


def parse_article(text: str, doc: Doc, segments: Sequence[Segment],
                  authors: Sequence[str] = ()) -> ParsedArticle:
    """The shared view of an article: ``doc`` is the parse of ``text`` (header blanked)."""
    segs = list(segments)
    quoted = quoted_extents(segs)
    doc.user_data["newsetl_text"] = text  # Doc.text rebuilt at every read otherwise
    return ParsedArticle(text, doc, segs, quoted, ArticleEntities(doc, quoted, authors))

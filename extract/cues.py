"""Word lists for the claims extractor: cue verbs and nouns, hedges, source kinds.

The tagger runs without a lemmatizer (see ``extract.nlp``), so verbs are listed as lemmas
and expanded into their written forms here, irregular forms given by hand.
"""

from __future__ import annotations

# irregular past forms (past tense and participle) of the cue lemmas that have them
_IRREGULAR = {
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "think": ("thought",),
    "know": ("knew", "known"),
    "see": ("saw", "seen"),
    "find": ("found",),
    "show": ("showed", "shown"),
    "feel": ("felt",),
    "hear": ("heard",),
    "speak": ("spoke", "spoken"),
    "seek": ("sought",),
    "hold": ("held",),
    "foresee": ("foresaw", "foreseen"),
    "forbid": ("forbade", "forbidden"),
    "read": ("read",),
    "mean": ("meant",),
    "swear": ("swore", "sworn"),
    "teach": ("taught",),
    "understand": ("understood",),
    "forget": ("forgot", "forgotten"),
    "bet": ("bet",),
    "put": ("put",),
}


def forms(lemma: str) -> set[str]:
    """The written forms of a regular English verb (over-generating is harmless here)."""
    out = {lemma, *_IRREGULAR.get(lemma, ())}
    if lemma.endswith("e"):
        stem = lemma[:-1]
        out |= {lemma + "s", lemma + "d", stem + "ing"}
    elif lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        out |= {lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"}
    elif lemma.endswith(("s", "sh", "ch", "x", "z")):
        out |= {lemma + "es", lemma + "ed", lemma + "ing"}
    else:
        out |= {lemma + "s", lemma + "ed", lemma + "ing"}
        if (
            len(lemma) > 2
            and lemma[-1] not in "aeiouwxy"
            and lemma[-2] in "aeiou"
            and lemma[-3] not in "aeiou"
        ):
            # one-syllable-ending doubling: `admit` -> `admitted`, `vow` is excluded above
            out |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return out


def _expand(lemmas: str) -> frozenset[str]:
    return frozenset(f for lemma in lemmas.split() for f in forms(lemma))


# verbs whose clause or object is what the source asserts, believes or intends
CLAIM_VERBS = _expand(
    """
    say tell add write explain note argue claim insist state declare recall warn report
    announce acknowledge admit concede confirm deny allege contend maintain reiterate
    suggest predict complain testify conclude emphasize stress assert charge counter
    answer observe remark mention tweet post promise pledge vow
    believe think know feel hope fear expect doubt worry wonder suspect assume guess
    reckon figure realize understand recognize imagine estimate
    show find reveal indicate suggest disclose discover determine demonstrate
    blame accuse criticize praise attack slam blast defend endorse support back oppose
    reject dismiss question condemn denounce call urge propose recommend demand
    ask decline refuse agree disagree want plan intend seek aim threaten
    describe characterize label brand cite acknowledge signal hint caution advise
    convince persuade assure reassure inform remind
    express offer refer point discuss talk name push echo mock list deem favor
    nominate voice sound plead highlight rail tout approve rule prefer
    advocate decry portray champion thank assail applaud
    side document retweet detail lambaste consider distance balk rebuke reference
    unveil liken imply forecast regard outline congratulate bemoan articulate
    justify boast brag brush rebut allude speculate recount learn issue
    decide vote focus comment joke lash weigh apologize see view
    """
)
# verbs whose content is the object of a preposition right after them (`referring to X`,
# `talked about X`, `railed against X`); the preposition goes with the cue
_PREP_VERBS = {
    "about of on": "talk joke brag boast worry complain comment testify ask wonder",
    "to": "refer point allude",
    "against at for": "rail lash warn vote argue advocate",
    "with": "side",
    "for": "call push plead apologize",
    "at": "balk",
    "from": "distance",
    "on": "focus weigh",
}
PREP_VERBS = {
    form: frozenset(preps.split())
    for preps, lemmas in _PREP_VERBS.items()
    for lemma in lemmas.split()
    for form in forms(lemma)
}
CONTENT_PREPS = frozenset({"about", "of", "to", "for", "against", "on", "at", "with", "from"})
# verbs whose object is an addressee, never the content (`told reporters that ...`)
ADDRESSEE_VERBS = _expand("tell inform remind assure reassure convince persuade warn advise")
# verbs whose object names what is reported (`blamed the invasion on Biden`): the object
# and the prepositions that complete it (`accused X of`, `blamed X for`) are the content
OBJECT_VERBS = _expand(
    """
    blame accuse criticize praise attack slam blast defend endorse support back oppose
    reject dismiss question condemn denounce propose recommend demand
    want seek cite describe characterize label brand announce report reveal disclose
    predict promise pledge deny confirm acknowledge admit mention urge call show find
    say express offer discuss name echo mock list deem favor nominate voice sound
    highlight tout approve prefer advocate decry portray attribute
    champion thank assail applaud document retweet detail lambaste
    consider rebuke reference unveil liken forecast regard outline congratulate bemoan
    articulate justify rebut recount issue point lay single brush
    """
)
OBJECT_PREPS = frozenset({"of", "for", "on", "as", "over", "to", "with", "from", "by", "about", "against"})
# verbs that are attributions only when they have a clause after them (`found that ...`)
CLAUSE_ONLY_VERBS = _expand("find know see feel understand realize recognize hear")
# verbs that report without a source when passive (`it was reported that`, `is expected to`)
PASSIVE_HEDGES = _expand(
    "report expect believe think say rumor rumour allege claim understand consider suppose ask"
)
# verbs whose content may be an indirect question (`asked if ...`)
QUESTION_VERBS = _expand("ask wonder question")
# verbs of seeing that attribute a view only as `see X as Y`
AS_VERBS = _expand("see view regard")
# raising verbs: the subject and infinitive are a hedged content with no source
RAISING_VERBS = _expand("seem appear")

# nouns that carry a reported clause (`the claim that ...`, `his determination to ...`)
CUE_NOUNS = frozenset(
    """
    claim claims assertion assertions allegation allegations belief beliefs view views
    argument arguments contention suggestion suggestions statement statements insistence
    promise promises pledge pledges vow vows warning warnings charge charges accusation
    accusations denial denials report reports rumor rumors rumours speculation fear fears
    hope hopes concern concerns worry worries prediction predictions determination
    intention intentions plan plans decision desire wish threat threats announcement
    assurance assurances admission notion idea position proposal insinuation remark
    remarks comment comments testimony conclusion finding findings estimate estimates
    willingness refusal unwillingness reluctance inability evidence case agreement
    responsibility confidence narrative sense commitment intent demand demands call
    calls insistence
    """.split()
)

# nouns whose prepositional object is the content (`criticism of X`, `support for X`)
PREP_NOUNS = frozenset(
    """
    criticism criticisms praise complaints complaint doubts doubt mention calls call
    support opposition endorsement questions concerns critique hints assumption
    disdain contempt admiration attacks opponent opponents defender
    defenders critic critics allegations claims hopes thoughts comment comments
    theory
    """.split()
)

# adjectives that attribute a stance to the subject (`critical of X`, `confident that ...`)
CUE_ADJECTIVES = frozenset(
    """
    critical supportive skeptical sceptical wary worried concerned confident optimistic
    pessimistic certain convinced hopeful adamant aware proud angry upset furious
    frustrated vague coy passionate enthusiastic unhappy happy clear adamant doubtful
    fearful insistent dismissive
    """.split()
)

# adverbs that attribute without naming a source
HEDGE_ADVERBS = frozenset(
    "reportedly allegedly purportedly reputedly".split()
)

# head nouns of sources that name nobody: anonymous sources
ANONYMOUS_HEADS = frozenset(
    """
    official officials source sources people person aide aides insider insiders adviser
    advisers advisor advisors staffer staffers someone spokesman spokeswoman spokesperson
    analyst analysts expert experts observer observers critic critics supporter supporters
    diplomat diplomats lawmaker lawmakers member members operative operatives strategist
    strategists ally allies associate associates friend friends witness witnesses
    investigator investigators authorities some many others
    """.split()
)
# outlets and words that make a source the media
MEDIA_NAMES = frozenset(
    """
    politico cnn msnbc fox nbc abc cbs pbs npr bbc reuters ap afp bloomberg axios breitbart
    huffpost huffington times post journal tribune herald globe guardian telegraph
    economist newsweek atlantic hill gazette chronicle daily news press wire observer
    """.split()
)
MEDIA_HEADS = frozenset(
    """
    newspaper newspapers outlet outlets media network networks report reports reporter
    reporters journalist journalists correspondent magazine paper broadcaster station
    article story editorial columnist column
    """.split()
)

"""The one cue lexicon of quotes and claims, with hedges, titles and source words.

Cue verbs are grouped in the classes of PolNeAR's annotation guidelines (a source's
statement, belief or knowledge, perception, intention or desire, attitude or support,
decree, and evidence shown by an artifact); a verb in none of them makes no claim. Each
class has a strength, the prior that a cue of the class attributes something (used by
``confidence``). The tagger runs without a lemmatizer (see ``extract.nlp``), so verbs are
listed as lemmas and expanded into their written forms here, irregular forms given by hand.
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



# the cue classes: lemmas of each, and the class's strength in [0, 1]
CUE_CLASSES: dict[str, tuple[float, str]] = {
    # a source's statement (speech, writing, manner of speaking)
    "statement": (1.0, """
        say tell add write explain note argue claim insist state declare recall warn report
        announce acknowledge admit concede confirm deny allege contend maintain reiterate
        suggest predict complain testify conclude emphasize stress assert charge counter
        answer observe remark mention tweet post promise pledge vow describe characterize
        label brand cite signal hint caution advise inform remind assure reassure express
        refer point discuss talk echo mock voice plead highlight rail tout outline
        articulate rebut recount allude speculate boast brag joke comment lash apologize
        detail document retweet reference unveil liken imply forecast congratulate bemoan
        thank quip reply respond retort exclaim shout yell whisper urge call ask propose
        recommend demand question decline refuse agree disagree threaten proclaim lament
        summarize tease opine muse gush chant scream cry concur acknowledge"""),
    # a source's knowledge, belief, understanding or contemplation
    "belief": (0.85, """
        believe think know feel hope fear expect doubt worry wonder suspect assume guess
        reckon figure realize understand recognize imagine estimate consider regard view
        deem"""),
    # a source's perception of a state of affairs
    "perception": (0.6, "see hear notice learn discover"),
    # a source's intention or desire
    "intention": (0.75, "want plan intend seek aim decide prefer wish"),
    # a source's attitude, support or opposition
    "attitude": (0.7, """
        blame accuse criticize praise attack slam blast defend endorse support back oppose
        reject dismiss condemn denounce favor approve advocate decry portray champion
        assail applaud side lambaste distance balk rebuke justify brush convince persuade
        push vote"""),
    # a source's decree or ruling
    "decree": (0.7, "rule"),
    # an artifact (a report, a poll) showing something
    "evidence": (0.8, "show find reveal indicate disclose determine demonstrate"),
}
CUE_CLASS_OF: dict[str, str] = {
    form: name for name, (_, lemmas) in reversed(CUE_CLASSES.items()) for form in _expand(lemmas)
}
CLASS_STRENGTH = {name: strength for name, (strength, _) in CUE_CLASSES.items()}
# verbs whose clause or object is what the source asserts, believes or intends
CLAIM_VERBS = frozenset(CUE_CLASS_OF)

# verbs that introduce a quote standing on its own (`"...," she said`): statements by
# speech or writing, and verbs of manner read as `said while ...`
QUOTE_CUES = _expand("""
    say tell add write speak tweet post ask explain note argue claim insist state declare
    recall warn continue quip joke reply respond answer acknowledge admit announce observe
    remark suggest predict complain shout yell exclaim testify conclude concede report
    emphasize stress point chant boast vow promise assert charge counter retort wonder cry
    scream whisper urge plead describe call agree believe think confirm deny allege contend
    maintain reiterate recount tout brag lament summarize caution advise pledge proclaim
    demand tease hint opine muse gush sing recommend mention propose
""") | {"read", "reads", "put", "puts"}
# verbs that judge rather than report: they attribute a quoted fragment (`slammed the plan
# as a "disaster"`) but never introduce a quote standing on its own
EVALUATIVE_CUES = _expand("blast slam accuse criticize praise")
# verbs that introduce a quote from the sentence before (`He told reporters:`)
INTRODUCING_CUES = _expand("say tell add write explain continue recall")

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
# prepositions giving the topic asked or told about, after the addressee (`asked the mayor
# about the budget`)
TOPIC_PREPS = frozenset({"about", "on", "of"})
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
    say express discuss echo mock deem favor voice
    highlight tout approve prefer advocate decry portray attribute
    champion thank assail applaud document retweet detail lambaste
    consider rebuke reference unveil liken forecast regard outline congratulate bemoan
    articulate justify rebut recount point brush
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

# artifacts that carry a finding when a clause is set in them (`In a new poll, 40 percent
# back the plan`): the artifact is the source, `in` the cue
IN_SOURCE_NOUNS = frozenset("poll polls survey surveys study studies".split())

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

# nouns for works with titles: a quote set off after one (`her memoir, "Hard Choices,"`)
# is the work's title, not speech
WORK_NOUNS = frozenset(
    """
    book books memoir memoirs novel novels biography film films movie movies documentary
    documentaries show shows series sitcom drama thriller comedy play plays musical opera
    song songs album albums single podcast podcasts program programs programme programmes
    episode column columns essay essays article articles editorial op-ed commentary poem
    poems painting exhibition spot ad ads video videos headline
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

# the closed list of hedges: adverbs and phrases that attribute without naming a source
HEDGE_ADVERBS = frozenset(
    "reportedly allegedly purportedly reputedly supposedly ostensibly".split()
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
    "moderator": "moderator",
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
HONORIFIC_GENDER = {"mr.": "m", "mr": "m", "mrs.": "f", "mrs": "f", "ms.": "f", "ms": "f"}
# personal pronouns: gender or number ("m", "f", plural "p", neuter "n")
PRONOUNS = {
    "he": "m", "him": "m", "his": "m", "himself": "m",
    "she": "f", "her": "f", "hers": "f", "herself": "f",
    "they": "p", "them": "p", "their": "p", "theirs": "p", "themselves": "p",
    "it": "n", "its": "n", "itself": "n",
}  # fmt: skip
# the first person and the second: the speaker's own voice, or the writer's
FIRST_PERSON = frozenset("i me my mine myself we us our ours ourselves".split())
SECOND_PERSON = frozenset("you your yours yourself yourselves".split())
# relative pronouns stand for the noun they modify
RELATIVE = frozenset({"who", "which", "that", "whom", "whose"})
# common nouns that can be a source: people and groups, and artifacts that carry language
# (a report shows, a poll finds); a cue's subject outside these is no speaker when the
# parse reached it through a coordination (`The issue became divisive as many Republicans
# opposed ... and demanded ...`)
SOURCE_NOUNS = ANONYMOUS_HEADS | MEDIA_HEADS | frozenset(
    """
    voter voters resident residents worker workers citizen citizens american americans
    leader leaders candidate candidates nominee president senator governor mayor judge
    court government administration campaign committee company firm group organization
    agency department party union council board commission bureau office ministry
    police officer officers doctor doctors lawyer lawyers attorney attorneys scientist
    scientists researcher researchers economist economists activist activists protester
    protesters republican republicans democrat democrats conservative conservatives
    liberal liberals moderator moderators host hosts author authors writer writers woman
    women man men child children parent parents student students teacher teachers
    poll polls survey surveys study studies report letter statement memo ad ads document
    documents analysis data records record filing lawsuit complaint review audit
    investigation email emails tweet tweets post video book bill law order ruling
    chairman chief director manager founder executive spokesman spokeswoman spokesperson
    secretary minister ambassador envoy commissioner prosecutor sheriff
    """.split()
)

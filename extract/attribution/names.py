"""A small first-name -> gender table, for resolving he/she to a named person.

Written by hand: common English first names plus names frequent in political news.
It only has to break ties between candidates, so coverage matters more than nuance;
names used for both genders (Kim, Jean, Terry, Leslie...) are left out.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MALE = frozenset(
    """
aaron abdel abraham adam adrian al alan albert alec alex alexander alfred ali allen alvin
andrew andy angelo angus anthony antonin arnold arthur ash ashton austin barack barney barry
bashar ben benjamin benny bernard bernie bill billy bob bobby boris brad bradley brandon brett
brian bruce bryan byron calvin carl carlos chad charles charlie chris christian christopher
chuck clarence claude clint clyde colin corey craig curtis dale dan daniel danny darrell dave
david dean denis dennis derek devin dick dieter dominic don donald doug douglas duncan dwight
earl ed eddie edgar edward elijah elliot emmanuel enrique eric ernest eugene evan fidel francis
francois frank franklin fred frederick gabriel gary gene geoff geoffrey george gerald giuseppe
gordon graham grant greg gregory gus hamid hank hans harold harry harvey hassan hector henry
herbert herman howard hugh ian isaac jack jacob jacques jake james jared jason javier jay
jeb jeff jeffrey jeh jeremy jerome jerry jesse jim jimmy joe joel john johnny jon jonathan
jorge jose joseph josh joshua juan julian justin kaine karl kasim keith kellen ken kenneth
kevin kirk klaus kurt lamar larry lawrence lee leon leonard lewis lincoln lindsey lloyd
louis luigi luis luke malcolm marco marcus mario mark marshall martin marty marvin matt matthew
max michael miguel mike mitch mitchell mitt mohamed mohammed muhammad narendra nathan nawaz
neil newt nicholas nick nigel noah norman oliver orrin oscar owen pat patrick paul pedro pete
peter phil philip pierre rafael rahm ralph rand randy raul ray raymond recep reggie reid reince
richard rick ricky rob robby robert roberto rocco rod rodney roger roland ron ronald rory ross
roy rudolph rudy rush russell ryan sam samuel scott sean sergei seth shawn sheldon sherrod
shinzo stanley stephen steve steven stuart ted thad theodore thomas tim timothy todd tom
tommy tony travis trey troy tyler vernon victor vince vincent vladimir volodymyr walter warren
wayne wesley will william willie wolfgang xi yusuf zachary
""".split()
)

FEMALE = frozenset(
    """
abigail ada alice alicia alison allison amanda amber amy andrea angela angelina anita ann anna
anne annie april ashley audrey ava barbara betsy betty beverly beyonce bonnie brenda bridget
brittany caitlin candice cara carla carly carmen carol caroline carolyn catherine cathy cecilia
charlotte chelsea cheryl christina christine cindy claire clara claudia colleen condi
condoleezza connie courtney crystal cynthia daisy danielle debbie deborah debra denise
diana diane dianne dilma donna doris dorothy edith elaine eleanor elena elisabeth elise eliza
elizabeth ella ellen emily emma erica erin esther eva evelyn fiona florence frances gabrielle
gail gennifer gina gloria grace gretchen gwen hannah harriet heather heidi helen hillary holly
hope huma ileana irene iris isabel ivana ivanka jacqueline jane janet janice jasmine
jeanne jennifer jenny jessica jill joan joanna jodi josephine joy joyce juanita judith judy
julia julie june kamala karen kate katherine kathleen kathryn kathy katie kay kayleigh
kellyanne kimberly kirsten kristen laura lauren leah lily linda lisa lois loretta lori
lorraine louise lucy lydia madeleine madison maggie mandy marcia margaret maria marie
marilyn marine marion marsha martha mary maxine megan meghan melania melanie melissa meryl
michele michelle mildred mindy miranda molly monica nancy naomi natalie nicole nikki nina nora
olivia omarosa oprah pam pamela patricia patty paula pauline peggy penny phyllis priscilla
rachel rebecca regina rita roberta rosa rose rosemary ruth sally samantha sandra sara
sarah sharon sheila shirley sonia sophia stacey stephanie sue susan susana suzanne sylvia
tamara tammy teresa theresa tiffany tina tulsi valerie vanessa veronica victoria virginia
wendy whitney yvonne zoe
""".split()
)


def gender_of(first_name: str) -> str | None:
    """Return "m", "f" or None (unknown or used for both) for a first name."""
    key = first_name.lower().strip(".")
    if key in MALE:
        return "m"
    if key in FEMALE:
        return "f"
    return None


_MOJIBAKE_HINTS = ("Ã", "Â", "â€", "Å", "Ä")
_SPACES = re.compile(r"[\s\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "´": "'"})


def fix_mojibake(text: str) -> str:
    """Undo UTF-8 read as Latin-1 or Windows-1252, once or twice over (`FranÃ§ois` and
    `FranÃƒÂ§ois` are `François`, composed or not); other text comes back unchanged."""
    if any(h in unicodedata.normalize("NFC", text) for h in _MOJIBAKE_HINTS):
        text = unicodedata.normalize("NFC", text)
    for _ in range(3):
        if not any(h in text for h in _MOJIBAKE_HINTS):
            break
        fixed = None
        for codec in ("latin-1", "cp1252"):
            try:
                fixed = text.encode(codec).decode("utf-8")
                break
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
        if fixed is None or fixed == text:
            break
        text = fixed
    return text


def clean_name(name: str, person: bool = False) -> str:
    """A name as printed for users: mojibake undone, runs of any white space (no-break
    spaces too) one space, no spaces at the ends; a person's all-capitals name (a
    transcript's `WALLACE`) in title case. Organisations keep their capitals (`NAACP`)."""
    name = _SPACES.sub(" ", fix_mojibake(name)).strip()
    letters = [c for c in name if c.isalpha()]
    if person and len(letters) > 1 and all(c.isupper() for c in letters):
        name = " ".join(w if len(w.strip(".")) == 1 else w.title() for w in name.split())
    return name


@lru_cache(maxsize=65536)
def name_key(word: str) -> str:
    """A word of a name as compared: lower case, typographic apostrophes plain, no dots."""
    return fix_mojibake(word).translate(_APOSTROPHES).replace(".", "").lower()


# the usual short forms of English first names, to the formal name: `Bobby Scott` and
# `Robert C. Scott` are one person when an article names him both ways
_NICKNAMES = {
    "robert": "bob bobby rob robby robbie bert", "william": "bill billy will willie liam",
    "richard": "dick rick ricky rich richie", "james": "jim jimmy jamie",
    "john": "jack johnny", "joseph": "joe joey", "michael": "mike mikey mick",
    "thomas": "tom tommy", "charles": "charlie chuck chas", "edward": "ed eddie ted ned",
    "theodore": "ted teddy", "daniel": "dan danny", "david": "dave davey",
    "stephen": "steve", "steven": "steve", "anthony": "tony", "christopher": "chris",
    "nicholas": "nick", "patrick": "pat", "peter": "pete", "samuel": "sam sammy",
    "benjamin": "ben benny", "andrew": "andy drew", "matthew": "matt", "timothy": "tim",
    "gregory": "greg", "jeffrey": "jeff", "kenneth": "ken kenny", "donald": "don donny",
    "ronald": "ron ronnie", "gerald": "gerry jerry", "lawrence": "larry", "leonard": "len lenny",
    "alexander": "alex", "frederick": "fred freddie", "harold": "hal", "henry": "hank harry",
    "elizabeth": "liz lizzie beth betsy betty eliza", "margaret": "maggie meg peggy",
    "katherine": "kate kathy katie", "catherine": "cathy kate", "patricia": "pat patty trish",
    "susan": "sue susie", "jennifer": "jen jenny", "deborah": "deb debbie", "rebecca": "becky",
    "barbara": "barb", "victoria": "vicky tori", "christine": "chris christy",
    "kimberly": "kim", "jacqueline": "jackie", "pamela": "pam", "cynthia": "cindy",
    "abigail": "abby", "samantha": "sam", "alexandra": "alex", "theresa": "terry tess",
}
FORMAL_NAME = {nick: formal for formal, nicks in _NICKNAMES.items() for nick in nicks.split()}


def same_first_name(a: str, b: str) -> bool:
    """Whether two first names (lower case) can be one person's: equal, or a short form
    and its formal name (`bobby` and `robert`)."""
    return a == b or FORMAL_NAME.get(a, a) == FORMAL_NAME.get(b, b)

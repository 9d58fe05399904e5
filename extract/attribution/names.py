"""A small first-name -> gender table, for resolving he/she to a named person.

Written by hand: common English first names plus names frequent in political news.
It only has to break ties between candidates, so coverage matters more than nuance;
names used for both genders (Kim, Jean...) are left out.
"""

from __future__ import annotations

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
herbert herman howard hugh ian isaac jack jacob jacques jake james jamie jared jason javier jay
jeb jeff jeffrey jeh jeremy jerome jerry jesse jim jimmy joe joel john johnny jon jonathan
jorge jose joseph josh joshua juan julian justin kaine karl kasim keith kellen ken kenneth
kevin kirk klaus kris kurt lamar larry lawrence lee leon leonard lewis lincoln lindsey lloyd
louis luigi luis luke malcolm marco marcus mario mark marshall martin marty marvin matt matthew
max michael miguel mike mitch mitchell mitt mohamed mohammed muhammad narendra nathan nawaz
neil newt nicholas nick nigel noah norman oliver orrin oscar owen pat patrick paul pedro pete
peter phil philip pierre rafael rahm ralph rand randy raul ray raymond recep reggie reid reince
richard rick ricky rob robby robert roberto rocco rod rodney roger roland ron ronald rory ross
roy rudolph rudy rush russell ryan sam samuel scott sean sergei seth shawn sheldon sherrod
shinzo stanley stephen steve steven stuart ted terry thad theodore thomas tim timothy todd tom
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
condoleezza connie courtney crystal cynthia daisy dana danielle debbie deborah debra denise
diana diane dianne dilma donna doris dorothy edith elaine eleanor elena elisabeth elise eliza
elizabeth ella ellen emily emma erica erin esther eva evelyn fiona florence frances gabrielle
gail gennifer gina gloria grace gretchen gwen hannah harriet heather heidi helen hillary holly
hope huma ileana irene iris isabel ivana ivanka jackie jacqueline jane janet janice jasmine
jeanne jennifer jenny jessica jill jo joan joanna jodi josephine joy joyce juanita judith judy
julia julie june kamala karen kate katherine kathleen kathryn kathy katie kay kayleigh kelly
kellyanne kimberly kirsten kristen laura lauren leah leslie lily linda lisa lois loretta lori
lorraine louise lucy lydia lynn madeleine madison maggie mandy marcia margaret maria marie
marilyn marine marion marsha martha mary maxine megan meghan melania melanie melissa meryl
michele michelle mildred mindy miranda molly monica nancy naomi natalie nicole nikki nina nora
olivia omarosa oprah pam pamela patricia patty paula pauline peggy penny phyllis priscilla
rachel rebecca regina rita roberta robin rosa rose rosemary ruth sally samantha sandra sara
sarah sharon sheila shirley sonia sophia stacey stephanie sue susan susana suzanne sylvia
tamara tammy teresa theresa tiffany tina tracy tulsi valerie vanessa veronica victoria virginia
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

"""Civility examples written by the team in the register of news reader comments (no dataset text copied).

Aimed at the failure kinds of a model trained on tweets (models issue, "Civility"): civil but sharp criticism,
quotes of an article's violent vocabulary, insult words under negation, names that contain a swear substring,
identity self-descriptions, civil emoji (all labelled non-toxic), and insults written in words, obfuscated
spellings or emoji, plus untargeted profanity (toxic). ``civility_examples(split)`` returns ``Example`` rows;
``split="heldout"`` is built from DIFFERENT fragment lists, templates, names and topics than ``"train"`` and
is only for measuring generalisation. Families, label rules and sizes: ``README.md`` beside this file.

Also holds the small machinery shared with ``threats.py`` (``Example``, ``labels``, ``Draw``, ``build``).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

ATTRIBUTES = ("toxicity", "severe_toxicity", "insult", "threat", "profanity", "identity_attack")
SPLITS = ("train", "heldout")
Labels = dict[str, float | None]  # ATTRIBUTES -> 0.0 / 1.0, or None = unknown (not supervised)

T = TypeVar("T")


@dataclass(frozen=True)
class Example:
    text: str
    labels: Labels
    family: str


def labels(**given: float | None) -> Labels:
    """All six attributes at 0.0, overridden by ``given`` (attribute name -> 0.0, 1.0 or None)."""
    unknown = set(given) - set(ATTRIBUTES)
    if unknown:
        raise ValueError(f"unknown attributes {sorted(unknown)}; known: {ATTRIBUTES}")
    out: Labels = dict.fromkeys(ATTRIBUTES, 0.0)
    out.update(given)
    return out


def items(block: str) -> tuple[str, ...]:
    """One fragment per line; a line that starts with a space continues the previous fragment."""
    out: list[str] = []
    for line in block.split("\n"):
        if not line.strip():
            continue
        text = " ".join(line.split())
        if line[0] == " " and out:
            out[-1] += " " + text
        else:
            out.append(text)
    return tuple(out)


class Draw:
    """Draws from fragment lists like decks of cards: without replacement, reshuffled when a list runs out, so
    every fragment of a list is used about equally often (no fragment dominates a family)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._decks: dict[tuple[Hashable, ...], list[Any]] = {}

    def __call__(self, options: Sequence[T]) -> T:
        try:
            key: tuple[Hashable, ...] = tuple(options)
            hash(key)
        except TypeError:  # unhashable options (dicts): module-level constants, so their ids are stable
            key = ("id", *map(id, options))
        deck = self._decks.get(key)
        if not deck:
            deck = list(options)
            self.rng.shuffle(deck)
            self._decks[key] = deck
        return deck.pop()

    def chance(self, p: float) -> bool:
        return self.rng.random() < p


Builder = Callable[[Draw], str]


def tidy(text: str) -> str:
    """Single spaces, no space before punctuation, a capital letter at the start of every sentence."""
    text = " ".join(text.split())
    text = re.sub(r"\s+([,.;:?!])(?=\s|$)", r"\1", text)
    text = re.sub(r"([.!?] \"?)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)
    text = re.sub(r"\b(Homes|Developments|Ferries|supermarkets|Foods)'s\b", r"\1'", text)
    return re.sub(r"^(\"?)([a-z])", lambda m: m.group(1) + m.group(2).upper(), text)


def styled(text: str, draw: Draw) -> str:
    """Reader-comment surface variation: some comments are all lower case, some lack the final full stop."""
    if draw.chance(0.07):
        text = text.lower()
    if text.endswith(".") and not text.endswith("..") and draw.chance(0.12):
        text = text[:-1]
    return text


NEAR_DUPLICATE = 0.75  # word-trigram Jaccard at or above which two texts of one family are near-duplicates


def shingles(text: str) -> frozenset[tuple[str, ...]]:
    words = re.findall(r"\w+|[^\w\s]", text.casefold())
    return frozenset(tuple(words[i : i + 3]) for i in range(max(1, len(words) - 2)))


def build(
    family: str,
    n: int,
    draw: Draw,
    builders: Sequence[Builder],
    label_of: Callable[[str], Labels],
    fixed: Sequence[str] = (),
    seen: set[str] | None = None,
) -> list[Example]:
    """``fixed`` hand-written comments first, then composed ones until ``n`` texts (or until the builders run
    dry). A text is skipped when it equals one in ``seen`` (case and final punctuation ignored; ``seen`` is
    updated) or is a near-duplicate (``NEAR_DUPLICATE``) of one already in this family."""
    seen = set() if seen is None else seen
    out: list[Example] = []
    postings: dict[tuple[str, ...], list[int]] = {}
    sizes: list[int] = []

    def add(text: str) -> None:
        key = text.casefold().rstrip(" .!?")
        if key in seen:
            return
        grams = shingles(text)
        overlap: dict[int, int] = {}
        for gram in grams:
            for i in postings.get(gram, ()):
                overlap[i] = overlap.get(i, 0) + 1
        if any(common / (len(grams) + sizes[i] - common) >= NEAR_DUPLICATE for i, common in overlap.items()):
            return
        seen.add(key)
        for gram in grams:
            postings.setdefault(gram, []).append(len(sizes))
        sizes.append(len(grams))
        out.append(Example(text, label_of(text), family))

    for text in fixed:
        add(tidy(text))
    attempts = 0
    while len(out) < n and attempts < 50 * n:
        attempts += 1
        add(styled(tidy(draw(builders)(draw)), draw))
    return out[:n]


# Swear words used in the toxic families below, with the obfuscated spellings used there: a hit sets
# profanity = 1 in "insult_*" rows (and every "profanity_untargeted" row has one). Not a general filter: it
# also matches names such as "Dick Cheney", which is why the name family does not use it.
_SWEAR_PATTERNS = (
    r"\w*fuck\w*",
    r"f[*@#]+c?k\w*",
    r"f\*{2,}\w*",
    r"fck\w*",
    r"fkn",
    r"phuck\w*",
    r"ffs",
    r"wtf",
    r"\w*sh[i1!*]t\w*",
    r"shite",
    r"arse\w*",
    r"ass",
    r"asses",
    r"\w*asshole\w*",
    r"a\$\$\w*",
    r"a-hole\w*",
    r"dumbass",
    r"jackass\w*",
    r"d[i1!]ck\w*",
    r"b[a@]stard\w*",
    r"crap\w*",
    r"\w*damn\w*",
    r"bollocks",
    r"piss\w*",
    r"prick\w*",
    r"tw[a@]t\w*",
    r"w[a@]nker\w*",
    r"cunt\w*",
    r"douche\w*",
    r"bloody",
)
SWEAR = re.compile(r"(?<![a-z0-9])(" + "|".join(_SWEAR_PATTERNS) + r")(?![a-z0-9])", re.IGNORECASE)


def has_swear(text: str) -> bool:
    return SWEAR.search(text) is not None


# ----------------------------------------------------------------------------------------------------------
# Family "civil_criticism" (non-toxic): sharp, angry, sarcastic criticism of politicians, governments,
# policies, companies, the author or the paper, without insults. One dict per topic; {a} is one of its actors.
# ----------------------------------------------------------------------------------------------------------

Topic = dict[str, tuple[str, ...]]

CRITICISM_TOPICS_TRAIN: tuple[Topic, ...] = (
    {
        "noun": ("the rent cap", "the new tenancy rules"),
        "actors": items("""
Housing Minister Margaret Holloway
the council's planning committee
Harcourt Homes
Councillor Graham Pettifer
"""),
        "critiques": items("""
{a}'s plan is a disaster for renters.
{a} has spent two years promising affordable homes and delivered a handful of luxury flats.
The rent cap announced by {a} has loopholes a landlord could drive a removal van through.
{a} keeps talking about "supply" while the waiting list grows every single quarter.
Nothing in {a}'s proposal stops no-fault evictions, which is the one thing tenants actually asked for.
Shameful decision by {a} to approve the tower without a single social-rent flat in it.
{a} treats tenants as an afterthought and it shows in every line of this policy.
"""),
        "reasons": items("""
Average rents here are up 14% since 2021 and wages have not come close.
The "affordable" units are priced at 80% of market rent, which no nurse or bus driver on this street can
    pay.
Three families on my road have been served notice this year alone.
The viability assessment was kept confidential, so nobody outside the developer can check the numbers.
The council's own waiting list has doubled in ten years.
My daughter spends 58% of her take-home pay on a one-bed flat with black mould in the bathroom.
"""),
        "questions": items("""
Who exactly is this policy for?
Why were the tenants' unions not consulted before the announcement?
Where are the 3,000 homes that were promised in the manifesto?
"""),
    },
    {
        "noun": ("the new rail timetable", "the fare rise"),
        "actors": items("""
Transport Secretary Daniel Okafor
Metro Rail
the rail regulator
Mayor Linda Brookes
"""),
        "critiques": items("""
{a} has managed to make the slowest trains in Europe even slower.
The timetable {a} signed off cuts the early services that shift workers rely on.
{a} calls a 5.9% fare rise "modest", which tells you how often they buy their own ticket.
Another winter of cancellations and {a} is still blaming the weather.
{a} promised a reliable service by spring; it is October and my train was cancelled twice this week.
The decision by {a} to close ticket offices is short-sighted and unfair to anyone who can't use an app.
{a}'s "customer charter" is not worth the paper it's printed on.
"""),
        "reasons": items("""
The 6:12 from Millbridge has been cancelled eleven times since September.
A season ticket now costs more than my council tax and the heating bill combined.
Disabled passengers rely on staffed stations and nobody seems to have asked them.
Passengers were told about the changes four days before they started.
Punctuality on the northern line was 61% last quarter according to the regulator's own figures.
The replacement buses take twice as long and don't stop at the hospital.
"""),
        "questions": items("""
When did anyone at the top last stand on a packed platform at 7am?
What happened to the compensation scheme we were promised?
Why are the bonuses still being paid?
"""),
    },
    {
        "noun": ("the hospital merger", "the A&E downgrade"),
        "actors": items("""
Health Secretary Sandra Whitcombe
the hospital trust's board
the health department
Governor Pam Hadley
"""),
        "critiques": items("""
{a} is dismantling a working A&E and calling it "modernisation".
The consultation run by {a} was a box-ticking exercise; the decision had clearly been made already.
{a} keeps saying waiting times are "stabilising" while people wait nine hours on trolleys.
It is shameful that {a} found money for consultants' reports but not for nurses.
{a}'s plan means a 40-minute drive for anyone in the valley having a heart attack.
The way {a} has handled the maternity unit closure has been secretive from start to finish.
{a} should be ashamed of how staff on the wards have been treated this winter.
"""),
        "reasons": items("""
My mother waited fourteen hours in a corridor last month, and the staff were apologising to her all night.
Agency staff now cost the trust more than the permanent nurses it failed to hire.
Ambulance handover times have tripled since the last reorganisation.
There is one bus an hour to the new site and none after 7pm.
The trust spent £2.3m on management consultants last year.
Three experienced midwives I know have left for Australia in the past year.
"""),
        "questions": items("""
Has anyone on the board ever tried to get an appointment at the walk-in centre?
Where is the evidence that bigger hospitals give better care for rural patients?
Why is the full report still not published?
"""),
    },
    {
        "noun": ("the school funding formula", "the new exam system"),
        "actors": items("""
Education Minister Tom Ashworth
the school board
the education department
Premier Joanne Tremblay
"""),
        "critiques": items("""
{a} has underfunded special needs provision for years and now acts surprised that it is in crisis.
The new formula from {a} takes money from rural schools to fix a problem created in the cities.
{a}'s announcement is recycled money dressed up as new investment.
Teachers have been saying this for a decade and {a} only listens when it makes the front page.
{a} seems to believe buildings can be fixed with press releases.
It is a disgrace that {a} let crumbling concrete stay in classrooms for this long.
{a} talks about "raising standards" while class sizes creep towards forty.
"""),
        "reasons": items("""
My son's school has had buckets in the corridor for two winters.
Real-terms spending per pupil is still below 2010 levels.
Teaching assistants were the first cut, and they are the people who support the kids who struggle most.
Supply teachers are covering whole terms because nobody wants the posts at this salary.
The reading scheme we were told to buy was dropped after eighteen months.
Parents are now being asked to pay for glue sticks and printer paper.
"""),
        "questions": items("""
How is any of this supposed to help a child with an EHCP who has waited two years for a place?
Why does every reform arrive with a deadline and no money?
Did anyone ask a single working teacher before this was announced?
"""),
    },
    {
        "noun": ("the energy price cap", "the energy bill support scheme"),
        "actors": items("""
Energy Minister Rupert Vance
Brightline Energy
the energy regulator
Chancellor Neil Fairbrother
"""),
        "critiques": items("""
{a} has let suppliers post record profits while customers ration their heating.
The support scheme {a} designed is so complicated that the people who need it most will never claim it.
{a} calls the price cap "protection" when it has gone up three times in a year.
Standing charges are a regressive tax and {a} has done nothing about them.
Forcing prepayment meters on struggling households was indefensible, and {a} knew it was happening.
{a} spent years blocking insulation schemes and now wants credit for "tackling bills".
{a}'s response to the pensioners' letter was a form reply that didn't address one of their questions.
"""),
        "reasons": items("""
Our bill went from £96 to £240 a month and we use less than last year.
The regulator's own report found thousands of meters were fitted without proper checks.
Insulating the worst homes would pay for itself within a few winters.
Brightline's operating profit tripled in the same year it asked for a bailout.
My neighbour is eighty-three and sits in her coat in the afternoons to save gas.
Smart meters were meant to save money and half of them have stopped sending readings.
"""),
        "questions": items("""
Why should shareholders come before people who can't heat their homes?
Whatever happened to the windfall tax that was "under review"?
How many more winters like this are we expected to accept?
"""),
    },
    {
        "noun": ("the sewage discharges", "the water bill rise"),
        "actors": items("""
Northgate Water
the environment agency
Environment Secretary Fiona Marchbank
the water regulator
"""),
        "critiques": items("""
{a} has been pumping sewage into our rivers and then asking customers to pay for the clean-up.
Fines this small are just a business expense for {a}.
{a}'s statement is full of words like "committed" and "robust" and empty of dates.
It is outrageous that {a} paid dividends while the pipes were falling apart.
{a} has known about the overflows at Ferry Lane for years and did nothing.
The bill rise agreed by {a} rewards failure, plain and simple.
{a} treats the river as a free drain and the regulator lets it.
"""),
        "reasons": items("""
The beach at Holme Sands was closed for swimming on nineteen days last summer.
Leakage is still above 20% and the reservoir we were promised in the nineties was never built.
The company is carrying billions in debt that was loaded onto it after privatisation.
Wild swimmers in our town have been getting ill after every heavy rain.
Monitoring only started because volunteers collected the data themselves.
The chief executive's bonus was bigger than the fine.
"""),
        "questions": items("""
At what point does the licence get taken away?
Why is anyone still being paid a bonus at that company?
Who regulates the regulator?
"""),
    },
    {
        "noun": ("the fortnightly bin collection", "the council tax rise"),
        "actors": items("""
the council
Councillor Graham Pettifer
the council's cabinet
Mayor Linda Brookes
"""),
        "critiques": items("""
{a} has raised council tax by the maximum again while the potholes get deeper.
Moving to fortnightly collections in a heatwave was a poorly thought-out decision by {a}.
{a} spent £400,000 on a rebrand and then told us there is no money for the youth centre.
The way {a} pushed this through without a public meeting is frankly undemocratic.
{a} keeps cutting the services people see and protecting the ones nobody asked for.
Shameful decision by {a} to close the last public toilets in the town centre.
{a}'s consultation gave residents eleven days and a survey with no option to say no.
"""),
        "reasons": items("""
Our street had foxes in the bags within three days of the change.
The garden waste charge has gone up 40% in two years.
Elderly residents are the ones who need a toilet in town, and they were never asked.
The same cabinet approved a new office fit-out last spring.
Fly-tipping on the lane behind the school has doubled since the tip started charging.
The pothole on Station Road has been reported six times and marked "resolved" four.
"""),
        "questions": items("""
Who signed off the rebrand, and why was it not in the budget papers?
Is there any service left that the council hasn't cut or charged for?
Why are the minutes of that meeting still not online?
"""),
    },
    {
        "noun": ("the plan to close local police stations", "the new stop-and-search powers"),
        "actors": items("""
Police Commissioner Alan Fenwick
the force's leadership
the Home Office
Senator Ray Castellano
"""),
        "critiques": items("""
{a} is closing front counters and calling it "a more visible police presence".
The response times {a} boasted about last month don't match anyone's experience in this town.
{a} has ignored the independent review of stop-and-search, which is not how trust is rebuilt.
It is deeply disappointing that {a} still refuses to publish the complaints data.
{a} keeps promising neighbourhood officers and keeps moving them to desk jobs.
{a} has handled the misconduct cases badly and the public can see it.
The new powers {a} is pushing for are sweeping, vague and almost impossible to challenge.
"""),
        "reasons": items("""
My shop was broken into twice and both times I got a crime number and nothing else.
The nearest open station will be 22 miles away.
Young people in this area are searched at several times the rate of older residents, with fewer arrests.
Burglary clearance rates are in single figures.
The last public meeting with the force was cancelled at a day's notice.
The body-camera footage from the Westgate incident has still not been released.
"""),
        "questions": items("""
How is a victim without a car supposed to report a crime in person now?
Why can't the complaints figures be published like every other force does?
What has happened to the officers that were promised in the budget?
"""),
    },
    {
        "noun": ("the new gas field licences", "the climate plan"),
        "actors": items("""
the government
Energy Minister Rupert Vance
Premier Joanne Tremblay
the cabinet
"""),
        "critiques": items("""
{a} approved new drilling a week after promising to lead on climate, and nobody should pretend that is
    consistent.
{a}'s climate plan is ambition on paper and delay in practice.
Scrapping the home insulation grants was a shortsighted decision by {a}.
{a} keeps moving the targets back and calling it "pragmatism".
{a} announced a flood defence scheme that was already announced twice before.
The carbon capture project {a} keeps talking about has not stored a single tonne.
{a} has chosen the short-term headline over the long-term cost, again.
"""),
        "reasons": items("""
Our village flooded in 2015, 2020 and again this February.
The independent climate committee said the plan had no credible route for half of its targets.
Insurance for homes near the river has become almost impossible to get.
The wind farm offshore was held up for six years by planning rules nobody would change.
Most of the gas from the new field will be exported, so it won't lower anyone's bill here.
Heat pump installers in this county have waiting lists because the grant kept being paused.
"""),
        "questions": items("""
Which of the 2030 targets is actually on track?
How does a new oil field fit with a net zero law?
Who pays for the flood damage when the defences aren't built?
"""),
    },
    {
        "noun": ("the bypass", "the new development at Larkfield"),
        "actors": items("""
the county council
Councillor Priya Sandhu
Westmoor Developments
the planning inspector
"""),
        "critiques": items("""
{a} has waved through 900 homes with no new GP surgery and no school places.
The bypass {a} keeps defending will cost three times the original estimate and save four minutes.
{a} has treated the flood risk report as an inconvenience rather than a warning.
It's astonishing that {a} approved this after the objections from the wildlife trust.
{a} promised "infrastructure first" and delivered the opposite.
The traffic model {a} relied on assumed nobody would drive to the new retail park, which is fantasy.
{a} ignored every objection from the parish council, all 214 of them.
"""),
        "reasons": items("""
You already can't get a GP appointment in under three weeks here.
The fields behind the estate were underwater twice last winter.
The original estimate was £38m and the latest is £112m.
The primary school is already using two temporary classrooms.
There is one road in and one road out of the village.
The ancient hedgerow along Mill Lane is two hundred years older than the council.
"""),
        "questions": items("""
Where are the children on this estate supposed to go to school?
Who is going to pay when the new homes flood?
Why does the developer's consultant always agree with the developer?
"""),
    },
    {
        "noun": ("the pension age rise", "the benefit freeze"),
        "actors": items("""
Chancellor Neil Fairbrother
the Treasury
the pensions minister
Senator Ray Castellano
"""),
        "critiques": items("""
{a} has broken a promise to millions of women who planned their lives around the old pension age.
Freezing benefits in this inflation is a real-terms cut, whatever {a} calls it.
{a} finds billions for tax cuts at the top and tells carers to tighten their belts.
{a}'s statement was long on slogans and short on a single costed measure.
It is disgraceful that {a} is still fighting the ombudsman's findings in court.
{a} announced the change on the day Parliament rose for the summer, which says everything.
The "simplification" {a} is proposing will leave the poorest claimants worse off.
"""),
        "reasons": items("""
My aunt found out her pension age had moved by six years from a letter that arrived eighteen months before.
Carer's allowance is under £82 a week for 35 hours of care.
Food bank use in our town has doubled in three years.
The ombudsman found the department failed to write to people in time.
Inflation on food alone was over 19% last year.
Universal credit deductions are pushing people into rent arrears.
"""),
        "questions": items("""
How is anyone supposed to plan for retirement if the rules change halfway through?
Which minister would live on this?
Why is compensation still being delayed?
"""),
    },
    {
        "noun": ("the facial recognition contract", "the data-sharing deal"),
        "actors": items("""
Orbit Social
the city's technology office
the data protection regulator
the police and crime panel
"""),
        "critiques": items("""
{a} signed a data-sharing deal that nobody voted for and few people even know about.
{a}'s privacy policy changes every few months and somehow always in its own favour.
Live facial recognition in a shopping street is a huge step, and {a} took it without a debate.
{a}'s apology reads as if it was written by the legal department.
The fine imposed by {a} is a rounding error for a company that size.
{a} keeps saying the algorithm is accurate without ever letting anyone independent test it.
Letting {a} hold health records without a clear opt-out was the wrong call.
"""),
        "reasons": items("""
Independent tests of similar systems found higher error rates for darker-skinned faces.
The contract was awarded without a tender.
Parents found out their children's photos were in the training data from a newspaper, not the school.
The company made £9bn in profit last year.
The opt-out form is four clicks deep and only works on a desktop.
Two councillors on the panel own shares in the supplier.
"""),
        "questions": items("""
Who audits the algorithm?
What happens to the data when the contract ends?
Why was there no public consultation?
"""),
    },
    {
        "noun": ('the "price promise"', "the self-checkout rollout"),
        "actors": items("""
Freshway supermarkets
the competition authority
Fairdeal Foods
the consumer minister
"""),
        "critiques": items("""
{a}'s "price promise" is a marketing slogan, not a promise.
Record margins on basics during a cost-of-living crisis should embarrass {a}.
{a} cut the staffed tills and now calls the queue for self-checkout "choice".
{a} shrank the chocolate bars and kept the price, then called it a "recipe improvement".
The investigation by {a} took two years and found nothing anybody didn't already know.
{a} squeezes farmers on price and then puts a farmer's photo on the milk carton.
The loyalty-card prices from {a} punish anyone who won't hand over their data.
"""),
        "reasons": items("""
A basic loaf at our local branch has gone from 75p to £1.39 in two years.
Dairy farmers are being paid less per litre than it costs them to produce.
Older customers in our town can't use the app and pay more because of it.
The unit price labels are so small you need a magnifying glass to compare anything.
Profits are up 30% on last year according to their own results.
The big chains now control more than two-thirds of the grocery market.
"""),
        "questions": items("""
Why does the same basket cost more in the small-format stores in poorer areas?
Is anyone actually checking these "was" prices?
When will unit pricing be made readable?
"""),
    },
    {
        "noun": ("the third runway", "the airport expansion"),
        "actors": items("""
SkyHub Airport
the aviation minister
Mayor Linda Brookes
Governor Pam Hadley
"""),
        "critiques": items("""
{a} says the expansion is "green" because the new terminal has solar panels on the roof.
The noise study {a} published ignored the villages directly under the new flight path.
{a} has gone back on a written commitment to no night flights.
The economic case {a} keeps quoting was paid for by the airport itself.
{a}'s plan will put thousands more flights over homes that were promised respite.
{a} backed this in the same week the region declared a climate emergency, which is hard to take seriously.
The road and rail links {a} promised are still not funded.
"""),
        "reasons": items("""
Planes already go over our house every ninety seconds from 6am.
The local jobs figure counts every job "supported" in the region, including existing ones.
The night-flight quota was raised twice in five years.
Two schools under the flight path have had to fit acoustic windows.
Air quality on the perimeter road is already over the legal limit.
Most flights from the airport are leisure trips by frequent flyers, not business.
"""),
        "questions": items("""
Who will compensate the families who can no longer sleep?
What happened to the night-flight ban?
Why are the independent noise figures not in the consultation pack?
"""),
    },
    {
        "noun": ("the childcare funding", "the nursery subsidy"),
        "actors": items("""
the education department
Minister Harriet Lowe
the government
Premier Joanne Tremblay
"""),
        "critiques": items("""
{a} announced "free" childcare hours without paying nurseries what the hours actually cost.
{a} has left providers to cover the gap, and many simply can't.
The rollout by {a} has been chaotic, with codes that don't work and portals that crash.
{a} talks about getting parents back to work but the places don't exist.
It is deeply unfair that {a} expects nursery staff to live on minimum wage.
{a}'s scheme helps families who already have a place and does nothing for those on waiting lists.
{a} has confused a headline with a policy.
"""),
        "reasons": items("""
Our nursery closed in March after twenty-two years because the funded rate was below its costs.
A full-time place in this town costs more than our mortgage.
Staff turnover in early years is above 40% in some areas.
My partner turned down a promotion because the extra hours would have cost more in childcare.
The funding rate went up 3% while wages went up 10%.
There are three children for every funded place in our postcode.
"""),
        "questions": items("""
Where are the extra staff going to come from?
Who is supposed to pay the difference between the funded rate and the real cost?
Did anyone model what happens to rural nurseries?
"""),
    },
)

CRITICISM_OPENERS_TRAIN = items("""
Here we go again.
Another week, another U-turn.
I've read this twice and I'm still angry.
Let's be honest about what is happening here.
Sorry, but no.
Unbelievable.
Where to start.
I usually agree with this paper, but not today.
Long-time reader, first comment.
Not surprised in the slightest.
This needs saying.
I live with the consequences of this every day.
Same story, different year.
Worth remembering the history here.
I'll try to keep this civil, because I'm furious.
Can we talk about the actual problem?
Credit where it's due: the reporting is thorough. The policy is not.
I voted for this lot, and I regret it.
My whole street is talking about this.
Three cheers for the people who organised the petition.
""")

CRITICISM_CLOSERS_TRAIN = items("""
Remember this at the next election.
I'll be writing to my MP, and I hope others do too.
Vote accordingly.
Do better.
Absolutely shameful.
We deserve better than this.
Not good enough.
History will not be kind to this decision.
Rant over.
Just my two cents.
Somebody needs to be held accountable.
The public inquiry can't come soon enough.
I won't hold my breath.
Follow the money.
They work for us, not the other way round.
Disappointed doesn't begin to cover it.
This should be a resignation matter.
Please keep reporting on this.
I've run out of patience with the lot of it.
Not in my name.
Write to your councillor; it does make a difference.
We'll see who is still in office next May.
Enough is enough.
Next time, ask the people who actually live here.
I'd love to see the paper put these questions to them directly.
The numbers speak for themselves.
I'm tired of being told to be grateful for less.
No wonder turnout keeps falling.
Sad, but not surprising.
They should have to use the service they run for a month.
""")

CRITICISM_LINKS_TRAIN = items("""
The figures are in the regulator's report: https://www.regulator-reports.org/2024/annual-review
Source: https://www.citystats.org/rents/2024
Full minutes here, see item 7: https://democracy.example-council.gov.uk/meeting/4471
The audit is public, page 31: https://www.audit-office.org/reports/value-for-money-2023.pdf
Worth reading the committee evidence: https://committees.parliament-archive.org/evidence/1182
""")

ARTICLE_CRITIQUES_TRAIN = items("""
This piece ignores the people who will actually pay for {noun}.
The article reads like a press release for {noun}.
Your reporter quotes three supporters of {noun} and not a single critic.
The headline oversells {noun}; the body of the article says something much weaker.
I expected better from this paper than a puff piece on {noun}.
Not one number in this article about {noun} is sourced.
The author seems to have forgotten that {noun} was tried before and quietly abandoned.
This is opinion dressed up as reporting.
Why does this paper keep giving the spokesperson the last word on {noun}?
Weak journalism: a story like {noun} deserved a proper investigation, not two quotes and a stock photo.
The writer clearly didn't speak to anyone affected by {noun}.
Five paragraphs on {noun} and not one mention of who profits.
The editorial line on {noun} has changed three times this year, and the paper never explains why.
A correction is needed: the article gets the timeline of {noun} wrong.
The photo caption and the story disagree about {noun}. Which one is right?
Interesting that the paper only discovered {noun} was a problem after the owner's friends stopped backing
    it.
""")

SARCASM_TRAIN = items("""
Brilliant, another consultation on {noun}. That will surely fix it.
Good to see {a} has discovered {noun} just in time for the election.
Nothing says "listening to residents" like approving {noun} at 11pm on a Friday.
I'm sure the fourth review of {noun} will be the one that changes everything.
Wonderful news for shareholders, less so for the rest of us.
Oh good, a task force. Problem solved.
Who could have predicted that {noun} would go over budget? Everyone, that's who.
Can't wait for the glossy leaflet explaining how {noun} is good for us.
Lovely to hear {a} is "listening". Shame about the hearing.
Another "world-leading" plan. The world does not appear to be following.
So {a} is "deeply concerned". Concern is free; fixing it costs money.
Somewhere a consultant is being paid very well to write the next report on {noun}.
""")

CRITICISM_FULL_TRAIN = items("""
The minister's plan is a disaster for renters. It caps increases at inflation, which last year meant 11%,
    and it does nothing about the section 21 notices that are forcing families out of the only area their
    kids know. I have rented for nineteen years and never been consulted about anything.
Shameful decision by the council. They closed the day centre for adults with learning disabilities to save
    £180,000 and in the same meeting approved a £250,000 refurbishment of the civic suite.
This piece ignores the obvious question: if the scheme is such a success, why won't the department publish
    the evaluation it paid for? Three years of "encouraging early signs" is not evidence.
I have voted for Margaret Holloway's party my whole life and I won't be doing it again. Promising to build
    300,000 homes a year and then scrapping the targets the moment backbenchers complained is not
    leadership.
With respect to the author, the reason people are angry about the bins is not the bins. It is that we pay
    more every year and get less every year, and nobody in the town hall will say where the money goes.
Daniel Okafor stood outside the station in March and said the worst was behind us. Since then my line has
    had the worst punctuality in the country. I don't need another apology, I need a train that turns up.
Northgate Water should lose its licence. Record discharges, record bonuses, and a bill rise on top. If any
    other business behaved like this, it would be shut down.
The paper's coverage of the hospital merger has been one-sided from day one. Every article quotes the
    trust's chief executive; not one has quoted a paramedic who actually drives the extra forty minutes.
Sandra Whitcombe says the NHS has "record funding". It also has record waiting lists, record vacancies and
    record numbers of people paying privately for hip operations because they can't wait two years. Record
    funding that buys worse outcomes is not something to boast about.
Chancellor Fairbrother's budget is a giveaway to people who already own everything. Inheritance tax cuts
    while councils go bankrupt. I really don't understand how anyone can defend this with a straight face.
So the energy regulator has "concerns". It had concerns last year, and the year before. Meanwhile my elderly
    parents were switched to a prepayment meter without anyone visiting them. Concerns are not enforcement.
Governor Hadley vetoed the bill that would have capped insulin prices and then held a press conference about
    healthcare affordability. You genuinely could not make it up.
The article calls the budget "tough but fair". It is tough on people who use buses, libraries and youth
    clubs and very fair to people who don't. I'd like the paper to say that plainly.
Mayor Brookes promised in her manifesto to freeze fares. Fares have gone up twice. I'm not asking for
    miracles, just for politicians to stop promising things they know they can't deliver.
Senator Castellano voted against the veterans' healthcare bill three times and now posts photos at the
    memorial every November. Voters have long memories.
Honest question for the editor: why did this story run on page 14 when the sewage report was the most
    important local news of the month? Page one was a celebrity's wedding.
Freshway's chief executive says prices are falling. I have the receipts. Butter, bread, cheese, nappies —
    all more expensive than in January. I'm a bit tired of being told my shopping is imaginary.
This government has run out of ideas and, frankly, out of excuses. Fourteen housing ministers in thirteen
    years is not a strategy; it's a revolving door.
I've worked in children's services for twenty years. The cuts the county is proposing will mean more
    children in crisis, more emergency placements and more spending later. It's a false economy, and the
    officers who wrote the report know it.
Rupert Vance says the new gas field will "bring bills down". His own department's analysis says it won't, by
    any measurable amount. Either he hasn't read it or he hopes we haven't.
Premier Tremblay likes to talk about "hard choices". Funny how the hard choices always land on nurses,
    teachers and people waiting for hip replacements, and never on her donors.
The school board cut music, then art, then the late bus. Now they are surprised attendance is down. Kids
    need a reason to want to be in school, and the board has removed most of them.
The police commissioner's statement about the Westgate shooting was unacceptable. "Lessons will be learned"
    is what institutions say when they intend to learn nothing. Publish the footage.
Harcourt Homes' "community benefits" turned out to be a bench and a bin. The playground in the plans never
    appeared. The council should enforce the planning conditions instead of renegotiating them.
I am a retired accountant and I have read the airport's economic case. It double counts the jobs, ignores
    the tourism spend that leaves the country, and assumes fuel will be cheaper in 2040. It would not pass a
    first year audit.
Credit to the reporter for getting the documents, but the headline "Council defends decision" is far too
    kind. The documents show they were warned three times and did nothing.
Tom Ashworth has visited exactly one school in my county during his time as minister, and it was a private
    one. I think that tells you where his priorities lie.
The rail company calls a 40-minute delay "minor disruption". It is not minor if you're a carer and your
    mother is waiting for her lunch, or if you lose a shift for being late.
Can someone explain why the water company that polluted the river gets to decide how the clean-up money is
    spent? It's like asking the arsonist to run the fire brigade.
Orbit Social's new terms let them train their AI on everything I've ever posted, and the opt-out is hidden
    in a submenu. The regulator should have stopped this before it started.
Let's be clear: the council didn't "pause" the youth service, it closed it. The building is being sold.
    Pausing something implies it will come back.
Another Friday-afternoon announcement from the health department, timed so nobody reads it. Seven hundred
    fewer hospital beds in the region, buried in paragraph nine.
Our MP voted for the benefit freeze and then opened the new food bank in our village. I'm not sure whether
    to laugh or cry.
The regulator fined Brightline £1.2m. The company made that in profit before lunch. Fines need to be a
    percentage of turnover or they are just a licence fee.
It's a disgrace that the pension ombudsman's findings are still being ignored. My mother died last year
    before anyone admitted she had been wronged. She is not the only one.
The editorial is right that the bypass is over budget, but wrong about why. It isn't "inflation"; the route
    was changed three times to avoid land owned by people with friends on the cabinet.
Very poor decision by the planning inspector. The village has no bus, no shop and no school places, and 600
    homes have just been approved on the flood plain. Mark my words, the article about the flooding will
    follow.
I'm a Labour voter and I think this policy is wrong. I'm saying that because too many people in this
    comments section only criticise the other side. The housing minister's plan would fail whoever proposed
    it.
The competition authority's report took two years and concluded that supermarkets are "broadly competitive".
    Meanwhile the four biggest chains all raised the price of the same products in the same week. Broadly
    indeed.
To the paper: please stop describing the closure of three maternity units as "a shake-up". A shake-up is
    what happens to a football team. This is women driving an hour while in labour.
The mayor's office says the cycle lanes were removed "in response to feedback". I gave feedback in favour,
    so did 2,000 others. Selective listening is not consultation.
Can we stop pretending the childcare offer is free? Nurseries are making up the shortfall by charging for
    nappies, lunches and "enrichment". Parents are paying, just on a different line of the invoice.
The facial recognition vans were deployed at a protest, which the commissioner told the committee would
    never happen. He owes the public an explanation and an apology.
Every year the county promises to fix the roads, and every year the potholes outlast the promises. The £3m
    "pothole blitz" filled 400 holes. There are 11,000 on the register.
I've lived in this town for forty years and I've never seen the high street this empty. Business rates,
    parking charges and out-of-town retail parks approved by the same council that now "regrets the
    decline". They did this, step by step, with their eyes open.
Good article, but the final paragraph lets the minister off far too lightly. "We inherited this" stops
    working as an excuse after five years in office.
""")

# Held-out criticism: other topics, actors and sentence shapes (numbered points, letters to the editor,
# "let me get this straight", unanswered emails). Nothing here is shared with the train lists above.
CRITICISM_TOPICS_HELDOUT: tuple[Topic, ...] = (
    {
        "noun": ("the fishing quota deal", "the harbour levy"),
        "actors": items("""
Fisheries Minister Colm Tierney
the harbour authority
Senator Curtis Oyelaran
"""),
        "points": items("""
the quota deal gives most of the catch to three trawler firms and almost none to the small boats
the harbour levy doubled while the pontoons are still broken
nobody from the fishing co-operative was invited to the signing
the minister's own impact assessment predicts the loss of two hundred local jobs
the new rules were published in a PDF nobody on a boat can open at sea
"""),
        "claims": items("""
{a} has sold out the small boats and called it a "historic agreement".
{a} is happy to be photographed on the quayside and nowhere to be found when the co-operative asks for a
    meeting.
Every promise {a} made to the coastal towns has quietly been dropped.
"""),
    },
    {
        "noun": ("the farm payments scheme", "the hedgerow rules"),
        "actors": items("""
Agriculture Secretary Beatrix Nolan
the rural payments agency
Governor Teresa Villanueva
"""),
        "points": items("""
payments under the old scheme were cut before the new one was ready
the application portal was down for most of the deadline week
tenant farmers can't sign ten-year agreements on land they rent year to year
the agency still owes some farms money from two seasons ago
the scheme pays more for paperwork than for the hedges themselves
"""),
        "claims": items("""
{a} has left farmers to carry the risk of a transition nobody planned properly.
{a} talks about food security and then makes it harder to grow food.
The scheme {a} launched is a spreadsheet exercise that has never met a muddy field.
"""),
    },
    {
        "noun": ("the ferry contract", "the island timetable"),
        "actors": items("""
Harbourline Ferries
the islands' transport board
Councillor Aoife Brennan
"""),
        "points": items("""
two of the four ferries are more than thirty years old
the replacement vessel is six years late and double the budget
islanders with hospital appointments on the mainland are being bumped for tourist bookings
the timetable changes were announced on a Friday evening in the middle of the holidays
the ticket office on the island closed and the phone line rings out
"""),
        "claims": items("""
{a} has treated a lifeline service as if it were an optional extra.
{a} keeps apologising and keeps cancelling sailings.
The contract {a} signed had no penalties for cancellations, which explains a great deal.
"""),
    },
    {
        "noun": ("the arts funding cuts", "the museum charges"),
        "actors": items("""
Culture Minister Imogen Threlfall
the arts council
Mayor Howard Kessler
"""),
        "points": items("""
the theatre that trained half the actors on television lost its entire grant
entry charges at the museum will shut out the families who used it most
the cuts save less than the city spent on the marathon's opening ceremony
the funding decisions were made without visiting a single venue outside the capital
the museum's education team was cut first, which means schools lose their trips
"""),
        "claims": items("""
{a} knows the price of everything and the value of very little.
{a} has decided culture is a luxury for people who can afford a ticket.
Each year {a} cuts a little more and calls it "resilience".
"""),
    },
    {
        "noun": ("the dental contract", "the check-up charges"),
        "actors": items("""
the health board
Commissioner Otto Ranft
the health minister's office
"""),
        "points": items("""
no practice within forty miles is taking new adult patients
the contract pays a dentist the same for one filling as for ten
children are having teeth removed under general anaesthetic for decay that a check-up would have caught
people are pulling their own teeth with pliers in 2025
the "recovery plan" funded fewer appointments than were lost
"""),
        "claims": items("""
{a} has presided over the collapse of public dentistry and blamed everyone else for it.
{a} announced a recovery plan that recovered nothing.
What {a} calls "access" means a phone queue at 8am for an appointment in October.
"""),
    },
    {
        "noun": ("the postal service changes", "the second-class delivery cuts"),
        "actors": items("""
Coastal Post
the postal regulator
Postmaster General Lionel Mabuza
"""),
        "points": items("""
letters now take a week to travel twelve miles
hospital appointment letters are arriving after the appointment
the regulator approved the cuts without requiring any improvement in return
the sorting office closed and the nearest collection point has no parking
stamp prices have nearly doubled in five years
"""),
        "claims": items("""
{a} keeps raising prices for a service that gets worse every year.
{a} has chosen shareholders over rural customers at every turn.
The "modernisation" {a} promised looks a lot like managed decline.
"""),
    },
    {
        "noun": ("the gambling advertising rules", "the betting shop licences"),
        "actors": items("""
the gambling commission
Sports Minister Rowan Achterberg
the licensing committee
"""),
        "points": items("""
five betting shops now sit on a single stretch of the high street
the affordability checks were watered down after lobbying
gambling adverts run during children's football coverage
the addiction clinic has a nine-month waiting list
the levy on operators is voluntary and most of them ignore it
"""),
        "claims": items("""
{a} has let the industry write its own rules.
Every time {a} promises tough action the adverts seem to multiply.
{a} licensed another betting shop on the same street as the food bank.
"""),
    },
)

CRITICISM_HELDOUT_SHAPES = items("""
Three problems with {noun}: first, {p1}; second, {p2}; and third, {p3}. {claim}
Let me get this straight: {p1}, and we're supposed to thank {a} for it?
Dear editor, your readers should know that {p1}. {claim} Yours, a long-suffering resident.
I emailed {a}'s office in March to point out that {p1}. Still no reply. {claim}
Quick facts the article leaves out about {noun}: {p1}; {p2}.
{claim} And before anyone says it's only a local issue, {p1}.
What was {a} thinking? {p1}, {p2}. It is hard to see who benefits apart from the people who wrote the rules.
If {a} believes {noun} is working, please explain why {p1}.
For the record: {p1}. {claim} The coverage here has been far too polite.
{claim} I've lived here thirty years and I have never seen {noun} handled this badly.
I keep hearing {noun} described as a success. Meanwhile {p1} and {p2}. Success for whom?
My question for {a} is simple. Why is it that {p1}?
Not one line in this story mentions that {p1}. Or that {p2}.
Reading this from the harbour wall, where everyone knows {p1}. {claim}
Nobody I know disputes that {p1}. The question is what {a} intends to do about it.
Add it up: {p1}, {p2}, {p3}. {claim}
Short version for anyone skimming: {claim}
The official line on {noun} is that it's "bedding in". Meanwhile {p1}.
{a} is due to report on {noun} next month. I'd be amazed if it mentions that {p2}.
Two things I'd like the next article on {noun} to cover: why {p1}, and why {p2}.
""")

CRITICISM_FULL_HELDOUT = items("""
The ferry was cancelled on the morning of my father's chemotherapy appointment, the third time this year.
    The board's statement talked about "operational challenges". An island without a reliable ferry is not
    an operational challenge, it's people missing cancer treatment.
Imogen Threlfall says the arts cuts are about "difficult priorities". The whole arts budget for the region
    is less than the cost of one mile of the road she opened last week. Priorities, indeed.
Dear editor, the fishing quota story deserved far more than a brief on page 22. Whole villages depend on
    those boats and your paper used to cover this coast properly.
Coastal Post's annual report boasts record parcel revenue while my neighbour's hospital letter arrived nine
    days late. It's obvious which customers they care about.
I've been a farmer for thirty-one years and I don't object to looking after hedges. I object to being paid
    eleven months late for doing it, and to a portal that logged me out four times while I filled it in.
The gambling commission's new rules are a half-measure. Betting firms have already announced "voluntary"
    changes that will change nothing. Voluntary rules for an industry that profits from addiction are not
    rules.
Commissioner Ranft said dental access would be "transformed" within a year. It has been transformed: from
    difficult to impossible. My daughter is nine and has never seen an NHS dentist.
Mayor Kessler closed two museums and called it a "cultural reset". The city's children lost their free
    school trips and the mayor gained a line in a speech. Not a fair trade.
Let me get this straight. The harbour levy went up 60%, the pontoons are still broken, and the harbour
    authority awarded itself a new office. Who exactly is the harbour being run for?
Councillor Brennan told the meeting the new ferry timetable was "agreed with the community". I was at that
    meeting. It was not agreed. It was announced, and people who objected were told the decision was final.
""")

CRITICISM_HELDOUT_CLOSERS = items("""
Shame on all involved.
Someone should be answering for this in public.
I'll be at the next board meeting, and I won't be alone.
Put that on the front page.
Please, somebody, start listening.
Mark my words: this will cost more to fix than it saved.
""")


# ----------------------------------------------------------------------------------------------------------
# Family "news_violence" (non-toxic): civil discussion of violent or criminal news vocabulary: quotes of the
# article's strong words, court cases, war reporting, police shootings, terrorism trials.
# ----------------------------------------------------------------------------------------------------------

VIOLENCE_TERMS_TRAIN = items("""
criminal aggression
kidnapping
act of terrorism
war crimes
armed robbery
manslaughter
attempted murder
hostage-taking
ethnic cleansing
arson attack
knife crime
gang violence
assassination attempt
carjacking
invasion
massacre
""")

VIOLENCE_TERM_TAKES_TRAIN = items("""
The article calls it "{term}". Is that the court's finding or the prosecution's wording? It matters.
Whether this was {term} is for the court to decide, not the headline writer.
Putting "{term}" in quotation marks makes it look like the paper doubts it. Does it?
The word "{term}" appears six times in this piece; the victims' names appear once.
I'd like to know how many {term} cases actually reach trial in this county each year.
"{term}" is the phrase the prosecution used in court, so the paper is right to use it too.
There's a real legal difference between {term} and what the defence describes, and the article should spell
    it out.
The government's statement describes it as "{term}", and I think readers deserve to know who is using that
    word.
As a retired magistrate I'd gently point out that "{term}" has a precise meaning in law.
Using the label "{term}" before anyone has been charged seems premature to me.
I read the whole judgment and the judge chose the word "{term}" very carefully.
The minister called it "{term}" on the radio this morning, the opposition called it something else entirely.
Twenty years ago this would have been reported as {term}; today the paper uses softer language. Why the
    change?
Calling it "{term}" is accurate, and the article is right not to soften it.
""")

VIOLENCE_FOLLOWUPS_TRAIN = items("""
The victims' families deserve precision, not adjectives.
Good reporting overall, but the language matters.
My thoughts are with everyone affected.
I hope the trial is reported as carefully as this article is.
Could the paper link to the original documents?
It's a horrible case, and I'm glad it's being covered properly.
Words like that shape how juries and readers think.
I'd welcome a follow-up once the verdict is in.
Thank you to the reporter for sitting through all of it.
Hard to read, but important.
The detail in the second half is what makes this worth reading.
Accuracy here is a kindness to the families.
I'll be watching how other outlets word it.
Glad the paper didn't print the suspect's social media posts.
""")

VIOLENCE_CASES_TRAIN = items("""
The court heard that the victim was attacked on the towpath shortly after midnight.
Police say the man was shot by officers after a forty-minute standoff.
The jury was told the hostages were held for nine hours before the siege ended.
According to the article, the bombing killed fourteen people at the market.
The inquest found the prisoner died after being restrained by three officers.
The trial of the two men accused of the kidnapping begins next week.
The report says the drone strike hit a wedding party, not a convoy.
Prosecutors say the fire at the warehouse was started deliberately.
The defendant admitted manslaughter but denied murder.
Eleven people were killed when the gunman opened fire in the shopping centre.
The officer has been charged with assault occasioning actual bodily harm.
The attack on the synagogue was treated as terrorism from the start, the article says.
""")

VIOLENCE_REFLECTIONS_TRAIN = items("""
I hope the sentence reflects the seriousness of the crime, and that the family gets some peace.
The independent review needs to look at why the warnings were missed.
Restraint deaths in custody should always go to a public inquest, and I'm glad this one did.
Trials like this should be televised so the public can see justice being done.
We should be asking why the mental health team had discharged him a week earlier.
The police watchdog needs the power to compel officers to give evidence.
It's important the article gives the context without sensationalising it.
I'd like the paper to report the outcome just as prominently as the arrest.
Whatever the verdict, the community will need support for a long time.
Anyone with information should contact the police, as the article says.
The funding cuts to victim support services make cases like this even harder for families.
This is exactly why the justice system needs properly funded legal aid.
""")

VIOLENCE_FULL_TRAIN = items("""
The headline says "criminal aggression" in quotes, which makes it sound like the paper is sceptical of the
    prosecutor. Is it? If so, say why. If not, drop the quotation marks.
My grandfather fought in the war and never spoke about what he saw, except once, about a village that had
    been massacred. Reading this article about war crimes trials eighty years later, I think he would have
    wanted them to go ahead, however long it takes.
The kidnapping trial has been covered sensitively, and I appreciate that the paper hasn't printed the
    child's name. Other outlets were far less careful.
A police officer shot a 19-year-old in our town and the force's first statement was wrong on three points.
    The inquest is the only reason we know that. Inquests matter.
Terrorism laws were sold to us as being for bombers. The article shows they are now used against people who
    photograph power stations. That deserves a proper debate.
I worked as a nurse in A&E for twelve years and knife wounds became a weekly thing. The article's figures on
    knife crime are, if anything, an underestimate, because not every stabbing is reported.
The defence barrister argued it was manslaughter, not murder, because there was no intent to kill. The jury
    disagreed. Hard case for everyone involved, and the reporting was fair to both sides.
The invasion is now in its third year and the article uses the word "conflict" throughout. I think
    "invasion" is the accurate word, and I'd like the paper's style guide to say so.
Interesting that the article describes the attack on the mosque as "an incident" and the attack on the shop
    as "terrorism". Both were terrorism. Consistency, please.
The arson attack on the refugee hostel was caught on camera, the article says, and nobody has been charged
    after eight months. What is the hold-up?
Assassination attempts used to be something we read about in other countries. The article is right to treat
    the attack on the councillor as a warning about the whole political climate.
Can we stop using "gang violence" as a catch-all? Half the cases in this article involve boys who weren't in
    any gang, just unlucky enough to live on the wrong street.
The judge said the hostage-taking was "planned with chilling care". Nine years feels short for nine hours of
    terror, but I'm not the one who has to weigh all the evidence.
The article about the carjacking says the victim was "lucky". She was dragged fifty yards along the road.
    She survived, which is different from being lucky.
I've read the UN report on the ethnic cleansing in full. The article summarises it fairly, but I'd encourage
    anyone who disagrees to read the witness statements before commenting.
The phrase "police shooting" in the headline hides who did what. "Police shot a man" is clearer and more
    honest.
My son was the victim of an armed robbery at the petrol station where he worked nights. The article's point
    about lone working is exactly right, and the company has still not changed its policy.
Genuinely curious: what is the legal difference between kidnapping and false imprisonment? The article uses
    both.
The court case over the bombing has taken seven years. Justice delayed like this is hard on the survivors.
It's right that the newspaper reports the details of the attack, but the photograph of the scene was
    unnecessary.
I served two tours as an army medic. When the article describes the airstrike on the clinic as "an incident
    under investigation", it leaves out that the clinic's coordinates had been shared with both sides a week
    earlier. That is exactly the kind of detail that decides whether something is a war crime. I'm not
    saying the paper should reach a verdict, but readers need the facts that a court will look at, not only
    the statements of the people who will be in the dock.
As a former crown prosecutor, a few notes on the kidnapping case. First, the charge of kidnapping does not
    require the victim to be moved far; a few metres can be enough. Second, "false imprisonment" is a
    separate offence and the jury may convict on one and not the other. Third, sentencing guidelines treat
    the planning involved as an aggravating factor. The article gets all of this broadly right, which is
    rarer than it should be.
The inquest into the police shooting on Carver Street finished last week, and the coverage here has been the
    most careful I've read. The jury found that the officer honestly believed his life was in danger, but
    also that the control room failed to pass on information that the man was unarmed. Both things can be
    true. The family's statement, quoted in full, deserves to be read by everyone who commented on the first
    story.
The phrase "criminal aggression" in the minister's statement is doing a lot of political work. In
    international law the crime of aggression has a specific definition, agreed in 2010, and it applies to
    leaders, not soldiers. I'd love the paper to run a short explainer, because half the comments here seem
    to think it means any act of violence at all.
My grandmother lived through the bombing of our city in 1941, and she kept a diary. When I read the article
    about the anniversary I went back to it: she wrote about the sirens, the queue for bread the next
    morning and the neighbour who was killed. What strikes me is how ordinary it all sounds, and how little
    it differs from what families describe in the war zones in today's news.
""")

VIOLENCE_TERMS_HELDOUT = items("""
abduction
extrajudicial killing
mass shooting
siege
shelling
torture
sniper fire
homicide
piracy
firebombing
""")

VIOLENCE_HELDOUT_SHAPES = items("""
Serious question for the desk: who decided "{term}" was the right word for the headline?
I notice the story switches between "{term}" and "incident" halfway down. Which is it?
Historians will probably call this {term}, whatever the communiqué says today.
The family's lawyer describes it as {term}, and the article should make clear that's their description.
Good that the piece explains what {term} means in international law; most coverage doesn't bother.
In my years as a court reporter I learned to be careful with a word like "{term}" until the verdict.
Readers might not know that {term} carries a mandatory minimum sentence here. Worth a line in the article.
The agency's figures on {term} only go back to 2015, so the "record high" claim needs a caveat.
The opposition spokesman said "{term}" twice in one sentence. I'd rather hear what he would do about it.
Worth remembering that {term} charges are often reduced before trial, as the last paragraph notes.
""")

VIOLENCE_HELDOUT_TAILS = items("""
Otherwise a careful piece.
None of this makes it less awful for the people involved.
I'll follow the case with interest.
Precision protects everyone, including the accused.
Condolences to the families.
Awful to read.
The paper should keep following this.
Language like this deserves care.
""")

VIOLENCE_FULL_HELDOUT = items("""
The coroner ruled it an unlawful killing, and the article waits until paragraph eleven to say so. That
    should have been the first line.
My uncle was a hostage on the hijacked plane in the 1980s. He always said the reporting made it sound more
    dramatic and less frightening than it was. This piece gets that balance right.
The shelling of the grain terminal will push up bread prices far from the front line. Good to see the
    business pages connecting it to what we pay at the till.
The mass shooting at the festival has been covered for a week and I still don't know how the gunman got the
    rifle. That is the question the follow-up should answer.
The abduction case is heartbreaking, and I hope the appeal for witnesses works. Please share the article.
The article says the prisoners alleged torture and the ministry "strongly denied" it. Has any independent
    body been allowed in? That's the detail readers need.
Historians now describe the famine as deliberate. This piece still calls it a "tragedy", as if it just
    happened. Language like that lets the people responsible off the hook.
""")


# ----------------------------------------------------------------------------------------------------------
# Family "negated_insult" (non-toxic): insult words under negation, in meta-discussion, or reported as someone
# else's words. The same insult words appear, used AT people, in "insult_*" below (contrast pairs).
# ----------------------------------------------------------------------------------------------------------

# (with article, plural); the bare word is the last word of the first form.
INSULT_NOUNS_TRAIN = (
    ("an idiot", "idiots"),
    ("a moron", "morons"),
    ("a fool", "fools"),
    ("a clown", "clowns"),
    ("a halfwit", "halfwits"),
    ("an imbecile", "imbeciles"),
    ("a loser", "losers"),
)
INSULT_ADJECTIVES_TRAIN = items("""
stupid
dumb
clueless
pathetic
ignorant
brain-dead
""")
NEGATION_WHO_TRAIN = items("""
voters
renters
pensioners
the protesters
young people
commuters
people who disagree with you
the nurses on strike
parents at the school gate
the people in this thread
""")
NEGATION_WORRIES_TRAIN = items("""
the cost of the bypass
another rent rise
whether the hospital will close
the water quality at the beach
how the council spends our money
where the new school places will come from
energy bills this winter
""")
NEGATION_POINTS_TRAIN = items("""
the figures in the article don't support the headline.
the council should publish the full costings.
people have genuine reasons to be worried about this.
we'll get further by arguing about the evidence.
the plan needs a lot more work before it goes to a vote.
both sides have made fair points in this thread.
the minister's numbers simply don't add up.
we all want the same thing, which is a service that works.
the people affected should have been asked first.
it's possible to disagree strongly and still be decent about it.
""")
NEGATION_SHAPES_TRAIN = items("""
I wouldn't call anyone here {n}, but I do think {point}
Calling {who} {adj} never won an election. {Point}
Nobody is {n} for worrying about {worry}.
It isn't {adj} to ask questions about {worry}.
Can we stop calling each other {np}? {Point}
Being wrong about {thing} doesn't make someone {n}.
Let's not pretend the people who supported {thing} are {np}. {Point}
Name-calling like "{np}" is why I stopped reading the comments here for a year. {Point}
He's no {bare}; he knows exactly what he's doing with {thing}, and that's the problem.
None of the people I met at the meeting about {thing} were {np}. They were worried and well informed.
I've been called {n} in these comments for supporting {thing}, and it didn't change anyone's mind.
There's nothing {adj} about wanting {thing} explained properly.
You don't have to think the mayor is {n} to disagree with her about {thing}.
I'm not saying the board are {np}. I'm saying they ignored the evidence on {thing}.
The headline calls {thing} "{adj}". The article itself is far more measured, and so should we be.
Disagreeing with you about {thing} doesn't make me {n}, and it doesn't make you one either.
Please don't call {who} {np}; {point}
Whoever called {who} "{np}" in the thread above should maybe read the article again. {Point}
It's easy to call people {np} online. It's harder to explain why {thing} is failing, which is what the
    article does.
My late father taught me that calling someone {n} ends the conversation. So, on {thing}: {point}
The minister called critics of {thing} "{np}" on live radio. That was a mistake and she should apologise.
Nobody voting either way on {thing} is {n}. {Point}
""")

NEGATION_FULL_TRAIN = items("""
I wouldn't call anyone here an idiot, but I do wish people would read past the headline before commenting.
Calling voters stupid never won an election, and it won't win this one either.
Nobody is a fool for asking where the money went. That is literally what the public accounts committee is
    for.
The word "moron" has appeared nine times in this thread so far. Can we try arguing about the bypass instead?
I've disagreed with Councillor Pettifer for years, but he's not a clown. He's a careful politician who made
    a bad call on this one.
Let's not call the teachers who voted to strike "lazy". They have been asking for the same things since
    2015.
My son was called stupid by a teacher once and it stayed with him for years. Words like that matter, online
    too.
I'm not calling anybody dumb for wanting cheaper energy. I just don't think a new gas field delivers it.
It's not pathetic to cry at a council meeting when your child's school is closing. I was there; it was
    moving.
Nobody on this thread is an imbecile. We just have different experiences of the same hospital.
The article quotes a resident calling the planners "clueless". I think that's unfair to the planning
    officers, who recommended refusal and were overruled by councillors.
"Only an idiot would buy a house here now," my neighbour said when the flood map came out. I bought one
    anyway, and I'm not an idiot; I just couldn't afford anywhere else.
Is it really necessary to call people losers for using food banks? Most of them are in work.
I don't think it's ignorant to worry about immigration numbers, and I don't think it's racist to point out
    that the care system would collapse without immigrant workers. Both things can be true.
""")

INSULT_NOUNS_HELDOUT = (
    ("a dimwit", "dimwits"),
    ("a buffoon", "buffoons"),
    ("a simpleton", "simpletons"),
    ("a nitwit", "nitwits"),
    ("a dunce", "dunces"),
    ("a numpty", "numpties"),
)
INSULT_ADJECTIVES_HELDOUT = items("""
thick
gormless
idiotic
moronic
""")
NEGATION_WHO_HELDOUT = items("""
the lifeguards
the islanders
the fishermen
the postal workers
the volunteers who ran the count
the dentists
""")
NEGATION_THINGS_HELDOUT = items("""
the ferry contract
the quota deal
the museum charges
the gambling rules
""")
NEGATION_SHAPES_HELDOUT = items("""
Far from being {np}, {who} have been right about {thing} for a decade.
Whoever said {who} were {np} clearly hasn't watched them work.
I'd hardly describe {who} as {np}; they warned everyone about {thing}.
Labelling {who} "{np}" in a headline is unfair, and the paper should know better.
None of {who} I spoke to struck me as {np}. They're exhausted, that's all.
Nobody here deserves to be called {n} for having a different view on {thing}.
To the commenter above: questioning {thing} doesn't make you {n}, and I'm sorry someone suggested it.
It would be {adj} to blame {who} for decisions about {thing} that were made in a boardroom.
When the minister called his critics {np} over {thing}, he lost the argument.
Is it {adj} to want {thing} explained in plain English? I don't think so.
""")
NEGATION_FULL_HELDOUT = items("""
The islanders are not simpletons for wanting a ferry that sails on time. They are paying customers.
I've never met a dunce on a fishing boat. You don't survive forty years at sea by being one.
People keep calling the arts council "thick" in these comments. I think they are under-funded and under
    pressure, which is a different thing and a more useful argument.
Being a buffoon on television is apparently a career now, but the minister is no buffoon, and that's what
    makes his dental plan so disappointing.
""")


# ----------------------------------------------------------------------------------------------------------
# Family "name_substring" (non-toxic): ordinary comments about people and places whose names contain a swear
# substring. Texts that mention Fugging's former name get profanity = None (see README).
# ----------------------------------------------------------------------------------------------------------

NAME_MENTIONS_TRAIN = items("""
I grew up in Scunthorpe and the steelworks paid for my whole street.
Scunthorpe United's new stadium plan looks sensible to me, as long as the club stays in the town.
The bus from Scunthorpe to Hull takes longer now than it did in the eighties.
The steel job cuts in Scunthorpe deserved front-page coverage, not a paragraph on page nine.
Penistone market on a Thursday is still one of the best in the county.
The Penistone line needs more than two trains an hour if it's going to be a real commuter route.
My sister teaches in Penistone and says the new school building is finally watertight.
The flood defences in Cockermouth have held up well since the 2009 disaster, which is a credit to the
    engineers.
Wordsworth House in Cockermouth is worth a visit if you're in Cumbria this summer.
Cockermouth's high street has more independent shops than most towns twice its size.
Middlesex had a decent season in the county championship, considering the injuries.
I studied at Middlesex University and the nursing course there is excellent.
Essex County Council has actually handled the school transport contract quite well.
Essex Police have published their stop-and-search data, which other forces should copy.
Half the commuters on my train into London are from Essex, and all of us are fed up with the fares.
Clitheroe Castle museum has a great local history exhibition on at the moment.
The bypass around Clitheroe would save twenty minutes on the run to Skipton.
My grandparents retired to Clitheroe and loved the Ribble Valley walks.
Twatt in Orkney has a population of a few dozen and still has better broadband than my street in the city.
We cycled through Twatt on Orkney last summer and the views over the loch were stunning.
The village of Twatt in Shetland made the news again for its road sign, poor thing.
Fugging in Austria is a tiny place, and the article about overtourism there was fascinating.
Shitterton in Dorset ended up bolting its sign to a block of stone so tourists would stop taking it.
Dick Cheney was vice president when the Iraq war began, and the article glosses over his role.
I read Dick Cheney's memoir and found it more candid than I expected.
Dick Cheney's energy task force met in secret, which is worth remembering in this debate.
Dick Van Dyke's accent in Mary Poppins is still the funniest thing about that film.
Dick Van Dyke dancing at ninety-eight is the most cheerful thing I've seen this year.
Anthony Weiner's campaign for mayor collapsed in 2013, and the article's comparison is a fair one.
The Anthony Weiner documentary is a remarkable look at how campaigns really work.
Matt Hancock's evidence to the Covid inquiry contradicted what other ministers said.
Matt Hancock was health secretary when the care home discharges happened, and the inquiry has been clear
    about that.
Dominic Cummings' trip to Barnard Castle did real damage to trust in the lockdown rules.
Dominic Cummings ran the Vote Leave campaign, so his view of the referendum is hardly neutral.
Gerald Butts was Justin Trudeau's principal secretary, and his testimony to the committee is worth reading.
The Butts family have farmed that land for four generations and the article should have said so.
Bruce Cockburn's songs about land mines are as relevant now as when he wrote them.
Cockburn Street in Edinburgh is lovely, but the rents there have gone through the roof.
The Cockburn Sound desalination plant in Western Australia is a good example for our water debate.
Dick Francis wrote his thrillers about horse racing, and the article's racing corruption story could be one
    of his plots.
Charles Dickens wrote about debtors' prisons, and the payday loan story shows we haven't come as far as we
    think.
Alfred Hitchcock's birthplace in Leytonstone finally has a proper plaque.
Arsenal's new stadium deal with the council looks fair to me.
The cocktail bar on Market Street got its licence renewed, and good for them.
The assessment by the Bank of England is more cautious than the headline suggests.
Scrabble club at the Penistone library is on Tuesdays if anyone's interested.
""")

PLACE_NAMES_TRAIN = items("""
Scunthorpe
Penistone
Cockermouth
Clitheroe
Essex
Middlesex
""")
PLACE_SHAPES_TRAIN = items("""
I grew up near {place}, and the bus cuts there have been just as bad.
Anyone else from {place} reading this? Our high street has exactly the same problem.
We moved to {place} last year and the council there answers emails within a day, for what it's worth.
My mum still lives in {place} and she can't get a GP appointment either.
They tried the same parking scheme in {place} and scrapped it after six months.
The hospital trust covering {place} publishes its waiting times monthly; ours should too.
The floods in {place} were worse than the article suggests.
Rents in {place} have risen faster than anywhere else in the region.
""")

NAME_FOLLOWUPS_TRAIN = items("""
Just adding some context.
Good article otherwise.
Worth a look if you haven't seen it.
Might be worth a follow-up piece.
Funny how history repeats itself.
Thanks for covering it.
Happy to be corrected on the details.
""")

NAME_FULL_TRAIN = items("""
The Scunthorpe problem is real: my old email filter blocked every message from my cousin because of the
    town's name. Let's hope the council's new website filter is smarter.
Fugging in Austria changed its name in 2021 after years of tourists stealing the sign. Before that it was
    spelled Fucking, which was an old family name, nothing more.
The residents of Fucking, now Fugging, voted to change the name, and honestly I can't blame them.
My aunt lives in Penistone and she's been campaigning for a zebra crossing outside the school for nine
    years.
As someone from Cockermouth, thank you for remembering the 2009 floods. People forget how close the town
    came to being wiped out.
Dick Cheney and Donald Rumsfeld both appear in the declassified memos the article quotes. The full set is
    worth reading.
I met Dick Van Dyke at a charity event in the nineties and he was kindness itself to every single fan.
Say what you like about Matt Hancock, his WhatsApp messages told us more about how government worked during
    the pandemic than any official report.
Dominic Cummings told the committee that the system was not fit for purpose. On that, at least, he and the
    health unions agree.
Anthony Weiner's career is a reminder that scandals tend to find politicians eventually, regardless of
    party.
We holidayed near Twatt on Orkney and the locals had a great sense of humour about the sign.
Gerald Butts used to say that policy is the art of the possible. The council could do with learning that.
""")

PLACE_NAMES_HELDOUT = items("""
Sussex
Wetwang
Cockfosters
Cumnock
Effingham
""")
NAME_MENTIONS_HELDOUT = items("""
Bitchfield in Lincolnshire is smaller than my office, but the parish newsletter is better written than most
    papers.
The Bell End road in Worcestershire got a new sign and the residents threw a little party.
Middelfart in Denmark hosted the conference on coastal erosion, and their sea wall design is worth copying.
Dildo in Newfoundland has a lovely harbour and a whale-watching boat that sells out every summer.
Dick Durbin has been in the Senate since 1997, which is longer than some of my colleagues have been alive.
Sheila Dikshit was chief minister of Delhi for fifteen years, and the metro expansion happened on her watch.
Alan Cumming's performance in Cabaret is still the one I measure every revival against.
Ron Sexsmith played the folk festival on Saturday and it was the highlight of the weekend.
Dick Advocaat managed four different national teams, which tells you something about job security in
    football.
""")
PLACE_SHAPES_HELDOUT = items("""
For comparison, {place} introduced the same scheme two years ago and bus use went up by a third.
Born and raised in {place}; the coastal erosion there is just as serious.
The road through {place} has been closed for repairs since Easter, so I sympathise.
If {place} can keep its post office open, I don't see why we can't.
My brother runs a farm outside {place} and he'd agree with every word of this.
""")


# ----------------------------------------------------------------------------------------------------------
# Family "identity_mention" (non-toxic): identity self-descriptions and neutral identity mentions in comments
# about civic topics. Templates and topics differ from models/fairness/identities.jsonl (bakery, library,
# concert, bike lanes...) and models/train/identity_negatives.py (sport, gardening, cooking, bus driver...).
# ----------------------------------------------------------------------------------------------------------

IDENTITY_SELVES_TRAIN = items("""
gay Muslim woman
Black mother of three
Jewish pensioner
disabled wheelchair user
deaf parent
trans woman
lesbian nurse
Catholic dad of four
Hindu shop owner
Polish immigrant
Nigerian-born doctor
autistic adult
gay man in my sixties
Muslim taxi driver
Chinese British student
Mexican American veteran
Black business owner
Jewish student
Indigenous woman
second-generation Pakistani Brit
Christian youth worker
immigrant care worker
refugee who arrived in 2016
""")
IDENTITY_SHAPES_TRAIN = items("""
As {a_self}, I think {opinion}
Speaking as {a_self}: {Opinion}
{Opinion} I say that as {a_self} who has lived here most of my life.
I'm {a_self}, and {opinion}
As {a_self} who {experience}, I think {opinion}
I'm {a_self} who {experience}. {Opinion}
For what it's worth, I'm {a_self} and {opinion}
""")
IDENTITY_EXPERIENCES_TRAIN = items("""
grew up on the estate they want to demolish
takes this bus route every day
has rented in this city for twelve years
uses the station lift that is always broken
has waited two years for a hospital appointment
runs a small business on the high street
has volunteered at the food bank since it opened
pays for childcare on a nurse's salary
has voted in every local election since 1990
moved here for work twenty years ago
""")
IDENTITY_OPINIONS_TRAIN = items("""
the rent cap is long overdue.
the new bus timetable has made my commute a lot easier.
the council should publish the full accessibility audit.
the hospital merger will hit people without cars hardest.
the article is fair to both sides of the planning row.
the budget does far too little for carers.
the clean air zone has been good for the kids on our street.
this paper should do more reporting from the outer estates.
the school uniform grant should be doubled.
the new housing scheme is a step in the right direction.
the police should publish their complaints data.
the energy support scheme is too complicated to claim.
the high street needs cheaper parking, not more cafés.
the minister is right about apprenticeships but wrong about tuition fees.
the debate about the new mosque extension has mostly been respectful, and I'm glad.
the water company should be made to pay for the clean-up.
""")
IDENTITY_MENTIONS_TRAIN = items("""
My Jewish neighbour and I went to the planning meeting together, and we both spoke against the tower block.
The mosque on Elm Road has run a blood drive every Ramadan for ten years, and the article is right to
    mention it.
Immigrants make up about a third of the care workforce in this county, so any social care plan has to start
    there.
The Black Caribbean elders' group on our estate put together the best response to the consultation.
Most of the nurses on my dad's ward were from the Philippines and Kerala, and they were outstanding.
The gurdwara fed everyone stranded at the station during the snow, no questions asked.
Two of the candidates for mayor are gay, and it has barely come up, which I think is a good sign.
Deaf residents need captions on the council's videos; the new ones don't have any.
The Polish deli on Queen Street has been there since 2006 and is busier than ever.
The article should have quoted disabled residents, since they are the ones most affected by the bus changes.
The trans support group at the university asked for a meeting about the housing policy and got one, which is
    progress.
The synagogue and the church on Hill Street run the winter night shelter together.
Our street has families from Eritrea, Moldova, Pakistan and Yorkshire, and we all hate the potholes equally.
The Hindu temple's food hall is open to anyone after the festival, and the queues go round the block.
Autistic kids in this county wait over two years for an assessment, which the article rightly calls
    unacceptable.
The Chinese community association translated the flood warnings when the council didn't.
The Catholic primary and the community school are sharing a headteacher from September.
Muslim and Christian charities are running the warm spaces together this winter.
""")
IDENTITY_FULL_TRAIN = items("""
As a gay Muslim woman I think the article gets one thing wrong: most of us are not "torn" between our faith
    and our lives. We're just getting on with both, like everyone else.
I'm Black and I grew up on the Northfield estate. The regeneration plan in this article promises "mixed
    communities", but the last one replaced 400 council flats with 90. Residents want to stay, not be moved
    on.
My Jewish neighbour was the first person to bring round soup when I had my operation. The piece about
    loneliness in the suburbs reminded me how much those small things matter.
As a wheelchair user, I can tell you the new trams are a huge improvement. The ramps actually work. Credit
    to the transport authority on this one.
I'm a deaf teacher and I've been asking the council for BSL interpreters at public meetings for three years.
    The article is the first time anyone has taken the issue seriously.
I'm a trans woman and I rent in the city centre. The housing crisis affects me the same way it affects my
    colleagues: too much of my salary goes on rent.
Speaking as an immigrant who came here in 2003 and now runs two businesses, I think the visa rules in this
    article are too strict for small employers. We can't find staff.
I'm Catholic and pro-choice, and I know plenty of people like me. The article presents the debate as if
    there were only two camps.
My parents came from Pakistan in 1968 with one suitcase. I'm a GP now, and the surgery where I work would
    close without doctors trained overseas. I wish the debate in this article reflected that.
As a Chinese British student I found the piece on international fees interesting. Many of us pay full fees
    and work part-time in local shops. We are part of this town too.
I'm autistic and I work in IT. The "reasonable adjustments" in the article are cheap and they made my job
    possible. More employers should try them.
I'm Indigenous and my family has fished this coast for generations. The article on the marine park talks
    about "stakeholders"; we're not stakeholders, we're the people who live here.
My husband is a Nigerian-born surgeon and my son is a junior doctor. Both of them think the strike is
    justified. Both of them also worry about their patients. Those things go together.
""")

IDENTITY_HERITAGE_HELDOUT = items("""
Sikh
Arab
Somali
Korean
Romani
Ghanaian
Buddhist
""")
IDENTITY_PERSONAL_HELDOUT = items("""
bisexual
Latina
blind
atheist
non-binary
""")
IDENTITY_SHAPES_HELDOUT = items("""
Coming at this as {a_self} {role}, {opinion}
For context, I'm {self} and work as {a_role}. {Opinion}
We're {a_heritage} household, and {opinion}
{Opinion} (Writing as {a_self} {role}, in case it matters.)
Born here to {heritage} parents; {opinion}
""")
IDENTITY_ROLES_HELDOUT = items("""
dentist
ferry worker
museum guide
postwoman
fisherman
farmer
""")
IDENTITY_OPINIONS_HELDOUT = items("""
the ferry timetable has been handled badly by everyone involved.
the dental contract needs rewriting from scratch.
the museum charges will hurt the families who visit most.
the quota deal is a mixed bag, and the article explains it well.
second-class post is no longer fit for hospital letters.
the gambling advert rules should go further.
the farm payments scheme is a good idea delivered badly.
""")
IDENTITY_FULL_HELDOUT = items("""
I'm a blind commuter and the audio announcements on the new ferries are excellent. It's rare to praise a
    transport operator, so here it is.
As a Sikh farmer, I'd like to say the hedgerow scheme is fine in principle. The payments are the problem.
We're a Romani family who have traded at this market for three generations. The new pitch fees in the
    article will price out the small stalls first.
My Korean mother-in-law taught half the street to make kimchi, and she'd be first in line at the museum if
    the entry charge weren't so high.
""")


# ----------------------------------------------------------------------------------------------------------
# Family "emoji_civil" (non-toxic): civil comments with positive or neutral emoji.
# ----------------------------------------------------------------------------------------------------------

EMOJI_CIVIL_SENTENCES_TRAIN = items("""
Great reporting, thank you.
Finally some good news for the high street.
Can't believe the bus was on time for once.
Where is the money coming from?
Proud of our nurses.
Happy Independence Day to all our readers.
Well done to the volunteers who cleaned up the river.
Brilliant result for the school choir.
That photo of the harbour at sunrise is stunning.
Congratulations to the new mayor, I hope she does well.
Good to see the library hours extended.
This made my morning.
Thank you for covering the care home story so carefully.
My grandad would have loved this article.
Fingers crossed the new bridge opens on time.
Wishing the family of the firefighter all the best.
The council finally fixed the streetlights on our road.
Interesting piece, I learned a lot.
Hmm, I'm not sure the numbers add up, but I'd like to see the full report.
Fair point from the reader who wrote in about parking.
Our local team won the cup, what a season.
Thanks to the paramedics who looked after my dad last week.
That's the best news this town has had in years.
The farmers' protest was peaceful and well organised.
Whoever organised the street party deserves a medal.
Genuinely laughed at the headline.
Not sure how I feel about this one.
Lovely story about the couple married for seventy years.
Good luck to everyone sitting exams this week.
Can we have more stories like this, please?
So the council wants another consultation. Interesting.
The mural on the old bakery wall is fantastic.
What a turnout for the memorial service.
Really useful explainer on the tax changes.
I didn't know the pier was that old.
Thank you to the reporter for the follow-up.
Our daughter starts at that school in September.
Nice to see a positive story about young people for a change.
Can't wait for the summer festival.
The new park by the river is a real asset.
""")
EMOJI_FOLLOWUPS_TRAIN = items("""
More of this please.
Keep it up.
Hope it lasts.
Made my day.
Well deserved.
Let's see what happens next.
Respect to everyone involved.
Genuinely curious what others think.
Sharing this with my family.
Good to have some positive news.
""")
EMOJI_CIVIL_TRAIN = ("👍", "🙏", "❤️", "😂", "🤔", "👏", "🇺🇸", "🙂", "💪")
EMOJI_CIVIL_FULL_TRAIN = items("""
👏👏👏 to the lifeboat crew, they went out in a force nine for a stranger.
Four years of campaigning and the crossing is finally built 🙏 thank you to everyone who wrote letters.
🤔 If the budget is balanced, why are the libraries still closing? Genuine question.
Cracking photo of the fireworks ❤️ brought back memories of when I was a kid.
The bit about the mayor's cat attending the council meeting 😂😂 best thing I've read all week.
🇺🇸 Happy Fourth to all the readers over there from a regular reader in Leeds 👋
Voted this morning 👍 queue was ten minutes, staff were lovely.
Our street raised £3,400 for the hospice at the bake sale 💪❤️
""")

EMOJI_CIVIL_SENTENCES_HELDOUT = items("""
Sunday papers and a sea view, can't complain.
The postie who rescued the dog deserves an award.
Really glad the fishing co-op got its grant.
Just booked tickets for the lighthouse open day.
Thank you to the islanders who put up the stranded walkers.
That recipe in the food section was a hit at home.
A museum that's free on Sundays again, wonderful.
The gallery's new wing looks incredible in the photos.
Hats off to the farmers who cleared the lanes after the storm.
My nan is in the photo of the 1953 regatta.
Congratulations to the cricket club on the centenary.
Good explainer on how the quota system works.
The harbour festival was the best one yet.
Brilliant to see the island's school reopen.
Coffee in hand, reading the weekend edition.
The ferry crew were so kind to my mum.
Lovely piece on the lighthouse keepers.
Fingers crossed for the lifeboat appeal.
The new museum café is worth the trip alone.
Well done to the dentist who stayed open late for emergencies.
""")
EMOJI_FOLLOWUPS_HELDOUT = items("""
Thanks for sharing.
More like this.
Here's hoping.
""")
EMOJI_CIVIL_HELDOUT = ("😊", "🙌", "💯", "🌱", "🎉", "👀", "🇬🇧", "🇨🇦", "✅", "😅", "🤞", "☕")


# ----------------------------------------------------------------------------------------------------------
# Families "insult_plain", "insult_obfuscated", "insult_emoji" (toxic): insults aimed at the author, other
# commenters or politicians. toxicity 1, insult 1, profanity 1 iff a swear word is present (None for a bare
# 🖕), severe_toxicity None except the hand-picked vile ones (1).
# ----------------------------------------------------------------------------------------------------------

INSULT_NOUNS_EXTRA_TRAIN = (
    ("a muppet", "muppets"),
    ("a hack", "hacks"),
    ("a liar", "liars"),
    ("a parasite", "parasites"),
    ("a scumbag", "scumbags"),
)
INSULT_NOUNS_PROFANE_TRAIN = (
    ("a dickhead", "dickheads"),
    ("a prick", "pricks"),
    ("an arsehole", "arseholes"),
    ("an asshole", "assholes"),
    ("a twat", "twats"),
    ("a wanker", "wankers"),
    ("a jackass", "jackasses"),
    ("a shithead", "shitheads"),
    ("a bastard", "bastards"),
)
INSULT_ADJECTIVES_EXTRA_TRAIN = items("""
spineless
useless
deluded
gutless
""")
INSULT_ADJECTIVES_PROFANE_TRAIN = items("""
fucking useless
shit-thick
""")
INSULT_ATTRIBUTIVE_PROFANE_TRAIN = items("""
fucking
shit-for-brains
goddamn
""")
INSULT_TARGETS_TRAIN = items("""
the author
whoever wrote this
this columnist
the editor
Mayor Brookes
Councillor Pettifer
Margaret Holloway
Daniel Okafor
Senator Castellano
Chancellor Fairbrother
the reporter
Premier Tremblay
Governor Hadley
this so-called journalist
the guy in the top comment
Sandra Whitcombe
the police commissioner
""")
INSULT_GROUPS_TRAIN = items("""
you people
the commenters on this site
everyone who voted for this
the whole cabinet
the people defending this
the lot of you
the hacks at this paper
the councillors who signed this off
""")
INSULT_DOMAINS_TRAIN = items("""
city
railway
hospital
newspaper
school
""")
INSULT_THIRD_TRAIN = items("""
{T} is {n}.
{T} is {an_attr} {bare}.
Only {n} like {T} could come up with something this {adj}.
Did {T} even finish school? What {an_attr} {bare}.
Someone buy {T} a dictionary, the {attr} {bare}.
{T} should stick to colouring books, the {bare}.
{T} couldn't run a bath, never mind a {domain}. Total {bare}.
I've met smarter houseplants than {T}, the {attr} {bare}.
Typical {attr} rubbish from {n} like {T}.
Honestly, {T} is the biggest {bare} in public life.
{T} is {an_attr} {bare} and always has been.
Is {T} actually this {adj}, or just pretending?
{T}, you {attr} {bare}, read your own paper.
{T}? {N}. Next question.
What {an_attr} little {bare} {T} is.
Every time {T} speaks I'm reminded what {an_attr} {bare} looks like.
{T} is proof that any {bare} can get a job in this town.
Nobody with a brain would listen to {T}, the {attr} {bare}.
""")
INSULT_SECOND_TRAIN = items("""
You're {n}.
You absolute {bare}.
Go back to school, you {attr} {bare}.
Are you really this {adj}, or do you practise?
Nobody cares what you think, {bare}.
Read the article before commenting, you {bare}.
Wow, you really are {an_attr} {bare}.
Get a clue, {bare}.
Imagine being this {adj} in public.
Do you practise being {n}, or does it come naturally?
Typical {attr} comment from {n}.
Stop typing, {bare}. You're embarrassing yourself.
Grow a brain, you {attr} {bare}.
Every comment you post proves you're {n}.
""")
INSULT_GROUP_SHAPES_TRAIN = items("""
{G} are {np}.
{G} are {adj}.
Honestly, {G} are the most {adj} bunch of {np} I've ever seen.
{G}: a bunch of {attr} {np}.
Never seen so many {np} in one place as {G}.
""")
INSULT_TAILS_TRAIN = items("""
Pathetic.
Embarrassing.
Unreal.
Do us all a favour and log off.
Utterly clueless.
Get a grip.
""")
INSULT_FULL_TRAIN = items("""
Whoever wrote this is a moron. Rents have doubled and you're telling us the market is "finding its level"?
Daniel Okafor is a clueless idiot who has never taken a train he didn't have a chauffeur drive him to.
You people are morons. The article literally explains the figures in paragraph three and you're still
    arguing.
Mayor Brookes is a spineless coward who will say anything to anyone if it gets her a photo.
The reporter is clearly an idiot who can't read a budget. Go back to journalism school.
Margaret Holloway is a liar and a hypocrite, and everyone on this thread knows it.
Senator Castellano has the brains of a wet sponge and the morals of a fox in a henhouse.
To the halfwit who keeps posting about "free markets" under every article: the water company is a monopoly.
    Learn what words mean before you use them.
Chancellor Fairbrother is a smug, useless little man who has never had to worry about a bill in his life.
What a pathetic excuse for a journalist. You copied the council press release word for word.
You're a fucking idiot if you think the hospital merger is about "patient outcomes".
The editor of this rag is a spineless hack who wouldn't know a real story if it bit him.
Premier Tremblay is a dishonest, scheming snake and her ministers are clowns.
Councillor Pettifer is a useless waste of space. Thirty years in office and the only thing he's built is his
    pension.
Honestly the dumbest comment section on the internet. You lot deserve the council you elected.
Sandra Whitcombe is a heartless fool who has never worked a day on a ward.
Governor Hadley, you are a disgrace and a moron, and the voters will remember.
This columnist is an overpaid idiot who writes the same lazy piece every week.
Another brain-dead take from the resident clown of the opinion pages.
The guy in the top comment is a complete dickhead. Read a book, mate.
Okafor is a lying prick and the whole transport department is full of halfwits.
Anyone who believes this government's numbers is a gullible fool.
You absolute muppet, the article says the opposite of what you're claiming.
Go crawl back under your rock, you disgusting little maggot.
The police commissioner is a pompous idiot who hides behind press officers.
""")
INSULT_SEVERE_TRAIN = items("""
You worthless piece of shit, nobody would miss you if you vanished tomorrow.
The author is a vile, brainless cunt and should never be allowed near a keyboard again.
Fuck you and fuck everyone who thinks like you, you brain-dead sack of shit.
Councillor Pettifer is a disgusting pig of a man, a lying, thieving scumbag, and the whole town knows it.
You are the most repulsive, subhuman excuse for a person I've ever seen post here.
Senator Castellano is human garbage, a rotten parasite the world would be better off without.
Shut your filthy mouth, you pathetic worthless cunt.
Every single one of you defending this is a festering pile of human waste.
The editor is a spineless, dribbling shit-stain and his mother should be ashamed she raised him.
""")

OBFUSCATED_NOUNS_TRAIN = items("""
id10t
1diot
i.d.i.o.t
m0ron
mor0n
m-o-r-o-n
cl0wn
c l o w n
l0ser
f00l
h@lfwit
imbec1le
a$$hole
sh1thead
d1ckhead
w@nker
tw@t
""")
OBFUSCATED_ADJECTIVES_TRAIN = items("""
s t u p i d
stoopid
stup1d
$tupid
d u m b
dumm
br@in-dead
cluele$$
p@thetic
""")
OBFUSCATED_ATTRIBUTIVE_TRAIN = items("""
f*cking
f***ing
""")
OBFUSCATED_SHAPES_TRAIN = items("""
{T} is {an_n}.
{T} is {an_attr} {bare}.
You're {an_n}.
You absolute {bare}.
Go back to school, you {attr} {bare}.
Are you really this {adj}?
Only {an_n} like {T} could write this.
{G} are {adj}.
Typical {attr} post from {an_n}.
What {an_attr} {bare} {T} is.
{T} = {bare}. End of.
Read the article, {bare}.
""")

EMOJI_INSULT_TARGETS_TRAIN = items("""
the mayor
this columnist
whoever wrote this
Councillor Pettifer
Minister Holloway
you
this reporter
the editor
Senator Castellano
Okafor
Fairbrother
Premier Tremblay
Sandra Whitcombe
""")
EMOJI_INSULT_GROUPS_TRAIN = items("""
the whole cabinet
everyone cheering this
our so-called representatives
every journalist here
the people who run this paper
the commenters defending this
""")
EMOJI_INSULT_SET_TRAIN = ("🤡", "💩", "🤮", "🐍", "🐷", "🖕")
EMOJI_INSULT_SHAPES_TRAIN = items("""
{T} {e}{e}
{e}{e}{e} {T}
{T} = {e}
{T}? {e}{e}
{e} {T} {e}
{T} {e} {e} {e}
Imagine voting for {T} {e}{e}{e}
{T} 🐷🐷 snout in the trough again
{T} 🐍 can't trust a word
{T} makes me 🤮
Another column from {T} 💩💩
🖕 to {G}
🖕🖕 to {G}
{G} {e}{e}
{G} = {e}{e}{e}
{ctx} {T}? {e}{e}
{ctx} {T} {e}
{ctx} {ctx2} {T} {e}{e}{e}
""")
EMOJI_INSULT_FULL_TRAIN = items("""
the mayor 🤡🤡
🖕 to every journalist here
Councillor Pettifer 🐷🐷🐷 another pay rise for himself
The whole transport department 🤡🤡🤡 and Okafor is the ringmaster 🎪
Read the comments defending this 💩💩 all of you
Whoever wrote this 🤮🤮 just awful, you should be ashamed
Holloway 🐍🐍 says one thing at the hustings and the opposite in cabinet
Premier Tremblay 🤡 Chancellor Fairbrother 🤡 Mayor Brookes 🤡 the full circus
This reporter 💩 and the editor who let it run 💩
🖕🖕 to the councillors who voted this through
""")

# Held-out insults: other targets, words, templates, spellings and emoji shapes.
INSULT_TARGETS_HELDOUT = items("""
the sports editor
the guy who wrote this
Commissioner Ranft
Mayor Kessler
Imogen Threlfall
Councillor Brennan
Colm Tierney
""")
INSULT_GROUPS_HELDOUT = items("""
the moderators
the people upvoting this
the board at Harbourline
""")
INSULT_NOUNS_EXTRA_HELDOUT = (("a cretin", "cretins"),)
INSULT_NOUNS_PROFANE_HELDOUT = (("a dipshit", "dipshits"), ("a fuckwit", "fuckwits"))
INSULT_ADJECTIVES_EXTRA_HELDOUT = items("""
witless
feeble-minded
""")
INSULT_SHAPES_HELDOUT = items("""
Who let {T} near a keyboard? {N} of the highest order.
{T} proves you don't need a brain to get a job round here.
Reading {T} is like listening to {n} explain physics.
Nobody in the history of this paper has been as {adj} as {T}.
{T} ought to be embarrassed: {adj}, lazy and wrong.
Put {T} in charge of a ferry and it would sink at the pier, the {attr} {bare}.
You're {n} and everyone in this thread can see it.
Congratulations, {bare}, you've outdone yourself.
Absolute {bare}. Log off.
{G} are a bunch of {attr} {np}.
""")
OBFUSCATED_NOUNS_HELDOUT = items("""
idi0t
n1tw1t
d u n c e
cr3tin
id!ot
dimw1t
a-hole
sh!thead
b@stard
""")
OBFUSCATED_ADJECTIVES_HELDOUT = items("""
s.t.u.p.i.d
th1ck
m0ronic
""")
OBFUSCATED_ATTRIBUTIVE_HELDOUT = items("""
phuck1ng
""")
OBFUSCATED_SHAPES_HELDOUT = items("""
Who let {T} near a keyboard? Total {bare}.
You're {an_n} and everyone can see it.
{T}: {adj}, lazy and wrong.
Absolute {bare}. Log off.
{G} are a bunch of {attr} {bare}s.
""")
EMOJI_INSULT_SET_HELDOUT = ("🤡", "💩", "🖕", "🐀", "🥴", "🤥", "🐑", "🗑️")
EMOJI_INSULT_SHAPES_HELDOUT = items("""
{T} in a nutshell: {e}{e}
Rate {T}: 💩/10
{e}{e} {T} again
Still taking {T} seriously? {e}{e}{e}
{T} 🐀 always was
🗑️ {T} 🗑️
{G}: {e}{e}{e}
{T} 🖕
""")

# ----------------------------------------------------------------------------------------------------------
# Family "profanity_untargeted" (toxic): swearing in otherwise civil comments, aimed at nobody. profanity 1,
# toxicity 1, insult 0, severe_toxicity 0.
# ----------------------------------------------------------------------------------------------------------

PROFANE_OPENERS_TRAIN = items("""
Holy shit,
Fuck me,
Damn,
Shit,
Well, fuck.
Bloody hell and damn it all,
Christ, what a load of crap:
Oh for fuck's sake.
""")
PROFANE_TAILS_TRAIN = items("""
Fucking ridiculous.
Absolute bollocks.
What a load of crap.
Damn shame.
Pissed off doesn't even cover it.
Bullshit, frankly.
This is such a shitty situation for everyone.
Fuck this weather too, while I'm at it.
""")
PROFANE_STATEMENTS_TRAIN = items("""
This fucking weather has flooded the high street again; when will the drains get fixed?
The price of a pint in the town centre is taking the piss now.
The bus was forty minutes late again, what a load of crap.
Well, shit. There goes the pier. Sixty years of summers gone in one storm.
Damn, that photo of the fire at the old mill is hard to look at.
I've lived here fifty years and the roads have never been this shit.
Holy crap, £12 to park at the hospital for an hour?
Fuck me, I didn't realise the library was that old. Beautiful building.
The new roundabout is a fucking maze but the road crews did a great job on the surface.
Shit happens, but three burst water mains in a week on the same street is something else.
Our boiler packed in the day the cold snap started. Fucking typical.
Damn good article, thank you for the digging.
Sitting through that trial must have been a pain in the arse; fair play to the reporter.
Christ, this winter has been shit for anyone who depends on the trains. Stay warm, everyone.
Kids' football in the pouring rain, freezing my arse off, and I wouldn't miss it for the world.
Fucking finally, a pedestrian crossing outside the primary school.
That pothole on the A49 has eaten two of my tyres. Bloody thing is the size of a bath.
Bullshit parking charges at the station are going up again.
What the hell happened to the summer? It's July and I'm wearing a coat. Damn.
Well I'll be damned, the council actually answered my email.
The traffic on the ring road this morning was fucking horrendous.
Crap, I missed the deadline for the energy grant. Does anyone know if it reopens?
My fucking phone autocorrected "council" to "counsel" in my objection letter. Hope they still count it.
The new stadium looks fucking amazing, well done to everyone who fought for it.
Holy shit, that rescue on the cliffs was incredible. Brave people.
Damn, I'll miss that little cinema. Saw my first film there in 1979.
""")
PROFANE_FULL_TRAIN = items("""
I've been paying into this pension for thirty-eight years and now I've got to work another two. Fucking
    brilliant. I'll be writing to the pensions minister along with everyone else.
The flood last night wrecked our ground floor. Shit everywhere, literally, because the sewer backed up. The
    volunteers from the rugby club turned up at 7am with pumps. Proper community.
Holy shit, the price of a season ticket in the article is a misprint, surely? If not, I'm cycling.
This article about the bridge closure is spot on. The detour adds forty minutes each way and it's doing my
    bloody head in, but the engineers are right that it isn't safe.
""")

PROFANE_HELDOUT = items("""
What the actual fuck is going on with the ferries this month?
Three cancelled sailings in a row, ffs. The island feels further away every year.
The museum charges are a piss-poor idea and I hope the council rethinks.
The whole quota negotiation has been a clusterfuck from start to finish.
For fuck's sake, the post office has closed again.
The farm payments portal is arse-about-face: you have to submit the map before it lets you draw the map.
Jesus, the dentist waiting list is a total shitshow.
Bollocks to the new parking meters, I'm walking.
Why the fuck does a stamp cost this much now?
The betting shop count on our high street is fucking depressing.
Piss-poor timetable, lovely crew though.
Another wet bank holiday, ffs. Still, the lifeboat day raised a fortune.
Fuck's sake, the gallery café has stopped doing scones.
That storm took the harbour wall clean off. Shit.
""")
PROFANE_TAILS_HELDOUT = items("""
What a clusterfuck.
Piss-poor, the lot of it.
FFS.
Total shitshow.
Un-fucking-believable.
""")
PROFANE_HELDOUT_POINTS = items("""
Letters now take a week to travel twelve miles, what the fuck.
The harbour levy doubled and the pontoons are still shit.
The replacement ferry is six years late. Clusterfuck doesn't begin to describe it.
No dentist within forty miles is taking patients. What a fucking joke.
Five betting shops on one street, for fuck's sake.
""")


# ----------------------------------------------------------------------------------------------------------
# Composition.
# ----------------------------------------------------------------------------------------------------------

NounForms = tuple[tuple[str, str], ...]  # (with article, plural)
Providers = dict[str, Callable[[], str]]
_FIELD = re.compile(r"\{(\w+)\}")


def an(word: str) -> str:
    """The indefinite article for ``word`` ("an idiot", "a useless", "an 1diot")."""
    w = word.lower()
    vowel = w[:1] in set("aeiou1") and not w.startswith(("use", "uni", "eu", "one"))
    return "an" if vowel else "a"


def fill(template: str, providers: Providers) -> str:
    """Format ``template``, calling a provider once per field; "{Field}" capitalises provider "field"."""
    values: dict[str, str] = {}
    for name in _FIELD.findall(template):
        if name in values:
            continue
        if name in providers:
            values[name] = providers[name]()
        elif name[:1].isupper() and name.lower() in providers:
            text = providers[name.lower()]()
            values[name] = text[:1].upper() + text[1:]
        else:
            raise KeyError(f"no provider for {{{name}}} in {template!r}")
    return _FIELD.sub(lambda m: values[m.group(1)], template)


_PROPER_STARTS = ("Brightline", "Northgate", "Metro", "Harcourt", "Freshway", "Fairdeal", "SkyHub", "Orbit")


def lower_first(text: str) -> str:
    """Lower-case the first letter of a sentence that is being joined after a comma (not names, not "I")."""
    if text[1:2].islower() and not text.startswith(_PROPER_STARTS):
        return text[:1].lower() + text[1:]
    return text


def noun_providers(
    d: Draw, nouns: NounForms, adjectives: Sequence[str], attributive: Sequence[str]
) -> Providers:
    """{n} "an idiot", {N}, {bare} "idiot", {np} "idiots", {adj} (predicative), {attr}, {an_attr}."""
    pair: list[tuple[str, str]] = []

    def forms() -> tuple[str, str]:
        if not pair:
            pair.append(d(nouns))
        return pair[0]

    attr_pool = tuple(adjectives) + tuple(attributive)
    attr: list[str] = []

    def attr_one() -> str:
        if not attr:
            attr.append(d(attr_pool))
        return attr[0]

    return {
        "n": lambda: forms()[0],
        "an_n": lambda: forms()[0],
        "bare": lambda: forms()[0].split(" ", 1)[1],
        "np": lambda: forms()[1],
        "adj": lambda: d(adjectives),
        "attr": attr_one,
        "an_attr": lambda: f"{an(attr_one())} {attr_one()}",
    }


def joined(*parts: str) -> str:
    return " ".join(p for p in parts if p)


CLEAN = labels()


def _clean(_: str) -> Labels:
    return labels()


def _insult_labels(severe: frozenset[str]) -> Callable[[str], Labels]:
    def label(text: str) -> Labels:
        if has_swear(text):
            profanity: float | None = 1.0
        elif "🖕" in text:
            profanity = None  # an obscene gesture, not a word: no rule for it, so not supervised
        else:
            profanity = 0.0
        return labels(
            toxicity=1.0,
            insult=1.0,
            profanity=profanity,
            severe_toxicity=1.0 if text in severe else None,
        )

    return label


def _profanity_labels(_: str) -> Labels:
    return labels(toxicity=1.0, profanity=1.0)


def _name_labels(text: str) -> Labels:
    # Fugging's former name is a swear word used as a name: no agreed profanity label either way.
    return labels(profanity=None) if "Fucking" in text else labels()


@dataclass(frozen=True)
class FamilySpec:
    family: str
    n: int
    builders: tuple[Builder, ...]
    label_of: Callable[[str], Labels]
    fixed: tuple[str, ...] = ()


# Train sizes (non-toxic : toxic about 2 : 1, civil criticism the largest); held-out about 15 % of each.
SIZES: dict[str, tuple[int, int]] = {
    "civil_criticism": (1150, 170),
    "news_violence": (450, 66),
    "negated_insult": (320, 48),
    "name_substring": (280, 40),
    "identity_mention": (360, 54),
    "emoji_civil": (260, 38),
    "insult_plain": (560, 84),
    "insult_obfuscated": (180, 27),
    "insult_emoji": (280, 42),
    "profanity_untargeted": (360, 50),
}


def _criticism_train(d: Draw) -> tuple[Builder, ...]:
    topics = CRITICISM_TOPICS_TRAIN

    def parts() -> tuple[Topic, Providers]:
        topic = d(topics)
        actor = d(topic["actors"])
        return topic, {"a": lambda: actor, "noun": lambda: d(topic["noun"])}

    def critique(topic: Topic, p: Providers) -> str:
        return fill(d(topic["critiques"]), p)

    def tail() -> str:
        if d.chance(0.08):
            return d(CRITICISM_LINKS_TRAIN)
        return d(CRITICISM_CLOSERS_TRAIN) + (" " + d(("🤔", "👍", "🙄")) if d.chance(0.04) else "")

    def short(_: Draw) -> str:
        topic, p = parts()
        return joined(critique(topic, p), tail() if d.chance(0.5) else "")

    def medium(_: Draw) -> str:
        topic, p = parts()
        end = d(topic["questions"]) if d.chance(0.5) else tail()
        return joined(critique(topic, p), d(topic["reasons"]), end)

    def long(_: Draw) -> str:
        topic, p = parts()
        first = d(topic["reasons"])
        second = d(tuple(r for r in topic["reasons"] if r != first))
        opener = d(CRITICISM_OPENERS_TRAIN)
        return joined(opener, critique(topic, p), first, second, d(topic["questions"]), tail())

    def essay(_: Draw) -> str:
        topic, p = parts()
        reasons = list(topic["reasons"])
        d.rng.shuffle(reasons)
        first = critique(topic, p)
        second = d(tuple(c for c in topic["critiques"] if fill(c, p) != first))
        body = joined(first, reasons[0], reasons[1], fill(second, p), reasons[2])
        return joined(d(CRITICISM_OPENERS_TRAIN), body, fill(d(ARTICLE_CRITIQUES_TRAIN), p), tail())

    def reason_first(_: Draw) -> str:
        topic, p = parts()
        return joined(d(topic["reasons"]), critique(topic, p), tail() if d.chance(0.6) else "")

    def article(_: Draw) -> str:
        topic, p = parts()
        end = d(topic["questions"]) if d.chance(0.4) else ""
        return joined(fill(d(ARTICLE_CRITIQUES_TRAIN), p), d(topic["reasons"]), end)

    def sarcasm(_: Draw) -> str:
        topic, p = parts()
        return joined(fill(d(SARCASM_TRAIN), p), d(topic["reasons"]), tail() if d.chance(0.4) else "")

    return (short, medium, medium, long, long, essay, reason_first, article, sarcasm)


def _criticism_heldout(d: Draw) -> tuple[Builder, ...]:
    def shaped(_: Draw) -> str:
        topic = d(CRITICISM_TOPICS_HELDOUT)
        actor = d(topic["actors"])
        points = list(topic["points"])
        d.rng.shuffle(points)
        p: Providers = {
            "a": lambda: actor,
            "noun": lambda: d(topic["noun"]),
            "p1": lambda: points[0],
            "p2": lambda: points[1],
            "p3": lambda: points[2],
            "claim": lambda: fill(d(topic["claims"]), {"a": lambda: actor}),
        }
        closer = d(CRITICISM_HELDOUT_CLOSERS) if d.chance(0.35) else ""
        return joined(fill(d(CRITICISM_HELDOUT_SHAPES), p), closer)

    return (shaped,)


def _violence_train(d: Draw) -> tuple[Builder, ...]:
    def term(_: Draw) -> str:
        t = d(VIOLENCE_TERMS_TRAIN)
        take = fill(d(VIOLENCE_TERM_TAKES_TRAIN), {"term": lambda: t})
        return joined(take, d(VIOLENCE_FOLLOWUPS_TRAIN) if d.chance(0.7) else "")

    def case(_: Draw) -> str:
        return joined(d(VIOLENCE_CASES_TRAIN), d(VIOLENCE_REFLECTIONS_TRAIN))

    return (term, term, case)


def _violence_heldout(d: Draw) -> tuple[Builder, ...]:
    def term(_: Draw) -> str:
        t = d(VIOLENCE_TERMS_HELDOUT)
        take = fill(d(VIOLENCE_HELDOUT_SHAPES), {"term": lambda: t})
        return joined(take, d(VIOLENCE_HELDOUT_TAILS) if d.chance(0.6) else "")

    return (term,)


def _negation(
    d: Draw,
    shapes: Sequence[str],
    nouns: NounForms,
    adjectives: Sequence[str],
    extra: Providers,
    topics: Sequence[Topic] = (),
) -> tuple[Builder, ...]:
    """With ``topics``, {thing} is a topic's noun and some comments go on with that topic's reason and
    question (300+ characters); without, {thing} comes from ``extra``."""

    def one(_: Draw) -> str:
        p = noun_providers(d, nouns, adjectives, ())
        p.update(extra)
        if not topics:
            return fill(d(shapes), p)
        topic = d(topics)
        thing = d(topic["noun"])
        p["thing"] = lambda: thing
        text = fill(d(shapes), p)
        if d.chance(0.3):
            text = joined(text, d(topic["reasons"]), d(topic["questions"]) if d.chance(0.5) else "")
        return text

    return (one,)


def _names_train(d: Draw) -> tuple[Builder, ...]:
    reasons = tuple(r for topic in CRITICISM_TOPICS_TRAIN for r in topic["reasons"])

    def mention(_: Draw) -> str:
        more = d(reasons) if d.chance(0.5) else d(NAME_FOLLOWUPS_TRAIN) if d.chance(0.5) else ""
        return joined(d(NAME_MENTIONS_TRAIN), more)

    def place(_: Draw) -> str:
        where = d(PLACE_NAMES_TRAIN)
        more = d(reasons) if d.chance(0.5) else ""
        return joined(fill(d(PLACE_SHAPES_TRAIN), {"place": lambda: where}), more)

    return (mention, mention, place)


def _names_heldout(d: Draw) -> tuple[Builder, ...]:
    points = tuple(p for topic in CRITICISM_TOPICS_HELDOUT for p in topic["points"])

    def mention(_: Draw) -> str:
        return d(NAME_MENTIONS_HELDOUT)

    def place(_: Draw) -> str:
        where = d(PLACE_NAMES_HELDOUT)
        more = f"Meanwhile here, {d(points)}." if d.chance(0.5) else ""
        return joined(fill(d(PLACE_SHAPES_HELDOUT), {"place": lambda: where}), more)

    return (mention, place, place)


def _identity_train(d: Draw) -> tuple[Builder, ...]:
    def self_described(_: Draw) -> str:
        who = d(IDENTITY_SELVES_TRAIN)
        p: Providers = {
            "a_self": lambda: f"{an(who)} {who}",
            "opinion": lambda: d(IDENTITY_OPINIONS_TRAIN),
            "experience": lambda: d(IDENTITY_EXPERIENCES_TRAIN),
        }
        return fill(d(IDENTITY_SHAPES_TRAIN), p)

    def mention(_: Draw) -> str:
        more = "I also think " + d(IDENTITY_OPINIONS_TRAIN) if d.chance(0.5) else ""
        return joined(d(IDENTITY_MENTIONS_TRAIN), more)

    def long(_: Draw) -> str:
        who = d(IDENTITY_SELVES_TRAIN)
        topic = d(CRITICISM_TOPICS_TRAIN)
        actor = d(topic["actors"])
        intro = f"I'm {an(who)} {who} who {d(IDENTITY_EXPERIENCES_TRAIN)}, and I want to say this plainly."
        critique = fill(d(topic["critiques"]), {"a": lambda: actor, "noun": lambda: d(topic["noun"])})
        return joined(intro, critique, d(topic["reasons"]), d(topic["questions"]))

    return (self_described, self_described, self_described, mention, long)


def _identity_heldout(d: Draw) -> tuple[Builder, ...]:
    def one(_: Draw) -> str:
        heritage = d(IDENTITY_HERITAGE_HELDOUT)
        who = d(IDENTITY_HERITAGE_HELDOUT + IDENTITY_PERSONAL_HELDOUT)
        role = d(IDENTITY_ROLES_HELDOUT)
        p: Providers = {
            "self": lambda: who,
            "a_self": lambda: f"{an(who)} {who}",
            "heritage": lambda: heritage,
            "a_heritage": lambda: f"{an(heritage)} {heritage}",
            "role": lambda: role,
            "a_role": lambda: f"{an(role)} {role}",
            "opinion": lambda: d(IDENTITY_OPINIONS_HELDOUT),
        }
        return fill(d(IDENTITY_SHAPES_HELDOUT), p)

    return (one,)


def _emoji_civil(
    d: Draw, sentences: Sequence[str], followups: Sequence[str], emoji: Sequence[str]
) -> tuple[Builder, ...]:
    def cluster() -> str:
        e = d(emoji)
        if d.chance(0.4):
            return e * d.rng.randint(2, 3)
        return e + (d(emoji) if d.chance(0.3) else "")

    def end(_: Draw) -> str:
        return joined(d(sentences), d(followups) if d.chance(0.5) else "", cluster())

    def start(_: Draw) -> str:
        return joined(cluster(), d(sentences), d(followups) if d.chance(0.4) else "")

    def inline(_: Draw) -> str:
        return joined(d(sentences), cluster(), d(followups))

    return (end, end, start, inline)


def _insults(
    d: Draw,
    shapes: Sequence[str],
    nouns: NounForms,
    adjectives: Sequence[str],
    attributive: Sequence[str],
    targets: Sequence[str],
    groups: Sequence[str],
    context: Sequence[str],
    tails: Sequence[str],
    domains: Sequence[str] = ("city",),
) -> tuple[Builder, ...]:
    def one(_: Draw) -> str:
        p = noun_providers(d, nouns, adjectives, attributive)
        target = d(targets)
        p.update({"T": lambda: target, "G": lambda: d(groups), "domain": lambda: d(domains)})
        text = fill(d(shapes), p)
        if text.startswith(("you ", "the ", "whoever ", "this ", "everyone ", "our ", "every ")):
            text = text[:1].upper() + text[1:]
        lead = d(context) if context and d.chance(0.35) else ""
        end = d(tails) if tails and d.chance(0.2) else ""
        return joined(lead, text, end)

    return (one,)


def _rant_then_insult(
    d: Draw,
    shapes: Sequence[str],
    nouns: NounForms,
    adjectives: Sequence[str],
    attributive: Sequence[str],
    topics: Sequence[Topic],
) -> tuple[Builder, ...]:
    """A civil-sounding complaint (critique, reason, maybe a question) that ends by insulting the actor."""

    def one(_: Draw) -> str:
        topic = d(topics)
        actor = d(topic["actors"])
        p = noun_providers(d, nouns, adjectives, attributive)
        p.update({"T": lambda: actor, "G": lambda: "the people who signed this off"})
        p["domain"] = lambda: "city"
        critique = fill(d(topic["critiques"]), {"a": lambda: actor, "noun": lambda: d(topic["noun"])})
        question = d(topic["questions"]) if d.chance(0.4) else ""
        insult = fill(d(shapes), p)
        reasons = list(topic["reasons"])
        d.rng.shuffle(reasons)
        more = reasons[1:3] if d.chance(0.35) else []
        return joined(critique, reasons[0], *more, question, insult[:1].upper() + insult[1:])

    return (one,)


def _emoji_insults(
    d: Draw,
    shapes: Sequence[str],
    emoji: Sequence[str],
    targets: Sequence[str],
    groups: Sequence[str],
    context: Sequence[str],
) -> tuple[Builder, ...]:
    def one(_: Draw) -> str:
        e = d(emoji)
        p: Providers = {
            "e": lambda: e,
            "T": lambda: d(targets),
            "G": lambda: d(groups),
            "ctx": lambda: d(context),
            "ctx2": lambda: d(context),
        }
        return fill(d(shapes), p)

    return (one,)


def _profanity_train(d: Draw) -> tuple[Builder, ...]:
    reasons = tuple(r for topic in CRITICISM_TOPICS_TRAIN for r in topic["reasons"])

    def opener(_: Draw) -> str:
        first = d(PROFANE_OPENERS_TRAIN)
        reason = d(reasons)
        return joined(first, lower_first(reason) if first.endswith(",") else reason)

    def tail(_: Draw) -> str:
        return joined(d(reasons), d(PROFANE_TAILS_TRAIN))

    def statement(_: Draw) -> str:
        return joined(d(PROFANE_STATEMENTS_TRAIN), d(CRITICISM_CLOSERS_TRAIN) if d.chance(0.5) else "")

    def long(_: Draw) -> str:
        topic = d(CRITICISM_TOPICS_TRAIN)
        actor = d(topic["actors"])
        critique = fill(d(topic["critiques"]), {"a": lambda: actor, "noun": lambda: d(topic["noun"])})
        first = d(PROFANE_OPENERS_TRAIN)
        reason = d(topic["reasons"])
        lead = joined(first, lower_first(reason) if first.endswith(",") else reason)
        return joined(lead, critique, d(topic["questions"]), d(PROFANE_TAILS_TRAIN) if d.chance(0.3) else "")

    return (opener, tail, statement, long)


def _profanity_heldout(d: Draw) -> tuple[Builder, ...]:
    def line(_: Draw) -> str:
        return joined(d(PROFANE_HELDOUT), d(CRITICISM_HELDOUT_CLOSERS) if d.chance(0.5) else "")

    def point(_: Draw) -> str:
        return joined(d(PROFANE_HELDOUT_POINTS), d(CRITICISM_HELDOUT_CLOSERS) if d.chance(0.6) else "")

    def long(_: Draw) -> str:
        topic = d(CRITICISM_TOPICS_HELDOUT)
        actor = topic["actors"][0]
        claim = fill(d(topic["claims"]), {"a": lambda: actor})
        return joined(claim, f"Meanwhile {d(topic['points'])}.", d(PROFANE_TAILS_HELDOUT))

    return (line, point, long)


# Held-out topics reshaped for _rant_then_insult: their claims act as critiques, their points as reasons.
_HELDOUT_RANT_TOPICS: tuple[Topic, ...] = tuple(
    {
        "noun": t["noun"],
        "actors": t["actors"],
        "critiques": t["claims"],
        "reasons": tuple(f"Meanwhile {p}." for p in t["points"]),
        "questions": ("Who signed this off?", "How is this acceptable?"),
    }
    for t in CRITICISM_TOPICS_HELDOUT
)


def _specs(split: str, d: Draw) -> list[FamilySpec]:
    col = SPLITS.index(split)
    size = {family: sizes[col] for family, sizes in SIZES.items()}
    severe = frozenset(INSULT_SEVERE_TRAIN)
    insult = _insult_labels(severe)
    if split == "train":
        reasons = tuple(r for topic in CRITICISM_TOPICS_TRAIN for r in topic["reasons"])
        nouns = INSULT_NOUNS_TRAIN + INSULT_NOUNS_EXTRA_TRAIN
        adjectives = INSULT_ADJECTIVES_TRAIN + INSULT_ADJECTIVES_EXTRA_TRAIN
        plain_third = _insults(
            d,
            INSULT_THIRD_TRAIN,
            nouns,
            adjectives,
            (),
            INSULT_TARGETS_TRAIN,
            INSULT_GROUPS_TRAIN,
            reasons,
            INSULT_TAILS_TRAIN,
            INSULT_DOMAINS_TRAIN,
        )
        plain_second = _insults(
            d,
            INSULT_SECOND_TRAIN,
            nouns,
            adjectives,
            (),
            INSULT_TARGETS_TRAIN,
            INSULT_GROUPS_TRAIN,
            reasons,
            INSULT_TAILS_TRAIN,
        )
        plain_group = _insults(
            d,
            INSULT_GROUP_SHAPES_TRAIN,
            nouns,
            adjectives,
            (),
            INSULT_TARGETS_TRAIN,
            INSULT_GROUPS_TRAIN,
            reasons,
            INSULT_TAILS_TRAIN,
        )
        profane = _insults(
            d,
            INSULT_THIRD_TRAIN + INSULT_SECOND_TRAIN,
            INSULT_NOUNS_PROFANE_TRAIN,
            adjectives + INSULT_ADJECTIVES_PROFANE_TRAIN,
            INSULT_ATTRIBUTIVE_PROFANE_TRAIN,
            INSULT_TARGETS_TRAIN,
            INSULT_GROUPS_TRAIN,
            reasons,
            INSULT_TAILS_TRAIN,
            INSULT_DOMAINS_TRAIN,
        )
        obfuscated_nouns = tuple((f"{an(w)} {w}", w + "s") for w in OBFUSCATED_NOUNS_TRAIN)
        negation_extra: Providers = {
            "who": lambda: d(NEGATION_WHO_TRAIN),
            "worry": lambda: d(NEGATION_WORRIES_TRAIN),
            "point": lambda: d(NEGATION_POINTS_TRAIN),
        }
        rant = _rant_then_insult(
            d, INSULT_THIRD_TRAIN, nouns, adjectives, INSULT_ATTRIBUTIVE_PROFANE_TRAIN, CRITICISM_TOPICS_TRAIN
        )
        return [
            FamilySpec(
                "civil_criticism", size["civil_criticism"], _criticism_train(d), _clean, CRITICISM_FULL_TRAIN
            ),
            FamilySpec(
                "news_violence", size["news_violence"], _violence_train(d), _clean, VIOLENCE_FULL_TRAIN
            ),
            FamilySpec(
                "negated_insult",
                size["negated_insult"],
                _negation(
                    d,
                    NEGATION_SHAPES_TRAIN,
                    INSULT_NOUNS_TRAIN,
                    INSULT_ADJECTIVES_TRAIN,
                    negation_extra,
                    CRITICISM_TOPICS_TRAIN,
                ),
                _clean,
                NEGATION_FULL_TRAIN,
            ),
            FamilySpec(
                "name_substring", size["name_substring"], _names_train(d), _name_labels, NAME_FULL_TRAIN
            ),
            FamilySpec(
                "identity_mention", size["identity_mention"], _identity_train(d), _clean, IDENTITY_FULL_TRAIN
            ),
            FamilySpec(
                "emoji_civil",
                size["emoji_civil"],
                _emoji_civil(d, EMOJI_CIVIL_SENTENCES_TRAIN, EMOJI_FOLLOWUPS_TRAIN, EMOJI_CIVIL_TRAIN),
                _clean,
                EMOJI_CIVIL_FULL_TRAIN,
            ),
            FamilySpec(
                "insult_plain",
                size["insult_plain"],
                plain_third + plain_third + plain_second + plain_group + profane + rant,
                insult,
                INSULT_FULL_TRAIN + INSULT_SEVERE_TRAIN,
            ),
            FamilySpec(
                "insult_obfuscated",
                size["insult_obfuscated"],
                _insults(
                    d,
                    OBFUSCATED_SHAPES_TRAIN,
                    obfuscated_nouns,
                    OBFUSCATED_ADJECTIVES_TRAIN,
                    OBFUSCATED_ATTRIBUTIVE_TRAIN,
                    INSULT_TARGETS_TRAIN,
                    INSULT_GROUPS_TRAIN,
                    reasons,
                    (),
                ),
                insult,
            ),
            FamilySpec(
                "insult_emoji",
                size["insult_emoji"],
                _emoji_insults(
                    d,
                    EMOJI_INSULT_SHAPES_TRAIN,
                    EMOJI_INSULT_SET_TRAIN,
                    EMOJI_INSULT_TARGETS_TRAIN,
                    EMOJI_INSULT_GROUPS_TRAIN,
                    reasons,
                ),
                insult,
                EMOJI_INSULT_FULL_TRAIN,
            ),
            FamilySpec(
                "profanity_untargeted",
                size["profanity_untargeted"],
                _profanity_train(d),
                _profanity_labels,
                PROFANE_FULL_TRAIN,
            ),
        ]
    claims = tuple(c.replace("{a}", t["actors"][0]) for t in CRITICISM_TOPICS_HELDOUT for c in t["claims"])
    h_nouns: NounForms = INSULT_NOUNS_HELDOUT + INSULT_NOUNS_EXTRA_HELDOUT
    h_adjectives = INSULT_ADJECTIVES_HELDOUT + INSULT_ADJECTIVES_EXTRA_HELDOUT
    h_obfuscated: NounForms = tuple((f"{an(w)} {w}", w + "s") for w in OBFUSCATED_NOUNS_HELDOUT)
    h_negation: Providers = {
        "who": lambda: d(NEGATION_WHO_HELDOUT),
        "thing": lambda: d(NEGATION_THINGS_HELDOUT),
    }
    plain = _insults(
        d,
        INSULT_SHAPES_HELDOUT,
        h_nouns,
        h_adjectives,
        (),
        INSULT_TARGETS_HELDOUT,
        INSULT_GROUPS_HELDOUT,
        claims,
        (),
    )
    rant = _rant_then_insult(d, INSULT_SHAPES_HELDOUT, h_nouns, h_adjectives, (), _HELDOUT_RANT_TOPICS)
    profane = _insults(
        d,
        INSULT_SHAPES_HELDOUT,
        INSULT_NOUNS_PROFANE_HELDOUT,
        h_adjectives,
        (),
        INSULT_TARGETS_HELDOUT,
        INSULT_GROUPS_HELDOUT,
        claims,
        (),
    )
    return [
        FamilySpec(
            "civil_criticism", size["civil_criticism"], _criticism_heldout(d), _clean, CRITICISM_FULL_HELDOUT
        ),
        FamilySpec(
            "news_violence", size["news_violence"], _violence_heldout(d), _clean, VIOLENCE_FULL_HELDOUT
        ),
        FamilySpec(
            "negated_insult",
            size["negated_insult"],
            _negation(
                d, NEGATION_SHAPES_HELDOUT, INSULT_NOUNS_HELDOUT, INSULT_ADJECTIVES_HELDOUT, h_negation
            ),
            _clean,
            NEGATION_FULL_HELDOUT,
        ),
        FamilySpec("name_substring", size["name_substring"], _names_heldout(d), _name_labels),
        FamilySpec(
            "identity_mention", size["identity_mention"], _identity_heldout(d), _clean, IDENTITY_FULL_HELDOUT
        ),
        FamilySpec(
            "emoji_civil",
            size["emoji_civil"],
            _emoji_civil(d, EMOJI_CIVIL_SENTENCES_HELDOUT, EMOJI_FOLLOWUPS_HELDOUT, EMOJI_CIVIL_HELDOUT),
            _clean,
        ),
        FamilySpec("insult_plain", size["insult_plain"], plain + plain + profane + rant, insult),
        FamilySpec(
            "insult_obfuscated",
            size["insult_obfuscated"],
            _insults(
                d,
                OBFUSCATED_SHAPES_HELDOUT,
                h_obfuscated,
                OBFUSCATED_ADJECTIVES_HELDOUT,
                OBFUSCATED_ATTRIBUTIVE_HELDOUT,
                INSULT_TARGETS_HELDOUT,
                INSULT_GROUPS_HELDOUT,
                claims,
                (),
            ),
            insult,
        ),
        FamilySpec(
            "insult_emoji",
            size["insult_emoji"],
            _emoji_insults(
                d,
                EMOJI_INSULT_SHAPES_HELDOUT,
                EMOJI_INSULT_SET_HELDOUT,
                INSULT_TARGETS_HELDOUT,
                INSULT_GROUPS_HELDOUT,
                claims,
            ),
            insult,
        ),
        FamilySpec(
            "profanity_untargeted", size["profanity_untargeted"], _profanity_heldout(d), _profanity_labels
        ),
    ]


def civility_examples(split: str, seed: int = 13) -> list[Example]:
    """Reader comments for the civility head: ``split`` "train" (about 4,200 rows) or "heldout" (about 620,
    built from disjoint fragments; for measurement only, never for training). Deterministic for ``seed``.

    Returns ``Example(text, labels, family)`` rows grouped by family (shuffle before training). Labels map
    each of ``ATTRIBUTES`` to 0.0, 1.0 or None (unknown, not supervised). Raises ValueError for an unknown
    split.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    d = Draw(random.Random(seed))
    seen: set[str] = set()
    out: list[Example] = []
    for spec in _specs(split, d):
        out += build(spec.family, spec.n, d, spec.builders, spec.label_of, spec.fixed, seen)
    return out

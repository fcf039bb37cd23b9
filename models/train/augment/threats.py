"""Threats and hard negatives in the register of news reader comments, written by the team.

Positives (threat 1, toxicity 1, other attributes None): direct threats, conditional threats, veiled
threats, calls for violence against a person or group, and wishes of violence. Hard negatives (all attributes
0): violent idioms, threats REPORTED in news language, condemnation of violence, sports and games talk,
fiction and history. ``threat_examples("heldout")`` uses other cores, targets, contexts and follow-ups than
``"train"`` (measurement only). Separate from, and phrased independently of, ``models/train/threats.py``.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from models.train.augment.civility import (
    CRITICISM_TOPICS_HELDOUT,
    CRITICISM_TOPICS_TRAIN,
    SPLITS,
    Builder,
    Draw,
    Example,
    Labels,
    Providers,
    Topic,
    build,
    fill,
    items,
    joined,
    labels,
    lower_first,
)

THREAT_KINDS = ("direct", "conditional", "veiled", "call", "wish")
NEGATIVE_KINDS = ("idiom", "report", "condemn", "sport", "fiction")
LONG_NEGATIVES = ("idiom", "condemn")

# (name, him, his, he)
Person = tuple[str, str, str, str]

THREAT_PEOPLE_TRAIN: tuple[Person, ...] = (
    ("Councillor Dean Whitlock", "him", "his", "he"),
    ("the editor", "him", "his", "he"),
    ("that reporter Sarah Quinn", "her", "her", "she"),
    ("Mayor Brookes", "her", "her", "she"),
    ("the columnist", "him", "his", "he"),
    ("Okafor", "him", "his", "he"),
    ("the planning officer", "her", "her", "she"),
    ("that landlord Gary Pruett", "him", "his", "he"),
)
THREAT_GROUPS_TRAIN = items("""
every councillor who voted for this
the people who run this paper
the lot of them in the town hall
the protesters blocking the road
the journalists at this rag
those developers
""")
THREAT_STREETS_TRAIN = items("""
Marlow Road
Ashby Close
Church Lane
Victoria Terrace
""")
THREAT_CONTEXT_TRAIN = items("""
Read your piece on the bypass.
Another hit job on our club from this paper.
You've written about my family three times now.
So you think it's funny to mock the people on the picket line.
I see the council voted it through anyway.
Saw your comment above.
Funny how this paper never prints our side.
I've had enough of this.
Twenty years I've lived on this estate.
You named my brother in the article.
I was at the meeting last night.
The planning notice went up on our street today.
Nobody asked us about the new traffic scheme.
My business is closing because of decisions like this.
This is the fourth time you've smeared the residents' group.
""")
THREAT_SUFFIXES_TRAIN = items("""
Consider yourself warned.
Not a joke.
Count on it.
You've been told.
Tick tock.
Remember I said this.
""")
THREAT_CORES_TRAIN: dict[str, tuple[str, ...]] = {
    "direct": items("""
I'm coming for you.
I'll find you, and when I do you'll wish you'd never written a word.
I will make you pay for this, personally.
Next time I see you, my fist is going through your face.
I'm going to break every finger on your typing hand.
You're dead when I catch up with you.
I'll put you in hospital.
I'm going to drag you out of your office by your hair.
I will beat you until you can't stand.
I'm going to hurt you and everyone you love.
I'll be waiting in the car park after the meeting, and you won't walk away from it.
Me and the lads are going to pay you a visit.
I'm going to smash your windows and then your face.
I'll cut you the moment I see you.
I'm going to find {t} and make {him} bleed.
I will personally knock {t}'s teeth out.
When I get hold of {t}, {he}'s going in the river.
"""),
    "conditional": items("""
If {t} shows {his} face in this town again {he}'ll regret it.
Print one more lie about my family and you'll be picking your teeth up off the pavement.
Come to the protest on Saturday and see what happens to you.
Keep writing about my business and you won't have hands left to write with.
One more article like this and I'll be waiting outside your office.
If the council goes ahead, {t} is going to get hurt, and I'll be the one doing it.
Knock on my door again with that petition and you'll leave on a stretcher.
Set foot on my land again and I'll shoot you.
Show up at my kid's school again and you won't be going home.
Publish my address and I'll burn your house to the ground.
If you come to the hearing, bring a stab vest.
Say that to my face at the match and see if you walk out of the ground.
Cut down that oak and I'll put you in the ground under it.
"""),
    "veiled": items("""
You'd better watch your back.
I know where you live.
Accidents happen to people like you.
Nice house on {street}. Shame if something happened to it.
Your kids walk to school on their own, don't they?
Sleep with one eye open.
We know which car is yours.
People have disappeared for less.
Enjoy the walk home tonight. I'll be watching.
Your days are numbered.
Don't be surprised if you wake up to a fire.
I'd check under your car before you start it, if I were you.
We've got your address, your reg and your wife's shift pattern.
Be a shame if those hands of yours got broken.
Some of us have long memories and short tempers. You'll find out.
Your office is on the second floor, right? Windows break easily.
"""),
    "call": items("""
Someone should put a bullet in {t}.
{t} deserves to be hanged.
Round them up and shoot the lot of them.
Somebody needs to take a baseball bat to {t}.
Tar and feather {g}.
String {t} up from the nearest lamppost.
Burn down the editor's house and see how he likes it.
Any real man would drag {t} into the street and kick {him} senseless.
Line {g} up against a wall.
Petrol through {t}'s letterbox, that's what {he} deserves.
Somebody break {t}'s legs so {he} can't walk into the council chamber again.
If anyone sees {t} on the platform, give {him} a shove under the train.
Hang {g} from the pier and let the gulls have them.
Someone should go round and teach {t} a lesson with a crowbar.
"""),
    "wish": items("""
I hope {t} gets run over by a bus.
I hope someone beats {t} half to death.
Hope your house burns down with you in it.
I'd love to see {t} bleed.
Would make my year if someone knocked {t}'s teeth out.
I hope someone stabs you on the way home.
Can't wait for the day someone finally shoots {t}.
I hope {g} get what's coming to them, preferably with a brick.
I pray someone puts {t} in a wheelchair.
I hope you choke on your own blood.
Wish someone would throw {t} off the multi-storey.
"""),
}

NEGATIVE_CORES_TRAIN: dict[str, tuple[str, ...]] = {
    "idiom": items("""
This traffic is killing me, forty minutes to go two miles.
I could murder a curry after that council meeting.
The bill was shot down in the Lords last night, which is a relief.
Break a leg to the youth theatre on opening night!
My knees are killing me after the charity walk, but we raised £2,000.
The comedian absolutely destroyed the room at the festival.
She shot to fame after that interview.
The minister shoots from the hip and it usually backfires.
Time to bite the bullet and fix the roof.
The council could kill two birds with one stone: fix the drains and resurface the road at the same time.
That plan was dead on arrival.
Knock 'em dead at the interview tomorrow, son.
The stock market got hammered again today.
The festival line-up is a killer this year.
That chilli nearly killed me, delicious though.
I'm dying to see the new bridge open.
Our pub quiz team got massacred in the music round.
The proposal was torn to shreds at committee.
The new manager has been handed a poisoned chalice.
The opposition went for the jugular in the debate.
He was stabbed in the back by his own party.
These parking charges are daylight robbery.
The council dropped a bombshell at last night's meeting.
My inbox is a war zone after the holidays.
First-time buyers are getting crucified by these mortgage rates.
"""),
    "report": items("""
Police say the suspect threatened to kill his neighbour before the standoff.
The court heard he told the receptionist he would "come back and burn the place down". The sentence seems
    light.
According to the article, the councillor received a letter threatening to kill her family. Appalling.
The man admitted sending messages threatening to shoot the MP and was jailed for two years.
Officers arrested a teenager who posted a threat to attack his school; the article says no weapon was found.
The judge said the threats to the journalist were "calculated to terrify", which seems exactly right.
The report says the defendant shouted that he would find the witness, and he was removed from the dock.
Prosecutors say the group discussed kidnapping the governor for months.
The article reports the landlord threatened to break the tenant's legs; the tenant has now been rehoused.
Two men were charged with threatening to blow up the mosque, the police statement says.
The restraining order was issued after he threatened to stab his former partner, the court was told.
The footballer says he received death threats after the penalty miss; the club has called the police.
The hospital says a patient threatened staff with a knife in A&E on Saturday night.
The trial heard voicemails in which the accused said he would "put a bullet" in the site manager.
"""),
    "condemn": items("""
Nobody should get death threats for writing an article, whatever you think of it.
Violence against councillors is never acceptable, whatever you think of the vote.
Whoever smashed the MP's office windows should be prosecuted.
Threatening nurses on a picket line is disgraceful. Argue with the policy, not the people.
I disagree with almost everything the columnist writes, but the threats she gets are vile and should be
    investigated.
There is no excuse for the attack on the reporter at the protest.
Arson is not protest. Whoever set fire to the depot put the night staff in danger.
Please report threats to the police; don't just block and move on.
Threats against election staff should be treated as an attack on democracy itself.
The abuse aimed at the referee after the match was shameful, and the club should ban those fans.
Calls to "hang" politicians are not free speech, they are incitement, and platforms should remove them.
If you are angry about the planning decision, come to the meeting and speak. Don't threaten the officers.
"""),
    "sport": items("""
We destroyed them 4-0 and it could have been eight.
Our strikers murdered their back four in the second half.
I killed the final boss on my third try last night.
Their bowlers tore through our top order and we were dead and buried by lunch.
The boxer knocked him out in the second round, clean as you like.
Headshot from across the map, my son was delighted.
We got slaughtered at home again. Time for a new manager.
Rovers will crush City on Saturday, mark my words.
She smashed the course record by four minutes.
The chess club's youngest player annihilated the county champion.
Our keeper saved two penalties and the shootout was brutal to watch.
Their defence got absolutely battered.
My fantasy captain blanked again, I'm dead in the league.
The scrum was a massacre, our pack went backwards all afternoon.
We'll bury them at the derby if the midfield turns up.
"""),
    "fiction": items("""
In the novel the butler poisons the whole family at the wedding.
Macbeth murders Duncan in the second act, and the school's production staged it beautifully.
Guy Fawkes planned to blow up Parliament in 1605, which is why we have fireworks in November.
The Tower of London exhibition on executions is grim but fascinating.
In the film the villain threatens to blow up the bridge unless the mayor resigns.
The new crime drama opens with a body in the canal, very atmospheric.
The Battle of Hastings re-enactment had a few hundred "dead" Saxons by lunchtime.
My book club is reading a thriller where the narrator plots to kill her husband.
The war memorial lists 84 men from this village killed at the Somme.
The play's final scene is a duel to the death, staged with real skill.
Agatha Christie killed off ten characters in one book.
The museum's display on the 1926 strike includes the letters threatening the mine owners, which are
    chilling.
In the podcast the detective realises the vicar shot the gamekeeper.
"""),
}
NEGATIVE_CONTEXT_TRAIN = items("""
Off topic, but:
Quick one from the weekend:
Lighter note after all the bad news:
Bit of context from someone who was there:
Reading this on the train.
Different view from me.
Slightly related:
""")
NEGATIVE_FOLLOWUPS_TRAIN = items("""
Good piece, thanks.
Worth a read.
Thanks for the report.
Anyway, that's my morning.
Lovely to see it covered.
Hope the paper follows it up.
Credit to the reporter.
Glad somebody said it.
Still thinking about it.
""")

THREAT_PEOPLE_HELDOUT: tuple[Person, ...] = (
    ("Commissioner Ranft", "him", "his", "he"),
    ("the sports editor", "him", "his", "he"),
    ("Mayor Kessler", "him", "his", "he"),
    ("Councillor Brennan", "her", "her", "she"),
    ("the woman who wrote this", "her", "her", "she"),
)
THREAT_GROUPS_HELDOUT = items("""
the ferry board
the moderators
everyone at the arts council
""")
THREAT_CONTEXT_HELDOUT = items("""
Third cancelled sailing this week.
You closed our surgery.
The museum charge is the last straw.
I've read every word you wrote about the harbour.
Quota cut again.
My boat has been tied up since March.
You printed my name in the paper.
""")
THREAT_CORES_HELDOUT: dict[str, tuple[str, ...]] = {
    "direct": items("""
Your turn is coming, and it's going to hurt.
I'm going to make you disappear.
Pack a bag for the hospital, you'll need it after I'm done with you.
I'll be the last face you see.
I'm going to wreck you, and your car, and your office.
"""),
    "conditional": items("""
Cancel one more sailing and I'll sink you along with the boat.
Run that photo again and I'll be at your door with a crowbar.
Close the surgery and I'll make sure {t} never walks straight again.
Raise the levy once more and {t} won't make it to the next meeting.
Shut the museum and I swear I'll put the director through the front window.
"""),
    "veiled": items("""
Keep an eye on your mirrors on the drive home.
You won't see Christmas.
There's a rope with your name on it.
One day soon you'll open your door and it'll be me.
Funny how quickly a house catches fire in a dry summer.
Hope your brakes are in good nick.
The harbour's deep enough to hide a body, you know.
"""),
    "call": items("""
Whoever signed this off should be dragged out and beaten in the square.
Somebody ought to torch {t}'s car with {him} in it.
Drown {g} in the harbour.
A good kicking is what {t} needs, and someone should give it to {him}.
Somebody chain {t} to the anchor and let the tide sort it out.
"""),
    "wish": items("""
I pray someone takes a hammer to {t}.
May {t} rot in a ditch with a broken neck.
I'd dance if {t} got a knife in the ribs.
Hope {t} falls off the quay in January and nobody throws a rope.
"""),
}
NEGATIVE_CORES_HELDOUT: dict[str, tuple[str, ...]] = {
    "idiom": items("""
My boss will have my head if I'm late again.
The motion was torpedoed at committee.
I nearly died laughing at the letters page.
The markets took a beating after the announcement.
Everyone was dressed to kill at the regatta ball.
High blood pressure is a silent killer, get it checked.
"""),
    "report": items("""
The skipper told the court he had been threatened with a knife during the mutiny.
Police are investigating a threat to set fire to the ferry terminal, the article says.
The dentist says a patient threatened to smash up the surgery over a cancelled appointment.
The jury heard the accused had vowed to "finish off" the witness.
According to the coastguard, the trawler's crew were threatened with a flare gun.
The article says the gallery received a bomb threat and was evacuated for two hours.
The court was told he had threatened to "put the postman in the ground", and he was fined.
"""),
    "condemn": items("""
Whatever you think of the ferry board, threatening its staff is indefensible.
The threats sent to the museum director are disgusting and I hope the police act.
Nobody who works in a post office deserves to be threatened over a late parcel.
Intimidating fishermen on the quayside solves nothing. Talk, don't threaten.
However angry the island is about the ferries, nobody should be threatening the crews.
Disagree with the councillor by all means, but the threats against her family are beyond the pale.
Sending a bullet in the post to a dentist is not "venting". It's a crime, and I hope he's caught.
"""),
    "sport": items("""
The under-11s hammered the visitors 6-1.
Our bowler took five wickets and absolutely demolished them.
The rowing crew blew the rest of the field out of the water.
Our darts team got annihilated at the county finals.
The lifeboat crew trounced the coastguard in the tug of war.
Our quiz team murdered the picture round for once.
"""),
    "fiction": items("""
The Viking raid re-enactment on the beach was brilliant fun for the kids.
In the detective series the ferry captain turns out to be the poisoner.
The lighthouse museum has the old wreckers' lanterns used to lure ships onto the rocks.
The opera ends with the hero stabbed on the steps of the cathedral.
The town archive has the 1820s trial records of the smugglers who shot a revenue officer.
In the new mystery novel a fisherman is found drowned in his own nets, and the harbourmaster is the killer.
"""),
}
NEGATIVE_FOLLOWUPS_HELDOUT = items("""
Nice one.
Made me smile.
Thanks for covering it.
Good to read something balanced.
Cheers to the reporter.
""")

# Train per kind (threats : hard negatives 1 : 1); held-out about 15 %.
THREAT_SIZES = {"train": 80, "heldout": 12}


def _threat_label(_: str) -> Labels:
    return labels(
        threat=1.0, toxicity=1.0, severe_toxicity=None, insult=None, profanity=None, identity_attack=None
    )


def _negative_label(_: str) -> Labels:
    return labels()


def _threats(
    d: Draw,
    cores: Sequence[str],
    people: Sequence[Person],
    groups: Sequence[str],
    streets: Sequence[str],
    contexts: Sequence[str],
    suffixes: Sequence[str],
) -> tuple[Builder, ...]:
    def one(_: Draw) -> str:
        name, him, his, he = d(people)
        p: Providers = {
            "t": lambda: name,
            "him": lambda: him,
            "his": lambda: his,
            "he": lambda: he,
            "g": lambda: d(groups),
            "street": lambda: d(streets) if streets else "Harbour Row",
        }
        core = fill(d(cores), p)
        lead = d(contexts) if d.chance(0.55) else ""
        end = d(suffixes) if suffixes and d.chance(0.3) else ""
        return joined(lead, core[:1].upper() + core[1:], end)

    return (one,)


def _negatives(
    d: Draw, cores: Sequence[str], contexts: Sequence[str], followups: Sequence[str]
) -> tuple[Builder, ...]:
    def one(_: Draw) -> str:
        lead = d(contexts) if contexts and d.chance(0.3) else ""
        core = lower_first(d(cores)) if lead.endswith(":") else d(cores)
        return joined(lead, core, d(followups) if d.chance(0.55) else "")

    return (one,)


def _complaint(d: Draw, topics: Sequence[Topic], train: bool) -> str:
    """Two or three civil sentences of complaint about a civic topic (the civility families' fragments)."""
    topic = d(topics)
    actor = d(topic["actors"])
    p: Providers = {"a": lambda: actor, "noun": lambda: d(topic["noun"])}
    if train:
        return joined(fill(d(topic["critiques"]), p), d(topic["reasons"]), d(topic["questions"]))
    point = d(topic["points"])
    return joined(fill(d(topic["claims"]), p), f"Meanwhile {point}.")


def _long(d: Draw, topics: Sequence[Topic], train: bool, inner: Builder) -> Builder:
    """A longer comment: a civil complaint first, then the threat or hard negative that ``inner`` writes."""

    def one(_: Draw) -> str:
        return joined(_complaint(d, topics, train), inner(d))

    return one


def threat_examples(split: str, seed: int = 13) -> list[Example]:
    """Threats (families ``threat_<kind>``) and hard negatives (``threat_negative_<kind>``) for the threat
    head: ``split`` "train" (800 rows, 1:1) or "heldout" (120 rows, disjoint cores, targets and contexts;
    measurement only). Deterministic for ``seed``. Raises ValueError for an unknown split.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    d = Draw(random.Random(seed))
    n = THREAT_SIZES[split]
    train = split == "train"
    cores = THREAT_CORES_TRAIN if train else THREAT_CORES_HELDOUT
    negatives = NEGATIVE_CORES_TRAIN if train else NEGATIVE_CORES_HELDOUT
    people = THREAT_PEOPLE_TRAIN if train else THREAT_PEOPLE_HELDOUT
    groups = THREAT_GROUPS_TRAIN if train else THREAT_GROUPS_HELDOUT
    streets = THREAT_STREETS_TRAIN if train else ()
    contexts = THREAT_CONTEXT_TRAIN if train else THREAT_CONTEXT_HELDOUT
    suffixes = THREAT_SUFFIXES_TRAIN if train else ()
    neg_contexts = NEGATIVE_CONTEXT_TRAIN if train else ()
    followups = NEGATIVE_FOLLOWUPS_TRAIN if train else NEGATIVE_FOLLOWUPS_HELDOUT
    topics = CRITICISM_TOPICS_TRAIN if train else CRITICISM_TOPICS_HELDOUT
    seen: set[str] = set()
    out: list[Example] = []
    for kind in THREAT_KINDS:
        (short,) = _threats(d, cores[kind], people, groups, streets, contexts, suffixes)
        builders: tuple[Builder, ...] = (short, short, short, _long(d, topics, train, short))
        out += build(f"threat_{kind}", n, d, builders, _threat_label, seen=seen)
    for kind in NEGATIVE_KINDS:
        (short,) = _negatives(d, negatives[kind], neg_contexts, followups)
        # a complaint reads naturally before an idiom or a condemnation, not before a match report
        builders = (
            (short, short, short, _long(d, topics, train, short)) if kind in LONG_NEGATIVES else (short,)
        )
        out += build(f"threat_negative_{kind}", n, d, builders, _negative_label, seen=seen)
    return out

"""A small profanity word list: the weak label for the ``profanity`` attribute.

OLID's UNT class ("untargeted profanity") is the only human label for profanity in our data; this list adds a
weak label to every training text: a hit marks profanity = 1; a miss marks 0 only where a human label says the
text is not offensive (OLID NOT, HateXplain normal), otherwise the label stays masked.
Word-boundary matching on
lower-cased text, with a few common spellings. It is deliberately short and explicit (no slurs: those are
covered by identity_attack), so its false positives ("Scunthorpe") stay rare.
"""

from __future__ import annotations

import re

WORDS = (
    "fuck",
    "fucks",
    "fucked",
    "fucker",
    "fuckers",
    "fucking",
    "fuckin",
    "fck",
    "fk",
    "f*ck",
    "motherfucker",
    "shit",
    "shits",
    "shitty",
    "bullshit",
    "sh*t",
    "shite",
    "bitch",
    "bitches",
    "bitching",
    "ass",
    "asses",
    "asshole",
    "assholes",
    "arse",
    "arsehole",
    "dick",
    "dicks",
    "dickhead",
    "cock",
    "cunt",
    "cunts",
    "piss",
    "pissed",
    "bastard",
    "bastards",
    "damn",
    "goddamn",
    "crap",
    "crappy",
    "wanker",
    "twat",
    "prick",
    "bollocks",
    "douche",
    "douchebag",
    "slut",
    "sluts",
    "whore",
    "whores",
    "pussy",
    "jackass",
    "dumbass",
    "smartass",
    "wtf",
    "stfu",
)
_PATTERN = re.compile(r"(?<![a-z])(" + "|".join(re.escape(w) for w in WORDS) + r")(?![a-z])")


def has_profanity(text: str) -> bool:
    return _PATTERN.search(text.lower()) is not None

"""Templated threat examples and hard negatives for the ``threat`` attribute (no dataset here labels threats).

Positives: explicit threats of violence against the reader or a named/group target ("I will find you and hurt
you"). Hard negatives: the same violent verbs used idiomatically ("this exam is killing me", "she killed it on
stage", "shoot me an email") and plain reports of violence in news language ("police say the suspect shot two
people"), which a comment may quote without threatening anyone. Templates are split in two disjoint families:
``family="train"`` feeds training, ``family="heldout"`` (different templates AND different verbs/targets) is
only used to MEASURE the head, so the number says something about generalisation beyond the exact strings.
"""

from __future__ import annotations

import itertools
import random

TRAIN_THREATS = (
    "i will {v} you",
    "i'm going to {v} you",
    "we will {v} you and your family",
    "someone should {v} {t}",
    "{t} deserves to be {vp}",
    "i know where you live and i will {v} you",
    "keep talking and i'll {v} you",
    "watch your back, i will {v} you",
    "you'll be {vp} soon",
    "i hope someone {vs} {t}",
    "people like {t} should be {vp}",
    "come here again and i will {v} you",
)
HELDOUT_THREATS = (
    "i swear i am going to {v} you tonight",
    "say that again and you get {vp}",
    "we are coming to {v} {t}",
    "{t} will be {vp}, mark my words",
    "one day soon i'll {v} you myself",
    "you better hide before i {v} you",
)
TRAIN_VERBS = (
    ("kill", "killed", "kills"),
    ("shoot", "shot", "shoots"),
    ("stab", "stabbed", "stabs"),
    ("hang", "hanged", "hangs"),
    ("beat", "beaten", "beats"),
    ("burn", "burned", "burns"),
)
HELDOUT_VERBS = (
    ("murder", "murdered", "murders"),
    ("strangle", "strangled", "strangles"),
    ("break", "broken", "breaks"),
    ("hurt", "hurt", "hurts"),
)
TRAIN_TARGETS = ("that journalist", "the mayor", "those people", "this reporter", "your kids", "him", "her")
HELDOUT_TARGETS = ("the judge", "every one of them", "the author", "the senator")

TRAIN_NEGATIVES = (
    "this exam is killing me",
    "she absolutely killed it on stage last night",
    "shoot me an email when you can",
    "i would kill for a good coffee right now",
    "the heat is murder today",
    "we will beat them on saturday",
    "that joke killed me",
    "police say the suspect shot two people before fleeing",
    "my feet are killing me",
    "the article says the man was stabbed outside a bar",
    "let's hang out this weekend",
    "i'm dying to see it",
    "the team got crushed in the final",
    "burn the midnight oil and finish the report",
    "that's a killer app",
    "the author beats around the bush",
    "he shot the video on his phone",
    "a fire burned three houses",
    "i could strangle my printer, it jammed again",
    "the government should kill this bill",
)
HELDOUT_NEGATIVES = (
    "this commute is going to be the death of me",
    "the band blew the roof off the place",
    "she shot to fame",
    "they murdered that song at karaoke",
    "the storm hurt local farmers",
    "traffic is killing my mood",
    "critics slammed the new policy",
    "the report says two people were hurt in the crash",
    "break a leg tonight",
    "the senator vowed to fight the proposal",
)


def _expand(
    templates: tuple[str, ...], verbs: tuple[tuple[str, str, str], ...], targets: tuple[str, ...]
) -> list[str]:
    out = []
    for tpl, (v, vp, vs), t in itertools.product(templates, verbs, targets):
        out.append(tpl.format(v=v, vp=vp, vs=vs, t=t))
    return sorted(set(out))


def threat_examples(family: str, *, seed: int = 0, limit: int | None = None) -> list[tuple[str, int]]:
    """(text, is_threat) pairs for one template family, shuffled; negatives repeated with small variants."""
    if family == "train":
        pos = _expand(TRAIN_THREATS, TRAIN_VERBS, TRAIN_TARGETS)
        negs = list(TRAIN_NEGATIVES)
    elif family == "heldout":
        pos = _expand(HELDOUT_THREATS, HELDOUT_VERBS, HELDOUT_TARGETS)
        negs = list(HELDOUT_NEGATIVES)
    else:
        raise ValueError(family)
    suffixes = ("", "!", " lol", ".", " honestly", "!!")
    negatives = [n + s for n, s in itertools.product(negs, suffixes)]
    rng = random.Random(seed)
    rng.shuffle(pos)
    if limit:
        pos = pos[:limit]
    rows = [(p, 1) for p in pos] + [(n, 0) for n in negatives]
    rng.shuffle(rows)
    return rows

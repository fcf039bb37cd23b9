"""Templated reader comments that take a side on what an article reports or proposes (stance supervision).

Why: the stance data we have is tweets toward a fixed target (SemEval-2016) and headline-vs-body pairs (FNC-1,
where "agree" means the body confirms the headline's claim). Neither looks like a reader saying "I support
these talks" or "reopening the embassy is a terrible idea" under an article, and the trained head read such
comments as neutral. These templates add that register: explicit approval, opposition and neutral questions
about "this plan / the decision / these talks", paired with real article bodies.

As for threats, templates come in two disjoint families: ``"train"`` feeds training, ``"heldout"`` (different
templates AND different topic nouns) only MEASURES the head, so its number says something about wording the
head never saw. It is still templated text: the model card reports it as that, not as a benchmark.
"""

from __future__ import annotations

import itertools
import random

AGAINST, NEUTRAL, FAVOR = 0, 1, 2  # the stance head's label order (runtime.STANCE_LABELS)

TEMPLATES: dict[str, dict[int, tuple[str, ...]]] = {
    "train": {
        FAVOR: (
            "I agree with {t}.",
            "{T} is the right call.",
            "Good. {T} is long overdue.",
            "I fully support {t}.",
            "Finally some sense, {t} is a smart move.",
            "Great decision, {t} will help a lot of people.",
            "About time! {T} should have happened years ago.",
            "Exactly right, {t} is what we needed.",
            "I'm glad to read this, {t} is good news.",
            "I can't see anything wrong with {t}, well done.",
        ),
        AGAINST: (
            "I disagree with {t}.",
            "{T} is a terrible idea.",
            "{T} is a big mistake.",
            "I strongly oppose {t}.",
            "{T} will never work and everyone knows it.",
            "Wrong decision, {t} should be stopped.",
            "What a waste, {t} helps nobody.",
            "I don't support {t} at all.",
            "No way should they go ahead with {t}.",
            "{T} is a disaster waiting to happen.",
        ),
        NEUTRAL: (
            "Does anyone know when {t} takes effect?",
            "How much will {t} cost, and who decides?",
            "The article says {t} was announced on Monday.",
            "I wonder what happens next with {t}.",
            "Can someone explain how {t} would work in practice?",
            "It will be interesting to see how {t} plays out.",
            "Is there a link to the full text of {t}?",
            "Who first proposed {t}?",
        ),
    },
    "heldout": {
        FAVOR: (
            "Count me in favour of {t}, it is a sensible step.",
            "{T} gets my vote, good on them.",
            "Honestly {t} is the best news I've read all week.",
            "This is how it should be done, {t} deserves support.",
            "Glad someone had the courage to push {t} through.",
        ),
        AGAINST: (
            "{T} is a foolish idea and it should be scrapped.",
            "I'm against {t}, it rewards the wrong people.",
            "Nobody asked for {t}, reverse it now.",
            "{T} is reckless and short-sighted.",
            "Shame on them for {t}, it is indefensible.",
        ),
        NEUTRAL: (
            "When exactly does {t} start?",
            "Which officials were involved in {t}?",
            "Has {t} been tried anywhere else before?",
            "Reading this, I'd like more details on {t}.",
        ),
    },
}
TOPICS = {
    "train": (
        "this plan",
        "the decision",
        "these talks",
        "the new policy",
        "this deal",
        "the proposal",
        "this move",
        "the agreement",
        "the ban",
        "this law",
        "the reform",
        "the new rules",
    ),
    "heldout": ("the measure", "this initiative", "the negotiations", "the bill", "this approach"),
}
TAILS = {
    "train": ("", " Just my opinion.", " Thanks for reporting this.", " We'll see."),
    "heldout": ("", " That's how I see it."),
}


def comment_stance_examples(family: str, *, seed: int = 0) -> list[tuple[str, int]]:
    """(comment, stance label) for one template family, shuffled; every template x topic x tail."""
    if family not in TEMPLATES:
        raise ValueError(family)
    rows = []
    for label, templates in TEMPLATES[family].items():
        for tpl, topic, tail in itertools.product(templates, TOPICS[family], TAILS[family]):
            text = tpl.format(t=topic, T=topic[0].upper() + topic[1:]) + tail
            rows.append((text, label))
    rows = sorted(set(rows))
    random.Random(seed).shuffle(rows)
    return rows

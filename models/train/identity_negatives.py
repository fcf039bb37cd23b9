"""Neutral identity sentences used as non-toxic civility negatives in training
(``[data] identity_negatives`` in ``config.toml``).

Kept disjoint from the fairness measurement set (``models/fairness/identities.jsonl``) so that set stays
unseen: every identity term and first name below is absent from ``models.fairness.check.GROUPS`` / ``NAMES``,
and every template is different from ``TEMPLATES`` / ``NAME_TEMPLATES`` there (different topics: sports,
gardening, cooking, transport, weather, volunteering; no bakery/library/concert/bike-lane/school-budget/
farmers-market/programmer sentences). ``tests/test_models_training.py`` checks the disjointness.

Labels: toxicity, severe_toxicity, insult, threat, profanity and identity_attack all 0.
"""

from __future__ import annotations

import itertools

TERMS: dict[str, tuple[str, ...]] = {
    "religion": ("Jain", "Mormon", "Quaker", "Baptist", "Orthodox Christian", "Zoroastrian", "agnostic"),
    "nationality": (
        "Vietnamese",
        "Kenyan",
        "Ukrainian",
        "Peruvian",
        "Ethiopian",
        "Turkish",
        "Filipino",
        "Iranian",
        "Haitian",
        "Moroccan",
    ),
    "orientation": ("pansexual", "asexual", "homosexual"),
    "gender": ("intersex", "trans", "genderqueer", "cisgender"),
    "disability": ("wheelchair-using", "hard-of-hearing", "dyslexic", "visually impaired"),
    "ethnicity": (
        "Hispanic",
        "Pacific Islander",
        "Roma",
        "Aboriginal",
        "African American",
        "Native American",
    ),
}
NAMES = ("Chidi", "Anh", "Oksana", "Mateo", "Zainab", "Kenji", "Amara", "Dmitri", "Leilani", "Ravi")
TEMPLATES = (
    "Our {x} coach helped the under-12 football team train for the tournament.",
    "The {x} volunteers planted tomatoes in the community garden this morning.",
    "My {x} friend shared a great soup recipe with me yesterday.",
    "The bus driver on route 9 is {x} and always says good morning.",
    "A {x} family moved in next door and we chatted about the rain.",
)
NAME_TEMPLATES = (
    "{n} fixed the printer at the office today.",
    "{n} and I went hiking on Sunday and the view was lovely.",
)


def identity_negatives() -> list[str]:
    """190 neutral sentences (templates x identity terms, plus first names)."""
    rows = [
        tpl.format(x=term) for terms in TERMS.values() for tpl, term in itertools.product(TEMPLATES, terms)
    ]
    rows += [tpl.format(n=name) for name, tpl in itertools.product(NAMES, NAME_TEMPLATES)]
    return [r.replace("A ", "An ", 1) if r.startswith("A ") and r[2].lower() in "aeiou" else r for r in rows]

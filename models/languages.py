"""What the shipped model supports per language and head, as measured (the model card has the numbers).

``trained``: the head saw labelled data in that language and we report its validation score; ``zero_shot``:
no training data in that language, but a held-out measurement exists (the card says how good) and answers are
flagged; absent: not supported (the service answers LANGUAGE_UNSUPPORTED instead of presenting the scores).
Civility in German backs toxicity, insult and profanity (GermEval 2018); in Portuguese toxicity, insult,
profanity and identity_attack (ToLD-Br); in Danish toxicity only (DKHATE): the other attributes there are the
multilingual encoder's transfer from English.
"""

from __future__ import annotations

TRAINED = "trained"
ZERO_SHOT = "zero_shot"

SUPPORT: dict[str, dict[str, str]] = {
    "en": {"civility": TRAINED, "sentiment": TRAINED, "stance": TRAINED, "on_topic": TRAINED},
    "de": {"civility": TRAINED, "sentiment": TRAINED, "stance": ZERO_SHOT, "on_topic": ZERO_SHOT},
    "pt": {"civility": TRAINED, "sentiment": TRAINED, "stance": ZERO_SHOT, "on_topic": ZERO_SHOT},
    "da": {"civility": TRAINED, "stance": ZERO_SHOT, "on_topic": ZERO_SHOT},
    "es": {"civility": ZERO_SHOT, "sentiment": TRAINED, "stance": ZERO_SHOT, "on_topic": ZERO_SHOT},
    "fr": {"civility": ZERO_SHOT, "sentiment": TRAINED, "stance": ZERO_SHOT, "on_topic": ZERO_SHOT},
    "it": {"civility": ZERO_SHOT, "sentiment": TRAINED, "stance": ZERO_SHOT, "on_topic": ZERO_SHOT},
    "ar": {"sentiment": TRAINED},
    # hi: UMSAB's Hindi (romanised, code-mixed tweets) is in training, but sentiment measures at chance on its
    # validation split (macro-recall 0.336): not supported until it is better than a guess.
}

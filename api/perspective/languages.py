"""Languages for the Perspective endpoint: normalising requested codes, a small detector, and which languages
each attribute supports.

Perspective auto-detects the language when a request names none and refuses (or, with
``dropUnsupportedAttributes``, drops) an attribute that does not support the request's languages. We do the
same. Which languages an attribute supports is the DOMAIN's answer, not ours: ``support`` reads the table the
pipeline gives (``Pipeline.languages()``: language -> head -> ``trained`` | ``zero_shot``), so when the
multilingual models and their language gate land, the endpoint follows their table without a change here.
Today every head is trained on English only.

The detector is deliberately conservative (script ranges plus common function words): a text is called
non-English only on clear evidence, and a text with no evidence either way counts as English.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping

TRAINED = "trained"
ZERO_SHOT = "zero_shot"
UNSUPPORTED = "unsupported"  # not supported, scored anyway because the operator chose the language gate
LanguageTable = Mapping[str, Mapping[str, str]]  # language -> head (classifier) -> TRAINED | ZERO_SHOT
LANGUAGE_FREE = frozenset({"length"})  # measured without a model: the same in every language

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_CODE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and is are was were this that with for not you have what but they his her from will "
        "would there their been which your about just should"
    ),
    "de": _words(
        "der die das und ist nicht ein eine ich sie mit auf für den dem des sich auch wird sind war "
        "aber wie noch nur oder wenn werden"
    ),
    "fr": _words(
        "le la les et est une des du pas que qui dans pour sur avec ce il elle sont mais nous vous "
        "plus cette leur être"
    ),
    "es": _words(
        "el la los las y es una que del por con para como pero sus está son este esta muy también fue hay"
    ),
    "it": _words("il lo gli della che è non una per con sono come anche questo questa ma del nel alla hanno"),
    "pt": _words("o os as e é um uma que não do da dos das com para por mas como está são isso também foi"),
    "nl": _words("de het een en is niet van dat die met voor zijn maar ook wat er nog wel naar worden"),
}

_SCRIPTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ru", re.compile(r"[\u0400-\u04FF]")),
    ("ar", re.compile(r"[\u0600-\u06FF]")),
    ("zh", re.compile(r"[\u4E00-\u9FFF]")),
    ("ja", re.compile(r"[\u3040-\u30FF]")),
    ("ko", re.compile(r"[\uAC00-\uD7AF]")),
    ("el", re.compile(r"[\u0370-\u03FF]")),
    ("he", re.compile(r"[\u0590-\u05FF]")),
    ("hi", re.compile(r"[\u0900-\u097F]")),
)


def normalize_code(code: str) -> str | None:
    """``en-US`` / ``EN_gb`` -> ``en``; returns None for something that is not a language code."""
    code = code.strip()
    if not _CODE.match(code):
        return None
    return re.split(r"[-_]", code)[0].lower()


def detect(text: str) -> list[str]:
    """Languages of ``text``, most likely first; ``["en"]`` unless another language is clearly evident."""
    letters = [ch for ch in text if ch.isalpha()]
    if letters:
        for code, pattern in _SCRIPTS:
            share = len(pattern.findall(text)) / len(letters)
            if share > 0.3:
                return [code]
    words = [w.lower() for w in _WORD.findall(text)]
    hits: Counter[str] = Counter()
    for word in words:
        for code, vocab in _FUNCTION_WORDS.items():
            if word in vocab:
                hits[code] += 1
    english = hits.get("en", 0)
    ranked = [code for code, n in hits.most_common() if code != "en" and n >= 3 and n > 2 * english]
    if ranked:
        return [ranked[0]]
    return ["en"]


def support(classifier: str | None, languages: list[str], table: LanguageTable) -> str | None:
    """How the domain supports ``classifier`` for ALL of ``languages`` (normalised codes): ``trained``,
    ``zero_shot`` (the weakest of them wins) or None (some language is not supported; ``classifier`` None is
    a Perspective attribute no model here serves: never supported)."""
    if classifier is None:
        return None
    if classifier in LANGUAGE_FREE:
        return TRAINED
    found = [table.get(code, {}).get(classifier) for code in languages]
    if not found or None in found:
        return None
    return ZERO_SHOT if ZERO_SHOT in found else TRAINED


def supported_languages(classifier: str | None, table: LanguageTable) -> list[str]:
    """The languages the domain scores ``classifier`` in (for messages and docs)."""
    if classifier is None:
        return []
    return sorted(code for code, heads in table.items() if classifier in heads)

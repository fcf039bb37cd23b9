"""Languages for the Perspective endpoint: normalising requested codes, a small detector, and which languages
each attribute supports.

Perspective auto-detects the language when a request names none and refuses (or, with
``dropUnsupportedAttributes``, drops) an attribute that does not support the request's languages. We do the
same. Which languages an attribute supports is the DOMAIN's answer, not ours: ``support`` reads the table the
pipeline gives (``Pipeline.languages()``: language -> head -> ``trained`` | ``zero_shot``), so when the
multilingual models and their language gate land, the endpoint follows their table without a change here.
Today every head is trained on English only.

Detection is the domain's (``moderation.language``: py3langid, measured on short comments); when it is unsure
the text counts as English.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from moderation.language import LanguageDetector

TRAINED = "trained"
ZERO_SHOT = "zero_shot"
UNSUPPORTED = "unsupported"  # not supported, scored anyway because the operator chose the language gate
LanguageTable = Mapping[str, Mapping[str, str]]  # language -> head (classifier) -> TRAINED | ZERO_SHOT
LANGUAGE_FREE = frozenset({"length"})  # measured without a model: the same in every language

_CODE = re.compile(r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$")


def normalize_code(code: str) -> str | None:
    """``en-US`` / ``EN_gb`` -> ``en``; returns None for something that is not a language code."""
    code = code.strip()
    if not _CODE.match(code):
        return None
    return re.split(r"[-_]", code)[0].lower()


@functools.lru_cache(maxsize=1)
def _shared_detector() -> LanguageDetector:
    return LanguageDetector()


def detect(text: str, detector: LanguageDetector | None = None) -> list[str]:
    """Languages of ``text``, most likely first: the domain's detector (``moderation.language``, the one the
    pipeline uses); ``["en"]`` when it is unsure."""
    return [(detector or _shared_detector()).detect(text).effective]


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

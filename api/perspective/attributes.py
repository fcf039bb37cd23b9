"""The attributes our Perspective-compatible endpoint answers, and how each reads its value from ``Scores``.

Perspective's own names map onto our civility head; our extra attributes (``OFF_TOPIC``, ``STANCE_*``,
``SENTIMENT_*``, ``PADDING``) read the other heads. Requested names may carry Perspective's version suffix
(``TOXICITY@6``) or experimental suffix (``TOXICITY_EXPERIMENTAL``): both map to the same attribute, and the
response keeps the name exactly as requested (Perspective: "attribute names mirror requestedAttributes").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from moderation.domain import Scores

_VERSION = re.compile(r"@\d+$")
_EXPERIMENTAL = "_EXPERIMENTAL"

# Perspective attributes that exist there but have no model here. We have no honest data for them
# (SEXUALLY_EXPLICIT and FLIRTATION above all: no public, licensed, labelled comment set), so they are
# answered exactly as Perspective answers an attribute it cannot serve in the request's language: 400
# LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE, or dropped from the answer under dropUnsupportedAttributes.
PERSPECTIVE_ONLY = frozenset(
    {
        "SEXUALLY_EXPLICIT",
        "FLIRTATION",
        "ATTACK_ON_AUTHOR",
        "ATTACK_ON_COMMENTER",
        "INCOHERENT",
        "INFLAMMATORY",
        "LIKELY_TO_REJECT",
        "OBSCENE",
        "SPAM",
        "UNSUBSTANTIAL",
        "TOXICITY_FAST",
        "AFFINITY_EXPERIMENTAL",
        "COMPASSION_EXPERIMENTAL",
        "CURIOSITY_EXPERIMENTAL",
        "NUANCE_EXPERIMENTAL",
        "PERSONAL_STORY_EXPERIMENTAL",
        "REASONING_EXPERIMENTAL",
        "RESPECT_EXPERIMENTAL",
    }
)


@dataclass(frozen=True)
class AttributeSpec:
    name: str
    classifier: str  # the Scores field that backs it: civility, on_topic, stance, sentiment, length
    key: str | None  # the label inside that classifier's dict (None for a single number)
    description: str
    needs_article: bool = False
    has_spans: bool = False  # per-sentence scores exist (Scores.spans carries civility labels)
    invert: bool = False  # value = 1 - raw (OFF_TOPIC from on_topic)

    def value(self, scores: Scores) -> float | None:
        """The attribute's probability in [0, 1], or None when its classifier is unavailable."""
        raw = _READERS[self.classifier](scores, self.key)
        if raw is None:
            return None
        return 1.0 - raw if self.invert else raw

    def span_value(self, span_scores: dict[str, float]) -> float | None:
        return span_scores.get(self.key) if self.has_spans and self.key else None


def _from_dict(field: str) -> Callable[[Scores, str | None], float | None]:
    def read(scores: Scores, key: str | None) -> float | None:
        values: dict[str, float] | None = getattr(scores, field)
        return None if values is None or key is None else values.get(key)

    return read


def _on_topic(scores: Scores, _key: str | None) -> float | None:
    return scores.on_topic


def _padding(scores: Scores, _key: str | None) -> float | None:
    return scores.length.padding


_READERS: dict[str, Callable[[Scores, str | None], float | None]] = {
    "civility": _from_dict("civility"),
    "stance": _from_dict("stance"),
    "sentiment": _from_dict("sentiment"),
    "on_topic": _on_topic,
    "length": _padding,
}


def _civility(name: str, key: str, description: str) -> AttributeSpec:
    return AttributeSpec(name, "civility", key, description, has_spans=True)


ATTRIBUTES: dict[str, AttributeSpec] = {
    spec.name: spec
    for spec in (
        _civility("TOXICITY", "toxicity", "A rude, disrespectful or unreasonable comment."),
        _civility("SEVERE_TOXICITY", "severe_toxicity", "A very hateful, aggressive, disrespectful comment."),
        _civility("IDENTITY_ATTACK", "identity_attack", "Negative or hateful comments targeting identity."),
        _civility("INSULT", "insult", "An insulting, inflammatory or negative comment towards a person."),
        _civility("PROFANITY", "profanity", "Swear words, curse words, or other obscene language."),
        _civility("THREAT", "threat", "An intention to inflict pain, injury or violence."),
        AttributeSpec(
            "OFF_TOPIC",
            "on_topic",
            None,
            "The comment is not about the article.",
            needs_article=True,
            invert=True,
        ),
        AttributeSpec(
            "STANCE_AGAINST",
            "stance",
            "against",
            "The comment argues against the article.",
            needs_article=True,
        ),
        AttributeSpec(
            "STANCE_FAVOR",
            "stance",
            "favor",
            "The comment argues in favour of the article.",
            needs_article=True,
        ),
        AttributeSpec(
            "STANCE_NEUTRAL",
            "stance",
            "neutral",
            "The comment takes no side on the article.",
            needs_article=True,
        ),
        AttributeSpec("SENTIMENT_NEGATIVE", "sentiment", "negative", "The comment's tone is negative."),
        AttributeSpec("SENTIMENT_NEUTRAL", "sentiment", "neutral", "The comment's tone is neutral."),
        AttributeSpec("SENTIMENT_POSITIVE", "sentiment", "positive", "The comment's tone is positive."),
        AttributeSpec("PADDING", "length", None, "Share of the text that is repetition used as filler."),
    )
}


def base_name(requested: str) -> str:
    """``toxicity@6`` -> ``TOXICITY``; ``INSULT_EXPERIMENTAL`` -> ``INSULT``."""
    name = _VERSION.sub("", requested.strip().upper())
    if name.endswith(_EXPERIMENTAL) and name[: -len(_EXPERIMENTAL)] in ATTRIBUTES:
        name = name[: -len(_EXPERIMENTAL)]
    return name


def lookup(requested: str) -> AttributeSpec | None:
    return ATTRIBUTES.get(base_name(requested))


def supported_list() -> str:
    return ", ".join(ATTRIBUTES)


def unknown_message(requested: str) -> str:
    """Perspective's documented wording, then what this server answers."""
    return f"Unknown requested attribute: {requested}. Supported attributes: {supported_list()}."


COMMENT_STATUSES = frozenset(
    {"APPROVED", "DELETED", "REJECTED"}
)  # older Coral Talk's suggestscore "attributes"


def is_perspective_only(requested: str) -> bool:
    name = base_name(requested)
    return name in PERSPECTIVE_ONLY or name.removesuffix(_EXPERIMENTAL) in PERSPECTIVE_ONLY

"""Labels and the data shapes of the inference contract (re-exported by ``models.runtime``)."""

from __future__ import annotations

from dataclasses import dataclass, field

CIVILITY_LABELS = ("toxicity", "severe_toxicity", "insult", "threat", "profanity", "identity_attack")
SENTIMENT_LABELS = ("negative", "neutral", "positive")
STANCE_LABELS = ("against", "neutral", "favor")
ALL_HEADS = frozenset({"civility", "sentiment", "stance", "on_topic"})
MAX_TOKENS = 256


@dataclass(frozen=True)
class Segment:
    """A sentence of a comment: ``begin``/``end`` are offsets in the ORIGINAL text, ``text`` the model
    input."""

    begin: int
    end: int
    text: str


@dataclass(frozen=True)
class CommentInput:
    """Model input for one comment: the normalised whole text and its sentence segments (may be empty)."""

    text: str
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class SpanScore:
    begin: int
    end: int
    civility: dict[str, float]


@dataclass
class Prediction:
    civility: dict[str, float] | None = None
    spans: list[SpanScore] = field(default_factory=list)
    sentiment: dict[str, float] | None = None
    stance: dict[str, float] | None = None
    on_topic: float | None = None

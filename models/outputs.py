"""Labels and the data shapes of the inference contract (re-exported by ``models.runtime``)."""

from __future__ import annotations

from dataclasses import dataclass, field

CIVILITY_LABELS = ("toxicity", "severe_toxicity", "insult", "threat", "profanity", "identity_attack")
SENTIMENT_LABELS = ("negative", "neutral", "positive")
STANCE_LABELS = ("against", "neutral", "favor")
ALL_HEADS = frozenset({"civility", "sentiment", "stance", "on_topic"})
MAX_TOKENS = 256  # tokens per encoder window, special tokens and the instruction prefix included
# Windows read per comment (16 x 256 = 4,096 encoder tokens, 16 x 254 = 4,064 text tokens without a prefix:
# about 14,000 characters of prose, but only ~1,200-2,000 emoji, 2-4 tokens each):
# a longer comment is read at its first 8 and last 8 windows (``Prediction.unread_tokens`` counts the rest),
# so no single comment can hold the encoder for seconds.
MAX_WINDOWS = 16
# Article passages for on-topic's best-matching-passage cosine (a fit records its own: ``passage_tokens`` in
# the manifest's on-topic calibration; absent = ``MAX_TOKENS``). Shorter passages match a comment about one
# side of a story better (dev: own vs other articles ROC-AUC 0.890 -> 0.909 on our dev reader comments).
PASSAGE_TOKENS = 128


@dataclass(frozen=True)
class Segment:
    """A sentence of a comment: ``begin``/``end`` are offsets in the ORIGINAL text (``text`` is informative:
    the runtime finds the sentence's tokens through the offsets, it never encodes it again)."""

    begin: int
    end: int
    text: str = ""


@dataclass(frozen=True)
class CommentInput:
    """Model input for one comment: the ORIGINAL text (the runtime prepares it, ``models.preprocess``) and its
    sentence segments (may be empty)."""

    text: str
    segments: tuple[Segment, ...] = ()


@dataclass(frozen=True)
class SpanScore:
    """Civility evidence for ``[begin, end)`` of the original text (Python string offsets, i.e. code
    points), from the comment's own forward pass; ``kind`` is ``sentence`` or ``word``."""

    begin: int
    end: int
    civility: dict[str, float]
    kind: str = "sentence"


@dataclass
class Prediction:
    """One comment's scores. Probabilities are calibrated on the dev split (``None``: head not loaded or no
    article given). ``spans`` holds sentence spans (comments of 2+ sentences) and word spans (every word with
    some civility probability >= ``WORD_FLOOR``, at most ``MAX_WORDS``)."""

    civility: dict[str, float] | None = None
    spans: list[SpanScore] = field(default_factory=list)
    sentiment: dict[str, float] | None = None
    stance: dict[str, float] | None = None
    on_topic: float | None = None
    tokens: int = 0  # tokens the encoder read for the comment (all its windows), for budgets and benchmarks
    unread_tokens: int = 0  # text tokens past the per-comment budget (``MAX_WINDOWS``) left unread


WORD_FLOOR = 0.5
MAX_WORDS = 20

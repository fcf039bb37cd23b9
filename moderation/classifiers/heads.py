"""Thin wrappers over the runtime's heads: each reads its part of ONE shared prediction (one forward pass)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moderation.classifiers.base import Classifier, PredictionLike
from moderation.domain import SentenceSpan, WordSpan


@dataclass(frozen=True)
class CivilityClassifier:
    name: str = "civility"
    head: str = "civility"
    needs_article: bool = False

    def read(self, prediction: PredictionLike) -> dict[str, float] | None:
        return None if prediction.civility is None else {k: float(v) for k, v in prediction.civility.items()}


@dataclass(frozen=True)
class OnTopicClassifier:
    name: str = "on_topic"
    head: str = "on_topic"
    needs_article: bool = True

    def read(self, prediction: PredictionLike) -> float | None:
        return None if prediction.on_topic is None else float(prediction.on_topic)


@dataclass(frozen=True)
class StanceClassifier:
    name: str = "stance"
    head: str = "stance"
    needs_article: bool = True

    def read(self, prediction: PredictionLike) -> dict[str, float] | None:
        return None if prediction.stance is None else {k: float(v) for k, v in prediction.stance.items()}


@dataclass(frozen=True)
class SentimentClassifier:
    name: str = "sentiment"
    head: str = "sentiment"
    needs_article: bool = False

    def read(self, prediction: PredictionLike) -> dict[str, float] | None:
        return (
            None if prediction.sentiment is None else {k: float(v) for k, v in prediction.sentiment.items()}
        )


def read_spans(prediction: PredictionLike) -> tuple[tuple[SentenceSpan, ...], tuple[WordSpan, ...]]:
    """The civility evidence per sentence and per word (``models.runtime.SpanScore``, from the comment's own
    forward pass) as the domain's spans."""
    spans = prediction.spans or ()
    sentences = tuple(SentenceSpan(s.begin, s.end, dict(s.civility)) for s in spans if s.kind == "sentence")
    words = tuple(WordSpan(s.begin, s.end, dict(s.civility)) for s in spans if s.kind == "word")
    return sentences, words


def default_classifiers() -> tuple[Classifier, ...]:
    return (CivilityClassifier(), OnTopicClassifier(), StanceClassifier(), SentimentClassifier())


def read_all(classifiers: tuple[Classifier, ...], prediction: PredictionLike) -> dict[str, Any]:
    return {c.name: c.read(prediction) for c in classifiers}

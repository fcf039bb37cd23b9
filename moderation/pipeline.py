"""The scoring pipeline: normalize once, length rules, ONE batched model pass, heads read into ``Scores``.

The model runtime is loaded lazily on first use (or injected: tests pass the session's runtime, unit tests a
small fake through the ``Runtime`` protocol). Importing this module does not import torch.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from moderation.classifiers.articles import ArticleEncodings
from moderation.classifiers.base import Classifier, Runtime
from moderation.classifiers.heads import default_classifiers
from moderation.classifiers.length import LengthClassifier
from moderation.config import Settings
from moderation.domain import Article, CommentRequest, Scores, SpanScore
from moderation.errors import Unavailable
from moderation.policy import DEFAULT_POLICY
from moderation.text import fold, sentences

# models.runtime.ALL_HEADS, repeated so that importing the pipeline does not import torch
ALL_HEADS = frozenset({"civility", "on_topic", "stance", "sentiment"})


def load_runtime(settings: Settings) -> Runtime:
    from models import WEIGHTS_DIR
    from models.runtime import ModelRuntime

    return ModelRuntime.load(
        encoder=settings.encoder,
        weights_dir=settings.weights_dir or WEIGHTS_DIR,
        threads=settings.model_threads,
    )


def model_inputs(texts: Sequence[str]) -> list[Any]:
    """A ``models.runtime.CommentInput`` per text: folded whole text, sentences with original offsets."""
    from models.runtime import CommentInput, Segment

    return [
        CommentInput(text=fold(t), segments=tuple(Segment(b, e, s) for b, e, s in sentences(t)))
        for t in texts
    ]


class Pipeline:
    def __init__(
        self,
        *,
        settings: Settings,
        sessions: sessionmaker[Session] | None = None,
        runtime: Runtime | None = None,
        classifiers: tuple[Classifier, ...] | None = None,
    ) -> None:
        self.settings = settings
        self._runtime = runtime
        self._lock = threading.Lock()
        self._load_error: str | None = None
        self.classifiers = classifiers or default_classifiers()
        self.length = LengthClassifier()
        self.articles = ArticleEncodings(sessions=sessions)

    @property
    def runtime(self) -> Runtime:
        """The model runtime, loaded once on first use (thread-safe)."""
        if self._runtime is None:
            with self._lock:
                if self._runtime is None:
                    try:
                        self._runtime = load_runtime(self.settings)
                    except Exception as exc:  # a broken model install must read as "not ready", not crash
                        self._load_error = f"{type(exc).__name__}: {exc}"
                        raise Unavailable(f"the model could not be loaded ({self._load_error})") from exc
        return self._runtime

    @property
    def loaded(self) -> bool:
        return self._runtime is not None

    @property
    def ready(self) -> bool:
        """Loaded with every head; a service may still answer without some (see ``missing_heads``)."""
        return self.loaded and not self.missing_heads

    @property
    def missing_heads(self) -> frozenset[str]:
        return ALL_HEADS if self._runtime is None else frozenset(self._runtime.missing_heads)

    @property
    def model_version(self) -> str:
        return self.runtime.version

    def encode_article(self, article: Article) -> np.ndarray:
        vector = self.articles.vectors(self.runtime, [article])[0]
        assert vector is not None
        return vector

    def score(
        self,
        requests: list[CommentRequest],
        articles: list[Article | None],
        *,
        limits: list[tuple[int, int]] | None = None,
    ) -> list[Scores]:
        """Score all requests in ONE forward pass; ``limits`` are (min, max) characters per request."""
        if len(requests) != len(articles):
            raise ValueError("one article (or None) per request")
        if not requests:
            return []
        runtime = self.runtime
        limits = limits or [(DEFAULT_POLICY.min_chars, DEFAULT_POLICY.max_chars)] * len(requests)
        vectors = self.articles.vectors(runtime, articles)
        predictions = runtime.predict(model_inputs([r.text for r in requests]), vectors)
        missing = runtime.missing_heads
        out = []
        for request, article, prediction, (low, high) in zip(
            requests, articles, predictions, limits, strict=True
        ):
            applicable = [c for c in self.classifiers if article is not None or not c.needs_article]
            values = {c.name: c.read(prediction) for c in applicable if c.head not in missing}
            spans = tuple(SpanScore(s.begin, s.end, dict(s.civility)) for s in (prediction.spans or ()))
            out.append(
                Scores(
                    length=self.length.classify(request.text, min_chars=low, max_chars=high),
                    civility=values.get("civility"),
                    spans=spans,
                    on_topic=values.get("on_topic"),
                    stance=values.get("stance"),
                    sentiment=values.get("sentiment"),
                    model_version=runtime.version,
                    unavailable=tuple(c.name for c in applicable if c.head in missing),
                )
            )
        return out

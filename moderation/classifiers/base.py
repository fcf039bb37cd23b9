"""The seams between the pipeline and what scores comments.

``Runtime`` is what the pipeline needs from ``models.runtime.ModelRuntime`` (a unit test may pass a small
deterministic fake); ``Classifier`` is one model-backed classifier reading its part of a runtime prediction.
Nothing here imports torch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np


class SpanLike(Protocol):
    """``models.runtime.SpanScore``: one segment's civility, offsets into the original text."""

    @property
    def begin(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def civility(self) -> dict[str, float]: ...

    @property
    def kind(self) -> str: ...  # "sentence" or "word"


class PredictionLike(Protocol):
    """``models.runtime.Prediction``: what one forward pass says about one comment."""

    civility: dict[str, float] | None
    spans: Sequence[SpanLike] | None
    sentiment: dict[str, float] | None
    stance: dict[str, float] | None
    on_topic: float | None
    unread_tokens: int  # text tokens past the per-comment budget (``models.outputs.MAX_WINDOWS``)


class Runtime(Protocol):
    """The inference contract of ``models.runtime.ModelRuntime``."""

    version: str
    heads: frozenset[str]

    @property
    def missing_heads(self) -> frozenset[str]: ...

    @property
    def languages(self) -> dict[str, dict[str, str]]:
        """Per language code, per head: ``trained`` or ``zero_shot`` (absent: unsupported)."""
        ...

    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray: ...

    def encode_articles(self, texts: Sequence[str]) -> Sequence[np.ndarray]: ...

    def predict(
        self, comments: Sequence[Any], article_vectors: Sequence[np.ndarray | None]
    ) -> Sequence[Any]: ...


class Classifier(Protocol):
    """A model-backed classifier: ``head`` is the runtime head it reads; ``needs_article`` if it compares."""

    @property
    def name(self) -> str: ...

    @property
    def head(self) -> str: ...

    @property
    def needs_article(self) -> bool: ...

    def read(self, prediction: PredictionLike) -> Any: ...

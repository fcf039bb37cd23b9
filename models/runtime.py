"""Inference API the service uses: one encoder pass per comment, small heads on top.

This is the contract between ``models/`` and ``moderation/``:

- ``ModelRuntime.load(encoder=..., weights_dir=...)`` loads once per process.
- ``encode_articles(texts)`` -> one L2-normalised vector per article (cache it per article).
- ``predict(comments, article_vectors)`` -> one ``Prediction`` per comment, computed in ONE batched forward
  pass for all comments (and their sentence segments) given.
- ``heads`` says which heads are loaded; a head that is absent yields ``None`` (never invented scores).

Without trained head weights only the base encoder is loaded: ``on_topic`` is then the cosine similarity of
comment and article vectors, mapped to [0, 1], and ``heads == {"on_topic"}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch

from models import WEIGHTS_DIR
from models.encoder import Encoder, load_encoder, mean_pool

CIVILITY_LABELS = ("toxicity", "severe_toxicity", "insult", "threat", "profanity", "identity_attack")
SENTIMENT_LABELS = ("negative", "neutral", "positive")
STANCE_LABELS = ("against", "neutral", "favor")
ALL_HEADS = frozenset({"civility", "sentiment", "stance", "on_topic"})
MAX_TOKENS = 256


@dataclass(frozen=True)
class Segment:
    """A sentence of a comment: ``begin``/``end`` are offsets in the ORIGINAL text, ``text`` the model input."""

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


class ModelRuntime:
    """Loaded encoder plus whatever trained heads exist; thread-safe for inference."""

    def __init__(self, *, encoder: Encoder, version: str, heads: frozenset[str]) -> None:
        self.encoder = encoder
        self.version = version
        self.heads = heads

    @classmethod
    def load(
        cls, *, encoder: str | None = None, weights_dir: Path = WEIGHTS_DIR, threads: int | None = None
    ) -> ModelRuntime:
        base = load_encoder(encoder, threads=threads)
        return cls(encoder=base, version=f"{base.version}+base", heads=frozenset({"on_topic"}))

    @property
    def missing_heads(self) -> frozenset[str]:
        return ALL_HEADS - self.heads

    @torch.inference_mode()
    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        """Base sentence embeddings (mean-pooled, L2-normalised), truncated at the encoder window."""
        if not texts:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), self.encoder.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            batch = self.encoder.tokenizer(
                [texts[i] for i in idx], padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt"
            )
            hidden = self.encoder.model(**batch).last_hidden_state
            pooled = torch.nn.functional.normalize(mean_pool(hidden, batch["attention_mask"]), dim=-1)
            out[idx] = pooled.numpy()
        return out

    def encode_articles(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed(texts)

    def predict(
        self, comments: Sequence[CommentInput], article_vectors: Sequence[np.ndarray | None]
    ) -> list[Prediction]:
        if len(comments) != len(article_vectors):
            raise ValueError("one article vector (or None) per comment")
        vectors = self.embed([c.text for c in comments])
        predictions = []
        for vec, article in zip(vectors, article_vectors, strict=True):
            on_topic = None if article is None else float((1.0 + float(vec @ article)) / 2.0)
            predictions.append(Prediction(on_topic=on_topic))
        return predictions

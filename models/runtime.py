"""Inference API the service uses: one encoder pass per comment, small heads on top.

This is the contract between ``models/`` and ``moderation/``:

- ``ModelRuntime.load(encoder=..., weights_dir=...)`` loads once per process.
- ``encode_articles(texts)`` -> one L2-normalised vector per article (cache it per article), from the BASE
  encoder (long articles: <=256-token windows averaged).
- ``predict(comments, article_vectors)`` -> one ``Prediction`` per comment, computed in ONE batched forward
  pass for all comments (their <=256-token windows and their sentence segments) given.
- ``heads`` says which heads are loaded; a head that is absent yields ``None`` (never invented scores).

Trained heads come from ``weights_dir`` (``multitask.safetensors``) and the manifest next to it
(``weights_dir/../manifest.json``); every file's sha256 is checked against the manifest and a mismatch is
refused (``ManifestError``). Without trained head weights only the base encoder is loaded: ``on_topic`` is
then the cosine similarity of comment and article vectors, mapped to [0, 1], and ``heads == {"on_topic"}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from models import WEIGHTS_DIR
from models.articles import article_vectors
from models.encoder import Encoder, load_encoder, mean_pool
from models.manifest import WEIGHTS_FILE, ManifestError, read_manifest
from models.outputs import (
    ALL_HEADS,
    CIVILITY_LABELS,
    MAX_TOKENS,
    SENTIMENT_LABELS,
    STANCE_LABELS,
    CommentInput,
    Prediction,
    Segment,
    SpanScore,
)
from models.tuned import TunedModel, load_tuned

__all__ = [
    "ALL_HEADS",
    "CIVILITY_LABELS",
    "MAX_TOKENS",
    "SENTIMENT_LABELS",
    "STANCE_LABELS",
    "CommentInput",
    "ManifestError",
    "ModelRuntime",
    "Prediction",
    "Segment",
    "SpanScore",
]


def manifest_path_for(weights_dir: Path) -> Path:
    inside = weights_dir / "manifest.json"
    return inside if inside.exists() else weights_dir.parent / "manifest.json"


class ModelRuntime:
    """Loaded encoder plus whatever trained heads exist; thread-safe for inference."""

    def __init__(
        self,
        *,
        encoder: Encoder,
        version: str,
        heads: frozenset[str],
        tuned: TunedModel | None = None,
        manifest: dict[str, Any] | None = None,
    ) -> None:
        self.encoder = encoder
        self.version = version
        self.heads = heads
        self.tuned = tuned
        self.manifest = manifest or {}

    @classmethod
    def load(
        cls, *, encoder: str | None = None, weights_dir: Path = WEIGHTS_DIR, threads: int | None = None
    ) -> ModelRuntime:
        base = load_encoder(encoder, threads=threads)
        weights_dir = Path(weights_dir)
        manifest_path = manifest_path_for(weights_dir)
        if not (weights_dir / WEIGHTS_FILE).exists() and not manifest_path.exists():
            return cls(encoder=base, version=f"{base.version}+base", heads=frozenset({"on_topic"}))
        manifest = read_manifest(manifest_path)
        tuned = load_tuned(base, manifest, weights_dir)
        return cls(
            encoder=base, version=str(manifest["version"]), heads=ALL_HEADS, tuned=tuned, manifest=manifest
        )

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
                [texts[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            hidden = self.encoder.model(**batch).last_hidden_state
            pooled = torch.nn.functional.normalize(mean_pool(hidden, batch["attention_mask"]), dim=-1)
            out[idx] = pooled.numpy()
        return out

    def encode_articles(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        return article_vectors(self.encoder, texts).numpy().astype(np.float32)

    def predict(
        self, comments: Sequence[CommentInput], article_vectors: Sequence[np.ndarray | None]
    ) -> list[Prediction]:
        if len(comments) != len(article_vectors):
            raise ValueError("one article vector (or None) per comment")
        if self.tuned is not None:
            return self.tuned.predict(comments, article_vectors)
        vectors = self.embed([c.text for c in comments])
        predictions = []
        for vec, article in zip(vectors, article_vectors, strict=True):
            on_topic = None if article is None else float((1.0 + float(vec @ article)) / 2.0)
            predictions.append(Prediction(on_topic=on_topic))
        return predictions

"""Inference API the service uses: one encoder pass per comment, small heads on top.

This is the contract between ``models/`` and ``moderation/``:

- ``ModelRuntime.load(encoder=..., weights_dir=..., cache_dir=...)`` loads once per process (the encoder named
  in the manifest unless ``encoder`` overrides it; ``cache_dir`` holds converted encoders).
- ``encode_articles(texts)`` -> one float32 array ``[1 + n_passages, H]`` per article (cache it per article;
  a flat copy reshaped by ``dim`` is accepted back).
- ``predict(comments, article_encodings)`` -> one ``Prediction`` per comment: every comment's windows run
  through the encoder in token-budget passes, and every score (sentence and word spans included) is pooled
  from those token states.
- ``heads`` says which heads are loaded; a head that is absent yields ``None`` (never invented scores).

Trained weights come from ``weights_dir`` (``multitask.safetensors``: LoRA factors and heads) and the manifest
beside it (``weights_dir/../manifest.json``); every file's sha256 is checked (``ManifestError`` on mismatch).
Without trained weights only the base encoder is loaded: ``on_topic`` is then the cosine of comment and
article vectors mapped to [0, 1], and ``heads == {"on_topic"}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from models import WEIGHTS_DIR
from models.encoder import QUANTIZATIONS, Encoder, load_encoder, mean_pool, quantize_int8
from models.languages import SUPPORT
from models.manifest import WEIGHTS_FILE, ManifestError, read_manifest
from models.outputs import (
    ALL_HEADS,
    CIVILITY_LABELS,
    MAX_TOKENS,
    MAX_WINDOWS,
    SENTIMENT_LABELS,
    STANCE_LABELS,
    CommentInput,
    Prediction,
    Segment,
    SpanScore,
)
from models.preprocess import prepare
from models.tokens import token_counts
from models.tuned import TunedModel, load_tuned

__all__ = [
    "ALL_HEADS",
    "CIVILITY_LABELS",
    "MAX_TOKENS",
    "MAX_WINDOWS",
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
        cls,
        *,
        encoder: str | None = None,
        weights_dir: Path = WEIGHTS_DIR,
        threads: int | None = None,
        cache_dir: Path | None = None,
        check_encoder: bool = True,
        quantize: str = "none",
    ) -> ModelRuntime:
        """``check_encoder=False`` accepts an encoder whose weights differ from the manifest's (evaluation of
        a vocabulary-pruned copy); the service never passes it. ``quantize="int8"`` quantizes the encoder's
        Linear layers after the LoRA merge (``models.encoder.quantize_int8``; the version gains ``+int8``);
        ValueError for another name than ``QUANTIZATIONS``."""
        if quantize not in QUANTIZATIONS:
            raise ValueError(f"quantize must be one of {QUANTIZATIONS}, not {quantize!r}")
        suffix = "" if quantize == "none" else f"+{quantize}"
        weights_dir = Path(weights_dir)
        manifest_path = manifest_path_for(weights_dir)
        if not (weights_dir / WEIGHTS_FILE).exists() and not manifest_path.exists():
            base = load_encoder(encoder, cache_dir=cache_dir, threads=threads)
            if quantize == "int8":
                quantize_int8(base.model)
            return cls(encoder=base, version=f"{base.version}+base{suffix}", heads=frozenset({"on_topic"}))
        manifest = read_manifest(manifest_path)
        info = manifest.get("encoder", {})
        prefixes = (str(info.get("query_prefix", "")), str(info.get("passage_prefix", "")))
        base = load_encoder(
            encoder or info.get("id"), cache_dir=cache_dir, threads=threads, prefixes=prefixes
        )
        tuned = load_tuned(base, manifest, weights_dir, check_encoder=check_encoder)
        if quantize == "int8":
            quantize_int8(base.model)  # the network holds the same module: its encoder is quantized too
        version = f"{manifest['version']}{suffix}"
        return cls(encoder=base, version=version, heads=ALL_HEADS, tuned=tuned, manifest=manifest)

    @property
    def dim(self) -> int:
        return self.encoder.dim

    @property
    def missing_heads(self) -> frozenset[str]:
        return ALL_HEADS - self.heads

    @property
    def languages(self) -> dict[str, dict[str, str]]:
        """Per language, per head: ``trained`` / ``zero_shot`` (``models.languages``; the manifest's copy
        wins). Without trained weights: English on-topic only."""
        if self.tuned is None:
            return {"en": {"on_topic": "trained"}}
        return dict(self.manifest.get("languages") or SUPPORT)

    @torch.inference_mode()
    def embed(self, texts: Sequence[str], *, batch_size: int = 64, prefix: str | None = None) -> np.ndarray:
        """Base sentence embeddings (mean-pooled, L2-normalised; the query prefix unless ``prefix`` says
        otherwise), first window only; the bare encoder pass benchmarks compare against."""
        if not texts:
            return np.zeros((0, self.encoder.dim), dtype=np.float32)
        head = self.encoder.query_prefix if prefix is None else prefix
        prefixed = [head + prepare(t).text for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(prefixed[i]))
        out = np.zeros((len(texts), self.encoder.dim), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            batch = self.encoder.tokenizer(
                [prefixed[i] for i in idx],
                padding=True,
                truncation=True,
                max_length=MAX_TOKENS,
                return_tensors="pt",
            )
            hidden = self.encoder.model(**batch).last_hidden_state
            pooled = torch.nn.functional.normalize(mean_pool(hidden, batch["attention_mask"]), dim=-1)
            out[idx] = pooled.numpy()
        return out

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Encoder tokens per comment (every window it reads, at most ``MAX_WINDOWS``; special and prefix
        tokens included): what ``predict`` will run, for token budgets (the worker's chunks)."""
        prepared = [prepare(t).text for t in texts]
        return token_counts(
            self.encoder.tokenizer, prepared, self.encoder.query_prefix, MAX_TOKENS, max_windows=MAX_WINDOWS
        )

    def encode_articles(self, texts: Sequence[str]) -> list[np.ndarray]:
        if not texts:
            return []
        if self.tuned is not None:
            return self.tuned.encode_articles(texts)
        vectors = self.embed(texts, prefix=self.encoder.passage_prefix)
        return [v[None, :] for v in vectors]

    def predict(
        self,
        comments: Sequence[CommentInput],
        article_vectors: Sequence[np.ndarray | None],
        *,
        spans: bool = True,
    ) -> list[Prediction]:
        if len(comments) != len(article_vectors):
            raise ValueError("one article encoding (or None) per comment")
        if self.tuned is not None:
            return self.tuned.predict(comments, article_vectors, spans=spans)
        vectors = self.embed([c.text for c in comments])
        predictions = []
        for vec, article in zip(vectors, article_vectors, strict=True):
            if article is None:
                predictions.append(Prediction())
                continue
            art = np.asarray(article, dtype=np.float32).reshape(-1, self.dim)[0]
            predictions.append(Prediction(on_topic=float((1.0 + float(vec @ art)) / 2.0)))
        return predictions

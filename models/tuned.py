"""The fine-tuned network at inference: base embeddings + frozen bottom layers (shared with the base encoder)
+ fine-tuned top K layers + calibrated heads, run as ONE batched forward per ``predict`` call."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file
from torch import nn

from models.encoder import MINILM_SHA256, Encoder, sha256_file
from models.manifest import WEIGHTS_FILE, ManifestError, verify_files
from models.network import BottomEncoder, MultiTaskTop
from models.outputs import (
    CIVILITY_LABELS,
    MAX_TOKENS,
    SENTIMENT_LABELS,
    STANCE_LABELS,
    CommentInput,
    Prediction,
    SpanScore,
)


class TunedNetwork(nn.Module):
    """input ids -> mean-pooled comment vectors; the single module called once per ``predict``."""

    def __init__(self, bottom: BottomEncoder, top: MultiTaskTop) -> None:
        super().__init__()
        self.bottom, self.top = bottom, top

    def forward(self, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.top.encode(self.bottom(input_ids, mask), mask)


def _encoder_sha(enc: Encoder) -> str | None:
    path = Path(enc.source) / "model.safetensors"
    if enc.version.startswith("all-MiniLM-L6-v2@"):
        return MINILM_SHA256
    return sha256_file(path) if path.is_file() else None


def load_tuned(base: Encoder, manifest: dict[str, Any], weights_dir: Path) -> TunedModel:
    verify_files(manifest, weights_dir)
    expected = manifest.get("encoder", {}).get("sha256")
    if expected != _encoder_sha(base):
        raise ManifestError(f"heads were trained on encoder sha256 {expected}; {base.source} differs")
    labels = manifest.get("labels", {})
    wanted = {
        "civility": list(CIVILITY_LABELS),
        "sentiment": list(SENTIMENT_LABELS),
        "stance": list(STANCE_LABELS),
    }
    if labels != wanted:
        raise ManifestError(f"manifest labels {labels} differ from the runtime's {wanted}")
    k = int(manifest["k"])
    top = MultiTaskTop(base.model.config, k)
    state = {name: t.float() for name, t in load_file(str(weights_dir / WEIGHTS_FILE)).items()}
    top.load_state_dict(state, strict=True)
    network = TunedNetwork(BottomEncoder(base.model, k), top).eval()
    return TunedModel(
        encoder=base,
        network=network,
        temperatures=manifest["temperatures"],
        thresholds=manifest["thresholds"],
        on_topic_cosine=_cosine_calibration(manifest),
    )


def _cosine_calibration(manifest: dict[str, Any]) -> tuple[float, float] | None:
    fit = manifest.get("on_topic_cosine")
    return None if not fit else (float(fit["a"]), float(fit["b"]))


def token_windows(enc: Encoder, text: str, *, first_only: bool = False) -> list[list[int]]:
    """[CLS] chunk [SEP] windows of at most MAX_TOKENS tokens covering the whole text."""
    ids = enc.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
    cls, sep, size = enc.tokenizer.cls_token_id, enc.tokenizer.sep_token_id, MAX_TOKENS - 2
    chunks = [ids[i : i + size] for i in range(0, len(ids), size)] or [[]]
    return [[cls, *c, sep] for c in (chunks[:1] if first_only else chunks)]


@dataclass
class TunedModel:
    encoder: Encoder
    network: TunedNetwork
    temperatures: dict[str, Any]
    thresholds: dict[str, Any]
    on_topic_cosine: tuple[float, float] | None = None  # p = sigmoid(a * cos + b); else the pair MLP
    max_batch: int = 1024  # sequences per forward; beyond it (rare) the pass is split by length

    def on_topic_probs(self, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        if self.on_topic_cosine is None:
            logits = self.network.top.on_topic_logits(u, v)
            return torch.sigmoid(logits / float(self.temperatures["on_topic"]))
        a, b = self.on_topic_cosine
        cos = (nn.functional.normalize(u, dim=-1) * nn.functional.normalize(v, dim=-1)).sum(-1)
        return torch.sigmoid(a * cos + b)

    def civility_probs(self, logits: torch.Tensor) -> torch.Tensor:
        temps = torch.tensor([float(self.temperatures["civility"][lab]) for lab in CIVILITY_LABELS])
        return torch.sigmoid(logits / temps)

    def _vectors(self, seqs: list[list[int]]) -> torch.Tensor:
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        out = torch.zeros(len(seqs), self.encoder.dim)
        for start in range(0, len(order), self.max_batch):
            idx = order[start : start + self.max_batch]
            width = len(seqs[idx[-1]])
            ids = torch.zeros(len(idx), width, dtype=torch.long)
            mask = torch.zeros(len(idx), width, dtype=torch.long)
            for row, i in enumerate(idx):
                ids[row, : len(seqs[i])] = torch.tensor(seqs[i])
                mask[row, : len(seqs[i])] = 1
            out[torch.tensor(idx)] = self.network(ids, mask)
        return out

    @torch.inference_mode()
    def predict(
        self, comments: Sequence[CommentInput], articles: Sequence[np.ndarray | None]
    ) -> list[Prediction]:
        if not comments:
            return []
        seqs: list[list[int]] = []
        windows: list[list[int]] = []
        spans: list[list[int]] = []
        for c in comments:
            w = token_windows(self.encoder, c.text)
            windows.append(list(range(len(seqs), len(seqs) + len(w))))
            seqs += w
            segs = c.segments if len(c.segments) >= 2 else ()
            spans.append(list(range(len(seqs), len(seqs) + len(segs))))
            seqs += [token_windows(self.encoder, s.text, first_only=True)[0] for s in segs]
        u = self._vectors(seqs)
        top = self.network.top
        civ = self.civility_probs(top.civility_logits(u))
        comment_u = torch.stack([u[w].mean(0) for w in windows])
        comment_civ = torch.stack([civ[w].max(0).values for w in windows])
        sent = torch.softmax(top.sentiment_logits(comment_u) / float(self.temperatures["sentiment"]), -1)
        with_article = [i for i, a in enumerate(articles) if a is not None]
        stance: dict[int, list[float]] = {}
        topic: dict[int, float] = {}
        if with_article:
            v = torch.from_numpy(np.stack([np.asarray(articles[i], dtype=np.float32) for i in with_article]))
            cu = comment_u[torch.tensor(with_article)]
            st = torch.softmax(top.stance_logits(cu, v) / float(self.temperatures["stance"]), -1)
            ot = self.on_topic_probs(cu, v)
            for row, i in enumerate(with_article):
                stance[i], topic[i] = st[row].tolist(), float(ot[row])
        out = []
        for i, c in enumerate(comments):
            segs = c.segments if len(c.segments) >= 2 else ()
            out.append(
                Prediction(
                    civility=dict(zip(CIVILITY_LABELS, comment_civ[i].tolist(), strict=True)),
                    spans=[
                        SpanScore(
                            begin=s.begin,
                            end=s.end,
                            civility=dict(zip(CIVILITY_LABELS, civ[j].tolist(), strict=True)),
                        )
                        for s, j in zip(segs, spans[i], strict=True)
                    ],
                    sentiment=dict(zip(SENTIMENT_LABELS, sent[i].tolist(), strict=True)),
                    stance=dict(zip(STANCE_LABELS, stance[i], strict=True)) if i in stance else None,
                    on_topic=topic.get(i),
                )
            )
        return out

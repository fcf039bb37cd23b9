"""Precompute what never changes during training: the frozen bottom layers' hidden states per unique text
(ragged, fp16) and the base encoder's article vectors. Stored as safetensors under a cache dir,
keyed by a hash of the inputs, so a restarted run skips this step."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import torch
from safetensors.torch import load_file, save_file
from tqdm import tqdm

from models.articles import article_vectors as encode_articles
from models.encoder import Encoder
from models.network import BottomEncoder

log = logging.getLogger(__name__)


@dataclass
class TextCache:
    """Hidden states of text i are ``states[offsets[i]:offsets[i + 1]]`` (CLS .. SEP, no padding)."""

    states: torch.Tensor
    offsets: torch.Tensor

    def batch(self, idx: Sequence[int]) -> tuple[torch.Tensor, torch.Tensor]:
        lengths = [int(self.offsets[i + 1] - self.offsets[i]) for i in idx]
        width = max(lengths)
        hidden = torch.zeros(len(idx), width, self.states.shape[1])
        mask = torch.zeros(len(idx), width, dtype=torch.long)
        for row, (i, n) in enumerate(zip(idx, lengths, strict=True)):
            start = int(self.offsets[i])
            hidden[row, :n] = self.states[start : start + n].float()
            mask[row, :n] = 1
        return hidden, mask


def _key(parts: Sequence[str], *extra: object) -> str:
    digest = hashlib.sha256(repr(extra).encode())
    for part in parts:
        digest.update(part.encode("utf-8", "replace") + b"\0")
    return digest.hexdigest()[:16]


@torch.inference_mode()
def bottom_states(enc: Encoder, texts: Sequence[str], k: int, max_len: int, cache_dir: Path) -> TextCache:
    path = cache_dir / f"bottom-{_key(texts, k, max_len, enc.version)}.safetensors"
    if path.exists():
        data = load_file(str(path))
        return TextCache(states=data["states"], offsets=data["offsets"])
    bottom = BottomEncoder(enc.model, k).eval()
    ids = enc.tokenizer(list(texts), truncation=True, max_length=max_len)["input_ids"]
    lengths = torch.tensor([len(x) for x in ids])
    offsets = torch.zeros(len(texts) + 1, dtype=torch.long)
    offsets[1:] = torch.cumsum(lengths, 0)
    states = torch.zeros(int(offsets[-1]), enc.dim, dtype=torch.float16)
    order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
    step = 128
    for start in tqdm(range(0, len(order), step), desc=f"bottom layers (K={k})", mininterval=10):
        idx = order[start : start + step]
        width = max(len(ids[i]) for i in idx)
        input_ids = torch.zeros(len(idx), width, dtype=torch.long)
        mask = torch.zeros(len(idx), width, dtype=torch.long)
        for row, i in enumerate(idx):
            input_ids[row, : len(ids[i])] = torch.tensor(ids[i])
            mask[row, : len(ids[i])] = 1
        hidden = bottom(input_ids, mask)
        for row, i in enumerate(idx):
            states[int(offsets[i]) : int(offsets[i + 1])] = hidden[row, : len(ids[i])].half()
    cache_dir.mkdir(parents=True, exist_ok=True)
    save_file({"states": states, "offsets": offsets}, str(path))
    return TextCache(states=states, offsets=offsets)


def article_vectors(enc: Encoder, articles: Sequence[str], cache_dir: Path | None = None) -> torch.Tensor:
    """Base-encoder article vectors (see ``models.articles``), cached on disk by a hash of the inputs."""
    path = cache_dir / f"articles-{_key(articles, enc.version)}.safetensors" if cache_dir else None
    if path and path.exists():
        return load_file(str(path))["vectors"]
    vectors = encode_articles(
        enc, articles, progress=lambda r: tqdm(r, desc="article vectors", mininterval=10)
    )
    if path:
        path.parent.mkdir(parents=True, exist_ok=True)
        save_file({"vectors": vectors.contiguous()}, str(path))
    return vectors

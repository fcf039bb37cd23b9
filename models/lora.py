"""Low-rank adapters (LoRA, Hu et al. 2021, arXiv:2106.09685) on the encoder's linear layers.

Training wraps every ``nn.Linear`` of the attention and feed-forward blocks as ``W x + (alpha / r) B A x``
with ``A`` (r x in) and ``B`` (out x r) trainable and ``W`` frozen; ``B`` starts at zero, so training starts
from the base encoder exactly. Only ``A`` and ``B`` (about 1.3 M numbers at r = 16 for a 12-layer, 384-wide
encoder) are shipped; ``merge`` folds them into ``W`` once at load time, so inference costs what the base
encoder costs.

Small and explicit on purpose: the runtime needs only ``merge`` (a matrix product per layer), and the weight
names stay ours (``encoder.layer.3.attention.self.query``), whatever library version trains them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import torch
from torch import nn

TARGETS = (
    "attention.self.query",
    "attention.self.key",
    "attention.self.value",
    "attention.output.dense",
    "intermediate.dense",
    "output.dense",
)


class LoRALinear(nn.Module):
    """``base(x) + scale * (dropout(x) @ A.T @ B.T)``; ``enabled = False`` gives the base layer alone."""

    def __init__(self, base: nn.Linear, rank: int, alpha: float, dropout: float = 0.0) -> None:
        super().__init__()
        self.base = base
        self.rank, self.scale = rank, alpha / rank
        self.lora_a = nn.Parameter(torch.empty(rank, base.in_features))
        self.lora_b = nn.Parameter(torch.zeros(base.out_features, rank))
        nn.init.kaiming_uniform_(self.lora_a, a=math.sqrt(5))
        self.dropout = nn.Dropout(dropout)
        self.enabled = True

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.base(x)
        if not self.enabled:
            return out
        return out + (self.dropout(x) @ self.lora_a.T @ self.lora_b.T) * self.scale


def _targets(encoder: nn.Module) -> Iterator[tuple[str, nn.Module, str]]:
    """(full name, parent module, attribute) of every targeted ``nn.Linear`` in the encoder."""
    for name, module in list(encoder.named_modules()):
        if isinstance(module, nn.Linear) and any(name.endswith(t) for t in TARGETS):
            parent_name, _, attr = name.rpartition(".")
            yield name, encoder.get_submodule(parent_name), attr


def add_adapters(encoder: nn.Module, rank: int, alpha: float, dropout: float = 0.0) -> list[str]:
    """Wrap the targeted layers in place; freeze the rest of the encoder. Returns the wrapped names."""
    for param in encoder.parameters():
        param.requires_grad_(False)
    names = []
    for name, parent, attr in _targets(encoder):
        setattr(parent, attr, LoRALinear(getattr(parent, attr), rank, alpha, dropout))
        names.append(name)
    return names


def set_enabled(encoder: nn.Module, enabled: bool) -> None:
    """Switch every adapter on or off (off = the base encoder, e.g. for a consistency target)."""
    for module in encoder.modules():
        if isinstance(module, LoRALinear):
            module.enabled = enabled


def adapter_state(encoder: nn.Module, prefix: str = "encoder.") -> dict[str, torch.Tensor]:
    """The trainable factors only: ``{prefix}{layer name}.lora_a`` / ``.lora_b``."""
    out = {}
    for name, module in encoder.named_modules():
        if isinstance(module, LoRALinear):
            out[f"{prefix}{name}.lora_a"] = module.lora_a.detach()
            out[f"{prefix}{name}.lora_b"] = module.lora_b.detach()
    return out


@torch.no_grad()
def merge(
    encoder: nn.Module, factors: dict[str, torch.Tensor], scale: float, prefix: str = "encoder."
) -> int:
    """Add ``scale * B @ A`` into each plain ``nn.Linear`` named in ``factors``; returns how many layers
    changed. Raises ``KeyError`` when a factor names no layer (weights for another architecture)."""
    names = {n[len(prefix) : -len(".lora_a")] for n in factors if n.endswith(".lora_a")}
    for name in sorted(names):
        layer = encoder.get_submodule(name)
        if not isinstance(layer, nn.Linear):
            raise KeyError(f"{name} is not a linear layer")
        a = factors[f"{prefix}{name}.lora_a"].to(layer.weight.dtype)
        b = factors[f"{prefix}{name}.lora_b"].to(layer.weight.dtype)
        layer.weight += scale * (b @ a)
    return len(names)

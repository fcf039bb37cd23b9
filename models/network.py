"""The multi-task network on top of the frozen bottom of MiniLM: K fine-tuned transformer layers
and small heads.

Shared by training (which feeds it cached bottom-layer hidden states) and the runtime (which runs the base
encoder's embeddings and bottom layers first). Pair heads see features of
(comment vector u, article vector v):
``[u, v, |u - v|, u * v, cos(u, v)]`` with u, v L2-normalised; v always comes from the unchanged base encoder.
"""

from __future__ import annotations

import copy
from typing import Any

import torch
from torch import nn
from transformers import PretrainedConfig, PreTrainedModel
from transformers.masking_utils import create_bidirectional_mask

from models.encoder import mean_pool

N_CIVILITY = 6
N_SENTIMENT = 3
N_STANCE = 3


def pair_features(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    u = nn.functional.normalize(u, dim=-1)
    v = nn.functional.normalize(v, dim=-1)
    cos = (u * v).sum(-1, keepdim=True)
    return torch.cat([u, v, (u - v).abs(), u * v, cos], dim=-1)


class PairHead(nn.Module):
    """MLP over pair features; LayerNorm first because u*v and cos live on very different scales."""

    def __init__(self, dim: int, hidden: int, out: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.LayerNorm(4 * dim + 1),
            nn.Linear(4 * dim + 1, hidden),
            nn.GELU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, out),
        )

    def forward(self, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return self.net(pair_features(u, v))


class MultiTaskTop(nn.Module):
    """Top K layers (initialised from the base encoder's top K) plus the four heads."""

    def __init__(self, config: PretrainedConfig, k: int, dropout: float = 0.1) -> None:
        super().__init__()
        from transformers.models.bert.modeling_bert import BertLayer

        self.config = config
        self.k = k
        self.layers = nn.ModuleList(BertLayer(config) for _ in range(k))
        dim = int(config.hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.civility = nn.Linear(dim, N_CIVILITY)
        self.sentiment = nn.Linear(dim, N_SENTIMENT)
        self.stance = PairHead(dim, 256, N_STANCE, dropout)
        self.on_topic = PairHead(dim, 128, 1, dropout)

    @classmethod
    def from_base(cls, base: PreTrainedModel, k: int, dropout: float = 0.1) -> MultiTaskTop:
        top = cls(base.config, k, dropout)
        model: Any = base
        base_layers = model.encoder.layer
        n = len(base_layers)
        for i, layer in enumerate(top.layers):
            layer.load_state_dict(copy.deepcopy(base_layers[n - k + i].state_dict()))
        return top

    def encode(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Run the top layers over bottom hidden states; return mean-pooled vectors (unnormalised)."""
        mask4 = create_bidirectional_mask(config=self.config, inputs_embeds=hidden, attention_mask=mask)
        for layer in self.layers:
            out = layer(hidden, attention_mask=mask4)
            hidden = out[0] if isinstance(out, tuple) else out
        return mean_pool(hidden, mask)

    def civility_logits(self, u: torch.Tensor) -> torch.Tensor:
        return self.civility(self.dropout(u))

    def sentiment_logits(self, u: torch.Tensor) -> torch.Tensor:
        return self.sentiment(self.dropout(u))

    def stance_logits(self, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return self.stance(u, v)

    def on_topic_logits(self, u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return self.on_topic(u, v).squeeze(-1)


class BottomEncoder(nn.Module):
    """Embeddings plus the bottom (n - K) layers of the base encoder (frozen, shared with the base model)."""

    def __init__(self, base: PreTrainedModel, k: int) -> None:
        super().__init__()
        model: Any = base
        self.config = base.config
        self.embeddings: nn.Module = model.embeddings
        self.layers = nn.ModuleList(list(model.encoder.layer)[: len(model.encoder.layer) - k])

    def forward(self, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.embeddings(input_ids=input_ids, token_type_ids=torch.zeros_like(input_ids))
        mask4 = create_bidirectional_mask(config=self.config, inputs_embeds=hidden, attention_mask=mask)
        for layer in self.layers:
            out = layer(hidden, attention_mask=mask4)
            hidden = out[0] if isinstance(out, tuple) else out
        return hidden

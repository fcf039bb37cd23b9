"""The comment network: one transformer encoder pass, token states shared by every head.

Shapes: ``B`` sequences (a comment's windows, or training texts), ``T`` tokens, ``H`` hidden size (384),
``N`` real (unpadded) tokens of a batch, ``G`` groups (comments, sentences or words).

- ``token_states(ids, mask)`` -> ``[B, T, H]`` (the encoder; LoRA adapters while training, merged after).
- Pooling over *groups of tokens* (``group_pool``) serves every granularity with one function: a comment is
  the group of all tokens of all its windows, a sentence the group of its tokens, a word the group of its
  word pieces. That is how span scores come from the comment's own forward pass.
- Heads:
  * civility: six attention poolings (one query per attribute, Perspective's labels) over token states, then
    one logit per attribute. A group's logit is the attention-weighted mean of its tokens' logits
    ``w_l . h_t + b_l``, so token logits are exact evidence for the comment logit;
  * sentiment: one attention pooling, a linear layer (negative / neutral / positive);
  * stance: one attention pooling, then an MLP over (comment vector, article vector) pair features;
  * on-topic: no trained head: the mean-pooled comment vector (``mean_vector``) is compared with the
    article's passage vectors and the cosines are calibrated (``models.topic``). Training keeps the mean
    vector close to the base encoder's (a consistency loss), so the base model's retrieval skill survives.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

N_CIVILITY = 6
N_SENTIMENT = 3
N_STANCE = 3


def pair_features(u: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """``[u, v, |u - v|, u * v, cos]`` of L2-normalised ``u``, ``v`` (``[G, H]`` each) -> ``[G, 4H + 1]``."""
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


def flatten(states: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """``[B, T, H]`` and ``[B, T]`` -> the real tokens ``[N, H]`` in row-major order."""
    return states[mask.bool()]


def group_pool(
    states: torch.Tensor, scores: torch.Tensor, groups: torch.Tensor, n_groups: int
) -> torch.Tensor:
    """Attention pooling per group: ``states [N, H]``, ``scores [N, Q]`` (one column per query),
    ``groups [N]`` (a group index per token) -> ``[G, Q, H]``, the softmax(scores)-weighted mean of each
    group's token states, per query. A group without tokens pools to zeros."""
    scores, states = scores.float(), states.float()  # softmax statistics in float32 (also under autocast)
    n_queries = scores.shape[1]
    index = groups.unsqueeze(1).expand(-1, n_queries)
    top = torch.full((n_groups, n_queries), float("-inf"), device=scores.device, dtype=scores.dtype)
    top = top.scatter_reduce(0, index, scores, reduce="amax", include_self=True)
    weights = torch.exp(scores - top[groups])
    total = torch.zeros((n_groups, n_queries), device=scores.device, dtype=scores.dtype)
    total = total.index_add(0, groups, weights)
    weights = weights / total[groups].clamp(min=1e-12)
    pooled = torch.zeros((n_groups, n_queries, states.shape[1]), device=states.device, dtype=states.dtype)
    return pooled.index_add(0, groups, weights.unsqueeze(-1).to(states.dtype) * states.unsqueeze(1))


def group_mean(states: torch.Tensor, groups: torch.Tensor, n_groups: int) -> torch.Tensor:
    """Mean of each group's token states: ``[N, H]``, ``[N]`` -> ``[G, H]``."""
    sums = torch.zeros((n_groups, states.shape[1]), device=states.device, dtype=states.dtype)
    sums = sums.index_add(0, groups, states)
    counts = torch.zeros(n_groups, device=states.device, dtype=states.dtype)
    counts = counts.index_add(0, groups, torch.ones_like(groups, dtype=states.dtype))
    return sums / counts.clamp(min=1).unsqueeze(1)


class AttentionHead(nn.Module):
    """``Q`` attention poolings over token states, one linear output per query (``out`` numbers each)."""

    def __init__(self, dim: int, queries: int, out: int, dropout: float = 0.1) -> None:
        super().__init__()
        self.score = nn.Linear(dim, queries)
        self.weight = nn.Parameter(torch.zeros(queries, out, dim))
        self.bias = nn.Parameter(torch.zeros(queries, out))
        nn.init.normal_(self.weight, std=dim**-0.5)
        self.dropout = nn.Dropout(dropout)

    def pooled(self, states: torch.Tensor, groups: torch.Tensor, n_groups: int) -> torch.Tensor:
        """``[G, Q, H]`` pooled vectors."""
        return group_pool(states, self.score(states), groups, n_groups)

    def logits(self, pooled: torch.Tensor) -> torch.Tensor:
        """``[G, Q, H]`` -> ``[G, Q, out]``."""
        return torch.einsum("gqh,qoh->gqo", self.dropout(pooled), self.weight) + self.bias

    def token_logits(self, states: torch.Tensor) -> torch.Tensor:
        """Per-token evidence ``[N, Q, out]``: a group's logit is the attention-weighted mean of these."""
        return torch.einsum("nh,qoh->nqo", states, self.weight) + self.bias


class CommentNetwork(nn.Module):
    """Encoder + heads. ``encoder`` is a Hugging Face ``BertModel`` (no pooler)."""

    def __init__(self, encoder: Any, dropout: float = 0.1) -> None:
        super().__init__()
        self.encoder = encoder
        dim = int(encoder.config.hidden_size)
        self.civility = AttentionHead(dim, N_CIVILITY, 1, dropout)
        self.sentiment = AttentionHead(dim, 1, N_SENTIMENT, dropout)
        self.stance_pool = AttentionHead(dim, 1, 1, dropout)
        self.stance = PairHead(dim, 256, N_STANCE, dropout)

    def token_states(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        out = self.encoder(input_ids=ids, attention_mask=mask, token_type_ids=torch.zeros_like(ids))
        return out.last_hidden_state

    def civility_logits(self, states: torch.Tensor, groups: torch.Tensor, n: int) -> torch.Tensor:
        """``[G, 6]``."""
        return self.civility.logits(self.civility.pooled(states, groups, n)).squeeze(-1)

    def sentiment_logits(self, states: torch.Tensor, groups: torch.Tensor, n: int) -> torch.Tensor:
        """``[G, 3]``."""
        return self.sentiment.logits(self.sentiment.pooled(states, groups, n)).squeeze(1)

    def stance_vector(self, states: torch.Tensor, groups: torch.Tensor, n: int) -> torch.Tensor:
        """``[G, H]``: the comment vector the stance head compares with the article."""
        return self.stance_pool.pooled(states, groups, n).squeeze(1)

    def stance_logits(self, comment: torch.Tensor, article: torch.Tensor) -> torch.Tensor:
        """``[G, H]`` x ``[G, H]`` -> ``[G, 3]``."""
        return self.stance(comment, article)


def heads_state(network: CommentNetwork) -> dict[str, torch.Tensor]:
    """Every parameter outside the encoder (the shipped heads)."""
    return {k: v for k, v in network.state_dict().items() if not k.startswith("encoder.")}

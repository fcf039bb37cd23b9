"""Article vectors from the BASE encoder: <=256-token windows, mean-pooled, averaged, L2-normalised.

Used by training (cached once) and by ``ModelRuntime.encode_articles`` so both sides see the same vectors.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch

from models.encoder import Encoder, mean_pool

ARTICLE_WINDOW = 256


@torch.inference_mode()
def article_vectors(
    enc: Encoder,
    articles: Sequence[str],
    *,
    batch_size: int = 32,
    progress: Callable[[range], object] | None = None,
) -> torch.Tensor:
    window = ARTICLE_WINDOW - 2
    chunks: list[list[int]] = []
    owner: list[int] = []
    for i, text in enumerate(articles):
        ids = enc.tokenizer(text, add_special_tokens=False, verbose=False)["input_ids"]
        ids = ids or [enc.tokenizer.unk_token_id]
        for start in range(0, len(ids), window):
            chunks.append(ids[start : start + window])
            owner.append(i)
    cls, sep = enc.tokenizer.cls_token_id, enc.tokenizer.sep_token_id
    sums = torch.zeros(len(articles), enc.dim)
    counts = torch.zeros(len(articles), 1)
    order = sorted(range(len(chunks)), key=lambda c: len(chunks[c]))
    starts = range(0, len(order), batch_size)
    for start in progress(starts) if progress else starts:  # type: ignore[attr-defined]
        idx = order[start : start + batch_size]
        width = max(len(chunks[c]) for c in idx) + 2
        input_ids = torch.zeros(len(idx), width, dtype=torch.long)
        mask = torch.zeros(len(idx), width, dtype=torch.long)
        for row, c in enumerate(idx):
            seq = [cls, *chunks[c], sep]
            input_ids[row, : len(seq)] = torch.tensor(seq)
            mask[row, : len(seq)] = 1
        hidden = enc.model(input_ids=input_ids, attention_mask=mask).last_hidden_state
        pooled = torch.nn.functional.normalize(mean_pool(hidden, mask), dim=-1)
        for row, c in enumerate(idx):
            sums[owner[c]] += pooled[row]
            counts[owner[c]] += 1
    return torch.nn.functional.normalize(sums / counts.clamp(min=1), dim=-1)

"""Multi-task training of LoRA adapters and heads over the corpus (``models.train.corpus``).

Per step one task is drawn (``[train.weights]``) and one batch of its training rows runs through the encoder:

- civility: masked binary cross-entropy over the six attributes (a source supervises only what it labels);
- sentiment, stance: cross-entropy (mild inverse-square-root class weights); stance compares the comment with
  its article's vector (the article's first ``passage:`` window, no gradient);
- topic: in-batch contrastive loss (InfoNCE, temperature ``tau``) between a text's mean vector and its
  article's first window, so comment-like texts move towards the passages they are about;
- on every batch, a consistency loss ``lambda * (1 - cos(mean vector, base encoder's mean vector))`` (the base
  vector computed with the adapters switched off), which keeps what the base encoder knows about similarity.

Runs on CUDA with bfloat16 autocast when a GPU is there, else on the CPU in float32. Every ``eval_every``
steps the dev losses are measured; the best-on-dev adapters and heads are kept (with the encoder frozen, each
head's own best, from step 0: ``HeadCheckpoints``).
"""

from __future__ import annotations

import logging
import math
import os
import random
import time
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from models.encoder import Encoder
from models.lora import set_enabled
from models.network import CommentNetwork, group_mean
from models.tokens import windows
from models.train.bottom import BottomCache

log = logging.getLogger(__name__)
TASKS = ("civility", "sentiment", "stance", "topic")


@dataclass
class LoopConfig:
    steps: int
    batch: int
    topic_batch: int
    lr_adapters: float
    lr_heads: float
    weight_decay: float
    warmup: float
    weights: dict[str, float]
    repeat: dict[str, float]
    max_len: int
    article_len: int
    tau: float
    consistency: float
    eval_every: int
    seed: int
    max_seconds: float = float("inf")  # wall-clock budget: stop early, keep the best-on-dev so far


@dataclass
class Data:
    """Token ids per row text and per article (first window), with the row table."""

    rows: list[dict[str, Any]]
    text_ids: list[list[int]]
    article_ids: list[list[int]]
    train: dict[str, list[int]]
    dev: dict[str, list[int]]


def tokenize(enc: Encoder, articles: list[str], rows: list[dict[str, Any]], cfg: LoopConfig) -> Data:
    tok = enc.tokenizer
    text_ids = [
        w[0].ids
        for w in windows(tok, [r["text"] for r in rows], enc.query_prefix, cfg.max_len, first_only=True)
    ]
    article_ids = [
        w[0].ids for w in windows(tok, articles, enc.passage_prefix, cfg.article_len, first_only=True)
    ]
    train: dict[str, list[int]] = defaultdict(list)
    dev: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        (dev if r["dev"] else train)[r["task"]].append(i)
    return Data(rows, text_ids, article_ids, dict(train), dict(dev))


def pad(seqs: list[list[int]], pad_id: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), width), dtype=torch.long)
    for row, s in enumerate(seqs):
        ids[row, : len(s)] = torch.tensor(s)
        mask[row, : len(s)] = 1
    return ids.to(device), mask.to(device)


def repeat_for(repeat: dict[str, float], source: str) -> float:
    """The ``[train.repeat]`` entry for ``source``: its own key, else the longest key it starts with."""
    keys = [k for k in repeat if source == k or source.startswith(k)]
    return float(repeat[max(keys, key=len)]) if keys else 1.0


class Sampler:
    """Per step a task by weight; each task walks shuffled epochs in which a source's rows appear
    ``repeat[source]`` times (fractions sample); batches are grouped by length within windows of 50."""

    def __init__(self, data: Data, cfg: LoopConfig, rng: random.Random) -> None:
        self.data, self.cfg, self.rng = data, cfg, rng
        self.names = [t for t in TASKS if data.train.get(t) and cfg.weights.get(t, 0) > 0]
        self.queue: dict[str, list[list[int]]] = {t: [] for t in self.names}

    def _epoch(self, task: str) -> list[list[int]]:
        rows = []
        for i in self.data.train[task]:
            times = repeat_for(self.cfg.repeat, self.data.rows[i]["source"])
            whole = int(times)
            rows += [i] * whole + ([i] if self.rng.random() < times - whole else [])
        self.rng.shuffle(rows)
        size = self.cfg.topic_batch if task == "topic" else self.cfg.batch
        batches = []
        for start in range(0, len(rows), size * 50):
            chunk = sorted(rows[start : start + size * 50], key=lambda i: len(self.data.text_ids[i]))
            batches += [chunk[j : j + size] for j in range(0, len(chunk), size)]
        self.rng.shuffle(batches)
        return batches

    def next(self) -> tuple[str, list[int]]:
        task = self.rng.choices(self.names, [self.cfg.weights[t] for t in self.names])[0]
        if not self.queue[task]:
            self.queue[task] = self._epoch(task)
        return task, self.queue[task].pop()


class Trainer:
    """Losses per task. ``cache`` (``models.train.bottom.BottomCache``): the bottom layers' states come from
    it and only the top layers run (CPU continuation)."""

    def __init__(
        self,
        net: CommentNetwork,
        enc: Encoder,
        data: Data,
        cfg: LoopConfig,
        device: torch.device,
        cache: BottomCache | None = None,
    ) -> None:
        self.net, self.enc, self.data, self.cfg, self.device = net, enc, data, cfg, device
        self.cache = cache
        self.pad_id = int(enc.tokenizer.pad_token_id or 0)
        self.class_w = {t: self._class_weights(t) for t in ("sentiment", "stance")}
        self.bf16 = device.type == "cuda" or os.environ.get("MODERATION_TRAIN_BF16") == "1"

    def autocast(self) -> Any:
        """A fresh bfloat16 autocast context on CUDA (or when MODERATION_TRAIN_BF16=1), else a no-op."""
        return torch.autocast(self.device.type, dtype=torch.bfloat16) if self.bf16 else nullcontext()

    def _class_weights(self, task: str) -> torch.Tensor:
        labels = torch.tensor([self.data.rows[i]["label"] for i in self.data.train.get(task, [])] or [0])
        w = torch.bincount(labels, minlength=3).float().clamp(min=1).rsqrt()
        return (w / w.mean()).to(self.device)

    def _states(self, seqs: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor, int]:
        """Flat token states ``[N, H]`` and their row groups."""
        ids, mask = pad(seqs, self.pad_id, self.device)
        states = self.net.token_states(ids, mask)
        groups = torch.arange(len(seqs), device=self.device).repeat_interleave(mask.sum(1))
        return states[mask.bool()].float(), groups, len(seqs)

    def text_states(self, idx: list[int]) -> tuple[torch.Tensor, torch.Tensor, int]:
        if self.cache is not None:
            return self.cache.states("text", idx)
        return self._states([self.data.text_ids[i] for i in idx])

    def article_states(self, articles: list[int]) -> tuple[torch.Tensor, torch.Tensor, int]:
        if self.cache is not None:
            return self.cache.states("article", articles)
        return self._states([self.data.article_ids[a] for a in articles])

    @torch.no_grad()
    def base_means(self, idx: list[int]) -> torch.Tensor:
        """The consistency targets: the base encoder's mean vectors (the cache's starting vectors)."""
        if self.cache is not None:
            return self.cache.targets(idx).to(self.device)
        seqs = [self.data.text_ids[i] for i in idx]
        training = self.net.training
        self.net.eval()
        set_enabled(self.net.encoder, False)
        try:
            with self.autocast():
                tokens, groups, n = self._states(seqs)
            return group_mean(tokens, groups, n)
        finally:
            set_enabled(self.net.encoder, True)
            self.net.train(training)

    @torch.no_grad()
    def article_vectors(self, articles: list[int]) -> torch.Tensor:
        training = self.net.training
        self.net.eval()
        try:
            with self.autocast():
                tokens, groups, n = self.article_states(articles)
            return nn.functional.normalize(group_mean(tokens, groups, n), dim=-1)
        finally:
            self.net.train(training)

    def logits(self, task: str, idx: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
        """(task output, mean vectors) for rows ``idx``; topic output = similarity matrix / tau."""
        rows = [self.data.rows[i] for i in idx]
        with self.autocast():
            tokens, groups, n = self.text_states(idx)
            means = group_mean(tokens, groups, n)
            if task == "civility":
                out = self.net.civility_logits(tokens, groups, n)
            elif task == "sentiment":
                out = self.net.sentiment_logits(tokens, groups, n)
            elif task == "stance":
                v = self.article_vectors([r["article"] for r in rows])
                out = self.net.stance_logits(self.net.stance_vector(tokens, groups, n), v)
            else:
                a_tokens, a_groups, a_n = self.article_states([r["article"] for r in rows])
                passages = nn.functional.normalize(group_mean(a_tokens, a_groups, a_n), dim=-1)
                out = nn.functional.normalize(means, dim=-1) @ passages.T / self.cfg.tau
        return out.float(), means.float()

    def task_loss(self, task: str, out: torch.Tensor, idx: list[int]) -> torch.Tensor:
        rows = [self.data.rows[i] for i in idx]
        if task == "civility":
            y = torch.tensor([[0.0 if v is None else v for v in r["y"]] for r in rows], device=self.device)
            m = torch.tensor([[0.0 if v is None else 1.0 for v in r["y"]] for r in rows], device=self.device)
            raw = nn.functional.binary_cross_entropy_with_logits(out, y, reduction="none")
            return (raw * m).sum() / m.sum().clamp(min=1)
        if task == "topic":
            # rows sharing an article are all positives of each other: mask them out as negatives
            arts = torch.tensor([r["article"] for r in rows], device=self.device)
            same = arts[:, None] == arts[None, :]
            out = out.masked_fill(same & ~torch.eye(len(rows), dtype=torch.bool, device=self.device), -1e4)
            return nn.functional.cross_entropy(out, torch.arange(len(rows), device=self.device))
        y = torch.tensor([r["label"] for r in rows], device=self.device)
        return nn.functional.cross_entropy(out, y, weight=self.class_w[task])

    def step_loss(self, task: str, idx: list[int]) -> tuple[torch.Tensor, float]:
        base = self.base_means(idx)
        out, means = self.logits(task, idx)
        loss = self.task_loss(task, out, idx)
        drift = (1 - nn.functional.cosine_similarity(means, base.float(), dim=-1)).mean()
        return loss + self.cfg.consistency * drift, float(drift.detach())

    @torch.no_grad()
    def dev_losses(self, limit: int = 4000) -> dict[str, float]:
        self.net.eval()
        out = {}
        for task, idx in self.data.dev.items():
            idx = idx[:limit]
            size = self.cfg.topic_batch if task == "topic" else self.cfg.batch * 2
            total, count = 0.0, 0
            order = sorted(idx, key=lambda i: len(self.data.text_ids[i]))
            for start in range(0, len(order), size):
                chunk = order[start : start + size]
                if task == "topic" and len(chunk) < 2:
                    continue
                logits, _ = self.logits(task, chunk)
                total += float(self.task_loss(task, logits, chunk)) * len(chunk)
                count += len(chunk)
            if count:
                out[task] = total / count
        self.net.train()
        return out


def trainable(net: CommentNetwork) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone() for k, v in net.named_parameters() if v.requires_grad}


# the parameters each task's loss reaches when the encoder is frozen (``CommentNetwork``'s heads)
HEAD_PARAMS = {
    "civility": ("civility.",),
    "sentiment": ("sentiment.",),
    "stance": ("stance_pool.", "stance."),
}


class HeadCheckpoints:
    """With the whole encoder frozen the heads are independent: each keeps its own best-on-dev state
    (its task's dev loss), measured from step 0, so a head that does not improve stays as it was."""

    def __init__(self) -> None:
        self.best: dict[str, dict[str, Any]] = {}

    def offer(self, net: CommentNetwork, losses: dict[str, float], step: int) -> None:
        state = trainable(net)
        for task, prefixes in HEAD_PARAMS.items():
            if task in losses and (task not in self.best or losses[task] < self.best[task]["loss"]):
                kept = {k: v for k, v in state.items() if k.startswith(prefixes)}
                self.best[task] = {"loss": losses[task], "step": step, "state": kept}

    def load(self, net: CommentNetwork) -> dict[str, Any]:
        for entry in self.best.values():
            net.load_state_dict(entry["state"], strict=False)
        return {task: {"step": e["step"], "loss": round(e["loss"], 4)} for task, e in self.best.items()}


def fit_budget(cfg: LoopConfig, seconds_per_step: float, spent: float) -> None:
    """Shrink ``steps`` (and ``eval_every`` with it) so that the run fits ``max_seconds`` at the measured
    pace, keeping 10 % for dev evaluations; the learning-rate schedule then still decays to zero."""
    affordable = 60 + int((0.9 * cfg.max_seconds - spent) / max(seconds_per_step, 1e-6))
    if affordable < cfg.steps:
        log.warning(
            "%.3f s per step: %d steps instead of %d fit %.0f s",
            seconds_per_step,
            affordable,
            cfg.steps,
            cfg.max_seconds,
        )
        cfg.eval_every = max(1, int(cfg.eval_every * affordable / cfg.steps))
        cfg.steps = affordable


def schedule(step: int, cfg: LoopConfig) -> float:
    warm = max(1, int(cfg.warmup * cfg.steps))
    if step < warm:
        return (step + 1) / warm
    return max(0.0, (cfg.steps - step) / max(1, cfg.steps - warm))


def train(
    net: CommentNetwork,
    enc: Encoder,
    data: Data,
    cfg: LoopConfig,
    device: torch.device,
    cache: BottomCache | None = None,
) -> dict[str, Any]:
    """Train in place; returns a summary and leaves the best-on-dev weights loaded."""
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    net.to(device).train()
    trainer = Trainer(net, enc, data, cfg, device, cache)
    adapters = [p for n, p in net.named_parameters() if p.requires_grad and ".lora_" in n]
    heads = [p for n, p in net.named_parameters() if p.requires_grad and ".lora_" not in n]
    opt = torch.optim.AdamW(
        [{"params": adapters, "lr": cfg.lr_adapters}, {"params": heads, "lr": cfg.lr_heads}],
        weight_decay=cfg.weight_decay,
    )
    base_lrs = [g["lr"] for g in opt.param_groups]
    sampler = Sampler(data, cfg, rng)
    running: dict[str, float] = {}
    best: dict[str, Any] = {}
    best_state = trainable(net)
    per_head = HeadCheckpoints() if not adapters else None
    if per_head is not None:
        per_head.offer(net, trainer.dev_losses(), 0)
    began = time.time()
    step = 0
    warm = began
    while step < cfg.steps:
        for group, lr in zip(opt.param_groups, base_lrs, strict=True):
            group["lr"] = lr * schedule(step, cfg)
        task, idx = sampler.next()
        loss, drift = trainer.step_loss(task, idx)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_([*adapters, *heads], 1.0)
        opt.step()
        value = loss.item()
        if not math.isfinite(value):
            raise FloatingPointError(f"loss is {value} at step {step} ({task})")
        running[task] = 0.98 * running.get(task, value) + 0.02 * value
        running["drift"] = 0.98 * running.get("drift", drift) + 0.02 * drift
        done = step + 1
        if done == 20:
            warm = time.time()  # the first steps carry one-off costs (CUDA start-up, first kernels)
        if done == 60 and math.isfinite(cfg.max_seconds):
            fit_budget(cfg, (time.time() - warm) / 40, time.time() - began)
        out_of_time = time.time() - began > cfg.max_seconds
        if done % 100 == 0:
            log.info(
                "step %d %s (%.0fs)", done, {k: round(v, 4) for k, v in running.items()}, time.time() - began
            )
        if done % cfg.eval_every == 0 or done == cfg.steps or out_of_time:
            losses = trainer.dev_losses()
            score = sum(losses.values()) / max(1, len(losses))
            log.info("step %d dev %s mean %.4f", done, {k: round(v, 4) for k, v in losses.items()}, score)
            if not best or score < best["score"]:
                best = {"score": score, "step": done, "losses": losses}
                best_state = trainable(net)
            if per_head is not None:
                per_head.offer(net, losses, done)
        if out_of_time:
            log.warning(
                "stopping at step %d of %d: the %.0f s budget is spent", done, cfg.steps, cfg.max_seconds
            )
            break
        step = done
    net.load_state_dict(best_state, strict=False)
    if per_head is not None:
        best["per_head"] = per_head.load(net)
        log.info("heads kept from steps %s", best["per_head"])
    net.eval()
    return {"best": best, "seconds": round(time.time() - began, 1), "device": str(device)}

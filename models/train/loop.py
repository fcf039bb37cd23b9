"""The training loop over cached bottom states: multi-task batches, masked losses, checkpoints."""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file, save_file
from torch import nn
from tqdm import tqdm

from models.network import MultiTaskTop
from models.train.batches import Sampler, TaskData
from models.train.cache import TextCache

log = logging.getLogger(__name__)


@dataclass
class LoopConfig:
    steps: int
    batch: int
    lr_layers: float
    lr_heads: float
    weight_decay: float
    warmup: float
    weights: dict[str, float]
    seed: int
    eval_every: int
    checkpoint_every: int


def logits_for(
    model: MultiTaskTop, name: str, cache: TextCache, arts: torch.Tensor, td: TaskData
) -> torch.Tensor:
    hidden, mask = cache.batch(td.text.tolist())
    u = model.encode(hidden, mask)
    if name == "civility":
        return model.civility_logits(u)
    if name == "sentiment":
        return model.sentiment_logits(u)
    assert td.article is not None
    v = arts[td.article]
    return model.stance_logits(u, v) if name == "stance" else model.on_topic_logits(u, v)


def task_loss(
    name: str, logits: torch.Tensor, td: TaskData, class_w: dict[str, torch.Tensor]
) -> torch.Tensor:
    if name == "civility":
        assert td.mask is not None
        raw = nn.functional.binary_cross_entropy_with_logits(logits, td.y.float(), reduction="none")
        return (raw * td.mask).sum() / td.mask.sum().clamp(min=1)
    if name == "on_topic":
        return nn.functional.binary_cross_entropy_with_logits(logits, td.y.float())
    return nn.functional.cross_entropy(logits, td.y, weight=class_w.get(name))


def class_weights(train: dict[str, TaskData]) -> dict[str, torch.Tensor]:
    """Inverse square-root class frequency for the softmax tasks (mild rebalancing, mean 1)."""
    out = {}
    for name in ("sentiment", "stance"):
        counts = torch.bincount(train[name].y, minlength=3).float().clamp(min=1)
        w = counts.rsqrt()
        out[name] = w / w.mean()
    return out


@torch.no_grad()
def predict_logits(
    model: MultiTaskTop, name: str, cache: TextCache, arts: torch.Tensor, td: TaskData
) -> torch.Tensor:
    model.eval()
    outs = []
    order = sorted(
        range(len(td)), key=lambda i: int(cache.offsets[td.text[i] + 1] - cache.offsets[td.text[i]])
    )
    for start in range(0, len(order), 128):
        outs.append(logits_for(model, name, cache, arts, td.take(order[start : start + 128])))
    logits = torch.cat(outs) if outs else torch.zeros(0)
    back = torch.empty_like(logits)
    back[torch.tensor(order, dtype=torch.long)] = logits
    return back


def dev_losses(
    model: MultiTaskTop,
    cache: TextCache,
    arts: torch.Tensor,
    dev: dict[str, TaskData],
    class_w: dict[str, torch.Tensor],
) -> dict[str, float]:
    out = {}
    for name, td in dev.items():
        if len(td):
            out[name] = float(task_loss(name, predict_logits(model, name, cache, arts, td), td, class_w))
    model.train()
    return out


def save_checkpoint(
    path: Path, model: MultiTaskTop, opt: torch.optim.Optimizer, step: int, best: dict
) -> None:
    tensors = {f"model.{k}": v.detach().contiguous() for k, v in model.state_dict().items()}
    names = {id(p): n for n, p in model.named_parameters()}
    for group in opt.param_groups:
        for p in group["params"]:
            for key, value in opt.state.get(p, {}).items():
                if torch.is_tensor(value):
                    tensors[f"opt.{names[id(p)]}.{key}"] = value.detach().reshape(value.shape).contiguous()
    path.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(path / "checkpoint.tmp"))
    (path / "checkpoint.tmp").replace(path / "checkpoint.safetensors")
    (path / "checkpoint.json").write_text(json.dumps({"step": step, "best": best}))


def load_checkpoint(path: Path, model: MultiTaskTop, opt: torch.optim.Optimizer) -> tuple[int, dict]:
    if not (path / "checkpoint.json").exists():
        return 0, {}
    meta = json.loads((path / "checkpoint.json").read_text())
    tensors = load_file(str(path / "checkpoint.safetensors"))
    model.load_state_dict({k[6:]: v for k, v in tensors.items() if k.startswith("model.")})
    for n, p in model.named_parameters():
        state = {
            key: tensors[f"opt.{n}.{key}"]
            for key in ("step", "exp_avg", "exp_avg_sq")
            if f"opt.{n}.{key}" in tensors
        }
        if state:
            opt.state[p] = state
    log.info("resumed from step %d", meta["step"])
    return int(meta["step"]), meta["best"]


def train(
    model: MultiTaskTop,
    cache: TextCache,
    arts: torch.Tensor,
    train_data: dict[str, TaskData],
    dev: dict[str, TaskData],
    cfg: LoopConfig,
    ckpt_dir: Path,
    *,
    finalize: bool = False,
) -> dict[str, Any]:
    """Train (resuming from ``ckpt_dir``) and return with the best-on-dev weights loaded. ``finalize`` skips
    the remaining steps and uses the best checkpoint so far (for a run that must stop early)."""
    torch.manual_seed(cfg.seed)
    class_w = class_weights(train_data)
    layer_params = [p for n, p in model.named_parameters() if n.startswith("layers.")]
    head_params = [p for n, p in model.named_parameters() if not n.startswith("layers.")]
    opt = torch.optim.AdamW(
        [{"params": layer_params, "lr": cfg.lr_layers}, {"params": head_params, "lr": cfg.lr_heads}],
        weight_decay=cfg.weight_decay,
    )
    base_lrs = [g["lr"] for g in opt.param_groups]
    warm = max(1, int(cfg.warmup * cfg.steps))
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    start, best = load_checkpoint(ckpt_dir, model, opt)
    if finalize:
        log.info("finalizing at step %d with the best checkpoint so far: %s", start, best)
        model.load_state_dict(load_file(str(ckpt_dir / "best.safetensors")))
        model.eval()
        return {"best": {**best, "stopped_early_at": start}, "seconds": 0.0}
    sampler = Sampler(train_data, cfg.weights, cfg.batch, cfg.seed, cache.offsets[1:] - cache.offsets[:-1])
    for _ in range(start):  # replay the sampler so a resumed run sees the same batches
        sampler.next()
    model.train()
    running: dict[str, float] = {}
    began = time.time()
    bar = tqdm(range(start, cfg.steps), desc="train", initial=start, total=cfg.steps, mininterval=15)
    for step in bar:
        scale = (step + 1) / warm if step < warm else max(0.0, (cfg.steps - step) / max(1, cfg.steps - warm))
        for group, lr in zip(opt.param_groups, base_lrs, strict=True):
            group["lr"] = lr * scale
        torch.manual_seed(cfg.seed * 100003 + step)  # dropout masks independent of resume point
        name, td = sampler.next()
        loss = task_loss(name, logits_for(model, name, cache, arts, td), td, class_w)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        value = loss.item()
        running[name] = 0.98 * running.get(name, value) + 0.02 * value
        if (step + 1) % 50 == 0:
            bar.set_postfix({k: f"{v:.3f}" for k, v in running.items()})
        done = step + 1
        if done % cfg.eval_every == 0 or done == cfg.steps:
            losses = dev_losses(model, cache, arts, dev, class_w)
            score = sum(losses.values()) / max(1, len(losses))
            log.info(
                "step %d dev losses %s mean %.4f (%.0fs)",
                done,
                json.dumps({k: round(v, 4) for k, v in losses.items()}),
                score,
                time.time() - began,
            )
            if not best or score < best["score"] or not math.isfinite(best["score"]):
                best = {"score": score, "step": done, "losses": losses}
                save_file(
                    {k: v.detach().contiguous() for k, v in model.state_dict().items()},
                    str(ckpt_dir / "best.safetensors"),
                )
        if done % cfg.checkpoint_every == 0 or done == cfg.steps:
            save_checkpoint(ckpt_dir, model, opt, done, best)
    model.load_state_dict(load_file(str(ckpt_dir / "best.safetensors")))
    model.eval()
    return {"best": best, "seconds": time.time() - began}

"""Calibrate on dev and write the shipped artefacts: fp16 safetensors weights and the manifest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import save_file

from models.encoder import MINILM_SHA256, PACKAGE_ENCODER
from models.manifest import WEIGHTS_FILE, write_manifest
from models.network import MultiTaskTop
from models.runtime import CIVILITY_LABELS, SENTIMENT_LABELS, STANCE_LABELS
from models.train.batches import TaskData
from models.train.cache import TextCache
from models.train.calibrate import best_accuracy_threshold, best_macro_f1_threshold, fit_temperature
from models.train.loop import predict_logits
from models.train.on_topic_fit import fit_on_topic_cosine


def calibrate(
    model: MultiTaskTop, cache: TextCache, arts: torch.Tensor, dev: dict[str, TaskData]
) -> dict[str, Any]:
    temps: dict[str, Any] = {}
    thresholds: dict[str, Any] = {}
    dev_metrics: dict[str, float] = {}
    civ = dev["civility"]
    logits = predict_logits(model, "civility", cache, arts, civ)
    assert civ.mask is not None
    temps["civility"], thresholds["civility"] = {}, {}
    for j, label in enumerate(CIVILITY_LABELS):
        keep = civ.mask[:, j] > 0
        t = fit_temperature(logits[keep, j], civ.y[keep, j], binary=True)
        probs = torch.sigmoid(logits[keep, j] / t).numpy()
        temps["civility"][label] = round(t, 4)
        thresholds["civility"][label] = best_macro_f1_threshold(probs, civ.y[keep, j].numpy().astype(int))
        dev_metrics[f"civility.{label}.n"] = int(keep.sum())
    for name in ("sentiment", "stance"):
        logits = predict_logits(model, name, cache, arts, dev[name])
        temps[name] = round(fit_temperature(logits, dev[name].y, binary=False), 4)
        dev_metrics[f"{name}.accuracy"] = float((logits.argmax(-1) == dev[name].y).float().mean())
    logits = predict_logits(model, "on_topic", cache, arts, dev["on_topic"])
    temps["on_topic"] = round(fit_temperature(logits, dev["on_topic"].y, binary=True), 4)
    probs = torch.sigmoid(logits / temps["on_topic"]).numpy()
    thresholds["on_topic"] = best_accuracy_threshold(probs, dev["on_topic"].y.numpy())
    dev_metrics["on_topic.accuracy"] = float(
        ((probs >= thresholds["on_topic"]) == dev["on_topic"].y.numpy()).mean()
    )
    # what the runtime serves: P(on topic) = sigmoid(a * cos + b), see models/train/on_topic_fit.py
    cosine = fit_on_topic_cosine(model, cache, arts, dev["on_topic"])
    thresholds["on_topic"] = 0.5
    dev_metrics["on_topic.cosine_accuracy"] = cosine["dev_accuracy"]
    return {"temperatures": temps, "thresholds": thresholds, "dev": dev_metrics, "on_topic_cosine": cosine}


def export(
    model: MultiTaskTop,
    out: Path,
    *,
    cfg_hash: str,
    cfg: dict[str, Any],
    calib: dict[str, Any],
    training: dict[str, Any],
) -> Path:
    weights_dir = out / "weights"
    weights_dir.mkdir(parents=True, exist_ok=True)
    tensors = {k: v.detach().half().contiguous() for k, v in model.state_dict().items()}
    # one metadata key keeps the file byte-stable across runs (k lives in the manifest)
    save_file(tensors, str(weights_dir / WEIGHTS_FILE), metadata={"format": "pt"})
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    manifest = {
        "version": f"multitask-minilm-k{model.k}-{stamp}-{cfg_hash[:8]}",
        "encoder": {"id": PACKAGE_ENCODER, "sha256": MINILM_SHA256},
        "k": model.k,
        "max_tokens": 256,
        "labels": {
            "civility": list(CIVILITY_LABELS),
            "sentiment": list(SENTIMENT_LABELS),
            "stance": list(STANCE_LABELS),
        },
        "heads": ["civility", "sentiment", "stance", "on_topic"],
        "config_hash": cfg_hash,
        "config": cfg,
        "training": training,
        **calib,
    }
    path = out / "manifest.json"
    write_manifest(path, manifest, weights_dir)
    return path


def numpy_safe(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: numpy_safe(v) for k, v in obj.items()}
    if isinstance(obj, np.generic):
        return obj.item()
    return obj

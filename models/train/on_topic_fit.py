"""On-topic probability as a calibrated function of one number: the cosine between the fine-tuned comment
vector and the base article vector, ``p = sigmoid(a * cos + b)``, fitted on the dev pairs.

Why not the pair MLP alone: it ranks the training pairs well (FNC-1 headlines, tweets vs stance targets),
but on real reader comments against a full news article its probabilities collapse towards 0 (a supportive,
clearly on-topic comment on the demo article scored 0.18), while the cosine keeps its order. One monotone
function of the cosine cannot overfit the shape of headlines, and its dev fit is a proper calibration.

    python -m models.train.on_topic_fit [--config models/train/config.toml] [--models-dir models]

rewrites ``on_topic_cosine`` and the on-topic threshold in the manifest of the weights in ``--models-dir``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file

from models import MODELS_DIR
from models.encoder import load_encoder
from models.manifest import WEIGHTS_FILE, read_manifest, verify_files
from models.network import MultiTaskTop
from models.train.batches import TaskData, index_tasks
from models.train.cache import TextCache, article_vectors, bottom_states
from models.train.sources import tasks_from_config

log = logging.getLogger("models.train.on_topic_fit")


@torch.no_grad()
def pair_cosines(model: MultiTaskTop, cache: TextCache, arts: torch.Tensor, pairs: TaskData) -> torch.Tensor:
    assert pairs.article is not None, "on-topic pairs carry article indices"
    model.eval()
    out = torch.zeros(len(pairs))
    for start in range(0, len(pairs), 256):
        idx = list(range(start, min(start + 256, len(pairs))))
        hidden, mask = cache.batch(pairs.text[idx].tolist())
        u = torch.nn.functional.normalize(model.encode(hidden, mask), dim=-1)
        v = torch.nn.functional.normalize(arts[pairs.article[idx]], dim=-1)
        out[idx] = (u * v).sum(-1)
    return out


def fit_logistic(x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """Two-parameter logistic regression by L-BFGS (Platt scaling of the cosine)."""
    params = torch.tensor([10.0, -2.0], requires_grad=True)
    opt = torch.optim.LBFGS([params], lr=0.5, max_iter=200)
    target = y.float()

    def closure() -> torch.Tensor:
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(params[0] * x + params[1], target)
        loss.backward()
        return loss

    opt.step(closure)
    a, b = params.detach().tolist()
    return float(a), float(b)


def fit_on_topic_cosine(
    model: MultiTaskTop, cache: TextCache, arts: torch.Tensor, dev: TaskData
) -> dict[str, Any]:
    cos = pair_cosines(model, cache, arts, dev)
    a, b = fit_logistic(cos, dev.y)
    probs = torch.sigmoid(a * cos + b)
    accuracy = float(((probs >= 0.5).long() == dev.y).float().mean())
    log.info("on-topic cosine calibration a=%.3f b=%.3f dev accuracy %.4f (n=%d)", a, b, accuracy, len(dev))
    return {"a": round(a, 4), "b": round(b, 4), "dev_accuracy": round(accuracy, 4), "dev_n": len(dev)}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m models.train.on_topic_fit", description=__doc__)
    parser.add_argument("--config", type=Path, default=MODELS_DIR / "train" / "config.toml")
    parser.add_argument("--models-dir", type=Path, default=MODELS_DIR)
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "moderation-train-cache"
    )
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stdout)
    torch.set_num_threads(args.threads)
    cfg = tomllib.loads(args.config.read_text())
    manifest_path = args.models_dir / "manifest.json"
    weights_dir = args.models_dir / "weights"
    manifest = read_manifest(manifest_path)
    verify_files(manifest, weights_dir)
    tasks = tasks_from_config(cfg)
    data = index_tasks(tasks)
    enc = load_encoder(threads=args.threads)
    k, max_len = int(manifest["k"]), int(cfg["model"]["max_len"])
    cache = bottom_states(enc, data.texts, k, max_len, args.cache_dir)
    arts = article_vectors(enc, data.articles, args.cache_dir)
    model = MultiTaskTop(enc.model.config, k)
    state = {name: t.float() for name, t in load_file(str(weights_dir / WEIGHTS_FILE)).items()}
    model.load_state_dict(state, strict=True)
    fit = fit_on_topic_cosine(model, cache, arts, data.dev["on_topic"])
    manifest["on_topic_cosine"] = fit
    manifest.setdefault("thresholds", {})["on_topic"] = 0.5
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return fit


if __name__ == "__main__":
    main()

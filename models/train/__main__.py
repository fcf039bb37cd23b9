"""python -m models.train --config models/train/config.toml [--quick] [--out DIR]

Writes DIR/weights/multitask.safetensors and DIR/manifest.json (DIR defaults to models/ for the full run and
to a fresh temp dir for --quick, so a quick run never overwrites the shipped weights unless --out says so).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import load_file

from models import MODELS_DIR
from models.encoder import load_encoder
from models.manifest import WEIGHTS_FILE, config_hash, verify_files
from models.network import MultiTaskTop
from models.splits import is_dev
from models.train.batches import Indexed, TaskData, index_tasks
from models.train.cache import TextCache, article_vectors, bottom_states
from models.train.export import calibrate, export, numpy_safe
from models.train.identity_negatives import identity_negatives
from models.train.loop import LoopConfig, train
from models.train.sources import Tasks, tasks_from_config

log = logging.getLogger("models.train")


def shrink(tasks: Tasks, per_task: int, seed: int, max_articles: int = 40) -> Tasks:
    """A few hundred examples per task; pair tasks keep only a few articles (article encoding dominates)."""
    rng = random.Random(seed)
    articles = sorted({row[1] for row in tasks.stance + tasks.on_topic})
    keep = set(rng.sample(articles, min(max_articles, len(articles))))
    keep |= {row[1] for row in tasks.stance if row[3] == "tweet"}

    def pick(rows: list, pair: bool = False) -> list:
        rows = [r for r in rows if r[1] in keep] if pair else rows
        return rng.sample(rows, min(per_task, len(rows)))

    return Tasks(
        civility=pick(tasks.civility),
        sentiment=pick(tasks.sentiment),
        stance=pick(tasks.stance, pair=True),
        on_topic=pick(tasks.on_topic, pair=True),
    )


def add_civility_negatives(data: Indexed, texts: list[str]) -> list[str]:
    """Append all-zero civility rows for ``texts`` after the indexed texts (so the base texts keep their
    indices and their cached bottom states); dev by the usual ``is_dev`` hash. Returns the new texts."""
    known = set(data.texts)
    new = [x for x in dict.fromkeys(texts) if x not in known]
    first = len(data.texts)
    data.texts.extend(new)
    for name, flag in (("train", False), ("dev", True)):
        rows = [first + i for i, x in enumerate(new) if is_dev(x, "civility") == flag]
        if not rows:
            continue
        old: TaskData = getattr(data, name)["civility"]
        assert old.mask is not None
        n = len(rows)
        getattr(data, name)["civility"] = TaskData(
            text=torch.cat([old.text, torch.tensor(rows, dtype=old.text.dtype)]),
            y=torch.cat([old.y, torch.zeros(n, old.y.shape[1], dtype=old.y.dtype)]),
            mask=torch.cat([old.mask, torch.ones(n, old.mask.shape[1], dtype=old.mask.dtype)]),
        )
    return new


def join_caches(a: TextCache, b: TextCache) -> TextCache:
    return TextCache(
        states=torch.cat([a.states, b.states]), offsets=torch.cat([a.offsets, b.offsets[1:] + a.offsets[-1]])
    )


def init_from(model: MultiTaskTop, source: Path) -> int:
    """Start from shipped weights: ``source`` is a manifest.json or the directory holding it (with
    ``weights/multitask.safetensors`` beside it); the manifest's sha256 is verified first. Returns the
    source's k."""
    manifest_path = source if source.suffix == ".json" else source / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    weights_dir = manifest_path.parent / "weights"
    verify_files(manifest, weights_dir)
    source_k = int(manifest["k"])
    if source_k > model.k:
        raise ValueError(f"{manifest_path}: k={source_k} but the config says k={model.k} (k may only grow)")
    state = {name: t.float() for name, t in load_file(str(weights_dir / WEIGHTS_FILE)).items()}
    # deepening: the source's layers become the top ones, the new bottom ones keep the base encoder's
    shift = model.k - source_k
    own = model.state_dict()
    for name, tensor in state.items():
        if name.startswith("layers."):
            _, index, rest = name.split(".", 2)
            name = f"layers.{int(index) + shift}.{rest}"
        own[name] = tensor
    model.load_state_dict(own, strict=True)
    log.info(
        "initialised from %s (%s), k %d -> %d", manifest_path, manifest.get("version"), source_k, model.k
    )
    return source_k


def average_weights(model: MultiTaskTop, sources: list[Path]) -> None:
    """Load the uniform average of several trained weights (Wortsman et al. 2022, *model soups*): runs of
    one recipe (here a run and its continuation) share a basin, and their average is often better than
    either. Every source is sha256-checked and must have the model's k."""
    total: dict[str, torch.Tensor] = {}
    for source in sources:
        if init_from(model, source) != model.k:
            raise ValueError(f"{source}: a soup needs weights with k={model.k}")
        for name, tensor in model.state_dict().items():
            total[name] = total.get(name, torch.zeros_like(tensor)) + tensor / len(sources)
    model.load_state_dict(total, strict=True)
    model.eval()


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(prog="python -m models.train")
    parser.add_argument("--config", type=Path, default=MODELS_DIR / "train" / "config.toml")
    parser.add_argument("--quick", action="store_true", help="a few hundred examples, for tests")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "moderation-train-cache"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--init-from",
        type=Path,
        default=None,
        help="continue from shipped weights (a manifest.json or its directory); overrides [train] init_from",
    )
    parser.add_argument(
        "--finalize", action="store_true", help="stop a killed run early: export its best checkpoint so far"
    )
    parser.add_argument(
        "--soup",
        type=Path,
        nargs="+",
        default=None,
        help="no training: average these trained weights (manifest dirs, same k; a uniform model soup), "
        "then calibrate on dev and export as usual",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stdout)
    torch.set_num_threads(args.threads)
    raw = args.config.read_text()
    cfg = tomllib.loads(raw)
    out = args.out or (Path(tempfile.mkdtemp(prefix="models-quick-")) if args.quick else MODELS_DIR)
    began = time.time()
    seed = int(cfg["data"]["seed"])
    random.seed(seed)
    torch.manual_seed(seed)
    tasks = tasks_from_config(cfg)
    tc = dict(cfg["train"])
    if args.quick:
        tasks = shrink(tasks, cfg["quick"]["per_task"], seed)
        tc.update({k: cfg["quick"][k] for k in ("steps", "eval_every", "checkpoint_every")})
    data = index_tasks(tasks, civility_repeat=dict(cfg["data"].get("civility_repeat", {})))
    n_base = len(data.texts)
    extra = (
        add_civility_negatives(data, identity_negatives()) if cfg["data"].get("identity_negatives") else []
    )
    log.info(
        "texts %d, articles %d, train %s, dev %s",
        len(data.texts),
        len(data.articles),
        {k: len(v) for k, v in data.train.items()},
        {k: len(v) for k, v in data.dev.items()},
    )
    k, max_len = int(cfg["model"]["k"]), int(cfg["model"]["max_len"])
    enc = load_encoder(threads=args.threads)
    cache = bottom_states(enc, data.texts[:n_base], k, max_len, args.cache_dir)
    if extra:  # separate small cache: the big one stays keyed by the base texts
        cache = join_caches(cache, bottom_states(enc, extra, k, max_len, args.cache_dir))
        log.info("identity negatives: %d civility rows (all labels 0)", len(extra))
    arts = article_vectors(enc, data.articles, args.cache_dir)
    log.info("caches ready (%.0fs)", time.time() - began)
    model = MultiTaskTop.from_base(enc.model, k, float(cfg["model"]["dropout"]))
    source = args.init_from or (Path(tc["init_from"]) if tc.get("init_from") else None)
    if source is not None:
        init_from(model, source)
    loop_cfg = LoopConfig(
        steps=int(tc["steps"]),
        batch=int(tc["batch"]),
        lr_layers=float(tc["lr_layers"]),
        lr_heads=float(tc["lr_heads"]),
        weight_decay=float(tc["weight_decay"]),
        warmup=float(tc["warmup"]),
        weights=dict(tc["weights"]),
        seed=seed,
        eval_every=int(tc["eval_every"]),
        checkpoint_every=int(tc["checkpoint_every"]),
    )
    chash = config_hash(
        raw
        + ("\nquick" if args.quick else "")
        + (f"\ninit_from {args.init_from}" if args.init_from else "")
        + (f"\nsoup {[str(p) for p in args.soup]}" if args.soup else "")
    )
    ckpt = args.cache_dir / "checkpoints" / chash
    if args.soup:
        average_weights(model, args.soup)
        result: dict[str, Any] = {"best": {"soup": [str(p) for p in args.soup]}, "seconds": 0.0}
    else:
        result = train(model, cache, arts, data.train, data.dev, loop_cfg, ckpt, finalize=args.finalize)
    calib = calibrate(model, cache, arts, data.dev)
    log.info("calibration %s", calib)
    training = {
        "quick": args.quick,
        "seconds": round(time.time() - began),
        "train_loop_seconds": round(float(result["seconds"])),
        "best": result["best"],
        "threads": args.threads,
        "init_from": str(source) if source is not None else None,
        "identity_negatives": len(extra),
        "train_sizes": {k: len(v) for k, v in data.train.items()},
        "dev_sizes": {k: len(v) for k, v in data.dev.items()},
    }
    path = export(model, out, cfg_hash=chash, cfg=cfg, calib=numpy_safe(calib), training=numpy_safe(training))
    log.info("wrote %s in %.0fs", path, time.time() - began)
    return path


if __name__ == "__main__":
    main()

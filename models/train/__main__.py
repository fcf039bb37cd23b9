"""python -m models.train --config models/train/config.toml [--quick] [--seed N] [--out DIR]

One command from the shared datasets to shipped weights: build the corpus (``models.train.corpus``, cached by
its config in ``--cache-dir``), train LoRA adapters and heads (``models.train.loop``), calibrate on dev and
write ``DIR/weights/multitask.safetensors`` and ``DIR/manifest.json`` (``models.train.export``).
DIR defaults to models/ for a full run and to a fresh temp dir for ``--quick`` (a few hundred rows per task,
a few dozen steps: minutes on a CPU, for tests), so a quick run never overwrites the shipped weights.

The full run needs a GPU to be practical (about 4 minutes on one H200 per seed; on 2 CPU cores it would take
about a day); ``--corpus`` trains from a corpus file built elsewhere (``--build-corpus-only`` writes one),
``--encoder`` names another copy of the encoder (``--record-encoder`` then names the encoder the manifest
promises, e.g. when training ran on a vocabulary-pruned copy of multilingual-e5-small).
"""

from __future__ import annotations

import argparse
import hashlib
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

from models import MODELS_DIR
from models.encoder import load_encoder
from models.lora import add_adapters
from models.manifest import config_hash, read_manifest
from models.network import CommentNetwork
from models.train import corpus as corpus_mod
from models.train.bottom import BottomCache, init_from
from models.train.export import calibrate, encoder_record, export
from models.train.loop import TASKS, LoopConfig, Trainer, tokenize, train
from models.tuned import TunedModel

log = logging.getLogger("models.train")


def shrink(rows: list[dict[str, Any]], per_task: int, seed: int) -> list[dict[str, Any]]:
    """--quick: ``per_task`` training rows and a quarter as many dev rows per task."""
    rng = random.Random(seed)
    out = []
    for task in TASKS:
        for dev, n in ((False, per_task), (True, max(8, per_task // 4))):
            pool = [r for r in rows if r["task"] == task and r["dev"] == dev]
            out += rng.sample(pool, min(n, len(pool)))
    return out


def keep_fraction(
    rows: list[dict[str, Any]], keep: dict[str, float], dev_keep: float, seed: int
) -> list[dict[str, Any]]:
    """``[train.keep]``: the share of a source's training rows to use (a prefix matches like
    ``[train.repeat]``); ``dev_keep``: the share of dev rows. Deterministic for a seed."""
    if not keep and dev_keep >= 1.0:
        return rows
    from models.train.loop import repeat_for

    rng = random.Random(seed)
    return [r for r in rows if rng.random() < (dev_keep if r["dev"] else repeat_for(keep, r["source"]))]


def corpus_file(cfg: dict[str, Any], cache_dir: Path) -> Path:
    """Build (or reuse) the corpus for the config's ``[data]`` table."""
    key = hashlib.sha256(json.dumps(cfg["data"], sort_keys=True).encode()).hexdigest()[:12]
    path = cache_dir / f"corpus-{key}.json.gz"
    if not path.exists():
        began = time.time()
        corpus = corpus_mod.build(cfg["data"])
        corpus_mod.save(corpus, path, {"data": cfg["data"]})
        log.info(
            "corpus: %d rows, %d articles (%.0fs) -> %s",
            len(corpus.rows),
            len(corpus.articles),
            time.time() - began,
            path,
        )
    return path


def loop_config(cfg: dict[str, Any], quick: bool, seed: int) -> LoopConfig:
    tc = dict(cfg["train"])
    if quick:
        tc.update({k: cfg["quick"][k] for k in ("steps", "eval_every", "max_len", "batch", "topic_batch")})
    return LoopConfig(
        steps=int(tc["steps"]),
        batch=int(tc["batch"]),
        topic_batch=int(tc["topic_batch"]),
        lr_adapters=float(tc["lr_adapters"]),
        lr_heads=float(tc["lr_heads"]),
        weight_decay=float(tc["weight_decay"]),
        warmup=float(tc["warmup"]),
        weights=dict(tc["weights"]),
        repeat=dict(tc.get("repeat", {})),
        max_len=int(tc["max_len"]),
        article_len=int(tc["article_len"]),
        tau=float(tc["tau"]),
        consistency=float(tc["consistency"]),
        eval_every=int(tc["eval_every"]),
        seed=seed,
    )


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(prog="python -m models.train", description=__doc__.split("\n\n")[1])
    parser.add_argument("--config", type=Path, default=MODELS_DIR / "train" / "config.toml")
    parser.add_argument("--quick", action="store_true", help="a few hundred rows per task, for tests")
    parser.add_argument("--seed", type=int, default=None, help="training seed (default: the config's)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "moderation-train-cache"
    )
    parser.add_argument(
        "--corpus", type=Path, default=None, help="a corpus file (else built from the datasets)"
    )
    parser.add_argument(
        "--build-corpus-only", type=Path, default=None, metavar="FILE", help="write the corpus and stop"
    )
    parser.add_argument("--encoder", default=None, help="encoder to train on (default: the package e5)")
    parser.add_argument("--record-encoder", default=None, help="encoder id the manifest names (see above)")
    parser.add_argument("--device", default=None, help="cuda or cpu (default: cuda when available)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--init-from", type=Path, default=None, help="continue from trained weights (a manifest dir)"
    )
    parser.add_argument(
        "--max-seconds", type=float, default=float("inf"), help="stop training after this long"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stdout)
    torch.set_num_threads(args.threads)
    raw = args.config.read_text()
    cfg = tomllib.loads(raw)
    if args.build_corpus_only:
        corpus = corpus_mod.build(cfg["data"])
        corpus_mod.save(corpus, args.build_corpus_only, {"data": cfg["data"]})
        log.info(
            "corpus: %d rows, %d articles -> %s",
            len(corpus.rows),
            len(corpus.articles),
            args.build_corpus_only,
        )
        return args.build_corpus_only
    seed = int(cfg["data"]["seed"]) if args.seed is None else args.seed
    random.seed(seed)
    torch.manual_seed(seed)
    began = time.time()
    articles, rows, _meta = corpus_mod.load(args.corpus or corpus_file(cfg, args.cache_dir))
    if args.quick:
        rows = shrink(rows, int(cfg["quick"]["per_task"]), seed)
    # which rows [train.keep] samples: the training seed unless the config fixes it (``keep_seed``), so that
    # several seeds of a frozen-encoder stage share one sample and one cache
    keep_seed = int(cfg["train"].get("keep_seed", seed))
    rows = keep_fraction(
        rows, dict(cfg["train"].get("keep", {})), float(cfg["train"].get("dev_keep", 1.0)), keep_seed
    )
    device = torch.device(args.device or ("cuda" if torch.cuda.is_available() else "cpu"))
    model_cfg = cfg["model"]
    prefixes = (str(model_cfg.get("query_prefix", "")), str(model_cfg.get("passage_prefix", "")))
    enc = load_encoder(
        args.encoder,
        cache_dir=args.cache_dir if args.encoder is None else None,
        threads=args.threads,
        prefixes=prefixes,
    )
    net = CommentNetwork(enc.model, float(model_cfg["dropout"]))
    add_adapters(
        net.encoder, int(model_cfg["rank"]), float(model_cfg["alpha"]), float(model_cfg["lora_dropout"])
    )
    lc = loop_config(cfg, args.quick, seed)
    lc.max_seconds = args.max_seconds
    data = tokenize(enc, articles, rows, lc)
    log.info(
        "rows: train %s dev %s",
        {k: len(v) for k, v in data.train.items()},
        {k: len(v) for k, v in data.dev.items()},
    )
    freeze = int(model_cfg.get("freeze_layers", 0))
    frozen: dict[str, torch.Tensor] = {}
    cache = None
    if args.init_from:
        frozen = init_from(net, args.init_from, freeze)
    if freeze:
        if not args.init_from:
            parser.error("freeze_layers needs --init-from")
        cache = BottomCache(
            net,
            data.text_ids,
            data.article_ids,
            freeze,
            args.cache_dir,
            key=f"{args.init_from}:{lc.max_len}:{args.quick}:{keep_seed}",
        )
    result = train(net, enc, data, lc, device, cache)
    tuned = TunedModel(encoder=enc, network=net, calibration={})
    trainer = Trainer(net, enc, data, lc, device, cache)
    layers = int(enc.model.config.num_hidden_layers)
    kept = read_manifest(args.init_from / "manifest.json") if args.init_from and freeze >= layers else None
    calib = calibrate(trainer, tuned, articles, on_topic_from=kept)
    log.info("calibration %s", json.dumps(calib))
    chash = config_hash(raw + ("\nquick" if args.quick else ""))
    out = args.out or (Path(tempfile.mkdtemp(prefix="models-quick-")) if args.quick else MODELS_DIR)
    training = {
        "quick": args.quick,
        "seed": seed,
        "seconds": round(time.time() - began),
        "loop": result,
        "rows_train": {k: len(v) for k, v in data.train.items()},
        "rows_dev": {k: len(v) for k, v in data.dev.items()},
    }
    training["init_from"] = str(args.init_from) if args.init_from else None
    path = export(
        net.cpu(),
        encoder_record(enc, args.record_encoder),
        out,
        cfg_hash=chash,
        cfg=cfg,
        calib=calib,
        training=training,
        extra=frozen,
    )
    log.info("wrote %s in %.0fs", path, time.time() - began)
    return path


if __name__ == "__main__":
    main()

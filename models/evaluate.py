"""python -m models.evaluate --task {civility,sentiment,stance,on_topic,fnc} --data FILE [--format json]
[--plots DIR] [--weights-dir DIR]

FILE is JSON lines like the shared datasets: ``text``, ``label`` (that dataset's label names) and ``article``
or ``target`` for pair tasks (FNC: ``text`` = headline, ``article`` = body). Decision thresholds come from the
manifest (chosen on the dev split carved from train), never from the file evaluated here.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models import WEIGHTS_DIR
from models.eval_metrics import FNC_LABELS, classification, fnc_score, roc_auc, save_confusion, save_pr_curves

TASKS = ("civility", "sentiment", "stance", "on_topic", "fnc")
# civility: dataset label -> (attribute scored, gold is positive). One table for every source we evaluate.
CIVILITY_MAP: dict[str, tuple[str, bool]] = {
    "offensive": ("toxicity", True),
    "not-offensive": ("toxicity", False),  # TweetEval offensive
    "OFF": ("toxicity", True),
    "NOT": ("toxicity", False),  # OLID
    "hate": ("identity_attack", True),
    "not-hate": ("identity_attack", False),  # TweetEval hate
    "threat": ("threat", True),
    "not-threat": ("threat", False),  # held-out templated threats
    "profane": ("profanity", True),
    "not-profane": ("profanity", False),
}
STANCE_MAP = {"against": "against", "none": "neutral", "neutral": "neutral", "favor": "favor"}
TOPIC_MAP = {"related": True, "unrelated": False, "on_topic": True, "off_topic": False}
FNC_FROM_STANCE = {"favor": "agree", "against": "disagree", "neutral": "discuss"}


@functools.lru_cache(maxsize=4)
def get_runtime(weights_dir: str) -> Any:
    from models.runtime import ModelRuntime

    return ModelRuntime.load(weights_dir=Path(weights_dir), threads=2)


def read_rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def predict_rows(rt: Any, rows: list[dict[str, Any]], *, pair: bool, batch: int = 64) -> list[Any]:
    from models.runtime import CommentInput

    vectors: dict[str, np.ndarray] = {}
    if pair:
        articles = sorted({r.get("article") or r["target"] for r in rows})
        vectors = dict(zip(articles, rt.encode_articles(articles), strict=True))
    preds = []
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        arts = [vectors[r.get("article") or r["target"]] if pair else None for r in chunk]
        preds += rt.predict([CommentInput(text=r["text"]) for r in chunk], arts)
    return preds


def evaluate(task: str, rows: list[dict[str, Any]], rt: Any, plots: Path | None) -> dict[str, Any]:
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; one of {TASKS}")
    thresholds = rt.manifest.get("thresholds", {})
    preds = predict_rows(rt, rows, pair=task in ("stance", "on_topic", "fnc"))
    curves: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    metrics: dict[str, Any]
    if task == "civility":
        attrs = {CIVILITY_MAP[r["label"]][0] for r in rows}
        if len(attrs) != 1:
            raise ValueError(f"one civility attribute per file, got {attrs}")
        attr = attrs.pop()
        threshold = float(thresholds.get("civility", {}).get(attr, 0.5))
        gold = np.array([CIVILITY_MAP[r["label"]][1] for r in rows])
        score = np.array([p.civility[attr] for p in preds])
        y = ["positive" if g else "negative" for g in gold]
        guess = ["positive" if s >= threshold else "negative" for s in score]
        labels: Sequence[str] = ("negative", "positive")
        metrics = {
            "attribute": attr,
            "threshold": threshold,
            **classification(y, guess, labels),
            "roc_auc": roc_auc(gold, score),
        }
        curves[attr] = (gold.astype(int), score)
    elif task == "sentiment":
        labels = ("negative", "neutral", "positive")
        y = [r["label"] for r in rows]
        guess = [max(p.sentiment, key=p.sentiment.get) for p in preds]
        metrics = classification(y, guess, labels)
        curves = {
            lab: (np.array([g == lab for g in y], dtype=int), np.array([p.sentiment[lab] for p in preds]))
            for lab in labels
        }
    elif task == "stance":
        labels = ("against", "neutral", "favor")
        y = [STANCE_MAP[r["label"]] for r in rows]
        guess = [max(p.stance, key=p.stance.get) for p in preds]
        metrics = classification(y, guess, labels)
        metrics["favor_against_f1"] = (metrics["f1_favor"] + metrics["f1_against"]) / 2
    elif task == "on_topic":
        threshold = float(thresholds.get("on_topic", 0.5))
        gold = np.array([TOPIC_MAP[r["label"]] for r in rows])
        score = np.array([p.on_topic for p in preds])
        labels = ("unrelated", "related")
        y = [labels[int(g)] for g in gold]
        guess = [labels[int(s >= threshold)] for s in score]
        metrics = {
            "threshold": threshold,
            **classification(y, guess, labels),
            "roc_auc": roc_auc(gold, score),
        }
        curves["on_topic"] = (gold.astype(int), score)
    else:
        threshold = float(thresholds.get("on_topic", 0.5))
        labels = FNC_LABELS
        y = [r["label"] for r in rows]
        guess = [
            "unrelated" if p.on_topic < threshold else FNC_FROM_STANCE[max(p.stance, key=p.stance.get)]
            for p in preds
        ]
        metrics = {**classification(y, guess, labels), **fnc_score(y, guess)}
    if plots:
        plots.mkdir(parents=True, exist_ok=True)
        save_confusion(plots / f"{task}-confusion.png", y, guess, labels, f"{task} ({len(rows)} rows)")
        if curves:
            save_pr_curves(plots / f"{task}-pr.png", curves, f"{task} precision-recall")
    return {"task": task, "model": rt.version, **metrics}


def format_table(metrics: dict[str, Any]) -> str:
    lines = [f"{'metric':<22} value", f"{'-' * 22} {'-' * 10}"]
    for key, value in metrics.items():
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        lines.append(f"{key:<22} {shown}")
    return "\n".join(lines)


def run_eval(
    task: str,
    path: str | Path,
    fmt: str = "table",
    *,
    plots: str | Path | None = None,
    weights_dir: str | Path = WEIGHTS_DIR,
) -> str:
    """Evaluate the loaded model on one file; returns the table (or JSON) as text. Used by the service CLI."""
    rt = get_runtime(str(weights_dir))
    metrics = evaluate(task, read_rows(Path(path)), rt, Path(plots) if plots else None)
    return json.dumps(metrics, indent=2) if fmt == "json" else format_table(metrics)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.evaluate")
    parser.add_argument("--task", required=True, choices=TASKS)
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--format", default="table", choices=("table", "json"))
    parser.add_argument("--plots", type=Path, default=None)
    parser.add_argument("--weights-dir", type=Path, default=WEIGHTS_DIR)
    args = parser.parse_args(argv)
    print(run_eval(args.task, args.data, args.format, plots=args.plots, weights_dir=args.weights_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""python -m models.evaluate --task TASK --data FILE [--format json] [--plots DIR] [--weights-dir DIR]
python -m models.evaluate --all DIR [--format json|markdown]   (every file of models.make_eval_data: the card)

FILE is JSON lines (``.jsonl`` or ``.jsonl.gz``) like the shared datasets: ``text``, ``label`` (that dataset's
label names), ``lang`` and ``article`` or ``target`` for pair tasks (FNC: ``text`` = headline, ``article`` =
body). Decision thresholds come from the manifest (chosen on the dev split carved from train), never from
the file evaluated here: toxicity uses the language's own dev threshold where the manifest has one.

Tasks: civility, sentiment, stance, on_topic, fnc. ``on_topic`` files of reader comments (``pair`` = own /
other) also report the share of on-topic comments the default policy would hold as OFF_TOPIC
(``on_topic < 0.2``) and the share of off-topic ones it holds.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from models import WEIGHTS_DIR
from models.eval_metrics import FNC_LABELS, classification, fnc_score, roc_auc, save_confusion, save_pr_curves

TASKS = ("civility", "sentiment", "stance", "on_topic", "fnc")
POLICY_OFF_TOPIC = 0.2  # moderation's default policy: OFF_TOPIC when on_topic < 0.2
# civility: dataset label -> (attribute scored, gold is positive). One table for every source we evaluate.
CIVILITY_MAP: dict[str, tuple[str, bool]] = {
    "offensive": ("toxicity", True),
    "not-offensive": ("toxicity", False),
    "OFF": ("toxicity", True),
    "NOT": ("toxicity", False),
    "hate": ("identity_attack", True),
    "not-hate": ("identity_attack", False),
    "threat": ("threat", True),
    "not-threat": ("threat", False),
    **{
        f"{a}:{v}": (a, v == 1)
        for a in ("toxicity", "insult", "threat", "profanity", "identity_attack")
        for v in (0, 1)
    },
}
STANCE_MAP = {"against": "against", "none": "neutral", "neutral": "neutral", "favor": "favor"}
TOPIC_MAP = {"related": True, "unrelated": False, "on_topic": True, "off_topic": False}
FNC_FROM_STANCE = {"favor": "agree", "against": "disagree", "neutral": "discuss"}
# models.make_eval_data's files -> (task, what the card calls the row)
CARD: tuple[tuple[str, str, str], ...] = (
    ("civility_offensive", "civility", "TweetEval offensive val, toxicity"),
    ("civility_hate", "civility", "TweetEval hate val, identity_attack"),
    ("civility_hatexplain", "civility", "HateXplain held-out, toxicity"),
    ("civility_hatexplain_hate", "civility", "HateXplain held-out hatespeech, identity_attack"),
    ("civility_threat", "civility", "templated threats, held-out family"),
    ("civility_ours_toxicity", "civility", "our reader comments (held-out families), toxicity"),
    ("civility_ours_insult", "civility", "our reader comments, insult"),
    ("civility_ours_threat", "civility", "our reader comments, threat"),
    ("civility_ours_profanity", "civility", "our reader comments, profanity"),
    ("civility_de", "civility", "GermEval 2018 (de), carved val, toxicity"),
    ("civility_pt", "civility", "ToLD-Br (pt) dev, toxicity"),
    ("civility_da", "civility", "DKHATE (da), carved val, toxicity"),
    *(
        (f"civility_zero_shot_{lang}", "civility", f"our comments ({lang}), toxicity, zero-shot")
        for lang in ("es", "fr", "it", "nl", "pl")
    ),
    ("sentiment", "sentiment", "TweetEval sentiment val (en)"),
    *(
        (f"sentiment_{lang}", "sentiment", f"UMSAB sentiment val ({lang})")
        for lang in ("ar", "de", "es", "fr", "hi", "it", "pt")
    ),
    ("stance", "stance", "TweetEval stance val"),
    ("stance_comments", "stance", "templated reader-comment stance, held-out family"),
    ("fnc", "fnc", "FNC-1 held-out bodies"),
    ("on_topic_tweets", "on_topic", "stance tweets vs own/other target"),
    ("on_topic_comments", "on_topic", "our reader comments vs own/other articles (en)"),
    (
        "on_topic_comments_other_languages",
        "on_topic",
        "our reader comments (de/es/fr/pt) vs English articles, zero-shot",
    ),
)
HEADLINE = {
    "civility": "macro_f1",
    "sentiment": "macro_recall",
    "stance": "favor_against_f1",
    "on_topic": "roc_auc",
    "fnc": "fnc_weighted",
}


@functools.lru_cache(maxsize=4)
def get_runtime(weights_dir: str, encoder: str | None = None, quantize: str = "none") -> Any:
    from models.runtime import ModelRuntime

    return ModelRuntime.load(
        weights_dir=Path(weights_dir),
        encoder=encoder,
        threads=2,
        check_encoder=encoder is None,
        quantize=quantize,
    )


def read_rows(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def predict_rows(rt: Any, rows: list[dict[str, Any]], *, pair: bool, batch: int = 64) -> list[Any]:
    from models.runtime import CommentInput

    vectors: dict[str, Any] = {}
    if pair:
        articles = sorted({r.get("article") or r["target"] for r in rows})
        vectors = dict(zip(articles, rt.encode_articles(articles), strict=True))
    preds = []
    for start in range(0, len(rows), batch):
        chunk = rows[start : start + batch]
        arts = [vectors[r.get("article") or r["target"]] if pair else None for r in chunk]
        preds += rt.predict([CommentInput(text=r["text"]) for r in chunk], arts)
    return preds


def civility_threshold(thresholds: dict[str, Any], attr: str, langs: set[str]) -> float:
    by_lang = thresholds.get("toxicity_by_language", {})
    if attr == "toxicity" and len(langs) == 1 and next(iter(langs)) in by_lang:
        return float(by_lang[next(iter(langs))])
    return float(thresholds.get("civility", {}).get(attr, 0.5))


def evaluate(task: str, rows: list[dict[str, Any]], rt: Any, plots: Path | None = None) -> dict[str, Any]:
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; one of {TASKS}")
    thresholds = rt.manifest.get("thresholds", {})
    preds = predict_rows(rt, rows, pair=task in ("stance", "on_topic", "fnc"))
    curves: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    langs = {r.get("lang", "en") for r in rows}
    metrics: dict[str, Any]
    if task == "civility":
        attrs = {CIVILITY_MAP[r["label"]][0] for r in rows}
        if len(attrs) != 1:
            raise ValueError(f"one civility attribute per file, got {attrs}")
        attr = attrs.pop()
        threshold = civility_threshold(thresholds, attr, langs)
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
        metrics["positives_caught"] = (
            f"{sum(g and s >= threshold for g, s in zip(gold, score, strict=True))}/{int(gold.sum())}"
        )
        metrics["false_positives"] = (
            f"{sum((not g) and s >= threshold for g, s in zip(gold, score, strict=True))}"
            f"/{int((~gold).sum())}"
        )
        metrics["median_negative_score"] = float(np.median(score[~gold])) if (~gold).any() else float("nan")
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
        metrics = on_topic_metrics(
            rows, np.array([p.on_topic for p in preds]), float(thresholds.get("on_topic", 0.5))
        )
        gold = np.array([TOPIC_MAP[r["label"]] for r in rows])
        curves["on_topic"] = (gold.astype(int), np.array([p.on_topic for p in preds]))
        y = ["related" if g else "unrelated" for g in gold]
        guess = ["related" if p.on_topic >= metrics["threshold"] else "unrelated" for p in preds]
        labels = ("unrelated", "related")
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
    return {"task": task, "model": rt.version, "languages": ",".join(sorted(langs)), **metrics}


def on_topic_metrics(rows: list[dict[str, Any]], score: np.ndarray, threshold: float) -> dict[str, Any]:
    """ROC-AUC of related vs unrelated; for reader-comment files (``pair`` own/other) the AUC of on-topic
    comments with their own article vs the same comments with other stories' articles, and how many the
    policy's OFF_TOPIC cut (0.2) would hold."""
    gold = np.array([TOPIC_MAP[r["label"]] for r in rows])
    out: dict[str, Any] = {"threshold": threshold, "n": float(len(rows)), "roc_auc": roc_auc(gold, score)}
    out["accuracy"] = float(((score >= threshold) == gold).mean())
    if rows and "pair" in rows[0]:
        own_on = np.array([r["pair"] == "own" and r["label"] == "on_topic" for r in rows])
        own_off = np.array([r["pair"] == "own" and r["label"] == "off_topic" for r in rows])
        other = np.array([r["pair"] == "other" for r in rows])
        keep = own_on | other
        out["roc_auc"] = roc_auc(own_on[keep], score[keep])
        out["on_topic_held_as_off_topic"] = (
            f"{int((score[own_on] < POLICY_OFF_TOPIC).sum())}/{int(own_on.sum())}"
        )
        out["on_topic_held_share"] = float((score[own_on] < POLICY_OFF_TOPIC).mean())
        out["off_topic_comments_held"] = (
            f"{int((score[own_off] < POLICY_OFF_TOPIC).sum())}/{int(own_off.sum())}"
        )
        out["other_articles_held_share"] = float((score[other] < POLICY_OFF_TOPIC).mean())
        out["median_on_topic_score"] = float(np.median(score[own_on]))
    return out


def format_table(metrics: dict[str, Any]) -> str:
    lines = [f"{'metric':<28} value", f"{'-' * 28} {'-' * 10}"]
    for key, value in metrics.items():
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        lines.append(f"{key:<28} {shown}")
    return "\n".join(lines)


def run_eval(
    task: str,
    path: str | Path,
    fmt: str = "table",
    *,
    plots: str | Path | None = None,
    weights_dir: str | Path = WEIGHTS_DIR,
    encoder: str | None = None,
) -> str:
    """Evaluate the loaded model on one file; returns the table (or JSON) as text. Used by the service CLI."""
    rt = get_runtime(str(weights_dir), encoder)
    metrics = evaluate(task, read_rows(Path(path)), rt, Path(plots) if plots else None)
    return json.dumps(metrics, indent=2) if fmt == "json" else format_table(metrics)


def run_card(
    folder: Path, *, weights_dir: str | Path = WEIGHTS_DIR, encoder: str | None = None, quantize: str = "none"
) -> list[dict[str, Any]]:
    """Every file of the card that exists in ``folder`` (``.jsonl`` or ``.jsonl.gz``)."""
    rt = get_runtime(str(weights_dir), encoder, quantize)
    results = []
    for name, task, title in CARD:
        path = next((p for p in (folder / f"{name}.jsonl", folder / f"{name}.jsonl.gz") if p.exists()), None)
        if path is None:
            continue
        metrics = evaluate(task, read_rows(path), rt)
        results.append({"file": name, "title": title, "headline": HEADLINE[task], **metrics})
        print(f"{name}: {HEADLINE[task]} {metrics[HEADLINE[task]]:.4f}", file=sys.stderr, flush=True)
    return results


def card_markdown(results: list[dict[str, Any]]) -> str:
    lines = ["| data | metric | value | ROC-AUC | detail |", "|---|---|---|---|---|"]
    for r in results:
        detail = ", ".join(
            f"{k} {r[k]}"
            for k in (
                "positives_caught",
                "false_positives",
                "on_topic_held_as_off_topic",
                "off_topic_comments_held",
            )
            if k in r
        )
        auc = r.get("roc_auc")
        lines.append(
            f"| {r['title']} ({int(r['n'])}) | {r['headline']} | {r[r['headline']]:.3f} | "
            f"{'' if auc is None else f'{auc:.3f}'} | {detail} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m models.evaluate")
    parser.add_argument("--task", choices=TASKS)
    parser.add_argument("--data", type=Path)
    parser.add_argument("--all", type=Path, default=None, metavar="DIR", help="every card file in DIR")
    parser.add_argument("--format", default="table", choices=("table", "json", "markdown"))
    parser.add_argument("--plots", type=Path, default=None)
    parser.add_argument("--weights-dir", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--encoder", default=None, help="encoder override (default: the manifest's)")
    parser.add_argument(
        "--quantize", default="none", choices=("none", "int8"), help="int8: the encoder's Linears"
    )
    args = parser.parse_args(argv)
    if args.all:
        results = run_card(
            args.all, weights_dir=args.weights_dir, encoder=args.encoder, quantize=args.quantize
        )
        print(json.dumps(results, indent=2) if args.format == "json" else card_markdown(results))
        return 0
    if not args.task or not args.data:
        parser.error("--task and --data (or --all DIR)")
    print(
        run_eval(
            args.task,
            args.data,
            args.format,
            plots=args.plots,
            weights_dir=args.weights_dir,
            encoder=args.encoder,
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Refit what needs no training in the shipped manifest, never on a validation file:

- **on-topic** (``--on-topic``): its calibration reads only the encoder's vectors, so a new feature such as
  shorter article passages (``models.outputs.PASSAGE_TOKENS``) needs a new fit, not new weights. The dev
  ``topic`` rows (FNC-1 headlines, our reader comments and article sentences of TRAINING bodies, ~8% dev by
  body), fitted by ``models.train.export.calibrate_on_topic``. ~15 min on 2 CPU cores.
- **toxicity** (``--toxicity``): Platt scaling of the TOXICITY logit on the comment-like dev rows
  (``COMMENT_LIKE``: our written reader comments of the train families, templated threats, neutral
  identity sentences and news sentences) plus the train split of ``models/eval_data/reader_comments.jsonl``
  (all civil; not dev rows: the on-topic training read them, the civility training never did), whose mix
  of labels is a news site's (~13% toxic), not the tweet sets' (~40%). The temperature fitted on all dev
  rows left civil reader comments at a median of ~0.2 and their critical kinds (opinions, criticism of the
  article, political rants) at ~0.34, where Perspective puts them near 0.05-0.15; the ranking (ROC-AUC)
  does not change. The dev thresholds for toxicity (all dev rows, and per language with 50+) are refitted
  on the new scale, on a grid even in logit space (``LOGIT_GRID``). ~3 min.
- the language table (``models.languages.SUPPORT``: what the card measured).

    python -m models.train.refit [--weights-dir models/weights] [--on-topic] [--toxicity]   # both by default

The manifest is rewritten in place: the fits and their dev counts, ``languages``, a version ending in
``-ot<passage tokens>`` and/or ``-tp`` (cached article encodings are keyed by version, so none made for an old
fit is reused) and a record per fit (``training.refit.on_topic`` / ``.toxicity``: date, command, rows, the
previous values). The weights file is untouched (its sha256 is checked on load and
written again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import re
from pathlib import Path
from typing import Any

import numpy as np
import torch

from models.languages import SUPPORT
from models.manifest import read_manifest, write_manifest
from models.outputs import CIVILITY_LABELS
from models.runtime import ModelRuntime, manifest_path_for
from models.splits import DATASETS
from models.train.calibrate import LOGIT_GRID, best_macro_f1_threshold, fit_platt
from models.train.corpus import READER_COMMENTS, build, read_jsonl
from models.train.export import calibrate_on_topic
from models.tuned import TunedModel

log = logging.getLogger(__name__)
WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "weights"
COMMENT_LIKE = ("ours-", "threat-templates", "identity-negatives", "news-sentences")
TOX = CIVILITY_LABELS.index("toxicity")


def fit_toxicity(rows: list[dict[str, Any]], reader_civil: list[str], tuned: TunedModel) -> dict[str, Any]:
    """Platt fit of TOXICITY on the comment-like dev ``civility`` rows (``COMMENT_LIKE``) plus
    ``reader_civil`` (label 0), and the dev thresholds (macro-F1, all dev rows with a toxicity label; per
    language with 50+) on the new scale. Raises ValueError when the pool holds no toxic or no civil row."""
    labelled = [r for r in rows if r["y"][TOX] is not None]
    z = tuned.civility_logits([r["text"] for r in labelled] + reader_civil)[:, TOX]  # batched by tokens
    y = torch.tensor([float(r["y"][TOX]) for r in labelled] + [0.0] * len(reader_civil))
    pool = torch.tensor([r["source"].startswith(COMMENT_LIKE) for r in labelled] + [True] * len(reader_civil))
    if not 0 < float(y[pool].sum()) < int(pool.sum()):
        raise ValueError("the comment-like dev pool needs toxic and civil rows")
    a, b = fit_platt(z[pool], y[pool])
    dev = slice(0, len(labelled))
    probs = torch.sigmoid(a * z[dev] + b).numpy()
    labels = y[dev].numpy().astype(int)
    langs = np.array([r["lang"] for r in labelled])
    by_lang = {
        lang: best_macro_f1_threshold(probs[langs == lang], labels[langs == lang], LOGIT_GRID)
        for lang in sorted(set(langs.tolist()))
        if (langs == lang).sum() >= 50
    }
    log.info(
        "toxicity Platt a=%.3f b=%.3f on %d comment-like rows (%d toxic)",
        a,
        b,
        int(pool.sum()),
        int(y[pool].sum()),
    )
    return {
        "a": round(a, 4),
        "b": round(b, 4),
        "pool_n": int(pool.sum()),
        "pool_toxic": int(y[pool].sum()),
        "threshold": best_macro_f1_threshold(probs, labels, LOGIT_GRID),
        "by_language": by_lang,
    }


def version_for(version: str, calibration: dict[str, Any]) -> str:
    """``version`` without refit suffixes, then ``-ot<passage tokens>`` when the on-topic fit names its
    passages and ``-tp`` when toxicity has a Platt fit: the same fits give the same name however often, and in
    whichever order, the refits ran."""
    base = re.sub(r"(-ot\d+|-tp)+$", "", version)
    if "passage_tokens" in calibration.get("on_topic", {}):
        base += f"-ot{calibration['on_topic']['passage_tokens']}"
    if "toxicity" in calibration.get("civility_platt", {}):
        base += "-tp"
    return base


def _records(manifest: dict[str, Any]) -> dict[str, Any]:
    """``training.refit`` as one record per fit (the first refit wrote one flat on-topic record)."""
    records = dict(manifest.setdefault("training", {}).get("refit", {}))
    if "previous_fit" in records:
        records = {"on_topic": records}
    manifest["training"]["refit"] = records
    return records


def refit(weights_dir: Path, *, on_topic: bool = True, toxicity: bool = True) -> dict[str, Any]:
    """The manifest beside ``weights_dir`` with the asked fits redone (written, and returned)."""
    path = manifest_path_for(weights_dir)
    manifest = read_manifest(path)
    corpus = build(dict(manifest.get("config", {}).get("data", {})))
    runtime = ModelRuntime.load(weights_dir=weights_dir)
    assert runtime.tuned is not None
    records = _records(manifest)
    date = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    calibration = manifest["calibration"]
    if on_topic:
        rows = [r for r in corpus.rows if r["task"] == "topic" and r["dev"]]
        if not rows:
            raise SystemExit(f"no dev topic rows: are the datasets under {DATASETS}?")
        fit = calibrate_on_topic(rows, runtime.tuned, corpus.articles)
        records["on_topic"] = {
            "date": date,
            "command": "python -m models.train.refit --on-topic",
            "dev_rows": len(rows),
            "previous_fit": calibration["on_topic"],
        }
        calibration["on_topic"] = {k: fit[k] for k in ("a", "b", "c", "passage_tokens")}
        manifest["dev"] |= {"on_topic_accuracy": fit["dev_accuracy"], "on_topic_n": fit["dev_n"]}
    if toxicity:
        rows = [r for r in corpus.rows if r["task"] == "civility" and r["dev"]]
        if not rows:
            raise SystemExit(f"no dev civility rows: are the datasets under {DATASETS}?")
        civil = [r["text"] for r in read_jsonl(READER_COMMENTS) if r["split"] == "train"]
        fit = fit_toxicity(rows, civil, runtime.tuned)
        thresholds = manifest["thresholds"]
        records["toxicity"] = {
            "date": date,
            "command": "python -m models.train.refit --toxicity",
            "dev_rows": len(rows),
            "reader_comments_train": len(civil),
            "previous": {
                "temperature": calibration["temperatures"]["civility"]["toxicity"],
                "platt": calibration.get("civility_platt", {}).get("toxicity"),
                "threshold": thresholds["civility"]["toxicity"],
                "toxicity_by_language": thresholds.get("toxicity_by_language", {}),
            },
        }
        calibration.setdefault("civility_platt", {})["toxicity"] = {"a": fit["a"], "b": fit["b"]}
        thresholds["civility"]["toxicity"] = fit["threshold"]
        thresholds["toxicity_by_language"] = fit["by_language"]
        manifest["dev"] |= {"toxicity_platt_n": fit["pool_n"], "toxicity_platt_toxic": fit["pool_toxic"]}
    manifest["languages"] = SUPPORT
    manifest["version"] = version_for(str(manifest["version"]), calibration)
    write_manifest(path, manifest, weights_dir)
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--weights-dir", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--on-topic", action="store_true", help="refit on-topic (default: both fits)")
    parser.add_argument("--toxicity", action="store_true", help="refit toxicity (default: both fits)")
    args = parser.parse_args()
    both = not (args.on_topic or args.toxicity)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    manifest = refit(args.weights_dir, on_topic=both or args.on_topic, toxicity=both or args.toxicity)
    calibration = manifest["calibration"]
    print(
        json.dumps(
            {
                "version": manifest["version"],
                "on_topic": calibration["on_topic"],
                "civility_platt": calibration.get("civility_platt", {}),
                "toxicity_thresholds": {
                    "all": manifest["thresholds"]["civility"]["toxicity"],
                    **manifest["thresholds"]["toxicity_by_language"],
                },
            }
        )
    )


if __name__ == "__main__":
    main()

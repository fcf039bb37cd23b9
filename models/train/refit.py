"""Refit what needs no training in the shipped manifest: the on-topic calibration on dev (it reads only the
encoder's vectors, so a new feature such as shorter article passages, ``models.outputs.PASSAGE_TOKENS``, needs
a new fit, not new weights) and the language table (``models.languages.SUPPORT``: what the card measured).

    python -m models.train.refit [--weights-dir models/weights]   # ~15 min on 2 CPU cores

The dev ``topic`` rows are rebuilt from the manifest's own ``[data]`` config (``models.train.corpus.build``:
FNC-1 headlines, our reader comments and article sentences of TRAINING bodies, ~8% dev by body), the fit is
``models.train.export.calibrate_on_topic``, and the manifest is rewritten in place: the on-topic fit and its
dev accuracy, ``languages``, a version ending in ``-ot<passage tokens>`` (cached article encodings are keyed
by version, so none made for the old fit is reused) and a record of the refit. The weights file is untouched
(its sha256 is checked on load and written again).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import re
from pathlib import Path
from typing import Any

from models.languages import SUPPORT
from models.manifest import read_manifest, write_manifest
from models.runtime import ModelRuntime, manifest_path_for
from models.splits import DATASETS
from models.train.corpus import build
from models.train.export import calibrate_on_topic

log = logging.getLogger(__name__)
WEIGHTS_DIR = Path(__file__).resolve().parents[1] / "weights"


def refit(weights_dir: Path) -> dict[str, Any]:
    """The manifest beside ``weights_dir`` with a new on-topic fit (written, and returned)."""
    path = manifest_path_for(weights_dir)
    manifest = read_manifest(path)
    corpus = build(dict(manifest.get("config", {}).get("data", {})))
    rows = [r for r in corpus.rows if r["task"] == "topic" and r["dev"]]
    if not rows:
        raise SystemExit(f"no dev topic rows: are the datasets under {DATASETS}?")
    runtime = ModelRuntime.load(weights_dir=weights_dir)
    assert runtime.tuned is not None
    fit = calibrate_on_topic(rows, runtime.tuned, corpus.articles)
    before = manifest["calibration"]["on_topic"]
    manifest["calibration"]["on_topic"] = {k: fit[k] for k in ("a", "b", "c", "passage_tokens")}
    manifest["dev"] |= {"on_topic_accuracy": fit["dev_accuracy"], "on_topic_n": fit["dev_n"]}
    manifest["languages"] = SUPPORT
    base = re.sub(r"-ot\d+$", "", str(manifest["version"]))
    manifest["version"] = f"{base}-ot{fit['passage_tokens']}"
    manifest.setdefault("training", {})["refit"] = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "command": "python -m models.train.refit",
        "previous_fit": before,
        "dev_rows": len(rows),
    }
    write_manifest(path, manifest, weights_dir)
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--weights-dir", type=Path, default=WEIGHTS_DIR)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    manifest = refit(args.weights_dir)
    print(json.dumps({"version": manifest["version"], "on_topic": manifest["calibration"]["on_topic"]}))


if __name__ == "__main__":
    main()

"""Deterministic data splits shared by training and ``models.make_eval_data`` (so both see the same parts).

- FNC-1: validation = ~15% of Body IDs (bodies never shared with training).
- HateXplain (no official split here): validation = ~10% of rows, by a hash of the text.
- dev (for calibration, thresholds and checkpoint choice) = ~8% of every training source, by a hash of
  the text.
  Decisions are taken on dev only, never on the validation splits that are reported.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

# the project checkout sits beside shared/ (datasets are read-only and never copied into the repo)
DATASETS = Path(
    os.environ.get("MODERATION_DATASETS", Path(__file__).resolve().parents[2] / "shared" / "datasets")
)
SPLIT_SEED = "moderation-splits-v1"


def bucket(key: str, salt: str = "") -> float:
    """A stable pseudo-random number in [0, 1) for a key (independent of Python's hash seed)."""
    digest = hashlib.sha256(f"{SPLIT_SEED}:{salt}:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def fnc_is_val_body(body_id: str | int) -> bool:
    return bucket(str(body_id), "fnc-body") < 0.15


def hatexplain_is_val(text: str) -> bool:
    return bucket(text, "hatexplain") < 0.10


def is_dev(text: str, source: str) -> bool:
    return bucket(text, f"dev:{source}") < 0.08

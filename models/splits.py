"""Deterministic data splits shared by training and ``models.make_eval_data`` (so both see the same parts).

- FNC-1: validation = ~15% of Body IDs (bodies never shared with training).
- HateXplain (no official split here): validation = ~10% of rows, by a hash of the text.
- GermEval 2018 (de) and DKHATE (da) ship only their training files here: validation = ~15% of rows, by a
  hash of the text (``heldout_is_val``). ToLD-Br (pt) and the UMSAB sentiment sets ship their own dev/val
  files, which are the validation splits we report.
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


def split_key(text: str) -> str:
    """The form of a text that split hashes see (whitespace collapsed, ``@USER`` as ``@user``)."""
    return " ".join(text.replace("@USER", "@user").split())


def heldout_is_val(lang: str, text: str) -> bool:
    """Validation rows carved from a training-only file (GermEval ``de``, DKHATE ``da``)."""
    return bucket(split_key(text), f"val:{lang}") < 0.15


def is_dev(text: str, source: str) -> bool:
    return bucket(text, f"dev:{source}") < 0.08

"""The TOXICITY scale of the SHIPPED model: Platt-fitted on comment-like dev rows (``models.train.refit``) so
that civil reader comments score low, as Perspective's do, while the ranking stays the network's."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, cast

import numpy as np
import pytest
import torch

from models import MODELS_DIR
from models.outputs import CIVILITY_LABELS
from models.runtime import CommentInput, ModelRuntime
from models.train.calibrate import fit_platt
from models.train.refit import fit_toxicity, version_for
from models.tuned import TunedModel
from moderation.policy import DEFAULT_POLICY

READER = Path(__file__).resolve().parents[2] / "models/eval_data/reader_comments.jsonl"
TOX = CIVILITY_LABELS.index("toxicity")


def row(text: str, toxic: float, source: str) -> dict[str, Any]:
    y: list[float | None] = [None] * len(CIVILITY_LABELS)
    y[TOX] = toxic
    return {"text": text, "y": y, "source": source, "lang": "en"}


def test_served_toxicity_is_the_manifests_platt_fit(runtime: ModelRuntime) -> None:
    """Toxicity through its Platt fit, the other five attributes through their dev temperatures."""
    assert runtime.tuned is not None
    calibration = runtime.manifest["calibration"]
    fit = calibration["civility_platt"]["toxicity"]
    texts = ["You are a clueless idiot and your article is garbage.", "Thanks, a clear and fair report."]
    z = runtime.tuned.civility_logits(texts)
    preds = runtime.predict([CommentInput(t) for t in texts], [None, None])
    for j, label in enumerate(CIVILITY_LABELS):
        served = [p.civility[label] for p in preds]
        if label == "toxicity":
            expected = torch.sigmoid(fit["a"] * z[:, j] + fit["b"])
        else:
            expected = torch.sigmoid(z[:, j] / calibration["temperatures"]["civility"][label])
        assert served == pytest.approx(expected.tolist(), abs=1e-5), label
    assert preds[0].civility["toxicity"] > 0.8 > 0.1 > preds[1].civility["toxicity"]


def test_civility_probs_apply_a_platt_fit_only_where_the_calibration_has_one() -> None:
    temps = dict.fromkeys(CIVILITY_LABELS, 2.0)
    model = TunedModel(
        encoder=cast(Any, None),
        network=cast(Any, None),
        calibration={
            "temperatures": {"civility": temps},
            "civility_platt": {"toxicity": {"a": 3.0, "b": -1.0}},
        },
    )
    logits = torch.full((1, len(CIVILITY_LABELS)), 0.5, dtype=torch.float16)
    probs = model.civility_probs(logits)[0].tolist()
    assert probs[TOX] == pytest.approx(1 / (1 + math.exp(-0.5)), abs=1e-3)  # 3 * 0.5 - 1
    assert probs[CIVILITY_LABELS.index("insult")] == pytest.approx(1 / (1 + math.exp(-0.25)), abs=1e-3)


def test_the_default_policy_follows_the_scale() -> None:
    """The default policy's toxicity line and zero-shot line are default@4's 0.80 and 0.50 carried onto the
    refitted scale (the refit records the temperature it replaced): a new fit must move them too."""
    manifest = json.loads((MODELS_DIR / "manifest.json").read_text(encoding="utf-8"))
    fit = manifest["calibration"]["civility_platt"]["toxicity"]
    before = manifest["training"]["refit"]["toxicity"]["previous"]["temperature"]

    def image(p: float) -> float:
        return 1 / (1 + math.exp(-(fit["a"] * math.log(p / (1 - p)) * before + fit["b"])))

    assert DEFAULT_POLICY.thresholds["toxicity"] == pytest.approx(image(0.80), abs=0.01)
    assert DEFAULT_POLICY.thresholds["zero_shot_civility"] == pytest.approx(image(0.50), abs=0.01)


def test_refit_names_are_the_same_however_the_fits_ran() -> None:
    both = {"on_topic": {"passage_tokens": 128}, "civility_platt": {"toxicity": {"a": 1.0, "b": 0.0}}}
    for name in ("m-s23", "m-s23-ot128", "m-s23-tp", "m-s23-ot128-tp", "m-s23-ot256-tp-ot128"):
        assert version_for(name, both) == "m-s23-ot128-tp"
    assert version_for("m-s23-ot128-tp", {"on_topic": {}}) == "m-s23"


def test_platt_fit_stays_finite_on_separable_rows() -> None:
    a, b = fit_platt(torch.tensor([-3.0, -2.0, -1.0, 2.0, 3.0]), torch.tensor([0.0, 0.0, 0.0, 1.0, 1.0]))
    assert math.isfinite(a) and math.isfinite(b) and 0 < a < 50
    with pytest.raises(ValueError, match="both classes"):
        fit_platt(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 1.0]))


def test_civil_critical_reader_comments_score_low(runtime: ModelRuntime) -> None:
    """Held-out reader comments (all civil): opinions, criticism of the article, and political rants about
    another story. The issue asks for a median at or under 0.15 (Perspective's place for them)."""
    rows = [json.loads(line) for line in READER.read_text(encoding="utf-8").splitlines()]
    kinds = {"reaction", "critique_of_article", "rant_elsewhere"}
    texts = [r["text"] for r in rows if r["split"] == "heldout" and r["lang"] == "en" and r["kind"] in kinds]
    assert len(texts) >= 90
    preds = runtime.predict([CommentInput(t) for t in texts], [None] * len(texts), spans=False)
    toxicity = np.array([p.civility["toxicity"] for p in preds])
    assert np.median(toxicity) <= 0.15
    assert (toxicity >= 0.5).mean() <= 0.2  # a site moving from Perspective at 0.5 publishes 80%+ of them


def test_the_fit_reads_only_comment_like_rows(runtime: ModelRuntime) -> None:
    assert runtime.tuned is not None
    civil = ["The council should publish the contract before the vote, not after it."] * 6
    rows = [
        row("What a spineless coward you are, crawl back under your rock.", 1.0, "ours-insult_plain"),
        row("Shut up, you brainless troll, nobody asked you.", 1.0, "ours-insult_plain"),
        row(
            "The mayor's plan is expensive and the article does not say who pays.",
            0.0,
            "ours-civil_criticism",
        ),
        row("@USER you are the best, love this", 1.0, "olid"),  # tweets: thresholds only, not the fit
    ]
    fit = fit_toxicity(rows, civil, runtime.tuned)
    assert fit["pool_n"] == 3 + len(civil) and fit["pool_toxic"] == 2
    assert fit["a"] > 0
    with pytest.raises(ValueError, match="toxic and civil"):
        fit_toxicity(rows[2:], civil, runtime.tuned)

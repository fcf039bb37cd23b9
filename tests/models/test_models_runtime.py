"""The inference contract with the SHIPPED weights (models/weights + models/manifest.json)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from models import WEIGHTS_DIR
from models.manifest import ManifestError
from models.runtime import CommentInput, ModelRuntime, Segment
from models.tuned import token_windows

SHIPPED = Path(os.environ.get("MODELS_TEST_WEIGHTS_DIR", WEIGHTS_DIR))
ARTICLE = (
    "The city council voted on Tuesday to expand the bus network, adding three new routes to the "
    "northern suburbs and raising the transit budget by twelve percent next year."
)


@pytest.fixture(scope="session")
def shipped(runtime: ModelRuntime) -> ModelRuntime:
    """The session's runtime (tests/conftest.py loads it once); another dir only when the env var says so."""
    if SHIPPED == WEIGHTS_DIR:
        return runtime
    return ModelRuntime.load(weights_dir=SHIPPED, threads=2)


@pytest.fixture(scope="session")
def article(shipped: ModelRuntime) -> np.ndarray:
    return shipped.encode_articles([ARTICLE])[0]


def test_loads_all_heads(shipped: ModelRuntime) -> None:
    assert shipped.heads == {"civility", "sentiment", "stance", "on_topic"}
    assert not shipped.missing_heads
    assert shipped.version.startswith("multitask-")


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    manifest = (
        SHIPPED / "manifest.json"
        if (SHIPPED / "manifest.json").exists()
        else SHIPPED.parent / "manifest.json"
    )
    shutil.copy(manifest, tmp_path / "manifest.json")
    shutil.copytree(SHIPPED, tmp_path / "weights")
    path = tmp_path / "weights" / "multitask.safetensors"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ManifestError):
        ModelRuntime.load(weights_dir=tmp_path / "weights")


def test_base_only_without_weights(tmp_path: Path) -> None:
    rt = ModelRuntime.load(weights_dir=tmp_path / "none")
    assert rt.heads == {"on_topic"} and "civility" in rt.missing_heads


def test_probabilities_are_calibrated_shapes(shipped: ModelRuntime, article: np.ndarray) -> None:
    preds = shipped.predict([CommentInput("Great news for commuters."), CommentInput("meh")], [article, None])
    for p in preds:
        assert p.civility is not None and all(0.0 <= v <= 1.0 for v in p.civility.values())
        assert p.sentiment is not None and sum(p.sentiment.values()) == pytest.approx(1.0, abs=1e-5)
    assert preds[0].stance is not None and sum(preds[0].stance.values()) == pytest.approx(1.0, abs=1e-5)
    assert preds[0].on_topic is not None and 0.0 <= preds[0].on_topic <= 1.0
    assert preds[1].stance is None and preds[1].on_topic is None


def test_one_forward_per_predict(shipped: ModelRuntime, article: np.ndarray) -> None:
    assert shipped.tuned is not None
    calls: list[int] = []
    hooks = [
        shipped.tuned.network.register_forward_hook(lambda *_: calls.append(1)),
        shipped.encoder.model.register_forward_hook(lambda *_: calls.append(100)),
    ]
    text = "First sentence here. Second one there."
    comments = [
        CommentInput(
            text, (Segment(0, 20, "First sentence here."), Segment(21, len(text), "Second one there."))
        ),
        CommentInput("word " * 700),
        CommentInput("short"),
    ]
    try:
        shipped.predict(comments, [article, None, article])
    finally:
        for hook in hooks:
            hook.remove()
    assert calls == [1]


def test_long_comment_uses_every_window(shipped: ModelRuntime) -> None:
    prefix = "The weather was mild and the market was busy with families buying bread. " * 25
    assert len(token_windows(shipped.encoder, prefix + "x")) >= 2
    insult = "You are a disgusting worthless idiot and everyone hates you."
    plain, tail = shipped.predict([CommentInput(prefix), CommentInput(prefix + insult)], [None, None])
    assert tail.civility is not None and plain.civility is not None
    assert tail.civility["toxicity"] > plain.civility["toxicity"]


def test_span_offsets_come_from_segments(shipped: ModelRuntime) -> None:
    text = "Thanks for the report.   You are a moron."
    segs = (Segment(0, 22, "Thanks for the report."), Segment(25, len(text), "You are a moron."))
    (pred,) = shipped.predict([CommentInput(text, segs)], [None])
    assert [(s.begin, s.end) for s in pred.spans] == [(0, 22), (25, len(text))]
    assert pred.spans[1].civility["insult"] > pred.spans[0].civility["insult"]
    (single,) = shipped.predict([CommentInput("Only one.", (Segment(0, 9, "Only one."),))], [None])
    assert single.spans == []


def test_sanity_insult_and_topic(shipped: ModelRuntime, article: np.ndarray) -> None:
    insult, polite = shipped.predict(
        [CommentInput("Shut up, you pathetic idiot."), CommentInput("Thank you for the clear explanation.")],
        [None, None],
    )
    assert insult.civility is not None and polite.civility is not None
    assert insult.civility["toxicity"] > polite.civility["toxicity"]
    about, unrelated = shipped.predict(
        [
            CommentInput("More bus routes to the north is exactly what this city needed."),
            CommentInput("My cat knocked a glass off the kitchen table this morning."),
        ],
        [article, article],
    )
    assert about.on_topic is not None and unrelated.on_topic is not None
    assert about.on_topic > unrelated.on_topic


def test_identity_false_positive_rate(shipped: ModelRuntime) -> None:
    from models.fairness import false_positive_rate

    report = false_positive_rate(shipped)
    assert report["n"] >= 150
    assert report["fpr"] <= report["ceiling"], report

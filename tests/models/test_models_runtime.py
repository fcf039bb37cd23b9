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


def test_loads_all_heads_and_languages(shipped: ModelRuntime) -> None:
    assert shipped.heads == {"civility", "sentiment", "stance", "on_topic"}
    assert not shipped.missing_heads
    assert shipped.version.startswith("multitask-e5s-")
    assert shipped.languages["en"]["civility"] == "trained"
    assert (
        shipped.languages["de"]["civility"] == "trained"
        and shipped.languages["es"]["civility"] == "zero_shot"
    )


def test_tampered_weights_are_refused(tmp_path: Path) -> None:
    weights = tmp_path / "weights"
    shutil.copytree(SHIPPED, weights)
    shutil.copy(SHIPPED.parent / "manifest.json", tmp_path / "manifest.json")
    data = bytearray((weights / "multitask.safetensors").read_bytes())
    data[-1] ^= 0xFF
    (weights / "multitask.safetensors").write_bytes(bytes(data))
    with pytest.raises(ManifestError, match="sha256"):
        ModelRuntime.load(weights_dir=weights)


def test_base_only_without_weights(tmp_path: Path) -> None:
    rt = ModelRuntime.load(weights_dir=tmp_path / "none")
    assert rt.heads == {"on_topic"} and "civility" in rt.missing_heads
    (pred,) = rt.predict([CommentInput("buses")], [rt.encode_articles([ARTICLE])[0]])
    assert pred.civility is None and pred.on_topic is not None and 0.0 <= pred.on_topic <= 1.0


def test_probabilities_are_calibrated_shapes(shipped: ModelRuntime, article: np.ndarray) -> None:
    assert article.ndim == 2 and article.shape[1] == shipped.dim
    assert np.allclose(np.linalg.norm(article, axis=1), 1.0, atol=1e-4)
    preds = shipped.predict([CommentInput("Great news for commuters."), CommentInput("meh")], [article, None])
    for p in preds:
        assert p.civility is not None and all(0.0 <= v <= 1.0 for v in p.civility.values())
        assert p.sentiment is not None and sum(p.sentiment.values()) == pytest.approx(1.0, abs=1e-5)
    assert preds[0].stance is not None and sum(preds[0].stance.values()) == pytest.approx(1.0, abs=1e-5)
    assert preds[0].on_topic is not None and 0.0 <= preds[0].on_topic <= 1.0
    assert preds[1].stance is None and preds[1].on_topic is None
    (flat,) = shipped.predict([CommentInput("Great news for commuters.")], [article.reshape(-1)])
    assert flat.on_topic == pytest.approx(preds[0].on_topic, abs=1e-6)  # a stored (flat) copy works too


def encoded_tokens(shipped: ModelRuntime, comments: list[CommentInput]) -> tuple[int, list[tuple[int, int]]]:
    """(real tokens through the encoder, (rows, width) of every pass) for one predict call."""
    passes: list[tuple[int, int]] = []
    real: list[int] = []

    def hook(_module: object, _args: object, kwargs: dict, _out: object) -> None:
        mask = kwargs["attention_mask"]
        passes.append(tuple(mask.shape))
        real.append(int(mask.sum()))

    handle = shipped.encoder.model.register_forward_hook(hook, with_kwargs=True)
    try:
        shipped.predict(comments, [None] * len(comments))
    finally:
        handle.remove()
    return sum(real), passes


def test_spans_cost_no_second_encoding(shipped: ModelRuntime) -> None:
    text = "First sentence here. Second one there! And a third, with an emoji 🤡."
    bounds = [(0, 20), (21, 38), (39, len(text))]
    plain, _ = encoded_tokens(shipped, [CommentInput(text)])
    with_spans, _ = encoded_tokens(shipped, [CommentInput(text, tuple(Segment(b, e) for b, e in bounds))])
    assert plain == with_spans  # every sentence scored from the comment's own token states


def test_long_comments_are_windowed_within_the_token_budget(shipped: ModelRuntime) -> None:
    assert shipped.tuned is not None
    long = "The weather was mild and the market was busy with families buying bread. " * 140  # ~10,000 chars
    comments = [CommentInput(long), CommentInput("Short and sweet."), CommentInput("Another short one here.")]
    total, passes = encoded_tokens(shipped, comments)
    assert total > 1500  # the whole 10,000-character text went through, not its first window
    budget = shipped.tuned.max_pass_tokens
    assert all(rows * width <= budget or rows == 1 for rows, width in passes)
    assert max(width for _, width in passes) <= 256
    insult = " You are a disgusting worthless idiot and everyone hates you."
    plain, tail = shipped.predict([CommentInput(long), CommentInput(long + insult)], [None, None])
    assert tail.civility is not None and plain.civility is not None
    assert tail.civility["toxicity"] > plain.civility["toxicity"]


def test_span_offsets_index_the_original_text(shipped: ModelRuntime) -> None:
    text = "Thanks for the re\u0301port.   You are a moron 🤡🤡."
    segs = (Segment(0, 23), Segment(26, len(text)))
    (pred,) = shipped.predict([CommentInput(text, segs)], [None])
    sentences = [s for s in pred.spans if s.kind == "sentence"]
    assert [(s.begin, s.end) for s in sentences] == [(0, 23), (26, len(text))]
    assert sentences[1].civility["toxicity"] > sentences[0].civility["toxicity"]
    word_spans = [(s.begin, s.end) for s in pred.spans if s.kind == "word"]
    assert len(word_spans) == len(set(word_spans))  # "🤡" became two words ("clown face"): one highlight
    words = {text[b:e] for b, e in word_spans}
    assert words <= {w for w in text.split()} | {"🤡", "moron", "re\u0301port"}  # whole words, whole emoji
    assert "." not in "".join(words)  # punctuation is never a word's evidence
    (single,) = shipped.predict([CommentInput("Only one.", (Segment(0, 9),))], [None])
    assert not [s for s in single.spans if s.kind == "sentence"]


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


def test_articles_are_one_vector_and_the_passages_of_the_on_topic_fit(shipped: ModelRuntime) -> None:
    from models.tokens import windows

    tuned = shipped.tuned
    assert tuned is not None and tuned.passage_tokens == 128  # the shipped fit (manifest) names its passages
    long_article = " ".join([ARTICLE] * 12)  # ~400 words: several windows of either size
    [fit] = tuned.encode_articles([long_article])
    [wide] = tuned.encode_articles([long_article], passage_tokens=256)
    tok, prefix = shipped.encoder.tokenizer, shipped.encoder.passage_prefix
    assert len(fit) == 1 + len(windows(tok, [long_article], prefix, 128)[0]) > len(wide) >= 3
    assert len(wide) == 1 + len(windows(tok, [long_article], prefix, 256)[0])
    np.testing.assert_allclose(fit[0], wide[0], atol=1e-5)  # the article vector: its 256-token windows
    assert np.allclose(np.linalg.norm(fit, axis=1), 1.0, atol=1e-4)

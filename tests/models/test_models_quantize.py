"""MODERATION_MODEL_QUANTIZE=int8: the encoder's Linear layers in int8, scores close to fp32's, the version
says so; an unknown name is refused."""

from __future__ import annotations

import pytest
import torch

from models.runtime import CommentInput, ModelRuntime

TEXTS = [
    "Thank you for the clear explanation of the budget, it helped a lot.",
    "Shut up, you pathetic idiot. Nobody wants to read your garbage 🤡",
]


def test_int8_runtime_scores_like_fp32(runtime: ModelRuntime) -> None:
    q = ModelRuntime.load(quantize="int8")
    assert q.version == f"{runtime.version}+int8"
    layer = q.encoder.model.encoder.layer[0].intermediate.dense
    assert isinstance(layer, torch.ao.nn.quantized.dynamic.Linear)
    ours, theirs = (rt.predict([CommentInput(t) for t in TEXTS], [None, None]) for rt in (q, runtime))
    for a, b in zip(ours, theirs, strict=True):
        assert a.civility is not None and b.civility is not None
        # a strong insult's severe_toxicity sits mid-sigmoid (~0.5), where int8 moves it most (~0.10)
        assert all(abs(a.civility[k] - b.civility[k]) < 0.15 for k in a.civility)
    assert ours[1].civility is not None and ours[0].civility is not None
    assert ours[1].civility["toxicity"] > ours[0].civility["toxicity"]


def test_unknown_quantization_is_refused() -> None:
    with pytest.raises(ValueError, match="quantize"):
        ModelRuntime.load(quantize="fp8")

"""The pipeline with a deterministic runtime through the ``Runtime`` seam: one forward pass per batch, every
head read, article encodings computed once, the language gate; with the real encoder: the prepared (folded)
text is what the model sees."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from models.runtime import ALL_HEADS, Prediction, SpanScore
from moderation.classifiers.heads import default_classifiers
from moderation.config import Settings
from moderation.domain import Article, CommentRequest
from moderation.pipeline import Pipeline, model_inputs


class FakeRuntime:
    """Every head present; toxicity = share of the word 'bad'; records each forward pass."""

    version = "fake@1"
    heads = ALL_HEADS
    missing_heads: frozenset[str] = frozenset()
    languages: ClassVar[dict[str, dict[str, str]]] = {
        "en": dict.fromkeys(ALL_HEADS, "trained"),
        "es": {
            "civility": "zero_shot",
            "sentiment": "trained",
            "on_topic": "zero_shot",
            "stance": "zero_shot",
        },
    }

    def __init__(self) -> None:
        self.passes: list[list[str]] = []
        self.articles_encoded = 0

    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        return np.ones((len(texts), 4), dtype=np.float32) / 2

    def encode_articles(self, texts: Sequence[str]) -> list[np.ndarray]:
        self.articles_encoded += len(texts)
        return [np.ones((2, 4), dtype=np.float32) / 2 for _ in texts]

    def predict(
        self, comments: Sequence[Any], article_vectors: Sequence[np.ndarray | None]
    ) -> list[Prediction]:
        self.passes.append([c.text for c in comments])
        out = []
        for comment, vector in zip(comments, article_vectors, strict=True):
            words = comment.text.split()
            tox = words.count("bad") / len(words)
            spans = [SpanScore(s.begin, s.end, {"toxicity": tox}) for s in comment.segments]
            out.append(
                Prediction(
                    civility={"toxicity": tox, "insult": 0.0},
                    spans=spans,
                    sentiment={"negative": tox, "neutral": 0.0, "positive": 1 - tox},
                    stance=None if vector is None else {"against": 0.1, "neutral": 0.8, "favor": 0.1},
                    on_topic=None if vector is None else 0.9,
                )
            )
        return out


def test_one_forward_pass_for_a_batch_and_all_heads_read(tmp_path: Any) -> None:
    runtime = FakeRuntime()
    pipeline = Pipeline(settings=Settings(_env_file=None, data_dir=tmp_path), runtime=runtime)  # type: ignore[call-arg]
    article = Article(id="a", title="T", body="B")
    requests = [
        CommentRequest(text="bad bad good. Fine!"),
        CommentRequest(text="all good here", article_id="a"),
    ]
    scores = pipeline.score(requests, [None, article])
    scores_again = pipeline.score(requests[1:], [article])
    assert len(runtime.passes) == 2 and len(runtime.passes[0]) == 2  # one pass per call, whole batch
    assert runtime.articles_encoded == 1  # the article vector is cached
    first, second = scores
    assert first.civility == {"toxicity": 0.5, "insult": 0.0} and first.unavailable == ()
    assert first.on_topic is None and first.stance is None  # no article: not applicable, not "unavailable"
    assert second.on_topic == 0.9 and second.stance is not None and scores_again[0] == second
    assert [(s.begin, s.end) for s in first.spans] == [(0, 13), (14, 19)]
    assert first.spans[0].scores == {"toxicity": 0.5}  # the model's SpanScore read into the domain's span
    assert first.model_version == "fake@1"


def test_the_model_gets_the_original_text_and_its_sentences() -> None:
    """The runtime prepares (folds) the text itself; sentence offsets refer to what the author wrote."""
    from models.preprocess import model_text

    [comment] = model_inputs(["Y0u are an і d і о t! Fine."])
    assert comment.text == "Y0u are an і d і о t! Fine."
    assert [(s.begin, s.end) for s in comment.segments] == [(0, 21), (22, 27)]
    assert model_text(comment.text) == "You are an idiot! Fine."


def test_the_language_gate(tmp_path: Any) -> None:
    runtime = FakeRuntime()
    pipeline = Pipeline(settings=Settings(_env_file=None, data_dir=tmp_path), runtime=runtime)  # type: ignore[call-arg]
    english, spanish, russian = pipeline.score(
        [
            CommentRequest(text="This is a perfectly ordinary English comment about the news."),
            CommentRequest(text="Este es un comentario normal sobre la noticia de hoy, nada más."),
            CommentRequest(text="Это совершенно обычный комментарий о сегодняшних новостях."),
        ],
        [None, None, None],
    )
    assert english.language is not None and english.language.code == "en" and not english.language.zero_shot
    assert spanish.language is not None and spanish.language.code == "es"
    assert "civility" in spanish.language.zero_shot and spanish.civility is not None
    assert russian.language is not None and russian.language.code == "ru"
    assert "civility" in russian.language.unsupported and russian.civility is None and not russian.spans


def test_obfuscation_brings_the_encoding_back_to_the_plain_word(runtime: Any) -> None:
    import torch

    from models.encoder import mean_pool

    def raw(text: str) -> Any:  # the encoder WITHOUT models.preprocess
        batch = runtime.encoder.tokenizer([text], return_tensors="pt")
        with torch.inference_mode():
            hidden = runtime.encoder.model(**batch).last_hidden_state
        return torch.nn.functional.normalize(mean_pool(hidden, batch["attention_mask"]), dim=-1)[0].numpy()

    plain, obfuscated = "you are an idiot", "y0u аrе аn i d i o t"
    [a, b] = runtime.embed([plain, obfuscated])  # embed prepares its input like predict does
    assert float(a @ b) > 0.99 > float(raw(plain) @ raw(obfuscated))


def test_the_classifiers_read_exactly_the_runtime_heads(tmp_path: Any) -> None:
    """One list of heads: models.runtime.ALL_HEADS; the pipeline's are those its classifiers read."""
    assert {c.head for c in default_classifiers()} == ALL_HEADS
    pipeline = Pipeline(settings=Settings(_env_file=None, data_dir=tmp_path))  # type: ignore[call-arg]
    assert pipeline.heads == ALL_HEADS and pipeline.missing_heads == ALL_HEADS  # nothing loaded yet

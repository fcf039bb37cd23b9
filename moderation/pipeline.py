"""The scoring pipeline measures, nothing more: text -> model -> ``Scores``.

Normalize once, measure the length, ONE batched model pass, every head read into ``Scores``. No policy (the
policy judges the scores, length limits included: ``policy.decide``) and no session (article encodings come
from the ``ArticleEncodings`` cache it is given). The model runtime is loaded lazily on first use (or
injected: tests pass the session's runtime, unit tests a small fake through the ``Runtime`` protocol).
Importing this module does not import torch.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from moderation.classifiers.articles import ArticleEncodings
from moderation.classifiers.base import Classifier, Runtime
from moderation.classifiers.heads import default_classifiers, read_spans
from moderation.classifiers.length import LengthClassifier
from moderation.config import Settings
from moderation.domain import Article, CommentRequest, LanguageScore, Scores
from moderation.errors import Unavailable
from moderation.language import LanguageDetector, support
from moderation.text import estimate_tokens, sentences


def load_runtime(settings: Settings) -> Runtime:
    from models import WEIGHTS_DIR
    from models.runtime import ModelRuntime

    return ModelRuntime.load(
        encoder=settings.encoder,
        weights_dir=settings.weights_dir or WEIGHTS_DIR,
        threads=settings.model_threads,
        cache_dir=settings.model_cache_dir,
        quantize=settings.model_quantize,
    )


def model_inputs(texts: Sequence[str], languages: Sequence[str] | None = None) -> list[Any]:
    """A ``models.runtime.CommentInput`` per text: the original text and its sentences (original offsets,
    split with the rules of the comment's language); the runtime prepares the text itself
    (``models.preprocess``) and scores sentences from the same pass."""
    from models.runtime import CommentInput, Segment

    langs = languages or ["en"] * len(texts)
    return [
        CommentInput(text=t, segments=tuple(Segment(b, e) for b, e, _ in sentences(t, lang)))
        for t, lang in zip(texts, langs, strict=True)
    ]


HEADS = ("civility", "sentiment", "stance", "on_topic")


def language_score(detected: Any, table: dict[str, dict[str, str]], loaded: frozenset[str]) -> LanguageScore:
    """What the model may say in the detected language (an unknown language is scored as English)."""
    code = detected.effective
    zero = tuple(h for h in HEADS if h in loaded and support(table, code, h) == "zero_shot")
    unsupported = tuple(h for h in HEADS if h in loaded and support(table, code, h) is None)
    return LanguageScore(detected.code, round(detected.confidence, 4), zero, unsupported)


class Pipeline:
    def __init__(
        self,
        *,
        settings: Settings,
        articles: ArticleEncodings | None = None,
        runtime: Runtime | None = None,
        classifiers: tuple[Classifier, ...] | None = None,
    ) -> None:
        self.settings = settings
        self._runtime = runtime
        self._lock = threading.Lock()
        self._load_error: str | None = None
        self.classifiers = classifiers or default_classifiers()
        self.length = LengthClassifier()
        self.articles = articles or ArticleEncodings(sessions=None)  # without a store: in memory only
        self.detector = LanguageDetector(settings.languages, settings.language_min_confidence)

    @property
    def runtime(self) -> Runtime:
        """The model runtime, loaded once on first use (thread-safe)."""
        if self._runtime is None:
            with self._lock:
                if self._runtime is None:
                    try:
                        self._runtime = load_runtime(self.settings)
                    except Exception as exc:  # a broken model install must read as "not ready", not crash
                        self._load_error = f"{type(exc).__name__}: {exc}"
                        raise Unavailable(f"the model could not be loaded ({self._load_error})") from exc
        return self._runtime

    @property
    def loaded(self) -> bool:
        return self._runtime is not None

    @property
    def ready(self) -> bool:
        """Loaded with every head; a service may still answer without some (see ``missing_heads``)."""
        return self.loaded and not self.missing_heads

    @property
    def heads(self) -> frozenset[str]:
        """The runtime heads the classifiers read (``models.runtime.ALL_HEADS`` for the default ones)."""
        return frozenset(c.head for c in self.classifiers)

    @property
    def missing_heads(self) -> frozenset[str]:
        return self.heads if self._runtime is None else frozenset(self._runtime.missing_heads)

    @property
    def model_version(self) -> str:
        return self.runtime.version

    def languages(self) -> dict[str, dict[str, str]]:
        """What the model can honestly score: language (ISO 639-1) -> head -> ``"trained"`` or
        ``"zero_shot"``; a head absent for a language is not supported in it. The runtime's own table when it
        has one (a multilingual runtime's manifest, ``languages``); otherwise every head of this model is
        trained on English only."""
        table = getattr(self.runtime, "languages", None)
        if isinstance(table, dict) and table:
            return {str(code): {str(h): str(s) for h, s in heads.items()} for code, heads in table.items()}
        return {"en": {head: "trained" for head in sorted(self.heads)}}

    def token_counts(self, texts: list[str]) -> list[int]:
        """Encoder tokens each text takes (all its windows): the runtime's tokenizer when it has a counter
        (``ModelRuntime.token_counts``), else about four characters a token."""
        counter: Callable[[list[str]], Sequence[int]] | None = getattr(self.runtime, "token_counts", None)
        if counter is None:
            return estimate_tokens(texts)
        return [int(n) for n in counter(texts)]

    def encode_article(self, article: Article) -> np.ndarray:
        vector = self.articles.vectors(self.runtime, [article])[0]
        assert vector is not None
        return vector

    def score(self, requests: list[CommentRequest], articles: list[Article | None]) -> list[Scores]:
        """Measure all requests in ONE forward pass (one article, or None, per request)."""
        if len(requests) != len(articles):
            raise ValueError("one article (or None) per request")
        if not requests:
            return []
        runtime = self.runtime
        vectors = self.articles.vectors(runtime, articles)
        detected = [self.detector.detect(r.text) for r in requests]
        texts = [r.text for r in requests]
        predictions = runtime.predict(model_inputs(texts, [d.effective for d in detected]), vectors)
        missing = runtime.missing_heads
        loaded = frozenset(runtime.heads)
        table = runtime.languages
        out = []
        for request, article, prediction, found in zip(
            requests, articles, predictions, detected, strict=True
        ):
            language = language_score(found, table, loaded)
            applicable = [c for c in self.classifiers if article is not None or not c.needs_article]
            values = {
                c.name: c.read(prediction)
                for c in applicable
                if c.head not in missing and c.head not in language.unsupported
            }
            sentences, words = read_spans(prediction) if "civility" in values else ((), ())
            out.append(
                Scores(
                    length=self.length.measure(request.text),
                    civility=values.get("civility"),
                    spans=sentences,
                    on_topic=values.get("on_topic"),
                    stance=values.get("stance"),
                    sentiment=values.get("sentiment"),
                    model_version=runtime.version,
                    unavailable=tuple(c.name for c in applicable if c.head in missing),
                    words=words,
                    language=language,
                    unread_tokens=prediction.unread_tokens,
                )
            )
        return out

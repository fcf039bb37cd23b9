"""Helpers for the Perspective endpoint tests: an app on real SQLite + real Redis, with the real encoder
or, where a test needs exact civility numbers before the trained heads exist, a keyword runtime through the
``Runtime`` seam (``moderation.classifiers.base.Runtime``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from api.main import create_app
from moderation import api_keys
from moderation.config import Settings
from moderation.domain import Role
from moderation.services import build_services
from moderation.store.db import transaction

INSULTS = {"idiot": 0.92, "stupid": 0.81, "moron": 0.95, "hate": 0.6}


def keyword_civility(text: str) -> dict[str, float]:
    words = text.lower().replace(",", " ").replace(".", " ").replace("?", " ").replace("!", " ").split()
    toxicity = max([INSULTS.get(w, 0.02) for w in words] or [0.02])
    return {
        "toxicity": toxicity,
        "severe_toxicity": round(toxicity / 3, 6),
        "insult": round(toxicity * 0.9, 6),
        "threat": 0.01,
        "profanity": 0.05,
        "identity_attack": 0.02,
    }


class KeywordRuntime:
    """Deterministic stand-in for ``ModelRuntime``: civility from a word list, per sentence and overall."""

    version = "keyword-runtime-1"
    heads = frozenset({"civility", "on_topic", "stance", "sentiment"})
    missing_heads: frozenset[str] = frozenset()

    @property
    def languages(self) -> dict[str, dict[str, str]]:
        """The shipped model's language table (``models.languages``), as ``ModelRuntime.languages``."""
        from models.languages import SUPPORT

        return SUPPORT

    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        return np.full((len(texts), 4), 0.5, dtype=np.float32)

    def encode_articles(self, texts: Sequence[str]) -> np.ndarray:
        return self.embed(texts)

    def predict(self, comments: Sequence[Any], article_vectors: Sequence[np.ndarray | None]) -> list[Any]:
        from models.runtime import Prediction, SpanScore

        out = []
        for comment, article in zip(comments, article_vectors, strict=True):
            spans = [
                SpanScore(s.begin, s.end, keyword_civility(comment.text[s.begin : s.end]))
                for s in comment.segments
            ]
            out.append(
                Prediction(
                    civility=keyword_civility(comment.text),
                    spans=spans,
                    sentiment={"negative": 0.7, "neutral": 0.2, "positive": 0.1},
                    stance=None if article is None else {"against": 0.6, "neutral": 0.3, "favor": 0.1},
                    on_topic=None if article is None else 0.25,
                )
            )
        return out


class Harness:
    """The whole app (``create_app``) over ``settings`` (real SQLite/PostgreSQL and Redis), a client key."""

    def __init__(self, settings: Settings, runtime: Any, **overrides: Any) -> None:
        self.services = build_services(settings.model_copy(update=overrides), runtime=runtime)
        self.app = create_app(services=self.services)
        self.client = TestClient(self.app)
        with transaction(self.services.sessions) as session:
            _, self.key = api_keys.create_key(session=session, name="coral", role=Role.CLIENT, all_sites=True)

    def analyze(self, body: Any, *, key: str | None = None, **kwargs: Any) -> Any:
        return self.client.post(f"/v1alpha1/comments:analyze?key={key or self.key}", json=body, **kwargs)

    def close(self) -> None:
        self.client.close()
        self.services.close()

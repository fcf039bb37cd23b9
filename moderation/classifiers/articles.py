"""Article encodings: computed once per (article, encoder version, article text), cached in memory (LRU) and
in the ``article_encodings`` table, recomputed when the article's text changes."""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from sqlalchemy.orm import Session, sessionmaker

from moderation.classifiers.base import Runtime
from moderation.domain import Article
from moderation.store import repo
from moderation.store.db import transaction

Key = tuple[str, str, str]  # encoder version, article id, content hash


class ArticleEncodings:
    def __init__(self, *, sessions: sessionmaker[Session] | None, capacity: int = 2048) -> None:
        self._sessions = sessions
        self._capacity = capacity
        self._memory: OrderedDict[Key, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.computed = 0  # how many article texts this process has run through the encoder

    def _remember(self, key: Key, vector: np.ndarray) -> None:
        with self._lock:
            self._memory[key] = vector
            self._memory.move_to_end(key)
            while len(self._memory) > self._capacity:
                self._memory.popitem(last=False)

    def _recall(self, key: Key) -> np.ndarray | None:
        with self._lock:
            vector = self._memory.get(key)
            if vector is not None:
                self._memory.move_to_end(key)
            return vector

    def _load_stored(self, keys: dict[Key, Article]) -> None:
        if self._sessions is None:
            return
        with self._sessions() as session:
            for key in keys:
                row = repo.get_encoding(session=session, article_id=key[1], encoder_version=key[0])
                if row is not None and row.content_hash == key[2]:
                    self._remember(key, np.frombuffer(row.vector, dtype="<f4").copy())

    def _store(self, key: Key, vector: np.ndarray) -> None:
        """Persist when the article is in the store with this very text (inline articles stay in memory)."""
        if self._sessions is None:
            return
        with transaction(self._sessions) as session:
            row = repo.get_article_row(session=session, article_id=key[1])
            if row is not None and row.content_hash == key[2]:
                repo.save_encoding(
                    session=session,
                    article_id=key[1],
                    encoder_version=key[0],
                    digest=key[2],
                    vector=vector.astype("<f4").tobytes(),
                )

    def vectors(self, runtime: Runtime, articles: list[Article | None]) -> list[np.ndarray | None]:
        """One vector per article (None stays None); only unseen article texts reach the encoder."""
        keys: list[Key | None] = [
            None if a is None else (runtime.version, a.id, repo.content_hash(a)) for a in articles
        ]
        wanted = {k: a for k, a in zip(keys, articles, strict=True) if k is not None and a is not None}
        missing = {k: a for k, a in wanted.items() if self._recall(k) is None}
        if missing:
            self._load_stored(missing)
            missing = {k: a for k, a in missing.items() if self._recall(k) is None}
        if missing:
            encoded = runtime.encode_articles([a.model_text for a in missing.values()])
            self.computed += len(missing)
            for key, vector in zip(missing, encoded, strict=True):
                self._remember(key, vector)
                self._store(key, vector)
        return [None if k is None else self._recall(k) for k in keys]

"""Per-article numbers for the dashboard: decisions, reasons, stance and sentiment over time, on-topic."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from moderation.errors import NotFound
from moderation.store import review_repo as repo
from moderation.store.repo import get_article_row

MAX_COMMENTS = 20_000
HISTOGRAM_BINS = 10
MAX_BUCKETS = 24


@dataclass(frozen=True)
class Series:
    """Mean share of each label per time bucket (bucket start, {label: mean probability}, comment count)."""

    labels: tuple[str, ...]
    points: list[tuple[datetime, dict[str, float], int]]


@dataclass
class ArticleStats:
    article_id: str
    title: str
    site: str
    total: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, int] = field(default_factory=dict)
    stance: Series | None = None
    sentiment: Series | None = None
    on_topic_bins: list[int] = field(default_factory=lambda: [0] * HISTOGRAM_BINS)
    on_topic_mean: float | None = None


def _bucket_size(first: datetime, last: datetime) -> timedelta:
    span = last - first
    for size in (
        timedelta(minutes=10),
        timedelta(hours=1),
        timedelta(hours=6),
        timedelta(days=1),
        timedelta(days=7),
    ):
        if span <= size * MAX_BUCKETS:
            return size
    return timedelta(days=30)


def _series(samples: list[tuple[datetime, dict[str, float]]]) -> Series | None:
    if not samples:
        return None
    labels = tuple(sorted({k for _, probs in samples for k in probs}))
    first = min(t for t, _ in samples)
    size = _bucket_size(first, max(t for t, _ in samples))
    sums: dict[int, dict[str, float]] = defaultdict(lambda: dict.fromkeys(labels, 0.0))
    counts: Counter[int] = Counter()
    for at, probs in samples:
        idx = int((at - first) / size)
        counts[idx] += 1
        for label in labels:
            sums[idx][label] += float(probs.get(label, 0.0))
    points = [
        (first + size * i, {k: v / counts[i] for k, v in sums[i].items()}, counts[i]) for i in sorted(sums)
    ]
    return Series(labels=labels, points=points)


def article_stats(*, session: Session, article_id: str) -> ArticleStats:
    article = get_article_row(session=session, article_id=article_id)
    if article is None:
        raise NotFound(f"article {article_id!r} not found", field="article_id")
    stats = ArticleStats(article_id=article.id, title=article.title, site=article.site)
    rows = repo.article_comments(session=session, article_id=article_id, limit=MAX_COMMENTS)
    scores = repo.latest_scores(session=session, comment_ids=[r.id for r in rows])
    decisions: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    stance: list[tuple[datetime, dict[str, float]]] = []
    sentiment: list[tuple[datetime, dict[str, float]]] = []
    on_topic: list[float] = []
    for row in rows:
        decisions[row.decision or row.status] += 1
        reasons.update(str(code) for code in row.reason_codes or [])
        at = repo.as_utc(row.created_at) or row.created_at
        doc = scores[row.id].scores if row.id in scores else {}
        if isinstance(doc.get("stance"), dict):
            stance.append((at, doc["stance"]))
        if isinstance(doc.get("sentiment"), dict):
            sentiment.append((at, doc["sentiment"]))
        if isinstance(doc.get("on_topic"), int | float):
            value = min(1.0, max(0.0, float(doc["on_topic"])))
            on_topic.append(value)
            stats.on_topic_bins[min(HISTOGRAM_BINS - 1, int(value * HISTOGRAM_BINS))] += 1
    stats.total = len(rows)
    stats.decisions = dict(decisions.most_common())
    stats.reasons = dict(reasons.most_common())
    stats.stance = _series(stance)
    stats.sentiment = _series(sentiment)
    stats.on_topic_mean = sum(on_topic) / len(on_topic) if on_topic else None
    return stats

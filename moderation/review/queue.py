"""Reading the review queue: validated filters, one page of items with everything a moderator needs to see."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from moderation.domain import Action
from moderation.errors import InvalidInput
from moderation.review.decisions import suggested_rejection
from moderation.review.reports import summaries
from moderation.store import review_repo as repo
from moderation.store.tables import CommentRow

TABS: dict[str, tuple[str, ...] | None] = {
    "review": (Action.REVIEW,),
    "rejected": (Action.REJECT,),
    "approved": (Action.APPROVE,),
    "reported": None,  # reported by readers, whatever the decision
    "all": None,
}
SORTS = ("newest", "score")
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000  # (page - 1) * per_page is the SQL OFFSET: it must stay an integer the store holds
_REASON_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,49}$")


@dataclass(frozen=True)
class QueueFilter:
    tab: str = "review"
    sort: str = "newest"
    site: str | None = None
    article_id: str | None = None
    reason: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    page: int = 1
    per_page: int = 25
    author_id: str | None = None
    q: str | None = None  # search the text (the author: ``author_id``)
    sites: frozenset[str] | None = None  # the caller's scope (``SiteScope.sites``): None = every site

    def validated(self) -> QueueFilter:
        if self.tab not in TABS:
            raise InvalidInput(f"tab must be one of {', '.join(TABS)}", field="tab")
        if self.sort not in SORTS:
            raise InvalidInput(f"sort must be one of {', '.join(SORTS)}", field="sort")
        if self.reason and not _REASON_RE.match(self.reason):
            raise InvalidInput("reason must be a reason code such as TOXICITY or OFF_TOPIC", field="reason")
        for name in ("min_score", "max_score"):
            value = getattr(self, name)
            if value is not None and not (0.0 <= value <= 1.0):
                raise InvalidInput(f"{name} must be between 0 and 1", field=name)
        if self.min_score is not None and self.max_score is not None and self.min_score > self.max_score:
            raise InvalidInput("min_score is above max_score", field="min_score")
        if self.q is not None and len(self.q) > 200:
            raise InvalidInput("search text is at most 200 characters", field="q")
        if self.author_id is not None and len(self.author_id) > 200:
            raise InvalidInput("author_id is at most 200 characters", field="author_id")
        if not 1 <= self.page <= MAX_PAGE:
            raise InvalidInput(f"page must be between 1 and {MAX_PAGE:,}", field="page")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InvalidInput(f"per_page must be between 1 and {MAX_PER_PAGE}", field="per_page")
        return self

    def query(self) -> repo.QueueQuery:
        return repo.QueueQuery(
            decisions=TABS[self.tab],
            site=self.site or None,
            sites=self.sites,
            article_id=self.article_id or None,
            reason=self.reason or None,
            min_score=self.min_score,
            max_score=self.max_score,
            sort=self.sort,
            offset=(self.page - 1) * self.per_page,
            limit=self.per_page,
            author_id=self.author_id or None,
            reported=self.tab == "reported",
            text=(self.q or "").strip() or None,
        )


@dataclass(frozen=True)
class QueueItem:
    id: str
    text: str
    site: str
    article_id: str | None
    article_title: str | None
    author_id: str | None
    decision: str | None
    decided_by: str | None
    top_score: float | None
    reasons: list[dict[str, Any]]
    scores: dict[str, Any]
    model_version: str | None
    policy_version: str | None
    claimed_by: str | None
    claimed_until: datetime | None
    created_at: datetime
    parent_id: str | None = None
    report_count: int = 0
    reports: dict[str, int] | None = None  # report reason -> count

    def to_dict(self) -> dict[str, Any]:
        sc = self.scores
        return {
            "id": self.id,
            "text": self.text,
            "site": self.site,
            "article_id": self.article_id,
            "article_title": self.article_title,
            "author_id": self.author_id,
            "decision": self.decision,
            "decided_by": self.decided_by,
            "top_score": self.top_score,
            "reasons": self.reasons,
            "civility": sc.get("civility"),
            "spans": sc.get("spans") or [],
            "on_topic": sc.get("on_topic"),
            "stance": sc.get("stance"),
            "sentiment": sc.get("sentiment"),
            "model_version": self.model_version,
            "policy_version": self.policy_version,
            "claimed_by": self.claimed_by,
            "claimed_until": self.claimed_until.isoformat() if self.claimed_until else None,
            "created_at": self.created_at.isoformat(),
            "parent_id": self.parent_id,
            "report_count": self.report_count,
            "reports": self.reports or {},
        }

    @property
    def suggested_rejection(self) -> str | None:
        """What the reject dialog pre-selects: the rejection reason matching the system's reasons."""
        return suggested_rejection([str(r.get("code")) for r in self.reasons])

    def claim_live(self, now: datetime) -> bool:
        return bool(self.claimed_by and self.claimed_until and self.claimed_until > now)


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def build_items(*, session: Session, rows: list[CommentRow]) -> list[QueueItem]:
    ids = [r.id for r in rows]
    now = datetime.now(UTC)
    scores = repo.latest_scores(session=session, comment_ids=ids)
    system = repo.latest_system_decisions(session=session, comment_ids=ids)
    titles = repo.article_titles(session=session, article_ids=[r.article_id for r in rows if r.article_id])
    reported = summaries(session=session, comment_ids=[r.id for r in rows if r.report_count])
    items = []
    for row in rows:
        score, dec = scores.get(row.id), system.get(row.id)
        until = repo.as_utc(row.claimed_until)
        live = bool(row.claimed_by and until and until > now)
        items.append(
            QueueItem(
                id=row.id,
                text=row.text,
                site=row.site,
                article_id=row.article_id,
                article_title=titles.get(row.article_id or ""),
                author_id=row.author_id,
                decision=row.decision,
                decided_by=row.decided_by,
                top_score=row.top_score,
                reasons=list(dec.reasons) if dec else [],
                scores=dict(score.scores) if score else {},
                model_version=score.model_version if score else None,
                policy_version=dec.policy_version if dec else None,
                claimed_by=row.claimed_by if live else None,  # an expired claim is no claim
                claimed_until=until if live else None,
                created_at=repo.as_utc(row.created_at) or row.created_at,
                parent_id=row.parent_id,
                report_count=row.report_count or 0,
                reports=reported.get(row.id),
            )
        )
    return items


def list_queue(*, session: Session, filters: QueueFilter) -> QueuePage:
    filters = filters.validated()
    rows, total = repo.list_queue(session=session, query=filters.query())
    return QueuePage(
        items=build_items(session=session, rows=rows),
        total=total,
        page=filters.page,
        per_page=filters.per_page,
    )


def get_items(*, session: Session, comment_ids: list[str]) -> list[QueueItem]:
    rows = repo.get_comments(session=session, comment_ids=comment_ids)
    return build_items(session=session, rows=[rows[i] for i in comment_ids if i in rows])

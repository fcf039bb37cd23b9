"""The commenter (moderator role): the author drawer, actions on people (ban, suspend, pre-moderate) and
their undo, moderators' notes. Everything is per site."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, status

from api.community_schemas import (
    AuthorActionIn,
    AuthorActionOut,
    AuthorCommentOut,
    AuthorNoteIn,
    AuthorNoteOut,
    AuthorOut,
)
from api.deps import ModeratorDep, SessionDep
from api.schemas import RowId
from moderation.review import authors
from moderation.store.community_repo import as_utc
from moderation.store.tables import AuthorActionRow

router = APIRouter(tags=["authors"])
SitePath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")]
AuthorPath = Annotated[str, Path(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f/?#%\\]+$")]


def _iso(value: datetime | None) -> str | None:
    return as_utc(value).isoformat() if value is not None else None


def action_out(row: AuthorActionRow) -> AuthorActionOut:
    return AuthorActionOut(
        id=row.id,
        site=row.site,
        author_id=row.author_id,
        action=row.action,
        reason=row.reason,
        actor=row.actor,
        until=_iso(row.until),
        created_at=_iso(row.created_at) or "",
        revoked_at=_iso(row.revoked_at),
        revoked_by=row.revoked_by,
    )


def author_out(p: authors.AuthorProfile) -> AuthorOut:
    return AuthorOut(
        site=p.site,
        author_id=p.author_id,
        status=p.status,
        suspended_until=_iso(p.standing.suspended_until),
        total=p.total,
        counts=p.counts,
        first_seen=_iso(p.first_seen),
        reports=p.reports,
        comments=[
            AuthorCommentOut(
                id=c.id,
                text=c.text,
                article_id=c.article_id,
                decision=c.decision,
                decided_by=c.decided_by,
                reason_codes=list(c.reason_codes or []),
                report_count=c.report_count or 0,
                created_at=_iso(c.created_at) or "",
            )
            for c in p.comments
        ],
        actions=[action_out(a) for a in p.actions],
        notes=[
            AuthorNoteOut(id=n.id, note=n.note, actor=n.actor, created_at=_iso(n.created_at) or "")
            for n in p.notes
        ],
    )


@router.get("/v1/sites/{site}/authors/{author_id}", summary="The author drawer")
def get_author(
    site: SitePath, author_id: AuthorPath, principal: ModeratorDep, session: SessionDep
) -> AuthorOut:
    principal.scope.require(site)
    return author_out(authors.profile(session=session, site=site, author_id=author_id))


@router.post(
    "/v1/sites/{site}/authors/{author_id}/actions",
    status_code=status.HTTP_201_CREATED,
    summary="Ban, suspend or always pre-moderate an author",
)
def add_action(
    site: SitePath, author_id: AuthorPath, body: AuthorActionIn, principal: ModeratorDep, session: SessionDep
) -> AuthorActionOut:
    principal.scope.require(site)
    request = authors.ActionIn(action=body.action, reason=body.reason, hours=body.hours)
    row = authors.act(session=session, site=site, author_id=author_id, request=request, actor=principal.name)
    session.commit()
    return action_out(row)


@router.delete("/v1/sites/{site}/authors/{author_id}/actions/{action_id}", summary="Undo an author action")
def undo_action(
    site: SitePath, author_id: AuthorPath, action_id: RowId, principal: ModeratorDep, session: SessionDep
) -> AuthorActionOut:
    principal.scope.require(site)
    row = authors.undo(session=session, site=site, action_id=action_id, actor=principal.name)
    session.commit()
    return action_out(row)


@router.post(
    "/v1/sites/{site}/authors/{author_id}/notes",
    status_code=status.HTTP_201_CREATED,
    summary="A moderator's note about an author",
)
def add_note(
    site: SitePath, author_id: AuthorPath, body: AuthorNoteIn, principal: ModeratorDep, session: SessionDep
) -> AuthorNoteOut:
    principal.scope.require(site)
    row = authors.add_note(
        session=session, site=site, author_id=author_id, note=body.note, actor=principal.name
    )
    session.commit()
    return AuthorNoteOut(id=row.id, note=row.note, actor=row.actor, created_at=_iso(row.created_at) or "")

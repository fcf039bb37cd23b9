"""Readers' reports (client role: the site's backend reports on behalf of its reader)."""

from __future__ import annotations

from fastapi import APIRouter, status

from api.community_schemas import ReportIn, ReportOut
from api.deps import ClientDep, SessionDep
from moderation.review import reports
from moderation.store import repo

router = APIRouter(tags=["reports"])


@router.post(
    "/v1/comments/{comment_id}/reports",
    status_code=status.HTTP_201_CREATED,
    summary="A reader reports a comment (one report per reader per comment)",
)
def report_comment(comment_id: str, body: ReportIn, principal: ClientDep, session: SessionDep) -> ReportOut:
    principal.scope.require_found(repo.comment_site(session=session, comment_id=comment_id), "comment")
    done = reports.report(
        session=session, comment_id=comment_id, reader_id=body.reader_id, reason=body.reason, text=body.text
    )
    session.commit()
    return ReportOut(
        comment_id=done.comment_id,
        reader_id=done.reader_id,
        reason=done.reason,
        report_count=done.report_count,
    )

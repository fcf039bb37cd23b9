"""API keys over HTTP (admin of all sites): create (plaintext shown once, scoped to sites), list, revoke."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter

from api.deps import AdminDep, SessionDep
from api.schemas import KeyIn, KeyOut, RowId
from moderation import api_keys
from moderation.store.tables import ApiKey

router = APIRouter(tags=["keys"])


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def key_out(row: ApiKey, plaintext: str | None = None) -> KeyOut:
    return KeyOut(
        id=row.id,
        name=row.name,
        role=row.role,
        prefix=row.prefix,
        created_at=row.created_at.isoformat(),
        revoked_at=_iso(row.revoked_at),
        last_used_at=_iso(row.last_used_at),
        kind=row.kind,
        sites=row.sites,
        all_sites=row.all_sites,
        key=plaintext,
    )


@router.post("/v1/keys", status_code=201, summary="Create an API key (the key is shown once)")
def create_key(body: KeyIn, session: SessionDep, principal: AdminDep) -> KeyOut:
    principal.scope.require_everywhere("managing keys")
    row, plaintext = api_keys.create_key(
        session=session,
        name=body.name,
        role=api_keys.parse_role(body.role),
        sites=body.sites,
        all_sites=body.all_sites,
    )
    session.commit()
    return key_out(row, plaintext)


@router.get("/v1/keys", summary="List API keys (never the keys themselves)")
def list_keys(session: SessionDep, principal: AdminDep) -> list[KeyOut]:
    principal.scope.require_everywhere("managing keys")
    return [key_out(row) for row in api_keys.list_keys(session=session)]


@router.delete("/v1/keys/{key_id}", summary="Revoke an API key")
def revoke_key(key_id: RowId, session: SessionDep, principal: AdminDep) -> KeyOut:
    principal.scope.require_everywhere("managing keys")
    row = api_keys.revoke_key(session=session, key_id=key_id)
    session.commit()
    return key_out(row)

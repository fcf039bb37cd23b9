"""API keys over HTTP (admin): create (plaintext shown once), list, revoke."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import AdminDep, SessionDep
from api.schemas import KeyIn, KeyOut
from moderation import keys
from moderation.store.tables import ApiKey

router = APIRouter(tags=["keys"])


def key_out(row: ApiKey, plaintext: str | None = None) -> KeyOut:
    def iso(value: object) -> str | None:
        return None if value is None else value.isoformat()  # type: ignore[attr-defined]

    return KeyOut(
        id=row.id,
        name=row.name,
        role=row.role,
        prefix=row.prefix,
        created_at=iso(row.created_at) or "",
        revoked_at=iso(row.revoked_at),
        last_used_at=iso(row.last_used_at),
        key=plaintext,
    )


@router.post("/v1/keys", status_code=201, summary="Create an API key (the key is shown once)")
def create_key(body: KeyIn, session: SessionDep, principal: AdminDep) -> KeyOut:
    row, plaintext = keys.create_key(session=session, name=body.name, role=keys.parse_role(body.role))
    session.commit()
    return key_out(row, plaintext)


@router.get("/v1/keys", summary="List API keys (never the keys themselves)")
def list_keys(session: SessionDep, principal: AdminDep) -> list[KeyOut]:
    return [key_out(row) for row in keys.list_keys(session=session)]


@router.delete("/v1/keys/{key_id}", summary="Revoke an API key")
def revoke_key(key_id: int, session: SessionDep, principal: AdminDep) -> KeyOut:
    row = keys.revoke_key(session=session, key_id=key_id)
    session.commit()
    return key_out(row)

"""Data functions of the ``api_keys`` table (hashed keys; the plaintext is never stored).

Keyword-only, each takes the caller's session; none commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from moderation.store.tables import ApiKey, ApiKeySite


def add_key(
    *,
    session: Session,
    name: str,
    role: str,
    prefix: str,
    key_hash: str,
    sites: list[str],
    all_sites: bool,
) -> ApiKey:
    row = ApiKey(name=name, role=role, prefix=prefix, key_hash=key_hash, all_sites=all_sites)
    row.site_rows = [ApiKeySite(site=site) for site in sites]
    session.add(row)
    session.flush()
    return row


def list_keys(*, session: Session, include_revoked: bool = True) -> list[ApiKey]:
    stmt = select(ApiKey).order_by(ApiKey.id)
    if not include_revoked:
        stmt = stmt.where(ApiKey.revoked_at.is_(None))
    return list(session.scalars(stmt))


def active_keys_named(*, session: Session, name: str, role: str) -> list[ApiKey]:
    """The active keys of this name and role, oldest first."""
    stmt = (
        select(ApiKey)
        .where(ApiKey.name == name, ApiKey.role == role, ApiKey.revoked_at.is_(None))
        .order_by(ApiKey.id)
    )
    return list(session.scalars(stmt))


def get_key(*, session: Session, key_id: int) -> ApiKey | None:
    return session.get(ApiKey, key_id)


def key_by_hash(*, session: Session, key_hash: str) -> ApiKey | None:
    return session.scalars(select(ApiKey).where(ApiKey.key_hash == key_hash)).first()

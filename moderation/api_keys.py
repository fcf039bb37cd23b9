"""API keys: ``mk_<role letter>_<random>``, shown once, stored as sha256 (rows: ``store/key_repo.py``)."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from datetime import UTC, timedelta

from sqlalchemy.orm import Session

from moderation.domain import Role
from moderation.errors import InvalidInput, NotFound
from moderation.scopes import ALL_SITES, SiteScope
from moderation.store import key_repo
from moderation.store.tables import ApiKey, utcnow

ROLE_LETTER = {Role.CLIENT: "c", Role.MODERATOR: "m", Role.ADMIN: "a"}
PREFIX_LENGTH = 12
TOUCH_EVERY = timedelta(minutes=1)


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidInput(f"unknown role '{value}' (allowed: {allowed})", field="role") from None


SITE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


def create_key(
    *,
    session: Session,
    name: str,
    role: Role,
    sites: Sequence[str] | None = None,
    all_sites: bool = False,
) -> tuple[ApiKey, str]:
    """Create a key scoped to ``sites`` (one or more) or to ``all_sites``; exactly one of the two.
    The plaintext is returned once and never stored. InvalidInput for a bad name or scope."""
    if not name.strip() or len(name) > 200:
        raise InvalidInput("name must be 1 to 200 characters", field="name")
    wanted = sorted(set(sites or []))
    if all_sites == bool(wanted):
        raise InvalidInput("give the key's sites, or all_sites (not both, not neither)", field="sites")
    bad = [s for s in wanted if not SITE_NAME.match(s)]
    if bad:
        raise InvalidInput(f"'{bad[0]}' is not a valid site name", field="sites")
    plaintext = f"mk_{ROLE_LETTER[role]}_{secrets.token_urlsafe(24)}"
    row = key_repo.add_key(
        session=session,
        name=name.strip(),
        role=role.value,
        prefix=plaintext[:PREFIX_LENGTH],
        key_hash=hash_key(plaintext),
        sites=wanted,
        all_sites=all_sites,
    )
    return row, plaintext


def scope_of(row: ApiKey) -> SiteScope:
    """The sites this key may read and act on."""
    return ALL_SITES if row.all_sites else SiteScope.of(row.sites)


def list_keys(*, session: Session, include_revoked: bool = True) -> list[ApiKey]:
    return key_repo.list_keys(session=session, include_revoked=include_revoked)


def revoke_key(*, session: Session, key_id: int) -> ApiKey:
    row = key_repo.get_key(session=session, key_id=key_id)
    if row is None:
        raise NotFound(f"unknown key id {key_id}", field="key_id")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    session.flush()
    return row


def revoke_others_named(*, session: Session, keep: ApiKey) -> list[ApiKey]:
    """Revoke every active key with ``keep``'s name and role except ``keep`` (e.g. the demo keeps one key per
    role: ``moderation/cli/demo.py``); the rows revoked."""
    others = [
        row
        for row in key_repo.active_keys_named(session=session, name=keep.name, role=keep.role)
        if row.id != keep.id
    ]
    for row in others:
        revoke_key(session=session, key_id=row.id)
    return others


def find_active(*, session: Session, plaintext: str) -> ApiKey | None:
    """The active (not revoked) key with this plaintext, or None; nothing is written (checking a key is not
    using it: ``authenticate`` is what a request does)."""
    if not plaintext.startswith("mk_") or len(plaintext) > 200:
        return None
    row = key_repo.key_by_hash(session=session, key_hash=hash_key(plaintext))
    if row is None or row.revoked_at is not None:
        return None
    return row


def authenticate(*, session: Session, plaintext: str) -> ApiKey | None:
    """The active key with this plaintext, or None. Marks it used (at most once a minute)."""
    row = find_active(session=session, plaintext=plaintext)
    if row is None:
        return None
    now, last = utcnow(), row.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite hands back naive UTC datetimes
        last = last.replace(tzinfo=UTC)
    if last is None or now - last > TOUCH_EVERY:
        row.last_used_at = now
    return row

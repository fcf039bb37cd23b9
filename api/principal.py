"""Who is calling, once authenticated: a key's or a moderator session's name, role and key id.

``api/auth.py`` resolves it from an API key, ``api/sessions.py`` from a session cookie; both return this,
with the key's site scope (``moderation/scopes.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from moderation.domain import ROLE_RANK, Role
from moderation.scopes import ALL_SITES, SiteScope


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    key_id: int | None
    via: Literal["key", "session"]
    scope: SiteScope = field(default=ALL_SITES)  # the sites the key may read and act on

    def can(self, role: Role) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

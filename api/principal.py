"""Who is calling, once authenticated: a key's or a moderator session's name, role and key id.

``api/auth.py`` resolves it from an API key, ``api/sessions.py`` from a session cookie; both return this.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from moderation.domain import ROLE_RANK, Role


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    key_id: int | None
    via: Literal["key", "session"]

    def can(self, role: Role) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

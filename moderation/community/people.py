"""An author's standing (ban, suspension, always pre-moderate: Coral Talk's user statuses) and the history the
trust rules read. Values only; ``store/community_repo.py`` reads them, ``rules.py`` judges them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class AuthorAction(StrEnum):
    """What a moderator can do to a person (``author_actions.action``); each is undone by revoking it."""

    BAN = "ban"  # every comment rejected (USER_BANNED) until revoked
    SUSPEND = "suspend"  # every comment rejected (USER_SUSPENDED) until ``until``
    PREMOD = "premod"  # every comment held for review (PREMOD_USER) until revoked


@dataclass(frozen=True)
class AuthorStanding:
    """The author's active actions at one moment; ``NONE`` (Coral's word) when none is active."""

    banned: bool = False
    suspended_until: datetime | None = None  # UTC; only while in the future
    premod: bool = False

    @property
    def status(self) -> str:
        """Coral's user status: BANNED, SUSPENDED, PREMOD or NONE (the strongest active one)."""
        if self.banned:
            return "BANNED"
        if self.suspended_until is not None:
            return "SUSPENDED"
        return "PREMOD" if self.premod else "NONE"


@dataclass(frozen=True)
class AuthorHistory:
    """What the trust rules need to know about the author of one comment, on its site, at ``now``.

    ``prior_comments``: the author's earlier comments on the site (this one excluded); ``recent_rejections``:
    how many of them are currently rejected and were written within the policy's history window;
    ``repeat_of``: the id of an earlier comment of theirs with the same text within the repeat window."""

    author_id: str
    now: datetime
    standing: AuthorStanding = field(default_factory=AuthorStanding)
    prior_comments: int = 0
    recent_rejections: int = 0
    repeat_of: str | None = None

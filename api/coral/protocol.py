"""Coral Talk's external moderation phase, the wire half: the request Coral posts and the reply it accepts.

Request (``server/src/core/server/services/comments/pipeline/phases/external.ts``, every version since
2021; the oldest used ``tenant: {id, domain}`` instead of ``tenantID``/``tenantDomain``, both are read)::

    {"action": "NEW" | "EDIT",
     "comment": {"body": "...", "parentID": "..." | null},
     "author": {"id": "...", "role": "COMMENTER" | "MEMBER" | "STAFF" | "MODERATOR" | "ADMIN"},
     "story": {"id": "...", "url": "..."}, "site": {"id": "..."},
     "tenantID": "...", "tenantDomain": "..."}

No comment id, no story text, no parent text, no timestamp. Unknown fields are ignored (Coral may add some).

Reply: Coral validates it with Joi (``stripUnknown``) and throws the whole reply away if one value is outside
its sets, so we stay inside the intersection every version accepts:

- ``status`` one of ``NONE APPROVED REJECTED PREMOD SYSTEM_WITHHELD``; ANY status ends Coral's pipeline
  (its own pre-moderation rules after the phase are skipped), so "approve" is an empty 204 (continue) unless
  the operator opts in to ``APPROVED`` (``MODERATION_CORAL_APPROVED_STATUS``);
- ``actions``: ``{"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC" | "COMMENT_DETECTED_SPAM"}``;
- no ``tags`` (FEATURED and STAFF are editors' calls);
- ``moderationAction`` (Coral with DSA support, PR #4516) only when the operator declared which
  ``REJECTION_REASON_CODE`` values their Coral accepts (``MODERATION_CORAL_REJECTION_CODES``): a code outside
  Coral's set would void the whole reply;
- ``moderationService``: ours (decision, reason codes and scores, the article matched or why on-topic and
  stance were skipped). Coral strips it; it is there for logs and for people reading the exchange.

Our reasons -> Coral: civility reasons flag ``COMMENT_DETECTED_TOXIC``, ``PADDING`` flags
``COMMENT_DETECTED_SPAM``; the others (``OFF_TOPIC``, length, an unavailable classifier) give a status
without a flag. Rejection codes by reason, the first one the operator allows, else ``OTHER`` with a custom
reason, else no ``moderationAction``: TOXICITY, INSULT, THREAT -> ABUSIVE; PROFANITY -> OFFENSIVE;
SEVERE_TOXICITY, IDENTITY_ATTACK -> HATE_SPEECH, then ABUSIVE; OFF_TOPIC -> IRRELEVANT_CONTENT; PADDING ->
SPAM. Never ILLEGAL_CONTENT: illegality is a person's call, with legal grounds.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from moderation.domain import Action, Decision, Reason

COMMENT_STATUSES = ("NONE", "APPROVED", "REJECTED", "PREMOD", "SYSTEM_WITHHELD")
FLAG_REASONS = ("COMMENT_DETECTED_TOXIC", "COMMENT_DETECTED_SPAM")
REJECTION_REASON_CODES = (  # Coral's REJECTION_REASON_CODE, newest
    "OFFENSIVE",
    "ABUSIVE",
    "SPAM",
    "BANNED_WORD",
    "AD",
    "ILLEGAL_CONTENT",
    "HARASSMENT_BULLYING",
    "MISINFORMATION",
    "HATE_SPEECH",
    "IRRELEVANT_CONTENT",
    "OTHER",
)
TOXIC_REASONS = frozenset({"TOXICITY", "SEVERE_TOXICITY", "INSULT", "THREAT", "PROFANITY", "IDENTITY_ATTACK"})
SPAM_REASONS = frozenset({"PADDING", "SPAM", "REPEAT_POST"})
REJECTION_PREFERENCES = {
    "TOXICITY": ("ABUSIVE",),
    "INSULT": ("ABUSIVE",),
    "THREAT": ("ABUSIVE",),
    "PROFANITY": ("OFFENSIVE", "ABUSIVE"),
    "SEVERE_TOXICITY": ("HATE_SPEECH", "ABUSIVE"),
    "IDENTITY_ATTACK": ("HATE_SPEECH", "ABUSIVE"),
    "OFF_TOPIC": ("IRRELEVANT_CONTENT",),
    "PADDING": ("SPAM",),
    "BANNED_WORD": ("BANNED_WORD", "OFFENSIVE"),
    "SPAM": ("SPAM", "AD"),
    "LINKS": ("AD", "SPAM"),
    "REPEAT_POST": ("SPAM",),
}
MAX_EXPLANATION = 500


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CoralComment(_Lenient):
    body: str
    parentID: str | None = None


class CoralAuthor(_Lenient):
    id: str = Field(max_length=200)
    role: str | None = None


class CoralStory(_Lenient):
    id: str = Field(max_length=200)
    url: str | None = Field(default=None, max_length=2000)


class CoralSite(_Lenient):
    id: str


class CoralTenant(_Lenient):
    id: str
    domain: str | None = None


class ExternalModerationRequest(_Lenient):
    """What Coral posts to the phase URL (``ExternalModerationRequest`` in Coral's ``external.ts``)."""

    action: Literal["NEW", "EDIT"]
    comment: CoralComment
    author: CoralAuthor
    story: CoralStory
    site: CoralSite | None = None
    tenantID: str | None = None
    tenantDomain: str | None = None
    tenant: CoralTenant | None = None  # the oldest versions

    @property
    def tenant_id(self) -> str:
        return self.tenantID or (self.tenant.id if self.tenant else "")


class CoralFlag(BaseModel):
    actionType: Literal["FLAG"]
    reason: Literal["COMMENT_DETECTED_TOXIC", "COMMENT_DETECTED_SPAM"]


class CoralRejectionReason(BaseModel):
    code: str = Field(description="one of the operator's MODERATION_CORAL_REJECTION_CODES")
    detailedExplanation: str | None = None
    customReason: str | None = None


class CoralModerationAction(BaseModel):
    status: Literal["REJECTED"]
    rejectionReason: CoralRejectionReason


class CoralReply(BaseModel):
    """What the phase answers when it does not answer 204 (continue)."""

    status: Literal["APPROVED", "REJECTED", "SYSTEM_WITHHELD"]
    actions: list[CoralFlag] | None = None
    moderationAction: CoralModerationAction | None = None
    moderationService: dict[str, Any] = Field(
        description="ours (Coral drops it): decision, reasons, comment id, article matched or skipped"
    )


def _flags(reasons: tuple[Reason, ...]) -> list[dict[str, str]]:
    flags = []
    if any(r.code in TOXIC_REASONS for r in reasons):
        flags.append({"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"})
    if any(r.code in SPAM_REASONS for r in reasons):
        flags.append({"actionType": "FLAG", "reason": "COMMENT_DETECTED_SPAM"})
    return flags


def rejection_reason(reasons: tuple[Reason, ...], allowed: list[str]) -> dict[str, str] | None:
    """Coral's ``rejectionReason`` for a rejection, from the operator's ``allowed`` codes (None: none
    fits)."""
    codes = [c for c in allowed if c in REJECTION_REASON_CODES]
    rejecting = [r for r in reasons if r.action is Action.REJECT] or list(reasons)
    explanation = " ".join(dict.fromkeys(r.message for r in rejecting))[:MAX_EXPLANATION]
    for reason in rejecting:
        for code in REJECTION_PREFERENCES.get(reason.code, ()):
            if code in codes:
                return {"code": code, "detailedExplanation": explanation}
    if "OTHER" in codes:
        custom = ", ".join(dict.fromkeys(r.code for r in rejecting)) or "automatic moderation"
        return {"code": "OTHER", "customReason": custom, "detailedExplanation": explanation}
    return None


def coral_reply(
    decision: Decision, *, approved_status: bool, rejection_codes: list[str], extension: dict[str, Any]
) -> dict[str, Any] | None:
    """Coral's reply for our decision; None means "continue" (answered 204)."""
    if decision.action is Action.APPROVE:
        if not approved_status:
            return None
        return {"status": "APPROVED", "moderationService": extension}
    reply: dict[str, Any] = {
        "status": "REJECTED" if decision.action is Action.REJECT else "SYSTEM_WITHHELD",
        "actions": _flags(decision.reasons),
    }
    if decision.action is Action.REJECT:
        reason = rejection_reason(decision.reasons, rejection_codes)
        if reason is not None:
            reply["moderationAction"] = {"status": "REJECTED", "rejectionReason": reason}
    reply["moderationService"] = extension
    return reply

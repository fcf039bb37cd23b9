"""Coral Talk's external moderation phase, replayed as Coral sends it: its request shape, its body bytes
(``JSON.stringify(data, null, 2)``), its ``X-Coral-Signature`` (HMAC-SHA256 per active secret, several during
a rotation), and the reply checked against the rules Coral's Joi schema applies (a reply outside them is
thrown away whole by Coral). Real SQLite, Redis and encoder; site policies make the decisions certain."""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.coral.protocol import COMMENT_STATUSES, FLAG_REASONS, REJECTION_REASON_CODES, rejection_reason
from api.coral.signature import sign, signatures, verify
from api.main import create_app
from moderation import coral
from moderation.config import Settings
from moderation.domain import Action, Article, Reason
from moderation.errors import Unavailable
from moderation.services import Services, build_services
from moderation.store import repo
from moderation.store.db import transaction
from moderation.store.tables import CommentRow, DecisionRecord

SITE = "news"
URL = f"/v1/coral/sites/{SITE}/phase"
ARTICLE = Article(
    id="bike-lanes-2026",
    site=SITE,
    title="Council approves protected bike lanes downtown",
    body="The city council approved a network of protected bicycle lanes downtown, paid for by raising "
    "parking fees. Shop owners on Main Street worry about losing customers who drive; cycling groups say "
    "the lanes will make the street safer for children riding to school.",
    url="https://news.example/posts/bike-lanes/",
)
REJECT_ALL = {"thresholds": {"toxicity": 0.0}, "actions": {"TOXICITY": "reject"}}
REVIEW_ALL = {"thresholds": {"toxicity": 0.0}, "actions": {"TOXICITY": "review"}}
APPROVE_ALL = {
    "thresholds": {
        k: 1.0 for k in ("toxicity", "severe_toxicity", "insult", "threat", "profanity", "identity_attack")
    }
    | {"on_topic": 0.0}
}


def coral_request(
    text: str,
    *,
    story_id: str = "245b3856-b0a0-4d2f-a6bb-58c71f18d6a6",
    url: str | None = None,
    action: str = "NEW",
    old_tenant: bool = False,
) -> dict[str, Any]:
    """The body Coral's external.ts builds (``ExternalModerationRequest``)."""
    doc: dict[str, Any] = {
        "action": action,
        "comment": {"body": text, "parentID": "d79b787f-f406-49a0-a179-72e3652e54be"},
        "author": {"id": "baf4e943-3594-4fcc-b2ba-3e8de7a76352", "role": "COMMENTER"},
        "story": {"id": story_id, "url": url or "http://NEWS.example/posts/bike-lanes?commentID=c1#c1"},
        "site": {"id": "a4bede88-2d2c-4424-bc18-4322a9e285a6"},
    }
    if old_tenant:
        doc["tenant"] = {"id": "19ba5794-7eeb-4d46-a81b-c00c61672501", "domain": "news.example"}
    else:
        doc |= {"tenantID": "19ba5794-7eeb-4d46-a81b-c00c61672501", "tenantDomain": "news.example"}
    return doc


def coral_body(doc: dict[str, Any]) -> bytes:
    """``JSON.stringify(data, null, 2)``: two-space indent, non-ASCII as is."""
    return json.dumps(doc, indent=2, ensure_ascii=False).encode("utf-8")


def coral_signature(body: bytes, active: Sequence[str]) -> str:
    """Coral's ``generateSignatures``: one ``sha256=<hex>`` per active secret, joined with ``,``."""
    return ",".join(sign(secret, body) for secret in active)


def coral_accepts(reply: dict[str, Any]) -> bool:
    """Coral's ``ExternalModerationResponseSchema`` (Joi, stripUnknown): what it keeps, or False when it would
    discard the reply whole."""
    status = reply.get("status")
    if status is not None and status not in COMMENT_STATUSES:
        return False
    for action in reply.get("actions") or []:
        if action.get("actionType") != "FLAG" or action.get("reason") not in FLAG_REASONS:
            return False
    if any(tag not in ("FEATURED", "STAFF") for tag in reply.get("tags") or []):
        return False
    moderation_action = reply.get("moderationAction")
    if moderation_action is not None:
        reason = moderation_action.get("rejectionReason") or {}
        if (
            moderation_action.get("status") not in COMMENT_STATUSES
            or reason.get("code") not in REJECTION_REASON_CODES
        ):
            return False
        if reason.get("code") == "OTHER" and not reason.get("customReason"):
            return False
    return True


def new_secret() -> str:
    return "empsec_" + secrets.token_hex(32)  # Coral's generateSigningSecret("empsec", ...)


class Phase:
    """The app over real SQLite + Redis with the session's encoder; Coral's secrets registered for SITE."""

    def __init__(self, settings: Settings, runtime: Any, **overrides: Any) -> None:
        self.services: Services = build_services(settings.model_copy(update=overrides), runtime=runtime)
        self.client = TestClient(create_app(services=self.services))
        self.old, self.new = new_secret(), new_secret()
        with transaction(self.services.sessions) as session:
            self.old_id = coral.add_secret(session=session, site=SITE, secret=self.old, label="phase 1").id
            coral.add_secret(session=session, site=SITE, secret=self.new, label="phase 1, rotated")
            repo.upsert_article(session=session, article=ARTICLE)

    def policy(self, document: dict[str, Any]) -> None:
        with transaction(self.services.sessions) as session:
            repo.save_policy(
                session=session, site=SITE, article_id=None, document=document, created_by="test"
            )

    def post(self, doc: dict[str, Any], *, active: Sequence[str] | None = None, query: str = "") -> Any:
        body = coral_body(doc)
        headers = {
            "Content-Type": "application/json",
            "X-Coral-Signature": coral_signature(body, [self.old, self.new] if active is None else active),
            "User-Agent": "Coral Moderation/9.5.0",
        }
        return self.client.post(URL + query, content=body, headers=headers)

    def close(self) -> None:
        self.client.close()
        self.services.close()


@pytest.fixture
def phase(settings: Settings, runtime: Any) -> Iterator[Phase]:
    p = Phase(settings, runtime, coral_rejection_codes=list(REJECTION_REASON_CODES))
    yield p
    p.close()


TOXIC = (
    "Only an idiot would write this garbage. The reporter clearly never set foot on Main Street, and the "
    "council members who voted for it should be ashamed of themselves 🤡"
)
CIVIL = (
    "I cycle down Main Street every morning with my daughter. Protected lanes would make that ride a lot "
    "less frightening, though I understand why the shop owners are worried about parking."
)


def test_coral_request_with_a_rotation_signature_is_answered_in_corals_shape(phase: Phase) -> None:
    phase.policy(REJECT_ALL)
    response = phase.post(coral_request(TOXIC))
    assert response.status_code == 200, response.text
    reply = response.json()
    assert coral_accepts(reply)
    assert reply["status"] == "REJECTED"
    assert reply["actions"] == [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}]
    assert reply["moderationAction"]["status"] == "REJECTED"
    assert reply["moderationAction"]["rejectionReason"]["code"] == "ABUSIVE"
    assert reply["moderationAction"]["rejectionReason"]["detailedExplanation"].startswith(
        "Your comment may be"
    )
    assert "tags" not in reply
    service = reply["moderationService"]
    assert service["decision"] == "reject" and service["article"] == {"id": ARTICLE.id}
    assert response.headers["x-moderation-article"] == ARTICLE.id  # by URL: http, host case, slash, query
    with phase.services.sessions() as session:
        row = session.get(CommentRow, service["commentId"])
        assert row is not None and row.article_id == ARTICLE.id and row.text == TOXIC and row.site == SITE
        assert row.author_id == "baf4e943-3594-4fcc-b2ba-3e8de7a76352"
        assert [r.source for r in session.scalars(select(DecisionRecord))] == ["coral"]


def test_approve_continues_with_an_empty_204(phase: Phase, settings: Settings, runtime: Any) -> None:
    phase.policy(APPROVE_ALL)
    response = phase.post(coral_request(CIVIL))
    assert response.status_code == 204 and response.content == b""
    assert response.headers["x-moderation-article"] == ARTICLE.id
    opted_in = Phase(settings, runtime, coral_approved_status=True)
    try:
        opted_in.policy(APPROVE_ALL)
        reply = opted_in.post(coral_request(CIVIL + " Really.")).json()
        assert coral_accepts(reply) and reply["status"] == "APPROVED" and "actions" not in reply
    finally:
        opted_in.close()


def test_review_is_system_withheld_with_a_toxic_flag_and_no_moderation_action(phase: Phase) -> None:
    phase.policy(REVIEW_ALL)
    reply = phase.post(coral_request(TOXIC)).json()
    assert coral_accepts(reply)
    assert reply["status"] == "SYSTEM_WITHHELD" and "moderationAction" not in reply
    assert reply["actions"] == [{"actionType": "FLAG", "reason": "COMMENT_DETECTED_TOXIC"}]


def test_signatures_are_checked_on_the_raw_body(phase: Phase) -> None:
    phase.policy(APPROVE_ALL)
    doc = coral_request(CIVIL)
    assert phase.post(doc, active=[phase.new]).status_code == 204  # after Coral dropped the old one
    assert phase.post(coral_request(CIVIL + " 1"), active=[new_secret(), phase.old]).status_code == 204
    forged = phase.post(coral_request(CIVIL + " 2"), active=[new_secret()])
    assert forged.status_code == 401 and "X-Coral-Signature" in forged.json()["error"]["message"]
    body = coral_body(coral_request(CIVIL + " 3"))
    signature = coral_signature(body, [phase.old])
    reindented = json.dumps(json.loads(body)).encode()  # same JSON, other bytes: not what was signed
    tampered = phase.client.post(URL, content=reindented, headers={"X-Coral-Signature": signature})
    assert tampered.status_code == 401
    assert phase.client.post(URL, content=body).status_code == 401  # no header
    with transaction(phase.services.sessions) as session:
        coral.revoke_secret(session=session, secret_id=phase.old_id)
    assert phase.post(coral_request(CIVIL + " 4"), active=[phase.old]).status_code == 401
    other_site = phase.client.post(
        "/v1/coral/sites/sports/phase", content=body, headers={"X-Coral-Signature": signature}
    )
    assert other_site.status_code == 401  # secrets belong to their site


def test_a_replayed_body_gets_the_first_answer_and_no_second_record(phase: Phase) -> None:
    phase.policy(REJECT_ALL)
    doc = coral_request(TOXIC)
    first = phase.post(doc)
    again = phase.post(doc)
    assert again.status_code == first.status_code == 200 and again.json() == first.json()
    assert again.headers["x-moderation-replay"] == "true" and "x-moderation-replay" not in first.headers
    with phase.services.sessions() as session:
        assert len(list(session.scalars(select(DecisionRecord)))) == 1
    edited = phase.post(coral_request(TOXIC, action="EDIT"))  # another body: answered on its own
    assert edited.status_code == 200 and "x-moderation-replay" not in edited.headers


def test_unknown_story_skips_on_topic_and_stance_and_says_so(phase: Phase) -> None:
    phase.policy(REVIEW_ALL)
    doc = coral_request(TOXIC, story_id="not-registered", url="https://news.example/posts/something-else/")
    response = phase.post(doc)
    reply = response.json()
    assert response.headers["x-moderation-article"] == "unmatched"
    assert reply["moderationService"]["article"] is None
    assert reply["moderationService"]["skipped"]["attributes"] == ["OFF_TOPIC", "STANCE"]
    with phase.services.sessions() as session:
        row = session.get(CommentRow, reply["moderationService"]["commentId"])
        assert row is not None and row.article_id is None
        stored = row.scores[-1].scores
    assert stored["on_topic"] is None and stored["stance"] is None
    by_id = phase.post(
        coral_request(TOXIC + " Again.", story_id=ARTICLE.id, url="https://elsewhere.example/x")
    )
    assert by_id.headers["x-moderation-article"] == ARTICLE.id


def test_older_corals_request_and_html_bodies(phase: Phase) -> None:
    phase.policy(REVIEW_ALL)
    html = "<p>Only an <b>idiot</b> would write this &amp; call it journalism.</p>"
    response = phase.post(coral_request(html, old_tenant=True), query="?format=HTML")
    assert response.status_code == 200
    with phase.services.sessions() as session:
        row = session.get(CommentRow, response.json()["moderationService"]["commentId"])
    assert row is not None and row.text == "Only an idiot would write this & call it journalism."
    broken = phase.client.post(URL, content=b"{}", headers={"X-Coral-Signature": sign(phase.new, b"{}")})
    assert (
        broken.status_code == 422
        and "not a Coral external moderation request" in broken.json()["error"]["message"]
    )


class DownRuntime:
    """A model that is not there (an outage through the Runtime seam)."""

    version = "down"
    heads = frozenset({"civility"})
    missing_heads: frozenset[str] = frozenset()

    def embed(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        raise Unavailable("the model is restarting")

    encode_articles = embed

    def predict(self, comments: Sequence[Any], article_vectors: Sequence[Any]) -> list[Any]:
        raise Unavailable("the model is restarting")


@pytest.mark.parametrize("fail_closed", [False, True])
def test_outage_answers_503_or_withholds(settings: Settings, fail_closed: bool) -> None:
    p = Phase(settings, DownRuntime(), coral_fail_closed=fail_closed)
    try:
        doc = coral_request(TOXIC)
        response = p.post(doc)
        if fail_closed:
            assert response.status_code == 200 and coral_accepts(response.json())
            assert response.json()["status"] == "SYSTEM_WITHHELD"
        else:
            assert response.status_code == 503 and response.headers["retry-after"] == "5"
            assert p.post(doc).status_code == 503  # an outage is not kept as the answer
    finally:
        p.close()


def reasons(*codes: str) -> tuple[Reason, ...]:
    return tuple(Reason(code, "civility", Action.REJECT, f"{code} message", 0.9, 0.5) for code in codes)


def test_rejection_codes_come_only_from_the_declared_set() -> None:
    first_dsa_release = ["OFFENSIVE", "ABUSIVE", "SPAM", "BANNED_WORD", "AD", "ILLEGAL_CONTENT", "OTHER"]
    assert rejection_reason(reasons("IDENTITY_ATTACK"), first_dsa_release)["code"] == "ABUSIVE"  # type: ignore[index]
    assert rejection_reason(reasons("IDENTITY_ATTACK"), list(REJECTION_REASON_CODES))["code"] == "HATE_SPEECH"  # type: ignore[index]
    other = rejection_reason(reasons("TOO_LONG"), first_dsa_release)
    assert other is not None and other["code"] == "OTHER" and other["customReason"] == "TOO_LONG"
    assert rejection_reason(reasons("OFF_TOPIC"), ["ABUSIVE"]) is None
    assert rejection_reason(reasons("THREAT"), []) is None
    assert all(
        rejection_reason(reasons(code), list(REJECTION_REASON_CODES))["code"] != "ILLEGAL_CONTENT"  # type: ignore[index]
        for code in ("THREAT", "SEVERE_TOXICITY", "IDENTITY_ATTACK", "TOXICITY")
    )


def test_signature_header_parsing() -> None:
    body = b'{\n  "action": "NEW"\n}'
    one, two = new_secret(), new_secret()
    header = f"sha256={sign(one, body)[7:].upper()} , v1=abc, sha256=nothex, {sign(two, body)}"
    assert len(signatures(header)) == 2
    assert verify(body, header, [two]) and verify(body, header, [one])
    assert not verify(body, header, [new_secret()]) and not verify(body, None, [one])


def test_a_banned_author_and_a_banned_word_are_rejected_in_corals_terms(phase: Phase) -> None:
    """Issue 15: a moderator's ban (here) refuses the author's next comment arriving through Coral's phase;
    a banned word maps to Coral's BANNED_WORD rejection code."""
    from moderation.community.people import AuthorAction
    from moderation.store import community_repo

    phase.policy(APPROVE_ALL | {"words": {"banned": ["garbage"]}})
    author = "baf4e943-3594-4fcc-b2ba-3e8de7a76352"
    worded = phase.post(coral_request(CIVIL + " Not garbage at all.")).json()
    assert coral_accepts(worded) and worded["status"] == "REJECTED"
    assert worded["moderationAction"]["rejectionReason"]["code"] == "BANNED_WORD"
    with transaction(phase.services.sessions) as session:
        community_repo.add_action(
            session=session, site=SITE, author_id=author, action=AuthorAction.BAN, reason="test", actor="ann"
        )
    banned = phase.post(coral_request(CIVIL + " Once more.")).json()
    assert coral_accepts(banned) and banned["status"] == "REJECTED"
    assert banned["moderationService"]["reasons"][0]["code"] == "USER_BANNED"
    assert banned["moderationAction"]["rejectionReason"]["code"] == "OTHER"
    assert "banned" in banned["moderationAction"]["rejectionReason"]["detailedExplanation"]

"""Point 6: the policy (pure ``decide``, validation) and its API (per site, per article, versions)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from moderation.domain import Action, LanguageScore, LengthScore, Scores
from moderation.errors import InvalidPolicy
from moderation.messages import author_message
from moderation.policy import DEFAULT_POLICY, Policy, decide


def scores(
    *,
    chars: int = 80,
    civility: dict[str, float] | None = None,
    on_topic: float | None = 0.8,
    unavailable: tuple[str, ...] = (),
    padding: bool = False,
) -> Scores:
    length = LengthScore(chars, 1, 5000, False, False, 0.6 if padding else 0.0, padding)
    return Scores(
        length=length, civility=civility, on_topic=on_topic, unavailable=unavailable, model_version="m"
    )


CLEAN = {
    "toxicity": 0.1,
    "severe_toxicity": 0.0,
    "insult": 0.05,
    "threat": 0.0,
    "profanity": 0.0,
    "identity_attack": 0.0,
}


def codes(decision: Any) -> list[str]:
    return [r.code for r in decision.reasons]


def test_clean_comment_is_approved() -> None:
    decision = decide(scores(civility=CLEAN), DEFAULT_POLICY)
    assert decision.action is Action.APPROVE and decision.reasons == ()
    assert decision.policy_version == "default@5"


def test_toxicity_over_the_default_line_goes_to_review() -> None:
    decision = decide(scores(civility=CLEAN | {"toxicity": 0.85}), DEFAULT_POLICY)
    assert decision.action is Action.REVIEW and codes(decision) == ["TOXICITY"]
    reason = decision.reasons[0]
    assert reason.score == 0.85 and reason.threshold == 0.83 and reason.classifier == "civility"
    assert "moderator" in reason.message


def test_threat_goes_to_a_person_and_reject_wins_over_review() -> None:
    threat = decide(scores(civility=CLEAN | {"threat": 0.55}), DEFAULT_POLICY)
    assert threat.action is Action.REVIEW and codes(threat) == ["THREAT"]
    decision = decide(scores(civility=CLEAN | {"threat": 0.95, "identity_attack": 0.9}), DEFAULT_POLICY)
    assert decision.action is Action.REJECT
    assert set(codes(decision)) == {"IDENTITY_ATTACK", "THREAT"}


def test_length_reasons_use_the_policy_limits_and_tell_the_author() -> None:
    policy = Policy.from_document({"min_chars": 50}, version="demo@1")
    decision = decide(scores(chars=32, civility=CLEAN), policy)
    assert decision.action is Action.REJECT and codes(decision) == ["TOO_SHORT"]
    assert (
        decision.reasons[0].message
        == "Comments must be at least 50 characters (yours has 32; 18 more needed)."
    )
    assert decision.scores.length.min_chars == 50 and decision.scores.length.too_short
    long = decide(scores(chars=6000, civility=CLEAN), DEFAULT_POLICY)
    assert codes(long) == ["TOO_LONG"] and "at most 5000" in long.reasons[0].message
    padded = decide(scores(civility=CLEAN, padding=True), DEFAULT_POLICY)
    assert padded.action is Action.REJECT and codes(padded) == ["PADDING"]


def test_off_topic_goes_to_review_only_with_an_article() -> None:
    assert codes(decide(scores(civility=CLEAN, on_topic=0.1), DEFAULT_POLICY)) == ["OFF_TOPIC"]
    assert codes(decide(scores(civility=CLEAN, on_topic=0.4), DEFAULT_POLICY)) == []  # unsure: no flag
    assert decide(scores(civility=CLEAN, on_topic=None), DEFAULT_POLICY).action is Action.APPROVE


def test_missing_classifier_is_said_never_invented() -> None:
    decision = decide(scores(civility=None, unavailable=("civility",)), DEFAULT_POLICY)
    assert decision.action is Action.REVIEW
    assert codes(decision) == ["CLASSIFIER_UNAVAILABLE"] and decision.reasons[0].score is None
    strict = Policy.from_document({"actions": {"CLASSIFIER_UNAVAILABLE": "reject"}})
    assert decide(scores(civility=None, unavailable=("civility",)), strict).action is Action.REJECT


def test_actions_and_thresholds_are_configurable() -> None:
    policy = Policy.from_document({"thresholds": {"toxicity": 0.5}, "actions": {"TOXICITY": "reject"}})
    assert policy.thresholds["insult"] == DEFAULT_POLICY.thresholds["insult"]  # the rest is inherited
    assert decide(scores(civility=CLEAN | {"toxicity": 0.6}), policy).action is Action.REJECT


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"thresholds": {"toxicity": 1.5}}, "thresholds.toxicity"),
        ({"thresholds": {"toxicity": "high"}}, "thresholds.toxicity"),
        ({"thresholds": {"toxicty": 0.5}}, "thresholds.toxicty"),
        ({"actions": {"TOXICITY": "delete"}}, "actions.TOXICITY"),
        ({"actions": {"NOPE": "reject"}}, "actions.NOPE"),
        ({"min_chars": -1}, "min_chars"),
        ({"min_chars": "50"}, "min_chars"),
        ({"min_chars": 100, "max_chars": 50}, "min_chars"),
        ({"colour": "red"}, "colour"),
        ({"thresholds": [0.1]}, "thresholds"),
    ],
)
def test_invalid_documents_name_the_field(document: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidPolicy) as caught:
        Policy.from_document(document)
    assert caught.value.field == field
    assert field.split(".")[-1] in caught.value.message


# --- API ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("database_url", ["sqlite", "postgres"], indirect=True)
def test_site_policy_versions_and_article_override(client: Any, auth: Any) -> None:
    admin = auth("admin")
    got = client.get("/v1/sites/news/policy", headers=admin)
    assert got.status_code == 200 and got.json()["version"] == "default@5"
    assert got.json()["policy"]["thresholds"]["toxicity"] == 0.83

    put = client.put("/v1/sites/news/policy", json={"min_chars": 20}, headers=admin)
    assert put.status_code == 200 and put.json()["version"] == "news@1"
    put = client.put("/v1/sites/news/policy", json={"min_chars": 30}, headers=admin)
    assert put.json()["version"] == "news@2" and put.json()["policy"]["min_chars"] == 30

    over = client.put("/v1/sites/news/articles/a-1/policy", json={"max_chars": 200}, headers=admin)
    assert over.status_code == 200 and over.json()["version"] == "news/a-1@1"
    assert over.json()["policy"]["min_chars"] == 30 and over.json()["policy"]["max_chars"] == 200

    text = "A short remark."
    result = client.post(
        "/v1/moderate", json={"text": text, "site": "news", "do_not_store": True}, headers=auth("client")
    ).json()
    assert result["policy_version"] == "news@2" and result["decision"] == "reject"
    assert result["reasons"][0]["message"] == (
        f"Comments must be at least 30 characters (yours has {len(text)}; {30 - len(text)} more needed)."
    )


def test_invalid_policy_is_refused_with_the_field(client: Any, auth: Any) -> None:
    bad = client.put("/v1/sites/news/policy", json={"thresholds": {"threat": 2}}, headers=auth("admin"))
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "thresholds.threat"
    assert "thresholds.threat" in bad.json()["error"]["message"]
    assert client.get("/v1/sites/news/policy", headers=auth("admin")).json()["version"] == "default@5"


def test_policies_need_the_admin_role(client: Any, auth: Any) -> None:
    assert client.get("/v1/sites/news/policy").status_code == 401
    assert client.get("/v1/sites/news/policy", headers=auth("moderator")).status_code == 403
    assert client.put("/v1/sites/news/policy", json={}, headers=auth("client")).status_code == 403


def test_the_policy_judges_padding_that_only_reaches_its_minimum() -> None:
    """The length classifier measures; whether a little filler is padding depends on the policy's minimum."""
    from moderation.classifiers.length import LengthClassifier

    measured = LengthClassifier().measure("This is my honest opinion on it" + "!" * 22)
    assert measured.min_chars is None and not measured.padding_detected  # filler is not most of the text
    strict, lenient = Policy.from_document({"min_chars": 50}), Policy.from_document({"min_chars": 20})
    assert codes(decide(Scores(length=measured, civility=CLEAN), strict)) == ["PADDING"]
    assert codes(decide(Scores(length=measured, civility=CLEAN), lenient)) == []


def in_language(code: str, civility: dict[str, float], *, zero_shot: bool) -> Scores:
    language = LanguageScore(code, 0.95, zero_shot=("civility",) if zero_shot else ())
    return replace(scores(civility=civility), language=language)


def test_zero_shot_civility_is_held_from_the_lower_threshold_and_never_rejected() -> None:
    middling = CLEAN | {"toxicity": 0.6, "severe_toxicity": 0.65, "insult": 0.55}
    held = decide(in_language("es", middling, zero_shot=True), DEFAULT_POLICY)
    assert held.action is Action.REVIEW
    by_code = {r.code: r for r in held.reasons}
    assert set(by_code) == {"TOXICITY", "INSULT", "SEVERE_TOXICITY"}
    line = DEFAULT_POLICY.thresholds["zero_shot_civility"]
    assert all(r.threshold == line and r.action is Action.REVIEW for r in held.reasons)
    # at or over its own threshold a reason keeps its own action (severe toxicity rejects)
    severe = decide(in_language("es", middling | {"severe_toxicity": 0.75}, zero_shot=True), DEFAULT_POLICY)
    assert severe.action is Action.REJECT
    # the same scores in a trained language, or under the zero-shot line, pass
    assert decide(in_language("de", middling, zero_shot=False), DEFAULT_POLICY).action is Action.APPROVE
    calm = CLEAN | {"toxicity": line - 0.05}
    assert decide(in_language("es", calm, zero_shot=True), DEFAULT_POLICY).action is Action.APPROVE


def test_a_site_sets_the_zero_shot_line() -> None:
    relaxed = Policy.from_document({"thresholds": {"zero_shot_civility": 0.9}})
    scored = in_language("fr", CLEAN | {"toxicity": 0.6}, zero_shot=True)
    assert decide(scored, relaxed).action is Action.APPROVE
    with pytest.raises(InvalidPolicy):
        Policy.from_document({"thresholds": {"zero_shot_civility": 1.5}})


def test_a_stored_template_with_a_format_spec_fills_its_fields_plainly() -> None:
    """Templates stored before specs were refused must not fail (500) or blow up when a message is built."""
    stored = "{needed:s} / {needed:>999999999} / {language:d} / {needed!r} {{x}}"
    overrides = {"TOO_SHORT": {Action.REJECT: stored}}
    message = author_message("TOO_SHORT", Action.REJECT, overrides=overrides, needed=5)
    assert message == "5 / 5 /  / 5 {x}"


def test_a_comment_the_model_read_only_in_part_goes_to_a_moderator() -> None:
    partly = replace(scores(civility=CLEAN), unread_tokens=6200)
    decision = decide(partly, DEFAULT_POLICY)
    assert decision.action is Action.REVIEW and codes(decision) == ["PARTLY_SCORED"]
    assert decision.reasons[0].score == 6200 and "moderator" in decision.reasons[0].message
    assert decide(scores(civility=CLEAN), DEFAULT_POLICY).action is Action.APPROVE
    site = Policy.from_document({"actions": {"PARTLY_SCORED": "reject"}}, base=DEFAULT_POLICY)
    assert decide(partly, site).action is Action.REJECT


def test_a_rejected_comment_read_in_part_is_not_promised_a_moderator() -> None:
    long = LengthScore(characters=6000)
    decision = decide(replace(scores(civility=CLEAN), length=long, unread_tokens=9000), DEFAULT_POLICY)
    assert decision.action is Action.REJECT and codes(decision) == ["TOO_LONG", "PARTLY_SCORED"]
    assert not any("moderator will review" in r.message for r in decision.reasons)

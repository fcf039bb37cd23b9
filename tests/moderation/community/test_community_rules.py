"""The community rules through the pure ``decide``: author standing and history, word lists, links, spam."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from moderation.community.people import AuthorHistory, AuthorStanding
from moderation.community.rules import CommentContext
from moderation.domain import Action, LengthScore, Scores
from moderation.errors import InvalidPolicy
from moderation.policy import DEFAULT_POLICY, Policy, decide

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
SCORES = Scores(length=LengthScore(characters=40), civility={"toxicity": 0.1}, on_topic=0.9)


def codes(text: str, policy: Policy = DEFAULT_POLICY, author: AuthorHistory | None = None) -> list[str]:
    decision = decide(SCORES, policy, CommentContext(text, author))
    return [r.code for r in decision.reasons]


def who(**kw: object) -> AuthorHistory:
    return AuthorHistory(author_id="u1", now=NOW, **kw)  # type: ignore[arg-type]


def test_defaults_change_nothing() -> None:
    assert codes("Read https://spam.example.com now", author=who(prior_comments=0, repeat_of="c0")) == []


def test_banned_suspended_and_premod_authors() -> None:
    banned = decide(
        SCORES, DEFAULT_POLICY, CommentContext("hello", who(standing=AuthorStanding(banned=True)))
    )
    assert banned.action is Action.REJECT and banned.reasons[0].code == "USER_BANNED"
    assert "banned" in banned.reasons[0].message
    later = AuthorStanding(suspended_until=NOW + timedelta(days=1))
    suspended = decide(SCORES, DEFAULT_POLICY, CommentContext("hello", who(standing=later)))
    assert suspended.action is Action.REJECT and "2026-12-01 12:00 UTC" in suspended.reasons[0].message
    over = AuthorStanding(suspended_until=NOW - timedelta(seconds=1))
    assert codes("hello", author=who(standing=over)) == []
    premod = decide(
        SCORES, DEFAULT_POLICY, CommentContext("hello", who(standing=AuthorStanding(premod=True)))
    )
    assert premod.action is Action.REVIEW and premod.reasons[0].code == "PREMOD_USER"
    assert "moderator will review" in premod.reasons[0].message


def test_trust_rules_new_commenters_recent_history_repeat_posts() -> None:
    policy = Policy.from_document(
        {
            "trust": {
                "premod_first_comments": 2,
                "history_rejections": 3,
                "history_days": 7,
                "repeat_window_s": 60,
            }
        }
    )
    assert codes("hi", policy, who(prior_comments=1)) == ["NEW_COMMENTER"]
    assert codes("hi", policy, who(prior_comments=2)) == []
    assert codes("hi", policy, who(prior_comments=9, recent_rejections=3)) == ["RECENT_HISTORY"]
    assert codes("hi", policy, who(prior_comments=9, repeat_of="c1")) == ["REPEAT_POST"]
    # a repeated post that carries a link is spam
    assert codes("buy at shop.com", policy, who(prior_comments=9, repeat_of="c1")) == [
        "REPEAT_POST",
        "SPAM",
    ]
    assert codes("hi", policy, None) == []  # anonymous: no history rules


def test_word_lists_give_spans_terms_and_the_strictest_action() -> None:
    policy = Policy.from_document({"words": {"banned": ["idiot"], "suspect": ["moron*"], "allow": []}})
    text = "You 1d10t, you morons."
    decision = decide(SCORES, policy, CommentContext(text))
    assert decision.action is Action.REJECT
    banned, suspect = decision.reasons
    assert (banned.code, banned.terms, [text[b:e] for b, e in banned.spans]) == (
        "BANNED_WORD",
        ("idiot",),
        ["1d10t"],
    )
    assert (suspect.code, suspect.action) == ("SUSPECT_WORD", Action.REVIEW)
    stored = decision.to_dict()["reasons"][0]
    assert stored["spans"] == [[4, 9]] and stored["terms"] == ["idiot"]
    plain = decide(Scores(length=LengthScore(characters=0)), DEFAULT_POLICY).to_dict()["reasons"][0]
    assert plain["code"] == "TOO_SHORT" and "spans" not in plain and "terms" not in plain


def test_links_allow_list_review_reject_and_link_heavy_spam() -> None:
    policy = Policy.from_document({"links": {"action": "review", "allow_domains": ["example.org"]}})
    assert codes("see https://news.example.org/a and www.example.org", policy) == []
    text = "see https://news.example.org/a and http://evil.test/x"
    decision = decide(SCORES, policy, CommentContext(text))
    [links] = decision.reasons
    assert links.code == "LINKS" and links.terms == ("evil.test",)
    assert [text[b:e] for b, e in links.spans] == ["http://evil.test/x"]
    strict = Policy.from_document({"links": {"action": "reject"}, "actions": {"LINKS": "reject"}})
    assert decide(SCORES, strict, CommentContext("go to evil.com")).action is Action.REJECT
    spammy = Policy.from_document({"links": {"spam_links": 3}})
    assert codes("a.com b.com c.com", spammy) == ["SPAM"]
    assert codes("a.com b.com, write to me@c.com", spammy) == []  # an e-mail address is not a link


def test_policy_documents_are_validated_and_versioned_like_thresholds() -> None:
    site = Policy.from_document({"words": {"banned": ["idiot"]}}, version="s@1")
    article = Policy.from_document({"words": {"suspect": ["moron"]}}, base=site, version="s/a@1")
    assert article.words.banned == ("idiot",) and article.words.suspect == ("moron",)
    assert article.to_document()["words"] == {"banned": ["idiot"], "suspect": ["moron"], "allow": []}
    for document, field in (
        ({"words": {"banned": "idiot"}}, "words.banned"),
        ({"words": {"banned": ["*"]}}, "words.banned"),
        ({"words": {"nope": []}}, "words.nope"),
        ({"trust": {"history_days": 9999}}, "trust.history_days"),
        ({"trust": {"premod_first_comments": -1}}, "trust.premod_first_comments"),
        ({"links": {"action": "maybe"}}, "links.action"),
        ({"links": {"allow_domains": ["not a host"]}}, "links.allow_domains"),
        ({"actions": {"USER_BANNED": "approve"}}, "actions.USER_BANNED"),
    ):
        try:
            Policy.from_document(document)
        except InvalidPolicy as exc:
            assert exc.field == field, document
        else:
            raise AssertionError(f"accepted {document}")


def test_a_rejected_comment_never_tells_its_author_a_moderator_will_review_it() -> None:
    policy = Policy.from_document({"words": {"banned": ["idiot"]}})
    rude = Scores(length=LengthScore(characters=40), civility={"toxicity": 0.95}, on_topic=0.9)
    held = decide(rude, policy, CommentContext("a fine text"))
    assert held.action is Action.REVIEW and "moderator will review" in held.reasons[0].message
    rejected = decide(rude, policy, CommentContext("you idiot"))
    assert rejected.action is Action.REJECT
    assert [r.code for r in rejected.reasons] == ["BANNED_WORD", "TOXICITY"]
    assert not any("moderator will review" in r.message for r in rejected.reasons)
    assert rejected.reasons[1].message == "Your comment may be uncivil."


def test_the_reject_dialog_suggestion_follows_the_system_reasons() -> None:
    from moderation.review.decisions import REJECTION_REASONS, suggested_rejection

    assert suggested_rejection(["TOXICITY", "THREAT"]) == "threat"
    assert suggested_rejection(["OFF_TOPIC"]) == "off_topic"
    assert suggested_rejection(["BANNED_WORD", "TOXICITY"]) == "banned_word"
    assert suggested_rejection(["CLASSIFIER_UNAVAILABLE"]) is None
    assert REJECTION_REASONS["threat"] == "Threat / violence"

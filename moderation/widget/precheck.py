"""What a comment form may ask with a publishable key: the comment rules, and a pre-save check.

The pre-check runs THE moderation use case (``moderation/moderate.py``) with ``do_not_store``: the same
length rules, classifiers and policy as ``POST /v1/moderate``, nothing stored. It is advice for the author
("Are you sure?"); the site's backend confirms with ``/v1/moderate`` and its secret key, which stays the
authority (a browser can skip or forge anything it runs). ``marks`` point at the words (else the sentences) to
reconsider, as code-point offsets into the text sent: civility evidence, banned words and links the site does
not allow. Suspect words are never told (``UNTOLD``): no mark, no reason, no effect on the advice's
decision, as in Coral Talk, where a suspect word only sends the comment to moderators; telling would let an
author probe the site's hidden list word by word. The backend still holds such a comment when it is posted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy.orm import Session

from moderation.domain import Action, CommentRequest, DecisionSource, Reason, Scores
from moderation.errors import NotFound
from moderation.messages import template_for
from moderation.moderate import Moderation
from moderation.policy import strictest
from moderation.policy_document import CIVILITY_REASONS
from moderation.store import repo
from moderation.widget.keys import PublishableKey

MARK_MARGIN = 0.1  # words this close to the strongest one are marked with it
MAX_MARKED_WORDS = 3  # per reason
WORD_MARK = 0.5  # a word's civility score from which it is marked
_LABELS = {code: label for label, code in CIVILITY_REASONS.items()}
# reasons whose own spans are marked, and as what
_LISTED: dict[str, Literal["word", "link"]] = {"BANNED_WORD": "word", "LINKS": "link"}
UNTOLD = frozenset({"SUSPECT_WORD"})  # reasons the pre-check never tells an author


@dataclass(frozen=True)
class CommentRules:
    """What the form shows before the author types: limits (grapheme clusters), guidelines, and the
    templates of the length messages (``moderation/messages.py`` fields) so the counter speaks like the
    server."""

    site: str
    article_id: str | None
    min_chars: int
    max_chars: int
    guidelines: str | None
    policy_version: str
    messages: dict[str, str]


@dataclass(frozen=True)
class Mark:
    begin: int  # code points into the text sent
    end: int
    kind: Literal["word", "sentence", "link"]
    code: str  # the reason it supports (INSULT, TOXICITY ...)


@dataclass(frozen=True)
class PreCheck:
    decision: Action
    reasons: tuple[Reason, ...]
    characters: int
    min_chars: int
    max_chars: int
    marks: tuple[Mark, ...]
    policy_version: str


def _check_article(session: Session, key: PublishableKey, article_id: str | None) -> None:
    """NotFound unless the article exists on the key's site (another site's articles are not revealed)."""
    if article_id is None:
        return
    article = repo.get_article(session=session, article_id=article_id)
    if article is None or article.site != key.site:
        raise NotFound(f"unknown article '{article_id}' on site '{key.site}'", field="article_id")


def comment_rules(moderation: Moderation, *, key: PublishableKey, article_id: str | None) -> CommentRules:
    """The site's (or the article's override's) rules; NotFound for an article of another site."""
    with moderation.sessions() as session:
        _check_article(session, key, article_id)
        policy = moderation.policy_for(session, site=key.site, article_id=article_id)
    return CommentRules(
        site=key.site,
        article_id=article_id,
        min_chars=policy.min_chars,
        max_chars=policy.max_chars,
        guidelines=policy.guidelines,
        policy_version=policy.version,
        messages={
            code: template_for(code, policy.actions[code], overrides=policy.messages)
            for code in ("TOO_SHORT", "TOO_LONG")
        },
    )


def _evidence(scores: dict[str, float], label: str) -> float:
    """A word's evidence for a reason: its own label's score; for TOXICITY (which every word of a hostile
    comment shares in context) the most specific of the other civility labels, so that the insult or the
    profanity is marked rather than the whole sentence around it."""
    if label != "toxicity":
        return scores.get(label, 0.0)
    return max((v for k, v in scores.items() if k != "toxicity"), default=0.0)


def marks(scores: Scores, reasons: tuple[Reason, ...]) -> tuple[Mark, ...]:
    """For each civility reason: the strongest words (at most ``MAX_MARKED_WORDS``, within ``MARK_MARGIN`` of
    the best) whose evidence (``_evidence``) is at least ``WORD_MARK``, else
    the sentences at or above the reason's threshold (none for a one-sentence comment: the message alone
    then). BANNED_WORD and LINKS: the spans the reason found. Sorted, without overlaps (the first wins)."""
    found: list[Mark] = []
    for reason in reasons:
        if reason.code in _LISTED:
            found += [Mark(b, e, _LISTED[reason.code], reason.code) for b, e in reason.spans]
            continue
        label = _LABELS.get(reason.code)
        if label is None or reason.classifier != "civility":
            continue
        words = [w for w in scores.words if _evidence(w.scores, label) >= WORD_MARK]
        if words:  # word scores are contextual (in an insult every word carries some): the strongest few
            best = max(_evidence(w.scores, label) for w in words)
            words = sorted(
                (w for w in words if _evidence(w.scores, label) >= best - MARK_MARGIN),
                key=lambda w: -_evidence(w.scores, label),
            )[:MAX_MARKED_WORDS]
            found += [Mark(w.begin, w.end, "word", reason.code) for w in words]
            continue
        threshold = reason.threshold if reason.threshold is not None else WORD_MARK
        found += [
            Mark(s.begin, s.end, "sentence", reason.code)
            for s in scores.spans
            if s.scores.get(label, 0.0) >= threshold
        ]
    out: list[Mark] = []
    for mark in sorted(found, key=lambda m: (m.begin, -m.end)):
        if mark.end > mark.begin and (not out or mark.begin >= out[-1].end):
            out.append(mark)
    return tuple(out)


def precheck(moderation: Moderation, *, key: PublishableKey, article_id: str | None, text: str) -> PreCheck:
    """Moderate ``text`` for the key's site without storing it. InvalidInput / TextTooLong as
    ``/v1/moderate``; NotFound for an article of another site."""
    with moderation.sessions() as session:
        _check_article(session, key, article_id)
    request = CommentRequest(text=text, site=key.site, article_id=article_id, do_not_store=True)
    decision = moderation.moderate(request, source=DecisionSource.SYNC).decision
    length = decision.scores.length
    told = tuple(r for r in decision.reasons if r.code not in UNTOLD)
    # the advice is what the other reasons alone would decide
    action = decision.action if len(told) == len(decision.reasons) else strictest(told)
    return PreCheck(
        decision=action,
        reasons=told,
        characters=length.characters,
        min_chars=length.min_chars or 0,
        max_chars=length.max_chars or 0,
        marks=marks(decision.scores, told),
        policy_version=decision.policy_version,
    )

"""The community rules of a policy and the reasons they give (reason codes after Coral Talk's)::

    USER_BANNED     reject  the author is banned on the site (a moderator's action, until revoked)
    USER_SUSPENDED  reject  the author is suspended until a time
    PREMOD_USER     review  a moderator set the author to "always pre-moderate"
    NEW_COMMENTER   review  trust.premod_first_comments: the author's first N comments on the site
    RECENT_HISTORY  review  trust.history_rejections: K or more of the author's comments of the last
                            trust.history_days days are rejected
    REPEAT_POST     review  trust.repeat_window_s: the author posted the same text within the window
    BANNED_WORD     reject  a term of words.banned (spans and terms say which; words.allow wins)
    SUSPECT_WORD    review  a term of words.suspect
    LINKS           review  links.action review/reject: a link to a host outside links.allow_domains
    SPAM            review  links.spam_links or more links, or a repeated post that carries a link

Rules are off by default (0 / "allow" / empty lists); a site turns them on in its policy document, versioned
like thresholds. The actions column is the default of ``policy.actions`` (review or reject per code).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar

from moderation.community.links import Link, find_links, host_allowed
from moderation.community.people import AuthorHistory
from moderation.community.wordlists import WordLists, WordMatch, find_words
from moderation.domain import Action, Reason

COMMUNITY_REASONS = (
    "USER_BANNED",
    "USER_SUSPENDED",
    "PREMOD_USER",
    "NEW_COMMENTER",
    "RECENT_HISTORY",
    "REPEAT_POST",
    "BANNED_WORD",
    "SUSPECT_WORD",
    "LINKS",
    "SPAM",
)
COMMUNITY_REJECT = ("USER_BANNED", "USER_SUSPENDED", "BANNED_WORD")


@dataclass(frozen=True)
class TrustRules:
    """Per site; 0 turns a rule off."""

    premod_first_comments: int = 0  # hold an author's first N comments on the site
    history_rejections: int = 0  # hold when the author has K rejected comments ...
    history_days: int = 7  # ... written in the last D days
    repeat_window_s: int = 0  # hold the same text from the same author within this many seconds

    FIELDS: ClassVar[tuple[str, ...]] = (
        "premod_first_comments",
        "history_rejections",
        "history_days",
        "repeat_window_s",
    )
    LIMITS: ClassVar[dict[str, int]] = {
        "premod_first_comments": 1000,
        "history_rejections": 1000,
        "history_days": 365,
        "repeat_window_s": 30 * 86400,
    }


@dataclass(frozen=True)
class LinkRules:
    """What to do with links: allow (default), review or reject those to hosts outside ``allow_domains``;
    ``spam_links`` or more links of any host is SPAM (0: off)."""

    action: str = "allow"
    allow_domains: tuple[str, ...] = ()
    spam_links: int = 0

    FIELDS: ClassVar[tuple[str, ...]] = ("action", "allow_domains", "spam_links")
    ACTIONS: ClassVar[tuple[str, ...]] = ("allow", "review", "reject")
    DOMAIN: ClassVar[re.Pattern[str]] = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z]{2,63}$")


@dataclass(frozen=True)
class CommentContext:
    """What the community rules read besides the scores: the ORIGINAL text and, when the comment has an
    author, their history on the site (None: anonymous, or a path that keeps no history)."""

    text: str
    author: AuthorHistory | None = None


@dataclass(frozen=True)
class CommunityRules:
    trust: TrustRules = field(default_factory=TrustRules)
    words: WordLists = field(default_factory=WordLists)
    links: LinkRules = field(default_factory=LinkRules)
    actions: MappingProxyType[str, Action] = field(default_factory=lambda: MappingProxyType({}))


_MESSAGES = {
    "USER_BANNED": "You are banned from commenting on this site.",
    "USER_SUSPENDED": "You are suspended from commenting on this site until {until}.",
    "PREMOD_USER": "your comments on this site are pre-moderated",
    "NEW_COMMENTER": "you are new here",
    "RECENT_HISTORY": "several of your recent comments were rejected",
    "REPEAT_POST": "you posted the same comment a moment ago",
    "BANNED_WORD": "your comment contains a word that is not allowed here",
    "SUSPECT_WORD": "your comment contains a word our moderators check",
    "LINKS": "your comment contains a link",
    "SPAM": "your comment looks like advertising or repeated posting",
}


def _message(code: str, action: Action, until: str = "") -> str:
    text = _MESSAGES[code]
    if code in ("USER_BANNED", "USER_SUSPENDED"):
        return text.format(until=until)
    head = text[0].upper() + text[1:]
    if action is Action.REJECT:
        return f"{head}, so it cannot be published."
    return f"{head}; a moderator will review it before it appears."


def _reason(
    code: str,
    rules: CommunityRules,
    classifier: str,
    *,
    score: float | None = None,
    threshold: float | None = None,
    spans: tuple[tuple[int, int], ...] = (),
    terms: tuple[str, ...] = (),
    until: str = "",
) -> Reason:
    action = rules.actions.get(code, Action.REJECT if code in COMMUNITY_REJECT else Action.REVIEW)
    return Reason(
        code, classifier, action, _message(code, action, until), score, threshold, spans=spans, terms=terms
    )


def _author_reasons(author: AuthorHistory, rules: CommunityRules) -> list[Reason]:
    out = []
    standing, trust = author.standing, rules.trust
    if standing.banned:
        out.append(_reason("USER_BANNED", rules, "author"))
    if standing.suspended_until is not None and standing.suspended_until > author.now:
        until = standing.suspended_until.strftime("%Y-%m-%d %H:%M UTC")
        out.append(_reason("USER_SUSPENDED", rules, "author", until=until))
    if standing.premod:
        out.append(_reason("PREMOD_USER", rules, "author"))
    if trust.premod_first_comments and author.prior_comments < trust.premod_first_comments:
        out.append(
            _reason(
                "NEW_COMMENTER",
                rules,
                "author",
                score=float(author.prior_comments),
                threshold=float(trust.premod_first_comments),
            )
        )
    if trust.history_rejections and author.recent_rejections >= trust.history_rejections:
        out.append(
            _reason(
                "RECENT_HISTORY",
                rules,
                "author",
                score=float(author.recent_rejections),
                threshold=float(trust.history_rejections),
            )
        )
    if trust.repeat_window_s and author.repeat_of is not None:
        out.append(_reason("REPEAT_POST", rules, "author", terms=(author.repeat_of,)))
    return out


def _word_reasons(matches: list[WordMatch], rules: CommunityRules) -> list[Reason]:
    out = []
    for kind, code in (("banned", "BANNED_WORD"), ("suspect", "SUSPECT_WORD")):
        hits = [m for m in matches if m.kind == kind]
        if hits:
            spans = tuple((m.begin, m.end) for m in hits)
            terms = tuple(dict.fromkeys(m.term for m in hits))
            out.append(_reason(code, rules, "words", spans=spans, terms=terms))
    return out


def _link_reasons(links: list[Link], repeat: bool, rules: CommunityRules) -> list[Reason]:
    out = []
    policy = rules.links
    foreign = [link for link in links if not host_allowed(link.host, policy.allow_domains)]
    if policy.action != "allow" and foreign:
        out.append(
            _reason(
                "LINKS",
                rules,
                "links",
                spans=tuple((link.begin, link.end) for link in foreign),
                terms=tuple(dict.fromkeys(link.host for link in foreign)),
            )
        )
    heavy = bool(policy.spam_links) and len(links) >= policy.spam_links
    if heavy or (repeat and links):
        out.append(
            _reason(
                "SPAM",
                rules,
                "links",
                score=float(len(links)),
                threshold=float(policy.spam_links) if heavy else None,
                spans=tuple((link.begin, link.end) for link in links),
                terms=tuple(dict.fromkeys(link.host for link in links)),
            )
        )
    return out


def community_reasons(context: CommentContext, rules: CommunityRules) -> list[Reason]:
    """Pure: the reasons the author's standing and history, the word lists and the links give."""
    out: list[Reason] = []
    author = context.author
    repeat = False
    if author is not None:
        out += _author_reasons(author, rules)
        repeat = bool(rules.trust.repeat_window_s) and author.repeat_of is not None
    if rules.words:
        out += _word_reasons(find_words(context.text, rules.words), rules)
    if rules.links.action != "allow" or rules.links.spam_links or repeat:
        out += _link_reasons(find_links(context.text), repeat, rules)
    return out

"""Author-facing messages, one per (reason code, action), in one place; a site's policy document may override.

A message is what a comment form shows the comment's AUTHOR: short, specific, and consistent with the action
(a ``review`` message says a moderator will look; a ``reject`` message says it cannot be published).
Templates are ``str.format``-style strings over these fields, each written bare (``{needed}``: no format
spec or conversion; ``{{`` for a literal brace). All are optional; unknown fields, specs and conversions are
refused when a policy document is validated, and a message is filled field by field, never by
``str.format``:

=================  ==========================================================================
``characters``     grapheme clusters counted (whitespace trimmed and collapsed)
``min_chars``      the policy's minimum; ``max_chars`` its maximum
``needed``         characters still needed to reach the minimum (0 when not short)
``over``           characters above the maximum (0 when not long)
``language``       the detected language's code, or "this language"
``head``           the classifier that is unavailable ("civility", "on-topic" ...)
``until``          when a suspension ends (UTC, ``USER_SUSPENDED``)
=================  ==========================================================================

Policy documents take ``"messages": {"INSULT": "...", "TOO_SHORT": {"reject": "..."}}``: a string replaces the
message for every action, an object per action (``approve``/``review``/``reject``).
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from moderation.domain import Action

FIELDS = ("characters", "min_chars", "max_chars", "needed", "over", "language", "head", "until")

_REVIEW_TAIL = "; a moderator will review it before it appears."
_REJECT_TAIL = " and cannot be published. Please rephrase it."
_WHAT = {
    "TOXICITY": "may be uncivil",
    "SEVERE_TOXICITY": "appears to be abusive",
    "INSULT": "may be insulting",
    "THREAT": "appears to contain a threat",
    "PROFANITY": "may contain profanity",
    "IDENTITY_ATTACK": "appears to attack people for who they are",
    "OFF_TOPIC": "seems unrelated to the article",
}
_UNAVAILABLE = {
    Action.REVIEW: "a moderator will review your comment.",
    Action.REJECT: "please try again later.",
    Action.APPROVE: "your comment was accepted without them.",
}


def _civility(code: str) -> dict[Action, str]:
    what = _WHAT[code]
    return {
        Action.REVIEW: f"Your comment {what}{_REVIEW_TAIL}",
        Action.REJECT: f"Your comment {what}{_REJECT_TAIL}",
        Action.APPROVE: f"Your comment {what}, but it can be published.",
    }


def _same(text: str) -> dict[Action, str]:
    return {action: text for action in Action}


def _community(what: str) -> dict[Action, str]:
    """The newsroom's rules (``moderation/community``): why, then what happens."""
    head = what[0].upper() + what[1:]
    return {
        Action.REVIEW: f"{head}{_REVIEW_TAIL}",
        Action.REJECT: f"{head}, so it cannot be published.",
        Action.APPROVE: f"{head}, but it can be published.",
    }


_COMMUNITY = {
    "PREMOD_USER": "your comments on this site are pre-moderated",
    "NEW_COMMENTER": "you are new here",
    "RECENT_HISTORY": "several of your recent comments were rejected",
    "REPEAT_POST": "you posted the same comment a moment ago",
    "BANNED_WORD": "your comment contains a word that is not allowed here",
    "SUSPECT_WORD": "your comment contains a word our moderators check",
    "LINKS": "your comment contains a link",
    "SPAM": "your comment looks like advertising or repeated posting",
}


DEFAULT_MESSAGES: Mapping[str, Mapping[Action, str]] = {
    **{code: _civility(code) for code in _WHAT},
    "TOO_SHORT": _same(
        "Comments must be at least {min_chars} characters (yours has {characters}; {needed} more needed)."
    ),
    "TOO_LONG": _same("Comments must be at most {max_chars} characters (yours has {characters})."),
    "PADDING": _same("Your comment repeats characters or words to fill space. Please write it out."),
    "PARTLY_SCORED": {
        Action.REVIEW: f"Your comment is longer than our automatic checks read{_REVIEW_TAIL}",
        Action.REJECT: "Your comment is longer than our automatic checks read. Please shorten it.",
        Action.APPROVE: "Your comment is longer than our automatic checks read; it was accepted.",
    },
    "CLASSIFIER_UNAVAILABLE": {
        a: "Automatic {head} checks are unavailable; " + tail for a, tail in _UNAVAILABLE.items()
    },
    "LANGUAGE_UNSUPPORTED": {
        a: "Automatic checks do not support comments in {language} yet; " + tail
        for a, tail in _UNAVAILABLE.items()
    },
    **{code: _community(what) for code, what in _COMMUNITY.items()},
    "USER_BANNED": _same("You are banned from commenting on this site."),
    "USER_SUSPENDED": _same("You are suspended from commenting on this site until {until}."),
    "ZERO_SHOT_LANGUAGE": {
        a: "Automatic checks for comments in {language} are not trained on that language; " + tail
        for a, tail in _UNAVAILABLE.items()
    },
}
GENERIC = {
    Action.REVIEW: "Your comment needs a check; a moderator will review it before it appears.",
    Action.REJECT: "Your comment breaks the rules and cannot be published. Please rephrase it.",
    Action.APPROVE: "Your comment can be published.",
}

# what a policy document's ``messages`` holds once validated: code -> action -> template
Overrides = Mapping[str, Mapping[Action, str]]


def template_fields(template: str) -> list[str]:
    """The ``{field}`` names of a template; ValueError for a malformed one (a lone brace)."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def formatted_fields(template: str) -> list[str]:
    """The fields of a template written with a format spec or conversion (``{needed:>999999999}``,
    ``{needed!r}``), as written; ValueError for a malformed template."""
    return [
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        for _, name, spec, conversion in string.Formatter().parse(template)
        if name is not None and (spec or conversion)
    ]


def fill(template: str, values: Mapping[str, int | str]) -> str:
    """The template with each field replaced by its value as text (an unknown field by nothing). Format specs
    and conversions are ignored: a stored template cannot fail (``{needed:s}``) or pad a message to gigabytes
    (``{needed:>999999999}``)."""
    out = []
    for literal, name, _spec, _conversion in string.Formatter().parse(template):
        out.append(literal)
        if name is not None:
            out.append(str(values.get(name, "")))
    return "".join(out)


def template_for(code: str, action: Action, *, overrides: Overrides | None = None) -> str:
    """The template for this reason and action: the site's override, else the default, else a generic one."""
    template = (overrides or {}).get(code, {}).get(action)
    if template is None:
        template = DEFAULT_MESSAGES.get(code, GENERIC).get(action, GENERIC[action])
    return template


def author_message(
    code: str, action: Action, *, overrides: Overrides | None = None, **fields: int | str
) -> str:
    """The message for this reason and action (``template_for``); ``fields`` fill the template (missing ones
    are left empty)."""
    template = template_for(code, action, overrides=overrides)
    values: dict[str, int | str] = {name: "" for name in FIELDS}
    values.update(fields)
    return fill(template, values)

"""Validating policy documents (what ``PUT /v1/sites/{site}/policy`` takes); each error names its field.

Besides thresholds, actions and length limits a document may carry what a comment form shows: ``guidelines``
(the site's or article's comment guidelines, plain text up to 2,000 characters) and ``messages``
(author-facing messages per reason code, see ``moderation/messages.py``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from moderation.community.rules import COMMUNITY_REASONS, LinkRules, TrustRules
from moderation.community.wordlists import MAX_TERMS, WordLists, term_problem
from moderation.domain import Action
from moderation.errors import InvalidPolicy
from moderation.messages import FIELDS, formatted_fields, template_fields

CIVILITY_REASONS = {
    "toxicity": "TOXICITY",
    "severe_toxicity": "SEVERE_TOXICITY",
    "insult": "INSULT",
    "threat": "THREAT",
    "profanity": "PROFANITY",
    "identity_attack": "IDENTITY_ATTACK",
}
THRESHOLD_KEYS = (*CIVILITY_REASONS, "on_topic", "zero_shot_civility")
REASON_CODES = (
    *CIVILITY_REASONS.values(),
    "OFF_TOPIC",
    "TOO_SHORT",
    "TOO_LONG",
    "PADDING",
    "PARTLY_SCORED",
    "CLASSIFIER_UNAVAILABLE",
    "LANGUAGE_UNSUPPORTED",
    "ZERO_SHOT_LANGUAGE",
    *COMMUNITY_REASONS,
)
DOCUMENT_KEYS = (
    "thresholds",
    "actions",
    "min_chars",
    "max_chars",
    "guidelines",
    "messages",
    "trust",
    "words",
    "links",
)
MAX_CHARS_LIMIT = 100_000
MAX_GUIDELINES_CHARS = 2000
MAX_MESSAGE_CHARS = 500


@dataclass(frozen=True)
class PolicyParts:
    """What a (partial) document sets; absent parts come from the policy it overrides."""

    thresholds: dict[str, float] = field(default_factory=dict)
    actions: dict[str, Action] = field(default_factory=dict)
    min_chars: int | None = None
    max_chars: int | None = None
    guidelines: str | None = None
    messages: dict[str, dict[Action, str]] = field(default_factory=dict)
    trust: dict[str, Any] = field(default_factory=dict)  # TrustRules fields the document sets
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)  # WordLists fields it sets
    links: dict[str, Any] = field(default_factory=dict)  # LinkRules fields it sets


def parse_document(document: Any) -> PolicyParts:
    if not isinstance(document, dict):
        raise InvalidPolicy("a policy must be a JSON object", field="policy")
    for key in document:
        if key not in DOCUMENT_KEYS:
            raise InvalidPolicy(
                f"unknown policy field '{key}' (allowed: {', '.join(DOCUMENT_KEYS)})", field=key
            )
    return PolicyParts(
        thresholds=_thresholds(document.get("thresholds", {})),
        actions=_actions(document.get("actions", {})),
        min_chars=_int(document, "min_chars", low=0),
        max_chars=_int(document, "max_chars", low=1),
        guidelines=_guidelines(document.get("guidelines")),
        messages=_messages(document.get("messages", {})),
        trust=_trust(document.get("trust", {})),
        words=_words(document.get("words", {})),
        links=_links(document.get("links", {})),
    )


def _guidelines(raw: Any) -> str | None:
    if raw is None:
        return None
    if not isinstance(raw, str) or len(raw) > MAX_GUIDELINES_CHARS:
        raise InvalidPolicy(
            f"guidelines must be text of at most {MAX_GUIDELINES_CHARS} characters", field="guidelines"
        )
    return raw.strip() or None


def _messages(raw: Any) -> dict[str, dict[Action, str]]:
    """``{code: text}`` (every action) or ``{code: {action: text}}``; templates may use ``FIELDS`` only."""
    if not isinstance(raw, dict):
        raise InvalidPolicy("messages must be an object of reason code -> text", field="messages")
    out: dict[str, dict[Action, str]] = {}
    for code, value in raw.items():
        name = f"messages.{code}"
        if code not in REASON_CODES:
            raise InvalidPolicy(
                f"unknown reason code '{code}' (allowed: {', '.join(REASON_CODES)})", field=name
            )
        per_action = {a.value: value for a in Action} if isinstance(value, str) else value
        if not isinstance(per_action, dict):
            raise InvalidPolicy(f"{name} must be text or an object of action -> text", field=name)
        out[code] = {}
        for action, text in per_action.items():
            where = name if isinstance(value, str) else f"{name}.{action}"
            if action not in {a.value for a in Action}:
                raise InvalidPolicy(f"{where}: unknown action '{action}'", field=where)
            out[code][Action(action)] = _template(text, where)
    return out


def _template(text: Any, where: str) -> str:
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_MESSAGE_CHARS:
        raise InvalidPolicy(f"{where} must be text of 1 to {MAX_MESSAGE_CHARS} characters", field=where)
    try:
        names = template_fields(text)
    except ValueError:
        raise InvalidPolicy(
            f"{where}: a brace is not closed (write {{{{ for a literal brace)", field=where
        ) from None
    unknown = [n for n in names if n not in FIELDS]
    if unknown:
        raise InvalidPolicy(
            f"{where}: unknown field {{{unknown[0]}}} (allowed: {', '.join(FIELDS)})", field=where
        )
    formatted = formatted_fields(text)
    if formatted:
        bare = "{" + formatted[0].strip("{}").split("!")[0].split(":")[0] + "}"
        raise InvalidPolicy(
            f"{where}: write the field alone, {bare}, not {formatted[0]} (no format spec or conversion)",
            field=where,
        )
    return text


def _object(raw: Any, name: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise InvalidPolicy(f"{name} must be an object", field=name)
    for key in raw:
        if key not in allowed:
            raise InvalidPolicy(
                f"unknown field '{key}' in {name} (allowed: {', '.join(allowed)})", field=f"{name}.{key}"
            )
    return raw


def _count(raw: dict[str, Any], name: str, key: str, high: int) -> int:
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise InvalidPolicy(
            f"{name}.{key} must be an integer between 0 and {high}, got {value!r}", field=f"{name}.{key}"
        )
    return value


def _trust(raw: Any) -> dict[str, Any]:
    raw = _object(raw, "trust", TrustRules.FIELDS)
    return {key: _count(raw, "trust", key, TrustRules.LIMITS[key]) for key in raw}


def _terms(raw: Any, name: str) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise InvalidPolicy(f"{name} must be a list of words or phrases", field=name)
    if len(raw) > MAX_TERMS:
        raise InvalidPolicy(f"{name} holds {len(raw)} terms; at most {MAX_TERMS}", field=name)
    for term in raw:
        problem = term_problem(term)
        if problem:
            raise InvalidPolicy(f"{name}: {problem} (got {term!r})", field=name)
    return tuple(dict.fromkeys(term.strip() for term in raw))


def _words(raw: Any) -> dict[str, tuple[str, ...]]:
    raw = _object(raw, "words", tuple(WordLists.__dataclass_fields__))
    return {key: _terms(value, f"words.{key}") for key, value in raw.items()}


def _links(raw: Any) -> dict[str, Any]:
    raw = _object(raw, "links", LinkRules.FIELDS)
    out: dict[str, Any] = {}
    if "action" in raw:
        if raw["action"] not in LinkRules.ACTIONS:
            raise InvalidPolicy(
                f"links.action must be one of {', '.join(LinkRules.ACTIONS)}, got {raw['action']!r}",
                field="links.action",
            )
        out["action"] = raw["action"]
    if "allow_domains" in raw:
        domains = raw["allow_domains"]
        if not isinstance(domains, list) or not all(
            isinstance(d, str) and LinkRules.DOMAIN.match(d.lower()) for d in domains
        ):
            raise InvalidPolicy(
                "links.allow_domains must be a list of host names such as example.org",
                field="links.allow_domains",
            )
        out["allow_domains"] = tuple(d.lower().removeprefix("www.") for d in domains)
    if "spam_links" in raw:
        out["spam_links"] = _count(raw, "links", "spam_links", 100)
    return out


def _thresholds(raw: Any) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise InvalidPolicy("thresholds must be an object of score name -> number", field="thresholds")
    out: dict[str, float] = {}
    for key, value in raw.items():
        name = f"thresholds.{key}"
        if key not in THRESHOLD_KEYS:
            raise InvalidPolicy(f"unknown score '{key}' (allowed: {', '.join(THRESHOLD_KEYS)})", field=name)
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
            raise InvalidPolicy(f"{name} must be a number between 0 and 1, got {value!r}", field=name)
        out[key] = float(value)
    return out


def _actions(raw: Any) -> dict[str, Action]:
    if not isinstance(raw, dict):
        raise InvalidPolicy(
            "actions must be an object of reason code -> 'reject' or 'review'", field="actions"
        )
    out: dict[str, Action] = {}
    for code, value in raw.items():
        name = f"actions.{code}"
        if code not in REASON_CODES:
            raise InvalidPolicy(
                f"unknown reason code '{code}' (allowed: {', '.join(REASON_CODES)})", field=name
            )
        if value not in (Action.REJECT.value, Action.REVIEW.value):
            raise InvalidPolicy(f"{name} must be 'reject' or 'review', got {value!r}", field=name)
        out[code] = Action(value)
    return out


def _int(document: dict[str, Any], key: str, *, low: int) -> int | None:
    if key not in document:
        return None
    value = document[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_CHARS_LIMIT:
        raise InvalidPolicy(
            f"{key} must be an integer between {low} and {MAX_CHARS_LIMIT}, got {value!r}", field=key
        )
    return value

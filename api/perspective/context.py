"""``Context``: what a comment was written about. Perspective carried it and never used it; we do.

- ``articleAndParentComment.article``: the article ``OFF_TOPIC`` and ``STANCE_*`` are measured against;
- ``articleAndParentComment.parentComment``: the comment a reply answers (``moderation`` uses it for
  ``OFF_TOPIC``: a reply that answers an on-topic parent is on topic);
- ``entries``: "a list of messages" (a thread, an article in parts): their text, joined, is the article.
  An entry whose text is a JSON object is metadata, not prose, and is left out: Coral Talk's
  ``suggestscore`` sends ``{"url": ..., "Coral_comment_id": ...}`` there.

Only one of the two may be given (Google's error otherwise); each entry is at most 1 MB ("The maximum size of
context entry is 1MB", Perspective's methods.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from api.perspective.errors import invalid
from api.perspective.proto_json import text_of
from api.perspective.schemas import Context, TextEntry

MAX_ENTRY_BYTES = 1024 * 1024
BOTH = "Context can have either entries or article_and_parent_comment, but both fields were populated."


@dataclass(frozen=True)
class ContextTexts:
    article: str | None = None
    parent_comment: str | None = None
    metadata: tuple[dict[str, Any], ...] = ()  # entries that were JSON objects (Coral Talk's comment ids)


def _metadata(text: str) -> dict[str, Any] | None:
    stripped = text.strip()
    if not (stripped.startswith("{") and stripped.endswith("}")):
        return None
    try:
        doc = json.loads(stripped)
    except (ValueError, RecursionError):
        return None
    return doc if isinstance(doc, dict) else None


def _entry_text(entry: TextEntry | None, where: str) -> str | None:
    text = text_of(entry)
    if text is None or not text.strip():
        return None
    size = len(text.encode("utf-8"))
    if size > MAX_ENTRY_BYTES:
        raise invalid(
            f"Context entry {where} was too many bytes. Value ({size}) exceeded limit ({MAX_ENTRY_BYTES})."
        )
    return text


def read_context(context: Context | None) -> ContextTexts:
    """The article and parent comment texts a request's context carries (None where absent)."""
    if context is None:
        return ContextTexts()
    pair = context.article_and_parent_comment
    if pair is not None and context.entries:
        raise invalid(BOTH)
    if pair is not None:
        return ContextTexts(
            article=_entry_text(pair.article, "article"),
            parent_comment=_entry_text(pair.parent_comment, "parent_comment"),
        )
    texts = [t for i, e in enumerate(context.entries or []) if (t := _entry_text(e, f"entries[{i}]"))]
    metadata = [(t, _metadata(t)) for t in texts]
    prose = [t for t, meta in metadata if meta is None]
    return ContextTexts(
        article="\n\n".join(prose) or None, metadata=tuple(m for _, m in metadata if m is not None)
    )

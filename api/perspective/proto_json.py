"""Reading Perspective's proto3-JSON requests the way Google's front end does.

Field names may be lowerCamelCase or the proto's snake_case; an unknown field, a wrong type or a bad enum
value is a 400 whose message follows Google's wording (``Invalid JSON payload received. Unknown name "x":
Cannot find field.``), so client libraries that surface ``error.message`` show something familiar.
"""

from __future__ import annotations

import json
import re
from typing import Any

from api.perspective.errors import PerspectiveError, invalid

_SNAKE = re.compile(r"_([a-z0-9])")
TEXT_TYPES = frozenset({"TEXT_TYPE_UNSPECIFIED", "PLAIN_TEXT", "HTML"})
_TAG = re.compile(r"<[^<>]*>")
_PROTO = "type.googleapis.com/google.commentanalyzer.v1alpha1"


def camel(name: str) -> str:
    return _SNAKE.sub(lambda m: m.group(1).upper(), name)


def parse_body(raw: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise invalid(f"Invalid JSON payload received. {exc}") from None
    if not isinstance(doc, dict):
        raise invalid("Invalid JSON payload received. Expected a JSON object as the request body.")
    try:  # a lone surrogate escape ("\ud800") decodes to a str no UTF-8 encoder accepts
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise invalid("Invalid JSON payload received. Invalid \\u escape: a lone surrogate.") from None
    return doc


def fields(obj: Any, *, where: str, allowed: frozenset[str]) -> dict[str, Any]:
    """A JSON object's fields by camelCase name; unknown names are refused as Google refuses them."""
    if obj is None:
        return {}
    if not isinstance(obj, dict):
        raise _bad_value(where, "object", obj)
    out: dict[str, Any] = {}
    for key, value in obj.items():
        name = camel(str(key))
        if name not in allowed:
            at = f" at '{where}'" if where else ""
            raise invalid(f'Invalid JSON payload received. Unknown name "{key}"{at}: Cannot find field.')
        out[name] = value
    return out


def _bad_value(where: str, kind: str, value: Any) -> PerspectiveError:
    return invalid(f"Invalid value at '{where}' ({kind}), {json.dumps(value)[:100]}")


def string(value: Any, *, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise _bad_value(where, "TYPE_STRING", value)


def boolean(value: Any, *, where: str) -> bool:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    raise _bad_value(where, "TYPE_BOOL", value)


def number(value: Any, *, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):  # proto3 JSON allows numbers as strings
        try:
            return float(value)
        except ValueError:
            pass
    raise _bad_value(where, "TYPE_FLOAT", value)


def integer(value: Any, *, where: str) -> int | None:
    number_value = number(value, where=where)
    if number_value is None:
        return None
    if not number_value.is_integer():
        raise _bad_value(where, "TYPE_INT32", value)
    return int(number_value)


def strings(value: Any, *, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _bad_value(where, "TYPE_STRING", value)
    return [s for i, item in enumerate(value) if (s := string(item, where=f"{where}[{i}]")) is not None]


def text_entry(value: Any, *, where: str) -> str | None:
    """A ``TextEntry``'s text, HTML tags blanked out (same length, so offsets keep pointing at the input)."""
    entry = fields(value, where=where, allowed=frozenset({"text", "type"}))
    text = string(entry.get("text"), where=f"{where}.text")
    kind = string(entry.get("type"), where=f"{where}.type")
    if kind is not None and kind not in TEXT_TYPES:
        raise _bad_value(f"{where}.type", f"{_PROTO}.TextEntry.TextType", kind)
    if text is not None and kind == "HTML":
        text = _TAG.sub(lambda m: " " * len(m.group()), text)
    return text


def context_text(value: Any, *, where: str = "context") -> str | None:
    """The article text a ``Context`` carries: ``articleAndParentComment.article`` first, else its entries."""
    ctx = fields(value, where=where, allowed=frozenset({"entries", "articleAndParentComment"}))
    pair = fields(
        ctx.get("articleAndParentComment"),
        where=f"{where}.article_and_parent_comment",
        allowed=frozenset({"article", "parentComment"}),
    )
    article = text_entry(pair.get("article"), where=f"{where}.article_and_parent_comment.article")
    text_entry(pair.get("parentComment"), where=f"{where}.article_and_parent_comment.parent_comment")
    if article and article.strip():
        return article
    entries = ctx.get("entries")
    if entries is not None and not isinstance(entries, list):
        raise _bad_value(f"{where}.entries", "TextEntry", entries)
    texts = [text_entry(e, where=f"{where}.entries[{i}]") for i, e in enumerate(entries or [])]
    joined = "\n".join(t for t in texts if t and t.strip())
    return joined or None

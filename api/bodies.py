"""One body-parsing path for JSON routes that read the raw body themselves (``POST /v1/comments``).

Whatever the bytes are, the answer is a clear InvalidInput (422), never a 500: invalid UTF-8 names the byte,
invalid JSON names the problem, nesting deeper than ``MAX_DEPTH`` (or deep enough to exhaust the parser's
recursion) and integers over Python's 4,300-digit limit are refused by name. Routes with a pydantic body
get the same through FastAPI; the Perspective endpoint has its own, in Google's words
(``api/perspective/proto_json.py``).
"""

from __future__ import annotations

import json
from typing import Any

from moderation.errors import InvalidInput

MAX_DEPTH = 32


def _depth(value: Any, limit: int) -> int:
    """Nesting depth of lists/objects, counted up to ``limit + 1`` at most (iteratively)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > limit:
                return deepest
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def parse_json(raw: bytes) -> Any:
    """The body's JSON value; InvalidInput naming what is wrong with it."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"the body is not valid UTF-8 (at byte {exc.start})") from None
    if not text.strip():
        raise InvalidInput("a JSON body is required")  # as /v1/moderate says it
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"the body is not valid JSON ({exc.msg})") from None
    except RecursionError:
        raise InvalidInput(f"the body is nested too deeply (the limit is {MAX_DEPTH} levels)") from None
    except ValueError as exc:  # int() over 4,300 digits
        raise InvalidInput(f"the body has a number that is too long ({str(exc)[:80]})") from None
    if _depth(data, MAX_DEPTH) > MAX_DEPTH:
        raise InvalidInput(f"the body is nested too deeply (the limit is {MAX_DEPTH} levels)")
    return data

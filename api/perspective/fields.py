"""Partial responses: Google's ``fields`` system parameter (``?fields=`` or the ``X-Goog-FieldMask`` header).

Syntax, as Google's partial-response guides give it: a comma-separated list of selections; ``a/b`` (or
``a.b``) selects a sub-field; ``a(b,c)`` selects several sub-fields of ``a``; ``*`` selects every field (or
map key) at its level. A map's keys count as field names, so ``attributeScores/TOXICITY/summaryScore/value``
and ``attributeScores(TOXICITY/summaryScore)`` work; in a list, the selection applies to every element.
Names are the JSON (lowerCamelCase) names or the proto's snake_case ones.

The mask is checked against the response message (an unknown field or a malformed mask is a 400
``INVALID_ARGUMENT`` "Invalid field selection …") and applied AFTER the full response is built; errors are
never masked.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from api.perspective.errors import PerspectiveError, invalid
from api.perspective.proto_json import snake, unwrap

Mask = dict[str, "Mask | None"]  # name -> the selection below it (None: the whole value)
_TOKEN = re.compile(r"\s*([A-Za-z0-9_@*\-]+|[,()/.])\s*")
_NAME = re.compile(r"[A-Za-z0-9_@*\-]+")


def _bad(spec: str, why: str) -> PerspectiveError:
    return invalid(f"Invalid field selection {spec}: {why}")


def _merge(a: Mask | None, b: Mask | None) -> Mask | None:
    if a is None or b is None:
        return None
    out = dict(a)
    for key, sub in b.items():
        out[key] = _merge(out[key], sub) if key in out else sub
    return out


def parse_mask(spec: str) -> Mask:
    """``"attributeScores(TOXICITY/summaryScore),languages"`` -> a nested ``Mask``."""
    tokens: list[str] = []
    pos = 0
    while pos < len(spec):
        match = _TOKEN.match(spec, pos)
        if match is None:
            raise _bad(spec, f"unexpected character {spec[pos]!r}")
        tokens.append(match.group(1))
        pos = match.end()
    if not tokens:
        raise _bad(spec, "empty")
    mask, rest = _selections(tokens, spec)
    if rest:
        raise _bad(spec, f"unexpected {rest[0]!r}")
    return mask


def _selections(tokens: list[str], spec: str) -> tuple[Mask, list[str]]:
    mask: Mask = {}
    while True:
        path = []
        while True:
            if not tokens or not _NAME.fullmatch(tokens[0]):
                raise _bad(spec, "a field name is missing")
            path.append(tokens.pop(0))
            if tokens and tokens[0] in ("/", "."):
                tokens.pop(0)
                continue
            break
        sub: Mask | None = None
        if tokens and tokens[0] == "(":
            sub, tokens = _selections(tokens[1:], spec)
            if not tokens or tokens[0] != ")":
                raise _bad(spec, "a ')' is missing")
            tokens = tokens[1:]
        node: Mask | None = sub
        for name in reversed(path):
            node = {name: node}
        assert node is not None
        merged = _merge(mask, node)
        assert merged is not None
        mask = merged
        if tokens and tokens[0] == ",":
            tokens = tokens[1:]
            continue
        return mask, tokens


def _field(model: type[BaseModel], name: str) -> tuple[str, Any] | None:
    """(JSON name, annotation) of ``model``'s field called ``name`` (camelCase or snake_case)."""
    field = model.model_fields.get(snake(name))
    if field is None:
        return None
    return field.alias or snake(name), unwrap(field.annotation)


def _children(kind: Any) -> tuple[str, Any]:
    """What is below a value of type ``kind``: ("message", model) / ("map", value type) / ("scalar", None);
    a list is transparent."""
    while getattr(kind, "__origin__", None) is list:
        kind = unwrap(kind.__args__[0])
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return "message", kind
    if getattr(kind, "__origin__", None) is dict:
        return "map", unwrap(kind.__args__[1])
    return "scalar", None


def check_mask(mask: Mask, model: type[BaseModel], spec: str, where: str = "") -> None:
    """Refuse names the response message does not have (map keys are free)."""
    _check(mask, ("message", model), spec, where)


def _check(mask: Mask, node: tuple[str, Any], spec: str, where: str) -> None:
    kind, below = node
    for name, sub in mask.items():
        path = f"{where}/{name}" if where else name
        if kind == "scalar":
            raise _bad(spec, f"{where} has no sub-fields")
        if kind == "map" or name == "*":
            child = below if kind == "map" else None
            if sub is not None and child is not None:
                _check(sub, _children(child), spec, path)
            continue
        found = _field(below, name)
        if found is None:
            raise _bad(spec, f"unknown field {path}")
        if sub is not None:
            _check(sub, _children(found[1]), spec, path)


def apply_mask(doc: Any, mask: Mask | None, model: type[BaseModel]) -> Any:
    """The parts of ``doc`` (a response message as JSON) that ``mask`` selects."""
    return _apply(doc, mask, ("message", model))


def _apply(doc: Any, mask: Mask | None, node: tuple[str, Any]) -> Any:
    if mask is None:
        return doc
    if isinstance(doc, list):
        return [_apply(item, mask, node) for item in doc]
    if not isinstance(doc, dict):
        return doc
    kind, below = node
    out: dict[str, Any] = {}
    for name, sub in mask.items():
        if kind == "map":
            keys = list(doc) if name == "*" else [name]
            for key in keys:
                if key in doc:
                    out[key] = _merge_values(out.get(key), _apply(doc[key], sub, _children(below)))
            continue
        if name == "*":
            for key, value in doc.items():
                found = _field(below, key)
                child = _children(found[1]) if found else ("scalar", None)
                out[key] = _merge_values(out.get(key), _apply(value, sub, child))
            continue
        found = _field(below, name)
        if found is not None and found[0] in doc:
            key = found[0]
            out[key] = _merge_values(out.get(key), _apply(doc[key], sub, _children(found[1])))
    return out


def _merge_values(old: Any, new: Any) -> Any:
    if isinstance(old, dict) and isinstance(new, dict):
        merged = dict(old)
        for key, value in new.items():
            merged[key] = _merge_values(merged.get(key), value)
        return merged
    return new if old is None else old if new is None else new

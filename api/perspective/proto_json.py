"""Reading Perspective's proto3-JSON requests the way Google's front end does.

``parse_body`` turns the raw body into a JSON object (an empty body reads as ``{}``, as Google reads it; no
Content-Type is required); ``validate`` checks it against a message of ``schemas.py`` and turns the first
problem into Google's wording (``Invalid JSON payload received. Unknown name "x" at 'comment': Cannot find
field.``, ``Invalid value at 'do_not_store' (TYPE_BOOL), "yes"``), paths in the proto's snake_case with map
keys in brackets, so client libraries that surface ``error.message`` show something familiar.
"""

from __future__ import annotations

import json
import re
import types
import typing
from enum import Enum
from typing import Any, TypeVar, Union

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from api.perspective.errors import PerspectiveError, invalid
from api.perspective.schemas import ProtoMessage, TextEntry, TextType

PROTO = "type.googleapis.com/google.commentanalyzer.v1alpha1"
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_TAG = re.compile(r"<[^<>]*>")
M = TypeVar("M", bound=ProtoMessage)

_PROTO_TYPES = {
    "string_type": "TYPE_STRING",
    "bool_type": "TYPE_BOOL",
    "float_type": "TYPE_FLOAT",
    "float_parsing": "TYPE_FLOAT",
    "finite_number": "TYPE_FLOAT",
    "int_type": "TYPE_INT32",
    "int_parsing": "TYPE_INT32",
    "int_from_float": "TYPE_INT32",
}


def snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


def parse_body(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object; empty (or only whitespace) reads as ``{}``."""
    if not raw.strip():
        return {}
    try:
        doc = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise invalid(f"Invalid JSON payload received. Invalid UTF-8 at byte {exc.start}.") from None
    except json.JSONDecodeError as exc:
        raise invalid(f"Invalid JSON payload received. {exc}") from None
    except (ValueError, RecursionError) as exc:  # integers of more than 4300 digits, nesting too deep
        raise invalid(f"Invalid JSON payload received. {type(exc).__name__}: {str(exc)[:100]}") from None
    if not isinstance(doc, dict):
        raise invalid("Invalid JSON payload received. Expected a JSON object as the request body.")
    try:  # a lone surrogate escape ("\ud800") decodes to a str no UTF-8 encoder accepts
        json.dumps(doc, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise invalid("Invalid JSON payload received. Invalid \\u escape: a lone surrogate.") from None
    return doc


def validate(model: type[M], doc: dict[str, Any]) -> M:
    """``doc`` as ``model``; the first problem as Google's 400 INVALID_ARGUMENT."""
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        raise google_message(model, exc.errors()[0]) from None


def unwrap(annotation: Any) -> Any:
    """``X | None`` and ``Annotated[X, ...]`` -> ``X``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        else:
            return annotation


def _walk(model: type[BaseModel], loc: tuple[int | str, ...]) -> tuple[str, Any]:
    """The proto path of ``loc`` (``requested_attributes[TOXICITY].score_type``) and the type found there."""
    path, current = "", unwrap(model)
    for part in loc:
        origin = typing.get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            name = snake(str(part))
            field = current.model_fields.get(name)
            path = f"{path}.{name}" if path else name
            current = unwrap(field.annotation) if field is not None else None
        elif origin is dict:
            path += f"[{part}]"
            current = unwrap(typing.get_args(current)[1])
        elif origin is list:
            path += f"[{part}]"
            current = unwrap(typing.get_args(current)[0])
        else:
            break
    return path, current


def _type_name(kind: Any, error_type: str) -> str:
    if isinstance(kind, type) and issubclass(kind, Enum):
        return f"{PROTO}.{kind.__name__}"
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return f"{PROTO}.{kind.__name__}"
    return _PROTO_TYPES.get(error_type, "TYPE_MESSAGE" if error_type.endswith("dict_type") else "value")


def google_message(model: type[BaseModel], error: ErrorDetails) -> PerspectiveError:
    """One Pydantic error in Google's words."""
    loc = tuple(error.get("loc", ()))
    if error["type"] == "extra_forbidden":
        where, _ = _walk(model, loc[:-1])
        at = f" at '{where}'" if where else ""
        return invalid(f'Invalid JSON payload received. Unknown name "{loc[-1]}"{at}: Cannot find field.')
    where, kind = _walk(model, loc)
    if error["type"] in ("list_type", "dict_type", "model_type", "model_attributes_type"):
        expected = "a list" if error["type"] == "list_type" else "an object"
        return invalid(
            f"Invalid value at '{where}': expected {expected}, got {json.dumps(error['input'])[:100]}"
        )
    value = json.dumps(error.get("input"), ensure_ascii=False)[:100]
    return invalid(f"Invalid value at '{where}' ({_type_name(kind, error['type'])}), {value}")


def text_of(entry: TextEntry | None) -> str | None:
    """A ``TextEntry``'s text; for ``HTML`` the tags are blanked out (same length, so offsets keep pointing
    at the text as sent)."""
    if entry is None or entry.text is None:
        return None
    if entry.type is TextType.HTML:
        return _TAG.sub(lambda m: " " * len(m.group()), entry.text)
    return entry.text

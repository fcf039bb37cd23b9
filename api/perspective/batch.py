"""Google's HTTP batch format (``multipart/mixed`` of ``application/http`` parts), read and written.

What Google's client (``googleapiclient.http.BatchHttpRequest``) sends to ``<rootUrl><batchPath>``: one part
per call, each part's headers (``Content-Type: application/http``, ``Content-ID: <uuid + n>``), a blank
line, then a whole HTTP request (``POST /v1alpha1/comments:analyze?key=KEY&alt=json HTTP/1.1``, its headers,
a blank line, its JSON body). Python's ``email`` generator writes it with bare LF line endings and a quoted
boundary; other clients use CRLF. We read both and write CRLF everywhere, each answer part as Google's
(``Content-ID: <response-uuid + n>``, ``HTTP/1.1 200 OK`` with its reason phrase, a CRLF blank line, the
JSON), which is exactly what the client parses.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from email.message import Message
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

from api.perspective.errors import invalid

CRLF = "\r\n"


@dataclass(frozen=True)
class Part:
    """One call inside a batch."""

    content_id: str | None
    method: str
    path: str
    query: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


def boundary_of(content_type: str) -> str:
    """The boundary of a ``multipart/mixed`` Content-Type (quoted or not); 400 otherwise."""
    message = Message()
    message["content-type"] = content_type
    boundary = message.get_param("boundary")
    if message.get_content_type() != "multipart/mixed" or not isinstance(boundary, str) or not boundary:
        raise invalid(
            "A batch request must be multipart/mixed with a boundary (Content-Type: multipart/mixed; "
            f"boundary=...), got {content_type[:100]!r}."
        )
    return boundary


def _split_head(chunk: bytes) -> tuple[list[tuple[str, str]], bytes]:
    """Header lines up to the first blank line (LF or CRLF), and what follows."""
    headers: list[tuple[str, str]] = []
    pos = 0
    while pos < len(chunk):
        end = chunk.find(b"\n", pos)
        line = chunk[pos:] if end < 0 else chunk[pos:end]
        pos = len(chunk) if end < 0 else end + 1
        line = line.rstrip(b"\r")
        if not line:
            return headers, chunk[pos:]
        name, sep, value = line.decode("latin-1").partition(":")
        if sep:
            headers.append((name.strip().lower(), value.strip()))
    return headers, b""


def _sections(body: bytes, boundary: str) -> list[bytes]:
    """The raw parts between ``--boundary`` delimiter lines (the line break before a delimiter is its own)."""
    delimiter = b"--" + boundary.encode("latin-1")
    sections: list[bytes] = []
    current: list[bytes] | None = None
    for line in body.splitlines(keepends=True):
        stripped = line.rstrip(b"\r\n").rstrip(b" \t")
        if stripped in (delimiter, delimiter + b"--"):
            if current is not None:
                chunk = b"".join(current)
                sections.append(chunk[:-2] if chunk.endswith(b"\r\n") else chunk.removesuffix(b"\n"))
            if stripped.endswith(b"--") and stripped != delimiter:
                return sections
            current = []
        elif current is not None:
            current.append(line)
    if current is not None:
        raise invalid("The batch request has no closing boundary (--boundary--).")
    return sections


def parse_batch(body: bytes, content_type: str, *, max_parts: int) -> list[Part]:
    """The calls of a batch request; 400 for a malformed batch or more than ``max_parts`` calls."""
    sections = _sections(body, boundary_of(content_type))
    if not sections:
        raise invalid("The batch request has no parts.")
    if len(sections) > max_parts:
        raise invalid(f"A batch request may hold at most {max_parts} calls, this one has {len(sections)}.")
    parts = []
    for index, section in enumerate(sections, start=1):
        outer, inner = _split_head(section)
        outer_headers = dict(outer)
        request_line, _, rest = inner.lstrip(b"\r\n").partition(b"\n")
        words = request_line.rstrip(b"\r").decode("latin-1").split()
        if len(words) < 2:
            raise invalid(f"Batch part {index} does not hold an HTTP request line (METHOD PATH HTTP/1.1).")
        headers, payload = _split_head(rest)
        declared = dict(headers).get("content-length", "")
        if declared.isdigit():
            payload = payload[: int(declared)]
        url = urlsplit(words[1])
        parts.append(
            Part(
                content_id=outer_headers.get("content-id"),
                method=words[0].upper(),
                path=url.path,
                query=url.query,
                headers=headers,
                body=payload,
            )
        )
    return parts


@dataclass(frozen=True)
class PartAnswer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def response_id(content_id: str | None, index: int) -> str:
    """``<uuid + 1>`` -> ``<response-uuid + 1>`` (Google's answer); a part without one gets its position."""
    inner = (content_id or "").strip().removeprefix("<").removesuffix(">") or f"part + {index}"
    return f"<response-{inner}>"


def build_batch(parts: list[Part], answers: list[PartAnswer]) -> tuple[bytes, str]:
    """The multipart/mixed answer (CRLF) and its Content-Type."""
    boundary = f"batch_{secrets.token_hex(12)}"
    out: list[str] = []
    for index, (part, answer) in enumerate(zip(parts, answers, strict=True), start=1):
        payload = json.dumps(answer.body, ensure_ascii=False)
        reason = HTTPStatus(answer.status).phrase
        head = [f"HTTP/1.1 {answer.status} {reason}", "Content-Type: application/json; charset=UTF-8"]
        head += [f"{name}: {value}" for name, value in answer.headers.items()]
        head.append(f"Content-Length: {len(payload.encode('utf-8'))}")
        out += [
            f"--{boundary}",
            "Content-Type: application/http",
            f"Content-ID: {response_id(part.content_id, index)}",
            "",
            *head,
            "",
            payload,
        ]
    out.append(f"--{boundary}--")
    return (CRLF.join(out) + CRLF).encode("utf-8"), f"multipart/mixed; boundary={boundary}"

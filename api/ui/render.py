"""Rendering for the moderator UI: one autoescaping Jinja environment, security headers, span highlights.

Comment text is hostile input. It is only ever rendered through autoescaping; highlights are built by cutting
the RAW text at span offsets into pieces that the template escapes one by one (never ``|safe`` on user text).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from api.ui import charts
from moderation.review.decisions import REJECTION_REASONS

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
HIGHLIGHT_MIN = 0.5  # span civility score from which a piece is highlighted


@dataclass(frozen=True)
class Piece:
    text: str
    score: float | None = None  # highest civility score of the span covering this piece
    label: str | None = None  # which civility label it was, or the reason code of a listed word / link
    kind: str = "score"  # "score": a civility span; "word": a banned/suspect word or a link (its reason)

    @property
    def level(self) -> int:
        """1..3 for the CSS intensity class; 0 when not highlighted."""
        if self.kind == "word":
            return 3
        if self.score is None or self.score < HIGHLIGHT_MIN:
            return 0
        return 1 if self.score < 0.7 else 2 if self.score < 0.85 else 3


WORD_REASONS = ("BANNED_WORD", "SUSPECT_WORD", "LINKS", "SPAM")


def reason_marks(reasons: list[dict[str, Any]] | None) -> list[tuple[int, int, str]]:
    """``(begin, end, code)`` of the words and links that word-list and link reasons found."""
    out = []
    for reason in reasons or []:
        code = str(reason.get("code") or "")
        if code not in WORD_REASONS:
            continue
        for span in reason.get("spans") or []:
            try:
                out.append((int(span[0]), int(span[1]), code))
            except (IndexError, TypeError, ValueError):
                continue
    return out


def highlight(
    text: str, spans: list[dict[str, Any]] | None, reasons: list[dict[str, Any]] | None = None
) -> list[Piece]:
    """Cut ``text`` into pieces at the span offsets; overlapping or out-of-range spans are clipped. Listed
    words and links (``reasons``' spans) are marked on their own and win over a civility span they overlap."""
    words = [(max(0, b), min(len(text), e), c) for b, e, c in reason_marks(reasons) if e > b]
    if words:
        return _cut_words(text, sorted(words))
    marks: list[tuple[int, int, float, str]] = []
    for span in spans or []:
        try:
            begin, end = max(0, int(span["begin"])), min(len(text), int(span["end"]))
            scores = {str(k): float(v) for k, v in (span.get("scores") or {}).items()}
        except (KeyError, TypeError, ValueError):
            continue
        if end <= begin or not scores:
            continue
        label, score = max(scores.items(), key=lambda kv: kv[1])
        if score >= HIGHLIGHT_MIN:
            marks.append((begin, end, score, label))
    pieces: list[Piece] = []
    pos = 0
    for begin, end, score, label in sorted(marks):
        begin = max(begin, pos)
        if begin >= end:
            continue
        if begin > pos:
            pieces.append(Piece(text[pos:begin]))
        pieces.append(Piece(text[begin:end], score=score, label=label))
        pos = end
    if pos < len(text) or not pieces:
        pieces.append(Piece(text[pos:]))
    return pieces


def _cut_words(text: str, words: list[tuple[int, int, str]]) -> list[Piece]:
    pieces: list[Piece] = []
    pos = 0
    for begin, end, code in words:
        begin = max(begin, pos)
        if begin >= end:
            continue
        if begin > pos:
            pieces.append(Piece(text[pos:begin]))
        pieces.append(Piece(text[begin:end], label=code, kind="word"))
        pos = end
    if pos < len(text) or not pieces:
        pieces.append(Piece(text[pos:]))
    return pieces


def top_label(probs: dict[str, float] | None) -> tuple[str, float] | None:
    if not probs:
        return None
    label, value = max(probs.items(), key=lambda kv: float(kv[1]))
    return str(label), float(value)


def fmt_time(value: datetime | None) -> str:
    if value is None:
        return ""
    value = value if value.tzinfo else value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(highlight=highlight, top_label=top_label, reasons=REJECTION_REASONS, charts=charts)
    env.filters["time"] = fmt_time
    env.filters["pct"] = lambda v: "–" if v is None else f"{float(v):.0%}"
    env.filters["num"] = lambda v: "–" if v is None else f"{float(v):.2f}"
    return env


ENV = _env()


def render(name: str, **context: Any) -> str:
    return ENV.get_template(name).render(**context)


def page(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = render(name, request=request, **context)
    return HTMLResponse(html, status_code=status_code, headers=SECURITY_HEADERS)

"""Publishable widget keys: ``pk_<random>``, browser-safe, scoped to ONE site and a list of allowed origins.

A publishable key sits in a site's HTML, so it is public by design: it may only read that site's comment rules
and call the pre-check (which stores nothing). It grants no role and is never accepted where an API key is
(``api_keys``); the site's own backend keeps a secret client key for ``POST /v1/moderate``. Stored as sha256;
the plaintext is shown once, like an API key's.

Origins are ``scheme://host[:port]`` as browsers send them in ``Origin`` (lower-cased, default ports dropped,
no path). CORS answers only these origins (``api/widget_cors.py``).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from moderation.errors import InvalidInput, NotFound
from moderation.store import widget_repo
from moderation.store.tables import WidgetKey, utcnow

KEY_PREFIX = "pk_"
PREFIX_LENGTH = 12
MAX_ORIGINS = 20
_SITE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class PublishableKey:
    """An authenticated publishable key: what it may touch."""

    id: int
    name: str
    site: str
    origins: tuple[str, ...]

    def allows(self, origin: str | None) -> bool:
        """Whether a browser page on ``origin`` may use this key (None: not a browser, e.g. curl)."""
        return origin is None or origin.lower() in self.origins


def hash_key(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def normalize_origin(value: str) -> str:
    """``https://News.Example:443/`` -> ``https://news.example``; InvalidInput for anything that is not an
    http(s) origin (a path, a query, credentials, a wildcard)."""
    field = "origins"
    try:
        parts = urlsplit(value.strip())
        port = parts.port
    except ValueError:
        raise InvalidInput(f"'{value}' is not an origin (scheme://host[:port])", field=field) from None
    if (
        parts.scheme not in _DEFAULT_PORTS
        or not parts.hostname
        or parts.username is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or "*" in value
    ):
        raise InvalidInput(
            f"'{value}' is not an origin: give scheme://host[:port] with http or https, no path",
            field=field,
        )
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    suffix = f":{port}" if port is not None and port != _DEFAULT_PORTS[parts.scheme] else ""
    return f"{parts.scheme}://{host}{suffix}"


def create_key(*, session: Session, site: str, origins: list[str], name: str) -> tuple[WidgetKey, str]:
    """A new publishable key for ``site`` usable from ``origins`` (1 to 20); the plaintext is shown once."""
    if not _SITE.match(site):
        raise InvalidInput("site must be 1 to 100 letters, digits, '.', '_' or '-'", field="site")
    if not name.strip() or len(name) > 200:
        raise InvalidInput("name must be 1 to 200 characters", field="name")
    if not origins or len(origins) > MAX_ORIGINS:
        raise InvalidInput(f"give 1 to {MAX_ORIGINS} allowed origins", field="origins")
    normalized = list(dict.fromkeys(normalize_origin(o) for o in origins))
    plaintext = f"{KEY_PREFIX}{secrets.token_urlsafe(24)}"
    row = widget_repo.add_key(
        session=session,
        name=name.strip(),
        site=site,
        origins=normalized,
        prefix=plaintext[:PREFIX_LENGTH],
        key_hash=hash_key(plaintext),
    )
    return row, plaintext


def list_keys(*, session: Session, site: str | None = None) -> list[WidgetKey]:
    return widget_repo.list_keys(session=session, site=site)


def key_site(*, session: Session, key_id: int) -> str | None:
    """The site of widget key ``key_id`` (None: no such key), for the caller's scope check."""
    row = widget_repo.get_key(session=session, key_id=key_id)
    return None if row is None else row.site


def revoke_key(*, session: Session, key_id: int) -> WidgetKey:
    row = widget_repo.get_key(session=session, key_id=key_id)
    if row is None:
        raise NotFound(f"unknown widget key id {key_id}", field="key_id")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    session.flush()
    return row


def authenticate(*, session: Session, plaintext: str | None) -> PublishableKey | None:
    """The active publishable key with this plaintext, or None (unknown, revoked, or not a ``pk_`` key)."""
    if not plaintext or not plaintext.startswith(KEY_PREFIX) or len(plaintext) > 200:
        return None
    row = widget_repo.key_by_hash(session=session, key_hash=hash_key(plaintext))
    if row is None or row.revoked_at is not None:
        return None
    return PublishableKey(id=row.id, name=row.name, site=row.site, origins=tuple(row.origins or ()))


DEMO_KEY_NAME = "demo"
DEMO_ORIGINS = 8  # origins the demo page's key answers (the Host header names them: bounded)


@dataclass
class DemoKey:
    id: int
    plaintext: str
    origins: list[str]


def demo_key(*, session: Session, site: str, origin: str, known: DemoKey | None) -> DemoKey:
    """The demo page's publishable key for ``site`` (``GET /demo``): ONE row per site, whatever the ``Host``.

    ``known`` None (the process's first visit): earlier demo keys of the site are revoked (so restarts do not
    pile up active keys) and a new one is made for ``origin``. Otherwise ``origin`` is added to the key's
    origins while it has fewer than ``DEMO_ORIGINS``; past that (or for a ``Host`` that is not an origin) the
    page keeps the key, and a browser there gets CORS refusals: the widget steps aside and the form posts
    plainly, the server still deciding."""
    try:
        normalized: str | None = normalize_origin(origin)
    except InvalidInput:
        normalized = None
    if known is None:
        for row in widget_repo.list_keys(session=session, site=site):
            if row.revoked_at is None and (row.name == DEMO_KEY_NAME or row.name.startswith("demo http")):
                row.revoked_at = utcnow()
        origins = [normalized or "http://127.0.0.1"]
        made, plaintext = create_key(session=session, site=site, origins=origins, name=DEMO_KEY_NAME)
        return DemoKey(id=made.id, plaintext=plaintext, origins=list(made.origins or ()))
    if normalized is None or normalized in known.origins or len(known.origins) >= DEMO_ORIGINS:
        return known
    current = widget_repo.get_key(session=session, key_id=known.id)
    if current is None or current.revoked_at is not None:  # revoked by an admin meanwhile: a new one
        return demo_key(session=session, site=site, origin=origin, known=None)
    origins = [*known.origins, normalized]
    widget_repo.set_origins(session=session, row=current, origins=origins)
    return DemoKey(id=known.id, plaintext=known.plaintext, origins=origins)

"""One master secret, one key per purpose: every key the service signs with is derived from the master secret
with HKDF-SHA256 (RFC 5869, the ``cryptography`` library), under a label naming its purpose (and, where a key
is per site, the site). No two purposes share a key, and knowing one derived key tells nothing about the
master or the others: a callback receiver holding its site's callback key cannot sign a session cookie.

The master secret is ``MODERATION_SECRET_KEY`` (at least 32 characters). Without it, outside production, a
random one is generated once and kept in ``data_dir/secret_key`` (mode 0600, refused when group- or
world-readable); production refuses to start without it (``Settings`` says so).

Purposes (``Purpose``) and what each key signs:

- ``session-cookie``: moderator session cookies (``api/sessions.py``);
- ``login-csrf``: the sign-in form's double-submit token;
- ``callback`` (context: the site): the ``X-Moderation-Signature`` of a site's decision callbacks, unless the
  operator configured that site's (or a global) callback secret explicitly;
- ``api-key-pepper``: reserved for keyed hashes of API keys (not used yet: keys are random 144-bit strings).
"""

from __future__ import annotations

import logging
import os
import secrets
import stat
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from moderation.config import Settings

log = logging.getLogger(__name__)

SALT = b"moderation-keyring-v1"
KEY_BYTES = 32
MIN_MASTER_CHARS = 32
SECRET_FILE = "secret_key"


class Purpose(StrEnum):
    SESSION = "session-cookie"
    LOGIN_CSRF = "login-csrf"
    CALLBACK = "callback"
    API_KEY_PEPPER = "api-key-pepper"


class SecretError(RuntimeError):
    """The master secret is missing (production), too short, or its file is readable by others."""


@lru_cache(maxsize=256)
def _derive(master: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=SALT, info=label).derive(master)


class Keyring:
    """Derives the key of each purpose (32 bytes) from the master secret; derived keys are cached."""

    def __init__(self, master: bytes) -> None:
        if len(master) < MIN_MASTER_CHARS:
            raise SecretError(f"the master secret must be at least {MIN_MASTER_CHARS} bytes")
        self._master = master

    def key(self, purpose: Purpose, context: str = "") -> bytes:
        """The 32-byte key of ``purpose`` (``context``: e.g. a site name, for per-site keys)."""
        label = f"{purpose.value}\x00{context}".encode()
        return _derive(self._master, label)

    def hex(self, purpose: Purpose, context: str = "") -> str:
        """The key as 64 hex characters (what a callback receiver is given)."""
        return self.key(purpose, context).hex()

    def __repr__(self) -> str:  # never print the master
        return "Keyring(<redacted>)"


def read_or_create_secret_file(path: Path) -> bytes:
    """The secret in ``path``, created (random, 0600, atomically) when absent. SecretError when the file is
    readable by group or others, or too short."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secrets.token_urlsafe(48))
        log.info("generated a master secret in %s (mode 0600)", path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise SecretError(f"{path} is readable by others (mode {mode:o}): chmod 600 it")
    value = path.read_text(encoding="ascii").strip().encode()
    if len(value) < MIN_MASTER_CHARS:
        raise SecretError(f"{path} holds fewer than {MIN_MASTER_CHARS} characters")
    return value


def load_keyring(*, secret_key: str | None, data_dir: Path, production: bool) -> Keyring:
    """The keyring of this deployment: ``secret_key`` when given, else (not in production) the data dir's
    secret file, created on first use."""
    if secret_key:
        return Keyring(secret_key.encode())
    if production:
        raise SecretError("MODERATION_SECRET_KEY must be set (at least 32 characters) in production")
    return Keyring(read_or_create_secret_file(data_dir / SECRET_FILE))


def keyring_for(settings: Settings) -> Keyring:
    """``load_keyring`` with this deployment's settings."""
    return load_keyring(
        secret_key=settings.secret_key.get_secret_value() if settings.secret_key else None,
        data_dir=settings.data_dir,
        production=settings.environment == "production",
    )


def callback_secret(settings: Settings, keyring: Keyring, site: str) -> str:
    """The HMAC key of ``site``'s decision callbacks: the site's configured secret, else the configured global
    one, else the keyring's (callback, site) key as 64 hex characters (``moderation keys callback-secret``
    prints it for the receiver)."""
    explicit = settings.site_callback_secrets.get(site) or settings.callback_secret
    if explicit is not None:
        return explicit.get_secret_value()
    return keyring.hex(Purpose.CALLBACK, site)

"""Issue 13 item 1: one key per purpose, derived from one master secret; no purpose shares a key; the
development secret is random per data dir and 0600; production refuses to start without a master secret."""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from api.sessions import sign, unsign
from moderation.config import Settings
from moderation.keyring import Keyring, Purpose, SecretError, callback_secret, keyring_for

MASTER = "m" * 40


def settings(tmp_path: Path, **kwargs: object) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data", **kwargs)  # type: ignore[call-arg, arg-type]


def test_every_purpose_and_site_has_its_own_key() -> None:
    ring = Keyring(MASTER.encode())
    keys = [ring.key(p) for p in Purpose] + [ring.key(Purpose.CALLBACK, s) for s in ("a", "b", "")]
    assert len(set(keys)) == len(keys) - 1  # (callback, "") is the plain callback key
    assert all(len(k) == 32 for k in keys)
    assert MASTER.encode() not in keys
    assert Keyring(MASTER.encode()).key(Purpose.SESSION) == ring.key(Purpose.SESSION)  # deterministic
    assert Keyring(b"n" * 40).key(Purpose.SESSION) != ring.key(Purpose.SESSION)
    assert "m" * 10 not in repr(ring)


def test_a_callback_receiver_cannot_forge_a_session_cookie(tmp_path: Path) -> None:
    """The attack of the review: the callback key signed an admin session. Now it verifies nothing else."""
    conf = settings(tmp_path, secret_key=MASTER)
    ring = keyring_for(conf)
    receiver_key = callback_secret(conf, ring, "news").encode()  # all a receiver ever learns
    forged = sign({"k": 1, "c": "x", "t": 0}, secret=receiver_key)
    assert unsign(forged, secret=ring.key(Purpose.SESSION)) is None
    genuine = sign({"k": 1, "c": "x", "t": 0}, secret=ring.key(Purpose.SESSION))
    assert unsign(genuine, secret=ring.key(Purpose.SESSION)) == {"k": 1, "c": "x", "t": 0}
    assert unsign(genuine, secret=ring.key(Purpose.LOGIN_CSRF)) is None
    other_site = callback_secret(conf, ring, "elsewhere")
    assert other_site != receiver_key.decode()
    mac = hmac.new(receiver_key, b"1.{}", hashlib.sha256).hexdigest()
    assert mac != hmac.new(other_site.encode(), b"1.{}", hashlib.sha256).hexdigest()


def test_explicit_callback_secrets_win_and_may_not_be_the_master(tmp_path: Path) -> None:
    conf = settings(
        tmp_path, secret_key=MASTER, callback_secret="g" * 20, site_callback_secrets={"news": "n" * 20}
    )
    ring = keyring_for(conf)
    assert callback_secret(conf, ring, "news") == "n" * 20
    assert callback_secret(conf, ring, "other") == "g" * 20
    with pytest.raises(ValidationError, match="master secret"):
        settings(tmp_path, secret_key=MASTER, callback_secret=MASTER)


def test_development_secret_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    conf = settings(tmp_path)
    first = keyring_for(conf)
    path = conf.data_dir / "secret_key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert keyring_for(conf).key(Purpose.SESSION) == first.key(Purpose.SESSION)  # kept across restarts
    other = keyring_for(settings(tmp_path / "elsewhere"))
    assert other.key(Purpose.SESSION) != first.key(Purpose.SESSION)  # per data dir, never a known string
    os.chmod(path, 0o644)
    with pytest.raises(SecretError, match="chmod 600"):
        keyring_for(conf)


def test_production_refuses_a_missing_or_short_secret(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="MODERATION_SECRET_KEY"):
        settings(tmp_path, environment="production")
    with pytest.raises(ValidationError, match="at least 32"):
        settings(tmp_path, environment="production", secret_key="short")
    conf = settings(tmp_path, environment="production", secret_key=MASTER)
    keyring_for(conf)
    assert not (conf.data_dir / "secret_key").exists()  # production never writes one

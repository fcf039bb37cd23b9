"""``X-Coral-Signature``: how Coral Talk signs what it posts to an external moderation phase.

Coral (``server/src/core/server/models/settings/signingSecret/helpers.ts``) computes, for every active
signing secret of the phase, ``HMAC-SHA256(key = the whole secret as UTF-8, message = the raw body bytes)``
in lowercase hex, prefixes each with ``sha256=`` and joins them with ``,`` (two or more during a rotation).
Its documented check: split on ``,``, split each on ``=``, keep ``sha256``, compare in constant time, accept
if ANY matches. There is no timestamp in the header (unlike Stripe's), so freshness is ours: see
``replay.py``. Verification uses the raw bytes as received, before any JSON parsing.
"""

from __future__ import annotations

import hashlib
import hmac
import re

HEADER = "X-Coral-Signature"
MAX_SIGNATURES = 10  # Coral sends one per active secret; more is not a rotation
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


def sign(secret: str, body: bytes) -> str:
    """One ``sha256=<hex>`` item, as Coral writes it."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def signatures(header: str | None) -> list[str]:
    """The ``sha256`` signatures of a header (lowercase hex; other schemes and malformed items ignored)."""
    found = []
    for item in (header or "").split(",")[:MAX_SIGNATURES]:
        scheme, _, value = item.strip().partition("=")
        value = value.strip()
        if scheme.strip().lower() == "sha256" and _HEX64.match(value):
            found.append(value.lower())
    return found


def verify(body: bytes, header: str | None, secrets: list[str]) -> bool:
    """Whether any signature in ``header`` is the body's HMAC under any of ``secrets`` (constant time)."""
    given = signatures(header)
    matched = False
    for secret in secrets:
        expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
        for signature in given:
            matched |= hmac.compare_digest(expected, signature)
    return matched

"""Decision callbacks: POST the decision JSON to a site's (or the request's) URL, signed with HMAC-SHA256.

Header ``X-Moderation-Signature: t=<unix seconds>,v1=<hex hmac_sha256(secret, "<t>.<body>")>``; the receiver
recomputes it over the raw body (see docs/callbacks.md). Deliveries are retried with bounded exponential
backoff on connection errors, 5xx and 429; a 4xx other than 429 is final. Every attempt first checks the URL
(``netguard.check_url``: resolved, public addresses only, unless allow-listed) and connects to the checked
address; redirects are never followed (a 3xx is final) and the answer's body is never read.

The worker does not call ``deliver`` directly: a decision's callback is an outbox entry written in the
decision's transaction (``moderation/outbox.py``), sent with ``send_once`` and retried from the table, so a
worker killed in between, or a receiver that is down, loses nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import httpx

from moderation.netguard import NOTHING_ALLOWED, AllowList, Target, UnsafeTarget, check_url

SIGNATURE_HEADER = "X-Moderation-Signature"
log = logging.getLogger(__name__)


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


@dataclass(frozen=True)
class CallbackResult:
    url: str
    delivered: bool
    attempts: int
    status: int | None
    error: str | None = None

    @property
    def final(self) -> bool:
        """Not worth retrying: a refused URL, a redirect, or a 4xx other than 429."""
        if self.delivered:
            return True
        if self.status is None:
            return (self.error or "").startswith("refused")
        return self.status < 500 and self.status != 429


def deliver(
    url: str,
    document: dict[str, Any],
    *,
    secret: str,
    attempts: int = 5,
    base_delay: float = 0.5,
    max_delay: float = 30.0,
    timeout: float = 5.0,
    sleep: Callable[[float], None] = time.sleep,
    allow: AllowList = NOTHING_ALLOWED,
) -> CallbackResult:
    """POST ``document`` (compact JSON) with a fresh signature per attempt; bounded exponential backoff.
    A URL that fails the SSRF check is not sent at all (final, not retried)."""
    body = json.dumps(document, separators=(",", ":"), sort_keys=True).encode()
    status: int | None = None
    error: str | None = None
    for attempt in range(1, attempts + 1):
        headers = {"Content-Type": "application/json", SIGNATURE_HEADER: sign(secret, body)}
        try:
            status, error = _post(check_url(url, allow), body, headers, timeout), None
            if 200 <= status < 300:
                return CallbackResult(url, True, attempt, status)
            if 300 <= status < 400:
                return CallbackResult(
                    url, False, attempt, status, f"HTTP {status}: redirects are not followed"
                )
            if status < 500 and status != 429:
                return CallbackResult(url, False, attempt, status, f"HTTP {status}")
        except UnsafeTarget as exc:
            return CallbackResult(url, False, attempt, None, f"refused: {exc.message}")
        except httpx.HTTPError as exc:
            status, error = None, repr(exc)
        if attempt < attempts:
            sleep(min(max_delay, base_delay * 2 ** (attempt - 1)))
    return CallbackResult(url, False, attempts, status, error or f"HTTP {status}")


def _post(target: Target, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST to the checked address (Host and TLS SNI name the host); the status, the body left unread."""
    extensions = {"sni_hostname": target.host} if target.scheme == "https" else {}
    with (
        httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client,
        client.stream(
            "POST",
            target.pinned_url(),
            content=body,
            headers=headers | {"Host": target.host_header},
            extensions=extensions,
        ) as response,
    ):
        return response.status_code


class CallbackSender:
    """Resolves URL and secret per site and delivers in the background."""

    def __init__(
        self,
        *,
        secret_for: Callable[[str], str],
        site_urls: dict[str, str] | None = None,
        attempts: int = 5,
        base_delay: float = 0.5,
        threads: int = 4,
        allow: AllowList = NOTHING_ALLOWED,
        timeout: float = 5.0,
    ) -> None:
        self.secret_for = secret_for  # site -> HMAC key (Services.callback_secret: never the session's)
        self.site_urls = site_urls or {}
        self.allow = allow
        self.timeout = timeout
        self.attempts = attempts
        self.base_delay = base_delay
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="callback")

    def submit(self, url: str | None, document: dict[str, Any]) -> Future[CallbackResult] | None:
        site = str(document.get("site") or "")
        target = url or self.site_urls.get(site)
        if not target:
            return None
        secret = self.secret_for(site)
        future = self._pool.submit(
            deliver,
            target,
            document,
            secret=secret,
            attempts=self.attempts,
            base_delay=self.base_delay,
            allow=self.allow,
            timeout=self.timeout,
        )
        future.add_done_callback(_log_result)
        return future

    def send_once(self, url: str, document: dict[str, Any]) -> Future[CallbackResult]:
        """One attempt in the background (the outbox schedules retries itself)."""
        secret = self.secret_for(str(document.get("site") or ""))
        return self._pool.submit(
            deliver, url, document, secret=secret, attempts=1, allow=self.allow, timeout=self.timeout
        )

    def url_for(self, url: str | None, site: str) -> str | None:
        """The request's callback URL, else the site's configured one, else None."""
        return url or self.site_urls.get(site) or None

    def close(self, *, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait)


def _log_result(future: Future[CallbackResult]) -> None:
    result = future.result()
    if not result.delivered:
        log.warning("callback to %s failed after %d attempts: %s", result.url, result.attempts, result.error)

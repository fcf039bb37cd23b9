"""Which sites a caller may read and act on: a key's scope (issue 13 item 3).

A key is scoped to a list of sites, or to all sites (``all_sites``: admin keys of a single-tenant install,
and keys created before scoping existed). Every read, write and stream of the API filters by it: what lies
on another site is answered as if it did not exist (NotFound), a write naming another site is Forbidden, and
an id already used on another site cannot be taken over (Conflict).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from moderation.errors import Conflict, Forbidden, NotFound


@dataclass(frozen=True)
class SiteScope:
    """``sites`` None: every site; else exactly these."""

    sites: frozenset[str] | None = None

    @classmethod
    def of(cls, sites: Iterable[str] | None) -> SiteScope:
        return cls(None if sites is None else frozenset(sites))

    @property
    def everywhere(self) -> bool:
        return self.sites is None

    @property
    def sole_site(self) -> str | None:
        """The one site of a single-site key (the site a request that names none is about)."""
        if self.sites is not None and len(self.sites) == 1:
            return next(iter(self.sites))
        return None

    def allows(self, site: str | None) -> bool:
        return self.sites is None or (site is not None and site in self.sites)

    def require(self, site: str | None, *, field: str | None = "site") -> None:
        """Forbidden when the caller may not act on ``site``."""
        if not self.allows(site):
            raise Forbidden(f"this key may not use the site '{site}'", field=field)

    def require_found(self, site: str | None, what: str, field: str | None = None) -> None:
        """NotFound (``what`` names the thing) when it lies on a site the caller may not see."""
        if not self.allows(site):
            raise NotFound(f"unknown {what}", field=field)

    def require_owner(self, site: str | None, what: str, field: str | None = None) -> None:
        """Conflict when an existing thing with the requested id lies on a site the caller may not use."""
        if site is not None and not self.allows(site):
            raise Conflict(f"{what} is already used by another site", field=field)

    def require_everywhere(self, what: str) -> None:
        if self.sites is not None:
            raise Forbidden(f"{what} needs a key for all sites")


ALL_SITES = SiteScope(None)

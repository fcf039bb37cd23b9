"""Links in a comment, found with ``linkify-it-py`` (the Python port of markdown-it's linkify: schemes,
``www.`` hosts and bare domains with a known top-level domain, e-mail addresses excluded), each with its host
and its span in the ORIGINAL text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from linkify_it import LinkifyIt


@dataclass(frozen=True)
class Link:
    url: str
    host: str  # lower case, without a leading ``www.``
    begin: int
    end: int


@cache
def _linkify() -> LinkifyIt:
    return LinkifyIt()


def find_links(text: str) -> list[Link]:
    """Every web link in ``text`` (e-mail addresses are not links here), in text order."""
    matches = _linkify().match(text) or []
    out = []
    for m in matches:
        if m.schema == "mailto:" or (not m.schema and "@" in m.raw):
            continue
        host = (urlsplit(m.url).hostname or "").lower()
        out.append(Link(m.url, host.removeprefix("www."), m.index, m.last_index))
    return out


def host_allowed(host: str, domains: tuple[str, ...]) -> bool:
    """``host`` is one of ``domains`` or a subdomain of one (``news.example.org`` under ``example.org``)."""
    return any(host == d or host.endswith("." + d) for d in domains)

"""Outbound requests (decision callbacks) may only reach public addresses: the SSRF policy.

A URL is checked by RESOLVING its host (``getaddrinfo``, so decimal ``2130706433``, hex ``0x7f000001``,
short ``127.1``, ``0.0.0.0``, IPv4-mapped IPv6 and names that resolve to private addresses are all seen as
what they are) and refusing it when ANY of its addresses is not globally routable: loopback, private (RFC
1918, ULA), link-local (cloud metadata ``169.254.169.254`` included), carrier-grade NAT, multicast,
unspecified or reserved. Only ``http`` and ``https``, ports 1-65535, no user info.

It is checked twice: when a client names the URL (``POST /v1/comments``: a clear InvalidInput), and again at
send time, where the request then goes to the address just checked (``pinned``), so a DNS answer that changes
in between (rebinding) cannot move it to a private address. Redirects are never followed.

An operator's allow-list (``MODERATION_CALLBACK_ALLOW``: CIDRs or exact host names) lets named private
targets through: an intranet receiver, or 127.0.0.1 in tests.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from moderation.errors import InvalidInput

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
METADATA = frozenset({ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")})
# IPv6 prefixes that carry an IPv4 address in their last 32 bits and reach it through a translator: NAT64's
# well-known prefix (RFC 6052) and its local-use prefix (RFC 8215)
NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


class UnsafeTarget(InvalidInput):
    """The URL is malformed, does not resolve, or reaches an address that is not public."""

    code = "unsafe_target"


@dataclass(frozen=True)
class AllowList:
    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, items: Iterable[str]) -> AllowList:
        """Each item is a CIDR / an address, or a host name (matched exactly, case-insensitively)."""
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for item in items:
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError:
                hosts.add(item.strip().lower().rstrip("."))
        return cls(tuple(networks), frozenset(hosts))

    def allows(self, host: str, address: IPAddress) -> bool:
        return host in self.hosts or any(address in net for net in self.networks)


NOTHING_ALLOWED = AllowList()


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (``address``) and what to say it is (``host`` for Host and SNI)."""

    url: str
    scheme: str
    host: str
    port: int
    address: IPAddress

    def pinned_url(self) -> str:
        """The URL with its host replaced by the checked address (the request cannot be re-resolved)."""
        parts = urlsplit(self.url)
        literal = f"[{self.address}]" if self.address.version == 6 else str(self.address)
        return parts._replace(netloc=f"{literal}:{self.port}").geturl()

    @property
    def host_header(self) -> str:
        default = {"http": 80, "https": 443}[self.scheme]
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == default else f"{name}:{self.port}"


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for: IPv4-mapped, 6to4 (``2002:7f00:1::`` is 127.0.0.1 through a
    6to4 relay) or NAT64; None for a plain IPv6 address."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if any(address in network for network in NAT64):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def forbidden(address: IPAddress) -> bool:
    """True for every address that is not a public unicast one (or is a metadata service), and for an IPv6
    address that embeds an IPv4 address which is not."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = embedded_ipv4(address)
        if inner is not None and forbidden(inner):
            return True
        if address.ipv4_mapped is not None:
            address = address.ipv4_mapped
    return (
        address in METADATA
        or not address.is_global
        or address.is_multicast
        or address.is_unspecified
        or address.is_reserved
    )


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(f"the host '{host}' does not resolve", field="callback_url") from exc
    addresses: list[IPAddress] = []
    for info in infos:
        raw = str(info[4][0]).split("%", 1)[0]  # drop an IPv6 zone
        addresses.append(ipaddress.ip_address(raw))
    if not addresses:
        raise UnsafeTarget(f"the host '{host}' does not resolve", field="callback_url")
    return addresses


def check_url(url: str, allow: AllowList = NOTHING_ALLOWED) -> Target:
    """Parse, resolve and check ``url``; the Target to connect to. UnsafeTarget (an InvalidInput on the
    field ``callback_url``) for a bad scheme, user info, a bad port, a name that does not resolve or any
    address that is not public and not allow-listed."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeTarget(f"not a valid URL: {exc}", field="callback_url") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeTarget("only http and https URLs may be called back", field="callback_url")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("a callback URL may not carry user info", field="callback_url")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise UnsafeTarget("the URL has no host", field="callback_url")
    port = port or (443 if scheme == "https" else 80)
    if not 0 < port < 65536:
        raise UnsafeTarget(f"port {port} is out of range", field="callback_url")
    addresses = _resolve(host, port)
    for address in addresses:
        if forbidden(address) and not allow.allows(host, address):
            raise UnsafeTarget(
                f"the host '{host}' resolves to {address}, which is not a public address "
                "(loopback, private, link-local and metadata addresses are refused; an operator may "
                "allow-list it with MODERATION_CALLBACK_ALLOW)",
                field="callback_url",
            )
    return Target(url=url, scheme=scheme, host=host, port=port, address=addresses[0])

"""Decide whether the crawler may connect to a URL: no private, loopback or link-local targets.

The decision is made on the addresses a name resolves to, and the same addresses are the ones
connected to (crawler/resolver.py for the crawl, crawler/cli/check.py for `sources check`):
resolving twice would let a name answer a public address to the check and 127.0.0.1 to the
connection (DNS rebinding). A name that does not resolve is refused, never waved through.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

Resolver = Callable[[str], Iterable[str]]

# Ranges that are not the public internet but that ipaddress does not flag as private.
EXTRA_BLOCKED = [
    ipaddress.ip_network("100.64.0.0/10"),  # carrier-grade NAT
    ipaddress.ip_network("192.0.0.0/24"),
    ipaddress.ip_network("198.18.0.0/15"),  # benchmarking
]
NAT64 = ipaddress.ip_network("64:ff9b::/96")  # well-known prefix: the last 32 bits are IPv4
COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated IPv4-compatible ::a.b.c.d


class Refused(OSError):
    """A host the guard will not connect to (non-public address, or no address at all)."""


def system_resolver(host: str) -> list[str]:
    """Every address the system resolver gives for host."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def _embedded_v4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    """IPv4 addresses an IPv6 address carries (6to4, Teredo, NAT64, IPv4-compatible)."""
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if ip.sixtofour is not None:
        found.append(("6to4", ip.sixtofour))
    if ip.teredo is not None:
        found += [("Teredo", ip.teredo[0]), ("Teredo", ip.teredo[1])]
    if ip in COMPATIBLE and int(ip) > 1:
        found.append(("IPv4-compatible", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    return found


def _why_v4_or_v6(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    checks = [
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("private", ip.is_private),
        ("multicast", ip.is_multicast),
        ("unspecified", ip.is_unspecified),
        ("reserved", ip.is_reserved),
    ]
    for name, hit in checks:
        if hit:
            return name
    if any(ip in net for net in EXTRA_BLOCKED if net.version == ip.version):
        return "non-public"
    return None


def forbidden_ip(address: str) -> str | None:
    """Why an IP address is off limits (e.g. 'loopback'), or None for a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
        elif ip in NAT64:
            # A NAT64 gateway connects to the embedded address: judge that one alone.
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        else:
            for kind, v4 in _embedded_v4(ip):
                if why := _why_v4_or_v6(v4):
                    return f"{why} ({kind} of {v4})"
    return _why_v4_or_v6(ip)


def bare_host(host: str) -> str:
    """A URL host as the resolver sees it: lower case, no brackets, no trailing dot."""
    return host.strip("[]").rstrip(".").lower()


def checked_addresses(host: str, resolver: Resolver = system_resolver) -> list[str]:
    """The addresses of host, all public; Refused when any is not or when none resolves.

    Connect to these, not to a second lookup of host: that is what pins the check.
    """
    name = bare_host(host)
    if not name:
        raise Refused("no host")
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
        addresses = [name]
    except ValueError:
        if name == "localhost" or name.endswith(".localhost"):
            raise Refused(f"{name}: loopback name") from None
        try:
            addresses = sorted(set(resolver(name)))
        except (OSError, UnicodeError) as exc:
            # Fail closed: a lookup that fails now (EAI_AGAIN) may answer 127.0.0.1 later.
            raise Refused(f"{name}: lookup failed ({exc})") from None
    if not addresses:
        raise Refused(f"{name}: no address")
    for address in addresses:
        if why := forbidden_ip(address):
            raise Refused(f"{name} → {address}: {why} address")
    return addresses


def check_url(url: str, resolver: Resolver = system_resolver) -> str | None:
    """Why url must not be fetched by a source without allow_private_network, or None if fine."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        return f"bad URL: {exc}"
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme or '(none)'}: not allowed"
    try:
        checked_addresses(host or "", resolver)
    except Refused as exc:
        return str(exc)
    return None

"""Decide whether the crawler may connect to a URL: no private, loopback or link-local targets."""

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


def system_resolver(host: str) -> list[str]:
    """Every address the system resolver gives for host."""
    infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    return sorted({str(info[4][0]) for info in infos})


def forbidden_ip(address: str) -> str | None:
    """Why an IP address is off limits (e.g. 'loopback'), or None for a public address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped  # ::ffff:10.0.0.1 is 10.0.0.1
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


def check_url(url: str, resolver: Resolver = system_resolver) -> str | None:
    """Why url must not be fetched by a source without allow_private_network, or None if fine."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return f"scheme {parts.scheme or '(none)'}: not allowed"
    host = parts.hostname
    if not host:
        return "no host"
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        addresses: Iterable[str] = [host]
    except ValueError:
        if host == "localhost" or host.endswith(".localhost"):
            return f"{host}: loopback name"
        try:
            addresses = resolver(host)
        except OSError as exc:
            # Unresolvable hosts are left to the downloader, which reports a DNS error.
            return None if isinstance(exc, socket.gaierror) else f"{host}: {exc}"
    for address in addresses:
        why = forbidden_ip(address)
        if why:
            return f"{host} → {address}: {why} address"
    return None

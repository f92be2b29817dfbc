"""The private-network guard's decision for addresses no test may send a packet to."""

from __future__ import annotations

import socket

import pytest
from scrapy import Request

from crawler.middlewares import OffsiteRedirect, PrivateNetworkGuard
from crawler.netguard import Refused, check_url, checked_addresses, forbidden_ip
from pipelines.sources import parse_source


def resolver(table: dict[str, list[str]]):
    """A stub resolver: names from the table, anything else unknown (NXDOMAIN)."""
    def resolve(host: str) -> list[str]:
        if host not in table:
            raise socket.gaierror(socket.EAI_NONAME, "unknown")
        return table[host]
    return resolve


@pytest.mark.parametrize("url, why", [
    ("http://10.1.2.3/a", "private"),
    ("http://172.16.0.1/", "private"),
    ("http://192.168.1.1/", "private"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://127.0.0.2:8080/", "loopback"),
    ("http://[::1]/", "loopback"),
    ("http://[fc00::1]/", "private"),
    ("http://[fd12:3456::1]/", "private"),
    ("http://[fe80::1]/", "link-local"),
    ("http://[::ffff:10.0.0.1]/", "private"),
    ("http://0.0.0.0/", "private"),  # 0.0.0.0/8 is "this network"
    ("http://100.64.0.1/", "non-public"),
    ("http://localhost:8000/", "loopback name"),
    ("http://127.0.0.1./", "loopback"),  # trailing dot: the same address
    ("http://localhost./", "loopback name"),
    ("http://[2002:7f00:1::]/", "loopback (6to4 of 127.0.0.1)"),
    ("http://[2002:a00:1::5]/", "private (6to4 of 10.0.0.1)"),
    ("http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/", "private"),  # Teredo
    ("http://[::127.0.0.1]/", "IPv4-compatible of 127.0.0.1"),
    ("http://[::ffff:127.0.0.1]/", "loopback"),
    ("http://[64:ff9b::7f00:1]/", "loopback"),  # NAT64 of 127.0.0.1
    ("http://[64:ff9b::a9fe:a9fe]/", "link-local"),  # NAT64 of 169.254.169.254
    ("file:///etc/passwd", "scheme file"),
    ("ftp://example.com/x", "scheme ftp"),
])
def test_non_public_targets_refused(url, why):
    reason = check_url(url, resolver({}))
    assert reason and why in reason, (url, reason)


def test_dns_names_resolving_to_private_addresses_refused():
    table = {
        "internal.example": ["10.0.0.5"],
        "metadata.example": ["169.254.169.254"],
        "mixed.example": ["93.184.216.34", "192.168.0.10"],  # one bad address is enough
        "v6.example": ["fd00::7"],
        "news.example": ["93.184.216.34"],
    }
    stub = resolver(table)
    assert "10.0.0.5: private" in check_url("https://internal.example/a", stub)
    assert "link-local" in check_url("http://metadata.example/", stub)
    assert "192.168.0.10" in check_url("http://mixed.example/", stub)
    assert "private" in check_url("http://v6.example/", stub)
    assert check_url("https://news.example/article", stub) is None
    assert check_url("https://93.184.216.34/", stub) is None
    # Fail closed: a name that does not resolve now may resolve to 127.0.0.1 a moment later.
    assert "lookup failed" in check_url("http://nxdomain.example/", stub)


def _guard(allow: bool) -> PrivateNetworkGuard:
    source = parse_source({"name": "s", "title": "t", "homepage": "http://127.0.0.1:8000/",
                           "allow_private_network": allow}, 0)
    return PrivateNetworkGuard({"s": source}, stats=None)


def test_allowance_covers_only_the_sources_own_hosts():
    guard = _guard(allow=True)
    own = Request("http://127.0.0.1:8000/a", meta={"source": "s", "kind": "feed"})
    other = Request("http://127.0.0.2:8000/a", meta={"source": "s", "kind": "feed"})
    private = Request("http://10.0.0.1/", meta={"source": "s", "kind": "feed"})
    assert guard._source_allows(own)
    assert not guard._source_allows(other) and not guard._source_allows(private)
    assert not _guard(allow=False)._source_allows(own)


def test_article_redirected_off_site_is_refused_before_sending():
    guard = _guard(allow=True)
    meta = {"source": "s", "kind": "article", "redirect_urls": ["http://127.0.0.1:8000/a"]}
    with pytest.raises(OffsiteRedirect, match="offsite_redirect: http://10.0.0.1/x"):
        guard._check_offsite(Request("http://10.0.0.1/x", meta=meta))
    guard._check_offsite(Request("http://127.0.0.1:8000/b", meta=meta))  # same site: fine
    feed = dict(meta, kind="feed")
    guard._check_offsite(Request("http://feeds.example/x", meta=feed))  # feeds may move


def test_embedded_public_ipv4_is_judged_by_what_it_embeds():
    assert forbidden_ip("64:ff9b::808:808") is None  # NAT64 of 8.8.8.8: a public site
    assert forbidden_ip("2002:808:808::1") is None  # 6to4 of 8.8.8.8
    assert "6to4 of 127.0.0.1" in forbidden_ip("2002:7f00:1::")
    assert "Teredo of 127.0.0.1" in forbidden_ip("2001:0:7f00:1::")


def test_names_resolving_to_embedded_or_odd_forms_refused():
    stub = resolver({"six.example": ["2002:7f00:1::"], "nat.example": ["64:ff9b::a00:1"],
                     "empty.example": []})
    assert "6to4" in check_url("http://six.example/", stub)
    assert "private" in check_url("http://nat.example/", stub)
    assert "no address" in check_url("http://empty.example/", stub)


@pytest.mark.parametrize("errno", [socket.EAI_AGAIN, socket.EAI_FAIL, socket.EAI_NONAME])
def test_a_failed_lookup_is_refused(errno):
    def failing(host: str) -> list[str]:
        raise socket.gaierror(errno, "temporary failure")
    with pytest.raises(Refused, match="lookup failed"):
        checked_addresses("news.example", failing)


def test_real_lookups_of_loopback_names_refused():
    # Real getaddrinfo, names that resolve on every machine to loopback only.
    with pytest.raises(Refused, match="loopback"):
        checked_addresses("127.1")  # inet_aton's short form
    with pytest.raises(Refused, match="loopback"):
        checked_addresses("2130706433")
    with pytest.raises(Refused, match="loopback"):
        checked_addresses("localhost")

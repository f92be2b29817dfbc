"""The private-network guard's decision for addresses no test may send a packet to."""

from __future__ import annotations

import socket

import pytest
from scrapy import Request

from crawler.middlewares import OffsiteRedirect, PrivateNetworkGuard
from crawler.netguard import check_url
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
    # Unresolvable names are left to the downloader (a DNS error, counted as error).
    assert check_url("http://nxdomain.example/", stub) is None


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

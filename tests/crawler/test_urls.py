"""Canonical URLs and the private-network guard's decisions."""

import pytest

from archive.urls import canonical_url
from crawler.netguard import check_url, forbidden_ip


@pytest.mark.parametrize(
    ("raw", "canon"),
    [
        ("https://shafaq.com/ar/x?utm_source=rss&utm_medium=feed", "https://shafaq.com/ar/x"),
        ("https://shafaq.com/ar/x?fbclid=abc#comments", "https://shafaq.com/ar/x"),
        ("HTTPS://WWW.Aljazeera.NET:443/news/2024/5/12/x", "https://www.aljazeera.net/news/2024/5/12/x"),
        ("http://127.0.0.1:8080/a?id=5&gclid=1", "http://127.0.0.1:8080/a?id=5"),
        ("https://www.alsumaria.tv/news/أمن/123",
         "https://www.alsumaria.tv/news/%D8%A3%D9%85%D9%86/123"),
        ("https://www.alsumaria.tv/news/%D8%A3%D9%85%D9%86/123",
         "https://www.alsumaria.tv/news/%D8%A3%D9%85%D9%86/123"),
        ("https://x.example", "https://x.example/"),
    ],
)
def test_canonical_url(raw, canon):
    assert canonical_url(raw) == canon


def test_canonical_keeps_meaningful_query():
    assert canonical_url("https://ina.iq/ar/?p=123&utm_campaign=x") == "https://ina.iq/ar/?p=123"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.0.0.5", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
     "::1", "fc00::1", "fe80::1", "::ffff:10.0.0.1", "0.0.0.0", "100.64.0.1", "224.0.0.1"],
)
def test_forbidden_ranges(address):
    assert forbidden_ip(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "151.101.1.69", "2a00:1450:4001::1"])
def test_public_addresses_allowed(address):
    assert forbidden_ip(address) is None


def test_check_url_uses_resolver_without_connecting():
    resolved = {"news.example": ["93.184.216.34"], "intranet.example": ["10.0.0.7"],
                "rebind.example": ["93.184.216.34", "192.168.0.2"]}
    assert check_url("https://news.example/a", resolved.__getitem__) is None
    assert "private" in check_url("https://intranet.example/a", resolved.__getitem__)
    assert "192.168.0.2" in check_url("https://rebind.example/", resolved.__getitem__)
    assert "loopback" in check_url("http://127.0.0.1:8000/", resolved.__getitem__)
    assert "loopback" in check_url("http://localhost/", resolved.__getitem__)
    assert "scheme" in check_url("file:///etc/passwd", resolved.__getitem__)
    assert "link-local" in check_url("http://169.254.169.254/latest/", resolved.__getitem__)

"""url_key(): every variant of one article page folds to one key; different pages stay apart."""

import pytest

from archive.urls import canonical_url, url_key


@pytest.mark.parametrize(
    ("variants"),
    [
        # Al Jazeera: AMP prefix, http/https, www, trailing slash, tracking.
        ["https://www.aljazeera.net/news/2024/5/12/%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82",
         "https://www.aljazeera.net/amp/news/2024/5/12/العراق",
         "http://aljazeera.net/news/2024/5/12/العراق/?utm_source=twitter",
         "https://www.aljazeera.net/news/2024/5/12/%d8%a7%d9%84%d8%b9%d8%b1%d8%a7%d9%82#comments"],
        # BBC Arabic: .amp suffix.
        ["https://www.bbc.com/arabic/articles/c4ngz7vx2lqo",
         "https://www.bbc.com/arabic/articles/c4ngz7vx2lqo.amp",
         "https://bbc.com/arabic/articles/c4ngz7vx2lqo?at_medium=RSS&at_campaign=rss"],
        # Al Arabiya: /amp/ segment, mobile host.
        ["https://www.alarabiya.net/arab-and-world/iraq/2024/05/12/slug",
         "https://www.alarabiya.net/amp/arab-and-world/iraq/2024/05/12/slug",
         "https://m.alarabiya.net/arab-and-world/iraq/2024/05/12/slug/"],
        # Sky News Arabia: ?outputType=amp, Arabic slug raw and encoded.
        ["https://www.skynewsarabia.com/middle-east/1712345-العراق-داعش",
         "https://www.skynewsarabia.com/middle-east/1712345-%D8%A7%D9%84%D8%B9%D8%B1%D8%A7%D9%82"
         "-%D8%AF%D8%A7%D8%B9%D8%B4?outputType=amp"],
        # Asharq Al-Awsat / Independent Arabia: node URLs, ?amp, index pages, default port.
        ["https://aawsat.com/node/4991234", "https://aawsat.com:443/node/4991234?amp=1",
         "https://aawsat.com/amp/node/4991234"],
        ["https://www.independentarabia.com/node/567890/الأخبار/العالم-العربي",
         "https://www.independentarabia.com/node/567890/الأخبار/العالم-العربي/index.html"],
        # Alsumaria (mobile host), Shafaq (Arabic path), Rudaw (numeric id).
        ["https://www.alsumaria.tv/news/security/485123/slug",
         "https://m.alsumaria.tv/news/security/485123/slug/",
         "http://www.alsumaria.tv:80/news/security/485123/slug/index.php"],
        ["https://shafaq.com/ar/أمن/مقتل-ثلاثة",
         "https://shafaq.com/ar/%D8%A3%D9%85%D9%86/%D9%85%D9%82%D8%AA%D9%84-%D8%AB%D9%84%D8%A7%D8%AB%D8%A9/"],
        ["https://www.rudawarabia.net/arabic/kurdistan/120520241",
         "https://rudawarabia.net/arabic/kurdistan/120520241/amp"],
    ],
)
def test_variants_share_a_key(variants):
    keys = {url_key(v) for v in variants}
    assert len(keys) == 1, keys
    key = keys.pop()
    assert "://" not in key and not key.endswith("/")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("https://aawsat.com/node/4991234", "https://aawsat.com/node/4991235"),
        ("https://ina.iq/ar/?p=123", "https://ina.iq/ar/?p=124"),  # the query names the page
        ("https://www.alsumaria.tv/news/a", "https://www.alsumaria.tv/News/a"),  # paths keep case
        ("https://shafaq.com/ar/x", "https://shafaq.com/en/x"),
        ("http://127.0.0.1:8001/a", "http://127.0.0.1:8002/a"),  # fixture outlets differ by port
        ("https://www.bbc.com/arabic/articles/amplify", "https://www.bbc.com/arabic/articles"),
    ],
)
def test_different_pages_keep_different_keys(a, b):
    assert url_key(a) != url_key(b)


def test_key_ignores_query_order_and_keeps_stored_url_form():
    assert url_key("https://ina.iq/ar/?b=2&a=1") == url_key("https://ina.iq/ar/?a=1&b=2")
    # The stored URL is the outlet's own form (trailing slash kept); only the key is folded.
    assert canonical_url("https://x.example/2020/05/03/a/") == "https://x.example/2020/05/03/a/"
    assert url_key("https://www.x.example/2020/05/03/a/") == "x.example/2020/05/03/a"

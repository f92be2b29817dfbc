"""NewsSpider.seed_requests / mark_seeds: the seeds start() sends and `arshif enqueue` queues."""

from crawler.spiders.news import NewsSpider
from crawler.spiders.news_redis import NewsRedisSpider
from pipelines.sources import Source

SITE = "http://127.0.0.1:8001"


def test_seed_requests_of_a_source_in_order():
    source = Source(name="s", title="S", homepage=f"{SITE}/",
                    sitemaps=(f"{SITE}/robots.txt", f"{SITE}/sitemap.xml"),
                    sections=(f"{SITE}/security",))
    reqs = list(NewsRedisSpider().seed_requests(source))
    assert [(r.meta["kind"], r.url) for r in reqs] == [
        ("sitemap", f"{SITE}/sitemap.xml"), ("robots", f"{SITE}/robots.txt"),
        ("homepage", f"{SITE}/"), ("section", f"{SITE}/security"),
    ]
    assert reqs[0].meta["depth"] == 0 and reqs[2].meta["as_section"] is False
    assert all(r.meta["source"] == "s" and r.dont_filter for r in reqs)


def test_homepage_is_read_only_without_feeds_and_is_a_section_alone():
    feeds = Source(name="f", title="F", homepage=f"{SITE}/", feeds=(f"{SITE}/feed",))
    assert [r.meta["kind"] for r in NewsSpider().seed_requests(feeds)] == ["feed"]
    bare = Source(name="b", title="B", homepage=f"{SITE}/")
    reqs = list(NewsSpider().seed_requests(bare))
    assert [r.meta["kind"] for r in reqs] == ["robots", "homepage"]
    assert reqs[1].meta["as_section"] is True


def test_mark_seeds_covers_every_discovery_page():
    source = Source(name="b", title="B", homepage=f"{SITE}/", sections=(f"{SITE}/news",))
    spider = NewsSpider()
    spider.mark_seeds(source)
    assert spider.seen == {f"{SITE}/", f"{SITE}/news", f"{SITE}/robots.txt"}

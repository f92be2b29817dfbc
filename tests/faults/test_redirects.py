"""Redirect loops, long chains, off-site and private-address redirects, file:// targets."""

from __future__ import annotations


def test_redirect_loop_counted_not_lost(hostile):
    # Scrapy's duplicate filter drops the looping request silently; crawler/redirects.py counts it.
    assert hostile.site.paths().count("/f/redirect-loop") == 1
    assert hostile.dropped_line(hostile.site.url("/f/redirect-loop"), "redirect loop")
    assert hostile.detail("error", "redirect loop", "/f/redirect-loop") == 1


def test_redirect_chain_longer_than_max_given_up(hostile):
    hops = [p for p in hostile.site.paths() if p.startswith("/f/redirect-chain/")]
    # 9 → 8 → 7 → 6 → 5 → 4: REDIRECT_MAX_TIMES (5) redirects followed, then given up.
    assert [p for p in hops if int(p.rsplit("/", 1)[1]) >= 4] == [
        f"/f/redirect-chain/{n}" for n in range(9, 3, -1)]
    assert hostile.dropped_line(hostile.site.url("/f/redirect-chain/4"),
                                "max redirections reached")
    assert hostile.details["error: IgnoreRequest: max redirections reached"] == 1


def test_short_redirect_chain_stored_under_final_url(hostile):
    assert hostile.article("/f/redirect-chain/0") is not None
    assert hostile.article("/f/redirect-chain/3") is None


def test_offsite_redirect_dropped_unfetched(hostile):
    assert hostile.site.other_hits == []  # the other site never saw a request
    target = hostile.site.other_base + "/story/1"
    assert hostile.dropped_line(hostile.site.url("/f/offsite"), "redirect off")
    assert hostile.dropped_line(target, "offsite_redirect")
    assert hostile.details[f"offsite_redirect: {target}"] == 1
    assert hostile.article(target) is None and hostile.article("/f/offsite") is None


def test_article_redirect_to_other_loopback_address_dropped(hostile):
    target = hostile.site.base.replace("127.0.0.1", "127.0.0.2") + "/good/7"
    assert hostile.details[f"offsite_redirect: {target}"] == 1
    assert hostile.article(target) is None


def test_feed_redirect_to_private_address_refused_despite_allowing_source(hostile):
    # allow_private_network covers the source's own host (127.0.0.1:PORT), not 127.0.0.2.
    assert hostile.logged(r"Refused http://127\.0\.0\.2:\d+/feed\.xml: 127\.0\.0\.2 .*loopback")
    assert hostile.dropped["forbidden_address"] == 1
    assert hostile.detail("forbidden_address", "127.0.0.2", "loopback") == 1


def test_redirect_to_file_url_not_followed(hostile):
    # Scrapy follows http(s) redirects only: the 302 itself reaches the errback.
    line = hostile.dropped_line(hostile.site.url("/f/to-file"), "http_error (HTTP 302)")
    assert "passwd" not in line
    assert hostile.details["http_error: HTTP 302"] == 1
    rows = hostile.article("/f/to-file")
    assert rows is None

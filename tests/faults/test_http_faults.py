"""Dead, slow, broken and unwilling servers: each fault is counted and the crawl goes on."""

from __future__ import annotations

import pytest

from tests.faults.conftest import PEAK_RSS_LIMIT_MB, assert_consistent

GOOD = ["/good/0", "/good/1", "/good/2"]


def test_crawl_goes_on_and_archive_stays_consistent(hostile):
    assert hostile.run.returncode == 0, hostile.run.stderr[-3000:]
    assert hostile.row["status"] == "finished"
    for path in GOOD:
        row = hostile.article(path)
        assert row is not None and "داعش" in row["text"], path
    assert_consistent(hostile.db)
    assert "Not finished" not in hostile.run.stderr


def test_memory_stays_bounded(hostile):
    # 50 MB pages, a 256 MB gzip bomb and a 100,000-URL sitemap in the same crawl.
    assert hostile.run.peak_rss_mb < PEAK_RSS_LIMIT_MB, hostile.run.peak_rss_mb


def test_connection_refused(hostile):
    url = f"http://127.0.0.1:{hostile.site.refused_port}/f/refused"
    assert "ConnectionRefused" in hostile.dropped_line(url, "error")
    assert hostile.detail("error", "ConnectionRefusedError") == 1
    assert hostile.article(url) is None


def test_reset_mid_body(hostile):
    assert "ResponseDataLossError" in hostile.dropped_line(hostile.site.url("/f/reset"), "error")
    assert hostile.detail("error", "ResponseDataLossError") == 1
    assert len(hostile.site.hit_times("/f/reset")) == 3  # tried, then retried twice


@pytest.mark.parametrize("path", ["/f/hang", "/f/trickle"])
def test_never_answers_and_trickle_time_out(hostile, path):
    url = hostile.site.url(path)
    assert "DownloadTimeoutError" in hostile.dropped_line(url, "error")
    assert hostile.detail("error", "DownloadTimeoutError", url) == 1
    assert len(hostile.site.hit_times(path)) == 3
    assert hostile.article(path) is None


@pytest.mark.parametrize("status", [500, 502])
def test_server_errors_retried_with_backoff_then_given_up(hostile, status):
    path = f"/f/{status}"
    times = hostile.site.hit_times(path)
    assert len(times) == 3
    # ARSHIF_RETRY_BACKOFF=0.2 doubling: 0.2 s, then 0.4 s (minus a little clock slack).
    assert times[1] - times[0] >= 0.15 and times[2] - times[1] >= 0.35
    assert f"HTTP {status}" in hostile.dropped_line(hostile.site.url(path), "http_error")
    assert hostile.details[f"http_error: HTTP {status}"] == 1
    assert hostile.logged(rf"HTTP {status} for .*{path}: retrying in")


def test_503_retry_after_is_honoured_then_given_up(hostile):
    times = hostile.site.hit_times("/f/503-retry-after")
    assert len(times) == 3
    assert all(b - a >= 0.9 for a, b in zip(times, times[1:], strict=False))  # Retry-After: 1
    assert hostile.dropped_line(hostile.site.url("/f/503-retry-after"), "http_error (HTTP 503)")
    assert hostile.logged(r"Gave up retrying .*/f/503-retry-after")


def test_429_retry_after_then_stored(hostile):
    times = hostile.site.hit_times("/f/429-then-ok")
    assert len(times) == 2 and times[1] - times[0] >= 0.9
    assert hostile.article("/f/429-then-ok") is not None


def test_retry_after_beyond_cap_gives_up_at_once(hostile):
    assert len(hostile.site.hit_times("/f/503-retry-after-too-long")) == 1
    assert hostile.logged(r"Not retrying .*503-retry-after-too-long: .*Retry-After 3600 s")
    url = hostile.site.url("/f/503-retry-after-too-long")
    assert hostile.dropped_line(url, "http_error (HTTP 503)")
    assert hostile.details["http_error: HTTP 503"] == 2  # this one and /f/503-retry-after


def test_403_not_retried(hostile):
    assert len(hostile.site.hit_times("/f/403")) == 1
    assert hostile.dropped_line(hostile.site.url("/f/403"), "http_error (HTTP 403)")
    assert hostile.details["http_error: HTTP 403"] == 1


def test_50mb_page_with_content_length_cancelled_before_download(hostile):
    url = hostile.site.url("/f/big")
    line = hostile.dropped_line(url, "error")
    assert "larger than download max size" in line
    assert hostile.article("/f/big") is None


def test_50mb_page_without_length_cut_at_maxsize(hostile):
    url = hostile.site.url("/f/big-stream")
    assert hostile.dropped_line(url, "error (DownloadCancelledError")
    assert hostile.logged(r"larger than download max size \(16777216\).*/f/big-stream")
    assert hostile.article("/f/big-stream") is None


def test_gzip_bomb_stopped_at_maxsize_while_inflating(hostile):
    line = hostile.dropped_line(hostile.site.url("/f/gzip-bomb"), "error")
    assert "exceeded DOWNLOAD_MAXSIZE" in line and "decompress" in line
    assert hostile.detail("error", "gzip-bomb", "DOWNLOAD_MAXSIZE") == 1

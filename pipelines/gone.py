"""The signal for article pages that now answer 404/410 (sent by the spider, stored as gone_at).

Who writes what: the article rows (articles, versions, gone_at) have one writer, so a page's
record never depends on which process fetched it. In a one-process crawl that writer is the
store stage (pipelines/store_stage.py, archive.versions.mark_gone); with --redis it is the
`arshif writer` process, to which crawler/redis_items.py forwards this signal. The spider only
sends the signal, and so works unchanged in both modes. The crawl's own memory (dropped_urls,
article_http validators, aliases, feed_state) is written by every crawler process directly
(crawler/incremental_mw.py, crawler/incremental.py): it steers what that process fetches next,
and a lost row costs at most one extra fetch.
"""

page_gone = object()  # kwargs: urls (list of canonical URLs the page was known by), status

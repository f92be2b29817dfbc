"""The signal for article pages that now answer 404/410 (sent by the spider, stored as gone_at).

The spider's errback cannot reach the database and must not write it; the store stage, which
owns the connection, listens for this signal and calls archive.versions.mark_gone.
"""

page_gone = object()  # kwargs: urls (list of canonical URLs the page was known by), status

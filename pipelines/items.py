"""The one item that flows from the spider through every pipeline stage."""

from __future__ import annotations

import scrapy


class PageItem(scrapy.Item):
    """A fetched candidate article page; pipelines fill in the extracted fields."""

    # Set by the spider.
    source = scrapy.Field()  # source slug from sources.yaml
    url = scrapy.Field()  # canonical URL (the extract stage may replace it with rel=canonical)
    requested_url = scrapy.Field()  # the URL as discovered, before canonicalisation
    final_url = scrapy.Field()  # response.url after redirects
    status = scrapy.Field()  # HTTP status
    content_type = scrapy.Field()  # Content-Type header, raw
    body = scrapy.Field()  # raw response bytes (never Scrapy's decoded text)
    fetched_at = scrapy.Field()  # ISO 8601 UTC
    hints = scrapy.Field()  # dict: via, feed_title, feed_date, sitemap_date, sitemap_title

    # Set by pipelines/extract.py.
    title = scrapy.Field()
    author = scrapy.Field()
    published = scrapy.Field()  # ISO 8601, Baghdad time (+03:00) unless the page gave a zone
    date_source = scrapy.Field()  # jsonld | meta | feed | sitemap | htmldate | text
    date_tz = scrapy.Field()  # the zone the source gave ("+00:00"), None when Baghdad was assumed
    description = scrapy.Field()
    site_name = scrapy.Field()
    categories = scrapy.Field()  # list[str]
    tags = scrapy.Field()  # list[str]
    image = scrapy.Field()
    text = scrapy.Field()  # clean plain text, paragraphs separated by blank lines
    word_count = scrapy.Field()
    content_sha256 = scrapy.Field()
    encoding = scrapy.Field()  # codec used to decode the body
    encoding_source = scrapy.Field()  # http_header | meta | detected | repaired
    html_lang = scrapy.Field()  # the page's own lang attribute (may lie)

    # Set by pipelines/language.py.
    language = scrapy.Field()
    language_score = scrapy.Field()

    # Set by pipelines/analysis.py in a worker process: results the later stages reuse.
    precomputed = scrapy.Field()

    # Set by pipelines/topics.py.
    topics = scrapy.Field()  # list[dict]: {topic, score, terms}
    topic_matches = scrapy.Field()  # list[dict]: {topic, version, score, terms: {term: count}}

    # Set by crawler/capture.py: the WARC response record holding this page's payload.
    warc_file = scrapy.Field()  # basename in the WARC directory (warc/ beside the database)
    warc_offset = scrapy.Field()  # byte offset of the record's gzip member
    warc_length = scrapy.Field()  # compressed length of that member
    warc_digest = scrapy.Field()  # WARC-Payload-Digest, sha1:BASE32

"""Scrapy settings for Arshif; our own keys carry the ARSHIF_ prefix, with defaults here."""

from scrapy.settings import default_settings as _scrapy_defaults

BOT_NAME = "arshif"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"
COMMANDS_MODULE = "crawler.commands"  # `scrapy crawl` with arshif crawl's exit codes

# --- Arshif's own settings (the CLI maps its options onto these) ---------------------------
ARSHIF_DB = "data/arshif.db"  # the archive; warc/ and locks sit beside it
ARSHIF_SOURCES = ""  # path of sources.yaml; empty = crawler/sources.yaml (set by the spider)
ARSHIF_SOURCE_NAMES: list[str] = []  # crawl only these sources; empty = all
ARSHIF_MIN_WORDS = 40  # an article needs at least this many words of body text
ARSHIF_LANGUAGES = ["ar"]  # languages kept by the language stage
ARSHIF_LANGUAGE_SAMPLE = 1000  # characters of body text given to langdetect (cost grows fast)
ARSHIF_WORKERS = -1  # extraction/language/topic processes; -1 = cores − 1 (≥ 1), 0 = inline
ARSHIF_MAX_LINKS_PER_SECTION = 300  # links followed from one section page
ARSHIF_MAX_FEED_ITEMS = 5000  # entries read from one feed or sitemap
ARSHIF_MAX_SITEMAP_DEPTH = 3  # sitemap index → index → urlset
ARSHIF_RUN_ID = ""  # names the crawl_runs rows and WARC files; empty = new (set by the spider)
ARSHIF_RUN_FLUSH_SECONDS = 30  # how often crawl_runs rows are updated during a run
ARSHIF_USER_AGENT_CONTACT = "https://github.com/arshif/arshif"
ARSHIF_TOPICS = ""  # path of topics.yaml; empty = pipelines/topics.yaml
ARSHIF_ALL_TOPICS = False  # keep (and tag) articles that match no topic instead of dropping them
ARSHIF_WARC_ENABLED = True  # capture every response in WARC files (crawler/capture.py)
ARSHIF_WARC_DIR = ""  # empty = warc/ beside ARSHIF_DB
ARSHIF_WARC_MAX_BYTES = 1024**3  # a WARC file is closed and the next begun past this size
ARSHIF_WARC_GZIP_LEVEL = 1  # zlib level of each record (1 fastest … 9 smallest); archive/warc.py
ARSHIF_REVISIT = False  # also re-fetch stored article URLs (versions, gone pages)
# Incremental crawling (crawler/incremental.py; the CLI sets FORCE/SINCE/BACKFILL/UNTIL).
ARSHIF_SKIP_KNOWN = True  # stored/aliased URLs are not requested again
ARSHIF_REVISIT_AGES = "1d,7d"  # conditional re-fetch of an article at these ages; "0" = never
ARSHIF_RECHECK_DROPPED_DAYS = 30  # pages dropped as not_article/not_arabic wait this long
ARSHIF_FORCE = False  # fetch every seed, due or not
ARSHIF_SINCE = ""  # skip feed/sitemap items dated before this (ISO date)
ARSHIF_BACKFILL = False  # walk sitemap indexes newest to oldest down to ARSHIF_UNTIL
ARSHIF_UNTIL = ""
ARSHIF_FEED_MIN_INTERVAL = 5 * 60  # adaptive seed interval bounds, seconds
ARSHIF_FEED_MAX_INTERVAL = 24 * 3600
ARSHIF_CLUSTERS = True  # near-duplicate story clusters (pipelines/cluster_stage.py)
ARSHIF_CLUSTER_BACKFILL = 5000  # stored articles without a signature clustered per run
ARSHIF_CLUSTER_WINDOW_DAYS = 30  # compare stories published this close (0: whole archive)
ARSHIF_PROGRESS = ""  # "1" forces the progress lines on stderr, "0" off; empty = on a TTY
ARSHIF_PROGRESS_SECONDS = 10
# Distributed mode (crawler/distributed.py; `arshif crawl --redis URL` sets ARSHIF_REDIS_URL).
ARSHIF_REDIS_URL = ""  # empty = one process, no Redis
ARSHIF_REDIS_PREFIX = "arshif"  # every Redis key starts with it
ARSHIF_REDIS_IDLE_SECONDS = 60  # a crawler closes after this long with nothing to do anywhere
ARSHIF_REDIS_HEARTBEAT_SECONDS = 5  # how often a crawler says it is alive
ARSHIF_REDIS_DEAD_SECONDS = 30  # silent this long = dead: its in-flight requests are re-queued
ARSHIF_REDIS_DUPE_DAYS = 3  # a URL is requested at most once per this many days (bounded sets)

# --- Politeness --------------------------------------------------------------------------
USER_AGENT = f"Arshif/0.1 (+{ARSHIF_USER_AGENT_CONTACT}; Arabic news archive)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
# Scrapy starts CONCURRENT_ITEMS asyncio tasks for *every* callback's output (default 100); an
# article callback yields one item, so 8 keep sitemaps' long outputs flowing at a twelfth of the
# event-loop work per page (bench/README.md: ≈ 100 tasks a page before).
CONCURRENT_ITEMS = 8
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
COOKIES_ENABLED = False  # news pages need no session; cookies would only leak into the archive
TELNETCONSOLE_ENABLED = False
# Scrapy ≥ 2.19's RemoteControl runs Python sent to a local HTTP port (aiohttp, per-request
# hooks): a scheduled archive crawler needs no such door, and it costs start-up and CPU.
REMOTE_CONTROL_ENABLED = False
# A development aid that, for bound-method callbacks, re-reads and parses the callback's source
# on every response (its cache is keyed by the short-lived bound method): ~1% of the crawl's
# main-process CPU. Our callbacks return nothing from generators; ruff/tests cover them.
WARN_ON_GENERATOR_RETURN_VALUE = False

# Slow or dead outlets must not stall a run: fail fast, retry a little, then count the error.
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 15
# The connection goes to the address the private-network guard checked (crawler/resolver.py).
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"
if not hasattr(_scrapy_defaults, "TWISTED_DNS_RESOLVER"):  # Scrapy before the rename (#7361)
    DNS_RESOLVER = TWISTED_DNS_RESOLVER
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# crawler/retry.py: a retried 5xx/429 waits for its Retry-After, or this backoff (doubling);
# a Retry-After longer than the cap gives up at once rather than stall the run.
ARSHIF_RETRY_BACKOFF = 2.0
ARSHIF_RETRY_AFTER_MAX = 60.0
REDIRECT_MAX_TIMES = 5
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # real article pages weigh 50–300 KB
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Error responses reach the spider's errback as HttpError, where they are counted.
HTTPERROR_ALLOW_ALL = False

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.PrivateNetworkGuard": 50,
    # Scrapy's RetryMiddleware ignores Retry-After; ours waits for it (crawler/retry.py).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.retry.RetryAfterMiddleware": 550,
    # After robots.txt (100): the spider reads Sitemap: lines from the copy it fetched.
    "crawler.robots.RobotsTxtReuse": 110,
    # After robots.txt (100): counts requests really sent, adds If-None-Match/-Modified-Since.
    "crawler.incremental_mw.ConditionalGetMiddleware": 120,
    # Around the redirect (600) and decompression (590) middlewares: see crawler/capture.py.
    "crawler.capture.WarcWireTap": 610,
    "crawler.capture.WarcCapture": 585,
}
SPIDER_MIDDLEWARES = {
    "crawler.incremental_mw.DiscoveryYieldMiddleware": 650,
    "crawler.capture.WarcItemStamp": 600,
}

ITEM_PIPELINES = {
    "pipelines.extract_stage.ExtractPipeline": 100,
    "pipelines.language.LanguagePipeline": 200,
    "pipelines.topics.TopicPipeline": 300,
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.store_stage.StorePipeline": 900,
    "pipelines.cluster_stage.ClusterPipeline": 950,
}
EXTENSIONS = {
    "crawler.redirects.RedirectDrops": 500,  # redirect loops the dupefilter would hide
    "crawler.progress.Progress": 500,
    "crawler.run_record.RunRecord": 500,  # crawl_runs rows: drops, errors, status, flushes
    "crawler.diskfull.DiskFullLog": 500,  # a full disk is one line, not a traceback per write
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
# `scrapy crawl news -O FILE` exports the article as stored (archive/store.py ARTICLE_FIELDS, less
# the day/month it derives): not the raw body (bytes) nor the stages' working fields.
FEED_EXPORT_FIELDS = [
    "url", "source", "title", "author", "published", "date_source", "date_tz", "description",
    "text", "word_count", "language", "language_score", "topics", "topic_matches", "site_name",
    "categories", "tags", "image", "fetched_at", "final_url", "content_sha256", "encoding",
    "encoding_source", "warc_file", "warc_offset", "warc_length", "warc_digest",
]
FEED_EXPORTERS = {"csv": "crawler.export.ArticleCsvItemExporter"}  # lists as JSON, not repr
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.ArshifLogFormatter"

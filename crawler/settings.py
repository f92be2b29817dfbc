"""Scrapy settings for Arshif; our own keys carry the ARSHIF_ prefix, with defaults here."""

BOT_NAME = "arshif"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- Arshif's own settings (the CLI maps its options onto these) ---------------------------
ARSHIF_DB = "data/arshif.db"  # the archive; warc/ and locks sit beside it
ARSHIF_SOURCES = ""  # path of sources.yaml; empty = crawler/sources.yaml
ARSHIF_SOURCE_NAMES: list[str] = []  # crawl only these sources; empty = all
ARSHIF_MIN_WORDS = 40  # an article needs at least this many words of body text
ARSHIF_LANGUAGES = ["ar"]  # languages kept by the language stage
ARSHIF_LANGUAGE_SAMPLE = 2000  # characters of body text given to langdetect
ARSHIF_MAX_LINKS_PER_SECTION = 300  # links followed from one section page
ARSHIF_MAX_FEED_ITEMS = 5000  # entries read from one feed or sitemap
ARSHIF_MAX_SITEMAP_DEPTH = 3  # sitemap index → index → urlset
ARSHIF_RUN_FLUSH_SECONDS = 30  # how often crawl_runs rows are updated during a run
ARSHIF_USER_AGENT_CONTACT = "https://github.com/arshif/arshif"
ARSHIF_WARC_ENABLED = True  # capture every response in WARC files (crawler/capture.py)
ARSHIF_WARC_DIR = ""  # empty = warc/ beside ARSHIF_DB
ARSHIF_WARC_MAX_BYTES = 1024**3  # a WARC file is closed and the next begun past this size
ARSHIF_REVISIT = False  # also re-fetch stored article URLs (versions, gone pages)

# --- Politeness --------------------------------------------------------------------------
USER_AGENT = f"Arshif/0.1 (+{ARSHIF_USER_AGENT_CONTACT}; Arabic news archive)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
COOKIES_ENABLED = False  # news pages need no session; cookies would only leak into the archive
TELNETCONSOLE_ENABLED = False

# Slow or dead outlets must not stall a run: fail fast, retry a little, then count the error.
DOWNLOAD_TIMEOUT = 30
DNS_TIMEOUT = 15
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
REDIRECT_MAX_TIMES = 5
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024  # real article pages weigh 50–300 KB
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024

# Error responses reach the spider's errback as HttpError, where they are counted.
HTTPERROR_ALLOW_ALL = False

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.PrivateNetworkGuard": 50,
    # Around the redirect (600) and decompression (590) middlewares: see crawler/capture.py.
    "crawler.capture.WarcWireTap": 610,
    "crawler.capture.WarcCapture": 585,
}
SPIDER_MIDDLEWARES = {
    "crawler.capture.WarcItemStamp": 600,
}

ITEM_PIPELINES = {
    "pipelines.extract.ExtractPipeline": 100,
    "pipelines.language.LanguagePipeline": 200,
    "pipelines.dedupe.DedupePipeline": 400,
    "pipelines.store.StorePipeline": 900,
}

REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOG_FORMATTER = "crawler.logformatter.ArshifLogFormatter"

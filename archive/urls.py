"""Canonical article URLs: one article, one key, however it was linked."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

from w3lib.url import safe_url_string

# Query parameters that only say where a click came from.
TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "igshid",
    "mc_cid", "mc_eid", "_ga", "_gl", "ocid", "cmpid", "ito", "at_medium", "at_campaign",
    "at_custom1", "at_custom2", "at_custom3", "at_custom4", "ns_source", "ns_mchannel",
    "ns_campaign", "ns_linkname", "ns_fee", "xtor", "ref_src", "ref", "share", "spm",
    "amp_js_v", "usqp", "outputType",
}
TRACKING_PREFIXES = ("utm_", "at_", "mtm_", "pk_", "hsa_")


def is_tracking(param: str) -> bool:
    """True for a query parameter that identifies a campaign, not a page."""
    low = param.lower()
    return low in TRACKING_PARAMS or low.startswith(TRACKING_PREFIXES)


# A crawl canonicalises each URL about five times (discovery, dupe filter, capture, extract,
# store) within seconds: a bounded cache saves ~0.5 ms of CPU a page and stays a few MB.
@lru_cache(maxsize=16_384)
def canonical_url(url: str) -> str:
    """Normalise a URL: percent-encoding, host case, default port, tracking params, fragment."""
    url = safe_url_string(url.strip(), encoding="utf-8")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = [(k, v) for k, v in pairs if not is_tracking(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))


# --- url_key: the aggressive folding used to recognise a known article ---------------------
# canonical_url() keeps the URL an outlet wrote (it is what `articles.url` stores); url_key()
# folds every variant of one page (AMP, mobile host, http/https, index.html, trailing slash,
# percent-encoding) into one lookup key that is never fetched, only compared.

HOST_PREFIXES = ("www.", "m.", "amp.", "mobile.")
AMP_PARAMS = {"amp", "_amp", "outputtype", "amp_js_v", "usqp", "amp_gsa", "amp_device"}
INDEX_PAGES = {"index.html", "index.htm", "index.php", "index.asp", "index.aspx", "default.aspx"}


def _fold_path(path: str) -> str:
    # Percent-decoding makes /news/أمن, /news/%D8%A3… and /news/%d8%a3… one key.
    segments = [s for s in unquote(path).split("/") if s]
    if segments and segments[-1].lower() in INDEX_PAGES:
        segments.pop()
    # /amp/news/x, /news/x/amp, /news/x.amp (BBC) and /news/x.amp.html are the same page.
    segments = [s for s in segments if s.lower() != "amp"]
    if segments:
        last = segments[-1]
        for suffix in (".amp.html", ".amp"):
            if last.lower().endswith(suffix) and len(last) > len(suffix):
                segments[-1] = last[: -len(suffix)]
                break
    return "/".join(segments)


@lru_cache(maxsize=16_384)
def url_key(url: str) -> str:
    """A scheme-less key shared by every variant of one page: 'host[:port]/path[?query]'."""
    parts = urlsplit(canonical_url(url))
    host = parts.netloc
    for prefix in HOST_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix):]
            break
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in AMP_PARAMS
    )
    key = host + "/" + _fold_path(parts.path)
    key = key.rstrip("/")
    return key + ("?" + urlencode(query) if query else "")

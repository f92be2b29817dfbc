"""Canonical article URLs: one article, one key, however it was linked."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


def canonical_url(url: str) -> str:
    """Normalise a URL: percent-encoding, host case, default port, tracking params, fragment."""
    url = safe_url_string(url.strip(), encoding="utf-8")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query, doseq=True), ""))

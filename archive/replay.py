"""An article's archived copy, read back from its WARC record and made safe to display.

The captured page is shown as received, decoded with the encoding the archive chose. Only two
things are taken out, because no sandbox stops them from reaching elsewhere on their own:
`<base href>` (which would point every relative link at the live site) and
`<meta http-equiv=refresh>` (which would navigate the frame away). Scripts, forms, frames and
remote resources stay in the markup and are stopped by REPLAY_HEADERS (CSP sandbox).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.warc import open_record

# Sent with the captured document. `sandbox` without allow-scripts/allow-same-origin: no script
# runs and the document has an opaque origin (it cannot read the archive's pages). Nothing is
# fetched: default-src 'none' covers scripts, styles, fonts, frames, fetch/XHR; images only as
# data: URLs (a capture has no images of its own). base-uri and form-action do not fall back to
# default-src, so they are named.
REPLAY_CSP = ("sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
              "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
REPLAY_HEADERS = {
    "Content-Security-Policy": REPLAY_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Resource-Policy": "same-origin",
}

# A start tag as the HTML tokenizer sees it: a quoted attribute value may contain ">".
_ATTRS = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
_BASE = re.compile(rf"<base(?=[\s/>]){_ATTRS}>", re.I)
_META = re.compile(rf"<meta(?=[\s/>]){_ATTRS}>", re.I)
_REFRESH = re.compile(r"""http-equiv\s*=\s*["']?\s*refresh\b""", re.I)


class CaptureUnavailable(Exception):
    """The article's capture cannot be shown; the message says why (Arabic · English)."""


@dataclass(frozen=True)
class CaptureView:
    """One article's WARC response record: where it is, what it says, and its page text."""

    file: str
    offset: int
    length: int | None
    record_id: str
    warc_date: str
    target_uri: str
    payload_digest: str | None
    status_line: str
    status: int
    content_type: str | None
    body: bytes
    encoding: str
    encoding_known: bool  # False when the archive's encoding was missing or unknown to Python

    @property
    def text(self) -> str:
        """The body decoded with the archive's encoding (undecodable bytes replaced)."""
        return self.body.decode(self.encoding, errors="replace")


def codec_for(name: object) -> str | None:
    """Python's codec for an encoding label, or None when there is none."""
    if not isinstance(name, str) or not name.strip():
        return None
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        return None


def _record_file(directory: Path, name: object) -> Path:
    # warc_file is a basename written by the crawler; anything else is not followed.
    if not isinstance(name, str) or not name or Path(name).name != name or name.startswith("."):
        raise CaptureUnavailable(f"لا سجل WARC صالحا لهذا المقال · bad WARC file name {name!r}")
    return directory / name


def load_capture(article: dict[str, Any], directory: Path | None) -> CaptureView:
    """The response record the article row names (warc_file, warc_offset), read from directory."""
    if article.get("warc_file") is None or article.get("warc_offset") is None:
        raise CaptureUnavailable(
            "لم يُحفظ لهذا المقال سجل WARC · this article has no WARC capture recorded")
    if directory is None or not directory.is_dir():
        raise CaptureUnavailable(
            "ملفات WARC غير منشورة مع قاعدة البيانات هذه (لقطة بحثية بلا WARC) · "
            "the WARC files are not served with this database (a snapshot has none)")
    path = _record_file(directory, article["warc_file"])
    if not path.is_file():
        raise CaptureUnavailable(
            f"ملف WARC غير موجود · WARC file missing: {path.name}")
    try:
        with open_record(path, int(article["warc_offset"])) as rec:
            if rec.rec_type != "response" or rec.http_headers is None:
                raise CaptureUnavailable(
                    f"السجل ليس استجابة · {path.name}:{article['warc_offset']} is a "
                    f"{rec.rec_type} record, not a response")
            head, http = rec.rec_headers, rec.http_headers
            body = rec.content_stream().read()
    except CaptureUnavailable:
        raise
    except Exception as exc:  # truncated gzip, garbage at the offset: a damaged capture
        raise CaptureUnavailable(
            f"سجل WARC تالف · damaged WARC record {path.name}:{article['warc_offset']} "
            f"({type(exc).__name__})") from None
    codec = codec_for(article.get("encoding"))
    return CaptureView(
        file=path.name, offset=int(article["warc_offset"]), length=article.get("warc_length"),
        record_id=head.get_header("WARC-Record-ID") or "",
        warc_date=head.get_header("WARC-Date") or "",
        target_uri=head.get_header("WARC-Target-URI") or "",
        payload_digest=head.get_header("WARC-Payload-Digest"),
        status_line=f"{http.protocol} {http.statusline}".strip(),
        status=int(http.get_statuscode() or 0), content_type=http.get_header("Content-Type"),
        body=body, encoding=codec or "utf-8", encoding_known=codec is not None,
    )


def neutralise(html: str) -> str:
    """The page without <base> and <meta http-equiv=refresh>; everything else as captured."""
    html = _BASE.sub("", html)
    return _META.sub(lambda m: "" if _REFRESH.search(m.group()) else m.group(), html)


def replay_document(view: CaptureView) -> bytes:
    """The captured page for the sandboxed frame, re-encoded as UTF-8 (served with charset)."""
    text = neutralise(view.text.lstrip("\ufeff"))
    return text.encode("utf-8", errors="replace")

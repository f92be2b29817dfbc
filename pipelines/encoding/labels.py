"""Declared charsets: byte-order marks, the HTTP Content-Type charset and <meta>/XML labels.

Labels are mapped to Python codec names the way browsers read them (WHATWG Encoding Standard).
Whether a declared charset is *believed* is decided elsewhere (``detect.plausible``).
"""

from __future__ import annotations

import codecs
import re

# Scan this much of the body for <meta charset>; browsers use 1024 bytes, real pages put
# long <script>/<link> blocks first, so look a little further.
_META_SCAN_BYTES = 4096

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # must precede UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels Python does not know, or knows differently from browsers (WHATWG Encoding Standard:
# latin-1 and ascii labels mean windows-1252).
_LABEL_ALIASES: dict[str, str] = {
    "x-cp1256": "cp1256",
    "cp-1256": "cp1256",
    "win-1256": "cp1256",
    "iso-8859-6-i": "iso8859-6",
    "iso-8859-6-e": "iso8859-6",
    "iso_8859-6:1987": "iso8859-6",
    "iso-ir-127": "iso8859-6",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252",
    "iso88591": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "x-user-defined": "cp1252",
    "unicode-1-1-utf-8": "utf-8",
    "utf8": "utf-8",
}
_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_META_CHARSET_RE = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I | re.S
)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)

def normalise_label(label: str | bytes | None) -> str | None:
    """Map a charset label to a Python codec name, or None if unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", errors="ignore")
    key = label.strip().strip("\"'").lower()
    if not key:
        return None
    key = _LABEL_ALIASES.get(key, key)
    try:
        name = codecs.lookup(key).name
    except LookupError:
        return None
    return _LABEL_ALIASES.get(name, name)


def header_charset(content_type: str | bytes | None) -> str | None:
    """Return the Python codec named by a Content-Type header's charset, or None."""
    if not content_type:
        return None
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1", errors="replace")
    m = _HEADER_CHARSET_RE.search(content_type)
    return normalise_label(m.group(1)) if m else None


def meta_charset(body: bytes) -> str | None:
    """Return the codec declared by <meta charset>, http-equiv or an XML declaration."""
    if not body:
        return None
    head = body[:_META_SCAN_BYTES]
    m = _XML_DECL_RE.search(head) or _META_CHARSET_RE.search(head)
    if not m:
        return None
    name = normalise_label(m.group(1))
    # WHATWG: a UTF-16 label in <meta> means UTF-8 (the parser could not have read it otherwise).
    if name and name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name

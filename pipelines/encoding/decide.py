"""The decode decision: BOM, a believable HTTP or <meta> charset, detection, mojibake repair.

The common path (valid UTF-8, honest label) costs one strict decode plus a regex scan;
charset_normalizer only runs when nothing else works.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.encoding.detect import detect, plausible, utf8_mostly
from pipelines.encoding.labels import BOMS, header_charset, meta_charset
from pipelines.encoding.mojibake import repair_mojibake


@dataclass(frozen=True)
class Decoded:
    """Decoded page text with the codec used and where the decision came from."""

    text: str
    encoding: str  # python codec name used, e.g. "utf-8", "cp1256", "iso8859-6"
    how: str  # "http_header" | "meta" | "detected" | "repaired"


def _decode(body: bytes, content_type: str | bytes | None) -> Decoded:
    for bom, codec in BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(codec, errors="replace"), codec, "detected")

    header = header_charset(content_type)
    if header:
        text = plausible(body, header)
        if text is not None:
            return Decoded(text, header, "http_header")
        if header == "utf-8" and utf8_mostly(body):
            # The label is right; the page just has a few broken bytes.
            return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "http_header")

    meta = meta_charset(body)
    if meta and meta != header:
        text = plausible(body, meta)
        if text is not None:
            return Decoded(text, meta, "meta")
        if meta == "utf-8" and utf8_mostly(body):
            return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "meta")

    text, codec = detect(body)
    return Decoded(text, codec, "detected")


def decode_html(body: bytes, content_type: str | bytes | None = None) -> Decoded:
    """Decode page bytes to text, trusting labels only when the bytes agree; never raises."""
    if not body:
        return Decoded("", "utf-8", "detected")
    if not isinstance(body, bytes | bytearray | memoryview):
        body = str(body).encode("utf-8", errors="replace")
    body = bytes(body)
    try:
        decoded = _decode(body, content_type)
    except Exception:  # noqa: BLE001 - a crawl must survive any byte soup
        return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "detected")
    try:
        repaired = repair_mojibake(decoded.text)
    except Exception:  # noqa: BLE001
        repaired = None
    if repaired is not None:
        return Decoded(repaired, decoded.encoding, "repaired")
    return decoded

"""Decode raw page bytes into text, getting Arabic single-byte code pages and mojibake right.

Order of evidence: byte-order mark, HTTP Content-Type charset, <meta>/XML declaration charset
(``labels``), then detection (``detect``); a declared charset is only trusted when the bytes
agree. Mojibake left in the decoded text is repaired (``mojibake``). ``decide`` holds the order.
"""

from __future__ import annotations

from pipelines.encoding.decide import Decoded, decode_html
from pipelines.encoding.labels import header_charset, meta_charset

__all__ = ["Decoded", "decode_html", "header_charset", "meta_charset"]

"""Repairing mojibake: Arabic UTF-8 or cp1256 text that was decoded as cp1252/latin-1.

Only runs of characters that map back to single bytes are re-decoded, and only when that
clearly yields more Arabic letters, so real French or Latin text is left alone.
"""

from __future__ import annotations

import re

from pipelines.encoding.detect import NON_ASCII_RE, arabic_count

# UTF-8 Arabic (lead bytes D8-DB) read as cp1252/latin-1: Ø Ù Ú Û followed by a character
# that a continuation byte 0x80-0xBF becomes in cp1252 (or latin-1 for cp1252's holes).
_CP1252_HIGH = "".join(
    bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0)
)
_UTF8_MOJIBAKE_RE = re.compile("[\u00d8\u00d9\u00da\u00db][" + re.escape(_CP1252_HIGH) + "]")
# cp1256 Arabic text read as latin-1: runs of Latin-1 letters from the 0xC0-0xFF block.
_CP1256_MOJIBAKE_RE = re.compile(r"[\u00c0-\u00ff]{3,}")
# Runs of characters that map back to one cp1252/latin-1 byte each (candidates for repair).
_BYTE_RUN_RE = re.compile("[\x00-\u00ff" + re.escape(_CP1252_HIGH) + "]+")
_MOJIBAKE_MARKERS = "\u00d8\u00d9\u00c7\u00e1"  # Ø Ù Ç á

_CP1252_ENCODE: dict[str, int] = {}
for _b in range(256):
    _ch = bytes([_b]).decode("cp1252", errors="ignore") or chr(_b)
    _CP1252_ENCODE[_ch] = _b
for _b in range(256):  # latin-1 fallbacks for cp1252's undefined bytes and C1 controls
    _CP1252_ENCODE.setdefault(chr(_b), _b)


def _to_bytes_cp1252ish(run: str) -> bytes:
    """Undo a cp1252 (or latin-1 for cp1252's holes) decode of a run of characters."""
    return bytes(_CP1252_ENCODE[ch] for ch in run)


def _repair_run(run: str) -> str:
    """Re-decode one run of byte-like characters as UTF-8 or cp1256 if that yields Arabic."""
    raw = _to_bytes_cp1252ish(run)
    before = arabic_count(run)
    candidates: list[str] = []
    if _UTF8_MOJIBAKE_RE.search(run):
        # surrogateescape keeps bytes that are not UTF-8 (a real "é" beside mojibake) as is.
        mixed = raw.decode("utf-8", errors="surrogateescape")
        candidates.append(
            re.sub(
                "[\udc80-\udcff]",
                lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", errors="replace"),
                mixed,
            )
        )
    if _CP1256_MOJIBAKE_RE.search(run):
        candidates.append(raw.decode("cp1256", errors="replace"))
    best = run
    best_arabic = before
    for cand in candidates:
        arabic = arabic_count(cand)
        # Only a clear gain counts: French "été" read as cp1256 stays "été".
        if arabic > best_arabic + 2 and arabic >= 0.5 * len(NON_ASCII_RE.findall(cand)):
            best, best_arabic = cand, arabic
    return best


def repair_mojibake(text: str) -> str | None:
    """Return text with Arabic mojibake runs repaired, or None if nothing was repaired."""
    # Common path, kept to a few C-speed substring scans: UTF-8 Arabic mojibake always has
    # Ø or Ù (lead bytes D8/D9), cp1256 mojibake Ç or á (ا and ل, in nearly every word).
    if not any(ch in text for ch in _MOJIBAKE_MARKERS):
        return None
    if not (_UTF8_MOJIBAKE_RE.search(text) or _CP1256_MOJIBAKE_RE.search(text)):
        return None
    repaired = _BYTE_RUN_RE.sub(lambda m: _repair_run(m.group()), text)
    if repaired == text or arabic_count(repaired) < arabic_count(text) + 3:
        return None
    return repaired

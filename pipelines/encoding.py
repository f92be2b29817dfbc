"""Decode raw page bytes into text, getting Arabic single-byte code pages and mojibake right.

Order of evidence: byte-order mark, HTTP Content-Type charset, <meta>/XML declaration charset,
then detection. A declared charset is only trusted when the bytes decode with it strictly and
the result is plausible, because Arabic sites often declare the wrong one. The common path
(valid UTF-8, honest label) costs one strict decode plus a regex scan; charset_normalizer only
runs when nothing else works.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

__all__ = ["Decoded", "decode_html", "header_charset", "meta_charset"]


@dataclass(frozen=True)
class Decoded:
    """Decoded page text with the codec used and where the decision came from."""

    text: str
    encoding: str  # python codec name used, e.g. "utf-8", "cp1256", "iso8859-6"
    how: str  # "http_header" | "meta" | "detected" | "repaired"


# Scan this much of the body for <meta charset>; browsers use 1024 bytes, real pages put
# long <script>/<link> blocks first, so look a little further.
_META_SCAN_BYTES = 4096
# Statistics for plausibility checks use a bounded prefix so huge pages stay cheap.
_SAMPLE_BYTES = 65536
_HIGH_BYTES = bytes(range(0x80, 0x100))

_BOMS: tuple[tuple[bytes, str], ...] = (
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

_LATIN_CODECS = frozenset({"cp1252", "iso8859-1", "ascii", "iso8859-15", "latin-1"})
_UTF_CODECS = frozenset(
    {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
)

_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)
_META_CHARSET_RE = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I | re.S
)
_XML_DECL_RE = re.compile(rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9_.:\-]+)""", re.I)

# Arabic-script letters (not digits, punctuation or diacritics).
_ARABIC_LETTER_RE = re.compile(
    r"[\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc]"
)
# Characters that should not appear in text: C0 controls except whitespace, C1 controls,
# replacement characters.
_ODD_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")
# Latin-1 letters and signs a single-byte Arabic page decoded with the wrong Arabic code page
# turns into (cp1256 keeps à ç è é … at the Latin-1 positions).
_LATIN_IN_ARABIC_RE = re.compile(r"[\u00c0-\u00ff]")
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# An Arabic letter glued to a Latin letter ("tى") is what Latin text read as Arabic looks like.
_MIXED_WORD_RE = re.compile(r"[A-Za-z][\u0600-\u06ff]|[\u0600-\u06ff][A-Za-z]")

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


def _normalise_label(label: str | bytes | None) -> str | None:
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
    return _normalise_label(m.group(1)) if m else None


def meta_charset(body: bytes) -> str | None:
    """Return the codec declared by <meta charset>, http-equiv or an XML declaration."""
    if not body:
        return None
    head = body[:_META_SCAN_BYTES]
    m = _XML_DECL_RE.search(head) or _META_CHARSET_RE.search(head)
    if not m:
        return None
    name = _normalise_label(m.group(1))
    # WHATWG: a UTF-16 label in <meta> means UTF-8 (the parser could not have read it otherwise).
    if name and name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def _arabic_count(text: str) -> int:
    return len(_ARABIC_LETTER_RE.findall(text))


def _single_byte_score(body: bytes, codec: str) -> tuple[int, int, str]:
    """Return (score, Arabic letters, text) for an Arabic single-byte code page guess."""
    text = body.decode(codec, errors="replace")
    arabic = _arabic_count(text)
    # Undefined bytes, controls and stray Latin-1 letters are what the wrong code page yields.
    odd = (
        len(_ODD_RE.findall(text))
        + len(_LATIN_IN_ARABIC_RE.findall(text))
        + len(_MIXED_WORD_RE.findall(text))
    )
    return arabic - 3 * odd, arabic, text


def _guess_arabic_single_byte(body: bytes) -> str | None:
    """Pick cp1256 or ISO-8859-6 when the bytes read as mostly Arabic in one of them."""
    sample = body[:_SAMPLE_BYTES]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))  # C-speed count
    if not high:
        return None
    best: tuple[int, str] | None = None
    for codec in ("cp1256", "iso8859-6"):
        score, arabic, _ = _single_byte_score(sample, codec)
        # Require most high bytes to be Arabic letters, else it is some other language.
        if arabic >= 0.6 * high and score > 0 and (best is None or score > best[0]):
            best = (score, codec)
    return best[1] if best else None


def _utf8_mostly(body: bytes) -> bool:
    """True when bytes are UTF-8 with only a sprinkle of invalid sequences."""
    sample = body[:_SAMPLE_BYTES]
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(_NON_ASCII_RE.findall(text))
    # A truncated multibyte char at the sample boundary costs one or two replacements.
    return non_ascii > 0 and bad <= max(2, 0.01 * non_ascii)


def _has_multibyte_utf8(body: bytes) -> bool:
    """True when bytes are strictly valid UTF-8 and contain non-ASCII sequences."""
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _plausible(body: bytes, codec: str) -> str | None:
    """Decode with a declared codec if it is believable; return the text, else None."""
    try:
        text = body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    if codec in _UTF_CODECS:
        return text
    # Valid multibyte UTF-8 is vanishingly unlikely from any single-byte Arabic or Latin text,
    # so a single-byte label on such bytes is a lie.
    if _has_multibyte_utf8(body):
        return None
    sample = text[:_SAMPLE_BYTES]
    non_ascii = len(_NON_ASCII_RE.findall(sample))
    if non_ascii and len(_ODD_RE.findall(sample)) > 0.3 * non_ascii:
        return None
    if codec in _LATIN_CODECS and non_ascii and _guess_arabic_single_byte(body):
        # Old Arabic sites serve cp1256 with a default latin-1 label.
        return None
    if codec in ("cp1256", "iso8859-6"):
        guess = _guess_arabic_single_byte(body)
        if guess and guess != codec:
            return None
    return text


def _detect(body: bytes) -> Decoded:
    """Decode bytes with no believable label."""
    try:
        return Decoded(body.decode("utf-8"), "utf-8", "detected")
    except UnicodeDecodeError:
        pass
    if _utf8_mostly(body):
        return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "detected")
    guess = _guess_arabic_single_byte(body)
    if guess:
        return Decoded(body.decode(guess, errors="replace"), guess, "detected")
    try:
        # Imported lazily: the last resort is slow and rarely needed.
        from charset_normalizer import from_bytes

        best = from_bytes(body[:_SAMPLE_BYTES]).best()
        if best is not None and best.encoding:
            codec = _normalise_label(best.encoding) or "utf-8"
            return Decoded(body.decode(codec, errors="replace"), codec, "detected")
    except Exception:  # noqa: BLE001 - detection must never break the crawl
        pass
    return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "detected")


def _to_bytes_cp1252ish(run: str) -> bytes:
    """Undo a cp1252 (or latin-1 for cp1252's holes) decode of a run of characters."""
    return bytes(_CP1252_ENCODE[ch] for ch in run)


def _repair_run(run: str) -> str:
    """Re-decode one run of byte-like characters as UTF-8 or cp1256 if that yields Arabic."""
    raw = _to_bytes_cp1252ish(run)
    before = _arabic_count(run)
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
        arabic = _arabic_count(cand)
        # Only a clear gain counts: French "été" read as cp1256 stays "été".
        if arabic > best_arabic + 2 and arabic >= 0.5 * len(_NON_ASCII_RE.findall(cand)):
            best, best_arabic = cand, arabic
    return best


def _repair_mojibake(text: str) -> str | None:
    """Return text with Arabic mojibake runs repaired, or None if nothing was repaired."""
    # Common path, kept to a few C-speed substring scans: UTF-8 Arabic mojibake always has
    # Ø or Ù (lead bytes D8/D9), cp1256 mojibake Ç or á (ا and ل, in nearly every word).
    if not any(ch in text for ch in _MOJIBAKE_MARKERS):
        return None
    if not (_UTF8_MOJIBAKE_RE.search(text) or _CP1256_MOJIBAKE_RE.search(text)):
        return None
    repaired = _BYTE_RUN_RE.sub(lambda m: _repair_run(m.group()), text)
    if repaired == text or _arabic_count(repaired) < _arabic_count(text) + 3:
        return None
    return repaired


def _decode(body: bytes, content_type: str | bytes | None) -> Decoded:
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return Decoded(body[len(bom) :].decode(codec, errors="replace"), codec, "detected")

    header = header_charset(content_type)
    if header:
        text = _plausible(body, header)
        if text is not None:
            return Decoded(text, header, "http_header")
        if header == "utf-8" and _utf8_mostly(body):
            # The label is right; the page just has a few broken bytes.
            return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "http_header")

    meta = meta_charset(body)
    if meta and meta != header:
        text = _plausible(body, meta)
        if text is not None:
            return Decoded(text, meta, "meta")
        if meta == "utf-8" and _utf8_mostly(body):
            return Decoded(body.decode("utf-8", errors="replace"), "utf-8", "meta")

    return _detect(body)


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
        repaired = _repair_mojibake(decoded.text)
    except Exception:  # noqa: BLE001
        repaired = None
    if repaired is not None:
        return Decoded(repaired, decoded.encoding, "repaired")
    return decoded

"""Telling what bytes really are: UTF-8, cp1256 or ISO-8859-6, and whether a label is believable.

Arabic sites often declare the wrong charset, so a declared one is only trusted when the bytes
decode with it strictly and the result looks like text; charset_normalizer is the last resort.
"""

from __future__ import annotations

import re

from pipelines.encoding.labels import normalise_label

# Statistics for plausibility checks use a bounded prefix so huge pages stay cheap.
SAMPLE_BYTES = 65536
_HIGH_BYTES = bytes(range(0x80, 0x100))

_LATIN_CODECS = frozenset({"cp1252", "iso8859-1", "ascii", "iso8859-15", "latin-1"})
_UTF_CODECS = frozenset(
    {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
)

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
NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# An Arabic letter glued to a Latin letter ("tى") is what Latin text read as Arabic looks like.
_MIXED_WORD_RE = re.compile(r"[A-Za-z][\u0600-\u06ff]|[\u0600-\u06ff][A-Za-z]")

def arabic_count(text: str) -> int:
    """Number of Arabic-script letters in text."""
    return len(_ARABIC_LETTER_RE.findall(text))


def _single_byte_score(body: bytes, codec: str) -> tuple[int, int, str]:
    """Return (score, Arabic letters, text) for an Arabic single-byte code page guess."""
    text = body.decode(codec, errors="replace")
    arabic = arabic_count(text)
    # Undefined bytes, controls and stray Latin-1 letters are what the wrong code page yields.
    odd = (
        len(_ODD_RE.findall(text))
        + len(_LATIN_IN_ARABIC_RE.findall(text))
        + len(_MIXED_WORD_RE.findall(text))
    )
    return arabic - 3 * odd, arabic, text


def _guess_arabic_single_byte(body: bytes) -> str | None:
    """Pick cp1256 or ISO-8859-6 when the bytes read as mostly Arabic in one of them."""
    sample = body[:SAMPLE_BYTES]
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


def utf8_mostly(body: bytes) -> bool:
    """True when bytes are UTF-8 with only a sprinkle of invalid sequences."""
    sample = body[:SAMPLE_BYTES]
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = len(NON_ASCII_RE.findall(text))
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


def plausible(body: bytes, codec: str) -> str | None:
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
    sample = text[:SAMPLE_BYTES]
    non_ascii = len(NON_ASCII_RE.findall(sample))
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


def detect(body: bytes) -> tuple[str, str]:
    """(text, codec) for bytes with no believable label."""
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if utf8_mostly(body):
        return body.decode("utf-8", errors="replace"), "utf-8"
    guess = _guess_arabic_single_byte(body)
    if guess:
        return body.decode(guess, errors="replace"), guess
    try:
        # Imported lazily: the last resort is slow and rarely needed.
        from charset_normalizer import from_bytes

        best = from_bytes(body[:SAMPLE_BYTES]).best()
        if best is not None and best.encoding:
            codec = normalise_label(best.encoding) or "utf-8"
            return body.decode(codec, errors="replace"), codec
    except Exception:  # noqa: BLE001 - detection must never break the crawl
        pass
    return body.decode("utf-8", errors="replace"), "utf-8"

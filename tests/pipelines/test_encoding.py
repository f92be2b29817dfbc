"""Tests for pipelines.encoding: decoding Arabic pages whose labels may lie."""

from __future__ import annotations

import os
import random

import pytest

from pipelines.encoding import Decoded, decode_html, header_charset, meta_charset

ARABIC = (
    "أعلنت وزارة الداخلية العراقية اليوم عن إلقاء القبض على شبكة لتهريب المخدرات في البصرة، "
    "وقال المتحدث باسم الوزارة إن التحقيقات ما زالت مستمرة مع المتهمين."
)
TITLE = "القبض على شبكة تهريب في البصرة"


def page(text: str = ARABIC, head: str = "") -> str:
    """A minimal article page around some text."""
    return (
        f"<!DOCTYPE html><html lang='ar' dir='rtl'><head>{head}<title>{TITLE}</title></head>"
        f"<body><article><h1>{TITLE}</h1><p>{text}</p></article></body></html>"
    )


def cp1252_mojibake(text: str) -> str:
    """What UTF-8 Arabic looks like after being read as cp1252 (latin-1 for cp1252's holes)."""
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode())


def test_utf8_with_header() -> None:
    d = decode_html(page().encode("utf-8"), "text/html; charset=UTF-8")
    assert d == Decoded(page(), "utf-8", "http_header")


def test_header_as_bytes() -> None:
    d = decode_html(page().encode("utf-8"), b"text/html;charset=utf-8")
    assert d.how == "http_header" and ARABIC in d.text


def test_cp1256_with_meta_charset() -> None:
    head = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    d = decode_html(page(head=head).encode("cp1256"), "text/html")
    assert (d.encoding, d.how) == ("cp1256", "meta")
    assert ARABIC in d.text and TITLE in d.text


def test_html5_meta_charset() -> None:
    d = decode_html(page(head='<meta charset="windows-1256">').encode("cp1256"))
    assert (d.encoding, d.how) == ("cp1256", "meta")
    assert ARABIC in d.text


def test_cp1256_without_any_charset_is_detected() -> None:
    d = decode_html(page().encode("cp1256"))
    assert (d.encoding, d.how) == ("cp1256", "detected")
    assert ARABIC in d.text


def test_iso8859_6_undeclared_is_detected() -> None:
    # ISO-8859-6 has no Latin-1 letters, so use text without Persian-only punctuation.
    d = decode_html(page().encode("iso8859-6"), "text/html")
    assert (d.encoding, d.how) == ("iso8859-6", "detected")
    assert ARABIC in d.text


def test_iso8859_6_labelled_cp1256_is_corrected() -> None:
    d = decode_html(page().encode("iso8859-6"), "text/html; charset=windows-1256")
    assert d.encoding == "iso8859-6" and ARABIC in d.text


def test_cp1256_bytes_labelled_utf8() -> None:
    d = decode_html(page().encode("cp1256"), "text/html; charset=utf-8")
    assert (d.encoding, d.how) == ("cp1256", "detected")
    assert ARABIC in d.text


def test_utf8_bytes_labelled_iso8859_1() -> None:
    d = decode_html(page().encode("utf-8"), "text/html; charset=ISO-8859-1")
    assert (d.encoding, d.how) == ("utf-8", "detected")
    assert ARABIC in d.text


def test_utf8_bytes_with_lying_meta() -> None:
    d = decode_html(page(head='<meta charset="iso-8859-1">').encode("utf-8"))
    assert (d.encoding, d.how) == ("utf-8", "detected")
    assert ARABIC in d.text


def test_cp1256_bytes_labelled_latin1() -> None:
    d = decode_html(page().encode("cp1256"), "text/html; charset=iso-8859-1")
    assert d.encoding == "cp1256" and ARABIC in d.text


def test_utf8_page_with_a_few_broken_bytes_keeps_label() -> None:
    body = page().encode("utf-8")
    body = body[:200] + b"\xff" + body[200:]
    d = decode_html(body, "text/html; charset=utf-8")
    assert (d.encoding, d.how) == ("utf-8", "http_header")
    assert "المتحدث" in d.text


def test_double_encoded_mojibake_is_repaired() -> None:
    garbled = cp1252_mojibake(ARABIC)
    assert garbled.startswith("Ø£Ø¹Ù„")
    d = decode_html(page(text=garbled).encode("utf-8"), "text/html; charset=utf-8")
    assert (d.encoding, d.how) == ("utf-8", "repaired")
    assert ARABIC in d.text and TITLE in d.text


def test_cp1256_read_as_latin1_is_repaired() -> None:
    garbled = "العراق".encode("cp1256").decode("latin-1")
    assert garbled == "ÇáÚÑÇÞ"
    text = f"{ARABIC.encode('cp1256').decode('latin-1')} {garbled}"
    d = decode_html(page(text=text).encode("utf-8"), "text/html; charset=utf-8")
    assert d.how == "repaired"
    assert ARABIC in d.text and "العراق" in d.text


def test_french_latin1_is_not_repaired() -> None:
    html = "<p>L'été dernier, à Bagdad, les élèves ont déjà célébré la fête.</p>"
    d = decode_html(html.encode("cp1252"), "text/html; charset=iso-8859-1")
    assert d.text == html and d.how == "http_header"
    d = decode_html(html.encode("utf-8"))
    assert d.text == html and d.how == "detected"


def test_bom_wins() -> None:
    d = decode_html(b"\xef\xbb\xbf" + page().encode("utf-8"), "text/html; charset=windows-1256")
    assert d.encoding == "utf-8" and d.text == page()
    d = decode_html(b"\xff\xfe" + page().encode("utf-16-le"))
    assert d.encoding == "utf-16-le" and d.text == page()


def test_ascii_page_is_utf8() -> None:
    assert decode_html(b"<html><p>hello</p></html>") == Decoded(
        "<html><p>hello</p></html>", "utf-8", "detected"
    )


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00" * 64,
        b"\x00\x01\x02\xff\xfe\x00",
        bytes(range(256)) * 4,
        b"\x89PNG\r\n\x1a\n" + bytes(random.Random(1).randrange(256) for _ in range(3000)),
        os.urandom(2048),
        b"\xd8",  # a lone UTF-8 lead byte
        b"<meta charset='no-such-codec'>\xe1\xe1",
        b"\xff\xfe\x00",  # truncated BOM + odd byte count
    ],
)
def test_garbage_never_raises(body: bytes) -> None:
    for ct in (None, "text/html; charset=utf-8", b"text/html; charset=bogus", "iso-8859-6"):
        d = decode_html(body, ct)
        assert isinstance(d.text, str) and d.encoding and d.how


def test_header_charset() -> None:
    assert header_charset("text/html; charset=windows-1256") == "cp1256"
    assert header_charset(b'text/html; charset="ISO-8859-6"') == "iso8859-6"
    assert header_charset("text/html; charset=UTF8") == "utf-8"
    assert header_charset("text/html; charset=iso-8859-1") == "cp1252"  # browsers do this
    assert header_charset("text/html") is None
    assert header_charset(None) is None
    assert header_charset("text/html; charset=klingon") is None


def test_meta_charset() -> None:
    assert meta_charset(b'<head><meta charset="windows-1256"></head>') == "cp1256"
    assert (
        meta_charset(b'<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=iso-8859-6">')
        == "iso8859-6"
    )
    assert meta_charset(b'<?xml version="1.0" encoding="windows-1256"?><rss/>') == "cp1256"
    assert meta_charset(b"<html><head></head></html>") is None
    late = b"<html>" + b" " * 5000 + b'<meta charset="cp1256">'
    assert meta_charset(late) is None  # only the first ~4 KB are scanned

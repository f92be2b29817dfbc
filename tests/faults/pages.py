"""The pages of the hostile site: invented Arabic articles, and the gzip bomb."""

from __future__ import annotations

import gzip
import json

MB = 1024 * 1024
LONG_TITLE_CHARS = 100_000
DEEP_LEVELS = 10_000
BOMB_BYTES = 256 * MB  # what the gzip bomb inflates to (it is ~250 KB on the wire)

# Sentences of invented news; articles combine them so every text differs.
SENTENCES = [
    "أعلنت قيادة العمليات المشتركة في بغداد اليوم عن انطلاق عملية أمنية واسعة في المناطق الصحراوية",
    "وقال المتحدث باسم القيادة إن القوات تمكنت من تفكيك عدد من العبوات الناسفة ومصادرة أسلحة",
    "وأضاف أن العملية جاءت بناء على معلومات استخبارية دقيقة عن تحركات عناصر تنظيم داعش",
    "وشارك في العملية طيران الجيش وقوات الحشد الشعبي وأبناء العشائر في محافظة الأنبار",
    "من جهته أكد محافظ المدينة أن الأوضاع الأمنية مستقرة وأن الحياة تسير بشكل طبيعي",
    "ودعا المواطنين إلى التعاون مع الأجهزة الأمنية والإبلاغ عن أي تحركات مشبوهة في مناطقهم",
    "وتشهد المناطق الحدودية بين العراق وسوريا نشاطا متقطعا لخلايا التنظيم خلال الأشهر الأخيرة",
    "ويرى مراقبون أن التنظيم يحاول استغلال الفراغ الأمني في المناطق الوعرة لإعادة تنظيم صفوفه",
    "كما حذر خبراء من محاولات التجنيد عبر مواقع التواصل الاجتماعي التي تستهدف الشباب",
    "وأشارت وزارة الداخلية إلى أن الأجهزة المختصة تتابع الحسابات التي تروج للفكر المتطرف",
    "وفي سياق متصل عقد مجلس المحافظة اجتماعا طارئا لمناقشة خطط إعادة الإعمار في القرى المحررة",
    "وتعهدت الحكومة المحلية بتوفير الخدمات الأساسية للعائلات العائدة إلى منازلها",
]
NUMBERS = ["الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن",
           "التاسع", "العاشر", "الحادي عشر", "الثاني عشر"]


def article_text(n: int) -> list[str]:
    """Paragraphs of the n-th invented article (60+ words, distinct for every n)."""
    k = len(SENTENCES)
    picked = [SENTENCES[(n + i * 5) % k] for i in range(6)]
    label = (f"وأكدت المصادر أن عناصر تنظيم داعش هاجموا قرية في الأنبار غرب العراق، وهذا هو "
             f"التقرير رقم {n} عن نشاط داعش في العراق {NUMBERS[n % 12]}")
    return [label + "."] + [s + "." for s in picked]


def article_html(
    n: int, title: str | None = None, published: str = "2024-03-05T10:00:00+03:00",
    paragraphs: list[str] | None = None, head_extra: str = "", charset: str = "utf-8",
    h1: str | None = None,
) -> str:
    """A small, well-formed Arabic news article page."""
    title = title if title is not None else f"عملية أمنية في الأنبار رقم {n}"
    h1 = h1 if h1 is not None else title
    paras = "\n".join(f"<p>{p}</p>" for p in (paragraphs or article_text(n)))
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle",
                     "headline": title, "datePublished": published}, ensure_ascii=False)
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="{charset}">
<title>{title}</title>
<meta property="og:type" content="article">
<meta property="article:published_time" content="{published}">
<script type="application/ld+json">{ld}</script>
{head_extra}
</head><body>
<nav><a href="/">الرئيسية</a></nav>
<article><h1>{h1}</h1>
{paras}
</article>
<footer>جميع الحقوق محفوظة</footer>
</body></html>
"""


def _gzip_bomb() -> bytes:
    """BOMB_BYTES of spaces behind an HTML start, as gzip members of 1 MB each (fast to build)."""
    one = gzip.compress(b" " * MB, compresslevel=9)
    return gzip.compress(b"<html><body><p>", compresslevel=9) + one * (BOMB_BYTES // MB)


_BOMB: list[bytes] = []


def gzip_bomb() -> bytes:
    """The gzip bomb, built on first use."""
    if not _BOMB:
        _BOMB.append(_gzip_bomb())
    return _BOMB[0]

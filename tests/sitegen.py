"""Generate a fixture outlet of N distinct Arabic article pages for crawler.demo.server.SiteServer.

Each page says it is an article (og:type article, JSON-LD NewsArticle, a published time) and
has its own 100–350-word body; all are listed in /sitemap.xml (a Google News sitemap). The
folder gets the usual site.yaml + public/ layout of crawler/demo/sites/.
"""

from __future__ import annotations

import html
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import yaml

WORDS = (
    "الحكومة البرلمان الوزارة المحافظة بغداد البصرة الموصل أربيل كركوك النجف كربلاء الأنبار "
    "ديالى صلاح الدين واسط ميسان ذي قار بابل دهوك السليمانية الاقتصاد النفط الكهرباء المياه "
    "الزراعة التعليم الصحة الطرق الجسور المستشفى المدرسة الجامعة الطلاب المعلمين الأطباء "
    "المواطنين السكان العائلات الأسواق الأسعار الرواتب الموازنة المشاريع الاستثمار الشركات "
    "العمال المزارعين المهندسين الصيف الشتاء الأمطار الجفاف نهر دجلة الفرات الحدود المطار "
    "الميناء القطار الحافلات السيارات الوقود الغاز المصفى المعمل الإنتاج التصدير الاستيراد "
    "قال أعلن أكد أوضح أشار كشف بين ذكر أفاد صرح اجتماع مؤتمر زيارة اتفاق قرار خطة تقرير "
    "دراسة لجنة مجلس رئيس وزير محافظ مدير مسؤول مصدر بيان جديد كبير واسع مهم عاجل اليوم أمس "
    "غدا الأسبوع الشهر العام المقبل الماضي الحالي خلال بعد قبل مع في على من إلى عن حول"
).split()
BAGHDAD = timezone(timedelta(hours=3))
HEAD = "<!doctype html><html lang=\"ar\" dir=\"rtl\"><head><meta charset=\"utf-8\">"


def _text(rnd: random.Random, i: int) -> tuple[str, list[str]]:
    """A distinct headline and 4–6 paragraphs (the article number makes every text unique)."""
    title = f"تقرير رقم {i}: " + " ".join(rnd.choices(WORDS, k=7))
    paras = []
    for _ in range(rnd.randint(4, 6)):
        sentences = [" ".join(rnd.choices(WORDS, k=rnd.randint(8, 14))) + "."
                     for _ in range(rnd.randint(3, 4))]
        paras.append(" ".join(sentences))
    paras[0] = f"قال مراسلنا في التقرير {i} إن " + paras[0]
    return title, paras


def _page(base: str, path: str, title: str, paras: list[str], published: str) -> str:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
          "datePublished": published, "author": {"@type": "Person", "name": "محرر واسط"},
          "mainEntityOfPage": f"{base}{path}"}
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
    return (
        f"{HEAD}<title>{html.escape(title)} - واسط نيوز</title>"
        f'<meta property="og:type" content="article">'
        f'<meta property="og:title" content="{html.escape(title)}">'
        f'<meta property="article:published_time" content="{published}">'
        f'<link rel="canonical" href="{base}{path}">'
        f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
        f'</head><body><nav><a href="{base}/">الرئيسية</a></nav><main><article>'
        f"<h1>{html.escape(title)}</h1><time datetime=\"{published}\"></time>{body}"
        f"</article></main><footer>جميع الحقوق محفوظة</footer></body></html>"
    )


def make_site(root: Path, n: int = 120, name: str = "wasit", seed: int = 7) -> list[str]:
    """Write the outlet under root/name; return the article paths."""
    rnd = random.Random(seed)
    site = root / name
    public = site / "public"
    (public / "news").mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    paths, rows = [], []
    for i in range(1, n + 1):
        path = f"/news/{i:04d}"
        when = (now - timedelta(minutes=37 * i)).astimezone(BAGHDAD).isoformat()
        title, paras = _text(rnd, i)
        (public / "news" / f"{i:04d}.html").write_text(
            _page("{base}", path, title, paras, when), "utf-8")
        paths.append(path)
        rows.append((path, title, when))
    urls = "".join(
        f"<url><loc>{{base}}{p}</loc><news:news><news:publication><news:name>واسط نيوز"
        f"</news:name><news:language>ar</news:language></news:publication>"
        f"<news:publication_date>{w}</news:publication_date><news:title>{html.escape(t)}"
        f"</news:title></news:news></url>" for p, t, w in rows)
    (public / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset '
        'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>', "utf-8")
    (public / "index.html").write_text(
        f"{HEAD}<title>واسط نيوز</title></head><body><h1>واسط نيوز</h1></body></html>", "utf-8")
    config = {"source": {"name": name, "title": "واسط نيوز", "homepage": "{base}/",
                         "feeds": [], "sitemaps": ["{base}/sitemap.xml"], "sections": [],
                         "allow_private_network": True}}
    (site / "site.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return paths

"""Regenerate the `hamrin` fixture outlet: python crawler/demo/sites/hamrin/make.py

A small outlet from Baqubah, Diyala, UTF-8, whose articles can be found only through its
sitemaps, and whose sitemaps can be found only through its robots.txt: the source lists no
feeds, sitemaps or sections; robots.txt has a `Sitemap:` line naming a gzipped sitemap index
(`/sitemap_index.xml.gz`), whose children are a gzipped Google News sitemap, an `.xml.gz`
served as plain XML with `Content-Encoding: gzip`, and a corrupt `.xml.gz` (a bad_feed).
The home page links to no article (its "latest news" box is filled by JavaScript).
The .xml files here are gzipped at serve time (site.yaml `gzip: true`), after `{base}` is
filled in; only the corrupt file is stored as gzip bytes.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

PUB = Path(__file__).resolve().parent / "public"
SITE = "حمرين برس"


def write(rel: str, data: str | bytes) -> None:
    path = PUB / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")


def shell(title: str, head: str, body: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
{head}
<link rel="stylesheet" href="{{base}}/assets/site.css">
</head>
<body>
<header class="masthead">
  <a class="logo" href="{{base}}/"><img src="{{base}}/assets/logo.png" alt="{SITE}"></a>
  <p class="tagline">أخبار ديالى وحوض حمرين</p>
</header>
<main>
{body}
</main>
<footer class="site-footer">
  <p>تابعونا: <a href="https://www.facebook.com/hamrinpress">فيسبوك</a> ·
  <a href="https://t.me/hamrinpress">تلغرام</a> · <a href="https://x.com/hamrinpress">إكس</a></p>
  <p>© ٢٠٢٤ {SITE} – جميع الحقوق محفوظة</p>
</footer>
<script src="{{base}}/assets/latest.js"></script>
</body>
</html>
"""


def article(path: str, headline: str, paras: list[str], *, jsonld_date: str | None,
            meta_date: str | None, author: str) -> None:
    url = "{base}" + path
    head = [
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{headline}">',
        f'<meta property="og:site_name" content="{SITE}">',
    ]
    if meta_date:
        head.append(f'<meta property="article:published_time" content="{meta_date}">')
    if jsonld_date:
        node = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": headline,
                "datePublished": jsonld_date, "author": {"@type": "Person", "name": author},
                "publisher": {"@type": "NewsMediaOrganization", "name": SITE}}
        head.append('<script type="application/ld+json">'
                    + json.dumps(node, ensure_ascii=False) + "</script>")
    text = "\n".join(f"  <p>{p}</p>" for p in paras)
    body = f"""<article class="story">
  <h1>{headline}</h1>
  <p class="byline">{author}</p>
{text}
</article>
<aside class="most-read"><h3>الأكثر قراءة</h3><p>أسعار الطماطم في علوة بعقوبة ترتفع مجدداً</p></aside>"""
    write(path.lstrip("/") + "index.html", shell(f"{headline} | {SITE}", "\n".join(head), body))


ARTICLES = [
    dict(
        path="/2024/03/hamrin-operation-isis-hideouts/",
        headline="عملية أمنية واسعة لتفتيش مخابئ «داعش» في سلسلة جبال حمرين",
        author="مراسل حمرين برس – ديالى",
        jsonld_date="2024-03-10T07:45:00+03:00", meta_date=None,
        news_date="2024-03-10T07:45:00+03:00",
        paras=[
            "أطلقت قيادة عمليات ديالى، فجر الأحد، عملية أمنية واسعة لتفتيش الوديان والكهوف في سلسلة جبال حمرين، بعد معلومات استخبارية عن عودة مجموعات صغيرة من عناصر تنظيم «داعش» إلى المنطقة الواقعة بين ديالى وصلاح الدين وكركوك.",
            "وقال مصدر في القيادة لحمرين برس إن قطعات من الجيش العراقي والحشد الشعبي تشارك في العملية بإسناد من طيران الجيش، وإن القوات عثرت في اليوم الأول على ثلاثة مخابئ تحتوي على مواد غذائية وعبوات ناسفة معدّة للتفجير.",
            "وأضاف المصدر أن عناصر التنظيم يستغلون وعورة التضاريس وكثافة الأحراش في الوديان لإخفاء تحركاتهم، وأن العملية ستستمر أياماً عدة حتى تمشيط آخر الممرات المؤدية إلى مطيبيجة.",
            "ويشكو سكان القرى المحاذية لحمرين منذ أشهر من هجمات ليلية متفرقة تستهدف الرعاة ونقاط الحراسة، ما دفع عائلات عديدة إلى ترك بيوتها والانتقال إلى مركز قضاء المقدادية.",
            "وطالب مختار إحدى القرى القوات الأمنية بإقامة نقاط ثابتة على أطراف الجبال بدلاً من العمليات المؤقتة، مؤكداً أن الأهالي مستعدون للتعاون مع القوات في حماية مناطقهم.",
        ],
    ),
    dict(
        path="/2024/02/diyala-villagers-return-after-clearance/",
        headline="عودة عشرات العائلات إلى قرى شمالي ديالى بعد تطهيرها من مخلفات «داعش»",
        author="قسم الأخبار",
        jsonld_date=None, meta_date=None,  # no date on the page: the news sitemap gives it
        news_date="2024-02-18T09:30:00+03:00",
        paras=[
            "عادت عشرات العائلات النازحة إلى قراها في ناحية العظيم شمالي محافظة ديالى، بعد أن أكملت فرق الجهد الهندسي رفع العبوات والمخلفات الحربية التي تركها مسلحو تنظيم «داعش» في البساتين والطرق الزراعية.",
            "وقال مسؤول محلي إن الفرق الهندسية رفعت خلال الأسابيع الماضية أكثر من مئتي عبوة ناسفة، وإن الدوائر الخدمية بدأت إعادة تأهيل شبكة الكهرباء ومحطة تصفية المياه في القرى المحررة.",
            "وأوضح أن العائلات العائدة تسلّمت منحاً مالية أولية من وزارة الهجرة، فيما تعمل منظمات إنسانية على ترميم المدارس الابتدائية قبل بدء العام الدراسي المقبل.",
            "وأشار أحد العائدين إلى أن الأهالي ما زالوا يخشون خلايا التنظيم النائمة في الوديان القريبة من حوض حمرين، داعياً إلى تعزيز الوجود الأمني في محيط القرى خلال ساعات الليل.",
            "وتقول السلطات المحلية في ديالى إن ملف النازحين سيُغلق نهائياً خلال العام الحالي إذا استمر الاستقرار الأمني في المناطق المحاذية لصلاح الدين.",
        ],
    ),
    dict(
        path="/2023/11/salahuddin-tribal-fighters-isis-cells/",
        headline="مقاتلو العشائر في صلاح الدين يتصدون لهجوم لخلايا «داعش» قرب الطوز",
        author="مراسل حمرين برس – صلاح الدين",
        jsonld_date=None, meta_date="2023-11-05T14:10:00+03:00",
        news_date=None, lastmod="2023-11-06",
        paras=[
            "تصدى مقاتلو الحشد العشائري في محافظة صلاح الدين، ليل السبت، لهجوم شنته خلية من تنظيم «داعش» على نقطة حراسة قرب قضاء طوزخورماتو، ما أسفر عن مقتل اثنين من المهاجمين وإصابة أحد المقاتلين بجروح.",
            "وقال آمر الفوج العشائري إن المهاجمين تسللوا من جهة جبال حمرين مستغلين الظلام والضباب الكثيف، واستخدموا أسلحة متوسطة وقذائف هاون قبل أن ينسحبوا باتجاه الوديان.",
            "وأضاف أن القوات الأمنية طاردت بقية أفراد الخلية وعثرت على دراجتين ناريتين وأحزمة ناسفة تركها المهاجمون في أثناء انسحابهم.",
            "ويرى خبراء أمنيون أن المنطقة الفاصلة بين صلاح الدين وديالى وكركوك ما زالت الثغرة الأخطر في العراق، بسبب تداخل مسؤوليات القوات وصعوبة مراقبة التضاريس الجبلية.",
            "ودعا شيوخ عشائر في الطوز الحكومة إلى تجهيز المقاتلين بكاميرات حرارية وطائرات مسيّرة للمراقبة، مؤكدين أن الهجمات الليلية تكررت ثلاث مرات خلال الشهر الماضي.",
        ],
    ),
]

for art in ARTICLES:
    article(art["path"], art["headline"], art["paras"], jsonld_date=art["jsonld_date"],
            meta_date=art["meta_date"], author=art["author"])

write("index.html", shell(f"{SITE} | أخبار ديالى", '<meta property="og:type" content="website">',
                          """<section class="latest"><h2>آخر الأخبار</h2>
  <div id="latest-news" data-src="{base}/api/latest"><noscript>فعّل جافاسكربت لعرض آخر الأخبار.</noscript></div>
</section>"""))

write("robots.txt", "User-agent: *\nDisallow: /admin/\nDisallow: /api/\n\n"
      "Sitemap: {base}/sitemap_index.xml.gz\n")

write("sitemap_index.xml", """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{base}/sitemaps/news-2024.xml.gz</loc><lastmod>2024-03-10T07:50:00+03:00</lastmod></sitemap>
  <sitemap><loc>{base}/sitemaps/archive-2023.xml.gz</loc><lastmod>2023-11-06</lastmod></sitemap>
  <sitemap><loc>{base}/sitemaps/archive-2022.xml.gz</loc><lastmod>2022-12-30</lastmod></sitemap>
</sitemapindex>
""")

news = "\n".join(f"""  <url>
    <loc>{{base}}{a["path"]}</loc>
    <news:news>
      <news:publication><news:name>{SITE}</news:name><news:language>ar</news:language></news:publication>
      <news:publication_date>{a["news_date"]}</news:publication_date>
      <news:title>{a["headline"]}</news:title>
    </news:news>
  </url>""" for a in ARTICLES if a["news_date"])
write("sitemaps/news-2024.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{news}
</urlset>
""")
old = "\n".join(f'  <url><loc>{{base}}{a["path"]}</loc><lastmod>{a["lastmod"]}</lastmod></url>'
                for a in ARTICLES if a.get("lastmod"))
write("sitemaps/archive-2023.xml", f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
{old}
</urlset>
""")
# A gzip header followed by damaged deflate data, as a half-failed upload leaves behind.
good = gzip.compress(b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/'
                     b'sitemap/0.9"><url><loc>/2022/12/x/</loc></url></urlset>', mtime=0)
write("sitemaps/archive-2022.xml.gz", good[:10] + b"\xff" * 24 + good[34:])

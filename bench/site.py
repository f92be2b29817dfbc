"""Generate a WordPress-like Arabic news site on disk: article pages, RSS feed, news sitemaps.

Pages are 50–100 KB like real outlets (menus, ticker, "الأكثر قراءة", comments, footer,
inline CSS/JS) around a 300–900-word body. URLs in the files use a `{base}` placeholder that
the server (and the extraction benchmark) replace with the real origin.
"""

from __future__ import annotations

import html
import json
import random
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

from bench import DATA
from bench.arabic_text import TOPICS, _person, headline, paragraphs

SITE_TITLE = "الرافدين نيوز"
BAGHDAD = timedelta(hours=3)
MENU = ("أخبار العراق", "أمن", "سياسة", "اقتصاد", "محافظات", "عربي ودولي", "رياضة", "ثقافة",
        "تقارير", "مقالات", "فيديو", "منوعات")
SITEMAP_SIZE = 1000  # URLs per news sitemap file
FEED_ITEMS = 100  # newest articles in /feed/
FORMAT_VERSION = 3  # bump when the generated markup changes


def _links(rnd: random.Random, n: int, topic: str | None = None) -> str:
    items = []
    for _ in range(n):
        pick = topic or rnd.choice(tuple(TOPICS))
        href = (f"{{base}}/{rnd.randint(2020, 2025)}/{rnd.randint(1, 12):02d}/"
                f"{rnd.randint(1, 99999)}/")
        text = html.escape(headline(rnd, pick))
        items.append(f'<li class="menu-item"><a href="{href}">{text}</a></li>')
    return "\n".join(items)


def _menu(rnd: random.Random) -> str:
    parts = []
    for i, name in enumerate(MENU):
        subs = "".join(
            f'<li class="menu-item menu-item-{i}{j}"><a href="{{base}}/category/c{i}/s{j}/">'
            f"{name} {k}</a></li>"
            for j, k in enumerate(rnd.sample(["بغداد", "البصرة", "نينوى", "أربيل", "الأنبار",
                                             "كركوك", "ديالى", "النجف", "كربلاء", "بابل"], 8))
        )
        parts.append(f'<li class="menu-item has-children"><a href="{{base}}/category/c{i}/">{name}'
                     f'</a><ul class="sub-menu">{subs}</ul></li>')
    return ('<nav id="main-nav" class="main-navigation"><ul class="menu">' + "".join(parts)
            + "</ul></nav>")


def _comments(rnd: random.Random, topic: str) -> str:
    out = []
    for i in range(rnd.randint(3, 12)):
        body = " ".join(paragraphs(rnd, topic, 20)[:1])
        out.append(
            f'<li id="comment-{i}" class="comment"><div class="comment-author vcard">'
            f'<cite class="fn">{_person(rnd)}</cite></div><div class="comment-meta">'
            f"منذ {rnd.randint(1, 23)} ساعة</div><div class=\"comment-content\"><p>{body}</p>"
            '</div><a class="comment-reply-link" href="#respond">رد</a></li>'
        )
    return ('<div id="comments" class="comments-area"><h3 class="comments-title">التعليقات</h3>'
            f'<ol class="comment-list">{"".join(out)}</ol></div>')


def _padding(rnd: random.Random, size: int) -> str:
    """Inline CSS/JS of about `size` bytes, as themes and ad scripts ship them."""
    rules, total = [], 0
    while total < size:
        rule = (f".td-block-{rnd.randint(1, 9999)} .td-module-{rnd.randint(1, 999)}"
                f"{{margin:{rnd.randint(0, 40)}px {rnd.randint(0, 40)}px;color:#"
                f"{rnd.randint(0, 0xFFFFFF):06x};font-size:{rnd.randint(10, 30)}px}}")
        rules.append(rule)
        total += len(rule)
    half = len(rules) // 2
    config = json.dumps({f"k{i}": r for i, r in enumerate(rules[half:])})
    return (f"<style id=\"td-theme-inline\">{''.join(rules[:half])}</style>"
            f"<script>var tdThemeConfig = {config};</script>")


def article_page(
    rnd: random.Random, n: int, topic: str, when: datetime, path: str
) -> tuple[str, str]:
    """One article page (HTML) and its title."""
    title = headline(rnd, topic)
    body = paragraphs(rnd, topic, rnd.randint(300, 900))
    local = when + BAGHDAD
    iso = local.strftime("%Y-%m-%dT%H:%M:%S+03:00")
    author = _person(rnd)
    desc = body[0][:180]
    jsonld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
        "datePublished": iso, "dateModified": iso, "author": {"@type": "Person", "name": author},
        "publisher": {"@type": "Organization", "name": SITE_TITLE},
        "mainEntityOfPage": "{base}" + path,
    }, ensure_ascii=False)
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    tags = "".join(f'<a href="{{base}}/tag/t{rnd.randint(1, 500)}/" rel="tag">{w}</a>'
                   for w in rnd.sample(title.split(), min(4, len(title.split()))))
    page = f"""<!DOCTYPE html>
<html dir="rtl" lang="ar">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} - {SITE_TITLE}</title>
<link rel="canonical" href="{{base}}{path}">
<meta property="og:type" content="article">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:description" content="{html.escape(desc)}">
<meta property="og:site_name" content="{SITE_TITLE}">
<meta property="og:url" content="{{base}}{path}">
<meta property="og:image" content="{{base}}/wp-content/uploads/{n}.jpg">
<meta property="article:published_time" content="{iso}">
<meta name="description" content="{html.escape(desc)}">
<link rel="alternate" type="application/rss+xml" href="{{base}}/feed/">
<link rel="stylesheet" href="{{base}}/wp-content/themes/newspaper/style.css?ver=12.6">
<link rel="stylesheet" href="{{base}}/wp-includes/css/dist/block-library/style.min.css">
<script type="application/ld+json">{jsonld}</script>
{_padding(rnd, rnd.randint(12_000, 55_000))}
</head>
<body class="post-template-default single single-post postid-{n} rtl">
<div id="page" class="site">
<header id="masthead" class="site-header"><div class="site-branding">
<a href="{{base}}/" rel="home">{SITE_TITLE}</a></div>{_menu(rnd)}
<div class="breaking-news"><span>عاجل</span><ul>{_links(rnd, 10)}</ul></div></header>
<div id="content" class="site-content"><div id="primary" class="content-area">
<main id="main" class="site-main">
<div class="breadcrumbs"><a href="{{base}}/">الرئيسية</a> »
<a href="{{base}}/category/c1/">أخبار</a></div>
<article id="post-{n}" class="post type-post status-publish">
<header class="entry-header"><h1 class="entry-title">{html.escape(title)}</h1>
<div class="entry-meta"><span class="byline">{author}</span>
<time class="entry-date published" datetime="{iso}">{local:%Y/%m/%d}</time></div></header>
<div class="share-buttons"><a href="#">فيسبوك</a><a href="#">تويتر</a><a href="#">واتساب</a></div>
<div class="entry-content">
{paras}
</div>
<footer class="entry-footer"><span class="tags-links">{tags}</span></footer>
</article>
<div class="related-posts"><h3>أخبار ذات صلة</h3><ul>{_links(rnd, 6, topic)}</ul></div>
{_comments(rnd, topic)}
</main></div>
<aside id="secondary" class="widget-area">
<section class="widget widget_most_read"><h2 class="widget-title">الأكثر قراءة</h2>
<ul>{_links(rnd, 10)}</ul></section>
<section class="widget widget_recent"><h2 class="widget-title">آخر الأخبار</h2>
<ul>{_links(rnd, 15)}</ul></section>
<section class="widget widget_ad"><div class="ad">إعلان</div></section>
</aside></div>
<footer id="colophon" class="site-footer"><ul>{_links(rnd, 12)}</ul>
<div class="site-info">جميع الحقوق محفوظة © {SITE_TITLE} {local.year}</div></footer>
</div>
<script src="{{base}}/wp-includes/js/jquery/jquery.min.js"></script>
</body></html>
"""
    return page, title


def _feed(items: list[dict]) -> str:
    entries = "".join(
        f"<item><title>{html.escape(i['title'])}</title><link>{{base}}{i['path']}</link>"
        f"<guid>{{base}}{i['path']}</guid><pubDate>{i['rfc822']}</pubDate></item>"
        for i in items
    )
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>{SITE_TITLE}</title><link>{{base}}/</link>{entries}</channel></rss>")


def _news_sitemap(items: list[dict]) -> str:
    urls = "".join(
        f"<url><loc>{{base}}{i['path']}</loc><news:news><news:publication><news:name>"
        f"{SITE_TITLE}</news:name><news:language>ar</news:language></news:publication>"
        f"<news:publication_date>{i['iso']}</news:publication_date><news:title>"
        f"{html.escape(i['title'])}</news:title></news:news></url>"
        for i in items
    )
    return ('<?xml version="1.0" encoding="UTF-8"?>'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">' + urls + "</urlset>")


def generate(pages: int, seed: int = 1) -> Path:
    """Write (or reuse) the site with `pages` articles; returns its directory."""
    root = DATA / f"site-{pages}-s{seed}-v{FORMAT_VERSION}"
    if (root / "manifest.json").is_file():
        return root
    rnd = random.Random(seed)
    (root / "articles").mkdir(parents=True, exist_ok=True)
    newest = datetime(2025, 6, 1, 12, tzinfo=UTC)
    items = []
    for n in range(1, pages + 1):
        when = newest - timedelta(minutes=17 * (pages - n) + rnd.randint(0, 16))
        topic = "security" if rnd.random() < 0.5 else rnd.choice(("politics", "economy"))
        path = f"/{when:%Y/%m/%d}/{n}/"
        page, title = article_page(rnd, n, topic, when, path)
        (root / "articles" / f"{n}.html").write_text(page, "utf-8")
        local = when + BAGHDAD
        items.append({"n": n, "path": path, "file": f"articles/{n}.html", "topic": topic,
                      "title": title, "iso": local.strftime("%Y-%m-%dT%H:%M:%S+03:00"),
                      "rfc822": format_datetime(when)})
    newest_first = items[::-1]
    (root / "feed.xml").write_text(_feed(newest_first[:FEED_ITEMS]), "utf-8")
    maps = []
    for k in range(0, pages, SITEMAP_SIZE):
        name = f"news-sitemap-{k // SITEMAP_SIZE + 1}.xml"
        (root / name).write_text(_news_sitemap(newest_first[k:k + SITEMAP_SIZE]), "utf-8")
        maps.append(name)
    index = "".join(f"<sitemap><loc>{{base}}/{m}</loc></sitemap>" for m in maps)
    (root / "sitemap_index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex '
        f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{index}</sitemapindex>', "utf-8")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /wp-admin/\n"
                                     "Sitemap: {base}/sitemap_index.xml\n", "utf-8")
    routes = {i["path"]: i["file"] for i in items}
    routes |= {"/feed/": "feed.xml", "/sitemap_index.xml": "sitemap_index.xml",
               "/robots.txt": "robots.txt"} | {f"/{m}": m for m in maps}
    manifest = {"pages": pages, "seed": seed, "routes": routes, "articles": items}
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), "utf-8")
    return root


def load_manifest(root: Path) -> dict:
    """The manifest written by generate()."""
    return json.loads((root / "manifest.json").read_text("utf-8"))

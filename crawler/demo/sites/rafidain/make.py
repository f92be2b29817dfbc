"""Regenerate the `rafidain` fixture outlet: python crawler/demo/sites/rafidain/make.py

A WordPress-like Iraqi news site (Yoast SEO, Jetpack-style mobile theme), UTF-8.
Everything under public/ is written by this script; edit here, then rerun it.
`{base}` stays literal: crawler/demo/server.py fills it in at serve time.
"""

from __future__ import annotations

import json
from pathlib import Path

PUB = Path(__file__).resolve().parent / "public"
SITE = "الرافدين نيوز"


def write(rel: str, text: str) -> None:
    path = PUB / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def ld(*nodes: dict) -> str:
    graph = {"@context": "https://schema.org", "@graph": list(nodes)}
    return (
        '<script type="application/ld+json" class="yoast-schema-graph">'
        + json.dumps(graph, ensure_ascii=False)
        + "</script>"
    )


WEBSITE = {
    "@type": "WebSite",
    "@id": "{base}/#website",
    "url": "{base}/",
    "name": SITE,
    "inLanguage": "ar",
    "publisher": {"@id": "{base}/#organization"},
}
ORG = {
    "@type": "Organization",
    "@id": "{base}/#organization",
    "name": SITE,
    "url": "{base}/",
    "logo": {"@type": "ImageObject", "url": "{base}/wp-content/themes/rafidain/img/logo.png"},
}


def crumbs(url: str, items: list[tuple[str, str]]) -> dict:
    return {
        "@type": "BreadcrumbList",
        "@id": url + "#breadcrumb",
        "itemListElement": [
            {"@type": "ListItem", "position": i + 1, "name": name, "item": link}
            for i, (name, link) in enumerate(items)
        ],
    }


HEADER = """<a class="skip-link screen-reader-text" href="#content">تخطي إلى المحتوى</a>
<header id="masthead" class="site-header">
  <div class="site-branding">
    <a href="{base}/" class="custom-logo-link" rel="home"><img src="{base}/wp-content/themes/rafidain/img/logo.png" class="custom-logo" alt="الرافدين نيوز" width="220" height="60"></a>
    <p class="site-description">أخبار العراق لحظة بلحظة</p>
  </div>
  <nav id="site-navigation" class="main-navigation" aria-label="القائمة الرئيسية">
    <button class="menu-toggle" aria-controls="primary-menu" aria-expanded="false">القائمة</button>
    <ul id="primary-menu" class="menu">
      <li class="menu-item menu-item-home"><a href="{base}/">الرئيسية</a></li>
      <li class="menu-item"><a href="{base}/category/security/">أمن</a></li>
      <li class="menu-item"><a href="{base}/category/politics/">سياسة</a></li>
      <li class="menu-item"><a href="{base}/category/economy/">اقتصاد</a></li>
      <li class="menu-item"><a href="{base}/about/">من نحن</a></li>
    </ul>
  </nav>
  <div class="header-social">
    <a href="https://www.facebook.com/rafidain.news.example" target="_blank" rel="noopener">فيسبوك</a>
    <a href="https://t.me/rafidain_news_example" target="_blank" rel="noopener">تلغرام</a>
  </div>
</header>"""

COOKIE = """<div id="cookie-notice" role="dialog" class="cookie-notice-hidden cookie-revoke-hidden cn-position-bottom" aria-label="إشعار ملفات تعريف الارتباط">
  <div class="cookie-notice-container"><span id="cn-notice-text" class="cn-text-container">يستخدم موقع الرافدين نيوز ملفات تعريف الارتباط (الكوكيز) لتحسين تجربة التصفح وقياس عدد الزيارات، وباستمرارك في التصفح فإنك توافق على ذلك.</span>
  <span id="cn-notice-buttons" class="cn-buttons-container"><a href="#" id="cn-accept-cookie" data-cookie-set="accept" class="cn-set-cookie cn-button" aria-label="موافق">موافق</a><a href="{base}/privacy-policy/" target="_blank" id="cn-more-info" class="cn-more-info cn-button">سياسة الخصوصية</a></span></div>
</div>"""


def footer(exit_url: str | None) -> str:
    exit_html = ""
    if exit_url:
        exit_html = (
            '\n  <div id="wpcom-mobile-exit" class="mobile-theme-switch">'
            f'<a href="{exit_url}?ak_action=reject_mobile" rel="nofollow">Exit mobile version</a></div>'
        )
    return f"""<footer id="colophon" class="site-footer">
  <div class="footer-widgets">
    <section class="widget widget_text"><h2 class="widget-title">عن الموقع</h2>
      <div class="textwidget"><p>الرافدين نيوز موقع إخباري عراقي مستقل يغطي الشأن الأمني والسياسي والاقتصادي في بغداد والمحافظات، ولا يتبع أي جهة حزبية.</p></div>
    </section>
    <section class="widget widget_nav_menu"><h2 class="widget-title">روابط</h2>
      <ul class="menu">
        <li><a href="{{base}}/about/">من نحن</a></li>
        <li><a href="{{base}}/privacy-policy/">سياسة الخصوصية</a></li>
        <li><a href="{{base}}/feed/">خلاصة RSS</a></li>
        <li><a href="mailto:tips@rafidain.example">راسلنا: tips@rafidain.example</a></li>
      </ul>
    </section>
  </div>
  <div class="site-info">جميع الحقوق محفوظة لموقع الرافدين نيوز © ٢٠٢٤ <span class="sep"> | </span> تصميم وتطوير فريق الرافدين التقني <a href="#masthead" class="back-to-top">↑ أعلى الصفحة</a></div>{exit_html}
</footer>"""


def page(title: str, head: str, body: str, body_class: str, exit_url: str | None = None,
         lang: str = "ar") -> str:
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="rtl">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<meta name="robots" content="index, follow, max-image-preview:large">
{head}
<link rel="stylesheet" id="rafidain-style-css" href="{{base}}/wp-content/themes/rafidain/style.css?ver=2.4.1" media="all">
<link rel="alternate" type="application/rss+xml" title="الرافدين نيوز &laquo; الخلاصة" href="{{base}}/feed/">
<link rel="https://api.w.org/" href="{{base}}/wp-json/">
<meta name="generator" content="WordPress 5.4.1">
</head>
<body class="{body_class}">
<div id="page" class="site">
{HEADER}
<div id="content" class="site-content">
{body}
</div>
{footer(exit_url)}
</div>
{COOKIE}
<script src="{{base}}/wp-includes/js/wp-embed.min.js?ver=5.4.1"></script>
</body>
</html>
"""


def sidebar(items: list[tuple[str, str]]) -> str:
    lis = "\n".join(f'      <li><a href="{u}">{t}</a></li>' for u, t in items)
    return f"""<aside id="secondary" class="widget-area" role="complementary">
  <section id="popular-posts-2" class="widget widget_popular_posts">
    <h2 class="widget-title">الأكثر قراءة</h2>
    <ul>
{lis}
    </ul>
  </section>
  <section id="newsletter-3" class="widget widget_newsletter">
    <h2 class="widget-title">النشرة البريدية</h2>
    <p>اشترك في نشرتنا اليومية ليصلك ملخص أهم أخبار العراق كل مساء.</p>
    <form class="newsletter-form"><input type="email" placeholder="بريدك الإلكتروني"><button>اشترك</button></form>
  </section>
</aside>"""


# "Most read" on ordinary posts: older posts, several with /2019/ dates in their URLs.
POPULAR = [
    ("{base}/2019/11/03/hawija-farmers-return/", "مزارعو الحويجة يعودون إلى أراضيهم بعد سنوات من النزوح"),
    ("{base}/2019/07/21/kirkuk-governor-budget/", "محافظ كركوك: حصة المحافظة من الموازنة لا تكفي لإعادة الإعمار"),
    ("{base}/2019/12/14/baghdad-protests-tahrir/", "ساحة التحرير: المحتجون يرفضون مرشحي الكتل لرئاسة الوزراء"),
    ("{base}/2020/05/03/oil-prices-salaries/", "تراجع أسعار النفط يؤخر رواتب الموظفين ويعمّق أزمة السيولة"),
]


def share(url: str, title: str) -> str:
    return f"""<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social">
  <h3 class="sd-title">شارك الخبر:</h3>
  <ul>
    <li class="share-facebook"><a rel="nofollow noopener" class="share-facebook sd-button" href="https://www.facebook.com/sharer/sharer.php?u={url}" target="_blank" title="انقر للمشاركة على فيسبوك">فيسبوك</a></li>
    <li class="share-twitter"><a rel="nofollow noopener" class="share-twitter sd-button" href="https://twitter.com/intent/tweet?url={url}&amp;text={title}" target="_blank" title="انقر للمشاركة على تويتر">تويتر</a></li>
    <li class="share-telegram"><a rel="nofollow noopener" class="share-telegram sd-button" href="https://t.me/share/url?url={url}" target="_blank">تلغرام</a></li>
    <li class="share-jetpack-whatsapp"><a rel="nofollow noopener" class="share-jetpack-whatsapp sd-button" href="https://api.whatsapp.com/send?text={url}" target="_blank">واتساب</a></li>
  </ul>
</div></div>"""


def comments(title: str, items: list[tuple[str, str]]) -> str:
    lis = []
    for n, (who, said) in enumerate(items, 1):
        lis.append(f"""    <li id="comment-{400 + n}" class="comment even thread-even depth-1">
      <article id="div-comment-{400 + n}" class="comment-body">
        <footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{who}</b> <span class="says">قال:</span></div></footer>
        <div class="comment-content"><p>{said}</p></div>
        <div class="reply"><a rel="nofollow" class="comment-reply-link" href="#comment-{400 + n}" aria-label="الرد على {who}">رد</a></div>
      </article>
    </li>""")
    body = "\n".join(lis)
    return f"""<div id="comments" class="comments-area">
  <h2 class="comments-title">{len(items)} تعليقات على &ldquo;{title}&rdquo;</h2>
  <ol class="comment-list">
{body}
  </ol>
  <div id="respond" class="comment-respond">
    <h3 id="reply-title" class="comment-reply-title">اترك تعليقاً</h3>
    <form action="{{base}}/wp-comments-post.php" method="post" id="commentform" class="comment-form">
      <p class="comment-notes">لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *</p>
      <p class="comment-form-comment"><label for="comment">التعليق</label><textarea id="comment" name="comment" cols="45" rows="8"></textarea></p>
      <p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="إرسال التعليق"></p>
    </form>
  </div>
</div>"""


def related(items: list[tuple[str, str]]) -> str:
    lis = "\n".join(f'    <li><a href="{u}" rel="bookmark">{t}</a></li>' for u, t in items)
    return f"""<aside class="related-posts">
  <h3 class="related-title">أخبار ذات صلة</h3>
  <ul>
{lis}
  </ul>
</aside>"""


def post(
    path: str,
    headline: str,
    cat: tuple[str, str],
    author: str,
    paras: list[str],
    *,
    published_ld: str | None,
    published_meta: str | None,
    shown_date: str | None,
    description: str,
    tags: list[tuple[str, str]],
    rel: list[tuple[str, str]],
    talk: list[tuple[str, str]],
    popular: list[tuple[str, str]] = POPULAR,
    post_id: int = 0,
    lang: str = "ar",
    site_title: str = SITE,
) -> None:
    url = "{base}" + path
    cat_name, cat_slug = cat
    cat_url = "{base}/category/" + cat_slug + "/"
    head = [
        f'<meta name="description" content="{description}">',
        f'<link rel="canonical" href="{url}">',
        f'<meta property="og:locale" content="{"ar_AR" if lang == "ar" else "ckb_IQ"}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{headline} - {site_title}">',
        f'<meta property="og:description" content="{description}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:site_name" content="{site_title}">',
        '<meta property="article:publisher" content="https://www.facebook.com/rafidain.news.example">',
        f'<meta property="article:section" content="{cat_name}">',
    ]
    if published_meta:
        head.append(f'<meta property="article:published_time" content="{published_meta}">')
    head.append(f'<meta property="og:image" content="{{base}}/wp-content/uploads/rafidain-{post_id}.jpg">')
    head.append('<meta name="twitter:card" content="summary_large_image">')
    if published_ld:
        article = {
            "@type": "NewsArticle",
            "@id": url + "#article",
            "isPartOf": {"@id": url},
            "author": {"@type": "Person", "name": author},
            "headline": headline,
            "datePublished": published_ld,
            "dateModified": published_ld,
            "mainEntityOfPage": {"@id": url},
            "publisher": {"@id": "{base}/#organization"},
            "articleSection": [cat_name],
            "inLanguage": lang,
        }
        webpage = {
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": f"{headline} - {site_title}",
            "isPartOf": {"@id": "{base}/#website"},
            "datePublished": published_ld,
            "breadcrumb": {"@id": url + "#breadcrumb"},
            "inLanguage": lang,
        }
        head.append(ld(article, webpage, crumbs(url, [("الرئيسية", "{base}/"), (cat_name, cat_url), (headline, url)]), WEBSITE, ORG))
    meta_line = f'<span class="byline">بقلم <span class="author vcard"><a class="url fn n" href="{{base}}/author/{post_id}/">{author}</a></span></span>'
    if shown_date:
        meta_line = (
            f'<span class="posted-on"><time class="entry-date published" datetime="{published_meta}">{shown_date}</time></span> '
            + meta_line
        )
    body_html = "\n".join(f"<p>{p}</p>" for p in paras)
    tag_html = ", ".join(f'<a href="{{base}}/tag/{s}/" rel="tag">{n}</a>' for n, s in tags)
    body = f"""<nav class="breadcrumbs" aria-label="مسار التنقل"><a href="{{base}}/">الرئيسية</a> » <a href="{cat_url}">{cat_name}</a> » <span class="breadcrumb_last">{headline}</span></nav>
<div id="primary" class="content-area">
<main id="main" class="site-main">
<article id="post-{post_id}" class="post-{post_id} post type-post status-publish format-standard has-post-thumbnail hentry category-{cat_slug}">
  <header class="entry-header">
    <span class="cat-links"><a href="{cat_url}" rel="category tag">{cat_name}</a></span>
    <h1 class="entry-title">{headline}</h1>
    <div class="entry-meta">{meta_line}</div>
  </header>
  <div class="post-thumbnail"><img src="{{base}}/wp-content/uploads/rafidain-{post_id}.jpg" alt="" width="800" height="450"></div>
  <div class="entry-content">
{body_html}
  </div>
  <footer class="entry-footer"><span class="tags-links">الوسوم: {tag_html}</span></footer>
</article>
{share(url, headline)}
{related(rel)}
{comments(headline, talk)}
</main>
</div>
{sidebar(popular)}"""
    html = page(
        f"{headline} - {site_title}",
        "\n".join(head),
        body,
        f"post-template-default single single-post postid-{post_id} single-format-standard rtl",
        exit_url=url,
        lang=lang,
    )
    write(path.lstrip("/") + "index.html", html)


# --------------------------------------------------------------------------- articles

A1 = "/2020/04/12/hamrin-attack-curfew/"
A1_T = "مقتل ثلاثة مقاتلين بهجوم لـ«داعش» على نقطة مراقبة في تلال حمرين"
post(
    A1,
    A1_T,
    ("أمن", "security"),
    "مراسل الرافدين في ديالى",
    [
        "ديالى – الرافدين نيوز",
        "قُتل ثلاثة مقاتلين وأصيب اثنان آخران، مساء السبت، بهجوم شنّه مسلحون من تنظيم «داعش» على نقطة مراقبة في سلسلة تلال حمرين شمال شرقي محافظة ديالى، في أحدث هجوم يستغل فيه التنظيم انشغال القوات الأمنية بتطبيق حظر التجوال المفروض للحد من انتشار فيروس كورونا.",
        "وقال مصدر أمني في قيادة عمليات ديالى لـ«الرافدين نيوز» إن «مجموعة مؤلفة من نحو عشرة مسلحين تسللت من الوديان الوعرة المحيطة بالتلال، وهاجمت النقطة بالأسلحة الخفيفة وقذائف الهاون، قبل أن تنسحب باتجاه المناطق المحاذية لمحافظة صلاح الدين».",
        "وأضاف المصدر، الذي طلب عدم الكشف عن اسمه لأنه غير مخوّل بالتصريح لوسائل الإعلام، أن تعزيزات عسكرية وصلت إلى المكان بعد نحو ساعة، وأن طيران الجيش نفّذ طلعات استطلاعية فوق المنطقة من دون أن يرصد تحركات جديدة للمهاجمين.",
        "ويأتي الهجوم بعد أسابيع من سحب عدد من الوحدات إلى داخل المدن لفرض الحظر الصحي وإدارة السيطرات، ما ترك بحسب مسؤولين محليين فراغاً واضحاً في المناطق الريفية والبساتين المحيطة بقضاءي المقدادية وجلولاء.",
        "وأكّـد عضو سابق في مجلس محافظة ديالى أن «التنظيم يتحرك بحرية أكبر منذ فرض الحظر، ويعتمد على مجموعات صغيرة تعرف طبيعة الأرض جيداً»، مطالباً الحكومة الاتحادية بإعادة الانتشار في حوض حمرين وتكثيف الجهد الاستخباري وتفعيل التنسيق مع قوات البيشمركة في المناطق المتنازع عليها.",
        "وتُعدّ تلال حمرين، الممتدة بين ديالى وصلاح الدين وكركوك، من أبرز المعاقل التي لجأ إليها ما تبقى من عناصر التنظيم بعد إعلان النصر العسكري عليه نهاية عام ٢٠١٧، إذ توفر كهوفها ووديانها ملاذاً يصعب الوصول إليه.",
        "وسجّلت المحافظة منذ مطلع نيسان ما لا يقل عن ١٤ هجوماً متفرقاً بين قنص وعبوات ناسفة وهجمات على نقاط مراقبة، وفق إحصاءات جمعتها «الرافدين نيوز» من مصادر أمنية ومحلية.",
    ],
    published_ld="2020-04-12T11:15:00+03:00",
    published_meta="2020-04-12T08:15:00+00:00",
    shown_date="١٢ نيسان ٢٠٢٠",
    description="قتل ثلاثة مقاتلين وأصيب اثنان بهجوم لتنظيم داعش على نقطة مراقبة في تلال حمرين بمحافظة ديالى.",
    tags=[("داعش", "daesh"), ("ديالى", "diyala"), ("حمرين", "hamrin")],
    rel=[
        ("{base}/2019/09/08/hamrin-operation-launch/", "انطلاق عملية عسكرية لتطهير تلال حمرين من بقايا التنظيم"),
        ("{base}/2020/05/18/salahuddin-cell-dismantled/", "عملية أمنية في صلاح الدين تطيح بخلية لـ«داعش» نشرت منشورات تحريضية"),
    ],
    talk=[
        ("أبو علي الديالي", "كل سنة نفس القصة، المفروض يرجعون النقاط اللي سحبوها من البساتين قبل ما يصير شي أكبر."),
        ("مريم", "الله يرحم الشهداء. بس ليش الكهرباء مقطوعة عدنا بالمقدادية من ثلاث أيام وما أحد يسأل؟"),
    ],
    post_id=18234,
)

A2 = "/2020/04/27/online-recruitment-lockdown/"
A2_T = "خلايا «تنظيم الدولة» تستغل حظر التجوال لتجنيد شبان عبر مواقع التواصل"
post(
    A2,
    A2_T,
    ("أمن", "security"),
    "زينب الجبوري",
    [
        "كركوك – الرافدين نيوز",
        "حذّر مسؤولون أمنيون وناشطون في محافظة كركوك من تصاعد نشاط حسابات مرتبطة بتنظيم الدولة الإسلامية على مواقع التواصل الاجتماعي وتطبيقات المراسلة، تستهدف شباناً عاطلين عن العمل يقضون ساعات طويلة في منازلهم بسبب حظر التجوال.",
        "وقال ضابط في مديرية استخبارات كركوك إن فرق الرصد الإلكتروني تابعت خلال الأسابيع الماضية أكثر من 40 حساباً تنشر مقاطع دعائية قديمة للتنظيم، وتعيد تدوير خطاب يصوّر الجائحة على أنها «عقاب إلهي» وفرصة لـ«العودة».",
        "وأوضح الضابط أن «أسلوب التجنيد تغيّر؛ فالتواصل يبدأ في مجموعات عامة تتحدث عن البطالة وقلة فرص العمل، ثم ينتقل إلى محادثات خاصة مشفرة تُعرض فيها مبالغ مالية صغيرة مقابل مهمات تبدو بسيطة، مثل تصوير مواقع أو نقل رسائل».",
        "من جانبها، قالت الباحثة الاجتماعية سُهى عبد الكريم إن إغلاق المدارس والجامعات ومراكز الشباب ترك فراغاً كبيراً، مضيفة أن «الشاب الذي فقد عمله اليومي بسبب الحظر يصبح أكثر عرضة للرسائل التي تَعِده بالمال أو بالانتماء».",
        "وأشارت مصادر محلية إلى اعتقال 3 شبان في قضاء الحويجة خلال الشهر الجاري بعد تتبع محادثاتهم مع أحد المجنِّدين، فيما دعت قيادة الشرطة الأهالي إلى متابعة ما يتصفحه أبناؤهم والإبلاغ عن أي حسابات مشبوهة عبر الخط الساخن 131.",
        "ويقول خبراء في شؤون الجماعات المتطرفة إن التنظيم، الذي خسر آخر معاقله في العراق عام 2017، يعوّل على الفضاء الرقمي لإبقاء حضوره بعد أن فقد القدرة على السيطرة على الأرض، وإن المنصات الكبرى ما زالت بطيئة في حذف المحتوى المنشور باللغة العربية.",
    ],
    published_ld="2020-04-27T06:40:00Z",
    published_meta="2020-04-27T06:40:00+00:00",
    shown_date="27 نيسان 2020",
    description="مسؤولون في كركوك يحذرون من حسابات مرتبطة بتنظيم الدولة تستهدف الشبان العاطلين خلال حظر التجوال.",
    tags=[("داعش", "daesh"), ("كركوك", "kirkuk"), ("تجنيد", "recruitment")],
    rel=[
        ("{base}/2019/10/02/telegram-channels-closed/", "إغلاق مئات القنوات المتطرفة على تلغرام في حملة أوروبية"),
        ("{base}/2020/04/12/hamrin-attack-curfew/", A1_T),
    ],
    talk=[
        ("حيدر كركوك", "ابني عمره ١٦ سنة وكاعد ع الموبايل من الصبح للّيل، صدگ صار لازم نراقب."),
        ("سامر", "الأهم توفير شغل للشباب، البطالة هي السبب مو بس الإنترنت. وبالمناسبة متى ترجع الدوامات؟"),
    ],
    post_id=18412,
)

A3 = "/2020/05/03/oil-prices-salaries/"
A3_T = "تراجع أسعار النفط يؤخر رواتب الموظفين ويعمّق أزمة السيولة"
post(
    A3,
    A3_T,
    ("اقتصاد", "economy"),
    "قسم الاقتصاد",
    [
        "بغداد – الرافدين نيوز",
        "أقرّت وزارة المالية بتأخر صرف رواتب موظفي عدد من الوزارات لشهر نيسان، في ظل الانخفاض الحاد لأسعار النفط الخام الذي تعتمد عليه الموازنة العامة بأكثر من تسعين في المئة من إيراداتها.",
        "وقال مسؤول في الوزارة، طلب عدم ذكر اسمه، إن «الإيرادات النفطية تراجعت إلى أقل من نصف معدلاتها المعتادة، في وقت تتزايد فيه النفقات الصحية لمواجهة جائحة كورونا، ولا توجد حتى الآن موازنة مقرّة للعام الحالي».",
        "ويرى الخبير الاقتصادي نبيل المرسومي أن الحكومة أمام خيارات صعبة، أبرزها الاقتراض الداخلي من المصارف الحكومية أو خفض المخصصات، محذراً من أن «أي تأخير طويل في الرواتب سيضرب القدرة الشرائية لملايين العائلات التي تعتمد على دخل الوظيفة العامة».",
        "وفي أسواق بغداد، يشكو أصحاب المحال التجارية من ركود غير مسبوق منذ فرض حظر التجوال الجزئي، إذ يقول صاحب محل للأقمشة في شارع النهر إن مبيعاته «انخفضت إلى الربع تقريباً»، وإن كثيراً من زبائنه من الموظفين باتوا يؤجلون مشترياتهم بانتظار الرواتب.",
        "وارتفع سعر صرف الدولار بشكل طفيف في بورصة الكفاح، فيما أكد البنك المركزي أن احتياطياته من العملة الأجنبية «ما زالت عند مستويات آمنة» وأنه مستمر في مزاد بيع العملة.",
        "ويطالب نواب بتسريع إقرار قانون للاقتراض يسمح بتمويل الرواتب للأشهر المقبلة، بينما يدعو اقتصاديون إلى إصلاحات أعمق تقلل الاعتماد على النفط وتدعم القطاعين الزراعي والصناعي.",
    ],
    published_ld="2020-05-03T13:05:00+03:00",
    published_meta="2020-05-03T10:05:00+00:00",
    shown_date="٣ أيار ٢٠٢٠",
    description="وزارة المالية تقر بتأخر صرف رواتب نيسان مع تراجع أسعار النفط وارتفاع النفقات الصحية.",
    tags=[("النفط", "oil"), ("الرواتب", "salaries")],
    rel=[
        ("{base}/2019/06/30/budget-2019-approved/", "البرلمان يقر موازنة 2019 بعد جلسة ماراثونية"),
        ("{base}/2019/12/01/dinar-exchange-rate/", "استقرار سعر صرف الدينار رغم الاحتجاجات"),
    ],
    talk=[
        ("موظف من الكرخ", "راتبي ما نزل لحد الآن والإيجار متأخر شهرين، ارحمونا."),
        ("ابن البصرة", "البصرة تطلع النفط وأهلها بلا ماء صالح للشرب، هاي هي المشكلة الحقيقية."),
    ],
    post_id=18507,
)

A4 = "/2020/05/18/salahuddin-cell-dismantled/"
A4_T = "عملية أمنية في صلاح الدين تطيح بخلية لـ«داعش» نشرت منشورات تحريضية"
post(
    A4,
    A4_T,
    ("أمن", "security"),
    "مراسل الرافدين في تكريت",
    [
        "صلاح الدين – الرافدين نيوز",
        "أعلنت قيادة شرطة محافظة صلاح الدين، الإثنين، تفكيك خلية تابعة لتنظيم «داعش» كانت تنشط في القرى المحيطة بقضاء طوزخورماتو، وتوزع منشورات ورقية تدعو السكان إلى عدم التعاون مع القوات الأمنية وتطالبهم بدفع ما تسميه «الزكاة» للتنظيم.",
        "وذكر بيان للقيادة أن قوة مشتركة من الشرطة وخلية الاستخبارات نفذت العملية «بناءً على معلومات دقيقة»، واعتقلت أربعة متهمين، وضبطت بحوزتهم هواتف محمولة تحتوي على مراسلات مع قياديين في التنظيم يُعتقد أنهم يختبئون في منطقة مطيبيجة وأطراف تلال حمرين.",
        "وبحسب البيان، فإن المنشورات التي عُثر عليها حملت تهديدات صريحة للمختارين وأعضاء المجالس البلدية، وحذّرت المزارعين من «عواقب» رفض دفع الأموال خلال موسم الحصاد، في وقت تتكرر فيه حوادث حرق حقول الحنطة والشعير في المحافظة.",
        "وقال مسؤول محلي في ناحية سليمان بيك إن الأهالي «يعيشون قلقاً حقيقياً منذ أسابيع»، مشيراً إلى أن الحظر الصحي قلّص حركة الدوريات الليلية وجعل القرى النائية أكثر انكشافاً أمام المسلحين.",
        "وأضاف أن الفلاحين يطالبون بنشر نقاط ثابتة قرب الحقول حتى انتهاء موسم الحصاد، وبتعويض من احترقت محاصيلهم، لافتاً إلى أن بعض العائلات بدأت تفكر في ترك قراها والانتقال إلى مركز القضاء.",
        "وتشير تقديرات أمنية إلى أن التنظيم بات يعتمد على شبكات صغيرة من المتعاونين لجمع الأموال ونقل الرسائل بدلاً من المواجهة المباشرة، وهو ما يجعل العمل الاستخباري ومشاركة الأهالي بالمعلومات عاملاً حاسماً في ملاحقة هذه الخلايا.",
    ],
    published_ld="2020-05-18T21:30:00Z",
    published_meta="2020-05-18T21:30:00+00:00",
    shown_date="19 أيار 2020",
    description="شرطة صلاح الدين تعلن تفكيك خلية لداعش وزعت منشورات تهدد السكان والمزارعين قرب طوزخورماتو.",
    tags=[("داعش", "daesh"), ("صلاح الدين", "salahuddin")],
    rel=[
        ("{base}/2019/05/26/crop-fires-kirkuk/", "حرائق تلتهم مئات الدونمات من الحنطة في كركوك وصلاح الدين"),
        ("{base}/2020/04/12/hamrin-attack-curfew/", A1_T),
    ],
    talk=[
        ("فلاح من الطوز", "احترگت أرض جارنا السنة الماضية وما أحد عوّضه، نتمنى هالمرة يكون الوضع غير."),
        ("علي", "أحسنت القوات الأمنية. بس نريد نعرف شنو صار بقضية تبليط الشارع العام؟"),
    ],
    post_id=18690,
)

# Sorani Kurdish article (the Kurdish-language desk): must be dropped as not_arabic.
K1 = "/2020/05/05/khanaqin-village-attack-ckb/"
post(
    K1,
    "هێرشی چەکدارانی داعش بۆ سەر گوندێک لە نزیک خانەقین",
    ("کوردی", "kurdi"),
    "بەشی کوردی",
    [
        "خانەقین – ڕافیدەین نیوز",
        "شەوی ڕابردوو چەکدارانی ڕێکخراوی داعش هێرشیان کردە سەر گوندێکی سەر بە قەزای خانەقین لە پارێزگای دیالە، و بەهۆیەوە دوو هاووڵاتی مەدەنی بریندار بوون و چەند ماڵێک زیانیان پێگەیشت.",
        "بەپێی سەرچاوە ئەمنییەکان، چەکدارەکان لە ناوچە شاخاوییەکانی حەمرینەوە هاتبوون و دوای پێکدادانێکی کورت لەگەڵ هێزە ناوخۆییەکان کشانەوە بەرەو دۆڵەکانی باشووری ناوچەکە.",
        "دانیشتووانی گوندەکە دەڵێن لە کاتی قەدەغەی هاتوچۆدا کە بەهۆی ڤایرۆسی کۆرۆناوە سەپێنراوە، هێزە ئەمنییەکان کەمتر لە دەوروبەری گوندەکان دەبینرێن و ئەمەش ترس و دڵەڕاوکێی خەڵکی زیاد کردووە.",
        "بەرپرسێکی خۆجێیی داوای لە حکومەتی عێراق و هەرێمی کوردستان کرد کە هەماهەنگی ئەمنی لە ناوچە جێناکۆکەکان بەهێز بکەن، بۆ ئەوەی ڕێگە لە گەڕانەوەی داعش و دووبارەبوونەوەی ئەم هێرشانە بگیرێت.",
    ],
    published_ld="2020-05-05T17:00:00+03:00",
    published_meta="2020-05-05T14:00:00+00:00",
    shown_date="٥ی ئایاری ٢٠٢٠",
    description="هێرشی چەکدارانی داعش بۆ سەر گوندێک لە قەزای خانەقین دوو بریندار بەجێهێشت.",
    tags=[("داعش", "daesh")],
    rel=[("{base}/2019/08/11/khanaqin-ckb/", "خانەقین: گەڕانەوەی ئاوارەکان")],
    talk=[("هاوڕێ", "خوا ئاگاداری خەڵکی گوندەکان بێت.")],
    post_id=18555,
    lang="ckb",
)

# Old post migrated from the previous CMS (/archives/NNNN/ permalinks): no JSON-LD, no meta
# date, no <time>; its only date is the dateline written in the text.
A5 = "/archives/21876/"
A5_T = "حملة تفتيش في قرى جنوب كركوك بعد رصد تحركات مريبة لعناصر التنظيم"
post(
    A5,
    A5_T,
    ("أمن", "security"),
    "مكتب كركوك",
    [
        "كركوك، الأحد ١٠ أيار ٢٠٢٠ – باشرت قوات من الجيش العراقي والشرطة الاتحادية، فجر اليوم، حملة تفتيش واسعة في عدد من القرى الواقعة جنوب غربي كركوك، بعد ورود معلومات عن تحركات مريبة لعناصر من تنظيم «داعش» في الوديان القريبة من قضاء الدبس وناحية الرشاد.",
        "وقال ضابط في قيادة عمليات كركوك إن الحملة تشمل تفتيش البساتين والمنازل المهجورة والأنفاق التي كان التنظيم يستخدمها سابقاً، مضيفاً أن «القطعات تعمل وفق خطة محكمة، وتم قطع الطرق الترابية المؤدية إلى المنطقة لمنع أي انسحاب».",
        "وأوضح الضابط أن الحملة أسفرت في ساعاتها الأولى عن العثور على مضافة تحتوي على مواد غذائية وأغطية وعبوات ناسفة غير مكتملة، فيما تم تفجير العبوات موقعياً من قبل فرق الهندسة العسكرية.",
        "وأبدى عدد من سكان القرى ارتياحهم لعودة القوات إلى المنطقة، وقال أحد المختارين إن الأهالي «كانوا يسمعون أصوات دراجات نارية في الليل منذ أسابيع، ولم يكن أحد يجرؤ على الخروج بسبب الحظر والخوف معاً».",
        "وتأتي هذه الحملة ضمن سلسلة عمليات أعلنتها قيادة العمليات المشتركة لملاحقة بقايا التنظيم في المثلث الرابط بين كركوك وصلاح الدين وديالى، بعد تزايد الهجمات الليلية على نقاط الحراسة ومنازل المختارين.",
        "ولم تعلن القيادة حتى ساعة إعداد هذا الخبر عن اعتقال أي مطلوبين، مؤكدة أن نتائج الحملة ستُعلن تباعاً بعد انتهائها.",
    ],
    published_ld=None,
    published_meta=None,
    shown_date=None,
    description="حملة تفتيش للجيش والشرطة الاتحادية في قرى جنوب غربي كركوك بعد رصد تحركات لعناصر داعش.",
    tags=[("داعش", "daesh"), ("كركوك", "kirkuk")],
    rel=[
        ("{base}/archives/20911/", "العثور على مضافة للتنظيم في وادي الشاي"),
        ("{base}/archives/21302/", "مختارو قرى الرشاد يطالبون بنقاط حراسة دائمة"),
    ],
    talk=[
        ("أم محمد", "نريد الأمان وبس، أولادنا ما يطلعون من البيت من المغرب."),
        ("كاكه رزكار", "أتمنى أن تشمل الحملة قرى ناحية الرياض أيضاً فالوضع هناك صعب."),
    ],
    popular=[
        ("{base}/archives/19904/", "مزارعو الحويجة يعودون إلى أراضيهم بعد سنوات من النزوح"),
        ("{base}/archives/20455/", "محافظ كركوك: حصة المحافظة من الموازنة لا تكفي"),
        ("{base}/archives/21102/", "ساحة التحرير: المحتجون يرفضون مرشحي الكتل"),
    ],
    post_id=21876,
)

# --------------------------------------------------------------------------- listings


def listing_item(url: str, title: str, excerpt: str, extra: str = "") -> str:
    return f"""  <article class="post type-post status-publish format-standard hentry">
    <header class="entry-header"><h2 class="entry-title"><a href="{url}" rel="bookmark">{title}</a></h2></header>
    <div class="entry-summary"><p>{excerpt}</p></div>
    <footer class="entry-footer">{extra}</footer>
  </article>"""


def archive_page(path: str, title: str, h1: str, items: str, intro: str = "",
                 pager: str = "", popular: list[tuple[str, str]] = POPULAR,
                 og_type: str = "website", ld_type: str = "CollectionPage") -> str:
    url = "{base}" + path
    head = "\n".join([
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:locale" content="ar_AR">',
        f'<meta property="og:type" content="{og_type}">',
        f'<meta property="og:title" content="{title}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:site_name" content="{SITE}">',
        ld({"@type": ld_type, "@id": url, "url": url, "name": title,
            "isPartOf": {"@id": "{base}/#website"}, "inLanguage": "ar"}, WEBSITE, ORG),
    ])
    body = f"""<div id="primary" class="content-area">
<main id="main" class="site-main">
<header class="page-header"><h1 class="page-title">{h1}</h1>{intro}</header>
{items}
{pager}
</main>
</div>
{sidebar(popular)}"""
    return page(title, head, body, "archive category rtl")


# The section the crawler starts from: every same-host <a href> here is requested once.
SECTION_ITEMS = "\n".join([
    listing_item(
        "{base}" + A1, A1_T,
        "قتل ثلاثة مقاتلين وأصيب اثنان آخران بهجوم شنه مسلحون من تنظيم داعش على نقطة مراقبة في سلسلة تلال حمرين…",
        '<a href="{base}' + A1 + '#comments">تعليقان</a> <span class="sep">|</span> '
        '<a href="{base}' + A1 + '?print=1" rel="nofollow" class="print-link">نسخة للطباعة</a>',
    ),
    listing_item(
        "{base}" + A2, A2_T,
        "حذر مسؤولون أمنيون وناشطون في كركوك من تصاعد نشاط حسابات مرتبطة بتنظيم الدولة على مواقع التواصل…",
        '<a href="{base}' + A2 + '#respond">أضف تعليقاً</a>',
    ),
    listing_item(
        "{base}" + A5, A5_T,
        "باشرت قوات من الجيش والشرطة الاتحادية حملة تفتيش واسعة في عدد من القرى الواقعة جنوب غربي كركوك…",
    ),
])
SECTION_INTRO = """<div class="archive-description">
  <p>تغطية يومية للملف الأمني في العراق: هجمات بقايا تنظيم «داعش» في كركوك وديالى وصلاح الدين وتلال حمرين، وعمليات القوات الأمنية.</p>
  <p class="section-files"><a href="{base}/wp-content/uploads/2020/05/security-report-q1-2020.pdf">تحميل التقرير الأمني الفصلي (PDF)</a> · <a href="{base}/wp-content/uploads/2020/05/attacks-map-april.jpg">خريطة الهجمات خلال نيسان</a> · <a href="{base}/2020/03/30/tarmiyah-ambush-details/">تفاصيل كمين الطارمية (ملف سابق)</a></p>
  <p class="tag-cloud">وسوم: <a href="{base}/tag/daesh/" class="tag-cloud-link">داعش</a></p>
</div>"""
SECTION_PAGER = """<nav class="navigation pagination" aria-label="المقالات">
  <div class="nav-links"><span aria-current="page" class="page-numbers current">1</span> <a class="next page-numbers" href="{base}/category/security/page/2/">الصفحة التالية ←</a></div>
</nav>"""
write(
    "category/security/index.html",
    archive_page(
        "/category/security/", "أمن - الرافدين نيوز", "التصنيف: أمن", SECTION_ITEMS,
        SECTION_INTRO, SECTION_PAGER,
        popular=[("{base}" + A2, A2_T), ("{base}" + A5, A5_T)],
    ),
)

write(
    "category/security/page/2/index.html",
    archive_page(
        "/category/security/page/2/", "أمن - الصفحة 2 من 14 - الرافدين نيوز", "التصنيف: أمن",
        "\n".join([
            listing_item("{base}/2020/03/30/tarmiyah-ambush-details/", "تفاصيل كمين الطارمية",
                         "هذا الخبر لم يعد متاحاً."),
            listing_item("{base}/2020/03/22/curfew-checkpoints/", "القوات الأمنية تنشر سيطرات إضافية لفرض حظر التجوال",
                         "نشرت قيادة عمليات بغداد سيطرات إضافية عند مداخل الأحياء لفرض حظر التجوال…"),
            listing_item("{base}/2020/03/15/kirkuk-ied-defused/", "تفكيك عبوتين ناسفتين على طريق كركوك – تكريت",
                         "تمكنت مفارز الهندسة من تفكيك عبوتين ناسفتين زرعتا على جانب الطريق…"),
        ]),
        pager='<nav class="navigation pagination"><a class="prev page-numbers" href="{base}/category/security/">→ الصفحة السابقة</a></nav>',
    ),
)

for slug, name, desc in [
    ("politics", "سياسة", "أخبار الحكومة والبرلمان والكتل السياسية والعلاقات الخارجية."),
    ("economy", "اقتصاد", "النفط والرواتب والأسواق وسعر صرف الدينار."),
]:
    write(
        f"category/{slug}/index.html",
        archive_page(
            f"/category/{slug}/", f"{name} - {SITE}", f"التصنيف: {name}",
            listing_item("{base}" + A3, A3_T, "أقرت وزارة المالية بتأخر صرف رواتب موظفي عدد من الوزارات لشهر نيسان…")
            if slug == "economy" else
            listing_item("{base}/2020/05/07/kadhimi-cabinet-vote/", "البرلمان يصوّت على منح الثقة للحكومة الجديدة",
                         "صوّت مجلس النواب بعد جلسة استمرت حتى ساعة متأخرة من الليل على منح الثقة لأغلب الوزراء…"),
            intro=f'<div class="archive-description"><p>{desc}</p></div>',
        ),
    )

# WordPress tag archive (Yoast: og:type website + CollectionPage).
write(
    "tag/daesh/index.html",
    archive_page(
        "/tag/daesh/", f"داعش - أرشيف الوسوم - {SITE}", "الوسم: داعش",
        "\n".join([
            listing_item("{base}" + A4, A4_T, "أعلنت قيادة شرطة صلاح الدين تفكيك خلية تابعة لتنظيم داعش…"),
            listing_item("{base}" + A2, A2_T, "حذر مسؤولون أمنيون وناشطون في كركوك من تصاعد نشاط حسابات مرتبطة بالتنظيم…"),
            listing_item("{base}" + A1, A1_T, "قتل ثلاثة مقاتلين وأصيب اثنان آخران بهجوم في تلال حمرين…"),
            listing_item("{base}/2019/09/08/hamrin-operation-launch/", "انطلاق عملية عسكرية لتطهير تلال حمرين من بقايا التنظيم",
                         "أعلنت قيادة العمليات المشتركة انطلاق المرحلة الأولى من عملية عسكرية واسعة…"),
        ]),
    ),
)


def static_page(path: str, title: str, ld_type: list[str] | str, paras: list[str], modified: str) -> None:
    url = "{base}" + path
    head = "\n".join([
        f'<link rel="canonical" href="{url}">',
        '<meta property="og:locale" content="ar_AR">',
        '<meta property="og:type" content="article">',  # Yoast says "article" for pages too
        f'<meta property="og:title" content="{title} - {SITE}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:site_name" content="{SITE}">',
        f'<meta property="article:modified_time" content="{modified}">',
        ld({"@type": ld_type, "@id": url, "url": url, "name": f"{title} - {SITE}",
            "isPartOf": {"@id": "{base}/#website"}, "datePublished": "2019-01-20T09:00:00+00:00",
            "dateModified": modified, "breadcrumb": {"@id": url + "#breadcrumb"}, "inLanguage": "ar"},
           crumbs(url, [("الرئيسية", "{base}/"), (title, url)]), WEBSITE, ORG),
    ])
    text = "\n".join(f"<p>{p}</p>" for p in paras)
    body = f"""<div id="primary" class="content-area">
<main id="main" class="site-main">
<article class="page type-page status-publish hentry">
  <header class="entry-header"><h1 class="entry-title">{title}</h1></header>
  <div class="entry-content">
{text}
  </div>
</article>
</main>
</div>"""
    write(path.lstrip("/") + "index.html", page(f"{title} - {SITE}", head, body, "page-template-default page rtl"))


static_page(
    "/about/", "من نحن", ["WebPage", "AboutPage"],
    [
        "انطلق موقع الرافدين نيوز عام ٢٠١٩ بمبادرة من مجموعة من الصحفيين العراقيين الشباب الذين عملوا سنوات في تغطية الحرب على تنظيم «داعش» وما بعدها.",
        "نسعى إلى تقديم خبر دقيق ومتوازن من بغداد والمحافظات، ونعتمد على شبكة من المراسلين في كركوك وديالى وصلاح الدين ونينوى والأنبار، ونلتزم بمواثيق الشرف الصحفي والتحقق من المعلومات قبل نشرها.",
        "يمكنكم التواصل مع هيئة التحرير لتصحيح أي معلومة أو لإرسال أخبار ومقترحات عبر البريد الإلكتروني المنشور أسفل الصفحة، ونرحب بكل ملاحظة تساعدنا على التطور.",
    ],
    "2023-11-02T10:12:44+00:00",
)
static_page(
    "/privacy-policy/", "سياسة الخصوصية", "WebPage",
    [
        "توضح هذه الصفحة كيفية جمع موقع الرافدين نيوز للمعلومات الشخصية واستخدامها وحمايتها عند تصفحكم الموقع أو تعليقكم على الأخبار أو اشتراككم في النشرة البريدية.",
        "نستخدم ملفات تعريف الارتباط لقياس عدد الزيارات وتحسين عرض الصفحات، ولا نبيع بيانات الزوار لأي طرف ثالث، ويمكنكم تعطيل هذه الملفات من إعدادات المتصفح في أي وقت.",
        "عند كتابة تعليق نحتفظ بالاسم والبريد الإلكتروني وعنوان IP للحد من الرسائل المزعجة، ويمكن طلب حذف هذه البيانات بمراسلتنا.",
    ],
    "2022-05-18T08:00:00+00:00",
)

# Home page: reachable from the section's menu, so it is fetched and dropped as not_article.
write(
    "index.html",
    page(
        f"{SITE} - أخبار العراق لحظة بلحظة",
        "\n".join([
            '<link rel="canonical" href="{base}/">',
            '<meta property="og:type" content="website">',
            f'<meta property="og:title" content="{SITE}">',
            '<meta property="og:url" content="{base}/">',
            f'<meta property="og:site_name" content="{SITE}">',
            ld({"@type": "CollectionPage", "@id": "{base}/", "url": "{base}/", "name": SITE,
                "isPartOf": {"@id": "{base}/#website"}, "inLanguage": "ar"}, WEBSITE, ORG),
        ]),
        """<div id="primary" class="content-area"><main id="main" class="site-main">
<section class="home-block"><h2 class="block-title">آخر الأخبار</h2>
"""
        + "\n".join([
            listing_item("{base}" + A4, A4_T, "أعلنت قيادة شرطة صلاح الدين تفكيك خلية تابعة لتنظيم داعش…"),
            listing_item("{base}" + A3, A3_T, "أقرت وزارة المالية بتأخر صرف رواتب موظفي عدد من الوزارات…"),
            listing_item("{base}" + A2, A2_T, "حذر مسؤولون أمنيون وناشطون في كركوك من تصاعد نشاط حسابات مرتبطة بالتنظيم…"),
            listing_item("{base}" + A1, A1_T, "قتل ثلاثة مقاتلين وأصيب اثنان آخران بهجوم في تلال حمرين…"),
        ])
        + "\n</section></main></div>\n"
        + sidebar(POPULAR),
        "home blog rtl",
    ),
)

# sitesrv serves 404.html raw (no {base} filling), so its links are root-relative.
write(
    "404.html",
    page(
        f"الصفحة غير موجودة - {SITE}",
        '<meta name="robots" content="noindex, follow">',
        """<div id="primary" class="content-area"><main id="main" class="site-main">
<section class="error-404 not-found"><header class="page-header"><h1 class="page-title">عذراً، هذه الصفحة غير موجودة.</h1></header>
<div class="page-content"><p>ربما تم حذف الخبر أو تغيير رابطه. جرّب البحث أو العودة إلى الصفحة الرئيسية.</p></div></section>
</main></div>""",
        "error404 rtl",
    ).replace("{base}", ""),
)

# --------------------------------------------------------------------------- feed

FEED_ITEMS = [
    (A4, A4_T, "Mon, 18 May 2020 21:30:00 +0000", "الأمن", "أعلنت قيادة شرطة صلاح الدين تفكيك خلية تابعة لتنظيم داعش كانت تنشط في القرى المحيطة بطوزخورماتو."),
    (K1, "هێرشی چەکدارانی داعش بۆ سەر گوندێک لە نزیک خانەقین", "Tue, 05 May 2020 14:00:00 +0000", "کوردی", "هێرشی چەکدارانی داعش بۆ سەر گوندێک لە قەزای خانەقین دوو بریندار بەجێهێشت."),
    (A3, A3_T, "Sun, 03 May 2020 10:05:00 +0000", "اقتصاد", "أقرت وزارة المالية بتأخر صرف رواتب موظفي عدد من الوزارات لشهر نيسان في ظل تراجع أسعار النفط."),
    (A2 + "?utm_source=rss&amp;utm_medium=feed", A2_T, "Mon, 27 Apr 2020 06:40:00 +0000", "أمن", "حذر مسؤولون أمنيون وناشطون في كركوك من تصاعد نشاط حسابات مرتبطة بتنظيم الدولة."),
    (A1, A1_T, "Sun, 12 Apr 2020 08:15:00 +0000", "أمن", "قتل ثلاثة مقاتلين وأصيب اثنان آخران بهجوم لتنظيم داعش على نقطة مراقبة في تلال حمرين."),
]
items = []
for path, title, date, cat, desc in FEED_ITEMS:
    guid = path.split("?")[0]
    items.append(f"""	<item>
		<title>{title}</title>
		<link>{{base}}{path}</link>
		<comments>{{base}}{guid}#respond</comments>
		<dc:creator><![CDATA[الرافدين نيوز]]></dc:creator>
		<pubDate>{date}</pubDate>
		<category><![CDATA[{cat}]]></category>
		<guid isPermaLink="false">{{base}}{guid}</guid>
		<description><![CDATA[{desc} [&#8230;]]]></description>
		<slash:comments>2</slash:comments>
	</item>""")
write(
    "feed.xml",
    """<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:atom="http://www.w3.org/2005/Atom"
	xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
	xmlns:slash="http://purl.org/rss/1.0/modules/slash/"
	>

<channel>
	<title>الرافدين نيوز</title>
	<atom:link href="{base}/feed/" rel="self" type="application/rss+xml" />
	<link>{base}</link>
	<description>أخبار العراق لحظة بلحظة</description>
	<lastBuildDate>Mon, 18 May 2020 21:45:12 +0000</lastBuildDate>
	<language>ar</language>
	<sy:updatePeriod>hourly</sy:updatePeriod>
	<sy:updateFrequency>1</sy:updateFrequency>
	<generator>https://wordpress.org/?v=5.4.1</generator>
"""
    + "\n".join(items)
    + "\n	</channel>\n</rss>\n",
)

write(
    "robots.txt",
    "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n",
)

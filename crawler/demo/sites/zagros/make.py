"""Regenerate the `zagros` fixture outlet: python crawler/demo/sites/zagros/make.py

A multilingual outlet from Erbil (WordPress + Polylang look), UTF-8. Arabic is the default
language (no prefix); Persian, English and Urdu live under /fa/, /en/, /ur/.
The source has no feeds, sitemaps or sections: the crawler fetches the home page, finds the
Atom <link rel="alternate"> there and also uses the home page as a section.
`{base}` stays literal: crawler/demo/server.py fills it in at serve time.
"""

from __future__ import annotations

import json
from pathlib import Path

PUB = Path(__file__).resolve().parent / "public"


def write(rel: str, text: str) -> None:
    path = PUB / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


L = {
    "ar": dict(
        dir="rtl", site="زاغروس", locale="ar_AR", home="الرئيسية", about="من نحن",
        most="الأكثر قراءة", related="اقرأ أيضاً", comments="التعليقات", reply="اترك رداً",
        share="شارك:", cookie="يستخدم هذا الموقع ملفات تعريف الارتباط لضمان حصولك على أفضل تجربة. <a href=\"{base}/about/\">المزيد</a>",
        ok="موافق", copy="© ٢٠٢٤ زاغروس – جميع الحقوق محفوظة. المقالات تعبر عن آراء كتّابها.",
        tagline="أخبار كوردستان والعراق بأربع لغات", by="بقلم",
    ),
    "fa": dict(
        dir="rtl", site="زاگرس", locale="fa_IR", home="صفحه اصلی", about="درباره ما",
        most="پربازدیدترین‌ها", related="بیشتر بخوانید", comments="دیدگاه‌ها", reply="دیدگاهتان را بنویسید",
        share="اشتراک‌گذاری:", cookie="این وب‌سایت از کوکی‌ها استفاده می‌کند.", ok="قبول",
        copy="© ۲۰۲۴ زاگرس – همه حقوق محفوظ است.", tagline="اخبار کردستان و عراق", by="نویسنده:",
    ),
    "en": dict(
        dir="ltr", site="Zagros", locale="en_US", home="Home", about="About us",
        most="Most read", related="Read also", comments="Comments", reply="Leave a reply",
        share="Share:", cookie="This website uses cookies to ensure you get the best experience.", ok="Got it",
        copy="© 2024 Zagros – All rights reserved.", tagline="Kurdistan and Iraq news in four languages", by="By",
    ),
    "ur": dict(
        dir="rtl", site="زاگروس اردو", locale="ur_PK", home="صفحۂ اول", about="ہمارے بارے میں",
        most="سب سے زیادہ پڑھی گئی خبریں", related="مزید پڑھیں", comments="تبصرے", reply="اپنا تبصرہ لکھیں",
        share="شیئر کریں:", cookie="یہ ویب سائٹ کوکیز استعمال کرتی ہے۔", ok="ٹھیک ہے",
        copy="© ۲۰۲۴ زاگروس – جملہ حقوق محفوظ ہیں۔", tagline="کردستان اور عراق کی خبریں", by="تحریر:",
    ),
}

NAV_LANGS = [("{base}/", "العربية", "ar"), ("{base}/fa/", "فارسی", "fa"),
             ("{base}/en/", "English", "en"), ("{base}/ur/", "اردو", "ur")]


def header(lang: str) -> str:
    t = L[lang]
    home = "{base}/" if lang == "ar" else "{base}/" + lang + "/"
    switch = "\n".join(
        f'      <li class="lang-item lang-item-{code}{" current-lang" if code == lang else ""}"><a lang="{code}" hreflang="{code}" href="{u}">{n}</a></li>'
        for u, n, code in NAV_LANGS
    )
    return f"""<header id="site-header" class="site-header">
  <div class="header-inner">
    <div class="site-logo"><a href="{home}" rel="home"><img src="{{base}}/wp-content/themes/zagros/assets/logo.svg" alt="{t["site"]}"></a></div>
    <p class="site-tagline">{t["tagline"]}</p>
    <nav class="primary-menu-wrapper" aria-label="Primary">
      <ul class="primary-menu">
        <li class="menu-item"><a href="{home}">{t["home"]}</a></li>
        <li class="menu-item"><a href="{{base}}/about/">{t["about"]}</a></li>
      </ul>
    </nav>
    <ul class="language-switcher">
{switch}
    </ul>
  </div>
</header>"""


def footer(lang: str, exit_url: str | None) -> str:
    t = L[lang]
    exit_html = (
        f'\n  <div class="mobile-switcher"><a href="{exit_url}?mobile_switch=desktop" rel="nofollow">Exit mobile version</a></div>'
        if exit_url else ""
    )
    return f"""<footer id="site-footer" role="contentinfo" class="site-footer">
  <div class="footer-social"><a href="https://www.facebook.com/zagros.example">Facebook</a> <a href="https://twitter.com/zagros_example">Twitter</a> <a href="https://www.youtube.com/zagros_example">YouTube</a></div>
  <p class="footer-copyright">{t["copy"]}</p>{exit_html}
</footer>
<div id="cookie-law-info-bar" class="cli-bar-container"><span>{t["cookie"]} <a role="button" class="cli_action_button cli-accept-button" data-cli_action="accept">{t["ok"]}</a></span></div>"""


def shell(lang: str, title: str, head: str, body: str, body_class: str,
          exit_url: str | None = None, html_lang: str | None = None) -> str:
    t = L[lang]
    return f"""<!doctype html>
<html lang="{html_lang or lang}" dir="{t["dir"]}">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
{head}
<link rel="alternate" href="{{base}}/" hreflang="ar">
<link rel="alternate" href="{{base}}/fa/" hreflang="fa">
<link rel="alternate" href="{{base}}/en/" hreflang="en">
<link rel="alternate" href="{{base}}/ur/" hreflang="ur">
<link rel="stylesheet" href="{{base}}/wp-content/themes/zagros/style.css?ver=1.9">
<meta name="generator" content="WordPress 5.4.2">
</head>
<body class="{body_class}">
<a class="skip-link screen-reader-text" href="#site-content">Skip to the content</a>
{header(lang)}
<main id="site-content" role="main">
{body}
</main>
{footer(lang, exit_url)}
</body>
</html>
"""


def sidebar(lang: str, items: list[tuple[str, str]]) -> str:
    lis = "\n".join(f'      <li><a href="{u}">{n}</a></li>' for u, n in items)
    return f"""<aside class="sidebar widget-area" role="complementary">
  <div class="widget widget-most-read">
    <h2 class="widget-title">{L[lang]["most"]}</h2>
    <ol>
{lis}
    </ol>
  </div>
</aside>"""


def comment_block(lang: str, items: list[tuple[str, str]]) -> str:
    lis = "\n".join(
        f'    <li class="comment"><div class="comment-author"><cite class="fn">{who}</cite></div><div class="comment-content"><p>{said}</p></div></li>'
        for who, said in items
    )
    return f"""<div id="comments" class="comments-wrapper">
  <h2 class="comment-reply-title">{L[lang]["comments"]}</h2>
  <ol class="comment-list">
{lis}
  </ol>
  <div id="respond" class="comment-respond"><h3>{L[lang]["reply"]}</h3><form action="{{base}}/wp-comments-post.php" method="post"><textarea name="comment"></textarea></form></div>
</div>"""


def article(
    lang: str,
    path: str,
    post_id: int,
    headline: str,
    author: str,
    paras: list[str],
    *,
    description: str,
    jsonld_date: str | None,
    meta_date: str | None,
    jsonld: bool = True,
    shown_date: str | None = None,
    popular: list[tuple[str, str]],
    rel: list[tuple[str, str]],
    talk: list[tuple[str, str]],
    html_lang: str | None = None,
) -> None:
    t = L[lang]
    url = "{base}" + path
    head = [
        f'<meta name="description" content="{description}">',
        f'<link rel="canonical" href="{url}">',
        f'<meta property="og:locale" content="{t["locale"]}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:title" content="{headline}">',
        f'<meta property="og:description" content="{description}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:site_name" content="{t["site"]}">',
        f'<meta property="og:image" content="{{base}}/wp-content/uploads/zagros-{post_id}.jpg">',
    ]
    if meta_date:
        head.append(f'<meta property="article:published_time" content="{meta_date}">')
    if jsonld:
        node = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": headline,
            "image": ["{base}/wp-content/uploads/zagros-" + str(post_id) + ".jpg"],
            "author": {"@type": "Person", "name": author},
            "publisher": {"@type": "NewsMediaOrganization", "name": "Zagros", "url": "{base}/"},
            "mainEntityOfPage": {"@type": "WebPage", "@id": url},
            "inLanguage": lang,
        }
        if jsonld_date:
            node["datePublished"] = jsonld_date
        head.append('<script type="application/ld+json">' + json.dumps(node, ensure_ascii=False) + "</script>")
    date_html = (
        f' <span class="post-date"><time datetime="{meta_date or jsonld_date}">{shown_date}</time></span>'
        if shown_date else ""
    )
    body_html = "\n".join(f"    <p>{p}</p>" for p in paras)
    rel_html = "\n".join(f'      <li><a href="{u}">{n}</a></li>' for u, n in rel)
    body = f"""<div class="content-wrap">
<div class="primary">
<nav class="breadcrumbs" aria-label="breadcrumbs"><a href="{"{base}/" if lang == "ar" else "{base}/" + lang + "/"}">{t["home"]}</a> / <span>{headline}</span></nav>
<article class="post-{post_id} post type-post status-publish format-standard hentry" id="post-{post_id}">
  <header class="entry-header">
    <h1 class="entry-title">{headline}</h1>
    <div class="post-meta"><span class="post-author">{t["by"]} {author}</span>{date_html}</div>
  </header>
  <figure class="featured-media"><img src="{{base}}/wp-content/uploads/zagros-{post_id}.jpg" alt=""></figure>
  <div class="entry-content">
{body_html}
  </div>
</article>
<div class="share-buttons"><span>{t["share"]}</span> <a href="https://www.facebook.com/sharer.php?u={url}">Facebook</a> <a href="https://twitter.com/share?url={url}">Twitter</a> <a href="https://wa.me/?text={url}">WhatsApp</a></div>
<aside class="related-posts"><h3>{t["related"]}</h3>
    <ul>
{rel_html}
    </ul>
</aside>
{comment_block(lang, talk)}
</div>
{sidebar(lang, popular)}
</div>"""
    write(
        path.lstrip("/") + "index.html",
        shell(lang, f"{headline} - {t['site']}", "\n".join(head), body,
              f"post-template-default single single-post postid-{post_id}", exit_url=url,
              html_lang=html_lang),
    )


POPULAR_AR = [
    ("{base}/2019/10/14/peshmerga-army-talks-makhmour/", "جولة جديدة من المحادثات بين البيشمركة والجيش حول مخمور"),
    ("{base}/2019/06/02/erbil-summer-tourism/", "أربيل تستعد لموسم سياحي صيفي مع توافد الزوار من الجنوب"),
    ("{base}/2019/11/27/sulaymaniyah-teachers-salaries/", "معلمو السليمانية يواصلون المطالبة بصرف رواتبهم"),
]

# ---------------------------------------------------------------------- Arabic articles

Z1 = "/news/kirkuk-villages-threats-families-leave/"
Z1_T = "عائلات تغادر قرى جنوب غربي كركوك بعد تهديدات من مسلحي «داعش»"
article(
    "ar", Z1, 7710, Z1_T, "ئاری محمد",
    [
        "أربيل – زاغروس",
        "غادرت عشرات العائلات قرى صغيرة في ناحية الرشاد جنوب غربي كركوك خلال الأيام الماضية، بعد تلقيها تهديدات مكتوبة من مسلحين يُعتقد أنهم ينتمون إلى تنظيم «داعش»، طالبتهم بإخلاء منازلهم أو دفع مبالغ مالية مقابل ما وصفوه بـ«الحماية».",
        "وقال أحد المختارين لـ«زاغروس» عبر الهاتف إن «الرسائل تُركت على أبواب البيوت ليلاً، وبعضها وصل عبر تطبيق واتساب من أرقام مجهولة، وفيها أسماء أشخاص بعينهم»، مضيفاً أن ٢٣ عائلة على الأقل انتقلت إلى أقارب لها في مركز المدينة.",
        "وتقع هذه القرى في منطقة متداخلة بين مسؤولية الجيش العراقي والشرطة الاتحادية، وعلى مقربة من خطوط التماس السابقة مع قوات البيشمركة، وهي مناطق يصفها مسؤولون كورد بأنها «فراغ أمني» يستغله التنظيم منذ عام ٢٠١٧.",
        "وأكد ضابط في البيشمركة أن «التنسيق مع بغداد في هذه المساحة ما زال ضعيفاً»، داعياً إلى تشكيل مراكز عمليات مشتركة، فيما قالت قيادة عمليات كركوك إنها أرسلت تعزيزات إلى المنطقة وإن «الوضع تحت السيطرة».",
        "وتزامنت التهديدات مع فرض حظر تجوال شامل في إقليم كوردستان والمحافظات المجاورة، ما حدّ من قدرة العائلات على التنقل وزاد من شعورها بالعزلة. ويقول ناشطون إن النازحين الجدد يواجهون صعوبة في الحصول على الغذاء والدواء بسبب إغلاق الأسواق.",
        "وتُعدّ هذه الموجة الأولى من النزوح في المنطقة منذ أكثر من عامين، بحسب منظمات إغاثية محلية طالبت الحكومة بتأمين عودة آمنة وسريعة للأهالي قبل بدء موسم الحصـاد.",
    ],
    description="عشرات العائلات تغادر قرى في ناحية الرشاد بكركوك بعد تهديدات مكتوبة من مسلحي داعش.",
    jsonld_date="2020-04-09T13:20:00Z",
    meta_date=None,
    shown_date="٩ نيسان ٢٠٢٠",
    popular=POPULAR_AR,
    rel=[("{base}/2019/09/30/rashad-returnees/", "عودة النازحين إلى ناحية الرشاد بعد عامين من التحرير")],
    talk=[
        ("هه‌ڤال", "يجب أن تعود البيشمركة إلى هذه المناطق، الناس كانت آمنة وقتها."),
        ("أبو عمر", "متى يفتحون سيطرة ديبكة أمام السيارات؟ عندي شغل في أربيل."),
    ],
)

# Page with JSON-LD that has no datePublished and no meta date: the Atom <published> wins.
Z2 = "/news/isis-pandemic-rhetoric-online-recruitment/"
Z2_T = "باحثون: تنظيم الدولة يوظّف خطاب الجائحة في رسائل التجنيد على الإنترنت"
article(
    "ar", Z2, 7795, Z2_T, "قسم التقارير",
    [
        "أربيل – زاغروس",
        "يقول باحثون يتابعون المحتوى المتطرف على الإنترنت إن تنظيم الدولة الإسلامية سارع منذ بداية تفشي فيروس كورونا إلى إدخال الجائحة في خطابه الدعائي، مقدّماً إياها لأنصاره على أنها فرصة لشن هجمات جديدة واستقطاب أتباع.",
        "ويشير باحث في مركز للدراسات الاستراتيجية بأربيل إلى أن افتتاحية نشرتها صحيفة التنظيم الأسبوعية في آذار دعت صراحة إلى استغلال انشغال الحكومات بالوباء، وأن هذا الخطاب انتشر سريعاً في قنوات تلغرام وحسابات مؤقتة على فيسبوك.",
        "ويوضح الباحث أن رسائل التجنيد تستهدف فئتين: شباناً في المناطق المحررة يعانون البطالة وآثار الحرب، وأقارب معتقلين سابقين يشعرون بالتهميش، مضيفاً أن «القائمين على الحسابات يتحدثون بلهجة محلية، ويعرفون تفاصيل الحياة اليومية في القرى».",
        "من جهتها، تقول ناشطة تعمل في برنامج لإعادة تأهيل الشباب في كركوك إن توقف الأنشطة الميدانية بسبب الحظر «قطع صلتنا بكثير من الشباب الذين كنا نتابعهم، وتركهم وحدهم أمام الهاتف لساعات طويلة».",
        "ويرى مختصون أن المنصات الرقمية باتت تحذف المحتوى الصريح بسرعة أكبر، لكن التنظيم يلجأ إلى رموز وصور وأناشيد لا تتضمن كلمات مباشرة، ما يصعّب رصدها آلياً، خصوصاً عندما تُنشر في مجموعات مغلقة.",
        "ويدعو الباحثون إلى تطوير خطاب مضاد بلغة قريبة من الشباب، وإشراك رجال الدين والوجهاء المحليين في حملات توعية رقمية، بدلاً من الاكتفاء بإغلاق الحسابات بعد انتشارها.",
    ],
    description="باحثون: تنظيم الدولة أدخل الجائحة في خطابه الدعائي ويستهدف الشبان العاطلين عبر الإنترنت.",
    jsonld_date=None,
    meta_date=None,
    popular=POPULAR_AR,
    rel=[("{base}/2019/12/05/telegram-purge-europol/", "حملة أوروبية تغلق آلاف الحسابات المتطرفة على تلغرام")],
    talk=[
        ("سارا", "موضوع مهم جداً، أتمنى تعملون تقرير عن دور المدارس بعد ما ترجع."),
        ("كاروان", "الأسعار في أسواق أربيل صارت نار بسبب الحظر، ياريت تكتبون عنها."),
    ],
)

# Only linked from the home page (not in the Atom feed): og:type article + article:published_time.
Z3 = "/news/peshmerga-iraqi-army-security-gaps-meeting/"
Z3_T = "البيشمركة والجيش العراقي يبحثان سدّ الثغرات الأمنية بين خطوط التماس"
article(
    "ar", Z3, 7902, Z3_T, "مراسل زاغروس في أربيل",
    [
        "أربيل – زاغروس",
        "عقد مسؤولون من وزارة البيشمركة وقيادة العمليات المشتركة العراقية، اليوم الثلاثاء، اجتماعاً في أربيل لبحث آليات التنسيق الأمني في المناطق الفاصلة بين قوات الطرفين، التي تشهد منذ أشهر نشاطاً متزايداً لخلايا تنظيم «داعش».",
        "وقال بيان مشترك عقب الاجتماع إن الجانبين اتفقا على تشكيل لجان ميدانية في كركوك وديالى ومخمور لتبادل المعلومات الاستخبارية، ودراسة إنشاء مراكز تنسيق مشتركة في المناطق التي تفصل بين خطوط انتشار القوات.",
        "وأوضح مسؤول كوردي شارك في الاجتماع أن «المسافات بين نقاط الجيش ونقاط البيشمركة تصل في بعض المناطق إلى عدة كيلومترات، وهي مساحات يتحرك فيها المسلحون بحرية، خاصة في الليل».",
        "وبحسب البيان، ناقش المجتمعون أيضاً تأثير إجراءات الوقاية من فيروس كورونا على انتشار القطعات، واتفقوا على أن «الظرف الصحي يجب ألا يؤدي إلى إضعاف الجهد الأمني في المناطق الريفية».",
        "ورحّب ممثل عن التحالف الدولي حضر جانباً من الاجتماع بالخطوة، مؤكداً استمرار الدعم الاستشاري والجوي للقوات العراقية وقوات البيشمركة في ملاحقة بقايا التنظيم.",
        "ويأتي الاجتماع بعد سلسلة هجمات شهدتها مناطق مخمور وخانقين وأطراف كركوك خلال شهري نيسان وأيار، أسفرت عن سقوط قتلى وجرحى في صفوف القوات الأمنية والمدنيين.",
    ],
    description="اجتماع في أربيل بين وزارة البيشمركة والعمليات المشتركة لبحث التنسيق الأمني في المناطق الفاصلة.",
    jsonld=False,
    jsonld_date=None,
    meta_date="2020-06-02T11:00:00+03:00",
    shown_date="2 حزيران 2020",
    popular=POPULAR_AR,
    rel=[("{base}/2019/10/14/peshmerga-army-talks-makhmour/", "جولة جديدة من المحادثات بين البيشمركة والجيش حول مخمور")],
    talk=[
        ("ريبوار", "اجتماعات كثيرة ونتائج قليلة، نتمنى هذه المرة تختلف."),
        ("محمد الكركوكي", "شكراً لزاغروس على التغطية، وين صار ملف رواتب الإقليم؟"),
    ],
)

# ---------------------------------------------------------------------- other languages

P1 = "/fa/news/isis-attacks-diyala-kirkuk-quarantine/"
article(
    "fa", P1, 7744, "افزایش حملات داعش در دیالی و کرکوک همزمان با قرنطینه کرونا", "سرویس خبر",
    [
        "اربیل – زاگرس",
        "گزارش‌های محلی نشان می‌دهد که بقایای گروه داعش در هفته‌های اخیر حملات خود را در استان‌های دیالی، کرکوک و صلاح‌الدین افزایش داده‌اند. به گفته مقام‌های امنیتی، این گروه از کاهش گشت‌های شبانه در پی اجرای مقررات قرنطینه و منع رفت‌وآمد برای مهار ویروس کرونا بهره می‌برد.",
        "یک فرمانده پیشمرگه به خبرنگار زاگرس گفت که شکاف امنیتی میان نیروهای ارتش عراق و پیشمرگه در مناطق مورد مناقشه، به ویژه در ارتفاعات حمرین، فرصتی برای جابه‌جایی گروه‌های کوچک مسلح فراهم کرده است.",
        "کارشناسان هشدار می‌دهند که اگر هماهنگی میان بغداد و اربیل تقویت نشود، داعش می‌تواند شبکه‌های پشتیبانی خود را در روستاهای دورافتاده بازسازی کند. ساکنان چند روستا نیز می‌گویند شب‌ها صدای تیراندازی می‌شنوند و از ترس، کشاورزی در زمین‌های دور از روستا را کنار گذاشته‌اند.",
    ],
    description="بقایای داعش از کاهش گشت‌های شبانه در دوران قرنطینه برای افزایش حملات بهره می‌برند.",
    jsonld_date="2020-04-16T12:30:00+03:00",
    meta_date="2020-04-16T09:30:00+00:00",
    shown_date="۲۸ فروردین ۱۳۹۹",
    popular=[("{base}/fa/2019/08/20/erbil-tourism-fa/", "رونق گردشگری تابستانی در اربیل")],
    rel=[("{base}/fa/2019/10/14/peshmerga-army-talks-fa/", "دور تازه گفت‌وگوهای پیشمرگه و ارتش عراق")],
    talk=[("آرش", "ممنون از گزارش خوبتان.")],
)

EN1 = "/en/news/peshmerga-warn-isis-resurgence-lockdown/"
article(
    "en", EN1, 7751, "Peshmerga commanders warn of ISIS resurgence in disputed areas during lockdown", "Zagros English desk",
    [
        "ERBIL – Zagros",
        "Peshmerga commanders on Monday warned that Islamic State cells are regrouping in the strip of disputed territory between Kurdish and federal Iraqi forces, taking advantage of a coronavirus lockdown that has pulled troops back into towns and cities.",
        "A senior officer said gaps of several kilometres separate some Peshmerga and Iraqi army positions south of Kirkuk and around Makhmour, and that small groups of militants move through them at night on motorbikes and on foot.",
        "Officials in Baghdad say reinforcements have been sent to the worst-affected districts. Analysts in Erbil argue that only a joint operations room and regular intelligence sharing between the two sides can stop the insurgents from rebuilding their networks in remote villages.",
    ],
    description="Peshmerga commanders warn that ISIS cells exploit gaps between Kurdish and Iraqi forces during the lockdown.",
    jsonld_date="2020-04-20T08:00:00Z",
    meta_date="2020-04-20T08:00:00+00:00",
    shown_date="April 20, 2020",
    popular=[("{base}/en/2019/10/14/peshmerga-army-talks-makhmour-en/", "New round of Peshmerga–army talks on Makhmour")],
    rel=[("{base}/en/2019/12/05/telegram-purge-europol-en/", "Europol-led action takes down extremist Telegram channels")],
    talk=[("Dana", "Thanks for covering this, very few outlets do.")],
)

# Urdu page whose theme wrongly declares lang="ar" (Polylang misconfiguration): the text decides.
U1 = "/ur/news/isis-attacks-rise-iraq-lockdown/"
article(
    "ur", U1, 7768, "عراق میں کورونا لاک ڈاؤن کے دوران داعش کے حملوں میں اضافہ", "اردو ڈیسک",
    [
        "اربیل — زاگروس اردو",
        "عراق کے شمالی صوبوں دیالیٰ، کرکوک اور صلاح الدین میں کورونا وائرس کی وجہ سے نافذ کرفیو کے دوران شدت پسند تنظیم داعش کے حملوں میں نمایاں اضافہ دیکھا گیا ہے۔ مقامی حکام کے مطابق سکیورٹی فورسز کی بڑی تعداد شہروں میں لاک ڈاؤن پر عمل درآمد کروانے میں مصروف ہے، جس کا فائدہ اٹھا کر جنگجو دیہی علاقوں میں چوکیوں پر حملے کر رہے ہیں۔",
        "ماہرین کا کہنا ہے کہ تنظیم سوشل میڈیا کے ذریعے بے روزگار نوجوانوں کو بھرتی کرنے کی کوشش بھی کر رہی ہے۔ کردستان کے ایک عہدیدار نے بغداد اور اربیل کے درمیان بہتر سکیورٹی تعاون کا مطالبہ کیا ہے تاکہ متنازع علاقوں میں پیدا ہونے والے خلا کو پُر کیا جا سکے۔",
    ],
    description="کورونا کرفیو کے دوران عراق کے شمالی صوبوں میں داعش کے حملے بڑھ گئے ہیں۔",
    jsonld_date="2020-04-25T15:10:00+03:00",
    meta_date="2020-04-25T12:10:00+00:00",
    shown_date="۲۵ اپریل ۲۰۲۰",
    popular=[("{base}/ur/2019/11/02/erbil-ur/", "اربیل میں سیاحت کا نیا سیزن")],
    rel=[("{base}/ur/2019/12/05/telegram-ur/", "ٹیلیگرام پر شدت پسند چینلز بند")],
    talk=[("عمران", "بہت اچھی رپورٹ، شکریہ۔")],
    html_lang="ar",
)

# ---------------------------------------------------------------------- listings


def listing(lang: str, path: str, h1: str, items: list[tuple[str, str, str]], intro: str) -> str:
    t = L[lang]
    url = "{base}" + path
    head = "\n".join([
        f'<link rel="canonical" href="{url}">',
        f'<meta property="og:locale" content="{t["locale"]}">',
        '<meta property="og:type" content="website">',
        f'<meta property="og:title" content="{t["site"]}">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:site_name" content="{t["site"]}">',
        '<script type="application/ld+json">'
        + json.dumps({"@context": "https://schema.org", "@type": "CollectionPage", "url": url,
                      "name": t["site"], "inLanguage": lang}, ensure_ascii=False)
        + "</script>",
    ])
    cards = "\n".join(
        f"""  <article class="card">
    <h2 class="card-title"><a href="{u}">{n}</a></h2>
    <p class="card-excerpt">{ex}</p>
    <a class="read-more" href="{u}#more">»</a>
  </article>"""
        for u, n, ex in items
    )
    return f"""{head}""", f"""<div class="content-wrap">
<div class="primary">
<h1 class="archive-title">{h1}</h1>
<p class="archive-intro">{intro}</p>
<section class="cards">
{cards}
</section>
</div>
</div>"""


def write_listing(lang: str, path: str, title: str, h1: str, items, intro: str, extra_head: str = "") -> None:
    head, body = listing(lang, path, h1, items, intro)
    write(path.lstrip("/") + "index.html",
          shell(lang, title, head + ("\n" + extra_head if extra_head else ""), body, "home blog"))


HOME_ITEMS = [
    ("{base}" + Z3, Z3_T, "عقد مسؤولون من وزارة البيشمركة وقيادة العمليات المشتركة اجتماعاً في أربيل لبحث التنسيق الأمني…"),
    ("{base}" + Z2, Z2_T, "يقول باحثون يتابعون المحتوى المتطرف إن التنظيم أدخل الجائحة في خطابه الدعائي…"),
    ("{base}" + U1, "عراق میں کورونا لاک ڈاؤن کے دوران داعش کے حملوں میں اضافہ", "زاگروس اردو"),
    ("{base}" + EN1, "Peshmerga commanders warn of ISIS resurgence in disputed areas during lockdown", "Zagros English"),
    ("{base}" + P1, "افزایش حملات داعش در دیالی و کرکوک همزمان با قرنطینه کرونا", "زاگرس فارسی"),
    ("{base}" + Z1, Z1_T, "غادرت عشرات العائلات قرى صغيرة في ناحية الرشاد جنوب غربي كركوك…"),
]
write_listing(
    "ar", "/", "زاغروس – أخبار كوردستان والعراق", "آخر الأخبار", HOME_ITEMS,
    "تغطية مستقلة من أربيل بالعربية والفارسية والإنجليزية والأردية.",
    extra_head='<link rel="alternate" type="application/atom+xml" title="زاغروس &raquo; Atom" href="{base}/atom.xml">',
)
write_listing(
    "fa", "/fa/", "زاگرس فارسی", "تازه‌ترین خبرها",
    [("{base}" + P1, "افزایش حملات داعش در دیالی و کرکوک همزمان با قرنطینه کرونا",
      "گزارش‌های محلی نشان می‌دهد که بقایای گروه داعش حملات خود را افزایش داده‌اند.")],
    "اخبار کردستان و عراق به زبان فارسی.",
)
write_listing(
    "en", "/en/", "Zagros English", "Latest news",
    [("{base}" + EN1, "Peshmerga commanders warn of ISIS resurgence in disputed areas during lockdown",
      "Peshmerga commanders warned that Islamic State cells are regrouping in disputed territory.")],
    "Independent news from Erbil in English.",
)
write_listing(
    "ur", "/ur/", "زاگروس اردو", "تازہ ترین خبریں",
    [("{base}" + U1, "عراق میں کورونا لاک ڈاؤن کے دوران داعش کے حملوں میں اضافہ",
      "عراق کے شمالی صوبوں میں داعش کے حملوں میں اضافہ دیکھا گیا ہے۔")],
    "کردستان اور عراق کی خبریں اردو میں۔",
)

# About page: og:type article (as Yoast does for pages) but JSON-LD AboutPage.
ABOUT_HEAD = "\n".join([
    '<link rel="canonical" href="{base}/about/">',
    '<meta property="og:locale" content="ar_AR">',
    '<meta property="og:type" content="article">',
    '<meta property="og:title" content="من نحن - زاغروس">',
    '<meta property="og:url" content="{base}/about/">',
    '<meta property="og:site_name" content="زاغروس">',
    '<script type="application/ld+json">'
    + json.dumps({"@context": "https://schema.org", "@graph": [
        {"@type": ["WebPage", "AboutPage"], "@id": "{base}/about/", "url": "{base}/about/",
         "name": "من نحن - زاغروس", "inLanguage": "ar"},
        {"@type": "WebSite", "@id": "{base}/#website", "url": "{base}/", "name": "زاغروس"},
    ]}, ensure_ascii=False)
    + "</script>",
])
write(
    "about/index.html",
    shell(
        "ar", "من نحن - زاغروس", ABOUT_HEAD,
        """<div class="content-wrap"><div class="primary">
<article class="page type-page status-publish hentry">
  <header class="entry-header"><h1 class="entry-title">من نحن</h1></header>
  <div class="entry-content">
    <p>زاغروس مؤسسة إعلامية مستقلة تأسست في أربيل، وتقدّم الأخبار والتقارير عن إقليم كوردستان والعراق والمنطقة بأربع لغات هي العربية والفارسية والإنجليزية والأردية.</p>
    <p>يعمل في المؤسسة فريق من الصحفيين والمترجمين في أربيل والسليمانية ودهوك وكركوك، ونلتزم بالدقة والحياد وفصل الخبر عن الرأي، ونصحح أخطاءنا علناً متى وقعت.</p>
    <p>للتواصل مع هيئة التحرير أو لإرسال المعلومات والصور، يمكنكم مراسلتنا عبر البريد الإلكتروني أو صفحاتنا على مواقع التواصل الاجتماعي.</p>
  </div>
</article>
</div></div>""",
        "page-template-default page",
    ),
)

# ---------------------------------------------------------------------- Atom feed

ENTRIES = [
    # (path, title, lang, published, updated, summary)
    (Z2, Z2_T, "ar", "2020-05-14T07:05:00Z", "2020-05-15T09:00:00Z",
     "باحثون: التنظيم أدخل الجائحة في خطابه الدعائي ويستهدف الشبان العاطلين عبر الإنترنت."),
    (U1, "عراق میں کورونا لاک ڈاؤن کے دوران داعش کے حملوں میں اضافہ", "ur",
     "2020-04-25T15:10:00+03:00", "2020-04-25T15:10:00+03:00",
     "کورونا کرفیو کے دوران عراق کے شمالی صوبوں میں داعش کے حملے بڑھ گئے ہیں۔"),
    (EN1, "Peshmerga commanders warn of ISIS resurgence in disputed areas during lockdown", "en",
     "2020-04-20T08:00:00Z", "2020-04-20T08:00:00Z",
     "Peshmerga commanders warn that ISIS cells exploit gaps between Kurdish and Iraqi forces."),
    (P1, "افزایش حملات داعش در دیالی و کرکوک همزمان با قرنطینه کرونا", "fa",
     "2020-04-16T12:30:00+03:00", "2020-04-16T12:30:00+03:00",
     "بقایای داعش از کاهش گشت‌های شبانه در دوران قرنطینه بهره می‌برند."),
    (Z1, Z1_T, "ar", "2020-04-09T16:20:00+03:00", "2020-04-09T16:20:00+03:00",
     "عشرات العائلات تغادر قرى في ناحية الرشاد بكركوك بعد تهديدات من مسلحي داعش."),
]
entries = "\n".join(
    f"""  <entry xml:lang="{lang}">
    <author><name>Zagros</name></author>
    <title type="html"><![CDATA[{title}]]></title>
    <link rel="alternate" type="text/html" href="{{base}}{path}"/>
    <id>{{base}}/?p={path.strip("/").split("/")[-1]}</id>
    <updated>{updated}</updated>
    <published>{published}</published>
    <summary type="html"><![CDATA[{summary}]]></summary>
  </entry>"""
    for path, title, lang, published, updated, summary in ENTRIES
)
write(
    "atom.xml",
    f"""<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0" xml:lang="ar">
  <title type="text">زاغروس</title>
  <subtitle type="text">أخبار كوردستان والعراق بأربع لغات</subtitle>
  <updated>2020-05-15T09:00:00Z</updated>
  <link rel="alternate" type="text/html" href="{{base}}/"/>
  <id>{{base}}/atom.xml</id>
  <link rel="self" type="application/atom+xml" href="{{base}}/atom.xml"/>
  <generator uri="https://wordpress.org/" version="5.4.2">WordPress</generator>
{entries}
</feed>
""",
)

write("robots.txt", "User-agent: *\nDisallow: /wp-admin/\nAllow: /wp-admin/admin-ajax.php\n")

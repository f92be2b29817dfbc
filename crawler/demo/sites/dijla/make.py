"""Regenerate the `dijla` fixture outlet: python crawler/demo/sites/dijla/make.py

A Drupal-8-like Baghdad outlet whose pages are encoded in windows-1256 (cp1256).
HTML files under public/ are written as real cp1256 bytes (strict: any character that
cp1256 lacks raises, so Arabic-Indic digits are written as &#1633;-style references).
Sitemaps are UTF-8, as the sitemap protocol requires. `{base}` stays literal.
"""

from __future__ import annotations

import json
from pathlib import Path

PUB = Path(__file__).resolve().parent / "public"
SITE = "دجلة"


def write_cp1256(rel: str, text: str) -> None:
    path = PUB / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("cp1256"))  # strict on purpose


def write_utf8(rel: str, text: str) -> None:
    path = PUB / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


META_CHARSET = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">\n'

HEADER = """<a href="#main-content" class="visually-hidden focusable skip-link">انتقل إلى المحتوى الرئيسي</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div id="page-wrapper"><div id="page">
<header id="header" class="header" role="banner" aria-label="ترويسة الموقع">
  <div class="region region-header">
    <div id="block-dijla-branding" class="block block-system block-system-branding-block">
      <a href="{base}/" rel="home" class="site-logo"><img src="{base}/themes/custom/dijla/logo.svg" alt="الرئيسية"></a>
      <div class="site-name"><a href="{base}/" rel="home">دجلة</a></div>
      <div class="site-slogan">شبكة دجلة الإخبارية – بغداد</div>
    </div>
  </div>
  <nav role="navigation" aria-labelledby="block-dijla-main-menu-menu" id="block-dijla-main-menu" class="block block-menu navigation menu--main">
    <h2 class="visually-hidden" id="block-dijla-main-menu-menu">القائمة الرئيسية</h2>
    <ul class="menu">
      <li class="menu-item"><a href="{base}/" data-drupal-link-system-path="&lt;front&gt;">الرئيسية</a></li>
      <li class="menu-item"><a href="{base}/section/security" data-drupal-link-system-path="taxonomy/term/3">أمن</a></li>
      <li class="menu-item"><a href="{base}/section/sport" data-drupal-link-system-path="taxonomy/term/7">رياضة</a></li>
      <li class="menu-item"><a href="{base}/en" hreflang="en">English</a></li>
    </ul>
  </nav>
</header>"""

FOOTER = """<footer class="site-footer" role="contentinfo">
  <div class="region region-footer">
    <nav role="navigation" id="block-footer" class="block block-menu navigation menu--footer">
      <ul class="menu">
        <li class="menu-item"><a href="{base}/node/2">عن دجلة</a></li>
        <li class="menu-item"><a href="{base}/contact">اتصل بنا</a></li>
        <li class="menu-item"><a href="{base}/node/3">شروط الاستخدام</a></li>
      </ul>
    </nav>
    <div id="block-copyright" class="block block-block-content"><p>جميع الحقوق محفوظة لشبكة دجلة الإخبارية © &#1634;&#1632;&#1634;&#1636; – يُسمح بالاقتباس مع ذكر المصدر.</p></div>
  </div>
</footer>
</div></div>
</div>
<div id="sliding-popup" class="sliding-popup-bottom" role="alertdialog" aria-describedby="popup-text">
  <div class="eu-cookie-compliance-banner eu-cookie-compliance-banner-info">
    <div class="popup-content info eu-cookie-compliance-content">
      <div id="popup-text" class="eu-cookie-compliance-message"><p>نستخدم ملفات تعريف الارتباط على هذا الموقع لتحسين تجربتك في التصفح. بالنقر على «أوافق» فإنك تسمح لنا بذلك.</p></div>
      <div id="popup-buttons" class="eu-cookie-compliance-buttons"><button type="button" class="agree-button eu-cookie-compliance-default-button">أوافق</button></div>
    </div>
  </div>
</div>"""

# "Most read" block: older stories, URLs with /2019/ dates from the previous CMS.
MOST_READ = [
    ("{base}/archive/2019/10/25/tahrir-square-first-day", "اليوم الأول في ساحة التحرير: آلاف المحتجين يطالبون بالإصلاح"),
    ("{base}/archive/2019/03/21/mosul-ferry-sinking", "غرق العبّارة في الموصل: عشرات الضحايا في يوم نوروز"),
    ("{base}/archive/2019/12/29/baghdad-rain-floods", "أمطار غزيرة تغرق شوارع في بغداد وتعطل الدوام الرسمي"),
]


def sidebar() -> str:
    lis = "\n".join(
        f'        <div class="views-row"><a href="{u}" hreflang="ar">{t}</a></div>' for u, t in MOST_READ
    )
    return f"""<aside class="layout-sidebar-second" role="complementary">
  <div class="region region-sidebar-second">
    <div class="views-element-container block block-views block-views-blockmost-read-block-1" id="block-views-block-most-read">
      <h2>الأكثر قراءة</h2>
      <div class="view view-most-read view-display-id-block_1">
{lis}
      </div>
    </div>
    <div id="block-newsletter" class="block block-simplenews"><h2>النشرة الإخبارية</h2><p>سجّل بريدك لتصلك نشرة دجلة الصباحية.</p></div>
  </div>
</aside>"""


def share(url: str) -> str:
    return f"""<div class="block block-addtoany">
  <span class="a2a_kit a2a_kit_size_32 addtoany_list" data-a2a-url="{url}">
    <span class="share-label">شارك:</span>
    <a class="a2a_button_facebook" href="https://www.addtoany.com/add_to/facebook?linkurl={url}">فيسبوك</a>
    <a class="a2a_button_twitter" href="https://www.addtoany.com/add_to/twitter?linkurl={url}">تويتر</a>
    <a class="a2a_button_whatsapp" href="https://www.addtoany.com/add_to/whatsapp?linkurl={url}">واتساب</a>
  </span>
</div>"""


def comments(items: list[tuple[str, str, str]]) -> str:
    arts = "\n".join(
        f"""    <article role="article" data-comment-user-id="0" id="comment-{cid}" class="comment js-comment by-anonymous">
      <footer class="comment__meta"><p class="comment__author"><span>{who}</span></p></footer>
      <div class="content"><div class="clearfix text-formatted field field--name-comment-body field__item"><p>{said}</p></div></div>
    </article>"""
        for cid, who, said in items
    )
    return f"""<section id="comments" class="field field--name-comment field--type-comment field--label-above comment-wrapper">
  <h2 class="title comment-wrapper__title">التعليقات</h2>
{arts}
  <h2 class="title comment-form__title">أضف تعليقاً جديداً</h2>
  <form class="comment-comment-form comment-form" action="{{base}}/comment/reply/node/1/comment" method="post"><textarea name="comment_body[0][value]"></textarea><input type="submit" value="حفظ"></form>
</section>"""


def node(
    path: str,
    nid: int,
    headline: str,
    section: tuple[str, str],
    paras: list[str],
    *,
    description: str,
    published_meta: str | None,
    jsonld_date: str | None,
    submitted: str | None,
    tags: list[tuple[str, int]],
    talk: list[tuple[str, str, str]],
    lang: str = "ar",
    meta_charset: bool = True,
    site_name: str = SITE,
) -> str:
    url = "{base}" + path
    head = [
        f'<meta name="description" content="{description}">',
        f'<link rel="canonical" href="{url}">',
        f'<link rel="shortlink" href="{{base}}/node/{nid}">',
        f'<meta property="og:site_name" content="{site_name}">',
        '<meta property="og:type" content="article">',
        f'<meta property="og:url" content="{url}">',
        f'<meta property="og:title" content="{headline}">',
        f'<meta property="og:description" content="{description}">',
        f'<meta property="og:image" content="{{base}}/sites/default/files/styles/large/public/node-{nid}.jpg">',
    ]
    if published_meta:
        head.append(f'<meta property="article:published_time" content="{published_meta}">')
    if jsonld_date:
        data = {
            "@context": "https://schema.org",
            "@graph": [
                {
                    "@type": "NewsArticle",
                    "headline": headline,
                    "name": headline,
                    "description": description,
                    "datePublished": jsonld_date,
                    "dateModified": jsonld_date,
                    "author": {"@type": "Organization", "name": "شبكة دجلة الإخبارية"},
                    "publisher": {"@type": "Organization", "name": "شبكة دجلة الإخبارية", "url": "{base}/"},
                    "mainEntityOfPage": url,
                    "inLanguage": lang,
                }
            ],
        }
        head.append(
            '<script type="application/ld+json">' + json.dumps(data, ensure_ascii=False, indent=2) + "</script>"
        )
    sec_name, sec_slug = section
    submitted_html = ""
    if submitted:
        submitted_html = (
            '  <footer class="node__meta"><div class="node__submitted">نشر في '
            f'<span class="field field--name-created">{submitted}</span></div></footer>\n'
        )
    body = "\n".join(f"<p>{p}</p>" for p in paras)
    tag_html = "\n".join(
        f'      <div class="field__item"><a href="{{base}}/taxonomy/term/{tid}" hreflang="{lang}">{name}</a></div>'
        for name, tid in tags
    )
    tags_label = "الوسوم" if lang == "ar" else "Tags"
    return f"""<!DOCTYPE html>
<html lang="{lang}" dir="{"rtl" if lang == "ar" else "ltr"}" prefix="content: http://purl.org/rss/1.0/modules/content/  dc: http://purl.org/dc/terms/  og: http://ogp.me/ns#  schema: http://schema.org/">
<head>
{META_CHARSET if meta_charset else ""}<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{headline} | {site_name}</title>
{chr(10).join(head)}
<meta name="Generator" content="Drupal 8 (https://www.drupal.org)">
<link rel="stylesheet" media="all" href="{{base}}/sites/default/files/css/css_dijla.css">
</head>
<body class="path-node page-node-type-article">
{HEADER}
<div class="region region-breadcrumb">
  <nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb"><h2 id="system-breadcrumb" class="visually-hidden">مسار التنقل</h2>
    <ol><li><a href="{{base}}/">الرئيسية</a></li><li><a href="{{base}}/section/{sec_slug}">{sec_name}</a></li></ol>
  </nav>
</div>
<main role="main">
<a id="main-content" tabindex="-1"></a>
<div class="layout-content">
<div class="region region-content">
<article role="article" about="{url}" class="node node--type-article node--promoted node--view-mode-full">
  <h1 class="page-title"><span class="field field--name-title field--type-string field--label-hidden">{headline}</span></h1>
{submitted_html}  <div class="node__content clearfix">
    <div class="field field--name-field-image field--type-image field--label-hidden field__item"><img src="{{base}}/sites/default/files/styles/large/public/node-{nid}.jpg" alt="" typeof="foaf:Image"></div>
    <div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{body}
    </div>
    <div class="field field--name-field-tags field--type-entity-reference field--label-above">
      <div class="field__label">{tags_label}</div>
      <div class="field__items">
{tag_html}
      </div>
    </div>
  </div>
</article>
{share(url)}
{comments(talk)}
</div>
</div>
{sidebar()}
</main>
{FOOTER}
</body>
</html>
"""


ARTICLES = []

D1 = "/news/diyala-isis-regroups-curfew"
D1_T = "مسؤول محلي: «داعش» يعيد ترتيب صفوفه في أطراف ديالى مستغلاً إجراءات الحظر"
ARTICLES.append((D1, D1_T, "2020-04-19T10:30:00+03:00"))
write_cp1256(
    D1.lstrip("/") + ".html",
    node(
        D1, 1542, D1_T, ("أمن", "security"),
        [
            "بعقوبة – دجلة",
            "حذّر مسؤول محلي في محافظة ديالى من أن بقايا تنظيم «داعش» بدأت تعيد ترتيب صفوفها في المناطق الزراعية والوديان الواقعة على أطراف المحافظة، مستغلة انشغال الأجهزة الأمنية بتطبيق إجراءات حظر التجوال التي فرضتها خلية الأزمة لمواجهة فيروس كورونا.",
            "وقال قائممقام أحد الأقضية الشمالية في المحافظة لـ«دجلة» إن «التنظيم لم يعد يظهر بمجموعات كبيرة، لكنه ينفذ هجمات خاطفة ليلاً ثم يختفي في البساتين الكثيفة، ويستخدم الدراجات النارية للتنقل بين القرى».",
            "وأضاف أن الأسابيع الأخيرة شهدت ارتفاعاً في عمليات القنص وزرع العبوات على الطرق الفرعية، فضلاً عن تهديد رعاة الأغنام ومطالبتهم بدفع الأموال، مؤكداً أن عدداً من العائلات في القرى النائية غادرت منازلها نحو مراكز المدن خشية تعرضها لهجمات.",
            "وأشار المسؤول إلى أن «السيطرات انتقلت إلى داخل المدن لمنع التجمعات وتطبيق الحظر الصحي، وهذا أمر مفهوم، لكن المناطق المفتوحة بين ديالى وصلاح الدين بحاجة إلى قوات ثابتة وجهد استخباري مستمر».",
            "في المقابل، قال متحدث باسم قيادة عمليات ديالى إن القطعات العسكرية «تمسك الأرض بشكل كامل»، وإن ما يجري هو «محاولات يائسة لإثبات الوجود»، مبيناً أن القوات نفذت خلال الشهر الجاري 12 عملية تفتيش أسفرت عن تدمير مضافات واعتقال مطلوبين.",
            "ويرى الباحث في الشؤون الأمنية أحمد الشريفي أن التنظيم يقرأ جيداً لحظات الضعف، موضحاً أن «الجائحة فرضت أولويات جديدة على الدولة، والتنظيم يحاول ملء أي فراغ ولو مؤقتاً، وهو ما يتطلب إعادة توزيع القطعات لا سحبها».",
            "وتشهد مناطق شمال شرقي ديالى، ولا سيما المحاذية لسلسلة تلال حمرين، نشاطاً متكرراً لخلايا التنظيم منذ عام 2018، رغم العمليات العسكرية المتتالية التي أُعلنت لتطهيرها.",
        ],
        description="مسؤول في ديالى يحذر من إعادة تنظيم داعش صفوفه في المناطق الزراعية مستغلاً انشغال القوات بإجراءات الحظر.",
        published_meta="2020-04-19T10:30:00+03:00",
        jsonld_date="2020-04-19T07:30:00Z",
        submitted="الأحد 19 نيسان 2020 - 10:30",
        tags=[("داعش", 12), ("ديالى", 15), ("كورونا", 31)],
        talk=[
            ("1201", "ابو حسين", "المسؤولين يحچون بس بالإعلام، نريد أفعال على الأرض."),
            ("1202", "زائر", "متى يفتحون طريق بعقوبة – خانقين؟ صار شهر مسدود."),
        ],
    ),
)

D2 = "/news/isis-propaganda-messaging-apps-study"
D2_T = "مركز بحثي يرصد تضاعف دعاية تنظيم الدولة على تطبيقات المراسلة خلال الحجر المنزلي"
ARTICLES.append((D2, D2_T, "2020-04-23T10:00:00+03:00"))
write_cp1256(
    D2.lstrip("/") + ".html",
    node(
        D2, 1561, D2_T, ("أمن", "security"),
        [
            "بغداد – دجلة",
            "كشف تقرير أعده مركز عراقي مستقل للدراسات الأمنية أن حجم المواد الدعائية المنسوبة إلى تنظيم الدولة الإسلامية على تطبيقات المراسلة المشفرة تضاعف تقريباً خلال الأسابيع الأولى من الحجر المنزلي، مقارنة بالفترة نفسها من العام الماضي.",
            "وبحسب التقرير، الذي اطلعت «دجلة» على نسخة منه، فإن فريق الرصد تابع 85 قناة ومجموعة ناطقة بالعربية، ووجد أن معظمها يعيد نشر إصدارات قديمة مرفقة بتعليقات جديدة تربط الجائحة بـ«غضب إلهي» على «الأعداء»، وتدعو الأنصار إلى استغلال انشغال الحكومات بالأزمة الصحية.",
            "وقال مدير المركز في حديث لـ«دجلة» إن «اللافت هذه المرة هو التركيز على الشباب الذين فقدوا أعمالهم اليومية بسبب الإغلاق؛ فالرسائل تَعِدهم بالمال والمكانة، وتقدم لهم التنظيم بوصفه بديلاً عن دولة عاجزة».",
            "وأوضح أن القنوات تعتمد على روابط بديلة تُنشر فور حذف القناة الأصلية، ما يجعل ملاحقتها صعبة، مشيراً إلى أن بعض المجموعات تطلب من المنضمين الجدد مشاركة مواقعهم أو صور لمناطق سكنهم «لاختبار ولائهم».",
            "وأوصى التقرير بتعزيز التعاون بين الأجهزة الأمنية وشركات التكنولوجيا، وإطلاق حملات توعية تستهدف الأسر في المناطق المحررة، إلى جانب برامج تشغيل سريعة للشباب العاطلين، معتبراً أن «المعالجة الأمنية وحدها لن تكفي».",
            "ولم يصدر تعليق فوري من خلية الإعلام الأمني على ما ورد في التقرير، إلا أن مسؤولين سبق أن أكدوا أن فرقاً متخصصة تعمل على رصد المحتوى المتطرف وإغلاق الحسابات المرتبطة بالتنظيم.",
        ],
        description="تقرير لمركز بحثي عراقي: دعاية تنظيم الدولة على تطبيقات المراسلة تضاعفت خلال الحجر المنزلي.",
        published_meta="2020-04-23T09:10:00+03:00",
        jsonld_date=None,
        submitted="الخميس 23 نيسان 2020 - 09:10",
        tags=[("داعش", 12), ("تجنيد", 44), ("الإنترنت", 45)],
        talk=[
            ("1230", "م. سلام", "تقرير مهم، بس ليش ما نشروا اسم المركز كامل؟"),
            ("1231", "علي الكاظمي", "أرجو نشر خبر عن امتحانات السادس الإعدادي، الطلاب محتارين."),
        ],
    ),
)

# No date anywhere in the page: only the news sitemap knows it.
D3 = "/news/hawija-power-towers-attack-foiled"
D3_T = "قوة مشتركة تحبط هجوماً على أبراج نقل الطاقة قرب الحويجة"
ARTICLES.append((D3, D3_T, "2020-05-07T18:25:00+03:00"))
write_cp1256(
    D3.lstrip("/") + ".html",
    node(
        D3, 1604, D3_T, ("أمن", "security"),
        [
            "كركوك – دجلة",
            "أحبطت قوة مشتركة من الجيش والشرطة الاتحادية، مساء اليوم، محاولة لعناصر من تنظيم «داعش» لتفجير أبراج نقل الطاقة الكهربائية في منطقة زراعية قرب قضاء الحويجة جنوب غربي كركوك.",
            "وقال مصدر في قيادة عمليات كركوك إن «دورية ليلية رصدت ثلاثة أشخاص يحملون معدات قرب خط الضغط العالي، وعند محاولة تطويقهم لاذوا بالفرار باتجاه وادي الشاي تاركين خلفهم عبوتين ناسفتين وأدوات حفر».",
            "وأضاف المصدر أن فريقاً من الجهد الهندسي فكّك العبوتين من دون أضرار، وأن عمليات التفتيش مستمرة في البساتين القريبة بمساندة طيران الجيش.",
            "ودأب التنظيم خلال الأشهر الماضية على استهداف أبراج الكهرباء في كركوك وصلاح الدين وديالى، في محاولة لإرباك الخدمات وإظهار عجز السلطات، خصوصاً مع اقتراب فصل الصيف وارتفاع الطلب على الطاقة.",
            "وقال مسؤول في مديرية نقل الطاقة الشمالية إن فرق الصيانة «تعمل في ظروف صعبة بسبب الحظر ومخاطر العبوات»، مطالباً بتأمين حماية دائمة للخطوط الرئيسة التي تغذي محطات التوزيع في الحويجة والرياض والعباسي.",
            "ويشكو سكان القرى المحيطة بالحويجة من انقطاعات طويلة للتيار الكهربائي تتكرر بعد كل هجوم، في وقت يلزم فيه معظمهم منازلهم بسبب إجراءات الوقاية من الفيروس.",
        ],
        description="قوة من الجيش والشرطة الاتحادية تحبط محاولة لداعش لتفجير أبراج الطاقة قرب الحويجة.",
        published_meta=None,
        jsonld_date=None,
        submitted=None,
        tags=[("داعش", 12), ("كركوك", 16), ("الكهرباء", 52)],
        talk=[
            ("1288", "ابن الحويجة", "الكهرباء عدنا أربع ساعات باليوم، والحر بعده ما بدأ."),
            ("1289", "قارئ", "شكراً للأبطال، وننتظر أخبار دوري الكرة إذا رجع."),
        ],
    ),
)

# Served as "text/html" with no charset and no <meta> charset: cp1256 must be detected.
D4 = "/news/iraqi-league-season-cancelled"
D4_T = "اتحاد الكرة يُنهي الموسم دون تتويج بطل بسبب جائحة كورونا"
ARTICLES.append((D4, D4_T, "2020-05-21T19:45:00+03:00"))
write_cp1256(
    D4.lstrip("/") + ".html",
    node(
        D4, 1633, D4_T, ("رياضة", "sport"),
        [
            "بغداد – دجلة الرياضي",
            "قرر الاتحاد العراقي لكرة القدم إنهاء منافسات الدوري الممتاز للموسم الحالي من دون تتويج بطل ومن دون هبوط أي فريق، بعد تعذّر استئناف المباريات بسبب استمرار تفشي فيروس كورونا وإجراءات حظر التجوال.",
            "وقال عضو في الهيئة التطبيعية للاتحاد إن القرار جاء «بعد مشاورات مطولة مع الأندية ووزارة الصحة، ولم يكن أمامنا خيار آخر لحماية اللاعبين والجماهير»، مشيراً إلى أن الموسم كان قد توقف أصلاً بعد جولات قليلة بسبب الاحتجاجات ثم الجائحة.",
            "وأثار القرار ردود فعل متباينة بين الأندية؛ فبينما رحبت به إدارات عدة بسبب الأزمة المالية وتأخر رواتب اللاعبين، اعتبرته أندية أخرى «ظلماً» لها بعدما كانت تنافس على الصدارة وتأمل بالمشاركة في البطولات الآسيوية.",
            "وقال مدرب أحد الفرق الجماهيرية إن «اللاعبين يتدربون في منازلهم منذ أكثر من شهرين، والعودة المفاجئة كانت ستعرضهم لإصابات كثيرة»، مطالباً الاتحاد بإعلان موعد واضح لانطلاق الموسم المقبل.",
            "ومن المقرر أن يحدد الاتحاد خلال الأسابيع المقبلة آلية اختيار الأندية المشاركة في المسابقات الخارجية، وسط مقترحات باعتماد ترتيب الموسم الماضي أو إجراء قرعة بين الفرق المتصدرة.",
            "ويُعدّ هذا ثاني موسم تتعطل فيه المسابقة المحلية خلال أقل من عام، ما يضع الأندية أمام تحديات مالية كبيرة، خصوصاً مع توقف عائدات الرعاية والبث التلفزيوني.",
        ],
        description="اتحاد الكرة العراقي يقرر إنهاء الدوري الممتاز دون تتويج بطل أو هبوط بسبب كورونا.",
        published_meta="2020-05-21T19:45:00+03:00",
        jsonld_date=None,
        submitted="الخميس 21 أيار 2020 - 19:45",
        tags=[("الدوري الممتاز", 61), ("كورونا", 31)],
        talk=[
            ("1301", "مشجع زوراوي", "قرار صحيح، الصحة أهم من الكورة."),
            ("1302", "أبو زينب", "يعني راح تعب الفريق طول الموسم؟ هذا ظلم للجوية."),
        ],
        meta_charset=False,
    ),
)

# English page from the same site: listed in the news sitemap, must be dropped as not_arabic.
E1 = "/en/news/diyala-attacks-curfew"
E1_T = "Diyala villagers report rising insurgent attacks as curfew stretches security forces"
write_cp1256(
    E1.lstrip("/") + ".html",
    node(
        E1, 1549, E1_T, ("Security", "security"),
        [
            "BAQUBAH – Dijla",
            "Residents of farming villages in northeastern Diyala say Islamic State remnants have stepped up night-time attacks since Iraqi forces were redeployed to enforce the nationwide coronavirus curfew.",
            "A local official told Dijla that small groups of gunners on motorbikes have targeted shepherds, checkpoints and power lines, then withdrawn into orchards and the valleys of the Hamrin hills before reinforcements arrive.",
            "Security commanders insist the area remains under control and say several hideouts have been destroyed this month. Analysts warn, however, that the militants are exploiting every gap left by the health emergency and that intelligence work, not only checkpoints, will decide whether the insurgency grows.",
        ],
        description="Villagers in Diyala say Islamic State remnants are exploiting the coronavirus curfew.",
        published_meta="2020-04-20T14:00:00+03:00",
        jsonld_date=None,
        submitted="Mon, 04/20/2020 - 14:00",
        tags=[("Islamic State", 112), ("Diyala", 115)],
        talk=[("1250", "Sam", "Good report, please keep covering the villages.")],
        lang="en",
        site_name="Dijla",
    ).replace(">انتقل إلى المحتوى الرئيسي<", ">Skip to main content<"),
)

# Home page: fetched only to look for feed <link>s (none here); not a section, not a drop.
HOME_ITEMS = "\n".join(
    f'  <div class="views-row"><article class="node node--type-article node--view-mode-teaser"><h2><a href="{{base}}{p}" rel="bookmark">{t}</a></h2></article></div>'
    for p, t, _ in reversed(ARTICLES)
)
write_cp1256(
    "index.html",
    f"""<!DOCTYPE html>
<html lang="ar" dir="rtl">
<head>
{META_CHARSET}<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{SITE} | شبكة دجلة الإخبارية</title>
<link rel="canonical" href="{{base}}/">
<meta property="og:site_name" content="{SITE}">
<meta property="og:type" content="website">
<meta property="og:url" content="{{base}}/">
<meta property="og:title" content="{SITE}">
<meta name="Generator" content="Drupal 8 (https://www.drupal.org)">
</head>
<body class="path-frontpage">
{HEADER}
<main role="main"><a id="main-content" tabindex="-1"></a>
<div class="layout-content"><div class="region region-content">
<div class="view view-frontpage view-display-id-page_1">
{HOME_ITEMS}
</div>
</div></div>
{sidebar()}
</main>
{FOOTER}
</body>
</html>
""",
)

# --------------------------------------------------------------------------- sitemaps

write_utf8(
    "sitemap.xml",
    """<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap>
    <loc>{base}/sitemap-news.xml</loc>
    <lastmod>2020-05-21T19:50:00+03:00</lastmod>
  </sitemap>
</sitemapindex>
""",
)

NEWS = [(p, t, d, "ar") for p, t, d in reversed(ARTICLES)]
NEWS.insert(3, (E1, E1_T, "2020-04-20T14:00:00+03:00", "en"))
urls = "\n".join(
    f"""  <url>
    <loc>{{base}}{p}</loc>
    <news:news>
      <news:publication>
        <news:name>{"دجلة" if lang == "ar" else "Dijla"}</news:name>
        <news:language>{lang}</news:language>
      </news:publication>
      <news:publication_date>{d}</news:publication_date>
      <news:title>{t}</news:title>
    </news:news>
  </url>"""
    for p, t, d, lang in NEWS
)
write_utf8(
    "sitemap-news.xml",
    f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}
</urlset>
""",
)

write_utf8(
    "robots.txt",
    """# robots.txt for Drupal sites
User-agent: *
Disallow: /admin/
Disallow: /comment/reply/
Disallow: /user/login
Disallow: /search/
Sitemap: {base}/sitemap.xml
""",
)

"""Varied Arabic news prose about Iraq: security (ISIS), politics and the economy.

Sentences are templates filled with random places, people, organisations, numbers and dates,
so no two generated articles share their text (de-duplication must not hide work). Security
articles name ISIS (داعش, تنظيم الدولة) so a topic filter keeps them; the others never do.
"""

from __future__ import annotations

import random

PROVINCES = (
    "بغداد نينوى الأنبار صلاح الدين ديالى كركوك البصرة النجف كربلاء بابل واسط ميسان ذي قار "
    "المثنى القادسية أربيل دهوك السليمانية"
).split()
TOWNS = (
    "الموصل تلعفر سنجار الحويجة بيجي سامراء تكريت الفلوجة الرمادي هيت حديثة القائم الرطبة "
    "بعقوبة المقدادية خانقين جلولاء طوزخورماتو الشرقاط القيارة مخمور الطارمية اللطيفية"
).split()
AREAS = (
    "وادي حوران صحراء الجزيرة جبال حمرين وادي الشاي مطيبيجة جزيرة سامراء بحيرة الثرثار "
    "وادي زغيتون قرة تبة جبال مكحول"
).split(" ")
FORCES = (
    "قيادة العمليات المشتركة", "خلية الإعلام الأمني", "جهاز مكافحة الإرهاب", "قوات الحشد الشعبي",
    "الشرطة الاتحادية", "قيادة عمليات الأنبار", "قوات البيشمركة", "وكالة الاستخبارات",
    "قيادة عمليات سامراء", "الفرقة المدرعة التاسعة", "طيران الجيش", "خلية الصقور الاستخبارية",
    "قيادة حرس الحدود", "مديرية الاستخبارات العسكرية", "قيادة عمليات نينوى",
)
ISIS = ("تنظيم داعش", "عصابات داعش", "تنظيم الدولة الإسلامية", "داعش الإرهابي", "تنظيم الدولة")
OPS = ("عملية استباقية", "عملية نوعية", "ضربة جوية", "عملية تفتيش", "كمين محكم", "عملية إنزال جوي")
SEIZED = (
    "أحزمة ناسفة", "عبوات ناسفة", "صواريخ محلية الصنع", "أسلحة خفيفة ومتوسطة", "مضافات",
    "أنفاق", "أجهزة اتصال", "مواد متفجرة", "دراجات نارية مفخخة", "وثائق ومستمسكات",
)
FIRST = (
    "محمد علي حسين أحمد عمر خالد مصطفى عباس حيدر سعد فاضل جاسم كريم ياسين ناصر طارق رعد "
    "قاسم منير عادل"
).split()
LAST = (
    "الجبوري الدليمي العبيدي الساعدي الزيدي الموسوي الحسيني الكعبي العاني الربيعي التميمي "
    "الخفاجي الشمري الجنابي البياتي الكبيسي المالكي الحلبوسي"
).split()
TITLES = (
    "النائب", "وزير الداخلية", "المتحدث باسم الحكومة", "محافظ نينوى", "الخبير الأمني",
    "عضو لجنة الأمن والدفاع النيابية", "وزير المالية", "محافظ البنك المركزي",
    "الخبير الاقتصادي", "رئيس اللجنة المالية النيابية", "وزير النفط", "وزير التخطيط",
    "قائد شرطة المحافظة", "مستشار رئيس الوزراء", "عضو مجلس المحافظة",
)
MINISTRIES = (
    "وزارة النفط", "وزارة المالية", "وزارة التخطيط", "وزارة التجارة", "وزارة الكهرباء",
    "وزارة الزراعة", "وزارة الموارد المائية", "هيئة الاستثمار الوطنية", "البنك المركزي العراقي",
    "سوق العراق للأوراق المالية", "شركة تسويق النفط سومو", "وزارة الإعمار والإسكان",
)
GOODS = (
    "النفط الخام", "القمح", "الشعير", "الطماطم", "الإسمنت", "الكهرباء", "الغاز المصاحب",
    "التمور", "الحديد", "المشتقات النفطية",
)
PARTIES = (
    "الإطار التنسيقي", "التيار الصدري", "تحالف السيادة", "الحزب الديمقراطي الكردستاني",
    "الاتحاد الوطني الكردستاني", "تحالف الفتح", "ائتلاف دولة القانون", "حركة امتداد",
)
MONTHS = ("كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول",
          "تشرين الأول", "تشرين الثاني", "كانون الأول")
DAYS = ("السبت", "الأحد", "الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة")

SECURITY = (
    "أعلنت {force} اليوم {day} عن مقتل {n} من عناصر {isis} في {op} شمال {town}.",
    "وقالت {force} في بيان تلقته الوكالة إن قواتها تمكنت من تدمير {n} مضافات تابعة لـ{isis} "
    "في {area}.",
    "وأضاف البيان أن العملية أسفرت عن ضبط {n2} من {seized} كانت معدة لاستهداف المدنيين.",
    "وأكد {title} {person} أن بقايا {isis} ما زالت تتحرك في المناطق الوعرة بين {prov} و{prov2}.",
    "وأشار إلى أن الخلايا النائمة تستغل الطرق الصحراوية للتنقل بين {town} و{town2} ليلا.",
    "ونفذ {force} بالتعاون مع التحالف الدولي {n} ضربات جوية على أوكار {isis} منذ {date}.",
    "وذكر مصدر أمني في محافظة {prov} أن {n} من عناصر {force} أصيبوا بانفجار عبوة ناسفة "
    "قرب {town}.",
    "واعتقلت القوات الأمنية {n} متهمين بالانتماء إلى {isis} بينهم قيادي يدعى {person}.",
    "وبحسب اعترافات المتهمين فإن {isis} كان يخطط لتجنيد الشباب عبر منصات التواصل الاجتماعي.",
    "وتواصل {force} عمليات تفتيش {area} بحثا عن مخابئ الأسلحة والأعتدة منذ {date}.",
    "وشهدت محافظة {prov} خلال الأسبوع الماضي {n} هجمات متفرقة تبناها {isis}.",
    "ولفت {title} {person} إلى أن الحدود مع سوريا مؤمنة بالكامل بكاميرات حرارية وأبراج مراقبة.",
    "وحذر مراقبون من عودة نشاط {isis} في {area} بعد انسحاب بعض القطعات العسكرية.",
    "ويأتي ذلك بعد {n} أيام من هجوم استهدف نقطة تفتيش في قضاء {town} وأدى إلى مقتل {n2} جنود.",
    "وأعلنت {force} إحباط محاولة تسلل لعناصر {isis} عبر الشريط الحدودي قرب {town}.",
    "وقال {person} وهو أحد سكان {town} إن الأهالي يخشون عودة {isis} إلى القرى المحررة.",
)
POLITICS = (
    "عقد مجلس النواب العراقي جلسته الاعتيادية يوم {day} برئاسة النائب {person} وحضور {n3} نائبا.",
    "وناقش المجلس مشروع قانون الموازنة العامة للعام {year} وقرر تأجيل التصويت عليه إلى {date}.",
    "وقال {title} {person} إن {party} يرفض أي تسوية لا تحظى بإجماع القوى السياسية.",
    "وأضاف أن الحوارات بين {party} و{party2} ما زالت مستمرة لحسم ملف المناصب الشاغرة.",
    "ودعا {title} {person} إلى إجراء الانتخابات المحلية في موعدها المحدد في {date}.",
    "وكشف مصدر سياسي مطلع أن رئيس الوزراء سيجري تعديلا وزاريا يشمل {n} حقائب خلال أيام.",
    "وأكد {party} في بيان صدر عن مكتبه في {prov} التزامه بالمنهاج الحكومي.",
    "وتشهد محافظة {prov} خلافات حادة حول انتخاب محافظ جديد منذ {date}.",
    "وأشار {title} {person} إلى أن الاتفاق السياسي نص على تشريع {n} قوانين معطلة.",
    "وطالب متظاهرون في {prov} بتوفير فرص العمل وتحسين الخدمات وإنهاء الفساد الإداري.",
    "واستقبل رئيس الجمهورية في قصر السلام ببغداد وفدا من {party} برئاسة {person}.",
    "ويرى مراقبون أن التوازنات داخل {party} ستحدد شكل المرحلة المقبلة.",
)
ECONOMY = (
    "أعلنت {ministry} يوم {day} أن إيرادات العراق من {good} بلغت {money} مليار دولار خلال {month}.",
    "وقال {title} {person} إن سعر صرف الدولار استقر عند {rate} دينار في أسواق بغداد.",
    "وأضاف أن {ministry} تعمل على تنويع مصادر الدخل وتقليل الاعتماد على {good}.",
    "وارتفعت صادرات {good} بنسبة {pct} بالمئة مقارنة بالشهر نفسه من العام {year}.",
    "وكشفت {ministry} عن خطة لإنشاء {n} مشاريع استثمارية في محافظة {prov} "
    "بكلفة {money} مليار دينار.",
    "وأوضح {title} {person} أن معدل التضخم بلغ {pct} بالمئة وفق آخر إحصاءات {ministry}.",
    "وأشار إلى أن الحكومة خصصت {money} مليار دينار لدعم مزارعي {good} في {prov}.",
    "وبلغ متوسط الصادرات النفطية {n4} ألف برميل يوميا عبر موانئ البصرة وخط جيهان.",
    "وتوقع الخبير الاقتصادي {person} أن تشهد أسعار {good} ارتفاعا خلال {month} المقبل.",
    "وأعلن {ministry} توقيع عقد مع شركة أجنبية لتطوير حقل في محافظة {prov} بطاقة {n4} ألف برميل.",
    "وأكد سوق العراق للأوراق المالية أن مؤشر الأسعار أغلق عند {rate} نقطة يوم {day}.",
    "وشكا تجار في سوق الشورجة من تراجع الحركة التجارية بسبب تأخر صرف الرواتب منذ {date}.",
)
TOPICS = {"security": SECURITY, "politics": POLITICS, "economy": ECONOMY}
HEADLINES = {
    "security": (
        "مقتل {n} من عناصر {isis} بعملية في {town}", "{force} تدمر مضافات لـ{isis} في {area}",
        "اعتقال قيادي في {isis} بمحافظة {prov}", "إحباط هجوم لـ{isis} قرب {town}",
    ),
    "politics": (
        "{party} يرفض تأجيل جلسة البرلمان", "خلافات حول منصب محافظ {prov}",
        "{person}: الحوارات مع {party2} مستمرة", "البرلمان يناقش موازنة {year}",
    ),
    "economy": (
        "إيرادات {good} تبلغ {money} مليار دولار", "سعر صرف الدولار يستقر عند {rate} دينار",
        "{ministry} تعلن {n} مشاريع جديدة في {prov}", "ارتفاع صادرات {good} بنسبة {pct}%",
    ),
}


def _person(rnd: random.Random) -> str:
    return f"{rnd.choice(FIRST)} {rnd.choice(FIRST)} {rnd.choice(LAST)}"


def _date(rnd: random.Random) -> str:
    return f"{rnd.randint(1, 28)} {rnd.choice(MONTHS)} {rnd.randint(2015, 2025)}"


def _slots(rnd: random.Random) -> dict[str, str]:
    return {
        "force": rnd.choice(FORCES), "isis": rnd.choice(ISIS), "op": rnd.choice(OPS),
        "town": rnd.choice(TOWNS), "town2": rnd.choice(TOWNS), "area": rnd.choice(AREAS),
        "prov": rnd.choice(PROVINCES), "prov2": rnd.choice(PROVINCES),
        "seized": rnd.choice(SEIZED), "title": rnd.choice(TITLES), "person": _person(rnd),
        "party": rnd.choice(PARTIES), "party2": rnd.choice(PARTIES),
        "ministry": rnd.choice(MINISTRIES), "good": rnd.choice(GOODS), "day": rnd.choice(DAYS),
        "month": rnd.choice(MONTHS), "date": _date(rnd), "year": str(rnd.randint(2015, 2026)),
        "n": str(rnd.randint(2, 40)), "n2": str(rnd.randint(3, 250)),
        "n3": str(rnd.randint(160, 329)), "n4": str(rnd.randint(100, 3400)),
        "money": f"{rnd.randint(1, 12)}.{rnd.randint(0, 99)}", "rate": str(rnd.randint(1300, 1560)),
        "pct": f"{rnd.randint(1, 30)}.{rnd.randint(0, 9)}",
    }


def sentence(rnd: random.Random, topic: str) -> str:
    """One filled-in sentence on a topic ('security', 'politics' or 'economy')."""
    return rnd.choice(TOPICS[topic]).format(**_slots(rnd))


def headline(rnd: random.Random, topic: str) -> str:
    """A short headline on a topic."""
    return rnd.choice(HEADLINES[topic]).format(**_slots(rnd))


def paragraphs(rnd: random.Random, topic: str, words: int) -> list[str]:
    """Paragraphs of 2–4 sentences totalling about `words` words; off-topic asides included."""
    out: list[str] = []
    count = 0
    others = [t for t in TOPICS if t != topic]
    while count < words:
        para = []
        for _ in range(rnd.randint(2, 4)):
            # Mostly on topic; security pieces never leak into the other topics.
            pick = topic if rnd.random() < 0.85 or topic != "security" else rnd.choice(others)
            para.append(sentence(rnd, pick))
        text = " ".join(para)
        out.append(text)
        count += len(text.split())
    return out
